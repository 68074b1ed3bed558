"""The API tests read the directory's standard test data (tests/directory/data.py)."""

from __future__ import annotations

import pytest

from tests.directory.data import build_directory


@pytest.fixture(scope="module")
def _directory_rows(shared_rows):
    return shared_rows.build(build_directory)


@pytest.fixture
def directory(_directory_rows, shared_rows, db):
    """Alberta partnerships around Brooks, two RIFs, PEI, Toronto; a council with one
    consented and one non-consented member; a current plan."""
    return shared_rows.fresh(_directory_rows)
