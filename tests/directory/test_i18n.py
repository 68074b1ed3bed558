"""English unprefixed, French under /fr/, and a language switcher that keeps the filters."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.utils import translation


@pytest.fixture(scope="session", autouse=True)
def _compiled_catalogue(django_db_blocker):
    """The .mo files are build products (gitignored): compile them for these tests."""
    call_command("compilemessages", "-l", "fr", "--ignore=.venv", verbosity=0)
    translation.trans_real._translations = {}
    yield


def switcher_links(body: str) -> dict[str, str]:
    return {
        code: href.replace("&amp;", "&")
        for href, code in re.findall(
            r'<a href="([^"]*)" lang="\w+" hreflang="\w+" data-language="(\w+)"', body
        )
    }


def test_english_is_unprefixed_and_french_prefixed(client, directory):
    english = client.get("/partnerships/")
    french = client.get("/fr/partnerships/")
    assert english.status_code == french.status_code == 200
    assert '<html lang="en">' in english.content.decode()
    assert '<html lang="fr">' in french.content.decode()


def test_french_interface_strings(client, directory):
    body = client.get("/fr/partnerships/").content.decode()
    assert "Partenariats" in body
    assert "Filtrer" in body or "Appliquer" in body
    assert "Aller au contenu principal" in body
    assert "Skip to main content" not in body


def test_french_names_and_descriptions_where_they_exist(client, directory):
    body = client.get("/fr/partnerships/calgary-lip/").content.decode()
    assert "<h1>Partenariat local en matière d&#x27;immigration de Calgary (CLIP)</h1>" in body
    assert "La table de Calgary" in body
    assert "Logement" in body  # focus area in French
    # English-only records fall back to English.
    body = client.get("/fr/partnerships/edmonton-lip/").content.decode()
    assert "Edmonton Local Immigration Partnership" in body


def test_switcher_keeps_page_and_query_string(client, directory):
    body = client.get("/partnerships/?kind=RIF&province=AB&q=r%C3%A9seau").content.decode()
    links = switcher_links(body)
    assert links == {"fr": "/fr/partnerships/?kind=RIF&province=AB&q=r%C3%A9seau"}
    body = client.get("/fr/partnerships/?kind=RIF&province=AB").content.decode()
    assert switcher_links(body) == {"en": "/partnerships/?kind=RIF&province=AB"}
    body = client.get("/fr/partnerships/calgary-lip/").content.decode()
    assert switcher_links(body) == {"en": "/partnerships/calgary-lip/"}


def test_french_near_me_and_errors(client, directory):
    body = client.get("/fr/partnerships/?near=T1R").content.decode()
    assert "Quels partenariats" in body
    response = client.get("/fr/partnerships/?province=ZZ")
    assert response.status_code == 400
    assert "Il y a un problème" in response.content.decode()


def test_french_home(client, directory):
    body = client.get("/fr/").content.decode()
    assert "Partenariats en immigration du Canada" in body or "partenariats" in body.lower()
    assert 'href="/fr/partnerships/?province=AB"' in body


def test_french_filter_choices(client, directory):
    body = client.get("/fr/partnerships/").content.decode()
    assert re.search(r">Logement \(\d+\)</label>", body)  # with its partnership count
    assert "Domaines d’action connus pour" in body or "Focus areas are known" not in body
    assert ">Colombie-Britannique</label>" in body
    assert ">Réseau en immigration francophone</label>" in body
