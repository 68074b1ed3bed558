"""The 403 page: say why, and offer a way back.

Django's default is a bare "403 Forbidden". Inside the admin (``/admin/``, ``/fr/admin/``) the
page is drawn in the admin's look, with the user's own partnerships as ways back; elsewhere in
the public site's look.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponseForbidden
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext


def is_admin_request(request: HttpRequest) -> bool:
    """Whether the request is for a page of the admin site (in any language)."""
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return "admin" in match.namespaces or "funders" in match.namespaces
    parts = request.path_info.strip("/").split("/")
    return "admin" in parts[:2]


def _referer(request: HttpRequest) -> str | None:
    """The page the user came from, if it is on this site (and not this very page)."""
    referer = request.META.get("HTTP_REFERER", "")
    if not referer or referer.endswith(request.get_full_path()):
        return None
    if not url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    return referer


def _own_partnerships(request: HttpRequest) -> list[Any]:
    from partnerships.models import Partnership
    from partnerships.scoping import coordinated_partnership_ids

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    ids = coordinated_partnership_ids(user)
    return list(Partnership.objects.filter(pk__in=ids).order_by("name").only("pk", "name"))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> Any:
    """The ``handler403`` view: an explanation and the ways back."""
    context: dict[str, Any] = {"back": _referer(request)}
    if is_admin_request(request):
        template = "admin/403.html"
        context.update(admin.site.each_context(request))
        context["title"] = gettext("You can’t open this page")
        context["partnerships"] = [
            (p, reverse("admin:partnerships_partnership_change", args=[p.pk]))
            for p in _own_partnerships(request)
        ]
    else:
        template = "403.html"
    return HttpResponseForbidden(render_to_string(template, context, request=request))
