"""Roster import views that trust nothing the browser posts back.

django-import-export's confirm step posts back, as hidden fields, the name of the temporary
file the preview saved, a format index and a resource index, and uses them as given: an
unknown index is a server error, and any file in the server's temporary folder can be named,
read and then deleted. Here the preview hands out a signed reference to the file it saved
(salted, bound to the user, valid for an hour) that also fixes the format and resource, and
the confirm step accepts only that: anything else is a 400 with a message, and no file is
read or deleted. The page shows no server path, and a file is claimed (renamed) before it is
read, so a double submit imports it once.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
import uuid
from typing import Any

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from import_export.forms import ConfirmImportForm
from import_export.tmp_storages import TempFolderStorage

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
    second submit of the same confirmation finds nothing (``FileNotFoundError``)."""
    if isinstance(storage, TempFolderStorage):
        claimed = f"{storage.name}.{uuid.uuid4().hex}.claimed"
        os.rename(storage.get_full_path(), os.path.join(tempfile.gettempdir(), claimed))
        storage.name = claimed
    return storage


class SafeImportMixin:
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
        request.current_app = self.admin_site.name
        return TemplateResponse(request, [self.import_template_name], context, status=status)
