"""Roster rules: one service, called by model validation, the council page and the database."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from partnerships import rosters
from partnerships.models import CouncilMembership, Role
from partnerships.rosters import Seat, chair_rule_error, roster_errors, seat_errors
from tests.factories import CouncilFactory, CouncilMembershipFactory, OrganizationFactory
from tests.partnerships.admin_helpers import MODEL_BACKEND, change_form_data, inline_prefix
from tests.partnerships.factories_admin import coordinator_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "roles,ok",
    [
        ([], True),
        ([Role.CHAIR], True),
        ([Role.CHAIR, Role.VICE_CHAIR, Role.MEMBER], True),
        ([Role.CO_CHAIR, Role.CO_CHAIR, Role.CO_CHAIR], True),
        ([Role.CHAIR, Role.CHAIR], False),
        ([Role.CHAIR, Role.CO_CHAIR], False),
    ],
)
def test_chair_rule(roles, ok):
    assert (chair_rule_error(roles) is None) is ok


def test_a_person_is_the_same_whatever_the_case():
    mine = Seat(pk=1, organization=7, person_name="Ana Lima", role=Role.MEMBER)
    again = Seat(pk=None, organization=7, person_name=" ANA LIMA ", role=Role.MEMBER)
    assert "person_name" in seat_errors(again, [mine])


def test_seats_without_a_named_person_may_repeat():
    seats = [Seat(pk=i, organization=7, person_name="", role=Role.MEMBER) for i in (1, 2)]
    assert roster_errors(seats) == []


def test_members_who_left_do_not_count():
    left = Seat(
        pk=1, organization=7, person_name="Ana", role=Role.CHAIR, left_on=datetime.date(2024, 1, 1)
    )
    chair = Seat(pk=2, organization=8, person_name="Bo", role=Role.CHAIR)
    assert roster_errors([left, chair]) == []


def test_new_organizations_named_twice_in_a_file_are_the_same():
    first = Seat(pk=None, organization="New Org", person_name="Ana", role=Role.MEMBER)
    second = Seat(pk=None, organization="new org", person_name="ana", role=Role.MEMBER)
    assert "person_name" in seat_errors(second, [first])


def test_term_order_is_checked():
    seat = Seat(pk=None, organization=1, person_name="Ana", role=Role.MEMBER)
    errors = seat_errors(
        seat, [], term_start=datetime.date(2025, 1, 1), term_end=datetime.date(2024, 1, 1)
    )
    assert errors["term_end"] == [rosters.term_error_message()]


def test_model_validation_uses_the_rules():
    chair = CouncilMembershipFactory(role=Role.CHAIR)
    second = CouncilMembershipFactory.build(council=chair.council, role=Role.CHAIR)
    second.organization.save()
    second.organization_id = second.organization.pk
    with pytest.raises(ValidationError) as caught:
        second.full_clean()
    assert "role" in caught.value.message_dict


# -- the database holds the same rules ----------------------------------------------------


def test_database_refuses_a_second_chair():
    chair = CouncilMembershipFactory(role=Role.CHAIR)
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        CouncilMembershipFactory(council=chair.council, role=Role.CHAIR)
    message = rosters.integrity_message(caught.value)
    assert message == chair_rule_error([Role.CHAIR, Role.CHAIR])


def test_database_refuses_the_same_person_twice_whatever_the_case():
    member = CouncilMembershipFactory(person_name="Ana Lima")
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        CouncilMembershipFactory(
            council=member.council, organization=member.organization, person_name="ANA LIMA"
        )
    assert rosters.integrity_message(caught.value) == rosters.duplicate_error_message()


def test_database_refuses_the_same_person_twice_in_their_own_name():
    member = CouncilMembershipFactory(organization=None, person_name="Ana Lima")
    with pytest.raises(IntegrityError), transaction.atomic():
        CouncilMembershipFactory(council=member.council, organization=None, person_name="ana lima")


def test_database_allows_a_chair_after_the_previous_one_left():
    chair = CouncilMembershipFactory(role=Role.CHAIR)
    chair.left_on = datetime.date(2025, 1, 1)
    chair.save()
    CouncilMembershipFactory(council=chair.council, role=Role.CHAIR)


# -- the admin ----------------------------------------------------------------------------


@pytest.fixture
def council_page(client):
    council = CouncilFactory()
    chair = CouncilMembershipFactory(council=council, role=Role.CHAIR)
    member = CouncilMembershipFactory(council=council, role=Role.MEMBER)
    client.force_login(coordinator_of(council.partnership), backend=MODEL_BACKEND)
    url = reverse("admin:partnerships_council_change", args=[council.pk])
    return client, url, chair, member


def _row(data: dict, prefix: str, pk: int) -> str:
    for key, value in data.items():
        if key.startswith(prefix) and key.endswith("-id") and value == str(pk):
            return key[: -len("-id")]
    raise LookupError(pk)


def test_chair_handed_over_in_one_save(council_page):
    client, url, chair, member = council_page
    data = change_form_data(client.get(url))
    prefix = inline_prefix(client.get(url), "councilmembership")
    data[f"{_row(data, prefix, member.pk)}-role"] = Role.CHAIR
    data[f"{_row(data, prefix, chair.pk)}-role"] = Role.MEMBER
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context.get("errors")
    chair.refresh_from_db()
    member.refresh_from_db()
    assert (chair.role, member.role) == (Role.MEMBER, Role.CHAIR)


def test_two_chairs_in_one_save_are_refused(council_page):
    client, url, chair, member = council_page
    page = client.get(url)
    data = change_form_data(page)
    prefix = inline_prefix(page, "councilmembership")
    data[f"{_row(data, prefix, member.pk)}-role"] = Role.CHAIR
    response = client.post(url, data)
    assert response.status_code == 200
    assert chair_rule_error([Role.CHAIR, Role.CHAIR]) in response.content.decode()
    member.refresh_from_db()
    assert member.role == Role.MEMBER


def test_a_concurrent_chair_is_reported_with_the_rules_message(client, monkeypatch):
    """Validation reads the roster before another save of a chair commits; the database
    refuses the write and the page shows the rule's message, not an error page."""
    council = CouncilFactory()
    member = CouncilMembershipFactory(council=council)
    client.force_login(coordinator_of(council.partnership), backend=MODEL_BACKEND)
    url = reverse("admin:partnerships_councilmembership_change", args=[member.pk])
    data = change_form_data(client.get(url))
    data["role"] = Role.CHAIR
    CouncilMembershipFactory(council=council, role=Role.CHAIR)  # the other save
    real = rosters.council_seats
    calls = []

    def before_the_other_save(council_id, **kwargs):
        calls.append(council_id)
        return [] if len(calls) == 1 else real(council_id, **kwargs)

    monkeypatch.setattr(rosters, "council_seats", before_the_other_save)
    response = client.post(url, data)
    assert response.status_code == 200
    assert chair_rule_error([Role.CHAIR, Role.CHAIR]) in response.content.decode()
    assert CouncilMembership.objects.filter(council=council, role=Role.CHAIR).count() == 1


