"""Property-based fuzzing of every public URL and parameter: never a server error.

The URLs are discovered from the URLconf (every named route outside the admin and the
language switch), so a page or API endpoint added later is fuzzed without touching this file.
Path parameters are drawn from the converters' own patterns and from real slugs and years;
query strings mix every filter name with hostile values (any Unicode, surrogates, huge
strings, SQL and formula fragments, repeated keys).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote_from_bytes, urlencode

import pytest
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import LocalePrefixPattern, RoutePattern
from django.utils import translation
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from directory.filters import PartnershipFilter

#: Route prefixes that are not public pages (the admin has its own tests; i18n/ is a POST).
PRIVATE_PREFIXES = ("admin/", "i18n/")


@dataclass(frozen=True)
class Route:
    """A named URL pattern: its full name, route text, path converters, and language prefix."""

    name: str
    route: str
    converters: tuple[tuple[str, object], ...]
    localized: bool


def public_routes() -> list[Route]:
    """Every named, public route of the project's URLconf."""
    found: list[Route] = []

    def walk(patterns, namespaces, route, converters, localized):
        for entry in patterns:
            pattern = entry.pattern
            text = route + (str(pattern) if isinstance(pattern, RoutePattern) else "")
            conv = dict(converters)
            conv.update(getattr(pattern, "converters", {}) or {})
            here_localized = localized or isinstance(pattern, LocalePrefixPattern)
            if text.startswith(PRIVATE_PREFIXES):
                continue
            if isinstance(entry, URLResolver):
                spaces = [*namespaces, entry.namespace] if entry.namespace else namespaces
                walk(entry.url_patterns, spaces, text, conv, here_localized)
            elif isinstance(entry, URLPattern) and entry.name:
                name = ":".join([*namespaces, entry.name])
                found.append(Route(name, text, tuple(sorted(conv.items())), here_localized))

    walk(get_resolver().url_patterns, [], "", {}, False)
    return found


ROUTES = public_routes()
SLUGS = ["calgary-lip", "southern-alberta-zip", "rif-alberta", "rif-nouveau-brunswick"]
FILTER_KEYS = sorted(PartnershipFilter.base_filters)
OTHER_KEYS = ["page", "per_page", "format", "year", "lang", "ordering", "page_size", "callback"]
HOSTILE = [
    "",
    "0",
    "-1",
    "1e400",
    "NaN",
    "99999999999999999999999",
    "réseau",
    "%",
    "_",
    "'; DROP TABLE partnerships_partnership; --",
    '=HYPERLINK("http://x")',
    "<script>alert(1)</script>",
    "x" * 5_000,
    "\x00",
    "T1R 0A1",
    "Toronto, ON",
    "ON",
    "LIP",
    "true",
    "csv",
    "json",
    "geojson",
]
any_text = st.text(max_size=200)  # any Unicode: control characters and lone surrogates too


def path_value(converter: object) -> st.SearchStrategy[str]:
    """Values for one path parameter: real ones often, anything its pattern accepts too."""
    regex = getattr(converter, "regex", "[^/]+")
    drawn = st.from_regex(rf"\A{regex}\Z", fullmatch=True).filter(lambda v: 0 < len(v) < 300)
    if type(converter).__name__ == "IntConverter":
        return st.one_of(st.sampled_from(["2024", "2025", "2026", "1", "0"]), drawn)
    return st.one_of(st.sampled_from(SLUGS), drawn)


queries = st.lists(
    st.tuples(
        st.one_of(st.sampled_from(FILTER_KEYS + OTHER_KEYS), any_text),
        st.one_of(st.sampled_from(HOSTILE), any_text),
    ),
    max_size=6,
)


def _encoded(pairs: list[tuple[str, str]]) -> str:
    return urlencode(
        [(k.encode("utf-8", "surrogatepass"), v.encode("utf-8", "surrogatepass")) for k, v in pairs]
    )


def _read(response) -> bytes:
    """The whole body: a streamed file that fails halfway fails the test too."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def test_discovery_finds_the_public_pages_and_the_api():
    names = {route.name for route in ROUTES}

    assert {"directory:partnership-list", "directory:partnership-detail"} <= names
    assert any(name.startswith("api:") for name in names)
    assert not any(route.route.startswith("admin/") for route in ROUTES)


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.name)
def test_every_public_route_answers_without_a_server_error(client, directory, route):
    kwargs = {
        name: ("calgary-lip" if type(conv).__name__ != "IntConverter" else "2026")
        for name, conv in route.converters
    }
    try:
        url = reverse(route.name, kwargs=kwargs or None)
    except NoReverseMatch:
        pytest.skip(f"{route.name}: no example value for its parameters")
    response = client.get(url)
    _read(response)
    assert response.status_code < 500, (url, response.status_code)


@pytest.mark.slow
@pytest.mark.django_db
@settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_public_url_or_parameter_makes_a_server_error(client, directory, data):
    route = data.draw(st.sampled_from(ROUTES), label="route")
    kwargs = {name: data.draw(path_value(conv), label=name) for name, conv in route.converters}
    language = data.draw(st.sampled_from(["en", "fr"])) if route.localized else "en"
    with translation.override(language):
        try:
            url = reverse(route.name, kwargs=kwargs or None)
        except NoReverseMatch:
            assume(False)
    pairs = data.draw(queries, label="query")
    response = client.get(f"{url}?{_encoded(pairs)}")
    _read(response)
    assert response.status_code < 500, (url, pairs, response.status_code)


@pytest.mark.slow
@pytest.mark.django_db
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(route=st.sampled_from(ROUTES), raw=st.binary(max_size=300))
def test_raw_bytes_in_any_query_string(client, directory, route, raw):
    kwargs = {
        name: ("calgary-lip" if type(conv).__name__ != "IntConverter" else "2026")
        for name, conv in route.converters
    }
    try:
        url = reverse(route.name, kwargs=kwargs or None)
    except NoReverseMatch:
        assume(False)
    key = FILTER_KEYS[len(raw) % len(FILTER_KEYS)]
    response = client.get(f"{url}?{key}={quote_from_bytes(raw)}&{quote_from_bytes(raw)}=1")
    _read(response)
    assert response.status_code < 500, (url, raw, response.status_code)
