"""The demo coordinator looks after the Calgary LIP of the real data set."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from demo.management.commands.create_demo_accounts import CALGARY_SLUG
from partnerships.realdata import PARTNERSHIPS_FIXTURE, load_real_data, read_fixture


def test_the_calgary_slug_is_in_the_real_fixture():
    entries = [e for e in read_fixture(PARTNERSHIPS_FIXTURE) if e["slug"] == CALGARY_SLUG]
    assert entries, (
        f"{PARTNERSHIPS_FIXTURE.name} has no partnership with slug {CALGARY_SLUG!r}: update "
        "CALGARY_SLUG in demo/management/commands/create_demo_accounts.py"
    )
    assert entries[0]["name"] == "Calgary Local Immigration Partnership"


@pytest.mark.django_db
def test_the_demo_coordinator_coordinates_the_calgary_lip(settings):
    settings.DEBUG = True
    load_real_data()
    out = StringIO()
    call_command("create_demo_accounts", stdout=out)
    coordinator = get_user_model().objects.get(username="coordinator")
    assert list(coordinator.coordinated_partnerships.values_list("slug", flat=True)) == [
        CALGARY_SLUG
    ]
    assert f"({CALGARY_SLUG})" in out.getvalue()


@pytest.mark.django_db
def test_an_unknown_partnership_slug_is_refused(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="No partnership with slug"):
        call_command("create_demo_accounts", "--partnership", "no-such-lip", stdout=StringIO())
