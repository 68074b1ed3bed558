"""The project's own app config: ``migrate`` also creates the database cache tables.

Several app servers share only PostgreSQL, so the caches that must be shared (the roster
import's uploads, ``CACHES["imports"]``) are ``DatabaseCache`` tables. Creating them after
every ``migrate`` (also the test database's) means no deployment step can forget them.
"""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def create_cache_tables(using: str = "default", **kwargs: Any) -> None:
    """``createcachetable`` for every ``DatabaseCache`` (does nothing when they exist)."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class SiteConfig(AppConfig):
    name = "config"
    label = "site_config"
    verbose_name = "Site configuration"

    def ready(self) -> None:
        post_migrate.connect(
            create_cache_tables, sender=self, dispatch_uid="site_config.cache_tables"
        )
