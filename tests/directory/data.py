"""Test data for the public directory, shared by unit and browser tests."""

from __future__ import annotations

import importlib
from decimal import Decimal
from types import SimpleNamespace

from partnerships.models import FocusArea, Partnership, Role, Sector
from plans.models import Action, CommunityPlan
from tests.factories import (
    ActionFactory,
    CommunityFactory,
    CommunityPlanFactory,
    CouncilFactory,
    CouncilMembershipFactory,
    IndicatorFactory,
    MeasurementFactory,
    OrganizationFactory,
    PartnershipFactory,
    PriorityFactory,
    WorkingGroupFactory,
)

# (name, province, latitude, longitude, population): real GeoNames coordinates.
PLACES = {
    "brooks": ("Brooks", "AB", 50.56478, -111.89890, 14451),
    "medicine_hat": ("Medicine Hat", "AB", 50.05006, -110.66834, 63260),
    "calgary": ("Calgary", "AB", 51.05011, -114.08529, 1019942),
    "canmore": ("Canmore", "AB", 51.08335, -115.34882, 12288),
    "edmonton": ("Edmonton", "AB", 53.55014, -113.46871, 712391),
    "lethbridge": ("Lethbridge", "AB", 49.69999, -112.81856, 70617),
    "toronto": ("Toronto", "ON", 43.70011, -79.41630, 2600000),
    "moncton": ("Moncton", "NB", 46.11594, -64.80186, 87467),
    "charlottetown": ("Charlottetown", "PE", 46.23525, -63.12671, 36094),
    "richmond_bc": ("Richmond", "BC", 49.17003, -123.13683, 182000),
    "richmond_on": ("Richmond", "ON", 45.18336, -75.83272, 11000),
    "montreal": ("Montréal", "QC", 45.50884, -73.58781, 1600000),
}


def ensure_taxonomies() -> None:
    """Re-seed sectors and focus areas: a transactional (live-server) test flushes them."""
    seeds = importlib.import_module("partnerships.migrations.0002_seed_taxonomies")
    for order, (slug, name, name_fr, recommended) in enumerate(seeds.SECTORS):
        Sector.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "name_fr": name_fr, "recommended": recommended, "order": order},
        )
    for order, (slug, name, name_fr) in enumerate(seeds.FOCUS_AREAS):
        FocusArea.objects.get_or_create(
            slug=slug, defaults={"name": name, "name_fr": name_fr, "order": order}
        )


