"""Whether the database holds any sample row: the site-wide "sample data" notice reads this.

Every page asks, so the answer is cached (``SAMPLE_FLAG_KEY``, ``SAMPLE_FLAG_TIMEOUT`` seconds)
instead of costing a query per request. The cached value is forgotten:

- when a sample row is saved or deleted one at a time (admin, ``create()``): model signals,
  connected in ``DemoConfig.ready`` for every model with the sample flag;
- when the demo set is loaded or removed (bulk inserts and raw deletes send no signals):
  ``load_demo_data`` and ``remove_sample_data`` call :func:`forget_sample_flag`, again when
  their transaction commits;
- after ``SAMPLE_FLAG_TIMEOUT`` anyway, which bounds how long another process (a command run
  beside the server, with a per-process cache) can show a stale answer.

Inside a transaction the database is asked directly and nothing is cached: the transaction
may hold uncommitted sample rows (or roll them back), and a value read there must not be
shared with other requests. Test cases run inside a transaction, so they always see the
truth.

A page does not pay a query of its own for it: ``directory.revision.request_revision`` reads
:func:`sample_flag_expression` in the revision query every page runs anyway, whenever the
answer is not cached, and remembers it on the request (``SAMPLE_FLAG_ATTR``).
"""

from __future__ import annotations

import operator
from functools import reduce
from typing import Any

from django.core.cache import cache
from django.db import connections, router, transaction
from django.db.models import BooleanField, Exists, ExpressionWrapper, Q

from partnerships.models import Council

SAMPLE_FLAG_KEY = "demo:sample-data-present"
SAMPLE_FLAG_TIMEOUT = 60
#: Where a request remembers the answer (read by the notice's context and the page cache).
SAMPLE_FLAG_ATTR = "_sample_data_present"


def _query() -> bool:
    """One query: does any model with the sample flag have a flagged row?

    The union stops at the first row found; councils come first, as every demo load makes some.
    """
    from demo.removal import sample_models

    models = sorted(sample_models(), key=lambda model: model is not Council)
    queries = [m._base_manager.filter(is_sample=True).order_by().values_list("pk") for m in models]
    first, rest = queries[0], queries[1:]
    return bool(list(first.union(*rest, all=True)[:1]))


def sample_flag_expression() -> ExpressionWrapper:
    """The same question as one SQL boolean (``EXISTS … OR EXISTS …``), for a query that is
    run anyway: ``directory.revision`` reads it with the data revision, so that a page asks
    the database once for both (see :func:`cached_sample_flag`)."""
    from demo.removal import sample_models

    models = sorted(sample_models(), key=lambda model: model is not Council)
    found = [Q(Exists(m._base_manager.filter(is_sample=True).order_by())) for m in models]
    return ExpressionWrapper(reduce(operator.or_, found), output_field=BooleanField())


def _cacheable() -> bool:
    return not connections[router.db_for_read(Council)].in_atomic_block


def cached_sample_flag() -> bool | None:
    """The cached answer, or ``None`` when the database must be asked (nothing cached, or
    inside a transaction, where nothing is cached)."""
    if not _cacheable():
        return None
    present = cache.get(SAMPLE_FLAG_KEY)
    return None if present is None else bool(present)


def remember_sample_flag(present: bool) -> None:
    """Keep an answer read from the database (not inside a transaction: see the module doc)."""
    if _cacheable():
        cache.set(SAMPLE_FLAG_KEY, present, SAMPLE_FLAG_TIMEOUT)


def sample_data_present() -> bool:
    """True when any sample row exists (cached outside transactions, see the module doc)."""
    present = cached_sample_flag()
    if present is None:
        present = _query()
        remember_sample_flag(present)
    return present


def forget_sample_flag(using: str | None = None) -> None:
    """Drop the cached answer now and again when the current transaction commits."""
    cache.delete(SAMPLE_FLAG_KEY)
    connection = connections[using or router.db_for_write(Council)]
    if connection.in_atomic_block:
        transaction.on_commit(lambda: cache.delete(SAMPLE_FLAG_KEY), using=connection.alias)


def forget_on_sample_change(sender: Any, instance: Any, using: str, **kwargs: Any) -> None:
    """Signal receiver: a sample row was saved or deleted, so the answer may have changed."""
    if getattr(instance, "is_sample", False):
        forget_sample_flag(using)
