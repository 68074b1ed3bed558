"""Roster editing, forged POSTs, shared organizations, funders and the landing page."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from partnerships.models import CouncilMembership, Organization, Role, Sector
from plans.models import Action
from tests.factories import (
    CouncilFactory,
    CouncilMembershipFactory,
    OrganizationFactory,
    PartnershipFactory,
    UserFactory,
)
from tests.partnerships.admin_helpers import (
    MODEL_BACKEND,
    add_inline_row,
    change_form_data,
    inline_prefix,
)
from tests.partnerships.factories_admin import coordinator_of, funder

pytestmark = pytest.mark.django_db


def council_url(council) -> str:
    return reverse("admin:partnerships_council_change", args=[council.pk])


# -- forged POSTs ------------------------------------------------------------------------


def test_inline_row_naming_other_partnership_member_with_delete_is_refused(client_a, world):
    a, b, _ = world
    page = client_a.get(council_url(a["council"]))
    data = change_form_data(page)
    prefix = inline_prefix(page, "councilmembership")
    data[f"{prefix}-0-id"] = str(b["councilmembership"].pk)
    data[f"{prefix}-0-DELETE"] = "on"
    response = client_a.post(council_url(a["council"]), data)
    assert response.status_code == 403
    assert CouncilMembership.objects.filter(pk=b["councilmembership"].pk).exists()
    assert CouncilMembership.objects.filter(pk=a["councilmembership"].pk).exists()


def test_membership_pointing_at_other_partnership_council_is_refused(client_a, world):
    a, b, _ = world
    response = client_a.post(
        reverse("admin:partnerships_councilmembership_add"),
        {"council": b["council"].pk, "person_name": "Intruder", "role": "member", "voting": "on"},
    )
    assert response.status_code == 403
    assert not CouncilMembership.objects.filter(person_name="Intruder").exists()


def test_moving_own_member_to_other_partnership_council_is_refused(client_a, world):
    a, b, _ = world
    member = a["councilmembership"]
    target = reverse("admin:partnerships_councilmembership_change", args=[member.pk])
    data = change_form_data(client_a.get(target))
    data["council"] = str(b["council"].pk)
    assert client_a.post(target, data).status_code == 403
    member.refresh_from_db()
    assert member.council == a["council"]


def test_action_pointing_at_other_partnership_working_group_is_refused(client_a, world):
    a, b, _ = world
    action = a["action"]
    target = reverse("admin:plans_action_change", args=[action.pk])
    data = change_form_data(client_a.get(target))
    data["working_group"] = str(b["workinggroup"].pk)
    assert client_a.post(target, data).status_code == 403
    action.refresh_from_db()
    assert action.working_group == a["workinggroup"]


def test_unchanged_council_page_saves(client_a, world):
    a, _, _ = world
    page = client_a.get(council_url(a["council"]))
    response = client_a.post(council_url(a["council"]), change_form_data(page))
    assert response.status_code == 302, response.context and response.context["errors"]


# -- roster editing ----------------------------------------------------------------------


def _post_with_new_rows(client, council, rows):
    page = client.get(council_url(council))
    data = change_form_data(page)
    prefix = inline_prefix(page, "councilmembership")
    for row in rows:
        add_inline_row(data, prefix, {"voting": "on", "role": "member", **row})
    return client.post(council_url(council), data)


def test_adding_a_member_on_the_council_page(client_a, world):
    a, _, user = world
    employers = Sector.objects.get(slug="employers")
    org = OrganizationFactory(name="Chamber of Commerce", sector=employers)
    response = _post_with_new_rows(
        client_a,
        a["council"],
        [
            {
                "organization": org.pk,
                "person_name": "Zoë Tremblay",
                "term_start": "2025-01-01",
                "term_end": "2027-12-31",
                "publish_consent": "on",
            }
        ],
    )
    assert response.status_code == 302
    member = CouncilMembership.objects.get(person_name="Zoë Tremblay")
    assert member.sector == employers
    assert member.consent_date == timezone.localdate()
    assert member.history.first().history_user == user


def test_term_must_end_after_it_starts(client_a, world):
    a, _, _ = world
    response = _post_with_new_rows(
        client_a,
        a["council"],
        [{"person_name": "Backwards", "term_start": "2025-01-01", "term_end": "2024-01-01"}],
    )
    assert response.status_code == 200
    assert not CouncilMembership.objects.filter(person_name="Backwards").exists()


@pytest.mark.parametrize(
    "roles,ok",
    [
        (["chair"], True),
        (["chair", "chair"], False),
        (["co_chair", "co_chair"], True),
        (["chair", "co_chair"], False),
        (["chair", "vice_chair"], True),
    ],
)
def test_chair_rule_on_the_council_page(client_a, world, roles, ok):
    a, _, _ = world
    rows = [{"person_name": f"Lead {i}", "role": role} for i, role in enumerate(roles)]
    response = _post_with_new_rows(client_a, a["council"], rows)
    assert (response.status_code == 302) is ok
    assert CouncilMembership.objects.filter(person_name__startswith="Lead").exists() is ok


def test_chair_rule_on_the_membership_form(client_a, world):
    a, _, _ = world
    CouncilMembershipFactory(council=a["council"], role=Role.CHAIR)
    response = client_a.post(
        reverse("admin:partnerships_councilmembership_add"),
        {"council": a["council"].pk, "person_name": "Second", "role": "chair", "voting": "on"},
    )
    assert response.status_code == 200
    assert "role" in response.context["adminform"].form.errors


def test_same_person_twice_in_one_save_is_refused(client_a, world):
    a, _, _ = world
    rows = [{"person_name": "Twin"}, {"person_name": "Twin"}]
    response = _post_with_new_rows(client_a, a["council"], rows)
    assert response.status_code == 200
    assert not CouncilMembership.objects.filter(person_name="Twin").exists()


def test_term_filters(client_a, world):
    a, _, _ = world
    today = timezone.localdate()
    soon = CouncilMembershipFactory(
        council=a["council"], term_end=today + datetime.timedelta(days=30)
    )
    past = CouncilMembershipFactory(
        council=a["council"], term_end=today - datetime.timedelta(days=30)
    )
    changelist = reverse("admin:partnerships_councilmembership_changelist")
    expiring = {
        m.pk for m in client_a.get(changelist, {"term": "expiring"}).context["cl"].result_list
    }
    carried = {m.pk for m in client_a.get(changelist, {"term": "past"}).context["cl"].result_list}
    assert soon.pk in expiring and past.pk not in expiring
    assert past.pk in carried and soon.pk not in carried


# -- organizations are shared ------------------------------------------------------------


def test_coordinator_adds_and_edits_unshared_organization(client_a, world):
    a, _, _ = world
    response = client_a.post(
        reverse("admin:partnerships_organization_add"),
        {"name": "New Welcome Centre", "province": "AB"},
    )
    assert response.status_code == 302
    org = Organization.objects.get(name="New Welcome Centre")
    target = reverse("admin:partnerships_organization_change", args=[org.pk])
    response = client_a.post(target, {"name": "Welcome Centre", "province": "AB"})
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.name == "Welcome Centre"


def test_coordinator_cannot_edit_organization_used_by_another_partnership(client_a, world):
    _, b, _ = world
    org = b["organization"]
    target = reverse("admin:partnerships_organization_change", args=[org.pk])
    page = client_a.get(target)
    assert page.status_code == 200  # read-only view
    assert not page.context["has_change_permission"]
    assert client_a.post(target, {"name": "Renamed", "province": "AB"}).status_code == 403
    org.refresh_from_db()
    assert org.name != "Renamed"


def test_shared_organizations_can_be_picked(client_a, world):
    _, b, _ = world
    response = client_a.get(
        reverse("admin:autocomplete"),
        {
            "term": b["organization"].name,
            "app_label": "partnerships",
            "model_name": "councilmembership",
            "field_name": "organization",
        },
    )
    assert str(b["organization"].pk) in {r["id"] for r in response.json()["results"]}


# -- funders -----------------------------------------------------------------------------


def test_funder_reads_everything_and_changes_nothing(client, world):
    a, b, _ = world
    client.force_login(funder(), backend=MODEL_BACKEND)
    changelist = client.get(reverse("admin:partnerships_councilmembership_changelist"))
    pks = {m.pk for m in changelist.context["cl"].result_list}
    assert {a["councilmembership"].pk, b["councilmembership"].pk} <= pks
    assert not changelist.context["has_add_permission"]
    assert changelist.context["has_export_permission"]
    assert not changelist.context["has_import_permission"]
    target = reverse("admin:partnerships_council_change", args=[b["council"].pk])
    assert client.get(target).status_code == 200
    assert client.post(target, {"name": "Funder edit"}).status_code == 403
    assert client.get(reverse("admin:partnerships_councilmembership_import")).status_code == 403
    history = reverse(
        "admin:partnerships_council_simple_history",
        args=[b["council"].pk, b["council"].history.first().history_id],
    )
    assert client.get(history).status_code == 200
    assert client.post(history, {"name": "Reverted by funder"}).status_code == 403
    b["council"].refresh_from_db()
    assert b["council"].name != "Reverted by funder"


def test_staff_without_import_export_permission_gets_403(client, world):
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="view_councilmembership"))
    client.force_login(user, backend=MODEL_BACKEND)
    page = client.get(reverse("admin:partnerships_councilmembership_changelist"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "import_link" not in html and "export_link" not in html
    assert client.get(reverse("admin:partnerships_councilmembership_import")).status_code == 403
    assert client.get(reverse("admin:partnerships_councilmembership_export")).status_code == 403


# -- the landing page --------------------------------------------------------------------


def test_landing_page_lists_representation_and_confirm(client_a, world):
    a, b, _ = world
    response = client_a.get(reverse("admin:index"))
    html = response.content.decode()
    assert "Your partnerships" in html
    assert a["partnership"].name in html
    assert b["partnership"].name not in html
    assert "Indigenous representatives" in html  # a missing recommended sector
    assert "Confirm this is current" in html


def test_funder_landing_page_has_no_workspace(client, world):
    client.force_login(funder(), backend=MODEL_BACKEND)
    assert "Your partnerships" not in client.get(reverse("admin:index")).content.decode()


def test_council_page_shows_representation(client_a, world):
    a, _, _ = world
    html = client_a.get(council_url(a["council"])).content.decode()
    assert "Recommended sectors missing" in html
    assert "vacant" in html


# -- constant queries ----------------------------------------------------------------------


def _grow(partnership, n):
    council = CouncilFactory(partnership=partnership)
    for _ in range(n):
        CouncilMembershipFactory(council=council)


@pytest.mark.parametrize(
    "name",
    [
        "partnerships_councilmembership_changelist",
        "partnerships_council_changelist",
        "partnerships_workinggroup_changelist",
        "plans_action_changelist",
    ],
)
def test_changelists_run_constant_queries(client_a, world, django_assert_max_num_queries, name):
    a, _, _ = world
    _grow(a["partnership"], 3)
    client_a.get(reverse(f"admin:{name}"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client_a.get(reverse(f"admin:{name}"))
    _grow(a["partnership"], 30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client_a.get(reverse(f"admin:{name}"))
    assert response.status_code == 200


def test_membership_changelist_query_budget(client_a, world, django_assert_max_num_queries):
    a, _, _ = world
    _grow(a["partnership"], 40)
    with django_assert_max_num_queries(15):
        client_a.get(reverse("admin:partnerships_councilmembership_changelist"))


def test_coordinator_of_two_partnerships_sees_both(client):
    first, second = PartnershipFactory(), PartnershipFactory()
    c1, c2 = CouncilFactory(partnership=first), CouncilFactory(partnership=second)
    user = coordinator_of(first, second)
    client.force_login(user, backend=MODEL_BACKEND)
    response = client.get(reverse("admin:partnerships_council_changelist"))
    assert {c.pk for c in response.context["cl"].result_list} == {c1.pk, c2.pk}


def test_action_working_group_choices_are_own(client_a, world):
    a, b, _ = world
    page = client_a.get(reverse("admin:plans_action_change", args=[a["action"].pk]))
    queryset = page.context["adminform"].form.fields["working_group"].queryset
    assert a["workinggroup"] in queryset and b["workinggroup"] not in queryset
    assert Action.objects.count() == 2


def test_coordinator_edits_own_partnership_but_not_its_identity(client_a, world):
    a, _, _ = world
    partnership = a["partnership"]
    target = reverse("admin:partnerships_partnership_change", args=[partnership.pk])
    page = client_a.get(target)
    assert "slug" not in page.context["adminform"].form.fields
    data = change_form_data(page)
    data["description"] = "We convene settlement agencies and employers."
    data["slug"] = "hijacked-slug"
    assert client_a.post(target, data).status_code == 302
    partnership.refresh_from_db()
    assert partnership.description.startswith("We convene")
    assert partnership.slug != "hijacked-slug"


def test_council_page_runs_constant_queries(client_a, world, django_assert_max_num_queries):
    """Sector choices, organization labels and representation are shared across roster rows."""
    a, _, _ = world
    target = council_url(a["council"])
    client_a.get(target)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client_a.get(target)
    for _ in range(20):
        CouncilMembershipFactory(council=a["council"])
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client_a.get(target)
    assert len(response.context["inline_admin_formsets"][0].formset.forms) == 21
