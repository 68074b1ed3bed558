"""Reverse only: give every action back the plan of its priority before ``plan`` is required
again. Forward there is nothing to do (``0011`` drops the column)."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def backfill(apps, schema_editor):
    Action = apps.get_model("plans", "Action")
    Priority = apps.get_model("plans", "Priority")
    Action.objects.update(
        plan_id=Subquery(Priority.objects.filter(pk=OuterRef("priority_id")).values("plan_id")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [("plans", "0009_action_plan_nullable")]

    operations = [migrations.RunPython(migrations.RunPython.noop, backfill)]
