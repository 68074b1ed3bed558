"""The project's URLs plus ``/bench/trivial/``: the cheapest Django response, as a ceiling."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config import urls as project_urls

# The project's error handlers (the 503 page when the database is down...), when it has them.
for _name in ("handler400", "handler403", "handler404", "handler500"):
    if hasattr(project_urls, _name):
        globals()[_name] = getattr(project_urls, _name)


def trivial(request: HttpRequest) -> HttpResponse:
    """No template, no query: what any page costs at least (middleware included)."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/trivial/", trivial, name="bench-trivial"), *project_urls.urlpatterns]
