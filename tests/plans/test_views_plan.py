"""The public plan page: facts, actions, indicators and charts against the database, archive,
drafts hidden, peers, the no-plan page and constant queries."""

from __future__ import annotations

import html
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plans.models import CommunityPlan, Indicator
from plans.services import indicator_status
from tests.factories import (
    CharacteristicFactory,
    CommunityPlanFactory,
    IndicatorFactory,
    MeasurementFactory,
    PartnershipFactory,
    PriorityFactory,
)
from tests.plans.plan_data import build_plans

URL = "/partnerships/riverton/plan/"
PLAN_MAX_QUERIES = 15


@pytest.fixture(scope="module")
def _plans(shared_rows):
    return shared_rows.build(build_plans)


@pytest.fixture
def d(_plans, shared_rows, db):
    return shared_rows.fresh(_plans)


def text_of(response) -> str:
    """The page's main content as plain text (tags dropped, spaces collapsed)."""
    content = response.content.decode()
    main = content[content.index("<main") : content.index("</main>")]
    main = re.sub(r"<svg.*?</svg>", " ", main, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", main)).split())


def section(response, element_id: str) -> str:
    """The HTML of the element whose ``aria-labelledby``/``id`` names ``element_id``."""
    content = response.content.decode()
    start = content.index(f'aria-labelledby="{element_id}"')
    return content[start : content.index("</section>", start)]


def test_plan_page_shows_title_once_with_period_status_approval_and_document(client, d):
    response = client.get(URL)
    assert response.status_code == 200
    text = text_of(response)
    assert "Community Plan 2023–2026 (2023–2026)" not in text
    assert "<h1>Community Plan 2023–2026" in response.content.decode()
    assert "Period 2023–2026" in text
    assert "Status Active" in text
    assert "Approved on March 14, 2023" in text
    assert 'href="https://riverton.example/plan.pdf"' in response.content.decode()
    assert "A community where newcomers belong." in text


def test_plan_page_title_and_meta_name_the_plan_and_partnership(client, d):
    content = client.get(URL).content.decode()
    assert (
        "<title>Community Plan 2023–2026 – Riverton Local Immigration Partnership"
        in html.unescape(content)
    )
    assert '<link rel="canonical" href="http://testserver/partnerships/riverton/plan/">' in content
    assert 'hreflang="fr" href="http://testserver/fr/partnerships/riverton/plan/"' in content


def test_plan_page_in_french_shows_the_french_fields(client, d):
    text = text_of(client.get("/fr" + URL))
    assert "Plan communautaire 2023–2026" in text
    assert "Une communauté où les nouveaux arrivants ont leur place." in text
    assert "Logements abordables" in text


def test_actions_listed_with_year_status_lead_and_working_group(client, d):
    text = text_of(client.get(URL))
    assert "Map rental supply 2023 Done Riverton Housing Society Housing Table" in text
    assert "Landlord workshop 2024 Done — —" in text
    assert "Rent bank pilot 2024 In progress Riverton Housing Society —" in text
    assert "Actions done 2 of 3" in text


def test_every_indicator_number_matches_the_database(client, d):
    text = text_of(client.get(URL))
    for indicator in Indicator.objects.filter(priority__plan=d.plan).select_related(
        "priority__plan"
    ):
        status = indicator_status(indicator, indicator.measurements.all())
        block = text[text.index(indicator.name) :]
        if indicator.baseline_value is None:
            assert "Baseline Not recorded" in block
            assert "No measurement yet" in block
            continue
        baseline = f"{indicator.baseline_value.normalize():f}"
        target = f"{indicator.target_value.normalize():f}"
        latest = f"{status.latest.value.normalize():f}"
        assert f"Baseline {baseline} ({indicator.baseline_year})" in block
        assert f"Target {target} ({indicator.target_year})" in block
        assert f"Latest value {latest} ({status.latest.year})" in block
        assert f"{status.percent}% of the way from baseline to target – {status.label}" in block


def test_change_wording_respects_polarity(client, d):
    text = text_of(client.get(URL))
    # Higher is better and it went up: improved.
    assert "Latest value 50.5 (2024) – +5.5 since 2023 (improved)" in text
    # Lower is better and it went up: worsened.
    assert "Direction Lower is better" in text
    assert "Latest value 190 (2024) – +10 since 2023 (worsened)" in text


def test_catalogue_entry_and_source_are_shown(client, d):
    response = client.get(URL)
    text = text_of(response)
    assert "Source: Statistics Canada, Labour Force Survey" in text
    assert 'href="https://www.statcan.gc.ca/"' in response.content.decode()
    assert "Data source Riverton Housing Authority" in text
    assert "None: an indicator of the partnership's own" in text


def test_chart_is_an_accessible_svg_with_the_tables_numbers(client, d):
    content = client.get(URL).content.decode()
    svg = re.search(
        rf'<svg role="img" aria-labelledby="chart-indicator-{d.employment.pk}-title '
        rf'chart-indicator-{d.employment.pk}-desc".*?</svg>',
        content,
        re.S,
    )
    assert svg is not None
    labels = re.findall(r'<text class="value"[^>]*>([^<]+)</text>', svg.group(0))
    table = content[content.index(f'id="chart-indicator-{d.employment.pk}-table"') :]
    table = table[: table.index("</table>")]
    cells = re.findall(r'<td class="num">([^<]+)</td>', table)
    assert labels == ["40", "45", "50.5", "60"]
    assert sorted(cells) == sorted(labels)
    assert "<title id=" in svg.group(0) and "<desc id=" in svg.group(0)
    assert "Baseline 40 % in 2022. Measured: 2023: 45; 2024: 50.5. Target 60 % by 2026." in (
        html.unescape(svg.group(0))
    )


def test_indicator_without_data_says_so_without_a_chart(client, d):
    response = client.get(URL)
    assert f'id="chart-indicator-{d.no_data.pk}"' not in response.content.decode()
    assert "No baseline, target or measurement is recorded." in text_of(response)


def test_earlier_plan_listed_and_viewable_drafts_are_not(client, d):
    text = text_of(client.get(URL))
    assert "Earlier plans Strategic Plan (2018–2022) – Completed" in text
    assert "Draft Plan" not in text
    archived = client.get("/partnerships/riverton/plan/2018-2022/")
    assert archived.status_code == 200
    archived_text = text_of(archived)
    assert "An earlier plan (status: Completed)." in archived_text
    assert "Partnerships working on the same priority" not in archived_text
    assert client.get("/partnerships/riverton/plan/2027-2030/").status_code == 404
    assert client.get("/partnerships/riverton/plan/2019-2022/").status_code == 404


def test_peers_section_groups_partnerships_by_shared_tag(client, d):
    response = client.get(URL)
    peers = section(response, "peers-heading")
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", peers)).split())
    assert (
        "Affordable and suitable housing characteristic Hilltop Local Immigration Partnership "
        "Lakeside Local Immigration Partnership These partnerships in the directory" in text
    )
    assert "Quiet Valley" not in text  # same catalogue indicator, but no shared priority tag
    assert "Drafty" not in text  # a draft plan is not public
    assert "Riverton" not in text  # not its own peer
    assert "?plan_priority=characteristic:affordable-housing" in peers
    assert "Housing focus area No other partnership's current plan has this priority yet." in text


def test_standing_ranks_among_peers_with_the_median(client, d):
    text = text_of(client.get(URL))
    assert (
        "Ranks 2nd of 4 partnerships reporting this indicator (higher is better); median 49.25."
        in text
    )
    assert (
        "1 Lakeside Local Immigration Partnership 55 2024 "
        "2 Riverton Local Immigration Partnership (this partnership) 50.5 2024 "
        "3 Quiet Valley Partnership 48 2024 "
        "4 Hilltop Local Immigration Partnership 30 2025" in text
    )


def test_sample_rows_are_marked(client, d):
    CommunityPlan.objects.filter(pk=d.plan.pk).update(is_sample=True)
    response = client.get(URL)
    assert "Parts of this page (marked “sample”)" in response.content.decode()
    assert '<span class="tag tag-sample">sample</span>' in response.content.decode()


def test_partnership_without_plan_gets_a_helpful_page(client, d):
    PartnershipFactory(slug="no-plan", name="Plainfield Partnership")
    response = client.get("/partnerships/no-plan/plan/")
    assert response.status_code == 200
    text = text_of(response)
    assert "No current community plan is recorded for this partnership yet." in text
    assert 'href="/partnerships/no-plan/"' in response.content.decode()


def test_unknown_partnership_is_404(client, d):
    assert client.get("/partnerships/nobody/plan/").status_code == 404


def test_plan_page_answers_conditional_requests(client, d):
    first = client.get(URL)
    assert first.has_header("ETag")
    again = client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def grow(d, priorities: int, indicators: int, measurements: int, peers: int) -> None:
    """More priorities, indicators, measurements and peers for the plan under test."""
    housing = CharacteristicFactory(slug="affordable-housing")
    for p in range(priorities):
        priority = PriorityFactory(plan=d.plan, title=f"Extra priority {p}")
        priority.characteristics.add(CharacteristicFactory(slug=f"extra-{p}", order=50 + p))
        for i in range(indicators):
            indicator = IndicatorFactory(
                priority=priority,
                definition=d.employment_rate if i % 2 == 0 else None,
                baseline_value=Decimal("10"),
                baseline_year=2022,
                target_value=Decimal("20"),
                target_year=2026,
            )
            for year in range(2023, 2023 + measurements):
                MeasurementFactory(indicator=indicator, year=year, value=Decimal(year - 2010))
    for n in range(peers):
        plan = CommunityPlanFactory(
            partnership=PartnershipFactory(), start_year=2022, end_year=2026
        )
        priority = PriorityFactory(plan=plan, focus_area=d.housing_focus)
        priority.characteristics.add(housing)
        indicator = IndicatorFactory(priority=priority, definition=d.employment_rate)
        MeasurementFactory(indicator=indicator, year=2024, value=Decimal(n))


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "url", [URL, "/fr" + URL, "/partnerships/riverton/plan/2018-2022/"], ids=str
)
def test_plan_page_queries_do_not_grow(client, d, url, django_assert_max_num_queries):
    small = count_queries(client, url)
    grow(d, priorities=6, indicators=4, measurements=4, peers=25)
    with django_assert_max_num_queries(PLAN_MAX_QUERIES):
        client.get(url)
    assert count_queries(client, url) == small


