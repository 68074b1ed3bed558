"""Admin forms: roster validation that spans several rows, and the roster import upload."""

from __future__ import annotations

import csv
import io
import os
import zipfile
from typing import Any
from xml.etree import ElementTree

from django import forms
from django.conf import settings
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _
from import_export.formats.base_formats import XLSX
from import_export.forms import ImportForm
from openpyxl import load_workbook
from openpyxl.reader.excel import ExcelReader

from .models import Role
from .rosters import Seat, roster_errors


class PrefetchedAutocompleteSelect(AutocompleteSelect):
    """An autocomplete that labels its selected value from objects the formset already has.

    The stock widget runs one query per row to label the selected organization; on a council
    of 40 members that is 40 queries. ``known_objects`` ({pk string: object}) avoids them.
    """

    known_objects: dict[str, Any] | None = None

    def optgroups(self, name: str, value: Any, attr: Any = None) -> list:
        selected = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        known = self.known_objects
        if known is None or not selected <= set(known):
            return super().optgroups(name, value, attr)
        default: tuple[Any, list, int] = (None, [], 0)
        if not self.is_required:
            default[1].append(self.create_option(name, "", "", False, 0))
        for pk in sorted(selected):
            label = self.choices.field.label_from_instance(known[pk])
            default[1].append(
                self.create_option(name, known[pk].pk, label, selected, len(default[1]))
            )
        return [default]


class CouncilMembershipFormSet(BaseInlineFormSet):
    """The council page's roster: rules that concern the roster as a whole.

    Its rows share the sector choices and the organizations' labels, so the page runs a
    constant number of queries whatever the size of the council.
    """

    _sector_choices: list | None = None
    _organizations: dict[str, Any] | None = None

    def _share_lookups(self, form: forms.Form) -> forms.Form:
        sector = form.fields.get("sector")
        if sector is not None:
            if self._sector_choices is None:
                self._sector_choices = list(sector.choices)
            sector.choices = self._sector_choices
            inner = getattr(sector.widget, "widget", None)
            if inner is not None:
                inner.choices = self._sector_choices
        organization = form.fields.get("organization")
        if organization is not None:
            widget = getattr(organization.widget, "widget", organization.widget)
            if isinstance(widget, PrefetchedAutocompleteSelect):
                if self._organizations is None:
                    self._organizations = {
                        str(m.organization_id): m.organization
                        for m in self.get_queryset()
                        if m.organization_id
                    }
                widget.known_objects = self._organizations
        return form

    def _construct_form(self, i: int, **kwargs: Any) -> forms.Form:
        form = self._share_lookups(super()._construct_form(i, **kwargs))
        form.instance._roster_checked = True  # clean() below checks the roster as a whole
        return form

    @property
    def empty_form(self) -> forms.Form:
        return self._share_lookups(super().empty_form)

    def clean(self) -> None:
        """The roster rules over every row that stays (partnerships.rosters)."""
        super().clean()
        seats = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or (self.can_delete and self._should_delete_form(form)):
                continue
            organization = data.get("organization")
            seats.append(
                Seat(
                    pk=form.instance.pk,
                    organization=organization.pk if organization else None,
                    person_name=data.get("person_name") or "",
                    role=data.get("role") or "",
                    left_on=data.get("left_on"),
                )
            )
        errors = roster_errors(seats)
        if errors:
            raise ValidationError(errors)

    @property
    def initial_forms(self) -> list[forms.Form]:
        """While saving, rows that give up a seat or a chair go first (the database checks
        each row as it is written, so a chair handed from one member to another must be
        released before it is taken)."""
        forms_ = super().initial_forms
        if not getattr(self, "_saving", False):
            return forms_
        return sorted(forms_, key=lambda form: 0 if _releases(form) else 1)

    def save(self, commit: bool = True) -> list:
        self._saving = True
        try:
            return super().save(commit)
        finally:
            self._saving = False


def _releases(form: forms.Form) -> bool:
    """Whether saving this row gives up a chair or a seat that another row may take."""
    if not form.has_changed():
        return False
    data = getattr(form, "cleaned_data", {}) or {}
    if data.get("DELETE") or (data.get("left_on") and not form.initial.get("left_on")):
        return True
    was_chair = form.initial.get("role") in (Role.CHAIR, Role.CO_CHAIR)
    return was_chair and data.get("role") != form.initial.get("role")


