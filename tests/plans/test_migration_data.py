"""The plan-integrity migrations carry existing data across, both ways (plans 0005 ↔ 0011)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("plans", "0005_french_fields")]
AFTER = [("plans", "0011_action_priority_required")]


def migrate(plans_target):
    """Migrate plans to ``plans_target`` (every other app at its latest) and return the
    historical app registry there."""
    executor = MigrationExecutor(connection)
    others = [node for node in executor.loader.graph.leaf_nodes() if node[0] != "plans"]
    targets = [*plans_target, *others]
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old_world():
    """Rows written under the old schema: what 0006–0011 must repair."""
    apps = migrate(BEFORE)
    Partnership = apps.get_model("partnerships", "Partnership")
    CommunityPlan = apps.get_model("plans", "CommunityPlan")
    Priority = apps.get_model("plans", "Priority")
    Action = apps.get_model("plans", "Action")
    Indicator = apps.get_model("plans", "Indicator")
    partnership = Partnership.objects.create(
        name="Migration LIP", slug="migration-lip", kind="LIP", province="ON"
    )
    old = CommunityPlan.objects.create(
        partnership=partnership, title="Old", start_year=2020, end_year=2024, status="active"
    )
    new = CommunityPlan.objects.create(
        partnership=partnership, title="New", start_year=2025, end_year=2029, status="active"
    )
    old_priority = Priority.objects.create(plan=old, title="Old housing")
    new_priority = Priority.objects.create(plan=new, title="Housing")
    kept = Action.objects.create(plan=new, priority=new_priority, year=2025, title="Kept")
    orphan = Action.objects.create(plan=new, priority=None, year=2026, title="Orphan")
    crossed = Action.objects.create(plan=new, priority=old_priority, year=2026, title="Crossed")
    backwards = Indicator.objects.create(
        priority=new_priority,
        name="Wait",
        polarity="higher",
        baseline_value=Decimal("60"),
        target_value=Decimal("30"),
        baseline_year=2026,
        target_year=2024,
    )
    yield {
        "partnership": partnership.pk,
        "old": old.pk,
        "new": new.pk,
        "new_priority": new_priority.pk,
        "kept": kept.pk,
        "orphan": orphan.pk,
        "crossed": crossed.pk,
        "backwards": backwards.pk,
    }
    migrate(AFTER)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_migrations_repair_old_plans_and_reverse(old_world):
    w = old_world
    apps = migrate(AFTER)
    CommunityPlan = apps.get_model("plans", "CommunityPlan")
    Action = apps.get_model("plans", "Action")
    Indicator = apps.get_model("plans", "Indicator")
    Characteristic = apps.get_model("plans", "Characteristic")

    # One active plan left: the newest.
    assert CommunityPlan.objects.get(pk=w["new"]).status == "active"
    assert CommunityPlan.objects.get(pk=w["old"]).status == "completed"
    # Every action under a priority of its own plan; stray ones under "Other actions".
    assert Action.objects.get(pk=w["kept"]).priority_id == w["new_priority"]
    for pk in (w["orphan"], w["crossed"]):
        priority = Action.objects.get(pk=pk).priority
        assert (priority.plan_id, priority.title, priority.title_fr) == (
            w["new"],
            "Other actions",
            "Autres actions",
        )
    # The indicator keeps its values; its direction and target year now agree.
    backwards = Indicator.objects.get(pk=w["backwards"])
    assert (backwards.polarity, backwards.target_year) == ("lower", None)
    assert backwards.target_value == Decimal("30")
    assert Characteristic.objects.count() == 17

    # Back to 0005: each action gets its plan again.
    apps = migrate(BEFORE)
    Action = apps.get_model("plans", "Action")
    assert set(Action.objects.values_list("plan_id", flat=True)) == {w["new"]}
    assert Action.objects.get(pk=w["kept"]).priority_id == w["new_priority"]
