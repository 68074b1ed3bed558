"""A small, realistic directory: Alberta partnerships around Brooks, two RIFs, PEI."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.directory.data import build_directory


@pytest.fixture
def directory(db):
    """The standard test directory (see tests/directory/data.py)."""
    return build_directory()


@pytest.fixture
def d(directory):
    return directory


def dec(value: float) -> Decimal:
    return Decimal(f"{value:.5f}")
