"""Links that change one query-string parameter and keep every other filter."""

from __future__ import annotations

from django.http import HttpRequest

# Removing the place also removes its radius; any change returns to the first page.
LINKED_PARAMS = {"near": ("radius",)}


def without_value(
    request: HttpRequest, param: str, value: str | None, set_to: int | str | None = None
) -> str:
    """The current URL minus one value of ``param`` (or with ``param`` set to ``set_to``)."""
    params = request.GET.copy()
    for key in list(params):  # drop the empty fields a submitted form leaves behind
        kept = [v for v in params.getlist(key) if v.strip()]
        if kept:
            params.setlist(key, kept)
        else:
            del params[key]
    if set_to is not None:
        params[param] = str(set_to)
    else:
        remaining = [v for v in params.getlist(param) if value is not None and v != value]
        if remaining:
            params.setlist(param, remaining)
        else:
            params.pop(param, None)
        for linked in LINKED_PARAMS.get(param, ()):
            params.pop(linked, None)
        params.pop("page", None)
    query = params.urlencode()
    return f"{request.path}?{query}" if query else request.path
