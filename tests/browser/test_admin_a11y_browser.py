"""The coordinator's partnership page (four tabular inlines) and council page (the roster)
pass axe-core in English and French: every row field has a name, no header cell is empty.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from partnerships.models import ServedCommunity, Source
from partnerships.permissions import sync_groups
from tests.directory.data import ensure_taxonomies
from tests.factories import (
    CommunityFactory,
    CouncilFactory,
    CouncilMembershipFactory,
    OrganizationFactory,
    PartnershipFactory,
    WorkingGroupFactory,
)
from tests.partnerships.admin_helpers import MODEL_BACKEND
from tests.partnerships.factories_admin import coordinator_of

pytestmark = pytest.mark.browser


@pytest.fixture
def world(live_server, transactional_db):
    """A coordinator's partnership with a row in each inline, and a council of two."""
    ensure_taxonomies()
    sync_groups()
    partnership = PartnershipFactory(name="Peel Local Immigration Partnership")
    council = CouncilFactory(partnership=partnership, name="Partnership Council")
    for _ in range(2):
        CouncilMembershipFactory(council=council, organization=OrganizationFactory())
    ServedCommunity.objects.create(partnership=partnership, community=CommunityFactory())
    Source.objects.create(partnership=partnership, title="Annual report", year=2024)
    WorkingGroupFactory(partnership=partnership, lead_organization=None)
    WorkingGroupFactory(partnership=partnership, lead_organization=OrganizationFactory())
    user = coordinator_of(partnership)
    return {"partnership": partnership, "council": council, "user": user, "url": live_server.url}


@pytest.fixture
def coordinator_page(browser, world):
    """Chromium signed in as the coordinator, in a given locale."""
    client = Client()
    client.force_login(world["user"], backend=MODEL_BACKEND)
    cookie = {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "domain": urlsplit(world["url"]).hostname,
        "path": "/",
    }
    contexts = []

    def open_(locale: str):
        context = browser.new_context(
            viewport={"width": 1280, "height": 900}, locale=locale, timezone_id="UTC"
        )
        context.add_cookies([cookie])
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_
    for context in contexts:
        context.close()


@pytest.mark.parametrize(("prefix", "locale"), [("", "en-CA"), ("/fr", "fr-CA")])
def test_partnership_and_council_pages_are_axe_clean(
    coordinator_page, world, check_axe, prefix, locale
):
    page = coordinator_page(locale)
    language = "fr" if prefix else "en"
    partnership_path = prefix + reverse(
        "admin:partnerships_partnership_change", args=[world["partnership"].pk]
    )
    council_path = prefix + reverse("admin:partnerships_council_change", args=[world["council"].pk])
    for path in (partnership_path, council_path):
        response = page.goto(world["url"] + path)
        assert response.status == 200
        assert page.locator("html").get_attribute("lang") == language
        check_axe(page, path)


def test_a_row_added_with_the_add_another_link_is_named(coordinator_page, world, check_axe):
    page = coordinator_page("en-CA")
    path = reverse("admin:partnerships_partnership_change", args=[world["partnership"].pk])
    page.goto(world["url"] + path)
    total = int(page.locator("#id_working_groups-TOTAL_FORMS").input_value())
    page.locator("#working_groups-group .add-row a").click()
    row = f"#working_groups-{total}"
    page.wait_for_selector(row)
    assert page.locator(f"{row} [name$='-name']").get_attribute("aria-label") == "Name, new row"
    check_axe(page, "partnership page with a new working group row")
