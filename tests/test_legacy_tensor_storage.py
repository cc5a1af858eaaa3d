"""pytorch-book (深度学习框架PyTorch：入门与实践) chapter 3 idioms: ``torch.Tensor(torch.Size)``, the
default tensor type, storages (printing, indexing, ``torch.LongTensor(storage)``), ``data_ptr``
offsets, ``resize_`` of a view and the ``from_numpy`` memory sharing, each compared with PyTorch."""

import numpy as np
import pytest

import torchlike as tl

torch = pytest.importorskip("torch")

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


@pytest.mark.parametrize("mod", [torch, tl], ids=["torch", "torchlike"])
def test_tensor_of_a_size_is_a_shape_and_of_a_tuple_is_data(mod):
    b = mod.Tensor([[1, 2, 3], [4, 5, 6]])
    assert tuple(mod.Tensor(b.size()).shape) == (2, 3)
    assert mod.Tensor((2, 3)).tolist() == [2.0, 3.0]
    assert tuple(mod.Tensor(mod.Size([4])).shape) == (4,)


def test_legacy_constructor_follows_the_default_tensor_type():
    got = []
    for mod in (torch, tl):
        mod.set_default_tensor_type("torch.DoubleTensor")
        try:
            a = mod.Tensor(2, 3)
            got.append((str(a.dtype), str(mod.Tensor([1, 2]).dtype), str(a.new_tensor([3, 4]).dtype)))
        finally:
            mod.set_default_tensor_type("torch.FloatTensor")
        got[-1] += (str(mod.Tensor(1).dtype),)
    assert got[0] == got[1] == ("torch.float64",) * 3 + ("torch.float32",)


def _storage_story(mod):
    a = mod.arange(0, 6)
    b = a.view(2, 3)
    out = [str(a.storage()), a.storage().data_ptr() == b.storage().data_ptr(), len(b.storage())]
    a[1] = 100
    c = a[2:]
    out.append(c.data_ptr() - a.data_ptr())
    out.append(str(c.storage()))
    c[0] = -100
    d = mod.LongTensor(c.storage())
    d[0] = 6666
    out += [b.tolist(), d.storage_offset(), c.storage_offset(), c.storage()[2], list(a.storage())]
    s = a.storage()
    s[5] = 55
    out += [a.tolist(), list(mod.tensor([1, 258], dtype=mod.int16).untyped_storage()), str(mod.empty(0).storage())]
    f = mod.Tensor(mod.arange(3.0).storage())
    f[1] = 7
    out.append(f.tolist())
    return out


def test_storage_prints_indexes_and_aliases_as_in_pytorch():
    assert _storage_story(tl) == _storage_story(torch)


def test_typed_storage_of_another_dtype_is_refused_with_pytorchs_message():
    with pytest.raises(RuntimeError) as want:
        torch.LongTensor(torch.arange(6.0).storage())
    with pytest.raises(RuntimeError) as got:
        tl.LongTensor(tl.arange(6.0).storage())
    assert str(got.value) == str(want.value)


def _resize_story(mod):
    a = mod.arange(0, 6)
    b = a.view(-1, 3)
    b.resize_(1, 3)
    out = [b.tolist(), tuple(b.shape)]
    a[0] = 9
    b[0, 1] = 7
    out += [b.tolist(), a.tolist()]
    c = a[2:]
    c.resize_(2, 2)
    out += [c.tolist(), c.storage_offset()]
    b.resize_(3, 3)
    out += [tuple(b.shape), b[:2].tolist()]  # (the last row is uninitialised in PyTorch)
    return out


def test_resize_of_a_view_keeps_its_storage():
    assert _resize_story(tl) == _resize_story(torch)


def _from_numpy_story(mod):
    a = np.ones(5)
    b = mod.from_numpy(a)
    b.add_(1)
    out = [a.tolist()]
    b[0] = 7
    out.append(a.tolist())
    a[1] = -1
    out += [b.tolist(), (b * 2).tolist(), b.numpy() is a or np.shares_memory(b.numpy(), a)]
    x = np.ones((2, 3), dtype=np.float32)
    y = mod.from_numpy(x)
    out.append(y.sum().item())
    y.mul_(3)
    out.append(x.tolist())
    return out


def test_in_place_ops_on_from_numpy_write_into_the_array():
    assert _from_numpy_story(tl) == _from_numpy_story(torch)


def test_a_collated_batch_is_not_tied_to_a_numpy_array():
    from torchlike.utils.data._host import to_tensor

    arr = np.ones(4, np.float32)
    t = to_tensor(arr)
    t.add_(1)
    assert arr.tolist() == [1.0] * 4 and t.tolist() == [2.0] * 4
    assert "_hostref" not in t.__dict__


@pytest.mark.parametrize("mod", [torch, tl], ids=["torch", "torchlike"])
def test_data_of_a_parameter_must_stay_floating(mod):
    emb = mod.nn.Embedding(4, 5)
    with pytest.raises(RuntimeError, match="data set to a tensor that requires gradients must be floating point or complex dtype"):
        emb.weight.data = mod.arange(0, 20).view(4, 5)
    emb.weight.data = mod.arange(0, 20).view(4, 5).float()
    plain = mod.ones(2)
    plain.data = mod.arange(2)  # (no grad required: any dtype)
    assert plain.dtype == mod.int64 and emb.weight.dtype == mod.float32
