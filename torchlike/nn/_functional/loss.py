"""Loss functions (torch.nn.functional's losses); one fused op per loss, reductions inside the kernel.

Hyper-parameters given as Python numbers (margin, beta, delta, eps, label_smoothing) are op inputs,
so changing them between steps does not recompile; class indices are checked by shape and dtype at
the call, never by value (no host sync): an out-of-range class index gives a NaN loss instead of
PyTorch's IndexError.
"""

from __future__ import annotations

import functools
import math
import warnings

import jax
import jax.numpy as jnp

from ... import _debug_checks, _dtype
from ..._ops.reduction import _torch_type_name, exact_mean
from ..._ops.registry import op
from .distance import _broadcast_shape, sign_abs

# cosine_embedding_loss and the triplet losses live with the distances they are built on (distance.py)
__all__ = [
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "ctc_loss",
    "gaussian_nll_loss",
    "hinge_embedding_loss",
    "linear_cross_entropy",
    "huber_loss",
    "kl_div",
    "l1_loss",
    "margin_ranking_loss",
    "mse_loss",
    "multi_margin_loss",
    "multilabel_margin_loss",
    "multilabel_soft_margin_loss",
    "nll_loss",
    "poisson_nll_loss",
    "smooth_l1_loss",
    "soft_margin_loss",
]


# -- reductions -------------------------------------------------------------------------------


def legacy_get_string(size_average, reduce, emit_warning: bool = True) -> str:
    """The reduction named by the deprecated size_average/reduce pair, as torch maps it."""
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    ret = "mean" if size_average and reduce else "sum" if reduce else "none"
    if emit_warning:
        warnings.warn(
            f"size_average and reduce args will be deprecated, please use reduction='{ret}' instead.",
            stacklevel=3,
        )
    return ret


def _check_reduction(reduction: str) -> str:
    if reduction == "elementwise_mean":
        warnings.warn(
            "reduction='elementwise_mean' is deprecated. Please use reduction='mean' instead.",
            stacklevel=3,
        )
        return "mean"
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return reduction


def _reduction(size_average, reduce, reduction: str) -> str:
    if size_average is not None or reduce is not None:
        return legacy_get_string(size_average, reduce)
    return _check_reduction(reduction)


def _reduce(loss, reduction: str):
    if reduction == "mean":
        return exact_mean(loss)
    if reduction == "sum":
        return jnp.sum(loss)
    return loss


def _num(x, like):
    """A Python-number input (a 0-d array in the kernel) in the computation's dtype."""
    return jnp.asarray(x).astype(like.dtype)


def _type_name(dt) -> str:
    return _torch_type_name(dt)


# -- regression losses ------------------------------------------------------------------------


def _warn_target_size(input, target):  # noqa: A002
    if tuple(target.shape) != tuple(input.shape):
        warnings.warn(
            f"Using a target size ({target.shape}) that is different to the input size ({input.shape}). "
            "This will likely lead to incorrect results due to broadcasting. "
            "Please ensure they have the same size.",
            stacklevel=3,
        )
    _broadcast_shape(input.shape, target.shape)


def _check_elementwise_weight(input, weight):  # noqa: A002
    if weight is not None and tuple(weight.shape) != tuple(input.shape):
        raise ValueError("Weights and input must have the same size.")


def _weighted(loss, weight, reduction, *, mean):
    """Reduce a pointwise loss, weighted: mean is sum(w*l)/sum(w) (l1, mse) or mean(w*l) (huber)."""
    if weight is None:
        return _reduce(loss, reduction)
    loss = loss * weight
    if reduction == "mean" and mean == "weights":
        return jnp.sum(loss) / jnp.sum(weight)
    return _reduce(loss, reduction)


@op("l1_loss", function=False, promote="float", grad_name="MeanBackward0")
def _l1_loss(input, target, weight=None, *, reduction="mean"):  # noqa: A002
    return _weighted(sign_abs(input - target), weight, reduction, mean="weights")


@op("mse_loss", function=False, promote="float", grad_name="MseLossBackward0")
def _mse_loss(input, target, weight=None, *, reduction="mean"):  # noqa: A002
    d = input - target
    return _weighted(d * d, weight, reduction, mean="weights")


@op(
    "smooth_l1_loss",
    function=False,
    promote="float",
    promote_args=(0, 1),
    grad_name="SmoothL1LossBackward0",
)
def _smooth_l1_loss(input, target, beta, *, reduction="mean"):  # noqa: A002
    d = sign_abs(input - target)
    beta = _num(beta, d)
    return _reduce(jnp.where(d < beta, 0.5 * d * d / beta, d - 0.5 * beta), reduction)


@op(
    "huber_loss",
    function=False,
    promote="float",
    promote_args=(0, 1, 3),
    grad_name="HuberLossBackward0",
)
def _huber_loss(input, target, delta, weight=None, *, reduction="mean"):  # noqa: A002
    d = sign_abs(input - target)
    delta = _num(delta, d)
    loss = jnp.where(d < delta, 0.5 * d * d, delta * (d - 0.5 * delta))
    return _weighted(loss, weight, reduction, mean="elements")


