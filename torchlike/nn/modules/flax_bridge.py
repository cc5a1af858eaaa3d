"""FlaxModule: a flax.linen module inside a torchlike model. Its parameters become torchlike
Parameters (trained by torchlike optimizers, saved in the state_dict); its apply is one op whose
gradient is jax.vjp of the flax computation."""

from __future__ import annotations

import jax

from ..._ops.registry import op
from ..._tensor import Tensor
from ..parameter import Parameter
from .module import Module

__all__ = ["FlaxModule"]


class _Apply:
    """A hashable handle on (flax module, parameter tree structure): a static op attribute."""

    def __init__(self, module, treedef):
        self.module = module
        self.treedef = treedef

    def __call__(self, leaves, inputs):
        params = jax.tree_util.tree_unflatten(self.treedef, leaves)
        return self.module.apply({"params": params}, *inputs)


@op("flax_apply", function=False, method=False, grad_name="FlaxApplyBackward0")
def _flax_apply(params, inputs, *, fn):
    return fn(list(params), list(inputs))


class FlaxModule(Module):
    def __init__(self, flax_module, *example_inputs, seed: int = 0, variables=None):
        super().__init__()
        if variables is None:
            args = [x.jax() if isinstance(x, Tensor) else x for x in example_inputs]
            variables = flax_module.init(jax.random.key(seed), *args)
        leaves_with_path, treedef = jax.tree_util.tree_flatten_with_path(variables["params"])
        self._names = []
        for path, leaf in leaves_with_path:
            name = "_".join(str(getattr(k, "key", getattr(k, "idx", k))) for k in path)
            from ...func import from_jax

            self.register_parameter(name, Parameter(from_jax(jax.numpy.asarray(leaf))))
            self._names.append(name)
        self._fn = _Apply(flax_module, treedef)
        self.flax_module = flax_module

    def forward(self, *inputs):
        params = [self._parameters[n] for n in self._names]
        return _flax_apply.frontend(params, list(inputs), fn=self._fn)

    def extra_repr(self) -> str:
        return type(self.flax_module).__name__
