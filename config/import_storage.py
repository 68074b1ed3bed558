"""Where a roster import keeps its upload between the preview and the confirmation.

django-import-export saves the uploaded file at the preview and reads it again when the user
confirms. Its default keeps it in the server's temporary folder; with several app servers the
confirmation may reach another server, which would not find it. :class:`SharedCacheStorage`
keeps it in the ``imports`` cache instead, a ``DatabaseCache`` (table ``import_uploads``,
created by ``migrate``: see :mod:`config.apps`): PostgreSQL is the one store every server shares.

``claim`` takes the upload for one request only (read, then deleted; the database says which
of two simultaneous confirmations deleted it), so a double submit imports the file once.
"""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from django.core.cache import caches
from import_export.tmp_storages import BaseStorage

CACHE_ALIAS = "imports"
PREFIX = "upload:"
#: Seconds an upload waits for its confirmation (the signed reference lasts an hour).
LIFETIME = 2 * 60 * 60


class SharedCacheStorage(BaseStorage):
    """An import's temporary upload in the shared ``imports`` cache (see the module doc)."""

    _claimed: Any = None

    @property
    def _key(self) -> str:
        return PREFIX + str(self.name)

    def save(self, data: Any) -> None:
        if not self.name:
            self.name = uuid4().hex
        caches[CACHE_ALIAS].set(self._key, data, LIFETIME)

    def claim(self) -> None:
        """Take the upload for this request; ``FileNotFoundError`` if it is gone or taken."""
        cache = caches[CACHE_ALIAS]
        data = cache.get(self._key)
        if data is None or not cache.delete(self._key):
            raise FileNotFoundError(self.name)
        self._claimed = data

    def read(self) -> Any:
        if self._claimed is not None:
            return self._claimed
        return caches[CACHE_ALIAS].get(self._key)

    def remove(self) -> None:
        self._claimed = None
        caches[CACHE_ALIAS].delete(self._key)