def l1_loss(input, target, size_average=None, reduce=None, reduction: str = "mean", weight=None):  # noqa: A002
    _warn_target_size(input, target)
    reduction = _reduction(size_average, reduce, reduction)
    _check_elementwise_weight(input, weight)
    return _l1_loss.frontend(input, target, weight, reduction=reduction)


def mse_loss(input, target, size_average=None, reduce=None, reduction: str = "mean", weight=None):  # noqa: A002
    _warn_target_size(input, target)
    reduction = _reduction(size_average, reduce, reduction)
    _check_elementwise_weight(input, weight)
    return _mse_loss.frontend(input, target, weight, reduction=reduction)


def smooth_l1_loss(
    input, target, size_average=None, reduce=None, reduction: str = "mean", beta: float = 1.0
):  # noqa: A002
    _warn_target_size(input, target)
    reduction = _reduction(size_average, reduce, reduction)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    if beta == 0.0:
        return _l1_loss.frontend(input, target, None, reduction=reduction)
    return _smooth_l1_loss.frontend(input, target, beta, reduction=reduction)


def huber_loss(input, target, reduction: str = "mean", delta: float = 1.0, weight=None):  # noqa: A002
    _warn_target_size(input, target)
    _check_elementwise_weight(input, weight)
    reduction = _check_reduction(reduction)
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    return _huber_loss.frontend(input, target, delta, weight, reduction=reduction)


# -- classification: nll / cross entropy ------------------------------------------------------


def _nll_terms(logp, target, weight, ignore_index):
    """Per-element -w[t] * logp[t] and w[t] (0 where ignored); NaN for class indices out of range."""
    cdim = 0 if logp.ndim == 1 else 1
    n_classes = logp.shape[cdim]
    if logp.ndim == 1:
        target = target.reshape(())
    valid = target != ignore_index
    t = jnp.where(valid, target, 0).astype(jnp.int64)
    picked = jnp.take_along_axis(
        logp, jnp.expand_dims(jnp.clip(t, 0, n_classes - 1), cdim), axis=cdim
    )
    picked = jnp.squeeze(picked, cdim)
    picked = jnp.where((t < 0) | (t >= n_classes), jnp.nan, picked)
    w = valid.astype(logp.dtype)
    if weight is not None:
        w = w * weight.astype(logp.dtype)[jnp.clip(t, 0, n_classes - 1)]
    return -picked * w, w, valid


def _nll_reduce(loss, w, reduction):
    if reduction == "mean":
        return jnp.sum(loss) / jnp.sum(w)
    return _reduce(loss, reduction)


@op("nll_loss", function=False, promote="float", promote_args=(0,), grad_name="NllLossBackward0")
def _nll_loss(input, target, weight=None, *, reduction="mean", ignore_index=-100):  # noqa: A002
    loss, w, _ = _nll_terms(input, target, weight, ignore_index)
    return _nll_reduce(loss, w, reduction)


def _class_weight_shape(weight, shape, cdim):
    return weight.reshape(tuple(-1 if i == cdim else 1 for i in range(len(shape))))


@op(
    "cross_entropy",
    function=False,
    promote="float",
    promote_args=(0,),
    grad_name="NllLossBackward0",
)
def _cross_entropy(
    input, target, weight=None, label_smoothing=None, *, reduction="mean", ignore_index=-100
):  # noqa: A002
    cdim = 0 if input.ndim == 1 else 1
    logp = jax.nn.log_softmax(input, axis=cdim)
    loss, w, valid = _nll_terms(logp, target, weight, ignore_index)
    nll = _nll_reduce(loss, w, reduction)
    if label_smoothing is None:
        return nll
    # torch mixes in the loss against the uniform distribution, weighted by class
    wl = (
        logp
        if weight is None
        else logp * _class_weight_shape(weight.astype(logp.dtype), logp.shape, cdim)
    )
    smooth = jnp.where(valid.reshape(loss.shape), -jnp.sum(wl, axis=cdim), 0)
    smooth = jnp.sum(smooth) / jnp.sum(w) if reduction == "mean" else _reduce(smooth, reduction)
    ls = _num(label_smoothing, logp)
    return (1 - ls) * nll + smooth * (ls / input.shape[cdim])


