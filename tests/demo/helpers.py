"""Shared helpers for the demo data tests: a fixed "today" and row snapshots."""

from __future__ import annotations

import datetime
from typing import Any

from django.apps import apps
from django.db import models

from partnerships.models import SampleData

TODAY = datetime.date(2026, 11, 21)
#: Bookkeeping, not data: the revision counter moves on with every load, by design.
BOOKKEEPING = {"directory.Revision"}


def _is_sample_model(model: type[models.Model]) -> bool:
    return issubclass(model, SampleData)


def _sample_owner(model: type[models.Model]) -> str | None:
    """For a many-to-many link table, the lookup of its owner's sample flag (owner = the model
    declaring the field): links of a sample owner are sample data too."""
    if not model._meta.auto_created:
        return None
    for candidate in apps.get_models():
        for m2m in candidate._meta.many_to_many:
            if m2m.remote_field.through is model and _is_sample_model(candidate):
                return f"{m2m.m2m_field_name()}__is_sample"
    return None


def real_rows() -> dict[str, list[dict[str, Any]]]:
    """Every non-sample row of every table (history and link tables included), all fields."""
    snapshot = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.label in BOOKKEEPING:
            continue
        rows = model._base_manager.all()
        if _is_sample_model(model):
            rows = rows.filter(is_sample=False)
        elif owner := _sample_owner(model):
            rows = rows.exclude(**{owner: True})
        snapshot[model._meta.label] = list(rows.order_by("pk").values())
    return snapshot


def _label(obj: models.Model | None, cache: dict[tuple[type, Any], str]) -> str | None:
    """A row's identity that survives regeneration (new primary keys): its text and parents'."""
    if obj is None:
        return None
    key = (type(obj), obj.pk)
    if key not in cache:
        parent = next(
            (getattr(obj, f.name) for f in obj._meta.concrete_fields if f.many_to_one), None
        )
        suffix = f" < {_label(parent, cache)}" if parent is not None else ""
        cache[key] = f"{type(obj).__name__}:{obj}{suffix}"
    return cache[key]


def sample_rows(model: type[models.Model]) -> list[str]:
    """The sample rows of one model by value (relations by label), without keys or timestamps."""
    fields = [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key and f.name not in ("created_at", "updated_at")
    ]
    related = [f.name for f in fields if f.is_relation]
    cache: dict[tuple[type, Any], str] = {}
    rows = []
    # No default ordering (the rows are sorted below): on PostgreSQL, before statistics exist,
    # the ordering joins of nested models (measurement < indicator < priority < plan) plan as
    # nested loops and run for minutes.
    for obj in model._base_manager.filter(is_sample=True).select_related(*related).order_by():
        values = [
            _label(getattr(obj, f.name), cache) if f.is_relation else getattr(obj, f.attname)
            for f in fields
        ]
        values += [
            sorted(str(o) for o in getattr(obj, m.name).all()) for m in model._meta.many_to_many
        ]
        rows.append(repr(values))
    return sorted(rows)
