"""The public directory in a real browser: filter, near me, language, detail, map, axe-core."""

from __future__ import annotations

import json
import re

import pytest

pytestmark = pytest.mark.browser


def shot(page, artifacts_dir, name: str) -> None:
    page.screenshot(path=str(artifacts_dir / f"directory-{name}.png"), full_page=True)


def test_filter_by_kind_then_remove_the_chip(page, site, artifacts_dir):
    page.goto(f"{site}/partnerships/")
    page.get_by_label("Francophone Immigration Network").check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"kind=RIF"))
    results = page.locator(".results-list h3 a")
    names = results.all_inner_texts()
    assert sorted(names) == [
        "Francophone Immigration Network of Alberta",
        "Réseau en immigration francophone du Nouveau-Brunswick",
    ]
    assert "2 partnerships" in page.locator(".result-count").inner_text()
    shot(page, artifacts_dir, "filtered-list")
    page.locator(".chip").first.click()
    page.wait_for_url(f"{site}/partnerships/")
    assert page.locator(".results-list > li").count() == 8


def test_accent_insensitive_search(page, site):
    page.goto(f"{site}/partnerships/")
    page.get_by_label("Search", exact=True).fill("RESEAU")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"q=RESEAU"))
    assert page.locator(".results-list > li").count() == 2


def test_near_me_from_the_home_page(page, site, artifacts_dir):
    page.goto(f"{site}/")
    page.get_by_label("Postal code or town").fill("t1r0a1")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url(re.compile(r"near=t1r0a1"))
    covering = page.locator(".covering")
    assert "Southern Alberta Zonal Immigration Partnership" in covering.inner_text()
    assert "Francophone Immigration Network of Alberta" in covering.inner_text()
    assert "km away (Brooks)" in page.locator(".results-list").inner_text()
    # The map script turned the marker data into Leaflet markers (tiles are blocked).
    page.wait_for_selector(".leaflet-marker-icon")
    assert page.locator(".leaflet-marker-icon").count() == 2
    shot(page, artifacts_dir, "near-me")


def test_unknown_place_suggests(page, site, artifacts_dir):
    page.goto(f"{site}/partnerships/?near=Brookz")
    alert = page.get_by_role("alert")
    assert "Did you mean" in alert.inner_text()
    alert.get_by_role("link", name="Brooks, AB").click()
    page.wait_for_url(re.compile(r"near=Brooks"))
    assert "Which partnerships cover Brooks, AB?" in page.content()
    shot(page, artifacts_dir, "near-suggestion")


def test_switch_language_keeps_page_and_filters(page, site, artifacts_dir):
    page.goto(f"{site}/partnerships/?kind=RIF&province=AB")
    page.get_by_role("link", name="Français").click()
    page.wait_for_url(f"{site}/fr/partnerships/?kind=RIF&province=AB")
    assert page.locator("h1").inner_text() == "Partenariats"
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_label("Réseau en immigration francophone").is_checked()
    assert page.locator(".results-list h3 a").all_inner_texts() == [
        "Réseau en immigration francophone de l'Alberta"
    ]
    shot(page, artifacts_dir, "french-list")
    page.get_by_role("link", name="English").click()
    page.wait_for_url(f"{site}/partnerships/?kind=RIF&province=AB")


def test_open_a_detail_page(page, site, artifacts_dir):
    page.goto(f"{site}/partnerships/?q=calgary")
    page.get_by_role("link", name="Calgary Local Immigration Partnership").click()
    page.wait_for_url(f"{site}/partnerships/calgary-lip/")
    assert "CLIP Council" in page.content()
    assert "Bob Privateperson" not in page.content()
    data = json.loads(page.locator('script[type="application/ld+json"]').text_content())
    assert data["@type"] == "Organization"
    page.wait_for_selector(".leaflet-marker-icon")
    shot(page, artifacts_dir, "detail")


def test_skip_link_is_first_in_focus_order(page, site):
    page.goto(f"{site}/partnerships/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_everything_works_without_javascript(no_js_page, site, artifacts_dir):
    page = no_js_page
    page.goto(f"{site}/partnerships/")
    page.get_by_label("Alberta").check()
    page.get_by_label("Near").fill("Calgary")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"province=AB"))
    assert "Which partnerships cover Calgary, AB?" in page.content()
    assert page.locator(".map").first.is_hidden()
    page.get_by_role("link", name="Français").click()
    page.wait_for_url(re.compile(r"/fr/partnerships/\?.*near=Calgary.*province=AB"))
    assert "Quels partenariats couvrent Calgary, AB" in page.content()
    shot(page, artifacts_dir, "no-js-french-near")


AXE_PAGES = {
    "home": "/",
    "filtered-list": "/partnerships/?kind=LIP&province=AB&focus=housing",
    "near-me": "/partnerships/?near=T1R+0A1&radius=300",
    "detail": "/partnerships/calgary-lip/",
    "map": "/partnerships/map/",
    "error": "/partnerships/?province=ZZ&near=Brookz",
}


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("name", list(AXE_PAGES))
def test_axe_finds_no_violations(page, site, check_axe, artifacts_dir, name, language):
    prefix = "" if language == "en" else "/fr"
    page.goto(f"{site}{prefix}{AXE_PAGES[name]}")
    if page.locator(".map[data-markers], .map[data-geojson]").count():
        page.wait_for_selector(".leaflet-marker-icon")
    check_axe(page, f"{name} ({language})")
    shot(page, artifacts_dir, f"axe-{name}-{language}")


def test_map_marker_opens_a_popup_linking_to_the_page(page, site, artifacts_dir):
    page.goto(f"{site}/fr/partnerships/map/?province=AB&kind=LIP")
    page.wait_for_selector(".leaflet-marker-icon")
    page.get_by_role(
        "button", name="Partenariat local en matière d'immigration de Calgary (PLI)"
    ).click()
    popup = page.locator(".leaflet-popup")
    popup.get_by_role("link").wait_for()
    assert page.locator(".leaflet-popup-close-button").get_attribute("aria-label") == "Fermer"
    shot(page, artifacts_dir, "map-popup-fr")
    popup.get_by_role("link").click()
    page.wait_for_url(f"{site}/fr/partnerships/calgary-lip/")


@pytest.mark.parametrize("language", ["", "/fr"])
def test_detail_page_fits_a_phone_with_long_urls(page, site, language):
    from partnerships.models import Partnership, Source

    long_url = "https://www.example.ca/news/2017/02/" + "a-very-long-unbroken-article-slug-" * 4
    Partnership.objects.filter(slug="calgary-lip").update(
        host_organization="City of Calgary " + "x" * 80
    )
    Source.objects.create(
        partnership=Partnership.objects.get(slug="calgary-lip"), url=long_url, title=long_url
    )
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(f"{site}{language}/partnerships/calgary-lip/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
