"""The one place where partnerships are filtered.

The public list, the map and (later) CSV exports and an open-data API all build a
:class:`PartnershipFilter` over a queryset and read ``.qs``. Parameters are validated by the
FilterSet's form; when any of them is invalid, ``.qs`` is empty rather than half-filtered, so
no caller can show a partially applied filter as if it were the answer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import django_filters
from django import forms
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Collate
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from partnerships.models import FocusArea, Partnership, Province
from partnerships.search_index import search_terms
from plans.peers import (
    PlanPriorityChoices,
    has_active_plan_q,
    plan_priority_choices,
    plan_priority_q,
    plan_priority_rows,
)

from .geocoding import Place, PlaceNotFound, geocode
from .labels import kind_abbreviation
from .nearby import NearMatch, near_matches, nearest_km, partnerships_near
from .revision import RevisionState, request_revision, store_facets, stored_facets

DEFAULT_RADIUS_KM = 50
MAX_RADIUS_KM = 1000
MAX_QUERY_LENGTH = 200
MAX_QUERY_TERMS = 12
MAX_NEAR_LENGTH = 100

LANGUAGE_MATCHES = {
    Partnership.Languages.ENGLISH: [Partnership.Languages.ENGLISH, Partnership.Languages.BILINGUAL],
    Partnership.Languages.FRENCH: [Partnership.Languages.FRENCH, Partnership.Languages.BILINGUAL],
    Partnership.Languages.BILINGUAL: [Partnership.Languages.BILINGUAL],
}


#: The ICU collation migration partnerships/0009 creates on PostgreSQL.
FRENCH_COLLATION = "fr_ca_icu"


def french_name_order(alias: str = DEFAULT_DB_ALIAS) -> Collate | F:
    """Order by name the French way: "Éducation" before "Zone", "cote" before "côte".

    PostgreSQL compares names with the ICU fr-CA collation; SQLite has no ICU, so it orders
    by the stored sort key that gives the same order (``partnerships.search_index.sort_key``).
    """
    if connections[alias].vendor == "postgresql":
        return Collate(F("name"), FRENCH_COLLATION)
    return F("sort_name")


@dataclass(frozen=True)
class ActiveFilter:
    """One applied value, shown as a removable chip."""

    param: str
    value: str
    label: str


class PartnershipFilterForm(forms.Form):
    """Validates the parameters together: geocodes ``near`` and defaults the radius."""

    near_suggestions: list[str]

    def clean_near(self) -> Place | None:
        self.near_suggestions = []
        text = self.cleaned_data.get("near") or ""
        if not text.strip():
            return None
        try:
            return geocode(text)
        except PlaceNotFound as exc:
            self.near_suggestions = exc.suggestions
            if exc.suggestions:
                message = _("We could not place “%(query)s”. Did you mean: %(suggestions)s?") % {
                    "query": exc.query,
                    "suggestions": "; ".join(exc.suggestions),
                }
            else:
                message = _(
                    "We could not place “%(query)s”. Try a postal code such as T1R 0A1, "
                    "its first three characters (T1R), or a town name such as Brooks or "
                    "Canmore, AB."
                ) % {"query": exc.query}
            raise forms.ValidationError(message, code="unknown_place") from exc

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("near") and cleaned.get("radius") is None and not self.errors.get("radius"):
            cleaned["radius"] = Decimal(DEFAULT_RADIUS_KM)
        return cleaned


def focus_coverage() -> str:
    """ "Focus areas are known for N of M partnerships": one aggregate query.

    ``EXISTS`` per partnership rather than ``COUNT(DISTINCT)`` over a join: no sort of
    every (partnership, focus area) pair (22 ms to 3 ms at 10,000 partnerships on SQLite).
    """
    tagged = Partnership.focus_areas.through.objects.filter(partnership_id=OuterRef("pk"))
    counts = Partnership.objects.aggregate(
        total=Count("pk"), known=Count("pk", filter=Q(Exists(tagged)))
    )
    return (
        ngettext(
            "Focus areas are known for %(known)s of %(total)s partnership.",
            "Focus areas are known for %(known)s of %(total)s partnerships.",
            counts["total"],
        )
        % counts
    )


FOCUS_FIELDS = ("id", "name", "name_fr", "slug", "order")


def focus_facets() -> list[dict[str, Any]]:
    """Each focus area (plain values) with its partnerships, how many partnerships have any
    focus area known, and in all: one query."""
    through = Partnership.focus_areas.through.objects.order_by()
    known = (
        through.annotate(one=Value(1))
        .values("one")
        .annotate(n=Count("partnership_id", distinct=True))
        .values("n")
    )
    total = (
        Partnership.objects.order_by()
        .annotate(one=Value(1))
        .values("one")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return list(
        FocusArea.objects.annotate(
            partnership_count=Count("partnerships"),
            known=Subquery(known, output_field=IntegerField()),
            total=Subquery(total, output_field=IntegerField()),
        ).values(*FOCUS_FIELDS, "partnership_count", "known", "total")
    )


#: The filter form's counts, by part: each computed by one query into JSON-ready values.
FACET_PARTS: dict[str, Callable[[], Any]] = {
    "focus": focus_facets,
    "plan_priority": lambda: [list(row) for row in plan_priority_rows()],
}


class DirectoryFacets:
    """The filter form's counts for one request: those stored for the data revision
    (``directory.revision.stored_facets``: read with the revision, no query of their own),
    else computed, part by part as asked (:data:`FACET_PARTS`), and stored for the next
    requests.

    Only the rendered form needs them all; the API and exports only validate (the focus
    field's help text is still read then: the focus part alone). Without a request revision
    (a form built outside a request) they are computed every time.
    """

    def __init__(self, revision: RevisionState | None = None) -> None:
        self.revision = revision
        self._data: dict[str, Any] | None = None

    def part(self, name: str) -> Any:
        if self._data is None:
            stored = stored_facets(self.revision) if self.revision is not None else None
            self._data = dict(stored or {})
        if name not in self._data:
            self._data[name] = FACET_PARTS[name]()
            if self.revision is not None:
                store_facets(self.revision, self._data)
        return self._data[name]


class RevisionPlanPriorityChoices(PlanPriorityChoices):
    """``plans.peers.plan_priority_choices``, counted by the request's :class:`DirectoryFacets`."""

    def __init__(self, facets: DirectoryFacets) -> None:
        super().__init__()
        self.facets = facets

    def __iter__(self) -> Iterator[tuple[str, list[tuple[str, str]]]]:
        if self._choices is None:
            self._choices = plan_priority_choices(self.facets.part("plan_priority"))
        return iter(self._choices)


class FocusFacets:
    """The focus choices with their counts and the "known for N of M" line, from the
    request's :class:`DirectoryFacets`; shared by the choices and the help text, which the
    template reads several times."""

    def __init__(self, facets: DirectoryFacets) -> None:
        self._rows: list[FocusArea] | None = None
        self.facets = facets

    def rows(self) -> list[FocusArea]:
        if self._rows is None:
            self._rows = []
            for row in self.facets.part("focus"):
                focus = FocusArea(**{name: row[name] for name in FOCUS_FIELDS})
                focus.partnership_count = row["partnership_count"]
                focus.known, focus.total = row["known"], row["total"]
                self._rows.append(focus)
        return self._rows

    def coverage(self) -> str:
        rows = self.rows()
        if not rows:
            return focus_coverage()
        counts = {"known": rows[0].known or 0, "total": rows[0].total or 0}
        return (
            ngettext(
                "Focus areas are known for %(known)s of %(total)s partnership.",
                "Focus areas are known for %(known)s of %(total)s partnerships.",
                counts["total"],
            )
            % counts
        )


class FocusChoiceIterator(ModelChoiceIterator):
    """The focus field's choices from :class:`FocusFacets`: "Housing (12)", page language."""

    def __iter__(self) -> Iterator[tuple[ModelChoiceIteratorValue, str]]:
        for focus in self.field.facets.rows():
            label = f"{focus.display_name} ({focus.partnership_count})"
            yield ModelChoiceIteratorValue(focus.slug, focus), label

    def __len__(self) -> int:
        return len(self.field.facets.rows())


class PartnershipFilter(django_filters.FilterSet):
    """Filters for the public directory: kind, province, focus, language, text and distance."""

    kind = django_filters.MultipleChoiceFilter(
        choices=Partnership.Kind.choices,
        distinct=False,  # a column of the row itself: no join, no duplicate to remove
        label=gettext_lazy("Kind"),
        widget=forms.CheckboxSelectMultiple,
    )
    province = django_filters.MultipleChoiceFilter(
        choices=Province.choices,
        distinct=False,  # a column of the row itself: no join, no duplicate to remove
        label=gettext_lazy("Province or territory"),
        widget=forms.CheckboxSelectMultiple,
    )
    focus = django_filters.ModelMultipleChoiceFilter(
        queryset=FocusArea.objects.all(),
        to_field_name="slug",
        method="filter_focus",
        label=gettext_lazy("Focus area"),
        widget=forms.CheckboxSelectMultiple,
    )
    language = django_filters.MultipleChoiceFilter(
        choices=Partnership.Languages.choices,
        method="filter_language",
        label=gettext_lazy("Language of service"),
        widget=forms.CheckboxSelectMultiple,
    )
    q = django_filters.CharFilter(
        method="filter_text",
        max_length=MAX_QUERY_LENGTH,
        label=gettext_lazy("Search"),
        help_text=gettext_lazy("Name, acronym, community, host organization or description."),
    )
    near = django_filters.CharFilter(
        method="filter_near",
        max_length=MAX_NEAR_LENGTH,
        label=gettext_lazy("Near"),
        help_text=gettext_lazy("A postal code (T1R 0A1), its first three characters, or a town."),
    )
    radius = django_filters.NumberFilter(
        method="filter_radius",
        min_value=1,
        max_value=MAX_RADIUS_KM,
        max_digits=7,
        decimal_places=2,
        label=gettext_lazy("Within (km)"),
        help_text=gettext_lazy("Used with “Near”. Default: 50 km."),
    )
    has_plan = django_filters.ChoiceFilter(
        choices=[("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))],
        method="filter_has_plan",
        empty_label=gettext_lazy("Any"),
        label=gettext_lazy("Has an active community plan"),
        widget=forms.RadioSelect,
    )
    plan_priority = django_filters.ChoiceFilter(
        choices=[],  # set per request: plans.peers.PlanPriorityChoices
        method="filter_plan_priority",
        empty_label=gettext_lazy("Any priority"),
        label=gettext_lazy("Plan priority"),
        help_text=gettext_lazy(
            "A welcoming-community characteristic or focus area of a priority of the active plan."
        ),
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Partnership
        fields: list[str] = []
        form = PartnershipFilterForm

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        if data is not None and hasattr(data, "getlist"):
            # Codes are accepted in any case: ?province=ab&kind=lip.
            data = data.copy()
            for param in ("kind", "province"):
                if param in data:
                    data.setlist(param, [v.strip().upper() for v in data.getlist(param)])
        super().__init__(data, *args, **kwargs)
        # Focus areas are listed in the page's language, each with how many partnerships
        # work on it, and the field says how many partnerships' focus areas are known at all:
        # a short list under a focus filter means "not known", not "nobody works on it".
        focus_field = self.form.fields["focus"]
        revision = request_revision(self.request) if self.request is not None else None
        facets = DirectoryFacets(revision)
        self.focus_facets = FocusFacets(facets)
        focus_field.facets = self.focus_facets
        focus_field.iterator = FocusChoiceIterator
        focus_field.widget.choices = focus_field.choices
        focus_field.help_text = lazy(self.focus_facets.coverage, str)()
        self.plan_priority_choices = RevisionPlanPriorityChoices(facets)
        self.form.fields["plan_priority"].choices = self.plan_priority_choices
        self.near_matches: dict[int, NearMatch] = {}
        self._near_loaded: set[int] = set()
        self.place: Place | None = None
        self.radius = float(DEFAULT_RADIUS_KM)

    # -- filter methods ------------------------------------------------------------------

    def filter_focus(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        if not value:
            return queryset
        through = Partnership.focus_areas.through
        ids = through.objects.filter(focusarea__in=[f.pk for f in value]).values("partnership_id")
        return queryset.filter(pk__in=ids)

    def filter_language(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        if not value:
            return queryset
        wanted = {code for item in value for code in LANGUAGE_MATCHES.get(item, [item])}
        return queryset.filter(languages__in=sorted(wanted))

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Every word must appear (accent- and case-insensitively) in some searched field.

        One ``LIKE`` per word on the stored, folded ``search_text`` (trigram-indexed on
        PostgreSQL): see ``partnerships.search_index`` for what it holds.
        """
        for term in search_terms(value, MAX_QUERY_TERMS):
            queryset = queryset.filter(search_text__contains=term)
        return queryset

    def filter_has_plan(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "yes":
            return queryset.filter(has_active_plan_q())
        if value == "no":
            return queryset.exclude(has_active_plan_q())
        return queryset

    def filter_plan_priority(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(plan_priority_q(value)) if value else queryset

    def filter_radius(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        return queryset  # applied by filter_near

    def filter_near(self, queryset: QuerySet, name: str, value: Place | None) -> QuerySet:
        """Partnerships with a served community within the radius, or covering the province.

        Matched and ranked in SQL (see ``directory.nearby``), whatever the number of matches.
        """
        if value is None:
            return queryset
        self.place = value
        self.radius = float(self.form.cleaned_data.get("radius") or DEFAULT_RADIUS_KM)
        # Province-wide partnerships covering the point rank first (-1), then by distance.
        province_wide = Q(is_province_wide=True, province=value.province)
        return queryset.filter(pk__in=partnerships_near(value, self.radius)).annotate(
            near_rank=Case(
                When(province_wide, then=Value(-1.0)),
                default=nearest_km(value, self.radius),
                output_field=FloatField(),
            )
        )

    # -- the whole filterset ---------------------------------------------------------------

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        """Apply every filter, or none at all if any parameter is invalid; stable order."""
        if not self.form.is_valid():
            return queryset.none()
        queryset = super().filter_queryset(queryset)
        if self.place is not None:
            return queryset.order_by("near_rank", french_name_order(queryset.db), "pk")
        return queryset.order_by("province", french_name_order(queryset.db), "pk")

    def load_near_matches(self, partnerships: Iterable[Partnership]) -> None:
        """Find the nearest served place of the rows about to be shown, in one query.

        Call it with a page's rows before :meth:`near_match` (the list and the API do);
        without it each row costs a query.
        """
        if self.place is None:
            return
        ids = [p.pk for p in partnerships if p.pk not in self._near_loaded]
        if ids:
            self.near_matches.update(near_matches(self.place, self.radius, ids))
            self._near_loaded.update(ids)

    def near_match(self, partnership: Partnership) -> NearMatch | None:
        """How ``partnership`` relates to the searched point (None when not searching near)."""
        if self.place is None:
            return None
        if partnership.is_province_wide and partnership.province == self.place.province:
            return NearMatch(None)
        self.load_near_matches([partnership])
        return self.near_matches.get(partnership.pk)

    def active_filters(self) -> list[ActiveFilter]:
        """The applied values, in parameter order, for the removable chips."""
        if not self.form.is_valid():
            return []
        data = self.form.cleaned_data
        chips: list[ActiveFilter] = []
        kinds = dict(Partnership.Kind.choices)
        provinces = dict(Province.choices)
        languages = dict(Partnership.Languages.choices)
        for value in data.get("kind") or []:
            chips.append(
                ActiveFilter("kind", value, f"{kind_abbreviation(value)} – {kinds[value]}")
            )
        for value in data.get("province") or []:
            chips.append(ActiveFilter("province", value, str(provinces[value])))
        for focus in data.get("focus") or []:
            chips.append(ActiveFilter("focus", focus.slug, focus.display_name))
        for value in data.get("language") or []:
            label = _("Service in %(language)s") % {"language": languages[value]}
            chips.append(ActiveFilter("language", value, label))
        if data.get("has_plan") in ("yes", "no"):
            label = (
                _("Has an active community plan")
                if data["has_plan"] == "yes"
                else _("No active community plan")
            )
            chips.append(ActiveFilter("has_plan", data["has_plan"], label))
        if data.get("plan_priority"):
            value = data["plan_priority"]
            label = _("Plan priority: %(tag)s") % {"tag": self.plan_priority_choices.label(value)}
            chips.append(ActiveFilter("plan_priority", value, label))
        if data.get("q"):
            chips.append(ActiveFilter("q", self.data.get("q", ""), f"“{data['q']}”"))
        if data.get("near"):
            place = data["near"]
            label = _("Within %(radius)s km of %(place)s") % {
                "radius": f"{float(data['radius']):g}",
                "place": place.label,
            }
            chips.append(ActiveFilter("near", self.data.get("near", ""), label))
        return chips
