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
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import chain, islice
from typing import Any
from xml.sax.saxutils import escape

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

from partnerships.text import FORMULA_STARTS, escape_formula, starts_like_formula, strip_for_file

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
        return _decimal_text(value)
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


#: The characters that start a formula, for ``str.startswith``.
_FORMULA_FIRST = tuple(FORMULA_STARTS)
#: A formula's first character at the start of a cell, the cells of a row joined with ``\n``
#: (and one before the first). Only used on printable text, whose only blank is the space.
_FORMULA_AT_CELL_START = re.compile("\n *[" + re.escape("".join(sorted(FORMULA_STARTS))) + "]")


def _plain(text: str) -> bool:
    """Whether :func:`text_cell` leaves ``text`` as it is, cheaply: printable text (no control
    character, line break, tab or blank other than the space) that does not start like a
    formula. ``False`` means "look closer", not "unsafe"."""
    return text.isprintable() and not text.lstrip(" ").startswith(_FORMULA_FIRST)


def _decimal_text(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")


def _csv_row_writer(width: int) -> Any:
    """A function that turns one row into CSV cells exactly as :func:`csv_cell` would, fast.

    Labels are translated once per file (not once per cell), the common types are converted
    by a dictionary lookup, and the text of a whole row is checked at once (:func:`_plain`'s
    test, on the row); only a row where it finds something goes cell by cell through
    :func:`csv_cell`. A value of any other type also takes that path (``"\\r"`` marks it).
    """
    yes, no = str(_("yes")), str(_("no"))
    convert: dict[type, Any] = {
        int: str,
        type(None): lambda value: "",
        bool: lambda value: yes if value else no,
        Decimal: _decimal_text,
        float: lambda value: str(round(value, 1)),
        datetime.date: datetime.date.isoformat,
        datetime.datetime: datetime.datetime.isoformat,
    }

    def unknown(value: Any) -> str:
        return "\r"  # any other type: not printable, so the row goes cell by cell

    def cells(row: Sequence[Any]) -> Sequence[str]:
        if len(row) != width:
            raise ValueError(f"a row of {len(row)} cells for {width} columns")
        out = [
            value if value.__class__ is str else convert.get(value.__class__, unknown)(value)
            for value in row
        ]  # fmt: skip
        if "".join(out).isprintable() and not _FORMULA_AT_CELL_START.search("\n" + "\n".join(out)):
            return out
        return [csv_cell(value, TEXT) for value in row]

    return cells


def csv_chunks(columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    """The CSV file as UTF-8 byte chunks: BOM and header first, then rows a chunk at a time.

    Header and the words for yes/no are read in the language active when this is called
    (the view's), not when the chunks are drawn."""
    header = [text_cell(label) for label in headers(columns)]
    return _csv_chunks(header, _csv_row_writer(len(columns)), rows)


def _csv_chunks(header: list[str], cells: Any, rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write(BOM)
    writer.writerow(header)
    iterator = iter(rows)
    while True:
        chunk = list(islice(iterator, CSV_CHUNK_ROWS))
        writer.writerows(map(cells, chunk))
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
    """The XLSX file; :class:`TooManyRows` when ``rows`` has more than ``max_rows``.

    openpyxl writes the workbook around the header row (styles, frozen pane, widths); the
    data rows are then written straight into the sheet's XML as they come (openpyxl costs
    some 30 microseconds a cell, more than the rest of an export), into the compressed
    file: only the first :data:`WIDTH_SAMPLE_ROWS`, which size the columns, are held."""
    yes, no = str(_("yes")), str(_("no"))

    def value_of(value: Any) -> Any:
        if value.__class__ is str:
            return value if _plain(value) else text_cell(value)
        if value.__class__ is bool:
            return yes if value else no
        return xlsx_cell(value, TEXT)

    def convert(row: Sequence[Any]) -> list[Any]:
        if len(row) != len(columns):
            raise ValueError(f"a row of {len(row)} cells for {len(columns)} columns")
        return [None if value is None else value_of(value) for value in row]

    iterator = iter(rows)
    sample = [convert(row) for row in islice(iterator, WIDTH_SAMPLE_ROWS)]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(title))
    for index, width in enumerate(column_widths(columns, sample), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    styles: dict[str, int] = {}
    for number_format in {NUMBER_FORMATS.get(column.kind) for column in columns} - {None}:
        cell = WriteOnlyCell(sheet, value=0)
        cell.number_format = number_format
        styles[number_format] = cell.style_id  # registered in the workbook's styles
    bold = Font(bold=True)
    header = []
    for label in headers(columns):
        cell = WriteOnlyCell(sheet, value=text_cell(label))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    skeleton = io.BytesIO()
    workbook.save(skeleton)
    formats = [styles.get(NUMBER_FORMATS.get(column.kind, "")) for column in columns]
    data_rows = chain(sample, map(convert, iterator))
    return _with_rows(skeleton, sheet.path.lstrip("/"), formats, data_rows, max_rows)


def _xml_cell(ref: str, value: Any, style: int | None) -> str:
    """One ``<c>`` element: inline text, or a number (a date as Excel's day number)."""
    if isinstance(value, datetime.date):
        number: Any = to_excel(value)
    elif isinstance(value, int | float):
        number = int(value) if isinstance(value, int) else float(value)
    else:
        text = escape(str(value))
        return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
    styled = f' s="{style}"' if style is not None else ""
    return f'<c r="{ref}"{styled}><v>{number!r}</v></c>'


def _with_rows(
    skeleton: io.BytesIO,
    sheet_path: str,
    styles: Sequence[int | None],
    rows: Iterable[Sequence[Any]],
    max_rows: int,
) -> bytes:
    """The skeleton workbook with ``rows`` (rows 2...) written into its sheet's XML."""
    letters = [get_column_letter(index) for index in range(1, len(styles) + 1)]
    output = io.BytesIO()
    with (
        zipfile.ZipFile(skeleton) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            if item.filename != sheet_path:
                target.writestr(item, source.read(item.filename))
                continue
            head, tail = source.read(item.filename).decode("utf-8").split("</sheetData>")
            with target.open(item.filename, "w", force_zip64=True) as sheet:
                sheet.write(head.encode("utf-8"))
                for number, row in enumerate(rows, start=2):
                    if number > max_rows + 1:
                        raise TooManyRows(max_rows)
                    cells = "".join(
                        _xml_cell(f"{letter}{number}", value, style)
                        for letter, value, style in zip(letters, row, styles)  # noqa: B905
                        if value is not None
                    )
                    sheet.write(f'<row r="{number}">{cells}</row>'.encode())
                sheet.write(("</sheetData>" + tail).encode("utf-8"))
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
