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
from itertools import islice
from types import SimpleNamespace
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partnerships.models import (
    Council,
    CouncilMembership,
    FocusArea,
    Partnership,
    Province,
    Role,
    Sector,
    ServedCommunity,
    localized,
)
from partnerships.services import recommended_sectors
from plans.models import CommunityPlan, Indicator, Measurement, Priority

from .files import BOOLEAN, DATE, DECIMAL, INTEGER, PERCENT, TEXT, Column
from .summary import (
    STATUS_LABELS,
    PartnershipSummary,
    among,
    indicator_status,
    iter_summaries,
    partnership_batches,
    plan_choices,
    working_group_counts,
)

#: Indicators read per database round trip in the plan progress export.
CHUNK_SIZE = 2000
#: Partnerships whose seats the composition export counts per query.
COMPOSITION_BATCH = 5000
LIST_SEPARATOR = "; "

Row = Sequence[Any]


@dataclass(frozen=True)
class Export:
    """One export: its file name stem, sheet title, columns and row generator."""

    slug: str
    title: Any
    columns: Sequence[Column]
    rows: Callable[[QuerySet, Any], Iterable[Row]]
    #: How many rows there will be (or at least), cheaply, where there can be very many:
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


def localizer() -> Callable[[str | None, str | None], str | None]:
    """``(name, name_fr) -> display name`` for plain values, by the rule of
    :func:`partnerships.models.localized` in the active language (asked once, on a probe:
    per-row ``get_language()`` costs more than the rest of a row)."""
    if localized(SimpleNamespace(name="en", name_fr="fr"), "name") == "fr":
        return lambda name, name_fr: name_fr or name
    return lambda name, name_fr: name or name_fr


def partnership_cells_by_id(partnerships: QuerySet, *, codes_only: bool = False) -> dict:
    """``{partnership id: cells}`` (:func:`partnership_cells`, or :func:`partnership_code_cells`
    with ``codes_only``) for every partnership of ``partnerships``, in its order, from one
    query of plain values: files with many rows per partnership look their cells up."""
    name_of = localizer()
    kinds = _labels(Partnership.Kind.choices)
    provinces = _labels(Province.choices)
    fields = ("pk", "name", "name_fr", "slug", "kind", "province")
    values = partnerships.values_list(*fields)
    if codes_only:
        return {pk: (name_of(name, fr), slug, kind, province)
                for pk, name, fr, slug, kind, province in values}  # fmt: skip
    return {
        pk: (name_of(name, fr), slug, kinds.get(kind, kind), kind,
             provinces.get(province, province), province)
        for pk, name, fr, slug, kind, province in values
    }  # fmt: skip


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


#: The partnership fields the summary file reads (its other columns are counted apart).
SUMMARY_FIELDS = ("pk", "name", "name_fr", "slug", "kind", "province", "last_confirmed",
                  "confidence")  # fmt: skip


