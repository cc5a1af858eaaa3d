"""vision.models zoo: module tree, state_dict keys/shapes/order, repr, init distributions and
forward/backward parity with the plain-PyTorch references in _ref_zoo (torchvision's names)."""

import math
import os
import warnings

import numpy as np
import pytest

pt = pytest.importorskip("torch")

import _ref_zoo as ref  # noqa: E402

import torchlike as tl  # noqa: E402
from torchlike.vision import models  # noqa: E402


def to_tl(sd):
    return {k: tl.tensor(v.detach().numpy()) for k, v in sd.items()}


def build(fn, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # inception/googlenet init_weights notice
        return fn(**kw)


def check_structure(model, r):
    sd, rsd = model.state_dict(), r.state_dict()
    assert list(sd) == list(rsd)
    for k in sd:
        assert tuple(sd[k].shape) == tuple(rsd[k].shape), k
    assert repr(model) == repr(r)


def check_eval_forward(model, r, shape, rtol=1e-4, atol=1e-4):
    ref.randomise(r)
    model.load_state_dict(to_tl(r.state_dict()))
    model.eval()
    r.eval()
    x = np.random.default_rng(0).standard_normal(shape).astype(np.float32)
    with pt.no_grad():
        expected = r(pt.from_numpy(x)).numpy()
    got = model(tl.from_numpy(x)).detach().numpy()
    np.testing.assert_allclose(got, expected, rtol=rtol, atol=atol * np.abs(expected).max())


# (torchlike builder, reference factory, eval input shape)
CASES = {
    "alexnet": (lambda: models.alexnet(num_classes=10), lambda: ref.AlexNet(10), (1, 3, 64, 64)),
    "squeezenet1_0": (
        lambda: models.squeezenet1_0(num_classes=10),
        lambda: ref.SqueezeNet("1_0", 10),
        (1, 3, 64, 64),
    ),
    "squeezenet1_1": (
        lambda: models.squeezenet1_1(num_classes=10),
        lambda: ref.SqueezeNet("1_1", 10),
        (1, 3, 64, 64),
    ),
    "densenet121": (
        lambda: models.densenet121(num_classes=10),
        lambda: ref.DenseNet(num_classes=10),
        (1, 3, 64, 64),
    ),
    "densenet161": (
        lambda: models.densenet161(num_classes=10),
        lambda: ref.DenseNet(48, (6, 12, 36, 24), 96, num_classes=10),
        None,
    ),
    "mobilenet_v2": (
        lambda: models.mobilenet_v2(num_classes=10),
        lambda: ref.MobileNetV2(10),
        (1, 3, 64, 64),
    ),
    "mobilenet_v3_small": (
        lambda: models.mobilenet_v3_small(num_classes=10),
        lambda: ref.MobileNetV3(ref.V3_SMALL, 1024, 10),
        (1, 3, 64, 64),
    ),
    "mobilenet_v3_large": (
        lambda: models.mobilenet_v3_large(num_classes=10),
        lambda: ref.MobileNetV3(ref.V3_LARGE, 1280, 10),
        (1, 3, 64, 64),
    ),
    "resnext50_32x4d": (
        lambda: models.resnext50_32x4d(num_classes=10),
        lambda: ref.ResNet([3, 4, 6, 3], 32, 4, 10),
        (1, 3, 64, 64),
    ),
    "wide_resnet50_2": (
        lambda: models.wide_resnet50_2(num_classes=10),
        lambda: ref.ResNet([3, 4, 6, 3], 1, 128, 10),
        None,
    ),
    "shufflenet_v2_x1_0": (
        lambda: models.shufflenet_v2_x1_0(num_classes=10),
        lambda: ref.ShuffleNetV2([4, 8, 4], [24, 116, 232, 464, 1024], 10),
        (1, 3, 64, 64),
    ),
    "shufflenet_v2_x0_5": (
        lambda: models.shufflenet_v2_x0_5(num_classes=10),
        lambda: ref.ShuffleNetV2([4, 8, 4], [24, 48, 96, 192, 1024], 10),
        None,
    ),
    "efficientnet_b0": (
        lambda: models.efficientnet_b0(num_classes=10),
        lambda: ref.EfficientNet(10),
        (1, 3, 64, 64),
    ),
    "convnext_tiny": (
        lambda: models.convnext_tiny(num_classes=10),
        lambda: ref.ConvNeXt(num_classes=10),
        (1, 3, 64, 64),
    ),
    "vit_b_16": (
        lambda: models.vit_b_16(num_classes=10, image_size=32),
        lambda: ref.VisionTransformer(image_size=32, num_classes=10),
        (1, 3, 32, 32),
    ),
    "mnasnet1_0": (
        lambda: models.mnasnet1_0(num_classes=10),
        lambda: ref.MNASNet(1.0, 10),
        (1, 3, 64, 64),
    ),
    "mnasnet0_5": (lambda: models.mnasnet0_5(num_classes=10), lambda: ref.MNASNet(0.5, 10), None),
    "regnet_y_400mf": (
        lambda: models.regnet_y_400mf(num_classes=10),
        lambda: ref.RegNet(num_classes=10),
        (1, 3, 64, 64),
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_zoo_structure_repr_and_eval_forward_match_reference(name):
    make, make_ref, shape = CASES[name]
    pt.manual_seed(0)
    model, r = build(make), make_ref()
    check_structure(model, r)
    if shape is not None:
        check_eval_forward(model, r, shape)


def test_inception_v3_structure_eval_and_train_outputs_match_reference():
    """The heaviest model, in one test: keys, repr, eval forward at 75x75 (its minimum) and a
    train-mode forward+backward at 299x299 (the aux head needs a 17x17 map) with the aux loss."""
    model = build(models.inception_v3, num_classes=10)
    r = ref.Inception3(10)
    assert list(model.state_dict()) == list(r.state_dict())
    r_repr = repr(r).replace("transform_input", "")
    assert repr(model) == r_repr
    assert model.AuxLogits.fc.out_features == 10 and model.fc.in_features == 2048
    check_eval_forward(model, r, (1, 3, 75, 75))

    for m in (*model.modules(), *r.modules()):
        if isinstance(m, (tl.nn.Dropout, pt.nn.Dropout)):
            m.p = 0.0  # the two libraries' dropout masks cannot agree
    model.train()
    r.train()
    # batch statistics of 2 images through ~90 batch norms amplify float32 rounding past any useful
    # tolerance in both libraries; the running statistics keep the aux-head check well conditioned
    for m in (*model.modules(), *r.modules()):
        if isinstance(m, (tl.nn.BatchNorm2d, pt.nn.BatchNorm2d)):
            m.eval()
    x = np.random.default_rng(1).standard_normal((2, 3, 299, 299)).astype(np.float32)
    out = model(tl.from_numpy(x))
    assert isinstance(out, models.InceptionOutputs) and out._fields == ("logits", "aux_logits")
    ro, ra = r(pt.from_numpy(x))
    y = np.array([1, 7])
    loss = tl.nn.functional.cross_entropy(
        out.logits, tl.tensor(y)
    ) + 0.4 * tl.nn.functional.cross_entropy(out.aux_logits, tl.tensor(y))
    rloss = pt.nn.functional.cross_entropy(ro, pt.tensor(y)) + 0.4 * pt.nn.functional.cross_entropy(
        ra, pt.tensor(y)
    )
    np.testing.assert_allclose(
        out.logits.detach().numpy(), ro.detach().numpy(), rtol=1e-3, atol=1e-3
    )
    np.testing.assert_allclose(
        out.aux_logits.detach().numpy(), ra.detach().numpy(), rtol=1e-3, atol=1e-3
    )
    loss.backward()
    rloss.backward()
    # the heads' gradients are a few ops from the loss; the stem's pass through ~95 layers
    for name, tol in (
        ("fc.weight", 2e-3),
        ("AuxLogits.fc.weight", 2e-3),
        ("Mixed_7c.branch_pool.bn.weight", 2e-3),
        ("Conv2d_1a_3x3.conv.weight", 1e-2),
    ):
        g, rg = model.get_parameter(name).grad.numpy(), r.get_parameter(name).grad.numpy()
        np.testing.assert_allclose(g, rg, rtol=tol, atol=tol * np.abs(rg).max(), err_msg=name)
    model.eval()
    assert not isinstance(model(tl.from_numpy(x[:1, :, :80, :80])), tuple)


def compare_train_step(model, r, x, rtol=1e-3, set_mode=True):
    """One train-mode forward+backward: output, every parameter's gradient, the updated BN buffers."""
    if set_mode:
        model.train()
        r.train()
    xr = pt.from_numpy(x).requires_grad_(True)
    out_r = r(xr)
    out_r = out_r if isinstance(out_r, tuple) else (out_r,)
    sum(o.square().sum() for o in out_r).backward()
    xt = tl.from_numpy(x).requires_grad_(True)
    out = model(xt)
    outs = tuple(out) if isinstance(out, tuple) else (out,)
    sum(o.square().sum() for o in outs).backward()
    for o, orf in zip(outs, out_r):
        np.testing.assert_allclose(o.detach().numpy(), orf.detach().numpy(), rtol=rtol, atol=rtol)
    gx = xr.grad.numpy()
    np.testing.assert_allclose(xt.grad.numpy(), gx, rtol=rtol, atol=rtol * np.abs(gx).max())
    ref_params = dict(r.named_parameters())
    # a bias feeding a train-mode batch norm has a true gradient of 0: what both libraries compute
    # there is rounding noise, so the floor of the tolerance scales with the model's largest gradient
    scale = max(np.abs(p.grad.numpy()).max() for p in ref_params.values())
    for name, p in model.named_parameters():
        g = ref_params[name].grad.numpy()
        atol = rtol * max(np.abs(g).max(), 1e-2 * scale)
        np.testing.assert_allclose(p.grad.numpy(), g, rtol=rtol, atol=atol, err_msg=name)
    ref_bufs = dict(r.named_buffers())
    for name, b in model.named_buffers():
        np.testing.assert_allclose(
            b.numpy(), ref_bufs[name].numpy(), rtol=1e-4, atol=1e-5, err_msg=name
        )


@pytest.mark.parametrize("name", ["mobilenet_v2", "squeezenet1_1", "shufflenet_v2_x0_5"])
def test_train_mode_gradients_match_reference(name):
    make, make_ref, _ = CASES[name]
    pt.manual_seed(2)
    model, r = build(make), ref.randomise(make_ref(), seed=2)
    for m in (*model.modules(), *r.modules()):
        if isinstance(m, (tl.nn.Dropout, pt.nn.Dropout)):
            m.p = 0.0
    model.load_state_dict(to_tl(r.state_dict()))
    x = np.random.default_rng(3).standard_normal((2, 3, 64, 64)).astype(np.float32)
    compare_train_step(model, r, x)


def test_googlenet_train_mode_returns_googlenet_outputs_in_torchvisions_order():
    model = build(models.googlenet, num_classes=5, dropout=0.0, dropout_aux=0.0)
    r = ref.randomise(ref.GoogLeNet(5), seed=4)
    assert list(model.state_dict()) == list(r.state_dict())
    assert repr(model).replace("p=0.0", "p=X") == repr(r).replace("p=0.7", "p=X").replace(
        "p=0.2", "p=X"
    )
    for m in r.modules():
        if isinstance(m, pt.nn.Dropout):
            m.p = 0.0
    model.load_state_dict(to_tl(r.state_dict()))
    x = np.random.default_rng(4).standard_normal((2, 3, 64, 64)).astype(np.float32)
    # as for inception: 60 train-mode batch norms over 2 small images leave single ill-conditioned
    # channels; with running statistics the comparison is of the aux heads and the layers
    model.train()
    r.train()
    for m in (*model.modules(), *r.modules()):
        if isinstance(m, (tl.nn.BatchNorm2d, pt.nn.BatchNorm2d)):
            m.eval()
    out = model(tl.from_numpy(x))
    assert type(out).__name__ == "GoogLeNetOutputs"
    assert out._fields == ("logits", "aux_logits2", "aux_logits1")
    compare_train_step(model, r, x, rtol=2e-3, set_mode=False)
    model.eval()
    r.eval()
    with pt.no_grad():
        expected = r(pt.from_numpy(x)).numpy()
    np.testing.assert_allclose(
        model(tl.from_numpy(x)).detach().numpy(), expected, rtol=1e-4, atol=1e-4
    )


# -- the finetuning tutorial's reshaping ------------------------------------------------------------


def test_finetuning_tutorial_head_replacements():
    nn = tl.nn
    m = models.alexnet()
    m.classifier[6] = nn.Linear(4096, 3)
    assert m.classifier[6].out_features == 3 and len(m.classifier) == 7
    v = models.vgg11_bn()
    v.classifier[6] = nn.Linear(v.classifier[6].in_features, 3)
    s = models.squeezenet1_0()
    s.classifier[1] = nn.Conv2d(512, 3, kernel_size=(1, 1), stride=(1, 1))
    s.num_classes = 3
    assert tuple(s(tl.zeros(1, 3, 64, 64)).shape) == (1, 3)
    d = models.densenet121()
    assert d.classifier.in_features == 1024
    i = build(models.inception_v3)
    i.AuxLogits.fc = nn.Linear(i.AuxLogits.fc.in_features, 3)
    i.fc = nn.Linear(i.fc.in_features, 3)
    assert i.AuxLogits.fc.in_features == 768 and i.fc.in_features == 2048
    assert models.mobilenet_v2().classifier[1].in_features == 1280
    assert models.mobilenet_v3_large().classifier[3].in_features == 1280
    assert models.efficientnet_b0().classifier[1].in_features == 1280
    assert models.convnext_tiny().classifier[2].in_features == 768
    assert models.vit_b_16(image_size=32).heads.head.in_features == 768


# -- initialisation ---------------------------------------------------------------------------------


def _np(t):
    return t.detach().numpy()


def test_default_init_distributions_follow_torchvision():
    tl.manual_seed(0)
    sq = models.squeezenet1_0()
    final = _np(sq.classifier[1].weight)
    assert abs(final.std() - 0.01) < 0.001 and np.all(_np(sq.classifier[1].bias) == 0)
    w = _np(sq.features[0].weight)  # kaiming_uniform_, a=0: bound sqrt(6 / fan_in)
    bound = math.sqrt(6 / (3 * 49))
    assert np.abs(w).max() <= bound and np.abs(w).max() > 0.9 * bound

    d = models.densenet121()
    w = _np(d.features.conv0.weight)  # kaiming_normal_, fan_in
    assert abs(w.std() - math.sqrt(2 / (3 * 49))) < 0.1 * math.sqrt(2 / (3 * 49))
    assert np.all(_np(d.classifier.bias) == 0)

    inc = build(models.inception_v3)
    assert abs(_np(inc.fc.weight).std() - 0.1) < 0.005
    assert abs(_np(inc.AuxLogits.fc.weight).std() - 0.001) < 0.0001
    # the 0.01 on AuxLogits.conv1 sits on the BasicConv2d wrapper, so its Conv2d gets 0.1
    assert abs(_np(inc.AuxLogits.conv1.conv.weight).std() - 0.1) < 0.005

    g = build(models.googlenet)
    gw = _np(g.fc.weight)
    assert abs(gw.std() - 0.01) < 0.001 and np.abs(gw).max() < 0.1

    mb = models.mobilenet_v2()
    assert abs(_np(mb.classifier[1].weight).std() - 0.01) < 0.001
    ef = models.efficientnet_b0()
    assert np.abs(_np(ef.classifier[1].weight)).max() <= 1 / math.sqrt(1000)
    cn = models.convnext_tiny()
    cw = _np(cn.classifier[2].weight)
    assert abs(cw.std() - 0.02) < 0.002 and np.abs(cw).max() <= 0.15
    assert np.all(_np(cn.features[1][0].layer_scale) == np.float32(1e-6))

    vit = models.vit_b_16(image_size=32)
    assert np.all(_np(vit.heads.head.weight) == 0)
    pw = _np(vit.conv_proj.weight)
    assert abs(pw.std() - math.sqrt(1 / 768)) < 0.1 * math.sqrt(1 / 768)
    mlp = vit.encoder.layers.encoder_layer_0.mlp
    xb = math.sqrt(6 / (768 + 3072))
    assert np.abs(_np(mlp[0].weight)).max() <= xb and np.abs(_np(mlp[0].bias)).max() < 1e-5
    assert abs(_np(vit.encoder.pos_embedding).std() - 0.02) < 0.002

    rg = models.regnet_y_400mf()
    stem = _np(rg.stem[0].weight)
    assert abs(stem.std() - math.sqrt(2 / (9 * 32))) < 0.1 * math.sqrt(2 / (9 * 32))
    mn = models.mnasnet1_0()
    assert np.abs(_np(mn.classifier[1].weight)).max() <= math.sqrt(3 / 1000)


# -- weights enums and local checkpoints ------------------------------------------------------------


def test_weights_enums_names_defaults_and_transforms():
    assert models.AlexNet_Weights.DEFAULT is models.AlexNet_Weights.IMAGENET1K_V1
    assert models.MobileNet_V2_Weights.DEFAULT is models.MobileNet_V2_Weights.IMAGENET1K_V2
    assert models.get_model_weights("inception_v3") is models.Inception_V3_Weights
    assert models.get_weight("ResNeXt50_32X4D_Weights.IMAGENET1K_V2").url.endswith(
        "resnext50_32x4d-1a0047aa.pth"
    )
    t = models.Inception_V3_Weights.DEFAULT.transforms()
    assert t.crop_size == [299] and t.resize_size == [342]
    t = models.EfficientNet_B0_Weights.DEFAULT.transforms()
    assert t.crop_size == [224] and "BICUBIC" in str(t.interpolation)
    assert models.ViT_B_16_Weights.DEFAULT.meta["min_size"] == (224, 224)
    for name in ["alexnet", "squeezenet1_0", "densenet121", "inception_v3", "googlenet", "mobilenet_v3_small",
                 "resnext101_64x4d", "wide_resnet101_2", "shufflenet_v2_x2_0", "mnasnet0_5", "efficientnet_b7",
                 "efficientnet_v2_s", "regnet_y_400mf", "convnext_tiny", "vit_b_16"]:  # fmt: skip
        assert name in models.list_models()
        w = models.get_model_weights(name)
        assert repr(w.DEFAULT).startswith(w.__name__ + ".IMAGENET1K_V")
    assert models.list_models(include="squeezenet*") == ["squeezenet1_0", "squeezenet1_1"]
    with pytest.raises(ValueError, match="Unknown model"):
        models.get_model("resnet9000")


def test_densenet_weights_load_legacy_checkpoint_keys(tmp_path, monkeypatch):
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    w = models.DenseNet121_Weights.IMAGENET1K_V1
    path = os.path.join(str(tmp_path), "hub", "checkpoints", "densenet121-a639ec97.pth")
    with pytest.raises(FileNotFoundError, match="densenet121-a639ec97"):
        models.densenet121(weights=w)
    r = ref.randomise(ref.DenseNet(), seed=5).eval()
    # the published file predates the ban on '.' in module names: norm.1, conv.2, ...
    legacy = {
        k.replace("norm1", "norm.1").replace("conv2.", "conv.2."): v
        for k, v in r.state_dict().items()
        if not k.endswith("num_batches_tracked")  # the published files predate it
    }
    assert any(".norm.1." in k for k in legacy)
    os.makedirs(os.path.dirname(path))
    pt.save(legacy, path)
    model = models.densenet121(weights="DEFAULT").eval()
    x = np.random.default_rng(5).standard_normal((1, 3, 32, 32)).astype(np.float32)
    with pt.no_grad():
        expected = r(pt.from_numpy(x)).numpy()
    np.testing.assert_allclose(
        model(tl.from_numpy(x)).detach().numpy(), expected, rtol=1e-4, atol=1e-4
    )


def test_inception_and_googlenet_weights_set_transform_input_and_aux(tmp_path, monkeypatch):
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    ckpt = os.path.join(str(tmp_path), "hub", "checkpoints")
    os.makedirs(ckpt)
    pt.save(
        ref.Inception3(1000).state_dict(), os.path.join(ckpt, "inception_v3_google-0cc3c7bd.pth")
    )
    with pytest.warns(UserWarning, match="'pretrained' is deprecated"):
        m = models.inception_v3(pretrained=True)
    assert m.transform_input is True and m.aux_logits is True and m.AuxLogits is not None
    # torchvision's weights always carry the aux head: asking for none is refused
    with pytest.raises(ValueError, match="'aux_logits' expected value True but got False"):
        models.inception_v3(weights="DEFAULT", aux_logits=False)
    with pytest.raises(ValueError, match="expected value 1000 but got 10"):
        models.inception_v3(weights=models.Inception_V3_Weights.DEFAULT, num_classes=10)
    # GoogLeNet's checkpoint has aux heads too, but they are dropped unless asked for
    pt.save(ref.GoogLeNet(1000).state_dict(), os.path.join(ckpt, "googlenet-1378be20.pth"))
    g = models.googlenet(weights=models.GoogLeNet_Weights.IMAGENET1K_V1)
    assert g.transform_input is True and g.aux_logits is False and g.aux1 is None and g.aux2 is None
    assert "aux1.fc1.weight" not in g.state_dict()
    assert (
        sum(p.numel() for p in g.parameters())
        == models.GoogLeNet_Weights.DEFAULT.meta["num_params"]
    )
    with pytest.warns(
        UserWarning, match="auxiliary heads in the pretrained googlenet model are NOT pretrained"
    ):
        g = models.googlenet(weights="DEFAULT", aux_logits=True)
    assert g.aux1 is not None


def test_torchvision_version_string():
    import torchlike.vision as tv

    major, minor = (int(p) for p in tv.__version__.split("+")[0].split(".")[:2])
    assert (major, minor) >= (0, 20)
