"""When did the public data last change? One query, shared by every app server.

``current_revision()`` reads the single ``Revision`` row; ``bump_revision()`` moves it on.
Model signals (connected in ``DirectoryConfig.ready``) bump it whenever a row of the
partnerships or plans apps is saved or deleted one at a time (admin, imports, ``create()``);
bulk loaders (``load_real_data``, ``load_demo_data``, ``remove_sample_data``,
``seed_synthetic``), whose inserts send no signal, call ``bump_revision()`` themselves.

Views use :func:`revision_etag` and :func:`revision_last_modified` with Django's
``condition`` decorator (see :func:`conditional_on_revision`), so that an unchanged page
answers 304 and a change in the admin shows at once.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import F, OuterRef, Subquery, TextField
from django.db.models.functions import Cast
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import condition

from demo.flags import (
    SAMPLE_FLAG_ATTR,
    cached_sample_flag,
    remember_sample_flag,
    sample_data_present,
    sample_flag_expression,
)

from .models import FacetCounts, Revision

REVISION_PK = 1
#: Apps whose rows are public data (their historical models and sample flags included).
TRACKED_APPS = ("partnerships", "plans")
_REQUEST_ATTR = "_directory_revision"
#: Set on a connection when the revision is read: a later change in the same block must bump.
_READ_SINCE_BUMP = "directory_revision_read_since_bump"


@dataclass(frozen=True)
class RevisionState:
    """The revision's number and time, read without building a model instance (every cached
    page hit reads it, so it is kept cheap)."""

    number: int
    changed_at: datetime.datetime
    #: The sample-data flag (``demo.flags``) when it was read in the same query, else None.
    sample_flag: bool | None = field(default=None, compare=False)
    #: The filter counts stored for this revision (``FacetCounts.data``), as JSON text, or
    #: None when none are stored yet (see :func:`stored_facets`).
    facets_json: str | None = field(default=None, compare=False, repr=False)


def current_revision(*, with_sample_flag: bool = False) -> RevisionState:
    """The revision (one query; the row is created on first use); with the sample-data flag
    (``demo.flags``) read in the same query when asked."""
    setattr(connections[DEFAULT_DB_ALIAS], _READ_SINCE_BUMP, True)
    stored = FacetCounts.objects.filter(number=OuterRef("number")).values("data")[:1]
    rows = Revision.objects.filter(pk=REVISION_PK).annotate(
        # As text: decoded only by the pages that use the counts (the list's filter form).
        facets_json=Cast(Subquery(stored), output_field=TextField())
    )
    columns = ["number", "changed_at", "facets_json"]
    if with_sample_flag:
        rows = rows.annotate(sample_flag=sample_flag_expression())
        columns.append("sample_flag")
    found = list(rows.values_list(*columns)[:1])
    if not found:
        revision, _ = Revision.objects.get_or_create(
            pk=REVISION_PK, defaults={"changed_at": timezone.now()}
        )
        flag = sample_data_present() if with_sample_flag else None
        return RevisionState(revision.number, revision.changed_at, flag)
    number, changed_at, facets_json, *flag = found[0]
    return RevisionState(number, changed_at, bool(flag[0]) if flag else None, facets_json)


def stored_facets(state: RevisionState) -> dict[str, Any] | None:
    """The filter counts stored for ``state``'s revision, or None (none yet, or inside a
    transaction, whose rows and revision number may be rolled back and come again)."""
    if not state.facets_json or connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return None
    return json.loads(state.facets_json)


def store_facets(state: RevisionState, data: dict[str, Any]) -> None:
    """Keep ``data`` (JSON-ready, every part computed so far) as the filter counts of
    ``state``'s revision, over older ones or fewer parts (one query; the row is created on
    first use). Not inside a transaction (see :func:`stored_facets`). A request of an older
    revision finishing late changes nothing."""
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return
    rows = FacetCounts.objects.filter(pk=REVISION_PK, number__lte=state.number)
    if not rows.update(number=state.number, data=data):
        FacetCounts.objects.get_or_create(
            pk=REVISION_PK, defaults={"number": state.number, "data": data}
        )


def _bump(using: str) -> None:
    rows = Revision.objects.using(using).filter(pk=REVISION_PK)
    if not rows.update(number=F("number") + 1, changed_at=timezone.now()):
        Revision.objects.using(using).get_or_create(
            pk=REVISION_PK, defaults={"changed_at": timezone.now()}
        )


def bump_revision(using: str | None = None) -> None:
    """Move the revision on, now and again when the current transaction commits.

    The second bump makes a page rendered while the transaction was open (and cached under
    the first number) stale once the change is visible to other connections. Inside one
    atomic block (an import of 5,000 rows) it bumps once, not once per row, unless the
    revision was read in between (a page rendered in the same transaction, as in tests).
    """
    alias = using or DEFAULT_DB_ALIAS
    connection = connections[alias]
    if connection.in_atomic_block:
        # A pending commit bump of ours means this transaction already bumped, in this block or
        # an inner one since released (a rolled-back savepoint drops its callbacks, and its
        # UPDATE with them).
        registered = any(
            getattr(func, "directory_revision", None) == alias
            for _sids, func, _robust in connection.run_on_commit
        )
        if registered and not getattr(connection, _READ_SINCE_BUMP, False):
            return  # bumped in this block and nobody has read it since: the commit bumps again
        _bump(alias)
        setattr(connection, _READ_SINCE_BUMP, False)
        if not registered:
            on_commit = partial(_bump, alias)
            on_commit.directory_revision = alias  # type: ignore[attr-defined]
            transaction.on_commit(on_commit, using=alias)
    else:
        _bump(alias)


def bump_on_change(sender: type, **kwargs: Any) -> None:
    """Signal receiver: a public-data row changed."""
    if kwargs.get("raw"):  # loaddata: the loader bumps once at the end
        return
    bump_revision(kwargs.get("using"))


def request_revision(request: HttpRequest) -> RevisionState:
    """The revision, read once per request (ETag and Last-Modified share the query).

    Every page also needs the sample-data flag (the notice, the page cache's key): when it is
    not cached, it is read in the same query and remembered on the request, where
    ``demo.context_processors`` and ``directory.pagecache`` look first.
    """
    revision = getattr(request, _REQUEST_ATTR, None)
    if revision is None:
        if not hasattr(request, SAMPLE_FLAG_ATTR):
            cached = cached_sample_flag()
            if cached is not None:
                setattr(request, SAMPLE_FLAG_ATTR, cached)
        wants_flag = not hasattr(request, SAMPLE_FLAG_ATTR)
        revision = current_revision(with_sample_flag=wants_flag)
        if revision.sample_flag is not None:
            setattr(request, SAMPLE_FLAG_ATTR, revision.sample_flag)
            remember_sample_flag(revision.sample_flag)
        setattr(request, _REQUEST_ATTR, revision)
    return revision


def revision_etag(request: HttpRequest, *args: Any, **kwargs: Any) -> str:
    """A validator for this page as this visitor sees it at this revision.

    The language, the full address and, for a signed-in user, who they are: the same address
    renders differently for them (the admin link) and must never be served to someone else.
    """
    revision = request_revision(request)
    user = getattr(request, "user", None)
    who = str(user.pk) if user is not None and user.is_authenticated else "-"
    key = "|".join([str(revision.number), get_language() or "", request.get_full_path(), who])
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def revision_last_modified(request: HttpRequest, *args: Any, **kwargs: Any) -> datetime.datetime:
    return request_revision(request).changed_at


def conditional_on_revision(view: Callable) -> Callable:
    """Decorate a GET view so that unchanged pages answer 304 to conditional requests, and
    anonymous visitors get them from the page cache (``directory.pagecache``)."""
    from .pagecache import cached_page

    return condition(etag_func=revision_etag, last_modified_func=revision_last_modified)(
        cached_page(view)
    )
