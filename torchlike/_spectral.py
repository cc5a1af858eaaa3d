"""``torch.stft`` / ``torch.istft`` (and the Tensor methods), written with torch ops: frames by
``unfold``, the transform by ``torch.fft``, the inverse's overlap-add by ``nn.functional.fold``;
autograd comes from those ops. Arguments, defaults, checks and warnings follow PyTorch's
SpectralOps.cpp."""

from __future__ import annotations

import warnings

_warned: set = set()


def _warn_once(key: str, message: str) -> None:
    if key not in _warned:  # (TORCH_WARN_ONCE)
        _warned.add(key)
        warnings.warn(message, UserWarning, stacklevel=3)


def _desc(t) -> str:
    return f"{t.type()}[{', '.join(map(str, t.shape))}]"


def _window_desc(window) -> str:
    return "None" if window is None else f"{window.type()}{{[{', '.join(map(str, window.shape))}]}}"


def _flag(v) -> str:
    return "None" if v is None else str(int(bool(v)))


def _padded_window(window, win_length: int, n_fft: int, like):
    import torchlike

    if window is None:
        window = torchlike.ones(win_length, dtype=like.real.dtype if like.is_complex() else like.dtype,
                                device=like.device)
    if win_length < n_fft:  # centred in n_fft
        left = (n_fft - win_length) // 2
        window = torchlike.nn.functional.pad(window, (left, n_fft - win_length - left))
    return window


def stft(input, n_fft: int, hop_length=None, win_length=None, window=None, center: bool = True,  # noqa: A002
         pad_mode: str = "reflect", normalized: bool = False, onesided=None, return_complex=None,
         align_to_window=None):
    """Short-time Fourier transform: ``(*, n_fft // 2 + 1 or n_fft, n_frames)`` complex values."""
    import torchlike
    from torchlike import fft
    from torchlike.nn import functional as F

    if window is None:
        _warn_once(
            "stft_window",
            "A window was not provided. A rectangular window will be applied,which is known to cause spectral "
            "leakage. Other windows such as torch.hann_window or torch.hamming_window are recommended to reduce "
            "spectral leakage.To suppress this warning and use a rectangular window, explicitly set "
            "`window=torch.ones(n_fft, device=<device>)`.",
        )
    complex_in = input.is_complex() or (window is not None and window.is_complex())
    if return_complex is None:
        if not complex_in:
            raise RuntimeError(
                "stft requires the return_complex parameter be given for real inputs, and will further require "
                "that return_complex=True in a future PyTorch release."
            )
        return_complex = True
    if not return_complex:
        _warn_once(
            "stft_real",
            "stft with return_complex=False is deprecated. In a future pytorch release, stft will return complex "
            "tensors for all inputs, and return_complex=False will raise an error.\nNote: you can still call "
            "torch.view_as_real on the complex output to recover the old return format.",
        )
    if center:
        pad = n_fft // 2
        shape = list(input.shape)
        extended = [1] * (3 - len(shape)) + shape
        input = F.pad(input.view(extended), (pad, pad), mode=pad_mode).view(shape[:-1] + [shape[-1] + 2 * pad])  # noqa: A001
    hop = n_fft // 4 if hop_length is None else hop_length
    win = n_fft if win_length is None else win_length

    def fail(what):
        raise RuntimeError(
            f"stft({_desc(input)}, n_fft={n_fft}, hop_length={hop}, win_length={win}, window={_window_desc(window)}, "
            f"normalized={_flag(normalized)}, onesided={_flag(onesided)}, return_complex={_flag(return_complex)}, "
            f"align_to_window={align_to_window}) : {what}"
        )

    if input.dim() not in (1, 2):
        fail("expected a 1D or 2D tensor")
    length = input.shape[-1]
    if not 0 < n_fft <= length:
        fail(f"expected 0 < n_fft < {length}, but got n_fft={n_fft}")
    if hop <= 0:
        fail(f"expected hop_length > 0, but got hop_length={hop}")
    if not 0 < win <= n_fft:
        fail(f"expected 0 < win_length <= n_fft, but got win_length={win}")
    if window is not None and (window.dim() != 1 or window.shape[0] != win):
        fail(f"expected a 1D window tensor of size equal to win_length={win}, but got window with size {list(window.shape)}")
    if onesided is None:
        onesided = not complex_in
    elif onesided and complex_in:
        raise RuntimeError("Cannot have onesided output if window or input is complex")
    win_t = _padded_window(window, win, n_fft, input)
    frames = input.unfold(-1, n_fft, hop) * win_t  # (*, n_frames, n_fft)
    norm = "ortho" if normalized else "backward"
    spec = fft.rfft(frames, n=n_fft, norm=norm) if onesided else fft.fft(frames, n=n_fft, norm=norm)
    out = spec.transpose(-1, -2)
    return out if return_complex else torchlike.view_as_real(out)


