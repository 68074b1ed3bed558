"""Every public page on a 375 × 812 phone, in both languages: nothing scrolls sideways.

The detail page is loaded with a long roster (consented contacts with long addresses),
working groups with long "how to join" texts and long source URLs: the worst case on a
small screen. Each page is also checked with axe-core at that size.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
LANGUAGES = ["", "/fr"]
PAGES = {
    "home": "/",
    "list": "/partnerships/",
    "list-filtered": "/partnerships/?kind=LIP&kind=ZIP&province=AB&focus=housing",
    "near-me": "/partnerships/?near=t1r0a1&radius=200",
    "detail-long-roster": "/partnerships/calgary-lip/",
    "detail-network": "/partnerships/rif-alberta/",
    "map": "/partnerships/map/",
    "bad-request": "/partnerships/?province=ZZ&radius=abc",
}
LONG_URL = "https://www.example.ca/newcomers/2024/" + "a-long-unbroken-page-address-" * 4


@pytest.fixture
def long_detail(site):
    """Calgary's page at its widest: 40 roster rows, long working groups and sources."""
    from partnerships.models import Council, Role, Source
    from tests.factories import (
        CouncilMembershipFactory,
        OrganizationFactory,
        WorkingGroupFactory,
    )

    council = Council.objects.get(name="CLIP Council")
    calgary = council.partnership
    for n in range(40):
        CouncilMembershipFactory(
            council=council,
            organization=OrganizationFactory(
                name=f"Southern Alberta Intercultural Settlement Services Association {n}"
            ),
            person_name=f"Maximiliana Alexandra Featherstonehaugh-Smythe {n}",
            title="Director of Newcomer Integration and Community Partnerships",
            email=f"maximiliana.featherstonehaugh-smythe.{n}@intercultural-settlement.example.org",
            phone="+1 403-555-0100 ext. 12345",
            role=Role.VICE_CHAIR if n % 7 == 0 else Role.MEMBER,
            publish_consent=n % 2 == 0,
        )
    WorkingGroupFactory(
        partnership=calgary,
        name="Employment and Credential Recognition Working Group",
        how_to_join=f"Fill in the expression-of-interest form at {LONG_URL} or write to "
        "employment-working-group-secretariat@intercultural-settlement.example.org",
        how_to_join_fr=f"Remplissez le formulaire à {LONG_URL}",
        meeting_frequency="Every second Thursday of the month, 9:30 to 11:30",
    )
    for n in range(5):
        Source.objects.create(
            partnership=calgary,
            url=f"{LONG_URL}{n}",
            title=f"Calgary Local Immigration Partnership annual report {2020 + n}",
            publisher="City of Calgary",
            year=2020 + n,
        )
    return site


@pytest.fixture
def phone(browser, long_detail):
    context = browser.new_context(viewport=PHONE, locale="en-CA", is_mobile=True, has_touch=True)
    # Only the live server: map tiles and anything remote are refused.
    host = long_detail.split("//", 1)[1]
    context.route(
        "**/*",
        lambda route, request: route.continue_() if host in request.url else route.abort(),
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def overflow(page) -> dict:
    """The page's width against the screen's, and the widest elements that stick out."""
    return page.evaluate(
        """() => {
            const width = window.innerWidth;
            const wide = [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > width + 1)
                .slice(0, 5)
                .map(e => e.tagName + '.' + e.className + ' → ' + e.getBoundingClientRect().right);
            return {scroll: document.documentElement.scrollWidth, width, wide};
        }"""
    )


@pytest.mark.parametrize("language", LANGUAGES, ids=["en", "fr"])
@pytest.mark.parametrize("name", list(PAGES))
def test_public_page_does_not_scroll_sideways_on_a_phone(
    phone, long_detail, check_axe, artifacts_dir, name, language
):
    phone.goto(f"{long_detail}{language}{PAGES[name]}")
    result = overflow(phone)
    phone.screenshot(
        path=str(artifacts_dir / f"phone-{name}-{language.strip('/') or 'en'}.png"),
        full_page=True,
    )
    assert result["scroll"] <= result["width"], result
    check_axe(phone, f"{name} ({language or '/'}) at 375 px")


@pytest.mark.parametrize("language", LANGUAGES, ids=["en", "fr"])
def test_list_shows_results_before_the_filters_on_a_phone(phone, long_detail, language):
    phone.goto(f"{long_detail}{language}/partnerships/?province=AB")
    first_result = phone.locator(".results-list > li").first.bounding_box()
    assert first_result["y"] < PHONE["height"], "the first result is below the first screen"
    filters = phone.locator("#filters")
    assert filters.bounding_box()["y"] > first_result["y"]
    # The filters are one tap away, without JavaScript.
    phone.locator(".results .filters-jump a").click()
    assert phone.evaluate("location.hash") == "#filters"
    assert filters.bounding_box()["y"] < PHONE["height"]


def test_roster_is_a_stacked_list_with_labelled_cells_on_a_phone(phone, long_detail):
    phone.goto(f"{long_detail}/fr/partnerships/calgary-lip/")
    cell = phone.locator(".roster tbody tr").first.locator("td").nth(3)
    label = cell.evaluate("e => getComputedStyle(e, '::before').content")
    assert label == '"Mandat"'
    row = phone.locator(".roster tbody tr").first.bounding_box()
    assert row["width"] <= PHONE["width"]
