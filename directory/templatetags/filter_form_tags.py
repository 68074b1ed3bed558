"""The filter form's checkboxes and radio buttons, written in one pass.

The form lists about 80 choices (provinces, focus areas, plan priorities...). Written with
template variables, each choice's seven lookups cost about 10 ms a page; here each is one
``format_html`` call, with the same markup: the input before its label, ``checked`` when
selected.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

CHECKED = mark_safe(" checked")

CHOICE = (
    '<div class="choice"><input type="{}" name="{}" value="{}" id="{}"{}> '
    '<label for="{}">{}</label></div>'
)


@register.filter
def choice_inputs(choices: Iterable[Any]) -> SafeString:
    """``{{ form.province|choice_inputs }}``: a bound field's (or a list of its) choices."""
    return format_html_join(
        "\n",
        CHOICE,
        (
            (
                choice.data["type"],
                choice.data["name"],
                str(choice.data["value"]),
                choice.data["attrs"].get("id", ""),
                CHECKED if choice.data["selected"] else "",
                choice.id_for_label,
                choice.choice_label,
            )
            for choice in choices
        ),
    )
