"""Bad input: a 400 in the API's JSON error shape naming the parameter, never a 500."""

from __future__ import annotations

import pytest

LIST = "/api/partnerships/"
GEOJSON = "/api/partnerships.geojson"


def errors(response) -> dict:
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/")
    return response.json()["errors"]


@pytest.mark.parametrize("url", [LIST, GEOJSON])
@pytest.mark.parametrize(
    ("params", "param"),
    [
        ({"kind": "XYZ"}, "kind"),
        ({"province": "ZZ"}, "province"),
        ({"focus": "no-such-focus"}, "focus"),
        ({"language": "de"}, "language"),
        ({"near": "Brookz"}, "near"),
        ({"near": "Brooks", "radius": "-4"}, "radius"),
        ({"near": "Brooks", "radius": "1e308"}, "radius"),
        ({"near": "Brooks", "radius": "nan"}, "radius"),
        ({"q": "x" * 500}, "q"),
    ],
)
def test_invalid_filter_is_a_400_naming_it(client, directory, url, params, param):
    assert list(errors(client.get(url, params))) == [param]


@pytest.mark.parametrize(
    ("params", "param"),
    [
        ({"page": "0"}, "page"),
        ({"page": "two"}, "page"),
        ({"page": "99999999999999999999999999"}, "page"),
        ({"page": "7"}, "page"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "101"}, "page_size"),
        ({"page_size": "1.5"}, "page_size"),
    ],
)
def test_invalid_pagination_is_a_400_naming_it(client, directory, params, param):
    assert list(errors(client.get(LIST, params))) == [param]


def test_every_invalid_parameter_is_named_at_once(client, directory):
    assert set(errors(client.get(LIST, {"kind": "XYZ", "page_size": "500"}))) == {
        "kind",
        "page_size",
    }


def test_unknown_place_suggests_a_spelling(client, directory):
    (message,) = errors(client.get(LIST, {"near": "Brookz"}))["near"]
    assert "Brooks, AB" in message


def test_unknown_format_is_a_400_naming_it(client, directory):
    assert list(errors(client.get(LIST, {"format": "xml"}))) == ["format"]


@pytest.mark.parametrize(
    "query",
    [
        "q=%F0%9F%98%80%E2%80%AE",  # emoji, right-to-left override
        "q=%FF%FE",  # not UTF-8
        "kind=LIP&kind=LIP&kind=ZIP",  # repeated
        "near=" + "9" * 90,
        "page=1&page=2",
        "unknown=1",
    ],
)
def test_hostile_but_harmless_input_is_answered(client, directory, query):
    assert client.get(f"{LIST}?{query}").status_code in (200, 400)


def test_nul_byte_is_refused_before_any_query(client, directory):
    assert client.get(f"{LIST}?q=a%00b").status_code == 400


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_are_refused(client, directory, method):
    response = getattr(client, method)(LIST)
    assert response.status_code == 405
    assert "errors" in response.json()


def test_one_address_gives_one_answer_whatever_the_browser_language(client, directory):
    """The API has no language prefix: its data carries both languages, its messages are
    English, so a cached answer or a 304 is right for every caller."""
    english = client.get(LIST, {"page": "9"})
    french = client.get(LIST, {"page": "9"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert errors(french) == errors(english)
    assert french["ETag"] == english["ETag"]


def test_nul_character_in_an_api_parameter_is_a_json_400_naming_it(client):
    response = client.get("/api/partnerships/", {"q": "ab\x00c"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert list(response.json()["errors"]) == ["q"]
