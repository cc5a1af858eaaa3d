"""AdaptiveLogSoftmaxWithLoss (Grave et al., 2016): a head over the frequent classes plus one
cluster token per tail, each tail a low-rank projection.

PyTorch selects each cluster's rows with ``nonzero`` (data-dependent shapes: a host sync and, here,
a new program whenever the counts change). torchlike evaluates every tail on every row and selects
per row with ``where``: the same values and gradients, static shapes, no sync, at the cost of
computing the tails for rows that do not need them.
"""

from __future__ import annotations

import itertools
from collections import namedtuple

from ..._context import state as _state
from ..._engine.graph import Pending
from ..._ops.pointwise import where
from ..._ops.shape import cat
from ..._tensor import Tensor
from .._functional.activation import log_softmax
from .container import ModuleList, Sequential
from .linear import Linear
from .module import Module

__all__ = ["AdaptiveLogSoftmaxWithLoss"]

_ASMoutput = namedtuple("_ASMoutput", ["output", "loss"])
_ASMoutput.__module__ = "torch.nn.modules.adaptive"


def _where(mask, a, b):
    return where.frontend(mask, a, b)


class AdaptiveLogSoftmaxWithLoss(Module):
    def __init__(self, in_features: int, n_classes: int, cutoffs, div_value: float = 4.0,
                 head_bias: bool = False, device=None, dtype=None):
        factory = dict(device=device, dtype=dtype)
        super().__init__()
        cutoffs = list(cutoffs)
        if len(cutoffs) == 0:
            raise ValueError("cutoffs should be a sequence of length larger than 0")
        if (
            cutoffs != sorted(cutoffs)
            or min(cutoffs) <= 0
            or max(cutoffs) > (n_classes - 1)
            or len(set(cutoffs)) != len(cutoffs)
            or any(int(c) != c for c in cutoffs)
        ):
            raise ValueError(
                "cutoffs should be a sequence of unique, positive integers sorted in an increasing order, where "
                "each value is between 1 and n_classes-1"
            )
        self.in_features = in_features
        self.n_classes = n_classes
        self.cutoffs = cutoffs + [n_classes]
        self.div_value = div_value
        self.head_bias = head_bias
        self.shortlist_size = self.cutoffs[0]
        self.n_clusters = len(self.cutoffs) - 1
        self.head_size = self.shortlist_size + self.n_clusters
        self.head = Linear(self.in_features, self.head_size, bias=self.head_bias, **factory)
        self.tail = ModuleList()
        for i in range(self.n_clusters):
            hsz = int(self.in_features // (self.div_value ** (i + 1)))
            osz = self.cutoffs[i + 1] - self.cutoffs[i]
            self.tail.append(
                Sequential(Linear(self.in_features, hsz, bias=False, **factory), Linear(hsz, osz, bias=False, **factory))
            )

    def reset_parameters(self) -> None:
        self.head.reset_parameters()
        for i2h, h2o in self.tail:
            i2h.reset_parameters()
            h2o.reset_parameters()

    def _check_targets(self, target) -> None:
        """PyTorch's range error. Checked when the targets are already known (host data, computed
        values, eager mode); a pending target is not synced for it (as torchlike's indexing ops)."""
        d = target._data
        if type(d) is Pending and d.array is None and not _state.eager:
            return
        host = target._host("AdaptiveLogSoftmaxWithLoss target check")
        if host.size and (host.min() < 0 or host.max() >= self.n_classes):
            raise RuntimeError(
                f"Target values should be in [0, {self.n_classes - 1}], but values in range "
                f"[{host.min()}, {host.max()}] were found. "
            )

    def forward(self, input_: Tensor, target_: Tensor) -> _ASMoutput:
        targ_dim = target_.dim()
        if targ_dim == 1:
            if input_.size(0) != target_.size(0):
                raise RuntimeError("Input and target should have the same size in the batch dimension.")
            if input_.dim() != 2:
                raise RuntimeError(
                    f"1D target tensor expects 2D input tensors, but found inputs with size {input_.size()}"
                )
        elif targ_dim == 0:
            if input_.dim() != 1:
                raise RuntimeError(
                    f"0D target tensor expects 1D input tensors, but found inputs with size {input_.size()}"
                )
        else:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
        is_batched = targ_dim > 0
        input = input_ if is_batched else input_.unsqueeze(0)  # noqa: A001
        target = target_ if is_batched else target_.unsqueeze(0)
        self._check_targets(target)
        output = input.new_zeros(target.size(0))
        gather_inds = target
        cutoff_values = [0] + self.cutoffs
        for i in range(1, len(cutoff_values) - 1):
            low_idx, high_idx = cutoff_values[i], cutoff_values[i + 1]
            target_mask = (target >= low_idx) & (target < high_idx)
            relative_target = (target - low_idx).clamp(0, high_idx - low_idx - 1)
            cluster_logprob = log_softmax(self.tail[i - 1](input), dim=1)
            local_logprob = cluster_logprob.gather(1, relative_target.unsqueeze(1)).squeeze(1)
            output = _where(target_mask, local_logprob, output)
            gather_inds = _where(target_mask, self.shortlist_size + i - 1, gather_inds)
        head_logprob = log_softmax(self.head(input), dim=1)
        output = output + head_logprob.gather(1, gather_inds.unsqueeze(1)).squeeze()
        loss = (-output).mean()
        if not is_batched:
            output = output.squeeze(0)
        return _ASMoutput(output, loss)

    def _get_full_log_prob(self, input, head_output):  # noqa: A002
        head_logprob = log_softmax(head_output, dim=1)
        pieces = [head_logprob[:, : self.shortlist_size]]
        for i, _ in enumerate(itertools.pairwise(self.cutoffs)):
            cluster_logprob = log_softmax(self.tail[i](input), dim=1)
            pieces.append(cluster_logprob + head_logprob[:, self.shortlist_size + i].unsqueeze(1))
        return cat.frontend(pieces, dim=1)

    def log_prob(self, input: Tensor) -> Tensor:  # noqa: A002
        return self._get_full_log_prob(input, self.head(input))

    def predict(self, input: Tensor) -> Tensor:  # noqa: A002
        # the full distribution's argmax where the head's choice is a cluster (PyTorch computes it
        # only for those rows; the per-row values are the same)
        head_output = self.head(input)
        output = head_output.argmax(dim=1)
        not_in_shortlist = output >= self.shortlist_size
        full = self._get_full_log_prob(input, head_output).argmax(dim=1)
        return _where(not_in_shortlist, full, output)

