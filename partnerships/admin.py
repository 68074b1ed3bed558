"""The coordinator workspace: partnerships, councils and their rosters, working groups.

Every ModelAdmin and inline here derives from :mod:`partnerships.admin_scoping`, the one
mechanism that keeps a coordinator inside their own partnerships.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX

from .admin_import import SafeImportMixin
from .admin_roster import CouncilMembershipInline
from .admin_scoping import (
    PartnershipListFilter,
    ScopedModelAdmin,
    ScopedTabularInline,
    can_edit,
    scope_history,
)
from .forms import RosterImportForm
from .models import (
    Community,
    Council,
    CouncilMembership,
    FocusArea,
    Organization,
    Partnership,
    Sector,
    ServedCommunity,
    Source,
    WorkingGroup,
)
from .resources import CouncilMembershipResource
from .scoping import WITHHELD
from .services import (
    EXPIRY_WINDOW_DAYS,
    council_representation,
    councils_with_roster,
    organization_editable_by,
)

# -- taxonomies and places ---------------------------------------------------------------


@admin.register(Sector)
class SectorAdmin(ScopedModelAdmin):
    list_display = ["name", "name_fr", "slug", "recommended", "order"]
    list_filter = ["recommended"]
    list_editable = ["order"]
    search_fields = ["name", "name_fr", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(FocusArea)
class FocusAreaAdmin(ScopedModelAdmin):
    list_display = ["name", "name_fr", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["name", "name_fr", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Community)
class CommunityAdmin(ScopedModelAdmin):
    list_display = ["name", "province", "population", "latitude", "longitude"]
    list_filter = ["province"]
    search_fields = ["name"]


# -- organizations (shared between partnerships) -----------------------------------------


@admin.register(Organization)
class OrganizationAdmin(ScopedModelAdmin):
    """Organizations are shared: anyone may pick or add one; a coordinator edits only those
    no other partnership uses."""

    list_display = ["name", "sector", "city", "province", "is_sample"]
    list_filter = ["province", ("sector", admin.RelatedOnlyFieldListFilter), "is_sample"]
    search_fields = ["name", "name_fr", "city"]
    list_select_related = ["sector"]
    fields = ["name", "name_fr", "sector", "website", "city", "province"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or organization_editable_by(obj, request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or organization_editable_by(obj, request.user)


# -- partnerships ------------------------------------------------------------------------


class CouncilInline(ScopedTabularInline):
    model = Council
    fields = ["name", "kind", "seats"]


class ServedCommunityInline(ScopedTabularInline):
    """Each served place with how it is known: estimated places are labelled publicly."""

    model = ServedCommunity
    fields = ["community", "basis"]
    autocomplete_fields = ["community"]
    extra = 0


class SourceInline(ScopedTabularInline):
    """The public documents the record rests on, cited by title, publisher and year."""

    model = Source
    fields = ["title", "publisher", "year", "url", "kind", "topic", "order"]
    extra = 0


class WorkingGroupInline(ScopedTabularInline):
    model = WorkingGroup
    fields = ["name", "focus_area", "status", "lead_organization"]
    autocomplete_fields = ["lead_organization"]


COORDINATOR_READONLY = [
    "slug",
    "kind",
    "province",
    "coordinators",
    "confidence",
    "verification_note",
    "last_confirmed",
]


class ConfirmationFilter(admin.SimpleListFilter):
    """When a coordinator last confirmed the record: never, over a year ago, this year."""

    title = _("confirmed by a coordinator")
    parameter_name = "confirmed"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [
            ("never", _("never")),
            ("stale", _("over a year ago")),
            ("recent", _("within the last year")),
        ]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        year_ago = timezone.localdate() - datetime.timedelta(days=365)
        return {
            "never": lambda: queryset.filter(last_confirmed__isnull=True),
            "stale": lambda: queryset.filter(last_confirmed__lt=year_ago),
            "recent": lambda: queryset.filter(last_confirmed__gte=year_ago),
        }.get(self.value(), lambda: queryset)()


class FreshnessFilter(admin.SimpleListFilter):
    """Records a reader should double-check: unverified, without contact, estimated places."""

    title = _("freshness")
    parameter_name = "freshness"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [
            ("unverified", _("unverified (low confidence, old or secondary sources)")),
            ("no_contact", _("without a public contact")),
            ("estimated", _("with estimated communities")),
        ]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        return {
            "unverified": lambda: queryset.unverified(),
            "no_contact": lambda: queryset.without_contact(),
            "estimated": lambda: queryset.filter(estimated_places__gt=0),
        }.get(self.value(), lambda: queryset)()


@admin.register(Source)
class SourceAdmin(ScopedModelAdmin):
    """Every cited document across partnerships: find old or secondary-only evidence."""

    list_display = ["title", "partnership", "publisher", "year", "kind", "topic", "url"]
    list_filter = [PartnershipListFilter, "kind", "topic", "year"]
    search_fields = ["title", "publisher", "url", "partnership__name"]
    autocomplete_fields = ["partnership"]
    list_select_related = ["partnership"]


@admin.register(ServedCommunity)
class ServedCommunityAdmin(ScopedModelAdmin):
    """Every served place and how it is known, to review the estimated ones."""

    list_display = ["community", "partnership", "basis"]
    list_filter = [PartnershipListFilter, "basis", "community__province"]
    search_fields = ["community__name", "partnership__name"]
    autocomplete_fields = ["partnership", "community"]
    list_select_related = ["partnership", "community"]


@admin.register(Partnership)
class PartnershipAdmin(ScopedModelAdmin):
    list_display = [
        "name",
        "acronym",
        "kind",
        "province",
        "status",
        "confidence",
        "last_confirmed",
        "public_contact",
        "newest_source",
        "estimated_places",
    ]
    list_filter = [
        FreshnessFilter,
        ConfirmationFilter,
        "kind",
        "province",
        "status",
        "confidence",
        "is_province_wide",
        "host_type",
    ]
    search_fields = ["name", "name_fr", "acronym", "slug", "aliases", "main_community"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["host_organizations"]
    filter_horizontal = ["focus_areas", "coordinators"]
    inlines = [ServedCommunityInline, SourceInline, CouncilInline, WorkingGroupInline]
    fieldsets = [
        (None, {"fields": ["kind", "name", "name_fr", "acronym", "aliases", "slug", "status"]}),
        (
            _("Where"),
            {
                "fields": [
                    "province",
                    "is_province_wide",
                    "main_community",
                    "communities_served_text",
                ]
            },
        ),
        (
            _("Host and contact"),
            {
                "fields": [
                    "host_organization",
                    "host_organizations",
                    "host_type",
                    "website",
                    "email",
                    "phone",
                    "contact_url",
                    "languages",
                ]
            },
        ),
        (
            _("About"),
            {"fields": ["description", "description_fr", "focus_areas", "focus_areas_basis"]},
        ),
        (
            _("Record"),
            {"fields": ["confidence", "verification_note", "last_confirmed", "coordinators"]},
        ),
    ]

    def get_queryset(self, request: HttpRequest) -> Any:
        """With the freshness columns, in the model's order: their GROUP BY drops the default
        ordering, and the autocomplete would page an unordered list."""
        return super().get_queryset(request).with_freshness().order_by(*self.model._meta.ordering)

    @admin.display(description=_("public contact"), boolean=True, ordering="email")
    def public_contact(self, obj: Partnership) -> bool:
        return obj.has_public_contact

    @admin.display(description=_("newest source"), ordering="newest_source_year")
    def newest_source(self, obj: Partnership) -> Any:
        return obj.newest_source_year or "—"

    @admin.display(description=_("estimated places"), ordering="estimated_places")
    def estimated_places(self, obj: Partnership) -> int:
        return obj.estimated_places

    def get_prepopulated_fields(self, request: HttpRequest, obj: Any = None) -> dict:
        return self.prepopulated_fields if request.user.is_superuser else {}

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if request.user.is_superuser:
            return ["last_confirmed"]
        return COORDINATOR_READONLY

    def get_urls(self) -> list:
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/confirm/",
                self.admin_site.admin_view(self.confirm_view),
                name="{}_{}_confirm".format(*info),
            ),
        ] + super().get_urls()

    def confirm_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """One click: the coordinator confirms their partnership's record is current."""
        if request.method != "POST":
            return HttpResponse(status=405)
        partnership = self.get_object(request, object_id)
        if partnership is None:
            raise Http404
        if not self.has_change_permission(request, partnership):
            self.deny(request, Partnership, object_id, "confirm")
        partnership._history_user = request.user
        partnership.confirm_current()
        self.message_user(
            request,
            gettext("Thank you: “%(name)s” is confirmed current as of %(date)s.")
            % {"name": partnership, "date": partnership.last_confirmed.isoformat()},
            messages.SUCCESS,
        )
        target = request.POST.get("next") or reverse("admin:index")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = reverse("admin:index")
        return HttpResponseRedirect(target)


