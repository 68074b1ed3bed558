"""The one scoping mechanism of the admin: every ModelAdmin and inline uses this mixin.

It narrows every surface of the admin to the partnerships a coordinator is assigned to
(superusers see everything, funders read everything and change nothing):

* change lists, search, raw-id pop-ups and autocomplete results (``get_queryset``);
* add/change/delete views (object permissions; an object outside the scope is a 403);
* foreign-key and many-to-many choices (``formfield_for_*``);
* forged POSTs: a posted choice, inline row id or bulk-action id naming another
  partnership's object is refused with a 403 before anything is saved;
* django-simple-history's history, history-detail and revert views, deleted objects
  included (scoped through the historical model's own foreign keys).

Every refusal is logged to ``partnerships.security``.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models
from django.db.models import Q
from django.forms import ModelChoiceField
from django.forms.utils import pretty_name
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.text import capfirst, smart_split, unescape_string_literal
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .scoping import (
    can_edit,
    can_read,
    contact_visible_q,
    is_owned,
    mask,
    partnership_lookup,
    private_fields,
    scope_of,
    scope_rows,
)
from .security import log_denied


def scope_history(queryset: Any, user: Any) -> Any:
    """Historical records of objects the user may read, deleted objects included.

    The historical model keeps the original foreign keys (without constraints), so the same
    declaration reaches the partnership; contact details are masked as on live rows.
    """
    return scope_rows(queryset, user)


class PartnershipListFilter(admin.SimpleListFilter):
    """Filter by partnership, offering only the partnerships the user may read."""

    title = _("partnership")
    parameter_name = "partnership"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[int, str]]:
        from .models import Partnership

        rows = Partnership.objects.visible_to(request.user).order_by("name")
        return [(p.pk, p.acronym or p.name) for p in rows.only("pk", "name", "acronym")]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        if not self.value():
            return queryset
        try:
            value = int(self.value())
        except (TypeError, ValueError):
            return queryset.none()
        return queryset.filter(**{partnership_lookup(queryset.model): value})


#: The demo loader's flag (``SampleData.is_sample``): shown to site admins only.
SAMPLE_FIELD = "is_sample"


def without_field(fields: Any, name: str) -> list:
    """A fieldset's field list without ``name`` (also inside a line of several fields)."""
    kept: list = []
    for item in fields:
        if isinstance(item, list | tuple):
            line = [f for f in item if f != name]
            if len(line) > 1:
                kept.append(tuple(line))
            elif line:
                kept.append(line[0])
        elif item != name:
            kept.append(item)
    return kept