@op(
    "cross_entropy_probs",
    function=False,
    promote="float",
    promote_args=(0, 1),
    grad_name="DivBackward1",
)
def _cross_entropy_probs(input, target, weight=None, label_smoothing=None, *, reduction="mean"):  # noqa: A002
    cdim = 0 if input.ndim == 1 else 1
    n_classes = input.shape[cdim]
    logp = jax.nn.log_softmax(input, axis=cdim)
    if label_smoothing is not None:
        ls = _num(label_smoothing, logp)
        target = target * (1 - ls) + ls / n_classes
    prod = logp * target
    if weight is not None:
        prod = prod * _class_weight_shape(weight.astype(logp.dtype), logp.shape, cdim)
    if reduction == "mean":
        return -jnp.sum(prod) / (input.size // n_classes if input.size else jnp.nan)
    if reduction == "sum":
        return -jnp.sum(prod)
    return -jnp.sum(prod, axis=cdim)


def _check_class_targets(input, target, weight):  # noqa: A002
    """torch's nll_loss_nd shape, weight and dtype checks, in torch's order."""
    if input.dim() < 1:
        raise ValueError(f"Expected 1 or more dimensions (got {input.dim()})")
    if input.dim() != 1 and input.shape[0] != (target.shape[0] if target.dim() else 0):
        raise ValueError(
            f"Expected input batch_size ({input.shape[0]}) to match target batch_size "
            f"({target.shape[0] if target.dim() else 0})."
        )
    if input.dim() <= 2:
        if target.dim() > 1:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
        if input.dim() == 1 and target.dim() == 1 and target.shape[0] != 1:
            raise ValueError(
                f"For 1D input, 1D target must have size 1, but got target size: {target.shape[0]}"
            )
    elif input.dim() == 4 and target.dim() != 3:
        raise RuntimeError(
            f"only batches of spatial targets supported (3D tensors) but got targets of dimension: {target.dim()}"
        )
    elif input.dim() == 4 and tuple(target.shape) != (input.shape[0], *input.shape[2:]):
        raise RuntimeError(
            f"size mismatch (got input: {list(input.shape)} , target: {list(target.shape)}"
        )
    elif tuple(target.shape) != (input.shape[0], *input.shape[2:]):
        raise RuntimeError(
            f"Expected target size {[input.shape[0], *input.shape[2:]]}, got {list(target.shape)}"
        )
    _check_class_weight(input, weight)
    if target.dtype not in (_dtype.int64, _dtype.uint8):
        raise RuntimeError(
            f"expected target dtype to be Long or Byte, but got {_type_name(target.dtype)}"
        )


def _check_class_weight(input, weight):  # noqa: A002
    n_classes = input.shape[0 if input.dim() == 1 else 1]
    if weight is not None and (weight.dim() != 1 or weight.shape[0] != n_classes):
        raise RuntimeError(
            f"weight tensor should be defined either for all {n_classes} classes or no classes but got weight "
            f"tensor of shape: {list(weight.shape)}"
        )
    if weight is not None and weight.dtype is not input.dtype:
        raise RuntimeError(
            f"expected scalar type {_type_name(input.dtype)} but found {_type_name(weight.dtype)}"
        )


def nll_loss(
    input,
    target,
    weight=None,
    size_average=None,
    ignore_index: int = -100,
    reduce=None,  # noqa: A002
    reduction: str = "mean",
):
    reduction = _reduction(size_average, reduce, reduction)
    _check_class_targets(input, target, weight)
    _debug_checks.check_class_targets(input, target, ignore_index)
    return _nll_loss.frontend(
        input, target, weight, reduction=reduction, ignore_index=int(ignore_index)
    )


def cross_entropy(
    input,
    target,
    weight=None,
    size_average=None,
    ignore_index: int = -100,
    reduce=None,  # noqa: A002
    reduction: str = "mean",
    label_smoothing: float = 0.0,
):
    reduction = _reduction(size_average, reduce, reduction)
    if not 0.0 <= label_smoothing <= 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    ls = label_smoothing if label_smoothing > 0 else None
    if tuple(input.shape) == tuple(target.shape):  # class probabilities
        if not target.dtype.is_floating_point:
            raise RuntimeError(
                f"Expected floating point type for target with class probabilities, got {_type_name(target.dtype)}"
            )
        if ignore_index >= 0:
            raise RuntimeError("ignore_index is not supported for floating point target")
        _check_class_weight(input, weight)
        return _cross_entropy_probs.frontend(input, target, weight, ls, reduction=reduction)
    _check_class_targets(input, target, weight)
    _debug_checks.check_class_targets(input, target, ignore_index)
    return _cross_entropy.frontend(
        input, target, weight, ls, reduction=reduction, ignore_index=int(ignore_index)
    )


def linear_cross_entropy(
    input,
    linear_weight,
    target,
    *,
    linear_bias=None,
    weight=None,  # noqa: A002
    reduction: str = "mean",
    ignore_index=None,
    label_smoothing: float = 0.0,
    options=None,
):
    """cross_entropy(linear(input, linear_weight, linear_bias), target); ``options`` (torch's chunked
    path, the same value) is accepted and the fused program is left to XLA."""
    from .linear import linear

    if input.dim() < 1 or input.dim() > 2:
        raise RuntimeError(f"expected input with dimensionality 1 or 2, got {input.dim()}")
    if linear_weight.dim() < 2:
        raise RuntimeError(
            f"expected linear_weight with dimensionality at least 2, got {linear_weight.dim()}"
        )
    batch, in_features = tuple(input.shape[:-1]), input.shape[-1]
    if in_features != linear_weight.shape[-1]:
        raise RuntimeError(
            "expected equal input and linear_weight last dimensions (in_features), "
            f"got {in_features} and {linear_weight.shape[-1]}, respectively"
        )
    n_classes, out_features = linear_weight.shape[0], tuple(linear_weight.shape[1:-1])
    if linear_bias is not None and tuple(linear_bias.shape) != (n_classes, *out_features):
        raise RuntimeError(
            f"expected linear_bias shape {(n_classes, *out_features)}, got {tuple(linear_bias.shape)}"
        )
    if out_features and not batch:
        raise RuntimeError(
            f"K-dimensional loss defined by linear_weight shape {tuple(linear_weight.shape)} requires"
            f" batched input, (N, {in_features}), got unbatched input with shape {tuple(input.shape)}"
        )
    logits_shape = (*batch, n_classes, *out_features)
    if tuple(target.shape) == logits_shape and ignore_index is not None:
        raise RuntimeError("ignore_index cannot be specified when target contains probabilities")
    if out_features:
        linear_weight = linear_weight.reshape(math.prod(out_features, start=n_classes), in_features)
        if linear_bias is not None:
            linear_bias = linear_bias.reshape(math.prod(out_features, start=n_classes))
    logits = linear(input, linear_weight, linear_bias).reshape(logits_shape)
    return cross_entropy(
        logits,
        target,
        weight=weight,
        reduction=reduction,
        ignore_index=-100 if ignore_index is None else ignore_index,
        label_smoothing=label_smoothing,
    )


# -- binary cross entropy ---------------------------------------------------------------------


@jax.custom_vjp
def _bce(x, t):
    return -(t * jnp.maximum(jnp.log(x), -100) + (1 - t) * jnp.maximum(jnp.log1p(-x), -100))


def _bce_fwd(x, t):
    return _bce(x, t), (x, t)


def _bce_bwd(res, g):
    # torch's formulas: finite at x == 0 and x == 1 (where autodiff of the clamped logs gives NaN)
    x, t = res
    return g * (x - t) / jnp.maximum((1 - x) * x, 1e-12), g * (jnp.log1p(-x) - jnp.log(x))


_bce.defvjp(_bce_fwd, _bce_bwd)


@op("binary_cross_entropy", function=False, grad_name="BinaryCrossEntropyBackward0")
def _binary_cross_entropy(input, target, weight=None, *, reduction="mean"):  # noqa: A002
    loss = _bce(input, target)
    if weight is not None:
        loss = loss * weight.astype(loss.dtype)
    return _reduce(loss, reduction)


@op(
    "binary_cross_entropy_with_logits",
    function=False,
    promote="float",
    grad_name="BinaryCrossEntropyWithLogitsBackward0",
)
def _bce_with_logits(input, target, weight=None, pos_weight=None, *, reduction="mean"):  # noqa: A002
    log_sig = jax.nn.log_sigmoid(input)
    if pos_weight is not None:
        log_sig = log_sig * ((pos_weight - 1) * target + 1)
    loss = (1 - target) * input - log_sig
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction)


