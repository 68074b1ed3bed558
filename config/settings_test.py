"""Settings for the test suite: the real settings (``config.settings``) plus cheap speed-ups.

pytest uses this module (``pyproject.toml``); ``tests/test_settings.py`` still checks
``config.settings`` itself, in fresh processes. Only what cannot change what a test observes
is overridden here: logging, middleware, validators and security settings stay as they are.
"""

from config.settings import *  # noqa: F403

# The default PBKDF2 hasher is slow on purpose; tests that set or check passwords only need
# a working hasher. Never use this outside tests.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# In-process cache: no files, sockets or state shared with another run.
# No page cache: a test's data and revision numbers restart with each test, so a page cached
# by an earlier test could be served to a later one (tests of the page cache turn it on).
# The import uploads stay in the database, as in production.
CACHES = {
    **CACHES,  # noqa: F405
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
}
