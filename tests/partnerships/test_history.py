"""History: every change is recorded with its author; coordinators restore memberships."""

from __future__ import annotations

import pytest
from django.urls import reverse

from partnerships.models import CouncilMembership, Role
from tests.factories import CouncilMembershipFactory
from tests.partnerships.admin_helpers import MODEL_BACKEND, change_form_data
from tests.partnerships.factories_admin import build_tree, coordinator_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    a = build_tree()
    return a, coordinator_of(a["partnership"])


@pytest.fixture
def client_a(client, world):
    client.force_login(world[1], backend=MODEL_BACKEND)
    return client


def test_admin_change_is_recorded_with_author_and_diff(client_a, world):
    a, user = world
    member = a["councilmembership"]
    target = reverse("admin:partnerships_councilmembership_change", args=[member.pk])
    data = change_form_data(client_a.get(target))
    data["title"] = "Board Chair"
    assert client_a.post(target, data).status_code == 302
    latest = member.history.first()
    assert latest.history_user == user
    delta = latest.diff_against(latest.prev_record)
    assert "title" in delta.changed_fields
    page = client_a.get(reverse("admin:partnerships_councilmembership_history", args=[member.pk]))
    assert page.status_code == 200
    assert "Board Chair" in page.content.decode()


def test_revert_a_changed_membership(client_a, world):
    a, _ = world
    member = a["councilmembership"]
    original = member.history.first()
    member.title = "Changed by mistake"
    member.save()
    target = reverse(
        "admin:partnerships_councilmembership_simple_history",
        args=[member.pk, original.history_id],
    )
    page = client_a.get(target)
    assert page.status_code == 200
    assert client_a.post(target, change_form_data(page)).status_code == 302
    member.refresh_from_db()
    assert member.title == original.title


def test_restore_a_deleted_membership(client_a, world):
    a, user = world
    member = a["councilmembership"]
    pk, name = member.pk, member.person_name
    member.delete()
    listing = client_a.get(reverse("admin:partnerships_councilmembership_deleted"))
    assert name in listing.content.decode()
    record = CouncilMembership.history.get(id=pk, history_type="-")
    history = client_a.get(reverse("admin:partnerships_councilmembership_history", args=[pk]))
    assert history.status_code == 200, "a deleted object's history stays readable to its owner"
    response = client_a.post(
        reverse("admin:partnerships_councilmembership_restore", args=[record.history_id])
    )
    assert response.status_code == 302
    restored = CouncilMembership.objects.get(pk=pk)
    assert restored.person_name == name
    assert restored.history.first().history_user == user
    listing = client_a.get(reverse("admin:partnerships_councilmembership_deleted"))
    assert pk not in {r.id for r in listing.context["records"]}


def test_restore_refused_when_it_breaks_the_roster(client_a, world):
    a, _ = world
    chair = CouncilMembershipFactory(council=a["council"], role=Role.CHAIR)
    pk = chair.pk
    chair.delete()
    CouncilMembershipFactory(council=a["council"], role=Role.CHAIR)
    record = CouncilMembership.history.get(id=pk, history_type="-")
    client_a.post(reverse("admin:partnerships_councilmembership_restore", args=[record.history_id]))
    assert not CouncilMembership.objects.filter(pk=pk).exists()


def test_every_owned_model_keeps_history(world):
    a, _ = world
    for key in ["partnership", "council", "councilmembership", "workinggroup", "communityplan",
                "priority", "action", "indicator", "measurement"]:  # fmt: skip
        assert a[key].history.exists(), key


@pytest.fixture
def moved_membership(world):
    """A's member, moved by a site admin to B's council and edited there."""
    a, _user = world
    b = build_tree()
    member = a["councilmembership"]
    old_version = member.history.first()
    member.council = b["council"]
    member.title = "Edited by B"
    member.save()
    return member, old_version, b


def test_old_version_of_a_row_now_in_another_partnership_is_not_shown(client_a, moved_membership):
    member, old_version, _b = moved_membership
    target = reverse(
        "admin:partnerships_councilmembership_simple_history",
        args=[member.pk, old_version.history_id],
    )
    assert client_a.get(target).status_code == 403


def test_revert_cannot_pull_a_row_back_from_another_partnership(client_a, moved_membership):
    member, old_version, b = moved_membership
    target = reverse(
        "admin:partnerships_councilmembership_simple_history",
        args=[member.pk, old_version.history_id],
    )
    data = {
        "council": str(old_version.council_id),
        "organization": str(old_version.organization_id or ""),
        "person_name": old_version.person_name,
        "role": old_version.role,
        "voting": "on",
    }
    assert client_a.post(target, data).status_code == 403
    member.refresh_from_db()
    assert member.council_id == b["council"].pk
    assert member.title == "Edited by B"
