"""torch.stft / istft and torch.histogram / histogramdd against PyTorch."""

import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")
import torchlike  # noqa: E402


def _np(v):
    return v.detach().numpy() if hasattr(v, "detach") else v


def _same(a, b, atol=1e-5):
    if isinstance(a, (tuple, list)):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            _same(x, y, atol)
        return
    assert tuple(a.shape) == tuple(b.shape)
    assert str(a.dtype) == str(b.dtype)
    np.testing.assert_allclose(_np(b), _np(a), atol=atol, rtol=1e-5)


SIGNAL = np.random.RandomState(0).randn(2, 200).astype(np.float32)

STFT = {
    "default": {},
    "no_center": {"center": False},
    "constant_pad": {"pad_mode": "constant"},
    "normalized": {"normalized": True},
    "two_sided": {"onesided": False},
    "short_window": {"hop_length": 7, "win_length": 20, "window": "hann20"},
}


def _stft_kwargs(t, case):
    kw = {"window": t.hann_window(32)}
    kw.update(STFT[case])
    if isinstance(kw["window"], str):
        kw["window"] = t.hann_window(20)
    return kw


@pytest.mark.parametrize("case", sorted(STFT))
def test_stft_and_istft_round_trip_match_pytorch(case):
    def run(t):
        x = t.tensor(SIGNAL)
        kw = _stft_kwargs(t, case)
        spec = t.stft(x, 32, return_complex=True, **kw)
        kw.pop("pad_mode", None)
        back = t.istft(spec, 32, length=200, **kw) if kw.get("center", True) else None
        return spec, back

    (s1, b1), (s2, b2) = run(torch), run(torchlike)
    _same(s1, s2)
    if b1 is not None:
        _same(b1, b2)
        np.testing.assert_allclose(_np(b2), SIGNAL, atol=1e-5)


def test_stft_real_output_and_complex_input_match_pytorch():
    def run(t):
        x = t.tensor(SIGNAL[0])
        w = t.hann_window(32)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            real = t.stft(x, 32, window=w, return_complex=False)
        z = t.stft(x.to(t.complex64), 32, window=w)
        return real, z, t.istft(z, 32, window=w, return_complex=True), x.stft(32, window=w, return_complex=True)

    _same(run(torch), run(torchlike))


def test_stft_gradient_matches_pytorch():
    def run(t):
        x = t.tensor(SIGNAL[0], requires_grad=True)
        t.stft(x, 32, window=t.hann_window(32), return_complex=True).abs().sum().backward()
        return x.grad

    _same(run(torch), run(torchlike), atol=1e-4)


STFT_ERRORS = {
    "no_return_complex": lambda t, x: t.stft(x, 16, window=t.ones(16)),
    "window_size": lambda t, x: t.stft(x, 16, window=t.ones(5), return_complex=True),
    "win_length": lambda t, x: t.stft(x, 16, win_length=20, return_complex=True),
    "n_fft": lambda t, x: t.stft(x, 200, center=False, return_complex=True),
    "hop": lambda t, x: t.stft(x, 16, hop_length=0, return_complex=True),
    "dims": lambda t, x: t.stft(x.reshape(2, 2, 25), 16, return_complex=True),
    "istft_real": lambda t, x: t.istft(t.stft(x, 16, return_complex=True).real, 16),
    "istft_freq": lambda t, x: t.istft(t.stft(x, 16, return_complex=True)[:5], 16),
    "istft_two_sided": lambda t, x: t.istft(t.stft(x, 16, return_complex=True), 16, onesided=False),
    "istft_hop": lambda t, x: t.istft(t.stft(x, 16, return_complex=True), 16, hop_length=20),
    "istft_window": lambda t, x: t.istft(t.stft(x, 16, return_complex=True), 16, window=t.ones(3)),
    "istft_envelope": lambda t, x: t.istft(t.stft(x, 16, return_complex=True), 16, window=t.zeros(16)),
    "istft_onesided_complex": lambda t, x: t.istft(t.stft(x, 16, return_complex=True), 16, return_complex=True),
}


@pytest.mark.parametrize("case", sorted(STFT_ERRORS))
def test_stft_errors_match_pytorch(case):
    def err(t):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with pytest.raises(RuntimeError) as info:
                STFT_ERRORS[case](t, t.tensor(SIGNAL[0, :100]))
        return str(info.value)

    assert err(torchlike) == err(torch)


VALUES = np.random.RandomState(2).randn(50).astype(np.float32)

HIST = {
    "bins": lambda t, x: t.histogram(x, 7),
    "range_weight_density": lambda t, x: t.histogram(x, 5, range=(-1.0, 1.0), weight=x.abs(), density=True),
    "edges": lambda t, x: x.histogram(t.tensor([-2.0, 0.0, 0.5, 3.0])),
    "constant": lambda t, x: t.histogram(t.tensor([1.0, 1.0, 1.0]), 4),
    "empty": lambda t, x: t.histogram(t.tensor([]), 2),
    "float64": lambda t, x: t.histogram(x.double(), 3),
    "dd": lambda t, x: t.histogramdd(t.tensor([[0.0, 1.0], [1.0, 0.0], [2.0, 0.0], [2.0, 2.0]]), bins=[3, 3],
                                     weight=t.tensor([1.0, 2.0, 4.0, 8.0])),
    "dd_density": lambda t, x: t.histogramdd(x.reshape(25, 2), bins=[2, 3], density=True),
    "dd_range": lambda t, x: t.histogramdd(x.reshape(25, 2), bins=4, range=[-1.0, 1.0, 0.0, 2.0]),
}


@pytest.mark.parametrize("case", sorted(HIST))
def test_histogram_matches_pytorch(case):
    r1 = HIST[case](torch, torch.tensor(VALUES))
    r2 = HIST[case](torchlike, torchlike.tensor(VALUES))
    assert type(r2).__name__ == type(r1).__name__
    _same(r1.hist, r2.hist)
    _same(r1.bin_edges, r2.bin_edges)


HIST_ERRORS = {
    "int": lambda t: t.histogram(t.tensor([1, 2]), 3),
    "zero_bins": lambda t: t.histogram(t.tensor([1.0, 2.0]), 0),
    "bad_range": lambda t: t.histogram(t.tensor([1.0, 2.0]), 3, range=(2.0, 1.0)),
    "nan": lambda t: t.histogram(t.tensor([1.0, float("nan")]), 3),
}


@pytest.mark.parametrize("case", sorted(HIST_ERRORS))
def test_histogram_errors_match_pytorch(case):
    with pytest.raises(Exception) as ours:
        HIST_ERRORS[case](torchlike)
    with pytest.raises(Exception) as theirs:
        HIST_ERRORS[case](torch)
    assert (type(ours.value), str(ours.value)) == (type(theirs.value), str(theirs.value)) or (
        type(ours.value).__name__ == type(theirs.value).__name__ and str(ours.value) == str(theirs.value)
    )
