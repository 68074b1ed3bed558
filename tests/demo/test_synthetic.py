"""The synthetic scale data set: realistic, bulk-built, deterministic, marked and removable."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from demo import synthetic
from demo.flags import sample_data_present
from demo.removal import remove_sample_data, sample_models
from demo.synthetic import (
    NAME_PREFIX,
    remove_synthetic_data,
    seed_synthetic,
    synthetic_partnerships,
)
from directory.revision import current_revision
from partnerships.models import Council, CouncilMembership, Organization, Partnership
from plans.models import CommunityPlan, Indicator, Measurement
from tests.demo.helpers import TODAY
from tests.factories import CommunityFactory, CouncilFactory, PartnershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def places():
    """A few places in each province the generator draws from most."""
    rows = []
    for province, lat, lon in (
        ("ON", "43.7", "-79.4"),
        ("AB", "51.0", "-114.1"),
        ("BC", "49.3", "-123.1"),
    ):
        for n in range(4):
            rows.append(
                CommunityFactory(
                    name=f"Place {province} {n}",
                    province=province,
                    latitude=Decimal(lat),
                    longitude=Decimal(lon),
                    population=1000 * (n + 1),
                )
            )
    return rows


@pytest.fixture
def small_chunks(monkeypatch):
    """Chunks of 5 partnerships, so a dozen already spans several chunks."""
    monkeypatch.setattr(synthetic, "CHUNK", 5)


def _signature() -> list[tuple]:
    """What a seed decides: names, provinces, roster people and roles, plan titles."""
    partnerships = list(
        synthetic_partnerships().order_by("slug").values_list("slug", "name", "province", "kind")
    )
    members = list(
        CouncilMembership.objects.filter(council__partnership__slug__startswith="synthetic-")
        .order_by("council__partnership__slug", "person_name")
        .values_list("council__partnership__slug", "person_name", "role", "organization__name")
    )
    plans = list(
        CommunityPlan.objects.filter(partnership__slug__startswith="synthetic-")
        .order_by("partnership__slug")
        .values_list("partnership__slug", "title")
    )
    return [*partnerships, *members, *plans]


def test_builds_councils_groups_and_plans_for_every_partnership(places, small_chunks):
    report = seed_synthetic(12, seed=3, today=TODAY)

    assert synthetic_partnerships().count() == 12
    assert report.counts["partnerships"] == 12
    assert Council.objects.filter(partnership__slug__startswith="synthetic-").count() == 12
    assert CommunityPlan.objects.filter(partnership__slug__startswith="synthetic-").count() == 12
    per_partnership = report.counts["council memberships"] / 12
    assert 20 <= per_partnership <= 40  # about 30, as the 300,000 for 10,000
    assert report.counts["working groups"] >= 12 * 2
    assert report.counts["measurements"] > 0


def test_every_partnership_serves_places_of_its_own_province(places):
    seed_synthetic(8, seed=3, today=TODAY)

    for partnership in synthetic_partnerships().prefetch_related("communities"):
        places_served = list(partnership.communities.all())
        if partnership.province in {"ON", "AB", "BC"}:
            assert places_served
        assert all(place.province == partnership.province for place in places_served)


def test_every_row_is_marked_synthetic(places):
    seed_synthetic(6, seed=3, today=TODAY)

    assert all(
        name.startswith(NAME_PREFIX)
        for name in synthetic_partnerships().values_list("name", flat=True)
    )
    synthetic_orgs = Organization.objects.filter(name__startswith=NAME_PREFIX)
    assert synthetic_orgs.exists()
    assert not synthetic_orgs.filter(is_sample=False).exists()
    for model in sample_models():
        owned = synthetic._owned_by_synthetic(model)
        if owned is not None:
            assert not model._base_manager.filter(
                pk__in=owned.values("pk"), is_sample=False
            ).exists(), model


def test_same_seed_gives_the_same_data_set(places, small_chunks):
    seed_synthetic(7, seed=11, today=TODAY)
    first = _signature()
    remove_synthetic_data()
    seed_synthetic(7, seed=11, today=TODAY)

    assert _signature() == first


def test_another_seed_gives_another_data_set(places):
    seed_synthetic(5, seed=11, today=TODAY)
    first = [row[1:] for row in _signature() if len(row) == 4 and str(row[0]).startswith("synth")]
    remove_synthetic_data()
    seed_synthetic(5, seed=12, today=TODAY)
    second = [row[1:] for row in _signature() if len(row) == 4 and str(row[0]).startswith("synth")]

    assert first != second


def test_the_sample_notice_shows_and_the_revision_moves_on(places):
    before = current_revision().number

    seed_synthetic(3, seed=3, today=TODAY)

    assert sample_data_present()
    assert current_revision().number > before


def test_removal_deletes_every_synthetic_row_and_keeps_real_ones(places):
    real = PartnershipFactory(slug="real-lip")
    real_council = CouncilFactory(partnership=real)
    seed_synthetic(6, seed=3, today=TODAY)

    remove_synthetic_data()

    assert not synthetic_partnerships().exists()
    assert not Organization.objects.filter(name__startswith=NAME_PREFIX).exists()
    assert not Measurement.objects.filter(is_sample=True).exists()
    assert not Indicator.objects.filter(is_sample=True).exists()
    assert Partnership.objects.filter(pk=real.pk).exists()
    assert Council.objects.filter(pk=real_council.pk).exists()


def test_remove_sample_data_removes_the_synthetic_rows_under_partnerships(places):
    seed_synthetic(4, seed=3, today=TODAY)

    remove_sample_data()

    assert not CouncilMembership.objects.filter(
        council__partnership__slug__startswith="synthetic-"
    ).exists()
    assert not CommunityPlan.objects.filter(partnership__slug__startswith="synthetic-").exists()


def test_seeding_a_seed_twice_is_refused(places):
    seed_synthetic(2, seed=5, today=TODAY)

    with pytest.raises(ValueError, match="already exist"):
        seed_synthetic(2, seed=5, today=TODAY)


def test_the_command_refuses_without_debug_or_the_flag(settings, places):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="Refusing"):
        call_command("seed_synthetic", "--partnerships", "2")
    assert not synthetic_partnerships().exists()


def test_the_command_builds_and_removes(places):
    out = StringIO()
    call_command(
        "seed_synthetic",
        "--partnerships",
        "3",
        "--seed",
        "4",
        "--no-progress",
        "--i-understand-this-is-sample-data",
        stdout=out,
    )
    assert "3 partnerships" in out.getvalue()

    call_command("seed_synthetic", "--remove", "--i-understand-this-is-sample-data", stdout=out)
    assert not synthetic_partnerships().exists()


def test_synthetic_partnerships_are_found_by_the_search(places, client):
    seed_synthetic(3, seed=3, today=TODAY)
    place = synthetic_partnerships().first().communities.first()

    response = client.get("/partnerships/", {"q": "synthetic"})

    assert response.status_code == 200
    assert synthetic_partnerships().filter(search_text__contains="synthetic").count() == 3
    if place is not None:
        assert synthetic_partnerships().filter(search_text__contains=place.name.lower()).exists()
