"""Seeded CPU random numbers are PyTorch's, bit for bit (torchlike/_random_host.py)."""

import numpy as np
import pytest

import torchlike as tl

torch = pytest.importorskip("torch")

SEEDS = [0, 1, 2**40, -1]
SIZES = [1, 7, 15, 16, 17, 100, 1000]
DTYPES = ["float32", "float64"]


def same(a, b):
    a = a.detach().numpy() if hasattr(a, "detach") else np.asarray(a)
    b = b.detach().numpy() if hasattr(b, "detach") else np.asarray(b)
    assert a.dtype == b.dtype and a.shape == b.shape
    np.testing.assert_array_equal(a, b)


def both(fn, seed=0):
    """``fn(lib)`` after ``lib.manual_seed(seed)``, for torchlike and PyTorch."""
    out = []
    for lib in (tl, torch):
        lib.manual_seed(seed)
        out.append(fn(lib))
    return out


def assert_same_tree(fn, seed=0):
    a, b = both(fn, seed)
    for x, y in zip(
        a if isinstance(a, (list, tuple)) else [a], b if isinstance(b, (list, tuple)) else [b]
    ):
        same(x, y)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("dt", DTYPES)
def test_rand_randn_and_fills_match_pytorch(seed, n, dt):
    def draws(lib):
        d = getattr(lib, dt)
        return [
            lib.rand(n, dtype=d), lib.randn(n, dtype=d), lib.randn(n, dtype=d),
            lib.empty(n, dtype=d).uniform_(-0.37, 0.91), lib.empty(n, dtype=d).normal_(0.3, 0.02),
            lib.rand_like(lib.zeros(n, dtype=d)), lib.randn_like(lib.zeros(n, dtype=d)),
            lib.normal(2.0, 3.0, (n,), dtype=d), lib.empty(n, dtype=d).exponential_(1.5),
            lib.empty(n, dtype=d).random_(), lib.empty(n, dtype=d).bernoulli_(0.3),
            lib.bernoulli(lib.linspace(0, 1, n, dtype=d)), lib.rand(2),
        ]  # fmt: skip

    assert_same_tree(draws, seed)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("n", SIZES)
def test_integer_draws_match_pytorch(seed, n):
    def draws(lib):
        return [
            lib.randint(-5, 17, (n,)), lib.randint(0, 2**40, (n,)), lib.randint(10, (n, 1)),
            lib.randint_like(lib.zeros(n, dtype=lib.int64), 3, 9), lib.randperm(n),
            lib.empty(n, dtype=lib.int64).random_(), lib.empty(n, dtype=lib.int32).random_(),
            lib.empty(n, dtype=lib.int64).random_(100), lib.empty(n, dtype=lib.int64).random_(-3, 3),
            lib.randperm(n, dtype=lib.float32), lib.rand(3),
        ]  # fmt: skip

    assert_same_tree(draws, seed)


def test_normal_with_tensor_mean_and_std_matches_pytorch():
    def draws(lib):
        m, s = lib.arange(20.0), lib.linspace(0.1, 2, 20)
        return [
            lib.normal(m, s),
            lib.normal(m, 0.5),
            lib.normal(1.5, s),
            lib.normal(m[:5], s[:5]),
            lib.rand(2),
        ]

    assert_same_tree(draws)


def test_interleaved_small_normals_share_the_cached_sample():
    # numel < 16 uses normal_distribution<double>, whose second Box-Muller value waits on the
    # generator for the next small draw (and manual_seed clears it)
    def draws(lib):
        out = [
            lib.randn(3),
            lib.rand(1),
            lib.randn(1),
            lib.randn(20),
            lib.randn(5, dtype=lib.float64),
        ]
        out.append(lib.get_rng_state())
        lib.manual_seed(0)
        out += [lib.randn(1), lib.randn(1)]
        return out

    assert_same_tree(draws)


