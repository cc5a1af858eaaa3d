"""torch.__future__: switches for behaviour PyTorch means to make the default, here how
``nn.Module.to()`` (and ``.float()``, ``.cpu()``, ``to_empty()``...) and ``load_state_dict()``
replace a module's parameters."""

from ._context import state

__all__ = [
    "get_overwrite_module_params_on_conversion",
    "get_swap_module_params_on_conversion",
    "set_overwrite_module_params_on_conversion",
    "set_swap_module_params_on_conversion",
]


def set_overwrite_module_params_on_conversion(value: bool) -> None:
    """Conversions assign new Parameter objects to the module instead of changing the old ones'
    data (references held elsewhere, e.g. by an optimizer, then keep the old values)."""
    state.module_conversion["overwrite"] = value


def get_overwrite_module_params_on_conversion() -> bool:
    return state.module_conversion["overwrite"]


def set_swap_module_params_on_conversion(value: bool) -> None:
    """Conversions and ``load_state_dict`` swap the new tensors into the existing Parameter objects
    with ``torch.utils.swap_tensors`` (keeping every reference), and ``load_state_dict`` goes
    through ``Tensor.module_load``."""
    state.module_conversion["swap"] = value


def get_swap_module_params_on_conversion() -> bool:
    return state.module_conversion["swap"]
