"""Database housekeeping that several bulk loaders share."""

from __future__ import annotations

from django.db import connection, models


def refresh_statistics(models_: list[type[models.Model]]) -> None:
    """On PostgreSQL, ``ANALYZE`` the tables a bulk load just filled (and their link tables).

    Until autovacuum gets to them, the planner plans the next queries (a reload's removal, the
    pages, near-me) with the statistics of the tables as they were, possibly empty: nested
    loops over thousands of rows, minutes instead of milliseconds. Inside a transaction,
    ``ANALYZE`` also counts the rows this transaction wrote. Other databases: nothing to do.
    """
    if connection.vendor != "postgresql":
        return
    tables = {model._meta.db_table for model in models_}
    tables |= {
        field.remote_field.through._meta.db_table
        for model in models_
        for field in model._meta.many_to_many
    }
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in sorted(tables)))
