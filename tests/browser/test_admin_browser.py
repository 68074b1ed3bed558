"""The coordinator workspace in a real browser (Debian's Chromium): the council page of a
40-member council fits 1280 px without time-zone notes, five members are updated in one save,
the French admin (by its address and by the browser's language), and the 403 page. axe-core
finds no WCAG A/AA violation on any of them."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from partnerships.models import CouncilMembership, Role, Sector
from partnerships.permissions import sync_groups
from tests.directory.data import ensure_taxonomies
from tests.factories import (
    CouncilFactory,
    CouncilMembershipFactory,
    OrganizationFactory,
    PartnershipFactory,
)
from tests.partnerships.admin_helpers import MODEL_BACKEND
from tests.partnerships.factories_admin import coordinator_of

pytestmark = pytest.mark.browser

MEMBERS = 40


@pytest.fixture
def world(live_server, transactional_db):
    """A coordinator of a partnership whose council has 40 members, and another council."""
    ensure_taxonomies()  # a live-server test flushes what the migrations seeded
    sync_groups()
    partnership = PartnershipFactory(name="Calgary Local Immigration Partnership")
    council = CouncilFactory(partnership=partnership, name="Partnership Council", seats=45)
    sectors = list(Sector.objects.order_by("order"))
    today = datetime.date.today()
    for i in range(MEMBERS):
        CouncilMembershipFactory(
            council=council,
            organization=OrganizationFactory(
                name=f"Calgary Newcomer Employment and Settlement Centre {i:02d}",
                sector=sectors[i % len(sectors)],
            ),
            person_name=f"Marie-Thérèse Okonkwo-Fernandez {i:02d}",
            role=Role.CHAIR if i == 0 else Role.MEMBER,
            term_end=today + datetime.timedelta(days=40 * i),
        )
    other = CouncilFactory(partnership=PartnershipFactory())
    return {"council": council, "other": other, "user": coordinator_of(partnership)}


@pytest.fixture
def open_page(browser, live_server, world) -> Iterator[Callable]:
    """Opens an admin path in Chromium signed in as the coordinator (1280×800)."""
    client = Client()
    client.force_login(world["user"], backend=MODEL_BACKEND)
    cookie = {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "domain": urlsplit(live_server.url).hostname,
        "path": "/",
    }
    contexts = []

    def open_(path: str, locale: str = "en-CA", javascript: bool = True):
        # A browser in another time zone than the server's: the admin's calendar script
        # would add its "You are N hours ahead" note to every date field.
        context = browser.new_context(
            viewport={"width": 1280, "height": 800},
            locale=locale,
            timezone_id="Europe/Paris",
            java_script_enabled=javascript,
        )
        context.add_cookies([cookie])
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{live_server.url}{path}")
        return page

    yield open_
    for context in contexts:
        context.close()


def council_path(council, prefix: str = "") -> str:
    return prefix + reverse("admin:partnerships_council_change", args=[council.pk])


def overflow(page) -> int:
    """How many pixels the page is wider than the window."""
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def roster_rows(page):
    return page.locator("#m-group tbody tr.has_original")


@pytest.mark.parametrize("prefix", ["", "/fr"])
def test_council_page_fits_1280_px_one_line_per_member(
    open_page, world, check_axe, artifacts_dir, prefix
):
    page = open_page(council_path(world["council"], prefix))
    page.wait_for_selector("#m-group .select2-container")  # the autocomplete is drawn
    rows = roster_rows(page)
    assert rows.count() == MEMBERS
    assert overflow(page) == 0
    table, box = (page.locator(f"#m-group {s}").bounding_box() for s in ("table", "fieldset"))
    assert table["x"] + table["width"] <= box["x"] + box["width"] + 1  # inside its frame
    heights = [rows.nth(i).bounding_box()["height"] for i in (0, 10, MEMBERS - 1)]
    assert max(heights) < 60, heights  # one line: no notes, no second line of fields
    assert page.locator(".timezonewarning:visible").count() == 0
    headings = page.locator("#m-group thead th").all_inner_texts()
    assert len(headings) == 9
    rows.nth(0).scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts_dir / f"admin-council-1280{prefix.replace('/', '-')}.png"))
    check_axe(page, f"council page {prefix or '/'}")


def test_rarely_used_fields_open_in_the_rows_panel(open_page, world, check_axe):
    page = open_page(council_path(world["council"]))
    row = roster_rows(page).nth(3)
    panel = row.locator("details")
    assert not panel.get_by_label("Term start").is_visible()
    panel.locator("summary").click()
    assert panel.get_by_label("Term start").is_visible()
    assert panel.get_by_role("link", name="Member’s page").is_visible()
    assert overflow(page) == 0
    check_axe(page, "council page with a row's panel open")


def test_panel_opens_and_saves_without_javascript(open_page, world):
    page = open_page(council_path(world["council"]), javascript=False)
    row = roster_rows(page).nth(2)
    row.locator("summary").click()
    row.get_by_label("Title").fill("Treasurer")
    page.get_by_role("button", name="Save and continue editing").click()
    page.wait_for_load_state()
    assert CouncilMembership.objects.filter(title="Treasurer").count() == 1


def test_five_members_updated_in_one_save(open_page, world, artifacts_dir):
    page = open_page(council_path(world["council"]))
    rows = roster_rows(page)
    new_end = "2030-06-30"
    names = []
    for i in range(1, 6):
        row = rows.nth(i)
        names.append(row.get_by_label("Person").input_value())
        row.get_by_label("Role").select_option("observer")
        row.get_by_label("Term end").fill(new_end)
    rows.nth(5).get_by_label("Voting").uncheck()
    page.get_by_role("button", name="Save and continue editing").click()
    page.wait_for_url(re.compile(r"/change/$"))
    assert page.locator(".messagelist .success").count() == 1
    page.screenshot(path=str(artifacts_dir / "admin-council-saved.png"))
    updated = CouncilMembership.objects.filter(person_name__in=names)
    assert {m.role for m in updated} == {Role.OBSERVER}
    assert {m.term_end.isoformat() for m in updated} == {new_end}
    assert updated.filter(voting=False).count() == 1


def test_french_admin_by_its_address(open_page, check_axe, artifacts_dir):
    page = open_page("/fr/admin/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert "Répertoire des partenariats" in page.locator("#site-name").inner_text()
    page.screenshot(path=str(artifacts_dir / "admin-index-fr.png"))
    check_axe(page, "/fr/admin/")


def test_french_browser_gets_the_french_admin_and_can_switch_to_english(open_page, world):
    page = open_page(council_path(world["council"]), locale="fr-CA")
    assert urlsplit(page.url).path == council_path(world["council"], "/fr")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert "Fin du mandat" in page.locator("#m-group thead").text_content()
    page.get_by_role("button", name="English").click()
    page.wait_for_url(re.compile(r"^[^?]*//[^/]+/admin/"))
    assert urlsplit(page.url).path == council_path(world["council"])
    assert page.locator("html").get_attribute("lang") == "en"
    # The choice sticks although the browser still prefers French.
    page.goto(page.url)
    assert page.locator("html").get_attribute("lang") == "en"


def test_forbidden_page_explains_and_leads_back(open_page, world, check_axe, artifacts_dir):
    page = open_page(council_path(world["other"]))
    assert page.locator("h1").inner_text() == "You can’t open this page"
    page.screenshot(path=str(artifacts_dir / "admin-403.png"))
    check_axe(page, "the 403 page")
    page.get_by_role("link", name=re.compile("Your partnership")).click()
    assert page.locator("h1").inner_text().startswith("Change partnership")
