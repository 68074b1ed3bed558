"""The one place that writes tabular files for people (CSV and XLSX).

Files people open in a spreadsheet need the same care whatever they hold, so every export
goes through :func:`csv_response` or :func:`xlsx_response`:

* **CSV**: UTF-8 with a byte-order mark (Excel otherwise reads accents as cp1252), RFC 4180
  quoting with ``\\r\\n`` line ends, and *streamed*: rows are encoded as they come from the
  row generator, a chunk at a time, so memory stays flat however many rows there are.
* **XLSX**: openpyxl in write-only mode; numbers and dates are real numbers and dates, the
  header row stays in view (frozen pane) and column widths fit the first rows. A file holds at
  most :data:`XLSX_MAX_ROWS` rows: beyond it the caller gets :class:`TooManyRows` (a 400 that
  tells the user to filter or use CSV) rather than a file cut short.
* **Every text cell** passes :func:`partnerships.text.strip_for_file` (control characters
  out) and :func:`partnerships.text.escape_formula` (a leading ``'`` when a spreadsheet could
  run it as a formula). Numbers, dates and booleans are never escaped: ``-2`` stays a number.
* **File names** carry the export, the date and the filters, e.g.
  ``partnership-summary_2026-11-22_province-AB_kind-LIP.csv``.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from partnerships.text import escape_formula, starts_like_formula, strip_for_file

BOM = "\ufeff"
#: Rows encoded per chunk of a streamed CSV.
CSV_CHUNK_ROWS = 500
#: Most data rows an XLSX file holds (a spreadsheet of more is unusable; CSV has no cap).
XLSX_MAX_ROWS = 50_000
#: Rows read to size the XLSX columns.
WIDTH_SAMPLE_ROWS = 200
MIN_WIDTH, MAX_WIDTH = 6, 60
#: Longest file name (without the extension).
MAX_FILENAME = 150

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

TEXT = "text"
INTEGER = "integer"
DECIMAL = "decimal"
PERCENT = "percent"
DATE = "date"
BOOLEAN = "yes/no"
NUMBER_FORMATS = {INTEGER: "0", DECIMAL: "0.##", PERCENT: "0", DATE: "yyyy-mm-dd"}


@dataclass(frozen=True)
class Column:
    """One column of an export: a stable machine ``code``, a translatable ``label`` (the
    header people read) and a ``kind`` that says how the cell is written."""

    code: str
    label: str | Promise
    kind: str = TEXT


class TooManyRows(Exception):
    """An XLSX file would hold more than :data:`XLSX_MAX_ROWS` rows."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(limit)

    @property
    def message(self) -> str:
        return _(
            "This spreadsheet would have more than %(limit)s rows. Narrow the filters, or "
            "download the CSV file, which has no limit."
        ) % {"limit": f"{self.limit:,}"}


def headers(columns: Sequence[Column]) -> list[str]:
    """The header row, in the active language."""
    return [str(column.label) for column in columns]


def text_cell(value: Any) -> Any:
    """A text value safe to open: control characters dropped, formulae escaped.

    Checked before and after the control characters go: ``"\\r=x"`` (a CR becomes a line
    break) and ``"\\x00=x"`` (the NUL goes, ``=`` comes first) are both escaped.
    """
    cleaned = strip_for_file(value)
    if starts_like_formula(value) and not starts_like_formula(cleaned):
        return "'" + cleaned
    return escape_formula(cleaned)


def csv_cell(value: Any, kind: str) -> str:
    """One CSV cell: text made safe, numbers in plain decimal notation, dates in ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, Decimal):
        return (
            format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
        )
    if isinstance(value, int | float):
        return str(round(value, 1) if isinstance(value, float) else value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return text_cell(str(value))


def xlsx_cell(value: Any, kind: str) -> Any:
    """One XLSX value: numbers and dates as themselves, text made safe, booleans as words."""
    if value is None:
        return None
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral() else float(value)
    if isinstance(value, int | float | datetime.date):
        return value
    return text_cell(str(value))


class _Echo:
    """A write-only file whose ``write`` returns what it was given (for csv.writer)."""

    def write(self, value: str) -> str:
        return value


def csv_chunks(columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    """The CSV file as UTF-8 byte chunks: BOM and header first, then rows a chunk at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    kinds = [column.kind for column in columns]
    buffer.write(BOM)
    writer.writerow([text_cell(label) for label in headers(columns)])
    iterator = iter(rows)
    while True:
        chunk = list(islice(iterator, CSV_CHUNK_ROWS))
        for row in chunk:
            writer.writerow([csv_cell(value, kind) for value, kind in zip(row, kinds, strict=True)])
        data = buffer.getvalue()
        if data:
            yield data.encode("utf-8")
        buffer.seek(0)
        buffer.truncate()
        if len(chunk) < CSV_CHUNK_ROWS:
            return


