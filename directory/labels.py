"""Text the public pages share: bilingual record fields with their language, kind abbreviations."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, pgettext

from partnerships.models import Partnership


def page_language() -> str:
    """The active language's base code ("en", "fr")."""
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


def kind_abbreviation(kind: str) -> str:
    """The abbreviation of a partnership kind in the active language (French: PLI, PZI, RIF).

    The stored code stays LIP/ZIP/RIF (it is also the ``kind=`` filter value); only what
    people read changes with the language.
    """
    abbreviations = {
        Partnership.Kind.LIP: pgettext("abbreviation of Local Immigration Partnership", "LIP"),
        Partnership.Kind.ZIP: pgettext("abbreviation of Zonal Immigration Partnership", "ZIP"),
        Partnership.Kind.RIF: pgettext("abbreviation of Francophone Immigration Network", "RIF"),
    }
    return abbreviations.get(kind, kind)


class LocalizedText(str):
    """A record's text in the page's language when it has it, knowing which language it is in.

    Printed, it is the plain (escaped) text; ``lang_attr`` is `` lang="en"`` when the text is
    not in the page's language (a French page falling back to English, or French text on an
    English page) so screen readers pronounce it right, and ``html`` wraps it in a span.
    """

    lang: str
    page_lang: str

    def __new__(cls, text: str, lang: str, page_lang: str) -> LocalizedText:
        value = super().__new__(cls, text)
        value.lang = lang
        value.page_lang = page_lang
        return value

    @property
    def foreign(self) -> bool:
        return bool(self) and self.lang != self.page_lang

    @property
    def lang_attr(self) -> SafeString:
        return format_html(' lang="{}"', self.lang) if self.foreign else mark_safe("")

    @property
    def html(self) -> SafeString:
        if self.foreign:
            return format_html('<span lang="{}">{}</span>', self.lang, str(self))
        return format_html("{}", str(self))


def localized_text(obj: Any, field: str) -> LocalizedText:
    """``field`` of ``obj`` in the page's language, else the other one, tagged with its language.

    English lives in ``field`` and French in ``field_fr``; a value equal to the French one
    (a network whose only name is French) counts as French.
    """
    current = page_language()
    english = (getattr(obj, field, "") or "") if obj is not None else ""
    french = (getattr(obj, f"{field}_fr", "") or "") if obj is not None else ""
    if current == "fr" and french:
        return LocalizedText(french, "fr", current)
    if english:
        return LocalizedText(english, "fr" if english == french else "en", current)
    return LocalizedText(french, "fr", current)
