"""torch.utils.swap_tensors: two tensor objects exchange everything they are (class, attributes,
value, autograd history), so every reference to one now sees the other's contents."""

from __future__ import annotations

import weakref

from .._tensor import Tensor

# Tensor's slots that hold the tensor itself ("__dict__" is swapped whole, "__weakref__" stays)
_SLOTS = tuple(s for s in Tensor.__slots__ if s not in ("__dict__", "__weakref__"))
_UNSET = object()


def swap_tensors(t1: Tensor, t2: Tensor) -> None:
    """Swap ``t1`` and ``t2`` in place (``nn.Module`` conversions use it to keep references)."""
    for t in (t1, t2):
        if not isinstance(t, Tensor):
            raise TypeError(f"Expected both t1 and t2 to be Tensors, but got {type(t)}")
    # pending values are computed first: the engine follows pending tensors by weak reference
    for t in (t1, t2):
        if t._device.type != "meta":
            t._concrete("swap_tensors")
    for name, t in (("t1", t1), ("t2", t2)):
        if weakref.getweakrefs(t):
            raise RuntimeError(f"Cannot swap {name} because it has weakref associated with it")
    t1.__class__, t2.__class__ = t2.__class__, t1.__class__
    t1.__dict__, t2.__dict__ = t2.__dict__, t1.__dict__
    for slot in _SLOTS:
        a, b = getattr(t1, slot, _UNSET), getattr(t2, slot, _UNSET)
        _assign(t1, slot, b)
        _assign(t2, slot, a)


def _assign(t, slot, value):
    if value is _UNSET:
        if hasattr(t, slot):
            delattr(t, slot)
    else:
        setattr(t, slot, value)
