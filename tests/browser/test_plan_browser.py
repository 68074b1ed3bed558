"""Plan pages in a real browser: the chart's table carries the SVG's numbers, axe-core finds
nothing in English and French, and printing a report leaves the navigation out."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import _keep_local

pytestmark = pytest.mark.browser

PLAN = "/partnerships/riverton/plan/"
REPORT = "/partnerships/riverton/plan/report/2024/"


@pytest.fixture
def plan_site(live_server, transactional_db):
    """The live server with a plan, an earlier plan and peers (tests/plans/plan_data.py)."""
    from tests.directory.data import ensure_taxonomies
    from tests.plans.plan_data import build_plans

    ensure_taxonomies()
    build_plans()
    return live_server.url


@pytest.fixture
def plan_page(browser, plan_site):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-CA")
    host = urlsplit(plan_site).netloc
    context.route("**/*", lambda route, request: _keep_local(route, request, host))
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def chart_points(page, chart_id: str) -> list[tuple[str, str, str]]:
    """(kind, year, value) of each point drawn in the SVG."""
    return page.eval_on_selector_all(
        f"#{chart_id} g.point",
        """groups => groups.map(g => [g.dataset.kind, g.dataset.year,
                                      g.querySelector('text.value').textContent.trim()])""",
    )


def table_rows(page, chart_id: str) -> list[tuple[str, str, str]]:
    """(kind, year, value) of each row of the chart's table."""
    return page.eval_on_selector_all(
        f"#{chart_id}-table tbody tr",
        """rows => rows.map(r => [r.dataset.kind, r.cells[0].textContent.trim(),
                                  r.cells[1].textContent.trim()])""",
    )


@pytest.mark.parametrize("prefix", ["", "/fr"])
def test_chart_tables_carry_the_svg_numbers_and_axe_is_clean(
    plan_page, plan_site, check_axe, artifacts_dir, prefix
):
    plan_page.goto(f"{plan_site}{prefix}{PLAN}")
    charts = plan_page.eval_on_selector_all("svg.chart", "svgs => svgs.map(s => s.id)")
    assert len(charts) == 2
    for chart_id in charts:
        svg = plan_page.locator(f"#{chart_id}")
        assert svg.get_attribute("role") == "img"
        assert svg.locator("title").text_content()
        drawn = chart_points(plan_page, chart_id)
        assert drawn, chart_id
        assert sorted(map(tuple, drawn)) == sorted(map(tuple, table_rows(plan_page, chart_id)))
        # The table is there for everyone: visible, not hidden from assistive technology.
        assert plan_page.locator(f"#{chart_id}-table").is_visible()
    decimal = "50,5" if prefix else "50.5"
    assert any(row[2] == decimal for c in charts for row in table_rows(plan_page, c))
    plan_page.screenshot(
        path=str(artifacts_dir / f"plan-page{prefix.replace('/', '-') or '-en'}.png"),
        full_page=True,
    )
    check_axe(plan_page, f"plan page {prefix or '/'}")


@pytest.mark.parametrize("prefix", ["", "/fr"])
def test_report_is_axe_clean(plan_page, plan_site, check_axe, prefix):
    plan_page.goto(f"{plan_site}{prefix}{REPORT}")
    assert plan_page.locator("h1").inner_text()
    check_axe(plan_page, f"report {prefix or '/'}")


def test_archived_plan_and_no_plan_pages_are_axe_clean(plan_page, plan_site, check_axe):
    plan_page.goto(f"{plan_site}/partnerships/riverton/plan/2018-2022/")
    check_axe(plan_page, "archived plan")
    plan_page.goto(f"{plan_site}/partnerships/drafty/plan/")
    assert "No current community plan" in plan_page.locator("main").inner_text()
    check_axe(plan_page, "no plan")


def test_printed_report_leaves_navigation_out(plan_page, plan_site, artifacts_dir):
    plan_page.goto(f"{plan_site}{REPORT}")
    assert plan_page.locator(".site-header").is_visible()
    plan_page.emulate_media(media="print")
    assert plan_page.locator(".site-header").is_hidden()
    assert plan_page.locator(".year-nav").is_hidden()
    assert plan_page.locator(".breadcrumbs").is_hidden()
    assert plan_page.locator(".site-footer").is_hidden()
    assert plan_page.locator("h1").is_visible()
    assert plan_page.locator("table.report-table").first.is_visible()
    # Tables fit the page: nothing wider than the body.
    overflow = plan_page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    plan_page.screenshot(path=str(artifacts_dir / "plan-report-print.png"), full_page=True)
    plan_page.pdf(path=str(artifacts_dir / "plan-report.pdf"))


def test_list_filters_by_plan_priority_without_javascript(browser, plan_site):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1024, "height": 800}
    )
    page = context.new_page()
    try:
        page.goto(f"{plan_site}/partnerships/")
        page.locator(
            'input[name="plan_priority"][value="characteristic:affordable-housing"]'
        ).check()
        page.get_by_role("button", name="Apply filters").click()
        page.wait_for_url("**plan_priority=characteristic%3Aaffordable-housing**")
        names = page.locator(".results-list h3 a").all_inner_texts()
        assert sorted(names) == [
            "Hilltop Local Immigration Partnership",
            "Lakeside Local Immigration Partnership",
            "Riverton Local Immigration Partnership",
        ]
    finally:
        context.close()


@pytest.mark.parametrize("path", [PLAN, REPORT, "/fr/partnerships/?has_plan=yes"])
def test_no_sideways_scrolling_on_a_phone(browser, plan_site, artifacts_dir, path):
    context = browser.new_context(viewport={"width": 375, "height": 800}, locale="fr-CA")
    page = context.new_page()
    try:
        page.goto(f"{plan_site}{path}")
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, path
        name = path.strip("/").replace("/", "-").split("?")[0]
        page.screenshot(path=str(artifacts_dir / f"plan-phone-{name}.png"), full_page=True)
    finally:
        context.close()
