"""nn.utils.rnn: PackedSequence and the pad/pack utilities.

``batch_sizes`` lives on the host (as in PyTorch), so the packed layout (who is where) is computed
there once per distinct ``batch_sizes`` and enters programs as integer index inputs; moving the
data between the padded and packed layouts is one gather op each way (differentiable).

The packed rows number N, the sum of the lengths, which differs from batch to batch. So that a
program does not depend on N where the rows are not needed, packed data made here (by
pack_padded_sequence, or an RNN's packed output) remembers the padded tensor it came from; an RNN
or pad_packed_sequence given it reads that padded tensor, masked by the [T, B] layout, and the
N-row gather drops out of the program unless something else uses it.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from ... import _creation, _host_ops
from ..._cpu_sort import cpu_sort_indices
from ..._dtype import bool_, int64
from ..._tensor import Tensor
from .._functional.rnn import (
    pack_padded_k,
    packed_as_padded_k,
    pad_gather_k,
    pad_packed_k,
    pad_sequence_k,
)

__all__ = [
    "PackedSequence",
    "invert_permutation",
    "pack_padded_sequence",
    "pad_packed_sequence",
    "pad_sequence",
    "unpad_sequence",
    "pack_sequence",
    "unpack_sequence",
]


class PackedSequence_(NamedTuple):
    data: Tensor
    batch_sizes: Tensor
    sorted_indices: Tensor | None
    unsorted_indices: Tensor | None


class PackedSequence(PackedSequence_):
    def __new__(cls, data, batch_sizes=None, sorted_indices=None, unsorted_indices=None):
        if unsorted_indices is None:
            unsorted_indices = invert_permutation(sorted_indices)
        if batch_sizes is not None:
            if batch_sizes.device.type != "cpu":
                raise ValueError(
                    "batch_sizes should always be on CPU. Instances of PackedSequence should never be created "
                    "manually. They should be instantiated by functions like pack_sequence and "
                    "pack_padded_sequences in nn.utils.rnn. "
                    "https://pytorch.org/docs/stable/nn.html#torch.nn.utils.rnn.pack_sequence"
                )
        else:
            if not (isinstance(data, (list, tuple)) and len(data) == 2):
                raise AssertionError("Expected data to be a list or tuple of length 2")
            data, batch_sizes = data
        return super().__new__(cls, data, batch_sizes, sorted_indices, unsorted_indices)

    def pin_memory(self):
        return self

    def to(self, *args, **kwargs):
        data = self.data.to(*args, **kwargs)
        if data is self.data:
            return self

        def move(t):
            return None if t is None else t.to(data.device)

        return type(self)(
            data, self.batch_sizes, move(self.sorted_indices), move(self.unsorted_indices)
        )

    def cuda(self, *args, **kwargs):
        kwargs.setdefault("device", "cuda")
        return self.to(*args, **kwargs)

    def cpu(self, *args, **kwargs):
        kwargs.setdefault("device", "cpu")
        return self.to(*args, **kwargs)

    def double(self):
        return self.to(dtype=_dt("float64"))

    def float(self):
        return self.to(dtype=_dt("float32"))

    def half(self):
        return self.to(dtype=_dt("float16"))

    def long(self):
        return self.to(dtype=_dt("int64"))

    def int(self):
        return self.to(dtype=_dt("int32"))

    def short(self):
        return self.to(dtype=_dt("int16"))

    def char(self):
        return self.to(dtype=_dt("int8"))

    def byte(self):
        return self.to(dtype=_dt("uint8"))

    @property
    def is_cuda(self):
        return self.data.is_cuda

    def is_pinned(self):
        return False


def _dt(name):
    from ... import _dtype

    return getattr(_dtype, name)


def invert_permutation(permutation):
    if permutation is None:
        return None
    return permutation.argsort()


# -- the packed layout, computed on the host -----------------------------------------------------------


class _Layout:
    """Where each packed row sits in the padded [T, B] grid, for one ``batch_sizes``."""

    def __init__(self, batch_sizes: tuple):
        bs = np.asarray(batch_sizes, np.int64)
        self.steps = len(bs)
        self.batch = int(bs[0]) if len(bs) else 0
        self.lengths = (bs[None, :] > np.arange(self.batch)[:, None]).sum(1).astype(np.int64)
        offsets = np.concatenate([[0], np.cumsum(bs)[:-1]]).astype(np.int64)
        grid = np.arange(self.batch)[None, :]
        valid = grid < bs[:, None]
        self.pad_grid = np.where(valid, offsets[:, None] + grid, -1)  # [T, B] packed row or -1
        self._tensors = {}

    def tensor(self, name, array, device, dtype=int64):
        key = (name, str(device))
        t = self._tensors.get(key)
        if t is None:
            t = self._tensors[key] = _creation.tensor(array, dtype=dtype, device=device)
        return t

    def valid(self, device):
        """[T, B] bool: step t of sorted slot b is a packed row."""
        return self.tensor("valid", self.pad_grid >= 0, device, bool_)

    def slots(self, device):
        return self.tensor("slots", np.arange(self.batch, dtype=np.int64), device)

    def pad_index(self, device, total_length=None, batch_first=False):
        steps = max(self.steps, total_length or 0)
        key = ("pad", steps, batch_first)
        t = self._tensors.get((key, str(device)))
        if t is not None:
            return t
        grid = self.pad_grid
        if steps > self.steps:
            grid = np.concatenate([grid, np.full((steps - self.steps, self.batch), -1, np.int64)])
        if batch_first:
            grid = grid.T
        return self.tensor(key, np.ascontiguousarray(grid), device)


@lru_cache(maxsize=256)
def _layout_of(batch_sizes: tuple) -> _Layout:
    return _Layout(batch_sizes)


def _packed_layout(batch_sizes) -> _Layout:
    return _layout_of(tuple(int(b) for b in batch_sizes.tolist()))


def _remember_padded(data, padded, *source):
    """Note on packed ``data`` where its padded rows are: ``padded`` ([T, B, ...] time-major in
    sorted order, zeros past each length), or, with ``source`` = (valid, src, batch_first), the
    padded input of pack_padded_sequence (read through packed_as_padded_k)."""
    data.__dict__["_padded_rows"] = (data._version, padded, source)


def padded_rows(sequence):
    """The time-major, sorted padded rows of a PackedSequence whose data is as this module made
    it (not written to since), as one op on that padded tensor; None for any other."""
    data = sequence.data
    kept = data.__dict__.get("_padded_rows")
    if kept is None or kept[0] != data._version:
        return None
    _, padded, source = kept
    if not source:
        return padded
    valid, src, batch_first = source
    return packed_as_padded_k.frontend(padded, valid, src, batch_first=batch_first)


def pack_rows(padded, layout):
    """An RNN's packed output from its padded time-major output ([T, B, ...], sorted slots)."""
    device = padded.device
    data = pack_padded_k.frontend(
        padded,
        layout.valid(device),
        layout.slots(device),
        rows=int(layout.lengths.sum()),
        batch_first=False,
    )
    _remember_padded(data, padded)
    return data


