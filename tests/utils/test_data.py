"""torchlike.utils.data against torch.utils.data: collate, datasets, samplers, DataLoader."""

from __future__ import annotations

import collections

import numpy as np
import pytest

pt = pytest.importorskip("torch")
import torch.utils.data as ptd
from _data_helpers import assert_same_batch, assert_same_batches, core_ready, host

import torchlike.utils.data as tld

Point = collections.namedtuple("Point", ["x", "y"])


def nested_sample(i: int):
    return {
        "image": np.arange(6, dtype=np.float32).reshape(2, 3) + i,
        "label": i,
        "weight": 0.5 * i,
        "flag": i % 2 == 0,
        "name": f"item{i}",
        "raw": b"bytes",
        "np_scalar": np.float32(i) / 4,
        "np_int": np.int16(i),
        "point": Point(np.array([i, i + 1], dtype=np.int32), (i, float(i))),
        "pair": (i, [np.uint8(i), 2.0]),
        "nested": {"a": [i, i * 2], "b": np.array(i, dtype=np.float64)},
    }


class MapDataset:
    """A plain map-style dataset (not even a Dataset subclass, as PyTorch allows)."""

    def __init__(self, n: int):
        self.n = n

    def __getitem__(self, i):
        return nested_sample(i)

    def __len__(self):
        return self.n


class Stream(tld.IterableDataset):
    def __init__(self, n: int):
        self.n = n

    def __iter__(self):
        return iter(nested_sample(i) for i in range(self.n))

    def __len__(self):
        return self.n


class PtStream(ptd.IterableDataset):
    def __init__(self, n: int):
        self.n = n

    def __iter__(self):
        return iter(nested_sample(i) for i in range(self.n))

    def __len__(self):
        return self.n


class FixedSeedGenerator:
    """Stands in for a torchlike.Generator: only initial_seed() is used."""

    def __init__(self, seed: int):
        self.seed = seed

    def initial_seed(self) -> int:
        return self.seed


# --- collate -----------------------------------------------------------------


def test_default_collate_nested_structures_match_pytorch():
    batch = [nested_sample(i) for i in range(4)]
    assert_same_batch(tld.default_collate(batch), ptd.default_collate(batch))


def test_default_collate_python_numbers_become_float64_int64_bool():
    floats = tld.default_collate([1.5, 2.0])
    ints = tld.default_collate([1, 2])
    bools = tld.default_collate([True, False])
    assert host(floats).dtype == np.float64
    assert host(ints).dtype == np.int64
    assert host(bools).dtype == np.bool_
    assert_same_batch(tld.default_collate([1, 2.5]), ptd.default_collate([1, 2.5]))


def test_default_collate_tuples_become_lists_and_their_string_columns_stay_tuples():
    assert tld.default_collate(["a", "b"]) == ["a", "b"]
    assert type(tld.default_collate([("a", 1), ("b", 2)])) is list
    batch = [("a", 1, ["x", "y"]), ("b", 2, ["z", "w"])]
    ours, theirs = tld.default_collate(batch), ptd.default_collate(batch)
    assert ours[0] == theirs[0] == ("a", "b")
    assert ours[2] == theirs[2] == [("x", "z"), ("y", "w")]
    point = tld.default_collate([Point("p", 1), Point("q", 2)])
    assert point.x == ptd.default_collate([Point("p", 1), Point("q", 2)]).x == ("p", "q")
    assert tld.default_collate([{"s": "a"}, {"s": "b"}])["s"] == ["a", "b"]


def test_default_convert_matches_pytorch():
    for sample in [nested_sample(3), np.arange(4), np.float64(2.0), [np.int8(1), "s", 3]]:
        assert_same_batch(tld.default_convert(sample), ptd.default_convert(sample))
    strings = np.array(["a", "b"])
    assert tld.default_convert(strings) is strings


@pytest.mark.parametrize(
    "batch, error",
    [
        ([np.array(["a"]), np.array(["b"])], TypeError),
        ([object(), object()], TypeError),
        ([[1, 2], [1]], RuntimeError),
        ([np.zeros(2), np.zeros(3)], RuntimeError),
    ],
)
def test_default_collate_errors_match_pytorch(batch, error):
    with pytest.raises(error) as theirs:
        ptd.default_collate(batch)
    with pytest.raises(error) as ours:
        tld.default_collate(batch)
    first_line = str(theirs.value).split(" at 0x")[0]  # object reprs differ
    assert str(ours.value).split(" at 0x")[0] == first_line


