"""What the API publishes about each record: the public pages' fields, in both languages.

Every field here is one the public detail page shows. Council members come from
``CouncilMembership.objects.visible_to(None)`` (partnerships/scoping.py), the same read as the
page, so a person's name, email and phone are blank unless they consented; they are then
left out altogether (``person`` is null).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from partnerships.models import (
    Community,
    Council,
    CouncilMembership,
    FocusArea,
    Organization,
    Partnership,
    Province,
    Role,
    Sector,
    ServedCommunity,
    Source,
    WorkingGroup,
)

# -- errors ---------------------------------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    """``{"errors": {"<parameter>": ["message"]}}``; ``detail`` when no parameter is at fault."""

    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages keyed by the parameter at fault (``detail`` for the request).",
    )


# -- vocabularies ---------------------------------------------------------------------------


class FocusAreaSerializer(serializers.ModelSerializer):
    partnership_count = serializers.IntegerField(
        read_only=True, help_text="Partnerships known to work on it."
    )

    class Meta:
        model = FocusArea
        fields = ["slug", "name", "name_fr", "partnership_count"]


class SectorSerializer(serializers.ModelSerializer):
    organization_count = serializers.IntegerField(
        read_only=True,
        help_text="Real organizations recorded in this sector (sample data left out).",
    )

    class Meta:
        model = Sector
        fields = ["slug", "name", "name_fr", "recommended", "organization_count"]


class FocusAreaRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = FocusArea
        fields = ["slug", "name", "name_fr"]


class SectorRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sector
        fields = ["slug", "name", "name_fr"]


class OrganizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["name", "name_fr", "website", "is_sample"]


# -- partnerships ---------------------------------------------------------------------------


class PageLinksMixin(serializers.Serializer):
    url = serializers.SerializerMethodField(help_text="The public page (English).")
    url_fr = serializers.SerializerMethodField(help_text="The public page (French).")
    api_url = serializers.SerializerMethodField(help_text="This record in the API.")

    def get_url(self, obj: Partnership) -> str:
        return self.context["urls"]["url"](obj.slug)

    def get_url_fr(self, obj: Partnership) -> str:
        return self.context["urls"]["url_fr"](obj.slug)

    def get_api_url(self, obj: Partnership) -> str:
        return self.context["urls"]["api_url"](obj.slug)


class NearSerializer(serializers.Serializer):
    """How a partnership relates to the ``near`` point."""

    distance_km = serializers.FloatField(
        allow_null=True, help_text="Null when it covers the point's whole province."
    )
    community = serializers.CharField(help_text="Its served community nearest the point.")
    estimated = serializers.BooleanField(
        help_text="The community is estimated, not named by the partnership."
    )
    covers_province = serializers.BooleanField()


class PartnershipSummarySerializer(PageLinksMixin, serializers.ModelSerializer):
    """A row of the list: enough to choose, with links to the whole record."""

    focus_areas = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    near = serializers.SerializerMethodField(
        help_text="Only with the ``near`` parameter: how this partnership relates to the point."
    )

    class Meta:
        model = Partnership
        fields = [
            "slug",
            "name",
            "name_fr",
            "acronym",
            "kind",
            "province",
            "is_province_wide",
            "main_community",
            "languages",
            "status",
            "website",
            "focus_areas",
            "confidence",
            "last_confirmed",
            "url",
            "url_fr",
            "api_url",
            "near",
        ]

    @extend_schema_field(NearSerializer(allow_null=True))
    def get_near(self, obj: Partnership) -> dict[str, Any] | None:
        filterset = self.context.get("filterset")
        match = filterset.near_match(obj) if filterset is not None else None
        if match is None:
            return None
        return {
            "distance_km": match.distance_km,
            "community": match.community,
            "estimated": match.estimated,
            "covers_province": match.covers_province,
        }


class CommunitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Community
        fields = ["name", "province", "latitude", "longitude", "geonames_id"]


class ServedCommunitySerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="community.name")
    province = serializers.ChoiceField(source="community.province", choices=Province.choices)
    latitude = serializers.FloatField(source="community.latitude")
    longitude = serializers.FloatField(source="community.longitude")
    geonames_id = serializers.IntegerField(source="community.geonames_id", allow_null=True)
    is_estimated = serializers.BooleanField(
        help_text="True when the place is estimated, not named by the partnership."
    )

    class Meta:
        model = ServedCommunity
        fields = [
            "name",
            "province",
            "latitude",
            "longitude",
            "geonames_id",
            "basis",
            "is_estimated",
        ]


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["title", "publisher", "year", "url", "kind", "topic"]


class WorkingGroupSerializer(serializers.ModelSerializer):
    focus_area = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    lead_organization = OrganizationSerializer(read_only=True, allow_null=True)

    class Meta:
        model = WorkingGroup
        fields = [
            "name",
            "name_fr",
            "status",
            "focus_area",
            "lead_organization",
            "description",
            "description_fr",
            "how_to_join",
            "how_to_join_fr",
            "meeting_frequency",
            "meeting_frequency_fr",
            "is_sample",
        ]


class PersonSerializer(serializers.Serializer):
    """A council member who consented to publication (absent otherwise)."""

    name = serializers.CharField()
    title = serializers.CharField(allow_blank=True)
    email = serializers.CharField(allow_blank=True)
    phone = serializers.CharField(allow_blank=True)


class MemberSerializer(serializers.ModelSerializer):
    organization = OrganizationSerializer(read_only=True, allow_null=True)
    sector = SectorRefSerializer(read_only=True, allow_null=True)
    role = serializers.ChoiceField(choices=Role.choices)
    term_start_year = serializers.SerializerMethodField()
    term_end_year = serializers.SerializerMethodField()
    person = serializers.SerializerMethodField(
        help_text="Name and contact details, only where the member consented to publication."
    )

    class Meta:
        model = CouncilMembership
        fields = [
            "organization",
            "sector",
            "role",
            "voting",
            "term_start_year",
            "term_end_year",
            "person",
            "is_sample",
        ]

    @extend_schema_field(OpenApiTypes.INT)
    def get_term_start_year(self, obj: CouncilMembership) -> int | None:
        return obj.term_start.year if obj.term_start else None

    @extend_schema_field(OpenApiTypes.INT)
    def get_term_end_year(self, obj: CouncilMembership) -> int | None:
        return obj.term_end.year if obj.term_end else None

    @extend_schema_field(PersonSerializer(allow_null=True))
    def get_person(self, obj: CouncilMembership) -> dict[str, str] | None:
        # The row was read through visible_to(None): without consent these are already blank.
        if getattr(obj, "contacts_withheld", False) or not obj.publish_consent:
            return None
        if not obj.person_name:
            return None
        return {
            "name": obj.person_name,
            "title": obj.title,
            "email": obj.email,
            "phone": obj.phone,
        }


class CouncilSerializer(serializers.ModelSerializer):
    members = serializers.SerializerMethodField()

    class Meta:
        model = Council
        fields = ["name", "kind", "seats", "description", "is_sample", "members"]

    @extend_schema_field(MemberSerializer(many=True))
    def get_members(self, obj: Council) -> list[dict[str, Any]]:
        return MemberSerializer(getattr(obj, "members", []), many=True, context=self.context).data


class CharacteristicRefSerializer(serializers.Serializer):
    """A welcoming-community characteristic a priority works on."""

    slug = serializers.CharField()
    name = serializers.CharField()
    name_fr = serializers.CharField(allow_blank=True)


class PriorityPlanSerializer(serializers.Serializer):
    title = serializers.CharField()
    title_fr = serializers.CharField(allow_blank=True)
    focus_area = serializers.CharField(allow_null=True, help_text="Focus area slug.")
    characteristics = CharacteristicRefSerializer(many=True)
    action_count = serializers.IntegerField()
    is_sample = serializers.BooleanField()


class PlanSummarySerializer(serializers.Serializer):
    """The partnership's current community plan, summarised."""

    title = serializers.CharField()
    title_fr = serializers.CharField(allow_blank=True)
    start_year = serializers.IntegerField()
    end_year = serializers.IntegerField()
    period = serializers.CharField()
    status = serializers.CharField()
    document_url = serializers.CharField(allow_blank=True)
    url = serializers.CharField(help_text="The plan's public page (English).")
    url_fr = serializers.CharField(help_text="The plan's public page (French).")
    is_sample = serializers.BooleanField()
    priorities = PriorityPlanSerializer(many=True)
    actions_by_status = serializers.DictField(
        child=serializers.IntegerField(), help_text="Number of actions per status."
    )
    indicator_count = serializers.IntegerField()


