"""Template helpers of the plan pages and of the directory's plan section."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from directory.labels import localized_text
from plans.charts import format_number

register = template.Library()


@register.simple_tag
def plan_heading(plan: Any) -> SafeString:
    """The plan's title in the page's language, with its period only when the title does not
    already name both years ("Community Plan 2023–2026", not "… 2023–2026 (2023–2026)")."""
    title = localized_text(plan, "title")
    text = str(title)
    if str(plan.start_year) in text and str(plan.end_year) in text:
        return title.html
    return format_html("{} ({})", title.html, plan.period)


@register.filter
def number(value: Any) -> str:
    """A value as the charts print it (``12``, ``62.5``; ``62,5`` in French)."""
    return format_number(value)


@register.filter
def signed(value: Any) -> str:
    """A change with its sign: ``+3``, ``−1.5`` (U+2212), ``0``."""
    if value is None:
        return "—"
    text = format_number(value)
    return f"+{text}" if value > 0 else text


@register.simple_tag
def change_verdict(status: Any) -> str:
    """Improved / worsened / no change, polarity respected (from the status rule)."""
    if status.change is None:
        return ""
    if status.improved is None:
        return _("no change")
    return _("improved") if status.improved else _("worsened")


@register.simple_tag
def choice_groups(bound_field: Any) -> dict[str, list[Any]]:
    """A grouped choice field's radio buttons: the ungrouped ones ("Any") and each group's.

    ``{% choice_groups form.plan_priority as choices %}``: the template can then wrap each
    group in its own fieldset and legend, which Django's radio template does not do.
    """
    subwidgets = list(bound_field.subwidgets)
    single: list[Any] = []
    groups: list[tuple[str, list[Any]]] = []
    position = 0
    for value, label in bound_field.field.choices:
        if isinstance(label, list | tuple):
            groups.append((value, subwidgets[position : position + len(label)]))
            position += len(label)
        else:
            single.append(subwidgets[position])
            position += 1
    return {"single": single, "groups": groups}
