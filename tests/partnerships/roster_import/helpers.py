"""Helpers that post the roster import pages as a browser would."""

from __future__ import annotations

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

DATA = Path(__file__).resolve().parents[2] / "data"
IMPORT_URL = "admin:partnerships_councilmembership_import"
EXPORT_URL = "admin:partnerships_councilmembership_export"
PROCESS_URL = "admin:partnerships_councilmembership_process_import"
CSV_FORMAT, XLSX_FORMAT = "0", "1"


def upload(client, name: str, file_format: str, content: bytes | None = None):
    data = content if content is not None else (DATA / name).read_bytes()
    return client.post(
        reverse(IMPORT_URL),
        {"import_file": SimpleUploadedFile(name, data), "format": file_format, "resource": "0"},
    )


def confirm(client, preview):
    form = preview.context["confirm_form"]
    return client.post(reverse(PROCESS_URL), {k: form.initial[k] for k in form.initial})


def row_errors(preview) -> dict[int, dict[str, list[str]]]:
    """Row number -> field -> messages, from the dry-run result."""
    result = preview.context["result"]
    errors = {}
    for invalid in result.invalid_rows:
        errors[invalid.number] = {k: [str(m) for m in v] for k, v in invalid.error_dict.items()}
    return errors


def export(client, file_format: str = "csv", **filters):
    """The roster file, in one click (a GET with the format and any change-list filters)."""
    return client.get(reverse(EXPORT_URL), {**filters, "format": file_format})


def file_bytes(response) -> bytes:
    """The body of a download, streamed or not."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content
