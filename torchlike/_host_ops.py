"""Data-movement ops on tensors that live in host memory, done in NumPy at once.

A collate function or a dataset's preparation (``torch.cat((bos, torch.tensor(ids), eos))``,
``pad_sequence``, ``torch.stack``) works on tensors made on the host from Python data. Recorded
lazily, those ops joined the next training step's program: one input per sample tensor (hundreds),
a program that depends on every sample's length, compiled again for each batch. PyTorch computes
them at once on the CPU; so does this module, in NumPy, when every input is a plain host array
(no autograd history, not a view, not shared with a NumPy array the user holds) of one dtype.
Copies and concatenation are exact, so the values are the ones the program would have made.
Anything else takes the ordinary (recorded) path, which also raises PyTorch's errors.
"""

from __future__ import annotations

import numpy as np

from ._context import state


def host_arrays(tensors) -> list | None:
    """The host arrays of ``tensors`` when all of them are plain host tensors of one dtype on one
    CPU device (and nothing records or transforms), else None."""
    if state.capture is not None or state.direct or state.eager:
        return None
    arrays = []
    first = tensors[0]
    for t in tensors:
        d = t._data
        if (
            type(d) is not np.ndarray
            or t._base is not None
            or t._requires_grad
            or t._dtype is not first._dtype
            or t._device != first._device
            or t.__dict__.get("_hostref")
            or "_memory_format" in t.__dict__
        ):
            return None
        arrays.append(d)
    return arrays if first._device.type == "cpu" else None


def _wrap(array, like):
    from ._tensor import Tensor

    return Tensor._make(array, like._dtype, like._device)


def cat(tensors, dim):
    """``torch.cat`` of host tensors, or None (the recorded path decides, and raises)."""
    arrays = host_arrays(tensors) if tensors else None
    if arrays is None or not isinstance(dim, int):
        return None
    kept = [a for a in arrays if not (a.ndim == 1 and a.shape[0] == 0)] or arrays[:1]
    ref = kept[0]
    n = max(ref.ndim, 1)
    if ref.ndim == 0 or not -n <= dim < n:
        return None
    d = dim % n
    for a in kept:
        if a.ndim != ref.ndim or any(a.shape[k] != ref.shape[k] for k in range(ref.ndim) if k != d):
            return None
    return _wrap(np.concatenate(kept, axis=d), tensors[0])


def stack(tensors, dim):
    arrays = host_arrays(tensors) if tensors else None
    if arrays is None or not isinstance(dim, int):
        return None
    ref = arrays[0]
    if any(a.shape != ref.shape for a in arrays) or not -(ref.ndim + 1) <= dim <= ref.ndim:
        return None
    return _wrap(np.stack(arrays, axis=dim), tensors[0])


def pad_sequence(sequences, batch_first, padding_value, padding_side):
    arrays = host_arrays(sequences) if sequences else None
    if arrays is None or any(a.ndim == 0 for a in arrays) or type(padding_value) not in (int, float, bool):
        return None
    dtype = arrays[0].dtype
    longest = max(a.shape[0] for a in arrays)
    try:  # the fill value as the sequences' dtype, as the kernel casts it
        fill = np.asarray(padding_value).astype(dtype)
    except (TypeError, ValueError):
        return None
    out = np.empty((len(arrays), longest) + arrays[0].shape[1:], dtype)
    out[...] = fill
    for i, a in enumerate(arrays):
        if padding_side == "right":
            out[i, : a.shape[0]] = a
        else:
            out[i, longest - a.shape[0] :] = a
    if not batch_first:
        out = np.ascontiguousarray(np.swapaxes(out, 0, 1))
    return _wrap(out, sequences[0])
