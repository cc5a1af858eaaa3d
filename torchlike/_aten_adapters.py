"""ATen ops whose name or arguments differ from the torch function that computes them.

``torch.ops.aten.<name>`` calls the torchlike function, Tensor method or functional of the same
name (``_ops_namespace``); the ops here take ATen's arguments instead (an int ``reduction``, an
empty ``stride`` meaning the kernel size, the extra results of ``native_*`` ops) and call the
torchlike op that does the work.
"""

from __future__ import annotations

import builtins

_REDUCTIONS = ("none", "mean", "sum")  # at::Reduction's values, in order


def _torch():
    import torchlike

    return torchlike


def _F():
    from .nn import functional

    return functional


def convolution(input, weight, bias, stride, padding, dilation, transposed, output_padding, groups):
    F = _F()
    dims = weight.dim() - 2
    if transposed:
        fn = (F.conv_transpose1d, F.conv_transpose2d, F.conv_transpose3d)[dims - 1]
        return fn(input, weight, bias, stride, padding, output_padding, groups, dilation)
    fn = (F.conv1d, F.conv2d, F.conv3d)[dims - 1]
    return fn(input, weight, bias, stride, padding, dilation, groups)


def native_layer_norm(input, normalized_shape, weight, bias, eps):
    torch = _torch()
    dims = tuple(range(input.dim() - len(normalized_shape), input.dim()))
    mean = input.mean(dims, keepdim=True)
    rstd = torch.rsqrt(input.var(dims, unbiased=False, keepdim=True) + eps)
    out = (input - mean) * rstd
    if weight is not None:
        out = out * weight
    if bias is not None:
        out = out + bias
    return out, mean, rstd


def native_batch_norm(input, weight, bias, running_mean, running_var, training, momentum, eps):
    torch = _torch()
    out = _F().batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps)
    if not training:
        return out, input.new_empty(0), input.new_empty(0)
    dims = [0] + list(range(2, input.dim()))
    with torch.no_grad():
        mean = input.mean(dims)
        invstd = torch.rsqrt(input.var(dims, unbiased=False) + eps)
    return out, mean, invstd


def native_dropout(input, p, train):
    torch = _torch()
    if not train:
        return input.clone(), torch.ones_like(input, dtype=torch.bool)
    mask = torch.rand_like(input) >= p
    scale = 0.0 if p == 1 else 1.0 / (1.0 - p)
    return input * mask * scale, mask


def _softmax(self, dim, half_to_float):
    return _torch().softmax(self, dim)


def _log_softmax(self, dim, half_to_float):
    return _torch().log_softmax(self, dim)


def _to_copy(self, *, dtype=None, layout=None, device=None, pin_memory=None, non_blocking=False,
             memory_format=None):
    return self.to(device=device or self.device, dtype=dtype or self.dtype, copy=True)


def _unsafe_view(self, size):
    return self.reshape(size)


def alias(self):
    return self.view(self.shape)


def lift_fresh_copy(self):
    return self.clone()


def slice(self, dim=0, start=None, end=None, step=1):
    index = [builtins.slice(None)] * (dim % self.dim())
    return self[(*index, builtins.slice(start, end, step))]


def sym_size(self, dim=None):
    return self.size() if dim is None else self.size(dim)


def threshold_backward(grad_output, self, threshold):
    return _torch().where(self <= threshold, grad_output.new_zeros(()), grad_output)


def _pool(name):
    def pool(self, kernel_size, stride=(), *args, **kwargs):
        return getattr(_F(), name)(self, kernel_size, stride or None, *args, **kwargs)

    pool.__name__ = name
    return pool


def max_pool2d_with_indices(self, kernel_size, stride=(), padding=0, dilation=1, ceil_mode=False):
    return _F().max_pool2d(self, kernel_size, stride or None, padding, dilation, ceil_mode, True)


def upsample_nearest2d(self, output_size=None, scale_factors=None, scales_h=None, scales_w=None):
    return _F().interpolate(self, size=output_size, scale_factor=scale_factors, mode="nearest")


def upsample_bilinear2d(self, output_size=None, align_corners=False, scale_factors=None, scales_h=None,
                        scales_w=None):
    return _F().interpolate(self, size=output_size, scale_factor=scale_factors, mode="bilinear",
                            align_corners=align_corners)


def cross_entropy_loss(self, target, weight=None, reduction=1, ignore_index=-100, label_smoothing=0.0):
    return _F().cross_entropy(self, target, weight, ignore_index=ignore_index,
                              reduction=_REDUCTIONS[reduction], label_smoothing=label_smoothing)


def nll_loss(self, target, weight=None, reduction=1, ignore_index=-100):
    return _F().nll_loss(self, target, weight, ignore_index=ignore_index, reduction=_REDUCTIONS[reduction])


def binary_cross_entropy_with_logits(self, target, weight=None, pos_weight=None, reduction=1):
    return _F().binary_cross_entropy_with_logits(self, target, weight, reduction=_REDUCTIONS[reduction],
                                                 pos_weight=pos_weight)


def _reduced(name, *extra):
    """A loss whose ATen form takes ``reduction`` as an int after ``target`` (and ``weight``)."""

    def loss(self, target, *args, **kwargs):
        n = len(extra)
        kw = dict(zip(extra, args[:n]))
        reduction = args[n] if len(args) > n else kwargs.pop("reduction", 1)
        kw.update(zip(_TRAILING.get(name, ()), args[n + 1:]))
        kw.update(kwargs)
        return getattr(_F(), name)(self, target, reduction=_REDUCTIONS[reduction], **kw)

    loss.__name__ = name
    return loss


# the arguments each ATen loss takes after ``reduction``
_TRAILING = {"smooth_l1_loss": ("beta",), "huber_loss": ("delta",), "kl_div": ("log_target",)}

ADAPTERS = {
    f.__name__: f
    for f in (
        convolution, native_layer_norm, native_batch_norm, native_dropout, _softmax, _log_softmax,
        _to_copy, _unsafe_view, alias, lift_fresh_copy, slice, sym_size, threshold_backward,
        max_pool2d_with_indices, upsample_nearest2d, upsample_bilinear2d, cross_entropy_loss, nll_loss,
        binary_cross_entropy_with_logits,
    )
}
ADAPTERS.update((n, _pool(n)) for n in ("max_pool1d", "max_pool2d", "max_pool3d", "avg_pool1d", "avg_pool2d",
                                        "avg_pool3d"))
ADAPTERS.update((n, _reduced(n)) for n in ("mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss", "kl_div",
                                           "soft_margin_loss"))
ADAPTERS["binary_cross_entropy"] = _reduced("binary_cross_entropy", "weight")
