"""torch.fx.subgraph_rewriter: replace every match of a pattern graph with a replacement graph."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from ._symbolic_trace import symbolic_trace
from .graph import Graph
from .graph_module import GraphModule
from .node import Node, map_arg

__all__ = ["Match", "replace_pattern"]


class Match(NamedTuple):
    anchor: Node
    nodes_map: dict[Node, Node]


def _graph_of(obj) -> Graph:
    if isinstance(obj, GraphModule):
        return obj.graph
    if isinstance(obj, Graph):
        return obj
    return symbolic_trace(obj).graph


def _match(pn: Node, gn, nodes_map: dict) -> bool:
    if pn in nodes_map:
        return nodes_map[pn] is gn
    if pn.op == "placeholder":
        nodes_map[pn] = gn
        return True
    if not isinstance(gn, Node) or pn.op != gn.op or pn.target != gn.target:
        return False
    if len(pn.args) != len(gn.args) or set(pn.kwargs) != set(gn.kwargs):
        return False
    nodes_map[pn] = gn
    pairs = list(zip(pn.args, gn.args)) + [(pn.kwargs[k], gn.kwargs[k]) for k in pn.kwargs]
    return all(_match_arg(p, g, nodes_map) for p, g in pairs)


def _match_arg(p, g, nodes_map: dict) -> bool:
    if isinstance(p, Node):
        return _match(p, g, nodes_map)
    if isinstance(p, (list, tuple)):
        return type(p) is type(g) and len(p) == len(g) and all(_match_arg(a, b, nodes_map) for a, b in zip(p, g))
    return not isinstance(g, Node) and p == g


def replace_pattern(gm: GraphModule, pattern: Callable | GraphModule,
                    replacement: Callable | GraphModule) -> list[Match]:
    """Rewrite each non-overlapping match of ``pattern`` in ``gm`` into ``replacement``; returns the matches."""
    pattern_graph, replacement_graph = _graph_of(pattern), _graph_of(replacement)
    pattern_placeholders = [n for n in pattern_graph.nodes if n.op == "placeholder"]
    pattern_output = pattern_graph.output_node().args[0]
    if not isinstance(pattern_output, Node):
        raise NotImplementedError("torch.fx.replace_pattern: a pattern returning several values is not supported "
                                  "by torchlike")
    matches: list[Match] = []
    claimed: set[Node] = set()
    for node in list(gm.graph.nodes):
        nodes_map: dict[Node, Node] = {}
        if node in claimed or not _match(pattern_output, node, nodes_map):
            continue
        inner = [nodes_map[p] for p in pattern_graph.nodes if p.op not in ("placeholder", "output")]
        if any(n in claimed for n in inner):
            continue
        if any(u not in inner for n in inner if n is not node for u in n.users):
            continue  # an intermediate value is used outside the match
        claimed.update(inner)
        matches.append(Match(anchor=pattern_output, nodes_map=nodes_map))
    for match in matches:
        nodes_map = match.nodes_map
        val_map: dict[Node, object] = {}
        replacement_placeholders = [n for n in replacement_graph.nodes if n.op == "placeholder"]
        for rp, pp in zip(replacement_placeholders, pattern_placeholders):
            val_map[rp] = nodes_map[pp]
        anchor = nodes_map[pattern_output]
        # the replacement goes right before the first user of the matched value
        users = set(anchor.users)
        first_user = next((n for n in gm.graph.nodes if n in users), anchor.next)
        with gm.graph.inserting_before(first_user):
            for rn in replacement_graph.nodes:
                if rn.op not in ("placeholder", "output"):
                    val_map[rn] = gm.graph.node_copy(rn, val_map.__getitem__)
        new_output = map_arg(replacement_graph.output_node().args[0], val_map.__getitem__)
        anchor.replace_all_uses_with(new_output)
        for pn in reversed(pattern_graph.nodes):
            if pn.op not in ("placeholder", "output"):
                gm.graph.erase_node(nodes_map[pn])
    gm.recompile()
    return matches
