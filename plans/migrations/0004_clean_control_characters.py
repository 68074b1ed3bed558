"""Clean control characters out of text saved before the rule existed (see text_cleanup)."""

from django.db import migrations

from partnerships.text_cleanup import cleanup_operation


class Migration(migrations.Migration):
    dependencies = [("plans", "0003_sample_flags")]

    operations = [
        cleanup_operation(
            "plans", ["CommunityPlan", "Priority", "Action", "Indicator", "Measurement"]
        )
    ]