class PartnershipScopedMixin:
    """Mixin for every ModelAdmin and inline: see the module docstring."""

    # A website typed without a scheme means https (Django 6.0's default, adopted now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    # -- accessibility ----------------------------------------------------------------
    @property
    def media(self) -> forms.Media:
        """The admin's own media, plus names for the widgets its scripts leave unnamed."""
        return super().media + forms.Media(js=["js/admin-a11y.js"])  # type: ignore[misc]

    # -- querysets --------------------------------------------------------------------
    def get_queryset(self, request: HttpRequest) -> Any:
        return scope_rows(super().get_queryset(request), request.user)  # type: ignore[misc]

    # -- contact details: searched and sorted only where the reader may see them --------
    def get_search_results(
        self, request: HttpRequest, queryset: Any, search_term: str
    ) -> tuple[Any, bool]:
        hidden = private_fields(self.model)  # type: ignore[attr-defined]
        if not hidden or not scope_of(request.user).masks_contacts or not search_term:
            return super().get_search_results(request, queryset, search_term)  # type: ignore[misc]
        visible = contact_visible_q(self.model, scope_of(request.user))  # type: ignore[attr-defined]
        fields = self.get_search_fields(request)  # type: ignore[attr-defined]
        open_fields = [f for f in fields if f.split("__")[0] not in hidden]
        private = [f for f in fields if f.split("__")[0] in hidden]
        for bit in smart_split(search_term):
            if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
                bit = unescape_string_literal(bit)
            term = Q()
            for field in open_fields:
                term |= Q(**{f"{field}__icontains": bit})
            if private:
                found = Q()
                for field in private:
                    found |= Q(**{f"{field}__icontains": bit})
                term |= visible & found
            queryset = queryset.filter(term)
        return queryset, False

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> Any:
        """For a reader who may not see contacts, a change list that never sorts on them (the
        order alone would reveal withheld names), whatever the URL asks."""
        changelist = super().get_changelist(request, **kwargs)  # type: ignore[misc]
        hidden = private_fields(self.model)  # type: ignore[attr-defined]
        if not hidden or not scope_of(request.user).masks_contacts:
            return changelist

        class WithheldChangeList(changelist):  # type: ignore[misc, valid-type]
            def get_ordering_field(self, field_name: Any) -> Any:
                field = super().get_ordering_field(field_name)
                if isinstance(field, str) and field.lstrip("-").split("__")[0] in hidden:
                    return None
                return field

        return WithheldChangeList

    def get_sortable_by(self, request: HttpRequest) -> Any:
        sortable = super().get_sortable_by(request)  # type: ignore[misc]
        hidden = private_fields(self.model)  # type: ignore[attr-defined]
        if not hidden or not scope_of(request.user).masks_contacts:
            return sortable
        display = self.get_list_display(request)  # type: ignore[attr-defined]

        def ordering_of(name: Any) -> str:
            attr = getattr(self, name, None) if isinstance(name, str) else name
            return getattr(attr, "admin_order_field", None) or (
                name if isinstance(name, str) else ""
            )

        return [
            name
            for name in (sortable if sortable is not None else display)
            if str(ordering_of(name)).lstrip("-").split("__")[0] not in hidden
        ]

    # -- permissions ------------------------------------------------------------------
    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_view_permission(request, obj) and can_read(  # type: ignore[misc]
            request.user, obj
        )

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and can_edit(  # type: ignore[misc]
            request.user, obj
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and can_edit(  # type: ignore[misc]
            request.user, obj
        )

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        # Inlines receive the parent object; model admins receive nothing.
        if not super().has_add_permission(request, *args):  # type: ignore[misc]
            return False
        parent = args[0] if args else None
        if parent is not None and not can_edit(request.user, parent):
            return False
        if is_owned(self.model) and not request.user.is_superuser:  # type: ignore[attr-defined]
            return bool(scope_of(request.user).own_ids)
        return True

    # -- what a coordinator is shown on forms -----------------------------------------
    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> list:
        """Without the "sample data" flag, except for site admins (it is the demo loader's
        business: a coordinator who ticked it would have their row deleted with the demo)."""
        fieldsets = super().get_fieldsets(request, obj)  # type: ignore[misc]
        if request.user.is_superuser:
            return fieldsets
        return [
            (name, {**options, "fields": without_field(options.get("fields", ()), SAMPLE_FIELD)})
            for name, options in fieldsets
        ]

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        """On an add page, a choice of the user's own objects that has only one answer (their
        one partnership, their one plan...) is made for them; it stays a normal, validated,
        scoped field they can see."""
        initial = super().get_changeform_initial_data(request)  # type: ignore[misc]
        if request.user.is_superuser:
            return initial
        for field in self.model._meta.fields:  # type: ignore[attr-defined]
            related = field.related_model
            if not field.many_to_one or not field.editable or field.name in initial:
                continue
            if not is_owned(related):
                continue
            choices = list(
                related._default_manager.editable_by(request.user).values_list("pk", flat=True)[:2]
            )
            if len(choices) == 1:
                initial[field.name] = choices[0]
        return initial

    # -- form choices -----------------------------------------------------------------
    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        related = db_field.related_model
        if is_owned(related) and "queryset" not in kwargs:
            kwargs["queryset"] = related._default_manager.editable_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        related = db_field.related_model
        if is_owned(related) and "queryset" not in kwargs:
            kwargs["queryset"] = related._default_manager.editable_by(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]

    # -- objects named in URLs --------------------------------------------------------
    def _exists_anywhere(self, object_id: Any) -> bool:
        try:
            return self.model._default_manager.filter(pk=object_id).exists()  # type: ignore[attr-defined]
        except (ValueError, TypeError, ValidationError):
            return False

    def deny(self, request: HttpRequest, model: Any, object_id: Any, reason: str = "scope") -> None:
        """Log the refusal and raise ``PermissionDenied``."""
        log_denied(request, model, object_id, reason)
        raise PermissionDenied

    def get_object(self, request: HttpRequest, object_id: Any, from_field: Any = None) -> Any:
        obj = super().get_object(request, object_id, from_field)  # type: ignore[misc]
        if obj is None and from_field is None and self._exists_anywhere(object_id):
            self.deny(request, self.model, object_id)  # type: ignore[attr-defined]
        return obj

    # -- forged POSTs -----------------------------------------------------------------
    def _check_choices(
        self, request: HttpRequest, field: ModelChoiceField, values: list[str]
    ) -> None:
        values = [v for v in values if v not in ("", None)]
        if not values or not is_owned(field.queryset.model):
            return
        key = field.to_field_name or "pk"
        try:
            allowed = {
                str(v)
                for v in field.queryset.filter(**{f"{key}__in": values}).values_list(key, flat=True)
            }
            foreign = [v for v in values if v not in allowed]
            if (
                foreign
                and field.queryset.model._default_manager.filter(**{f"{key}__in": foreign}).exists()
            ):
                self.deny(request, field.queryset.model, ",".join(foreign), "forged choice")
        except (ValueError, TypeError, ValidationError):
            return  # malformed values: the form reports them

    def check_posted_references(self, request: HttpRequest, obj: Any) -> None:
        """Refuse a POST naming another partnership's object in any choice or inline row."""
        form_class = self.get_form(request, obj, change=obj is not None)  # type: ignore[attr-defined]
        for name, field in form_class.base_fields.items():
            if isinstance(field, ModelChoiceField):
                self._check_choices(request, field, request.POST.getlist(name))
        for inline in self.get_inline_instances(request, obj):  # type: ignore[attr-defined]
            formset_class = inline.get_formset(request, obj)
            prefix = formset_class.get_default_prefix()
            for name, field in formset_class.form.base_fields.items():
                if isinstance(field, ModelChoiceField):
                    pattern = re.compile(rf"^{re.escape(prefix)}-\d+-{re.escape(name)}$")
                    values = [
                        v for k in request.POST if pattern.match(k) for v in request.POST.getlist(k)
                    ]
                    self._check_choices(request, field, values)
            pk_name = inline.model._meta.pk.name
            pattern = re.compile(rf"^{re.escape(prefix)}-\d+-{re.escape(pk_name)}$")
            row_ids = [
                request.POST[k] for k in request.POST if pattern.match(k) and request.POST[k]
            ]
            if not row_ids:
                continue
            fk_name = formset_class.fk.name
            own = inline.get_queryset(request)
            own = own.filter(**{fk_name: obj}) if obj is not None else own.none()
            try:
                allowed = {
                    str(pk) for pk in own.filter(pk__in=row_ids).values_list("pk", flat=True)
                }
            except (ValueError, TypeError, ValidationError):
                continue
            foreign = [pk for pk in row_ids if pk not in allowed]
            if foreign:
                self.deny(request, inline.model, ",".join(foreign), "forged inline row")

    def response_action(self, request: HttpRequest, queryset: Any) -> Any:
        """Refuse a bulk action whose selection names rows outside the user's scope."""
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if selected:
            try:
                allowed = {
                    str(pk)
                    for pk in self.get_queryset(request)
                    .filter(pk__in=selected)
                    .values_list("pk", flat=True)
                }
            except (ValueError, TypeError, ValidationError):
                allowed = set()
            foreign = [pk for pk in selected if pk not in allowed]
            if (
                foreign
                and self.model._default_manager.filter(
                    pk__in=[  # type: ignore[attr-defined]
                        pk for pk in foreign if pk.isdigit()
                    ]
                ).exists()
            ):
                self.deny(request, self.model, ",".join(foreign), "forged action")  # type: ignore[attr-defined]
        return super().response_action(request, queryset)  # type: ignore[misc]

    # -- history (django-simple-history) ----------------------------------------------
    def get_history_queryset(
        self, request: HttpRequest, history_manager: Any, pk_name: str, object_id: Any
    ) -> Any:
        queryset = super().get_history_queryset(  # type: ignore[misc]
            request, history_manager, pk_name, object_id
        )
        return scope_history(queryset, request.user)

    def _history_manager(self) -> Any:
        model = self.model  # type: ignore[attr-defined]
        return getattr(model, model._meta.simple_history_manager_attribute)

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict | None = None
    ) -> HttpResponse:
        object_id = unquote(object_id)
        pk_name = self.model._meta.pk.attname  # type: ignore[attr-defined]
        try:
            records = self._history_manager().filter(**{pk_name: object_id})
            visible = scope_history(records, request.user).exists()
            live_foreign = (
                self._exists_anywhere(object_id)
                and not self.get_queryset(request).filter(pk=object_id).exists()
            )
            if live_foreign or (not visible and records.exists()):
                self.deny(request, self.model, object_id, "history")  # type: ignore[attr-defined]
            # Most changes carry no reason: the column is shown only when one does.
            has_reasons = (
                scope_history(records, request.user)
                .exclude(history_change_reason__isnull=True)
                .exclude(history_change_reason="")
            )
            extra_context = {"has_change_reasons": has_reasons.exists(), **(extra_context or {})}
        except (ValueError, TypeError, ValidationError) as exc:
            raise Http404 from exc
        return super().history_view(request, object_id, extra_context)  # type: ignore[misc]

    def history_form_view(
        self,
        request: HttpRequest,
        object_id: str,
        version_id: str,
        extra_context: dict | None = None,
    ) -> HttpResponse:
        """An old version: readable only when both it and the live object (if any) are.

        Reverting writes the old version over the live row, so it needs the right to change
        both: the version being restored and the object as it is now (which may have moved
        to another partnership since).
        """
        object_id = unquote(object_id)
        pk_name = self.model._meta.pk.attname  # type: ignore[attr-defined]
        try:
            records = self._history_manager().filter(
                **{pk_name: object_id, "history_id": version_id}
            )
            record = scope_history(records, request.user).first()
            if record is None:
                if records.exists():
                    self.deny(request, self.model, object_id, "history")  # type: ignore[attr-defined]
                raise Http404
            live = self.model._default_manager.filter(pk=object_id).first()  # type: ignore[attr-defined]
        except (ValueError, TypeError, ValidationError) as exc:
            raise Http404 from exc
        if live is not None and not can_read(request.user, live):
            self.deny(request, self.model, object_id, "history")  # type: ignore[attr-defined]
        if request.method == "POST":
            version = record.instance
            if not (
                self.has_change_permission(request, version)
                and (live is None or self.has_change_permission(request, live))
            ):
                self.deny(request, self.model, object_id, "revert")  # type: ignore[attr-defined]
        return super().history_form_view(request, object_id, version_id, extra_context)  # type: ignore[misc]

    def has_view_history_or_change_history_permission(
        self, request: HttpRequest, obj: Any = None
    ) -> bool:
        """Also masks the old version's contact details before its page is built from it.

        django-simple-history builds the version page (title, form) from the very object it
        asks about here, straight from the history table; this is the one hook before that.
        """
        if obj is not None and private_fields(type(obj)):
            mask(obj, scope_of(request.user))
        return super().has_view_history_or_change_history_permission(request, obj)  # type: ignore[misc]

    # -- database rules ---------------------------------------------------------------
    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict | None = None,
    ) -> HttpResponse:
        """Check forged references, then save; a constraint refusal is shown as a form error.

        Validation runs before the write, so a concurrent save can slip between the two; the
        database then refuses the row (see the constraints of the models). The whole save is
        rolled back, and the page is validated again: it now sees the other save and shows
        the rule's own message.
        """
        if request.method == "POST":
            obj = None
            if object_id is not None:
                obj = self.get_object(request, unquote(object_id))
            if object_id is None or obj is not None:
                self.check_posted_references(request, obj)
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)  # type: ignore[misc]
        except IntegrityError:
            if request.method != "POST":
                raise
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)  # type: ignore[misc]
        except IntegrityError:
            self.message_user(  # type: ignore[attr-defined]
                request,
                gettext(
                    "Someone else changed these records at the same time, so nothing was "
                    "saved. Check the page and save again."
                ),
                messages.ERROR,
            )
            return HttpResponseRedirect(request.get_full_path())