def test_collate_fn_map_extends_default_collate():
    from torchlike.utils.data._utils.collate import collate, default_collate_fn_map

    class Box:
        def __init__(self, v):
            self.v = v

    def collate_box(batch, *, collate_fn_map=None):
        return [b.v for b in batch]

    result = collate(
        [{"b": Box(1)}, {"b": Box(2)}], collate_fn_map={Box: collate_box, **default_collate_fn_map}
    )
    assert result == {"b": [1, 2]}


# --- datasets ----------------------------------------------------------------


def test_tensor_dataset_rows_and_length():
    x = np.arange(12, dtype=np.float32).reshape(6, 2)
    y = np.arange(6)
    ours = tld.TensorDataset(x, y)
    theirs = ptd.TensorDataset(pt.from_numpy(x), pt.from_numpy(y))
    assert len(ours) == len(theirs) == 6
    for i in (0, 5, -1):
        assert_same_batch(ours[i], theirs[i])
    with pytest.raises(AssertionError, match="Size mismatch between tensors"):
        tld.TensorDataset(x, y[:3])


def test_tensor_dataset_gathered_batches_equal_per_sample_collate():
    x = np.arange(24, dtype=np.float32).reshape(8, 3)
    y = np.arange(8)
    ds = tld.TensorDataset(x, y)
    gathered = list(tld.DataLoader(ds, batch_size=3, shuffle=False))
    per_sample = [
        tld.default_collate([ds[i] for i in idx]) for idx in ([0, 1, 2], [3, 4, 5], [6, 7])
    ]
    theirs = list(
        ptd.DataLoader(ptd.TensorDataset(pt.from_numpy(x), pt.from_numpy(y)), batch_size=3)
    )
    assert_same_batches(gathered, theirs)
    assert_same_batches(per_sample, theirs)


def test_concat_subset_stack_and_chain_datasets_match_pytorch():
    a, b = list(range(3)), list(range(10, 15))
    ours, theirs = tld.ConcatDataset([a, b]), ptd.ConcatDataset([a, b])
    assert len(ours) == len(theirs) == 8
    assert [ours[i] for i in range(-8, 8)] == [theirs[i] for i in range(-8, 8)]
    assert ours.cumulative_sizes == theirs.cumulative_sizes
    with pytest.raises(ValueError, match="absolute value of index"):
        ours[-9]
    with pytest.raises(AssertionError, match="does not support IterableDataset"):
        tld.ConcatDataset([Stream(2)])

    subset = tld.Subset(b, [4, 0, 2])
    assert [subset[i] for i in range(3)] == [14, 10, 12] and len(subset) == 3
    assert subset.__getitems__([0, 2]) == [14, 12]

    stacked = tld.StackDataset(a, a)
    assert stacked[1] == (1, 1) and len(stacked) == 3
    assert tld.StackDataset(x=a, y=a)[2] == {"x": 2, "y": 2}
    with pytest.raises(ValueError, match="Size mismatch"):
        tld.StackDataset(a, b)

    chained = Stream(2) + Stream(3)
    assert isinstance(chained, tld.ChainDataset) and len(chained) == 5
    assert [s["label"] for s in chained] == [0, 1, 0, 1, 2]
    assert isinstance(tld.Subset(a, [0]) + tld.Subset(a, [1]), tld.ConcatDataset)


def test_dataset_base_class_requires_getitem():
    with pytest.raises(NotImplementedError):
        tld.Dataset()[0]


@pytest.mark.parametrize(
    "n, lengths", [(10, [3, 7]), (30, [0.3, 0.3, 0.4]), (11, [0.5, 0.5]), (7, [0.1, 0.2, 0.7])]
)
def test_random_split_sizes_match_pytorch_and_partition_the_dataset(n, lengths):
    ours = tld.random_split(range(n), lengths, generator=FixedSeedGenerator(0))
    theirs = ptd.random_split(range(n), lengths, generator=pt.Generator().manual_seed(0))
    assert [len(s) for s in ours] == [len(s) for s in theirs]
    indices = [i for subset in ours for i in subset.indices]
    assert sorted(indices) == list(range(n))


