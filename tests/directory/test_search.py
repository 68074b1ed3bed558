"""Accent- and case-insensitive search on the stored column, and French name order."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from directory.filters import PartnershipFilter
from directory.search import ACCENTED, PLAIN, fold
from partnerships.models import Partnership, ServedCommunity
from partnerships.search_index import refresh_search_text, sort_key
from tests.factories import CommunityFactory, OrganizationFactory, PartnershipFactory


def test_fold_strips_french_accents_and_case():
    assert fold("RÉSEAU") == "reseau"
    assert fold("Île-du-Prince-Édouard") == "ile-du-prince-edouard"
    assert fold("Ça, c'est Noël") == "ca, c'est noel"
    assert len(ACCENTED) == len(PLAIN)


@pytest.mark.parametrize("term", ["reseau", "RÉSEAU", "Réseau", "réseau", "RESEAU"])
def test_database_folding_matches_python(directory, term):
    found = set(
        Partnership.objects.filter(name_fr__folded__contains=fold(term)).values_list(
            "slug", flat=True
        )
    ) | set(
        Partnership.objects.filter(name__folded__contains=fold(term)).values_list("slug", flat=True)
    )
    assert found == {"rif-alberta", "rif-nouveau-brunswick"}


def test_folded_lookup_handles_uppercase_accents_in_the_data(directory):
    directory.toronto.name = "ÉCOLE ÎLE"
    directory.toronto.save()
    assert Partnership.objects.filter(name__folded="ecole ile").count() == 1


# -- the stored search column (issue 13) -------------------------------------------------


def found(query: str) -> set[str]:
    filterset = PartnershipFilter(QueryDict(query), queryset=Partnership.objects.all())
    return {p.slug for p in filterset.qs}


def test_fold_spells_out_ligatures_and_sharp_s():
    assert fold("Cœur ŒUVRE Æther Straße") == "coeur oeuvre aether strasse"


def test_fold_turns_typographic_apostrophes_and_dashes_into_ascii():
    assert fold("L’Île–Saint‑Jean") == "l'ile-saint-jean"


@pytest.mark.django_db
@pytest.mark.parametrize("term", ["coeur", "cœur", "CŒUR", "Cœur"])
def test_search_matches_oe_ligature_either_way(term):
    PartnershipFactory(slug="coeur", name="Réseau du Cœur")
    assert found(f"q={term}") == {"coeur"}


@pytest.mark.django_db
@pytest.mark.parametrize("term", ["aetna", "ætna", "ÆTNA"])
def test_search_matches_ae_ligature_either_way(term):
    PartnershipFactory(slug="aetna", name="Ætna Partnership")
    assert found(f"q={term}") == {"aetna"}


@pytest.mark.django_db
def test_search_matches_typographic_apostrophe_with_ascii_one():
    PartnershipFactory(slug="ecole", name_fr="Réseau de l’école")
    assert found("q=l'ecole") == {"ecole"}
    assert found("q=l’École") == {"ecole"}


@pytest.mark.django_db
def test_search_text_follows_a_saved_field():
    partnership = PartnershipFactory(slug="p", acronym="")
    partnership.acronym = "ZQX"
    partnership.save()
    assert found("q=zqx") == {"p"}


@pytest.mark.django_db
def test_search_text_follows_a_save_with_update_fields():
    partnership = PartnershipFactory(slug="p")
    partnership.description = "Vergers et érablières"
    partnership.save(update_fields=["description"])
    assert found("q=erablieres") == {"p"}


@pytest.mark.django_db
def test_served_community_added_and_removed_changes_the_matches():
    partnership = PartnershipFactory(slug="p")
    place = CommunityFactory(name="Rivière-du-Loup")
    served = ServedCommunity.objects.create(partnership=partnership, community=place)
    assert found("q=riviere-du-loup") == {"p"}
    served.delete()
    assert found("q=riviere-du-loup") == set()


@pytest.mark.django_db
def test_communities_added_through_the_relation_are_searchable():
    partnership = PartnershipFactory(slug="p")
    place = CommunityFactory(name="Kapuskasing")
    partnership.communities.add(place)
    assert found("q=kapuskasing") == {"p"}
    place.partnerships.clear()
    assert found("q=kapuskasing") == set()


@pytest.mark.django_db
def test_renamed_community_is_searchable_by_its_new_name():
    place = CommunityFactory(name="Oldtown")
    PartnershipFactory(slug="p", communities=[place])
    place.name = "Nouvelle-Ville"
    place.save()
    assert found("q=nouvelle-ville") == {"p"}
    assert found("q=oldtown") == set()


@pytest.mark.django_db
def test_host_organization_names_are_searchable_and_follow_changes():
    host = OrganizationFactory(name="Harbourview Settlement Society", name_fr="")
    partnership = PartnershipFactory(slug="p")
    partnership.host_organizations.add(host)
    assert found("q=harbourview") == {"p"}
    host.name_fr = "Société d’établissement Harbourview"
    host.save()
    assert found("q=societe") == {"p"}
    host.hosted_partnerships.clear()
    assert found("q=harbourview") == set()


@pytest.mark.django_db
def test_bulk_refresh_fills_rows_inserted_without_signals():
    place = CommunityFactory(name="Bulkville")
    Partnership.objects.bulk_create(
        [Partnership(kind="LIP", name="Bulk Partnership", slug="bulk", province="AB")]
    )
    bulk = Partnership.objects.get(slug="bulk")
    ServedCommunity.objects.bulk_create([ServedCommunity(partnership=bulk, community=place)])
    assert found("q=bulkville") == set()
    assert Partnership.objects.filter(slug="bulk").refresh_search_text() == 1
    assert found("q=bulkville") == {"bulk"}
    assert refresh_search_text([bulk.pk]) == 0  # nothing changed: nothing written


@pytest.mark.django_db
def test_a_term_never_matches_across_two_fields():
    PartnershipFactory(slug="p", name="Alpha", acronym="Beta", main_community="")
    assert found("q=alphabeta") == set()
    assert found("q=alpha%20beta") == {"p"}


@pytest.mark.django_db
def test_search_is_one_like_per_term_on_the_stored_column():
    PartnershipFactory(slug="p", name="Réseau Nord")
    with CaptureQueriesContext(connection) as captured:
        assert found("q=reseau%20nord") == {"p"}
    sql = captured.captured_queries[-1]["sql"].lower()
    assert len(re.findall(r'"search_text"(?:::text)? like', sql)) == 2
    assert "translate" not in sql
    assert sql.count("select") == 1  # no subquery


NAMES_IN_FRENCH_ORDER = [
    "cote",
    "côte",
    "coté",
    "côté",
    "Eau",
    "Ecole",
    "école",
    "education",
    "Education",
    "Éducation",
    "Zone",
]
SHUFFLED = NAMES_IN_FRENCH_ORDER[6:] + NAMES_IN_FRENCH_ORDER[:6][::-1]


def test_sort_key_orders_names_the_french_way():
    assert sorted(SHUFFLED, key=sort_key) == NAMES_IN_FRENCH_ORDER


@pytest.mark.django_db
def test_list_orders_names_differing_by_accents_and_case_the_french_way():
    for index, name in enumerate(SHUFFLED):
        PartnershipFactory(slug=f"n{index}", name=name, province="QC")
    filterset = PartnershipFilter(QueryDict("province=QC"), queryset=Partnership.objects.all())
    assert [p.name for p in filterset.qs] == NAMES_IN_FRENCH_ORDER
