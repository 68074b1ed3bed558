"""A large roster import: history written in bulk but exactly as a save writes it, and a site
admin's import loads only the partnerships the file names (whatever they may edit)."""

from __future__ import annotations

import pytest
import tablib
from django.contrib.auth import get_user_model

from partnerships import rosters
from partnerships.models import CouncilMembership
from partnerships.resources import CouncilMembershipResource, key
from tests.factories import CouncilFactory, CouncilMembershipFactory, PartnershipFactory

pytestmark = pytest.mark.django_db

HEADERS = ["partnership", "council", "person_name", "title", "role", "publish_consent"]


def site_admin():
    return get_user_model().objects.create_user(
        "site-admin", password="x", is_staff=True, is_superuser=True
    )


def dataset(*rows: list[str], headers: list[str] = HEADERS) -> tablib.Dataset:
    data = tablib.Dataset(headers=headers)
    for row in rows:
        data.append(row)
    return data


def test_each_new_row_has_its_history_record_with_the_importer(coordinator, world):
    data = dataset(
        ["testville-a", "Main Council", "Ana", "Director", "chair", "yes"],
        ["testville-a", "Main Council", "Bo", "", "member", "no"],
    )
    result = CouncilMembershipResource(user=coordinator).import_data(data, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    for member in CouncilMembership.objects.all():
        records = list(member.history.all())
        assert len(records) == 1
        record = records[0]
        assert record.history_type == "+"
        assert record.history_user == coordinator
        assert record.history_change_reason is None
        # The row as saved, including what save() itself filled in (the consent date).
        assert (record.person_name, record.title, record.role) == (
            member.person_name,
            member.title,
            member.role,
        )
        assert record.consent_date == member.consent_date
        assert record.created_at == member.created_at


def test_a_member_changed_twice_in_one_file_keeps_both_versions(coordinator, world):
    member = CouncilMembershipFactory(council=world["council_a"], person_name="Ana", title="A")
    member.history.all().delete()
    data = dataset(
        [str(member.pk), "testville-a", "Main Council", "Ana", "First", "member"],
        [str(member.pk), "testville-a", "Main Council", "Ana", "Second", "member"],
        headers=["id", *HEADERS[:5]],
    )
    result = CouncilMembershipResource(user=coordinator).import_data(data, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    records = list(member.history.order_by("history_date", "history_id"))
    assert [(r.history_type, r.title) for r in records] == [("~", "First"), ("~", "Second")]
    assert {r.history_user for r in records} == {coordinator}


def test_a_refused_file_leaves_no_history(coordinator, world):
    data = dataset(
        ["testville-a", "Main Council", "Ana", "", "member", "no"],
        ["testville-a", "Main Council", "Bo", "", "president", "no"],
    )
    result = CouncilMembershipResource(user=coordinator).import_data(data, dry_run=False)
    assert result.has_validation_errors()
    assert not CouncilMembership.history.exists()


def test_the_preview_writes_no_history(coordinator, world):
    data = dataset(["testville-a", "Main Council", "Ana", "", "member", "no"])
    CouncilMembershipResource(user=coordinator).import_data(data, dry_run=True)
    assert not CouncilMembership.history.exists()


def test_site_admin_import_checks_the_named_roster(world):
    CouncilMembershipFactory(council=world["council_b"], organization=None, person_name="Ana")
    data = dataset(["otherville-b", "Main Council", "ANA", "", "member", "no"])
    result = CouncilMembershipResource(user=site_admin()).import_data(data, dry_run=True)
    [invalid] = result.invalid_rows
    assert invalid.error_dict == {"person_name": [rosters.duplicate_error_message()]}


def test_site_admin_unknown_partnership_lists_every_partnership(world):
    data = dataset(["nowhere", "Main Council", "Ana", "", "member", "no"])
    result = CouncilMembershipResource(user=site_admin()).import_data(data, dry_run=True)
    [invalid] = result.invalid_rows
    message = " ".join(invalid.error_dict["council"])
    assert "(testville-a)" in message and "(otherville-b)" in message


def test_site_admin_import_loads_only_the_named_partnerships(world):
    """A site admin may edit every partnership: only those the file names are loaded, with
    their councils and rosters (10,000 of them would cost seconds)."""
    for _ in range(5):
        CouncilMembershipFactory(council=CouncilFactory(partnership=PartnershipFactory()))
    CouncilMembershipFactory(council=world["council_a"])
    resource = CouncilMembershipResource(user=site_admin())
    data = dataset(["testville-a", "Main Council", "Ana", "", "member", "no"])
    result = resource.import_data(data, dry_run=True)
    assert not result.has_validation_errors()
    assert {c.partnership.slug for c in resource.councils.values()} == {"testville-a"}
    assert set(resource.rosters) == {world["council_a"].pk}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Réseau en immigration francophone", "reseau_en_immigration_francophone"),
        ("  CO-CHAIR!! ", "co_chair"),
        ("co_chair", "co_chair"),
        ("Coprésidence", "copresidence"),
        ("Straße", "strasse"),
        ("ÉCOLE  X", "ecole_x"),
        (12.0, "12"),
        (None, ""),
    ],
)
def test_key_ignores_case_accents_and_punctuation(value, expected):
    assert key(value) == expected


def test_after_a_database_refusal_every_row_is_still_checked(coordinator, world, monkeypatch):
    """A chair saved by someone else meanwhile: only the database sees the conflict. The fast
    attempt stops there; the file is imported again row by row, so the refused row gets its
    error in words and the rows after it are still checked (and nothing is written)."""
    original = CouncilMembershipResource.before_import

    def before_import(self, dataset, **kwargs):
        original(self, dataset, **kwargs)
        CouncilMembershipFactory(council=world["council_a"], role="chair")

    monkeypatch.setattr(CouncilMembershipResource, "before_import", before_import)
    data = dataset(
        ["testville-a", "Main Council", "Ana", "", "chair", "no"],
        ["testville-a", "Main Council", "Bo", "", "president", "no"],
        ["testville-a", "Main Council", "Cy", "", "member", "no"],
    )
    result = CouncilMembershipResource(user=coordinator).import_data(data, dry_run=False)
    assert not result.has_errors()
    errors = {row.number: row.error_dict for row in result.invalid_rows}
    assert errors[1] == {"role": [rosters.chair_rule_error(["chair", "chair"])]}
    assert set(errors) == {1, 2} and "role" in errors[2]
    assert not CouncilMembership.objects.filter(person_name__in=["Ana", "Bo", "Cy"]).exists()
    assert data.headers == [*HEADERS, "id"] and len(data) == 3, "as one import leaves it"
