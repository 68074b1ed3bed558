"""Clean control characters out of rows saved before the text rule (:mod:`partnerships.text`).

Used by data migrations of each app that stores text, with the migration's historical models.
Line-break look-alikes become a line break (a space in one-line fields) and other control
characters are dropped, as :func:`partnerships.text.strip_for_file` does for files. Only the
rows that hold one are read (a regex in the database), so it is quick on any table size.
"""

from __future__ import annotations

from django.db import models

from .text import strip_for_file

#: What the database looks for (PostgreSQL cannot store NUL, so it is not searched for).
FIND = "[\x01-\x08\x0b\x0c\x0e-\x1f\x7f\u0085\u2028\u2029]"


def clean_stored_text(model: type[models.Model]) -> int:
    """Clean every text field of ``model``'s rows in place; return how many rows changed."""
    fields = [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField) and not f.choices
    ]
    if not fields:
        return 0
    found = models.Q()
    for field in fields:
        found |= models.Q(**{f"{field.attname}__regex": FIND})
    changed_rows = 0
    for row in model._default_manager.filter(found).iterator():
        changed = []
        for field in fields:
            value = getattr(row, field.attname)
            if not isinstance(value, str):
                continue
            cleaned = strip_for_file(value)
            if not isinstance(field, models.TextField):
                cleaned = cleaned.replace("\n", " ")
            if cleaned != value:
                setattr(row, field.attname, cleaned)
                changed.append(field.attname)
        if changed:
            row.save(update_fields=changed)
            changed_rows += 1
    return changed_rows


def cleanup_operation(app_label: str, model_names: list[str]) -> object:
    """A ``RunPython`` that cleans the given models of ``app_label`` (reversal: nothing)."""
    from django.db import migrations

    def run(apps: object, schema_editor: object) -> None:
        for name in model_names:
            clean_stored_text(apps.get_model(app_label, name))  # type: ignore[attr-defined]

    return migrations.RunPython(run, migrations.RunPython.noop)
