"""``/api/hsds.zip``: the directory as an Open Referral HSDS 3.1 tabular data package."""

from __future__ import annotations

import csv
import io
import json
import math
import uuid
import zipfile

import frictionless
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from api.hsds import NAMESPACE, build_package, hsds_id
from api.hsds_spec import EXTENSION_PREFIX, HSDS_TABLES
from directory.revision import bump_revision
from partnerships.models import Community, CouncilMembership, FocusArea, Partnership, Sector
from tests.directory.data import build_directory
from tests.factories import (
    CommunityFactory,
    CouncilFactory,
    CouncilMembershipFactory,
    OrganizationFactory,
    PartnershipFactory,
    WorkingGroupFactory,
)

URL = "/api/hsds.zip"
#: The revision, the taxonomies (focus areas, sectors), the map's placement rule (two), the
#: partnership ids, then for each 500 partnerships: them, their served places, sources, focus
#: areas, hosts, councils, memberships, working groups and plans; and the site-wide
#: sample-data flag (cached for 60 s).
HSDS_MAX = 16


@pytest.fixture(scope="module")
def _rows(shared_rows):
    return shared_rows.build(build_directory)


@pytest.fixture
def rows(_rows, shared_rows, db):
    cache.clear()
    return shared_rows.fresh(_rows)


def fetch(client) -> bytes:
    cache.clear()
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return response.content


def unpack(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def table(files: dict[str, str], path: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(files[path])))


def descriptor(files: dict[str, str]) -> dict:
    return json.loads(files["datapackage.json"])


def test_package_validates_with_frictionless(client, rows, tmp_path):
    with zipfile.ZipFile(io.BytesIO(fetch(client))) as archive:
        archive.extractall(tmp_path)
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    errors = [(task.name, e.message) for task in report.tasks for e in task.errors]
    assert report.valid, errors or report.errors
    resources = json.loads((tmp_path / "datapackage.json").read_text())["resources"]
    assert len(report.tasks) == len(resources)


def test_frictionless_checks_the_keys_it_is_given(client, rows, tmp_path):
    """The validation is not vacuous: a service pointing at no organization fails it."""
    with zipfile.ZipFile(io.BytesIO(fetch(client))) as archive:
        archive.extractall(tmp_path)
    services = (tmp_path / "services.csv").read_text()
    first_org = table({"s": services}, "s")[0]["organization_id"]
    (tmp_path / "services.csv").write_text(services.replace(first_org, str(uuid.uuid4()), 1))
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert not report.valid
    assert {e.type for task in report.tasks for e in task.errors} == {"foreign-key"}


def test_hsds_resources_use_hsds_table_and_field_names(client, rows):
    files = unpack(fetch(client))
    hsds = [r for r in descriptor(files)["resources"] if r["name"] in HSDS_TABLES]
    assert {r["name"] for r in hsds} >= {
        "organization",
        "service",
        "service_area",
        "location",
        "contact",
        "phone",
        "language",
        "url",
        "attribute",
        "taxonomy",
        "taxonomy_term",
    }
    for resource in hsds:
        spec = HSDS_TABLES[resource["name"]]
        assert resource["path"] == spec.path
        header = next(csv.reader(io.StringIO(files[resource["path"]])))
        assert header == [f["name"] for f in resource["schema"]["fields"]]
        for field in resource["schema"]["fields"]:
            assert field["name"] in spec.fields, (resource["name"], field["name"])
            expected = spec.fields[field["name"]]
            assert field["type"] == expected.type, (resource["name"], field["name"])
            assert field.get("format", "") == expected.format, (resource["name"], field["name"])
        for name in spec.required + spec.tabular_required:
            if name in header:
                assert resource["schema"]["fields"][header.index(name)]["constraints"]["required"]


def test_what_hsds_cannot_express_is_in_prefixed_extension_tables(client, rows):
    files = unpack(fetch(client))
    names = {r["name"] for r in descriptor(files)["resources"]}
    extensions = names - set(HSDS_TABLES)
    assert extensions >= {"x_council", "x_council_membership", "x_working_group", "x_plan"}
    assert all(name.startswith(EXTENSION_PREFIX) for name in extensions)
    assert all(not name.startswith(EXTENSION_PREFIX) for name in HSDS_TABLES)


