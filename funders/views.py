"""The funder page: partnerships compared side by side, in the admin's look.

Funders and superusers read every partnership; coordinators see their own (the scoping
rule, :meth:`OwnedQuerySet.visible_to`). Filters are the directory's (``has_plan`` among
them) plus two of :class:`funders.filters.FunderFilter` (``missing_sector``, ``stale``); an
invalid filter or sort answers 400 with the reason.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.paginator import InvalidPage, Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partnerships.models import Partnership
from partnerships.scoping import scope_of
from partnerships.services import FRESHNESS_DAYS, recommended_sectors

from .charts import missing_sectors_chart, plan_status_chart
from .filters import FunderFilter
from .summary import (
    ON_TRACK_RULE,
    PartnershipSummary,
    count_indicators,
    group_totals,
    overall_total,
    summarize,
)

#: Columns the table sorts on: ``?o=<key>`` ascending, ``?o=-<key>`` descending.
SORT_KEYS: dict[str, Callable[[PartnershipSummary], Any]] = {
    "name": lambda s: s.partnership.display_name.casefold(),
    "kind": lambda s: s.kind,
    "province": lambda s: s.province,
    "seats": lambda s: s.council_seats,
    "members": lambda s: s.current_members,
    "vacant": lambda s: s.vacant_seats,
    "organizations": lambda s: s.member_organizations,
    "sectors": lambda s: len(s.sectors_represented),
    "missing": lambda s: len(s.missing_sectors),
    "newcomers": lambda s: s.newcomer_seats,
    "indigenous": lambda s: s.indigenous_seats,
    "groups": lambda s: s.working_groups,
    "plan": lambda s: s.plan.end_year if s.plan else None,
    "actions": lambda s: s.actions_done_pct,
    "indicators": lambda s: s.indicators_on_track_pct,
    "confirmed": lambda s: s.last_confirmed,
    "confidence": lambda s: {"high": 3, "medium": 2, "low": 1}.get(s.confidence, 0),
}


#: Partnerships per page of the table (totals and charts cover every filtered partnership).
PAGE_SIZE = 100


class BadSort(ValueError):
    pass


#: The partnership fields the page reads (the summary's figures are counted apart).
PAGE_FIELDS = ("pk", "name", "name_fr", "slug", "kind", "province", "last_confirmed", "confidence")


def may_compare(user: Any) -> bool:
    """Superusers, funders, and coordinators (for their own partnerships)."""
    if not getattr(user, "is_authenticated", False) or not user.is_staff:
        return False
    scope = scope_of(user)
    return scope.reads_all or bool(scope.own_ids)


def sort_summaries(summaries: list[PartnershipSummary], order: str) -> list[PartnershipSummary]:
    """Sorted by one whitelisted column (empty values last either way), then by name."""
    if not order:
        return summaries
    descending = order.startswith("-")
    key = order.lstrip("-")
    if key not in SORT_KEYS or order.count("-") > 1:
        raise BadSort(order)
    get = SORT_KEYS[key]
    by_name = sorted(summaries, key=SORT_KEYS["name"])
    present = [s for s in by_name if get(s) is not None]
    empty = [s for s in by_name if get(s) is None]
    return sorted(present, key=get, reverse=descending) + empty


def _export_links(request: HttpRequest) -> list[dict[str, str]]:
    query = request.GET.urlencode()
    suffix = f"?{query}" if query else ""
    names = [
        ("funders:export-summary", _("Partnership summary")),
        ("funders:export-composition", _("Council composition")),
        ("funders:export-plan-progress", _("Plan progress")),
        ("funders:export-roster", _("Council rosters (contacts only with consent)")),
    ]
    return [
        {
            "label": label,
            "csv": reverse(name, kwargs={"fmt": "csv"}) + suffix,
            "xlsx": reverse(name, kwargs={"fmt": "xlsx"}) + suffix,
        }
        for name, label in names
    ]


#: The table's columns: (sort key, heading, numeric).
COLUMNS = [
    ("name", gettext_lazy("Partnership"), False),
    ("kind", gettext_lazy("Kind"), False),
    ("province", gettext_lazy("Province"), False),
    ("seats", gettext_lazy("Council seats"), True),
    ("members", gettext_lazy("Current members"), True),
    ("vacant", gettext_lazy("Vacant seats"), True),
    ("organizations", gettext_lazy("Member organizations"), True),
    ("sectors", gettext_lazy("Sectors represented"), False),
    ("missing", gettext_lazy("Recommended sectors missing"), False),
    ("newcomers", gettext_lazy("Newcomer seats"), True),
    ("indigenous", gettext_lazy("Indigenous seats"), True),
    ("groups", gettext_lazy("Working groups (themes)"), False),
    ("plan", gettext_lazy("Community plan"), False),
    ("actions", gettext_lazy("Actions done"), True),
    ("indicators", gettext_lazy("Indicators on track"), True),
    ("confirmed", gettext_lazy("Last confirmed"), False),
    ("confidence", gettext_lazy("Record confidence"), False),
]
CHECKBOX_FIELDS = {"kind", "province", "focus", "language"}


def _columns(request: HttpRequest, current: str) -> list[dict[str, Any]]:
    """Each column's heading with the URL that sorts on it (toggling) and its aria-sort."""
    columns = []
    for key, label, numeric in COLUMNS:
        params = request.GET.copy()
        params.pop("page", None)  # a new order starts again on its first page
        if current == key:
            params["o"], state = f"-{key}", "ascending"
        elif current == f"-{key}":
            params["o"], state = key, "descending"
        else:
            params["o"], state = key, "none"
        url = f"?{params.urlencode()}"
        columns.append({"key": key, "label": label, "num": numeric, "url": url, "aria": state})
    return columns