def summary_row(s: PartnershipSummary, names: dict[int, str] | None = None) -> Row:
    """One partnership's summary, in :data:`SUMMARY_COLUMNS` order.

    The partnership's cells are :func:`partnership_cells`' with the labels the summary has
    already looked up (``get_FOO_display`` costs more than the rest of a row); ``names``
    keeps each sector's display name from one row to the next (a file names the same few
    sectors thousands of times).
    """
    plan = s.plan
    p = s.partnership
    names = {} if names is None else names

    def sectors(items: list[Sector]) -> str:
        for sector in items:
            if sector.id not in names:
                names[sector.id] = sector.display_name
        return LIST_SEPARATOR.join(names[sector.id] for sector in items)

    return [
        *(p.display_name, p.slug, s.kind_label, p.kind, s.province_label, p.province),
        s.council_seats,
        s.current_members,
        s.vacant_seats,
        s.member_organizations,
        sectors(s.sectors_represented),
        len(s.sectors_represented),
        sectors(s.missing_sectors),
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
    """One row per partnership the user may read, streamed in batches of
    :data:`funders.summary.CHUNK_SIZE` partnerships (:func:`iter_summaries`): memory stays
    that of one batch, and queries grow with rows / CHUNK_SIZE only (seven per batch)."""
    names: dict[int, str] = {}
    for summary in iter_summaries(partnerships.only(*SUMMARY_FIELDS), user=user):
        yield summary_row(summary, names)


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
    other sector that holds a seat. Current members only, as in the summary.

    Seats are counted for :data:`COMPOSITION_BATCH` partnerships at a time (memory stays
    that of one batch; each batch's count scans the memberships, so batches are large):
    three queries, plus two per batch (seats, and any other sector holding one).
    """
    visible = partnerships.visible_to(user)
    cells = partnership_cells_by_id(visible, codes_only=True)
    listed = recommended_sectors()
    listed_ids = {s.pk for s in listed}
    key = {s.pk: (s.order, s.name) for s in listed}
    label = {s.pk: (s.display_name, s.slug, s.recommended) for s in listed}
    listed_order = sorted([s.pk for s in listed], key=key.__getitem__)
    councils = Council.objects.visible_to(user).filter(kind=Council.Kind.MAIN)
    no_seat = (0, 0)
    ids = iter(list(cells))
    while batch := list(islice(ids, COMPOSITION_BATCH)):
        counts: dict[int, dict[int | None, tuple[int, int]]] = defaultdict(dict)
        held = (
            CouncilMembership.objects.filter(
                council__in=councils.filter(partnership__in=batch), left_on__isnull=True
            )
            .values_list("council__partnership_id", "sector_id")
            .annotate(seats=Count("pk"), voting=Count("pk", filter=Q(voting=True)))
            .order_by()
        )
        for partnership_id, sector_id, seats, voting in held:
            counts[partnership_id][sector_id] = (seats, voting)
        wanted = {k for c in counts.values() for k in c if k not in key and k is not None}
        if wanted:
            for sector in Sector.objects.filter(pk__in=wanted):
                key[sector.pk] = (sector.order, sector.name)
                label[sector.pk] = (sector.display_name, sector.slug, sector.recommended)
        for partnership_id in batch:
            partnership = cells[partnership_id]
            held_here = counts.get(partnership_id, {})
            order = listed_order
            extra = [pk for pk in held_here if pk is not None and pk not in listed_ids]
            if extra:
                order = sorted([*listed_order, *extra], key=key.__getitem__)
            for sector_id in order:
                yield [*partnership, *label[sector_id], *held_here.get(sector_id, no_seat)]
            if None in held_here:
                seats, voting = held_here[None]
                yield [*partnership, _("No sector recorded"), "", False, seats, voting]


def composition_count(partnerships: QuerySet, user: Any) -> int:
    """At least as many rows as the file will have (every partnership lists every
    recommended sector): enough to refuse an XLSX over the cap before reading seats."""
    return partnerships.visible_to(user).count() * len(recommended_sectors())


COMPOSITION = Export(
    "council-composition",
    gettext_lazy("Council composition"),
    COMPOSITION_COLUMNS,
    composition_rows,
    composition_count,
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


#: What a plan progress row reads: plain values, no model instance.
PLAN_PROGRESS_FIELDS = (
    "priority__plan__partnership_id",
    "priority__plan_id",
    "priority__plan__title",
    "priority__plan__title_fr",
    "priority__plan__start_year",
    "priority__plan__end_year",
    "priority__title",
    "priority__title_fr",
    "priority__focus_area_id",
    "name",
    "unit",
    "polarity",
    "baseline_value",
    "baseline_year",
    "target_value",
    "target_year",
    "latest_value",
    "latest_year",
)


def plan_progress_rows(
    partnerships: QuerySet, user: Any, *, today: datetime.date | None = None
) -> Iterator[Row]:
    """One row per indicator of an active plan, streamed from one chunked query of plain
    values. The status is :func:`funders.summary.indicator_status` itself, called on one
    unsaved indicator, plan and measurement refilled for each row (building model instances
    per row cost more than the rest of the file). Four queries."""
    today = today or timezone.localdate()
    polarities = _labels(Indicator.Polarity.choices)
    statuses = {code: str(label) for code, label in STATUS_LABELS.items()}
    name_of = localizer()
    cells = partnership_cells_by_id(partnerships, codes_only=True)
    focus_areas = {f.pk: f.display_name for f in FocusArea.objects.all()}
    plan = CommunityPlan()
    indicator = Indicator(priority=Priority(plan=plan))
    latest = Measurement()
    queryset = plan_progress_queryset(partnerships, user).select_related(None)
    values = queryset.visible_values(user, *PLAN_PROGRESS_FIELDS, chunk_size=CHUNK_SIZE)
    for (partnership_id, _plan_id, plan_title, plan_title_fr, start_year, end_year,
         priority_title, priority_title_fr, focus_area_id, name, unit, polarity,
         baseline_value, baseline_year, target_value, target_year, latest_value, latest_year
         ) in values:  # fmt: skip
        plan.start_year, plan.end_year = start_year, end_year
        indicator.polarity = polarity
        indicator.baseline_value, indicator.baseline_year = baseline_value, baseline_year
        indicator.target_value, indicator.target_year = target_value, target_year
        if latest_value is not None:
            latest.value, latest.year = latest_value, latest_year
        status = indicator_status(
            indicator, latest if latest_value is not None else None, today=today
        )
        yield [
            *cells[partnership_id],
            name_of(plan_title, plan_title_fr),
            start_year,
            end_year,
            name_of(priority_title, priority_title_fr),
            focus_areas.get(focus_area_id, "") if focus_area_id else "",
            name,
            unit,
            polarities.get(polarity, polarity),
            polarity,
            baseline_value,
            baseline_year,
            target_value,
            target_year,
            latest_value,
            latest_year,
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


#: The partnership fields the public file reads (the other columns are counted apart).
PUBLIC_FIELDS = ("pk", "name", "name_fr", "acronym", "slug", "kind", "province",
                 "main_community", "is_province_wide", "languages", "website",
                 "last_confirmed")  # fmt: skip


def public_rows(partnerships: QuerySet, user: Any = None) -> Iterator[Row]:
    """The summary's public columns, read as the public whoever asks (``visible_to(None)``):
    no roster, no contact, no person.

    Streamed in batches of :data:`funders.summary.CHUNK_SIZE` partnerships: five queries per
    batch (partnerships, plans, working group counts, communities, focus areas), no model
    instance per community or focus area. The active plan and the working groups are the
    summary's (:func:`plan_choices`, :func:`working_group_counts`).
    """
    kinds = _labels(Partnership.Kind.choices)
    provinces = _labels(Province.choices)
    languages = _labels(Partnership.Languages.choices)
    focus_through = Partnership.focus_areas.through
    for rows, ids in partnership_batches(partnerships.only(*PUBLIC_FIELDS), user=None):
        plans = plan_choices(ids, None)
        groups = working_group_counts(ids, None)
        communities: dict[int, list[str]] = defaultdict(list)
        served = ServedCommunity.objects.filter(partnership_id__in=among(ids))
        for pk, name in served.order_by("community__name").values_list(
            "partnership_id", "community__name"
        ):
            communities[pk].append(name)
        focus: dict[int, list[FocusArea]] = defaultdict(list)
        areas: dict[int, FocusArea] = {}
        chosen = focus_through.objects.filter(partnership_id__in=among(ids)).order_by(
            "focusarea__order", "focusarea__name"
        )
        for pk, area_id, name, name_fr in chosen.values_list(
            "partnership_id", "focusarea_id", "focusarea__name", "focusarea__name_fr"
        ):
            if area_id not in areas:
                areas[area_id] = FocusArea(pk=area_id, name=name, name_fr=name_fr)
            focus[pk].append(areas[area_id])
        for p in rows:
            plan = plans.get(p.pk, (None, "", ""))[0]
            yield [
                p.display_name,
                p.acronym,
                p.slug,
                kinds.get(p.kind, p.kind),
                p.kind,
                provinces.get(p.province, p.province),
                p.province,
                p.main_community,
                LIST_SEPARATOR.join(communities.get(p.pk, [])),
                p.is_province_wide,
                languages.get(p.languages, p.languages),
                p.website,
                _names(focus.get(p.pk, [])),
                groups.get(p.pk, 0),
                plan.start_year if plan else None,
                plan.end_year if plan else None,
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


ROSTER_ORDER = (
    "council__partnership__province",
    "council__partnership__name",
    "council_id",
    "left_on",
    "role",
    "organization__name",
    "person_name",
    "pk",
)
#: What a roster row reads: no model instance, names and codes only (labels come from dicts).
ROSTER_FIELDS = (
    "council__partnership_id",
    "council__name",
    "organization__name",
    "organization__name_fr",
    "person_name",
    "title",
    "email",
    "phone",
    "role",
    "voting",
    "sector_id",
    "term_start",
    "term_end",
    "left_on",
    "publish_consent",
)


def roster_queryset(partnerships: QuerySet, user: Any) -> QuerySet:
    """The memberships of ``partnerships`` that ``user`` may read, in file order."""
    return (
        CouncilMembership.objects.visible_to(user)
        .filter(council__partnership__in=partnerships.order_by().values("pk"))
        .order_by(*ROSTER_ORDER)
    )


def roster_rows(partnerships: QuerySet, user: Any) -> Iterator[Row]:
    """One row per council membership, streamed from one chunked query of plain values
    (:meth:`~partnerships.scoping.OwnedQuerySet.visible_values` blanks the contacts the user
    may not see); partnership and sector cells from dicts read once. Three queries."""
    roles = _labels(Role.choices)
    name_of = localizer()
    cells = partnership_cells_by_id(partnerships)
    sectors = {s.pk: (s.display_name, s.slug) for s in Sector.objects.all()}
    no_sector = ("", "")
    queryset = roster_queryset(partnerships, user)
    for (partnership_id, council, organization, organization_fr, person, title, email, phone,
         role, voting, sector_id, term_start, term_end, left_on, consent) in (
        queryset.visible_values(user, *ROSTER_FIELDS, chunk_size=CHUNK_SIZE)
    ):  # fmt: skip
        sector, sector_code = sectors.get(sector_id, no_sector) if sector_id else no_sector
        yield [
            *cells[partnership_id],
            council,
            name_of(organization, organization_fr) or "",
            person,
            title,
            email,
            phone,
            roles.get(role, role),
            role,
            voting,
            sector,
            sector_code,
            term_start,
            term_end,
            left_on,
            consent,
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