def test_random_split_generator_is_reproducible_and_errors():
    first = tld.random_split(range(20), [5, 15], generator=FixedSeedGenerator(3))
    again = tld.random_split(range(20), [5, 15], generator=FixedSeedGenerator(3))
    assert first[0].indices == again[0].indices
    numpy_gen = tld.random_split(range(20), [5, 15], generator=np.random.default_rng(1))
    assert sorted(numpy_gen[0].indices + numpy_gen[1].indices) == list(range(20))
    with pytest.raises(ValueError, match="Sum of input lengths does not equal"):
        tld.random_split(range(5), [2, 2])
    with pytest.raises(ValueError, match="Fraction at index 1 is not between 0 and 1"):
        tld.random_split(range(5), [0.5, 1.2, -0.7])
    with pytest.warns(UserWarning, match=r"Length of split at index [12] is 0"):
        tld.random_split(range(2), [0.9, 0.05, 0.05])


# --- DataLoader (main process) -----------------------------------------------


@pytest.mark.parametrize("batch_size, drop_last", [(1, False), (3, False), (3, True), (10, False)])
def test_dataloader_sequential_batches_match_pytorch(batch_size, drop_last):
    ds = MapDataset(8)
    ours = tld.DataLoader(ds, batch_size=batch_size, drop_last=drop_last)
    theirs = ptd.DataLoader(ds, batch_size=batch_size, drop_last=drop_last)
    assert len(ours) == len(theirs)
    assert_same_batches(ours, theirs)


def test_dataloader_explicit_sampler_and_batch_sampler_match_pytorch():
    ds = MapDataset(9)
    order = [5, 2, 7, 0, 8, 1]
    assert_same_batches(
        tld.DataLoader(ds, batch_size=4, sampler=order),
        ptd.DataLoader(ds, batch_size=4, sampler=order),
    )
    batches = [[3, 1], [0], [8, 6, 4]]
    ours = tld.DataLoader(ds, batch_sampler=batches)
    assert len(ours) == 3
    assert_same_batches(ours, ptd.DataLoader(ds, batch_sampler=batches))


def test_dataloader_batch_size_none_converts_without_batching():
    ds = MapDataset(3)
    assert_same_batches(tld.DataLoader(ds, batch_size=None), ptd.DataLoader(ds, batch_size=None))


def test_dataloader_custom_collate_fn_receives_the_sample_list():
    loader = tld.DataLoader(range(5), batch_size=2, collate_fn=lambda samples: sum(samples))
    assert list(loader) == [1, 5, 4]


def test_dataloader_shuffle_visits_every_index_once_per_epoch():
    ds = tld.TensorDataset(np.arange(23))
    loader = tld.DataLoader(ds, batch_size=4, shuffle=True)
    epochs = []
    for _ in range(2):
        seen = np.concatenate([host(batch[0]) for batch in loader])
        assert sorted(seen.tolist()) == list(range(23))
        epochs.append(seen.tolist())
    assert epochs[0] != epochs[1]
    assert len(loader) == 6


def test_dataloader_generator_makes_shuffling_reproducible():
    def order(seed):
        loader = tld.DataLoader(
            range(16), batch_size=16, shuffle=True, generator=FixedSeedGenerator(seed)
        )
        return host(next(iter(loader))).tolist()

    assert order(1) == order(1)
    assert sorted(order(1)) == list(range(16))


def test_dataloader_iterable_dataset_matches_pytorch():
    for batch_size, drop_last in [(3, False), (3, True), (None, False)]:
        ours = tld.DataLoader(Stream(7), batch_size=batch_size, drop_last=drop_last)
        theirs = ptd.DataLoader(PtStream(7), batch_size=batch_size, drop_last=drop_last)
        assert len(ours) == len(theirs)
        assert_same_batches(ours, theirs)


