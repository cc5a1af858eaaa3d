"""torch.fx.passes.shape_prop: run a GraphModule on sample inputs, recording each node's tensor metadata."""

from __future__ import annotations

from typing import Any, NamedTuple

from ..interpreter import Interpreter
from ..node import Node, map_aggregate

__all__ = ["TensorMetadata", "ShapeProp"]


class TensorMetadata(NamedTuple):
    shape: Any
    dtype: Any
    requires_grad: bool
    stride: tuple[int, ...]
    memory_format: Any
    is_quantized: bool
    qparams: dict[str, Any]


def _extract_tensor_metadata(result) -> TensorMetadata:
    import torchlike

    memory_format = None
    for query in (torchlike.contiguous_format, torchlike.channels_last, torchlike.channels_last_3d):
        try:
            if result.is_contiguous(memory_format=query):
                memory_format = query
                break
        except RuntimeError:  # channels_last asked of a tensor of another rank
            continue
    return TensorMetadata(result.shape, result.dtype, result.requires_grad, result.stride(), memory_format,
                          result.is_quantized, {})


class ShapeProp(Interpreter):
    """Records ``node.meta['tensor_meta']`` (a TensorMetadata, or a structure of them) and
    ``node.meta['type']`` for each node while running the module."""

    def __init__(self, gm, fake_mode=None) -> None:
        super().__init__(gm)
        if fake_mode is not None:
            raise NotImplementedError("torch.fx.passes.shape_prop.ShapeProp(fake_mode=...) is not supported by torchlike")
        self.fake_module = None
        self.fake_mode = None
        self.real_module = self.module

    def run_node(self, n: Node) -> Any:
        from ..._tensor import Tensor

        try:
            result = super().run_node(n)
        except Exception as e:
            import traceback

            traceback.print_exc()
            raise RuntimeError(f"ShapeProp error for: node={n.format_node()} with meta={n.meta}") from e
        found_tensor = False

        def extract_tensor_meta(obj: Any) -> Any:
            nonlocal found_tensor
            if isinstance(obj, Tensor):
                found_tensor = True
                return _extract_tensor_metadata(obj)
            return obj

        meta = map_aggregate(result, extract_tensor_meta)
        if found_tensor:
            n.meta["tensor_meta"] = meta
        n.meta["type"] = type(result)
        return result

    def propagate(self, *args: Any) -> Any:
        """Run the module on ``args`` (recording shapes) and return its result."""
        return super().run(*args)
