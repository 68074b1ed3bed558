"""Fixtures for the demo data tests."""

from __future__ import annotations

import pytest

from demo.generator import DemoReport, load_demo_data
from partnerships.realdata import load_real_data
from tests.demo.helpers import TODAY


@pytest.fixture
def demo(db) -> DemoReport:
    """The real partnerships with the demo data set loaded once."""
    load_real_data()
    return load_demo_data(today=TODAY)
