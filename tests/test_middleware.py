"""Requests no page can answer get a 400 with a message, never a 500."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.partnerships.admin_helpers import MODEL_BACKEND
from tests.partnerships.factories_admin import build_tree, coordinator_of

pytestmark = pytest.mark.django_db


def test_nul_in_admin_autocomplete_is_a_400(client):
    tree = build_tree()
    client.force_login(coordinator_of(tree["partnership"]), backend=MODEL_BACKEND)
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "term": "\x00",
            "app_label": "partnerships",
            "model_name": "councilmembership",
            "field_name": "organization",
        },
    )
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


@pytest.mark.parametrize("path", ["/", "/partnerships/", "/admin/login/"])
def test_nul_in_a_query_string_is_a_400(client, path):
    assert client.get(path, {"q": "a\x00b"}).status_code == 400


def test_nul_in_a_form_is_a_400(client):
    response = client.post("/admin/login/", {"username": "a\x00", "password": "x"})
    assert response.status_code == 400


@pytest.mark.parametrize("debug", [False, True])
def test_too_many_query_parameters_is_a_400(client, debug):
    query = "&".join(f"p{i}=1" for i in range(1100))
    with override_settings(DEBUG=debug, DATA_UPLOAD_MAX_NUMBER_FIELDS=1000):
        response = client.get(f"/partnerships/?{query}")
    assert response.status_code == 400
    assert "too many" in response.content.decode()


def test_a_large_council_page_can_be_saved(client):
    """A 140-member roster posts more fields than Django's default limit of 1,000."""
    from tests.factories import CouncilFactory, CouncilMembershipFactory
    from tests.partnerships.admin_helpers import change_form_data

    council = CouncilFactory()
    CouncilMembershipFactory.create_batch(140, council=council, organization=None)
    client.force_login(coordinator_of(council.partnership), backend=MODEL_BACKEND)
    url = reverse("admin:partnerships_council_change", args=[council.pk])
    data = change_form_data(client.get(url))
    assert len(data) > 1000
    assert client.post(url, data).status_code == 302
