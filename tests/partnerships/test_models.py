import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from partnerships.models import CouncilMembership, Sector
from tests.factories import (
    CouncilFactory,
    CouncilMembershipFactory,
    OrganizationFactory,
    PartnershipFactory,
)

pytestmark = pytest.mark.django_db


def test_slug_is_unique():
    PartnershipFactory(slug="calgary-lip")
    with pytest.raises(IntegrityError), transaction.atomic():
        PartnershipFactory(slug="calgary-lip")


def test_database_rejects_term_ending_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        CouncilMembershipFactory(
            term_start=datetime.date(2025, 1, 1), term_end=datetime.date(2024, 1, 1)
        )


def test_membership_sector_defaults_from_organization():
    employers = Sector.objects.get(slug="employers")
    membership = CouncilMembershipFactory(organization=OrganizationFactory(sector=employers))
    assert membership.sector == employers


def test_consent_date_is_recorded_when_consent_given():
    membership = CouncilMembershipFactory(publish_consent=True)
    assert membership.consent_date is not None


def test_duplicate_active_membership_rejected_by_database():
    first = CouncilMembershipFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        CouncilMembershipFactory(
            council=first.council, organization=first.organization, person_name=first.person_name
        )


def test_same_person_may_return_after_leaving():
    first = CouncilMembershipFactory(left_on=datetime.date(2024, 6, 30))
    again = CouncilMembershipFactory(
        council=first.council, organization=first.organization, person_name=first.person_name
    )
    assert again.pk != first.pk


def test_duplicate_newcomer_in_own_name_fails_validation():
    council = CouncilFactory()
    CouncilMembershipFactory(council=council, organization=None, person_name="Amina Yusuf")
    duplicate = CouncilMembership(council=council, organization=None, person_name="amina yusuf")
    with pytest.raises(ValidationError):
        duplicate.full_clean()
