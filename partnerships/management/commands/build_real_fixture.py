"""Rebuild fixtures/partnerships.json (and the places copy) from the raw research data."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from partnerships.realdata import FIXTURE_DIR, PARTNERSHIPS_FIXTURE, PLACES_FIXTURE
from partnerships.realdata_build import BuildError, build_records

SOURCE_FILES = ("partnerships.csv", "places_ca.csv")


class Command(BaseCommand):
    help = (
        "Build the reviewed real-data fixture from the research data folder given as --source "
        "(partnerships.csv and places_ca.csv; it lives outside this repository). Only needed "
        "when the research data changes; load_real_data reads the committed fixture."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--source",
            "--source-dir",
            dest="source",
            type=Path,
            metavar="DIR",
            help="Required: the research folder holding partnerships.csv and places_ca.csv.",
        )
        parser.add_argument(
            "--output-dir",
            type=Path,
            default=FIXTURE_DIR,
            metavar="DIR",
            help="Where to write partnerships.json and places_ca.csv (default: fixtures/). "
            "Point it at a scratch folder to diff a rebuild against the committed fixture.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source = self._source_dir(options["source"])
        try:
            records = build_records(source / "partnerships.csv", source / "places_ca.csv")
        except BuildError as exc:
            raise CommandError(str(exc)) from exc
        output: Path = options["output_dir"]
        output.mkdir(parents=True, exist_ok=True)
        partnerships_out = output / PARTNERSHIPS_FIXTURE.name
        places_out = output / PLACES_FIXTURE.name
        shutil.copyfile(source / "places_ca.csv", places_out)
        partnerships_out.write_text(
            json.dumps(records, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {len(records)} partnerships to {partnerships_out} "
                f"and copied places to {places_out}."
            )
        )

    @staticmethod
    def _source_dir(source: Path | None) -> Path:
        """The research folder, checked up front: there is no default (it is outside the repo)."""
        if source is None:
            raise CommandError(
                "--source DIR is required: the research data folder holding "
                f"{' and '.join(SOURCE_FILES)} (it is not part of this repository)."
            )
        if not source.is_dir():
            raise CommandError(f"--source {source} is not a directory.")
        for name in SOURCE_FILES:
            if not (source / name).is_file():
                raise CommandError(f"--source {source} has no {name}.")
        return source
