"""torch.autograd.forward_ad: dual tensors, against PyTorch."""

import numpy as np
import pytest

import torchlike as tl

pt = pytest.importorskip("torch")

_RNG = np.random.default_rng(7)
_X = _RNG.standard_normal((3, 4)).astype(np.float32)
_V = _RNG.standard_normal((3, 4)).astype(np.float32)
_W = _RNG.standard_normal((5, 4)).astype(np.float32)


def _tangent(lib, fn):
    """fn(lib, dual x) inside a dual level: (primal, tangent) as NumPy."""
    fwAD = lib.autograd.forward_ad
    with fwAD.dual_level():
        d = fwAD.make_dual(lib.tensor(_X), lib.tensor(_V))
        p, t = fwAD.unpack_dual(fn(lib, d))
        return p.detach().numpy(), (None if t is None else t.detach().numpy())


@pytest.mark.parametrize(
    "fn",
    [
        lambda lib, x: x.sin() * x.exp() + x.pow(3) / (x.abs() + 1),
        lambda lib, x: x @ lib.tensor(_W).T,
        lambda lib, x: lib.nn.functional.linear(x, lib.tensor(_W), lib.ones(5)).tanh(),
        lambda lib, x: x.t().reshape(2, 6)[1:, ::2],
        lambda lib, x: x[0].view(4, 1).expand(4, 3) * 2,
        lambda lib, x: lib.cat([x, x * 2], 1).softmax(-1),
        lambda lib, x: x.double().relu().sum(0),
        lambda lib, x: lib.stack(x.unbind(0)).cumsum(1).mean(),
        lambda lib, x: lib.nn.functional.conv2d(x.view(1, 1, 3, 4), lib.ones(2, 1, 2, 2)),
        lambda lib, x: x.max(dim=1).values,
    ],
    ids=[
        "pointwise",
        "matmul",
        "linear",
        "views",
        "expand",
        "cat-softmax",
        "cast-relu-sum",
        "unbind-stack",
        "conv2d",
        "max-dim",
    ],
)
def test_dual_tensor_tangents_match_pytorch(fn):
    (pp, pt_), (tp, tt) = _tangent(pt, fn), _tangent(tl, fn)
    np.testing.assert_allclose(tp, pp, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(tt, pt_, rtol=1e-5, atol=1e-6)
    assert tt.dtype == pt_.dtype


def test_tangents_are_kept_as_given_or_copied_and_end_with_the_level():
    fwAD = tl.autograd.forward_ad
    primal, tangent = tl.tensor(_X), tl.tensor(_V)
    with fwAD.dual_level():
        dual = fwAD.make_dual(primal, tangent)
        assert fwAD.unpack_dual(dual).tangent is tangent
        assert (
            fwAD.unpack_dual(fwAD.make_dual(primal, tangent.T.T.contiguous())).tangent
            is not tangent
        )
        alt = fwAD.make_dual(tl.tensor(_X.T), tangent.T)  # a non-contiguous tangent: copied
        assert fwAD.unpack_dual(alt).tangent is not tangent
        assert (
            fwAD.unpack_dual(fwAD.make_dual(primal.double(), tangent)).tangent.dtype == tl.float64
        )
        out = dual * tl.tensor(_X)
        unpacked = fwAD.unpack_dual(out)
        assert type(unpacked).__name__ == "UnpackedDualTensor" and unpacked._fields == (
            "primal",
            "tangent",
        )
        assert fwAD.unpack_dual(unpacked.primal).tangent is None
        assert fwAD.unpack_dual(tl.ones(2)).tangent is None
    assert fwAD.unpack_dual(out).tangent is None


def test_forward_ad_errors_match_pytorch():
    def message(lib, fn):
        with pytest.raises((RuntimeError, ValueError)) as info:
            fn(lib)
        return type(info.value), str(info.value)

    def nested(lib):
        with lib.autograd.forward_ad.dual_level(), lib.autograd.forward_ad.dual_level():
            pass

    def size(lib):
        with lib.autograd.forward_ad.dual_level():
            lib.autograd.forward_ad.make_dual(lib.ones(2), lib.ones(3))

    def integer(lib):
        with lib.autograd.forward_ad.dual_level():
            lib.autograd.forward_ad.make_dual(lib.ones(2, dtype=lib.int64), lib.ones(2))

    cases = [
        lambda lib: lib.autograd.forward_ad.make_dual(lib.ones(2), lib.ones(2)),
        nested,
        size,
        integer,
    ]
    for fn in cases:
        assert message(tl, fn) == message(pt, fn)


def test_module_with_dual_parameters_and_functional_call():
    def run(lib):
        fwAD = lib.autograd.forward_ad
        lib.manual_seed(0)
        model = lib.nn.Linear(4, 5)
        params = dict(model.named_parameters())
        tangents = {k: lib.ones_like(p) * 0.5 for k, p in params.items()}
        x = lib.tensor(_X)
        with fwAD.dual_level():
            out = lib.func.functional_call(
                model, {k: fwAD.make_dual(p, tangents[k]) for k, p in params.items()}, x
            )
            jvp1 = fwAD.unpack_dual(out).tangent
            for k, p in params.items():
                delattr(model, k)
                setattr(model, k, fwAD.make_dual(p, tangents[k]))
            jvp2 = fwAD.unpack_dual(model(x)).tangent
        return jvp1, jvp2

    for a, b in zip(run(pt), run(tl)):
        assert a.requires_grad == b.requires_grad  # (the tangent depends on the parameters)
        np.testing.assert_allclose(b.detach().numpy(), a.detach().numpy(), rtol=1e-5, atol=1e-6)


def _exp_function(lib, with_jvp=True):
    class Exp(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x, k):
            assert (
                lib.autograd.forward_ad.unpack_dual(x).tangent is None
            )  # the forward sees primals
            ctx.result = x.exp() * k
            return ctx.result

        @staticmethod
        def backward(ctx, g):
            return g * ctx.result, None

    if with_jvp:
        Exp.jvp = staticmethod(lambda ctx, gx, gk: gx * ctx.result)
    return Exp


def test_custom_function_jvp_and_gradcheck_forward_ad():
    def run(lib):
        fwAD = lib.autograd.forward_ad
        Exp = _exp_function(lib)
        x = lib.tensor(_X, dtype=lib.float64, requires_grad=True)
        with fwAD.dual_level():
            out = Exp.apply(fwAD.make_dual(x, lib.tensor(_V)), 2.0)
            tangent = fwAD.unpack_dual(out).tangent
        ok = lib.autograd.gradcheck(
            lambda t: Exp.apply(t, 2.0),
            (x[:1, :2],),
            check_forward_ad=True,
            check_backward_ad=False,
        )
        return tangent.detach().numpy(), ok

    (pt_t, pt_ok), (tl_t, tl_ok) = run(pt), run(tl)
    np.testing.assert_allclose(tl_t, pt_t, rtol=1e-6)
    assert pt_ok and tl_ok


def test_custom_function_without_jvp_raises_in_forward_mode():
    for lib in (pt, tl):
        Exp = _exp_function(lib, with_jvp=False)
        with lib.autograd.forward_ad.dual_level():
            d = lib.autograd.forward_ad.make_dual(lib.ones(2), lib.ones(2))
            with pytest.raises(NotImplementedError, match="You must implement the jvp function"):
                Exp.apply(d, 1.0)


def test_gradcheck_forward_ad_catches_a_wrong_jvp():
    Exp = _exp_function(tl, with_jvp=False)
    Exp.jvp = staticmethod(lambda ctx, gx, gk: gx * 3.0)
    x = tl.tensor(_X[:1, :2], dtype=tl.float64, requires_grad=True)
    assert not tl.autograd.gradcheck(
        lambda t: Exp.apply(t, 1.0),
        (x,),
        check_forward_ad=True,
        check_backward_ad=False,
        raise_exception=False,
    )


def test_no_dual_level_records_no_tangent_ops():
    from torchlike._context import state

    x = tl.tensor(_X)
    y = x.sin() * 2
    assert state.dual_level is None
    assert not any(n.op.name.endswith("_jvp") for n in (state.graph.nodes if state.graph else ()))
    assert tl.autograd.forward_ad.unpack_dual(y).tangent is None


def test_forward_mode_through_kernels_with_only_a_vjp():
    """max pooling's kernel is a jax.custom_vjp: its JVP comes from transposing the pullback."""

    def run(lib):
        F = lib.nn.functional
        x, t = lib.tensor(_X).view(1, 1, 3, 4), lib.tensor(_V).view(1, 1, 3, 4)
        fwAD = lib.autograd.forward_ad
        with fwAD.dual_level():
            dual = fwAD.unpack_dual(F.max_pool2d(fwAD.make_dual(x, t), 2)).tangent
        _, func_jvp = lib.func.jvp(lambda a: F.max_pool2d(a, 2).exp(), (x,), (t,))
        hess = lib.func.hessian(lambda a: F.max_pool2d(a, 2).pow(3).sum())(x)
        return dual, func_jvp, hess

    for a, b in zip(run(pt), run(tl)):
        np.testing.assert_allclose(b.numpy(), a.numpy(), rtol=1e-5, atol=1e-6)
