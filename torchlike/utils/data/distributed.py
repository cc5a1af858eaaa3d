"""DistributedSampler: each of ``num_replicas`` processes reads its own share of a dataset."""

from __future__ import annotations

import math
import sys
from collections.abc import Iterator

from ._rng import _randperm, _seeded_generator
from .dataset import Dataset
from .sampler import Sampler

__all__ = ["DistributedSampler"]


def _distributed():
    import importlib

    try:
        dist = sys.modules.get("torchlike.distributed") or importlib.import_module(
            "torchlike.distributed"
        )
    except ImportError:
        dist = None
    if dist is None or not getattr(dist, "is_available", lambda: False)():
        raise RuntimeError("Requires distributed package to be available")
    return dist


class DistributedSampler(Sampler[int]):
    """Rank ``rank``'s share: every ``num_replicas``-th index of the (shuffled) dataset.

    The index list is padded by repeating its head (or, with ``drop_last``, cut)
    to a multiple of ``num_replicas``, so all ranks get the same number of
    samples. With ``shuffle`` the order is a permutation seeded by
    ``seed + epoch``, identical on every rank: call :meth:`set_epoch` at the
    start of each epoch to get a new order.
    """

    def __init__(
        self,
        dataset: Dataset,
        num_replicas: int | None = None,
        rank: int | None = None,
        shuffle: bool = True,
        seed: int = 0,
        drop_last: bool = False,
    ) -> None:
        if num_replicas is None:
            num_replicas = _distributed().get_world_size()
        if rank is None:
            rank = _distributed().get_rank()
        if rank >= num_replicas or rank < 0:
            raise ValueError(
                f"Invalid rank {rank}, rank should be in the interval [0, {num_replicas - 1}]"
            )
        self.dataset = dataset
        self.num_replicas = num_replicas
        self.rank = rank
        self.epoch = 0
        self.drop_last = drop_last
        if drop_last and len(dataset) % num_replicas != 0:
            self.num_samples = math.ceil((len(dataset) - num_replicas) / num_replicas)
        else:
            self.num_samples = math.ceil(len(dataset) / num_replicas)
        self.total_size = self.num_samples * num_replicas
        self.shuffle = shuffle
        self.seed = seed

    def __iter__(self) -> Iterator[int]:
        n = len(self.dataset)
        if self.shuffle:  # PyTorch's order: randperm of a generator seeded with seed + epoch
            indices = _randperm(n, _seeded_generator(self.seed + self.epoch))
        else:
            indices = list(range(n))
        if self.drop_last:
            indices = indices[: self.total_size]
        else:
            padding = self.total_size - n
            repeats = math.ceil(padding / n) if n else 0
            indices += (indices * repeats)[:padding]
        assert len(indices) == self.total_size
        mine = indices[self.rank : self.total_size : self.num_replicas]
        assert len(mine) == self.num_samples
        return iter(mine)

    def __len__(self) -> int:
        return self.num_samples

    def set_epoch(self, epoch: int) -> None:
        """Set the epoch, which (with ``seed``) determines the shuffle order of the next pass."""
        self.epoch = epoch
