"""Login rate limiting, denied-request logging, password rules and coordinator accounts."""

from __future__ import annotations

import io
import logging
import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from partnerships.scoping import COORDINATORS_GROUP
from tests.factories import TEST_PASSWORD, CouncilMembershipFactory, PartnershipFactory, UserFactory
from tests.partnerships.admin_helpers import MODEL_BACKEND
from tests.partnerships.factories_admin import coordinator_of

pytestmark = pytest.mark.django_db


def test_admin_login_locks_out_after_repeated_failures(client, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(username="target")
    login = reverse("admin:login")
    for _ in range(3):
        client.post(login, {"username": "target", "password": "wrong-password"})
    response = client.post(login, {"username": "target", "password": TEST_PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_login_works_below_the_limit(client, settings):
    settings.AXES_ENABLED = True
    UserFactory(username="person")
    client.post(reverse("admin:login"), {"username": "person", "password": "wrong-password"})
    response = client.post(
        reverse("admin:login"), {"username": "person", "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_password_validators_are_configured():
    names = {v["NAME"].rsplit(".", 1)[-1] for v in settings.AUTH_PASSWORD_VALIDATORS}
    assert {"MinimumLengthValidator", "CommonPasswordValidator"} <= names


def test_denied_request_log_has_no_personal_data(client, caplog):
    mine, theirs = PartnershipFactory(), PartnershipFactory()
    member = CouncilMembershipFactory(council__partnership=theirs, person_name="Secret Person")
    user = coordinator_of(mine)
    client.force_login(user, backend=MODEL_BACKEND)
    target = reverse("admin:partnerships_councilmembership_change", args=[member.pk])
    with caplog.at_level(logging.WARNING, logger="partnerships.security"):
        assert client.get(target, {"q": "Secret Person"}).status_code == 403
    records = [r for r in caplog.records if r.name == "partnerships.security"]
    assert len(records) == 1
    message = records[0].getMessage()
    assert f"user_id={user.pk}" in message
    assert "model=partnerships.CouncilMembership" in message
    assert f"object_id={member.pk}" in message
    assert f"path={target}" in message
    assert "Secret" not in message and user.username not in message and "@" not in message


def test_add_coordinator_creates_account_and_one_time_link(client):
    partnership = PartnershipFactory(slug="calgary-lip")
    out = io.StringIO()
    call_command(
        "add_coordinator", "amira", "calgary-lip", "--email", "amira@example.org", stdout=out
    )
    user = get_user_model().objects.get(username="amira")
    assert user.is_staff and not user.has_usable_password()
    assert user.groups.filter(name=COORDINATORS_GROUP).exists()
    assert partnership.coordinators.filter(pk=user.pk).exists()
    link = re.search(r"https?://\S+", out.getvalue()).group(0)
    path = link.split("8000", 1)[1]
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    new_password = "a-Long-and-unusual-passphrase-42"
    done = client.post(set_url, {"new_password1": new_password, "new_password2": new_password})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)
    again = client.get(path, follow=True)
    assert not again.context["validlink"], "the link works once"


def test_add_coordinator_updates_existing_account_and_checks_slug():
    first, second = PartnershipFactory(slug="one"), PartnershipFactory(slug="two")
    call_command("add_coordinator", "sam", "one", stdout=io.StringIO())
    call_command(
        "add_coordinator", "sam", "two", "--email", "sam@example.org", stdout=io.StringIO()
    )
    user = get_user_model().objects.get(username="sam")
    assert set(user.coordinated_partnerships.all()) == {first, second}
    assert user.email == "sam@example.org"
    with pytest.raises(CommandError):
        call_command("add_coordinator", "sam", "nope", stdout=io.StringIO())
