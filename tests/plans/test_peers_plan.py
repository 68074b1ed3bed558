"""Peers: the directory's plan filters (list, chips, 400, funder page) and the peer rules."""

from __future__ import annotations

import html
import re
from decimal import Decimal

import pytest
from django.http import QueryDict

from directory.filters import PartnershipFilter
from partnerships.models import Partnership
from plans.models import CommunityPlan, Polarity
from plans.peers import PeerValue, Standing, priority_peers, rank_values
from tests.factories import CommunityPlanFactory, PartnershipFactory, PriorityFactory
from tests.partnerships.admin_helpers import MODEL_BACKEND
from tests.partnerships.factories_admin import funder
from tests.plans.plan_data import build_plans


@pytest.fixture(scope="module")
def _plans(shared_rows):
    return shared_rows.build(build_plans)


@pytest.fixture
def d(_plans, shared_rows, db):
    return shared_rows.fresh(_plans)


def slugs(query: str) -> list[str]:
    filterset = PartnershipFilter(QueryDict(query), queryset=Partnership.objects.all())
    assert filterset.is_valid(), filterset.form.errors
    return sorted(p.slug for p in filterset.qs)


def listed(response) -> list[str]:
    return sorted(
        re.findall(r'href="/(?:fr/)?partnerships/([a-z0-9-]+)/"', response_main(response))
    )


def response_main(response) -> str:
    content = response.content.decode()
    return content[content.index('class="results-list"') : content.index("</ol>")]


# -- the filters --------------------------------------------------------------------------


def test_has_plan_yes_keeps_partnerships_with_an_active_plan(d):
    assert slugs("has_plan=yes") == ["hilltop", "lakeside", "quiet-valley", "riverton"]


def test_has_plan_no_keeps_the_others_a_draft_does_not_count(d):
    assert slugs("has_plan=no") == ["drafty"]


def test_plan_priority_by_characteristic(d):
    assert slugs("plan_priority=characteristic:affordable-housing") == [
        "hilltop",
        "lakeside",
        "riverton",
    ]


def test_plan_priority_by_focus_area(d):
    assert slugs("plan_priority=focus:housing") == ["riverton"]


def test_plan_priority_ignores_completed_plans(d):
    old = PriorityFactory(plan=d.earlier, focus_area=d.housing_focus)
    assert old.plan.status == CommunityPlan.Status.COMPLETED
    lonely = PartnershipFactory(slug="lonely")
    CommunityPlanFactory(partnership=lonely, status=CommunityPlan.Status.COMPLETED)
    assert slugs("plan_priority=focus:housing") == ["riverton"]


@pytest.mark.parametrize(
    "query",
    ["has_plan=maybe", "plan_priority=characteristic:unknown", "plan_priority=housing"],
)
def test_invalid_plan_filter_is_a_400_with_the_fields_error(client, d, query):
    response = client.get(f"/partnerships/?{query}")
    assert response.status_code == 400
    assert "Select a valid choice." in html.unescape(response.content.decode())


def test_list_filters_by_plan_priority_and_shows_a_chip(client, d):
    response = client.get("/partnerships/?plan_priority=characteristic:affordable-housing")
    assert response.status_code == 200
    assert listed(response) == ["hilltop", "lakeside", "riverton"]
    content = html.unescape(response.content.decode())
    assert "Plan priority: Affordable and suitable housing" in content
    assert re.search(r'<input[^>]*value="characteristic:affordable-housing"[^>]*checked', content)


def test_list_has_plan_chip_and_its_removal_link(client, d):
    response = client.get("/partnerships/?has_plan=yes&kind=LIP")
    content = html.unescape(response.content.decode())
    assert "Has an active community plan" in content
    assert 'href="/partnerships/?kind=LIP"' in content


def test_filter_form_groups_the_priority_choices_with_counts(client, d):
    content = html.unescape(client.get("/partnerships/").content.decode())
    characteristics = content.index("<legend>Welcoming-community characteristics</legend>")
    focus = content.index("<legend>Focus areas</legend>")
    assert characteristics < content.index("Affordable and suitable housing (3)") < focus
    assert content.index("Housing (1)", focus) > focus
    assert "<legend>Has an active community plan</legend>" in content


def test_french_list_labels_and_chip(client, d):
    response = client.get("/fr/partnerships/?plan_priority=characteristic:affordable-housing")
    content = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Logement abordable et convenable (3)" in content
    assert "Priorité du plan : Logement abordable et convenable" in content
    assert listed(response) == ["hilltop", "lakeside", "riverton"]


