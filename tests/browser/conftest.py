"""Headless Chromium (Debian's, never a downloaded one) driven by Playwright's sync API.

When Chromium, Playwright or axe-core is missing, these tests skip locally and fail with a
clear message under CI (``CI=true``), so a broken CI image can't pass silently.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
AXE_PATH = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"


def unavailable(reason: str) -> None:
    """Fail under CI, skip elsewhere."""
    message = f"Browser tests need {reason}."
    if os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}:
        pytest.fail(message + " (CI=true: failing instead of skipping.)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="module")
def browser():
    """One Chromium per module; Django may use the ORM beside Playwright's loop meanwhile."""
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        unavailable(f"Chromium at {CHROMIUM} (apt-get install -y chromium chromium-driver)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright Python package (uv sync)")
    # Playwright's sync API runs an event loop in this thread and Django's ORM refuses to run
    # inside one. Allowed only while the browser runs: the variable must not leak into other
    # tests (``check --deploy`` rejects it).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def axe_source() -> Path:
    if not AXE_PATH.exists():
        unavailable(f"axe-core at {AXE_PATH} (npm install)")
    return AXE_PATH


@pytest.fixture
def site(live_server, transactional_db):
    """The live server with the standard test directory loaded."""
    from tests.directory.data import build_directory

    build_directory()
    return live_server.url


def _keep_local(route, request, host: str) -> None:
    # The network is closed: map tiles and anything else off the live server are refused.
    if urlsplit(request.url).netloc == host:
        route.continue_()
    else:
        route.abort()


@pytest.fixture
def page(browser, site):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-CA")
    host = urlsplit(site).netloc
    context.route("**/*", lambda route, request: _keep_local(route, request, host))
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def no_js_page(browser, site):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1024, "height": 800}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- [{violation['impact']}] {violation['id']}: {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    at {node['target']}: {node['failureSummary']}".replace("\n", " "))
    return "\n".join(lines)


@pytest.fixture
def check_axe(axe_source):
    """Run axe-core (WCAG 2.0/2.1 A and AA rules) on the current page; assert no violation."""

    def run(page, label: str) -> None:
        # Evaluated, not added as a <script>: the site's Content-Security-Policy refuses
        # inline scripts, and the pages are tested under it.
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(f"() => {{ {axe_source.read_text()}\n }}")
        results = page.evaluate(
            """() => axe.run(document, {
                runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
                                                'best-practice']}
            })"""
        )
        violations = results["violations"]
        assert not violations, f"axe-core found violations on {label}:\n" + format_violations(
            violations
        )

    return run
