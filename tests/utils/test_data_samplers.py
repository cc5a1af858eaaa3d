"""torchlike.utils.data samplers against torch.utils.data's: orders, lengths, distributions."""

from __future__ import annotations

import math

import numpy as np
import pytest

pt = pytest.importorskip("torch")
import torch.utils.data as ptd

import torchlike.utils.data as tld


class FixedSeedGenerator:
    """Stands in for a torchlike.Generator: only initial_seed() is used."""

    def __init__(self, seed: int):
        self.seed = seed

    def initial_seed(self) -> int:
        return self.seed


# --- samplers ----------------------------------------------------------------


def test_sequential_and_batch_sampler_match_pytorch():
    assert list(tld.SequentialSampler(range(5))) == list(ptd.SequentialSampler(range(5)))
    for n, size, drop in [
        (10, 3, False),
        (10, 3, True),
        (9, 3, True),
        (2, 5, False),
        (0, 2, False),
    ]:
        ours = tld.BatchSampler(range(n), size, drop)
        theirs = ptd.BatchSampler(range(n), size, drop)
        assert list(ours) == list(theirs)
        assert len(ours) == len(theirs)


@pytest.mark.parametrize(
    "args",
    [
        dict(batch_size=0, drop_last=False),
        dict(batch_size=True, drop_last=False),
        dict(batch_size=2, drop_last=1),
    ],
)
def test_batch_sampler_argument_errors_match_pytorch(args):
    with pytest.raises(ValueError) as theirs:
        ptd.BatchSampler(range(3), **args)
    with pytest.raises(ValueError) as ours:
        tld.BatchSampler(range(3), **args)
    assert str(ours.value) == str(theirs.value)


def test_random_sampler_visits_every_index_once_and_reshuffles():
    sampler = tld.RandomSampler(range(50))
    first, second = list(sampler), list(sampler)
    assert sorted(first) == sorted(second) == list(range(50))
    assert first != second
    assert len(sampler) == 50


def test_random_sampler_num_samples_and_replacement():
    more = list(tld.RandomSampler(range(10), num_samples=25))
    assert len(more) == 25
    assert sorted(more[:10]) == sorted(more[10:20]) == list(range(10))
    assert len(set(more[20:])) == 5
    drawn = list(tld.RandomSampler(range(4), replacement=True, num_samples=2000))
    assert len(drawn) == 2000 and set(drawn) == {0, 1, 2, 3}
    counts = np.bincount(drawn, minlength=4)
    assert np.all(np.abs(counts - 500) < 120)
    assert len(tld.RandomSampler(range(4), replacement=True, num_samples=7)) == 7


def test_random_sampler_generator_gives_reproducible_epochs():
    a = tld.RandomSampler(range(30), generator=FixedSeedGenerator(7))
    b = tld.RandomSampler(range(30), generator=FixedSeedGenerator(7))
    a_epochs = [list(a), list(a)]
    assert a_epochs == [list(b), list(b)]
    assert a_epochs[0] != a_epochs[1]


@pytest.mark.parametrize(
    "kwargs", [dict(replacement=1), dict(num_samples=0), dict(num_samples=2.0)]
)
def test_random_sampler_argument_errors_match_pytorch(kwargs):
    with pytest.raises((TypeError, ValueError)) as theirs:
        ptd.RandomSampler(range(3), **kwargs)
    with pytest.raises(theirs.type) as ours:
        tld.RandomSampler(range(3), **kwargs)
    assert str(ours.value) == str(theirs.value)


def test_subset_random_sampler_permutes_the_given_indices():
    indices = [3, 9, 4, 12]
    sampler = tld.SubsetRandomSampler(indices)
    assert sorted(sampler) == sorted(indices) and len(sampler) == 4


def test_weighted_random_sampler_frequencies_follow_weights():
    weights = [0.1, 0.2, 0.3, 0.4]
    drawn = list(tld.WeightedRandomSampler(weights, 20000, generator=FixedSeedGenerator(0)))
    frequencies = np.bincount(drawn, minlength=4) / len(drawn)
    np.testing.assert_allclose(frequencies, weights, atol=0.015)
    assert set(tld.WeightedRandomSampler([0.0, 1.0, 0.0], 50)) == {1}