def test_the_same_person_for_another_organization_is_fine():
    member = CouncilMembershipFactory(person_name="Ana Lima")
    CouncilMembershipFactory(
        council=member.council, organization=OrganizationFactory(), person_name="Ana Lima"
    )


@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_leave_one_chair_on_postgresql():
    """Four sessions validate at once, then write: the database lets exactly one through."""
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite serializes writers; the race needs concurrent sessions")
    # An earlier transactional test's flush may have emptied the seeded taxonomies.
    import importlib

    from django.apps import apps

    importlib.import_module("partnerships.migrations.0002_seed_taxonomies").seed(apps, None)
    council = CouncilFactory()
    pks = [CouncilMembershipFactory(council=council).pk for _ in range(4)]
    barrier = Barrier(len(pks))

    def make_chair(pk: int) -> str:
        try:
            member = CouncilMembership.objects.get(pk=pk)
            member.role = Role.CHAIR
            member.full_clean()  # every session sees no chair yet
            barrier.wait()
            member.save()
            return "saved"
        except (IntegrityError, ValidationError):
            return "refused"
        finally:
            connection.close()

    with ThreadPoolExecutor(len(pks)) as pool:
        results = list(pool.map(make_chair, pks))
    assert results.count("saved") == 1
    assert CouncilMembership.objects.filter(council=council, role=Role.CHAIR).count() == 1
