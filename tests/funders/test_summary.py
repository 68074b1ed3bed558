"""The summary's figures against hand-computed values (see tests/funders/world.py)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from funders.summary import (
    BEHIND,
    MET,
    NO_DATA,
    ON_TRACK,
    group_totals,
    indicator_status,
    latest_measurements,
    summarize,
)
from partnerships.models import Partnership
from tests.factories import IndicatorFactory, MeasurementFactory
from tests.funders.world import RECOMMENDED, TODAY, build_world
from tests.partnerships.factories_admin import build_tree, coordinator_of, funder


@pytest.fixture(scope="module")
def _world(shared_rows):
    return shared_rows.build(build_world)


@pytest.fixture
def world(_world, shared_rows, db):
    return shared_rows.fresh(_world)


def by_slug(user):
    return {
        s.partnership.slug: s for s in summarize(Partnership.objects.all(), user=user, today=TODAY)
    }


def test_main_council_figures(world):
    s = by_slug(funder())["alpha-lip"]
    assert (s.kind, s.province) == ("LIP", "AB")
    assert s.council_seats == 10
    assert s.current_members == 6  # the member who left is not counted, nor the steering one
    assert s.vacant_seats == 4
    assert s.member_organizations == 3  # settlement (twice), municipal, Indigenous
    assert [x.slug for x in s.sectors_represented] == [
        "settlement",
        "municipal",
        "newcomers",
        "indigenous",
    ]
    assert len(s.missing_sectors) == RECOMMENDED - 4
    missing = {x.slug for x in s.missing_sectors}
    assert {"police", "libraries"} <= missing  # steering member and departed member
    assert not {"settlement", "municipal", "newcomers", "indigenous"} & missing
    assert (s.newcomer_seats, s.indigenous_seats) == (2, 1)
    assert s.working_groups == 3
    assert s.working_group_themes == ["Housing", "Employment"]


def test_plan_figures(world):
    s = by_slug(funder())["alpha-lip"]
    assert s.plan == world["plan"]
    assert s.plan_status == "Active 2024–2027"
    assert s.plan_state == "active"
    assert (s.actions_total, s.actions_done, s.actions_done_pct) == (4, 1, 25.0)
    assert s.indicators_total == 7
    assert s.indicators_on_track == 3  # two on track and one met
    assert s.indicators_on_track_pct == 42.9
    assert s.indicator_statuses == {MET: 1, ON_TRACK: 2, BEHIND: 2, NO_DATA: 2}
    assert s.last_confirmed == TODAY - datetime.timedelta(days=100)
    assert s.is_stale is False
    assert s.confidence == "high"


def test_partnership_with_nothing_recorded(world):
    s = by_slug(funder())["beta-zip"]
    assert s.has_main_council is False
    assert (s.council_seats, s.vacant_seats, s.current_members) == (None, None, 0)
    assert len(s.missing_sectors) == RECOMMENDED
    assert s.plan is None and s.plan_state == "none"
    assert s.plan_status == "No active plan"
    assert (s.actions_done_pct, s.indicators_on_track_pct) == (None, None)
    assert s.is_stale is True


def test_full_council_and_draft_plan(world):
    s = by_slug(funder())["gamma-lip"]
    assert s.missing_sectors == []
    assert s.council_seats is None and s.vacant_seats is None
    assert s.current_members == RECOMMENDED
    assert s.plan is None and s.plan_state == "draft"
    assert s.plan_status == "No active plan (draft 2026–2030)"
    assert s.is_stale is True  # confirmed 400 days ago


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("higher_on_track", ON_TRACK),
        ("higher_behind", BEHIND),
        ("lower_on_track", ON_TRACK),
        ("lower_behind", BEHIND),
        ("lower_met", MET),
        ("no_measurement", NO_DATA),
        ("no_target", NO_DATA),
    ],
)
def test_indicator_status_both_polarities(world, name, status):
    item = world["indicators"][name]
    latest = latest_measurements([item]).get(item.pk)
    assert indicator_status(item, latest, today=TODAY) == status


def test_a_value_is_judged_at_the_end_of_the_year_it_measures(world):
    item = IndicatorFactory(
        priority=world["indicators"]["higher_on_track"].priority,
        baseline_value=Decimal("10"),
        target_value=Decimal("30"),
    )
    latest = MeasurementFactory(indicator=item, year=2025, value=Decimal("18"))  # 40%
    # Early in 2025, 31% of the 2024–2027 plan has passed: on track so far.
    assert indicator_status(item, latest, today=datetime.date(2025, 4, 1)) == ON_TRACK
    # From the end of 2025 on, the 2025 value is compared with 50%, however late it is read.
    assert indicator_status(item, latest, today=datetime.date(2026, 6, 1)) == BEHIND
    assert indicator_status(item, latest, today=datetime.date(2027, 6, 1)) == BEHIND
    on_track = world["indicators"]["higher_on_track"]  # 75% of the way, measured for 2025
    latest = latest_measurements([on_track])[on_track.pk]
    assert latest.value == Decimal("25")
    assert indicator_status(on_track, latest, today=datetime.date(2027, 12, 31)) == ON_TRACK


def test_higher_is_better_target_met(db):
    item = IndicatorFactory(baseline_value=Decimal("10"), target_value=Decimal("30"))
    met = MeasurementFactory(indicator=item, year=2025, value=Decimal("31"))
    assert indicator_status(item, met, today=TODAY) == MET


def test_group_totals(world):
    summaries = summarize(Partnership.objects.all(), user=funder(), today=TODAY)
    provinces = {t.key: t for t in group_totals(summaries, "province")}
    ab = provinces["AB"]
    assert (ab.label, ab.count, ab.council_members_total) == ("Alberta", 2, 6)
    assert ab.council_members_median == 3.0  # 6 and 0
    assert ab.actions_done_pct_median == 25.0  # only Alpha's plan has actions
    assert (ab.with_active_plan, ab.missing_a_sector) == (1, 2)
    bc = provinces["BC"]
    assert (bc.count, bc.council_members_median, bc.missing_a_sector) == (1, 17.0, 0)
    kinds = {t.key: t for t in group_totals(summaries, "kind")}
    assert (kinds["LIP"].count, kinds["ZIP"].count) == (2, 1)
    assert kinds["LIP"].council_members_median == 11.5  # 6 and 17


def test_coordinator_summarizes_only_own_partnerships(world):
    coordinator = coordinator_of(world["p3"])
    assert list(by_slug(coordinator)) == ["gamma-lip"]


#: recommended sectors, every sector, partnerships, main councils' current seats per sector,
#: their organizations, working groups, plans, actions, indicators with their latest
#: measurement, and the reader's scope (two, then cached on the user).
MAX_QUERIES = 11


@pytest.mark.django_db
@pytest.mark.parametrize("reader", [funder, lambda: coordinator_of(*Partnership.objects.all())])
def test_constant_queries(django_assert_max_num_queries, reader):
    for size in (3, 30):
        while Partnership.objects.count() < size:
            build_tree()
        user = reader()  # a fresh user: their scope is not cached yet
        with django_assert_max_num_queries(MAX_QUERIES):
            rows = summarize(Partnership.objects.all(), user=user, today=TODAY)
        assert len(rows) == size
