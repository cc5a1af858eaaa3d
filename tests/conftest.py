"""Shared fixtures: ``parity`` runs a function on PyTorch and torchlike and compares (tests/parity.py)."""

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))

from parity import parity as _parity  # noqa: E402


@pytest.fixture
def parity():
    return _parity


@pytest.fixture(autouse=True)
def _seed_pytorch():
    """Every test starts PyTorch's generator from the same seed: a reference model built without a
    seed would make a parity test's tolerance depend on which initialisation the run drew."""
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.manual_seed(0)
