"""The coordinator's landing panel on the admin index: their partnerships at a glance."""

from __future__ import annotations

from typing import Any

from django import template

from partnerships.models import Partnership
from partnerships.scoping import coordinated_partnership_ids
from partnerships.services import EXPIRY_WINDOW_DAYS, FRESHNESS_DAYS, partnership_statuses

register = template.Library()


@register.inclusion_tag("admin/partnerships/workspace_panel.html", takes_context=True)
def coordinator_workspace(context: Any) -> dict[str, Any]:
    """Representation and freshness of each partnership the signed-in user coordinates."""
    request = context.get("request")
    user = getattr(request, "user", None)
    ids = coordinated_partnership_ids(user) if user is not None else []
    statuses = (
        partnership_statuses(Partnership.objects.filter(pk__in=ids).order_by("name")) if ids else []
    )
    return {
        "statuses": statuses,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "window": EXPIRY_WINDOW_DAYS,
        "freshness_days": FRESHNESS_DAYS,
    }
