"""The order PyTorch's CPU ``torch.sort(..., stable=False)`` gives equal keys, on the host.

ATen's CPU sort kernel (for tensors below the radix-sort size) is ``std::sort`` over (key, index)
pairs; ``std::sort`` (introsort: median-of-three quicksort down to runs of 16, heapsort past the
depth limit, then insertion sort) is not stable, so equal keys come out in an order that depends
on the whole input. Code that feeds that order onward sees it: ``pack_padded_sequence(...,
enforce_sorted=False)`` sorts the lengths this way, and its ``sorted_indices`` decide which
sequence meets which row of a packed dropout mask. ``cpu_sort_indices`` replays the libstdc++
algorithm step by step on a 1-D NumPy array of keys (small inputs: lengths, not activations).
"""

from __future__ import annotations

import numpy as np

_THRESHOLD = 16  # libstdc++'s _S_threshold


def cpu_sort_indices(keys, descending: bool = False) -> np.ndarray:
    """The permutation ``torch.sort(torch.tensor(keys), descending=descending)`` returns on the CPU."""
    vals = [float(v) if isinstance(v, (float, np.floating)) else v for v in np.asarray(keys).reshape(-1).tolist()]
    if descending:

        def less(a, b):  # ATen's KeyValueCompDesc: NaN first, then larger
            return (a != a and b == b) or a > b
    else:

        def less(a, b):  # KeyValueCompAsc: NaN last
            return (a == a and b != b) or a < b

    items = [(v, i) for i, v in enumerate(vals)]

    def comp(x, y):
        return less(x[0], y[0])

    n = len(items)
    if n > 1:
        _introsort_loop(items, 0, n, 2 * (n.bit_length() - 1), comp)
        _final_insertion_sort(items, 0, n, comp)
    return np.asarray([i for _, i in items], np.int64)


def _introsort_loop(a, first, last, depth, comp):
    while last - first > _THRESHOLD:
        if depth == 0:
            _heap_sort(a, first, last, comp)
            return
        depth -= 1
        cut = _partition_pivot(a, first, last, comp)
        _introsort_loop(a, cut, last, depth, comp)
        last = cut


def _partition_pivot(a, first, last, comp):
    mid = first + (last - first) // 2
    _move_median_to_first(a, first, first + 1, mid, last - 1, comp)
    lo, hi, pivot = first + 1, last, a[first]
    while True:
        while comp(a[lo], pivot):
            lo += 1
        hi -= 1
        while comp(pivot, a[hi]):
            hi -= 1
        if not lo < hi:
            return lo
        a[lo], a[hi] = a[hi], a[lo]
        lo += 1


def _move_median_to_first(a, result, i, j, k, comp):
    if comp(a[i], a[j]):
        if comp(a[j], a[k]):
            m = j
        elif comp(a[i], a[k]):
            m = k
        else:
            m = i
    elif comp(a[i], a[k]):
        m = i
    elif comp(a[j], a[k]):
        m = k
    else:
        m = j
    a[result], a[m] = a[m], a[result]


def _final_insertion_sort(a, first, last, comp):
    if last - first > _THRESHOLD:
        _insertion_sort(a, first, first + _THRESHOLD, comp)
        for i in range(first + _THRESHOLD, last):
            _linear_insert(a, i, comp)
    else:
        _insertion_sort(a, first, last, comp)


def _insertion_sort(a, first, last, comp):
    for i in range(first + 1, last):
        if comp(a[i], a[first]):
            v = a[i]
            a[first + 1 : i + 1] = a[first:i]
            a[first] = v
        else:
            _linear_insert(a, i, comp)


def _linear_insert(a, last, comp):
    v = a[last]
    nxt = last - 1
    while comp(v, a[nxt]):
        a[last] = a[nxt]
        last = nxt
        nxt -= 1
    a[last] = v


# -- std::make_heap / std::sort_heap (the depth-limit fallback) ------------------------------------------


def _heap_sort(a, first, last, comp):
    n = last - first
    for parent in range((n - 2) // 2, -1, -1):
        _adjust_heap(a, first, parent, n, a[first + parent], comp)
    while last - first > 1:
        last -= 1
        v = a[last]
        a[last] = a[first]
        _adjust_heap(a, first, 0, last - first, v, comp)


def _adjust_heap(a, first, hole, length, value, comp):
    top = hole
    child = hole
    while child < (length - 1) // 2:
        child = 2 * (child + 1)
        if comp(a[first + child], a[first + child - 1]):
            child -= 1
        a[first + hole] = a[first + child]
        hole = child
    if (length & 1) == 0 and child == (length - 2) // 2:
        child = 2 * (child + 1)
        a[first + hole] = a[first + child - 1]
        hole = child - 1
    parent = (hole - 1) // 2
    while hole > top and comp(a[first + parent], value):
        a[first + hole] = a[first + parent]
        hole = parent
        parent = (hole - 1) // 2
    a[first + hole] = value
