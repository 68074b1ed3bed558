"""factory_boy factories for every model; tests build their own data with these."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from partnerships.models import (
    Community,
    Council,
    CouncilMembership,
    FocusArea,
    Organization,
    Partnership,
    Role,
    Sector,
    Source,
    WorkingGroup,
)
from plans.models import (
    Action,
    Characteristic,
    CommunityPlan,
    Indicator,
    IndicatorDefinition,
    Measurement,
    Polarity,
    Priority,
)

TEST_PASSWORD = "correct-horse-battery-staple"  # noqa: S105 - test-only


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            for name in extracted:
                self.groups.add(Group.objects.get_or_create(name=name)[0])
        if create:
            self.save()


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"sector-{n}")
    name = factory.LazyAttribute(lambda s: s.slug.replace("-", " ").title())
    name_fr = factory.LazyAttribute(lambda s: f"{s.name} (fr)")
    recommended = False


class FocusAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FocusArea
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"focus-{n}")
    name = factory.LazyAttribute(lambda s: s.slug.replace("-", " ").title())
    name_fr = factory.LazyAttribute(lambda s: f"{s.name} (fr)")


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Community

    name = factory.Sequence(lambda n: f"Town {n}")
    province = "AB"
    latitude = Decimal("51.04473")
    longitude = Decimal("-114.07188")
    population = 10000


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organization {n}")
    sector = factory.LazyFunction(lambda: Sector.objects.get(slug="settlement"))
    city = "Calgary"
    province = "AB"


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership
        skip_postgeneration_save = True

    kind = Partnership.Kind.LIP
    name = factory.Sequence(lambda n: f"Testville Local Immigration Partnership {n}")
    slug = factory.Sequence(lambda n: f"testville-lip-{n}")
    province = "AB"
    main_community = "Testville"
    confidence = Partnership.Confidence.HIGH

    @factory.post_generation
    def sources(self, create, extracted, **kwargs):
        """One titled source by default; ``sources=[{...}, ...]`` for others, ``[]`` for none."""
        if not create:
            return
        if extracted is None:
            extracted = [{"url": "https://example.org/source", "title": "About us", "year": 2025}]
        for order, values in enumerate(extracted):
            Source.objects.create(partnership=self, order=order, **values)

    @factory.post_generation
    def communities(self, create, extracted, **kwargs):
        if create and extracted:
            self.communities.add(*extracted)

    @factory.post_generation
    def focus_areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.focus_areas.add(*extracted)

    @factory.post_generation
    def coordinators(self, create, extracted, **kwargs):
        if create and extracted:
            self.coordinators.add(*extracted)


class CouncilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Council

    partnership = factory.SubFactory(PartnershipFactory)
    kind = Council.Kind.MAIN
    name = factory.Sequence(lambda n: f"Partnership Council {n}")
    seats = 20


class CouncilMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CouncilMembership

    council = factory.SubFactory(CouncilFactory)
    organization = factory.SubFactory(OrganizationFactory)
    person_name = factory.Sequence(lambda n: f"Person {n}")
    title = "Executive Director"
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    phone = "403-555-0100"
    role = Role.MEMBER
    term_start = datetime.date(2024, 1, 1)
    term_end = datetime.date(2026, 12, 31)
    publish_consent = False


class WorkingGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingGroup

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Working Group {n}")
    description = "Coordinates local services."


class CommunityPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommunityPlan

    partnership = factory.SubFactory(PartnershipFactory)
    title = "Community Plan"
    start_year = 2025
    end_year = 2029
    status = CommunityPlan.Status.ACTIVE


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Priority

    plan = factory.SubFactory(CommunityPlanFactory)
    title = factory.Sequence(lambda n: f"Priority {n}")
    order = factory.Sequence(int)


class ActionFactory(factory.django.DjangoModelFactory):
    """An action; ``plan=`` (not a field: an action's plan is its priority's) puts it under a
    new priority of that plan when no ``priority`` is given."""

    class Meta:
        model = Action

    class Params:
        plan = None

    priority = factory.LazyAttribute(
        lambda a: PriorityFactory(plan=a.plan) if a.plan is not None else PriorityFactory()
    )
    year = 2025
    title = factory.Sequence(lambda n: f"Action {n}")


class CharacteristicFactory(factory.django.DjangoModelFactory):
    """A welcoming-community characteristic (the 17 seeded ones exist already)."""

    class Meta:
        model = Characteristic
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"characteristic-{n}")
    name = factory.Sequence(lambda n: f"Characteristic {n}")
    name_fr = factory.Sequence(lambda n: f"Caractéristique {n}")


class IndicatorDefinitionFactory(factory.django.DjangoModelFactory):
    """A catalogue entry (about 25 are seeded; this makes a new one)."""

    class Meta:
        model = IndicatorDefinition

    slug = factory.Sequence(lambda n: f"catalogue-indicator-{n}")
    name = factory.Sequence(lambda n: f"Catalogue indicator {n}")
    name_fr = factory.Sequence(lambda n: f"Indicateur du catalogue {n}")
    unit = "%"
    unit_fr = "%"
    polarity = Polarity.HIGHER
    definition = "Share of recent immigrants who do something measurable."
    definition_fr = "Proportion des immigrants récents qui font une chose mesurable."
    source = "Statistics Canada, Census of Population"


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    priority = factory.SubFactory(PriorityFactory)
    name = factory.Sequence(lambda n: f"Indicator {n}")
    unit = "sessions"
    baseline_value = Decimal("10")
    baseline_year = 2024
    target_value = Decimal("30")
    target_year = 2029


class MeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measurement

    indicator = factory.SubFactory(IndicatorFactory)
    year = 2025
    value = Decimal("15")