def test_funder_page_filters_by_plan_priority(client, d):
    client.force_login(funder(), backend=MODEL_BACKEND)
    response = client.get("/admin/funders/?plan_priority=characteristic:affordable-housing")
    assert response.status_code == 200
    rows = re.findall(r'<tr data-partnership="([^"]+)"', response.content.decode())
    assert sorted(rows) == ["hilltop", "lakeside", "riverton"]
    assert client.get("/admin/funders/?has_plan=maybe").status_code == 400


# -- the peer rules -----------------------------------------------------------------------


def test_priority_peers_are_bounded_and_counted(d):
    for n in range(5):
        plan = CommunityPlanFactory(
            partnership=PartnershipFactory(name=f"Zed partnership {n}"),
            start_year=2022,
            end_year=2026,
        )
        PriorityFactory(plan=plan).characteristics.add(d.housing)
    priorities = list(d.plan.priorities.prefetch_related("characteristics"))
    groups = priority_peers(d.plan, priorities, limit=4)
    housing = next(g for g in groups if g.slug == "affordable-housing")
    assert housing.total == 7
    assert len(housing.peers) == 4
    assert housing.more == 3
    assert [str(p.name) for p in housing.peers][:2] == [
        "Hilltop Local Immigration Partnership",
        "Lakeside Local Immigration Partnership",
    ]
    assert housing.filter_url == "/partnerships/?plan_priority=characteristic:affordable-housing"


def value(name: str, amount: str, is_self: bool = False) -> PeerValue:
    return PeerValue(name, name, 2024, Decimal(amount), False, is_self)  # type: ignore[arg-type]


def test_lower_is_better_ranks_the_smallest_value_first():
    own = value("own", "12", is_self=True)
    values = rank_values([value("a", "10"), own, value("b", "30")], Polarity.LOWER)
    standing = Standing(Polarity.LOWER, values, own)
    assert [v.slug for v in standing.values] == ["a", "own", "b"]
    assert standing.rank == 2
    assert standing.median == Decimal("12")


def test_higher_is_better_ties_share_a_rank():
    own = value("own", "20", is_self=True)
    values = [value("a", "20"), own, value("b", "5"), value("c", "40")]
    standing = Standing(Polarity.HIGHER, rank_values(values, Polarity.HIGHER), own)
    assert standing.rank == 2
    assert standing.total == 4
    assert standing.median == Decimal("20")


def test_no_own_measurement_means_no_rank():
    standing = Standing(Polarity.HIGHER, [value("a", "3")], None)
    assert standing.rank is None
    assert standing.peer_count == 1


def test_priority_peers_list_the_same_province_first(d):
    plan = CommunityPlanFactory(
        partnership=PartnershipFactory(name="Aardvark Partnership", province="ON"),
        start_year=2022,
        end_year=2026,
    )
    PriorityFactory(plan=plan).characteristics.add(d.housing)
    priorities = list(d.plan.priorities.prefetch_related("characteristics"))
    housing = next(g for g in priority_peers(d.plan, priorities) if g.slug == "affordable-housing")
    assert [p.slug for p in housing.peers] == ["hilltop", "lakeside", plan.partnership.slug]


def test_long_standing_tables_keep_the_best_the_neighbours_and_the_last():
    own = value("own", "85.5", is_self=True)
    values = [value(f"p{i:02}", str(100 - i)) for i in range(30)]  # 100 down to 71
    standing = Standing(Polarity.HIGHER, rank_values([*values, own], Polarity.HIGHER), own)
    assert standing.rank == 16
    assert standing.is_abridged
    shown = [(position, v.slug, gap) for position, v, gap in standing.shown]
    assert [position for position, _slug, _gap in shown] == [1, 2, 3, 4, 5, 14, 15, 16, 17, 18, 31]
    assert shown[7] == (16, "own", False)
    assert [position for position, _slug, gap in shown if gap] == [14, 31]


def test_short_standing_tables_list_every_row():
    own = value("own", "5", is_self=True)
    standing = Standing(Polarity.LOWER, rank_values([value("a", "9"), own], Polarity.LOWER), own)
    assert [(position, v.slug, gap) for position, v, gap in standing.shown] == [
        (1, "own", False),
        (2, "a", False),
    ]
    assert not standing.is_abridged
