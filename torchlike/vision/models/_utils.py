"""Helpers shared by several architectures."""

from __future__ import annotations


def _make_divisible(v: float, divisor: int, min_value: int | None = None) -> int:
    """Round a channel count to a multiple of ``divisor``, never more than 10% below ``v``."""
    if min_value is None:
        min_value = divisor
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    if new_v < 0.9 * v:
        new_v += divisor
    return new_v


def _build(model_cls, weights_cls, weights, progress, kwargs, *args):
    """The common builder: resolve ``weights=``/``pretrained=``, construct, load the local checkpoint."""
    from ._api import resolve_weights

    weights = resolve_weights(weights_cls, weights, kwargs)
    model = model_cls(*args, **kwargs)
    if weights is not None:
        model.load_state_dict(weights.get_state_dict(progress=progress, check_hash=True))
    return model
