"""View ops (results alias their base) and the two functionalisation ops behind in-place writes."""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import numpy as np

from .._host_views import decode_index, encode_index  # noqa: F401  (this module's names too)
from .registry import OpDef, op


def _infer_view_shape(shape, numel):
    shape = list(shape)
    for i, s in enumerate(shape):
        if s < -1:
            raise RuntimeError(f"invalid shape dimension {s} at index {i} of shape [{', '.join(map(str, shape))}]")
    neg = [i for i, s in enumerate(shape) if s == -1]
    if len(neg) > 1:
        raise RuntimeError("only one dimension can be inferred")
    known = math.prod(s for s in shape if s != -1)
    if neg:
        if known == 0 and numel == 0:
            raise RuntimeError(
                f"cannot reshape tensor of 0 elements into shape [{', '.join(map(str, shape))}] because the "
                "unspecified dimension size -1 can be any value and is ambiguous"
            )
        if known == 0 or numel % known:
            raise RuntimeError(f"shape '[{', '.join(map(str, shape))}]' is invalid for input of size {numel}")
        shape[neg[0]] = numel // known
    elif known != numel:
        raise RuntimeError(f"shape '[{', '.join(map(str, shape))}]' is invalid for input of size {numel}")
    return tuple(shape)


@op("view", function=False, view=True, grad_name="ViewBackward0")
def view(x, *, shape):
    return x.reshape(_infer_view_shape(shape, x.size))


@op("reshape", view=True, grad_name="ViewBackward0")
def reshape(x, *, shape):
    return x.reshape(_infer_view_shape(shape, x.size))


@op("view_as_dtype", function=False, view=True)
def view_as_dtype(x, *, dtype):
    old, new = x.dtype.itemsize, dtype.np.itemsize
    if new > old:
        from .pointwise import _TYPE_NAMES

        kinds = f"{_TYPE_NAMES[str(x.dtype)]} as {_TYPE_NAMES[np.dtype(dtype.np).name]} (different element sizes)"
        if x.ndim == 0:
            raise RuntimeError(f"self.dim() cannot be 0 to view {kinds}")
        if x.shape[-1] % (new // old):
            raise RuntimeError(f"self.size(-1) must be divisible by {new // old} to view {kinds}, but got {x.shape[-1]}")
    return x.view(dtype.np)


@op("flatten", view=True, grad_name="ViewBackward0")
def flatten(x, *, start_dim=0, end_dim=-1):
    if x.ndim == 0:
        return x.reshape(1)
    s, e = start_dim % x.ndim, end_dim % x.ndim
    if s > e:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    return x.reshape(x.shape[:s] + (-1 if x.size else math.prod(x.shape[s : e + 1]),) + x.shape[e + 1 :])


@op("unflatten", view=True, grad_name="ViewBackward0")
def unflatten(x, *, dim, sizes):
    d = dim % x.ndim
    if not sizes:
        raise RuntimeError("unflatten: sizes must be non-empty")
    n, known = x.shape[d], math.prod(s for s in sizes if s != -1)
    if (math.prod(sizes) != n) if -1 not in sizes else (n % known if known else n != 0):
        raise RuntimeError(
            f"unflatten: Provided sizes {list(sizes)} don't multiply up to the size of dim {d} ({x.shape[d]}) in the "
            "input tensor"
        )
    sizes = _infer_view_shape(sizes, x.shape[d])
    return x.reshape(x.shape[:d] + tuple(sizes) + x.shape[d + 1 :])


def _squeeze_overload(args, attrs):
    dim = dict(attrs).get("dim")
    return None if dim is None else "SqueezeBackward2" if isinstance(dim, tuple) else "SqueezeBackward1"


@op("squeeze", view=True, grad_name="SqueezeBackward0", grad_name_of=_squeeze_overload)
def squeeze(x, *, dim=None):
    if x.ndim == 0:
        return x
    if dim is None:
        return jnp.squeeze(x)
    dims = dim if isinstance(dim, tuple) else (dim,)
    dims = tuple(d % x.ndim for d in dims if x.shape[d % x.ndim] == 1)
    return jnp.squeeze(x, dims) if dims else x


@op("unsqueeze", view=True, grad_name="UnsqueezeBackward0")
def unsqueeze(x, *, dim):
    n = x.ndim + 1
    if not -n <= dim < n:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})")
    return jnp.expand_dims(x, dim % n)


@op("permute", view=True, grad_name="PermuteBackward0")
def permute(x, *, dims):
    if len(dims) != x.ndim:
        raise RuntimeError(
            f"permute(sparse_coo): number of dimensions in the tensor input does not match the length of "
            f"the desired ordering of dimensions i.e. input.dim() = {x.ndim} is not equal to len(dims) = {len(dims)}"
        )
    dims = tuple(d % max(x.ndim, 1) for d in dims)
    if len(set(dims)) != len(dims):
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return jnp.transpose(x, dims)


