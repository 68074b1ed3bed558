"""The funder page and its exports, mounted under ``/admin/funders/`` (admin login, admin look)."""

from __future__ import annotations

from django.contrib import admin
from django.urls import path, re_path

from . import export_views, views

app_name = "funders"

FORMATS = r"(?P<fmt>csv|xlsx)"

EXPORT_VIEWS = {
    "summary": export_views.export_summary,
    "composition": export_views.export_composition,
    "plan-progress": export_views.export_plan_progress,
    "roster": export_views.export_roster,
}

urlpatterns = [
    path("", admin.site.admin_view(views.funder_page), name="page"),
    *(
        re_path(rf"^export/{slug}\.{FORMATS}$", admin.site.admin_view(view), name=f"export-{slug}")
        for slug, view in EXPORT_VIEWS.items()
    ),
]
