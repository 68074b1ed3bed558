"""The funder page and its exports, mounted under ``/admin/funders/`` (admin login, admin look).

The export views live in :mod:`funders.export_views` (built separately); they are imported
when first called, so this module never depends on their import order.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import path, re_path

from . import views

app_name = "funders"

FORMATS = r"(?P<fmt>csv|xlsx)"


def _export(name: str) -> Any:
    """A view calling ``funders.export_views.<name>(request, fmt)``, imported on first use."""

    def view(request: HttpRequest, fmt: str) -> HttpResponse:
        return getattr(import_module("funders.export_views"), name)(request, fmt)

    view.__name__ = name
    return admin.site.admin_view(view)


urlpatterns = [
    path("", admin.site.admin_view(views.funder_page), name="page"),
    re_path(rf"^export/summary\.{FORMATS}$", _export("export_summary"), name="export-summary"),
    re_path(
        rf"^export/composition\.{FORMATS}$",
        _export("export_composition"),
        name="export-composition",
    ),
    re_path(
        rf"^export/plan-progress\.{FORMATS}$",
        _export("export_plan_progress"),
        name="export-plan-progress",
    ),
]
