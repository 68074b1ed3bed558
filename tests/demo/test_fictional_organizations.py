"""Generated seats never borrow a real body's name: every sample organization is fictional."""

from __future__ import annotations

import csv
import re

import pytest
from django.conf import settings

from demo.generator import demo_places, load_demo_data
from demo.removal import remove_sample_data
from demo.tables import tables
from partnerships.models import Community, CouncilMembership, Organization, Partnership
from tests.demo.helpers import TODAY

# Names of real bodies (or the words that make one) the old tables used for invented seats.
REAL_BODY_MARKERS = [
    "RCMP",
    "OPP",
    "Government of",
    "Gouvernement",
    "Immigration, Refugees and Citizenship Canada",
    "Immigration, Réfugiés et Citoyenneté Canada",
    "United Way",
    "Ville d",
    "Métis Local",
    "Assemblée de la francophonie",
    "Réseau santé en français",
]


def geonames_places() -> set[str]:
    path = settings.BASE_DIR / "fixtures" / "places_ca.csv"
    with path.open(encoding="utf-8") as handle:
        return {row["name"].casefold() for row in csv.DictReader(handle)}


def test_no_invented_place_is_a_real_canadian_place():
    places = tables().organizations["places"]
    invented = places["english"] + places["french"]
    assert len(invented) > 100
    assert not [name for name in invented if name.casefold() in geonames_places()]


def test_each_partnership_gets_its_own_invented_place():
    slugs = [f"partnership-{n}" for n in range(100)]
    french = {f"partnership-{n}" for n in range(0, 100, 10)}
    places = demo_places(slugs, french)
    assert len(set(places.values())) == 100
    assert {places[slug] for slug in french} <= set(tables().organizations["places"]["french"])


def test_a_partnership_keeps_its_place_when_another_is_added():
    before = demo_places(["calgary", "edmonton"], set())
    after = demo_places(["calgary", "edmonton", "zeta"], set())
    assert after["calgary"] == before["calgary"]
    assert after["edmonton"] == before["edmonton"]


@pytest.mark.django_db
class TestTheLoadedDemo:
    """Against the real partnerships (and their real councils) with the demo loaded."""

    def test_no_sample_organization_name_contains_a_real_place(self, demo):
        places = sorted(set(Community.objects.values_list("name", flat=True)), key=len)
        pattern = re.compile(r"\b(" + "|".join(re.escape(p) for p in reversed(places)) + r")\b")
        names = Organization.objects.filter(is_sample=True).values_list("name", flat=True)
        assert names
        assert not {name for name in names if pattern.search(name)}

    def test_no_sample_organization_uses_a_real_body_name(self, demo):
        names = list(Organization.objects.filter(is_sample=True).values_list("name", "name_fr"))
        pattern = re.compile(r"\b(" + "|".join(map(re.escape, REAL_BODY_MARKERS)) + r")\b", re.I)
        assert not [name for pair in names for name in pair if pattern.search(name)]

    def test_no_sample_organization_shares_a_name_with_a_real_one(self, demo):
        real = {
            name.casefold()
            for name in Organization.objects.filter(is_sample=False).values_list("name", flat=True)
        }
        assert real  # the real councils' member organizations
        sample = Organization.objects.filter(is_sample=True).values_list("name", flat=True)
        assert not {name for name in sample if name.casefold() in real}

    def test_no_invented_person_sits_at_a_real_organization(self, demo):
        assert not CouncilMembership.objects.filter(
            is_sample=True, organization__is_sample=False
        ).exists()

    def test_every_sector_a_council_needs_still_has_seats(self, demo):
        seated = set(
            CouncilMembership.objects.filter(is_sample=True).values_list(
                "organization__sector__slug", flat=True
            )
        )
        needed = {"municipal", "settlement", "school-boards", "health", "police", "libraries"}
        assert needed <= seated
        assert {"employers", "post-secondary", "francophone", "provincial", "federal"} <= seated

    def test_a_real_organization_with_a_generated_name_is_never_reused(self, demo):
        calgary = Partnership.objects.get(slug="calgary-local-immigration-partnership")
        generated = (
            CouncilMembership.objects.filter(
                council__partnership=calgary, organization__sector__slug="municipal"
            )
            .values_list("organization__name", flat=True)
            .first()
        )
        remove_sample_data()
        real = Organization.objects.create(name=generated, province="AB", is_sample=False)

        load_demo_data(today=TODAY)

        assert not real.council_memberships.exists()
        renamed = Organization.objects.get(name=f"{generated} (sample)", province="AB")
        assert renamed.is_sample
        assert renamed.council_memberships.filter(council__partnership=calgary).exists()