class PartnershipDetailSerializer(PartnershipSummarySerializer):
    """Everything the public detail page shows, in both languages."""

    served_communities = ServedCommunitySerializer(source="served", many=True, read_only=True)
    host_organizations = OrganizationSerializer(many=True, read_only=True)
    focus_areas = FocusAreaRefSerializer(many=True, read_only=True)
    contact = serializers.SerializerMethodField()
    working_groups = WorkingGroupSerializer(many=True, read_only=True)
    councils = CouncilSerializer(many=True, read_only=True)
    current_plan = serializers.SerializerMethodField()
    sources = SourceSerializer(many=True, read_only=True)
    verification_reasons = serializers.SerializerMethodField(
        help_text="Why the record should be read as unverified (empty when it is not)."
    )

    class Meta(PartnershipSummarySerializer.Meta):
        fields = [
            field for field in PartnershipSummarySerializer.Meta.fields if field != "near"
        ] + [
            "description",
            "description_fr",
            "communities_served_text",
            "served_communities",
            "host_organization",
            "host_organizations",
            "host_type",
            "contact",
            "focus_areas_basis",
            "working_groups",
            "councils",
            "current_plan",
            "sources",
            "verification_reasons",
            "verification_note",
        ]

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                "email": {"type": "string"},
                "phone": {"type": "string"},
                "contact_url": {"type": "string"},
                "website": {"type": "string"},
            },
            "required": ["email", "phone", "contact_url", "website"],
            "description": "The partnership's published channels (never a person's).",
        }
    )
    def get_contact(self, obj: Partnership) -> dict[str, str]:
        return {
            "email": obj.email,
            "phone": obj.phone,
            "contact_url": obj.contact_url,
            "website": obj.website,
        }

    @extend_schema_field(PlanSummarySerializer(allow_null=True))
    def get_current_plan(self, obj: Partnership) -> dict[str, Any] | None:
        return getattr(obj, "plan_summary", None)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_verification_reasons(self, obj: Partnership) -> list[str]:
        return obj.verification_reasons(list(obj.sources.all()))
