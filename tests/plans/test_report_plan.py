"""The annual report: the year's actions done and not, indicator values and their change,
missing measurements said plainly, years outside the plan, print stylesheet, queries."""

from __future__ import annotations

import html
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import ActionFactory, IndicatorFactory, MeasurementFactory, PriorityFactory
from tests.plans.plan_data import build_plans

REPORT = "/partnerships/riverton/plan/report/{year}/"
REPORT_MAX_QUERIES = 11


@pytest.fixture(scope="module")
def _plans(shared_rows):
    return shared_rows.build(build_plans)


@pytest.fixture
def d(_plans, shared_rows, db):
    return shared_rows.fresh(_plans)


def text_of(response) -> str:
    content = response.content.decode()
    main = content[content.index("<main") : content.index("</main>")]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", main)).split())


def between(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end, text.index(start))]


def test_report_lists_the_years_actions_done_and_not_done(client, d):
    text = text_of(client.get(REPORT.format(year=2024)))
    assert "2 actions were planned for 2024: 1 done, 1 not done." in text
    done = between(text, "Actions done", "Actions not done")
    assert "Landlord workshop Affordable homes" in done
    assert "Rent bank pilot" not in done
    not_done = between(text, "Actions not done", "Indicators in 2024")
    assert "In progress" in not_done
    assert "Rent bank pilot Affordable homes Riverton Housing Society" in not_done
    assert "Map rental supply" not in text  # a 2023 action


def test_report_gives_values_and_change_with_polarity(client, d):
    text = text_of(client.get(REPORT.format(year=2024)))
    assert (
        "Newcomer employment rate (test) (%) Higher is better 50.5 45 +5.5 – improved 60 (2026)"
        in text
    )
    assert (
        "Households on the waiting list (households) Lower is better 190 180 +10 – worsened "
        "100 (2026)" in text
    )


def test_report_judges_the_year_not_later_measurements(client, d):
    text = text_of(client.get(REPORT.format(year=2023)))
    # 2023: the first measured year, nothing the year before to compare with.
    assert "Households on the waiting list (households) Lower is better 180 Not measured" in text
    assert "No change can be given" in text
    assert "190" not in between(text, "Households on the waiting list", "Newcomer employment")


def test_report_for_a_year_without_measurements_says_so(client, d):
    text = text_of(client.get(REPORT.format(year=2025)))
    assert "Not measured in 2025 Not measured No change can be given" in text
    assert "No action is recorded for 2025." in text
    assert "No action of 2025 is marked done." in text


def test_a_lower_is_better_indicator_going_down_improved(client, d):
    MeasurementFactory(indicator=d.waiting, year=2025, value=Decimal("150"))
    text = text_of(client.get(REPORT.format(year=2025)))
    assert "Lower is better 150 190 \u221240 – improved" in text


def test_unchanged_value_says_no_change(client, d):
    MeasurementFactory(indicator=d.employment, year=2025, value=Decimal("50.5"))
    text = text_of(client.get(REPORT.format(year=2025)))
    assert "Higher is better 50.5 50.5 0 – no change" in text


@pytest.mark.parametrize("year", [2017, 2031, 2099])
def test_year_outside_every_public_plan_is_404(client, d, year):
    assert client.get(REPORT.format(year=year)).status_code == 404


def test_year_covered_only_by_a_draft_is_404(client, d):
    assert client.get(REPORT.format(year=2028)).status_code == 404


def test_year_of_an_earlier_plan_reports_on_that_plan(client, d):
    response = client.get(REPORT.format(year=2020))
    assert response.status_code == 200
    text = text_of(response)
    assert "Strategic Plan (2018–2022)" in text
    assert 'href="/partnerships/riverton/plan/2018-2022/"' in response.content.decode()


def test_report_links_to_the_years_before_and_after(client, d):
    content = client.get(REPORT.format(year=2024)).content.decode()
    assert 'href="/partnerships/riverton/plan/report/2023/" rel="prev"' in content
    assert 'href="/partnerships/riverton/plan/report/2025/" rel="next"' in content
    assert 'href="/partnerships/riverton/plan/report/2024/" aria-current="page"' in content
    first = client.get(REPORT.format(year=2023)).content.decode()
    assert 'rel="prev"' not in first


def test_report_in_french(client, d):
    text = text_of(client.get("/fr" + REPORT.format(year=2024)))
    assert "Logements abordables" in text
    assert "Plan communautaire 2023–2026" in text


def test_report_links_the_print_stylesheet_that_hides_navigation(client, d):
    from django.conf import settings

    content = client.get(REPORT.format(year=2024)).content.decode()
    assert "css/plans.css" in content
    css = (settings.BASE_DIR / "static" / "css" / "plans.css").read_text()
    print_rules = css[css.index("@media print") :]
    assert ".site-header" in print_rules and ".year-nav" in print_rules
    assert "display: none" in print_rules


def test_report_queries_do_not_grow(client, d, django_assert_max_num_queries):
    url = REPORT.format(year=2024)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    small = len(captured)
    for p in range(6):
        priority = PriorityFactory(plan=d.plan)
        for _ in range(5):
            ActionFactory(priority=priority, year=2024)
            indicator = IndicatorFactory(
                priority=priority,
                baseline_value=Decimal("1"),
                baseline_year=2022,
                target_value=Decimal("9"),
                target_year=2026,
            )
            for year in (2023, 2024, 2025):
                MeasurementFactory(indicator=indicator, year=year, value=Decimal(p + year - 2020))
    with django_assert_max_num_queries(REPORT_MAX_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    assert len(captured) == small