def _page_url(request: HttpRequest, number: int) -> str:
    """This request's URL on another page: the filters and the sort are kept."""
    params = request.GET.copy()
    params["page"] = str(number)
    return f"?{params.urlencode()}"


def _pagination(request: HttpRequest, page: Page | None) -> dict[str, Any]:
    """The page's rows and its links: previous, next, and the numbers (an ellipsis where
    some are left out)."""
    if page is None:
        return {"page_rows": [], "page_links": [], "previous_url": "", "next_url": ""}
    links = []
    for number in page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1):
        url = None if number == Paginator.ELLIPSIS else _page_url(request, int(number))
        links.append({"number": number, "url": url, "current": number == page.number})
    return {
        "page_rows": page.object_list,
        "page_links": links,
        "previous_url": _page_url(request, page.number - 1) if page.has_previous() else "",
        "next_url": _page_url(request, page.number + 1) if page.has_next() else "",
    }


def funder_page(request: HttpRequest, today: datetime.date | None = None) -> HttpResponse:
    """Filter, total, chart and tabulate the partnerships the user may read."""
    if not may_compare(request.user):
        raise PermissionDenied
    today = today or timezone.localdate()
    filterset = FunderFilter(
        request.GET, queryset=Partnership.objects.visible_to(request.user), today=today
    )
    order = request.GET.get("o", "")
    errors: list[str] = []
    summaries: list[PartnershipSummary] = []
    page: Page | None = None
    if filterset.form.is_valid():
        # Indicators are counted for the rows shown, or for all when the table sorts on them.
        summaries = summarize(
            filterset.qs.only(*PAGE_FIELDS),
            user=request.user,
            today=today,
            indicators=order.lstrip("-") == "indicators",
        )
        try:
            summaries = sort_summaries(summaries, order)
        except BadSort:
            errors.append(
                _("“%(order)s” is not a column this table sorts on. Choose one of: %(keys)s.")
                % {"order": order, "keys": ", ".join(SORT_KEYS)}
            )
            summaries = []
        else:
            paginator = Paginator(summaries, PAGE_SIZE)
            number = request.GET.get("page") or "1"
            try:
                page = paginator.page(number)
                count_indicators(page.object_list, user=request.user, today=today)
            except InvalidPage:
                errors.append(
                    _(
                        "“%(page)s” is not a page of this table. "
                        "Choose a page number from 1 to %(count)s."
                    )
                    % {"page": number, "count": paginator.num_pages}
                )
                summaries = []
    else:
        for name, messages in filterset.form.errors.items():
            field = filterset.form.fields.get(name)
            label = str(field.label) if field is not None else name
            errors.extend(f"{label}: {message}" for message in messages)
    recommended = [s for s in recommended_sectors() if s.recommended]
    context = {
        **admin.site.each_context(request),
        "title": _("Compare partnerships"),
        "filter": filterset,
        "errors": errors,
        "summaries": summaries,
        "page": page,
        **_pagination(request, page),
        "recommended_count": len(recommended),
        "by_province": group_totals(summaries, "province"),
        "by_kind": group_totals(summaries, "kind"),
        "overall": overall_total(summaries),
        "charts": [
            missing_sectors_chart(
                summaries,
                recommended,
                _("Recommended sectors most often missing"),
                _(
                    "Number of the %(count)s partnerships shown whose main council lacks each "
                    "IRCC-recommended sector."
                )
                % {"count": len(summaries)},
            ),
            plan_status_chart(
                summaries,
                _("Plan status by province"),
                _("Number of partnerships per province and territory, by Community Plan status."),
            ),
        ],
        "columns": _columns(request, order),
        "checkbox_fields": CHECKBOX_FIELDS,
        "order": order,
        "exports": _export_links(request),
        "on_track_rule": ON_TRACK_RULE,
        "freshness_days": FRESHNESS_DAYS,
        "today": today,
    }
    return TemplateResponse(
        request, "admin/funders/compare.html", context, status=400 if errors else 200
    )