@op("transpose", view=True, grad_name="TransposeBackward0", aliases=("swapaxes", "swapdims"))
def transpose(x, *, dim0, dim1):
    if x.ndim == 0:
        return x
    return jnp.swapaxes(x, dim0, dim1)


@op("t", view=True, grad_name="TBackward0")
def t(x):
    if x.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {x.ndim}D")
    return x.T


@op("adjoint", view=True)
def adjoint(x):
    return jnp.conj(jnp.swapaxes(x, -1, -2))


@op("movedim", view=True, grad_name="PermuteBackward0", aliases=("moveaxis",))
def movedim(x, *, source, destination):
    return jnp.moveaxis(x, source, destination)


@op("expand", function=False, view=True, grad_name="ExpandBackward0")
def expand(x, *, size):
    size = tuple(size)
    if len(size) < x.ndim:
        from .._dtype import from_np
        from .reduction import _torch_type_name

        raise RuntimeError(
            f"expand(torch.{_torch_type_name(from_np(x.dtype))}Tensor{{[{', '.join(map(str, x.shape))}]}}, "
            f"size=[{', '.join(map(str, size))}]): the number of sizes provided ({len(size)}) must be greater or "
            f"equal to the number of dimensions in the tensor ({x.ndim})"
        )
    lead = len(size) - x.ndim
    out = []
    for i, s in enumerate(size):
        cur = x.shape[i - lead] if i >= lead else 1
        if s == -1:
            if i < lead:
                raise RuntimeError("The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension 0")
            s = cur
        elif cur != 1 and cur != s:
            raise RuntimeError(
                f"The expanded size of the tensor ({s}) must match the existing size ({cur}) at non-singleton "
                f"dimension {i}.  Target sizes: [{', '.join(map(str, size))}].  Tensor sizes: [{', '.join(map(str, x.shape))}]"
            )
        out.append(s)
    return jnp.broadcast_to(x, tuple(out))


@op("narrow", view=True, grad_name="SliceBackward0")
def narrow(x, *, dim, start, length):
    if length < 0:
        raise RuntimeError("narrow(): length must be non-negative.")
    d = dim % x.ndim
    start = start % x.shape[d] if start < 0 else start
    if start + length > x.shape[d]:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({x.shape[d]}).")
    idx = [slice(None)] * x.ndim
    idx[d] = slice(start, start + length)
    return x[tuple(idx)]


@op("select", view=True, grad_name="SelectBackward0")
def select(x, *, dim, index):
    d = dim % x.ndim
    n = x.shape[d]
    if not -n <= index < n:
        raise IndexError(f"select(): index {index} out of range for tensor of size {list(x.shape)} at dimension {dim}")
    idx = [slice(None)] * x.ndim
    idx[d] = index % n
    return x[tuple(idx)]


@op("diagonal", view=True, grad_name="DiagonalBackward0")
def diagonal(x, *, offset=0, dim1=0, dim2=1):
    return jnp.diagonal(x, offset, dim1, dim2)


@op("getitem", function=False, view=True, grad_name="SliceBackward0")
def getitem(x, *, index):
    return x[decode_index(index, ())]


def split_sizes(n, split_size_or_sections, dim):
    """The piece sizes of a split of a dimension of size n (shared with _ops/pieces.py)."""
    if isinstance(split_size_or_sections, int):
        step = split_size_or_sections
        if step < 0:
            raise RuntimeError(f"split expects split_size be non-negative, but got split_size={step}")
        if step == 0 and n:
            raise RuntimeError(
                f"split_size can only be 0 if dimension size is 0, but got dimension size of {n}"
            )
        bounds = list(range(0, n, step)) if step > 0 else [0]
        return [min(step, n - b) for b in bounds] if n else [0]
    sizes = list(split_size_or_sections)
    if sum(sizes) != n:
        raise RuntimeError(
            f"split_with_sizes expects split_sizes to sum exactly to {n} (input tensor's size at dimension "
            f"{dim}), but got split_sizes={sizes}"
        )
    return sizes


@op("split", view=True, grad_name="SplitBackward0")
def split(x, *, split_size_or_sections, dim=0):
    d = dim % x.ndim
    sizes = split_sizes(x.shape[d], split_size_or_sections, dim)
    outs, start = [], 0
    for s in sizes:
        idx = [slice(None)] * x.ndim
        idx[d] = slice(start, start + s)
        outs.append(x[tuple(idx)])
        start += s
    return tuple(outs)