def test_generator_objects_match_pytorch():
    def draws(lib):
        g = lib.Generator().manual_seed(123)
        h = lib.Generator()
        return [
            lib.rand(5, generator=g), lib.randn(40, generator=g), lib.randperm(9, generator=g),
            lib.randint(0, 7, (6,), generator=g), lib.rand(4), lib.rand(3, generator=h),
            lib.tensor([g.initial_seed(), h.initial_seed()]),
        ]  # fmt: skip

    assert_same_tree(draws)


@pytest.mark.parametrize("seed", SEEDS)
def test_seed_values_match_pytorch(seed):
    tl.manual_seed(seed)
    torch.manual_seed(seed)
    assert tl.initial_seed() == torch.initial_seed()
    same(tl.get_rng_state(), torch.get_rng_state())
    assert tl.Generator().initial_seed() == torch.Generator().initial_seed() == 67280421310721


def test_rng_state_round_trips_and_loads_pytorch_states():
    tl.manual_seed(5)
    tl.randn(3)
    saved = tl.get_rng_state()
    a = tl.rand(10)
    tl.set_rng_state(saved)
    same(tl.rand(10), a)

    torch.manual_seed(9)
    torch.randn(3)
    tl.set_rng_state(tl.from_numpy(torch.get_rng_state().numpy()))
    same(tl.randn(3), torch.randn(3))
    same(tl.get_rng_state()[:5016], torch.get_rng_state()[:5016])  # (the rest: an in-graph counter)

    g = tl.Generator().manual_seed(4)
    st = g.get_state()
    x = tl.randn(30, generator=g)
    same(tl.randn(30, generator=g.set_state(st)), x)

    tl.manual_seed(2)
    with tl.random.fork_rng():
        tl.rand(100)
    torch.manual_seed(2)
    same(tl.rand(4), torch.rand(4))


LAYERS = {
    "Linear": lambda nn: nn.Linear(4, 3),
    "Conv2d": lambda nn: nn.Conv2d(3, 8, 3),
    "LSTM": lambda nn: nn.LSTM(5, 7, 2),
    "GRU": lambda nn: nn.GRU(3, 4),
    "Embedding": lambda nn: nn.Embedding(10, 4),
    "BatchNorm2d": lambda nn: nn.BatchNorm2d(4),
    "TransformerEncoderLayer": lambda nn: nn.TransformerEncoderLayer(16, 4, 32),
    "MultiheadAttention": lambda nn: nn.MultiheadAttention(8, 2, bias=True, add_bias_kv=True),
    "Sequential": lambda nn: nn.Sequential(
        nn.Conv1d(2, 3, 2), nn.ReLU(), nn.Flatten(), nn.Linear(6, 2)
    ),
}


@pytest.mark.parametrize("name", sorted(LAYERS))
@pytest.mark.parametrize("seed", [0, 42])
def test_layer_initial_weights_match_pytorch(name, seed):
    assert_same_tree(lambda lib: list(LAYERS[name](lib.nn).parameters()) + [lib.rand(2)], seed)


@pytest.mark.parametrize(
    "init",
    [
        "uniform_",
        "normal_",
        "kaiming_uniform_",
        "kaiming_normal_",
        "xavier_uniform_",
        "xavier_normal_",
    ],
)
def test_nn_init_matches_pytorch(init):
    assert_same_tree(lambda lib: [getattr(lib.nn.init, init)(lib.empty(30, 20)), lib.rand(2)])


@pytest.mark.parametrize(
    "kw",
    [{}, {"std": 0.02}, {"mean": 0.5, "std": 2.0, "a": -1.0, "b": 1.0}, {"a": 1.5, "b": 3.0}],
    ids=["default", "vit-std", "uniform-proposals", "tail"],
)
def test_trunc_normal_is_pytorchs_rejection_sampler(kw):
    assert_same_tree(
        lambda lib: [lib.nn.init.trunc_normal_(lib.empty(40, 30), **kw), lib.rand(2)], seed=1
    )


