"""Seed the welcoming-community characteristics and the shared indicator catalogue.

Both come from ``plans/data/*.json`` (sources and how far they were checked are recorded
there). Rows are matched by slug, so running it again updates rather than duplicates.
"""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def _load(name):
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def seed(apps, schema_editor):
    Characteristic = apps.get_model("plans", "Characteristic")
    IndicatorDefinition = apps.get_model("plans", "IndicatorDefinition")
    FocusArea = apps.get_model("partnerships", "FocusArea")
    characteristics = {}
    for order, row in enumerate(_load("characteristics.json")["characteristics"]):
        characteristics[row["slug"]], _ = Characteristic.objects.update_or_create(
            slug=row["slug"],
            defaults={
                "name": row["name"],
                "name_fr": row["name_fr"],
                "description": row["description"],
                "description_fr": row["description_fr"],
                "order": order,
            },
        )
    focus = {f.slug: f for f in FocusArea.objects.all()}
    for order, row in enumerate(_load("indicator_catalogue.json")["indicators"]):
        IndicatorDefinition.objects.update_or_create(
            slug=row["slug"],
            defaults={
                "name": row["name"],
                "name_fr": row["name_fr"],
                "unit": row["unit"],
                "unit_fr": row["unit_fr"],
                "polarity": row["polarity"],
                "definition": row["definition"],
                "definition_fr": row["definition_fr"],
                "source": row["source"],
                "source_url": row["source_url"],
                "characteristic": characteristics.get(row["characteristic"]),
                "focus_area": focus.get(row["focus_area"]),
                "order": order,
            },
        )


def unseed(apps, schema_editor):
    Characteristic = apps.get_model("plans", "Characteristic")
    IndicatorDefinition = apps.get_model("plans", "IndicatorDefinition")
    Indicator = apps.get_model("plans", "Indicator")
    slugs = [row["slug"] for row in _load("indicator_catalogue.json")["indicators"]]
    Indicator.objects.filter(definition__slug__in=slugs).update(definition=None)
    IndicatorDefinition.objects.filter(slug__in=slugs).delete()
    Characteristic.objects.filter(
        slug__in=[row["slug"] for row in _load("characteristics.json")["characteristics"]]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0008_trust_and_reach"),
        ("plans", "0006_catalogue_and_characteristics"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
