"""The public pages: list, near-me, errors, detail, map, privacy, languages and JSON-LD."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from partnerships.models import CouncilMembership, Partnership
from tests.factories import CouncilMembershipFactory, PartnershipFactory

LIST = "/partnerships/"


def text(response) -> str:
    return response.content.decode()


def result_slugs(response) -> list[str]:
    return [p.slug for p in response.context["partnerships"]]


def test_home(client, directory):
    response = client.get("/")
    assert response.status_code == 200
    body = text(response)
    assert 'href="/partnerships/?province=AB"' in body
    assert 'name="near"' in body and 'name="q"' in body


def test_list_shows_count_and_every_partnership(client, directory):
    response = client.get(LIST)
    assert response.status_code == 200
    assert f"{Partnership.objects.count()} partnerships" in text(response)
    assert len(response.context["partnerships"]) == Partnership.objects.count()


def test_pagination_is_stable_and_complete(client, directory):
    PartnershipFactory.create_batch(30, province="ON")
    seen = []
    for page in (1, 2):
        response = client.get(LIST, {"per_page": 20, "page": page})
        assert response.status_code == 200
        seen += result_slugs(response)
    assert len(seen) == len(set(seen)) == Partnership.objects.count()
    assert 'rel="next"' in text(client.get(LIST, {"per_page": 20}))
    assert 'rel="prev"' in text(client.get(LIST, {"per_page": 20, "page": 2}))


def test_pagination_links_keep_the_filters(client, directory):
    PartnershipFactory.create_batch(25, province="ON")
    body = text(client.get(LIST, {"province": "ON", "per_page": 10}))
    assert "province=ON" in re.search(r'href="([^"]*)" rel="next"', body).group(1)


def test_chips_remove_one_value_and_keep_the_rest(client, directory):
    response = client.get(LIST + "?kind=LIP&kind=RIF&province=AB&page=1")
    chips = {c["label"]: c["url"] for c in response.context["chips"]}
    lip_url = next(url for label, url in chips.items() if label.startswith("LIP"))
    assert lip_url == LIST + "?kind=RIF&province=AB"
    assert chips["Alberta"] == LIST + "?kind=LIP&kind=RIF"
    assert "Clear all filters" in text(response)


def test_near_chip_removes_radius_too(client, directory):
    response = client.get(LIST + "?near=Brooks&radius=80&kind=ZIP")
    near = next(c for c in response.context["chips"] if c["param"] == "near")
    assert near["url"] == LIST + "?kind=ZIP"


def test_no_results_suggests_widening(client, directory):
    response = client.get(LIST, {"q": "no such partnership anywhere"})
    assert response.status_code == 200
    body = text(response)
    assert "No partnership matches this search" in body
    assert "Try widening it" in body


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"province": "ZZ"}, "Select a valid choice"),
        ({"radius": "abc", "near": "Brooks"}, "Enter a number"),
        ({"radius": "5000", "near": "Brooks"}, "less than or equal to 1000"),
        ({"focus": "12345678901234567890"}, "Select a valid choice"),
        ({"page": "12345678901234567890"}, "less than or equal to"),
        ({"page": "999"}, "Page 999 does not exist"),
        ({"page": "abc"}, "Enter a whole number"),
        ({"per_page": "7"}, "Select a valid choice"),
        ({"q": "x" * 10_000}, "at most 200 characters"),
        ({"near": "Brookz"}, "Did you mean"),
        ({"near": "Atlantis"}, "Try a postal code"),
    ],
)
def test_invalid_parameters_show_the_error_and_no_half_filtered_list(
    client, directory, query, message
):
    response = client.get(LIST, {**query, "kind": "LIP"})
    assert response.status_code == 400
    body = text(response)
    assert message in body
    assert "There is a problem with this search" in body
    assert 'class="results-list"' not in body
    assert "partnerships" not in response.context or not response.context.get("partnerships")


def test_unknown_place_links_to_suggestions(client, directory):
    body = text(client.get(LIST, {"near": "Brookz"}))
    assert 'href="/partnerships/?near=Brooks%2C%20AB"' in body


def test_near_me_page_answers_who_covers_me(client, directory):
    response = client.get(LIST, {"near": "T1R 0A1"})
    assert response.status_code == 200
    covering = response.context["covering"]
    assert covering["local"] == directory.southern
    assert covering["rifs"] == [directory.rifa]
    body = text(response)
    assert "Which partnerships cover T1R 0A1" in body
    assert "Covers the whole province (Alberta)" in body
    assert re.search(r"\d+\.\d km away \(Brooks\)", body)


def test_covering_ignores_inactive_partnerships(client, directory):
    response = client.get(LIST, {"near": "Canmore, AB", "radius": 20})
    assert response.context["covering"]["local"] is None
    assert "Try a larger radius" in text(response)


def test_ambiguous_place_offers_the_other_places(client, directory):
    body = text(client.get(LIST, {"near": "Richmond"}))
    assert "Richmond, ON" in body


def test_map_page_lists_what_the_map_shows(client, directory):
    response = client.get(reverse("directory:partnership-map"), {"province": "AB"})
    assert response.status_code == 200
    entries = response.context["entries"]
    by_url = {m["url"]: m for m in entries}
    assert by_url["/partnerships/calgary-lip/"]["place"] == "Calgary"
    assert by_url["/partnerships/rif-alberta/"]["provinceWide"] is True
    body = text(response)
    # The map reads the open data API's GeoJSON with the page's filters.
    assert 'data-geojson="/api/partnerships.geojson?province=AB"' in body
    assert "leaflet/leaflet.js" in body
    # The list of everything on the map is in the page itself, for people without JS.
    assert 'href="/partnerships/calgary-lip/"' in body


def test_list_map_fetches_geojson_with_the_filters_only(client, directory):
    response = client.get(LIST, {"near": "Lethbridge", "radius": 30, "page": 1})
    assert response.context["geojson_url"] == "/api/partnerships.geojson?near=Lethbridge&radius=30"
    assert "markers" not in response.context


def test_map_uses_tile_url_setting(client, directory, settings):
    settings.MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    body = text(client.get(reverse("directory:partnership-map")))
    assert 'data-tiles="https://tiles.example.org/{z}/{x}/{y}.png"' in body


def test_detail_page(client, directory):
    response = client.get("/partnerships/calgary-lip/")
    assert response.status_code == 200
    body = text(response)
    for expected in [
        "Calgary Local Immigration Partnership",
        "Partenariat local en matière d&#x27;immigration de Calgary",
        "Local Immigration Partnership (LIP)",
        "City of Calgary",
        "clip@example.org",
        "https://www.calgarylip.ca",
        "Housing",
        "CLIP Council",
        "Calgary Catholic Immigration Society",
        "Settlement service providers",
        "Chair",
        "2024–2026",
        "Housing Working Group",
        "Write to",
        "Calgary Community Plan (2025–2029)",
        "Actions done: 1 of 2",
        "50% of the way to the target",
        "https://example.org/source",
        "High",
        "March 1, 2026",
        "Sample data",
    ]:
        assert expected in body, expected
    assert "Old plan" not in body


def test_unknown_slug_is_404(client, directory):
    assert client.get("/partnerships/12345678901234567890/").status_code == 404


def test_jsonld_is_valid_and_escaped(client, directory):
    directory.calgary.description = "</script><script>alert(1)</script> & more"
    directory.calgary.save()
    body = text(client.get("/partnerships/calgary-lip/"))
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)
    data = json.loads(match.group(1))
    assert data["@type"] == "Organization"
    assert data["@context"] == "https://schema.org"
    assert data["name"] == "Calgary Local Immigration Partnership"
    assert data["url"] == "http://testserver/partnerships/calgary-lip/"
    assert data["description"].startswith("</script>")
    assert "</script><script>" not in match.group(1)
    assert data["areaServed"][0]["name"] == "Calgary, AB"


def test_privacy_no_personal_details_without_consent(client, directory):
    private = directory.private_member
    pages = [
        "/",
        LIST,
        LIST + "?q=Privateperson",
        "/partnerships/calgary-lip/",
        "/fr/partnerships/calgary-lip/",
        reverse("directory:partnership-map"),
    ]
    for url in pages:
        body = text(client.get(url))
        assert private.person_name not in body, url
        assert private.email not in body, url
        assert private.phone not in body, url
    detail = text(client.get("/partnerships/calgary-lip/"))
    assert "Ada Publicperson" in detail and "ada@example.org" in detail
    assert "403-555-0111" in detail
    assert "Not published" in detail


def test_free_text_search_does_not_reveal_members(client, directory):
    response = client.get(LIST, {"q": "Privateperson"})
    assert result_slugs(response) == []


def test_former_members_are_not_listed(client, directory):
    CouncilMembershipFactory(
        council=directory.council,
        person_name="Former Member",
        publish_consent=True,
        left_on="2024-06-01",
    )
    assert "Former Member" not in text(client.get("/partnerships/calgary-lip/"))
    assert CouncilMembership.objects.filter(person_name="Former Member").exists()


def test_covering_names_a_few_province_wide_networks_and_links_to_the_rest(client, directory):
    for index in range(6):
        PartnershipFactory(
            kind=Partnership.Kind.RIF,
            name=f"Alberta network {index}",
            province="AB",
            is_province_wide=True,
        )
    response = client.get(LIST, {"near": "T1R 0A1"})
    covering = response.context["covering"]
    assert len(covering["rifs"]) == 5
    assert covering["more_rifs"] == 2
    assert covering["more_rifs_url"] == "/partnerships/?kind=RIF&province=AB"
    assert 'href="/partnerships/?kind=RIF&amp;province=AB">and 2 more' in text(response)


def test_near_me_pages_list_every_match_once_in_order(client, directory):
    everything = client.get(LIST, {"near": "Calgary, AB", "radius": 1000, "per_page": 100})
    ranked = result_slugs(everything)
    pages = [
        result_slugs(
            client.get(LIST, {"near": "Calgary, AB", "radius": 1000, "per_page": 10, "page": n})
        )
        for n in range(1, len(ranked) // 10 + 2)
    ]
    assert [slug for page in pages for slug in page] == ranked
    assert everything.context["count"] == len(ranked)
