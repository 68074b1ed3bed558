"""The admin follows the browser's language until the user picks one.

The public pages keep English at ``/`` and French at ``/fr/``, whatever the browser says (a
shared link must show the same page). The admin is a workspace, not a shared page: a
coordinator whose browser prefers French and who opens ``/admin/`` (the address in every
email and bookmark) is sent to ``/fr/admin/``. A language picked with the switch in the admin's
header (Django's ``set_language``, which stores it in the language cookie) wins over the
browser's preference, so choosing English sticks.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import translation
from django.utils.cache import patch_vary_headers

ADMIN_PREFIX = "/admin/"


def preferred_language(request: HttpRequest) -> str:
    """The language cookie if set and supported, else the best Accept-Language match."""
    supported = {code for code, _name in settings.LANGUAGES}
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if cookie in supported:
        return cookie
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for accepted, _quality in translation.trans_real.parse_accept_lang_header(header):
        if accepted == "*":
            break
        try:
            return translation.get_supported_language_variant(accepted)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


class AdminLanguageMiddleware:
    """Redirect a GET of the unprefixed admin to the preferred language's admin."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in ("GET", "HEAD") and request.path_info.startswith(ADMIN_PREFIX):
            language = preferred_language(request)
            if language != settings.LANGUAGE_CODE:
                script = request.META.get("SCRIPT_NAME", "").rstrip("/")
                target = f"{script}/{language}{request.get_full_path_info()}"
                response = HttpResponseRedirect(target)
                patch_vary_headers(response, ("Accept-Language", "Cookie"))
                return response
        response = self.get_response(request)
        if request.path_info.startswith(ADMIN_PREFIX):
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response