def test_detail_page_links_to_the_plan_without_repeating_its_years(client, d):
    response = client.get("/partnerships/riverton/")
    content = html.unescape(response.content.decode())
    assert "Community Plan 2023–2026 (2023–2026)" not in content
    assert "<h3>Community Plan 2023–2026</h3>" in content
    assert 'href="/partnerships/riverton/plan/"' in content


def test_detail_page_adds_the_period_to_a_title_without_years(client, d):
    CommunityPlan.objects.filter(pk=d.plan.pk).update(title="Our Plan")
    content = html.unescape(client.get("/partnerships/riverton/").content.decode())
    assert "<h3>Our Plan (2023–2026)</h3>" in content


def test_only_a_draft_shows_the_no_plan_page_without_the_draft(client, d):
    response = client.get("/partnerships/drafty/plan/")
    assert response.status_code == 200
    text = text_of(response)
    assert "No current community plan is recorded for this partnership yet." in text
    assert "Earlier plans" not in text


def test_only_completed_plans_lists_them_under_no_current_plan(client, d):
    CommunityPlan.objects.filter(pk=d.plan.pk).update(status=CommunityPlan.Status.ARCHIVED)
    text = text_of(client.get(URL))
    assert "No current community plan is recorded for this partnership yet." in text
    assert (
        "Earlier plans Community Plan 2023–2026 – Archived Strategic Plan (2018–2022) – Completed"
        in text
    )
