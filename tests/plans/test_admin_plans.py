"""Community plans in the admin: the same scoping as the rosters."""

from __future__ import annotations

import pytest
from django.urls import reverse

from plans.models import Priority
from tests.partnerships.admin_helpers import (
    MODEL_BACKEND,
    add_inline_row,
    change_form_data,
    inline_prefix,
)
from tests.partnerships.factories_admin import funder

pytestmark = pytest.mark.django_db


def plan_url(plan) -> str:
    return reverse("admin:plans_communityplan_change", args=[plan.pk])


def test_coordinator_adds_a_priority_on_the_plan_page(client_a, world):
    a, _, _ = world
    page = client_a.get(plan_url(a["communityplan"]))
    data = change_form_data(page)
    add_inline_row(data, inline_prefix(page, "priority"), {"title": "Housing", "order": "9"})
    assert client_a.post(plan_url(a["communityplan"]), data).status_code == 302
    assert Priority.objects.filter(plan=a["communityplan"], title="Housing").exists()


def test_plan_inline_carrying_other_partnership_priority_is_refused(client_a, world):
    a, b, _ = world
    page = client_a.get(plan_url(a["communityplan"]))
    data = change_form_data(page)
    prefix = inline_prefix(page, "priority")
    data[f"{prefix}-0-id"] = str(b["priority"].pk)
    data[f"{prefix}-0-title"] = "Hijacked"
    assert client_a.post(plan_url(a["communityplan"]), data).status_code == 403
    b["priority"].refresh_from_db()
    assert b["priority"].title != "Hijacked"


def test_plan_cannot_be_moved_to_another_partnership(client_a, world):
    a, b, _ = world
    page = client_a.get(plan_url(a["communityplan"]))
    data = change_form_data(page)
    data["partnership"] = str(b["partnership"].pk)
    assert client_a.post(plan_url(a["communityplan"]), data).status_code == 403
    a["communityplan"].refresh_from_db()
    assert a["communityplan"].partnership == a["partnership"]


def test_funder_reads_plans_read_only(client, world):
    _, b, _ = world
    client.force_login(funder(), backend=MODEL_BACKEND)
    page = client.get(plan_url(b["communityplan"]))
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    assert client.post(plan_url(b["communityplan"]), {"title": "X"}).status_code == 403
