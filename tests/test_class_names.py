"""Class names under ``python -m torchlike``: ``type(...)``, class reprs, ``__module__`` and
``__qualname__`` print what real PyTorch prints, and pickling keeps working there and in library
mode (``import torchlike``), where classes keep their ``torchlike.*`` paths."""

import importlib
import os
import pickle
import subprocess
import sys
import textwrap

import pytest

torch = pytest.importorskip("torch")

import torchlike as tl  # noqa: E402
from torchlike import _torch_names  # noqa: E402
from torchlike.serialization import resolve_torch_name  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# every public class of these namespaces, as "<namespace>.<name>\t<repr>\t<__module__>\t<__qualname__>"
NAMESPACE_SCRIPT = """
import importlib
import warnings

warnings.filterwarnings("ignore")
import torch

NAMESPACES = {namespaces!r}
for ns in NAMESPACES:
    try:
        mod = importlib.import_module(ns)
    except Exception:
        continue
    for name in sorted(dir(mod)):
        if name.startswith("__"):
            continue
        try:
            obj = getattr(mod, name)
        except Exception:
            continue
        if isinstance(obj, type):
            print(f"{{ns}}.{{name}}\\t{{obj!r}}\\t{{obj.__module__}}\\t{{obj.__qualname__}}")
"""

NAMESPACES = [
    "torch", "torch.nn", "torch.nn.modules", "torch.nn.parameter", "torch.nn.utils.rnn",
    "torch.nn.utils.parametrize", "torch.nn.utils.parametrizations", "torch.nn.attention",
    "torch.nn.parallel", "torch.optim", "torch.optim.lr_scheduler", "torch.optim.swa_utils",
    "torch.utils.data", "torch.utils.hooks", "torch.utils.checkpoint", "torch.autograd",
    "torch.autograd.graph", "torch.autograd.function", "torch.autograd.forward_ad",
    "torch.autograd.profiler", "torch.distributions", "torch.distributions.constraints",
    "torch.distributions.transforms", "torch.amp", "torch.cuda", "torch.cuda.amp",
    "torch.multiprocessing", "torch.profiler", "torch.jit", "torch.func", "torch.futures",
    "torch.ao.quantization", "torch.serialization", "torch.distributed", "torch.testing",
    "torch.return_types", "torch.backends.cudnn", "torch.types", "torch.overrides",
]  # fmt: skip

# Where torchlike's class is not PyTorch's (so its name cannot be), with the reason.
KNOWN_DIFFERENCES = {
    "torch.Storage": "PyTorch's alias of FloatStorage; torchlike's Storage is a class of its own",
    "torch.ao.quantization.QConfigDynamic": "torchlike aliases QConfig",
    "torch.distributed.group": "torchlike aliases GroupMember",
    "torch.multiprocessing.SpawnContext": "torchlike aliases ProcessContext",
    "torch.autograd.graph.RemovableHandle": "torchlike's autograd.graph keeps a handle class of its own",
    "torch.distributed._Work": "PyTorch's class is named Work",
    "torch.jit.ScriptFunction": "a pybind class whose __qualname__ is 'torch.jit.ScriptFunction'",
    # Python enums print as <enum 'X'>; PyTorch's are pybind11 classes (or a plain class)
    "torch.distributed.ReduceOp": "enum",
    "torch.nn.attention.SDPBackend": "enum (PyTorch's is named _SDPBackend)",
    "torch.profiler.DeviceType": "enum",
    "torch.profiler.ProfilerActivity": "enum",
    "torch.utils.data._DatasetKind": "enum",
}