def test_trunc_normal_of_many_parameter_shapes_runs_no_program():
    """Initialising a network's parameters (inception_v3's trunc_normal_ of ~95 shapes) redraws
    in host memory, the same draws as PyTorch, without a program per shape."""
    import torchlike as tl

    shapes = [(8, 3, 3, 3), (16, 8, 1, 7), (16, 8, 7, 1), (10, 16), (300,), (2, 2)]
    before = tl.metrics.counters()["compiles"]
    assert_same_tree(
        lambda lib: [lib.nn.init.trunc_normal_(lib.empty(*s), std=0.4, a=-0.5, b=0.5) for s in shapes]
        + [lib.rand(2)],
        seed=2,
    )
    assert tl.metrics.counters()["compiles"] == before


def test_sparse_init_matches_pytorch():
    assert_same_tree(lambda lib: [lib.nn.init.sparse_(lib.empty(9, 5), 0.4), lib.rand(2)])


@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize(
    "fill",
    [
        lambda t: t.cauchy_(),
        lambda t: t.cauchy_(1.5, 0.5),
        lambda t: t.log_normal_(),
        lambda t: t.log_normal_(0.2, 0.3),
        lambda t: t.geometric_(0.3),
        lambda t: t.exponential_(2.0),
    ],
    ids=["cauchy", "cauchy-args", "log-normal", "log-normal-args", "geometric", "exponential"],
)
def test_distribution_fills_match_pytorch(fill, dt):
    assert_same_tree(
        lambda lib: [fill(lib.empty(3, 7, dtype=getattr(lib, dt))), lib.rand(2)], seed=5
    )


def test_orthogonal_init_draws_normals_first():
    a, b = both(lambda lib: (lib.nn.init.orthogonal_(lib.empty(6, 4)), lib.rand(3)))
    np.testing.assert_allclose(a[0].numpy(), b[0].numpy(), atol=1e-5)
    same(a[1], b[1])


def test_dataloader_shuffle_order_matches_pytorch_for_two_epochs():
    def order(lib):
        ds = lib.utils.data.TensorDataset(lib.arange(23))
        dl = lib.utils.data.DataLoader(ds, batch_size=5, shuffle=True)
        return [[int(v) for v in b[0].tolist()] for _ in range(2) for b in dl] + [
            lib.rand(2).tolist()
        ]

    a, b = both(order, 7)
    assert a == b


def test_samplers_and_random_split_match_pytorch():
    def draws(lib):
        d = lib.utils.data
        parts = d.random_split(range(10), [0.3, 0.7])
        g = lib.Generator().manual_seed(3)
        return [
            [list(p.indices) for p in parts],
            [list(p.indices) for p in d.random_split(range(12), [5, 7], generator=g)],
            list(d.SubsetRandomSampler([5, 6, 7, 8])),
            list(d.RandomSampler(range(7), replacement=True, num_samples=40)),
            list(d.RandomSampler(range(7), num_samples=10)),
            list(d.RandomSampler(range(7), generator=g)),
            lib.rand(2).tolist(),
        ]

    a, b = both(draws, 11)
    assert a == b


def test_lstm_dropout_consumes_what_pytorch_cpu_dropout_consumes():
    # the LSTM's inter-layer masks are PyTorch's draws: the draws after them stay in step
    def draws(lib):
        lib.nn.LSTM(4, 6, 3, dropout=0.2)(lib.ones(5, 2, 4))
        return lib.rand(2)

    assert_same_tree(draws)


@pytest.mark.parametrize("p", [0.1, 0.5, 0.93])
@pytest.mark.parametrize("shape", [(1,), (7, 5), (3, 4, 17)])
def test_dropout_outputs_match_pytorch(p, shape):
    def draws(lib):
        F = lib.nn.functional
        x = lib.randn(*shape)
        out = [
            F.dropout(x, p),
            lib.nn.Dropout(p)(x),
            F.dropout(x.double(), p),
            F.dropout(x.half(), p),
        ]
        y = x.clone()
        F.dropout(y, p, inplace=True)
        return out + [y, F.dropout(x, 1.0), F.dropout(x, 0.0), lib.rand(3)]

    assert_same_tree(draws, 11)


