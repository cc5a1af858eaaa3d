"""nn.Parameter and nn.Buffer."""

from __future__ import annotations

from .._tensor import Tensor


class Parameter(Tensor):
    """A Tensor that a Module registers as a parameter (requires_grad=True by default)."""

    def __new__(cls, data=None, requires_grad=True):
        return object.__new__(cls)

    def __init__(self, data=None, requires_grad=True):
        if data is None:
            from .._creation import empty

            data = empty(0)
        if not isinstance(data, Tensor):
            raise TypeError(f"Parameter data must be a Tensor, got {type(data).__name__}")
        import numpy as np

        # keep host (NumPy) data on the host: in-place initialisation then needs no program
        value = data._data if type(data._data) is np.ndarray and data._base is None else data._value()
        Tensor._init(self, value, data._dtype, data._device)
        if "_memory_format" in data.__dict__:  # (a channels-last tensor's reported strides)
            self.__dict__["_memory_format"] = data.__dict__["_memory_format"]
        if requires_grad:
            self._set_requires_grad(True, "Only Tensors of floating point and complex dtype can require gradients")

    def __repr__(self):
        return "Parameter containing:\n" + Tensor.__repr__(self)

    def __reduce_ex__(self, protocol):
        from .._creation import _rebuild_from_numpy, _rebuild_shared

        if self.__dict__.get("_shm") is not None:
            return (_rebuild_shared, (Parameter, self._shm, self._requires_grad))

        return (_rebuild_parameter, (_rebuild_from_numpy(self.detach()._host("pickle"), False), self._requires_grad))

    def __deepcopy__(self, memo):
        new = Parameter(Tensor._make(self._value(), self._dtype, self._device), self._requires_grad)
        memo[id(self)] = new
        return new


def _rebuild_parameter(data, requires_grad):
    return Parameter(data, requires_grad)


class Buffer(Tensor):
    """nn.Buffer(tensor, persistent=True): marks a tensor to be registered as a buffer."""

    def __new__(cls, data=None, *, persistent=True):
        from .._creation import empty

        t = data if data is not None else empty(0)
        t.persistent = persistent
        return t


class _UninitializedTensorMixin:
    """A placeholder whose shape a Lazy* module learns from its first input (``materialize``)."""

    cls_to_become = Tensor

    def materialize(self, shape, device=None, dtype=None) -> None:
        """Become a ``cls_to_become`` of ``shape``, empty, in place (aliases such as an optimizer's
        parameter list keep seeing this object)."""
        from .._creation import empty

        data = empty(*(shape if isinstance(shape, (tuple, list)) else (shape,)),
                     device=device if device is not None else self._device,
                     dtype=dtype if dtype is not None else self._dtype)
        requires_grad = self._requires_grad
        self.__class__ = self.cls_to_become
        Tensor._init(self, data._value(), data._dtype, data._device)
        if requires_grad:
            self._set_requires_grad(True, "Only Tensors of floating point and complex dtype can require gradients")

    def __repr__(self):
        return f"<{self.__class__.__name__}>"

    def __deepcopy__(self, memo):
        new = type(self)(self._requires_grad, self._device, self._dtype)
        memo[id(self)] = new
        return new


class UninitializedParameter(_UninitializedTensorMixin, Parameter):
    cls_to_become = Parameter

    def __new__(cls, requires_grad=True, device=None, dtype=None):
        return object.__new__(cls)

    def __init__(self, requires_grad=True, device=None, dtype=None):
        from .._creation import empty

        Parameter.__init__(self, empty(0, device=device, dtype=dtype), requires_grad)


class UninitializedBuffer(_UninitializedTensorMixin, Tensor):
    cls_to_become = Tensor

    def __init__(self, requires_grad=False, device=None, dtype=None):
        from .._creation import empty

        data = empty(0, device=device, dtype=dtype)
        Tensor._init(self, data._value(), data._dtype, data._device)
        if requires_grad:
            self._set_requires_grad(True, "Only Tensors of floating point and complex dtype can require gradients")
