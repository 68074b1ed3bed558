"""The indicator catalogue and the plan integrity rules in the coordinator workspace."""

from __future__ import annotations

import pytest
from django.urls import reverse

from plans.models import CommunityPlan, Indicator, IndicatorDefinition, Measurement, Polarity
from tests.factories import IndicatorDefinitionFactory, UserFactory
from tests.partnerships.admin_helpers import (
    MODEL_BACKEND,
    add_inline_row,
    change_form_data,
    inline_prefix,
)

pytestmark = pytest.mark.django_db


def entry_url(entry: IndicatorDefinition) -> str:
    return reverse("admin:plans_indicatordefinition_change", args=[entry.pk])


def catalogue_entry() -> IndicatorDefinition:
    return IndicatorDefinition.objects.get(slug="core-housing-need-immigrant-households")


# -- the catalogue is read-only for coordinators -------------------------------------------------


def test_coordinator_reads_the_catalogue(client_a):
    response = client_a.get(reverse("admin:plans_indicatordefinition_changelist"))
    assert response.status_code == 200
    assert "Recent-immigrant households in core housing need" in response.content.decode()


def test_coordinator_cannot_change_a_catalogue_entry(client_a):
    entry = catalogue_entry()
    page = client_a.get(entry_url(entry))
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    response = client_a.post(entry_url(entry), {"name": "Mine now", "slug": entry.slug})
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.name != "Mine now"


def test_coordinator_cannot_add_to_the_catalogue(client_a):
    response = client_a.get(reverse("admin:plans_indicatordefinition_add"))
    assert response.status_code == 403


def test_site_admin_edits_the_catalogue_with_history(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True), backend=MODEL_BACKEND)
    entry = catalogue_entry()
    data = change_form_data(client.get(entry_url(entry)))
    data["definition"] = "A clearer definition."
    assert client.post(entry_url(entry), data).status_code == 302
    entry.refresh_from_db()
    assert entry.definition == "A clearer definition."
    assert entry.history.count() >= 1
    history = client.get(reverse("admin:plans_indicatordefinition_history", args=[entry.pk]))
    assert history.status_code == 200


def test_coordinator_reads_the_characteristics_but_cannot_add_one(client_a):
    assert client_a.get(reverse("admin:plans_characteristic_changelist")).status_code == 200
    assert client_a.get(reverse("admin:plans_characteristic_add")).status_code == 403


def test_the_catalogue_autocomplete_offers_entries_to_a_coordinator(client_a):
    response = client_a.get(
        reverse("admin:autocomplete"),
        {
            "term": "housing",
            "app_label": "plans",
            "model_name": "indicator",
            "field_name": "definition",
        },
    )
    assert response.status_code == 200
    assert str(catalogue_entry().pk) in {row["id"] for row in response.json()["results"]}


# -- building a plan from the catalogue ---------------------------------------------------------


def test_coordinator_picks_a_catalogue_indicator_without_naming_it(client_a, world):
    a, _, _ = world
    url = reverse("admin:plans_priority_change", args=[a["priority"].pk])
    page = client_a.get(url)
    data = change_form_data(page)
    add_inline_row(
        data,
        inline_prefix(page, "indicator"),
        {
            "definition": str(catalogue_entry().pk),
            "baseline_value": "32",
            "baseline_year": "2024",
            "target_value": "25",
            "target_year": "2029",
            "polarity": "higher",  # contradicts the entry: the entry wins
        },
    )
    response = client_a.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    indicator = Indicator.objects.get(definition=catalogue_entry(), priority=a["priority"])
    assert indicator.name == "Recent-immigrant households in core housing need"
    assert (indicator.unit, indicator.polarity) == ("%", Polarity.LOWER)


