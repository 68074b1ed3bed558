"""What each export holds: its columns (documented in ``docs/exports.md``) and its rows.

Every export reads through ``visible_to(user)`` (funders read every partnership, coordinators
their own, the public as the public). Only the roster holds people, and only as that rule
shows them (with consent, or to the partnership's own coordinator); the others hold counts.
The partnership summary's figures come from :func:`funders.summary.summarize`, so a file and
the funder page say the same thing.

Column codes are stable (a test pins each header row); labels are in the reader's language,
with codes in separate ``…_code`` columns where a machine needs them.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partnerships.models import (
    Community,
    Council,
    CouncilMembership,
    FocusArea,
    Partnership,
    Province,
    Role,
    Sector,
)
from partnerships.services import recommended_sectors
from plans.models import CommunityPlan, Indicator, Measurement

from .files import BOOLEAN, DATE, DECIMAL, INTEGER, PERCENT, TEXT, Column
from .summary import STATUS_LABELS, PartnershipSummary, indicator_status, summarize

#: Indicators read per database round trip in the plan progress export.
CHUNK_SIZE = 2000
LIST_SEPARATOR = "; "

Row = Sequence[Any]


@dataclass(frozen=True)
class Export:
    """One export: its file name stem, sheet title, columns and row generator."""

    slug: str
    title: Any
    columns: Sequence[Column]
    rows: Callable[[QuerySet, Any], Iterable[Row]]
    #: How many rows there will be, cheaply (one COUNT), where there can be very many:
    #: the XLSX row cap is then refused before any row is read.
    count: Callable[[QuerySet, Any], int] | None = None

    @property
    def codes(self) -> list[str]:
        return [column.code for column in self.columns]


def _c(code: str, label: str, kind: str = TEXT) -> Column:
    return Column(code, label, kind)


def _names(items: Iterable[Any]) -> str:
    return LIST_SEPARATOR.join(item.display_name for item in items)


def _labels(choices: Any) -> dict[str, str]:
    return {value: str(label) for value, label in choices}


# -- the columns that name a partnership, first in every file ----------------------------

PARTNERSHIP_COLUMNS = [
    _c("partnership", gettext_lazy("Partnership")),
    _c("partnership_slug", gettext_lazy("Partnership code")),
    _c("kind", gettext_lazy("Kind")),
    _c("kind_code", gettext_lazy("Kind code")),
    _c("province", gettext_lazy("Province or territory")),
    _c("province_code", gettext_lazy("Province code")),
]
#: The same, codes only, for files with many rows per partnership.
PARTNERSHIP_CODE_COLUMNS = [c for c in PARTNERSHIP_COLUMNS if c.code not in ("kind", "province")]


def partnership_cells(p: Partnership) -> list[Any]:
    """The cells of :data:`PARTNERSHIP_COLUMNS` (labels in the reader's language)."""
    return [p.display_name, p.slug, p.get_kind_display(), p.kind, p.get_province_display(),
            p.province]  # fmt: skip


def partnership_code_cells(p: Partnership) -> list[Any]:
    """The cells of :data:`PARTNERSHIP_CODE_COLUMNS`."""
    return [p.display_name, p.slug, p.kind, p.province]


# -- partnership summary ------------------------------------------------------------------

SUMMARY_COLUMNS = [
    *PARTNERSHIP_COLUMNS,
    _c("council_seats", gettext_lazy("Council seats"), INTEGER),
    _c("current_members", gettext_lazy("Current council members"), INTEGER),
    _c("vacant_seats", gettext_lazy("Vacant seats"), INTEGER),
    _c("member_organizations", gettext_lazy("Member organizations"), INTEGER),
    _c("sectors_represented", gettext_lazy("Sectors represented")),
    _c("sectors_represented_count", gettext_lazy("Number of sectors represented"), INTEGER),
    _c("missing_sectors", gettext_lazy("Recommended sectors missing")),
    _c("missing_sector_codes", gettext_lazy("Recommended sectors missing (codes)")),
    _c("missing_sectors_count", gettext_lazy("Number of recommended sectors missing"), INTEGER),
    _c("newcomer_seats", gettext_lazy("Newcomer seats"), INTEGER),
    _c("indigenous_seats", gettext_lazy("Indigenous seats"), INTEGER),
    _c("working_groups", gettext_lazy("Working groups"), INTEGER),
    _c("working_group_themes", gettext_lazy("Working group themes")),
    _c("plan_start_year", gettext_lazy("Plan start year"), INTEGER),
    _c("plan_end_year", gettext_lazy("Plan end year"), INTEGER),
    _c("plan_status", gettext_lazy("Plan status")),
    _c("plan_status_code", gettext_lazy("Plan status code")),
    _c("actions_total", gettext_lazy("Actions"), INTEGER),
    _c("actions_done", gettext_lazy("Actions done"), INTEGER),
    _c("actions_done_pct", gettext_lazy("Actions done (%)"), PERCENT),
    _c("indicators_total", gettext_lazy("Indicators"), INTEGER),
    _c("indicators_on_track", gettext_lazy("Indicators on track or met"), INTEGER),
    _c("indicators_on_track_pct", gettext_lazy("Indicators on track or met (%)"), PERCENT),
    _c("last_confirmed", gettext_lazy("Last confirmed"), DATE),
    _c("stale", gettext_lazy("Not confirmed in 12 months"), BOOLEAN),
    _c("confidence", gettext_lazy("Record confidence")),
    _c("confidence_code", gettext_lazy("Record confidence code")),
]


def summary_row(s: PartnershipSummary) -> Row:
    """One partnership's summary, in :data:`SUMMARY_COLUMNS` order."""
    plan = s.plan
    return [
        *partnership_cells(s.partnership),
        s.council_seats,
        s.current_members,
        s.vacant_seats,
        s.member_organizations,
        _names(s.sectors_represented),
        len(s.sectors_represented),
        _names(s.missing_sectors),
        LIST_SEPARATOR.join(sector.slug for sector in s.missing_sectors),
        len(s.missing_sectors),
        s.newcomer_seats,
        s.indigenous_seats,
        s.working_groups,
        LIST_SEPARATOR.join(s.working_group_themes),
        plan.start_year if plan else None,
        plan.end_year if plan else None,
        s.plan_status,
        s.plan_state,
        s.actions_total,
        s.actions_done,
        s.actions_done_pct,
        s.indicators_total,
        s.indicators_on_track,
        s.indicators_on_track_pct,
        s.last_confirmed,
        s.is_stale,
        s.confidence_label,
        s.confidence,
    ]


def summary_rows(partnerships: QuerySet, user: Any) -> Iterator[Row]:
    """One row per partnership the user may read (constant queries: :func:`summarize`)."""
    for summary in summarize(partnerships, user=user):
        yield summary_row(summary)


SUMMARY = Export(
    "partnership-summary", gettext_lazy("Partnership summary"), SUMMARY_COLUMNS, summary_rows
)


# -- council composition ------------------------------------------------------------------

COMPOSITION_COLUMNS = [
    *PARTNERSHIP_CODE_COLUMNS,
    _c("sector", gettext_lazy("Sector")),
    _c("sector_code", gettext_lazy("Sector code")),
    _c("recommended", gettext_lazy("Recommended by IRCC"), BOOLEAN),
    _c("seats_held", gettext_lazy("Seats held"), INTEGER),
    _c("voting_seats", gettext_lazy("Voting seats"), INTEGER),
]


def composition_rows(partnerships: QuerySet, user: Any) -> Iterator[Row]:
    """One row per partnership and sector of its main council: every IRCC-recommended sector
    (also with no seat: that is the gap), plus the newcomer and Indigenous sectors and any
    other sector that holds a seat. Current members only, as in the summary. Three queries."""
    rows = list(
        partnerships.visible_to(user).only("pk", "name", "name_fr", "slug", "kind", "province")
    )
    listed = recommended_sectors()
    counts: dict[int, dict[int | None, tuple[int, int]]] = defaultdict(dict)
    held = (
        CouncilMembership.objects.filter(
            council__in=Council.objects.visible_to(user).filter(
                kind=Council.Kind.MAIN, partnership__in=[p.pk for p in rows]
            ),
            left_on__isnull=True,
        )
        .values("council__partnership_id", "sector_id")
        .annotate(seats=Count("pk"), voting=Count("pk", filter=Q(voting=True)))
        .order_by()
    )
    for item in held:
        counts[item["council__partnership_id"]][item["sector_id"]] = (item["seats"], item["voting"])
    others = {
        s.pk: s for s in Sector.objects.filter(pk__in={k for c in counts.values() for k in c})
    }
    listed_ids = {s.pk for s in listed}
    for p in rows:
        held_here = counts.get(p.pk, {})
        sectors = list(listed) + [
            others[pk] for pk in held_here if pk is not None and pk not in listed_ids
        ]
        sectors.sort(key=lambda s: (s.order, s.name))
        for sector in sectors:
            seats, voting = held_here.get(sector.pk, (0, 0))
            yield [
                *partnership_code_cells(p),
                sector.display_name,
                sector.slug,
                sector.recommended,
                seats,
                voting,
            ]
        if None in held_here:
            seats, voting = held_here[None]
            yield [*partnership_code_cells(p), _("No sector recorded"), "", False, seats, voting]


COMPOSITION = Export(
    "council-composition",
    gettext_lazy("Council composition"),
    COMPOSITION_COLUMNS,
    composition_rows,
)


# -- plan progress ------------------------------------------------------------------------

PLAN_PROGRESS_COLUMNS = [
    *PARTNERSHIP_CODE_COLUMNS,
    _c("plan", gettext_lazy("Plan")),
    _c("plan_start_year", gettext_lazy("Plan start year"), INTEGER),
    _c("plan_end_year", gettext_lazy("Plan end year"), INTEGER),
    _c("priority", gettext_lazy("Priority")),
    _c("focus_area", gettext_lazy("Focus area")),
    _c("indicator", gettext_lazy("Indicator")),
    _c("unit", gettext_lazy("Unit")),
    _c("polarity", gettext_lazy("Polarity")),
    _c("polarity_code", gettext_lazy("Polarity code")),
    _c("baseline_value", gettext_lazy("Baseline value"), DECIMAL),
    _c("baseline_year", gettext_lazy("Baseline year"), INTEGER),
    _c("target_value", gettext_lazy("Target value"), DECIMAL),
    _c("target_year", gettext_lazy("Target year"), INTEGER),
    _c("latest_value", gettext_lazy("Latest value"), DECIMAL),
    _c("latest_year", gettext_lazy("Latest year"), INTEGER),
    _c("status", gettext_lazy("Status")),
    _c("status_code", gettext_lazy("Status code")),
]


def plan_progress_queryset(partnerships: QuerySet, user: Any) -> QuerySet:
    """Indicators of the active plans of ``partnerships`` that ``user`` may read, each with
    its latest measurement (by year) as annotations: one query, read in chunks."""
    latest = Measurement.objects.filter(indicator=OuterRef("pk")).order_by("-year", "-pk")
    return (
        Indicator.objects.visible_to(user)
        .filter(
            priority__plan__partnership__in=partnerships.order_by().values("pk"),
            priority__plan__status=CommunityPlan.Status.ACTIVE,
        )
        .select_related("priority__plan__partnership", "priority__focus_area")
        .annotate(
            latest_value=Subquery(latest.values("value")[:1]),
            latest_year=Subquery(latest.values("year")[:1]),
        )
        .order_by(
            "priority__plan__partnership__province",
            "priority__plan__partnership__name",
            "priority__plan__partnership_id",
            "-priority__plan__start_year",
            "priority__plan_id",
            "priority__order",
            "priority_id",
            "pk",  # entry order: names sort differently on each database's collation
        )
    )


def plan_progress_rows(
    partnerships: QuerySet, user: Any, *, today: datetime.date | None = None
) -> Iterator[Row]:
    """One row per indicator of an active plan, streamed from one chunked query."""
    today = today or timezone.localdate()
    polarities = _labels(Indicator.Polarity.choices)
    statuses = {code: str(label) for code, label in STATUS_LABELS.items()}
    queryset = plan_progress_queryset(partnerships, user)
    for indicator in queryset.iterator(chunk_size=CHUNK_SIZE):
        latest = None
        if indicator.latest_value is not None:
            latest = Measurement(value=indicator.latest_value, year=indicator.latest_year)
        status = indicator_status(indicator, latest, today=today)
        priority = indicator.priority
        plan = priority.plan
        p = plan.partnership
        yield [
            *partnership_code_cells(p),
            plan.display_title,
            plan.start_year,
            plan.end_year,
            priority.display_title,
            priority.focus_area.display_name if priority.focus_area else "",
            indicator.name,
            indicator.unit,
            polarities.get(indicator.polarity, indicator.polarity),
            indicator.polarity,
            indicator.baseline_value,
            indicator.baseline_year,
            indicator.target_value,
            indicator.target_year,
            indicator.latest_value,
            indicator.latest_year,
            statuses[status],
            status,
        ]


def plan_progress_count(partnerships: QuerySet, user: Any) -> int:
    return plan_progress_queryset(partnerships, user).count()


PLAN_PROGRESS = Export(
    "plan-progress",
    gettext_lazy("Plan progress"),
    PLAN_PROGRESS_COLUMNS,
    plan_progress_rows,
    plan_progress_count,
)


# -- the public directory's export --------------------------------------------------------

PUBLIC_COLUMNS = [
    _c("partnership", gettext_lazy("Partnership")),
    _c("acronym", gettext_lazy("Acronym")),
    _c("partnership_slug", gettext_lazy("Partnership code")),
    _c("kind", gettext_lazy("Kind")),
    _c("kind_code", gettext_lazy("Kind code")),
    _c("province", gettext_lazy("Province or territory")),
    _c("province_code", gettext_lazy("Province code")),
    _c("main_community", gettext_lazy("Main community or region")),
    _c("communities", gettext_lazy("Communities served")),
    _c("province_wide", gettext_lazy("Serves the whole province"), BOOLEAN),
    _c("languages", gettext_lazy("Language of service")),
    _c("website", gettext_lazy("Website")),
    _c("focus_areas", gettext_lazy("Focus areas")),
    _c("working_groups", gettext_lazy("Working groups"), INTEGER),
    _c("plan_start_year", gettext_lazy("Active plan start year"), INTEGER),
    _c("plan_end_year", gettext_lazy("Active plan end year"), INTEGER),
    _c("last_confirmed", gettext_lazy("Last confirmed"), DATE),
]


def public_rows(partnerships: QuerySet, user: Any = None) -> Iterator[Row]:
    """The summary's public columns, read as the public whoever asks (``visible_to(None)``):
    no roster, no contact, no person."""
    kinds = _labels(Partnership.Kind.choices)
    provinces = _labels(Province.choices)
    languages = _labels(Partnership.Languages.choices)
    prefetched = partnerships.prefetch_related(
        Prefetch("communities", queryset=Community.objects.order_by("name")),
        Prefetch("focus_areas", queryset=FocusArea.objects.order_by("order", "name")),
    )
    for s in summarize(prefetched, user=None):
        p = s.partnership
        yield [
            p.display_name,
            p.acronym,
            p.slug,
            kinds.get(p.kind, p.kind),
            p.kind,
            provinces.get(p.province, p.province),
            p.province,
            p.main_community,
            LIST_SEPARATOR.join(c.name for c in p.communities.all()),
            p.is_province_wide,
            languages.get(p.languages, p.languages),
            p.website,
            _names(p.focus_areas.all()),
            s.working_groups,
            s.plan.start_year if s.plan else None,
            s.plan.end_year if s.plan else None,
            p.last_confirmed,
        ]


PUBLIC = Export("partnerships", gettext_lazy("Partnerships"), PUBLIC_COLUMNS, public_rows)


# -- roster -------------------------------------------------------------------------------
# The one export with people in it: read through visible_to(user), so a name, email or phone
# is there only where the member consented, or for the coordinator of that partnership.

ROSTER_COLUMNS = [
    *PARTNERSHIP_COLUMNS,
    _c("council", gettext_lazy("Council")),
    _c("organization", gettext_lazy("Organization")),
    _c("person", gettext_lazy("Person")),
    _c("title", gettext_lazy("Title")),
    _c("email", gettext_lazy("Email")),
    _c("phone", gettext_lazy("Phone")),
    _c("role", gettext_lazy("Role")),
    _c("role_code", gettext_lazy("Role code")),
    _c("voting", gettext_lazy("Voting"), BOOLEAN),
    _c("sector", gettext_lazy("Sector")),
    _c("sector_code", gettext_lazy("Sector code")),
    _c("term_start", gettext_lazy("Term start"), DATE),
    _c("term_end", gettext_lazy("Term end"), DATE),
    _c("left_on", gettext_lazy("Left on"), DATE),
    _c("publish_consent", gettext_lazy("Consents to publish"), BOOLEAN),
]


def roster_queryset(partnerships: QuerySet, user: Any) -> QuerySet:
    return (
        CouncilMembership.objects.visible_to(user)
        .filter(council__partnership__in=partnerships.order_by().values("pk"))
        .select_related("council__partnership", "organization", "sector")
        .order_by(
            "council__partnership__province",
            "council__partnership__name",
            "council_id",
            "left_on",
            "role",
            "organization__name",
            "person_name",
            "pk",
        )  # fmt: skip
    )


def roster_rows(partnerships: QuerySet, user: Any) -> Iterator[Row]:
    """One row per council membership, streamed from one chunked query."""
    roles = _labels(Role.choices)
    for m in roster_queryset(partnerships, user).iterator(chunk_size=CHUNK_SIZE):
        yield [
            *partnership_cells(m.council.partnership),
            m.council.name,
            m.organization.display_name if m.organization_id else "",
            m.person_name,
            m.title,
            m.email,
            m.phone,
            roles.get(m.role, m.role),
            m.role,
            m.voting,
            m.sector.display_name if m.sector_id else "",
            m.sector.slug if m.sector_id else "",
            m.term_start,
            m.term_end,
            m.left_on,
            m.publish_consent,
        ]


def roster_count(partnerships: QuerySet, user: Any) -> int:
    return roster_queryset(partnerships, user).count()


ROSTER = Export(
    "roster", gettext_lazy("Council rosters"), ROSTER_COLUMNS, roster_rows, roster_count
)

EXPORTS = {
    "summary": SUMMARY,
    "composition": COMPOSITION,
    "plan-progress": PLAN_PROGRESS,
    "roster": ROSTER,
}
