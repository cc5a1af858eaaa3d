"""torch.optim.swa_utils' AveragedModel, update_bn and averaging functions against PyTorch."""

import numpy as np
import pytest
import torch

import torchlike as tl


def _pair():
    torch.manual_seed(0)
    ref = torch.nn.Sequential(
        torch.nn.Linear(5, 8), torch.nn.BatchNorm1d(8), torch.nn.ReLU(), torch.nn.Linear(8, 3)
    )
    ours = tl.nn.Sequential(
        tl.nn.Linear(5, 8), tl.nn.BatchNorm1d(8), tl.nn.ReLU(), tl.nn.Linear(8, 3)
    )
    ours.load_state_dict({k: tl.tensor(v.numpy()) for k, v in ref.state_dict().items()})
    return ref, ours


def _train(lib, model, averaged, opt, xs, ys, every=1):
    for i, (x, y) in enumerate(zip(xs, ys)):
        opt.zero_grad()
        lib.nn.functional.cross_entropy(model(lib.tensor(x)), lib.tensor(y)).backward()
        opt.step()
        if i % every == 0:
            averaged.update_parameters(model)


def _state(sd):
    return {k: np.asarray(v.detach().numpy()) for k, v in sd.items()}


@pytest.mark.parametrize(
    "kind", ["swa", "ema_multi", "ema_avg", "swa_multi", "swa_avg", "ema_buffers"]
)
def test_averaged_model_matches_pytorch(kind):
    ref, ours = _pair()
    rng = np.random.default_rng(0)
    xs = rng.standard_normal((7, 16, 5)).astype(np.float32)
    ys = rng.integers(0, 3, (7, 16))

    def make(lib, model):
        u = lib.optim.swa_utils
        kw = {
            "swa": {},
            "ema_multi": {"multi_avg_fn": u.get_ema_multi_avg_fn(0.9)},
            "ema_avg": {"avg_fn": u.get_ema_avg_fn(0.9)},
            "swa_multi": {"multi_avg_fn": u.get_swa_multi_avg_fn()},
            "swa_avg": {"avg_fn": u.get_swa_avg_fn()},
            "ema_buffers": {"multi_avg_fn": u.get_ema_multi_avg_fn(0.8), "use_buffers": True},
        }[kind]
        return u.AveragedModel(model, **kw)

    ref_avg, our_avg = make(torch, ref), make(tl, ours)
    _train(torch, ref, ref_avg, torch.optim.SGD(ref.parameters(), lr=0.1), xs, ys, every=2)
    _train(tl, ours, our_avg, tl.optim.SGD(ours.parameters(), lr=0.1), xs, ys, every=2)
    want, got = _state(ref_avg.state_dict()), _state(our_avg.state_dict())
    assert list(got) == list(want)
    for k in want:
        assert got[k].dtype == want[k].dtype, k
        np.testing.assert_allclose(got[k], want[k], rtol=1e-5, atol=1e-6, err_msg=k)
    assert int(our_avg.n_averaged) == int(ref_avg.n_averaged) == 4
    x = rng.standard_normal((4, 5)).astype(np.float32)
    ref_avg.eval(), our_avg.eval()
    np.testing.assert_allclose(
        our_avg(tl.tensor(x)).detach().numpy(),
        ref_avg(torch.tensor(x)).detach().numpy(),
        rtol=1e-5,
        atol=1e-6,
    )


def test_update_bn_matches_pytorch():
    ref, ours = _pair()
    rng = np.random.default_rng(1)
    batches = [rng.standard_normal((10, 5)).astype(np.float32) * 3 + 1 for _ in range(4)]
    labels = [rng.integers(0, 3, (10,)) for _ in range(4)]
    ref.eval(), ours.eval()
    torch.optim.swa_utils.update_bn(
        [(torch.tensor(b), torch.tensor(y)) for b, y in zip(batches, labels)], ref
    )
    tl.optim.swa_utils.update_bn(
        [(tl.tensor(b), tl.tensor(y)) for b, y in zip(batches, labels)], ours
    )
    assert not ours.training and not ref.training
    assert ours[1].momentum == ref[1].momentum == 0.1
    for k, v in ref.state_dict().items():
        np.testing.assert_allclose(
            ours.state_dict()[k].numpy(), v.numpy(), rtol=1e-5, atol=1e-6, err_msg=k
        )
    assert int(ours[1].num_batches_tracked) == int(ref[1].num_batches_tracked) == 4


def test_errors_match_pytorch():
    for lib in (torch, tl):
        u = lib.optim.swa_utils
        with pytest.raises(ValueError, match=r"Invalid decay value 1.5 provided"):
            u.get_ema_multi_avg_fn(1.5)
        with pytest.raises(ValueError, match=r"Invalid decay value -0.1 provided"):
            u.get_ema_avg_fn(-0.1)
