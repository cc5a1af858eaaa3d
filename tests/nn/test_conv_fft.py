"""5x5-or-larger 2-d convolutions on XLA:CPU take their gradients by FFT (nn/_functional/_conv_fft.py)
where they measured faster: values, gradients of every order and forward-mode tangents equal
PyTorch's to float32 rounding."""

import jax
import numpy as np
import pytest

import torchlike as tl
from torchlike.nn._functional import _conv_fft

pt = pytest.importorskip("torch")

# (batch, in channels, height, width, out channels, kernel, padding): LeNet's two layers on CIFAR,
# LeNet-5's first on MNIST (padded), a small odd-sized one, and a 7x7 kernel
SHAPES = [
    (16, 3, 32, 32, 6, 5, 0),
    (16, 6, 14, 14, 16, 5, 0),
    (8, 1, 28, 28, 6, 5, 2),
    (3, 2, 9, 11, 3, 5, 1),
    (2, 4, 12, 10, 5, 7, 3),
]


def _close(ours, theirs, rtol=2e-5):
    a, b = np.asarray(ours, np.float64), np.asarray(theirs, np.float64)
    np.testing.assert_allclose(a, b, rtol=rtol, atol=rtol * np.abs(b).max())


@pytest.mark.parametrize("n,c,h,w,o,k,p", SHAPES, ids=[f"{s[1]}to{s[4]}_{s[2]}x{s[3]}_k{s[5]}" for s in SHAPES])
def test_conv2d_values_and_gradients_match_torch(n, c, h, w, o, k, p):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((n, c, h, w)).astype(np.float32)
    wt = (rng.standard_normal((o, c, k, k)) * 0.2).astype(np.float32)
    b = rng.standard_normal(o).astype(np.float32)
    results = []
    for lib in (tl, pt):
        xi = lib.tensor(x, requires_grad=True)
        wi = lib.tensor(wt, requires_grad=True)
        bi = lib.tensor(b, requires_grad=True)
        y = lib.nn.functional.conv2d(xi, wi, bi, padding=p)
        (y.tanh() * lib.arange(y.numel(), dtype=lib.float32).reshape(y.shape).sin()).sum().backward()
        results.append([y.detach().numpy(), xi.grad.numpy(), wi.grad.numpy(), bi.grad.numpy()])
    for ours, theirs in zip(*results):
        _close(ours, theirs)


def test_the_fft_forms_are_taken_where_they_measured_faster():
    x = jax.ShapeDtypeStruct((4, 3, 32, 32), np.float32)
    w = jax.ShapeDtypeStruct((6, 3, 5, 5), np.float32)
    pads = ((0, 0), (0, 0))
    on_cpu = jax.default_backend() == "cpu"
    assert _conv_fft.eligible(x, w, (1, 1), pads, (1, 1), 1, None) is on_cpu
    # the forward stays XLA's convolution (on LeNet's layers PyTorch's sums, bit for bit); both
    # gradients by FFT
    for xs, ws in ((x, w), (jax.ShapeDtypeStruct((4, 6, 14, 14), np.float32), jax.ShapeDtypeStruct((16, 6, 5, 5), np.float32))):
        fwd = str(jax.make_jaxpr(lambda a, b: _conv_fft.conv2d(a, b, pads))(xs, ws))
        assert "conv_general_dilated" in fwd and "fft" not in fwd
        grads = str(jax.make_jaxpr(jax.grad(lambda a, b: _conv_fft.conv2d(a, b, pads).sum(), (0, 1)))(xs, ws))
        assert "fft" in grads
    # not eligible: 3x3 kernels, strides, dilation, groups, half precision, large images
    small_k = jax.ShapeDtypeStruct((6, 3, 3, 3), np.float32)
    assert not _conv_fft.eligible(x, small_k, (1, 1), pads, (1, 1), 1, None)
    assert not _conv_fft.eligible(x, w, (2, 2), pads, (1, 1), 1, None)
    assert not _conv_fft.eligible(x, w, (1, 1), pads, (2, 2), 1, None)
    assert not _conv_fft.eligible(x, jax.ShapeDtypeStruct((6, 1, 5, 5), np.float32), (1, 1), pads, (1, 1), 3, None)
    half = jax.ShapeDtypeStruct((4, 3, 32, 32), np.float16)
    assert not _conv_fft.eligible(half, jax.ShapeDtypeStruct((6, 3, 5, 5), np.float16), (1, 1), pads, (1, 1), 1, None)
    big = jax.ShapeDtypeStruct((1, 3, 224, 224), np.float32)
    assert not _conv_fft.eligible(big, w, (1, 1), pads, (1, 1), 1, None)


def test_double_backward_and_forward_mode_match_torch():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2, 3, 10, 10)).astype(np.float32)
    wt = (rng.standard_normal((4, 3, 5, 5)) * 0.3).astype(np.float32)
    tx = rng.standard_normal(x.shape).astype(np.float32)
    got = {}
    for lib in (tl, pt):
        xi = lib.tensor(x, requires_grad=True)
        wi = lib.tensor(wt, requires_grad=True)
        y = lib.nn.functional.conv2d(xi, wi, padding=2)
        (gx,) = lib.autograd.grad(y.sigmoid().sum(), xi, create_graph=True)
        penalty = (gx.norm() - 1) ** 2  # a WGAN-GP-style gradient penalty
        penalty.backward()
        _, tangent = lib.func.jvp(
            lambda a, lib=lib, w=wi.detach(): lib.nn.functional.conv2d(a, w, padding=2).tanh(),
            (lib.tensor(x),),
            (lib.tensor(tx),),
        )
        got[lib] = [penalty.detach().numpy(), wi.grad.numpy(), xi.grad.numpy(), tangent.numpy()]
    for ours, theirs in zip(got[tl], got[pt]):
        _close(ours, theirs, rtol=1e-4)


def test_float64_matches_torch():
    rng = np.random.default_rng(2)
    x = rng.standard_normal((3, 2, 16, 16))
    wt = rng.standard_normal((3, 2, 5, 5))
    out = []
    for lib in (tl, pt):
        xi = lib.tensor(x, requires_grad=True)
        wi = lib.tensor(wt, requires_grad=True)
        y = lib.nn.functional.conv2d(xi, wi, padding=1)
        y.pow(2).sum().backward()
        out.append([y.detach().numpy(), xi.grad.numpy(), wi.grad.numpy()])
    for ours, theirs in zip(*out):
        np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-10 * np.abs(theirs).max())