def build_directory() -> SimpleNamespace:
    """Create the communities, partnerships, council, working groups and a plan."""
    ensure_taxonomies()
    c = {
        key: CommunityFactory(
            name=name,
            province=province,
            latitude=Decimal(f"{lat:.5f}"),
            longitude=Decimal(f"{lon:.5f}"),
            population=population,
        )
        for key, (name, province, lat, lon, population) in PLACES.items()
    }
    housing = FocusArea.objects.get(slug="housing")
    employment = FocusArea.objects.get(slug="employment")
    francophone = FocusArea.objects.get(slug="francophone-immigration")

    calgary = PartnershipFactory(
        name="Calgary Local Immigration Partnership",
        name_fr="Partenariat local en matière d'immigration de Calgary",
        acronym="CLIP",
        slug="calgary-lip",
        main_community="Calgary",
        communities=[c["calgary"]],
        focus_areas=[housing, employment],
        host_organization="City of Calgary",
        website="https://www.calgarylip.ca",
        email="clip@example.org",
        description="Calgary's table for newcomer settlement planning.",
        description_fr="La table de Calgary pour planifier l'accueil des nouveaux arrivants.",
        last_confirmed="2026-03-01",
    )
    southern = PartnershipFactory(
        kind=Partnership.Kind.ZIP,
        name="Southern Alberta Zonal Immigration Partnership",
        acronym="SAZIP",
        slug="southern-alberta-zip",
        main_community="Brooks",
        communities=[c["brooks"], c["medicine_hat"], c["lethbridge"]],
        focus_areas=[employment],
        host_organization="Brooks and County Immigration Services",
    )
    edmonton = PartnershipFactory(
        name="Edmonton Local Immigration Partnership",
        acronym="ELIP",
        slug="edmonton-lip",
        main_community="Edmonton",
        communities=[c["edmonton"]],
        focus_areas=[housing],
    )
    rifa = PartnershipFactory(
        kind=Partnership.Kind.RIF,
        name="Francophone Immigration Network of Alberta",
        name_fr="Réseau en immigration francophone de l'Alberta",
        acronym="RIFA",
        slug="rif-alberta",
        province="AB",
        is_province_wide=True,
        main_community="",
        languages=Partnership.Languages.FRENCH,
        focus_areas=[francophone],
        host_organization="Association canadienne-française de l'Alberta",
    )
    rifnb = PartnershipFactory(
        kind=Partnership.Kind.RIF,
        name="Réseau en immigration francophone du Nouveau-Brunswick",
        acronym="RIFNB",
        slug="rif-nouveau-brunswick",
        province="NB",
        is_province_wide=True,
        main_community="Moncton",
        communities=[c["moncton"]],
        languages=Partnership.Languages.FRENCH,
        focus_areas=[francophone],
    )
    toronto = PartnershipFactory(
        name="Toronto East Quadrant Local Immigration Partnership",
        acronym="TEQ LIP",
        slug="toronto-east-lip",
        province="ON",
        main_community="Toronto",
        communities=[c["toronto"]],
        languages=Partnership.Languages.BILINGUAL,
        aliases="East Toronto LIP",
    )
    pei = PartnershipFactory(
        name="Prince Edward Island Local Immigration Partnership",
        slug="pei-lip",
        province="PE",
        is_province_wide=True,
        main_community="Charlottetown",
        communities=[c["charlottetown"]],
    )
    inactive = PartnershipFactory(
        name="Canmore Local Immigration Partnership",
        slug="canmore-lip",
        main_community="Canmore",
        communities=[c["canmore"]],
        status=Partnership.Status.INACTIVE,
    )

    settlement = Sector.objects.get(slug="settlement")
    council = CouncilFactory(partnership=calgary, name="CLIP Council")
    public_member = CouncilMembershipFactory(
        council=council,
        organization=OrganizationFactory(
            name="Calgary Catholic Immigration Society", sector=settlement
        ),
        person_name="Ada Publicperson",
        email="ada@example.org",
        phone="403-555-0111",
        role=Role.CHAIR,
        publish_consent=True,
    )
    private_member = CouncilMembershipFactory(
        council=council,
        organization=OrganizationFactory(name="Centre for Newcomers", sector=settlement),
        person_name="Bob Privateperson",
        email="bob.private@example.org",
        phone="403-555-0199",
        publish_consent=False,
    )
    WorkingGroupFactory(
        partnership=calgary,
        name="Housing Working Group",
        focus_area=housing,
        lead_organization=public_member.organization,
        how_to_join="Write to clip@example.org",
    )
    plan = CommunityPlanFactory(partnership=calgary, title="Calgary Community Plan", is_sample=True)
    priority = PriorityFactory(plan=plan, title="Affordable housing", focus_area=housing)
    ActionFactory(plan=plan, priority=priority, status=Action.Status.DONE)
    ActionFactory(plan=plan, priority=priority, status=Action.Status.PLANNED)
    indicator = IndicatorFactory(priority=priority, name="Landlord info sessions")
    MeasurementFactory(indicator=indicator, year=2025, value=Decimal("20"))
    CommunityPlanFactory(
        partnership=calgary,
        title="Old plan",
        status=CommunityPlan.Status.ARCHIVED,
        start_year=2020,
        end_year=2024,
    )
    return SimpleNamespace(
        communities=c,
        calgary=calgary,
        southern=southern,
        edmonton=edmonton,
        rifa=rifa,
        rifnb=rifnb,
        toronto=toronto,
        pei=pei,
        inactive=inactive,
        council=council,
        public_member=public_member,
        private_member=private_member,
        plan=plan,
    )
