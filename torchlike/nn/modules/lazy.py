"""LazyModuleMixin: a module whose parameter shapes come from its first input (PyTorch's Lazy*).

Parameters and buffers start as ``UninitializedParameter`` / ``UninitializedBuffer`` placeholders
(shown as such in ``state_dict()``); the first forward (or a loaded state dict) materialises them in
place, so references taken earlier (an optimizer's parameter list) stay valid; after the first
forward the module becomes ``cls_to_become`` (a LazyLinear becomes a Linear). A subclass defines
``initialize_parameters(input)``.
"""

from __future__ import annotations

from ...autograd.grad_mode import no_grad
from ..parameter import _UninitializedTensorMixin


def _is_lazy(t) -> bool:
    return isinstance(t, _UninitializedTensorMixin)


class LazyModuleMixin:
    cls_to_become = None

    def has_uninitialized_params(self) -> bool:
        return any(_is_lazy(t) for t in list(self._parameters.values()) + list(self._buffers.values()))

    def initialize_parameters(self, *args, **kwargs):
        raise NotImplementedError(f"initialize_parameters is not implemented for {self.__class__.__name__}")

    def forward(self, *args, **kwargs):
        with no_grad():
            self.initialize_parameters(*args, **kwargs)
        if self.has_uninitialized_params():
            raise RuntimeError(f"module {self._get_name()} has not been fully initialized")
        if self.cls_to_become is not None:
            self.__class__ = self.cls_to_become
        return self.forward(*args, **kwargs)

    def _save_to_state_dict(self, destination, prefix, keep_vars):
        # placeholders appear as themselves
        for name, p in self._parameters.items():
            if p is not None:
                destination[prefix + name] = p if keep_vars or _is_lazy(p) else p.detach()
        for name, b in self._buffers.items():
            if b is not None and name not in self._non_persistent_buffers_set:
                destination[prefix + name] = b if keep_vars or _is_lazy(b) else b.detach()

    def _load_from_state_dict(
        self, state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys, error_msgs
    ):
        # a loaded tensor gives a placeholder its shape (the module still learns its sizes on forward)
        for name, t in list(self._parameters.items()) + list(self._buffers.items()):
            key = prefix + name
            if key in state_dict and _is_lazy(t) and not _is_lazy(state_dict[key]):
                t.materialize(tuple(state_dict[key].shape))
        super()._load_from_state_dict(
            state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys, error_msgs
        )
