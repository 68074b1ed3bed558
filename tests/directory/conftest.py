"""A small, realistic directory: Alberta partnerships around Brooks, two RIFs, PEI."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.directory.data import build_directory


@pytest.fixture(scope="module")
def _directory_rows(shared_rows):
    """The standard test directory, built once per module (see ``shared_rows``)."""
    return shared_rows.build(build_directory)


@pytest.fixture
def directory(_directory_rows, shared_rows, db):
    """The standard test directory (see tests/directory/data.py).

    Built once per module; what a test writes is rolled back after it, and each test gets
    its own copies of the model instances.
    """
    return shared_rows.fresh(_directory_rows)


@pytest.fixture
def d(directory):
    return directory


def dec(value: float) -> Decimal:
    return Decimal(f"{value:.5f}")
