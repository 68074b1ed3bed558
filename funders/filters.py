"""The funder page's filters: the directory's (``has_plan`` included), plus sector-gap and
freshness questions.

Built on :class:`directory.filters.PartnershipFilter`, so an invalid value of any parameter
gives form errors and an empty ``.qs`` (the page answers 400, the exports too), never a
partly filtered list. The SQL here answers the same questions as :mod:`funders.summary`.
"""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.filters import PartnershipFilter
from partnerships.models import Council, CouncilMembership, Sector
from partnerships.services import FRESHNESS_DAYS

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def _yes_no(label: Any, help_text: Any, method: str) -> django_filters.ChoiceFilter:
    return django_filters.ChoiceFilter(
        choices=YES_NO,
        method=method,
        label=label,
        help_text=help_text,
        empty_label=_("Any"),
        widget=forms.Select,
    )


def missing_sector_q() -> Q:
    """Partnerships whose main council lacks at least one IRCC-recommended sector.

    A sector is present when a current member (not yet left) of a main council represents it;
    a partnership without a main council lacks every sector (as in the summary).
    """
    present = CouncilMembership.objects.filter(
        council__partnership=OuterRef(OuterRef("pk")),
        council__kind=Council.Kind.MAIN,
        left_on__isnull=True,
        sector=OuterRef("pk"),
    )
    missing = Sector.objects.filter(recommended=True).filter(~Exists(present))
    return Q(Exists(missing))


def stale_q(today: datetime.date) -> Q:
    """Never confirmed, or confirmed more than :data:`FRESHNESS_DAYS` ago (``is_stale``)."""
    limit = today - datetime.timedelta(days=FRESHNESS_DAYS)
    return Q(last_confirmed__isnull=True) | Q(last_confirmed__lt=limit)


#: Parameters the funder page once had, and the directory parameter that now means the same:
#: links and bookmarks with the old name keep working.
RENAMED_PARAMS = {"has_active_plan": "has_plan"}


def renamed_params(data: Any) -> Any:
    """``data`` with each old parameter name replaced by its new one (the new one wins)."""
    if data is None or not any(old in data for old in RENAMED_PARAMS):
        return data
    data = data.copy()
    for old, new in RENAMED_PARAMS.items():
        if old in data:
            values = data.getlist(old) if hasattr(data, "getlist") else [data[old]]
            del data[old]
            if new not in data:
                if hasattr(data, "setlist"):
                    data.setlist(new, values)
                else:
                    data[new] = values[-1]
    return data


class FunderFilter(PartnershipFilter):
    """The directory's filters (an active plan is the directory's ``has_plan``) and two a
    funder asks: sector gap, stale record."""

    missing_sector = _yes_no(
        _("Missing a recommended sector"),
        _("The main council lacks at least one sector IRCC recommends."),
        "filter_missing_sector",
    )
    stale = _yes_no(
        _("Not confirmed in 12 months"),
        _("No coordinator has confirmed the record in the last 12 months."),
        "filter_stale",
    )

    def __init__(
        self, data: Any = None, *args: Any, today: datetime.date | None = None, **kwargs: Any
    ) -> None:
        super().__init__(renamed_params(data), *args, **kwargs)
        self.today = today or timezone.localdate()

    @staticmethod
    def _apply(queryset: QuerySet, condition: Q, value: str) -> QuerySet:
        if value == "yes":
            return queryset.filter(condition)
        if value == "no":
            return queryset.exclude(condition)
        return queryset

    def filter_missing_sector(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return self._apply(queryset, missing_sector_q(), value)

    def filter_stale(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return self._apply(queryset, stale_q(self.today), value)
