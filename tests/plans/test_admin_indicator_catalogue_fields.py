"""An indicator saved with a catalogue entry shows the entry's name, unit and polarity as
read-only fields (they would be overwritten on save); without an entry they stay editable,
with help saying a catalogue entry would bring its own."""

from __future__ import annotations

import pytest
from django.urls import reverse

from plans.models import Indicator, IndicatorDefinition, Polarity
from tests.partnerships.admin_helpers import change_form_data, inline_prefix

pytestmark = pytest.mark.django_db

COPIED = ["name", "name_fr", "unit", "unit_fr", "polarity"]


def lower_is_better_entry() -> IndicatorDefinition:
    return IndicatorDefinition.objects.get(slug="core-housing-need-immigrant-households")


def from_catalogue(indicator: Indicator) -> Indicator:
    indicator.definition = lower_is_better_entry()
    indicator.baseline_value = indicator.target_value = None  # set for "higher is better"
    indicator.save()  # the model copies name, unit and polarity
    return indicator


def indicator_url(indicator: Indicator) -> str:
    return reverse("admin:plans_indicator_change", args=[indicator.pk])


def test_catalogue_fields_are_read_only_on_an_indicator_with_an_entry(client_a, world):
    indicator = from_catalogue(world[0]["indicator"])
    form = client_a.get(indicator_url(indicator)).context["adminform"].form
    assert all(form.fields[name].disabled for name in COPIED)
    assert form["polarity"].value() == Polarity.LOWER
    assert "Taken from the catalogue indicator" in form.fields["polarity"].help_text


def test_a_posted_polarity_cannot_contradict_the_entry(client_a, world):
    indicator = from_catalogue(world[0]["indicator"])
    data = change_form_data(client_a.get(indicator_url(indicator)))
    data.update(polarity=Polarity.HIGHER, name="Something else", target_value="", baseline_value="")
    response = client_a.post(indicator_url(indicator), data)
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.polarity == Polarity.LOWER
    assert indicator.name == lower_is_better_entry().name


def test_custom_indicator_fields_stay_editable_with_help(client_a, world):
    indicator = world[0]["indicator"]
    assert indicator.definition_id is None
    form = client_a.get(indicator_url(indicator)).context["adminform"].form
    assert not any(form.fields[name].disabled for name in COPIED)
    assert "Used only when no catalogue indicator is chosen" in form.fields["polarity"].help_text


def test_priority_inline_locks_only_the_rows_with_an_entry(client_a, world):
    a = world[0]
    from_catalogue(a["indicator"])
    Indicator.objects.create(priority=a["priority"], name="Custom one", polarity=Polarity.HIGHER)
    page = client_a.get(reverse("admin:plans_priority_change", args=[a["priority"].pk]))
    prefix = inline_prefix(page, "indicator")
    formset = next(
        f.formset for f in page.context["inline_admin_formsets"] if f.formset.prefix == prefix
    )
    locked = {form.instance.name: form.fields["polarity"].disabled for form in formset.forms}
    assert locked == {lower_is_better_entry().name: True, "Custom one": False}
    assert not formset.empty_form.fields["polarity"].disabled
