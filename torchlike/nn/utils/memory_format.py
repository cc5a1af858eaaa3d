"""convert_conv2d/3d_weight_memory_format: give convolution weights a memory format (recursively)."""

from __future__ import annotations

from ... import _memory_format
from ..modules.conv import Conv2d, Conv3d, ConvTranspose2d, ConvTranspose3d


def _convert(module, memory_format, kinds, recurse):
    if isinstance(module, kinds):
        weight_data = module.weight.detach().clone(memory_format=memory_format)
        weight_data = weight_data.resize_(weight_data.size(), memory_format=memory_format)
        module.weight.data = weight_data
        # (PyTorch's .data assignment takes the new data's strides with it)
        _memory_format._set(module.weight, _memory_format.format_of(weight_data))
    for child in module.children():
        recurse(child, memory_format)
    return module


def convert_conv2d_weight_memory_format(module, memory_format):
    """The weights of every Conv2d / ConvTranspose2d in ``module`` take ``memory_format``; as in
    PyTorch, only the layout changes (values and outputs are the same)."""
    return _convert(module, memory_format, (Conv2d, ConvTranspose2d), convert_conv2d_weight_memory_format)


def convert_conv3d_weight_memory_format(module, memory_format):
    """The 3-d counterpart (Conv3d / ConvTranspose3d)."""
    return _convert(module, memory_format, (Conv3d, ConvTranspose3d), convert_conv3d_weight_memory_format)
