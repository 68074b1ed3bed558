"""Make existing plans satisfy the integrity rules that ``0011`` turns into constraints.

* One active plan per partnership: the newest (latest start year) stays active, the others
  become "completed".
* Every action belongs to a priority of its own plan: an action without a priority, or whose
  priority belongs to another plan, moves to the plan's "Other actions" priority (created
  when needed).
* An indicator's target year is not before its baseline year: such a target year is cleared
  (the value is kept).
* An indicator's target is on the better side of its baseline: where it is not, the polarity
  is taken from the direction the coordinator set (a target below the baseline means lower
  is better).

Reversing it leaves the data as it is: every row it changed is still valid before ``0008``.
"""

from django.db import migrations
from django.db.models import F, Q

OTHER_EN = "Other actions"
OTHER_FR = "Autres actions"


def forward(apps, schema_editor):
    CommunityPlan = apps.get_model("plans", "CommunityPlan")
    Priority = apps.get_model("plans", "Priority")
    Action = apps.get_model("plans", "Action")
    Indicator = apps.get_model("plans", "Indicator")

    kept = set()
    demoted = []
    active = CommunityPlan.objects.filter(status="active").order_by(
        "partnership_id", "-start_year", "-pk"
    )
    for plan in active.only("pk", "partnership_id"):
        if plan.partnership_id in kept:
            demoted.append(plan.pk)
        else:
            kept.add(plan.partnership_id)
    CommunityPlan.objects.filter(pk__in=demoted).update(status="completed")

    others = {}
    stray = Action.objects.filter(Q(priority__isnull=True) | ~Q(priority__plan_id=F("plan_id")))
    for action in stray.select_related("plan"):
        plan = action.plan
        if plan.pk not in others:
            others[plan.pk] = Priority.objects.filter(
                plan=plan, title=OTHER_EN
            ).first() or Priority.objects.create(
                plan=plan,
                title=OTHER_EN,
                title_fr=OTHER_FR,
                order=999,
                is_sample=plan.is_sample,
            )
        Action.objects.filter(pk=action.pk).update(priority=others[plan.pk])

    both_years = Q(baseline_year__isnull=False, target_year__isnull=False)
    Indicator.objects.filter(both_years, target_year__lt=F("baseline_year")).update(
        target_year=None
    )
    both_values = Q(baseline_value__isnull=False, target_value__isnull=False)
    Indicator.objects.filter(
        both_values, polarity="higher", target_value__lt=F("baseline_value")
    ).update(polarity="lower")
    Indicator.objects.filter(
        both_values, polarity="lower", target_value__gt=F("baseline_value")
    ).update(polarity="higher")


class Migration(migrations.Migration):
    dependencies = [("plans", "0007_seed_catalogue")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
