"""nn.Module bookkeeping against PyTorch: load_state_dict's return value."""

import pytest

import torchlike as tl

pt = pytest.importorskip("torch")


def _partial_load(lib):
    src = lib.nn.Sequential(lib.nn.Linear(2, 2), lib.nn.Linear(2, 1))
    dst = lib.nn.Sequential(lib.nn.Linear(2, 2), lib.nn.ReLU(), lib.nn.Linear(2, 3))
    return dst.load_state_dict(src.state_dict(), strict=False)


def test_load_state_dict_result_prints_as_pytorchs_incompatible_keys():
    ours, theirs = _partial_load(tl), _partial_load(pt)
    assert repr(ours) == repr(theirs)
    assert str(ours) == str(theirs)
    assert repr(ours).startswith("_IncompatibleKeys(missing_keys=['2.weight'")
    assert ours.missing_keys == theirs.missing_keys
    assert ours.unexpected_keys == theirs.unexpected_keys


def test_load_state_dict_all_matched_prints_the_success_line():
    m = tl.nn.Linear(2, 2)
    result = m.load_state_dict(m.state_dict())
    assert repr(result) == "<All keys matched successfully>"
    assert tuple(result) == ([], [])


def _assign_load(lib):
    src = lib.nn.Linear(3, 2).double()
    src.weight.requires_grad_(False)
    meta = lib.nn.Linear(3, 2, device="meta")
    result = meta.load_state_dict(src.state_dict(), assign=True)
    w = meta.weight
    return [repr(result), str(w.device), str(w.dtype), type(w).__name__, w.requires_grad,
            lib.equal(w, src.weight), w is not src.weight]  # fmt: skip


def test_load_state_dict_assign_takes_the_checkpoint_tensors():
    assert _assign_load(tl) == _assign_load(pt)


def test_load_state_dict_into_meta_without_assign_warns_and_stays_meta():
    for lib in (pt, tl):
        meta = lib.nn.Linear(3, 2, device="meta")
        with pytest.warns(UserWarning, match="Did you mean to pass `assign=True`"):
            meta.load_state_dict(lib.nn.Linear(3, 2).state_dict())
        assert meta.weight.is_meta


def _unexpected(lib):
    m = lib.nn.Sequential(lib.nn.Linear(2, 2))
    sd = dict(m.state_dict())
    sd.update(
        {
            "0": lib.zeros(1),
            "0.weight.extra": lib.zeros(1),
            "0._extra_state": 1,
            "1.bias": lib.zeros(1),
        }
    )
    scalar = lib.nn.Module()
    scalar.register_buffer("step", lib.tensor(0))
    scalar.load_state_dict({"step": lib.tensor([7])})  # a 1-element vector fills a 0-d entry
    return list(m.load_state_dict(sd, strict=False)), scalar.step.item()


def test_load_state_dict_unexpected_keys_follow_pytorchs_rules():
    assert _unexpected(tl) == _unexpected(pt)


def _hooks(lib):
    calls = []
    m = lib.nn.Sequential(lib.nn.Linear(2, 2))
    m[0].register_state_dict_pre_hook(lambda mod, prefix, keep: calls.append(("pre", prefix, keep)))

    def post(mod, sd, prefix, meta):
        sd[prefix + "extra"] = lib.tensor(1)

    m[0].register_state_dict_post_hook(post)
    keys = list(m.state_dict().keys())

    def load_pre(mod, sd, prefix, meta, strict, missing, unexpected, errors):
        calls.append(("load_pre", type(mod).__name__, prefix, sorted(sd)))
        sd.pop(prefix + "extra", None)

    m[0].register_load_state_dict_pre_hook(load_pre)
    m[0]._register_load_state_dict_pre_hook(
        lambda sd, prefix, *rest: calls.append(("private", prefix))
    )
    m.register_load_state_dict_post_hook(lambda mod, keys: calls.append(("post", list(keys))))
    result = repr(m.load_state_dict(m.state_dict()))
    with pytest.raises(RuntimeError) as info:
        m[0].register_state_dict_post_hook(lambda *a: {})
        m.state_dict()
    return calls, keys, result, str(info.value)


def test_state_dict_and_load_hooks_get_pytorchs_arguments():
    assert _hooks(tl) == _hooks(pt)


def test_nested_repr_leaves_blank_lines_empty_as_torch():
    """A child's multi-line repr is indented under its parent; blank lines stay empty (2.13)."""

    def build(lib):
        class Note(lib.nn.Module):
            def extra_repr(self):
                return "a=1\n\nb=2"

        return lib.nn.Sequential(lib.nn.Sequential(Note(), lib.nn.Linear(2, 3)), lib.nn.ReLU())

    assert repr(build(tl)) == repr(build(pt))
