"""The admin home's link to the funder page, for the users who may open it."""

from __future__ import annotations

from typing import Any

from django import template

from funders.views import may_compare

register = template.Library()


@register.inclusion_tag("admin/funders/index_link.html", takes_context=True)
def funder_page_link(context: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"show": user is not None and may_compare(user)}
