"""The models and the committed migrations agree."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command


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
