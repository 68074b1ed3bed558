"""Case- and accent-insensitive text matching that behaves the same on SQLite and PostgreSQL.

PostgreSQL's ``unaccent`` needs ``CREATE EXTENSION`` (a migration) and SQLite has no such
function at all, so both databases use the standard ``translate(lower(x), from, to)`` instead.
PostgreSQL ships ``translate``; on SQLite the same function is registered on every new
connection. Accented capitals are listed too because SQLite's ``lower()`` (and PostgreSQL's
under the C locale) only lowercases ASCII. Search terms go through :func:`fold` in Python,
which applies the very same mapping, so both sides of the comparison agree.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.signals import connection_created
from django.db.models import CharField, TextField, Transform, Value

# Each plain letter followed by the accented letters (upper and lower case) folded into it.
_FOLDS = {
    "a": "ÀÁÂÃÄÅàáâãäå",
    "c": "Çç",
    "e": "ÈÉÊËèéêë",
    "i": "ÌÍÎÏìíîï",
    "n": "Ññ",
    "o": "ÒÓÔÕÖØòóôõöø",
    "u": "ÙÚÛÜùúûü",
    "y": "ÝýÿŸ",
}
ACCENTED = "".join(_FOLDS.values())
PLAIN = "".join(plain * len(accented) for plain, accented in _FOLDS.items())

_TABLE = str.maketrans(ACCENTED, PLAIN)


def fold(text: str) -> str:
    """Lowercase ``text`` and strip French accents, exactly as the database side does."""
    return text.lower().translate(_TABLE)


def _sqlite_translate(value: Any, source: str, target: str) -> Any:
    """SQL ``translate(value, source, target)`` for SQLite, with PostgreSQL's semantics."""
    if value is None or source is None or target is None:
        return None
    mapping = {}
    for index, char in enumerate(source):
        if ord(char) not in mapping:
            mapping[ord(char)] = target[index] if index < len(target) else None
    return str(value).translate(mapping)


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
        return sql, [*params, *source_params, *target_params]


CharField.register_lookup(Folded)
TextField.register_lookup(Folded)
