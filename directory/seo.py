"""Canonical and alternate-language URLs of the public pages, for search engines and previews.

Decision for the list and the map: the canonical URL keeps the browsable facets (``kind``,
``province``, ``focus``, ``language``, the plan facets ``has_plan`` and ``plan_priority``, and
``page`` while the page size is the default) in a stable order and drops everything else: free
text (``q``), near-me searches (``near``, ``radius``), ``per_page``, tracking parameters and
values that are not valid. A facet page
("LIPs in Alberta") is a page worth indexing; a postal code or a typed phrase is one person's
search, whose results are a subset of the facet page it points to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import translate_url

from partnerships.models import Partnership, Province

#: Facet parameters a canonical URL keeps, with the rule a value must meet to be kept.
FACETS: dict[str, re.Pattern[str] | frozenset[str]] = {
    "kind": frozenset(Partnership.Kind.values),
    "province": frozenset(Province.values),
    "focus": re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$"),
    "language": frozenset(Partnership.Languages.values),
    # Plan facets ("partnerships working on affordable housing"): indexable like ``focus``.
    "has_plan": frozenset({"yes", "no"}),
    "plan_priority": re.compile(r"^(characteristic|focus):[a-z0-9][a-z0-9-]{0,59}$"),
}
#: Facets the list filters by one value only (the last one given, as ``QueryDict.get``).
SINGLE_VALUED = frozenset({"has_plan", "plan_priority"})
FILTERED_PAGES = {"partnership-list", "partnership-map"}
OG_LOCALES = {"en": "en_CA", "fr": "fr_CA"}


@dataclass(frozen=True)
class Alternate:
    code: str
    url: str


@dataclass(frozen=True)
class PageUrls:
    canonical: str
    alternates: list[Alternate]
    x_default: str
    og_locale: str
    og_locale_alternates: list[str]


def _valid(rule: re.Pattern[str] | frozenset[str], value: str) -> bool:
    if isinstance(rule, frozenset):
        return value in rule
    return bool(rule.match(value))


def canonical_query(query: QueryDict) -> str:
    """The facets of ``query`` that a canonical URL keeps, sorted and deduplicated."""
    pairs: list[tuple[str, str]] = []
    for param, rule in FACETS.items():
        values = {v.strip() for v in query.getlist(param)}
        if param in SINGLE_VALUED:
            values = {query.getlist(param)[-1].strip()} if values else set()
        if param in ("kind", "province"):
            values = {v.upper() for v in values}
        pairs += [(param, v) for v in sorted(values) if v and _valid(rule, v)]
    page = query.get("page", "").strip()
    if page.isdigit() and int(page) > 1 and "per_page" not in query:
        pairs.append(("page", str(int(page))))
    return urlencode(pairs)


def page_urls(request: HttpRequest, language: str) -> PageUrls:
    """Absolute canonical URL of this page, and the same page in every language."""
    match = getattr(request, "resolver_match", None)
    query = ""
    if match is not None and match.url_name in FILTERED_PAGES:
        query = canonical_query(request.GET)
    path = request.path + (f"?{query}" if query else "")
    alternates = [
        Alternate(code, request.build_absolute_uri(translate_url(path, code)))
        for code, _name in settings.LANGUAGES
    ]
    by_code = {a.code: a.url for a in alternates}
    canonical = by_code.get(language, request.build_absolute_uri(path))
    return PageUrls(
        canonical=canonical,
        alternates=alternates,
        x_default=by_code.get(settings.LANGUAGE_CODE, canonical),
        og_locale=OG_LOCALES.get(language, language),
        og_locale_alternates=[
            OG_LOCALES.get(a.code, a.code) for a in alternates if a.code != language
        ],
    )


ROBOTS_LINES = [
    "User-agent: *",
    "Disallow: /admin/",
    "Disallow: /fr/admin/",
    "Disallow: /i18n/",
    "Disallow: /fr/i18n/",
    "Disallow: /partnerships/export.csv",
    "Disallow: /fr/partnerships/export.csv",
    "Allow: /",
]


def robots_txt(request: HttpRequest) -> HttpResponse:
    """Crawlers may read the public directory, not the workspace, downloads or language posts."""
    return HttpResponse("\n".join(ROBOTS_LINES) + "\n", content_type="text/plain; charset=utf-8")