class ScopedModelAdmin(PartnershipScopedMixin, SimpleHistoryAdmin):
    """Base ModelAdmin: scoped, with scoped history and revert."""

    list_per_page = 50
    # Field-by-field changes, and no "Change reason: None" on every line.
    object_history_list_template = "admin/history/object_history_list.html"

    def get_list_display(self, request: HttpRequest) -> Any:
        """A model that can hold generated demo rows shows which rows are samples, second."""
        display = list(super().get_list_display(request))
        has_flag = any(f.name == "is_sample" for f in self.model._meta.fields)
        if has_flag and "is_sample" not in display and "sample_marker" not in display:
            display.insert(1, "sample_marker")
        return display

    @admin.display(description=_("sample data"), ordering="is_sample")
    def sample_marker(self, obj: Any) -> str:
        return gettext("sample") if obj.is_sample else ""


def label_row_fields(form: Any, index: int | None) -> None:
    """Give each visible field of a table row an accessible name: its column's label and
    the row's number ("new row" on the template the "Add another" link copies).

    Django's tabular inline shows a field's label only once, in the column header, so each
    input would be announced without a name (axe-core: label, select-name). Radio buttons and
    check boxes keep the names of their own options.
    """
    for name, field in form.fields.items():
        widget = field.widget
        inner = getattr(widget, "widget", widget)  # the admin's related-object wrapper
        if widget.is_hidden or getattr(inner, "option_inherits_attrs", False):
            continue
        label = capfirst(field.label or pretty_name(name))
        if index is None:
            text = gettext("%(field)s, new row") % {"field": label}
        else:
            text = gettext("%(field)s, row %(number)s") % {"field": label, "number": index + 1}
        # On the inner widget: the wrapper's ``attrs`` is the class-level widget's, shared.
        inner.attrs["aria-label"] = text


class ScopedTabularInline(PartnershipScopedMixin, admin.TabularInline):
    """Base tabular inline, scoped like its ModelAdmin, with every row's fields named."""

    extra = 0
    show_change_link = True
    # Django's own table, without its empty header cells (see the template).
    template = "admin/edit_inline/tabular_labelled.html"

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        """The formset, naming each row's fields for screen readers (see ``label_row_fields``).

        An inline with a template of its own (the council roster) labels its fields itself.
        """
        formset = super().get_formset(request, obj, **kwargs)
        if self.template != ScopedTabularInline.template:
            return formset

        class LabelledFormSet(formset):  # type: ignore[misc, valid-type]
            def add_fields(self, form: Any, index: int | None) -> None:
                super().add_fields(form, index)
                label_row_fields(form, index)

        LabelledFormSet.__name__ = formset.__name__
        return LabelledFormSet
