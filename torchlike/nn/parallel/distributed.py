"""DistributedDataParallel: every rank runs its local step; at the end of backward, one
cross-process XLA program averages all gradients (PyTorch's semantics: local losses and outputs,
gradients averaged over ranks). ``no_sync()`` skips the averaging for gradient accumulation."""

from __future__ import annotations

import contextlib

import jax
import numpy as np

from ..._context import state
from ..modules.module import Module


class DistributedDataParallel(Module):
    def __init__(
        self,
        module,
        device_ids=None,
        output_device=None,
        dim=0,
        broadcast_buffers=True,
        process_group=None,
        bucket_cap_mb=None,
        find_unused_parameters=False,
        check_reduction=False,
        gradient_as_bucket_view=False,
        static_graph=False,
        delay_all_reduce_named_params=None,
        param_to_hook_all_reduce=None,
        mixed_precision=None,
        device_mesh=None,
    ):
        super().__init__()
        from ... import distributed as dist

        if not dist.is_initialized():
            raise ValueError(
                "Default process group has not been initialized, please make sure to call init_process_group."
            )
        self.module = module
        self.device_ids = device_ids
        self.output_device = output_device
        self.broadcast_buffers = broadcast_buffers
        self.find_unused_parameters = find_unused_parameters
        self.require_backward_grad_sync = True
        self._world = dist.get_world_size()
        self._average = None
        if self._world > 1:
            # start from rank 0's parameters and buffers, as DDP's constructor does
            for t in list(module.parameters()) + list(module.buffers()):
                dist.broadcast(t.data, 0)

    def forward(self, *inputs, **kwargs):
        if self._world > 1 and state.grad_enabled and self.require_backward_grad_sync:
            state.backward_callbacks[id(self)] = self._sync_gradients
        return self.module(*inputs, **kwargs)

    @contextlib.contextmanager
    def no_sync(self):
        prev = self.require_backward_grad_sync
        self.require_backward_grad_sync = False
        try:
            yield
        finally:
            self.require_backward_grad_sync = prev

    def _sync_gradients(self):
        params = [p for p in self.module.parameters() if p.requires_grad and p._grad is not None]
        if not params:
            return
        local = [p._grad._concrete("DistributedDataParallel gradient sync") for p in params]
        first = {}
        for d in jax.devices():
            first.setdefault(d.process_index, d)
        mesh = jax.sharding.Mesh(np.array([first[i] for i in sorted(first)]), ("proc",))
        split = jax.sharding.NamedSharding(mesh, jax.sharding.PartitionSpec("proc"))
        replicated = jax.sharding.NamedSharding(mesh, jax.sharding.PartitionSpec())
        with jax.enable_x64(True):
            globals_ = [
                jax.make_array_from_process_local_data(
                    split, np.asarray(g)[None], (self._world,) + tuple(g.shape)
                )
                for g in local
            ]
            if self._average is None:
                self._average = jax.jit(
                    lambda *gs: [g.mean(0).astype(g.dtype) for g in gs], out_shardings=replicated
                )
            averaged = self._average(*globals_)
        for p, a in zip(params, averaged):
            p._grad._data = a.addressable_data(0)
            p._grad._vbox[0] += 1