def csv_response(
    columns: Sequence[Column], rows: Iterable[Sequence[Any]], filename: str
) -> StreamingHttpResponse:
    """A streamed CSV download of ``rows`` (an iterator: read lazily, chunk by chunk)."""
    response = StreamingHttpResponse(csv_chunks(columns, rows), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def column_widths(columns: Sequence[Column], sample: Sequence[Sequence[Any]]) -> list[float]:
    """Widths (in characters) that fit the header and the sampled rows, within bounds."""
    widths = []
    for index, column in enumerate(columns):
        longest = max(len(part) for part in str(column.label).split("\n"))
        for row in sample:
            value = row[index]
            if value is None:
                continue
            text = value.isoformat() if isinstance(value, datetime.date) else str(value)
            longest = max(longest, *(len(part) for part in text.split("\n")))
        widths.append(min(max(longest + 2, MIN_WIDTH), MAX_WIDTH))
    return widths


def xlsx_bytes(
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    *,
    title: str,
    max_rows: int = XLSX_MAX_ROWS,
) -> bytes:
    """The XLSX file; :class:`TooManyRows` when ``rows`` has more than ``max_rows``."""
    values = [
        [xlsx_cell(value, column.kind) for value, column in zip(row, columns, strict=True)]
        for row in islice(rows, max_rows + 1)
    ]
    if len(values) > max_rows:
        raise TooManyRows(max_rows)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(title))
    for index, width in enumerate(column_widths(columns, values[:WIDTH_SAMPLE_ROWS]), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for label in headers(columns):
        cell = WriteOnlyCell(sheet, value=text_cell(label))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    formats = [NUMBER_FORMATS.get(column.kind) for column in columns]
    for row in values:
        cells = []
        for value, number_format in zip(row, formats, strict=True):
            if number_format and isinstance(value, int | float | datetime.date):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = number_format
                cells.append(cell)
            else:
                cells.append(value)
        sheet.append(cells)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def xlsx_response(
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    filename: str,
    *,
    title: str,
    max_rows: int = XLSX_MAX_ROWS,
) -> HttpResponse:
    """An XLSX download; a 400 in words when there are more rows than the cap."""
    try:
        content = xlsx_bytes(columns, rows, title=title, max_rows=max_rows)
    except TooManyRows as error:
        return HttpResponse(error.message, status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def _sheet_title(title: str) -> str:
    """A sheet title Excel accepts (no ``[]:*?/\\``, at most 31 characters)."""
    return re.sub(r"[\[\]:*?/\\]", " ", title)[:31] or "Sheet"


def _slug(value: str) -> str:
    """ASCII letters, digits and hyphens (case kept: ``AB``, ``LIP``)."""
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-")


def export_filename(
    name: str,
    filters: Iterable[tuple[str, Sequence[str]]] = (),
    *,
    today: datetime.date | None = None,
    limit: int = MAX_FILENAME,
) -> str:
    """``name_date_param-value-value…`` without extension, slugified and capped in length."""
    today = today or datetime.date.today()
    parts = [_slug(name) or "export", today.isoformat()]
    for param, values in filters:
        slugs = [_slug(str(v)) for v in values if str(v).strip()]
        slugs = [s for s in slugs if s]
        if slugs:
            parts.append("-".join([_slug(param), *slugs]))
    return "_".join(parts)[:limit].rstrip("-_")


def filter_params(data: Any, params: Iterable[str]) -> list[tuple[str, list[str]]]:
    """The applied filter values of a query dict, in ``params`` order (for file names)."""
    found = []
    for param in params:
        values = data.getlist(param) if hasattr(data, "getlist") else [data.get(param)]
        values = [v for v in values if v not in (None, "")]
        if values:
            found.append((param, values))
    return found
