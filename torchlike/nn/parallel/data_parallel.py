"""DataParallel: the batch axis sharded over the local devices, parameters replicated; XLA's SPMD
partitioner splits the step program and inserts the gradient all-reduce inside it."""

from __future__ import annotations

import jax
import numpy as np
from jax.sharding import Mesh, NamedSharding, PartitionSpec

from ... import _device
from ..._ops.registry import op
from ..._tensor import Tensor
from ..modules.module import Module


@op("shard_batch", function=False, grad_name="ShardBackward0")
def _shard(x, *, sharding):
    return jax.lax.with_sharding_constraint(x, sharding)


class DataParallel(Module):
    def __init__(self, module, device_ids=None, output_device=None, dim=0):
        super().__init__()
        devices = jax.local_devices()
        if device_ids is None and len(devices) == 1 and not _device.accelerators():
            # PyTorch with no accelerator: a plain wrapper (device_ids == [], no dim/output_device)
            self.module = module
            self.device_ids = []
            self._mesh = None
            return
        self.module = module
        self.dim = dim
        if device_ids is not None:
            ids = [d if isinstance(d, int) else getattr(d, "index", 0) or 0 for d in device_ids]
            devices = [devices[i] for i in ids]
        self.device_ids = list(range(len(devices)))
        self.output_device = (
            output_device
            if output_device is not None
            else (self.device_ids[0] if devices else None)
        )
        self._mesh = Mesh(np.array(devices), ("batch",)) if len(devices) > 1 else None
        if self._mesh is not None:
            replicated = NamedSharding(self._mesh, PartitionSpec())
            for t in list(module.parameters()) + list(module.buffers()):
                t._data = jax.device_put(t._concrete("DataParallel"), replicated)

    def _scatter(self, x):
        if (
            not isinstance(x, Tensor)
            or x.dim() <= self.dim
            or x.shape[self.dim] % len(self.device_ids)
        ):
            return x
        spec = PartitionSpec(*([None] * self.dim + ["batch"]))
        return _shard.frontend(x, sharding=NamedSharding(self._mesh, spec))

    def forward(self, *inputs, **kwargs):
        if self._mesh is None:
            return self.module(*inputs, **kwargs)
        inputs = tuple(self._scatter(x) for x in inputs)
        kwargs = {k: self._scatter(v) for k, v in kwargs.items()}
        return self.module(*inputs, **kwargs)