def test_channel_dropout_outputs_match_pytorch():
    def draws(lib):
        F = lib.nn.functional
        return [
            lib.nn.Dropout2d(0.4)(lib.randn(2, 3, 4, 4)), F.dropout2d(lib.randn(3, 5, 2), 0.3),
            F.dropout1d(lib.randn(4, 3, 6), 0.5), F.dropout1d(lib.randn(3, 6), 0.5),
            F.dropout3d(lib.randn(2, 3, 2, 2, 2), 0.6), lib.nn.Dropout3d(0.2)(lib.randn(3, 2, 2, 2)),
            lib.rand(3),
        ]  # fmt: skip

    assert_same_tree(draws)


def test_seed_rand_dropout_randn_interleave_as_in_pytorch():
    assert_same_tree(
        lambda lib: [lib.rand(5), lib.nn.functional.dropout(lib.ones(300), 0.3), lib.randn(40)], 3
    )


def test_alpha_dropout_masks_match_pytorch():
    # the masks and constants are PyTorch's; XLA fuses input * noise + b into one fma (an ulp apart)
    a, b = both(
        lambda lib: [
            lib.nn.functional.alpha_dropout(lib.randn(500), 0.2, True),
            lib.nn.FeatureAlphaDropout(0.3)(lib.randn(4, 6, 5)),
            lib.rand(3),
        ],
        4,
    )
    for x, y in zip(a, b):
        np.testing.assert_allclose(x.numpy(), y.numpy(), rtol=3e-7, atol=1e-7)
    dropped = a[0].numpy() == a[0].numpy().min()
    np.testing.assert_array_equal(dropped, b[0].numpy() == b[0].numpy().min())
    same(a[2], b[2])


def close_tree(a, b, rtol=1e-5, atol=1e-6):
    for x, y in zip(a, b):
        x, y = x.detach().numpy(), y.detach().numpy()
        np.testing.assert_array_equal(x == 0, y == 0)  # the same elements dropped
        np.testing.assert_allclose(x, y, rtol=rtol, atol=atol)


def test_attention_dropout_matches_pytorch():
    # masks bit for bit; the attention arithmetic itself agrees to float rounding
    def draws(lib):
        q, k, v = lib.randn(2, 3, 5, 4), lib.randn(2, 3, 6, 4), lib.randn(2, 3, 6, 4)
        out = [lib.nn.functional.scaled_dot_product_attention(q, k, v, dropout_p=0.3)]
        mha = lib.nn.MultiheadAttention(8, 2, dropout=0.2)
        x = lib.randn(5, 3, 8)
        out += list(mha(x, x, x)) + [mha(x, x, x, need_weights=False)[0]]
        layer = lib.nn.TransformerEncoderLayer(8, 2, 16, dropout=0.25)
        return out + [layer(lib.randn(5, 3, 8)), lib.rand(3)]

    a, b = both(draws, 5)
    close_tree(a, b)
    same(a[-1], b[-1])


def test_training_with_dropout_follows_pytorch():
    def train(lib):
        model = lib.nn.Sequential(
            lib.nn.Linear(20, 32), lib.nn.ReLU(), lib.nn.Dropout(0.3), lib.nn.Linear(32, 4)
        )
        opt = lib.optim.SGD(model.parameters(), lr=0.1)
        x, y = lib.randn(16, 20), lib.randint(0, 4, (16,))
        losses = []
        for _ in range(3):
            opt.zero_grad()
            loss = lib.nn.functional.cross_entropy(model(x), y)
            loss.backward()
            opt.step()
            losses.append(loss.detach())
        return losses + [p.detach() for p in model.parameters()] + [lib.rand(2)]

    a, b = both(train, 8)
    for x, y in zip(a, b):
        np.testing.assert_allclose(x.numpy(), y.numpy(), rtol=1e-6, atol=1e-7)


