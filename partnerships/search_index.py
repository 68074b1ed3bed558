"""The stored search column and French sort key of a partnership, and how they stay current.

Why a stored column: matching ``q`` by folding nine columns and two related tables at query
time (``translate(lower(col)) LIKE``) cannot use an index and costs seconds at 10,000
partnerships. Instead every partnership keeps ``search_text``: the accent- and case-folded
text of everything ``q`` looks in, one part per line. A search term (never containing
whitespace) matches exactly when it is a substring of one part, as before, and the filter
is one ``LIKE`` per term on one column. On PostgreSQL a GIN trigram index (migration 0009)
serves that ``LIKE '%term%'``; on SQLite it is a fast scan of one column, no Python call per
row.

Trigram rather than full-text search: ``q`` matches substrings ("toronto" in
"torontoeast", part of a hyphenated name, an acronym inside a word), which a tsvector of
whole words would not, and SQLite would then answer differently from PostgreSQL.

The column is written by :meth:`Partnership.save` (its own fields) and by
:func:`refresh_search_text` (its own fields plus served community and host organization
names): called from signals when served places, hosts, a community's or a host's name
change, and by every bulk writer after its inserts (``Partnership.objects.refresh_search_text()``).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import connections, router, transaction

#: Columns of Partnership that ``q`` looks in (related names are added by the refresh).
TEXT_FIELDS = (
    "name",
    "name_fr",
    "acronym",
    "aliases",
    "main_community",
    "communities_served_text",
    "host_organization",
    "description",
    "description_fr",
)

# Letters that are not a base letter plus a combining accent, and typographic variants of
# the apostrophe and hyphen people type as ASCII.
_SPECIAL = str.maketrans(
    {
        "œ": "oe",
        "æ": "ae",
        "ø": "o",
        "đ": "d",
        "ł": "l",
        "ı": "i",
        "’": "'",
        "‘": "'",
        "ʼ": "'",
        "‐": "-",
        "‑": "-",
        "–": "-",
        "—": "-",
    }
)


# Combining marks (accents) left by NFKD decomposition.
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """Lowercase ``text``, drop accents and spell out ligatures: "Cœur-Île" -> "coeur-ile".

    ``casefold`` turns ß into ss; NFKD splits accented letters into letter and accent.
    """
    text = text.casefold()
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    return _COMBINING.sub("", decomposed)


def search_terms(value: str, limit: int) -> list[str]:
    """The folded words of a query, at most ``limit`` (each must match somewhere)."""
    return [term for term in (fold(word) for word in value.split()) if term][:limit]


def search_document(values: dict[str, Any], related_names: Iterable[str] = ()) -> str:
    """The folded text ``q`` matches: one line per field value and related name.

    Parts are joined by a line break, which no search term contains, so a term never
    matches across two fields.
    """
    parts = [str(values.get(name) or "") for name in TEXT_FIELDS]
    parts.extend(related_names)
    return fold("\n".join(part for part in parts if part))


# -- French sort key (SQLite; PostgreSQL orders with the ICU collation) ----------------------

# Accents in the order ICU's root collation weighs them (secondary weights).
_ACCENT_ORDER = {
    mark: index + 1
    for index, mark in enumerate(
        "\u0301\u0300\u0306\u0302\u030c\u030a\u0308\u030b\u0303\u0307\u0327\u0328\u0304"
    )
}
_SEPARATOR = "\x01"


def sort_key(name: str) -> str:
    """A key whose plain (binary) order is French dictionary order, as ICU's fr-CA gives.

    Three levels, like a collation: letters without accents or case ("eau" < "ecole"), then
    accents compared from the end of the word as Canadian French does ("cote" < "côte" <
    "coté"), then case with lower case first ("ecole" < "Ecole"). Used to order names on
    SQLite, which has no ICU; punctuation is ordered by code point, a close approximation.
    """
    levels = [_char_levels(char) for char in name]
    primary = "".join(letters for letters, _, _ in levels)
    # fr-CA: accents compare from the end of the name, so their string is reversed.
    accents = "".join(weights for _, weights, _ in levels)[::-1]
    cases = "".join(case for _, _, case in levels)
    return _SEPARATOR.join((primary, accents, cases))


@functools.lru_cache(maxsize=4096)
def _char_levels(char: str) -> tuple[str, str, str]:
    """One character's letters, accent weights and case weights for :func:`sort_key`."""
    base = fold(char)
    marks = [c for c in unicodedata.normalize("NFD", char) if unicodedata.combining(c)]
    weight = sum(_ACCENT_ORDER.get(mark, len(_ACCENT_ORDER) + 1) for mark in marks)
    case = "b" if char != char.lower() else ("c" if len(base) > 1 else "a")
    weights = "".join(chr(0x21 + (weight if index == 0 else 0)) for index in range(len(base)))
    return base, weights, case * len(base)


# -- keeping the column current ----------------------------------------------------------


def related_names(partnership_ids: Iterable[int]) -> dict[int, list[str]]:
    """Served community and host organization names per partnership (two queries)."""
    from .models import Partnership, ServedCommunity

    ids = list(partnership_ids)
    names: dict[int, list[str]] = defaultdict(list)
    served = ServedCommunity.objects.filter(partnership_id__in=ids).order_by("community__name")
    for partnership_id, name in served.values_list("partnership_id", "community__name"):
        names[partnership_id].append(name)
    hosts = Partnership.host_organizations.through.objects.filter(partnership_id__in=ids)
    for partnership_id, name, name_fr in hosts.order_by("organization__name").values_list(
        "partnership_id", "organization__name", "organization__name_fr"
    ):
        names[partnership_id].extend(n for n in (name, name_fr) if n)
    return names


