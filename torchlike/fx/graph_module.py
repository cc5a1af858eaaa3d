"""torch.fx.graph_module: an nn.Module whose ``forward`` is the Python code generated from a Graph."""

from __future__ import annotations

import copy
import itertools
import linecache
from typing import Any

from ..nn import Module
from .graph import Graph, PythonCode

__all__ = ["GraphModule"]

_eval_counter = itertools.count()


def _exec_with_source(src: str, globals_: dict[str, Any]) -> None:
    # the source is kept in linecache so tracebacks and inspect.getsource show the generated lines
    key = f"<eval_with_key>.{next(_eval_counter)}"
    linecache.cache[key] = (len(src), None, src.splitlines(True), key)
    exec(compile(src, key, "exec"), globals_)


def _forward_from_src(src: str, globals_: dict[str, Any]):
    globals_copy = dict(globals_)
    _exec_with_source(src, globals_copy)
    return globals_copy["forward"]


def _copy_attr(from_module: Module, to_module: Module, target: str) -> None:
    from .._tensor import Tensor
    from ..nn import Parameter

    *prefix, field = target.split(".")
    for item in prefix:
        f = getattr(from_module, item)
        t = getattr(to_module, item, None)
        if f is t:
            return
        if t is None:
            t = Module()
            setattr(to_module, item, t)
        from_module, to_module = f, t
    orig = getattr(from_module, field)
    if isinstance(orig, Tensor) and not isinstance(orig, Parameter):
        to_module.register_buffer(field, orig)
    else:
        setattr(to_module, field, orig)


def _assign_attr(from_obj: Any, to_module: Module, target: str) -> None:
    from .._tensor import Tensor
    from ..nn import Parameter

    *prefix, field = target.split(".")
    for item in prefix:
        t = getattr(to_module, item, None)
        if t is None:
            t = Module()
            setattr(to_module, item, t)
        to_module = t
    if isinstance(from_obj, Tensor) and not isinstance(from_obj, Parameter):
        to_module.register_buffer(field, from_obj)
    else:
        setattr(to_module, field, from_obj)