def _check_weight_broadcast(target, weight):
    if weight is not None:
        shape = _broadcast_shape(target.shape, weight.shape)
        if shape != tuple(target.shape):
            raise RuntimeError(
                f"output with shape {list(target.shape)} doesn't match the broadcast shape {list(shape)}"
            )


def binary_cross_entropy(
    input, target, weight=None, size_average=None, reduce=None, reduction: str = "mean"
):  # noqa: A002
    reduction = _reduction(size_average, reduce, reduction)
    if tuple(target.shape) != tuple(input.shape):
        raise ValueError(
            f"Using a target size ({target.shape}) that is different to the input size ({input.shape}) is "
            "deprecated. Please ensure they have the same size."
        )
    if target.dtype is not input.dtype:
        raise RuntimeError(
            f"Found dtype {_type_name(target.dtype)} but expected {_type_name(input.dtype)}"
        )
    _check_weight_broadcast(target, weight)
    _debug_checks.check_probabilities(input, target)
    return _binary_cross_entropy.frontend(input, target, weight, reduction=reduction)


def binary_cross_entropy_with_logits(
    input,
    target,
    weight=None,
    size_average=None,
    reduce=None,  # noqa: A002
    reduction: str = "mean",
    pos_weight=None,
):
    reduction = _reduction(size_average, reduce, reduction)
    if tuple(target.shape) != tuple(input.shape):
        raise ValueError(
            f"Target size ({target.shape}) must be the same as input size ({input.shape})"
        )
    _check_weight_broadcast(target, weight)
    _check_weight_broadcast(target, pos_weight)
    return _bce_with_logits.frontend(input, target, weight, pos_weight, reduction=reduction)


# -- divergences and likelihoods --------------------------------------------------------------


def _kl_div_node(args, attrs):
    """torch.kl_div is composite: its result's grad_fn is the last op it runs."""
    attrs = dict(attrs)
    if attrs["reduction"] == "batchmean":
        return "DivBackward0" if len(args[0].shape) else "SumBackward0"
    last = {"mean": "MeanBackward0", "sum": "SumBackward0"}
    return last.get(attrs["reduction"], "MulBackward0" if attrs["log_target"] else "SubBackward0")