#: What an .xlsx may unpack to: the parts openpyxl reads whole when it opens the workbook
#: (shared strings, styles...) plus the worksheets as far as the row count reads them. A roster
#: of 2,000 rows is a few MB; a zip entry never unpacks beyond its declared size.
XLSX_MAX_UNPACKED = 64 * 1024 * 1024
_CHUNK = 64 * 1024


class WorkbookTooLarge(Exception):
    """The workbook unpacks to more than :data:`XLSX_MAX_UNPACKED`."""


def _worksheet_rows(archive: zipfile.ZipFile, name: str, stop: int, budget: int) -> tuple[int, int]:
    """The rows openpyxl will yield for one worksheet part (the last row number: a row
    numbered 900000 brings the empty rows before it), parsed as it unpacks, stopping at
    ``stop``; and the bytes unpacked. Elements are dropped once read, so memory stays flat."""
    parser = ElementTree.XMLPullParser(events=("start", "end"))
    open_elements: list[Any] = []
    last = read = 0
    with archive.open(name) as part:
        while chunk := part.read(_CHUNK):
            read += len(chunk)
            if read > budget:
                raise WorkbookTooLarge
            parser.feed(chunk)
            for event, element in parser.read_events():
                if event == "end":
                    open_elements.pop()
                    element.clear()
                    if open_elements:
                        open_elements[-1].remove(element)
                    continue
                open_elements.append(element)
                if element.tag.rpartition("}")[2] == "row":
                    number = element.get("r", "")
                    last = int(number) if number.isascii() and number.isdigit() else last + 1
                    if last >= stop:
                        return last, read
    parser.close()
    return last, read


def xlsx_rows(data: bytes, stop: int, max_unpacked: int = XLSX_MAX_UNPACKED) -> int:
    """Rows (header included) of the fullest worksheet of an .xlsx, at most ``stop``, without
    opening it with openpyxl: its read-only mode still reads every sheet to its end on opening
    when the sheet does not state its size. :class:`WorkbookTooLarge` past ``max_unpacked``."""
    reader = ExcelReader(io.BytesIO(data), read_only=True)  # opens the zip, parses nothing
    archive = reader.archive
    whole = sum(
        info.file_size
        for info in archive.infolist()
        if not info.filename.startswith(("xl/worksheets/", "xl/media/"))
    )
    if whole > max_unpacked:
        raise WorkbookTooLarge
    reader.read_manifest()  # then the sheets' paths, found as openpyxl finds them
    reader.read_workbook()
    most, budget = 0, max_unpacked - whole
    for _sheet, rel in reader.parser.find_sheets():
        if rel.target in reader.valid_files and "chartsheet" not in rel.Type:
            rows, read = _worksheet_rows(archive, rel.target, stop, budget)
            most, budget = max(most, rows), budget - read
            if most >= stop:
                break
    return most


def count_rows(data: bytes | str, binary: bool, stop_after: int) -> int:
    """Data rows in the file (header excluded) as the importer will read them, counted while
    streaming and never more than ``stop_after``: a million-row file is refused after reading
    ``stop_after`` rows, not after building a dataset of a million. Every row of an .xlsx
    counts (blank ones too); a CSV's empty lines do not."""
    if binary:
        return max(xlsx_rows(data, stop=stop_after + 1) - 1, 0)
    count = -1  # the header
    for row in csv.reader(io.StringIO(data)):
        if row:
            count += 1
            if count >= stop_after:
                break
    return max(count, 0)


class PaddedXLSX(XLSX):
    """XLSX read row by row to the header's width: a spreadsheet leaves out a row's trailing
    empty cells (our own export does, for a member with no "left on" date), and the stock
    reader then refuses the row."""

    def create_dataset(self, in_stream: bytes) -> Any:
        import tablib

        workbook = load_workbook(io.BytesIO(in_stream), read_only=True, data_only=True)
        try:
            rows = workbook.active.iter_rows(values_only=True)
            headers = list(next(rows, ()))
            while headers and headers[-1] is None:
                headers.pop()
            width = len(headers)
            dataset = tablib.Dataset(headers=[h if h is not None else "" for h in headers])
            for row in rows:
                values = list(row[:width]) + [None] * (width - len(row))
                if any(cell is not None for cell in row[width:]):
                    raise ValueError("a row has cells beyond the last header")
                dataset.append(values)
            return dataset
        finally:
            workbook.close()


