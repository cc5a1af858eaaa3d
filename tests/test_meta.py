"""The 'meta' device (torchlike/_meta.py): shapes and dtypes without data, against PyTorch."""

import pytest

import torchlike as tl

pt = pytest.importorskip("torch")


def _outputs(lib):
    model = lib.nn.Sequential(lib.nn.Linear(3, 4), lib.nn.ReLU(), lib.nn.Linear(4, 2)).to("meta")
    x = lib.ones(5, 3).to("meta")
    i = lib.ones(2, 3, dtype=lib.int64).to("meta")
    return [
        repr(model[0].weight),
        repr(model[2].bias.data),
        repr(model(x)),
        repr(i + 1),
        repr(lib.zeros(2, device="meta").sum()),
        repr(x.split(2)[2]),
        repr(lib.ones(()).to("meta")),
        (model[0].weight.is_meta, str(model[0].weight.device), tuple(model(x).shape)),
    ]


def test_meta_tensors_print_and_infer_shapes_like_pytorch():
    assert _outputs(tl) == _outputs(pt)


def test_meta_tensors_have_no_data():
    x = tl.ones(2).to("meta")
    for read in (lambda: x.cpu(), lambda: x.tolist(), lambda: x.numpy()):
        with pytest.raises(NotImplementedError, match="Cannot copy out of meta tensor; no data!"):
            read()
    with pytest.raises(NotImplementedError):
        pt.ones(2).to("meta").cpu()


def test_functional_call_on_a_meta_module_computes_with_the_given_tensors():
    tl.manual_seed(0)
    model = tl.nn.Linear(3, 2)
    params = {k: v.detach().clone() for k, v in model.named_parameters()}
    base = model.to("meta")
    out = tl.func.functional_call(base, params, (tl.ones(4, 3),))
    assert out.device == tl.device("cpu") and base.weight.is_meta
    ref = tl.ones(4, 3) @ params["weight"].T + params["bias"]
    assert tl.allclose(out, ref)
