"""Clean control characters out of text saved before the rule existed (see text_cleanup)."""

from django.db import migrations

from partnerships.text_cleanup import cleanup_operation


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0006_roster_constraints_sample_flags")]

    operations = [
        cleanup_operation(
            "partnerships",
            [
                "FocusArea", "Sector", "Community", "Organization", "Partnership", "Council",
                "CouncilMembership", "WorkingGroup",
            ],
        )
    ]
