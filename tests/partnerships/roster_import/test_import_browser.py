"""The roster import in a real browser (Debian's Chromium): the preview names each row and
its changes or problems in words on the page (not in tooltips), and axe-core finds no WCAG
A/AA violation on the import page or its preview, in English and French. (Without JavaScript
the file's extension picks the format: see test_preview_and_round_trip.)"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from partnerships.models import Role
from partnerships.permissions import sync_groups
from tests.browser.conftest import axe_source, browser, check_axe  # noqa: F401 - fixtures
from tests.directory.data import ensure_taxonomies
from tests.factories import CouncilFactory, CouncilMembershipFactory, PartnershipFactory
from tests.partnerships.admin_helpers import MODEL_BACKEND
from tests.partnerships.factories_admin import coordinator_of

pytestmark = pytest.mark.browser


@pytest.fixture
def world(live_server, transactional_db):
    """A coordinator whose council has one member (Ana, a member)."""
    ensure_taxonomies()  # a live-server test flushes what the migrations seeded
    sync_groups()
    partnership = PartnershipFactory(slug="testville-a", name="Testville LIP")
    council = CouncilFactory(partnership=partnership, name="Main Council")
    member = CouncilMembershipFactory(council=council, person_name="Ana", role=Role.MEMBER)
    return {"member": member, "user": coordinator_of(partnership)}


@pytest.fixture
def open_import(browser, live_server, world) -> Iterator[Callable]:  # noqa: F811
    """Opens the import page, signed in as the coordinator."""
    client = Client()
    client.force_login(world["user"], backend=MODEL_BACKEND)
    cookie = {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "domain": urlsplit(live_server.url).hostname,
        "path": "/",
    }
    contexts = []

    def open_(prefix: str = ""):
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        context.add_cookies([cookie])
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        url = reverse("admin:partnerships_councilmembership_import")
        page.goto(f"{live_server.url}{prefix}{url}")
        return page

    yield open_
    for context in contexts:
        context.close()


@pytest.mark.parametrize("prefix,words", [("", "becomes"), ("/fr", "devient")])
def test_preview_says_in_words_what_each_row_does(
    open_import,
    world,
    check_axe,  # noqa: F811 - the fixture imported above
    tmp_path: Path,
    prefix,
    words,
):
    page = open_import(prefix)
    check_axe(page, f"import page {prefix or '/'}")
    member = world["member"]
    upload = tmp_path / "roster.csv"
    upload.write_text(
        "id,council,person_name,role\n"
        f"{member.pk},Main Council,Ana,chair\n"
        ",Main Council,Bob,president\n",
        encoding="utf-8",
    )
    page.set_input_files("#id_import_file", str(upload))
    page.locator('form[enctype="multipart/form-data"] input[type=submit]').click()
    table = page.locator("table.roster-preview")
    text = table.inner_text()
    assert "Ana" in text and words in text, "the update's change, in words"
    assert "president" in text, "the refused value, on its row"
    check_axe(page, f"import preview {prefix or '/'}")
