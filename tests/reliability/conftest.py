"""Fixtures for the reliability tests: the standard small directory, built once per module."""

from __future__ import annotations

import pytest

from tests.directory.data import build_directory


@pytest.fixture(scope="module")
def _directory_rows(shared_rows):
    return shared_rows.build(build_directory)


@pytest.fixture
def directory(_directory_rows, shared_rows, db):
    """The standard test directory (tests/directory/data.py); a test's writes roll back."""
    return shared_rows.fresh(_directory_rows)
