"""Build admin POST data from a rendered change page, as a browser would submit it."""

from __future__ import annotations

import datetime
from typing import Any

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _put(data: dict[str, Any], form: Any) -> None:
    for name in form.fields:
        bound = form[name]
        value = bound.value()
        if value is None:
            continue
        if isinstance(value, bool):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [str(v) for v in value]
        elif isinstance(value, datetime.date):
            data[bound.html_name] = value.isoformat()
        else:
            data[bound.html_name] = str(value)


def change_form_data(response: Any) -> dict[str, Any]:
    """The POST a browser would send back unchanged from an admin add/change page."""
    data: dict[str, Any] = {}
    _put(data, response.context["adminform"].form)
    try:
        inlines = response.context["inline_admin_formsets"]
    except KeyError:  # the history (revert) form has no inlines
        inlines = []
    for inline in inlines:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management[name].html_name] = management[name].value()
        for form in formset.forms:
            _put(data, form)
    return data


def add_inline_row(data: dict[str, Any], prefix: str, values: dict[str, Any]) -> None:
    """Append one new row to an inline formset in ``data``."""
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    for key, value in values.items():
        data[f"{prefix}-{total}-{key}"] = value
    data[f"{prefix}-TOTAL_FORMS"] = str(total + 1)


def inline_prefix(response: Any, model_name: str) -> str:
    for inline in response.context["inline_admin_formsets"]:
        if inline.formset.model._meta.model_name == model_name:
            return inline.formset.prefix
    raise LookupError(model_name)
