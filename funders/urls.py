"""The funder page and its exports, mounted under ``/admin/funders/`` (admin login, admin look)."""

from __future__ import annotations

from django.contrib import admin
from django.urls import path, re_path

from . import export_views, views

app_name = "funders"

FORMATS = r"(?P<fmt>csv|xlsx)"

urlpatterns = [
    path("", admin.site.admin_view(views.funder_page), name="page"),
    re_path(
        rf"^export/summary\.{FORMATS}$",
        admin.site.admin_view(export_views.export_summary),
        name="export-summary",
    ),
    re_path(
        rf"^export/composition\.{FORMATS}$",
        admin.site.admin_view(export_views.export_composition),
        name="export-composition",
    ),
    re_path(
        rf"^export/plan-progress\.{FORMATS}$",
        admin.site.admin_view(export_views.export_plan_progress),
        name="export-plan-progress",
    ),
    re_path(
        rf"^export/roster\.{FORMATS}$",
        admin.site.admin_view(export_views.export_roster),
        name="export-roster",
    ),
]
