"""Template helpers for the public directory: language links, bilingual text, page metadata."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.text import Truncator
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from directory.labels import LocalizedText, kind_abbreviation, localized_text, page_language
from directory.seo import page_urls

register = template.Library()

#: Characters of a meta description: what search engines show before cutting.
DESCRIPTION_LENGTH = 160


@register.simple_tag(takes_context=True)
def language_links(context: dict[str, Any]) -> list[dict[str, Any]]:
    """This very page (path and query string) in each language; works without JavaScript."""
    request = context.get("request")
    current = page_language()
    full_path = request.get_full_path() if request is not None else "/"
    links = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        links.append(
            {
                "code": code,
                "name": info["name_local"],
                "url": translate_url(full_path, code),
                "current": code == current,
            }
        )
    return links


@register.simple_tag
def localized(obj: Any, field: str) -> LocalizedText:
    """``{% localized wg "how_to_join" as text %}<dd{{ text.lang_attr }}>{{ text }}</dd>``."""
    return localized_text(obj, field)


@register.filter
def kind_abbr(kind: str) -> str:
    """LIP/ZIP/RIF as the page's language writes it (PLI/PZI/RIF in French)."""
    return kind_abbreviation(kind)


@register.simple_tag
def partnership_summary(partnership: Any) -> str:
    """A one-sentence description of a partnership for search results and link previews.

    Its own description when it has one in the page's language (or the other), else a
    factual sentence built from its kind, place and province.
    """
    description = localized_text(partnership, "description")
    if description:
        text = " ".join(str(description).split())
        return Truncator(text).chars(DESCRIPTION_LENGTH)
    values = {
        "name": localized_text(partnership, "name"),
        "kind": partnership.get_kind_display(),
        "province": partnership.get_province_display(),
        "place": partnership.main_community,
    }
    if partnership.is_province_wide or not partnership.main_community:
        sentence = _("%(name)s is a %(kind)s in %(province)s.") % values
    else:
        sentence = _("%(name)s is a %(kind)s serving %(place)s (%(province)s).") % values
    return sentence + " " + _("Its council, working groups, community plan, contacts and sources.")


@register.inclusion_tag("directory/_meta.html", takes_context=True)
def page_meta(context: dict[str, Any], title: str, description: str) -> dict[str, Any]:
    """Meta description, canonical URL, hreflang alternates and Open Graph tags of a page."""
    request = context.get("request")
    language = page_language()
    urls = page_urls(request, language) if request is not None else None
    return {
        "title": " ".join(str(title).split()),
        "description": Truncator(" ".join(str(description).split())).chars(DESCRIPTION_LENGTH * 2),
        "urls": urls,
        "site_name": _("Partnership Directory"),
    }


@register.filter
def join_labels(chips: list[dict[str, str]]) -> str:
    """The applied filters as one phrase, for a page title ("Alberta, Housing")."""
    return ", ".join(str(chip["label"]) for chip in chips)
