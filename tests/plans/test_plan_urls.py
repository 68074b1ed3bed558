"""A plan's own address: ``get_absolute_url`` is its public page, so "View on site" works."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from plans.models import CommunityPlan
from tests.factories import CommunityPlanFactory, PartnershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def partnership():
    return PartnershipFactory(slug="riverton")


def test_active_plan_links_to_the_plan_page(partnership):
    plan = CommunityPlanFactory(partnership=partnership, status=CommunityPlan.Status.ACTIVE)
    assert plan.get_absolute_url() == "/partnerships/riverton/plan/"


@pytest.mark.parametrize("status", [CommunityPlan.Status.COMPLETED, CommunityPlan.Status.ARCHIVED])
def test_earlier_plan_links_to_its_archive_page(partnership, status):
    plan = CommunityPlanFactory(
        partnership=partnership, status=status, start_year=2018, end_year=2022
    )
    assert plan.get_absolute_url() == "/partnerships/riverton/plan/2018-2022/"


def test_draft_links_to_the_partnership_plan_page(partnership):
    plan = CommunityPlanFactory(partnership=partnership, status=CommunityPlan.Status.DRAFT)
    assert plan.get_absolute_url() == "/partnerships/riverton/plan/"


@pytest.mark.parametrize(
    ("status", "years"),
    [(CommunityPlan.Status.ACTIVE, (2023, 2026)), (CommunityPlan.Status.COMPLETED, (2018, 2022))],
)
def test_view_on_site_opens_a_public_page_showing_the_plan(
    admin_client, partnership, status, years
):
    plan = CommunityPlanFactory(
        partnership=partnership,
        status=status,
        title="Riverton Community Plan",
        start_year=years[0],
        end_year=years[1],
    )
    shortcut = reverse(
        "admin:view_on_site",
        args=[ContentType.objects.get_for_model(CommunityPlan).pk, plan.pk],
    )
    change = admin_client.get(reverse("admin:plans_communityplan_change", args=[plan.pk]))
    assert shortcut in change.content.decode()
    redirect = admin_client.get(shortcut)
    assert redirect.status_code == 302
    assert redirect["Location"].endswith(plan.get_absolute_url())
    page = admin_client.get(plan.get_absolute_url())
    assert page.status_code == 200
    assert "Riverton Community Plan" in page.content.decode()
