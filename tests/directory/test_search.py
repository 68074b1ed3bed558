"""Accent- and case-insensitive search, identical in Python and in the database."""

from __future__ import annotations

import pytest

from directory.search import ACCENTED, PLAIN, fold
from partnerships.models import Partnership


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
