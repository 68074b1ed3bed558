"""Unchanged public pages come from a cache, keyed on the data revision.

:func:`cached_page` wraps a public GET view (``conditional_on_revision`` applies it to every
view it decorates). For an anonymous visitor it keeps the rendered page in the ``pages``
cache under a key made of:

* :func:`directory.revision.revision_etag`: the revision number stored in the database, the
  language and the full address (path and query). Every app server reads the same row, so an
  admin change anywhere makes every server's old entries unreachable at once; there is no
  second invalidation mechanism and nothing to purge.
* the host and scheme (canonical and ``hreflang`` links are absolute);
* whether the sample-data notice is shown (``demo.flags``), so a page rendered with the
  notice is never served without it, nor the reverse.

Only complete 200 answers that set no cookie and used no CSRF token are kept; signed-in
users, other methods and streamed answers always go to the view. A hit costs the one
revision query (plus the sample flag, cached for a minute) and no rendering.

``PAGE_CACHE_SECONDS`` (setting) bounds how long an entry lives; 0 turns the cache off.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import InvalidCacheBackendError, caches
from django.core.cache.backends.dummy import DummyCache
from django.http import HttpRequest, HttpResponse

from demo.flags import sample_data_present

from .revision import revision_etag

CACHE_ALIAS = "pages"
#: Response header saying whether the page came from the cache ("hit") or was rendered.
STATUS_HEADER = "X-Page-Cache"


def _cache() -> Any:
    """The ``pages`` cache, or ``None`` when there is none (or a dummy one: nothing to ask)."""
    try:
        cache = caches[CACHE_ALIAS]
    except InvalidCacheBackendError:
        return None
    return None if isinstance(cache, DummyCache) else cache


def _anonymous(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def _sample_flag(request: HttpRequest) -> bool:
    """The sample-data flag, remembered on the request where the notice's context reads it."""
    if not hasattr(request, "_sample_data_present"):
        request._sample_data_present = sample_data_present()  # type: ignore[attr-defined]
    return request._sample_data_present  # type: ignore[attr-defined]


def page_cache_key(request: HttpRequest) -> str:
    """The key of this page as this anonymous visitor would see it now."""
    parts = [
        revision_etag(request),
        request.scheme or "",
        request.get_host(),
        "sample" if _sample_flag(request) else "real",
    ]
    return "page:" + hashlib.sha256("|".join(parts).encode()).hexdigest()


def _cacheable(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
    )


def cached_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve anonymous GETs of ``view`` from the ``pages`` cache while the data is unchanged."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        cache = _cache()
        timeout = getattr(settings, "PAGE_CACHE_SECONDS", 300)
        if (
            cache is None
            or not timeout
            or request.method not in ("GET", "HEAD")
            or not _anonymous(request)
        ):
            return view(request, *args, **kwargs)
        key = page_cache_key(request)
        entry = cache.get(key)
        if entry is not None:
            content, headers = entry
            response = HttpResponse(content)
            for name, value in headers:  # the view's own headers, Content-Type included
                response[name] = value
            response[STATUS_HEADER] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if _cacheable(request, response):
            # Every header the view set (Content-Disposition, Allow, Vary…); middleware adds its
            # own again on each answer, hit or miss.
            cache.set(key, (response.content, list(response.items())), timeout)
            response[STATUS_HEADER] = "miss"
        return response

    return wrapper
