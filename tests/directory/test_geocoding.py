"""The offline geocoder: postal codes, FSAs and place names, with suggestions when unknown."""

from __future__ import annotations

import math

import pytest

from directory.geocoding import (
    PlaceNotFound,
    bounding_box,
    geocode,
    haversine_km,
    normalize_postal_code,
    province_code,
)
from tests.factories import CommunityFactory

BROOKS_FSA = (50.5659, -111.8896)


@pytest.mark.parametrize("text", ["T1R 0A1", "t1r0a1", "T1R0A1", " t1r 0a1 ", "T1R-0A1"])
def test_full_postal_code_any_spelling(db, text):
    place = geocode(text)
    assert place.kind == "postal_code"
    assert (place.latitude, place.longitude) == pytest.approx(BROOKS_FSA)
    assert place.province == "AB"
    assert "T1R 0A1" in place.label and "Brooks" in place.label


@pytest.mark.parametrize("text", ["T1R", "t1r", " T1R "])
def test_forward_sortation_area(db, text):
    place = geocode(text)
    assert place.kind == "fsa"
    assert place.province == "AB"
    assert place.label.startswith("T1R")


def test_fsa_provinces_are_two_letter_codes(db):
    assert geocode("X1A").province == "NT"  # Yellowknife
    assert geocode("C1A").province == "PE"
    assert geocode("E1C").province == "NB"


def test_place_name_without_province(directory):
    place = geocode("Brooks")
    assert place.kind == "place"
    assert place.label == "Brooks, AB"
    assert place.latitude == pytest.approx(50.56478)


@pytest.mark.parametrize("text", ["Canmore, AB", "canmore, ab", "CANMORE,Alberta", "Canmore AB"])
def test_place_name_with_province(directory, text):
    place = geocode(text)
    assert place.label == "Canmore, AB"
    assert place.province == "AB"


def test_place_name_is_accent_insensitive(directory):
    assert geocode("montreal").label == "Montréal, QC"


def test_ambiguous_place_prefers_the_larger_and_lists_the_others(directory):
    place = geocode("Richmond")
    assert place.label == "Richmond, BC"
    assert place.alternatives == ("Richmond, ON",)
    assert geocode("Richmond, ON").label == "Richmond, ON"


def test_province_filter_applies_to_place_name(directory):
    with pytest.raises(PlaceNotFound):
        geocode("Brooks, ON")


def test_unknown_place_suggests_close_names(directory):
    with pytest.raises(PlaceNotFound) as info:
        geocode("Brookz")
    assert "Brooks, AB" in info.value.suggestions


def test_unknown_fsa_suggests_close_fsas(db):
    with pytest.raises(PlaceNotFound) as info:
        geocode("T9Z 1A1")  # no such FSA
    assert info.value.suggestions
    assert all(s.startswith("T") for s in info.value.suggestions)


@pytest.mark.parametrize("text", ["", "   ", "zzzzzz", "D1A", "12345"])
def test_nonsense_is_not_found(db, text):
    with pytest.raises(PlaceNotFound):
        geocode(text)


def test_postal_code_shapes():
    assert normalize_postal_code("k1a 0b1") == ("K1A", "0B1")
    assert normalize_postal_code("K1A") == ("K1A", "")
    assert normalize_postal_code("D1A 0B1") is None  # D is never a first letter
    assert normalize_postal_code("K1A 0B") is None


def test_province_names_in_both_languages():
    assert province_code("Alberta") == "AB"
    assert province_code("ab") == "AB"
    assert province_code("Nouveau-Brunswick") == "NB"
    assert province_code("Île-du-Prince-Édouard") == "PE"
    assert province_code("Northwest Territory") == "NT"
    assert province_code("Atlantis") is None


def hand_haversine(lat1, lon1, lat2, lon2):
    r = 6371.0088
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * r * math.atan2(math.sqrt(a), math.sqrt(1 - a))


def test_haversine_known_distance():
    # Calgary to Edmonton is about 280 km as the crow flies.
    km = haversine_km(51.05011, -114.08529, 53.55014, -113.46871)
    assert km == pytest.approx(hand_haversine(51.05011, -114.08529, 53.55014, -113.46871))
    assert 275 < km < 285
    assert haversine_km(50, -110, 50, -110) == 0


def test_bounding_box_contains_the_circle():
    min_lat, max_lat, min_lon, max_lon = bounding_box(50.0, -110.0, 100)
    assert haversine_km(50, -110, max_lat, -110) == pytest.approx(100, rel=1e-3)
    assert haversine_km(50, -110, 50, max_lon) >= 99.9
    assert min_lat < 50 < max_lat and min_lon < -110 < max_lon


@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        ("Île-Perrot", "ile-perrot"),
        ("ÉCOLE-VILLE", "ecole-ville"),
        ("Œuvreville", "oeuvreville"),
        ("Ærø Landing", "AERO LANDING"),
        ("Lac-Mégantic", "Lac-Megantic"),
        ("100 Mile House", "100 mile house"),
    ],
)
def test_place_name_found_whatever_its_first_letter_looks_like(db, stored, typed):
    CommunityFactory(name=stored, province="QC")
    assert geocode(f"{typed}, QC").label == f"{stored}, QC"
