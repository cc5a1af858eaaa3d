"""Normalization layers against PyTorch: BatchNorm running statistics over several steps, eval mode,
LayerNorm/GroupNorm/InstanceNorm/RMSNorm/LocalResponseNorm/normalize values and gradients, repr,
state_dict keys and versions."""

from collections import OrderedDict

import numpy as np
import pytest

import torchlike as tl

pt = pytest.importorskip("torch")

RNG = np.random.default_rng(0)
TOL = dict(rtol=1e-5, atol=1e-5)


def _data(*shape):
    return (RNG.standard_normal(shape) * 2 + 0.5).astype(np.float32)


def _pair(name, *args, **kwargs):
    """The same layer in both libraries, torchlike's loaded from PyTorch's state_dict (params made non-trivial)."""
    m_pt = getattr(pt.nn, name)(*args, **kwargs)
    with pt.no_grad():
        for p in m_pt.parameters():
            p.copy_(pt.tensor(RNG.uniform(0.5, 1.5, tuple(p.shape)).astype(np.float32)))
    m_tl = getattr(tl.nn, name)(*args, **kwargs)
    assert repr(m_tl) == repr(m_pt)
    assert list(m_tl.state_dict().keys()) == list(m_pt.state_dict().keys())
    for (k, a), b in zip(m_tl.state_dict().items(), m_pt.state_dict().values()):
        assert tuple(a.shape) == tuple(b.shape), k
        assert str(a.dtype) == str(b.dtype), k
    m_tl.load_state_dict({k: tl.tensor(v.detach().numpy()) for k, v in m_pt.state_dict().items()})
    return m_tl, m_pt


def _step(m_tl, m_pt, x, **tol):
    """One forward + backward through both; compares output, input grad, parameter grads and buffers."""
    tol = tol or TOL
    a, b = tl.tensor(x, requires_grad=True), pt.tensor(x, requires_grad=True)
    ya, yb = m_tl(a), m_pt(b)
    g = RNG.standard_normal(tuple(yb.shape)).astype(np.float32)
    ya.backward(tl.tensor(g))
    yb.backward(pt.tensor(g))
    np.testing.assert_allclose(ya.detach().numpy(), yb.detach().numpy(), **tol)
    np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), **tol)
    for (na, pa), (nb, pb) in zip(m_tl.named_parameters(), m_pt.named_parameters()):
        assert na == nb
        np.testing.assert_allclose(pa.grad.numpy(), pb.grad.numpy(), err_msg=na, **tol)
    _same_buffers(m_tl, m_pt)


def _same_buffers(m_tl, m_pt):
    bufs_tl, bufs_pt = dict(m_tl.named_buffers()), dict(m_pt.named_buffers())
    assert bufs_tl.keys() == bufs_pt.keys()
    for k in bufs_pt:
        assert str(bufs_tl[k].dtype) == str(bufs_pt[k].dtype)
        np.testing.assert_allclose(bufs_tl[k].numpy(), bufs_pt[k].numpy(), err_msg=k, **TOL)


BATCHNORM = [
    ("BatchNorm1d", (3,), {}, (4, 3)),
    ("BatchNorm1d", (3,), {"momentum": None}, (4, 3, 5)),
    ("BatchNorm2d", (3,), {}, (2, 3, 4, 4)),
    ("BatchNorm2d", (3,), {"momentum": None, "eps": 1e-3}, (2, 3, 2, 3)),
    ("BatchNorm2d", (3,), {"affine": False}, (2, 3, 2, 2)),
    ("BatchNorm2d", (3,), {"bias": False, "momentum": 0.3}, (2, 3, 2, 2)),
    ("BatchNorm2d", (3,), {"track_running_stats": False}, (2, 3, 2, 2)),
    ("BatchNorm3d", (2,), {}, (2, 2, 2, 2, 3)),
]


@pytest.mark.parametrize(
    "name,args,kwargs,shape", BATCHNORM, ids=[f"{n}{k}" for n, _, k, _ in BATCHNORM]
)
def test_batchnorm_train_steps_then_eval(name, args, kwargs, shape):
    m_tl, m_pt = _pair(name, *args, **kwargs)
    for _ in range(3):
        _step(m_tl, m_pt, _data(*shape))
    if m_pt.track_running_stats:
        assert m_tl.num_batches_tracked.item() == 3
    m_tl.eval()
    m_pt.eval()
    _step(m_tl, m_pt, _data(*shape))


