"""Community plans in the coordinator workspace, scoped like everything else."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from partnerships.admin_scoping import PartnershipListFilter, ScopedModelAdmin, ScopedTabularInline

from .models import (
    DEFINITION_COPIED_FIELDS,
    Action,
    Characteristic,
    CommunityPlan,
    Indicator,
    IndicatorDefinition,
    Measurement,
    Priority,
)

# -- reference tables: read-only for coordinators (their group holds only "view") -----------


@admin.register(Characteristic)
class CharacteristicAdmin(ScopedModelAdmin):
    list_display = ["name", "name_fr", "slug", "order"]
    search_fields = ["name", "name_fr", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    fields = [("name", "name_fr"), "slug", ("description", "description_fr"), "order"]


@admin.register(IndicatorDefinition)
class IndicatorDefinitionAdmin(ScopedModelAdmin):
    """The shared indicator catalogue: coordinators read it and pick from it."""

    list_display = ["name", "unit", "polarity", "source_link", "characteristic", "focus_area"]
    list_filter = [
        "polarity",
        ("characteristic", admin.RelatedOnlyFieldListFilter),
        ("focus_area", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["name", "name_fr", "slug", "definition", "definition_fr", "source"]
    list_select_related = ["characteristic", "focus_area"]
    prepopulated_fields = {"slug": ["name"]}
    fields = [
        ("name", "name_fr"),
        "slug",
        ("unit", "unit_fr"),
        "polarity",
        ("definition", "definition_fr"),
        ("source", "source_url"),
        ("characteristic", "focus_area"),
        "order",
    ]

    @admin.display(description=_("source"), ordering="source")
    def source_link(self, obj: IndicatorDefinition) -> str:
        if obj.source_url:
            return format_html('<a href="{}">{}</a>', obj.source_url, obj.source)
        return obj.source


# -- plans -----------------------------------------------------------------------------------


class PriorityInline(ScopedTabularInline):
    model = Priority
    fields = ["order", "title", "title_fr", "focus_area"]
    show_change_link = True


class ActionInline(ScopedTabularInline):
    model = Action
    fields = [
        "year",
        "title",
        "title_fr",
        "working_group",
        "lead_organization",
        "status",
        "due_date",
    ]
    autocomplete_fields = ["lead_organization"]


class IndicatorForm(forms.ModelForm):
    """Name, unit and polarity are the catalogue entry's once one is chosen (the model's one
    copy rule): on an indicator saved with an entry they are shown, not editable, and the
    help says so where no entry is set yet."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from_catalogue = self.instance.pk is not None and self.instance.definition_id is not None
        for name in DEFINITION_COPIED_FIELDS:
            field = self.fields.get(name)
            if field is None:
                continue
            if from_catalogue:
                field.disabled = True
                field.help_text = _(
                    "Taken from the catalogue indicator. To change it, choose another "
                    "catalogue indicator, or none to define your own."
                )
            else:
                field.help_text = _(
                    "Used only when no catalogue indicator is chosen: a catalogue indicator "
                    "brings its own name, unit and polarity."
                )


class IndicatorInline(ScopedTabularInline):
    model = Indicator
    form = IndicatorForm
    show_change_link = True
    autocomplete_fields = ["definition"]
    fields = [
        "definition",
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
    inlines = [PriorityInline]
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
    list_filter = [
        PartnershipListFilter,
        ("focus_area", admin.RelatedOnlyFieldListFilter),
        ("characteristics", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["title", "title_fr", "description", "plan__title"]
    list_select_related = ["plan", "focus_area"]
    autocomplete_fields = ["plan"]
    filter_horizontal = ["characteristics"]
    inlines = [IndicatorInline, ActionInline]
    fields = [
        "plan",
        "focus_area",
        "characteristics",
        ("title", "title_fr"),
        ("description", "description_fr"),
        "order",
        "is_sample",
    ]


@admin.register(Action)
class ActionAdmin(ScopedModelAdmin):
    list_display = ["title", "plan", "year", "priority", "status", "due_date"]
    list_filter = [PartnershipListFilter, "status", "year"]
    search_fields = ["title", "title_fr", "priority__plan__title", "priority__title"]
    list_select_related = ["priority__plan"]
    autocomplete_fields = ["priority", "working_group", "lead_organization"]

    @admin.display(description=_("plan"), ordering="priority__plan__title")
    def plan(self, obj: Action) -> CommunityPlan:
        return obj.priority.plan


@admin.register(Indicator)
class IndicatorAdmin(ScopedModelAdmin):
    form = IndicatorForm
    list_display = [
        "name",
        "priority",
        "definition",
        "unit",
        "baseline_value",
        "target_value",
        "target_year",
    ]
    list_filter = [
        PartnershipListFilter,
        "polarity",
        ("definition", admin.RelatedOnlyFieldListFilter),
        ("priority__characteristics", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["name", "name_fr", "priority__title", "data_source"]
    list_select_related = ["priority", "definition"]
    autocomplete_fields = ["priority", "definition"]
    readonly_fields = ["catalogue_entry"]
    inlines = [MeasurementInline]
    fields = [
        "priority",
        "definition",
        "catalogue_entry",
        ("name", "name_fr"),
        ("unit", "unit_fr"),
        "polarity",
        ("baseline_value", "baseline_year"),
        ("target_value", "target_year"),
        "data_source",
        "is_sample",
    ]

    @admin.display(description=_("catalogue definition and source"))
    def catalogue_entry(self, obj: Indicator) -> str:
        """What the chosen catalogue entry measures and where comparable figures come from."""
        definition = obj.definition if obj and obj.definition_id else None
        if definition is None:
            return _("None: a custom indicator, not compared with other partnerships.")
        if definition.source_url:
            return format_html(
                '{}<br>{} <a href="{}">{}</a>',
                definition.display_definition,
                _("Source:"),
                definition.source_url,
                definition.source,
            )
        return format_html(
            "{}<br>{} {}", definition.display_definition, _("Source:"), definition.source
        )


@admin.register(Measurement)
class MeasurementAdmin(ScopedModelAdmin):
    list_display = ["indicator", "year", "value", "measured_on"]
    list_filter = [PartnershipListFilter, "year"]
    search_fields = ["indicator__name", "note"]
    list_select_related = ["indicator"]
    autocomplete_fields = ["indicator"]