# -- councils and their rosters ----------------------------------------------------------


@admin.register(Council)
class CouncilAdmin(ScopedModelAdmin):
    list_display = ["name", "partnership", "kind", "seats", "current_members", "vacant_seats"]
    list_filter = [PartnershipListFilter, "kind"]
    search_fields = ["name", "partnership__name", "partnership__acronym"]
    list_select_related = ["partnership"]
    autocomplete_fields = ["partnership"]
    inlines = [CouncilMembershipInline]
    readonly_fields = ["representation"]
    fields = ["partnership", "kind", "name", "seats", "description", "representation"]

    def get_queryset(self, request: HttpRequest) -> Any:
        return (
            super()
            .get_queryset(request)
            .annotate(
                current_count=Count("memberships", filter=Q(memberships__left_on__isnull=True))
            )
            # Grouped queries drop Meta.ordering; autocomplete pages need a stable order.
            .order_by("partnership__name", "kind", "name", "pk")
        )

    @admin.display(description=_("current members"), ordering="current_count")
    def current_members(self, obj: Council) -> int:
        return obj.current_count

    @admin.display(description=_("vacant seats"))
    def vacant_seats(self, obj: Council) -> int | str:
        if obj.seats is None:
            return "–"
        return max(obj.seats - obj.current_count, 0)

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict | None = None,
    ) -> HttpResponse:
        """The roster needs the page's full width: no navigation sidebar on this page."""
        extra_context = {"is_nav_sidebar_enabled": False, **(extra_context or {})}
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_object(self, request: HttpRequest, object_id: str, from_field: Any = None) -> Any:
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            obj.viewer = request.user  # the representation panel names members as they may
        return obj

    @admin.display(description=_("representation"))
    def representation(self, obj: Council) -> str:
        if obj is None or obj.pk is None:
            return "–"
        council = councils_with_roster(
            Council.objects.filter(pk=obj.pk), viewer=getattr(obj, "viewer", None)
        ).get()
        return mark_safe(  # noqa: S308 - rendered by an auto-escaping template
            render_to_string(
                "admin/partnerships/council/representation.html",
                {
                    "rep": council_representation(council),
                    "window": EXPIRY_WINDOW_DAYS,
                },
            )
        )


