"""The partnership autocomplete (the plan's partnership field) pages an ordered list."""

from __future__ import annotations

import warnings

import pytest
from django.core.paginator import UnorderedObjectListWarning
from django.urls import reverse

from partnerships.models import Partnership
from tests.factories import PartnershipFactory, UserFactory
from tests.partnerships.admin_helpers import MODEL_BACKEND

pytestmark = pytest.mark.django_db


def autocomplete(client, term: str = "") -> list[str]:
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "plans",
            "model_name": "communityplan",
            "field_name": "partnership",
            "term": term,
        },
    )
    assert response.status_code == 200
    return [result["text"] for result in response.json()["results"]]


@pytest.fixture
def admin_client_(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True), backend=MODEL_BACKEND)
    return client


def test_partnership_autocomplete_lists_in_the_models_order(admin_client_):
    for province, name in [("ON", "Beta"), ("BC", "Zeta"), ("ON", "Alpha"), ("AB", "Gamma")]:
        PartnershipFactory(province=province, name=f"{name} Local Immigration Partnership")
    expected = [str(p) for p in Partnership.objects.order_by("province", "name")]
    assert autocomplete(admin_client_) == expected


def test_partnership_autocomplete_raises_no_unordered_list_warning(admin_client_):
    PartnershipFactory.create_batch(3)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnorderedObjectListWarning)
        autocomplete(admin_client_)
        autocomplete(admin_client_, "Local")
