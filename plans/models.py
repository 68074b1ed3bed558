"""Community Plans: vision, priorities, annual actions, indicators and their measurements."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partnerships.models import (
    FocusArea,
    Organization,
    Partnership,
    SampleData,
    TimeStamped,
    WorkingGroup,
    localized,
)
from partnerships.scoping import OwnedQuerySet
from partnerships.text import CleanTextModel

YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]
MAX_PLAN_SPAN_YEARS = 5


def related_or_none(instance: models.Model, name: str) -> Any:
    """The object of the relation ``name``, also a parent not saved yet (an admin add page
    validates its inline rows before it saves their parent); ``None`` when none is set."""
    try:
        return getattr(instance, name)
    except ObjectDoesNotExist:
        return None


class Polarity(models.TextChoices):
    """Which way an indicator gets better: shared by the catalogue and the plans' indicators."""

    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class Characteristic(CleanTextModel):
    """A characteristic of a welcoming community (Pathways to Prosperity), tagged on priorities.

    A public reference table like ``FocusArea``: seeded by a migration from
    ``plans/data/characteristics.json``, edited by site admins only.
    """

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120, unique=True)
    name_fr = models.CharField(_("French name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    description_fr = models.TextField(_("French description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("welcoming-community characteristic")
        verbose_name_plural = _("welcoming-community characteristics")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return localized(self, "name")

    @property
    def display_description(self) -> str:
        return localized(self, "description")


class IndicatorDefinition(CleanTextModel):
    """An entry of the shared indicator catalogue: indicators linked to it are comparable.

    Not owned by a partnership (a public reference table): coordinators read it and pick from
    it, site admins edit it. Seeded from ``plans/data/indicator_catalogue.json``.
    """

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)
    name_fr = models.CharField(_("French name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=60)
    unit_fr = models.CharField(_("French unit"), max_length=60)
    polarity = models.CharField(
        _("polarity"), max_length=6, choices=Polarity.choices, default=Polarity.HIGHER
    )
    definition = models.TextField(_("definition"))
    definition_fr = models.TextField(_("French definition"))
    source = models.CharField(
        _("source"),
        max_length=300,
        help_text=_("Where comparable figures come from, e.g. Statistics Canada, Census."),
    )
    source_url = models.URLField(_("source link"), max_length=300, blank=True)
    characteristic = models.ForeignKey(
        Characteristic,
        verbose_name=_("characteristic"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicator_definitions",
    )
    focus_area = models.ForeignKey(
        FocusArea,
        verbose_name=_("focus area"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicator_definitions",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("catalogue indicator")
        verbose_name_plural = _("indicator catalogue")

    def __str__(self) -> str:
        unit = self.display_unit
        return f"{self.display_name} ({unit})" if unit else self.display_name

    @property
    def display_name(self) -> str:
        return localized(self, "name")

    @property
    def display_unit(self) -> str:
        return localized(self, "unit")

    @property
    def display_definition(self) -> str:
        return localized(self, "definition")

    def clean(self) -> None:
        # Linked indicators' targets were set for one direction: flipping it would break them.
        if self.pk and self.indicators.exclude(polarity=self.polarity).exists():
            raise ValidationError(
                {
                    "polarity": _(
                        "Indicators of community plans use this entry: its polarity cannot change."
                    )
                }
            )

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save, then pass the new name and unit on to the indicators that use this entry."""
        super().save(*args, **kwargs)
        if self.pk:
            changed = self.indicators.exclude(
                name=self.name,
                name_fr=self.name_fr,
                unit=self.unit,
                unit_fr=self.unit_fr,
                polarity=self.polarity,
            ).update(**self.copied_values())
            if changed:
                from directory.revision import bump_revision

                bump_revision()

    def copied_values(self) -> dict[str, str]:
        """The fields an indicator linked to this entry takes from it (one rule)."""
        return {field: getattr(self, field) for field in DEFINITION_COPIED_FIELDS}


#: What an indicator takes from its catalogue entry, so that linked indicators compare.
DEFINITION_COPIED_FIELDS = ("name", "name_fr", "unit", "unit_fr", "polarity")


class CommunityPlanQuerySet(OwnedQuerySet):
    def current(self) -> CommunityPlanQuerySet:
        return self.filter(status=CommunityPlan.Status.ACTIVE)


class CommunityPlan(SampleData, TimeStamped):
    """A partnership's 3 to 5 year Community Plan (formerly Strategic Plan)."""

    partnership_path = "partnership"

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        ARCHIVED = "archived", _("Archived")

    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partnership"),
        on_delete=models.CASCADE,
        related_name="plans",
    )
    title = models.CharField(_("title"), max_length=200)
    title_fr = models.CharField(_("French title"), max_length=200, blank=True)
    start_year = models.PositiveSmallIntegerField(_("start year"), validators=YEAR_VALIDATORS)
    end_year = models.PositiveSmallIntegerField(_("end year"), validators=YEAR_VALIDATORS)
    vision = models.TextField(_("vision"), blank=True)
    vision_fr = models.TextField(_("French vision"), blank=True)
    community_profile = models.TextField(_("community profile"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    document_url = models.URLField(_("document"), max_length=300, blank=True)
    approved_on = models.DateField(_("approval date"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = CommunityPlanQuerySet.as_manager()

    class Meta:
        ordering = ["partnership__name", "-start_year"]
        verbose_name = _("community plan")
        verbose_name_plural = _("community plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gt=F("start_year"))
                & Q(end_year__lte=F("start_year") + MAX_PLAN_SPAN_YEARS),
                name="plan_span_1_to_5_years",
            ),
            models.UniqueConstraint(
                fields=["partnership"],
                condition=Q(status="active"),
                name="plan_one_active_per_partnership",
                violation_error_message=_(
                    "This partnership already has an active plan: mark it completed first."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.start_year}–{self.end_year})"

    def clean(self) -> None:
        if self.start_year and self.end_year:
            span = self.end_year - self.start_year
            if span < 1 or span > MAX_PLAN_SPAN_YEARS:
                raise ValidationError(
                    {"end_year": _("A community plan spans 1 to 5 years (for example 2025–2029).")}
                )

    @property
    def display_title(self) -> str:
        return localized(self, "title")

    @property
    def display_vision(self) -> str:
        return localized(self, "vision")

    @property
    def period(self) -> str:
        return f"{self.start_year}–{self.end_year}"

    def get_absolute_url(self) -> str:
        """The plan's public page (the admin's "View on site"): the plain plan address for
        the active plan, its years for a completed or archived one. A draft has no page of
        its own: its link goes to the partnership's plan page."""
        slug = self.partnership.slug
        if self.status in (self.Status.COMPLETED, self.Status.ARCHIVED):
            return reverse(
                "directory:plan-archive",
                kwargs={"slug": slug, "start": self.start_year, "end": self.end_year},
            )
        return reverse("directory:plan-detail", kwargs={"slug": slug})

    def covers_year(self, year: int) -> bool:
        """Whether ``year`` falls within the plan's period (actions, reports)."""
        return self.start_year <= year <= self.end_year


class Priority(SampleData, TimeStamped):
    """A key local priority of a plan, drawn from research on newcomer needs and gaps."""

    partnership_path = "plan__partnership"

    plan = models.ForeignKey(
        CommunityPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="priorities"
    )
    focus_area = models.ForeignKey(
        FocusArea,
        verbose_name=_("focus area"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="priorities",
    )
    characteristics = models.ManyToManyField(
        Characteristic,
        verbose_name=_("welcoming-community characteristics"),
        blank=True,
        related_name="priorities",
        help_text=_("The characteristics of a welcoming community this priority works on."),
    )
    title = models.CharField(_("title"), max_length=200)
    title_fr = models.CharField(_("French title"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_fr = models.TextField(_("French description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "order", "title"]
        verbose_name = _("priority")
        verbose_name_plural = _("priorities")

    def __str__(self) -> str:
        return self.title

    @property
    def display_title(self) -> str:
        return localized(self, "title")

    @property
    def display_description(self) -> str:
        return localized(self, "description")


class Action(SampleData, TimeStamped):
    """A row of a plan's annual action plan: specific, measurable, time-bound.

    An action belongs to a priority, and its plan is the priority's (``action.plan``): there
    is no second link that could disagree.
    """

    partnership_path = "priority__plan__partnership"

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DEFERRED = "deferred", _("Deferred")

    priority = models.ForeignKey(
        Priority,
        verbose_name=_("priority"),
        on_delete=models.CASCADE,
        related_name="actions",
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    title = models.CharField(_("title"), max_length=300)
    title_fr = models.CharField(_("French title"), max_length=300, blank=True)
    lead_organization = models.ForeignKey(
        Organization,
        verbose_name=_("lead organization"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_actions",
    )
    working_group = models.ForeignKey(
        WorkingGroup,
        verbose_name=_("working group"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["year", "due_date", "title"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")

    def __str__(self) -> str:
        return self.title

    @property
    def display_title(self) -> str:
        return localized(self, "title")

    @property
    def plan(self) -> CommunityPlan:
        """The plan of the action's priority (select ``priority__plan`` with the action)."""
        return self.priority.plan

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        priority = related_or_none(self, "priority")
        plan = priority.plan if priority is not None and priority.plan_id else None
        if (
            plan is not None
            and self.working_group_id
            and self.working_group.partnership_id != plan.partnership_id
        ):
            errors["working_group"] = _("Choose a working group of the same partnership.")
        if plan is not None and self.year and not plan.covers_year(self.year):
            errors["year"] = _("The year must fall within the plan's period.")
        if errors:
            raise ValidationError(errors)


class Indicator(SampleData, TimeStamped):
    """A measurable outcome of a priority, with a baseline and a target."""

    partnership_path = "priority__plan__partnership"

    Polarity = Polarity

    priority = models.ForeignKey(
        Priority, verbose_name=_("priority"), on_delete=models.CASCADE, related_name="indicators"
    )
    definition = models.ForeignKey(
        IndicatorDefinition,
        verbose_name=_("catalogue indicator"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
        help_text=_(
            "Pick a common indicator so that partnerships can compare it: its name, unit and "
            "polarity are then taken from the catalogue. Leave empty to define your own."
        ),
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    name_fr = models.CharField(_("French name"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    unit_fr = models.CharField(_("French unit"), max_length=60, blank=True)
    baseline_value = models.DecimalField(
        _("baseline value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    baseline_year = models.PositiveSmallIntegerField(
        _("baseline year"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    target_value = models.DecimalField(
        _("target value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target_year = models.PositiveSmallIntegerField(
        _("target year"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    polarity = models.CharField(
        _("polarity"), max_length=6, choices=Polarity.choices, default=Polarity.HIGHER
    )
    data_source = models.CharField(_("data source"), max_length=300, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["priority", "name"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(
                condition=Q(target_year__isnull=True)
                | Q(baseline_year__isnull=True)
                | Q(target_year__gte=F("baseline_year")),
                name="indicator_target_year_not_before_baseline",
                violation_error_message=_("The target year cannot be before the baseline year."),
            ),
            models.CheckConstraint(
                condition=Q(target_value__isnull=True)
                | Q(baseline_value__isnull=True)
                | Q(polarity="higher", target_value__gte=F("baseline_value"))
                | Q(polarity="lower", target_value__lte=F("baseline_value")),
                name="indicator_target_follows_polarity",
                violation_error_message=_(
                    "The target must be better than the baseline: at least the baseline when "
                    "higher is better, at most the baseline when lower is better."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def apply_definition(self) -> None:
        """Take name, unit and polarity from the catalogue entry, when one is chosen.

        The one copy rule (called by ``clean`` and ``save``; bulk writers call it
        themselves), so that indicators of the same entry compare.
        """
        if self.definition_id is not None:
            for field, value in self.definition.copied_values().items():
                setattr(self, field, value)

    def clean(self) -> None:
        self.apply_definition()
        if not self.name:
            raise ValidationError(
                {"name": _("Name the indicator, or pick one from the catalogue.")}
            )

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.apply_definition()
        super().save(*args, **kwargs)

    @property
    def is_comparable(self) -> bool:
        """Whether other partnerships' indicators can be compared with this one."""
        return self.definition_id is not None

    @property
    def display_name(self) -> str:
        return localized(self, "name")

    @property
    def display_unit(self) -> str:
        return localized(self, "unit")

    def gain(self, value: Decimal) -> tuple[Decimal, Decimal] | None:
        """(gained, needed): how far ``value`` has moved from the baseline in the better
        direction, and how far the target lies in that direction. ``None`` without baseline
        or target."""
        if self.baseline_value is None or self.target_value is None:
            return None
        value = Decimal(value)
        if self.polarity == Polarity.LOWER:
            return self.baseline_value - value, self.baseline_value - self.target_value
        return value - self.baseline_value, self.target_value - self.baseline_value

    def reached(self, value: Decimal) -> bool:
        """Whether ``value`` is at or beyond the target, on the better side."""
        gain = self.gain(value)
        return gain is not None and gain[0] >= gain[1]

    def progress(self, latest: Decimal | None) -> float | None:
        """Share (0..1, clamped) of the way from baseline to target covered by ``latest``,
        counted in the better direction (down for "lower is better"). ``None`` without a
        value, a baseline or a target."""
        if latest is None:
            return None
        gain = self.gain(latest)
        if gain is None:
            return None
        gained, needed = gain
        if gained >= needed:
            return 1.0
        if needed <= 0:
            return 0.0
        return max(0.0, min(1.0, float(gained / needed)))


class Measurement(SampleData, TimeStamped):
    """The value of an indicator for one year (the period plans report on)."""

    partnership_path = "indicator__priority__plan__partnership"

    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.CASCADE,
        related_name="measurements",
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    measured_on = models.DateField(_("measured on"), null=True, blank=True)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "year"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year"], name="measurement_one_per_indicator_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value} ({self.year})"

    def clean(self) -> None:
        from .services import measurement_validate

        indicator = related_or_none(self, "indicator")
        if indicator is not None and indicator.priority_id and self.year:
            measurement_validate(indicator=indicator, year=self.year)