def test_a_dropout_training_loop_compiles_nothing_after_its_first_steps():
    tl.manual_seed(0)
    model = tl.nn.Sequential(tl.nn.Linear(10, 16), tl.nn.Dropout(0.5), tl.nn.Linear(16, 1))
    opt = tl.optim.SGD(model.parameters(), lr=0.01)
    x = tl.randn(8, 10)
    compiles = []
    for _ in range(10):
        opt.zero_grad()
        model(x).square().mean().backward()
        opt.step()
        compiles.append(tl.metrics.counters()["compiles"])
    assert compiles[2:] == [compiles[2]] * 8


def test_a_compiled_step_with_dropout_replays_with_fresh_masks():
    tl.manual_seed(0)
    model = tl.nn.Sequential(tl.nn.Linear(10, 16), tl.nn.Dropout(0.5), tl.nn.Linear(16, 1))
    opt = tl.optim.SGD(model.parameters(), lr=0.01)
    x = tl.randn(8, 10)

    @tl.compile
    def step():
        opt.zero_grad()
        out = model(x)
        out.square().mean().backward()
        opt.step()
        return out

    outs = [step().detach().numpy() for _ in range(3)]
    tl.metrics.reset()
    outs += [step().detach().numpy() for _ in range(5)]
    assert tl.metrics.counters()["replays"] == 5
    assert not np.array_equal(outs[-1], outs[-2])  # a new mask each replay


def test_random_int64_seed_draw_matches_pytorch():
    # DataLoader's RandomSampler and base seed: int(torch.empty((), dtype=torch.int64).random_().item())
    a, b = both(
        lambda lib: [int(lib.empty((), dtype=lib.int64).random_().item()) for _ in range(3)], 2**40
    )
    assert a == b


def test_large_normal_is_fast_enough_to_stay_on_the_host():
    tl.manual_seed(0)
    x = tl.randn(10000, 650)
    assert x.shape == (10000, 650)