class TermStatusFilter(admin.SimpleListFilter):
    """Terms ending within 90 days, and members past their term (carried over until replaced)."""

    title = _("term")
    parameter_name = "term"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [
            ("expiring", _("Ending in the next %(days)d days") % {"days": EXPIRY_WINDOW_DAYS}),
            ("past", _("Past term (carried over)")),
            ("current", _("Current members")),
            ("left", _("Left the council")),
        ]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        value = self.value()
        if value == "expiring":
            return queryset.expiring_within(EXPIRY_WINDOW_DAYS)
        if value == "past":
            return queryset.past_term()
        if value == "current":
            return queryset.current()
        if value == "left":
            return queryset.filter(left_on__isnull=False)
        return queryset


@admin.register(CouncilMembership)
class CouncilMembershipAdmin(SafeImportMixin, ImportExportMixin, ScopedModelAdmin):
    list_display = [
        "who",
        "organization",
        "council",
        "role",
        "sector",
        "voting",
        "term_end",
        "term_status",
        "publish_consent",
    ]
    list_filter = [
        PartnershipListFilter,
        TermStatusFilter,
        "role",
        ("sector", admin.RelatedOnlyFieldListFilter),
        "voting",
        "publish_consent",
    ]
    search_fields = ["person_name", "title", "email", "organization__name", "council__name"]
    list_select_related = ["council__partnership", "organization", "sector"]
    autocomplete_fields = ["council", "organization"]
    readonly_fields = ["consent_date"]
    fieldsets = [
        (None, {"fields": ["council", "organization", "person_name", "title", "email", "phone"]}),
        (_("Seat"), {"fields": ["role", "voting", "sector", "term_start", "term_end", "left_on"]}),
        (_("Consent"), {"fields": ["publish_consent", "consent_date"]}),
    ]

    # import-export
    resource_classes = [CouncilMembershipResource]
    formats = [CSV, XLSX]
    import_form_class = RosterImportForm
    import_template_name = "admin/partnerships/councilmembership/import.html"
    from_encoding = "utf-8-sig"
    import_export_change_list_template = "admin/partnerships/councilmembership/change_list.html"

    def get_resource_kwargs(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict:
        return {"user": request.user}

    def get_import_data_kwargs(self, **kwargs: Any) -> dict:
        kwargs = super().get_import_data_kwargs(**kwargs)
        kwargs.pop("request", None)  # the resource knows its user; rows never see the request
        return kwargs

    @admin.display(description=_("person"), ordering="person_name")
    def who(self, obj: CouncilMembership) -> str:
        if getattr(obj, "contacts_withheld", False):
            return str(WITHHELD)
        return obj.person_name or "–"

    @admin.display(description=_("term"))
    def term_status(self, obj: CouncilMembership) -> str:
        today = timezone.localdate()
        if obj.left_on:
            return gettext("left")
        if obj.term_end and obj.term_end < today:
            return gettext("past term")
        if obj.term_end and obj.term_end <= today + datetime.timedelta(days=EXPIRY_WINDOW_DAYS):
            return gettext("ending soon")
        return gettext("current")

    def get_urls(self) -> list:
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "deleted/",
                self.admin_site.admin_view(self.deleted_view),
                name="{}_{}_deleted".format(*info),
            ),
            path(
                "deleted/<int:history_id>/restore/",
                self.admin_site.admin_view(require_POST(self.restore_view)),
                name="{}_{}_restore".format(*info),
            ),
        ] + super().get_urls()

    def deleted_records(self, request: HttpRequest) -> Any:
        """Deletion records of memberships the user may read and that are still deleted."""
        records = CouncilMembership.history.filter(history_type="-").exclude(
            id__in=CouncilMembership.objects.values("pk")
        )
        return scope_history(records, request.user).select_related(
            "history_user", "council__partnership", "organization"
        )

    def deleted_view(self, request: HttpRequest) -> HttpResponse:
        """Deleted memberships of the user's councils, each restorable in one click."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Deleted council memberships"),
            "opts": self.opts,
            "records": self.deleted_records(request).order_by("-history_date")[:200],
            "can_restore": self.has_add_permission(request),
        }
        return TemplateResponse(
            request, "admin/partnerships/councilmembership/deleted_list.html", context
        )

    def restore_view(self, request: HttpRequest, history_id: int) -> HttpResponse:
        """Bring a deleted membership back as it was when deleted (a new history record)."""
        record = self.deleted_records(request).filter(history_id=history_id).first()
        if record is None:
            if CouncilMembership.history.filter(history_id=history_id).exists():
                self.deny(request, CouncilMembership, history_id, "restore")
            raise Http404
        membership = record.instance
        if not self.has_add_permission(request) or not can_edit(request.user, membership):
            self.deny(request, CouncilMembership, record.id, "restore")
        changelist = reverse("admin:partnerships_councilmembership_deleted")
        try:
            membership.full_clean()
        except ValidationError as exc:
            self.message_user(
                request,
                gettext("This membership cannot be restored: %(errors)s")
                % {"errors": " ".join(exc.messages)},
                messages.ERROR,
            )
            return HttpResponseRedirect(changelist)
        membership._history_user = request.user
        membership.save(force_insert=True)
        self.log_addition(request, membership, [{"added": {}}])
        self.message_user(
            request, gettext("Restored “%(obj)s”.") % {"obj": membership}, messages.SUCCESS
        )
        return HttpResponseRedirect(
            reverse("admin:partnerships_councilmembership_change", args=[membership.pk])
        )


# -- working groups ----------------------------------------------------------------------


@admin.register(WorkingGroup)
class WorkingGroupAdmin(ScopedModelAdmin):
    list_display = ["name", "partnership", "focus_area", "status", "lead_organization"]
    list_filter = [
        PartnershipListFilter,
        "status",
        ("focus_area", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["name", "name_fr", "description", "partnership__name"]
    list_select_related = ["partnership", "focus_area", "lead_organization"]
    autocomplete_fields = ["partnership", "lead_organization", "organizations"]
    fields = [
        "partnership",
        ("name", "name_fr"),
        "focus_area",
        "status",
        ("description", "description_fr"),
        ("how_to_join", "how_to_join_fr"),
        ("meeting_frequency", "meeting_frequency_fr"),
        "lead_organization",
        "organizations",
        "is_sample",
    ]
