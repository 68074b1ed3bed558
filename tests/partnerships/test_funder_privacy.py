"""Funders read every partnership but see a person's name, email and phone only with consent.

One rule (``partnerships.scoping``), checked here on every surface a funder reaches: the
change list, search, filters, the change page, the council page and its representation
panel, history, deleted rows and the roster export.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from partnerships.models import CouncilMembership
from tests.factories import CouncilFactory, CouncilMembershipFactory
from tests.partnerships.admin_helpers import MODEL_BACKEND
from tests.partnerships.factories_admin import coordinator_of, funder
from tests.partnerships.test_admin_matrix import export_roster

pytestmark = pytest.mark.django_db

SECRET_NAME = "Zelda Quintessence"
SECRET_EMAIL = "zelda.q@example.net"
SECRET_PHONE = "403-555-0199"


@pytest.fixture
def rows():
    council = CouncilFactory()
    hidden = CouncilMembershipFactory(
        council=council,
        person_name=SECRET_NAME,
        email=SECRET_EMAIL,
        phone=SECRET_PHONE,
        publish_consent=False,
    )
    shown = CouncilMembershipFactory(
        council=council,
        person_name="Paula Public",
        email="paula@example.net",
        publish_consent=True,
    )
    hidden.title = "Changed once"  # a second history record, so history shows a diff
    hidden.save()
    return hidden, shown


@pytest.fixture
def funder_client(client):
    client.force_login(funder(), backend=MODEL_BACKEND)
    return client


def assert_no_secret(response):
    assert response.status_code == 200
    html = response.content.decode()
    for secret in (SECRET_NAME, SECRET_EMAIL, SECRET_PHONE):
        assert secret not in html


def test_change_list_withholds_names(funder_client, rows):
    response = funder_client.get(reverse("admin:partnerships_councilmembership_changelist"))
    assert_no_secret(response)
    assert "Paula Public" in response.content.decode()


def test_change_page_withholds_contacts(funder_client, rows):
    hidden, _ = rows
    url = reverse("admin:partnerships_councilmembership_change", args=[hidden.pk])
    assert_no_secret(funder_client.get(url))


@pytest.mark.parametrize("term", [SECRET_EMAIL, "zelda", "Quintessence", "555-0199"])
def test_search_does_not_match_withheld_contacts(funder_client, rows, term):
    url = reverse("admin:partnerships_councilmembership_changelist")
    response = funder_client.get(url, {"q": term})
    assert response.context["cl"].result_count == 0
    assert SECRET_NAME not in response.content.decode()


def test_search_matches_consented_contacts(funder_client, rows):
    url = reverse("admin:partnerships_councilmembership_changelist")
    response = funder_client.get(url, {"q": "paula@example.net"})
    assert response.context["cl"].result_count == 1


def test_search_still_matches_open_fields(funder_client, rows):
    hidden, _ = rows
    url = reverse("admin:partnerships_councilmembership_changelist")
    response = funder_client.get(url, {"q": hidden.council.name})
    assert response.context["cl"].result_count == 2
    assert_no_secret(response)


def test_consent_filter_withholds_names(funder_client, rows):
    url = reverse("admin:partnerships_councilmembership_changelist")
    response = funder_client.get(url, {"publish_consent__exact": "0"})
    assert_no_secret(response)
    assert response.context["cl"].result_count == 1


def test_withheld_names_cannot_be_sorted_on(funder_client, rows):
    url = reverse("admin:partnerships_councilmembership_changelist")
    response = funder_client.get(url)
    assert "who" not in response.context["cl"].sortable_by


def test_withheld_names_are_not_sorted_on_even_when_the_url_asks(funder_client, rows):
    url = reverse("admin:partnerships_councilmembership_changelist")
    column = funder_client.get(url).context["cl"].list_display.index("who")
    response = funder_client.get(url, {"o": str(column)})
    assert response.status_code == 200
    cl = response.context["cl"]
    ordering = cl.get_ordering(response.wsgi_request, CouncilMembership.objects.all())
    assert "person_name" not in ordering[0]


def test_council_page_and_representation_withhold_names(funder_client, rows):
    hidden, _ = rows
    hidden.term_end = hidden.term_start  # past term: named in the representation panel
    hidden.save()
    url = reverse("admin:partnerships_council_change", args=[hidden.council_id])
    assert_no_secret(funder_client.get(url))


def test_history_list_and_versions_withhold_contacts(funder_client, rows):
    hidden, _ = rows
    history = reverse("admin:partnerships_councilmembership_history", args=[hidden.pk])
    assert_no_secret(funder_client.get(history))
    for record in hidden.history.all():
        version = reverse(
            "admin:partnerships_councilmembership_simple_history",
            args=[hidden.pk, record.history_id],
        )
        assert_no_secret(funder_client.get(version))


def test_deleted_rows_withhold_contacts(funder_client, rows):
    hidden, _ = rows
    hidden.delete()
    assert_no_secret(funder_client.get(reverse("admin:partnerships_councilmembership_deleted")))


def test_roster_export_withholds_contacts(funder_client, rows):
    response = export_roster(funder_client)
    assert response.status_code == 200
    text = response.body_text
    for secret in (SECRET_NAME, SECRET_EMAIL, SECRET_PHONE):
        assert secret not in text
    exported = list(csv.DictReader(io.StringIO(text)))
    assert {r["Person"] for r in exported} == {"", "Paula Public"}


def test_visible_to_masks_for_funders_only(rows):
    hidden, _ = rows
    reader = funder()
    masked = CouncilMembership.objects.visible_to(reader).get(pk=hidden.pk)
    assert (masked.person_name, masked.email, masked.phone) == ("", "", "")
    keeper = coordinator_of(hidden.council.partnership)
    own = CouncilMembership.objects.visible_to(keeper).get(pk=hidden.pk)
    assert own.email == SECRET_EMAIL


def test_coordinator_sees_own_members_contacts(client, rows):
    hidden, _ = rows
    client.force_login(coordinator_of(hidden.council.partnership), backend=MODEL_BACKEND)
    url = reverse("admin:partnerships_councilmembership_change", args=[hidden.pk])
    assert SECRET_EMAIL in client.get(url).content.decode()


def test_public_page_reads_as_the_public_even_for_the_coordinator(client, rows):
    hidden, _ = rows
    partnership = hidden.council.partnership
    client.force_login(coordinator_of(partnership), backend=MODEL_BACKEND)
    response = client.get(partnership.get_absolute_url())
    assert_no_secret(response)
    assert "Paula Public" in response.content.decode()
