"""``torch.onnx``: torchlike runs models as XLA programs and has no ONNX exporter.

``is_in_onnx_export()`` is always False; ``export`` and ``dynamo_export`` raise
``torch.onnx.OnnxExporterError`` saying so (export with real PyTorch: a torchlike checkpoint
loads there with ``torch.load``).
"""

from __future__ import annotations

__all__ = ["OnnxExporterError", "dynamo_export", "export", "is_in_onnx_export"]

producer_name = "pytorch"
producer_version = "2.13.0"


class OnnxExporterError(RuntimeError):
    """Errors raised by the ONNX exporter (here: the exporter's absence)."""


OnnxExporterError.__module__ = "torch.onnx"


def is_in_onnx_export() -> bool:
    return False


def _unsupported(name: str):
    raise OnnxExporterError(
        f"torch.onnx.{name} is not supported by torchlike: it runs models as XLA programs and has no ONNX "
        "exporter. Save the state_dict with torch.save and export it with PyTorch."
    )


def export(*args, **kwargs):
    _unsupported("export")


def dynamo_export(*args, **kwargs):
    _unsupported("dynamo_export")


def register_custom_op_symbolic(*args, **kwargs):
    _unsupported("register_custom_op_symbolic")
