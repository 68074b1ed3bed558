"""The stored search column and French sort key (issue 13), with their PostgreSQL support.

On PostgreSQL only: the ``pg_trgm`` extension and a GIN trigram index on ``search_text``
(serves ``LIKE '%term%'``), and an ICU collation ``fr_ca_icu`` that orders names the French
way. SQLite has neither and needs neither (see ``partnerships.search_index``).
"""

from collections import defaultdict

from django.db import migrations, models

from partnerships.search_index import TEXT_FIELDS, search_document, sort_key

COLLATION = "fr_ca_icu"
INDEX = "partnership_search_trgm"


def create_postgres_support(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE COLLATION IF NOT EXISTS {COLLATION} (provider = icu, locale = 'fr-CA')"
    )


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON partnerships_partnership "
        "USING gin (search_text gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


def fill(apps, schema_editor):
    """Every existing partnership gets its search text and sort key."""
    Partnership = apps.get_model("partnerships", "Partnership")
    ServedCommunity = apps.get_model("partnerships", "ServedCommunity")
    Hosts = Partnership.host_organizations.through
    names = defaultdict(list)
    for partnership_id, name in ServedCommunity.objects.order_by("community__name").values_list(
        "partnership_id", "community__name"
    ):
        names[partnership_id].append(name)
    for partnership_id, name, name_fr in Hosts.objects.order_by("organization__name").values_list(
        "partnership_id", "organization__name", "organization__name_fr"
    ):
        names[partnership_id].extend(n for n in (name, name_fr) if n)
    rows = []
    for values in Partnership.objects.values("pk", *TEXT_FIELDS):
        rows.append(
            Partnership(
                pk=values["pk"],
                search_text=search_document(values, names.get(values["pk"], ())),
                sort_name=sort_key(values["name"]),
            )
        )
    Partnership.objects.bulk_update(rows, ["search_text", "sort_name"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0008_trust_and_reach"),
    ]

    operations = [
        migrations.RunPython(create_postgres_support, migrations.RunPython.noop),
        migrations.AddField(
            model_name="partnership",
            name="search_text",
            field=models.TextField(
                blank=True,
                default="",
                editable=False,
                help_text="Folded text that the public search matches; maintained automatically.",
                verbose_name="search text",
            ),
        ),
        migrations.AddField(
            model_name="partnership",
            name="sort_name",
            field=models.CharField(
                blank=True, default="", editable=False, max_length=700, verbose_name="sort key"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
    ]
