"""One error shape for the whole API: ``{"errors": {"<parameter>": ["message", ...]}}``.

A caller can always tell which parameter to fix; the same shape is documented in the
OpenAPI schema (:class:`api.serializers.ErrorSerializer`).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

#: The key used when an error belongs to no single parameter.
GENERAL = "detail"


def _messages(detail: Any) -> list[str]:
    if isinstance(detail, list | tuple):
        return [str(item) for item in detail]
    if isinstance(detail, dict):
        return [str(item) for value in detail.values() for item in _messages(value)]
    return [str(detail)]


def error_body(detail: Any) -> dict[str, dict[str, list[str]]]:
    """``detail`` (a DRF error detail, a dict of them or a message) in the API's error shape."""
    if isinstance(detail, dict):
        errors = {str(key): _messages(value) for key, value in detail.items()}
        if "__all__" in errors:
            errors[GENERAL] = errors.pop("__all__")
        if "non_field_errors" in errors:
            errors[GENERAL] = errors.pop("non_field_errors")
        return {"errors": errors}
    return {"errors": {GENERAL: _messages(detail)}}


class ParameterError(exceptions.ValidationError):
    """A 400 naming the parameters at fault: ``ParameterError({"page": ["..."]})``."""


class NotFoundError(exceptions.NotFound):
    """A 404 naming the parameter that matched nothing: ``NotFoundError({"slug": [...]})``."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__()
        self.detail = errors


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, then the body rewritten into the API's error shape."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = exc.detail if isinstance(exc, exceptions.APIException) else response.data
    response.data = error_body(detail)
    return response
