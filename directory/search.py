"""Accent-folded matching: the ``q`` filter's column and a lookup for small tables.

The public search (``q``) matches the stored ``Partnership.search_text`` column (see
``partnerships.search_index``): one ``LIKE`` per term, indexed on PostgreSQL. This module
keeps two helpers for the rest of the directory:

- :func:`fold`, the one folding rule (re-exported from ``partnerships.search_index``);
- the ``__folded`` lookup, for the few small-table matches that have no stored column
  (geocoding a typed town name against ``Community.name``). It folds in SQL with the
  standard ``translate(lower(x), from, to)`` plus ``replace`` for the ligatures, which
  PostgreSQL ships and SQLite gets registered on each new connection, so both databases
  and :func:`fold` agree on every letter the table lists.
"""

from __future__ import annotations

import functools
from typing import Any

from django.db.backends.signals import connection_created
from django.db.models import CharField, QuerySet, TextField, Transform, Value

from partnerships.search_index import fold


def _one_char_folds() -> tuple[str, str, dict[str, str]]:
    """Letters :func:`fold` maps to one letter, and the French/German ligatures it spells out."""
    accented, plain, ligatures = [], [], {}
    for code in list(range(0xC0, 0x250)) + [0x2018, 0x2019, 0x02BC, 0x2010, 0x2011, 0x2013, 0x2014]:
        char = chr(code)
        folded = fold(char)
        if folded == char or not folded:
            continue
        if len(folded) == 1:
            accented.append(char)
            plain.append(folded)
        elif char.lower() in "æœ" and char.lower() != char:
            accented.append(char)  # capital ligature: lower-cased here, spelled out below
            plain.append(char.lower())
        elif char in "æœß":
            ligatures[char] = folded
    return "".join(accented), "".join(plain), ligatures


ACCENTED, PLAIN, LIGATURES = _one_char_folds()


def refresh_search_columns(partnerships: QuerySet) -> int:
    """Bulk writers: recompute the search column of ``partnerships`` (see E_interface)."""
    return partnerships.refresh_search_text()


@functools.lru_cache(maxsize=16)
def _translation(source: str, target: str) -> dict[int, str | None]:
    """The ``str.translate`` table of SQL ``translate``: built once, not once per row."""
    mapping: dict[int, str | None] = {}
    for index, char in enumerate(source):
        if ord(char) not in mapping:
            mapping[ord(char)] = target[index] if index < len(target) else None
    return mapping


def _sqlite_translate(value: Any, source: str, target: str) -> Any:
    """SQL ``translate(value, source, target)`` for SQLite, with PostgreSQL's semantics."""
    if value is None or source is None or target is None:
        return None
    return str(value).translate(_translation(source, target))


def register_sqlite_functions(sender: Any, connection: Any, **kwargs: Any) -> None:
    """Give every new SQLite connection the ``translate`` function PostgreSQL has built in."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("translate", 3, _sqlite_translate, deterministic=True)


connection_created.connect(register_sqlite_functions, dispatch_uid="directory_sqlite_translate")


class Folded(Transform):
    """``field__folded__contains=fold(term)``: accent- and case-insensitive matching."""

    lookup_name = "folded"
    output_field = TextField()

    def as_sql(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, list]:
        lhs, params = compiler.compile(self.lhs)
        source_sql, source_params = compiler.compile(Value(ACCENTED))
        target_sql, target_params = compiler.compile(Value(PLAIN))
        sql = f"translate(lower({lhs}), {source_sql}, {target_sql})"
        params = [*params, *source_params, *target_params]
        for ligature, spelled in LIGATURES.items():
            sql = f"replace({sql}, %s, %s)"
            params.extend([ligature, spelled])
        return sql, params


CharField.register_lookup(Folded)
TextField.register_lookup(Folded)
