"""Structured logs: one JSON line per request and per error, on stdout.

A log collector (journald, Docker, a hosted service) reads stdout; JSON lines need no parser
of their own. :class:`RequestLogMiddleware` writes one line per request on the
``site.requests`` logger::

    {"time": "2026-11-22T19:52:08.123Z", "level": "INFO", "logger": "site.requests",
     "message": "GET /partnerships/ 200", "method": "GET", "path": "/partnerships/",
     "status": 200, "duration_ms": 12.4, "request_id": "5f0c…", "user_id": null,
     "params": ["near", "radius"]}

Privacy: the query string is never logged, only the *names* of its parameters. Its values are
what people type: ``near=`` holds a postal code (a home address, nearly), ``q=`` free text
that may be a person's name. Paths hold only slugs and ids. Errors (the ``django.request``
logger, and anything else) carry the same ``request_id`` and their traceback.

The request id comes from the reverse proxy's ``X-Request-ID`` header when it looks like one
(letters, digits, ``.``, ``_``, ``-``; at most 64), so that proxy and app lines can be
joined; otherwise it is made here. It is sent back in the response's ``X-Request-ID``.

``duration_ms`` is the time until the response is handed to the server: for a streamed export
that is the time to its first row, not to its last byte (gunicorn's access line, if turned on,
has the full time).
"""

from __future__ import annotations

import contextvars
import datetime
import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty

#: The current request's id, for every log line written while it is served.
REQUEST_ID: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
REQUEST_ID_HEADER = "X-Request-ID"
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_PARAM_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]{0,39}$")
#: Extra attributes of a log record copied into its JSON line.
FIELDS = (
    "method",
    "path",
    "status",
    "status_code",
    "duration_ms",
    "request_id",
    "user_id",
    "params",
)
request_logger = logging.getLogger("site.requests")


def install_request_id_factory() -> None:
    """Stamp every log record made while a request is served with its id (once per process).

    At the record's creation, not its formatting: a handler may format it later, elsewhere.
    """
    previous = logging.getLogRecordFactory()
    if getattr(previous, "stamps_request_id", False):
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        request_id = REQUEST_ID.get()
        if request_id is not None:
            record.request_id = request_id
        return record

    factory.stamps_request_id = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)


class JSONFormatter(logging.Formatter):
    """Format a record as one JSON object on one line (the traceback included, escaped)."""

    def format(self, record: logging.LogRecord) -> str:
        moment = datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC)
        data: dict[str, Any] = {
            "time": moment.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in FIELDS:
            if field in record.__dict__:
                data[field] = record.__dict__[field]
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            data["exception"] = record.exc_text
        return json.dumps(data, default=str, ensure_ascii=False)


def _request_id(request: HttpRequest) -> str:
    incoming = request.META.get("HTTP_X_REQUEST_ID", "")
    return incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex


def _user_id(request: HttpRequest) -> Any:
    """The signed-in user's id, if the request already looked them up (no extra query)."""
    user = request.__dict__.get("user")
    wrapped = getattr(user, "_wrapped", user)
    if wrapped is None or wrapped is empty:
        return None
    return wrapped.pk if getattr(wrapped, "is_authenticated", False) else None


def _param_names(request: HttpRequest) -> list[str]:
    """The query string's parameter names (never values), read without parsing all of it."""
    query = request.META.get("QUERY_STRING", "")
    names = {part.split("=", 1)[0] for part in query.split("&", 50)[:50]}
    return sorted(name for name in names if _PARAM_NAME.match(name))[:20]


class RequestLogMiddleware:
    """Log one line per request (see the module doc); put it first, to time everything."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        install_request_id_factory()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = _request_id(request)
        request.request_id = request_id  # type: ignore[attr-defined]
        token = REQUEST_ID.set(request_id)
        start = time.perf_counter()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            status = response.status_code
            duration = round((time.perf_counter() - start) * 1000, 1)
            level = logging.ERROR if status >= 500 else logging.INFO
            request_logger.log(
                level,
                "%s %s %s",
                request.method,
                request.path,
                status,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": status,
                    "duration_ms": duration,
                    "user_id": _user_id(request),
                    "params": _param_names(request),
                },
            )
            return response
        finally:
            REQUEST_ID.reset(token)
