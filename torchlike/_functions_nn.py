"""The nn ops that PyTorch also exposes in the ``torch`` namespace (``torch.conv2d``,
``torch.dropout``, ``torch.layer_norm``, ``torch.embedding`` ...), with ``torch``'s own signatures.

Those signatures are ATen's, not ``torch.nn.functional``'s: ``torch.dropout(input, p, train)`` has
no defaults, ``torch.batch_norm`` takes ``weight, bias`` before the running statistics,
``torch.embedding`` takes the weight first, and the losses take ``reduction`` as an int
(0 none, 1 mean, 2 sum). Each function maps onto the one ``nn.functional`` implementation,
imported at call time (``torchlike.nn`` imports the core, not the other way round).
"""

from __future__ import annotations

__all__ = [
    "adaptive_avg_pool1d",
    "adaptive_max_pool1d",
    "affine_grid_generator",
    "alpha_dropout",
    "alpha_dropout_",
    "avg_pool1d",
    "batch_norm",
    "bilinear",
    "binary_cross_entropy_with_logits",
    "celu",
    "celu_",
    "channel_shuffle",
    "constant_pad_nd",
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
    "conv_tbc",
    "cosine_embedding_loss",
    "cosine_similarity",
    "ctc_loss",
    "dropout",
    "dropout_",
    "embedding",
    "feature_alpha_dropout",
    "feature_alpha_dropout_",
    "feature_dropout",
    "feature_dropout_",
    "grid_sampler",
    "group_norm",
    "hardshrink",
    "hinge_embedding_loss",
    "instance_norm",
    "kl_div",
    "layer_norm",
    "margin_ranking_loss",
    "max_pool1d",
    "max_pool1d_with_indices",
    "max_pool2d",
    "max_pool3d",
    "native_channel_shuffle",
    "pairwise_distance",
    "pdist",
    "pixel_shuffle",
    "pixel_unshuffle",
    "poisson_nll_loss",
    "prelu",
    "rms_norm",
    "rrelu",
    "rrelu_",
    "selu",
    "selu_",
    "threshold",
    "threshold_",
    "triplet_margin_loss",
]

_REDUCTIONS = ("none", "mean", "sum")


def _F():
    from .nn import functional

    return functional


def _reduction(reduction) -> str:
    if isinstance(reduction, str):  # accepted for convenience; torch itself wants the int
        return reduction
    if reduction not in (0, 1, 2):
        raise RuntimeError(f"{reduction} is not a valid value for reduction")
    return _REDUCTIONS[reduction]


# -- convolution and pooling (same signatures as nn.functional) --------------------------------


def conv_tbc(input, weight, bias, pad=0):  # noqa: A002
    return _F().conv_tbc(input, weight, bias, pad)


def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):  # noqa: A002
    return _F().conv1d(input, weight, bias, stride, padding, dilation, groups)


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):  # noqa: A002
    return _F().conv2d(input, weight, bias, stride, padding, dilation, groups)


def conv3d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):  # noqa: A002
    return _F().conv3d(input, weight, bias, stride, padding, dilation, groups)


def conv_transpose1d(
    input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1
):  # noqa: A002
    return _F().conv_transpose1d(
        input, weight, bias, stride, padding, output_padding, groups, dilation
    )


def conv_transpose2d(
    input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1
):  # noqa: A002
    return _F().conv_transpose2d(
        input, weight, bias, stride, padding, output_padding, groups, dilation
    )


def conv_transpose3d(
    input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1
):  # noqa: A002
    return _F().conv_transpose3d(
        input, weight, bias, stride, padding, output_padding, groups, dilation
    )


def _stride(stride):
    # ATen's default stride is an empty list, meaning "the kernel size"
    return (
        None
        if stride is None or (isinstance(stride, (tuple, list)) and len(stride) == 0)
        else stride
    )


def max_pool1d(input, kernel_size, stride=(), padding=0, dilation=1, ceil_mode=False):  # noqa: A002
    return _F().max_pool1d(input, kernel_size, _stride(stride), padding, dilation, ceil_mode)


def max_pool2d(input, kernel_size, stride=(), padding=0, dilation=1, ceil_mode=False):  # noqa: A002
    return _F().max_pool2d(input, kernel_size, _stride(stride), padding, dilation, ceil_mode)


def max_pool3d(input, kernel_size, stride=(), padding=0, dilation=1, ceil_mode=False):  # noqa: A002
    return _F().max_pool3d(input, kernel_size, _stride(stride), padding, dilation, ceil_mode)


