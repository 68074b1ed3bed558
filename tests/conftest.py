"""Project-wide pytest fixtures."""

from __future__ import annotations

import pytest
from django.conf import settings

from tests.partnerships.admin_helpers import MODEL_BACKEND
from tests.partnerships.factories_admin import build_tree, coordinator_of


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


@pytest.fixture
def world():
    """Two partnerships, A and B, each with every owned object, and a coordinator of A.

    The admin tests use it to prove that A's coordinator never reaches B's data. A module
    that needs a different set-up defines its own ``world``.
    """
    a = build_tree()
    b = build_tree()
    return a, b, coordinator_of(a["partnership"])


@pytest.fixture
def client_a(client, world):
    """A test client signed in as partnership A's coordinator."""
    client.force_login(world[2], backend=MODEL_BACKEND)
    return client
