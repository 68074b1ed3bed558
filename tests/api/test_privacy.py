"""No person's name, email or phone leaves the API without their recorded consent."""

from __future__ import annotations

import json

import pytest

from tests.factories import CouncilFactory, CouncilMembershipFactory

PRIVATE = ["Bob Privateperson", "bob.private@example.org", "403-555-0199"]


@pytest.fixture
def councils(directory):
    """Besides Calgary's (one member with consent, one without): a sample council elsewhere."""
    council = CouncilFactory(partnership=directory.edmonton, name="ELIP Council", is_sample=True)
    CouncilMembershipFactory(
        council=council,
        person_name="Carol Nopublish",
        email="carol@example.org",
        phone="780-555-0142",
        publish_consent=False,
    )
    return directory


def every_response(client) -> list[str]:
    """The body of every data response: lists (all pages), every detail, GeoJSON, vocabularies."""
    bodies = []
    listing = client.get("/api/partnerships/", {"page_size": 100})
    bodies.append(listing.content.decode())
    for row in listing.json()["results"]:
        bodies.append(client.get(f"/api/partnerships/{row['slug']}/").content.decode())
    for url in ["/api/partnerships.geojson", "/api/focus-areas/", "/api/sectors/"]:
        bodies.append(client.get(url).content.decode())
    return bodies


@pytest.mark.parametrize("secret", [*PRIVATE, "Carol Nopublish", "carol@example.org"])
def test_no_response_holds_a_detail_without_consent(client, councils, secret):
    assert not any(secret in body for body in every_response(client))


def test_consented_member_is_published_with_contact(client, councils):
    body = client.get("/api/partnerships/calgary-lip/").json()
    people = [m["person"] for c in body["councils"] for m in c["members"] if m["person"]]
    assert people == [
        {
            "name": "Ada Publicperson",
            "title": "Executive Director",
            "email": "ada@example.org",
            "phone": "403-555-0111",
        }
    ]


def test_member_without_consent_keeps_organization_and_role_only(client, councils):
    body = client.get("/api/partnerships/calgary-lip/").json()
    member = next(
        m
        for m in body["councils"][0]["members"]
        if m["organization"]["name"] == "Centre for Newcomers"
    )
    assert member["person"] is None
    assert member["role"] == "member"
    assert "Executive Director" not in json.dumps(member)


def test_a_signed_in_coordinator_reads_the_public_answer(client, councils, django_user_model):
    """The API has no sessions: even a superuser's browser gets the public view."""
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "x" * 12)
    client.force_login(admin)
    body = client.get("/api/partnerships/calgary-lip/").content.decode()
    assert not any(secret in body for secret in PRIVATE)


def test_former_members_are_left_out(client, councils):
    directory = councils
    directory.public_member.left_on = "2025-01-01"
    directory.public_member.save()
    body = client.get("/api/partnerships/calgary-lip/").content.decode()
    assert "Ada Publicperson" not in body