def max_pool1d_with_indices(input, kernel_size, stride=(), padding=0, dilation=1, ceil_mode=False):  # noqa: A002
    return _F().max_pool1d(
        input, kernel_size, _stride(stride), padding, dilation, ceil_mode, return_indices=True
    )


def avg_pool1d(input, kernel_size, stride=(), padding=0, ceil_mode=False, count_include_pad=True):  # noqa: A002
    return _F().avg_pool1d(
        input, kernel_size, _stride(stride), padding, ceil_mode, count_include_pad
    )


def adaptive_avg_pool1d(input, output_size):  # noqa: A002
    return _F().adaptive_avg_pool1d(input, output_size)


def adaptive_max_pool1d(input, output_size):  # noqa: A002
    """``torch.adaptive_max_pool1d`` always returns ``(output, indices)``."""
    return _F().adaptive_max_pool1d(input, output_size, return_indices=True)


# -- activations --------------------------------------------------------------------------------


def selu(input):  # noqa: A002
    return _F().selu(input)


def selu_(input):  # noqa: A002
    return _F().selu(input, inplace=True)


def celu(input, alpha=1.0):  # noqa: A002
    return _F().celu(input, alpha)


def celu_(input, alpha=1.0):  # noqa: A002
    return _F().celu(input, alpha, inplace=True)


def threshold(input, threshold, value):  # noqa: A002
    return _F().threshold(input, threshold, value)


def threshold_(input, threshold, value):  # noqa: A002
    return _F().threshold(input, threshold, value, inplace=True)


def rrelu(input, lower=1.0 / 8, upper=1.0 / 3, training=False, generator=None):  # noqa: A002
    return _F().rrelu(input, lower, upper, training)


def rrelu_(input, lower=1.0 / 8, upper=1.0 / 3, training=False, generator=None):  # noqa: A002
    return _F().rrelu(input, lower, upper, training, inplace=True)


def hardshrink(input, lambd=0.5):  # noqa: A002
    return _F().hardshrink(input, lambd)


def prelu(input, weight):  # noqa: A002
    return _F().prelu(input, weight)


# -- dropout: torch's (input, p, train), all required ------------------------------------------


def _dropout(input, p, train, inplace, *, feature=False, alpha=False):  # noqa: A002
    from .nn._functional.dropout import _apply

    if feature and input.dim() < 2:
        raise RuntimeError("Feature dropout requires at least 2 dimensions in the input")
    return _apply(input, p, train, inplace, feature=feature, alpha=alpha)


def dropout(input, p, train):  # noqa: A002
    return _dropout(input, p, train, False)


def dropout_(input, p, train):  # noqa: A002
    return _dropout(input, p, train, True)


def alpha_dropout(input, p, train):  # noqa: A002
    return _dropout(input, p, train, False, alpha=True)


def alpha_dropout_(input, p, train):  # noqa: A002
    return _dropout(input, p, train, True, alpha=True)


def feature_dropout(input, p, train):  # noqa: A002
    return _dropout(input, p, train, False, feature=True)


def feature_dropout_(input, p, train):  # noqa: A002
    return _dropout(input, p, train, True, feature=True)


def feature_alpha_dropout(input, p, train):  # noqa: A002
    return _dropout(input, p, train, False, feature=True, alpha=True)


def feature_alpha_dropout_(input, p, train):  # noqa: A002
    return _dropout(input, p, train, True, feature=True, alpha=True)


# -- normalisation: ATen's argument order ------------------------------------------------------


def batch_norm(
    input, weight, bias, running_mean, running_var, training, momentum, eps, cudnn_enabled
):  # noqa: A002
    return _F().batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps)


def instance_norm(
    input, weight, bias, running_mean, running_var, use_input_stats, momentum, eps, cudnn_enabled
):  # noqa: A002
    return _F().instance_norm(
        input, running_mean, running_var, weight, bias, use_input_stats, momentum, eps
    )


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-05, cudnn_enable=True):  # noqa: A002
    return _F().layer_norm(input, normalized_shape, weight, bias, eps)


def group_norm(input, num_groups, weight=None, bias=None, eps=1e-05, cudnn_enabled=True):  # noqa: A002
    return _F().group_norm(input, num_groups, weight, bias, eps)


def rms_norm(input, normalized_shape, weight=None, eps=None):  # noqa: A002
    return _F().rms_norm(input, normalized_shape, weight, eps)


# -- embedding, shuffles, distances, padding, sampling -----------------------------------------


