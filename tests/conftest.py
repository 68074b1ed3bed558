"""Project-wide pytest fixtures."""

from __future__ import annotations

import pytest
from django.conf import settings


@pytest.fixture(autouse=True)
def _english_and_no_lockout(settings):
    """Every test starts in English with login rate-limiting off (tested on its own)."""
    settings.LANGUAGE_CODE = "en"
    settings.AXES_ENABLED = False


@pytest.fixture
def artifacts_dir():
    """Folder for screenshots and other test artifacts (kept after the run)."""
    path = settings.BASE_DIR / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path
