"""torch.fft against PyTorch: values, result dtypes and shapes, n/s/dim/norm, gradients, errors.

Complex results are compared through ``view_as_real`` and complex inputs are built from real
leaves (``view_as_complex``), so gradients are checked with respect to real tensors.
"""

import numpy as np
import pytest
from parity import randn

pytest.importorskip("torch")

NORMS = [None, "backward", "ortho", "forward"]


def _real(torch, r):
    return torch.view_as_real(r.resolve_conj()) if r.dtype.is_complex else r


def _cplx(torch, pair):
    return torch.view_as_complex(pair)


@pytest.mark.parametrize("norm", NORMS)
@pytest.mark.parametrize("name", ["fft", "ifft", "rfft", "ihfft"])
def test_one_dim_transforms_of_real_input(parity, name, norm):
    parity(lambda torch, x: _real(torch, getattr(torch.fft, name)(x, norm=norm)), [randn(3, 8)])
    parity(lambda torch, x: _real(torch, getattr(torch.fft, name)(x, n=5, dim=0, norm=norm)), [randn(3, 8)])
    parity(lambda torch, x: _real(torch, getattr(torch.fft, name)(x, n=11)), [randn(3, 8)])


@pytest.mark.parametrize("norm", NORMS)
@pytest.mark.parametrize("name", ["fft", "ifft", "irfft", "hfft"])
def test_one_dim_transforms_of_complex_input(parity, name, norm):
    parity(lambda torch, x: _real(torch, getattr(torch.fft, name)(_cplx(torch, x), norm=norm)), [randn(3, 6, 2)])
    parity(lambda torch, x: _real(torch, getattr(torch.fft, name)(_cplx(torch, x), n=7, dim=0, norm=norm)),
           [randn(3, 6, 2)])


@pytest.mark.parametrize("name", ["fft2", "ifft2", "fftn", "ifftn", "rfft2", "rfftn", "ihfft2", "ihfftn"])
def test_multi_dim_transforms_of_real_input(parity, name):
    parity(lambda torch, x: _real(torch, getattr(torch.fft, name)(x)), [randn(2, 4, 6)])
    parity(lambda torch, x: _real(torch, getattr(torch.fft, name)(x, s=(3, 5), norm="ortho")), [randn(2, 4, 6)])
    parity(lambda torch, x: _real(torch, getattr(torch.fft, name)(x, s=(5, -1), dim=(0, 2), norm="forward")),
           [randn(2, 4, 6)])


@pytest.mark.parametrize("name", ["fft2", "ifft2", "fftn", "ifftn", "irfft2", "irfftn", "hfft2", "hfftn"])
def test_multi_dim_transforms_of_complex_input(parity, name):
    parity(lambda torch, x: _real(torch, getattr(torch.fft, name)(_cplx(torch, x))), [randn(2, 4, 5, 2)])
    parity(lambda torch, x: _real(torch, getattr(torch.fft, name)(_cplx(torch, x), s=(3, 6), norm="ortho")),
           [randn(2, 4, 5, 2)])
    parity(lambda torch, x: _real(torch, getattr(torch.fft, name)(_cplx(torch, x), dim=(0, 1))),
           [randn(2, 4, 5, 2)])


def test_result_dtypes_follow_pytorch(parity):
    parity(lambda torch, x: (torch.fft.fft(x).dtype, torch.fft.irfft(torch.fft.rfft(x)).dtype), [randn(8)])
    parity(lambda torch, x: _real(torch, torch.fft.rfft(x)), [randn(8).astype(np.float64)])
    parity(lambda torch, x: _real(torch, torch.fft.fft(x)), [np.arange(6)])
    parity(lambda torch, x: torch.fft.hfft(torch.fft.ihfft(x), n=8), [randn(8).astype(np.float64)])


def test_round_trips_recover_the_signal(parity):
    parity(lambda torch, x: torch.fft.irfft(torch.fft.rfft(x), n=9), [randn(4, 9)])
    parity(lambda torch, x: torch.fft.ifftn(torch.fft.fftn(x)).real, [randn(3, 4, 5)])


def test_gradient_through_spectrum_magnitude(parity):
    parity(lambda torch, x: torch.fft.rfft(x, norm="ortho").abs() ** 2, [randn(2, 16)])
    parity(lambda torch, x: torch.fft.fft2(x).abs().sum(dim=-1), [randn(3, 4, 4)], grad_rtol=1e-4, grad_atol=1e-4)


def test_freq_and_shift_helpers(parity):
    for n, d in ((5, 1.0), (6, 0.3), (1, 2.0)):
        parity(lambda torch, n=n, d=d: torch.fft.fftfreq(n, d), [])
        parity(lambda torch, n=n, d=d: torch.fft.rfftfreq(n, d), [])
    parity(lambda torch: torch.fft.fftfreq(4, dtype=torch.float64), [])
    parity(lambda torch, x: torch.fft.fftshift(x), [randn(4, 5)])
    parity(lambda torch, x: torch.fft.ifftshift(x, dim=1), [randn(4, 5)])
    parity(lambda torch, x: torch.fft.ifftshift(torch.fft.fftshift(x, dim=(0, 1)), dim=(0, 1)), [randn(3, 5)])
    parity(lambda torch: torch.fft.fftshift(torch.fft.fftfreq(7)), [])


def test_grad_fn_names(parity):
    def names(torch, x, c):
        c = torch.view_as_complex(c)
        return tuple(r.grad_fn.name() for r in (
            torch.fft.fft(x), torch.fft.rfft(x), torch.fft.fft2(x), torch.fft.rfftn(x),
            torch.fft.fft(c), torch.fft.irfft(c), torch.fft.hfft(c), torch.fft.irfftn(c),
        ))

    parity(names, [randn(4, 6), randn(4, 6, 2)], grad=True)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda torch, x: torch.fft.fft(x, norm="foo"), 'Invalid normalization mode: "foo"'),
        (lambda torch, x: torch.fft.rfft(torch.fft.fft(x)), "rfft expects a real input tensor, but got ComplexFloat"),
        (lambda torch, x: torch.fft.fft(x, n=0), r"Invalid number of data points \(0\) specified"),
        (lambda torch, x: torch.fft.fft(x, dim=5), r"Dimension out of range"),
        (lambda torch, x: torch.fft.fft2(x[0]), r"Dimension out of range"),
        (lambda torch, x: torch.fft.fftn(x, s=(2, 3), dim=(0,)), "dim and shape arguments must have the same length"),
    ],
)
def test_errors_match_pytorch(parity, call, match):
    parity(call, [randn(4, 6)], grad=False, match=match)


def _sweep():
    from parity import case

    return [
        case("_fft_c2c", "fft", lambda torch, x: _real(torch, torch.fft.fft(x)), [randn(3, 8)]),
        case("_fft_r2c", "rfft", lambda torch, x: _real(torch, torch.fft.rfft(x)), [randn(3, 8)]),
        case("_fft_c2r", "irfft", lambda torch, x: torch.fft.irfft(_cplx(torch, x)), [randn(3, 5, 2)]),
    ]


@pytest.mark.parametrize("fn, inputs, kw", _sweep())
def test_fft_sweep(parity, fn, inputs, kw):
    parity(fn, inputs, **kw)
