"""torch.special against PyTorch: values, dtypes, gradients and grad_fn names."""

import numpy as np
import pytest
from parity import rand, randn

pytest.importorskip("torch")

POS = rand(3, 4, low=0.2, high=6.0)  # where every function here is defined
PROB = rand(3, 4, low=0.02, high=0.98)
X64 = np.array([-30.0, -6.0, -1e-6, 0.0, 2.0, 5.0, 5.01, 12.0, 100.0])

UNARY_POS = [
    "expit", "erf", "erfc", "erfcx", "exp2", "expm1", "log1p", "gammaln", "digamma", "psi", "entr", "sinc",
    "i0", "i0e", "i1", "i1e", "ndtr", "log_ndtr",
]
UNARY_PROB = ["logit", "erfinv", "ndtri"]
NOT_DIFFERENTIABLE = ["bessel_j0", "bessel_j1", "spherical_bessel_j0", "modified_bessel_i0", "modified_bessel_i1"]


@pytest.mark.parametrize("name", UNARY_POS)
def test_unary_special_matches_torch_with_gradient(parity, name):
    parity(lambda torch, x: getattr(torch.special, name)(x), [POS], rtol=2e-5, atol=1e-5)
    parity(lambda torch, x: getattr(torch.special, name)(-x), [POS], rtol=2e-5, atol=1e-5)


@pytest.mark.parametrize("name", UNARY_PROB)
def test_unary_special_on_probabilities(parity, name):
    parity(lambda torch, x: getattr(torch.special, name)(x), [PROB], rtol=2e-5, atol=1e-5)


@pytest.mark.parametrize("name", NOT_DIFFERENTIABLE)
def test_bessel_results_match_and_do_not_require_grad(parity, name):
    parity(lambda torch, x: getattr(torch.special, name)(x), [np.concatenate([-POS, POS]) * 4], rtol=2e-5, atol=1e-6)
    parity(lambda torch, x: getattr(torch.special, name)(x), [X64], grad=False, rtol=1e-12, atol=1e-14)


def test_integer_input_promotes_to_float(parity):
    ints = np.array([0, 1, 2, 5], dtype=np.int64)
    for name in ("erfcx", "i0", "i1e", "ndtr", "bessel_j0", "expit", "gammaln"):
        parity(lambda torch, x, name=name: getattr(torch.special, name)(x), [ints])


def test_float64_keeps_double_precision(parity):
    parity(lambda torch, x: torch.special.erfcx(x) + torch.special.i1e(x) + torch.special.log_ndtr(-x),
           [POS.astype(np.float64)])


def test_binary_special_functions(parity):
    parity(lambda torch, x, y: torch.special.xlog1py(x, y), [randn(3, 4), POS])
    parity(lambda torch, y: torch.special.xlog1py(2.0, y), [POS])
    parity(lambda torch, x: torch.special.xlog1py(x, 3.0), [randn(5)])
    parity(lambda torch, x, y: torch.special.xlogy(x, y), [randn(3, 4), POS])
    parity(lambda torch, x, q: torch.special.zeta(x + 1.5, q), [POS, POS], grad=False)
    parity(lambda torch, a, x: torch.special.gammainc(a, x) + torch.special.gammaincc(a, x), [POS, POS],
           grad=False, rtol=1e-5, atol=1e-6)


def test_gammainc_gradient_in_x(parity):
    a = POS
    parity(lambda torch, x: torch.special.gammainc(torch.tensor(a), x), [POS], rtol=1e-4, atol=1e-5)


def test_polygamma_and_multigammaln(parity):
    for n in (0, 1, 2, 3):
        parity(lambda torch, x, n=n: torch.special.polygamma(n, x), [POS], rtol=1e-4, atol=1e-4)
    parity(lambda torch, x: torch.polygamma(1, x) + x.polygamma(2), [POS], rtol=1e-4, atol=1e-4)
    parity(lambda torch, x: torch.special.multigammaln(x + 2, 3), [POS], rtol=1e-5, atol=1e-5)
    parity(lambda torch, x: torch.mvlgamma(x + 1, p=2) + (x + 1).mvlgamma(2), [POS], rtol=1e-5, atol=1e-5)


def test_inplace_and_method_forms(parity):
    def fn(torch, x):
        y = x * 1.0
        y.polygamma_(1)
        z = x * 1.0
        z.i0_()
        return y, z, x.i0(), x.detach().igamma(x + 1), x.detach().igammac(x + 1)

    parity(fn, [POS], rtol=1e-4, atol=1e-4)