INSTANCE_SCRIPT = """
import inspect
import typing
import warnings

warnings.filterwarnings("ignore")
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset, random_split


class Square(torch.autograd.Function):
    @staticmethod
    def forward(ctx, t):
        print("ctx", type(ctx), type(ctx).__module__)
        return t * t

    @staticmethod
    def backward(ctx, g):
        return 2 * g


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 4)

    def forward(self, x):
        return F.relu(self.fc(x))


torch.manual_seed(0)
x = torch.randn(4, 3, requires_grad=True)
y = (x * 2).sum()
s = Square.apply(x)
model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.BatchNorm1d(4))
opt = torch.optim.Adam(model.parameters())
ds = TensorDataset(torch.randn(6, 3), torch.arange(6))
dl = DataLoader(ds, batch_size=2, shuffle=True)
objs = dict(
    tensor=x, shape=x.shape, dtype=x.dtype, device=x.device, layout=x.layout,
    generator=torch.Generator(), finfo=torch.finfo(torch.float32), iinfo=torch.iinfo(torch.int32),
    grad_fn=y.grad_fn, custom_grad_fn=s.grad_fn, max=torch.max(x, 0), sort=torch.sort(x),
    model=model, param=model[0].weight, net=Net(), opt=opt,
    steplr=torch.optim.lr_scheduler.StepLR(opt, 1),
    plateau=torch.optim.lr_scheduler.ReduceLROnPlateau(opt),
    onecycle=torch.optim.lr_scheduler.OneCycleLR(opt, 1.0, total_steps=10),
    cosine=torch.optim.lr_scheduler.CosineAnnealingLR(opt, 10),
    lambdalr=torch.optim.lr_scheduler.LambdaLR(opt, lambda e: 1.0),
    swalr=torch.optim.swa_utils.SWALR(opt, 0.1),
    sgd=torch.optim.SGD(model.parameters(), lr=0.1), adamw=torch.optim.AdamW(model.parameters()),
    rmsprop=torch.optim.RMSprop(model.parameters()), adagrad=torch.optim.Adagrad(model.parameters()),
    lbfgs=torch.optim.LBFGS(model.parameters()),
    ds=ds, dl=dl, it=iter(dl), subset=random_split(ds, [3, 3])[0], sampler=dl.sampler,
    batch_sampler=dl.batch_sampler,
    packed=nn.utils.rnn.pack_padded_sequence(torch.randn(3, 2, 1), [3, 2]),
    keys=model.load_state_dict(model.state_dict()), state_dict=model.state_dict(),
    normal=torch.distributions.Normal(0.0, 1.0),
    categorical=torch.distributions.Categorical(logits=torch.zeros(3)),
    mvn=torch.distributions.MultivariateNormal(torch.zeros(2), torch.eye(2)),
    real=torch.distributions.constraints.real, exp_t=torch.distributions.transforms.ExpTransform(),
    gradscaler=torch.amp.GradScaler("cpu", enabled=False), autocast=torch.autocast("cpu"),
    no_grad=torch.no_grad(), enable_grad=torch.enable_grad(), inference=torch.inference_mode(),
    mha=nn.MultiheadAttention(4, 2), inorm=nn.InstanceNorm2d(3),
    fmp=nn.FractionalMaxPool2d(2, output_size=2), lazy=nn.LazyLinear(3), lazybn=nn.LazyBatchNorm1d(),
    conv=nn.Conv2d(1, 1, 1), convt=nn.ConvTranspose1d(1, 1, 1), pool=nn.MaxPool2d(2),
    avg=nn.AdaptiveAvgPool2d(1), lstm=nn.LSTM(2, 2), gru=nn.GRU(2, 2), rnn_cell=nn.RNNCell(2, 2),
    emb=nn.Embedding(3, 2), embbag=nn.EmbeddingBag(3, 2), ln=nn.LayerNorm(2), gn=nn.GroupNorm(1, 2),
    tr=nn.TransformerEncoderLayer(4, 2), transformer=nn.Transformer(4, 2, 1, 1, 8),
    moduledict=nn.ModuleDict(), modulelist=nn.ModuleList(), paramlist=nn.ParameterList(),
    paramdict=nn.ParameterDict(), identity=nn.Identity(), flatten=nn.Flatten(),
    unflatten=nn.Unflatten(1, (1, 1)), dropout=nn.Dropout(), gelu=nn.GELU(), softmax=nn.Softmax(1),
    prelu=nn.PReLU(), hardtanh=nn.Hardtanh(), relu6=nn.ReLU6(), ce=nn.CrossEntropyLoss(),
    mse=nn.MSELoss(), bce=nn.BCEWithLogitsLoss(), nll=nn.NLLLoss(), pixel=nn.PixelShuffle(2),
    upsample=nn.Upsample(scale_factor=2), pad=nn.ZeroPad2d(1), bilinear=nn.Bilinear(2, 2, 2),
    storage_dtype=torch.float32, function=Square, module_class=nn.Module,
)
for key, obj in objs.items():
    t = type(obj)
    print(key, repr(t), t.__module__, t.__qualname__)
for cls in (nn.Module, nn.Linear, nn.Conv2d, nn.Sequential, torch.optim.Optimizer, torch.optim.Adam,
            torch.optim.lr_scheduler.StepLR, torch.optim.lr_scheduler.LRScheduler,
            torch.utils.data.Dataset, torch.utils.data.DataLoader, torch.utils.data.Sampler,
            torch.Size, torch.dtype, torch.device, torch.Generator, torch.finfo, torch.iinfo,
            torch.autograd.Function, torch.Tensor, nn.Parameter, torch.distributions.Distribution,
            Square, Net):
    print(repr(cls), cls.__module__, cls.__qualname__, cls.__name__)
print(F.relu.__name__, F.relu.__qualname__, repr(F.relu).split(" at ")[0])
print(isinstance(model, nn.Module), isinstance(x.shape, tuple), isinstance(opt, torch.optim.Optimizer),
      isinstance(ds, torch.utils.data.Dataset), issubclass(nn.InstanceNorm2d, nn.Module))
print(inspect.getsource(nn.Conv2d).startswith("class Conv2d("), inspect.getfile(nn.InstanceNorm2d).endswith(".py"),
      "training" in typing.get_type_hints(nn.Linear))
print(model)
print(Net())
"""


