"""Production settings for the database-down test's gunicorn, with plain static files.

Everything is as in production (``DEBUG`` off, the 503 handling, the page cache, persistent
connections with health checks) except that static files are served from the source folders
without ``collectstatic``'s manifest, which takes minutes to build on a busy test machine.
"""

from config.settings import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
