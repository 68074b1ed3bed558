"""System checks: an ownership declaration that is wrong, or missing, stops ``manage.py check``.

A partnership-owned model is safe only if its declaration (``partnership_path``, see
:mod:`partnerships.scoping`) leads to ``Partnership``, its default manager scopes, its admin
uses the scoped base classes and it keeps history. These checks verify all four, and that
no model points at an owned model without declaring its own owner (a new model that forgot
its declaration would otherwise be readable by every coordinator).
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib import admin
from django.core import checks
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from .scoping import OwnedQuerySet, is_owned, owned_models, private_fields


def _is_history(model: type[models.Model]) -> bool:
    """Models django-simple-history generates (historical rows and their m2m tables)."""
    return hasattr(model, "instance_type") or model.__module__.startswith("simple_history")


def path_error(model: type[models.Model]) -> str | None:
    """Why ``model.partnership_path`` does not lead to ``Partnership``, or ``None``."""
    from .models import Partnership

    path = model.partnership_path  # type: ignore[attr-defined]
    if path == "":
        return None if model is Partnership else "an empty path is only for Partnership itself"
    target = model
    for hop in path.split("__"):
        try:
            field = target._meta.get_field(hop)
        except FieldDoesNotExist:
            return f"{target.__name__} has no field {hop!r}"
        if not (field.many_to_one or field.one_to_one) or field.auto_created:
            return f"{target.__name__}.{hop} is not a foreign key"
        target = field.related_model
    if target is not Partnership:
        return f"the path ends at {target.__name__}, not Partnership"
    return None


@checks.register(checks.Tags.models)
def check_ownership_declarations(
    app_configs: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    for model in owned_models():
        label = model._meta.label
        reason = path_error(model)
        if reason:
            errors.append(
                checks.Error(
                    f"{label}.partnership_path = {model.partnership_path!r} does not lead to "  # type: ignore[attr-defined]
                    f"Partnership: {reason}.",
                    hint="Declare the ORM path from the model to its Partnership.",
                    obj=model,
                    id="partnerships.E001",
                )
            )
        if not isinstance(model._default_manager.all(), OwnedQuerySet):
            errors.append(
                checks.Error(
                    f"{label}'s default manager does not return an OwnedQuerySet.",
                    hint="Use OwnedQuerySet (or a subclass) .as_manager() as `objects`.",
                    obj=model,
                    id="partnerships.E002",
                )
            )
        if not getattr(model._meta, "simple_history_manager_attribute", None):
            errors.append(
                checks.Error(
                    f"{label} is owned by a partnership but keeps no history.",
                    hint="Add `history = HistoricalRecords(...)` to the model.",
                    obj=model,
                    id="partnerships.E004",
                )
            )
        for name in (*private_fields(model), getattr(model, "consent_field", None)):
            if name is None:
                continue
            try:
                model._meta.get_field(name)
            except FieldDoesNotExist:
                errors.append(
                    checks.Error(
                        f"{label} declares {name!r} private or as its consent, "
                        "but has no such field.",
                        obj=model,
                        id="partnerships.E005",
                    )
                )
    errors.extend(_undeclared_owners())
    return errors


def _undeclared_owners() -> list[checks.CheckMessage]:
    errors = []
    for model in apps.get_models():
        if is_owned(model) or _is_history(model) or model._meta.auto_created:
            continue
        for field in model._meta.get_fields():
            if field.is_relation and not field.auto_created and is_owned(field.related_model):
                errors.append(
                    checks.Error(
                        f"{model._meta.label}.{field.name} points at the partnership-owned "
                        f"{field.related_model._meta.label}, but {model._meta.label} declares "
                        "no owner.",
                        hint="Declare `partnership_path` on the model (see partnerships.scoping).",
                        obj=model,
                        id="partnerships.E006",
                    )
                )
    return errors


@checks.register(checks.Tags.admin)
def check_scoped_admin(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    return unscoped_admins(admin.site)


def unscoped_admins(site: admin.AdminSite) -> list[checks.CheckMessage]:
    """Admins and inlines of owned models that do not use the scoped base classes."""
    from .admin_scoping import PartnershipScopedMixin

    errors: list[checks.CheckMessage] = []
    for model, model_admin in site._registry.items():
        if is_owned(model) and not isinstance(model_admin, PartnershipScopedMixin):
            errors.append(
                checks.Error(
                    f"The admin of the partnership-owned {model._meta.label} is not scoped.",
                    hint="Derive it from partnerships.admin_scoping.ScopedModelAdmin.",
                    obj=type(model_admin),
                    id="partnerships.E003",
                )
            )
        for inline in model_admin.inlines:
            if is_owned(inline.model) and not issubclass(inline, PartnershipScopedMixin):
                errors.append(
                    checks.Error(
                        f"The inline {inline.__name__} of the partnership-owned "
                        f"{inline.model._meta.label} is not scoped.",
                        hint="Derive it from partnerships.admin_scoping.ScopedTabularInline.",
                        obj=inline,
                        id="partnerships.E003",
                    )
                )
    return errors
