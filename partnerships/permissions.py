"""The groups' permissions, derived from the models' declarations (never a hand-kept list).

* **Coordinators** add, change, delete and view every partnership-owned model (rows are
  scoped to their partnerships by :mod:`partnerships.scoping`), plus the model's own extra
  permissions (roster import/export); the partnership itself they view and change but
  neither create nor delete; models shared between partnerships (``shared_by_partnerships``)
  they add, change and view but never delete; everything else in the directory apps they view.
* **Funders** view every model of the directory apps and hold every ``export_*`` permission.

:func:`sync_groups` runs after every ``migrate`` (and test database flush), so a model added
later gets its permissions without a migration listing them.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import models

from .scoping import COORDINATORS_GROUP, FUNDERS_GROUP, is_owned, owned_models

Codename = tuple[str, str]  # (app label, codename)


def directory_apps() -> list[str]:
    """The apps whose models the groups work with: those holding an owned model."""
    labels = {model._meta.app_label for model in owned_models()}
    return [config.label for config in apps.get_app_configs() if config.label in labels]


def directory_models() -> list[type[models.Model]]:
    return [
        model
        for label in directory_apps()
        for model in apps.get_app_config(label).get_models()
        if not hasattr(model, "instance_type")  # historical models have no admin of their own
    ]


def _codes(model: type[models.Model], actions: tuple[str, ...]) -> set[Codename]:
    opts = model._meta
    return {(opts.app_label, f"{action}_{opts.model_name}") for action in actions}


def _extra(model: type[models.Model], prefix: str = "") -> set[Codename]:
    opts = model._meta
    return {(opts.app_label, code) for code, _name in opts.permissions if code.startswith(prefix)}


def coordinator_codenames() -> set[Codename]:
    codes: set[Codename] = set()
    for model in directory_models():
        if is_owned(model):
            if model.partnership_path == "":  # type: ignore[attr-defined]
                codes |= _codes(model, ("view", "change"))
            else:
                codes |= _codes(model, ("add", "change", "delete", "view"))
            codes |= _extra(model)
        elif getattr(model, "shared_by_partnerships", False):
            codes |= _codes(model, ("add", "change", "view"))
        else:
            codes |= _codes(model, ("view",))
    return codes


def funder_codenames() -> set[Codename]:
    codes: set[Codename] = set()
    for model in directory_models():
        codes |= _codes(model, ("view",)) | _extra(model, "export_")
    return codes


def sync_groups(using: str = "default", **kwargs: Any) -> None:
    """Create both groups and give them exactly the permissions derived above."""
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    labels = directory_apps()
    for label in labels:
        create_permissions(apps.get_app_config(label), verbosity=0, using=using)
    for name, wanted in (
        (COORDINATORS_GROUP, coordinator_codenames()),
        (FUNDERS_GROUP, funder_codenames()),
    ):
        group, _created = Group.objects.using(using).get_or_create(name=name)
        found = {
            (p.content_type.app_label, p.codename): p
            for p in Permission.objects.using(using)
            .filter(content_type__app_label__in=labels)
            .select_related("content_type")
        }
        missing = wanted - set(found)
        if missing:
            raise LookupError(f"Permissions not found: {sorted(missing)}")
        group.permissions.set([found[code] for code in sorted(wanted)])


def sync_groups_after_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """post_migrate receiver: run once, after the last directory app has migrated."""
    if sender.label != directory_apps()[-1]:
        return
    sync_groups(using=using)
