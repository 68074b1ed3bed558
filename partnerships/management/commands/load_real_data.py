"""Load the real partnerships and GeoNames places from the committed fixtures."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from partnerships.realdata import load_real_data


class Command(BaseCommand):
    help = (
        "Load the 101 real partnerships and 3,250 GeoNames places (GeoNames (geonames.org), "
        "CC BY 4.0) from fixtures/. Safe to re-run: it updates in place and never clears "
        "coordinators or last_confirmed."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--overwrite-confirmed",
            action="store_true",
            help="Also overwrite partnerships a coordinator has confirmed (last_confirmed set).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        report = load_real_data(overwrite_confirmed=options["overwrite_confirmed"])
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"{report.summary()} ({elapsed:.1f} s)"))
        if report.kept_confirmed:
            self.stdout.write(
                "Not overwritten (confirmed by a coordinator; use --overwrite-confirmed): "
                + ", ".join(report.kept_confirmed)
            )
