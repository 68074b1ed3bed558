"""Tabular inlines name each row's fields and leave no header cell empty (WCAG 1.3.1, 4.1.2),
without Django's template being copied: ScopedTabularInline and its wrapping template."""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from partnerships.admin_scoping import ScopedTabularInline
from plans.admin import PriorityInline
from plans.models import CommunityPlan
from tests.factories import (
    CommunityPlanFactory,
    CouncilFactory,
    CouncilMembershipFactory,
    PartnershipFactory,
    PriorityFactory,
)
from tests.partnerships.admin_helpers import MODEL_BACKEND
from tests.partnerships.factories_admin import coordinator_of

pytestmark = pytest.mark.django_db


def plan_page(client, language: str = "en") -> str:
    partnership = PartnershipFactory()
    plan = CommunityPlanFactory(partnership=partnership)
    PriorityFactory(plan=plan, order=1)
    PriorityFactory(plan=plan, order=2)
    client.force_login(coordinator_of(partnership), backend=MODEL_BACKEND)
    with translation.override(language):
        url = reverse("admin:plans_communityplan_change", args=[plan.pk])
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def aria_label(html: str, name: str) -> str | None:
    """The aria-label of the element named ``name`` in the page."""
    tag = re.search(rf'<(?:input|select|textarea)[^>]*name="{re.escape(name)}"[^>]*>', html)
    assert tag, name
    label = re.search(r'aria-label="([^"]*)"', tag.group(0))
    return label.group(1) if label else None


def test_each_row_field_is_named_by_its_column_and_row(client):
    html = plan_page(client)
    assert aria_label(html, "priorities-0-title") == "Title, row 1"
    assert aria_label(html, "priorities-1-focus_area") == "Focus area, row 2"
    assert aria_label(html, "priorities-1-DELETE") == "Delete, row 2"


def test_the_row_template_copied_by_add_another_is_named_as_a_new_row(client):
    html = plan_page(client)
    assert aria_label(html, "priorities-__prefix__-title") == "Title, new row"


def test_hidden_row_fields_get_no_name(client):
    html = plan_page(client)
    assert aria_label(html, "priorities-0-id") is None


def test_row_names_are_in_the_page_language(client):
    html = plan_page(client, "fr")
    label = aria_label(html, "priorities-0-title")
    assert label is not None and label.endswith(", ligne 1")


def test_inline_table_has_no_empty_header_cell(client):
    html = plan_page(client)
    table = html[html.index('id="priorities-group"') :]
    table = table[: table.index("</table>")]
    assert not re.search(r"<th[^>]*>\s*</th>", table)
    assert '<td class="original"></td>' in table  # the column of row names, still there


def test_naming_rows_leaves_the_shared_form_class_untouched(rf: RequestFactory):
    partnership = PartnershipFactory()
    request = rf.get("/")
    request.user = coordinator_of(partnership)
    inline = PriorityInline(CommunityPlan, admin.site)
    formset_class = inline.get_formset(request, None)
    formset_class(instance=CommunityPlanFactory(partnership=partnership)).forms  # noqa: B018
    for field in formset_class.form.base_fields.values():
        inner = getattr(field.widget, "widget", field.widget)
        assert "aria-label" not in inner.attrs


def test_roster_with_its_own_labels_is_not_renamed(client):
    partnership = PartnershipFactory()
    council = CouncilFactory(partnership=partnership)
    CouncilMembershipFactory(council=council)
    client.force_login(coordinator_of(partnership), backend=MODEL_BACKEND)
    response = client.get(reverse("admin:partnerships_council_change", args=[council.pk]))
    html = response.content.decode()
    assert 'name="m-0-person_name"' in html
    assert "row" not in (aria_label(html, "m-0-person_name") or "")


def test_scoped_admin_pages_load_the_widget_naming_script(client):
    html = plan_page(client)
    assert "js/admin-a11y.js" in html
    assert ScopedTabularInline.template == "admin/edit_inline/tabular_labelled.html"
