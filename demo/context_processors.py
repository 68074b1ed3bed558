"""Template context shared by every page, public and admin."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from demo.flags import sample_data_present


def sample_data(request: HttpRequest) -> dict[str, Any]:
    """``sample_data_present`` for the site-wide notice (``templates/_sample_banner.html``).

    Lazy and remembered on the request: a page that never shows the notice asks nothing, and a
    request that renders several templates asks once.
    """

    def present() -> bool:
        if not hasattr(request, "_sample_data_present"):
            request._sample_data_present = sample_data_present()  # type: ignore[attr-defined]
        return request._sample_data_present  # type: ignore[attr-defined]

    return {"sample_data_present": SimpleLazyObject(present)}