BATCH = 1000


def refresh_search_text(partnership_ids: Iterable[int] | None = None) -> int:
    """Recompute ``search_text`` and ``sort_name`` of these partnerships (all when None).

    For bulk writers (their inserts send no signal) and the signals below: a few queries
    per thousand partnerships, and only changed rows are written. Returns how many changed.
    """
    from .models import Partnership

    rows = Partnership.objects.order_by("pk")
    if partnership_ids is not None:
        wanted = sorted(set(partnership_ids))
        batches = [wanted[i : i + BATCH] for i in range(0, len(wanted), BATCH)]
    else:
        all_ids = list(rows.values_list("pk", flat=True))
        batches = [all_ids[i : i + BATCH] for i in range(0, len(all_ids), BATCH)]
    changed = 0
    for batch in batches:
        names = related_names(batch)
        fields = ("pk", "search_text", "sort_name", *TEXT_FIELDS)
        stale = []
        for values in rows.filter(pk__in=batch).values(*fields):
            text = search_document(values, names.get(values["pk"], ()))
            key = sort_key(values["name"])
            if text != values["search_text"] or key != values["sort_name"]:
                stale.append((text, key, values["pk"]))
        if stale:
            _write(stale)
            changed += len(stale)
    return changed


def _write(rows: list[tuple[str, str, int]]) -> None:
    """One prepared UPDATE run for many rows: ``bulk_update``'s CASE expressions are slow."""
    from .models import Partnership

    connection = connections[router.db_for_write(Partnership)]
    quote = connection.ops.quote_name
    # Only quoted constant identifiers are interpolated; values go as parameters.
    sql = (
        f"UPDATE {quote(Partnership._meta.db_table)} SET {quote('search_text')} = %s, "  # noqa: S608
        f"{quote('sort_name')} = %s WHERE {quote('id')} = %s"
    )
    # One transaction: outside one, SQLite would commit (and sync the disk) once per row.
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.executemany(sql, rows)


# -- signals: served places and hosts change without saving the partnership -----------------


def _refresh_served(sender: Any, instance: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    refresh_search_text([instance.partnership_id])


def _refresh_m2m(sender: Any, instance: Any, action: str, reverse: bool, **kwargs: Any) -> None:
    """``partnership.communities.add()``, ``organization.hosted_partnerships.clear()``..."""
    from .models import Partnership

    if reverse:
        # ``instance`` is the community or organization; ``pk_set`` the partnerships.
        if action == "pre_clear":
            through = sender.objects.filter(**{_reverse_field(sender, instance): instance.pk})
            instance._search_clear_ids = list(through.values_list("partnership_id", flat=True))
            return
        if action == "post_clear":
            ids = getattr(instance, "_search_clear_ids", [])
        elif action in ("post_add", "post_remove"):
            ids = list(kwargs.get("pk_set") or ())
        else:
            return
    elif action in ("post_add", "post_remove", "post_clear") and isinstance(instance, Partnership):
        ids = [instance.pk]
    else:
        return
    if ids:
        refresh_search_text(ids)


def _reverse_field(through: Any, instance: Any) -> str:
    for field in through._meta.get_fields():
        if getattr(field, "related_model", None) is type(instance):
            return f"{field.name}_id"
    raise LookupError(through)


def _refresh_named(sender: Any, instance: Any, created: bool = False, **kwargs: Any) -> None:
    """A renamed community or host organization: the partnerships that name it."""
    from .models import Community, Partnership

    if kwargs.get("raw") or created:
        return
    if isinstance(instance, Community):
        ids = Partnership.objects.filter(served__community=instance).values_list("pk", flat=True)
    else:
        ids = instance.hosted_partnerships.values_list("pk", flat=True)
    ids = list(ids)
    if ids:
        refresh_search_text(ids)


def _remember_hosted(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Before an organization is deleted (its host links go without a signal)."""
    instance._search_hosted_ids = list(instance.hosted_partnerships.values_list("pk", flat=True))


def _refresh_hosted(sender: Any, instance: Any, **kwargs: Any) -> None:
    ids = getattr(instance, "_search_hosted_ids", [])
    if ids:
        refresh_search_text(ids)


def connect_signals() -> None:
    """Called once from ``PartnershipsConfig.ready``."""
    from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

    from .models import Community, Organization, Partnership, ServedCommunity

    post_save.connect(_refresh_served, sender=ServedCommunity, dispatch_uid="search-served-save")
    post_delete.connect(_refresh_served, sender=ServedCommunity, dispatch_uid="search-served-del")
    for through in (Partnership.communities.through, Partnership.host_organizations.through):
        m2m_changed.connect(_refresh_m2m, sender=through, dispatch_uid=f"search-m2m-{through}")
    for model in (Community, Organization):
        post_save.connect(_refresh_named, sender=model, dispatch_uid=f"search-name-{model}")
    pre_delete.connect(_remember_hosted, sender=Organization, dispatch_uid="search-host-pre-del")
    post_delete.connect(_refresh_hosted, sender=Organization, dispatch_uid="search-host-del")