def _host_lengths(lengths) -> np.ndarray:
    if isinstance(lengths, Tensor):
        return np.asarray(lengths.tolist(), np.int64).reshape(-1)
    return np.asarray(lengths, np.int64).reshape(-1)


# -- public functions ---------------------------------------------------------------------------------------


def pack_padded_sequence(input, lengths, batch_first=False, enforce_sorted=True):  # noqa: A002
    lens = _host_lengths(lengths)
    batch_dim = 0 if batch_first else 1
    batch, steps = input.size(batch_dim), input.size(1 - batch_dim)
    if len(lens) != batch:
        raise RuntimeError(
            f"Expected `len(lengths)` to be equal to batch_size, but got {len(lens)} "
            f"(batch_size={batch})"
        )
    if enforce_sorted:
        perm = None
        if np.any(lens[:-1] < lens[1:]):
            raise RuntimeError(
                "`lengths` array must be sorted in decreasing order when `enforce_sorted` is True. You can pass "
                "`enforce_sorted=False` to pack_padded_sequence and/or pack_sequence to sidestep this requirement "
                "if you do not need ONNX exportability."
            )
    else:
        # torch.sort(lengths, descending=True) as PyTorch's CPU kernel orders equal lengths: the
        # sorted_indices decide which sequence meets which row of an LSTM's packed dropout mask
        perm = cpu_sort_indices(lens, descending=True)
        lens = lens[perm]
    if lens[-1] <= 0:
        raise RuntimeError(
            "Length of all samples has to be greater than 0, but found an element in 'lengths' that is <= 0"
        )
    if lens[0] > steps:
        raise RuntimeError(
            f"Expected the longest length ({lens[0]}) to be at most the padded sequence length "
            f"({steps})"
        )
    batch_sizes = (lens[None, :] > np.arange(lens[0])[:, None]).sum(1)
    layout = _layout_of(tuple(int(b) for b in batch_sizes))
    device = input.device
    # sorted slot b is the input's column src[b]
    sorted_indices = None if perm is None else _creation.tensor(perm, dtype=int64, device=device)
    src = layout.slots(device) if perm is None else sorted_indices
    valid = layout.valid(device)
    data = pack_padded_k.frontend(
        input, valid, src, rows=int(lens.sum()), batch_first=bool(batch_first)
    )
    _remember_padded(data, input, valid, src, bool(batch_first))
    bs_tensor = _creation.tensor(batch_sizes.astype(np.int64), dtype=int64, device="cpu")
    return PackedSequence(data, bs_tensor, sorted_indices, None)


