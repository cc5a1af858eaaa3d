"""vision.models: torchvision's state_dict keys/shapes, init, and forward parity with a plain-PyTorch
reference built here with torchvision's parameter names (torchvision itself is not installed)."""

import math
import os

import numpy as np
import pytest

import torchlike as tl
from torchlike.vision import models
from torchlike.vision.models.resnet import BasicBlock, ResNet
from torchlike.vision.models.vgg import cfgs, make_layers

pt = pytest.importorskip("torch")
ptnn = pt.nn


# -- plain-PyTorch references with torchvision's names ---------------------------------------------


class RefBlock(ptnn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = ptnn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = ptnn.BatchNorm2d(cout)
        self.relu = ptnn.ReLU(inplace=True)
        self.conv2 = ptnn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = ptnn.BatchNorm2d(cout)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = ptnn.Sequential(
                ptnn.Conv2d(cin, cout, 1, stride, bias=False), ptnn.BatchNorm2d(cout)
            )

    def forward(self, x):
        out = self.bn2(self.conv2(self.relu(self.bn1(self.conv1(x)))))
        return self.relu(out + (x if self.downsample is None else self.downsample(x)))


class RefResNet(ptnn.Module):
    def __init__(self, blocks=(2, 2, 2, 2), num_classes=1000):
        super().__init__()
        self.conv1 = ptnn.Conv2d(3, 64, 7, 2, 3, bias=False)
        self.bn1 = ptnn.BatchNorm2d(64)
        self.relu = ptnn.ReLU(inplace=True)
        self.maxpool = ptnn.MaxPool2d(3, 2, 1)
        cin = 64
        for i, (planes, n) in enumerate(zip((64, 128, 256, 512), blocks)):
            layers = [RefBlock(cin, planes, 1 if i == 0 else 2)] + [
                RefBlock(planes, planes, 1) for _ in range(n - 1)
            ]
            setattr(self, f"layer{i + 1}", ptnn.Sequential(*layers))
            cin = planes
        self.avgpool = ptnn.AdaptiveAvgPool2d((1, 1))
        self.fc = ptnn.Linear(512, num_classes)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(pt.flatten(self.avgpool(x), 1))


def ref_vgg(cfg, bn, num_classes=1000):
    layers, cin = [], 3
    for v in cfg:
        if v == "M":
            layers.append(ptnn.MaxPool2d(2, 2))
        else:
            layers += (
                [ptnn.Conv2d(cin, v, 3, padding=1)]
                + ([ptnn.BatchNorm2d(v)] if bn else [])
                + [ptnn.ReLU(True)]
            )
            cin = v
    model = ptnn.Module()
    model.features = ptnn.Sequential(*layers)
    model.avgpool = ptnn.AdaptiveAvgPool2d((7, 7))
    model.classifier = ptnn.Sequential(
        ptnn.Linear(25088, 4096),
        ptnn.ReLU(True),
        ptnn.Dropout(),
        ptnn.Linear(4096, 4096),
        ptnn.ReLU(True),
        ptnn.Dropout(),
        ptnn.Linear(4096, num_classes),
    )
    model.forward = lambda x: model.classifier(pt.flatten(model.avgpool(model.features(x)), 1))
    return model


def randomise_bn_stats(ref):
    g = pt.Generator().manual_seed(0)
    for m in ref.modules():
        if isinstance(m, ptnn.BatchNorm2d):
            m.running_mean.copy_(pt.randn(m.num_features, generator=g) * 0.1)
            m.running_var.copy_(pt.rand(m.num_features, generator=g) + 0.5)
            m.weight.data.copy_(pt.rand(m.num_features, generator=g) + 0.5)
            m.bias.data.copy_(pt.randn(m.num_features, generator=g) * 0.1)


def to_tl(sd):
    return {k: tl.tensor(v.detach().numpy()) for k, v in sd.items()}


def resnet_keys(blocks):
    keys = ["conv1.weight"] + [
        f"bn1.{s}" for s in ("weight", "bias", "running_mean", "running_var", "num_batches_tracked")
    ]
    bn = lambda p: [
        f"{p}.{s}" for s in ("weight", "bias", "running_mean", "running_var", "num_batches_tracked")
    ]  # noqa: E731
    for i, n in enumerate(blocks):
        for b in range(n):
            p = f"layer{i + 1}.{b}"
            keys += [f"{p}.conv1.weight"] + bn(f"{p}.bn1") + [f"{p}.conv2.weight"] + bn(f"{p}.bn2")
            if b == 0 and i > 0:
                keys += [f"{p}.downsample.0.weight"] + bn(f"{p}.downsample.1")
    return keys + ["fc.weight", "fc.bias"]


# -- ResNet ---------------------------------------------------------------------------------------


def test_resnet18_state_dict_keys_and_shapes_equal_torchvisions():
    model = models.resnet18()
    ref = RefResNet()
    sd, rsd = model.state_dict(), ref.state_dict()
    assert list(sd.keys()) == resnet_keys((2, 2, 2, 2)) == list(rsd.keys())
    assert all(tuple(sd[k].shape) == tuple(rsd[k].shape) for k in sd)
    assert (
        sum(p.numel() for p in model.parameters())
        == models.ResNet18_Weights.DEFAULT.meta["num_params"]
    )


def test_resnet34_and_50_structure():
    r34 = models.resnet34(num_classes=10)
    assert [len(getattr(r34, f"layer{i}")) for i in (1, 2, 3, 4)] == [3, 4, 6, 3]
    r50 = models.resnet50()
    assert sum(p.numel() for p in r50.parameters()) == 25557032
    sd = r50.state_dict()
    assert tuple(sd["layer1.0.conv3.weight"].shape) == (256, 64, 1, 1)
    assert tuple(sd["layer1.0.downsample.0.weight"].shape) == (256, 64, 1, 1)
    assert tuple(sd["fc.weight"].shape) == (1000, 2048)
    assert "layer4.2.bn3.running_var" in sd and len(sd) == 320


def test_resnet_repr_matches_torch_reference():
    assert repr(models.resnet18().layer2) == repr(RefResNet().layer2).replace(
        "RefBlock", "BasicBlock"
    )
    head = repr(models.resnet18()).splitlines()[:5]
    assert head[1:] == repr(RefResNet()).splitlines()[1:5]
    assert (
        head[0] == "ResNet("
        and head[4]
        == "  (maxpool): MaxPool2d(kernel_size=3, stride=2, padding=1, dilation=1, ceil_mode=False)"
    )


def test_resnet_default_init():
    tl.manual_seed(0)
    m = ResNet(
        BasicBlock, [1, 1, 1, 1], num_classes=10
    )  # small: materialising the init compiles it
    w = m.layer3[0].conv2.weight.detach().numpy()
    assert abs(w.std() - math.sqrt(2.0 / (256 * 9))) < 0.1 * math.sqrt(
        2.0 / (256 * 9)
    )  # kaiming fan_out
    assert np.all(m.bn1.weight.detach().numpy() == 1) and np.all(m.bn1.bias.detach().numpy() == 0)
    fc = m.fc.weight.detach().numpy()
    assert np.abs(fc).max() <= 1 / math.sqrt(512) and fc.std() > 0.5 / math.sqrt(3 * 512)
    z = ResNet(BasicBlock, [1, 1, 1, 1], num_classes=10, zero_init_residual=True)
    assert np.all(z.layer1[0].bn2.weight.detach().numpy() == 0)


def test_resnet18_forward_matches_pytorch_eval():
    pt.manual_seed(0)
    ref = RefResNet(num_classes=10).eval()
    randomise_bn_stats(ref)
    model = models.resnet18(num_classes=10)
    model.load_state_dict(to_tl(ref.state_dict()))
    model.eval()
    x = np.random.default_rng(0).standard_normal((1, 3, 64, 64)).astype(np.float32)
    with pt.no_grad():
        expected = ref(pt.from_numpy(x)).numpy()
    np.testing.assert_allclose(
        model(tl.from_numpy(x)).detach().numpy(), expected, rtol=1e-4, atol=1e-4
    )


def test_small_resnet_train_mode_grads_match_pytorch():
    pt.manual_seed(1)
    ref = RefResNet(blocks=(1, 1, 1, 1), num_classes=5).train()
    model = ResNet(BasicBlock, [1, 1, 1, 1], num_classes=5)
    model.load_state_dict(to_tl(ref.state_dict()))
    # 64x64 so that the last stage's batch norm sees 2x2x2 values, not an ill-conditioned 2
    x = np.random.default_rng(1).standard_normal((2, 3, 64, 64)).astype(np.float32)
    xr = pt.from_numpy(x).requires_grad_(True)
    ref(xr).square().sum().backward()
    xt = tl.from_numpy(x).requires_grad_(True)
    out = model(xt)
    out.square().sum().backward()
    gx = xr.grad.numpy()
    np.testing.assert_allclose(xt.grad.numpy(), gx, rtol=1e-3, atol=1e-3 * np.abs(gx).max())
    ref_params = dict(ref.named_parameters())
    for name, p in model.named_parameters():
        g = ref_params[name].grad.numpy()
        np.testing.assert_allclose(
            p.grad.numpy(), g, rtol=1e-3, atol=1e-3 * max(1.0, np.abs(g).max()), err_msg=name
        )
    ref_bufs = dict(ref.named_buffers())
    for name, b in model.named_buffers():
        np.testing.assert_allclose(
            b.numpy(), ref_bufs[name].numpy(), rtol=1e-4, atol=1e-5, err_msg=name
        )


def test_small_resnet_training_loop_does_not_recompile():
    tl.manual_seed(0)
    model = ResNet(BasicBlock, [1, 1, 1, 1], num_classes=4)
    opt = tl.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    rng = np.random.default_rng(0)
    xs = tl.from_numpy(rng.standard_normal((4, 3, 16, 16)).astype(np.float32))
    ys = tl.from_numpy(rng.integers(0, 4, 4).astype(np.int64))
    losses = []
    for step in range(10):
        opt.zero_grad()
        loss = tl.nn.functional.cross_entropy(model(xs), ys)
        loss.backward()
        opt.step()
        losses.append(loss.item())
        if step == 2:
            compiles = tl.metrics.counters()["compiles"]
    assert tl.metrics.counters()["compiles"] == compiles
    assert losses[-1] < losses[0]


# -- VGG ------------------------------------------------------------------------------------------


def vgg_feature_keys(cfg, bn):
    keys, i = [], 0
    for v in cfg:
        if v == "M":
            i += 1
            continue
        keys += [f"features.{i}.weight", f"features.{i}.bias"]
        if bn:
            keys += [
                f"features.{i + 1}.{s}"
                for s in ("weight", "bias", "running_mean", "running_var", "num_batches_tracked")
            ]
        i += 3 if bn else 2
    return keys


@pytest.mark.parametrize("cfg,bn", [("A", False), ("A", True), ("D", False), ("D", True)])
def test_vgg_feature_keys_equal_torchvisions(cfg, bn):
    feats = make_layers(cfgs[cfg], batch_norm=bn)
    ref = ref_vgg(cfgs[cfg], bn).features
    keys = ["features." + k for k in feats.state_dict()]
    assert keys == vgg_feature_keys(cfgs[cfg], bn) == ["features." + k for k in ref.state_dict()]
    assert repr(feats) == repr(ref)


def test_vgg11_bn_full_model_keys_init_and_forward_parity():
    pt.manual_seed(0)
    ref = ref_vgg(cfgs["A"], True, num_classes=10).eval()
    randomise_bn_stats(ref)
    model = models.vgg11_bn(num_classes=10)
    sd = model.state_dict()
    assert list(sd) == vgg_feature_keys(cfgs["A"], True) + [
        f"classifier.{i}.{s}" for i in (0, 3, 6) for s in ("weight", "bias")
    ]
    assert list(sd) == list(ref.state_dict())
    assert repr(model.classifier) == repr(ref.classifier)
    model.load_state_dict(to_tl(ref.state_dict()))
    model.eval()
    x = np.random.default_rng(0).standard_normal((1, 3, 32, 32)).astype(np.float32)
    with pt.no_grad():
        expected = ref.forward(pt.from_numpy(x)).numpy()
    np.testing.assert_allclose(
        model(tl.from_numpy(x)).detach().numpy(), expected, rtol=1e-4, atol=1e-5
    )


# -- weights --------------------------------------------------------------------------------------


def test_weights_load_from_torch_home_checkpoint(tmp_path, monkeypatch):
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    w = models.ResNet18_Weights.IMAGENET1K_V1
    expected_path = os.path.join(str(tmp_path), "hub", "checkpoints", "resnet18-f37072fd.pth")
    with pytest.raises(FileNotFoundError, match=expected_path.replace(".", r"\.")):
        models.resnet18(weights=w)
    pt.manual_seed(0)
    ref = RefResNet().eval()
    os.makedirs(os.path.dirname(expected_path))
    pt.save(ref.state_dict(), expected_path)  # a checkpoint written by real PyTorch
    model = models.resnet18(weights=models.ResNet18_Weights.DEFAULT).eval()
    x = np.random.default_rng(2).standard_normal((1, 3, 32, 32)).astype(np.float32)
    with pt.no_grad():
        expected = ref(pt.from_numpy(x)).numpy()
    np.testing.assert_allclose(
        model(tl.from_numpy(x)).detach().numpy(), expected, rtol=1e-4, atol=1e-4
    )
    assert np.array_equal(
        models.resnet18(weights="IMAGENET1K_V1").fc.bias.detach().numpy(),
        ref.fc.bias.detach().numpy(),
    )
    with pytest.warns(UserWarning, match="'pretrained' is deprecated"):
        legacy = models.resnet18(pretrained=True)
    assert np.array_equal(legacy.conv1.weight.detach().numpy(), ref.conv1.weight.detach().numpy())
    with pytest.raises(ValueError, match="expected value 1000 but got 10"):
        models.resnet18(weights=w, num_classes=10)
    with pytest.raises(TypeError, match="Invalid Weight class"):
        models.resnet18(weights=models.ResNet34_Weights.DEFAULT)


def test_weights_enum_metadata_and_transforms():
    w = models.ResNet50_Weights.DEFAULT
    assert w is models.ResNet50_Weights.IMAGENET1K_V2 and w.url.endswith("resnet50-11ad3fa6.pth")
    assert repr(models.VGG16_Weights.IMAGENET1K_V1) == "VGG16_Weights.IMAGENET1K_V1"
    assert models.VGG16_BN_Weights.DEFAULT.url.endswith("vgg16_bn-6c64b313.pth")
    preprocess = models.ResNet18_Weights.DEFAULT.transforms()
    from PIL import Image

    img = Image.fromarray(np.random.default_rng(0).integers(0, 256, (300, 260, 3), dtype=np.uint8))
    x = preprocess(img)
    assert x.shape == (3, 224, 224) and x.dtype == tl.float32
    assert models.get_model("resnet18", num_classes=3).fc.out_features == 3
    assert models.get_model_weights("vgg11_bn") is models.VGG11_BN_Weights
