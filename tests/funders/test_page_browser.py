"""The funder page in a real browser: axe-core finds no WCAG A/AA violation, with and
without filters, and filters and charts work without JavaScript (all server-rendered)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client

from partnerships.permissions import sync_groups
from tests.browser.conftest import axe_source, browser, check_axe  # noqa: F401 - fixtures
from tests.directory.data import ensure_taxonomies
from tests.funders.world import build_world
from tests.partnerships.admin_helpers import MODEL_BACKEND
from tests.partnerships.factories_admin import funder

pytestmark = pytest.mark.browser


@pytest.fixture
def open_page(browser, live_server, transactional_db) -> Iterator[Callable]:  # noqa: F811
    """Opens a funder-page URL in a browser signed in as a funder, over the small world."""
    ensure_taxonomies()  # a live-server test flushes what the migrations seeded
    sync_groups()
    build_world()
    client = Client()
    client.force_login(funder(), backend=MODEL_BACKEND)
    cookie = {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "domain": urlsplit(live_server.url).hostname,
        "path": "/",
    }
    contexts = []

    def open_(query: str = "", javascript: bool = True):
        context = browser.new_context(
            java_script_enabled=javascript, viewport={"width": 1280, "height": 900}
        )
        context.add_cookies([cookie])
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{live_server.url}/admin/funders/{query}")
        return page

    yield open_
    for context in contexts:
        context.close()


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("all", ""),
        ("filtered", "?province=AB&missing_sector=yes&o=-members"),
        ("invalid", "?stale=maybe"),
    ],
)
def test_axe_finds_no_violations(open_page, check_axe, artifacts_dir, name, query):  # noqa: F811
    page = open_page(query)
    assert page.locator("h1").inner_text() == "Compare partnerships"
    page.screenshot(path=str(artifacts_dir / f"funders-page-{name}.png"), full_page=True)
    check_axe(page, f"funder page ({name})")


def test_filters_and_charts_without_javascript(open_page):
    page = open_page(javascript=False)
    assert page.locator("#funders-table tbody tr[data-partnership]").count() == 3
    page.get_by_label("Missing a recommended sector").select_option("yes")
    page.get_by_role("button", name="Apply filters").click()
    assert "missing_sector=yes" in page.url
    assert page.locator("#funders-table tbody tr[data-partnership]").count() == 2
    assert page.locator('svg[role="img"]').count() == 2


@pytest.mark.parametrize("page_number", [1, 2])
def test_axe_finds_no_violations_in_the_page_links(
    open_page,
    check_axe,  # noqa: F811
    monkeypatch,
    page_number,
):
    # Two rows a page over the three partnerships: the table has page links.
    monkeypatch.setattr("funders.views.PAGE_SIZE", 2)
    page = open_page(f"?page={page_number}")
    assert page.locator("#funders-table tbody tr[data-partnership]").count() == (
        2 if page_number == 1 else 1
    )
    pages = page.get_by_role("navigation", name="Pages of the partnership table")
    assert pages.locator('a[aria-current="page"]').inner_text() == str(page_number)
    check_axe(page, f"funder page, page {page_number} of 2")
