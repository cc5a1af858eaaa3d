"""Fetchers: turn one (batch of) index(es) from the sampler into a collated batch."""

from __future__ import annotations

from .... import _host_views
from .._host import in_worker
from .collate import default_collate


def _settle(sample) -> None:
    """Compute the sample's pending tensors now (one small cached program per sample). A dataset
    that slices or transforms stored tensors returns lazy values; left pending until collation,
    a batch of B samples became one program of B copies of the same ops, compiled anew for each
    batch size in time that grows with B (seconds for a batch of 64)."""
    from ...._engine.graph import Pending
    from ...._tensor import Tensor

    if isinstance(sample, Tensor):
        if sample.requires_grad or type(sample._value()) is not Pending:
            return
        if sample._base is not None and in_worker():
            # a row of a stored tensor (``self.x_data[index]``) in a worker forked after JAX
            # started, which cannot compile the view's program: NumPy indexing of the stored array
            host = _host_views.read(sample)
            if host is not None:
                sample._data = host
                return
        sample._concrete("a DataLoader sample")
    elif isinstance(sample, (tuple, list)):
        for item in sample:
            _settle(item)
    elif isinstance(sample, dict):
        for item in sample.values():
            _settle(item)


def _plain_subset(dataset) -> bool:
    """A Subset (of Subsets) whose __getitems__ is only ``[dataset[i] for i in indices]``: its
    samples are read one by one here, so that each is settled."""
    from ..dataset import Subset

    if not isinstance(dataset, Subset):
        return False
    while isinstance(dataset, Subset) and type(dataset).__getitems__ is Subset.__getitems__:
        dataset = dataset.dataset
    return not isinstance(dataset, Subset) and getattr(dataset, "__getitems__", None) is None


class _MapDatasetFetcher:
    def __init__(self, dataset, auto_collation: bool, collate_fn, drop_last: bool) -> None:
        self.dataset = dataset
        self.auto_collation = auto_collation
        self.collate_fn = collate_fn
        self.drop_last = drop_last

    def fetch(self, index):
        if not self.auto_collation:
            return self.collate_fn(self.dataset[index])
        if self.collate_fn is default_collate:
            # In-memory datasets gather a whole batch at once (same result, one take).
            gather = getattr(self.dataset, "_collated_batch", None)
            if gather is not None:
                batch = gather(index)
                if batch is not NotImplemented:
                    return batch
        getitems = getattr(self.dataset, "__getitems__", None)
        if getitems and not _plain_subset(self.dataset):
            samples = getitems(index)
        else:
            samples = []
            for i in index:
                sample = self.dataset[i]
                _settle(sample)
                samples.append(sample)
        return self.collate_fn(samples)


class _IterableDatasetFetcher:
    def __init__(self, dataset, auto_collation: bool, collate_fn, drop_last: bool) -> None:
        self.dataset_iter = iter(dataset)
        self.auto_collation = auto_collation
        self.collate_fn = collate_fn
        self.drop_last = drop_last
        self.ended = False

    def fetch(self, index):
        """Raises StopIteration once the dataset is exhausted (or only a dropped tail is left)."""
        if self.ended:
            raise StopIteration
        if not self.auto_collation:
            return self.collate_fn(next(self.dataset_iter))
        samples = []
        for _ in index:
            try:
                samples.append(next(self.dataset_iter))
            except StopIteration:
                self.ended = True
                break
        if not samples or (self.drop_last and len(samples) < len(index)):
            raise StopIteration
        return self.collate_fn(samples)


def create_fetcher(is_iterable: bool, dataset, auto_collation, collate_fn, drop_last):
    kind = _IterableDatasetFetcher if is_iterable else _MapDatasetFetcher
    return kind(dataset, auto_collation, collate_fn, drop_last)
