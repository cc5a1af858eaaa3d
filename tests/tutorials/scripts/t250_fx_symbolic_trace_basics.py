# ruff: noqa: E501  (tutorial code, kept as the docs write it)
"""torch.fx documentation examples: symbolic_trace of a module (graph, code, GraphModule repr,
print_readable), graph surgery (replace a function target, inserting_after + replace_all_uses_with,
erase_node, eliminate_dead_code, lint, recompile), building a Graph by hand, fx.wrap, Proxy errors
(control flow, len, iteration), concrete_args and tracing a free function. Printed forms and results
are compared line by line."""
import operator

import torch
import torch.fx
import torch.nn.functional as F

torch.manual_seed(0)


class MyModule(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.param = torch.nn.Parameter(torch.rand(3, 4))
        self.linear = torch.nn.Linear(4, 5)

    def forward(self, x):
        return self.linear(x + self.param).clamp(min=0.0, max=1.0)


module = MyModule()
symbolic_traced: torch.fx.GraphModule = torch.fx.symbolic_trace(module)
print(symbolic_traced.graph)
print(symbolic_traced.code)
print(symbolic_traced)
symbolic_traced.print_readable()
x = torch.randn(3, 4)
print(torch.allclose(symbolic_traced(x), module(x)))
for node in symbolic_traced.graph.nodes:
    print(node.op, node.name, node.target if isinstance(node.target, str) else node.target.__name__, node.args, node.kwargs, list(node.users), node.all_input_nodes)


# replace torch.add with torch.mul
class M(torch.nn.Module):
    def forward(self, x, y):
        return torch.add(x, y), F.relu(x) + y


m = M()
gm = torch.fx.symbolic_trace(m)
for node in gm.graph.nodes:
    if node.op == "call_function" and node.target == torch.add:
        node.target = torch.mul
gm.recompile()
print(gm.code)
a, b = torch.randn(2, 3), torch.randn(2, 3)
print(torch.equal(gm(a, b)[0], a * b))

# insert a relu after every add, then remove it again
for node in list(gm.graph.nodes):
    if node.op == "call_function" and node.target == operator.add:
        with gm.graph.inserting_after(node):
            new_node = gm.graph.call_function(torch.relu, args=(node,))
            node.replace_all_uses_with(new_node)
            new_node.args = (node,)
gm.graph.lint()
gm.recompile()
print(gm.graph)
print(gm.code)
print(torch.equal(gm(a, b)[1], torch.relu(F.relu(a) + b)))

# dead code
with gm.graph.inserting_before(gm.graph.output_node()):
    dead = gm.graph.call_method("neg", (next(iter(gm.graph.nodes)),))
print(dead.format_node(), dead.prev.name, dead.next.name, repr(dead))
print(gm.graph.eliminate_dead_code())
print(gm.graph.eliminate_dead_code())
gm.recompile()
print(gm.code)

# a graph written by hand
graph = torch.fx.Graph()
x_node = graph.placeholder("x")
w_node = graph.get_attr("linear.weight")
mm = graph.call_function(torch.matmul, (x_node, graph.call_method("t", (w_node,))))
s = graph.call_method("sum", (mm,), {"dim": -1})
graph.output((s, mm))
print(graph)
hand = torch.fx.GraphModule(module, graph, "HandBuilt")
print(hand)
print(torch.allclose(hand(x)[1], x @ module.linear.weight.t()))
dead_graph = torch.fx.Graph()
p = dead_graph.placeholder("p")
dead_graph.call_function(operator.add, (p, 1))
dead_graph.output(p)
print(dead_graph.python_code("self").src)


# fx.wrap: a leaf function
def sqrt_len(x):
    return len(x) ** 0.5


torch.fx.wrap("sqrt_len")


def uses_wrapped(x):
    return x * sqrt_len(x)


wrapped_gm = torch.fx.symbolic_trace(uses_wrapped)
print(wrapped_gm.code)
print(wrapped_gm.graph)
print(torch.allclose(wrapped_gm(torch.ones(4)), torch.ones(4) * 2.0))


# errors
def control_flow(x):
    if x.sum() > 0:
        return x
    return -x


for fn in (control_flow, lambda x: len(x), lambda x: [v for v in x]):
    try:
        torch.fx.symbolic_trace(fn)
    except Exception as e:
        print(type(e).__name__, e)


def unpack(x):
    a, b = x
    return a + b


print(torch.fx.symbolic_trace(unpack).code)


# concrete_args
def f(x, flag):
    if flag:
        return x + 1
    return x - 1


cgm = torch.fx.symbolic_trace(f, concrete_args={"flag": True})
print(cgm.code)


def g(x, y=None):
    return x if y is None else x + y


print(torch.fx.symbolic_trace(g, concrete_args={"y": None}).graph)
print(torch.fx.symbolic_trace(lambda x: torch.sigmoid(x).tanh() * 2).code)
