"""The directory's data revision: one row that says when the public data last changed.

Public pages and the open data API answer conditional requests (``ETag``/``Last-Modified``,
304) and may cache rendered pages keyed by this revision. It lives in the database, not in a
process's memory, so that several app servers sharing only PostgreSQL agree on it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Revision(models.Model):
    """A single row (pk 1): bumped whenever a public-data row is saved or deleted."""

    number = models.PositiveBigIntegerField(_("number"), default=1)
    changed_at = models.DateTimeField(_("changed at"))

    class Meta:
        verbose_name = _("data revision")
        verbose_name_plural = _("data revisions")

    def __str__(self) -> str:
        return f"r{self.number} ({self.changed_at:%Y-%m-%d %H:%M:%S})"
