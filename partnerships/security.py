"""Security helpers: one place that records denied cross-partnership requests.

The log line carries the user id, the model label, the object id and the request path
(without the query string, which may hold search terms) so that it holds no personal data.
"""

from __future__ import annotations

import logging
from typing import Any

from django.http import HttpRequest

logger = logging.getLogger("partnerships.security")


def log_denied(request: HttpRequest, model: Any, object_id: Any, reason: str = "scope") -> None:
    """Record a request that named an object outside the user's partnerships."""
    label = getattr(getattr(model, "_meta", None), "label", str(model))
    user_id = getattr(getattr(request, "user", None), "pk", None)
    logger.warning(
        "denied %s request: user_id=%s model=%s object_id=%s path=%s reason=%s",
        request.method,
        user_id,
        label,
        object_id,
        request.path,
        reason,
        extra={
            "user_id": user_id,
            "model": label,
            "object_id": str(object_id),
            "path": request.path,
        },
    )
