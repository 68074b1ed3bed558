"""Rows added on the same admin page as their new parent are checked like any other row.

On an add page the parent is not saved yet when the inline rows are validated, so a rule
that needs the parent (the plan's years) must read the unsaved parent, not skip itself.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from plans.models import Action, Indicator, Measurement, Priority
from tests.partnerships.admin_helpers import add_inline_row, change_form_data, inline_prefix

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(world):
    a, _, _ = world
    return a["communityplan"]  # the factory's plan: 2025–2029


def add_indicator(client, plan, measurement_year: int):
    url = reverse("admin:plans_indicator_add")
    page = client.get(url)
    data = change_form_data(page)
    data.update(
        {
            "priority": str(Priority.objects.filter(plan=plan).first().pk),
            "name": "Newcomers in language classes",
            "baseline_value": "10",
            "baseline_year": str(plan.start_year),
            "target_value": "20",
            "target_year": str(plan.end_year),
            "polarity": "higher",
        }
    )
    add_inline_row(
        data, inline_prefix(page, "measurement"), {"year": str(measurement_year), "value": "12"}
    )
    return client.post(url, data)


def test_measurement_outside_the_plan_is_refused_on_the_indicator_add_page(client_a, plan):
    response = add_indicator(client_a, plan, plan.end_year + 3)
    assert response.status_code == 200  # the form again, with the error
    assert "The year must fall within the plan" in response.content.decode()
    assert not Indicator.objects.filter(name="Newcomers in language classes").exists()


def test_measurement_inside_the_plan_is_saved_on_the_indicator_add_page(client_a, plan):
    response = add_indicator(client_a, plan, plan.start_year + 1)
    assert response.status_code == 302
    assert Measurement.objects.filter(
        indicator__name="Newcomers in language classes", year=plan.start_year + 1
    ).exists()


def add_priority(client, plan, action_year: int):
    url = reverse("admin:plans_priority_add")
    page = client.get(url)
    data = change_form_data(page)
    data.update({"plan": str(plan.pk), "title": "Belonging", "order": "5"})
    add_inline_row(
        data,
        inline_prefix(page, "action"),
        {"year": str(action_year), "title": "Welcome week", "status": "planned"},
    )
    return client.post(url, data)


def test_action_outside_the_plan_is_refused_on_the_priority_add_page(client_a, plan):
    response = add_priority(client_a, plan, plan.end_year + 3)
    assert response.status_code == 200
    assert "The year must fall within the plan" in response.content.decode()
    assert not Action.objects.filter(title="Welcome week").exists()


def test_action_inside_the_plan_is_saved_on_the_priority_add_page(client_a, plan):
    response = add_priority(client_a, plan, plan.start_year)
    assert response.status_code == 302
    assert Action.objects.get(title="Welcome week").plan == plan
