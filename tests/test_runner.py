"""``python -m torchlike SCRIPT.py``: an unmodified PyTorch script prints what real PyTorch prints;
every torch/torchvision submodule the examples import resolves to torchlike; spawned children
(torch.multiprocessing.spawn, DataLoader workers) see torchlike too."""

import os
import subprocess
import sys
import textwrap

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

PARITY_SCRIPT = """
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

a = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
b = torch.arange(4, dtype=torch.float32).view(2, 2)
print(a + b)
print(a @ b)
print(a.sum(), a.mean(dim=0), a.max(), a.argmax())
print(torch.tensor([1, 2, 3]) * 2, torch.tensor([1, 2, 3]) / 2)
print(a.dtype, torch.tensor([1, 2]).dtype, a.shape, a.size(1), a.t().shape, a.numel())
print(torch.zeros(2, 3).long(), torch.ones(2, dtype=torch.bool))
print(F.softmax(torch.tensor([0.0, 1.0, 2.0]), dim=0))
print(torch.cat([a, b]).tolist(), torch.stack([a, b]).shape)
print(torch.where(a > 2, a, torch.zeros_like(a)))
print(a.double(), (a > 2).sum().item())
print(torch.linspace(0, 1, 5), torch.eye(2, dtype=torch.int64))


class TinyNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(3, 2)
        self.fc2 = nn.Linear(2, 1)

    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x)))


net = TinyNet()
with torch.no_grad():
    net.fc1.weight.copy_(torch.tensor([[0.5, -1.0, 0.25], [1.0, 0.5, -0.5]]))
    net.fc1.bias.copy_(torch.tensor([0.1, -0.2]))
    net.fc2.weight.copy_(torch.tensor([[2.0, -1.0]]))
    net.fc2.bias.copy_(torch.tensor([0.5]))
print(net)
x = torch.tensor([[1.0, 2.0, 3.0], [-1.0, 0.5, 2.0]], requires_grad=True)
out = net(x)
print(out)
loss = out.pow(2).mean()
print(loss)
loss.backward()
print(round(loss.item(), 6))
print(x.grad)
print(net.fc1.weight.grad, net.fc2.bias.grad)
print([(k, tuple(v.shape)) for k, v in net.state_dict().items()])
print(isinstance(net.fc1.weight, nn.Parameter), net.fc1.weight.requires_grad, x.grad_fn, out.grad_fn.name())

opt = torch.optim.SGD(net.parameters(), lr=0.5, momentum=0.9)
opt.step()
print(net.fc2.weight)
print(sys.argv[1:])
"""


def _run(args, cwd, env=None, timeout=300):
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env
    )


def _runner(script, *args, tmp_path, env=None):
    return _run(["-m", "torchlike", str(script), *args], cwd=tmp_path, env=env)


def _script(tmp_path, text, name="script.py"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


def test_unmodified_script_prints_what_pytorch_prints(tmp_path):
    pytest.importorskip("torch")
    script = _script(tmp_path, PARITY_SCRIPT)
    real = _run([str(script), "--flag", "x"], cwd=tmp_path)
    assert real.returncode == 0, real.stderr
    ours = _runner(script, "--flag", "x", tmp_path=tmp_path)
    assert ours.returncode == 0, ours.stderr
    assert ours.stdout == real.stdout
    assert "['--flag', 'x']" in ours.stdout


def test_runner_maps_the_submodules_the_examples_import(tmp_path):
    names = [
        "torch",
        "torch.nn",
        "torch.nn.functional",
        "torch.nn.init",
        "torch.nn.utils",
        "torch.optim",
        "torch.optim.lr_scheduler",
        "torch.utils.data",
        "torch.utils.data.distributed",
        "torch.utils.tensorboard",
        "torch.multiprocessing",
        "torch.distributed",
        "torch.nn.parallel",
        "torch.autograd",
        "torch.cuda",
        "torch.cuda.amp",
        "torch.amp",
        "torch.backends",
        "torch.backends.cudnn",
        "torch.hub",
        "torch.linalg",
        "torchvision",
        "torchvision.transforms",
        "torchvision.transforms.functional",
        "torchvision.datasets",
        "torchvision.models",
        "torchvision.utils",
    ]
    script = _script(
        tmp_path,
        f"""
        import importlib
        import torchlike
        for name in {names!r}:
            mod = importlib.import_module(name)
            real = "torchlike" + name[len("torch"):] if name.startswith("torch.") or name == "torch" else None
            real = "torchlike.vision" + name[len("torchvision"):] if name.startswith("torchvision") else real
            assert mod is importlib.import_module(real), (name, mod)
            assert mod.__spec__ is None or mod.__spec__.name == real, (name, mod.__spec__)
        from torch.cuda import amp
        from torch.nn.parallel import DistributedDataParallel, DataParallel
        from torch.utils.data import DataLoader, DistributedSampler
        from torch.utils.tensorboard import SummaryWriter
        import torch, torch.backends.cudnn
        torch.backends.cudnn.benchmark = True
        assert torch.backends.cudnn.benchmark is True
        assert isinstance(torch.cuda.is_available(), bool)
        assert issubclass(amp.GradScaler, torch.amp.GradScaler)
        assert torch is torchlike and torch.cuda is torchlike.cuda
        print("all mapped")
        """,
    )
    r = _runner(script, tmp_path=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "all mapped"


def test_spawned_children_and_dataloader_workers_import_torchlike(tmp_path):
    script = _script(
        tmp_path,
        """
        import torch
        import torch.multiprocessing as mp
        from torch.utils.data import DataLoader, Dataset


        class Named(Dataset):
            def __len__(self):
                return 2

            def __getitem__(self, i):
                import torch
                return torch.__spec__.name  # (torch.__name__ is "torch" under the hook)


        def child(rank, queue):
            queue.put((rank, torch.__spec__.name))


        if __name__ == "__main__":
            queue = mp.get_context("spawn").SimpleQueue()
            mp.spawn(child, args=(queue,), nprocs=2)
            print(sorted(queue.get() for _ in range(2)))
            loader = DataLoader(Named(), batch_size=None, num_workers=1,
                                multiprocessing_context="spawn")
            print(list(loader))
        """,
    )
    r = _runner(script, tmp_path=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == [
        "[(0, 'torchlike'), (1, 'torchlike')]",
        "['torchlike', 'torchlike']",
    ]


def test_runner_flags_errors_and_main_guard(tmp_path):
    script = _script(
        tmp_path,
        """
        import sys
        import torch
        print(__name__, torch.is_eager(), sys.argv)
        (torch.ones(3) * 2).sum().item()
        if "--fail" in sys.argv:
            raise ValueError("boom")
        """,
    )
    r = _runner(script, "a", tmp_path=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == f"__main__ False [{str(script)!r}, 'a']"
    r = _run(["-m", "torchlike", "--eager", "--metrics", str(script)], cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("__main__ True")
    assert "CompileTime" in r.stderr
    r = _runner(script, "--fail", tmp_path=tmp_path)
    assert r.returncode != 0
    assert "ValueError: boom" in r.stderr


def test_script_file_is_absolute_and_argv_as_given(tmp_path):
    """``python script.py`` gives an absolute ``__file__`` (and traceback/warning paths) while
    ``sys.argv[0]`` stays as typed; the runner gives the same."""
    script = _script(tmp_path, "import sys\nprint(__file__, sys.argv[0])\n")
    real = _run([script.name], cwd=tmp_path)
    ours = _runner(script.name, tmp_path=tmp_path)
    assert ours.returncode == 0, ours.stderr
    assert ours.stdout == real.stdout == f"{script} {script.name}\n"
