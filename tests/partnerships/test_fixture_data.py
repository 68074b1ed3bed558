"""The shipped real data, checked as a reader would: sources, coverage labels, corrections."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from partnerships.models import Council, Partnership, ServedCommunity, Source
from partnerships.realdata import PARTNERSHIPS_FIXTURE, load_real_data

pytestmark = pytest.mark.django_db

REPOSITORY_PATH = re.compile(r"(domain/000_|\.txt\b|fixtures/|\.\./shared|research/)")
BARE_DOMAIN = re.compile(r"^[\w.-]+\.[a-z]{2,}(/\S*)?$", re.IGNORECASE)
ESTIMATED_LABEL = "estimated, not confirmed by the partnership"


@pytest.fixture(scope="module")
def _rows(shared_rows):
    return shared_rows.build(load_real_data)


@pytest.fixture
def real_data(_rows, shared_rows, db):
    return shared_rows.fresh(_rows)


def _records() -> list[dict]:
    return json.loads(PARTNERSHIPS_FIXTURE.read_text(encoding="utf-8"))


def test_every_record_cites_a_source():
    assert all(record["sources"] for record in _records())


def test_every_source_is_a_link_or_a_titled_citation():
    for record in _records():
        for source in record["sources"]:
            if source["url"]:
                assert source["url"].startswith(("https://", "http://")), source
            title = source["title"].strip()
            assert title, (record["slug"], source)
            assert not BARE_DOMAIN.match(title), (record["slug"], source)
            assert not REPOSITORY_PATH.search(title), (record["slug"], source)


def test_contacts_descriptions_and_focus_areas_each_cite_a_source():
    for record in _records():
        topics = {source.get("topic") for source in record["sources"]}
        if record["email"] or record["phone"] or record["contact_url"]:
            assert "contact" in topics, record["slug"]
        if record["description"]:
            assert record["description_fr"], record["slug"]
            # One page often carries both the description's facts and the contact.
            assert topics & {"description", "contact"}, record["slug"]
        if record["focus_areas"]:
            assert record["focus_areas_basis"], record["slug"]


def test_no_page_shows_a_repository_path(real_data, client):
    for slug in Partnership.objects.values_list("slug", flat=True):
        body = client.get(reverse("directory:partnership-detail", args=[slug])).content.decode()
        text = re.sub(r"<[^>]+>", " ", body[body.index("<main") :])  # what a reader sees
        assert not REPOSITORY_PATH.search(text), slug


def test_sources_render_as_titled_links(real_data, client):
    source = Source.objects.filter(partnership__slug="calgary-local-immigration-partnership")[0]
    body = client.get(
        reverse("directory:partnership-detail", args=["calgary-local-immigration-partnership"])
    ).content.decode()
    assert f'<a href="{source.url}">{source.title}</a>' in body


def test_estimated_places_are_labelled_on_the_page_and_left_out_of_schema_org(real_data, client):
    slug = "southern-alberta-zonal-immigration-partnership"
    estimated = ServedCommunity.objects.filter(partnership__slug=slug).exclude(basis="named")
    assert estimated.exists()
    response = client.get(reverse("directory:partnership-detail", args=[slug]))
    body = response.content.decode()
    assert ESTIMATED_LABEL in body
    jsonld = json.loads(body.split('<script type="application/ld+json">')[1].split("</script>")[0])
    served_names = {place["name"] for place in jsonld.get("areaServed", [])}
    for row in estimated.select_related("community"):
        assert f"{row.community.name}, {row.community.province}" not in served_names
    assert all(marker["estimated"] for marker in response.context["community_markers"])


def test_near_me_labels_an_estimated_match(real_data, client):
    response = client.get(reverse("directory:partnership-list"), {"near": "Taber, AB"})
    body = response.content.decode()
    assert "Southern Alberta Zonal Immigration Partnership" in body
    assert ESTIMATED_LABEL in body


def test_map_markers_flag_estimated_places(real_data, client):
    response = client.get(reverse("directory:partnership-map"), {"province": "AB"})
    markers = {m["name"]: m for m in response.context["entries"]}
    assert markers["Southern Alberta Zonal Immigration Partnership"]["estimated"] is True
    assert markers["Calgary Local Immigration Partnership"]["estimated"] is False


@pytest.mark.parametrize(
    ("place", "network"),
    [
        ("Toronto, ON", "reseau-en-immigration-francophone-du-centre-sud-ouest-de-lontario"),
        ("Greater Sudbury, ON", "reseau-de-soutien-a-limmigration-francophone-du-nord-de-lontario"),
        ("Ottawa, ON", "reseau-de-soutien-a-limmigration-francophone-de-lest-de-lontario"),
    ],
)
def test_covers_me_names_the_one_ontario_network_of_the_place(real_data, client, place, network):
    response = client.get(reverse("directory:partnership-list"), {"near": place})
    rifs = response.context["covering"]["rifs"]
    assert [rif.slug for rif in rifs] == [network]


def test_covers_me_in_a_province_wide_network_province_names_that_network(real_data, client):
    response = client.get(reverse("directory:partnership-list"), {"near": "Moncton, NB"})
    rifs = response.context["covering"]["rifs"]
    assert [rif.slug for rif in rifs] == ["reseau-en-immigration-francophone-du-nouveau-brunswick"]


def test_niagara_places_are_in_niagara(real_data):
    niagara = Partnership.objects.get(slug="niagara-local-immigration-partnership")
    for place in niagara.communities.all():
        assert 42.8 <= place.latitude <= 43.35, place
        assert -79.8 <= place.longitude <= -78.9, place


def test_toronto_quadrant_partnerships_do_not_claim_the_whole_city(real_data):
    for slug in (
        Partnership.objects.filter(slug__startswith="toronto-")
        .exclude(slug="toronto-newcomer-office")
        .values_list("slug", flat=True)
    ):
        names = set(Partnership.objects.get(slug=slug).communities.values_list("name", flat=True))
        assert "Toronto" not in names, slug


def test_published_member_lists_load_as_real_councils_without_people(real_data):
    councils = Council.objects.filter(is_sample=False)
    assert councils.exists()
    for council in councils:
        assert council.source.startswith("http")
        members = council.memberships.all()
        assert members.exists()
        assert not members.exclude(person_name="").exists()
        assert not members.filter(is_sample=True).exists()


def test_reloading_keeps_one_membership_per_published_organization(real_data):
    before = sorted(
        Council.objects.filter(is_sample=False).values_list("name", "memberships__organization")
    )
    load_real_data()
    after = sorted(
        Council.objects.filter(is_sample=False).values_list("name", "memberships__organization")
    )
    assert after == before


def test_unverified_records_show_the_notice_with_what_is_known(real_data, client):
    quinte = Partnership.objects.get(slug="quinte-local-immigration-partnership")
    assert quinte.verification_reasons()
    body = client.get(quinte.get_absolute_url()).content.decode()
    assert "Unverified record" in body
    assert quinte.verification_note in body


def test_a_record_with_no_public_contact_points_to_its_website_or_host(real_data, client):
    partnership = Partnership.objects.filter(email="", phone="", contact_url="").exclude(
        website=""
    )[0]
    body = client.get(partnership.get_absolute_url()).content.decode()
    assert "No public email or phone is known for this partnership." in body
    assert partnership.website in body


def test_a_sample_organization_named_like_a_published_member_becomes_the_real_one(real_data):
    from partnerships.models import Organization

    council = Council.objects.get(partnership__slug="mission-local-immigration-partnership")
    member = council.memberships.select_related("organization").first()
    name = member.organization.name
    council.delete()
    Organization.objects.filter(name=name, province="BC").update(is_sample=True)

    load_real_data()

    organization = Organization.objects.get(name=name, province="BC")
    assert not organization.is_sample
    assert (
        Council.objects.get(partnership__slug="mission-local-immigration-partnership")
        .memberships.filter(organization=organization, is_sample=False)
        .exists()
    )
