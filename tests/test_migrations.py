"""The models and the committed migrations agree, and every migration can be undone."""

from __future__ import annotations

from io import StringIO

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader


def project_apps() -> list[str]:
    """Labels of this project's apps that have migrations (not Django's or libraries')."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    base = str(settings.BASE_DIR)
    return sorted(
        config.label
        for config in apps.get_app_configs()
        if config.path.startswith(base)
        and "site-packages" not in config.path  # the virtualenv may live in the project
        and config.label in loader.migrated_apps
    )


def project_tables() -> set[str]:
    """The database tables of the project's apps that exist right now."""
    prefixes = tuple(f"{label}_" for label in project_apps())
    return {t for t in connection.introspection.table_names() if t.startswith(prefixes)}


@pytest.mark.django_db
def test_no_missing_migrations():
    out = StringIO()
    try:
        call_command("makemigrations", check=True, dry_run=True, stdout=out, verbosity=1)
    except SystemExit as exit_:
        pytest.fail(
            f"Models have changes without a migration (exit {exit_.code}); "
            f"run `manage.py makemigrations`:\n{out.getvalue()}"
        )


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_migration_reverses_to_zero_and_applies_again():
    labels = project_apps()
    assert {"partnerships", "plans", "directory"} <= set(labels)

    for label in labels:  # dependents (plans on partnerships...) are unapplied with them
        call_command("migrate", label, "zero", interactive=False, verbosity=0)
    assert project_tables() == set(), "a table survived its app's migrations to zero"

    call_command("migrate", interactive=False, verbosity=0)
    _assert_schema_matches_models()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_schema_migrations_reverse_and_reapply_with_data_in_place():
    """Every migration after the taxonomy seeds, back and forth over real rows (data
    migrations included). The seeds themselves cannot be undone while rows use them: sectors
    are protected foreign keys, which is the database keeping its promise."""
    from tests.directory.data import build_directory
    from tests.partnerships.factories_admin import build_tree

    build_directory()
    build_tree()

    call_command("migrate", "partnerships", "0002", interactive=False, verbosity=0)
    for label in project_apps():
        if label != "partnerships":
            call_command("migrate", label, "zero", interactive=False, verbosity=0)
    call_command("migrate", interactive=False, verbosity=0)
    _assert_schema_matches_models()


def _assert_schema_matches_models() -> None:
    out = StringIO()
    try:
        call_command("makemigrations", check=True, dry_run=True, stdout=out, verbosity=1)
    except SystemExit:
        pytest.fail(f"the schema after going back and forth differs:\n{out.getvalue()}")
    assert {"partnerships_partnership", "plans_communityplan"} <= project_tables()
