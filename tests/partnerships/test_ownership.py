"""Ownership is declared once per model; checks, permissions and sharing follow from it."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import models
from django.test.utils import isolate_apps
from django.urls import reverse

from partnerships import checks
from partnerships.models import Council, CouncilMembership, Organization, Partnership
from partnerships.permissions import coordinator_codenames, funder_codenames, sync_groups
from partnerships.scoping import (
    COORDINATORS_GROUP,
    FUNDERS_GROUP,
    owned_models,
    owned_relations,
    used_by_other_partnerships,
)
from plans.models import Action
from tests.factories import ActionFactory, OrganizationFactory, PartnershipFactory
from tests.partnerships.admin_helpers import MODEL_BACKEND
from tests.partnerships.factories_admin import build_tree, coordinator_of

pytestmark = pytest.mark.django_db


def test_the_project_passes_its_ownership_checks():
    call_command("check")


def test_every_owned_model_is_declared():
    names = {m._meta.label for m in owned_models()}
    assert names == {
        "partnerships.Partnership",
        "partnerships.Council",
        "partnerships.CouncilMembership",
        "partnerships.WorkingGroup",
        "partnerships.ServedCommunity",
        "partnerships.Source",
        "plans.CommunityPlan",
        "plans.Priority",
        "plans.Action",
        "plans.Indicator",
        "plans.Measurement",
    }


def test_check_fails_for_a_path_that_does_not_reach_partnership(monkeypatch):
    monkeypatch.setattr(CouncilMembership, "partnership_path", "council")
    with pytest.raises(SystemCheckError, match="partnerships.E001"):
        call_command("check")


def test_check_fails_for_a_path_through_a_missing_field(monkeypatch):
    monkeypatch.setattr(Action, "partnership_path", "plan__partnrship")
    errors = checks.check_ownership_declarations()
    assert [e.id for e in errors] == ["partnerships.E001"]


def test_check_fails_for_an_owned_model_without_the_scoped_manager(monkeypatch):
    plain = models.Manager()
    plain.model = Council
    monkeypatch.setitem(Council._meta.__dict__, "default_manager", plain)
    errors = checks.check_ownership_declarations()
    assert "partnerships.E002" in [e.id for e in errors]


def test_check_fails_for_an_unscoped_admin():
    site = admin.AdminSite(name="unscoped")
    site.register(Council)
    assert [e.id for e in checks.unscoped_admins(site)] == ["partnerships.E003"]


def test_check_fails_for_an_unscoped_inline():
    class PlainInline(admin.TabularInline):
        model = CouncilMembership

    class PlainOrganizationAdmin(admin.ModelAdmin):
        inlines = [PlainInline]

    site = admin.AdminSite(name="unscoped")
    site.register(Organization, PlainOrganizationAdmin)
    assert [e.id for e in checks.unscoped_admins(site)] == ["partnerships.E003"]


def test_check_fails_for_an_owned_model_without_history(monkeypatch):
    monkeypatch.setattr(Council._meta, "simple_history_manager_attribute", None)
    assert "partnerships.E004" in [e.id for e in checks.check_ownership_declarations()]


@isolate_apps("partnerships")
def test_check_fails_for_a_model_pointing_at_an_owned_model_without_declaring(monkeypatch):
    class Stray(models.Model):  # noqa: DJ008 - a throwaway model
        council = models.ForeignKey(Council, on_delete=models.CASCADE)

        class Meta:
            app_label = "partnerships"

    monkeypatch.setattr(checks.apps, "get_models", lambda: [Stray])
    assert [e.id for e in checks._undeclared_owners()] == ["partnerships.E006"]


# -- permissions follow from the declarations ---------------------------------------------


def _codes(group_name: str) -> set[tuple[str, str]]:
    group = Group.objects.get(name=group_name)
    return {(p.content_type.app_label, p.codename) for p in group.permissions.all()}


def test_groups_hold_exactly_the_derived_permissions():
    assert _codes(COORDINATORS_GROUP) == coordinator_codenames()
    assert _codes(FUNDERS_GROUP) == funder_codenames()


def test_coordinators_neither_create_nor_delete_partnerships_or_organizations():
    codes = coordinator_codenames()
    assert ("partnerships", "change_partnership") in codes
    assert ("partnerships", "add_partnership") not in codes
    assert ("partnerships", "delete_partnership") not in codes
    assert ("partnerships", "add_organization") in codes
    assert ("partnerships", "delete_organization") not in codes
    assert ("plans", "delete_measurement") in codes
    assert ("partnerships", "change_sector") not in codes


def test_funders_only_view_and_export():
    for _app, codename in funder_codenames():
        assert codename.startswith(("view_", "export_"))


def test_sync_restores_a_group_someone_emptied():
    Group.objects.get(name=COORDINATORS_GROUP).permissions.clear()
    sync_groups()
    assert _codes(COORDINATORS_GROUP) == coordinator_codenames()


# -- shared organizations: every relation counts -------------------------------------------


def test_every_relation_from_an_owned_model_to_organizations_counts():
    relations = {(m._meta.label, f) for m, f in owned_relations(Organization)}
    assert relations == {
        ("partnerships.Partnership", "host_organizations"),
        ("partnerships.CouncilMembership", "organization"),
        ("partnerships.WorkingGroup", "lead_organization"),
        ("partnerships.WorkingGroup", "organizations"),
        ("plans.Action", "lead_organization"),
    }


def test_an_organization_only_another_plan_leads_is_theirs_too():
    mine, theirs = build_tree(), build_tree()
    lead = OrganizationFactory(name="Led Elsewhere")
    ActionFactory(plan=theirs["communityplan"], priority=theirs["priority"], lead_organization=lead)
    assert used_by_other_partnerships(lead, [mine["partnership"].pk])
    assert not used_by_other_partnerships(lead, [theirs["partnership"].pk])


def test_coordinator_cannot_rename_an_organization_only_another_plan_uses(client):
    mine, theirs = build_tree(), build_tree()
    lead = OrganizationFactory(name="Led Elsewhere")
    ActionFactory(plan=theirs["communityplan"], priority=theirs["priority"], lead_organization=lead)
    client.force_login(coordinator_of(mine["partnership"]), backend=MODEL_BACKEND)
    url = reverse("admin:partnerships_organization_change", args=[lead.pk])
    response = client.post(url, {"name": "Renamed by A", "province": "AB"})
    assert response.status_code == 403
    lead.refresh_from_db()
    assert lead.name == "Led Elsewhere"


def test_coordinator_may_edit_an_organization_only_they_use(client):
    mine = build_tree()
    client.force_login(coordinator_of(mine["partnership"]), backend=MODEL_BACKEND)
    org = mine["organization"]
    url = reverse("admin:partnerships_organization_change", args=[org.pk])
    response = client.post(url, {"name": "Renamed by A", "province": "AB"})
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.name == "Renamed by A"


def test_partnerships_are_owned_by_themselves():
    partnership = PartnershipFactory()
    assert list(Partnership.objects.for_partnerships([partnership.pk])) == [partnership]
