"""An action's plan is its priority's: ``Action.plan`` is dropped and ``priority`` required.

Also the integrity constraints: one active plan per partnership, an indicator's target year not
before its baseline year, its target on the better side of its baseline. ``0008`` moved the
data so that these hold.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0010_action_plan_backfill"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="action",
            options={
                "ordering": ["year", "due_date", "title"],
                "verbose_name": "action",
                "verbose_name_plural": "actions",
            },
        ),
        migrations.RemoveField(
            model_name="action",
            name="plan",
        ),
        migrations.RemoveField(
            model_name="historicalaction",
            name="plan",
        ),
        migrations.AlterField(
            model_name="action",
            name="priority",
            field=models.ForeignKey(
                default=None,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="actions",
                to="plans.priority",
                verbose_name="priority",
            ),
            preserve_default=False,
        ),
        migrations.AddConstraint(
            model_name="communityplan",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "active")),
                fields=("partnership",),
                name="plan_one_active_per_partnership",
                violation_error_message="This partnership already has an active plan: mark it completed first.",
            ),
        ),
        migrations.AddConstraint(
            model_name="indicator",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("target_year__isnull", True),
                    ("baseline_year__isnull", True),
                    ("target_year__gte", models.F("baseline_year")),
                    _connector="OR",
                ),
                name="indicator_target_year_not_before_baseline",
                violation_error_message="The target year cannot be before the baseline year.",
            ),
        ),
        migrations.AddConstraint(
            model_name="indicator",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("target_value__isnull", True),
                    ("baseline_value__isnull", True),
                    models.Q(
                        ("polarity", "higher"), ("target_value__gte", models.F("baseline_value"))
                    ),
                    models.Q(
                        ("polarity", "lower"), ("target_value__lte", models.F("baseline_value"))
                    ),
                    _connector="OR",
                ),
                name="indicator_target_follows_polarity",
                violation_error_message="The target must be better than the baseline: at least the baseline when higher is better, at most the baseline when lower is better.",
            ),
        ),
    ]
