"""PartnershipFilter: every filter alone and combined, validation, and the near-me search."""

from __future__ import annotations

import math

import pytest
from django.http import QueryDict

from directory.filters import PartnershipFilter
from partnerships.models import Partnership


def slugs(query: str) -> list[str]:
    filterset = PartnershipFilter(QueryDict(query), queryset=Partnership.objects.all())
    return [p.slug for p in filterset.qs]


def run(query: str) -> PartnershipFilter:
    return PartnershipFilter(QueryDict(query), queryset=Partnership.objects.all())


def test_no_filter_lists_everything_in_a_stable_order(directory):
    result = slugs("")
    assert len(result) == Partnership.objects.count()
    assert result == slugs("")
    provinces = [Partnership.objects.get(slug=s).province for s in result]
    assert provinces == sorted(provinces)


def test_kind_repeatable(directory):
    assert set(slugs("kind=RIF")) == {"rif-alberta", "rif-nouveau-brunswick"}
    assert set(slugs("kind=RIF&kind=ZIP")) == {
        "rif-alberta",
        "rif-nouveau-brunswick",
        "southern-alberta-zip",
    }


def test_codes_accept_lower_case(directory):
    assert slugs("kind=rif&province=nb") == ["rif-nouveau-brunswick"]


def test_province_repeatable(directory):
    assert set(slugs("province=PE&province=NB")) == {"pei-lip", "rif-nouveau-brunswick"}


def test_focus_by_slug_matches_any_and_lists_each_once(directory):
    result = slugs("focus=housing&focus=employment")
    assert sorted(result) == ["calgary-lip", "edmonton-lip", "southern-alberta-zip"]


def test_language_french_includes_bilingual(directory):
    assert set(slugs("language=fr")) == {"rif-alberta", "rif-nouveau-brunswick", "toronto-east-lip"}
    assert slugs("language=en-fr") == ["toronto-east-lip"]
    assert "toronto-east-lip" in slugs("language=en")
    assert "rif-alberta" not in slugs("language=en")


@pytest.mark.parametrize("term", ["reseau", "RÉSEAU", "Réseau", "  réseau  "])
def test_text_search_is_accent_and_case_insensitive(directory, term):
    assert set(slugs(f"q={term}")) == {"rif-alberta", "rif-nouveau-brunswick"}


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("CLIP", {"calgary-lip"}),  # acronym
        ("partenariat", {"calgary-lip"}),  # French name
        ("nouveaux arrivants", {"calgary-lip"}),  # French description, two words
        ("Medicine Hat", {"southern-alberta-zip"}),  # served community
        ("canadienne-française", {"rif-alberta"}),  # host organization, accents
        ("East Toronto", {"toronto-east-lip"}),  # alias
        ("brooks county", {"southern-alberta-zip"}),  # words in different fields
        ("nothing-like-this", set()),
    ],
)
def test_text_search_fields(directory, term, expected):
    assert set(slugs(f"q={term}")) == expected


def test_text_search_escapes_like_wildcards(directory):
    assert slugs("q=%25") == []
    assert slugs("q=_") == []


def test_combinations(directory):
    assert slugs("kind=LIP&province=AB&focus=housing") == ["calgary-lip", "edmonton-lip"]
    assert slugs("kind=LIP&province=AB&focus=housing&q=calgary") == ["calgary-lip"]
    assert slugs("kind=RIF&language=fr&province=AB") == ["rif-alberta"]
    assert slugs("kind=ZIP&province=NB") == []


def hand_km(lat1, lon1, lat2, lon2):
    """Haversine written out independently of the code under test."""
    dlat, dlon = math.radians(lat2 - lat1), math.radians(lon2 - lon1)
    a = (
        math.sin(dlat / 2) ** 2
        + math.cos(math.radians(lat1)) * math.cos(math.radians(lat2)) * math.sin(dlon / 2) ** 2
    )
    return 6371.0088 * 2 * math.asin(math.sqrt(a))


def test_near_sorts_by_distance_to_nearest_served_community(directory):
    filterset = run("near=Calgary&radius=400")
    result = list(filterset.qs)
    calgary = (51.05011, -114.08529)
    expected = {
        "calgary-lip": 0.0,
        "canmore-lip": hand_km(*calgary, 51.08335, -115.34882),
        # Southern Alberta's nearest community is Lethbridge, not Brooks or Medicine Hat.
        "southern-alberta-zip": min(
            hand_km(*calgary, 50.56478, -111.89890),
            hand_km(*calgary, 49.69999, -112.81856),
            hand_km(*calgary, 50.05006, -110.66834),
        ),
        "edmonton-lip": hand_km(*calgary, 53.55014, -113.46871),
    }
    ordered_by_hand = sorted(expected, key=expected.get)
    assert [p.slug for p in result] == ["rif-alberta", *ordered_by_hand]
    for p in result[1:]:
        assert filterset.near_match(p).distance_km == pytest.approx(expected[p.slug], abs=0.06)
    assert filterset.near_match(result[0]).covers_province


def test_near_default_radius_is_50_km(directory):
    filterset = run("near=T1R")
    assert filterset.is_valid()
    assert float(filterset.form.cleaned_data["radius"]) == 50
    assert [p.slug for p in filterset.qs] == ["rif-alberta", "southern-alberta-zip"]


def test_near_combines_with_other_filters(directory):
    assert slugs("near=Calgary&radius=400&kind=LIP") == [
        "calgary-lip",
        "canmore-lip",
        "edmonton-lip",
    ]


def test_province_wide_partnership_of_another_province_is_not_listed(directory):
    assert "pei-lip" not in slugs("near=Moncton&radius=50")
    assert slugs("near=C1A&radius=5") == ["pei-lip"]


@pytest.mark.parametrize(
    "query",
    [
        "province=ZZ",
        "kind=XYZ",
        "focus=no-such-focus",
        "language=de",
        "radius=abc&near=Brooks",
        "radius=0&near=Brooks",
        "radius=100000&near=Brooks",
        "radius=NaN&near=Brooks",
        "radius=1e400&near=Brooks",
        "near=Atlantis",
        "q=" + "x" * 10_000,
        "near=" + "y" * 500,
        "focus=12345678901234567890",
    ],
)
def test_invalid_parameters_filter_nothing_at_all(directory, query):
    filterset = run(query + "&kind=LIP")
    assert not filterset.is_valid()
    assert list(filterset.qs) == []
    assert filterset.active_filters() == []


def test_active_filters_for_chips(directory):
    filterset = run("kind=LIP&province=AB&focus=housing&language=fr&q=Réseau&near=T1R&radius=80")
    assert filterset.is_valid()
    params = [(c.param, c.value) for c in filterset.active_filters()]
    assert params == [
        ("kind", "LIP"),
        ("province", "AB"),
        ("focus", "housing"),
        ("language", "fr"),
        ("q", "Réseau"),
        ("near", "T1R"),
    ]
    labels = [c.label for c in filterset.active_filters()]
    assert "Alberta" in labels
    assert any("80 km" in label for label in labels)


def test_kind_and_province_filters_need_no_distinct(directory):
    # Columns of the row itself: a DISTINCT over every column cost 40 ms at 10,000.
    assert "DISTINCT" not in str(run("province=AB&province=ON&kind=LIP").qs.query).upper()
