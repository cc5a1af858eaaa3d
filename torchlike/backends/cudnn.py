"""torch.backends.cudnn: flags accepted for compatibility (XLA picks convolution algorithms)."""

enabled = True
benchmark = False
deterministic = False
allow_tf32 = True


def is_available() -> bool:
    from ..cuda import is_available as _cuda_available

    return _cuda_available()


def version():
    return None