def _run(args, cwd, timeout=300):
    env = dict(os.environ)
    env.setdefault("JAX_PLATFORMS", "cpu")
    env["PYTHONPATH"] = REPO + os.pathsep + env.get("PYTHONPATH", "")
    proc = subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert proc.returncode == 0, f"{' '.join(args)} failed:\n{proc.stderr[-4000:]}"
    return proc.stdout


def _script(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


def _both(tmp_path, name, text):
    path = _script(tmp_path, name, text)
    return _run([path.name], tmp_path), _run(["-m", "torchlike", path.name], tmp_path)


def test_public_classes_print_pytorch_names(tmp_path):
    expected, got = _both(tmp_path, "names.py", NAMESPACE_SCRIPT.format(namespaces=NAMESPACES))
    pt = dict(line.split("\t", 1) for line in expected.splitlines())
    tl_ = dict(line.split("\t", 1) for line in got.splitlines())
    common = sorted(set(pt) & set(tl_))
    assert len(common) >= 600, len(common)
    wrong = {k: (pt[k], tl_[k]) for k in common if pt[k] != tl_[k] and k not in KNOWN_DIFFERENCES}
    assert not wrong, "\n".join(f"{k}: PyTorch {a!r}, torchlike {b!r}" for k, (a, b) in wrong.items())
    # the allowance is for classes that still differ: one that now matches leaves the list
    assert all(pt[k] != tl_[k] for k in KNOWN_DIFFERENCES if k in pt and k in tl_)


def test_instance_types_and_class_reprs_match_pytorch(tmp_path):
    expected, got = _both(tmp_path, "instances.py", INSTANCE_SCRIPT)
    assert len(expected.splitlines()) > 100
    assert got.splitlines() == expected.splitlines()


def test_library_mode_keeps_torchlike_paths():
    assert tl.nn.Linear.__module__ == "torchlike.nn.modules.linear"
    assert tl.Size.__module__ == "torchlike._size"
    assert tl.optim.AdamW.__module__ == "torchlike.optim.adam"
    assert repr(tl.Tensor) == "<class 'torch.Tensor'>"
    # pickle finds them by those paths even though a real torch is importable here
    for obj in (tl.nn.Linear(2, 2), tl.optim.SGD([tl.nn.Parameter(tl.ones(1))], lr=0.1), tl.Size([2]),
                tl.utils.data.TensorDataset(tl.arange(3)), tl.float32, tl.device("cpu")):  # fmt: skip
        back = pickle.loads(pickle.dumps(obj))
        assert type(back) is type(obj)


@pytest.mark.parametrize("home, qualname", [(h, q) for h, c in _torch_names.PYTORCH_MODULES.items() for q in c])
def test_table_names_pytorch_module_and_loads_back(home, qualname):
    module = _torch_names.PYTORCH_MODULES[home][qualname]
    cls = getattr(importlib.import_module(home), qualname)
    assert isinstance(cls, type) and cls.__qualname__ == qualname
    real = getattr(importlib.import_module(module), qualname)
    assert real.__module__ == module, (real.__module__, module)
    # a file written under the hook names it so; torch.load in library mode gets torchlike's class
    assert resolve_torch_name(module, qualname) is cls


def test_virtual_modules_are_the_pytorch_modules_torchlike_lacks():
    targets = {m for classes in _torch_names.PYTORCH_MODULES.values() for m in classes.values()}
    lacking = set()
    for name in targets:
        try:
            importlib.import_module("torchlike" + name[len("torch") :])
        except ImportError:
            lacking.add(name)
    assert lacking == set(_torch_names.VIRTUAL_MODULES)


HOOK_PICKLE_SCRIPT = """
import pickle
import sys

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


def collate(batch):
    return [b[1].item() for b in batch]


def main(path):
    torch.manual_seed(0)
    model = nn.Sequential(
        nn.Conv2d(1, 2, 3), nn.InstanceNorm2d(2, affine=True), nn.FractionalMaxPool2d(2, output_size=2),
        nn.Flatten(), nn.LazyLinear(3), nn.LazyBatchNorm1d(),
    )
    x = torch.randn(2, 1, 6, 6)
    out = model(x)
    model.eval()
    out = model(x)
    mha = nn.MultiheadAttention(4, 2)
    opt = torch.optim.AdamW(model.parameters())
    torch.save({"model": model, "mha": mha, "opt": opt, "x": x, "out": out, "size": x.shape,
                "dtype": x.dtype, "device": x.device}, path)
    back = torch.load(path, weights_only=False)
    print(type(back["model"]).__module__, type(back["opt"]).__name__, torch.equal(back["model"](x), out))
    ds = TensorDataset(torch.arange(8.0).view(4, 2), torch.arange(4))
    print(type(pickle.loads(pickle.dumps(ds))))
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, 1.0, total_steps=10)
    for obj in (opt, sched, torch.Generator(), x.shape, x.dtype, x.device, torch.distributions.Normal(0.0, 1.0)):
        assert type(pickle.loads(pickle.dumps(obj))) is type(obj), obj
    from torchlike import _torch_names

    count = 0
    for cls, home in _torch_names._RENAMED:  # every class reachable by its torchlike path
        if getattr(sys.modules[home], cls.__qualname__, None) is cls:
            assert cls.__module__.startswith(("torch", "torchvision")), cls
            assert pickle.loads(pickle.dumps(cls)) is cls, cls
            count += 1
    print("classes", count > 300)
    for ctx in ("spawn", "fork"):
        loader = DataLoader(ds, batch_size=2, num_workers=2, multiprocessing_context=ctx, collate_fn=collate)
        print(ctx, list(loader))


if __name__ == "__main__":
    main(sys.argv[1])
"""


def test_pickling_under_the_hook_and_loading_elsewhere(tmp_path):
    script = _script(tmp_path, "hook_pickle.py", HOOK_PICKLE_SCRIPT)
    out = _run(["-m", "torchlike", script.name, "model.pt"], tmp_path).splitlines()
    assert out == [
        "torch.nn.modules.container AdamW True",
        "<class 'torch.utils.data.dataset.TensorDataset'>",
        "classes True",
        "spawn [[0, 1], [2, 3]]",
        "fork [[0, 1], [2, 3]]",
    ]
    # library mode: torch.load maps the torch.* paths back to torchlike's classes
    back = tl.load(str(tmp_path / "model.pt"), weights_only=False)
    assert type(back["model"]) is tl.nn.Sequential and type(back["mha"]) is tl.nn.MultiheadAttention
    assert type(back["model"][1]) is tl.nn.InstanceNorm2d and type(back["opt"]) is tl.optim.AdamW
    assert type(back["size"]) is tl.Size and back["dtype"] is tl.float32
    assert tl.equal(back["model"](back["x"]), back["out"])
    # real PyTorch reads the whole model too: every class path is one PyTorch has
    real = torch.load(str(tmp_path / "model.pt"), weights_only=False)
    assert type(real["model"][1]) is torch.nn.InstanceNorm2d and type(real["opt"]) is torch.optim.AdamW
    assert type(real["model"][2]) is torch.nn.FractionalMaxPool2d
    assert type(real["mha"].out_proj).__name__ == "NonDynamicallyQuantizableLinear"
    ours = back["model"][:2](back["x"]).detach().numpy()
    assert torch.allclose(real["model"][:2](real["x"]), torch.from_numpy(ours), atol=1e-5)


LIBRARY_PICKLE_SCRIPT = """
import io
import pickle
import sys

import torchlike as torch
from torchlike.utils.data import DataLoader, TensorDataset


def collate(batch):
    return [b[1].item() for b in batch]


if __name__ == "__main__":
    model = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.InstanceNorm1d(3))
    buf = io.BytesIO()
    torch.save(model, buf)
    buf.seek(0)
    back = torch.load(buf, weights_only=False)
    print(type(back).__module__, type(back[1]).__module__)
    ds = TensorDataset(torch.arange(8.0).view(4, 2), torch.arange(4))
    print(type(pickle.loads(pickle.dumps(ds))).__module__)
    for ctx in ("spawn", "fork"):
        loader = DataLoader(ds, batch_size=2, num_workers=2, multiprocessing_context=ctx, collate_fn=collate)
        print(ctx, list(loader))
    print(sys.modules.get("torch") is None)
"""


def test_pickling_in_library_mode(tmp_path):
    script = _script(tmp_path, "library_pickle.py", LIBRARY_PICKLE_SCRIPT)
    assert _run([script.name], tmp_path).splitlines() == [
        "torchlike.nn.modules.container torchlike.nn.modules.normalization",
        "torchlike.utils.data.dataset",
        "spawn [[0, 1], [2, 3]]",
        "fork [[0, 1], [2, 3]]",
        "True",
    ]


def test_uninstalling_the_hook_gives_the_torchlike_paths_back(tmp_path):
    code = """
    import pickle, sys
    import torchlike
    from torchlike import _import_hook
    _import_hook.install()
    import torch.nn
    print(torch.nn.Linear.__module__, torch.Size.__module__, type(torch.ones(1).shape))
    _import_hook.uninstall()
    import torchlike.nn
    print(torchlike.nn.Linear.__module__, torchlike.Size.__module__, type(torchlike.ones(1).shape))
    back = pickle.loads(pickle.dumps(torchlike.nn.InstanceNorm1d(2)))
    print(type(back) is torchlike.nn.InstanceNorm1d, "torch" in sys.modules)
    """
    out = _run(["-c", textwrap.dedent(code)], tmp_path).splitlines()
    assert out == [
        "torch.nn.modules.linear torch <class 'torch.Size'>",
        "torchlike.nn.modules.linear torchlike._size <class 'torchlike._size.Size'>",
        "True False",
    ]


JIT_SAVE_SCRIPT = """
import sys

import torch
import torch.nn as nn

torch.manual_seed(0)
m = torch.jit.script(nn.Sequential(nn.Linear(2, 2), nn.ReLU()))
torch.jit.save(m, sys.argv[1])
print(m(torch.ones(1, 2)).tolist())
"""


def test_jit_archive_written_under_the_hook_loads_in_library_mode(tmp_path):
    script = _script(tmp_path, "jit_save.py", JIT_SAVE_SCRIPT)
    expected = _run(["-m", "torchlike", script.name, "m.pt"], tmp_path).strip()
    m = tl.jit.load(str(tmp_path / "m.pt"))
    assert str(m(tl.ones(1, 2)).tolist()) == expected
    assert isinstance(m, tl.nn.Module)
