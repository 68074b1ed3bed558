"""``/healthz``: is this app server able to answer? It asks the database one trivial query.

A load balancer or an orchestrator polls it every few seconds, so it is answered by
:class:`HealthCheckMiddleware`, first in the chain, before anything else looks at the
request: no host check (probes often use the server's address), no HTTPS redirect (probes
speak plain HTTP to the app server), no session, no language prefix, no request log line, and
``Cache-Control: no-store``. The URL is also in ``config/urls.py`` (``reverse("healthz")``).

* ``200 {"status": "ok", "database": "ok"}``
* ``503 {"status": "error", "database": "unavailable"}`` with ``Retry-After``: the database
  cannot be reached; the error goes to the log, never to the answer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import add_never_cache_headers

HEALTH_PATH = "/healthz"
RETRY_AFTER_SECONDS = 30
logger = logging.getLogger("site.health")


def database_ok(alias: str = DEFAULT_DB_ALIAS) -> bool:
    """Run ``SELECT 1``. A broken connection is dropped by Django when the request ends
    (``close_old_connections``) and the next request opens a new one: nothing to do here."""
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database is unavailable")
        return False
    return True


def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers, 503 when it does not (JSON either way, never cached)."""
    if database_ok():
        response = JsonResponse({"status": "ok", "database": "ok"})
    else:
        response = JsonResponse({"status": "error", "database": "unavailable"}, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    if request.method == "HEAD":
        response.content = b""
    return response


class HealthCheckMiddleware:
    """Answer ``/healthz`` (GET or HEAD) before any other middleware runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info in (HEALTH_PATH, HEALTH_PATH + "/") and request.method in (
            "GET",
            "HEAD",
        ):
            return healthz(request)
        return self.get_response(request)
