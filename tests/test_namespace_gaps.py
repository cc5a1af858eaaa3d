"""Torch-namespace modules, functions and Tensor methods filled in late, against PyTorch."""

import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")
import torchlike  # noqa: E402


def _norm(v):
    if isinstance(v, (tuple, list)):
        return [_norm(x) for x in v]
    if hasattr(v, "detach") and hasattr(v, "shape"):
        a = v.detach().numpy().astype(np.complex128)
        return (tuple(v.shape), str(v.dtype), np.round(a, 4).tolist())
    return v


def _run(f, t):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return _norm(f(t))
        except Exception as e:  # noqa: BLE001 - the error is the result compared
            return (type(e).__name__, str(e))


_A = np.random.RandomState(0).randn(4, 4)
_A = _A @ _A.T + 4 * np.eye(4)
_B = np.random.RandomState(1).randn(4, 2)


def M(t):  # noqa: N802
    return t.tensor(_A, dtype=t.float64)


def B(t):  # noqa: N802
    return t.tensor(_B, dtype=t.float64)


CASES = {
    "cholesky_solve": lambda t: t.cholesky_solve(B(t), t.linalg.cholesky(M(t))),
    "cholesky_solve_upper": lambda t: t.cholesky_solve(B(t), t.linalg.cholesky(M(t)).mT, upper=True),
    "cholesky_inverse": lambda t: t.cholesky_inverse(t.linalg.cholesky(M(t))),
    "lu": lambda t: t.lu(M(t)),
    "lu_unpack": lambda t: t.lu_unpack(*t.lu(M(t))),
    "lu_unpack_rect": lambda t: t.lu_unpack(*t.lu(t.tensor(_B))),
    "lu_solve": lambda t: t.lu_solve(B(t), *t.lu(M(t))),
    "qr": lambda t: t.qr(M(t)),
    "qr_complete": lambda t: t.qr(B(t), some=False),
    "triangular_solve": lambda t: t.triangular_solve(B(t), M(t).triu()),
    "triangular_solve_t": lambda t: t.triangular_solve(B(t), M(t).tril(), upper=False, transpose=True),
    "nuclear_norm": lambda t: t.nuclear_norm(M(t)),
    "frobenius_norm": lambda t: t.frobenius_norm(M(t), (0, 1)),
    "removed_solve": lambda t: t.solve(M(t), M(t)),
    "removed_symeig": lambda t: M(t).symeig(),
    "removed_eig": lambda t: t.eig(M(t)),
    "removed_lstsq": lambda t: t.lstsq(M(t), M(t)),
    "removed_matrix_rank": lambda t: t.matrix_rank(M(t)),
    "frexp": lambda t: t.frexp(t.tensor([0.0, 1.0, 3.5, -8.0, float("inf"), 1e-30])),
    "frexp_int": lambda t: t.frexp(t.tensor([1])),
    "nextafter": lambda t: t.nextafter(t.tensor([1.0, 2.0]), t.tensor([2.0, 1.0])) - t.tensor([1.0, 2.0]),
    "gradient_scalar": lambda t: t.gradient(t.tensor([4.0, 1.0, 1.0, 16.0]), spacing=2.0),
    "gradient_order2": lambda t: t.gradient(t.tensor([[1.0, 2, 4, 8], [10, 20, 40, 80], [1, 1, 1, 1]]),
                                            spacing=[3.0, 2.0], edge_order=2),
    "gradient_coords": lambda t: t.gradient(t.tensor([4.0, 1.0, 1.0, 16.0]), spacing=(t.tensor([-2.0, -1.0, 1.0, 4.0]),)),
    "gradient_coords2": lambda t: t.gradient(t.tensor([4.0, 1.0, 1.0, 16.0, 3.0]),
                                             spacing=(t.tensor([-2.0, -1.0, 1.0, 4.0, 7.0]),), edge_order=2),
    "gradient_dim": lambda t: t.gradient(t.tensor([[1.0, 2, 4, 8], [10, 20, 40, 80]]), dim=1),
    "gradient_int": lambda t: t.gradient(t.tensor([1, 4, 9, 16])),
    "gradient_short": lambda t: t.gradient(t.tensor([1.0, 2.0]), edge_order=2),
    "copies": lambda t: [t.permute_copy(t.ones(2, 3), (1, 0)), t.t_copy(t.ones(2, 3)), t.select_copy(t.ones(2, 3), 0, 1),
                         t.slice_copy(t.arange(6), 0, 1, 5, 2), t.unbind_copy(t.ones(2, 3)), t.split_copy(t.arange(5), 2),
                         t.expand_copy(t.ones(1, 3), (2, 3)), t.diagonal_copy(t.ones(3, 3)), t.view_copy(t.ones(6), (2, 3)),
                         t.squeeze_copy(t.ones(1, 3)), t.unsqueeze_copy(t.ones(3), 0), t.detach_copy(t.ones(2)),
                         t.alias_copy(t.ones(2)), t.narrow_copy(t.arange(5), 0, 1, 2), t.transpose_copy(t.ones(2, 3), 0, 1)],
    "empty_strided": lambda t: [t.empty_strided((2, 3), (3, 1)).shape, t.empty_strided((2, 3, 4, 5), (60, 1, 15, 3)).stride()],
    "frombuffer": lambda t: t.frombuffer(bytearray(b"\x01\x00\x02\x00\x03\x00"), dtype=t.int16, offset=2),
    "frombuffer_odd": lambda t: t.frombuffer(bytearray(b"\x01\x00\x02"), dtype=t.int16),
    "switches": lambda t: [t.is_warn_always_enabled(), t.is_anomaly_enabled(), t.is_anomaly_check_nan_enabled(),
                           t.get_device(t.ones(1)), t.is_storage(t.ones(1)), t.is_inference(t.ones(1))],
    "new": lambda t: [t.ones(2, 3).new(), t.ones(2).new(2, 3).shape, t.ones(2).new([1, 2]),
                      t.ones(2, dtype=t.int64).new((1, 2)), t.ones(2).new(t.Size([2])).shape],
    "resize": lambda t: [t.ones(6).resize_(2, 3), t.arange(6.0).resize_(2), t.arange(6.0).resize_as_(t.ones(3))],
    "resize_grad": lambda t: t.zeros(3, requires_grad=True).resize_(2),
    "put": lambda t: [t.zeros(5).put_(t.tensor([0, 4]), t.tensor([1.0, 2.0])),
                      t.arange(6.0).reshape(2, 3).put(t.tensor([[0], [5]]), t.tensor([[9.0], [8.0]]), accumulate=True)],
    "index_reduce": lambda t: [
        t.ones(3, 2).index_reduce_(0, t.tensor([0, 2, 0]), t.tensor([[2.0, 3], [4, 5], [6, 7]]), "prod"),
        t.ones(3, 2).index_reduce(0, t.tensor([0, 2, 0]), t.tensor([[2.0, 3], [4, 5], [6, 7]]), "mean", include_self=False),
        t.ones(3, 2).index_reduce(1, t.tensor([1, 1]), t.tensor([[2.0, 3], [4, 5], [6, 7]]), "amax")],
    "flags": lambda t: [t.ones(2).output_nr, t.ones(2).name, t.ones(2).is_mps, t.ones(2).is_nested, t.ones(2).is_sparse_csr,
                        t.ones(2).is_xla, t.ones(2).is_mkldnn, t.ones(2, 3).dim_order(),
                        t.ones(2, 3, 4, 5).to(memory_format=t.channels_last).dim_order(), t.ones(2).cdouble(),
                        type(t.ones(2).as_subclass(t.nn.Parameter)).__name__],
    "nonzero_static": lambda t: [t.tensor([0, 1, 0, 2]).nonzero_static(size=4), t.tensor([0, 1, 0, 2]).nonzero_static(size=1)],
    "set_": lambda t: [t.zeros(3).set_(t.ones(2)), t.ones(2).set_()],
    "prelu_hardshrink": lambda t: [t.tensor([-1.0, 2.0]).prelu(t.tensor([0.25])), t.tensor([-1.0, 0.2, 2.0]).hardshrink()],
    "return_types": lambda t: [isinstance(t.max(t.ones(2, 2), 0), t.return_types.max),
                               repr(t.return_types.histogram), isinstance(t.frexp(t.ones(1)), t.return_types.frexp)],
    "version": lambda t: [t.version.cuda, t.version.hip, t.version.debug, type(t.version.__version__).__name__,
                          str(t.__version__), type(t.__version__).__name__, t.__version__ >= "2.0",
                          t.__version__ >= (2, 13), t.__version__ < "2.14", t.version.__version__ == t.__version__,
                          t.torch_version.TorchVersion("2.1.0") > "2.0", t.torch_version.TorchVersion("2.1.0") >= (2, 1),
                          t.torch_version.TorchVersion("2.1.0rc1") < "2.1"],
    "cpu": lambda t: [t.cpu.is_available(), t.cpu.device_count(), t.cpu.current_device(), t.cpu.synchronize()],
    "types": lambda t: [str(t.types.Number), t.types._Number],
    "onnx": lambda t: t.onnx.is_in_onnx_export(),
    "exceptions": lambda t: [issubclass(t.OutOfMemoryError, RuntimeError), issubclass(t.AcceleratorError, RuntimeError),
                             t.GradScaler.__name__],
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_matches_pytorch(case):
    assert _run(CASES[case], torchlike) == _run(CASES[case], torch)


def test_listed_submodules_exist_or_are_absent():
    # hasattr is False (not ModuleNotFoundError) for a name that is no submodule
    from torchlike import _module_aliases

    for name in _module_aliases._SUBMODULES:
        assert hasattr(torchlike, name), name
    assert not hasattr(torchlike, "no_such_submodule")


def test_overrides_protocol():
    from torchlike import overrides

    calls = []

    class Wrapper:
        @classmethod
        def __torch_function__(cls, func, types, args=(), kwargs=None):
            calls.append((func.__name__, types))
            return "handled"

    def api(a, b):
        if overrides.has_torch_function_variadic(a, b):
            return overrides.handle_torch_function(api, (a, b), a, b)
        return a + b

    assert api(torchlike.ones(1), 1).item() == 2.0
    assert not overrides.has_torch_function((torchlike.ones(1),))
    assert api(Wrapper(), torchlike.ones(1)) == "handled"
    assert calls == [("api", (Wrapper,))]
    assert overrides.is_tensor_like(Wrapper()) and overrides.is_tensor_like(torchlike.ones(1))
    assert not overrides.is_tensor_like(3)

    class Declines:
        @classmethod
        def __torch_function__(cls, func, types, args=(), kwargs=None):
            return NotImplemented

    with pytest.raises(TypeError, match="no implementation found for"):
        api(Declines(), 1)
    with pytest.raises(NotImplementedError, match="not supported by torchlike"):
        with overrides.TorchFunctionMode():
            pass


def test_onnx_export_names_the_missing_exporter():
    with pytest.raises(torchlike.onnx.OnnxExporterError, match="not supported by torchlike"):
        torchlike.onnx.export(torchlike.nn.Linear(2, 2), (torchlike.ones(1, 2),), "model.onnx")


def test_removed_tensor_methods_raise_pytorchs_error():
    for name in ("solve", "lstsq"):
        with pytest.raises(RuntimeError) as ours:
            getattr(torchlike.ones(2, 2), name)(torchlike.ones(2, 2))
        with pytest.raises(RuntimeError) as theirs:
            getattr(torch.ones(2, 2), name)(torch.ones(2, 2))
        assert str(ours.value) == str(theirs.value)


def test_lu_gradient_matches_pytorch():
    def run(t):
        a = M(t).requires_grad_(True)
        p, l, u = t.lu_unpack(*t.lu(a))
        (l.sum() + (u * u).sum()).backward()
        return a.grad

    np.testing.assert_allclose(run(torchlike).numpy(), run(torch).numpy(), atol=1e-8)


def test_set_makes_an_alias():
    x = torchlike.zeros(3)
    y = torchlike.ones(2)
    x.set_(y)
    y.add_(1)
    assert x.tolist() == [2.0, 2.0]
