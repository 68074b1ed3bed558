"""The real data set: 101 partnerships and 3,250 GeoNames places loaded from fixtures/."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from partnerships.models import Community, Partnership, Province, ServedCommunity, Source
from partnerships.realdata import load_real_data

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _real_data_rows(shared_rows):
    """The real data set, loaded once for this module (see ``shared_rows`` in conftest)."""
    return shared_rows.build(load_real_data)


@pytest.fixture
def real_data(_real_data_rows, shared_rows, db):
    """The load report; what a test writes on top of the data is rolled back after it."""
    return shared_rows.fresh(_real_data_rows)


def test_loads_101_partnerships_85_lips_3_zips_13_rifs(real_data):
    counts = {kind: Partnership.objects.filter(kind=kind).count() for kind in ("LIP", "ZIP", "RIF")}
    assert counts == {"LIP": 85, "ZIP": 3, "RIF": 13}


def test_loads_all_3250_places_as_communities(real_data):
    assert Community.objects.filter(geonames_id__isnull=False).count() == 3250


def test_every_province_code_is_valid_and_none_is_quebec(real_data):
    provinces = set(Partnership.objects.values_list("province", flat=True))
    assert provinces <= {p.value for p in Province}
    assert "QC" not in provinces


def test_every_partnership_that_is_not_province_wide_serves_a_place_with_coordinates(real_data):
    for partnership in Partnership.objects.filter(is_province_wide=False):
        places = partnership.communities.exclude(latitude__isnull=True).exclude(
            longitude__isnull=True
        )
        assert places.exists(), partnership.slug


def test_bilingual_name_is_split_into_english_and_french(real_data):
    moncton = Partnership.objects.get(slug="greater-moncton-local-immigration-partnership")
    assert moncton.name == "Greater Moncton Local Immigration Partnership"
    assert moncton.name_fr == "Partenariat local en matière d'immigration du Grand Moncton"
    assert moncton.languages == "en-fr"


def test_former_name_goes_to_aliases_not_the_display_name(real_data):
    halifax = Partnership.objects.get(slug="halifax-immigration-partnership")
    assert halifax.name == "Halifax Immigration Partnership"
    assert "formerly" not in halifax.name
    assert "Halifax Local Immigration Partnership" in halifax.aliases.splitlines()


def test_rif_names_are_french_in_both_name_fields(real_data):
    rifa = Partnership.objects.get(acronym="RIFA")
    assert rifa.name == rifa.name_fr == "Réseau en immigration francophone de l'Alberta"
    assert rifa.languages == "fr"


def test_province_wide_rifs_and_pei_are_flagged_but_ontario_rifs_are_regional(real_data):
    province_wide = set(
        Partnership.objects.filter(is_province_wide=True).values_list("acronym", flat=True)
    )
    assert "PIP" in province_wide
    assert Partnership.objects.filter(kind="RIF", is_province_wide=True).count() == 10
    ontario_rifs = Partnership.objects.filter(kind="RIF", province="ON")
    assert ontario_rifs.count() == 3
    assert not ontario_rifs.filter(is_province_wide=True).exists()
    assert all(rif.communities.exists() for rif in ontario_rifs)


def test_regions_map_to_their_member_places(real_data):
    durham = Partnership.objects.get(slug="durham-local-immigration-partnership")
    names = set(durham.communities.values_list("name", flat=True))
    assert {"Ajax", "Oshawa", "Whitby", "Pickering", "Bowmanville"} <= names


def test_sources_are_loaded_in_the_fixture_order_with_confidence(real_data):
    calgary = Partnership.objects.get(slug="calgary-local-immigration-partnership")
    urls = list(calgary.sources.values_list("url", flat=True))
    assert urls[:2] == [
        "https://www.calgarylip.ca/new-about",
        "https://www.calgarycitynews.com/2017/02/hundreds-of-newcomers-and-refugees-met.html",
    ]
    assert calgary.confidence == "high"
    assert Partnership.objects.filter(confidence="low").count() >= 2


def test_every_served_place_says_how_it_is_known(real_data):
    bases = set(ServedCommunity.objects.values_list("basis", flat=True))
    assert bases <= set(ServedCommunity.Basis.values)
    assert ServedCommunity.objects.filter(basis=ServedCommunity.Basis.NAMED).exists()
    assert ServedCommunity.objects.exclude(basis=ServedCommunity.Basis.NAMED).exists()


def test_unknown_host_stays_empty(real_data):
    grande_prairie = Partnership.objects.get(slug="grande-prairie-local-immigration-partnership")
    assert grande_prairie.host_organization == ""
    assert grande_prairie.host_type == ""


def test_ottawa_and_oxford_share_an_acronym_but_not_a_slug(real_data):
    olips = Partnership.objects.filter(acronym__startswith="OLIP")
    assert olips.count() == 2
    assert len(set(olips.values_list("slug", flat=True))) == 2


def test_in_development_row_gets_that_status(real_data):
    muskoka = Partnership.objects.get(slug="muskoka-local-immigration-partnership")
    assert muskoka.status == Partnership.Status.IN_DEVELOPMENT
    assert "development" not in muskoka.name


def test_reload_is_idempotent_including_served_places(real_data):
    def snapshot():
        return (
            Partnership.objects.count(),
            Community.objects.count(),
            list(ServedCommunity.objects.order_by("pk").values_list("pk", "basis")),
            Partnership.focus_areas.through.objects.count(),
            list(Source.objects.order_by("pk").values_list("pk", "title", "url")),
            Partnership.history.count(),
            ServedCommunity.history.count(),
            Source.history.count(),
        )

    before = snapshot()
    report = load_real_data()
    assert snapshot() == before
    assert len(report.unchanged) == 101


def test_reload_keeps_coordinators_and_skips_confirmed_records(real_data, django_user_model):
    partnership = Partnership.objects.get(slug="calgary-local-immigration-partnership")
    user = django_user_model.objects.create_user(username="coord", password="x")
    partnership.coordinators.add(user)
    partnership.name = "Edited by a coordinator"
    partnership.last_confirmed = datetime.date(2026, 11, 1)
    partnership.save()

    report = load_real_data()

    partnership.refresh_from_db()
    assert partnership.slug in report.kept_confirmed
    assert partnership.name == "Edited by a coordinator"
    assert list(partnership.coordinators.all()) == [user]
    assert partnership.last_confirmed == datetime.date(2026, 11, 1)


def test_reload_restores_fixture_fields_of_unconfirmed_records(real_data):
    Partnership.objects.filter(slug="calgary-local-immigration-partnership").update(name="Typo")
    load_real_data()
    assert Partnership.objects.get(slug="calgary-local-immigration-partnership").name == (
        "Calgary Local Immigration Partnership"
    )


def test_command_reports_what_it_loaded(capsys):
    call_command("load_real_data")
    assert "Partnerships: 101 created" in capsys.readouterr().out


# -- no product code reads the research folder -------------------------------------------

PRODUCT_PACKAGES = ("partnerships", "plans", "directory", "config", "demo", "funders")
OUTSIDE_REPO = re.compile(r"\.\./shared|parent\s*/\s*[\"']shared[\"']")


def test_no_product_code_points_outside_the_repository():
    base = Path(settings.BASE_DIR)
    offenders = [
        str(path.relative_to(base))
        for package in PRODUCT_PACKAGES
        for path in sorted((base / package).rglob("*.py"))
        if OUTSIDE_REPO.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