def test_batchnorm_buffers_and_state_dict_metadata():
    bn = tl.nn.BatchNorm2d(4)
    assert bn.num_batches_tracked.dtype is tl.int64
    np.testing.assert_array_equal(bn.running_mean.numpy(), np.zeros(4))
    np.testing.assert_array_equal(bn.running_var.numpy(), np.ones(4))
    np.testing.assert_array_equal(bn.weight.detach().numpy(), np.ones(4))
    np.testing.assert_array_equal(bn.bias.detach().numpy(), np.zeros(4))
    sd = tl.nn.Sequential(bn).state_dict()
    assert sd._metadata["0"] == {"version": 2}
    assert list(sd.keys()) == [
        "0.weight",
        "0.bias",
        "0.running_mean",
        "0.running_var",
        "0.num_batches_tracked",
    ]
    no_stats = tl.nn.BatchNorm1d(4, track_running_stats=False)
    assert no_stats.running_mean is None and no_stats.num_batches_tracked is None
    assert list(no_stats.state_dict().keys()) == ["weight", "bias"]


def test_batchnorm_loads_version_1_checkpoint_without_num_batches_tracked():
    bn = tl.nn.BatchNorm1d(2)
    old = OrderedDict((k, v) for k, v in bn.state_dict().items() if k != "num_batches_tracked")
    old._metadata = OrderedDict({"": {"version": 1}})
    assert repr(bn.load_state_dict(old)) == "<All keys matched successfully>"
    new = OrderedDict(old)
    new._metadata = OrderedDict({"": {"version": 2}})
    with pytest.raises(
        RuntimeError, match='Missing key\\(s\\) in state_dict: "num_batches_tracked"'
    ):
        bn.load_state_dict(new)


def test_batchnorm_input_checks_match_torch():
    for cls, bad in (
        ("BatchNorm1d", (2, 3, 4, 5)),
        ("BatchNorm2d", (2, 3)),
        ("BatchNorm3d", (2, 3, 4, 5)),
    ):
        with pytest.raises(ValueError) as ours:
            getattr(tl.nn, cls)(3)(tl.zeros(*bad))
        with pytest.raises(ValueError) as theirs:
            getattr(pt.nn, cls)(3)(pt.zeros(*bad))
        assert str(ours.value) == str(theirs.value)
    with pytest.raises(
        ValueError,
        match=r"Expected more than 1 value per channel when training, got input size "
        r"torch.Size\(\[1, 3\]\)",
    ):
        tl.nn.BatchNorm1d(3)(tl.zeros(1, 3))
    with pytest.raises(RuntimeError, match="running_mean should contain 3 elements not 4"):
        tl.nn.functional.batch_norm(tl.zeros(2, 3), tl.zeros(4), tl.ones(4), training=True)


def test_functional_batch_norm_updates_given_buffers_lazily():
    x = _data(6, 3)
    rm, rv = tl.zeros(3), tl.ones(3)
    before = tl.metrics.counters()["syncs"]
    out = tl.nn.functional.batch_norm(tl.tensor(x), rm, rv, training=True, momentum=0.5)
    assert tl.metrics.counters()["syncs"] == before  # nothing ran yet
    ref_rm, ref_rv = pt.zeros(3), pt.ones(3)
    ref = pt.nn.functional.batch_norm(pt.tensor(x), ref_rm, ref_rv, training=True, momentum=0.5)
    np.testing.assert_allclose(out.numpy(), ref.numpy(), **TOL)
    np.testing.assert_allclose(rm.numpy(), ref_rm.numpy(), **TOL)
    np.testing.assert_allclose(rv.numpy(), ref_rv.numpy(), **TOL)


NORMS = [
    ("LayerNorm", (5,), {}, (3, 4, 5)),
    ("LayerNorm", ((4, 5),), {"eps": 1e-3}, (3, 4, 5)),
    ("LayerNorm", (5,), {"elementwise_affine": False}, (2, 5)),
    ("LayerNorm", (5,), {"bias": False}, (2, 5)),
    ("GroupNorm", (2, 4), {}, (3, 4, 5)),
    ("GroupNorm", (1, 4), {"affine": False}, (2, 4, 2, 3)),
    ("GroupNorm", (4, 4), {"eps": 1e-2}, (2, 4, 3)),
    ("RMSNorm", (5,), {}, (3, 4, 5)),
    ("RMSNorm", ([4, 5],), {"eps": 1e-3}, (3, 4, 5)),
    ("RMSNorm", (5,), {"elementwise_affine": False}, (2, 5)),
    ("LocalResponseNorm", (3,), {}, (2, 5, 4)),
    ("LocalResponseNorm", (2,), {"alpha": 0.1, "beta": 0.5, "k": 2.0}, (2, 6, 3, 3)),
    ("InstanceNorm1d", (3,), {}, (2, 3, 5)),
    ("InstanceNorm1d", (3,), {"affine": True}, (3, 5)),
    ("InstanceNorm2d", (3,), {"affine": True}, (2, 3, 4, 4)),
    ("InstanceNorm3d", (2,), {}, (2, 2, 2, 3, 2)),
]


