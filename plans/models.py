"""Community Plans: vision, priorities, annual actions, indicators and their measurements."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
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

YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]
MAX_PLAN_SPAN_YEARS = 5


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
        return reverse("directory:partnership-detail", kwargs={"slug": self.partnership.slug})


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
    """A row of a plan's annual action plan: specific, measurable, time-bound."""

    partnership_path = "plan__partnership"

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DEFERRED = "deferred", _("Deferred")

    plan = models.ForeignKey(
        CommunityPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="actions"
    )
    priority = models.ForeignKey(
        Priority,
        verbose_name=_("priority"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
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
        ordering = ["plan", "year", "due_date", "title"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")

    def __str__(self) -> str:
        return self.title

    @property
    def display_title(self) -> str:
        return localized(self, "title")

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.plan_id and self.priority_id and self.priority.plan_id != self.plan_id:
            errors["priority"] = _("Choose a priority of the same plan.")
        if (
            self.plan_id
            and self.working_group_id
            and self.working_group.partnership_id != self.plan.partnership_id
        ):
            errors["working_group"] = _("Choose a working group of the same partnership.")
        if (
            self.plan_id
            and self.year
            and not (self.plan.start_year <= self.year <= self.plan.end_year)
        ):
            errors["year"] = _("The year must fall within the plan's period.")
        if errors:
            raise ValidationError(errors)


class Indicator(SampleData, TimeStamped):
    """A measurable outcome of a priority, with a baseline and a target."""

    partnership_path = "priority__plan__partnership"

    class Polarity(models.TextChoices):
        HIGHER = "higher", _("Higher is better")
        LOWER = "lower", _("Lower is better")

    priority = models.ForeignKey(
        Priority, verbose_name=_("priority"), on_delete=models.CASCADE, related_name="indicators"
    )
    name = models.CharField(_("name"), max_length=200)
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

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return localized(self, "name")

    @property
    def display_unit(self) -> str:
        return localized(self, "unit")

    def progress(self, latest: Decimal | None) -> float | None:
        """Share of the way from baseline to target reached by ``latest`` (0..1, clamped)."""
        if latest is None or self.baseline_value is None or self.target_value is None:
            return None
        distance = self.target_value - self.baseline_value
        if distance == 0:
            return 1.0
        share = float((latest - self.baseline_value) / distance)
        return max(0.0, min(1.0, share))


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
