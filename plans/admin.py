"""Community plans in the coordinator workspace, scoped like everything else."""

from __future__ import annotations

from django.contrib import admin

from partnerships.admin_scoping import PartnershipListFilter, ScopedModelAdmin, ScopedTabularInline

from .models import Action, CommunityPlan, Indicator, Measurement, Priority


class PriorityInline(ScopedTabularInline):
    model = Priority
    fields = ["order", "title", "title_fr", "focus_area"]


class ActionInline(ScopedTabularInline):
    model = Action
    fields = [
        "year",
        "title",
        "title_fr",
        "priority",
        "working_group",
        "lead_organization",
        "status",
        "due_date",
    ]
    autocomplete_fields = ["lead_organization"]


class IndicatorInline(ScopedTabularInline):
    model = Indicator
    fields = [
        "name",
        "name_fr",
        "unit",
        "unit_fr",
        "baseline_value",
        "baseline_year",
        "target_value",
        "target_year",
        "polarity",
    ]


class MeasurementInline(ScopedTabularInline):
    model = Measurement
    fields = ["year", "measured_on", "value", "note"]


@admin.register(CommunityPlan)
class CommunityPlanAdmin(ScopedModelAdmin):
    list_display = ["title", "partnership", "start_year", "end_year", "status", "approved_on"]
    list_filter = [PartnershipListFilter, "status", "start_year"]
    search_fields = ["title", "title_fr", "partnership__name", "partnership__acronym"]
    list_select_related = ["partnership"]
    autocomplete_fields = ["partnership"]
    inlines = [PriorityInline, ActionInline]
    fields = [
        "partnership",
        ("title", "title_fr"),
        ("start_year", "end_year"),
        "status",
        ("vision", "vision_fr"),
        "community_profile",
        "document_url",
        "approved_on",
        "is_sample",
    ]


@admin.register(Priority)
class PriorityAdmin(ScopedModelAdmin):
    list_display = ["title", "plan", "focus_area", "order"]
    list_filter = [PartnershipListFilter, ("focus_area", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "title_fr", "description", "plan__title"]
    list_select_related = ["plan", "focus_area"]
    autocomplete_fields = ["plan"]
    inlines = [IndicatorInline]
    fields = [
        "plan",
        "focus_area",
        ("title", "title_fr"),
        ("description", "description_fr"),
        "order",
        "is_sample",
    ]


@admin.register(Action)
class ActionAdmin(ScopedModelAdmin):
    list_display = ["title", "plan", "year", "priority", "status", "due_date"]
    list_filter = [PartnershipListFilter, "status", "year"]
    search_fields = ["title", "title_fr", "plan__title", "priority__title"]
    list_select_related = ["plan", "priority"]
    autocomplete_fields = ["plan", "priority", "working_group", "lead_organization"]


@admin.register(Indicator)
class IndicatorAdmin(ScopedModelAdmin):
    list_display = ["name", "priority", "unit", "baseline_value", "target_value", "target_year"]
    list_filter = [PartnershipListFilter, "polarity"]
    search_fields = ["name", "name_fr", "priority__title", "data_source"]
    list_select_related = ["priority"]
    autocomplete_fields = ["priority"]
    inlines = [MeasurementInline]


@admin.register(Measurement)
class MeasurementAdmin(ScopedModelAdmin):
    list_display = ["indicator", "year", "value", "measured_on"]
    list_filter = [PartnershipListFilter, "year"]
    search_fields = ["indicator__name", "note"]
    list_select_related = ["indicator"]
    autocomplete_fields = ["indicator"]