@op("kl_div", function=False, promote="float", grad_name="SubBackward0", grad_name_of=_kl_div_node)
def _kl_div(input, target, *, reduction="mean", log_target=False):  # noqa: A002
    if log_target:
        loss = jnp.exp(target) * (target - input)
    else:
        loss = jax.scipy.special.xlogy(target, target) - target * input
    if reduction == "batchmean":
        return jnp.sum(loss) / input.shape[0] if input.ndim else jnp.sum(loss)
    return _reduce(loss, reduction)


def kl_div(
    input, target, size_average=None, reduce=None, reduction: str = "mean", log_target: bool = False
):  # noqa: A002
    if size_average is not None or reduce is not None:
        reduction = legacy_get_string(size_average, reduce)
    else:
        if reduction == "mean":
            warnings.warn(
                "reduction: 'mean' divides the total loss by both the batch size and the support size."
                "'batchmean' divides only by the batch size, and aligns with the KL div math definition."
                "'mean' will be changed to behave the same as 'batchmean' in the next major release.",
                stacklevel=2,
            )
        if reduction != "batchmean":
            reduction = _check_reduction(reduction)
    _broadcast_shape(input.shape, target.shape)
    return _kl_div.frontend(input, target, reduction=reduction, log_target=bool(log_target))


@op(
    "poisson_nll_loss",
    function=False,
    promote="float",
    promote_args=(0, 1),
    grad_name="MeanBackward0",
)
def _poisson_nll_loss(input, target, eps, *, log_input=True, full=False, reduction="mean"):  # noqa: A002
    if log_input:
        loss = jnp.exp(input) - target * input
    else:
        loss = input - target * jnp.log(input + _num(eps, input))
    if full:
        big = target > 1
        t = jnp.where(
            big, target, 2
        )  # the Stirling term is masked where target <= 1; keep its gradient finite
        stirling = t * jnp.log(t) - t + 0.5 * jnp.log(2 * math.pi * t)
        loss = loss + jnp.where(big, stirling, 0)
    return _reduce(loss, reduction)


def poisson_nll_loss(
    input,
    target,
    log_input: bool = True,
    full: bool = False,
    size_average=None,  # noqa: A002
    eps: float = 1e-8,
    reduce=None,
    reduction: str = "mean",
):
    reduction = _reduction(size_average, reduce, reduction)
    _broadcast_shape(input.shape, target.shape)
    return _poisson_nll_loss.frontend(
        input, target, eps, log_input=bool(log_input), full=bool(full), reduction=reduction
    )


@op("gaussian_nll_loss", function=False, promote="float", grad_name="MeanBackward0")
def _gaussian_nll_loss(input, target, var, eps, *, full=False, reduction="mean", unsqueeze=False):  # noqa: A002
    var = jnp.asarray(var).astype(input.dtype)
    if unsqueeze:
        var = var[..., None]
    # torch clamps var in place under no_grad: the clamp passes the gradient straight through
    var = var + jax.lax.stop_gradient(jnp.maximum(var, _num(eps, var)) - var)
    loss = 0.5 * (jnp.log(var) + (input - target) ** 2 / var)
    if full:
        loss = loss + 0.5 * math.log(2 * math.pi)
    return _reduce(jnp.broadcast_to(loss, jnp.broadcast_shapes(loss.shape, input.shape)), reduction)


def gaussian_nll_loss(
    input, target, var, full: bool = False, eps: float = 1e-6, reduction: str = "mean"
):  # noqa: A002
    unsqueeze = False
    if isinstance(var, (int, float)):
        if var < 0:
            raise ValueError("var has negative entry/entries")
    elif tuple(var.shape) != tuple(input.shape):
        if tuple(input.shape[:-1]) == tuple(var.shape):
            unsqueeze = True
        elif not (
            input.dim() == var.dim()
            and sum(y for x, y in zip(input.shape, var.shape) if x != y) == 1
        ):
            raise ValueError("var is of incorrect size")
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(reduction + " is not valid")
    if not isinstance(var, (int, float)):  # (checked where its values are on the host: free)
        known = _debug_checks._reader()(var)
        if known is not None and (known < 0).any():
            raise ValueError("var has negative entry/entries")
    return _gaussian_nll_loss.frontend(
        input, target, var, eps, full=bool(full), reduction=reduction, unsqueeze=unsqueeze
    )


# -- margin losses ----------------------------------------------------------------------------


@op("margin_ranking_loss", function=False, promote="float", grad_name="MeanBackward0")
def _margin_ranking_loss(input1, input2, target, margin, *, reduction="mean"):
    return _reduce(jnp.maximum(-target * (input1 - input2) + margin, 0), reduction)


def margin_ranking_loss(
    input1,
    input2,
    target,
    margin: float = 0,
    size_average=None,
    reduce=None,
    reduction: str = "mean",
):
    reduction = _reduction(size_average, reduce, reduction)
    if input1.dim() != input2.dim() or input1.dim() != target.dim():
        raise RuntimeError(
            f"margin_ranking_loss : All input tensors should have same dimension but got sizes: "
            f"input1: {input1.shape}, input2: {input2.shape}, target: {target.shape} "
        )
    _broadcast_shape(target.shape, _broadcast_shape(input1.shape, input2.shape))
    return _margin_ranking_loss.frontend(input1, input2, target, margin, reduction=reduction)


