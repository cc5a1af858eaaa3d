"""torch.device, mapped onto JAX devices.

'cuda' means the accelerator JAX sees (a GPU, or the TPU on a TPU host: a documented alias),
'cpu' the host. With no accelerator, asking for 'cuda' raises as PyTorch does without CUDA.
"""

from __future__ import annotations

import functools

import jax


class device:
    __slots__ = ("type", "index")

    def __init__(self, type, index=None):  # noqa: A002 - torch's argument name
        if isinstance(type, device):
            self.type, self.index = type.type, type.index
            return
        if isinstance(type, int):
            type, index = "cuda", type
        if not isinstance(type, str):
            raise TypeError(f"device() received an invalid combination of arguments - got ({type!r})")
        import re

        if not re.fullmatch(r"[a-zA-Z_]+(:(0|[1-9][0-9]*))?", type):  # (ATen's device-string pattern)
            raise RuntimeError(f"Invalid device string: '{type}'")
        if ":" in type:
            if index is not None:
                raise RuntimeError(f"type (string) must not include an index because index was passed explicitly: {type}")
            type, _, idx = type.partition(":")
            try:
                index = int(idx)
            except ValueError:
                raise RuntimeError(f"Invalid device string: '{type}:{idx}'") from None
        if type not in ("cpu", "cuda", "xla", "tpu", "mps", "meta"):
            raise RuntimeError(
                "Expected one of cpu, cuda, ipu, xpu, mkldnn, opengl, opencl, ideep, hip, ve, fpga, maia, "
                f"xla, lazy, vulkan, mps, meta, hpu, mtia, privateuseone device type at start of device string: {type}"
            )
        if index is not None and index < 0:
            raise RuntimeError("Device index must not be negative")
        self.type = type
        self.index = index

    def __repr__(self):
        return f"device(type='{self.type}')" if self.index is None else f"device(type='{self.type}', index={self.index})"

    def __str__(self):
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other):
        if isinstance(other, str):
            other = device(other)
        return isinstance(other, device) and self.type == other.type and self.index == other.index

    def __hash__(self):
        return hash((self.type, self.index))

    def __reduce__(self):
        return (device, (self.type, self.index))

    def __enter__(self):
        # factory calls inside the block default to this device (set_default_device's setting)
        from ._context import state

        state.device_contexts.append(state.default_device)
        state.default_device = self
        return self

    def __exit__(self, *exc):
        from ._context import state

        state.default_device = state.device_contexts.pop()


CPU = device("cpu")
META = device("meta")  # the one meta device object tensors carry (dispatch compares identity)


@functools.cache
def accelerators() -> tuple:
    """JAX's non-CPU devices (GPUs or TPUs), in order."""
    try:
        backend = jax.default_backend()
    except RuntimeError:
        return ()
    if backend == "cpu":
        return ()
    return tuple(jax.devices(backend))


def to_device(d) -> device:
    if d is None:
        return CPU
    if isinstance(d, device):
        return d
    return device(d)


def canonical(d: device) -> device:
    """'cuda' -> 'cuda:0' as tensors report it; raise if there is no accelerator for it."""
    if d.type == "cpu":
        return CPU
    if d.type == "meta":
        return META
    if d.type in ("cuda", "xla", "tpu"):
        accs = accelerators()
        if not accs:
            raise AssertionError("Torch not compiled with CUDA enabled")
        index = d.index or 0
        if index >= len(accs):
            raise RuntimeError(
                "CUDA error: invalid device ordinal\nCUDA kernel errors might be asynchronously reported "
                "at some other API call, so the stacktrace below might be incorrect."
            )
        return device("cuda", index)
    raise RuntimeError(f"torchlike cannot place tensors on '{d}'")


def jax_device(d: device):
    if d.type == "cpu":
        return jax.devices("cpu")[0]
    return accelerators()[d.index or 0]


def default_device() -> device:
    """Where factory functions put new tensors: the CPU unless ``torch.set_default_device`` said
    otherwise, as in PyTorch (``.to('cuda')`` moves them)."""
    from ._context import state

    return CPU if state.default_device is None else canonical(state.default_device)
