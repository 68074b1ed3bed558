"""Helpers for the coordinator-workspace tests: a full tree of objects per partnership."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group

from partnerships.models import Partnership, ServedCommunity
from partnerships.scoping import COORDINATORS_GROUP, FUNDERS_GROUP
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
    UserFactory,
    WorkingGroupFactory,
)


def build_tree(partnership: Partnership | None = None, **kwargs: Any) -> dict[str, Any]:
    """One object of every partnership-owned model, keyed by model name."""
    partnership = partnership or PartnershipFactory(**kwargs)
    council = CouncilFactory(partnership=partnership)
    organization = OrganizationFactory()
    membership = CouncilMembershipFactory(council=council, organization=organization)
    working_group = WorkingGroupFactory(partnership=partnership, lead_organization=organization)
    plan = CommunityPlanFactory(partnership=partnership)
    priority = PriorityFactory(plan=plan)
    action = ActionFactory(plan=plan, priority=priority, working_group=working_group)
    indicator = IndicatorFactory(priority=priority)
    measurement = MeasurementFactory(indicator=indicator)
    served = ServedCommunity.objects.create(partnership=partnership, community=CommunityFactory())
    return {
        "servedcommunity": served,
        "source": partnership.sources.first(),
        "partnership": partnership,
        "council": council,
        "councilmembership": membership,
        "workinggroup": working_group,
        "communityplan": plan,
        "priority": priority,
        "action": action,
        "indicator": indicator,
        "measurement": measurement,
        "organization": organization,
    }


def coordinator_of(*partnerships: Partnership, username: str | None = None) -> Any:
    """A staff user in the Coordinators group (the data migration's permissions)."""
    group = Group.objects.get(name=COORDINATORS_GROUP)
    kwargs: dict[str, Any] = {"password": None}  # no slow hashing: tests use force_login
    if username:
        kwargs["username"] = username
    user = UserFactory(**kwargs)
    user.groups.add(group)
    for partnership in partnerships:
        partnership.coordinators.add(user)
    return user


def funder(username: str | None = None) -> Any:
    group = Group.objects.get(name=FUNDERS_GROUP)
    kwargs: dict[str, Any] = {"password": None}  # no slow hashing: tests use force_login
    if username:
        kwargs["username"] = username
    user = UserFactory(**kwargs)
    user.groups.add(group)
    return user
