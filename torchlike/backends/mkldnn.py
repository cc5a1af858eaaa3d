"""torch.backends.mkldnn: accepted for compatibility."""

enabled = True


def is_available() -> bool:
    return False