@op(
    "hinge_embedding_loss",
    function=False,
    promote="float",
    promote_args=(0,),
    grad_name="MeanBackward0",
)
def _hinge_embedding_loss(input, target, margin, *, reduction="mean"):  # noqa: A002
    zero = jnp.zeros((), input.dtype)
    loss = jnp.where(target != 1, jnp.maximum(_num(margin, input) - input, 0), zero)
    return _reduce(loss + jnp.where(target != -1, input, zero), reduction)


def hinge_embedding_loss(
    input,
    target,
    margin: float = 1.0,
    size_average=None,
    reduce=None,  # noqa: A002
    reduction: str = "mean",
):
    reduction = _reduction(size_average, reduce, reduction)
    _broadcast_shape(input.shape, target.shape)
    return _hinge_embedding_loss.frontend(input, target, margin, reduction=reduction)


@op("soft_margin_loss", function=False, promote="float", grad_name="SoftMarginLossBackward0")
def _soft_margin_loss(input, target, *, reduction="mean"):  # noqa: A002
    return _reduce(jnp.log1p(jnp.exp(-target * input)), reduction)


def soft_margin_loss(input, target, size_average=None, reduce=None, reduction: str = "mean"):  # noqa: A002
    reduction = _reduction(size_average, reduce, reduction)
    _broadcast_shape(input.shape, target.shape)
    return _soft_margin_loss.frontend(input, target, reduction=reduction)


@op("multilabel_soft_margin_loss", function=False, promote="float", grad_name="MeanBackward0")
def _multilabel_soft_margin_loss(input, target, weight=None, *, reduction="mean"):  # noqa: A002
    loss = -(target * jax.nn.log_sigmoid(input) + (1 - target) * jax.nn.log_sigmoid(-input))
    if weight is not None:
        loss = loss * weight
    cdim = input.ndim - 1
    return _reduce(jnp.sum(loss, axis=cdim) / input.shape[cdim], reduction)


def multilabel_soft_margin_loss(
    input,
    target,
    weight=None,
    size_average=None,
    reduce=None,  # noqa: A002
    reduction: str = "mean",
):
    reduction = _reduction(size_average, reduce, reduction)
    _broadcast_shape(input.shape, target.shape, *([weight.shape] if weight is not None else []))
    return _multilabel_soft_margin_loss.frontend(input, target, weight, reduction=reduction)


@op(
    "multi_margin_loss",
    function=False,
    promote="float",
    promote_args=(0, 2),
    grad_name="MultiMarginLossBackward0",
)
def _multi_margin_loss(input, target, weight, margin, *, p=1, reduction="mean"):  # noqa: A002
    x = jnp.atleast_2d(input)
    t = jnp.atleast_1d(target).astype(jnp.int64)[:, None]
    n_classes = x.shape[1]
    tc = jnp.clip(t, 0, n_classes - 1)
    z = jnp.maximum(_num(margin, x) - jnp.take_along_axis(x, tc, axis=1) + x, 0)
    z = z if p == 1 else z * z
    if weight is not None:
        z = z * weight[tc]
    z = jnp.where(jnp.arange(n_classes) != t, z, 0)
    z = jnp.where((t < 0) | (t >= n_classes), jnp.nan, z)
    if reduction == "mean":
        return jnp.mean(z)
    if reduction == "sum":
        return jnp.sum(z) / n_classes
    return jnp.mean(z, axis=1)


def multi_margin_loss(
    input,
    target,
    p: int = 1,
    margin: float = 1.0,
    weight=None,
    size_average=None,  # noqa: A002
    reduce=None,
    reduction: str = "mean",
):
    reduction = _reduction(size_average, reduce, reduction)
    if p != 1 and p != 2:
        raise ValueError("only p == 1 and p == 2 supported")
    if weight is not None and weight.dim() != 1:
        raise ValueError("weight must be one-dimensional")
    n_classes = input.shape[-1] if input.dim() else 0
    if input.dim() > 2 or n_classes == 0:
        raise RuntimeError(
            f"Expected non-empty vector or matrix with optional 0-dim batch size, but got: {list(input.shape)}"
        )
    n = input.shape[0] if input.dim() == 2 else 1
    if target.dim() > 1 or target.numel() != n:
        raise RuntimeError(
            f"multi_margin_loss: target tensor should be 1-D with size equal to the number of input samples "
            f"(batch size). Expected target size [{n}], but got {list(target.shape)}. Input has shape "
            f"{list(input.shape)}."
        )
    if weight is not None and weight.numel() != n_classes:
        raise RuntimeError(
            f"inconsistent weight size, expected {n_classes} but got {list(weight.shape)}"
        )
    if target.dtype is not _dtype.int64:
        raise RuntimeError(f"expected scalar type Long but found {_type_name(target.dtype)}")
    return _multi_margin_loss.frontend(input, target, weight, margin, p=p, reduction=reduction)