@pytest.mark.parametrize(
    "name,args,kwargs,shape", NORMS, ids=[f"{n}{a}{k}" for n, a, k, _ in NORMS]
)
def test_norm_layer_matches_torch(name, args, kwargs, shape):
    m_tl, m_pt = _pair(name, *args, **kwargs)
    _step(m_tl, m_pt, _data(*shape))


def test_instance_norm_running_stats_train_then_eval():
    m_tl, m_pt = _pair("InstanceNorm2d", 3, affine=True, track_running_stats=True, momentum=0.2)
    for _ in range(2):
        _step(m_tl, m_pt, _data(2, 3, 3, 4))
    m_tl.eval()
    m_pt.eval()
    _step(m_tl, m_pt, _data(2, 3, 3, 4))


def test_norm_errors_match_torch():
    with pytest.raises(
        ValueError, match=r"num_channels \(5\) must be divisible by num_groups \(2\)"
    ):
        tl.nn.GroupNorm(2, 5)
    with pytest.raises(
        RuntimeError,
        match=r"Given normalized_shape=\[4\], expected input with shape \[\*, 4\], "
        r"but got input of size\[2, 3\]",
    ):
        tl.nn.LayerNorm(4)(tl.zeros(2, 3))
    with pytest.raises(ValueError, match=r"expected 3D or 4D input \(got 2D input\)"):
        tl.nn.InstanceNorm2d(3)(tl.zeros(2, 3))
    with pytest.raises(ValueError, match="Expected more than 1 spatial element when training"):
        tl.nn.InstanceNorm1d(3)(tl.zeros(2, 3, 1))
    with pytest.raises(ValueError, match="Expected 3D or higher dimensionality input"):
        tl.nn.LocalResponseNorm(2)(tl.zeros(2, 3))


@pytest.mark.parametrize("p,dim", [(2.0, 1), (1.0, 0), (3.0, -1), (float("inf"), 1)])
def test_normalize_matches_torch(p, dim):
    x = _data(3, 4)
    x[1] = 0.0  # a zero row: finite result and gradient
    a, b = tl.tensor(x, requires_grad=True), pt.tensor(x, requires_grad=True)
    ya = tl.nn.functional.normalize(a, p=p, dim=dim)
    yb = pt.nn.functional.normalize(b, p=p, dim=dim)
    (ya * ya.detach().sin()).sum().backward()
    (yb * yb.detach().sin()).sum().backward()
    np.testing.assert_allclose(ya.detach().numpy(), yb.detach().numpy(), **TOL)
    np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), **TOL)


def test_functional_forms_match_torch():
    x = _data(2, 4, 3)
    w, b = RNG.uniform(0.5, 1.5, 4).astype(np.float32), RNG.standard_normal(4).astype(np.float32)
    F, G = tl.nn.functional, pt.nn.functional
    cases = [
        (
            F.group_norm(tl.tensor(x), 2, tl.tensor(w), tl.tensor(b)),
            G.group_norm(pt.tensor(x), 2, pt.tensor(w), pt.tensor(b)),
        ),
        (F.layer_norm(tl.tensor(x), [3]), G.layer_norm(pt.tensor(x), [3])),
        (F.rms_norm(tl.tensor(x), (4, 3)), G.rms_norm(pt.tensor(x), (4, 3))),
        (F.instance_norm(tl.tensor(x)), G.instance_norm(pt.tensor(x))),
        (F.local_response_norm(tl.tensor(x), 3), G.local_response_norm(pt.tensor(x), 3)),
        (
            F.batch_norm(tl.tensor(x), tl.tensor(b), tl.tensor(w)),
            G.batch_norm(pt.tensor(x), pt.tensor(b), pt.tensor(w)),
        ),
    ]
    for ours, theirs in cases:
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), **TOL)


def test_batchnorm_float64_module():
    m_tl, m_pt = _pair("BatchNorm1d", 3, dtype=None)
    m_tl.double()
    m_pt.double()
    x = RNG.standard_normal((5, 3))
    ya, yb = m_tl(tl.tensor(x)), m_pt(pt.tensor(x))
    assert ya.dtype is tl.float64
    np.testing.assert_allclose(ya.detach().numpy(), yb.detach().numpy(), rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(m_tl.running_var.numpy(), m_pt.running_var.numpy(), rtol=1e-7)