class RosterImportForm(ImportForm):
    """The import upload, with a size and a row limit and a clear word about encodings.

    The row limit is checked while streaming the file, before any dataset is built, so that an
    upload of a million small rows costs what one of the limit + 1 rows costs.
    """

    def __init__(self, formats: list, resources: list, **kwargs: Any) -> None:
        super().__init__(formats, resources, **kwargs)
        self._formats = formats
        # Without JavaScript nothing guesses the format: the file's extension decides when
        # none is chosen.
        self.fields["format"].required = False
        self.fields["format"].help_text = _("Leave it empty to go by the file's extension.")
        self.fields["import_file"].help_text = _(
            "CSV (UTF-8, with or without BOM) or Excel .xlsx, at most %(size)s and %(rows)d rows."
        ) % {
            "size": f"{settings.IMPORT_MAX_FILE_SIZE // 1024} KB",
            "rows": settings.IMPORT_MAX_ROWS,
        }

    def clean_import_file(self) -> Any:
        upload = self.cleaned_data["import_file"]
        if upload.size > settings.IMPORT_MAX_FILE_SIZE:
            raise ValidationError(
                _(
                    "This file is %(size)d KB; the limit is %(limit)d KB. "
                    "Split it into smaller files."
                )
                % {
                    "size": upload.size // 1024,
                    "limit": settings.IMPORT_MAX_FILE_SIZE // 1024,
                }
            )
        return upload

    def clean_format(self) -> str:
        fmt = self.cleaned_data.get("format") or ""
        upload = self.cleaned_data.get("import_file")
        if fmt or upload is None:
            return fmt
        binary = os.path.splitext(upload.name)[1].lower() == ".xlsx"
        for index, format_class in enumerate(self._formats):
            if format_class().is_binary() == binary:
                return str(index)
        return fmt

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        upload = cleaned.get("import_file")
        fmt = cleaned.get("format")
        if upload is None or fmt in (None, ""):
            return cleaned
        try:
            input_format = self._formats[int(fmt)]()
        except (ValueError, IndexError):
            return cleaned
        data = b"".join(upload.chunks())
        upload.seek(0)
        extension = os.path.splitext(upload.name)[1].lower()
        if not input_format.is_binary():
            if extension == ".xlsx" or data[:2] == b"PK":
                self.add_error(
                    "format", _("This looks like an Excel file: choose the xlsx format.")
                )
                return cleaned
            try:
                data = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                self.add_error(
                    "import_file",
                    _(
                        "This file is not UTF-8 text. In Excel, save it as “CSV UTF-8”, "
                        "or upload the .xlsx file."
                    ),
                )
                return cleaned
        unreadable = _("This file could not be read in the chosen format.")
        limit = settings.IMPORT_MAX_ROWS
        try:
            rows = count_rows(data, input_format.is_binary(), stop_after=limit + 1)
        except WorkbookTooLarge:
            self.add_error(
                "import_file",
                _(
                    "This Excel file unpacks to more than %(size)d MB. Save a copy with only "
                    "the roster sheet, or save it as CSV UTF-8."
                )
                % {"size": XLSX_MAX_UNPACKED // (1024 * 1024)},
            )
            return cleaned
        except Exception:  # noqa: BLE001 - any parser failure is the user's file
            self.add_error("import_file", unreadable)
            return cleaned
        if rows > limit:  # counting stopped there: the file has at least this many rows
            self.add_error(
                "import_file",
                _(
                    "This file has more than %(limit)d rows; the limit is %(limit)d. "
                    "Split it into smaller files."
                )
                % {"limit": limit},
            )
            return cleaned
        try:
            input_format.create_dataset(data)
        except Exception:  # noqa: BLE001 - any parser failure is the user's file
            self.add_error("import_file", unreadable)
        return cleaned