@op(
    "multilabel_margin_loss",
    function=False,
    promote="float",
    promote_args=(0,),
    grad_name="MultilabelMarginLossBackward0",
)
def _multilabel_margin_loss(input, target, *, reduction="mean"):  # noqa: A002
    x, t = jnp.atleast_2d(input), jnp.atleast_2d(target).astype(jnp.int64)
    n_classes = x.shape[1]
    idx = jnp.arange(n_classes)
    # the targets are the entries before the first -1
    in_target = jnp.cumprod((t != -1).astype(jnp.int32), axis=1).astype(bool)
    tc = jnp.where(in_target, jnp.clip(t, 0, n_classes - 1), 0)
    is_target = jnp.any((idx[None, None, :] == tc[:, :, None]) & in_target[:, :, None], axis=1)
    u = jnp.take_along_axis(x, tc, axis=1)
    z = jnp.maximum(1 - u[:, :, None] + x[:, None, :], 0) / n_classes
    z = jnp.where(in_target[:, :, None] & ~is_target[:, None, :], z, 0)
    per = jnp.sum(z, axis=(1, 2))
    if reduction == "none":
        return per if input.ndim == 2 else per.reshape(())
    return _reduce(per, reduction)


def multilabel_margin_loss(input, target, size_average=None, reduce=None, reduction: str = "mean"):  # noqa: A002
    reduction = _reduction(size_average, reduce, reduction)
    if input.dim() > 2 or (input.shape[-1] if input.dim() else 0) == 0:
        raise RuntimeError(
            f"Expected non-empty vector or matrix with optional 0-dim batch size, but got: {list(input.shape)}"
        )
    if tuple(target.shape) != tuple(input.shape):
        raise RuntimeError(
            f"inconsistent target size: {list(target.shape)} for input of size: {list(input.shape)}"
        )
    if target.dtype is not _dtype.int64:
        raise RuntimeError(f"expected scalar type Long but found {_type_name(target.dtype)}")
    return _multilabel_margin_loss.frontend(input, target, reduction=reduction)


# -- CTC --------------------------------------------------------------------------------------

_CTC_NEG = -1e30  # "log 0" kept finite, so impossible alignments have finite gradients to mask


def _ctc_logsumexp(*xs):
    m = functools.reduce(jnp.maximum, xs)
    return m + jnp.log(sum(jnp.exp(x - m) for x in xs))