def test_weighted_random_sampler_without_replacement_draws_distinct_indices():
    drawn = list(tld.WeightedRandomSampler([1, 5, 1, 5, 1], 5, replacement=False))
    assert sorted(drawn) == list(range(5))
    # as torch.multinomial: zero weights are drawn last, once the others are used up
    assert list(tld.WeightedRandomSampler([1, 0, 0], 2, replacement=False))[0] == 0
    with pytest.raises(RuntimeError, match="samples without replacement"):
        list(tld.WeightedRandomSampler([1, 0], 3, replacement=False))


@pytest.mark.parametrize("replacement", [True, False])
def test_weighted_random_sampler_draws_pytorch_indices(replacement):
    import torch

    import torchlike as tl

    weights = [0.1, 0.9, 0.4, 0.7, 3.0, 2.0]
    out = []
    for lib, mod in ((torch, ptd), (tl, tld)):
        lib.manual_seed(3)
        g = lib.Generator().manual_seed(5)
        out.append([
            list(mod.WeightedRandomSampler(weights, 6, replacement=replacement)),
            list(mod.WeightedRandomSampler(weights, 4, replacement=replacement, generator=g)),
            lib.rand(2).tolist(),
        ])  # fmt: skip
    assert out[0] == out[1]


@pytest.mark.parametrize(
    "args",
    [([0.5, 0.5], 0, True), ([0.5, 0.5], True, True), ([0.5], 2, 1), ([[0.5], [0.5]], 2, True)],
)
def test_weighted_random_sampler_argument_errors_match_pytorch(args):
    with pytest.raises(ValueError) as theirs:
        ptd.WeightedRandomSampler(*args)
    with pytest.raises(ValueError) as ours:
        tld.WeightedRandomSampler(*args)
    assert str(ours.value) == str(theirs.value)


@pytest.mark.parametrize("n", [10, 11, 3, 1])
@pytest.mark.parametrize("replicas", [1, 3, 4])
@pytest.mark.parametrize("drop_last", [False, True])
def test_distributed_sampler_without_shuffle_matches_pytorch(n, replicas, drop_last):
    for rank in range(replicas):
        ours = tld.DistributedSampler(range(n), replicas, rank, shuffle=False, drop_last=drop_last)
        theirs = ptd.DistributedSampler(
            range(n), replicas, rank, shuffle=False, drop_last=drop_last
        )
        assert list(ours) == list(theirs)
        assert len(ours) == len(theirs)


@pytest.mark.parametrize("n, replicas, drop_last", [(10, 3, False), (10, 3, True), (2, 4, False)])
def test_distributed_sampler_shuffle_pads_like_pytorch(n, replicas, drop_last):
    shards = [
        list(tld.DistributedSampler(range(n), replicas, r, seed=5, drop_last=drop_last))
        for r in range(replicas)
    ]
    theirs = [
        list(ptd.DistributedSampler(range(n), replicas, r, seed=5, drop_last=drop_last))
        for r in range(replicas)
    ]
    assert shards == theirs  # randperm of a generator seeded with seed + epoch: PyTorch's order
    together = [i for shard in shards for i in shard]
    if drop_last:
        assert len(set(together)) == len(together)  # no duplicates, the tail is cut
    else:
        assert set(together) == set(range(n))  # padding only repeats indices
        assert len(together) == math.ceil(n / replicas) * replicas


def test_distributed_sampler_set_epoch_reshuffles_consistently_across_ranks():
    def shards(epoch):
        out = []
        for rank in range(2):
            sampler = tld.DistributedSampler(range(20), num_replicas=2, rank=rank, seed=1)
            sampler.set_epoch(epoch)
            out.append(list(sampler))
        return out

    epoch0, epoch1 = shards(0), shards(1)
    assert sorted(epoch0[0] + epoch0[1]) == list(range(20))
    theirs = ptd.DistributedSampler(range(20), num_replicas=2, rank=1, seed=1)
    theirs.set_epoch(1)
    assert epoch1[1] == list(theirs)
    assert epoch0 != epoch1 and epoch0 == shards(0)
    with pytest.raises(
        ValueError, match=r"Invalid rank 2, rank should be in the interval \[0, 1\]"
    ):
        tld.DistributedSampler(range(4), num_replicas=2, rank=2)
