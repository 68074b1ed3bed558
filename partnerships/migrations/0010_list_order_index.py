"""Indexes in the public list's order, so its first page is read in order, not sorted.

SQLite orders by the stored French sort key; PostgreSQL by the name under the ICU
collation, which only an index on that expression serves (created when PostgreSQL).
"""

from django.db import migrations, models

PG_INDEX = "partnership_list_order_icu"


def create_pg_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON partnerships_partnership "
        "(province, name COLLATE fr_ca_icu, id)"
    )


def drop_pg_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0009_search_column"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="partnership",
            index=models.Index(
                fields=["province", "sort_name", "id"], name="partnership_list_order"
            ),
        ),
        migrations.RunPython(create_pg_index, drop_pg_index),
    ]
