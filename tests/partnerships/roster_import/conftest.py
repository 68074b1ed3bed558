"""Roster import tests: partnerships A and B in Alberta, each with a "Main Council", and a
signed-in coordinator of A."""

from __future__ import annotations

import pytest

from tests.factories import CouncilFactory, PartnershipFactory
from tests.partnerships.admin_helpers import MODEL_BACKEND
from tests.partnerships.factories_admin import coordinator_of


@pytest.fixture
def world():
    a = PartnershipFactory(slug="testville-a", province="AB")
    b = PartnershipFactory(slug="otherville-b", province="AB")
    council_a = CouncilFactory(partnership=a, name="Main Council")
    council_b = CouncilFactory(partnership=b, name="Main Council")
    return {"a": a, "b": b, "council_a": council_a, "council_b": council_b}


@pytest.fixture
def coordinator(world):
    return coordinator_of(world["a"])


@pytest.fixture
def client_a(client, coordinator):
    client.force_login(coordinator, backend=MODEL_BACKEND)
    return client
