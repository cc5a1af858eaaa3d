"""Map-style and iterable-style datasets and the ways to combine and split them."""

from __future__ import annotations

import bisect
import itertools
import math
import warnings
from collections.abc import Iterable, Iterator, Sequence
from typing import Generic, TypeVar

from ._host import to_numpy, to_tensor
from ._rng import _randperm

__all__ = [
    "ChainDataset",
    "ConcatDataset",
    "Dataset",
    "IterableDataset",
    "StackDataset",
    "Subset",
    "TensorDataset",
    "random_split",
]

T_co = TypeVar("T_co", covariant=True)
T = TypeVar("T")


class Dataset(Generic[T_co]):
    """A map from keys (usually ``0 .. len-1``) to samples; subclasses define ``__getitem__``.

    ``__len__`` is expected by the default samplers; ``__getitems__(indices)`` may be
    defined to fetch a whole batch of samples at once.
    """

    def __getitem__(self, index) -> T_co:
        raise NotImplementedError("Subclasses of Dataset should implement __getitem__.")

    def __add__(self, other: Dataset[T_co]) -> ConcatDataset[T_co]:
        return ConcatDataset([self, other])


class IterableDataset(Dataset[T_co], Iterable[T_co]):
    """A stream of samples; subclasses define ``__iter__``.

    With ``num_workers > 0`` every worker iterates its own copy: use
    :func:`get_worker_info` inside ``__iter__`` to give each worker its share.
    """

    def __add__(self, other: Dataset[T_co]) -> ChainDataset:
        return ChainDataset([self, other])


class TensorDataset(Dataset[tuple]):
    """Samples are the ``index``-th rows of each tensor (all share their first dimension).

    Rows are read from a host copy of each tensor, taken again whenever the tensor changed in
    place (its version counter moved), so indexing never runs a device op and sees what the
    tensor holds now, as PyTorch's does; a batch of rows is gathered with one NumPy take.
    Tensors that require grad are indexed as tensors, so samples keep their graph.
    """

    def __init__(self, *tensors) -> None:
        if any(len(tensor) != len(tensors[0]) for tensor in tensors):
            raise AssertionError("Size mismatch between tensors")
        self.tensors = tensors
        self._host = [None] * len(tensors)  # (version, host array) per tensor

    def _arrays(self) -> list:
        arrays = []
        for i, tensor in enumerate(self.tensors):
            version = getattr(tensor, "_version", None)
            cached = self._host[i]
            if cached is None or version is None or cached[0] != version:
                cached = self._host[i] = (version, to_numpy(tensor))
            arrays.append(cached[1])
        return arrays

    def _tracks_grad(self) -> bool:
        return any(getattr(tensor, "requires_grad", False) for tensor in self.tensors)

    def __getitem__(self, index):
        if self._tracks_grad():
            return tuple(tensor[index] for tensor in self.tensors)
        try:
            return tuple(to_tensor(array[index]) for array in self._arrays())
        except IndexError as error:  # NumPy's "axis" is PyTorch's "dimension"
            raise IndexError(str(error).replace(" for axis ", " for dimension ")) from None

    def _collated_batch(self, indices: list[int]):
        # What default_collate makes of [self[i] for i in indices], in one gather.
        if self._tracks_grad():
            return NotImplemented
        return [to_tensor(array[indices]) for array in self._arrays()]

    def __len__(self) -> int:
        return len(self.tensors[0])

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        arrays = self._arrays()
        state["tensors"] = tuple(arrays)  # a worker sees host arrays, never device tensors
        state["_host"] = [(None, array) for array in arrays]
        return state


class StackDataset(Dataset):
    """Zips datasets of equal length: samples are tuples (positional) or dicts (keywords)."""

    def __init__(self, *args: Dataset, **kwargs: Dataset) -> None:
        if args and kwargs:
            raise ValueError(
                "Supported either ``tuple``- (via ``args``) or"
                "``dict``- (via ``kwargs``) like input/output, but both types are given."
            )
        if not args and not kwargs:
            raise ValueError("At least one dataset should be passed")
        datasets = args or tuple(kwargs.values())
        self._length = len(datasets[0])
        if any(len(dataset) != self._length for dataset in datasets):
            raise ValueError("Size mismatch between datasets")
        self.datasets = args if args else kwargs

    def __getitem__(self, index):
        if isinstance(self.datasets, dict):
            return {key: dataset[index] for key, dataset in self.datasets.items()}
        return tuple(dataset[index] for dataset in self.datasets)

    def __len__(self) -> int:
        return self._length


