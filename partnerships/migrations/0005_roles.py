"""Create the Coordinators and Funders groups with their permissions.

Coordinators change their own partnerships and everything under them (the admin scopes
each row); they may add and change organizations but never delete one, since organizations
are shared. Funders get Django's view permission on every model and the roster export.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from partnerships.scoping import COORDINATORS_GROUP, FUNDERS_GROUP

OWNED = {
    "partnerships": ["council", "councilmembership", "workinggroup"],
    "plans": ["communityplan", "priority", "action", "indicator", "measurement"],
}
READABLE = {
    "partnerships": [
        "partnership", "council", "councilmembership", "workinggroup",
        "organization", "sector", "focusarea", "community",
    ],
    "plans": ["communityplan", "priority", "action", "indicator", "measurement"],
}


def codenames_for_coordinators():
    codes = []
    for app, models in OWNED.items():
        for model in models:
            codes += [(app, f"{action}_{model}") for action in ("add", "change", "delete", "view")]
    codes += [("partnerships", "view_partnership"), ("partnerships", "change_partnership")]
    codes += [("partnerships", f"{a}_organization") for a in ("add", "change", "view")]
    codes += [("partnerships", f"view_{m}") for m in ("sector", "focusarea", "community")]
    codes += [
        ("partnerships", "import_councilmembership"),
        ("partnerships", "export_councilmembership"),
    ]
    return codes


def codenames_for_funders():
    codes = [(app, f"view_{model}") for app, models in READABLE.items() for model in models]
    codes.append(("partnerships", "export_councilmembership"))
    return codes


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in (
        (COORDINATORS_GROUP, codenames_for_coordinators()),
        (FUNDERS_GROUP, codenames_for_funders()),
    ):
        group, _ = Group.objects.get_or_create(name=name)
        perms = []
        for app, codename in codes:
            perms.append(Permission.objects.get(content_type__app_label=app, codename=codename))
        group.permissions.set(perms)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=[COORDINATORS_GROUP, FUNDERS_GROUP]
    ).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("partnerships", "0004_roster_permissions"),
        ("plans", "0002_sample_flag"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
