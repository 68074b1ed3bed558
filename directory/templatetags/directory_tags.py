"""Template helpers for the public directory: language links."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context: dict[str, Any]) -> list[dict[str, Any]]:
    """This very page (path and query string) in each language; works without JavaScript."""
    request = context.get("request")
    current = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
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
