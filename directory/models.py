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


class FacetCounts(models.Model):
    """The public filters' choice counts at one data revision (derived data).

    They aggregate over every partnership (at 10,000 partnerships the plan-priority counts
    read 76,000 priority tags: 100 ms and more), yet change only with the data. The first list
    request after a change computes them and stores them here; later requests read them with
    the revision, in the same query, on any app server. One row (pk 1), overwritten by newer
    revisions' counts; apart from the revision row, so storing never waits for an import's
    transaction that holds the revision row.
    """

    number = models.PositiveBigIntegerField(_("revision number"))
    data = models.JSONField(_("counts"))

    class Meta:
        verbose_name = _("filter counts")
        verbose_name_plural = _("filter counts")

    def __str__(self) -> str:
        return f"r{self.number}"
