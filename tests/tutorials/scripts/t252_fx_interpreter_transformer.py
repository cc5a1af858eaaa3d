"""torch.fx docs and pytorch/tutorials fx_profiling_tutorial.py patterns: ShapeProp (the docs'
TwoLayerNet), an Interpreter subclass that records per-node calls (the profiler's structure, with
counts in place of timings), Interpreter overrides of call_function, Transformer (NegSigmSwap from
the docs), subgraph_rewriter.replace_pattern (the docs' example), node.meta, Graph copies."""
import copy

import torch
import torch.fx
from torch.fx.passes.shape_prop import ShapeProp

torch.manual_seed(0)


class TwoLayerNet(torch.nn.Module):
    def __init__(self, D_in, H, D_out):
        super().__init__()
        self.linear1 = torch.nn.Linear(D_in, H)
        self.linear2 = torch.nn.Linear(H, D_out)

    def forward(self, x):
        h_relu = self.linear1(x).clamp(min=0)
        y_pred = self.linear2(h_relu)
        return y_pred


N, D_in, H, D_out = 64, 100, 20, 10
model = TwoLayerNet(D_in, H, D_out)
gm = torch.fx.symbolic_trace(model)
sample_input = torch.randn(50, D_in)
out = ShapeProp(gm).propagate(sample_input)
for node in gm.graph.nodes:
    print(node.name, node.meta["tensor_meta"].dtype, node.meta["tensor_meta"].shape, node.meta["type"].__name__)
print(node.meta["tensor_meta"].stride, node.meta["tensor_meta"].requires_grad, node.meta["tensor_meta"].memory_format)
print(torch.allclose(out, model(sample_input)))


class ProfilingInterpreter(torch.fx.Interpreter):
    def __init__(self, mod):
        gm = torch.fx.symbolic_trace(mod)
        super().__init__(gm)
        self.total_runtime_sec = []
        self.runtimes_sec = {}

    def run(self, *args):
        return_val = super().run(*args)
        self.total_runtime_sec.append(1)
        return return_val

    def run_node(self, n):
        return_val = super().run_node(n)
        self.runtimes_sec.setdefault(n, []).append(tuple(return_val.shape) if isinstance(return_val, torch.Tensor) else None)
        return return_val

    def summary(self):
        for node, shapes in self.runtimes_sec.items():
            print(f"{node.op:15s} {node.name:10s} {len(shapes)} {shapes[0]}")


interp = ProfilingInterpreter(model)
for _ in range(2):
    interp.run(sample_input)
interp.summary()


class NegSigmSwapInterpreter(torch.fx.Interpreter):
    def call_function(self, target, args, kwargs):
        if target == torch.sigmoid:
            return torch.neg(*args, **kwargs)
        return super().call_function(target, args, kwargs)

    def call_method(self, target, args, kwargs):
        if target == "neg":
            call_self, *args_tail = args
            return call_self.sigmoid(*args_tail, **kwargs)
        return super().call_method(target, args, kwargs)


def fn(x):
    return torch.sigmoid(x).neg()


gm2 = torch.fx.symbolic_trace(fn)
x = torch.randn(3, 4)
print(torch.allclose(NegSigmSwapInterpreter(gm2).run(x), torch.neg(x).sigmoid()))


class NegSigmSwapXformer(torch.fx.Transformer):
    def call_function(self, target, args, kwargs):
        if target == torch.sigmoid:
            return torch.neg(*args, **kwargs)
        return super().call_function(target, args, kwargs)

    def call_method(self, target, args, kwargs):
        if target == "neg":
            call_self, *args_tail = args
            return call_self.sigmoid(*args_tail, **kwargs)
        return super().call_method(target, args, kwargs)


transformed = NegSigmSwapXformer(gm2).transform()
print(transformed.code)
print(torch.allclose(transformed(x), torch.neg(x).sigmoid()))
print(torch.fx.Transformer(gm).transform().code)


# replace_pattern, as in the docs
class M(torch.nn.Module):
    def forward(self, x, w1, w2):
        m1 = torch.cat([w1, w2]).sum()
        m2 = torch.cat([w1, w2]).sum()
        return x + torch.max(m1) + torch.max(m2)


def pattern(w1, w2):
    return torch.cat([w1, w2]).sum()


def replacement(w1, w2):
    return torch.stack([w1, w2])


traced_module = torch.fx.symbolic_trace(M())
matches = torch.fx.replace_pattern(traced_module, pattern, replacement)
print(len(matches), [m.anchor.name for m in matches], sorted(n.name for n in matches[0].nodes_map.values()))
print(traced_module.code)
traced_module.graph.lint()

# copies of graphs and node metadata
g = copy.deepcopy(gm.graph)
print(g)
print([n.meta.get("type", None) is not None for n in g.nodes])
new_g = torch.fx.Graph()
env = {}
for n in gm.graph.nodes:
    env[n] = new_g.node_copy(n, lambda a: env[a])
print(new_g)
print(torch.fx.GraphModule(gm, new_g)(sample_input).shape)