class ConcatDataset(Dataset[T_co]):
    """The datasets one after another; index ``i`` finds its dataset by bisection."""

    datasets: list[Dataset[T_co]]
    cumulative_sizes: list[int]

    @staticmethod
    def cumsum(sequence: Iterable) -> list[int]:
        return list(itertools.accumulate(len(dataset) for dataset in sequence))

    def __init__(self, datasets: Iterable[Dataset]) -> None:
        self.datasets = list(datasets)
        if not self.datasets:
            raise AssertionError("datasets should not be an empty iterable")
        if any(isinstance(dataset, IterableDataset) for dataset in self.datasets):
            raise AssertionError("ConcatDataset does not support IterableDataset")
        self.cumulative_sizes = self.cumsum(self.datasets)

    def __len__(self) -> int:
        return self.cumulative_sizes[-1]

    def __getitem__(self, idx):
        if idx < 0:
            if -idx > len(self):
                raise ValueError("absolute value of index should not exceed dataset length")
            idx += len(self)
        which = bisect.bisect_right(self.cumulative_sizes, idx)
        offset = self.cumulative_sizes[which - 1] if which > 0 else 0
        return self.datasets[which][idx - offset]

    @property
    def cummulative_sizes(self) -> list[int]:
        warnings.warn(
            "`cummulative_sizes` attribute is renamed to `cumulative_sizes`",
            FutureWarning,
            stacklevel=2,
        )
        return self.cumulative_sizes


class ChainDataset(IterableDataset):
    """Iterable datasets chained one after another, lazily."""

    def __init__(self, datasets: Iterable[Dataset]) -> None:
        self.datasets = datasets

    def _checked(self) -> Iterator[IterableDataset]:
        for dataset in self.datasets:
            if not isinstance(dataset, IterableDataset):
                raise AssertionError("ChainDataset only supports IterableDataset")
            yield dataset

    def __iter__(self):
        for dataset in self._checked():
            yield from dataset

    def __len__(self) -> int:
        return sum(len(dataset) for dataset in self._checked())


class Subset(Dataset[T_co]):
    """The samples of ``dataset`` at ``indices``, renumbered from 0."""

    dataset: Dataset[T_co]
    indices: Sequence[int]

    def __init__(self, dataset: Dataset[T_co], indices: Sequence[int]) -> None:
        self.dataset = dataset
        self.indices = indices
        if (
            type(self).__getitem__ is not Subset.__getitem__
            and type(self).__getitems__ is Subset.__getitems__
        ):
            raise NotImplementedError(
                f"{type(self).__name__} overrides __getitem__ but not __getitems__. "
                "When subclassing Subset and overriding __getitem__, you must also override "
                "__getitems__ to ensure DataLoader works correctly with your custom logic. "
                "A simple implementation:\n\n"
                "def __getitems__(self, indices):\n"
                "    return [self.__getitem__(idx) for idx in indices]"
            )

    def __getitem__(self, idx):
        if isinstance(idx, list):
            return self.dataset[[self.indices[i] for i in idx]]
        return self.dataset[self.indices[idx]]

    def __getitems__(self, indices: list[int]) -> list:
        parent = [self.indices[i] for i in indices]
        getitems = getattr(self.dataset, "__getitems__", None)
        if callable(getitems):
            return getitems(parent)
        return [self.dataset[i] for i in parent]

    def _collated_batch(self, indices: list[int]):
        collated = getattr(self.dataset, "_collated_batch", None)
        if collated is None or type(self).__getitems__ is not Subset.__getitems__:
            return NotImplemented
        return collated([self.indices[i] for i in indices])

    def __len__(self) -> int:
        return len(self.indices)


def _lengths_from_fractions(fractions: Sequence[float], total: int) -> list[int]:
    lengths = []
    for i, fraction in enumerate(fractions):
        if not 0 <= fraction <= 1:
            raise ValueError(f"Fraction at index {i} is not between 0 and 1")
        lengths.append(math.floor(total * fraction))
    for i in range(total - sum(lengths)):  # hand out the remainder round-robin
        lengths[i % len(lengths)] += 1
    for i, length in enumerate(lengths):
        if length == 0:
            warnings.warn(
                f"Length of split at index {i} is 0. This might result in an empty dataset.",
                stacklevel=3,
            )
    return lengths


def random_split(
    dataset: Dataset[T], lengths: Sequence[int | float], generator=None
) -> list[Subset[T]]:
    """Split ``dataset`` at random into non-overlapping subsets of the given lengths.

    ``lengths`` may be fractions summing to 1: each split gets
    ``floor(fraction * len(dataset))`` items and the remainder is handed out one
    by one, round-robin from the first split.
    """
    if math.isclose(sum(lengths), 1) and sum(lengths) <= 1:
        lengths = _lengths_from_fractions(lengths, len(dataset))
    if sum(lengths) != len(dataset):
        raise ValueError("Sum of input lengths does not equal the length of the input dataset!")
    order = _randperm(sum(lengths), generator)
    ends = itertools.accumulate(lengths)
    return [Subset(dataset, order[end - length : end]) for end, length in zip(ends, lengths)]
