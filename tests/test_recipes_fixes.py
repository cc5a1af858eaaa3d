"""Fixes found running the pytorch/tutorials recipes (t240-t247), each checked against PyTorch."""

import warnings

import pytest

import torchlike as tl

pt = pytest.importorskip("torch")


def _meta_factories(lib):
    g = lib.Generator().manual_seed(3)
    out = [
        repr(lib.rand(2, 3, device="meta")),
        repr(lib.randn(4, device="meta", dtype=lib.float64)),
        repr(lib.randint(0, 5, (2,), device="meta")),
        repr(lib.randperm(4, device="meta")),
        repr(lib.empty(2, 2, device="meta")),
        repr(lib.rand(3, device="meta", generator=g)),
    ]
    out.append(lib.rand(1, generator=g).item())  # the meta draw did not advance the generator
    w = lib.empty(3, 4, device="meta")
    for fill in ("uniform_", "normal_", "bernoulli_", "exponential_", "random_", "cauchy_"):
        getattr(w, fill)()
    out.append(repr(w))
    return out


def test_factories_and_random_fills_on_meta_make_meta_tensors():
    assert _meta_factories(tl) == _meta_factories(pt)


def _layers_on_meta(lib):
    conv = lib.nn.Conv2d(3, 5, 2, device="meta")
    out = conv(lib.rand(2**10, 3, 2**16, 2**16, device="meta"))
    lin = lib.nn.Linear(4, 2, device="meta")
    y = lin(lib.ones(3, 4, device="meta")).sum()
    y.backward()
    return [repr(out), out.stride(), repr(lin.weight), repr(lin.weight.grad), repr(conv.bias.data)]


def test_layers_built_on_meta_infer_shapes_and_wrap_reprs_like_pytorch():
    assert _layers_on_meta(tl) == _layers_on_meta(pt)


def _device_context(lib):
    out = []
    with lib.device("meta") as d:
        out.append((str(d), str(lib.get_default_device())))
        lin = lib.nn.Linear(2, 3)
        out.append((str(lin.weight.device), str(lib.randn(2).device), str(lib.ones(1, device="cpu").device)))
        with lib.device("cpu"):
            out.append(str(lib.zeros(1).device))
        out.append(str(lib.arange(3).device))
    out.append((str(lib.get_default_device()), str(lib.ones(1).device)))
    lib.set_default_device("meta")
    try:
        out.append(str(lib.nn.Linear(2, 2).weight.device))
    finally:
        lib.set_default_device(None)
    out.append(str(lib.get_default_device()))
    return out


def test_device_is_a_context_manager_for_factory_calls():
    assert _device_context(tl) == _device_context(pt)


def _mixed(lib):
    x = lib.ones(2, 3, device="meta")
    out = []
    for f in (lambda: lib.ones(2, 3) + x, lambda: x + lib.ones(2, 3), lambda: x * lib.tensor(2.0),
              lambda: lib.tensor(2.0) + x):
        try:
            out.append(repr(f()))
        except RuntimeError as e:
            out.append(str(e))
    return out


def test_meta_and_cpu_tensors_do_not_mix_except_cpu_scalars():
    assert _mixed(tl) == _mixed(pt)


def _likes_across_meta(lib):
    x = lib.ones(2, 3, device="meta")
    return [
        tuple(lib.empty_like(x, device="cpu").shape),
        repr(lib.ones_like(x, device="cpu")),
        repr(lib.full_like(x, 3.0, device="cpu")),
        repr(lib.zeros_like(lib.ones(2), device="meta")),
    ]


def test_like_factories_move_to_and_from_meta():
    assert _likes_across_meta(tl) == _likes_across_meta(pt)


def _to_empty(lib):
    with lib.device("meta"):
        m = lib.nn.Sequential(lib.nn.Linear(3, 4), lib.nn.BatchNorm1d(4))
    w = m[0].weight
    m.to_empty(device="cpu")
    return [(n, str(t.device), tuple(t.shape), t.dtype is lib.int64) for n, t in m.state_dict().items()] + [
        m[0].weight is w, type(m[0].weight).__name__]


def test_to_empty_materialises_a_meta_module():
    assert _to_empty(tl) == _to_empty(pt)


def _load_into_meta(lib, tmp_path):
    lib.manual_seed(0)
    src = lib.nn.Linear(2, 2)
    path = tmp_path / f"{lib.__name__}.pt"
    lib.save(src.state_dict(), path)
    sd = lib.load(path, mmap=True)
    with lib.device("meta"):
        m = lib.nn.Linear(2, 2)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        res = m.load_state_dict(sd)
    out = [str(res), repr(m.weight), [str(x.message) for x in w]]
    res = m.load_state_dict(sd, assign=True)
    out += [str(res), repr(m.weight), m.bias is sd["bias"], type(m.bias).__name__]
    return out


def test_load_state_dict_into_a_meta_module(tmp_path):
    assert _load_into_meta(tl, tmp_path) == _load_into_meta(pt, tmp_path)


def _swapped(lib):
    t1, t2 = lib.arange(2), lib.arange(3)
    lib.utils.swap_tensors(t1, t2)
    p, q = lib.nn.Parameter(lib.ones(2)), lib.zeros(3, requires_grad=True) * 2
    lib.utils.swap_tensors(p, q)
    return [repr(t1), repr(t2), type(p).__name__, repr(p), type(q).__name__, repr(q)]


def test_swap_tensors_exchanges_class_value_and_history():
    assert _swapped(tl) == _swapped(pt)


def _conversions(lib, swap, overwrite):
    lib.__future__.set_swap_module_params_on_conversion(swap)
    lib.__future__.set_overwrite_module_params_on_conversion(overwrite)
    try:
        lib.manual_seed(0)
        m = lib.nn.Linear(3, 5)
        opt = lib.optim.SGD(m.parameters(), lr=0.1)
        m(lib.randn(2, 3)).sum().backward()
        w, b = m.weight, m.bias
        m.double()
        out = [m.weight is w, m.bias is b, opt.param_groups[0]["params"][0] is m.weight, str(m.weight.dtype),
               str(m.weight.grad.dtype), type(m.weight).__name__, m.weight.is_leaf, m.weight.requires_grad]
        with lib.device("meta"):
            mm = lib.nn.Linear(3, 5)
        w = mm.weight
        mm.to_empty(device="cpu")
        out += [mm.weight is w, str(mm.weight.device)]
        with lib.device("meta"):
            mm = lib.nn.Linear(3, 5)
        w = mm.weight
        sd = lib.nn.Linear(3, 5).state_dict()
        out += [str(mm.load_state_dict(sd, assign=True)), mm.weight is w, lib.equal(mm.weight, sd["weight"]),
                mm.weight is sd["weight"], type(mm.weight).__name__, mm.weight.requires_grad]
        return out
    finally:
        lib.__future__.set_swap_module_params_on_conversion(False)
        lib.__future__.set_overwrite_module_params_on_conversion(False)


@pytest.mark.parametrize("swap, overwrite", [(False, False), (True, False), (False, True)])
def test_future_switches_decide_how_conversions_replace_parameters(swap, overwrite):
    assert _conversions(tl, swap, overwrite) == _conversions(pt, swap, overwrite)


def _module_load(lib):
    dest, src = lib.zeros(2), lib.ones(2)
    a = lib.Tensor.module_load(dest, src)
    b = lib.Tensor.module_load(lib.zeros(2), src, assign=True)
    return [repr(a), repr(dest), a is dest, repr(b), b is src]


def test_module_load_copies_or_assigns():
    assert _module_load(tl) == _module_load(pt)