def _ctc_nll(lp, targets, input_lengths, target_lengths, blank):
    """-log p(target | lp) per batch element by the forward (alpha) recursion as one lax.scan.

    lp: (T, N, C); targets: (N, S) padded. Returns the loss (inf where no alignment exists).
    """
    t_max, n, _ = lp.shape
    s_max = targets.shape[1]
    n_states = 2 * s_max + 1
    states = jnp.arange(n_states)
    # padding entries may hold anything: clip them so no NaN enters the (masked) unused states
    targets = jnp.clip(targets, 0, lp.shape[2] - 1)
    labels = (
        targets[:, jnp.clip((states - 1) // 2, 0, max(s_max - 1, 0))]
        if s_max
        else jnp.zeros((n, 1), jnp.int64)
    )
    ext = jnp.where(states % 2 == 1, labels, blank)  # blank, l1, blank, l2, ..., blank
    skip = (states % 2 == 1) & (states >= 2)
    skip = skip & (ext != jnp.roll(ext, 2, axis=1))
    lp = jnp.maximum(lp, _CTC_NEG)
    lp_ext = jnp.take_along_axis(lp, jnp.broadcast_to(ext[None], (t_max, n, n_states)), axis=2)
    neg = jnp.full((n, n_states), _CTC_NEG, lp.dtype)
    alpha0 = jnp.where(states < jnp.minimum(2, 2 * target_lengths[:, None] + 1), lp_ext[0], neg)

    def step(alpha, xs):
        t, lpt = xs
        a1 = jnp.concatenate([neg[:, :1], alpha[:, :-1]], axis=1)
        a2 = jnp.where(skip, jnp.concatenate([neg[:, :2], alpha[:, :-2]], axis=1), neg)
        new = _ctc_logsumexp(alpha, a1, a2) + lpt
        return jnp.where((t < input_lengths)[:, None], new, alpha), None

    alpha, _ = jax.lax.scan(step, alpha0, (jnp.arange(1, t_max), lp_ext[1:]))
    end = 2 * target_lengths[:, None]
    last = jnp.take_along_axis(alpha, end, axis=1)[:, 0]
    before = jnp.where(
        target_lengths > 0,
        jnp.take_along_axis(alpha, jnp.maximum(end - 1, 0), axis=1)[:, 0],
        _CTC_NEG,
    )
    ll = _ctc_logsumexp(last, before)
    return jnp.where(ll < _CTC_NEG / 2, jnp.inf, -ll)


@op("ctc_loss", function=False, promote="float", promote_args=(0,), grad_name="CtcLossBackward0")
def _ctc_loss(
    log_probs,
    targets,
    input_lengths,
    target_lengths,
    *,
    blank=0,
    reduction="mean",
    zero_infinity=False,
):
    unbatched = log_probs.ndim == 2
    lp = log_probs[:, None] if unbatched else log_probs
    in_len = jnp.atleast_1d(input_lengths).astype(jnp.int64)
    tg_len = jnp.atleast_1d(target_lengths).astype(jnp.int64)
    targets = targets.astype(jnp.int64)
    if unbatched:
        targets = targets[None]
    elif targets.ndim == 1:  # concatenated targets: pad them to (N, total length)
        offsets = jnp.cumsum(tg_len) - tg_len
        pos = offsets[:, None] + jnp.arange(targets.shape[0])[None]
        targets = (
            targets[jnp.clip(pos, 0, max(targets.shape[0] - 1, 0))]
            if targets.shape[0]
            else targets[None]
        )
    nll = _ctc_nll(lp, targets, in_len, tg_len, blank)
    possible = jnp.isfinite(nll)
    # torch's gradient is taken as if log_probs were the logits of a log_softmax: it adds exp(log_probs)
    # over the input's valid time steps (a zero-valued term here that carries that gradient)
    valid_t = (jnp.arange(lp.shape[0])[:, None] < in_len[None]) & possible[None]
    probs = jnp.sum(jnp.where(valid_t[..., None], jnp.exp(lp), 0), axis=(0, 2))
    nll = nll + (probs - jax.lax.stop_gradient(probs))
    if zero_infinity:
        nll = jnp.where(possible, nll, 0)
    if reduction == "mean":
        return jnp.mean(nll / jnp.maximum(tg_len, 1).astype(nll.dtype))
    if reduction == "sum":
        return jnp.sum(nll)
    return nll[0] if unbatched else nll


def _ctc_lengths(lengths, name, batch, too_big):
    from ... import _creation
    from ..._tensor import Tensor

    if isinstance(lengths, Tensor):
        if lengths.dtype.is_floating_point or lengths.dtype.is_complex:
            raise RuntimeError(f"{name} must be integral")
        if lengths.numel() != batch:
            raise RuntimeError(f"{name} must be of size batch_size")
        known = _debug_checks._reader()(lengths)  # (values on the host: checked for free)
        for v in [] if known is None else known.reshape(-1).tolist():
            if too_big(v):
                raise RuntimeError(too_big(v) + " (while checking arguments for ctc_loss_allocate_outputs)")
        return lengths
    lengths = [int(v) for v in (lengths if isinstance(lengths, (list, tuple)) else [lengths])]
    if len(lengths) != batch:
        raise RuntimeError(f"{name} must be of size batch_size")
    for v in lengths:
        if too_big(v):
            raise RuntimeError(
                too_big(v) + " (while checking arguments for ctc_loss_allocate_outputs)"
            )
    return _creation.tensor(lengths, dtype=_dtype.int64)


def ctc_loss(
    log_probs,
    targets,
    input_lengths,
    target_lengths,
    blank: int = 0,
    reduction: str = "mean",
    zero_infinity: bool = False,
):
    reduction = _check_reduction(reduction)
    if log_probs.dim() not in (2, 3):
        raise RuntimeError(
            f"ctc_loss expects log_probs to be a 2-D or 3-D tensor, got {log_probs.dim()}-D"
        )
    batch = log_probs.shape[1] if log_probs.dim() == 3 else 1
    if not 0 <= blank < log_probs.shape[-1]:
        raise RuntimeError("blank must be in label range")
    t_max = log_probs.shape[0]

    def input_too_long(v):
        return (
            v > t_max and f"Expected input_lengths to have value at most {t_max}, but got value {v}"
        )

    def target_too_long(v):
        s = targets.shape[-1]
        return (
            targets.dim() == 2
            and v > s
            and (
                f"Expected tensor to have size at least {v} at dimension 1, but got size {s} for argument #2 'targets'"
            )
        )

    input_lengths = _ctc_lengths(input_lengths, "input_lengths", batch, input_too_long)
    target_lengths = _ctc_lengths(target_lengths, "target_lengths", batch, target_too_long)
    # ATen's composite: the per-sample losses (CtcLossBackward0), then where / div / mean or sum
    # as torch ops, so the graph (MeanBackward0 <- DivBackward0 <- CtcLossBackward0) is PyTorch's
    unbatched = log_probs.dim() == 2
    res = _ctc_loss.frontend(
        log_probs.unsqueeze(1) if unbatched else log_probs,
        targets,
        input_lengths,
        target_lengths,
        blank=int(blank),
        reduction="none",
        zero_infinity=bool(zero_infinity),
    )
    if zero_infinity:
        res = _torch().where(res == math.inf, res.new_zeros(()), res)
    if reduction == "mean":
        return (res / target_lengths.to(res.dtype).clamp_min(1)).mean()
    if reduction == "sum":
        return res.sum()
    return res.squeeze(0) if unbatched else res


def _torch():
    import torchlike

    return torchlike
