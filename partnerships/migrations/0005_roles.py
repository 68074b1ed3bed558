"""Create the Coordinators and Funders groups.

Their permissions are not listed here: they follow from the models' ownership declarations
and are set after every migrate by ``partnerships.permissions.sync_groups`` (a post_migrate
receiver), so a model added later gets them without a migration.
"""

from django.db import migrations

from partnerships.scoping import COORDINATORS_GROUP, FUNDERS_GROUP


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in (COORDINATORS_GROUP, FUNDERS_GROUP):
        Group.objects.get_or_create(name=name)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=[COORDINATORS_GROUP, FUNDERS_GROUP]
    ).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("partnerships", "0004_roster_permissions"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
