"""French record fields on /fr/ pages, English fallbacks marked lang="en", PLI/PZI badges."""

from __future__ import annotations

import json
import re

import pytest
from django.core.management import call_command
from django.utils import translation

from directory.labels import kind_abbreviation, localized_text
from partnerships.models import Partnership, WorkingGroup
from plans.models import CommunityPlan, Indicator, Priority
from tests.factories import WorkingGroupFactory
from tests.partnerships.admin_helpers import MODEL_BACKEND

DETAIL = "/partnerships/calgary-lip/"


@pytest.fixture(scope="session", autouse=True)
def _compiled_catalogue(django_db_blocker):
    """The .mo files are build products (gitignored): compile them for these tests."""
    call_command("compilemessages", "-l", "fr", "--ignore=.venv", verbosity=0)
    translation.trans_real._translations = {}
    yield


def body(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def bilingual_group(directory):
    return WorkingGroupFactory(
        partnership=directory.calgary,
        name="Employment Working Group",
        name_fr="Groupe de travail sur l'emploi",
        description="Matches newcomers with employers.",
        description_fr="Met en relation nouveaux arrivants et employeurs.",
        how_to_join="Write to the chair.",
        how_to_join_fr="Écrivez à la présidence.",
        meeting_frequency="Monthly",
        meeting_frequency_fr="Chaque mois",
    )


def test_french_working_group_texts_on_the_french_page(client, bilingual_group):
    page = body(client, f"/fr{DETAIL}")
    for text in ("Met en relation", "Écrivez à la présidence.", "Chaque mois"):
        assert text in page
    assert "Write to the chair." not in page


def test_english_working_group_texts_on_the_english_page(client, bilingual_group):
    page = body(client, DETAIL)
    assert "Write to the chair." in page
    assert "Écrivez" not in page


def test_french_page_marks_the_english_fallback(client, directory):
    # The housing group has only an English "how to join".
    page = body(client, f"/fr{DETAIL}")
    assert re.search(r'<dd lang="en">Write to <a href="mailto:clip@example.org"', page)


def test_french_text_is_not_marked_on_the_french_page(client, bilingual_group):
    page = body(client, f"/fr{DETAIL}")
    assert "<dd>Écrivez à la présidence.</dd>" in page


def test_english_page_marks_french_only_text(client, directory):
    WorkingGroup.objects.filter(name="Housing Working Group").update(
        how_to_join="", how_to_join_fr="Écrivez au comité."
    )
    page = body(client, DETAIL)
    assert '<dd lang="fr">Écrivez au comité.</dd>' in page


def test_plan_vision_priority_and_indicator_in_french(client, directory):
    CommunityPlan.objects.filter(pk=directory.plan.pk).update(
        vision="A welcoming Calgary.", vision_fr="Une Calgary accueillante."
    )
    Priority.objects.filter(plan=directory.plan).update(title_fr="Logement abordable")
    Indicator.objects.filter(name="Landlord info sessions").update(
        name_fr="Séances d'information pour propriétaires"
    )
    page = body(client, f"/fr{DETAIL}")
    assert "Une Calgary accueillante." in page
    assert "Logement abordable" in page
    assert "Séances d&#x27;information pour propriétaires" in page
    assert "A welcoming Calgary." not in page


def test_plan_title_without_french_is_marked_english(client, directory):
    page = body(client, f"/fr{DETAIL}")
    assert '<span lang="en">Calgary Community Plan</span>' in page
    assert '<span lang="en">Affordable housing</span>' in page


def test_partnership_name_fallback_is_marked_english_in_the_french_list(client, directory):
    page = body(client, "/fr/partnerships/?province=AB&kind=ZIP")
    assert re.search(r'<a href="/fr/partnerships/southern-alberta-zip/" lang="en">', page)


def test_partnership_with_a_french_name_is_not_marked(client, directory):
    page = body(client, "/fr/partnerships/?q=calgary")
    assert '<a href="/fr/partnerships/calgary-lip/">Partenariat local' in page


def test_french_list_shows_pli_and_pzi_badges(client, directory):
    page = body(client, "/fr/partnerships/?province=AB")
    badges = set(re.findall(r'<abbr class="kind" title="[^"]+">(\w+)</abbr>', page))
    assert badges == {"PLI", "PZI", "RIF"}


def test_english_list_keeps_lip_and_zip_badges(client, directory):
    page = body(client, "/partnerships/?province=AB")
    badges = set(re.findall(r'<abbr class="kind" title="[^"]+">(\w+)</abbr>', page))
    assert badges == {"LIP", "ZIP", "RIF"}


def test_french_detail_page_names_the_kind_pli(client, directory):
    assert "Partenariat local en matière d’immigration (PLI)" in body(client, f"/fr{DETAIL}")


def test_french_chip_reads_pzi(client, directory):
    page = body(client, "/fr/partnerships/?kind=ZIP")
    assert re.search(r'class="chip"[^>]*>.*PZI – ', page)


def test_french_map_reads_pli(client, directory):
    response = client.get("/fr/partnerships/map/?province=AB&kind=LIP")
    assert {entry["kind"] for entry in response.context["entries"]} == {"PLI"}
    page = response.content.decode()
    data = re.search(r'<script id="map-labels" type="application/json">(.*?)</script>', page)
    assert json.loads(data.group(1))["kinds"]["LIP"]["abbr"] == "PLI"


def test_kind_filter_value_stays_lip_in_french(client, directory):
    page = body(client, "/fr/partnerships/")
    assert 'value="LIP"' in page


def test_localized_text_knows_its_language(directory):
    partnership = Partnership(name="Réseau X", name_fr="Réseau X")
    with translation.override("en"):
        text = localized_text(partnership, "name")
        assert (str(text), text.lang, text.foreign) == ("Réseau X", "fr", True)
    with translation.override("fr"):
        assert localized_text(partnership, "name").foreign is False


def test_kind_abbreviation_per_language():
    with translation.override("fr"):
        assert [kind_abbreviation(k) for k in ("LIP", "ZIP", "RIF")] == ["PLI", "PZI", "RIF"]
    with translation.override("en"):
        assert kind_abbreviation("LIP") == "LIP"


@pytest.mark.parametrize(
    "url",
    [
        "/admin/partnerships/workinggroup/add/",
        "/admin/plans/communityplan/add/",
        "/admin/plans/priority/add/",
        "/admin/plans/action/add/",
        "/admin/plans/indicator/add/",
    ],
)
def test_admin_offers_the_french_fields(client, admin_user, url):
    client.force_login(admin_user, backend=MODEL_BACKEND)
    page = client.get(url).content.decode()
    assert re.search(r'name="\w+_fr"', page)
