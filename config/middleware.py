"""Requests no page can answer get a clear 400 before any view runs.

* A NUL character in a query string or form (``%00``): PostgreSQL refuses it in any text
  comparison, so an admin search or autocomplete would otherwise fail with a 500.
* More fields than ``DATA_UPLOAD_MAX_NUMBER_FIELDS`` (or a body over the size limit): Django
  refuses them with a 400, but with ``DEBUG`` on its error page reads the same data again
  and turns the 400 into a 500.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def bad_request(request: HttpRequest, message: str) -> HttpResponse:
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
                        )
        except (TooManyFieldsSent, TooManyFilesSent):
            return bad_request(
                request,
                gettext("The request has too many parameters. Send fewer and try again."),
            )
        except RequestDataTooBig:
            return bad_request(request, gettext("The request is too large."))
        return self.get_response(request)