def embedding(weight, indices, padding_idx=-1, scale_grad_by_freq=False, sparse=False):
    """``torch.embedding(weight, indices, ...)``: the weight comes first; a negative
    ``padding_idx`` means none."""
    pad = None if padding_idx is None or padding_idx < 0 else padding_idx
    return _F().embedding(indices, weight, pad, None, 2.0, scale_grad_by_freq, sparse)


def pixel_shuffle(input, upscale_factor):  # noqa: A002
    return _F().pixel_shuffle(input, upscale_factor)


def pixel_unshuffle(input, downscale_factor):  # noqa: A002
    return _F().pixel_unshuffle(input, downscale_factor)


def channel_shuffle(input, groups):  # noqa: A002
    return _F().channel_shuffle(input, groups)


def native_channel_shuffle(input, groups):  # noqa: A002
    return _F().native_channel_shuffle(input, groups)


def cosine_similarity(x1, x2, dim=1, eps=1e-08):
    return _F().cosine_similarity(x1, x2, dim, eps)


def pairwise_distance(x1, x2, p=2.0, eps=1e-06, keepdim=False):
    return _F().pairwise_distance(x1, x2, p, eps, keepdim)


def pdist(input, p=2.0):  # noqa: A002
    return _F().pdist(input, p)


def bilinear(input1, input2, weight, bias=None):
    return _F().bilinear(input1, input2, weight, bias)


def constant_pad_nd(input, pad, value=0):  # noqa: A002
    return _F().pad(input, pad, mode="constant", value=value)


_GRID_MODES = ("bilinear", "nearest", "bicubic")
_GRID_PADDING = ("zeros", "border", "reflection")


def grid_sampler(input, grid, interpolation_mode, padding_mode, align_corners):  # noqa: A002
    """ATen's grid_sampler: modes as ints (0 bilinear, 1 nearest, 2 bicubic; 0 zeros, 1 border,
    2 reflection)."""
    return _F().grid_sample(
        input, grid, _GRID_MODES[interpolation_mode], _GRID_PADDING[padding_mode], align_corners
    )


def affine_grid_generator(theta, size, align_corners):
    return _F().affine_grid(theta, list(size), align_corners)


# -- losses: reduction as an int (0 none, 1 mean, 2 sum) ---------------------------------------
# torch's stubs say the default is 1 (mean), but its Python binding cannot evaluate the
# `at::Reduction::Mean` default and passes 0: torch.kl_div(a, b) is elementwise. This follows
# what torch does, not what its stubs say.


def kl_div(input, target, reduction=0, *, log_target=False):  # noqa: A002
    """torch.kl_div's mean is the plain element mean (nn.functional warns about it; this does not)."""
    out = _F().kl_div(input, target, reduction="none", log_target=log_target)
    red = _reduction(reduction)
    return out if red == "none" else (out.mean() if red == "mean" else out.sum())


def binary_cross_entropy_with_logits(input, target, weight=None, pos_weight=None, reduction=0):  # noqa: A002
    return _F().binary_cross_entropy_with_logits(
        input, target, weight, reduction=_reduction(reduction), pos_weight=pos_weight
    )


def cosine_embedding_loss(input1, input2, target, margin=0.0, reduction=0):
    return _F().cosine_embedding_loss(
        input1, input2, target, margin, reduction=_reduction(reduction)
    )


def hinge_embedding_loss(input, target, margin=1.0, reduction=0):  # noqa: A002
    return _F().hinge_embedding_loss(input, target, margin, reduction=_reduction(reduction))


def margin_ranking_loss(input1, input2, target, margin=0.0, reduction=0):
    return _F().margin_ranking_loss(input1, input2, target, margin, reduction=_reduction(reduction))


def poisson_nll_loss(input, target, log_input, full, eps, reduction):  # noqa: A002
    return _F().poisson_nll_loss(
        input, target, log_input, full, eps=eps, reduction=_reduction(reduction)
    )


def triplet_margin_loss(
    anchor, positive, negative, margin=1.0, p=2.0, eps=1e-06, swap=False, reduction=0
):
    return _F().triplet_margin_loss(
        anchor, positive, negative, margin, p, eps, swap, reduction=_reduction(reduction)
    )


def ctc_loss(
    log_probs, targets, input_lengths, target_lengths, blank=0, reduction=0, zero_infinity=False
):
    return _F().ctc_loss(
        log_probs,
        targets,
        input_lengths,
        target_lengths,
        blank,
        _reduction(reduction),
        zero_infinity,
    )
