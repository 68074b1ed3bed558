"""Text hygiene: the one rule for control characters in what people type or import.

Word and Excel put control characters into copied text (``\\x0b`` is Word's manual line break),
and a CSV can carry a NUL. PostgreSQL refuses NUL, XLSX files cannot hold most C0 characters,
and none of them is visible on a page. So every entry point (admin forms through
:class:`CleanTextModel`, the roster importer) passes text through :func:`clean_text`:
line-break look-alikes become a line break (or a space on one-line fields), and any other
control character is refused with a message that says where it is.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

#: Characters that mean "new line" in some program: kept as a line break.
LINE_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_LINE_BREAK_RE = re.compile(f"[{LINE_BREAKS}]|\r\n?")
#: Control characters that carry no meaning in text (tab, LF and CR are handled apart).
_CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")


def clean_text(value: str, *, multiline: bool = True) -> str:
    """``value`` with line-break look-alikes normalized; ``ValidationError`` on other controls."""
    value = _LINE_BREAK_RE.sub("\n", value)
    if not multiline:
        value = value.replace("\n", " ")
    match = _CONTROL_RE.search(value)
    if match:
        raise ValidationError(
            _(
                "This text contains an invisible control character (U+%(code)04X) at position "
                "%(position)d. Retype the text around it or paste it as plain text."
            ),
            code="control_character",
            params={"code": ord(match.group()), "position": match.start() + 1},
        )
    return value


def strip_for_file(value: Any) -> Any:
    """A cell value safe for CSV and XLSX whatever is stored (rows saved before the rule)."""
    if not isinstance(value, str):
        return value
    return _CONTROL_RE.sub("", _LINE_BREAK_RE.sub("\n", value))


#: First characters that make a spreadsheet run a cell as a formula (full-width forms too:
#: some spreadsheets fold them to ASCII).
FORMULA_STARTS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
#: Leading characters a spreadsheet skips before it looks for a formula.
_BLANKS = " \u00a0\u3000"


def starts_like_formula(value: Any) -> bool:
    """Whether a spreadsheet could run ``value`` as a formula: its first non-blank character
    is ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, or a full-width ``＝＋－＠``."""
    if not isinstance(value, str):
        return False
    rest = value.lstrip(_BLANKS)
    return bool(rest) and rest[0] in FORMULA_STARTS


def escape_formula(value: Any) -> Any:
    """``value`` with a leading ``'`` when a spreadsheet could run it as a formula (CSV and
    XLSX alike); numbers and other non-text values are left alone."""
    if starts_like_formula(value):
        return "'" + value
    return value


def is_text_field(field: models.Field) -> bool:
    return isinstance(field, models.CharField | models.TextField) and not field.choices


class CleanTextModel(models.Model):
    """Abstract base: model validation (hence every admin form) applies :func:`clean_text`."""

    class Meta:
        abstract = True

    def clean_fields(self, exclude: Any = None) -> None:
        errors: dict[str, list] = {}
        for field in self._meta.concrete_fields:
            if not is_text_field(field) or (exclude and field.name in exclude):
                continue
            value = getattr(self, field.attname)
            if not isinstance(value, str):
                continue
            try:
                cleaned = clean_text(value, multiline=isinstance(field, models.TextField))
            except ValidationError as error:
                errors[field.name] = error.error_list
                continue
            setattr(self, field.attname, cleaned)
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)
