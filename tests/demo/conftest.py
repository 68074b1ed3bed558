"""Fixtures for the demo data tests."""

from __future__ import annotations

import pytest

from demo.generator import DemoReport, load_demo_data
from partnerships.realdata import load_real_data
from tests.demo.helpers import TODAY


def _load() -> DemoReport:
    load_real_data()
    return load_demo_data(today=TODAY)


@pytest.fixture(scope="module")
def _demo(shared_rows) -> DemoReport:
    return shared_rows.build(_load)


@pytest.fixture
def demo(_demo, shared_rows, db) -> DemoReport:
    """The real partnerships with the demo data set, loaded once per module (each test's own
    writes are rolled back after it)."""
    return shared_rows.fresh(_demo)