def test_no_unconsented_person_email_or_phone_anywhere_in_the_package(client, rows):
    data = fetch(client)
    text = "\n".join(unpack(data).values())
    for secret in ("Bob Privateperson", "bob.private@example.org", "403-555-0199"):
        assert secret not in text
        assert secret.encode() not in data
    contacts = table(unpack(data), "contacts.csv")
    assert [c["name"] for c in contacts if c["name"]] == ["Ada Publicperson"]
    # A title could name someone who did not consent: it comes only with a consented name.
    assert all(c["name"] for c in contacts if c["title"])


def test_consented_member_is_a_contact_with_their_phone(client, rows):
    files = unpack(fetch(client))
    (contact,) = [c for c in table(files, "contacts.csv") if c["name"] == "Ada Publicperson"]
    assert contact["email"] == "ada@example.org"
    assert contact["service_id"] == hsds_id("service", "calgary-lip")
    assert contact["department"] == "CLIP Council"
    phones = [p for p in table(files, "phones.csv") if p["contact_id"] == contact["id"]]
    assert [p["number"] for p in phones] == ["403-555-0111"]


def test_partnership_channel_is_a_contact_without_a_person(client, rows):
    files = unpack(fetch(client))
    calgary = hsds_id("service", "calgary-lip")
    own = [c for c in table(files, "contacts.csv") if c["service_id"] == calgary and not c["name"]]
    assert [(c["email"], c["title"]) for c in own] == [("clip@example.org", "")]


def test_unconsented_member_keeps_their_seat_without_a_person(client, rows):
    files = unpack(fetch(client))
    seats = table(files, "x_council_membership.csv")
    assert len(seats) == 2
    assert sorted(bool(s["contact_id"]) for s in seats) == [False, True]
    organizations = {o["id"]: o["name"] for o in table(files, "organizations.csv")}
    assert {organizations[s["organization_id"]] for s in seats} == {
        "Calgary Catholic Immigration Society",
        "Centre for Newcomers",
    }


def test_members_who_consent_later_appear_and_withdrawn_consent_removes_them(client, rows):
    bob = CouncilMembership.objects.get(person_name="Bob Privateperson")
    bob.publish_consent = True
    bob.save()
    assert "Bob Privateperson" in unpack(fetch(client))["contacts.csv"]
    bob.publish_consent = False
    bob.save()
    assert "Bob Privateperson" not in unpack(fetch(client))["contacts.csv"]


def test_ids_are_uuid5_of_slugs_and_the_same_in_two_builds(client, rows):
    first, second = fetch(client), fetch(client)
    assert first == second
    services = table(unpack(first), "services.csv")
    calgary = next(s for s in services if s["name"] == "Calgary Local Immigration Partnership")
    assert calgary["id"] == hsds_id("service", "calgary-lip")
    assert uuid.UUID(calgary["id"]).version == 5


def test_ids_do_not_depend_on_database_keys(db):
    """Rebuilt from scratch (new primary keys), a partnership keeps its ids."""
    PartnershipFactory(slug="stable-lip", communities=[CommunityFactory(geonames_id=42)])
    first = unpack(build_package().zip_bytes())
    Partnership.objects.filter(slug="stable-lip").delete()
    Community.objects.filter(geonames_id=42).delete()
    PartnershipFactory(slug="stable-lip", communities=[CommunityFactory(geonames_id=42)])
    second = unpack(build_package().zip_bytes())
    for path in ("organizations.csv", "services.csv", "service_areas.csv", "locations.csv"):
        assert [r["id"] for r in table(first, path)] == [r["id"] for r in table(second, path)]


def test_ids_are_uuid5_in_the_package_namespace():
    key = ("service_area", "calgary-lip", 5913490)
    assert hsds_id(*key) == str(uuid.uuid5(NAMESPACE, "service_area:calgary-lip:5913490"))


def test_service_areas_are_valid_geojson_points_of_the_served_places(client, rows):
    files = unpack(fetch(client))
    areas = table(files, "service_areas.csv")
    points = [a for a in areas if a["extent"]]
    assert points
    for area in points:
        assert area["extent_type"] == "geojson"
        geometry = json.loads(area["extent"])
        assert geometry["type"] == "Point"
        longitude, latitude = geometry["coordinates"]
        assert all(math.isfinite(v) for v in (longitude, latitude))
        assert -142 <= longitude <= -52 and 41 <= latitude <= 84  # in Canada, lon/lat order
    calgary = next(a for a in areas if a["name"] == "Calgary, AB")
    assert json.loads(calgary["extent"])["coordinates"] == [-114.08529, 51.05011]
    assert calgary["service_id"] == hsds_id("service", "calgary-lip")


