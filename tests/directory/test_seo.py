"""What search engines and link previews read: description, canonical, hreflang, Open Graph."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.core.management import call_command
from django.utils import translation

from partnerships.models import Partnership

HOST = "http://testserver"


@pytest.fixture(scope="session", autouse=True)
def _compiled_catalogue(django_db_blocker):
    """The .mo files are build products (gitignored): compile them for these tests."""
    call_command("compilemessages", "-l", "fr", "--ignore=.venv", verbosity=0)
    translation.trans_real._translations = {}
    yield


def head(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code in (200, 400)
    body = response.content.decode()
    return body.split("</head>", 1)[0]


def meta(html: str, attribute: str, name: str) -> list[str]:
    pattern = rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">'
    return [unescape(value) for value in re.findall(pattern, html)]


def link(html: str, rel: str) -> list[tuple[str, str]]:
    """(hreflang, href) of each <link rel=...> (hreflang empty when absent)."""
    found = []
    for tag in re.findall(rf'<link rel="{rel}"[^>]*>', html):
        lang = re.search(r'hreflang="([^"]+)"', tag)
        href = re.search(r'href="([^"]+)"', tag)
        found.append((lang.group(1) if lang else "", unescape(href.group(1))))
    return found


PUBLIC_PAGES = [
    "/",
    "/partnerships/",
    "/partnerships/?province=AB&kind=LIP",
    "/partnerships/?near=t1r0a1",
    "/partnerships/map/",
    "/partnerships/calgary-lip/",
    "/fr/",
    "/fr/partnerships/calgary-lip/",
]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_every_public_page_has_one_meta_description(client, directory, url):
    descriptions = meta(head(client, url), "name", "description")
    assert len(descriptions) == 1
    assert len(descriptions[0]) > 30


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_every_public_page_has_open_graph_tags(client, directory, url):
    html = head(client, url)
    for name in ("og:title", "og:description", "og:url", "og:type", "og:locale"):
        assert meta(html, "property", name), name
    assert meta(html, "property", "og:url") == [link(html, "canonical")[0][1]]


def test_partnership_description_is_its_own_description(client, directory):
    html = head(client, "/partnerships/calgary-lip/")
    assert meta(html, "name", "description") == [
        "Calgary's table for newcomer settlement planning."
    ]


def test_partnership_description_in_french_on_the_french_page(client, directory):
    html = head(client, "/fr/partnerships/calgary-lip/")
    assert meta(html, "property", "og:description") == [
        "La table de Calgary pour planifier l'accueil des nouveaux arrivants."
    ]


def test_partnership_without_description_gets_a_factual_sentence(client, directory):
    html = head(client, "/partnerships/southern-alberta-zip/")
    assert meta(html, "name", "description") == [
        "Southern Alberta Zonal Immigration Partnership is a Zonal Immigration Partnership "
        "serving Brooks (Alberta). Its council, working groups, community plan, contacts "
        "and sources."
    ]


def test_long_description_is_cut_for_search_results(client, directory):
    Partnership.objects.filter(slug="calgary-lip").update(description="Word " * 200)
    (description,) = meta(head(client, "/partnerships/calgary-lip/"), "name", "description")
    assert len(description) <= 160
    assert description.endswith("…")


def test_detail_canonical_is_absolute_and_in_the_page_language(client, directory):
    html = head(client, "/fr/partnerships/calgary-lip/?utm_source=newsletter")
    assert link(html, "canonical") == [("", f"{HOST}/fr/partnerships/calgary-lip/")]


def test_hreflang_alternates_are_absolute_with_x_default(client, directory):
    html = head(client, "/fr/partnerships/calgary-lip/")
    assert link(html, "alternate") == [
        ("en", f"{HOST}/partnerships/calgary-lip/"),
        ("fr", f"{HOST}/fr/partnerships/calgary-lip/"),
        ("x-default", f"{HOST}/partnerships/calgary-lip/"),
    ]


def test_list_canonical_keeps_facets_in_order_and_drops_searches(client, directory):
    url = "/partnerships/?q=housing&province=ab&kind=ZIP&kind=LIP&near=t1r0a1&utm_source=x"
    html = head(client, url)
    expected = f"{HOST}/partnerships/?kind=LIP&kind=ZIP&province=AB"
    assert link(html, "canonical") == [("", expected)]
    assert ("fr", f"{HOST}/fr/partnerships/?kind=LIP&kind=ZIP&province=AB") in link(
        html, "alternate"
    )


def test_near_me_search_points_to_the_list(client, directory):
    html = head(client, "/partnerships/?near=t1r0a1&radius=80&per_page=20")
    assert link(html, "canonical") == [("", f"{HOST}/partnerships/")]


def test_list_canonical_keeps_the_page_number(client, directory):
    html = head(client, "/partnerships/?page=1")
    assert link(html, "canonical") == [("", f"{HOST}/partnerships/")]


def test_invalid_filter_values_stay_out_of_the_canonical(client, directory):
    html = head(client, "/partnerships/map/?province=ZZ&focus=<script>")
    assert link(html, "canonical") == [("", f"{HOST}/partnerships/map/")]


def test_open_graph_locale_and_its_alternate(client, directory):
    html = head(client, "/fr/partnerships/")
    assert meta(html, "property", "og:locale") == ["fr_CA"]
    assert meta(html, "property", "og:locale:alternate") == ["en_CA"]


def test_filtered_list_title_names_its_filters(client, directory):
    html = head(client, "/partnerships/?province=AB")
    assert meta(html, "property", "og:title") == ["Partnerships: Alberta"]


def test_partnership_title_is_its_name(client, directory):
    html = head(client, "/fr/partnerships/calgary-lip/")
    assert meta(html, "property", "og:title") == [
        "Partenariat local en matière d'immigration de Calgary"
    ]


def test_robots_txt_keeps_crawlers_out_of_the_workspace(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Disallow: /admin/" in lines
    assert "Disallow: /partnerships/" not in lines


def test_metadata_costs_no_query(rf, directory, django_assert_num_queries):
    from django.template import Context, Template
    from django.urls import resolve

    request = rf.get("/partnerships/?province=AB&kind=LIP")
    request.resolver_match = resolve(request.path)
    template = Template("{% load directory_tags %}{% page_meta 'Title' 'Description' %}")
    with django_assert_num_queries(0):
        html = template.render(Context({"request": request}))
    assert 'href="http://testserver/partnerships/?kind=LIP&amp;province=AB"' in html
