"""Rebuild fixtures/partnerships.json (and the places copy) from the raw research data."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from partnerships.realdata import FIXTURE_DIR, PARTNERSHIPS_FIXTURE, PLACES_FIXTURE
from partnerships.realdata_build import BuildError, build_records


class Command(BaseCommand):
    help = (
        "Build the reviewed real-data fixture from ../shared/data (partnerships.csv and "
        "places_ca.csv). Only needed when the research data changes; load_real_data reads the "
        "committed fixture."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--source-dir",
            type=Path,
            default=Path(settings.BASE_DIR).parent / "shared" / "data",
            help="Folder holding partnerships.csv and places_ca.csv.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source: Path = options["source_dir"]
        partnerships_csv = source / "partnerships.csv"
        places_csv = source / "places_ca.csv"
        for path in (partnerships_csv, places_csv):
            if not path.exists():
                raise CommandError(f"Missing {path}")
        try:
            records = build_records(partnerships_csv, places_csv)
        except BuildError as exc:
            raise CommandError(str(exc)) from exc
        FIXTURE_DIR.mkdir(exist_ok=True)
        shutil.copyfile(places_csv, PLACES_FIXTURE)
        PARTNERSHIPS_FIXTURE.write_text(
            json.dumps(records, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {len(records)} partnerships to {PARTNERSHIPS_FIXTURE} "
                f"and copied places to {PLACES_FIXTURE}."
            )
        )
