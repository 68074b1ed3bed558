"""Roster import views that trust nothing the browser posts back.

django-import-export's confirm step posts back, as hidden fields, the name of the temporary
file the preview saved, a format index and a resource index, and uses them as given: an
unknown index is a server error, and any file in the server's temporary folder can be named,
read and then deleted. Here the preview hands out a signed reference to the file it saved
(salted, bound to the user, valid for an hour) that also fixes the format and resource, and
the confirm step accepts only that: anything else is a 400 with a message, and no file is
read or deleted. The page shows no server path, and a file is claimed (renamed) before it is
read, so a double submit imports it once.

:class:`RosterFilesMixin` (which :class:`SafeImportMixin` brings along) makes the roster file
one click away: ``export/?format=csv`` (or ``xlsx``) downloads it at once with the change
list's filters (``council__id__exact=<id>`` for one council), written by :mod:`funders.files`;
the preview says what each row will do; and the success message counts unchanged rows.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from import_export.formats.base_formats import XLSX
from import_export.forms import ConfirmImportForm
from import_export.results import RowResult
from import_export.tmp_storages import TempFolderStorage

from funders.files import csv_response, export_filename, xlsx_response

from .forms import PaddedXLSX
from .models import Council, Role, Sector
from .resources import ROSTER_COLUMNS, CouncilMembershipResource

logger = logging.getLogger("partnerships.security")

SALT = "partnerships.admin_import.confirm"
#: How long a preview may wait for its confirmation (seconds).
MAX_AGE = 60 * 60


def _salt(user_pk: Any) -> str:
    return f"{SALT}:{user_pk}"


def sign_upload(user_pk: Any, *, file: str, format: str, resource: str, name: str) -> str:
    """A reference to a saved upload that only ``user_pk`` can redeem, within :data:`MAX_AGE`."""
    payload = {"file": file, "format": format, "resource": resource, "name": name}
    return signing.dumps(payload, salt=_salt(user_pk), compress=True)


def read_upload(token: str, user_pk: Any, max_age: int = MAX_AGE) -> dict[str, str]:
    """The payload of :func:`sign_upload`; ``signing.BadSignature`` (or its subclass
    ``SignatureExpired``) when the token was not issued to this user or is too old."""
    payload = signing.loads(token, salt=_salt(user_pk), max_age=max_age)
    if not isinstance(payload, dict) or not all(
        isinstance(payload.get(k), str) for k in ("file", "format", "resource", "name")
    ):
        raise signing.BadSignature("malformed payload")
    if os.path.basename(payload["file"]) != payload["file"] or not payload["file"]:
        raise signing.BadSignature("not a bare file name")
    return payload


def _index(value: Any, count: int) -> str | None:
    """``value`` as the string of an index below ``count``, or ``None``."""
    text = str(value if value is not None else "").strip()
    if not text.isascii() or not text.isdigit() or int(text) >= count:
        return None
    return str(int(text))


class SignedConfirmImportForm(ConfirmImportForm):
    """The confirm step's hidden fields, redeemed against the signed reference.

    ``cleaned_data`` holds the values the preview signed (the bare temporary file name, the
    original file name, the format and resource indexes), never what the browser sent.
    """

    def __init__(
        self,
        *args: Any,
        user_pk: Any = None,
        format_count: int = 0,
        resource_count: int = 1,
        max_age: int = MAX_AGE,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.user_pk = user_pk
        self.format_count = format_count
        self.resource_count = resource_count
        self.max_age = max_age

    def clean_import_file_name(self) -> str:
        return self.cleaned_data["import_file_name"]  # a token, not a name (see clean())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.errors:
            raise ValidationError(_("This confirmation is incomplete: upload the file again."))
        fmt = _index(cleaned.get("format"), self.format_count)
        if fmt is None:
            raise ValidationError(_("Unknown file format: upload the file again."))
        resource = _index(cleaned.get("resource") or "0", self.resource_count)
        if resource is None:
            raise ValidationError(_("Unknown import type: upload the file again."))
        try:
            payload = read_upload(cleaned["import_file_name"], self.user_pk, self.max_age)
        except signing.SignatureExpired:
            raise ValidationError(
                _("This preview is more than an hour old: upload the file again.")
            ) from None
        except signing.BadSignature:
            logger.warning(
                "Roster import confirmation refused: file reference not issued to user %s.",
                self.user_pk,
            )
            raise ValidationError(
                _("This confirmation was not prepared for you: upload the file again.")
            ) from None
        if (fmt, resource) != (payload["format"], payload["resource"]):
            raise ValidationError(
                _("This confirmation does not match its preview: upload the file again.")
            )
        cleaned.update(
            import_file_name=payload["file"],
            original_file_name=payload["name"],
            format=fmt,
            resource=resource,
        )
        return cleaned


def claim(storage: Any) -> Any:
    """Take a temporary upload for this request alone: renamed before it is read, so that a
    second submit of the same confirmation finds nothing (``FileNotFoundError``). A shared
    storage (``config.import_storage``, the setting's default) claims through its ``claim``."""
    if callable(getattr(storage, "claim", None)):
        storage.claim()
    elif isinstance(storage, TempFolderStorage):
        claimed = f"{storage.name}.{uuid.uuid4().hex}.claimed"
        os.rename(storage.get_full_path(), os.path.join(tempfile.gettempdir(), claimed))
        storage.name = claimed
    return storage


#: The roster file's formats, by the name a link uses.
FILE_FORMATS = ("csv", "xlsx")
#: Query parameters of the change list that are not filters.
NOT_FILTERS = ("format", "p", "e", "o", "_changelist_filters")


def export_url(file_format: str, **filters: Any) -> str:
    """The one-click download of the roster file (``council__id__exact=…``, ``partnership=…``)."""
    params = {**{k: v for k, v in filters.items() if v not in (None, "")}, "format": file_format}
    return f"{reverse('admin:partnerships_councilmembership_export')}?{urlencode(params)}"


#: Rows that add or update a member listed on the preview; rows with problems are all listed.
PREVIEW_ROWS = 200


def preview_context(result: Any, limit: int | None = None) -> dict[str, Any]:
    """The preview's rows (see ``CouncilMembershipResource._preview``): every row with
    problems, the first ``limit`` that add or update a member, and the first ``limit`` that
    change nothing apart (in a collapsed list); the others are counted."""
    limit = PREVIEW_ROWS if limit is None else limit
    rows = [r.preview for r in result.rows if getattr(r, "preview", None) is not None]
    changing = [r for r in rows if r.action != RowResult.IMPORT_TYPE_SKIP and not r.errors]
    listed = {id(r) for r in changing[:limit]}
    unchanged = [r for r in rows if r.action == RowResult.IMPORT_TYPE_SKIP and not r.errors]
    return {
        "shown": [r for r in rows if r.errors or id(r) in listed],
        "not_listed": max(len(changing) - limit, 0),
        "unchanged": unchanged[:limit],
        "unchanged_count": len(unchanged),
        "problems": sum(1 for r in rows if r.errors),
    }


class RosterFilesMixin:
    """The roster file one click away, and an import that says what it will do."""

    roster_export_template = "admin/partnerships/councilmembership/export.html"

    # -- export: one click ----------------------------------------------------------------
    def export_action(self, request: HttpRequest) -> HttpResponse:
        """``?format=csv|xlsx``: the file at once, with the change list's filters; without a
        format, a page of links. An unknown format or filter is a 400 in words."""
        if not self.has_export_permission(request):
            raise PermissionDenied
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET"])
        file_format = request.GET.get("format")
        filters = request.GET.copy()
        for name in NOT_FILTERS:
            filters.pop(name, None)
        if file_format is None:
            return self.export_page(request, filters)
        if file_format not in FILE_FORMATS:
            return self.export_page(
                request, filters, error=_("Unknown file format: choose CSV or Excel."), status=400
            )
        request.GET = filters  # the change list reads its filters from the request
        try:
            queryset = self.get_export_queryset(request)
        except IncorrectLookupParameters:
            return self.export_page(
                request, {}, error=_("These filters are not valid: no file was made."), status=400
            )
        resource = CouncilMembershipResource(user=request.user)
        name = export_filename(self.export_name(filters))
        rows = resource.file_rows(queryset)
        if file_format == "xlsx":
            return xlsx_response(ROSTER_COLUMNS, rows, name, title=_("Council rosters"))
        return csv_response(ROSTER_COLUMNS, rows, name)

    def export_name(self, filters: Any) -> str:
        """The file name's stem: the council's partnership and name when the file is one
        council's (one small query), else "council-rosters"."""
        council_id = filters.get("council__id__exact", "")
        if council_id.isascii() and council_id.isdigit():
            council = Council.objects.select_related("partnership").filter(pk=council_id).first()
            if council is not None:
                return f"roster-{council.partnership.slug}-{council.name}"
        return "council-rosters"

    def export_page(
        self, request: HttpRequest, filters: Any, *, error: str = "", status: int = 200
    ) -> TemplateResponse:
        """Links to the file in each format (the same filters), and an error if any."""
        params = {k: filters.get(k) for k in filters}
        context = {
            **self.admin_site.each_context(request),
            "title": _("Export council rosters"),
            "opts": self.model._meta,
            "error": error,
            "links": [
                (_("CSV (opens in Excel, UTF-8)"), export_url("csv", **params)),
                (_("Excel workbook (.xlsx)"), export_url("xlsx", **params)),
            ],
            "filtered": bool(params),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.roster_export_template, context, status=status)

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        """The change list's export links carry its filters."""
        extra_context = dict(extra_context or {})
        params = {k: v for k, v in request.GET.items() if k not in NOT_FILTERS}
        extra_context["export_links"] = [
            (_("Export CSV"), export_url("csv", **params)),
            (_("Export Excel"), export_url("xlsx", **params)),
        ]
        return super().changelist_view(request, extra_context)  # type: ignore[misc]

    # -- import: the page says what the file holds and what it will do --------------------
    def get_import_formats(self) -> list:
        """The stock formats, with XLSX read to the header's width (:class:`PaddedXLSX`)."""
        formats = super().get_import_formats()  # type: ignore[misc]
        return [PaddedXLSX if f is XLSX else f for f in formats]

    def get_import_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_import_context_data(**kwargs)  # type: ignore[misc]
        context["roster_columns"] = ROSTER_COLUMNS
        context["roster_roles"] = [str(role.label) for role in Role]
        context["roster_sectors"] = [s.display_name for s in Sector.objects.all()]
        return context

    def add_success_message(self, result: Any, request: HttpRequest) -> None:
        totals = result.totals
        messages.success(
            request,
            _(
                "Import finished: %(new)d new, %(updated)d updated, %(unchanged)d unchanged "
                "(left as they were)."
            )
            % {
                "new": totals[RowResult.IMPORT_TYPE_NEW],
                "updated": totals[RowResult.IMPORT_TYPE_UPDATE],
                "unchanged": totals[RowResult.IMPORT_TYPE_SKIP],
            },
        )


class SafeImportMixin(RosterFilesMixin):
    """Put before ``ImportExportMixin``: the preview signs what the confirm step may use."""

    confirm_form_class = SignedConfirmImportForm
    #: Seconds a preview stays valid.
    import_max_age = MAX_AGE

    # -- the preview ----------------------------------------------------------------------
    def get_confirm_form_initial(self, request: HttpRequest, import_form: Any) -> dict:
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is None:
            return initial
        fmt = str(initial["format"])
        resource = str(initial.get("resource") or "0")
        initial["import_file_name"] = sign_upload(
            request.user.pk,
            file=os.path.basename(initial["import_file_name"]),
            format=fmt,
            resource=resource,
            name=os.path.basename(str(initial["original_file_name"])),
        )
        initial.update(format=fmt, resource=resource)
        return initial

    def get_confirm_form_kwargs(self, request: HttpRequest, import_form: Any = None) -> dict:
        kwargs = super().get_confirm_form_kwargs(request, import_form)
        kwargs.update(
            user_pk=request.user.pk,
            format_count=len(self.get_import_formats()),
            resource_count=len(self.get_import_resource_classes(request)),
            max_age=self.import_max_age,
        )
        return kwargs

    def import_action(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        """The stock preview; a file that cannot be confirmed is not left behind."""
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None) or {}
        if context.get("result") is not None:
            context.update(preview_context(context["result"]))
        form = context.get("form")
        if "confirm_form" in context or form is None or not form.is_bound:
            return response
        upload = (getattr(form, "cleaned_data", None) or {}).get("import_file")
        name = getattr(upload, "tmp_storage_name", None)
        if name:
            storage = self.get_tmp_storage_class()(
                name=os.path.basename(name), **self.get_tmp_storage_class_kwargs()
            )
            with contextlib.suppress(OSError):
                storage.remove()
        return response

    # -- the confirmation -----------------------------------------------------------------
    @method_decorator(require_POST)
    def process_import(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        """Import the previewed file, only through a reference this server signed for this
        user; show the rows again if the database now refuses one (nothing is written)."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = self.create_confirm_form(request)
        if not form.is_valid():
            return self.import_page(request, form.non_field_errors(), status=400)
        input_format = self.get_import_formats()[int(form.cleaned_data["format"])](
            encoding=self.from_encoding
        )
        storage = self.get_tmp_storage_class()(
            name=form.cleaned_data["import_file_name"],
            encoding=None if input_format.is_binary() else self.from_encoding,
            read_mode=input_format.get_read_mode(),
            **self.get_tmp_storage_class_kwargs(),
        )
        gone = _("This file was already imported or has expired: upload it again.")
        try:
            claim(storage)
        except OSError:
            return self.import_page(request, [gone], status=400)
        try:
            data = storage.read()
            if data is None:  # a cache storage whose entry has expired
                return self.import_page(request, [gone], status=400)
            dataset = input_format.create_dataset(data)
            result = self.process_dataset(dataset, form, request, **kwargs)
        finally:
            with contextlib.suppress(OSError):
                storage.remove()
        if result.has_errors() or result.has_validation_errors():
            return self.import_page(
                request,
                [
                    _(
                        "Nothing was imported: some rows are refused now. "
                        "Correct them and upload the file again."
                    )
                ],
                result=result,
            )
        return self.process_result(result, request)

    def import_page(
        self, request: HttpRequest, errors: Any, *, status: int = 200, **extra: Any
    ) -> TemplateResponse:
        """The upload page again, with ``errors`` as messages (and a result, if any)."""
        for message in errors:
            messages.error(request, message)
        form_class = self.get_import_form_class(request)
        resource_classes = self.get_import_resource_classes(request)
        form = form_class(
            self.get_import_formats(),
            resource_classes,
            initial=self.get_import_form_initial(request),
        )
        resource_kwargs = self.get_import_resource_kwargs(request=request, form=None)
        resources = [resource_class(**resource_kwargs) for resource_class in resource_classes]
        context = {
            **self.get_import_context_data(),
            **self.admin_site.each_context(request),
            "title": _("Import"),
            "form": form,
            "opts": self.model._meta,
            "media": self.media + form.media,
            "fields_list": [
                (r.get_display_name(), [f.column_name for f in r.get_user_visible_fields()])
                for r in resources
            ],
            "import_error_display": self.import_error_display,
            **extra,
        }
        if extra.get("result") is not None:
            context.update(preview_context(extra["result"]))
        request.current_app = self.admin_site.name
        return TemplateResponse(request, [self.import_template_name], context, status=status)
