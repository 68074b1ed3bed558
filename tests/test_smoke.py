"""Smoke tests: the main pages answer, and the demo accounts command works."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError

from demo.management.commands.create_demo_accounts import ACCOUNTS
from partnerships.scoping import COORDINATORS_GROUP, FUNDERS_GROUP
from tests.factories import PartnershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def partnership():
    return PartnershipFactory(name="Smokeville Local Immigration Partnership", slug="smokeville")


def test_home_page(client, partnership):
    assert client.get("/").status_code == 200


def test_partnership_list_shows_the_partnership(client, partnership):
    response = client.get("/partnerships/")
    assert response.status_code == 200
    assert partnership.name in response.content.decode()


def test_partnership_detail_shows_the_partnership(client, partnership):
    response = client.get(f"/partnerships/{partnership.slug}/")
    assert response.status_code == 200
    assert partnership.name in response.content.decode()


def test_unknown_partnership_is_404(client, partnership):
    assert client.get("/partnerships/no-such-partnership/").status_code == 404


def test_french_home_page(client, partnership):
    assert client.get("/fr/").status_code == 200


def test_admin_login_page(client):
    assert client.get("/admin/login/").status_code == 200


def run_create_demo_accounts(*args: str) -> str:
    out = StringIO()
    call_command("create_demo_accounts", *args, stdout=out)
    return out.getvalue()


def test_create_demo_accounts_is_idempotent_and_prints_the_accounts(settings):
    settings.DEBUG = True
    PartnershipFactory(name="Another Partnership", slug="another")
    calgary = PartnershipFactory(
        name="Calgary Local Immigration Partnership", slug="calgary-local-immigration-partnership"
    )
    run_create_demo_accounts()
    output = run_create_demo_accounts()

    users = get_user_model().objects
    assert users.filter(username__in=[a.username for a in ACCOUNTS]).count() == 3
    for account in ACCOUNTS:
        assert account.username in output
        assert account.password in output
        user = users.get(username=account.username)
        assert user.check_password(account.password)
        assert user.is_staff and user.is_active
    assert calgary.name in output

    admin = users.get(username="admin")
    assert admin.is_superuser
    coordinator = users.get(username="coordinator")
    assert not coordinator.is_superuser
    assert list(coordinator.groups.values_list("name", flat=True)) == [COORDINATORS_GROUP]
    assert list(coordinator.coordinated_partnerships.all()) == [calgary]
    funder = users.get(username="funder")
    assert not funder.is_superuser
    assert list(funder.groups.values_list("name", flat=True)) == [FUNDERS_GROUP]
    assert Group.objects.filter(name__in=[COORDINATORS_GROUP, FUNDERS_GROUP]).count() == 2


def test_create_demo_accounts_falls_back_to_the_first_partnership(settings):
    settings.DEBUG = True
    PartnershipFactory(name="Zed Partnership", slug="zed")
    first = PartnershipFactory(name="Alpha Partnership", slug="alpha")
    output = run_create_demo_accounts()
    coordinator = get_user_model().objects.get(username="coordinator")
    assert list(coordinator.coordinated_partnerships.all()) == [first]
    assert "Alpha Partnership" in output


def test_demo_admin_can_open_the_admin(settings, client):
    settings.DEBUG = True
    run_create_demo_accounts()
    client.force_login(get_user_model().objects.get(username="admin"))
    assert client.get("/admin/").status_code == 200


def test_create_demo_accounts_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        run_create_demo_accounts()
    assert not get_user_model().objects.filter(username="admin").exists()
    run_create_demo_accounts("--force")
    assert get_user_model().objects.filter(username="admin").exists()
