"""Under the Content-Security-Policy, nothing the site needs is blocked (Chromium).

Every page is opened with a listener for ``securitypolicyviolation`` events (installed before
any of the page's own scripts run) and a watch on the console; a single violation fails the
test. The public pages (the map with its markers, in both languages), the coordinator's admin
pages (the council page with its autocomplete and inlines, lists with filters, the import
and export pages, history) and the API's Swagger UI are covered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import NoReverseMatch, reverse

from partnerships.permissions import sync_groups
from tests.factories import CouncilFactory, CouncilMembershipFactory
from tests.partnerships.admin_helpers import MODEL_BACKEND
from tests.partnerships.factories_admin import coordinator_of, funder

pytestmark = pytest.mark.browser

LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} at ` +
    `${event.sourceFile}:${event.lineNumber}`
  );
});
"""


@pytest.fixture
def directory_data(site):
    from partnerships.models import Partnership

    return Partnership.objects.order_by("pk").first()


@pytest.fixture
def open_page(browser, live_server, site) -> Iterator[Callable]:
    """Open a path (optionally signed in) and return the page and its CSP problems."""
    contexts = []

    def open_(path: str, user=None, wait_for: str | None = None):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-CA")
        host = urlsplit(live_server.url).netloc
        context.route(
            "**/*",
            lambda route, request: (
                route.continue_() if urlsplit(request.url).netloc == host else route.abort()
            ),
        )
        if user is not None:
            client = Client()
            client.force_login(user, backend=MODEL_BACKEND)
            context.add_cookies(
                [
                    {
                        "name": settings.SESSION_COOKIE_NAME,
                        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                        "domain": urlsplit(live_server.url).hostname,
                        "path": "/",
                    }
                ]
            )
        context.add_init_script(LISTEN)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        console = []
        page.on(
            "console",
            lambda message: (
                console.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.status < 400, f"{path}: {response.status}"
        assert "Content-Security-Policy" in {k.title(): v for k, v in response.headers.items()}
        if wait_for:
            page.wait_for_selector(wait_for, state="attached")
        page.wait_for_load_state("networkidle")
        problems = page.evaluate("() => window.__cspViolations") + console
        return page, problems

    yield open_
    for context in contexts:
        context.close()


@pytest.mark.parametrize("prefix", ["", "/fr"])
def test_public_pages_run_without_violations(open_page, directory_data, prefix):
    paths = [
        "/",
        "/partnerships/",
        "/partnerships/?near=Brooks&radius=100",
        "/partnerships/map/",
        f"/partnerships/{directory_data.slug}/",
    ]
    for path in paths:
        page, problems = open_page(prefix + path)
        assert not problems, f"{prefix}{path}: {problems}"


def test_plan_pages_run_without_violations(open_page, site):
    from plans.models import CommunityPlan

    plan = CommunityPlan.objects.select_related("partnership").order_by("pk").first()
    path = reverse("directory:plan-detail", args=[plan.partnership.slug])
    for prefix in ("", "/fr"):
        _, problems = open_page(prefix + path)
        assert not problems, f"{prefix}{path}: {problems}"


def test_the_map_draws_its_markers_under_the_policy(open_page, directory_data):
    page, problems = open_page("/partnerships/map/", wait_for=".leaflet-marker-icon")
    assert not problems
    assert page.locator(".leaflet-marker-icon").count() > 0
    assert page.evaluate("document.documentElement.classList.contains('js')")


@pytest.fixture
def coordinator(directory_data):
    sync_groups()
    council = CouncilFactory(partnership=directory_data, name="CSP Council")
    CouncilMembershipFactory(council=council)
    return coordinator_of(directory_data), council


def test_admin_pages_run_without_violations(open_page, coordinator):
    user, council = coordinator
    paths = [
        reverse("admin:index"),
        reverse("admin:partnerships_partnership_changelist"),
        reverse("admin:partnerships_partnership_change", args=[council.partnership_id]),
        reverse("admin:partnerships_partnership_history", args=[council.partnership_id]),
        reverse("admin:partnerships_council_change", args=[council.pk]),
        reverse("admin:partnerships_councilmembership_changelist") + "?role__exact=member",
        reverse("admin:partnerships_councilmembership_add"),
        reverse("admin:partnerships_councilmembership_import"),
        reverse("admin:partnerships_councilmembership_export"),
        "/fr" + reverse("admin:partnerships_council_change", args=[council.pk]),
    ]
    for path in paths:
        _, problems = open_page(path, user=user)
        assert not problems, f"{path}: {problems}"


def test_the_funder_page_runs_without_violations(open_page, coordinator):
    sync_groups()
    _, problems = open_page(reverse("funders:page"), user=funder())
    assert not problems, problems


def test_the_roster_autocomplete_works_under_the_policy(open_page, coordinator):
    user, council = coordinator
    path = reverse("admin:partnerships_council_change", args=[council.pk])
    page, problems = open_page(path, user=user, wait_for=".select2-container")
    page.locator(".select2-container").first.click()
    page.wait_for_selector(".select2-results__option")
    assert not page.evaluate("() => window.__cspViolations")
    assert not problems


def test_the_api_documentation_runs_without_violations(open_page, site):
    try:
        path = reverse("api:docs")
    except NoReverseMatch:
        pytest.skip("no API documentation page in this build")
    page, problems = open_page(path, wait_for=".swagger-ui .information-container")
    assert not problems, problems
