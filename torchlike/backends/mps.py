"""torch.backends.mps: no Apple MPS backend through JAX here."""


def is_available() -> bool:
    return False


def is_built() -> bool:
    return False