def test_the_indicator_page_shows_the_catalogue_definition_and_source(client_a, world):
    a, _, _ = world
    entry = IndicatorDefinitionFactory(source="IRCC, Settlement Outcomes Report")
    indicator = a["indicator"]
    Indicator.objects.filter(pk=indicator.pk).update(definition=entry)
    page = client_a.get(reverse("admin:plans_indicator_change", args=[indicator.pk]))
    body = page.content.decode()
    assert entry.definition in body and "IRCC, Settlement Outcomes Report" in body


def test_a_target_on_the_worse_side_is_a_form_error_not_a_crash(client_a, world):
    a, _, _ = world
    url = reverse("admin:plans_indicator_change", args=[a["indicator"].pk])
    data = change_form_data(client_a.get(url))
    data.update(polarity="lower", baseline_value="10", target_value="30")
    response = client_a.post(url, data)
    assert response.status_code == 200
    assert "The target must be better than the baseline" in response.content.decode()


def test_a_measurement_outside_the_plan_is_a_form_error(client_a, world):
    a, _, _ = world
    url = reverse("admin:plans_indicator_change", args=[a["indicator"].pk])
    page = client_a.get(url)
    data = change_form_data(page)
    add_inline_row(data, inline_prefix(page, "measurement"), {"year": "2035", "value": "12"})
    response = client_a.post(url, data)
    assert response.status_code == 200
    assert "must fall within the plan" in response.content.decode()
    assert not Measurement.objects.filter(year=2035).exists()


def test_a_baseline_year_measurement_is_accepted_in_the_admin(client_a, world):
    a, _, _ = world
    url = reverse("admin:plans_indicator_change", args=[a["indicator"].pk])
    page = client_a.get(url)
    data = change_form_data(page)
    add_inline_row(data, inline_prefix(page, "measurement"), {"year": "2024", "value": "10"})
    assert client_a.post(url, data).status_code == 302
    assert a["indicator"].measurements.filter(year=2024).exists()


def test_a_second_active_plan_is_a_form_error_in_the_admin(client_a, world):
    a, _, _ = world
    page = client_a.get(reverse("admin:plans_communityplan_add"))
    data = change_form_data(page)
    data.update(
        partnership=str(a["partnership"].pk),
        title="Next plan",
        start_year="2030",
        end_year="2033",
        status="active",
    )
    response = client_a.post(reverse("admin:plans_communityplan_add"), data)
    assert response.status_code == 200
    assert "already has an active plan" in response.content.decode()
    assert CommunityPlan.objects.filter(partnership=a["partnership"]).count() == 1


def test_an_action_is_added_under_its_priority(client_a, world):
    a, _, _ = world
    url = reverse("admin:plans_priority_change", args=[a["priority"].pk])
    page = client_a.get(url)
    data = change_form_data(page)
    add_inline_row(
        data,
        inline_prefix(page, "action"),
        {"year": "2026", "title": "Landlord fair", "status": "planned"},
    )
    assert client_a.post(url, data).status_code == 302
    assert a["priority"].actions.filter(title="Landlord fair").exists()
    assert a["priority"].actions.get(title="Landlord fair").plan == a["communityplan"]


def test_a_catalogue_indicator_needs_no_name_or_values_of_its_own(world):
    a, _, _ = world
    indicator = Indicator(priority=a["priority"], definition=catalogue_entry())
    indicator.full_clean()
    indicator.save()
    assert indicator.baseline_value is None
    assert indicator.name == catalogue_entry().name


def test_a_worse_side_target_in_the_priority_inline_is_a_form_error(client_a, world):
    a, _, _ = world
    url = reverse("admin:plans_priority_change", args=[a["priority"].pk])
    page = client_a.get(url)
    data = change_form_data(page)
    add_inline_row(
        data,
        inline_prefix(page, "indicator"),
        {
            "name": "Wait for housing help",
            "polarity": "lower",
            "baseline_value": "20",
            "target_value": "40",
        },
    )
    response = client_a.post(url, data)
    assert response.status_code == 200
    assert "The target must be better than the baseline" in response.content.decode()
    assert not Indicator.objects.filter(name="Wait for housing help").exists()