def test_dataloader_warns_when_iterable_dataset_yields_more_than_its_len():
    class Liar(Stream):
        def __len__(self):
            return 2

    class PtLiar(ptd.IterableDataset):
        def __iter__(self):
            return iter(range(4))

        def __len__(self):
            return 2

        def __repr__(self):
            return "Liar"

    Liar.__repr__ = lambda self: "Liar"

    def messages(lib, dataset):
        loader = lib.DataLoader(dataset, batch_size=None)
        len(loader)
        with pytest.warns(UserWarning, match="was reported to be 2") as caught:
            list(loader)
        return [str(w.message) for w in caught]

    assert messages(tld, Liar(4)) == messages(ptd, PtLiar())


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(num_workers=-1),
        dict(timeout=-1),
        dict(prefetch_factor=2),
        dict(num_workers=1, prefetch_factor=-1),
        dict(persistent_workers=True),
        dict(sampler=[0, 1], shuffle=True),
        dict(batch_sampler=[[0]], batch_size=2),
        dict(batch_sampler=[[0]], shuffle=True),
        dict(batch_sampler=[[0]], sampler=[0]),
        dict(batch_sampler=[[0]], drop_last=True),
        dict(batch_size=None, drop_last=True),
        dict(multiprocessing_context="fork"),
        dict(num_workers=1, multiprocessing_context="no-such-method"),
        dict(num_workers=1, multiprocessing_context=3),
    ],
)
def test_dataloader_argument_errors_match_pytorch(kwargs):
    with pytest.raises((ValueError, TypeError)) as theirs:
        ptd.DataLoader(range(4), **kwargs)
    with pytest.raises(theirs.type) as ours:
        tld.DataLoader(range(4), **kwargs)
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parametrize(
    "kwargs", [dict(shuffle=True), dict(sampler=[0]), dict(batch_sampler=[[0]])]
)
def test_dataloader_iterable_dataset_rejects_samplers_like_pytorch(kwargs):
    with pytest.raises(ValueError) as theirs:
        ptd.DataLoader(PtStream(2), **kwargs)
    with pytest.raises(ValueError) as ours:
        tld.DataLoader(Stream(2), **kwargs)
    assert str(ours.value).split(" but got")[0] == str(theirs.value).split(" but got")[0]


def test_dataloader_attributes_are_frozen_after_init():
    loader = tld.DataLoader(range(4))
    with pytest.raises(ValueError, match="batch_size attribute should not be set after DataLoader"):
        loader.batch_size = 2
    loader.num_workers = 0  # other attributes stay settable, as in PyTorch


def test_dataloader_pin_memory_is_accepted():
    batches = list(
        tld.DataLoader(range(4), batch_size=2, pin_memory=True, pin_memory_device="cuda")
    )
    assert [host(b).tolist() for b in batches] == [[0, 1], [2, 3]]


def test_get_worker_info_is_none_in_the_main_process():
    assert tld.get_worker_info() is None


@pytest.mark.skipif(not core_ready(), reason="needs the torchlike Tensor core")
def test_batches_are_torchlike_tensors_of_the_collated_arrays():
    import torchlike

    ds = tld.TensorDataset(torchlike.from_numpy(np.arange(6, dtype=np.float32)))
    (batch,) = next(iter(tld.DataLoader(ds, batch_size=4)))
    assert isinstance(batch, torchlike.Tensor)
    assert tuple(batch.shape) == (4,)
    np.testing.assert_array_equal(batch.numpy(), [0, 1, 2, 3])


@pytest.mark.skipif(not core_ready(), reason="needs the torchlike Tensor core")
def test_torchlike_generator_drives_shuffling_and_splits():
    import torchlike

    def epochs(seed):
        sampler = tld.RandomSampler(range(40), generator=torchlike.Generator().manual_seed(seed))
        return [list(sampler), list(sampler)]

    assert epochs(3) == epochs(3)
    assert epochs(3)[0] != epochs(3)[1] and epochs(3) != epochs(4)
    split = lambda: tld.random_split(
        range(10), [0.5, 0.5], generator=torchlike.Generator().manual_seed(1)
    )
    assert split()[0].indices == split()[0].indices


@pytest.mark.skipif(not core_ready(), reason="needs the torchlike Tensor core")
def test_global_seed_makes_default_shuffling_reproducible():
    import torchlike

    def order():
        torchlike.manual_seed(123)
        return list(tld.RandomSampler(range(30)))

    assert order() == order()


@pytest.mark.parametrize(
    "batch",
    [[1, "a"], [1, None], [2.5, None], [2.5, "x"], [1, 2**70], [2**70, 1], [1.5, 1 + 2j]],
    ids=repr,
)
def test_default_collate_python_number_errors_match_pytorch(batch):
    """Python numbers collate through torch.tensor(batch) (float64 for floats): its errors."""
    with pytest.raises(Exception) as theirs:
        ptd.default_collate(batch)
    with pytest.raises(type(theirs.value)) as ours:
        tld.default_collate(batch)
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parametrize(
    "make",
    [
        lambda m: [m.ones(2), m.arange(2)],
        lambda m: [m.arange(2), m.ones(2, dtype=m.float16)],
        lambda m: [np.ones(2, np.float32), np.arange(2)],
        lambda m: [np.float32(1), np.int64(2)],
        lambda m: [np.int8(1), np.uint8(200)],
        lambda m: [1, 1 + 2j],
        lambda m: [np.float64(1.5), 2],
    ],
)
def test_default_collate_promotes_dtypes_as_torch_stack(make):
    """float32 stacked with int64 is float32 (NumPy would say float64)."""
    import torchlike

    assert_same_batch(tld.default_collate(make(torchlike)), ptd.default_collate(make(pt)))


