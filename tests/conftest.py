"""Project-wide pytest fixtures."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test import TestCase, TransactionTestCase

from tests.partnerships.admin_helpers import MODEL_BACKEND
from tests.partnerships.factories_admin import build_tree, coordinator_of

T = TypeVar("T")

SHARED_ROWS = "shared_rows"
TRANSACTIONAL_FIXTURES = {"transactional_db", "live_server", "django_db_reset_sequences"}


@pytest.fixture(autouse=True)
def _english_and_no_lockout(settings):
    """Every test starts in English with login rate-limiting off (tested on its own)."""
    settings.LANGUAGE_CODE = "en"
    settings.AXES_ENABLED = False


@pytest.fixture
def artifacts_dir():
    """Folder for screenshots and other test artifacts (kept after the run)."""
    path = settings.BASE_DIR / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path


@pytest.fixture
def world():
    """Two partnerships, A and B, each with every owned object, and a coordinator of A.

    The admin tests use it to prove that A's coordinator never reaches B's data. A module
    that needs a different set-up defines its own ``world``.
    """
    a = build_tree()
    b = build_tree()
    return a, b, coordinator_of(a["partnership"])


@pytest.fixture
def client_a(client, world):
    """A test client signed in as partnership A's coordinator."""
    client.force_login(world[2], backend=MODEL_BACKEND)
    return client


# --- Rows built once per module ----------------------------------------------------------
#
# A module whose tests all read the same data set builds it once, like Django's
# ``TestCase.setUpTestData``:
#
#     @pytest.fixture(scope="module")
#     def _rows(shared_rows):
#         return shared_rows.build(make_the_rows)
#
#     @pytest.fixture
#     def rows(_rows, shared_rows, db):
#         return shared_rows.fresh(_rows)
#
# ``build`` runs inside a transaction opened for the module and rolled back when the module
# ends. Each test still runs in its own savepoint inside it (the ``db`` fixture), so what a
# test writes is rolled back after it; ``fresh`` hands each test its own copy of the Python
# objects, so an attribute a test changes does not leak either. Tests of the module that do
# not use the rows never see them: they run first (see ``pytest_collection_modifyitems``),
# and the rows are rolled back before any such test that still comes after them.

_ACTIVE: set[SharedRows] = set()


class SharedRows:
    """One module's transaction holding rows shared by its tests."""

    def __init__(self, blocker: Any) -> None:
        self._blocker = blocker
        self._atomic: transaction.Atomic | None = None
        self.discarded = False

    def build(self, make: Callable[[], T]) -> T:
        """Run ``make()`` inside the module's transaction; return what it returns."""
        self._check()
        with self._blocker.unblock():
            if self._atomic is None:
                if connection.in_atomic_block:
                    raise RuntimeError(
                        "shared_rows.build() must run in a module-scoped fixture, before the "
                        "test's own transaction opens."
                    )
                self._atomic = transaction.atomic()
                self._atomic.__enter__()
            return make()

    def fresh(self, value: T) -> T:
        """A copy of ``value`` (model instances included) for one test."""
        self._check()
        return copy.deepcopy(value)

    def discard(self) -> None:
        """Roll the rows back; calling it again does nothing."""
        if self._atomic is None:
            return
        atomic, self._atomic = self._atomic, None
        self.discarded = True
        with self._blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)

    def _check(self) -> None:
        if self.discarded:
            raise RuntimeError(
                "The shared rows of this module were rolled back before a test that uses "
                "them: a test that does not use them ran in between (test order changed?)."
            )


@pytest.fixture(scope="module")
def shared_rows(django_db_setup, django_db_blocker) -> Iterator[SharedRows]:
    """The module's shared-rows transaction (see above); rolled back at the module's end."""
    rows = SharedRows(django_db_blocker)
    _ACTIVE.add(rows)
    try:
        yield rows
    finally:
        _ACTIVE.discard(rows)
        rows.discard()


def _uses_shared_rows(item: pytest.Item) -> bool:
    return SHARED_ROWS in getattr(item, "fixturenames", ())


def _is_transactional(item: pytest.Item) -> bool:
    cls = getattr(item, "cls", None)
    if cls is not None and issubclass(cls, TransactionTestCase):
        return not issubclass(cls, TestCase)
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    return bool(TRANSACTIONAL_FIXTURES & set(getattr(item, "fixturenames", ())))


def _django_order(item: pytest.Item) -> int:
    """pytest-django's order: database tests (0), transactional ones (1), the rest (2)."""
    if _is_transactional(item):
        return 1
    cls = getattr(item, "cls", None)
    if (cls is not None and issubclass(cls, TransactionTestCase)) or (
        item.get_closest_marker("django_db") or "db" in getattr(item, "fixturenames", ())
    ):
        return 0
    return 2


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Within each module, run the tests that use shared rows after those that do not.

    Runs after pytest-django's reordering (database tests first, then transactional ones,
    then the rest) and keeps it: only consecutive tests of one file are reordered, stably,
    and never across those groups.
    """
    start = 0
    while start < len(items):
        end = start + 1
        while end < len(items) and items[end].path == items[start].path:
            end += 1
        items[start:end] = sorted(
            items[start:end], key=lambda item: (_django_order(item), _uses_shared_rows(item))
        )
        start = end


def _empty_before_serialized_rollback(item: pytest.Item) -> None:
    """Before a serialized-rollback test, empty the tables without running post_migrate.

    An earlier transactional test's flush ran post_migrate, which recreated content types,
    permissions and the role groups under new ids; the serialized rollback then inserts the
    originals (same names, first ids) and hits their unique names. From empty tables the
    serialized copy restores everything, as Django expects.
    """
    marker = item.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("serialized_rollback")):
        return
    # Only once the test database exists (it holds the serialized copy): never the real one.
    if not hasattr(connection, "_test_serialized_contents"):
        return
    from django.core.management import call_command
    from pytest_django.plugin import blocking_manager_key

    with item.config.stash[blocking_manager_key].unblock():
        call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Before a test that does not use them, roll back any shared rows still open."""
    _empty_before_serialized_rollback(item)
    if _uses_shared_rows(item):
        if _is_transactional(item):
            raise pytest.UsageError(
                f"{item.nodeid}: shared rows live in a transaction; a transactional or "
                "live-server test cannot use them."
            )
        return
    for rows in list(_ACTIVE):
        rows.discard()