@op("chunk", view=True, grad_name="SplitBackward0")
def chunk(x, *, chunks, dim=0):
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    n = x.shape[dim % x.ndim]
    step = -(-n // chunks) if n else 1
    return split(x, split_size_or_sections=step, dim=dim)


@op("tensor_split", view=True, grad_name="SplitBackward0")
def tensor_split(x, *, indices_or_sections, dim=0):
    if isinstance(indices_or_sections, int):
        return tuple(jnp.array_split(x, indices_or_sections, axis=dim))
    # each piece is x[prev:index] along dim, as Python slices it (past the end: empty pieces)
    bounds = (0, *indices_or_sections, None)
    lead = (slice(None),) * (dim % x.ndim)
    return tuple(x[lead + (slice(a, b),)] for a, b in zip(bounds[:-1], bounds[1:]))


@op("unbind", view=True, grad_name="UnbindBackward0")
def unbind(x, *, dim=0):
    d = dim % x.ndim
    return tuple(jnp.moveaxis(x, d, 0)[i] for i in range(x.shape[d]))


@op("as_strided", view=True, grad_name="AsStridedBackward0")
def as_strided(x, *, size, stride, storage_offset=0):
    flat = x.reshape(-1)
    idx = np.full(tuple(size), storage_offset, dtype=np.int64)
    for d, (n, st) in enumerate(zip(size, stride)):
        shape = [1] * len(size)
        shape[d] = n
        idx = idx + (np.arange(n) * st).reshape(shape)
    return flat[idx]


# Slicing at a Python offset that changes every step (x[i], data[i:i + n] in a training loop) must
# not recompile: the offset is a program input (dynamic slice), only the size is static.


@op("slice_dyn", function=False, view=True, grad_name="SliceBackward0")
def slice_dyn(x, start, *, axis, size):
    return jax.lax.dynamic_slice_in_dim(x, start, size, axis)


@op("select_dyn", function=False, view=True, grad_name="SelectBackward0")
def select_dyn(x, index, *, axis):
    return jax.lax.dynamic_index_in_dim(x, index, axis, keepdims=False)


@op("alias", function=False, view=True, grad_name="AliasBackward0")
def alias(x):
    return x


# -- functionalisation ---------------------------------------------------------------------------


def _apply_chain(x, chain, dyn=()):
    for vop, attrs in chain:
        kw = dict(attrs)
        index = kw.pop("_index", None)
        inputs = kw.pop("_inputs", ())  # dynamic offsets: ("dyn", k) refers to dyn[k]
        inputs = [dyn[v[1]] if type(v) is tuple and v and v[0] == "dyn" else v for v in inputs]
        x = vop.kernel(x, *inputs, **kw)
        if index is not None:
            x = x[index]
    return x


def _split_dynamic(chain):
    """The chain with its dynamic offsets replaced by placeholders, and the offsets (program
    inputs, so a write through x[i] at a changing i does not recompile)."""
    dyn, out = [], []
    for vop, attrs in chain:
        new_attrs = []
        for k, v in attrs:
            if k == "_inputs":
                ph = []
                for x in v:
                    ph.append(("dyn", len(dyn)))
                    dyn.append(x)
                v = tuple(ph)
            new_attrs.append((k, v))
        out.append((vop, tuple(new_attrs)))
    return tuple(out), dyn


def _view_chain_kernel(x, dyn, *, chain):
    return _apply_chain(x, chain, dyn)


def _view_scatter_kernel(base, value, dyn, *, chain):
    if not chain:
        return value.astype(base.dtype)
    for k, (vop, _) in enumerate(chain):
        if vop.name == "view_as_dtype":  # bits reinterpreted: write the bits back through it
            inner = _apply_chain(base, chain[:k], dyn)
            mid = _view_scatter_kernel(_apply_chain(inner, chain[k : k + 1], dyn), value, dyn, chain=chain[k + 1 :])
            return _view_scatter_kernel(base, mid.view(inner.dtype), dyn, chain=chain[:k])
    value = value.astype(base.dtype)
    if len(chain) == 1 and chain[0][0].name == "getitem":
        return base.at[decode_index(dict(chain[0][1])["index"], ())].set(value)
    # which base element each view element is: the chain applied to the positions (a constant,
    # or computed in the program when the chain has dynamic offsets)
    if dyn:
        positions = _apply_chain(jnp.arange(base.size, dtype=jnp.int64).reshape(base.shape), chain, dyn)
    else:
        with jax.ensure_compile_time_eval():
            iota = jnp.arange(base.size, dtype=jnp.int64).reshape(base.shape)
            positions = np.asarray(_apply_chain(iota, chain))
    flat = base.reshape(-1).at[positions.reshape(-1)].set(value.reshape(-1))
    return flat.reshape(base.shape)


def _chain_grad_name(args, attrs):
    chain = dict(attrs)["chain"]  # a deferred piece (_ops/pieces.py) is named as torch names it
    return chain[0][0].grad_name if len(chain) == 1 and chain[0][0].name.endswith("_piece") else None


VIEW_CHAIN = OpDef("view_chain", _view_chain_kernel, grad_name="AsStridedBackward0", grad_name_of=_chain_grad_name)
VIEW_SCATTER = OpDef("view_scatter", _view_scatter_kernel, grad_name="CopySlices")


def apply_view_chain(root, chain, with_grad):
    from .._dispatch import dispatch

    chain, dyn = _split_dynamic(chain)
    return dispatch(VIEW_CHAIN, [root, dyn], (("chain", chain),))


def view_scatter(root, value, chain):
    from .._dispatch import dispatch

    chain, dyn = _split_dynamic(chain)
    return dispatch(VIEW_SCATTER, [root, value, dyn], (("chain", chain),))