class GraphModule(Module):
    """A Module made from a Graph: its submodules/attributes are copied from ``root`` where the graph
    refers to them, and ``forward`` is the graph's generated code (``gm.code``)."""

    def __new__(cls, *args: Any, **kwargs: Any):
        # each instance gets its own class, so recompile() can set ``forward`` and the class name
        for t in cls.__mro__:
            if t.__qualname__.split(".")[-1] != "GraphModuleImpl":
                cls = t
                break

        class GraphModuleImpl(cls):
            pass

        return super().__new__(GraphModuleImpl)

    def __init__(self, root: Module | dict[str, Any], graph: Graph, class_name: str = "GraphModule") -> None:
        super().__init__()
        self.__class__.__name__ = class_name
        if isinstance(root, Module):
            if hasattr(root, "training"):
                self.training = root.training
            for node in graph.nodes:
                if node.op in ("get_attr", "call_module"):
                    _copy_attr(root, self, node.target)
        elif isinstance(root, dict):
            targets = []
            for node in graph.nodes:
                if node.op in ("get_attr", "call_module"):
                    if node.target not in root:
                        raise RuntimeError("Node " + str(node) + " referenced target " + node.target
                                           + " but that target was not provided in ``root``!")
                    targets.append(node.target)
            targets.sort(key=lambda t: t.count("."))
            for target in targets:
                _assign_attr(root[target], self, target)
        else:
            raise RuntimeError("Unsupported type " + str(root) + " passed for root!")
        self.graph = graph
        self._tracer_cls = graph._tracer_cls
        self.meta: dict[str, Any] = {}

    @property
    def graph(self) -> Graph:
        return self._graph

    @graph.setter
    def graph(self, g: Graph) -> None:
        if not isinstance(g, Graph):
            raise AssertionError(f"Expected a Graph instance, but got {type(g)}")
        object.__setattr__(self, "_graph", g)
        g.owning_module = self
        self.recompile()

    @property
    def code(self) -> str:
        if "_code" not in self.__dict__:
            raise RuntimeError("Code has not been generated! Please report a bug to PyTorch")
        return self._code

    def recompile(self) -> PythonCode:
        """Regenerate ``forward`` from ``self.graph`` (call after editing the graph)."""
        python_code = self._graph.python_code(root_module="self")
        object.__setattr__(self, "_code", python_code.src)
        type(self).forward = _forward_from_src(self._code, python_code.globals)
        return python_code

    def to_folder(self, folder, module_name: str = "FxModule") -> None:
        raise NotImplementedError("torch.fx.GraphModule.to_folder is not supported by torchlike")

    # -- submodules --------------------------------------------------------------------------------------
    def add_submodule(self, target: str, m: Module) -> bool:
        *prefix, field = target.split(".")
        mod: Module = self
        for item in prefix:
            submod = getattr(mod, item, None)
            if submod is None:
                submod = Module()
                setattr(mod, item, submod)
            if not isinstance(submod, Module):
                return False
            mod = submod
        mod.add_module(field, m)
        return True

    def delete_submodule(self, target: str) -> bool:
        atoms = target.split(".")
        path, target_submod = atoms[:-1], atoms[-1]
        mod: Module = self
        for item in path:
            if not hasattr(mod, item):
                return False
            mod = getattr(mod, item)
            if not isinstance(mod, Module):
                return False
        if not hasattr(mod, target_submod) or not isinstance(getattr(mod, target_submod), Module):
            return False
        delattr(mod, target_submod)
        return True

    def delete_all_unused_submodules(self) -> None:
        used: list[str] = []
        for node in self.graph.nodes:
            if node.op in ("call_module", "get_attr"):
                fullpath = node.target.split(".")
                used.extend(".".join(fullpath[:i]) for i in range(1, len(fullpath) + 1))
                if node.op == "call_module":
                    submod = self.get_submodule(node.target)
                    used.extend(f"{node.target}.{name}" for name, _ in submod.named_modules() if name)
        to_delete = [name for name, _ in self.named_modules() if name not in used and name]
        for name in to_delete:
            self.delete_submodule(name)

    # -- printing ----------------------------------------------------------------------------------------
    def print_readable(self, print_output: bool = True, include_stride: bool = False, include_device: bool = False,
                       colored: bool = False, **kwargs: Any) -> str:
        """The generated code as a ``class <Name>(torch.nn.Module)``, with nested GraphModules."""
        return _print_readable(self, self._get_name(), print_output)

    def __str__(self) -> str:
        orig_str = super().__str__()
        return "\n".join([orig_str, self._code,
                          "# To see more debug info, please use `graph_module.print_readable()`"])

    # -- copying -----------------------------------------------------------------------------------------
    def __deepcopy__(self, memo: dict) -> GraphModule:
        res = type(self).__new__(type(self))
        memo[id(self)] = res
        fake_mod = Module()
        fake_mod.__dict__ = copy.deepcopy(self.__dict__, memo)
        GraphModule.__init__(res, fake_mod, fake_mod.__dict__["_graph"])
        for k in ("meta", "training"):
            if k in fake_mod.__dict__:
                res.__dict__[k] = fake_mod.__dict__[k]
        return res

    def __copy__(self) -> GraphModule:
        res = GraphModule(self, self.graph)
        res.meta = getattr(self, "meta", {})
        return res

    def __reduce__(self):
        raise NotImplementedError("pickling a torch.fx.GraphModule is not supported by torchlike")


def _addindent(s: str, n: int) -> str:
    # (blank lines stay empty, as PyTorch 2.13 indents the readable code)
    first, *rest = s.split("\n")
    if not rest:
        return s
    return first + "\n" + "\n".join(" " * n + line if line.strip() else "" for line in rest)


def _print_readable(module: GraphModule, module_name: str, print_output: bool = True) -> str:
    src = module.graph.python_code(root_module="self", verbose=True).src.lstrip("\n")
    module_code = _addindent(f"class {module_name}(torch.nn.Module):\n" + src, 4)
    sub = [""]
    for name, child in module.named_children():
        if isinstance(child, GraphModule):
            sub.append(_print_readable(child, name, print_output=False))
    output = module_code + _addindent("\n".join(sub), 4)
    if print_output:
        print(output)
    return output