def test_softmax_family_and_round(parity):
    parity(lambda torch, x: torch.special.softmax(x, 1), [randn(3, 4)])
    parity(lambda torch, x: torch.special.log_softmax(x, dim=0, dtype=torch.float64), [randn(3, 4)])
    parity(lambda torch, x: torch.special.logsumexp(x, 1, keepdim=True), [randn(3, 4)])
    parity(lambda torch, x: torch.special.round(x * 10), [randn(3, 4)])
    parity(lambda torch, x: torch.special.round(x, decimals=2), [randn(3, 4)])
    parity(lambda torch, x: torch.special.logit(x, eps=0.1), [PROB])


def test_entr_edges(parity):
    parity(lambda torch, x: torch.special.entr(x), [np.array([-1.0, 0.0, 0.5, np.nan, np.inf], np.float32)],
           grad=False)


def test_grad_fn_names_are_pytorchs():
    import torch as pt

    import torchlike as tl

    names = ["erfcx", "i0", "i0e", "i1", "i1e", "ndtri", "log_ndtr", "entr", "log1p", "expit", "gammaln", "round"]
    for lib_names in (names,):
        for name in lib_names:
            p = getattr(pt.special, name)(pt.tensor([0.5], requires_grad=True)).grad_fn.name()
            t = getattr(tl.special, name)(tl.tensor([0.5], requires_grad=True)).grad_fn.name()
            assert t == p, name
    for fn in (lambda L, x: L.special.polygamma(1, x), lambda L, x: L.special.multigammaln(x + 2, 2),
               lambda L, x: L.special.xlog1py(x, x), lambda L, x: L.special.xlog1py(2.0, x),
               lambda L, x: L.special.zeta(x + 2, x), lambda L, x: L.special.gammainc(x, x)):
        p = fn(pt, pt.tensor([0.5], requires_grad=True)).grad_fn.name()
        t = fn(tl, tl.tensor([0.5], requires_grad=True)).grad_fn.name()
        assert t == p


def test_every_documented_function_we_claim_exists():
    import torch as pt

    import torchlike as tl

    for name in tl.special.__all__:
        assert hasattr(pt.special, name), name
        assert callable(getattr(tl.special, name)), name


# -- sweep rows: each registered special op, claimed for the registry coverage check ----------------

_SWEEP_OPS = {
    "i0": "i0", "special_i0e": "i0e", "special_i1": "i1", "special_i1e": "i1e", "special_erfcx": "erfcx",
    "special_ndtr": "ndtr", "special_log_ndtr": "log_ndtr", "special_entr": "entr",
    "special_bessel_j0": "bessel_j0", "special_bessel_j1": "bessel_j1",
    "special_spherical_bessel_j0": "spherical_bessel_j0", "special_modified_bessel_i0": "modified_bessel_i0",
    "special_modified_bessel_i1": "modified_bessel_i1",
}


def _special_fn(name):
    return lambda torch, x: getattr(torch.special, name)(x)


def _sweep():
    from parity import case

    rows = [case(op, "default", _special_fn(fn), [POS],
                 rtol=2e-5, atol=1e-5) for op, fn in _SWEEP_OPS.items()]
    rows += [
        case("special_ndtri", "default", lambda torch, x: torch.special.ndtri(x), [PROB]),
        case("special_xlog1py", "default", lambda torch, x, y: torch.special.xlog1py(x, y), [POS, POS]),
        case("special_zeta", "default", lambda torch, x, q: torch.special.zeta(x + 1.5, q), [POS, POS], grad=False),
        case("igamma", "default", lambda torch, a, x: torch.igamma(a, x), [POS, POS], grad=False, rtol=1e-5,
             atol=1e-6),
        case("igammac", "default", lambda torch, a, x: torch.igammac(a, x), [POS, POS], grad=False, rtol=1e-5,
             atol=1e-6),
        case("polygamma", "default", lambda torch, x: torch.polygamma(2, x), [POS], rtol=1e-4, atol=1e-4),
        case("mvlgamma", "default", lambda torch, x: torch.mvlgamma(x + 2, 2), [POS], rtol=1e-5, atol=1e-5),
    ]
    return rows


@pytest.mark.parametrize("fn, inputs, kw", _sweep())
def test_special_sweep(parity, fn, inputs, kw):
    parity(fn, inputs, **kw)