def istft(input, n_fft: int, hop_length=None, win_length=None, window=None, center: bool = True,  # noqa: A002
          normalized: bool = False, onesided=None, length=None, return_complex: bool = False):
    """Inverse of ``stft``: overlap-add of the windowed inverse transforms, divided by the window
    envelope."""
    import torchlike
    from torchlike import fft
    from torchlike.nn import functional as F

    if window is None:
        _warn_once(
            "istft_window",
            "A window was not provided. A rectangular window will be applied.Please provide the same window used "
            "by stft to make the inversion lossless.To suppress this warning and use a rectangular window, "
            "explicitly set `window=torch.ones(n_fft, device=<device>)`.",
        )
    if not input.is_complex():
        raise RuntimeError(
            "istft requires a complex-valued input tensor matching the output from stft with return_complex=True."
        )
    hop = n_fft // 4 if hop_length is None else hop_length
    win = n_fft if win_length is None else win_length
    head = (
        f"istft({_istft_desc(input)}, n_fft={n_fft}, hop_length={hop}, win_length={win}, "
        f"window={_window_desc(window)}, center={int(bool(center))}, normalized={int(bool(normalized))}, "
        f"onesided={_flag(onesided)}, length={length}, return_complex={int(bool(return_complex))}) "
    )
    if input.dim() not in (2, 3):
        raise RuntimeError(head + f": expected a tensor with 3 or 4 dimensions, but got {input.dim() + 1}")
    if onesided is None:
        onesided = input.shape[-2] != n_fft
    expected_freq = n_fft // 2 + 1 if onesided else n_fft
    if input.shape[-2] != expected_freq:
        rule = "n_fft / 2 + 1 when onesided=True" if onesided else "n_fft when onesided=False"
        raise RuntimeError(
            head + ": expected the frequency dimension (3rd to the last) of the input tensor to match "
            f"{rule}, but got {input.shape[-2]}"
        )
    if not 0 < hop <= win:
        raise RuntimeError(head + ": expected 0 < hop_length <= win_length")
    if not 0 < win <= n_fft:
        raise RuntimeError(head + ": expected 0 < win_length <= n_fft")
    if window is not None and (window.dim() != 1 or window.shape[0] != win):
        raise RuntimeError(head + ": Invalid window shape. window has to be 1D and length of `win_length`")
    if onesided and return_complex:
        raise RuntimeError("Cannot have onesided output if window or input is complex")
    batched = input.dim() == 3
    spec = input if batched else input.unsqueeze(0)
    frames = spec.transpose(-1, -2)  # (B, n_frames, freq)
    norm = "ortho" if normalized else "backward"
    frames = fft.irfft(frames, n=n_fft, norm=norm) if onesided else fft.ifft(frames, n=n_fft, norm=norm)
    if not return_complex and frames.is_complex():
        frames = frames.real
    win_t = _padded_window(window, win, n_fft, frames)
    n_frames = frames.shape[-2]
    expected_len = n_fft + hop * (n_frames - 1)
    frames = frames * win_t

    def overlap_add(cols):  # cols: (B, n_frames, n_fft) -> (B, expected_len)
        cols = cols.transpose(-1, -2)
        out = F.fold(cols, output_size=(1, expected_len), kernel_size=(1, n_fft), stride=(1, hop))
        return out.reshape(cols.shape[0], expected_len)

    if frames.is_complex():
        y = torchlike.complex(overlap_add(frames.real), overlap_add(frames.imag))
    else:
        y = overlap_add(frames)
    env = overlap_add((win_t.abs() ** 2 if win_t.is_complex() else win_t * win_t).expand(1, n_frames, n_fft))
    start = n_fft // 2 if center else 0
    end = expected_len if length is None else min(start + length, expected_len)
    if length is None and center:
        end = expected_len - n_fft // 2
    y = y[..., start:end]
    env = env[..., start:end]
    if bool((env.abs() < 1e-11).any()):
        raise RuntimeError(head + "window overlap add min: 1\n[ CPUBoolType{} ]")
    y = y / env
    if length is not None and y.shape[-1] < length:
        y = F.pad(y, (0, length - y.shape[-1]))
    return y if batched else y.squeeze(0)


def _istft_desc(t) -> str:
    names = {"complex64": "CPUComplexFloatType", "complex128": "CPUComplexDoubleType"}
    return f"{names.get(str(t.dtype).split('.')[-1], t.type())}[{', '.join(map(str, t.shape))}]"

