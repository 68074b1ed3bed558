"""The directory's own filters, read by the API: one FilterSet, one set of rules.

:class:`directory.filters.PartnershipFilter` filters the public list, the map and the API
alike; here it is only built from the query string, its errors turned into a 400 naming the
parameter, and its fields described as OpenAPI parameters (read from the FilterSet, so the
documentation follows it).
"""

from __future__ import annotations

from typing import Any

from django_filters import (
    ChoiceFilter,
    ModelMultipleChoiceFilter,
    MultipleChoiceFilter,
    NumberFilter,
)
from drf_spectacular.utils import OpenApiParameter
from rest_framework.request import Request

from directory.filters import MAX_RADIUS_KM, PartnershipFilter
from partnerships.models import Partnership

from .errors import ParameterError

FILTER_DESCRIPTIONS = {
    "kind": "Kind of partnership (repeat for several): LIP, ZIP or RIF.",
    "province": "Province or territory code (repeat for several), e.g. AB.",
    "focus": "Focus area slug (repeat for several); see /api/focus-areas/.",
    "language": "Language of service (repeat for several): en, fr or en-fr. "
    "en and fr include bilingual partnerships.",
    "q": "Words that must all appear in the name, acronym, a community, the host or the "
    "description (accents and case ignored).",
    "near": "A postal code (T1R 0A1), its first three characters (T1R) or a town (Brooks, AB). "
    "Results are then ordered by distance, province-wide networks covering the point first.",
    "radius": f"Kilometres around ``near`` (1 to {MAX_RADIUS_KM}, default 50).",
    "has_plan": "yes: only partnerships with an active community plan; no: only those without.",
    "plan_priority": "characteristic:<slug> or focus:<slug>: partnerships whose active plan "
    "has a priority tagged with that welcoming-community characteristic or focus area.",
}


def partnership_filterset(
    request: Request, other_errors: dict[str, Any] | None = None
) -> PartnershipFilter:
    """The directory's FilterSet over every partnership.

    Raises a 400 naming every invalid parameter, the filters' and ``other_errors`` (the
    pagination's) together, so a caller fixes them all at once.
    """
    # With the request: the counts its validation reads (the focus field's help text) come
    # with the data revision the view has read already (directory.filters.DirectoryFacets).
    filterset = PartnershipFilter(
        request.query_params, queryset=Partnership.objects.all(), request=request._request
    )
    errors = dict(other_errors or {})
    if not filterset.is_valid():
        errors = {**filterset.form.errors, **errors}
    if errors:
        raise ParameterError(errors)
    return filterset


def filter_schema(field: Any) -> dict[str, Any]:
    """The JSON Schema of one filter's value, read from its declaration."""
    # Static choices become an enum; choices read from the database (focus areas, plan
    # priorities) stay plain strings, listed by /api/focus-areas/ and the filters' own help.
    choices = [value for value, _label in field.extra.get("choices", None) or []]
    string: dict[str, Any] = {"type": "string", "enum": choices} if choices else {"type": "string"}
    if isinstance(field, MultipleChoiceFilter | ModelMultipleChoiceFilter):
        return {"type": "array", "items": string}
    if isinstance(field, ChoiceFilter) and choices:
        return string
    if isinstance(field, NumberFilter):
        return {
            "type": "number",
            "minimum": field.extra.get("min_value", 0),
            "maximum": field.extra.get("max_value", MAX_RADIUS_KM),
        }
    schema: dict[str, Any] = {"type": "string"}
    if field.extra.get("max_length"):
        schema["maxLength"] = field.extra["max_length"]
    return schema


def filter_parameters() -> list[OpenApiParameter]:
    """OpenAPI parameters for every filter of :class:`PartnershipFilter`."""
    parameters = []
    for name, field in PartnershipFilter.base_filters.items():
        schema = filter_schema(field)
        parameters.append(
            OpenApiParameter(
                name=name,
                type=schema,
                location=OpenApiParameter.QUERY,
                required=False,
                description=FILTER_DESCRIPTIONS.get(name)
                or str(field.extra.get("help_text") or field.label or ""),
                explode=True if schema["type"] == "array" else None,
            )
        )
    return parameters
