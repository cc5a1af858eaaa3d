"""Every program in examples/ runs unmodified through ``python -m torchlike`` on tiny sizes and
prints what it should; the main job reaches >= 95% test accuracy with its default epochs."""

import os
import re
import struct
import subprocess
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLES = os.path.join(REPO, "examples")


def run_example(name, *args, tmp_path, env=None, timeout=300):
    """Run examples/<name> through the runner in a subprocess; return its stdout (must exit 0)."""
    full_env = dict(os.environ, **(env or {}))
    full_env.setdefault("TORCH_HOME", str(tmp_path / "torch_home"))  # never a user's cache
    r = subprocess.run(
        [sys.executable, "-m", "torchlike", os.path.join(EXAMPLES, name), *args],
        cwd=tmp_path,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert r.returncode == 0, (
        f"{name} exited {r.returncode}\n{r.stdout[-3000:]}\n{r.stderr[-5000:]}"
    )
    return r.stdout


def last_float(pattern, text):
    found = re.findall(pattern, text)
    assert found, f"no match for {pattern!r} in:\n{text}"
    return float(found[-1])


def test_every_example_has_a_test():
    tested = {
        "train_digits.py", "mlp_digits.py", "cnn_imagefolder.py", "autoencoder.py", "gan.py",
        "multitask.py", "transfer_learning.py", "lstm_lm.py", "transformer.py", "custom_layers.py",
        "checkpointing.py", "tensorboard_logging.py", "data_parallel.py", "ddp.py",
    }  # fmt: skip
    assert {f for f in os.listdir(EXAMPLES) if f.endswith(".py")} == tested
    readme = open(os.path.join(EXAMPLES, "README.md")).read()
    for name in tested:
        assert f"examples/{name}" in readme, f"{name} missing from examples/README.md"


def test_main_job_reaches_95_percent_with_default_epochs(tmp_path):
    out = run_example("train_digits.py", tmp_path=tmp_path)
    epochs = re.findall(r"^epoch (\d+): loss ([\d.]+)\s+train accuracy ([\d.]+)", out, re.M)
    assert len(epochs) == 8
    assert float(epochs[-1][1]) < float(epochs[0][1])
    assert last_float(r"test accuracy: ([\d.]+)", out) >= 0.95
    assert re.search(r"time per step: [\d.]+ ms \(352 steps on cpu", out)


def test_mlp_digits(tmp_path):
    out = run_example("mlp_digits.py", "--epochs", "2", "--train-size", "320", tmp_path=tmp_path)
    assert re.search(r"^Epoch 2, Loss: [\d.]+$", out, re.M)
    assert last_float(r"Accuracy of the network on the 360 test images: ([\d.]+) %", out) > 50


@pytest.mark.parametrize("model", ["simplecnn", "convnet"])
def test_cnn_imagefolder(tmp_path, model):
    out = run_example(
        "cnn_imagefolder.py",
        "--model",
        model,
        "--epochs",
        "1",
        "--print-every",
        "20",
        tmp_path=tmp_path,
    )
    assert "1437 training / 360 test images, classes ['0', '1'" in out
    assert re.search(r"^\[1,    80\] loss: [\d.]+$", out, re.M)
    assert "Finished Training" in out
    assert last_float(r"Accuracy of the network on the 360 test images: ([\d.]+) %", out) > 20
    assert not any(p.startswith("digits_imagefolder_") for p in os.listdir(tmp_path))


def test_autoencoder(tmp_path):
    out = run_example("autoencoder.py", "--epochs", "2", "--train-size", "256", tmp_path=tmp_path)
    assert "(12): Linear(in_features=4, out_features=2, bias=True)" in out
    assert "(13): Tanh()" in out
    assert "(1): LeakyReLU(negative_slope=0.1, inplace=True)" in out
    assert "2-d codes: (360, 2)" in out
    loss = last_float(r"test reconstruction loss: ([\d.]+)", out)
    assert loss < last_float(r"blank-image baseline ([\d.]+)", out)


def test_gan(tmp_path):
    png = tmp_path / "samples.png"
    out = run_example(
        "gan.py",
        "--epochs",
        "1",
        "--train-size",
        "128",
        "--batch-size",
        "32",
        "--out",
        str(png),
        tmp_path=tmp_path,
    )
    assert re.search(
        r"^\[1/1\] loss_D [\d.]+  loss_G [\d.]+  D\(x\) [\d.]+  D\(G\(z\)\) [\d.]+$", out, re.M
    )
    assert "generated (64, 1, 16, 16)" in out
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_multitask(tmp_path):
    out = run_example("multitask.py", "--epochs", "2", tmp_path=tmp_path)
    assert re.search(r"^epoch 2: digit loss [\d.]+  parity loss [\d.]+$", out, re.M)
    assert last_float(r"test accuracy: digit ([\d.]+)", out) > 0.7
    assert last_float(r"parity ([\d.]+)$", out) > 0.7


def test_transfer_learning_without_and_with_local_weights(tmp_path):
    args = (
        "--epochs",
        "1",
        "--train-size",
        "32",
        "--test-size",
        "40",
        "--batch-size",
        "16",
        "--size",
        "32",
    )
    out = run_example("transfer_learning.py", *args, tmp_path=tmp_path)
    assert "running with random weights" in out
    assert "trainable: ['fc.weight', 'fc.bias']; frozen parameters: 11176512" in out
    assert "backbone unchanged: True; head changed: True" in out
    assert re.search(r"test accuracy: [\d.]+ \(\d+/40\)", out)

    # a checkpoint in the torchvision cache path is picked up
    import torchlike as tl
    from torchlike.vision import models

    checkpoints = tmp_path / "torch_home" / "hub" / "checkpoints"
    checkpoints.mkdir(parents=True)
    tl.save(models.resnet18().state_dict(), str(checkpoints / "resnet18-f37072fd.pth"))
    out = run_example("transfer_learning.py", *args, tmp_path=tmp_path)
    assert f"using pretrained weights from {checkpoints / 'resnet18-f37072fd.pth'}" in out


def test_lstm_language_model(tmp_path):
    out = run_example(
        "lstm_lm.py", "--steps", "4", "--seq-len", "16", "--sample", "10", tmp_path=tmp_path
    )
    assert "vocabulary 29" in out
    assert re.search(r"^step 4: loss [\d.]+  perplexity [\d.]+$", out, re.M)
    sample = re.search(r"^sample: '(.*)'$", out, re.M)
    assert sample and sample.group(1).startswith("the ") and len(sample.group(1)) == 14
    assert last_float(r"final loss: ([\d.]+)", out) < 3.37  # below a uniform guess over 29 symbols


def test_transformer_classifier(tmp_path):
    out = run_example("transformer.py", "--epochs", "2", tmp_path=tmp_path)
    assert re.search(r"^epoch 2: loss [\d.]+  train accuracy [\d.]+  lr 0\.00000$", out, re.M)
    assert last_float(r"test accuracy: ([\d.]+)", out) > 0.3


def test_custom_layers(tmp_path):
    out = run_example("custom_layers.py", "--epochs", "1", tmp_path=tmp_path)
    assert "SignSTE forward [-1.0, -1.0, 0.0, 1.0, 1.0] grad [0.0, 1.0, 1.0, 1.0, 0.0]" in out
    assert "(fc1): ScaledLinear(in_features=64, out_features=128)" in out
    assert last_float(r"test accuracy: ([\d.]+)", out) > 0.7


def test_checkpointing_resume_matches_uninterrupted_training(tmp_path):
    ckpt = tmp_path / "ckpt.pt"
    out = run_example(
        "checkpointing.py", "--epochs", "2", "--checkpoint", str(ckpt), tmp_path=tmp_path
    )
    assert "resumed at epoch 1 (saved loss" in out
    assert "lr 0.00700, 4 parameter states" in out
    assert "resumed run matches the uninterrupted run: True" in out
    torch = pytest.importorskip("torch")  # the checkpoint is a real PyTorch checkpoint
    state = torch.load(ckpt, weights_only=True)
    assert state["epoch"] == 1
    assert list(state["model_state_dict"]) == ["0.weight", "0.bias", "2.weight", "2.bias"]
    assert state["optimizer_state_dict"]["state"][0]["exp_avg"].shape == (64, 64)


def _event_tags(logdir):
    """Summary tags in a TensorBoard event file (TFRecord: length, crc, Event proto, crc)."""
    from tensorboardX.proto import event_pb2

    tags, graphs = set(), 0
    for name in os.listdir(logdir):
        data = open(os.path.join(logdir, name), "rb").read()
        pos = 0
        while pos < len(data):
            (length,) = struct.unpack("<Q", data[pos : pos + 8])
            event = event_pb2.Event.FromString(data[pos + 12 : pos + 12 + length])
            pos += 16 + length
            tags.update(v.tag for v in event.summary.value)
            graphs += bool(event.graph_def)
    return tags, graphs


def test_tensorboard_logging(tmp_path):
    logdir = tmp_path / "runs"
    out = run_example(
        "tensorboard_logging.py", "--epochs", "1", "--logdir", str(logdir), tmp_path=tmp_path
    )
    assert f"wrote 22 training steps of logs to {logdir}" in out
    tags, graphs = _event_tags(logdir)
    assert {
        "loss/train",
        "accuracy/test",
        "lr",
        "inputs",
        "weights/conv.weight",
        "weights/fc.bias",
    } <= tags
    assert graphs == 1


def test_data_parallel_over_two_host_devices(tmp_path):
    env = {"XLA_FLAGS": "--xla_force_host_platform_device_count=2"}
    out = run_example("data_parallel.py", "--epochs", "1", env=env, tmp_path=tmp_path)
    assert "DataParallel over 2 device(s)" in out
    assert last_float(r"test accuracy: ([\d.]+)", out) > 0.3
    assert "state_dict keys of model.module: ['features.0.weight', 'features.0.bias']" in out


def test_ddp_two_processes(tmp_path):
    out = run_example("ddp.py", "--epochs", "1", "--world-size", "2", tmp_path=tmp_path)
    assert "epoch 1: loss" in out and "(22 batches per rank x 2 ranks)" in out
    assert "replicas in sync: True" in out
    assert last_float(r"test accuracy: ([\d.]+)", out) > 0.5
