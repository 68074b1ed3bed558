"""/api/partnerships/ and /api/partnerships/<slug>/: the directory's filters and public fields."""

from __future__ import annotations

import pytest

LIST = "/api/partnerships/"


def slugs(response) -> list[str]:
    return [row["slug"] for row in response.json()["results"]]


def test_list_is_paginated_with_count_and_links(client, directory):
    body = client.get(LIST, {"page_size": 3}).json()
    assert body["count"] == 8
    assert len(body["results"]) == 3
    assert body["previous"] is None
    assert body["next"].endswith("/api/partnerships/?page=2&page_size=3")


def test_list_order_is_stable_across_pages(client, directory):
    pages = [slugs(client.get(LIST, {"page_size": 3, "page": n})) for n in (1, 2, 3)]
    everything = slugs(client.get(LIST, {"page_size": 100}))
    assert [slug for page in pages for slug in page] == everything
    assert len(set(everything)) == 8


def test_list_uses_the_directory_filters(client, directory):
    response = client.get(LIST, {"province": "AB", "kind": ["LIP", "ZIP"]})
    assert slugs(response) == ["calgary-lip", "canmore-lip", "edmonton-lip", "southern-alberta-zip"]


def test_codes_are_accepted_in_any_case_as_on_the_pages(client, directory):
    assert slugs(client.get(LIST, {"province": "pe"})) == ["pei-lip"]


def test_focus_filter_reads_slugs(client, directory):
    response = client.get(LIST, {"focus": "francophone-immigration"})
    assert set(slugs(response)) == {"rif-alberta", "rif-nouveau-brunswick"}


def test_near_orders_by_distance_and_says_how_each_relates(client, directory):
    rows = client.get(LIST, {"near": "Brooks, AB", "radius": 150}).json()["results"]
    assert [row["slug"] for row in rows][:2] == ["rif-alberta", "southern-alberta-zip"]
    assert rows[0]["near"]["covers_province"] is True
    assert rows[1]["near"] == {
        "distance_km": 0.0,
        "community": "Brooks",
        "estimated": False,
        "covers_province": False,
    }


def test_rows_have_no_near_without_the_parameter(client, directory):
    rows = client.get(LIST).json()["results"]
    assert all(row["near"] is None for row in rows)


def test_rows_link_to_pages_in_both_languages_and_to_the_api(client, directory):
    row = client.get(LIST, {"province": "PE"}).json()["results"][0]
    assert row["url"] == "http://testserver/partnerships/pei-lip/"
    assert row["url_fr"] == "http://testserver/fr/partnerships/pei-lip/"
    assert row["api_url"] == "http://testserver/api/partnerships/pei-lip/"


def test_detail_has_names_in_both_languages_and_the_public_contact(client, directory):
    body = client.get("/api/partnerships/calgary-lip/").json()
    assert body["name"] == "Calgary Local Immigration Partnership"
    assert body["name_fr"] == "Partenariat local en matière d'immigration de Calgary"
    assert body["contact"] == {
        "email": "clip@example.org",
        "phone": "",
        "contact_url": "",
        "website": "https://www.calgarylip.ca",
    }
    assert body["description_fr"].startswith("La table de Calgary")


def test_detail_lists_served_communities_with_coordinates_and_basis(client, directory):
    body = client.get("/api/partnerships/southern-alberta-zip/").json()
    brooks = next(c for c in body["served_communities"] if c["name"] == "Brooks")
    assert (brooks["latitude"], brooks["longitude"]) == (50.56478, -111.8989)
    assert brooks["basis"] == "named"
    assert brooks["is_estimated"] is False


def test_detail_marks_estimated_communities(client, directory):
    served = directory.southern.served.get(community__name="Lethbridge")
    served.basis = "region"
    served.save()
    body = client.get("/api/partnerships/southern-alberta-zip/").json()
    lethbridge = next(c for c in body["served_communities"] if c["name"] == "Lethbridge")
    assert (lethbridge["basis"], lethbridge["is_estimated"]) == ("region", True)


def test_detail_has_working_groups_sources_and_focus_areas(client, directory):
    body = client.get("/api/partnerships/calgary-lip/").json()
    assert [g["name"] for g in body["working_groups"]] == ["Housing Working Group"]
    assert body["working_groups"][0]["focus_area"] == "housing"
    assert body["sources"] == [
        {
            "title": "About us",
            "publisher": "",
            "year": 2025,
            "url": "https://example.org/source",
            "kind": "partnership",
            "topic": "general",
        }
    ]
    assert [f["slug"] for f in body["focus_areas"]] == ["housing", "employment"]
    assert body["focus_areas"][0]["name_fr"] == "Logement"


def test_detail_summarises_the_current_plan(client, directory):
    plan = client.get("/api/partnerships/calgary-lip/").json()["current_plan"]
    assert plan["title"] == "Calgary Community Plan"
    assert (plan["period"], plan["status"], plan["is_sample"]) == ("2025–2029", "active", True)
    assert plan["priorities"][0]["title"] == "Affordable housing"
    assert plan["priorities"][0]["focus_area"] == "housing"
    assert plan["actions_by_status"]["done"] == 1
    assert plan["actions_by_status"]["planned"] == 1
    assert plan["indicator_count"] == 1


def test_detail_without_a_current_plan_says_null(client, directory):
    assert client.get("/api/partnerships/pei-lip/").json()["current_plan"] is None


def test_detail_gives_confidence_and_verification(client, directory):
    body = client.get("/api/partnerships/calgary-lip/").json()
    assert body["confidence"] == "high"
    assert body["last_confirmed"] == "2026-03-01"
    assert body["verification_reasons"] == []


def test_low_confidence_record_gives_its_reason(client, directory):
    directory.pei.confidence = "low"
    directory.pei.save()
    reasons = client.get("/api/partnerships/pei-lip/").json()["verification_reasons"]
    assert reasons == ["low confidence in the sources found"]


def test_unknown_slug_is_a_json_404_naming_the_slug(client, directory):
    response = client.get("/api/partnerships/no-such-partnership/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert list(response.json()["errors"]) == ["slug"]


@pytest.mark.parametrize("slug", ["%C3%A9t%C3%A9", "a" * 300, "..", "%20"])
def test_odd_slugs_are_a_404_not_a_500(client, directory, slug):
    assert client.get(f"/api/partnerships/{slug}/").status_code == 404


def test_focus_areas_list_both_names_and_counts(client, directory):
    rows = {row["slug"]: row for row in client.get("/api/focus-areas/").json()}
    assert rows["housing"] == {
        "slug": "housing",
        "name": "Housing",
        "name_fr": "Logement",
        "partnership_count": 2,
    }


def test_sectors_list_both_names(client, directory):
    rows = {row["slug"]: row for row in client.get("/api/sectors/").json()}
    assert rows["settlement"]["name_fr"] == "Fournisseurs de services d'établissement"
    assert rows["settlement"]["organization_count"] == 2


def test_plan_filter_of_the_directory_works_in_the_api(client, directory):
    assert slugs(client.get(LIST, {"has_plan": "yes"})) == ["calgary-lip"]


def test_head_answers_without_a_body(client, directory):
    response = client.head(LIST)
    assert response.status_code == 200
    assert response.content == b""