def test_province_wide_network_covers_its_province_without_a_made_up_extent(client, rows):
    files = unpack(fetch(client))
    rifa = hsds_id("service", "rif-alberta")
    (area,) = [a for a in table(files, "service_areas.csv") if a["service_id"] == rifa]
    assert (area["name"], area["extent"], area["extent_type"]) == ("Alberta", "", "")
    basis = {b["service_area_id"]: b["basis"] for b in table(files, "x_service_area.csv")}
    assert basis[area["id"]] == "province"


def test_locations_carry_coordinates(client, rows):
    files = unpack(fetch(client))
    locations = table(files, "locations.csv")
    assert len(locations) == Partnership.objects.count()
    zone = next(loc for loc in locations if loc["name"] == "Lethbridge")  # most populous
    assert (float(zone["latitude"]), float(zone["longitude"])) == (49.69999, -112.81856)


def test_languages_follow_the_record_and_networks_work_in_french(client, rows):
    files = unpack(fetch(client))
    codes: dict[str, set[str]] = {}
    for row in table(files, "languages.csv"):
        codes.setdefault(row["service_id"], set()).add(row["code"])
    assert codes[hsds_id("service", "calgary-lip")] == {"en"}
    assert codes[hsds_id("service", "toronto-east-lip")] == {"en", "fr"}
    assert codes[hsds_id("service", "rif-alberta")] == {"fr"}


def test_kind_and_focus_areas_are_taxonomy_attributes(client, rows):
    files = unpack(fetch(client))
    terms = {t["id"]: t["code"] for t in table(files, "taxonomy_terms.csv")}
    calgary = hsds_id("service", "calgary-lip")
    linked = {
        terms[a["taxonomy_term_id"]]
        for a in table(files, "attributes.csv")
        if a["link_id"] == calgary
    }
    assert {"kind:LIP", "focus_area:housing", "focus_area:employment"} <= linked


def test_french_names_travel_in_the_translation_table(client, rows):
    files = unpack(fetch(client))
    translations = {
        (t["link_id"], t["field"]): t["value"] for t in table(files, "x_translation.csv")
    }
    calgary = hsds_id("service", "calgary-lip")
    assert translations[(calgary, "name")] == (
        "Partenariat local en matière d'immigration de Calgary"
    )
    lip = hsds_id("taxonomy_term", "kind", "LIP")
    with translation.override("fr"):
        assert translations[(lip, "name")] == str(Partnership.Kind.LIP.label)


def test_inactive_partnership_is_an_inactive_service(client, rows):
    files = unpack(fetch(client))
    canmore = hsds_id("service", "canmore-lip")
    (service,) = [s for s in table(files, "services.csv") if s["id"] == canmore]
    assert service["status"] == "inactive"


def test_text_that_a_spreadsheet_would_run_is_escaped_but_phones_are_not(client, rows):
    Partnership.objects.filter(slug="edmonton-lip").update(
        description='=HYPERLINK("https://evil.example")', phone="+1 780-555-0100"
    )
    files = unpack(fetch(client))
    edmonton = hsds_id("service", "edmonton-lip")
    (service,) = [s for s in table(files, "services.csv") if s["id"] == edmonton]
    assert service["description"].startswith("'=HYPERLINK")
    (phone,) = [p for p in table(files, "phones.csv") if p["service_id"] == edmonton]
    assert phone["number"] == "+1 780-555-0100"


