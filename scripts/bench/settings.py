"""Settings for ``make bench`` and ``make loadtest``: production settings plus a trivial view.

The trivial view (the throughput ceiling the list is compared with) lives only in the
bench URLconf, never in the production URLs. ``BENCH_PAGE_CACHE=off`` swaps the page cache
for a dummy one, to measure the list uncached under gunicorn; ``IMPORT_MAX_ROWS`` is raised
so the 5,000-row roster import can run. Static files are
collected into their own folder (``BENCH_STATIC_ROOT``).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789abcdef")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("ALLOWED_HOSTS", "*")
os.environ.setdefault("IMPORT_MAX_ROWS", "10000")

from config.settings import *  # noqa: E402,F403

DEBUG = False
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "scripts.bench.urls"
# Plain HTTP on loopback: no HTTPS redirect or secure-only cookies in the measurements.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
# Static files collected apart from the working tree's staticfiles/, which a test run or
# another server may be rewriting at the same time (a missing manifest entry is a 500).
STATIC_ROOT = Path(
    os.environ.get("BENCH_STATIC_ROOT", Path(tempfile.gettempdir()) / "pd-bench-staticfiles")
)

_caches = globals().get("CACHES", {})
if os.environ.get("BENCH_PAGE_CACHE", "on") == "off" and "pages" in _caches:
    CACHES = {**_caches, "pages": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