def test_torchlike_rng_jax_opts_out_of_the_host_streams():
    import subprocess
    import sys

    code = (
        "import torchlike as t; t.manual_seed(0); a = t.rand(4).tolist(); t.manual_seed(0);"
        " b = t.randn(64, 100).std().item(); t.manual_seed(0); print(a == t.rand(4).tolist(), round(b, 1))"
    )
    out = {}
    for mode in ("pytorch", "jax"):
        env = dict(__import__("os").environ, TORCHLIKE_RNG=mode, JAX_PLATFORMS="cpu")
        out[mode] = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        ).stdout.split()
    assert (
        out["pytorch"] == out["jax"] == ["True", "1.0"]
    )  # reproducible, standard normal both ways
    torch.manual_seed(0)
    env = dict(__import__("os").environ, TORCHLIKE_RNG="jax", JAX_PLATFORMS="cpu")
    jax_draw = subprocess.run(
        [
            sys.executable,
            "-c",
            "import torchlike as t; t.manual_seed(0); print(t.rand(3).tolist())",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert jax_draw.strip() != str(torch.rand(3).tolist())  # not PyTorch's stream


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize(
    "n, replacement", [(1, True), (1, False), (5, True), (3, False), (40, True)]
)
@pytest.mark.parametrize("dt", ["float32", "float64", "bfloat16"])
def test_multinomial_matches_pytorch(seed, n, replacement, dt):
    # with replacement: cumulative-sum search, one double uniform per sample; without (or for one
    # sample): argmax/topk of p / exponential_(1). The next draw shows both consumed the same.
    p = np.random.default_rng(7).random((3, 9))
    p[1, 4] = 0.0

    def draws(lib):
        probs = lib.tensor(p, dtype=getattr(lib, dt))
        return [
            lib.multinomial(probs, n, replacement), lib.multinomial(probs[0], n, replacement),
            probs.multinomial(n, replacement=replacement), lib.rand(2),
        ]  # fmt: skip

    assert_same_tree(draws, seed)


def test_categorical_samples_match_pytorch():
    from torch.distributions import Categorical as PtCategorical

    from torchlike.distributions import Categorical

    probs = [[0.1, 0.2, 0.7], [0.5, 0.25, 0.25]]
    out = []
    for lib, cat in ((torch, PtCategorical), (tl, Categorical)):
        lib.manual_seed(543)
        m = cat(lib.tensor(probs))
        out.append(
            [
                m.sample().tolist(),
                m.sample((4,)).tolist(),
                cat(logits=lib.zeros(5)).sample((3, 2)).tolist(),
            ]
        )
    assert out[0] == out[1]


@pytest.mark.parametrize(
    "probs, n, replacement",
    [
        ([1, 2], 1, False), ([[[0.5]]], 1, True), (0.5, 1, True), ([0.2, 0.8], 0, True),
        ([0.2, 0.8], 3, False), ([0.2, -0.8], 2, True), ([0.2, float("inf")], 2, True),
        ([float("inf"), -1.0], 2, True), ([0.2, float("nan")], 2, True), ([0.0, 0.0], 2, True),
        ([0.2, -0.8], 1, True), ([[0.5, 0.5], [0.0, 0.0]], 2, False),
    ],
)  # fmt: skip
def test_multinomial_errors_match_pytorch(probs, n, replacement):
    errors = []
    for lib in (torch, tl):
        with pytest.raises(RuntimeError) as info:
            lib.multinomial(lib.tensor(probs), n, replacement)
        errors.append(str(info.value))
    assert errors[0] == errors[1]


def test_multinomial_of_no_distributions_is_empty():
    out = tl.multinomial(tl.zeros(0, 3), 2, True)
    assert out.shape == (0, 2) and out.dtype == tl.int64


@pytest.mark.parametrize("seed", [0, 3])
def test_poisson_draws_match_pytorch(seed):
    rates = np.concatenate([np.linspace(0.0, 9.9, 12), np.linspace(10.0, 400.0, 12)]).astype(np.float32)
    assert_same_tree(lambda lib: [lib.poisson(lib.tensor(rates)), lib.rand(2)], seed)


@pytest.mark.parametrize("dt", DTYPES)
def test_gamma_beta_dirichlet_samples_match_pytorch(dt):
    def draws(lib):
        D, t = lib.distributions, (lambda v: lib.tensor(v, dtype=getattr(lib, dt)))
        return [
            D.Gamma(t([0.05, 0.5, 1.0, 2.5, 30.0]), t([1.0, 2.0, 0.5, 1.0, 3.0])).sample((3,)),
            D.Dirichlet(t([0.3, 1.0, 4.0])).sample((2,)),
            D.Beta(t([0.5, 2.0]), t([1.5, 0.7])).sample(),
            D.Poisson(t([2.0, 15.0])).sample((2,)),
            lib.rand(2),
        ]

    assert_same_tree(draws, seed=4)


def test_gamma_rsample_keeps_the_reparameterised_gradient():
    grads = []
    for lib in (tl, torch):
        lib.manual_seed(0)
        a = lib.tensor([0.7, 3.0], requires_grad=True)
        lib.distributions.Gamma(a, 1.0).rsample((4,)).sum().backward()
        grads.append(a.grad.numpy())
    np.testing.assert_allclose(grads[0], grads[1], rtol=1e-3)


def test_torch_binomial_matches_pytorch():
    assert_same_tree(
        lambda lib: [lib.binomial(lib.tensor([10.0, 50.0, 3.0, 0.0]), lib.tensor([0.3, 0.5, 0.9, 0.2])), lib.rand(2)]
    )