def pad_packed_sequence(sequence, batch_first=False, padding_value=0.0, total_length=None):
    layout = _packed_layout(sequence.batch_sizes)
    if total_length is not None and total_length < layout.steps:
        raise ValueError(
            "Expected total_length to be at least the length of the longest sequence in input, but got "
            f"total_length={total_length} and max sequence length being {layout.steps}"
        )
    data = sequence.data
    rows = padded_rows(sequence)
    if rows is not None:  # (no gather of the N packed rows)
        steps = max(layout.steps, total_length or 0)
        padded = pad_packed_k.frontend(
            rows,
            layout.valid(data.device),
            padding_value,
            steps=steps,
            batch_first=bool(batch_first),
        )
    else:
        index = layout.pad_index(data.device, total_length, batch_first)
        padded = pad_gather_k.frontend(data, index, padding_value)
    lengths = _creation.tensor(layout.lengths, dtype=int64, device="cpu")
    if sequence.unsorted_indices is not None:
        unsorted = sequence.unsorted_indices
        return padded.index_select(0 if batch_first else 1, unsorted), lengths[unsorted.cpu()]
    return padded, lengths


def pad_sequence(sequences, batch_first=False, padding_value=0.0, padding_side="right"):
    if not isinstance(sequences, Iterable):
        raise RuntimeError(
            f"pad_sequence: Expected iterable for input sequences, but got arg of type: {type(sequences)}"
        )
    sequences = list(sequences)
    if not sequences:
        raise RuntimeError("received an empty list of sequences")
    if padding_side not in ("left", "right"):
        raise RuntimeError(
            f"Expected padding_side to be one of left or right, but got {padding_side}."
        )
    trailing = tuple(sequences[0].shape[1:])
    for s in sequences[1:]:
        other = tuple(s.shape[1:])
        if len(other) != len(trailing):
            raise RuntimeError(
                f"The expanded size of the tensor ({len(trailing)}) must match the existing size "
                f"({len(other)})"
            )
        for d, (a, b) in enumerate(zip(trailing, other)):
            if a != b:
                raise RuntimeError(
                    f"The size of tensor a ({a}) must match the size of tensor b ({b}) at non-singleton "
                    f"dimension {d + 1}"
                )
    done = _host_ops.pad_sequence(sequences, bool(batch_first), padding_value, padding_side)
    if done is not None:  # (host tensors, as a collate_fn pads them: NumPy, now)
        return done
    return pad_sequence_k.frontend(
        sequences, padding_value, batch_first=bool(batch_first), padding_side=padding_side
    )


def unpad_sequence(padded_sequences, lengths, batch_first=False):
    lens = _host_lengths(lengths)
    if not batch_first:  # as PyTorch: the caller's tensor is left batch-first
        padded_sequences.transpose_(0, 1)
    # copies, as PyTorch's masked selections are
    return [padded_sequences[b, : int(n)].clone() for b, n in enumerate(lens)]


def pack_sequence(sequences, enforce_sorted=True):
    lengths = [v.size(0) for v in sequences]
    return pack_padded_sequence(pad_sequence(sequences), lengths, enforce_sorted=enforce_sorted)


def unpack_sequence(packed_sequences):
    padded, lengths = pad_packed_sequence(packed_sequences, batch_first=True)
    return unpad_sequence(padded, lengths, batch_first=True)
