"""torch._dynamo.eval_frame.OptimizedModule: what torch.compile(module) returns."""

from __future__ import annotations

from .._engine.segment import CompiledForward
from ..nn.modules.module import Module


class OptimizedModule(Module):
    """The module as ``_orig_mod``, its forward recorded and replayed as one op
    (torchlike/_engine/segment.py); other attributes forward to it. Pickles as PyTorch's does
    (the recordings are not saved: a loaded copy records again)."""

    def __init__(self, mod):
        super().__init__()
        self._orig_mod = mod
        self.__dict__["_compiled_forward"] = CompiledForward(mod)

    def forward(self, *args, **kwargs):
        return self.__dict__["_compiled_forward"](args, kwargs)

    def __getattr__(self, name):
        try:
            return super().__getattr__(name)
        except AttributeError:
            return getattr(self.__dict__["_modules"]["_orig_mod"], name)

    def __getstate__(self):
        state = dict(self.__dict__)
        state.pop("_compiled_forward", None)
        return state

    def __setstate__(self, state):
        super().__setstate__(state)
        self.__dict__["_compiled_forward"] = CompiledForward(self._modules["_orig_mod"])
