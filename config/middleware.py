"""Requests no page can answer get a clear 400 before any view runs.

* A NUL character in a query string or form (``%00``): PostgreSQL refuses it in any text
  comparison, so an admin search or autocomplete would otherwise fail with a 500.
* More fields than ``DATA_UPLOAD_MAX_NUMBER_FIELDS`` (or a body over the size limit): Django
  refuses them with a 400, but with ``DEBUG`` on its error page reads the same data again
  and turns the 400 into a 500.

When the database cannot be reached, every page answers 503 with a short translated page and
``Retry-After`` (:class:`DatabaseUnavailableMiddleware` for views, :func:`server_error`, the
``handler500``, for anything raised in a middleware), never a traceback. Nothing has to be
restarted when the database returns: ``CONN_HEALTH_CHECKS`` replaces a dead connection at the
start of the next request.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


API_PREFIX = "/api/"


def bad_request(request: HttpRequest, message: str, parameter: str = "detail") -> HttpResponse:
    """The 400 page, or under /api/ the API's JSON error shape naming the parameter."""
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"errors": {parameter: [message]}}, status=400)
    html = render_to_string("400.html", {"message": message}, request=request)
    return HttpResponse(html, status=400)


class RequestSanityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            sources = [request.GET]
            if request.method == "POST" and request.content_type in FORM_TYPES:
                sources.append(request.POST)
            for data in sources:
                for key, values in data.lists():
                    if "\x00" in key or any("\x00" in value for value in values):
                        return bad_request(
                            request,
                            gettext(
                                "The request contains a NUL character, which no page accepts. "
                                "Remove it and try again."
                            ),
                            parameter=key.replace("\x00", "") or "detail",
                        )
        except (TooManyFieldsSent, TooManyFilesSent):
            return bad_request(
                request,
                gettext("The request has too many parameters. Send fewer and try again."),
            )
        except RequestDataTooBig:
            return bad_request(request, gettext("The request is too large."))
        return self.get_response(request)


#: Errors that mean "the database cannot be reached" (server down, connection dropped).
DATABASE_DOWN_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30
logger = logging.getLogger("site.errors")


def database_unavailable(request: HttpRequest | None = None) -> HttpResponse:
    """The 503 page. Rendered without the request: its context processors read the database."""
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """A view that cannot reach the database answers 503, not a 500 with a traceback."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_DOWN_ERRORS):
            logger.error("Database unavailable: %s", type(exception).__name__, exc_info=exception)
            return database_unavailable(request)
        return None


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: 503 when the error was the database being unreachable, else 500.

    Both pages are rendered without the request, so that they cannot fail in turn.
    """
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_DOWN_ERRORS):
        return database_unavailable(request)
    return HttpResponse(render_to_string("500.html"), status=500)
