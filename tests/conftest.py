"""Shared fixtures: ``parity`` runs a function on PyTorch and torchlike and compares (tests/parity.py)."""

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))

from parity import parity as _parity  # noqa: E402


@pytest.fixture
def parity():
    return _parity
