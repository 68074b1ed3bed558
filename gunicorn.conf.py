"""gunicorn settings: ``gunicorn -c gunicorn.conf.py config.wsgi``.

Every value can be changed from the environment (see the README's deployment section):

``GUNICORN_BIND``            address to listen on (default ``127.0.0.1:8000``; behind a reverse
                             proxy on the same host; ``0.0.0.0:8000`` in a container)
``GUNICORN_WORKERS``         worker processes (default 2 × cores + 1, at most 8)
``GUNICORN_THREADS``         threads per worker (default 1: sync workers)
``GUNICORN_TIMEOUT``         seconds a request may take before its worker is restarted (30)
``GUNICORN_GRACEFUL_TIMEOUT`` seconds workers get to finish their requests on restart (30)
``GUNICORN_MAX_REQUESTS``    requests a worker serves before it is replaced (1000; 0: never),
                             plus up to ``GUNICORN_MAX_REQUESTS_JITTER`` (100) so that workers
                             are not all replaced at once
``FORWARDED_ALLOW_IPS``      proxies trusted for ``X-Forwarded-*`` headers (``127.0.0.1``)
``GUNICORN_ACCESS_LOG``      ``1`` to add gunicorn's own access line (JSON); off by default,
                             as Django already writes one line per request with more in it

Logs go to stdout as JSON lines, like the application's (``config/logging.py``).
"""

from __future__ import annotations

import datetime
import json
import logging
import multiprocessing
import os
from typing import Any

from gunicorn import glogging


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def default_workers(cores: int | None = None, cap: int = 8) -> int:
    """2 × cores + 1, the usual figure for sync workers, capped: each holds a connection."""
    cores = cores or multiprocessing.cpu_count()
    return min(2 * cores + 1, cap)


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = _int("GUNICORN_WORKERS", default_workers())
threads = _int("GUNICORN_THREADS", 1)
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)
# Load the application once in the master: workers fork with the code already imported (less
# memory, a faster start, and a broken deploy fails before any worker starts). Database
# connections are opened per request, in the workers, never in the master.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1").strip().lower() not in {"0", "false", "no"}
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
proxy_allow_ips = forwarded_allow_ips
# gunicorn 27's control socket defaults to one path per user: two servers on one host (a
# blue/green switch, a benchmark beside the site) would fight over it. Off unless a path is set.
_control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "").strip()
if _control_socket:
    control_socket = _control_socket
control_socket_disable = not _control_socket
# Request line and headers limits (gunicorn's defaults, stated).
limit_request_line = 8190
limit_request_fields = 100

# Logs: stdout, JSON lines. The access line carries the path without its query string (it may
# hold a postal code or a name), the status, the duration and the proxy's request id.
ACCESS_LOG = os.environ.get("GUNICORN_ACCESS_LOG", "").strip().lower() in {"1", "true", "yes"}
accesslog = "-" if ACCESS_LOG else None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")


class JSONAccessLogger(glogging.Logger):
    """gunicorn's access line as one JSON object (escaped properly, unlike a format string)."""

    def access(self, resp: Any, req: Any, environ: dict, request_time: Any) -> None:
        if not ACCESS_LOG or not self.access_log.isEnabledFor(logging.INFO):
            return
        headers = dict(getattr(resp, "headers", []) or [])
        line = {
            "time": datetime.datetime.now(datetime.UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": "INFO",
            "logger": "gunicorn.access",
            "method": environ.get("REQUEST_METHOD"),
            "path": environ.get("PATH_INFO"),
            "status": int(str(resp.status).split(None, 1)[0]),
            "bytes": getattr(resp, "sent", None),
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
            "request_id": headers.get("X-Request-ID"),
        }
        self.access_log.info(json.dumps(line))


logger_class = JSONAccessLogger
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "config.logging.JSONFormatter"},
        "access": {"format": "%(message)s"},
    },
    "handlers": {
        "error": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
        },
        "access": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "access",
        },
    },
    # Replaces gunicorn's defaults (a shallow merge): the root needs a handler defined here.
    "root": {"handlers": ["error"], "level": "WARNING"},
    "loggers": {
        "gunicorn.error": {"handlers": ["error"], "level": loglevel.upper(), "propagate": False},
        "gunicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
    },
}
