"""The directory's map draws what /api/partnerships.geojson returns, in a real browser."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


def drawn(page) -> tuple[int, int]:
    """(pins on the map, partnerships those pins stand for): close pins are drawn as one."""
    page.wait_for_selector(".map[data-drawn]")
    pins = page.locator(".leaflet-marker-icon")
    counts = [int(n) for n in pins.evaluate_all("els => els.map(e => e.dataset.count)")]
    return pins.count(), sum(counts)


def features(page, url: str) -> list[dict]:
    """The GeoJSON the map page asked for, fetched from inside the page."""
    return page.evaluate(
        "async (url) => (await (await fetch(url)).json()).features",
        url,
    )


def test_map_page_draws_one_marker_per_feature(page, site, artifacts_dir):
    page.goto(f"{site}/partnerships/map/?province=AB")
    url = page.locator(".map").get_attribute("data-geojson")
    assert url == "/api/partnerships.geojson?province=AB"
    pins, partnerships = drawn(page)
    assert partnerships == len(features(page, url)) == 5
    assert int(page.locator(".map").get_attribute("data-drawn")) == partnerships
    assert pins >= 1
    page.screenshot(path=str(artifacts_dir / "api-map-alberta.png"), full_page=True)


def test_list_page_map_follows_the_filters(page, site):
    page.goto(f"{site}/partnerships/?kind=RIF")
    url = page.locator(".map").get_attribute("data-geojson")
    assert url == "/api/partnerships.geojson?kind=RIF"
    _pins, partnerships = drawn(page)
    assert partnerships == len(features(page, url)) == 2


def test_popup_marks_an_estimated_place(page, site, artifacts_dir):
    from partnerships.models import ServedCommunity

    ServedCommunity.objects.filter(partnership__slug="edmonton-lip").update(basis="region")
    page.goto(f"{site}/partnerships/map/?q=Edmonton")
    drawn(page)
    page.locator(".leaflet-marker-icon").first.click()
    popup = page.locator(".leaflet-popup-content")
    assert "Edmonton Local Immigration Partnership" in popup.inner_text()
    assert "estimated, not confirmed by the partnership" in popup.inner_text()
    page.screenshot(path=str(artifacts_dir / "api-map-estimated-popup.png"))


def test_french_popup_links_to_the_french_page(page, site):
    page.goto(f"{site}/fr/partnerships/map/?province=PE")
    drawn(page)
    page.locator(".leaflet-marker-icon").first.click()
    link = page.locator(".leaflet-popup-content a")
    assert re.search(r"/fr/partnerships/pei-lip/$", link.get_attribute("href"))
    assert "(PLI)" in page.locator(".leaflet-marker-icon").first.get_attribute("title")


@pytest.mark.parametrize("path", ["/partnerships/map/", "/fr/partnerships/map/?kind=RIF"])
def test_map_page_passes_axe_once_drawn(page, site, check_axe, path):
    page.goto(f"{site}{path}")
    drawn(page)
    check_axe(page, f"map from GeoJSON ({path})")


def test_swagger_docs_page_loads_the_schema_without_a_cdn(page, site, artifacts_dir):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{site}/api/docs/")
    page.wait_for_selector(".opblock-summary-path")
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/partnerships.geojson" in paths
    assert all(url.startswith(site) for url in requests)
    page.screenshot(path=str(artifacts_dir / "api-docs.png"), full_page=True)