def test_default_collate_names_the_sample_that_is_not_a_tensor():
    import torchlike

    with pytest.raises(TypeError) as theirs:
        ptd.default_collate([pt.ones(2), np.ones(2)])
    with pytest.raises(TypeError) as ours:
        tld.default_collate([torchlike.ones(2), np.ones(2)])
    assert str(ours.value) == str(theirs.value)


@pytest.mark.skipif(not core_ready(), reason="needs the torchlike Tensor core")
def test_default_collate_keeps_the_graph_of_samples_requiring_grad():
    import torchlike

    w = torchlike.tensor([1.0, 2.0], requires_grad=True)
    batch = tld.default_collate([w * 2, w * 3])
    assert batch.requires_grad and type(batch.grad_fn).__name__ == "StackBackward0"
    batch.sum().backward()
    assert w.grad.tolist() == [5.0, 5.0]


def test_default_collate_fn_map_is_keyed_by_the_tensor_class():
    import torchlike
    from torchlike.utils.data._utils.collate import collate_tensor_fn, default_collate_fn_map

    assert default_collate_fn_map[torchlike.Tensor] is collate_tensor_fn
    seen = []

    def mine(batch, *, collate_fn_map=None):
        seen.append(len(batch))
        return "mine"

    from torchlike.utils.data._utils.collate import collate

    assert collate([torchlike.ones(1)] * 3, collate_fn_map={torchlike.Tensor: mine}) == "mine"
    assert seen == [3]


def test_dataloader_pin_memory_warns_like_pytorch_without_an_accelerator():
    import warnings

    import torchlike

    if torchlike.accelerator.is_available() or pt.accelerator.is_available():
        pytest.skip("the warning is for hosts without an accelerator")

    def messages(lib):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            list(lib.DataLoader(range(4), batch_size=2, pin_memory=True))
            list(lib.DataLoader(range(4), batch_size=2, pin_memory=True, pin_memory_device="x"))
        return [str(w.message) for w in caught]

    assert messages(tld) == messages(ptd)


@pytest.mark.skipif(not core_ready(), reason="needs the torchlike Tensor core")
def test_tensor_dataset_sees_in_place_changes_of_its_tensors():
    import torchlike

    def rows(m):
        x = m.arange(6.0).reshape(3, 2)
        ds = (tld if m is torchlike else ptd).TensorDataset(x)
        first = ds[0][0].tolist()
        x[0, 0] = 100.0
        x.sub_(1)
        loader = (tld if m is torchlike else ptd).DataLoader(ds, batch_size=3)
        return first, ds[0][0].tolist(), next(iter(loader))[0].tolist()

    assert rows(torchlike) == rows(pt)


@pytest.mark.skipif(not core_ready(), reason="needs the torchlike Tensor core")
def test_tensor_dataset_of_tensors_requiring_grad_keeps_the_graph():
    import torchlike

    w = torchlike.ones(4, 2, requires_grad=True)
    ds = tld.TensorDataset(w * 3, torchlike.arange(4))
    x, i = ds[1]
    assert x.requires_grad and not i.requires_grad
    (batch,) = [b for b, _ in tld.DataLoader(ds, batch_size=4)]
    batch.sum().backward()
    assert w.grad.tolist() == [[3.0, 3.0]] * 4


def test_data_mistakes_raise_pytorchs_errors():
    def error(fn, *args):
        with pytest.raises(Exception) as caught:
            fn(*args)
        return type(caught.value).__name__, str(caught.value)

    for lib in (tld, ptd):
        assert error(lib.IterableDataset)[0] == "TypeError"  # abstract __iter__
    cases = [
        lambda lib: next(iter(lib.DataLoader(range(3), timeout=1))),
        lambda lib: __import__("pickle").dumps(iter(lib.DataLoader(range(3)))),
        lambda lib: lib.TensorDataset(np.zeros((3, 2)) if lib is tld else pt.zeros(3, 2))[3],
        lambda lib: lib.TensorDataset(np.zeros(3) if lib is tld else pt.zeros(3))[[0, -5]],
    ]
    for case in cases:
        assert error(case, tld) == error(case, ptd)
