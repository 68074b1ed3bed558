"""The site-wide sample-data notice in a real browser: public and admin, English and French."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

EN_TITLE = "Demonstration site: sample data"
FR_TITLE = "Site de démonstration\u00a0: données d’exemple"


@pytest.fixture(autouse=True)
def _fresh_flag():
    """The cached flag must not leak from another test's (flushed) database."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def browse(browser, site):
    """Open a page in a fresh context with the given browser language and colour scheme."""
    contexts = []

    def open_page(path: str, locale: str = "en-CA", color_scheme: str = "light"):
        context = browser.new_context(
            viewport={"width": 1280, "height": 900}, locale=locale, color_scheme=color_scheme
        )
        contexts.append(context)
        host = urlsplit(site).netloc
        context.route(
            "**/*",
            lambda route, request: (
                route.continue_() if urlsplit(request.url).netloc == host else route.abort()
            ),
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{site}{path}")
        return page

    yield open_page
    for context in contexts:
        context.close()


def notice(page):
    return page.get_by_role("region", name=EN_TITLE).or_(page.get_by_role("region", name=FR_TITLE))


@pytest.mark.parametrize(
    ("path", "locale", "title"),
    [
        ("/partnerships/", "en-CA", EN_TITLE),
        ("/fr/partnerships/", "fr-CA", FR_TITLE),
        ("/partnerships/calgary-lip/", "en-CA", EN_TITLE),
        ("/fr/partnerships/calgary-lip/", "fr-CA", FR_TITLE),
    ],
)
def test_public_pages_show_the_notice(browse, check_axe, artifacts_dir, path, locale, title):
    page = browse(path, locale)
    region = notice(page)
    assert region.is_visible()
    assert region.get_by_role("heading", level=2).inner_text() == title
    name = path.strip("/").replace("/", "-")
    page.screenshot(path=str(artifacts_dir / f"demo-banner-{name}.png"))
    check_axe(page, f"{path} ({locale})")


@pytest.mark.parametrize(
    ("locale", "title", "color_scheme"),
    [("en-CA", EN_TITLE, "light"), ("fr-CA", FR_TITLE, "light"), ("en-CA", EN_TITLE, "dark")],
)
def test_the_admin_login_page_shows_the_notice(
    browse, check_axe, artifacts_dir, locale, title, color_scheme
):
    page = browse("/admin/login/", locale, color_scheme)
    region = notice(page)
    assert region.is_visible()
    assert region.get_by_role("heading", level=2).inner_text() == title
    shot = artifacts_dir / f"demo-banner-admin-login-{locale}-{color_scheme}.png"
    page.screenshot(path=str(shot))
    check_axe(page, f"/admin/login/ ({locale}, {color_scheme})")


def test_the_notice_shows_on_a_signed_in_admin_page(browse, check_axe, site):
    from tests.factories import TEST_PASSWORD, UserFactory

    UserFactory(username="demo-admin", is_superuser=True)
    page = browse("/admin/login/")
    page.get_by_label("Username").fill("demo-admin")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{site}/admin/")
    assert notice(page).is_visible()
    page.goto(f"{site}/admin/funders/")
    assert notice(page).is_visible()
    check_axe(page, "/admin/funders/")


def test_without_sample_rows_there_is_no_notice(browse):
    from django.core.cache import cache

    from plans.models import CommunityPlan

    # The test directory's only sample row is a plan real rows hang off: make it real.
    CommunityPlan.objects.filter(is_sample=True).update(is_sample=False)
    cache.clear()
    page = browse("/partnerships/")
    assert page.get_by_role("heading", name="Partnerships", level=1).is_visible()
    assert notice(page).count() == 0
