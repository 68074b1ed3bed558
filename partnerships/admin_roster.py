"""The council page's roster: one line per member at laptop width.

The seven columns a coordinator edits at a glance (person, organization, sector, role, voting,
term end, consent) sit on the row; the rarely used fields (title, email, phone, term start,
left on, consent date) sit in a per-row ``<details>`` panel, which opens without JavaScript.
Date-only fields are native date inputs: the admin's calendar script adds its time-zone note
to every ``vDateField``, which means nothing for a date, and makes each row three lines tall.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.db.models import F
from django.forms.utils import flatatt
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from .admin_scoping import ScopedTabularInline
from .forms import CouncilMembershipFormSet, PrefetchedAutocompleteSelect
from .models import CouncilMembership

#: On the row, in this order.
ROSTER_COLUMNS = [
    "person_name",
    "organization",
    "sector",
    "role",
    "voting",
    "term_end",
    "publish_consent",
]
#: One click away, in the row's "More" panel (email and the consent date are on the member's
#: own page, linked from the panel).
ROSTER_DETAILS = ["title", "phone", "term_start", "left_on"]

#: Short column headings (the model's verbose names are written for full forms).
SHORT_LABELS = {
    "person_name": _("Person"),
    "sector": _("Sector"),
    "publish_consent": _("Consent to publish"),
    "left_on": _("Left on"),
}

# -- widgets rendered in Python --------------------------------------------------------------
#
# Django renders each widget and each <option> through a template: on a 40-member roster that
# is some 1,800 template renders, two thirds of the page's server time. These widgets write the
# same HTML directly (values and attributes escaped by format_html/flatatt).


class QuickInputMixin:
    """An ``<input>`` written without a template."""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> str:
        widget = self.get_context(name, value, attrs)["widget"]  # type: ignore[attr-defined]
        shown = widget["value"]
        return format_html(
            '<input type="{}" name="{}"{}{}>',
            widget["type"],
            widget["name"],
            format_html(' value="{}"', shown) if shown is not None else "",
            flatatt(widget["attrs"]),
        )


class QuickTextInput(QuickInputMixin, forms.TextInput):
    pass


class QuickEmailInput(QuickInputMixin, forms.EmailInput):
    pass


class QuickCheckboxInput(QuickInputMixin, forms.CheckboxInput):
    pass


class NativeDateInput(QuickInputMixin, forms.DateInput):
    """The browser's date picker: no script, no time-zone note, an ISO value."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class QuickSelect(forms.Select):
    """A single ``<select>`` over flat choices, written without a template per option."""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> str:
        choices = list(self.choices)
        if self.allow_multiple_selected or any(
            isinstance(label, list | tuple) for _value, label in choices
        ):
            return super().render(name, value, attrs, renderer)
        final = self.build_attrs(self.attrs, attrs)
        selected = set(self.format_value(value))
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (key, " selected" if key in selected else "", label)
                for key, label in ((_key(v), label) for v, label in choices)
            ),
        )
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(final), options)


def _key(value: Any) -> str:
    return "" if value is None else str(value)


class RosterFormSet(CouncilMembershipFormSet):
    """The roster formset: a short prefix (it is repeated in every field name of every row)
    and a named delete box on each row (it has no visible label)."""

    @classmethod
    def get_default_prefix(cls) -> str:
        return "m"

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget = QuickCheckboxInput(
                attrs={"aria-label": _("Delete"), "id": False}
            )
        for field in form.fields.values():
            if field.widget.is_hidden:
                field.widget.attrs["id"] = False  # nothing points at the row's hidden keys


class RosterOrganizationSelect(PrefetchedAutocompleteSelect):
    """The organization autocomplete without the attributes select2 defaults to anyway,
    written without a template (its one or two options come from the formset's objects)."""

    def build_attrs(self, base_attrs: Any, extra_attrs: Any = None) -> dict[str, Any]:
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs.pop("data-ajax--type", None)  # GET is select2's default
        attrs.pop("data-ajax--cache", None)
        return attrs

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> str:
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option["value"], " selected" if option["selected"] else "", option["label"])
                for _group, group_options, _index in widget["optgroups"]
                for option in group_options
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), options
        )


class CouncilMembershipInline(ScopedTabularInline):
    """The roster on the council page, one line per member (see the module docstring)."""

    model = CouncilMembership
    verbose_name_plural = _("roster")
    formset = RosterFormSet
    template = "admin/partnerships/council/roster_inline.html"
    fieldsets = [
        (None, {"fields": ROSTER_COLUMNS}),
        (_("More"), {"fields": ROSTER_DETAILS}),
    ]
    autocomplete_fields = ["organization"]
    show_change_link = True
    column_count = len(ROSTER_COLUMNS) + 2
    formfield_overrides = {
        **ScopedTabularInline.formfield_overrides,
        models.CharField: {"widget": QuickTextInput},
        models.BooleanField: {"widget": QuickCheckboxInput},
        models.DateField: {"widget": NativeDateInput},
    }

    class Media:
        css = {"all": ["partnerships/admin/roster.css"]}

    @property
    def column_help(self) -> dict[str, str]:
        """Help texts of the row's columns, shown once in their headings."""
        fields = (self.model._meta.get_field(name) for name in ROSTER_COLUMNS)
        return {field.name: field.help_text for field in fields if field.help_text}

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        """Short labels; the row's fields named for screen readers by ``aria-label`` and
        without ids (the roster repeats them 40 times); no related-object links on the row
        (an organization is added from the link above the table)."""
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is None:
            return field
        if db_field.name in SHORT_LABELS:
            field.label = SHORT_LABELS[db_field.name]
        if hasattr(field.widget, "can_change_related"):
            field.widget = field.widget.widget
        field.widget.attrs.pop("data-context", None)
        if db_field.name in ROSTER_COLUMNS:
            # Named by its column; its help text is in the column's heading (column_help).
            field.widget.attrs["aria-label"] = field.label
            field.help_text = ""
        elif field.help_text:  # written once above the table, not on every row
            field.widget.attrs["aria-describedby"] = f"roster-help-{db_field.name}"
        field.widget.attrs["id"] = False  # nothing points at them: the panel's labels wrap them
        if isinstance(field, forms.ModelChoiceField):
            field.empty_label = ""
        if db_field.name == "sector":  # in the page's language
            field.label_from_instance = lambda sector: sector.display_name
        return field

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "organization":
            kwargs["widget"] = RosterOrganizationSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        else:
            kwargs["widget"] = QuickSelect
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_choice_field(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        kwargs["widget"] = QuickSelect
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def get_queryset(self, request: HttpRequest) -> Any:
        """Current members first, then those who left (most recent first)."""
        return (
            super()
            .get_queryset(request)
            .select_related("organization", "sector")
            .order_by(
                F("left_on").desc(nulls_first=True), "role", "organization__name", "person_name"
            )
        )