def test_unchanged_package_answers_304_and_head_works(client, rows):
    cache.clear()
    response = client.get(URL)
    assert response["ETag"] and response["Last-Modified"]
    assert "attachment" in response["Content-Disposition"]
    again = client.get(URL, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    since = client.get(URL, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert since.status_code == 304
    head = client.head(URL)
    assert head.status_code == 200
    assert head["Content-Type"] == "application/zip"
    assert head.content == b""


def test_a_change_gives_a_new_package_and_etag(client, rows):
    first = client.get(URL)
    Partnership.objects.filter(slug="calgary-lip").get().save()  # a signal bumps the revision
    rows.calgary.refresh_from_db()
    rows.calgary.name = "Calgary LIP, renamed"
    rows.calgary.save()
    second = client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200
    assert "Calgary LIP, renamed" in unpack(second.content)["services.csv"]


def test_writes_are_refused_with_405(client, rows):
    assert client.post(URL).status_code == 405


def test_cached_package_costs_one_query(client, rows):
    client.get(URL)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL).status_code == 200
    tables = " ".join(q["sql"] for q in captured.captured_queries)
    assert "directory_revision" in tables
    assert "partnerships_partnership" not in tables  # not rebuilt
    assert len(captured) <= 2  # the revision, and the site's cached sample-data flag


def make_partnerships(count: int) -> None:
    housing = FocusArea.objects.get(slug="housing")
    sector = Sector.objects.get(slug="settlement")
    for index in range(count):
        partnership = PartnershipFactory(
            name=f"Test partnership {index}",
            communities=[CommunityFactory(), CommunityFactory()],
            focus_areas=[housing],
            phone="403-555-0100",
        )
        council = CouncilFactory(partnership=partnership)
        for consent in (True, False):
            CouncilMembershipFactory(
                council=council,
                organization=OrganizationFactory(sector=sector),
                publish_consent=consent,
            )
        WorkingGroupFactory(partnership=partnership, lead_organization=OrganizationFactory())
        partnership.host_organizations.add(OrganizationFactory())


def count_queries(client) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL).status_code == 200
    return len(captured)


def test_queries_do_not_grow_with_partnerships(client, db, django_assert_max_num_queries):
    make_partnerships(10)
    small = count_queries(client)
    make_partnerships(190)
    cache.clear()
    with django_assert_max_num_queries(HSDS_MAX):
        client.get(URL)
    assert count_queries(client) == small
    files = unpack(fetch(client))
    assert len(table(files, "services.csv")) == 200
    contacts = table(files, "contacts.csv")
    assert len([c for c in contacts if c["name"]]) == 200  # the consented half
    assert len([c for c in contacts if not c["name"]]) == 200  # each partnership's own line


def test_a_new_revision_replaces_the_cached_package(client, rows):
    cache.clear()
    client.get(URL)
    Partnership.objects.filter(slug="calgary-lip").update(name="Calgary LIP, updated")
    bump_revision()  # a queryset update sends no signal
    assert "Calgary LIP, updated" in unpack(client.get(URL).content)["services.csv"]
    keys = [k for k in cache._cache if "api:hsds-zip" in k]  # LocMemCache in tests
    assert len(keys) == 1


def test_every_answer_names_the_file_and_none_depends_on_the_language(client, rows, settings):
    """The site's page cache (a dummy in tests, real here) is not in the way."""
    locmem = "django.core.cache.backends.locmem.LocMemCache"
    settings.CACHES = {**settings.CACHES, "pages": {"BACKEND": locmem, "LOCATION": "hsds"}}
    cache.clear()
    english = client.get(URL)
    french = client.get(URL, HTTP_ACCEPT_LANGUAGE="fr")
    again = client.get(URL)
    for response in (english, french, again):
        assert response.status_code == 200
        assert response["Content-Disposition"] == (
            'attachment; filename="partnership-directory-hsds.zip"'
        )
    assert english.content == french.content == again.content


def test_partnerships_read_in_chunks_give_the_same_package(client, rows, monkeypatch, tmp_path):
    """Past CHUNK partnerships the package is read in rounds: nothing lost or doubled."""
    whole = build_package().zip_bytes()
    monkeypatch.setattr("api.hsds.CHUNK", 3)
    chunked = build_package().zip_bytes()
    assert chunked == whole
    with zipfile.ZipFile(io.BytesIO(chunked)) as archive:
        archive.extractall(tmp_path)
    assert frictionless.validate(str(tmp_path / "datapackage.json")).valid


def test_places_without_geonames_id_keep_distinct_areas(db):
    same_name = [CommunityFactory(name="Richmond", latitude=lat) for lat in (49.17, 45.18)]
    PartnershipFactory(slug="two-richmonds", communities=same_name)
    files = unpack(build_package().zip_bytes())
    ids = [a["id"] for a in table(files, "service_areas.csv")]
    assert len(ids) == len(set(ids)) == 2
