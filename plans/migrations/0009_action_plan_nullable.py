"""``Action.plan`` may be empty, on its way out (``0011`` removes it); kept separate so that a
reverse migration can fill it back before it becomes required again."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("plans", "0008_plan_integrity_data")]

    operations = [
        migrations.AlterField(
            model_name="action",
            name="plan",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="actions",
                to="plans.communityplan",
                verbose_name="plan",
            ),
        ),
    ]
