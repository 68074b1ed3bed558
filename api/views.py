"""Read-only open data API: partnerships (list, detail, GeoJSON), focus areas, sectors.

Thin views: filtering is the directory's :class:`~directory.filters.PartnershipFilter`
(api/filters.py), placement on a map is api/geojson.py, contact masking is
``visible_to(None)`` (partnerships/scoping.py). Each view runs a fixed number of queries
whatever the number of rows; ETag/Last-Modified and 304s come from directory/revision.py
(wrapped in api/urls.py).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from partnerships.models import (
    Council,
    CouncilMembership,
    FocusArea,
    Organization,
    Partnership,
    Role,
    Sector,
    ServedCommunity,
    Source,
    WorkingGroup,
)
from plans.models import Action, Characteristic, CommunityPlan, Priority

from .errors import NotFoundError, ParameterError
from .filters import filter_parameters, partnership_filterset
from .geojson import MAX_FEATURES, feature_collection, url_makers
from .pagination import PageNumberPagination, page_errors
from .serializers import (
    ErrorSerializer,
    FocusAreaSerializer,
    PartnershipDetailSerializer,
    PartnershipSummarySerializer,
    SectorSerializer,
)

ROLE_ORDER = {role: index for index, role in enumerate(Role.values)}
BAD_REQUEST = OpenApiResponse(
    ErrorSerializer, description="An invalid parameter; the message is keyed by its name."
)
NOT_FOUND = OpenApiResponse(ErrorSerializer, description="No partnership has this slug.")
NOT_MODIFIED = OpenApiResponse(
    description="Unchanged since the ``ETag`` in ``If-None-Match`` (or the date in "
    "``If-Modified-Since``): no body. Every 200 carries ``ETag`` and ``Last-Modified``."
)


class GeoJSONRenderer(JSONRenderer):
    """JSON served as ``application/geo+json`` (RFC 7946)."""

    media_type = "application/geo+json"
    format = "geojson"


class FormatNegotiation(DefaultContentNegotiation):
    """An unknown ``?format=`` is a 400 naming the parameter (DRF answers 404)."""

    def select_renderer(
        self, request: Request, renderers: list[Any], format_suffix: str | None = None
    ) -> tuple[Any, str]:
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except Http404:
            formats = ", ".join(sorted({renderer.format for renderer in renderers}))
            raise ParameterError(
                {"format": [_("Unknown format. Use one of: %(formats)s.") % {"formats": formats}]}
            ) from None


class PublicAPIView(APIView):
    """Every API view: read-only, for anyone."""

    http_method_names = ["get", "head", "options"]
    content_negotiation_class = FormatNegotiation

    def urls(self) -> dict[str, Any]:
        return url_makers(self.request.build_absolute_uri)


@extend_schema(
    summary="Partnerships, filtered and paginated",
    description="The directory's filters; ordered by province then name (by distance with "
    "``near``). Unknown parameters are ignored.",
    parameters=filter_parameters(),
    responses={
        200: PartnershipSummarySerializer(many=True),
        304: NOT_MODIFIED,
        400: BAD_REQUEST,
    },
)
class PartnershipListView(PublicAPIView, generics.ListAPIView):
    serializer_class = PartnershipSummarySerializer
    pagination_class = PageNumberPagination

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        filterset = partnership_filterset(request, other_errors=page_errors(request))
        queryset = filterset.qs.prefetch_related(
            Prefetch("focus_areas", queryset=FocusArea.objects.order_by("order", "name"))
        )
        page = self.paginate_queryset(queryset)
        # With ``near``: each row's nearest served place, for the whole page in one query
        # (helper E's FilterSet loads them on demand; older ones computed them while filtering).
        load_near_matches = getattr(filterset, "load_near_matches", None)
        if load_near_matches is not None:
            load_near_matches(page)
        serializer = self.get_serializer(
            page, many=True, context={"urls": self.urls(), "filterset": filterset}
        )
        return self.get_paginated_response(serializer.data)

    def get_serializer(self, *args: Any, **kwargs: Any) -> PartnershipSummarySerializer:
        return PartnershipSummarySerializer(*args, **kwargs)


class GeoJSONFeatureSerializerDoc:
    """Namespace for the GeoJSON schema (a plain JSON Schema: GeoJSON is not a model)."""

    PROPERTIES = {
        "slug": {"type": "string"},
        "name": {"type": "string"},
        "name_fr": {"type": "string"},
        "kind": {"type": "string", "enum": Partnership.Kind.values},
        "province": {"type": "string"},
        "place": {
            "type": "string",
            "nullable": True,
            "description": "The served community the point sits on; null at a province's centre.",
        },
        "province_wide": {
            "type": "boolean",
            "description": "Drawn at its province's centre because it covers the province.",
        },
        "estimated": {
            "type": "boolean",
            "description": "The place is estimated, not named by the partnership.",
        },
        "url": {"type": "string", "format": "uri"},
        "url_fr": {"type": "string", "format": "uri"},
        "api_url": {"type": "string", "format": "uri"},
    }
    FEATURE_COLLECTION = {
        "type": "object",
        "description": "An RFC 7946 FeatureCollection: one Point per partnership.",
        "properties": {
            "type": {"type": "string", "enum": ["FeatureCollection"]},
            "features": {
                "type": "array",
                "maxItems": MAX_FEATURES,
                "items": {
                    "type": "object",
                    "properties": {
                        "type": {"type": "string", "enum": ["Feature"]},
                        "id": {"type": "string"},
                        "geometry": {
                            "type": "object",
                            "properties": {
                                "type": {"type": "string", "enum": ["Point"]},
                                "coordinates": {
                                    "type": "array",
                                    "description": "[longitude, latitude] (WGS 84).",
                                    "items": {"type": "number"},
                                    "minItems": 2,
                                    "maxItems": 2,
                                },
                            },
                            "required": ["type", "coordinates"],
                        },
                        "properties": {
                            "type": "object",
                            "properties": PROPERTIES,
                            "required": list(PROPERTIES),
                            "additionalProperties": False,
                        },
                    },
                    "required": ["type", "id", "geometry", "properties"],
                },
            },
        },
        "required": ["type", "features"],
    }


@extend_schema(
    summary="Partnerships as GeoJSON",
    tags=["partnerships"],
    description="The same filters as the list, not paginated: one Point per partnership "
    "(on its served community nearest ``near``, else its most populous one, else its "
    f"province's centre), at most {MAX_FEATURES} features.",
    parameters=filter_parameters(),
    responses={
        (200, "application/geo+json"): GeoJSONFeatureSerializerDoc.FEATURE_COLLECTION,
        (200, "application/json"): GeoJSONFeatureSerializerDoc.FEATURE_COLLECTION,
        (400, "application/geo+json"): BAD_REQUEST,
        (400, "application/json"): BAD_REQUEST,
        304: NOT_MODIFIED,
    },
)
class PartnershipGeoJSONView(PublicAPIView):
    renderer_classes = [GeoJSONRenderer, JSONRenderer]

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        filterset = partnership_filterset(request)
        collection = feature_collection(
            filterset.qs, filterset.place, build_uri=request.build_absolute_uri
        )
        return Response(collection)


def current_plans() -> QuerySet[CommunityPlan]:
    """Active plans with priorities, their characteristics and actions (constant queries)."""
    priorities = (
        Priority.objects.select_related("focus_area")
        .order_by("order", "title", "pk")
        .prefetch_related(
            Prefetch("characteristics", queryset=Characteristic.objects.order_by("order", "name")),
            Prefetch("actions", queryset=Action.objects.only("pk", "priority_id", "status")),
        )
    )
    return (
        CommunityPlan.objects.current()
        .annotate(indicator_count=Count("priorities__indicators", distinct=True))
        .order_by("-start_year", "-pk")
        .prefetch_related(Prefetch("priorities", queryset=priorities))
    )


def plan_summary(
    plan: CommunityPlan | None, slug: str, urls: dict[str, Any]
) -> dict[str, Any] | None:
    """Title, period, status, priorities, actions per status and the number of indicators."""
    if plan is None:
        return None
    priorities = list(plan.priorities.all())
    statuses = Counter(
        action.status for priority in priorities for action in priority.actions.all()
    )
    return {
        "title": plan.title,
        "title_fr": plan.title_fr,
        "start_year": plan.start_year,
        "end_year": plan.end_year,
        "period": plan.period,
        "status": plan.status,
        "document_url": plan.document_url,
        "url": urls["plan_url"](slug),
        "url_fr": urls["plan_url_fr"](slug),
        "is_sample": plan.is_sample,
        "priorities": [
            {
                "title": priority.title,
                "title_fr": priority.title_fr,
                "focus_area": priority.focus_area.slug if priority.focus_area else None,
                "characteristics": [
                    {"slug": c.slug, "name": c.name, "name_fr": c.name_fr}
                    for c in priority.characteristics.all()
                ],
                "action_count": len(priority.actions.all()),
                "is_sample": priority.is_sample,
            }
            for priority in priorities
        ],
        "actions_by_status": {status: statuses.get(status, 0) for status in Action.Status.values},
        "indicator_count": plan.indicator_count,
    }


@extend_schema(
    summary="One partnership, everything public about it",
    description="Council members' names and contact details appear only where the member "
    "consented to publication.",
    responses={200: PartnershipDetailSerializer, 304: NOT_MODIFIED, 404: NOT_FOUND},
)
class PartnershipDetailView(PublicAPIView, generics.RetrieveAPIView):
    serializer_class = PartnershipDetailSerializer
    lookup_field = "slug"

    def get_queryset(self) -> QuerySet[Partnership]:
        # Read as the public, exactly as the detail page does: contacts only with consent.
        memberships = (
            CouncilMembership.objects.visible_to(None)
            .current()
            .select_related("organization", "sector")
        )
        served = ServedCommunity.objects.select_related("community").order_by(
            "community__name", "pk"
        )
        return Partnership.objects.prefetch_related(
            Prefetch("served", queryset=served),
            Prefetch("sources", queryset=Source.objects.order_by("order", "pk")),
            Prefetch("focus_areas", queryset=FocusArea.objects.order_by("order", "name")),
            Prefetch("host_organizations", queryset=Organization.objects.order_by("name", "pk")),
            Prefetch(
                "councils",
                queryset=Council.objects.order_by("kind", "name").prefetch_related(
                    Prefetch("memberships", queryset=memberships)
                ),
            ),
            Prefetch(
                "working_groups",
                queryset=WorkingGroup.objects.select_related(
                    "focus_area", "lead_organization"
                ).order_by("name", "pk"),
            ),
            Prefetch("plans", queryset=current_plans(), to_attr="current_plans"),
        )

    def get_object(self) -> Partnership:
        slug = self.kwargs["slug"]
        partnership = self.get_queryset().filter(slug=slug).first()
        if partnership is None:
            raise NotFoundError(
                {"slug": [_("No partnership has the slug “%(slug)s”.") % {"slug": slug}]}
            )
        for council in partnership.councils.all():
            council.members = sorted(
                council.memberships.all(),
                key=lambda m: (
                    ROLE_ORDER.get(m.role, 99),
                    m.organization.name if m.organization else "",
                    m.pk,
                ),
            )
        plans = partnership.current_plans
        partnership.plan_summary = plan_summary(
            plans[0] if plans else None, partnership.slug, self.urls()
        )
        return partnership

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "urls": self.urls()}


@extend_schema(
    summary="Focus areas (themes partnerships work on)",
    responses={200: FocusAreaSerializer(many=True), 304: NOT_MODIFIED},
)
class FocusAreaListView(PublicAPIView, generics.ListAPIView):
    serializer_class = FocusAreaSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[FocusArea]:
        return FocusArea.objects.annotate(
            partnership_count=Count("partnerships", distinct=True)
        ).order_by("order", "name", "pk")


@extend_schema(
    summary="Sectors council members represent",
    responses={200: SectorSerializer(many=True), 304: NOT_MODIFIED},
)
class SectorListView(PublicAPIView, generics.ListAPIView):
    serializer_class = SectorSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[Sector]:
        return Sector.objects.annotate(
            organization_count=Count(
                "organizations", filter=Q(organizations__is_sample=False), distinct=True
            )
        ).order_by("order", "name", "pk")
