"""``torch.histogram`` / ``torch.histogramdd`` (and ``Tensor.histogram``): counted on the host
(a histogram is not differentiable and its use is a value leaving the device). Bin edges are
``linspace`` in the input's dtype; an element on an edge counts in the bin to its right, the last
edge is inclusive, as in PyTorch's kernel."""

from __future__ import annotations

import numpy as np

from ._ops.registry import accepts_out


def _check_float(input, name="histogramdd"):  # noqa: A002
    if not input.dtype.is_floating_point:
        from ._ops.pointwise import _TYPE_NAMES

        raise NotImplementedError(f'"{name}" not implemented for \'{_TYPE_NAMES.get(input.dtype.name, input.dtype.name)}\'')


def _edges(values: np.ndarray, bins, rng, dim: int, np_dtype, fname: str) -> np.ndarray:
    if not isinstance(bins, int):
        return np.asarray(bins._host("histogram"), dtype=np_dtype)
    if bins <= 0:
        raise RuntimeError(f"{fname}(): bins must be > 0, but got {bins} for dimension {dim}")
    if rng is not None:
        lo, hi = float(rng[0]), float(rng[1])
    elif values.size:
        lo, hi = float(values.min()), float(values.max())
    else:
        lo, hi = 0.0, 1.0
    if lo > hi:
        raise RuntimeError(f"torch.histogramdd: min should not exceed max, but got min {lo:g} max {hi:g} for dimension {dim}")
    if not (np.isfinite(lo) and np.isfinite(hi)):
        raise RuntimeError(f"torch.histogramdd: dimension {dim}'s range [{lo:g}, {hi:g}] is not finite")
    if lo == hi:
        lo, hi = lo - 0.5, hi + 0.5
    import torchlike

    return torchlike.linspace(lo, hi, bins + 1, dtype=_torch_dtype(np_dtype))._host("histogram")


def _torch_dtype(np_dtype):
    from . import _dtype

    return _dtype._BY_NP[np.dtype(np_dtype)]


def _bin_index(col: np.ndarray, edges: np.ndarray) -> np.ndarray:
    idx = np.searchsorted(edges, col, side="right") - 1
    idx[col == edges[-1]] = len(edges) - 2  # the last edge is inclusive
    idx[(col < edges[0]) | (col > edges[-1]) | np.isnan(col)] = -1
    return idx


def histogramdd(input, bins=10, *, range=None, weight=None, density=False):  # noqa: A002
    """Counts (or weights) of the rows of ``input`` (``(*, D)``) in a ``D``-dimensional grid of bins."""
    import torchlike

    from ._ops.reduction import _rt

    _check_float(input)
    values = input._host("histogramdd")
    d = values.shape[-1]
    values = values.reshape(-1, d)
    if isinstance(bins, int):
        bins = [bins] * d
    bins = list(bins)
    ranges = [None] * d if range is None else [range[2 * i: 2 * i + 2] for i in builtins_range(d)]
    edges = [_edges(values[:, i], bins[i], ranges[i], i, values.dtype, "torch.histogramdd") for i in builtins_range(d)]
    w = None if weight is None else weight._host("histogramdd").reshape(-1).astype(np.float64)
    idx = [_bin_index(values[:, i], edges[i]) for i in builtins_range(d)]
    keep = np.all([ix >= 0 for ix in idx], axis=0) if d else np.zeros(0, bool)
    shape = tuple(len(e) - 1 for e in edges)
    hist = np.zeros(shape, np.float64)
    np.add.at(hist, tuple(ix[keep] for ix in idx), 1.0 if w is None else w[keep])
    if density:
        total = hist.sum()
        widths = np.ones(shape)
        for i, e in enumerate(edges):
            widths = widths * np.diff(e).astype(np.float64).reshape([-1 if k == i else 1 for k in builtins_range(d)])
        hist = hist / (total * widths) if total else hist / widths * np.nan
    hist_t = torchlike.from_numpy(hist.astype(values.dtype))
    edges_t = tuple(torchlike.from_numpy(np.ascontiguousarray(e)) for e in edges)
    return _rt("histogramdd", ("hist", "bin_edges"))(hist_t, edges_t)


@accepts_out
def histogram(input, bins=100, *, range=None, weight=None, density=False, out=None):  # noqa: A002
    """Counts (or weights) of ``input``'s elements in ``bins`` bins (a count, or the edges)."""
    from ._ops.reduction import _rt

    _check_float(input)
    if isinstance(bins, int) and bins <= 0:
        raise RuntimeError(f"torch.histogram(): bins must be > 0, but got {bins} for dimension 0")
    res = histogramdd(input.reshape(-1, 1), bins=[bins], range=range, weight=weight, density=density)
    return _rt("histogram", ("hist", "bin_edges"))(res.hist, res.bin_edges[0])


builtins_range = __builtins__["range"] if isinstance(__builtins__, dict) else __builtins__.range
