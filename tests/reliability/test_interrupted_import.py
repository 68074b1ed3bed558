"""An import interrupted midway (an exception at row N) leaves nothing half-written.

The failure is injected where a crash would hurt most: after some rows were saved, with new
organizations and history rows already written for them. Whoever calls (the resource with
``raise_errors`` on or off, or the admin's confirmation), not one membership, organization or
history row of the file may remain.
"""

from __future__ import annotations

import pytest
import tablib
from django.urls import reverse
from import_export.exceptions import ImportError as ImportExportError

from partnerships.models import CouncilMembership, Organization
from partnerships.resources import CouncilMembershipResource
from tests.factories import CouncilFactory, PartnershipFactory
from tests.partnerships.admin_helpers import MODEL_BACKEND
from tests.partnerships.factories_admin import coordinator_of

pytestmark = pytest.mark.django_db

ROWS = 6
FAIL_AT = 4  # rows 1-3 are saved (with a new organization each) before row 4 fails


class Interrupted(RuntimeError):
    """Stands for a crash midway: a lost connection, a worker killed, a bug."""


@pytest.fixture
def coordinator():
    partnership = PartnershipFactory(slug="crash-a", province="AB")
    CouncilFactory(partnership=partnership, name="Main Council")
    return coordinator_of(partnership)


@pytest.fixture
def crash_at_row(monkeypatch):
    """Raise :class:`Interrupted` when row ``FAIL_AT`` is about to be saved."""
    saved = []
    original = CouncilMembershipResource.before_save_instance

    def before_save_instance(self, instance, row, **kwargs):
        original(self, instance, row, **kwargs)
        if len(saved) + 1 == FAIL_AT:
            raise Interrupted(f"injected failure at row {FAIL_AT}")
        saved.append(instance.person_name)

    monkeypatch.setattr(CouncilMembershipResource, "before_save_instance", before_save_instance)
    return saved


def _dataset() -> tablib.Dataset:
    dataset = tablib.Dataset(headers=["partnership", "council", "organization", "person_name"])
    for n in range(1, ROWS + 1):
        dataset.append(["crash-a", "Main Council", f"Crash Org {n}", f"Person {n}"])
    return dataset


def _nothing_written() -> None:
    assert not CouncilMembership.objects.exists()
    assert not CouncilMembership.history.exists()
    assert not Organization.objects.filter(name__startswith="Crash Org").exists()


def test_an_exception_midway_rolls_back_every_row(coordinator, crash_at_row):
    with pytest.raises((Interrupted, ImportExportError), match="injected failure"):
        CouncilMembershipResource(user=coordinator).import_data(
            _dataset(), dry_run=False, raise_errors=True
        )

    assert len(crash_at_row) == FAIL_AT - 1, "rows were saved before the failure"
    _nothing_written()


def test_an_exception_reported_as_a_row_error_still_writes_nothing(coordinator, crash_at_row):
    result = CouncilMembershipResource(user=coordinator).import_data(_dataset(), dry_run=False)

    assert result.has_errors()
    _nothing_written()


def test_an_exception_during_the_admin_confirmation_writes_nothing(
    client, coordinator, monkeypatch
):
    client.force_login(coordinator, backend=MODEL_BACKEND)
    content = _dataset().export("csv").encode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    preview = client.post(
        reverse("admin:partnerships_councilmembership_import"),
        {
            "import_file": SimpleUploadedFile("roster.csv", content),
            "format": "0",
            "resource": "0",
        },
    )
    form = preview.context["confirm_form"]
    _nothing_written()  # the preview is a dry run
    calls = []
    original = CouncilMembershipResource.before_save_instance

    def before_save_instance(self, instance, row, **kwargs):
        original(self, instance, row, **kwargs)
        calls.append(row)
        if len(calls) == FAIL_AT:
            raise Interrupted("injected failure during the confirmation")

    monkeypatch.setattr(CouncilMembershipResource, "before_save_instance", before_save_instance)
    client.raise_request_exception = False

    response = client.post(
        reverse("admin:partnerships_councilmembership_process_import"),
        {k: form.initial[k] for k in form.initial},
    )

    assert len(calls) >= FAIL_AT, "rows were saved before the failure"
    assert response.status_code < 500
    _nothing_written()
