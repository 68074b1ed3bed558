"""Download views: the funder exports (signed-in staff) and the public directory's CSV.

Each takes exactly the filters of its page (:class:`funders.filters.FunderFilter` for the
funder exports, :class:`directory.filters.PartnershipFilter` for the public one). An invalid
filter value is a 400 that says which, never a partly filtered file; an unknown format a 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from directory.filters import PartnershipFilter
from partnerships.models import Partnership
from partnerships.scoping import COORDINATORS_GROUP, scope_of

from .exports import COMPOSITION, PLAN_PROGRESS, PUBLIC, ROSTER, SUMMARY, Export
from .files import (
    XLSX_MAX_ROWS,
    TooManyRows,
    csv_response,
    export_filename,
    filter_params,
    xlsx_response,
)
from .filters import FunderFilter

FORMATS = ("csv", "xlsx")


def can_export(user: Any) -> bool:
    """Signed-in, active staff who are superusers, funders or coordinators."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    scope = scope_of(user)
    if user.is_superuser or scope.reads_all or scope.own_ids:
        return True
    return user.groups.filter(name=COORDINATORS_GROUP).exists()


def invalid_filters(filterset: Any) -> HttpResponse:
    """The 400 for invalid filter values: which parameter, and why, in words."""
    lines = [_("No file was made: these filter values are not valid.")]
    form = filterset.form
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else name
        for error in errors:
            lines.append(f"{label} ({name}): {error}")
    return HttpResponse("\n".join(lines), status=400, content_type="text/plain; charset=utf-8")


def too_many_rows(limit: int) -> HttpResponse:
    """The 400 for a spreadsheet over the row cap."""
    message = TooManyRows(limit).message
    return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")


def _file(
    request: HttpRequest, export: Export, filterset: Any, fmt: str, user: Any
) -> HttpResponse:
    if not filterset.is_valid():
        return invalid_filters(filterset)
    name = export_filename(export.slug, filter_params(filterset.data, filterset.filters))
    if fmt == "csv":
        return csv_response(export.columns, export.rows(filterset.qs, user), name)
    if export.count is not None and export.count(filterset.qs, user) > XLSX_MAX_ROWS:
        return too_many_rows(XLSX_MAX_ROWS)
    rows = export.rows(filterset.qs, user)
    return xlsx_response(export.columns, rows, name, title=str(export.title))


def _funder_export(request: HttpRequest, fmt: str, export: Export) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404(_("Unknown file format."))
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    if not can_export(request.user):
        raise PermissionDenied
    filterset = FunderFilter(request.GET, queryset=Partnership.objects.all(), request=request)
    return _file(request, export, filterset, fmt, request.user)


@require_safe
def export_summary(request: HttpRequest, fmt: str) -> HttpResponse:
    """Partnership summary: one row per partnership (the funder page's table)."""
    return _funder_export(request, fmt, SUMMARY)


@require_safe
def export_composition(request: HttpRequest, fmt: str) -> HttpResponse:
    """Council composition: one row per partnership and sector."""
    return _funder_export(request, fmt, COMPOSITION)


@require_safe
def export_plan_progress(request: HttpRequest, fmt: str) -> HttpResponse:
    """Plan progress: one row per indicator of an active plan."""
    return _funder_export(request, fmt, PLAN_PROGRESS)


@require_safe
def export_roster(request: HttpRequest, fmt: str) -> HttpResponse:
    """Council rosters of the filtered partnerships: contacts only with consent, or to the
    partnership's own coordinator (the one rule of partnerships.scoping)."""
    return _funder_export(request, fmt, ROSTER)


@require_safe
def public_export(request: HttpRequest) -> HttpResponse:
    """The public directory's partnerships as CSV: no login, public columns only."""
    filterset = PartnershipFilter(request.GET, queryset=Partnership.objects.all(), request=request)
    return _file(request, PUBLIC, filterset, "csv", None)
