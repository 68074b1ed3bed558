"""The funder page's filters: the directory's, plus plan, sector-gap and freshness questions.

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
from plans.models import CommunityPlan

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


def active_plan_q() -> Q:
    active = CommunityPlan.objects.filter(
        partnership=OuterRef("pk"), status=CommunityPlan.Status.ACTIVE
    )
    return Q(Exists(active))


def stale_q(today: datetime.date) -> Q:
    """Never confirmed, or confirmed more than :data:`FRESHNESS_DAYS` ago (``is_stale``)."""
    limit = today - datetime.timedelta(days=FRESHNESS_DAYS)
    return Q(last_confirmed__isnull=True) | Q(last_confirmed__lt=limit)


class FunderFilter(PartnershipFilter):
    """The directory's filters and three a funder asks: active plan, sector gap, stale record."""

    has_active_plan = _yes_no(
        _("Has an active plan"),
        _("A Community Plan with the status “active”."),
        "filter_active_plan",
    )
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
        super().__init__(data, *args, **kwargs)
        self.today = today or timezone.localdate()

    @staticmethod
    def _apply(queryset: QuerySet, condition: Q, value: str) -> QuerySet:
        if value == "yes":
            return queryset.filter(condition)
        if value == "no":
            return queryset.exclude(condition)
        return queryset

    def filter_active_plan(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return self._apply(queryset, active_plan_q(), value)

    def filter_missing_sector(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return self._apply(queryset, missing_sector_q(), value)

    def filter_stale(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return self._apply(queryset, stale_q(self.today), value)
