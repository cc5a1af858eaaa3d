"""torch.fx: symbolic tracing of Modules and functions into Graphs, code generation, interpretation.

See README.md in this folder for how tracing hooks into torchlike.
"""

from . import passes  # noqa: E402, F401  (needs Interpreter)
from ._symbolic_trace import PH, Tracer, symbolic_trace, wrap
from .graph import CodeGen, Graph
from .graph_module import GraphModule
from .interpreter import Interpreter, Transformer
from .node import Node, has_side_effect, map_arg
from .proxy import Proxy
from .subgraph_rewriter import replace_pattern

__all__ = [
    "symbolic_trace", "Tracer", "wrap", "PH", "Graph", "GraphModule", "Node", "Proxy", "Interpreter",
    "Transformer", "map_arg", "replace_pattern", "has_side_effect", "CodeGen",
]
