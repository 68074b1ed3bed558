"""Load generated sample councils, working groups and plans for every partnership (demo only)."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.generator import load_demo_data
from demo.removal import remove_sample_data
from partnerships.models import Partnership
from partnerships.realdata import load_real_data

FLAG = "--i-understand-this-is-sample-data"


class Command(BaseCommand):
    help = (
        "Generate SAMPLE councils, rosters, working groups and community plans for every "
        "partnership (deterministic, flagged is_sample, fictional contacts). Refuses to run "
        f"unless DEBUG is on or {FLAG} is passed. Re-running replaces the sample rows."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            FLAG,
            dest="confirmed",
            action="store_true",
            help="Required when DEBUG is off: confirms this database may hold sample data.",
        )
        parser.add_argument(
            "--remove",
            action="store_true",
            help="Only delete the sample rows (real rows are never touched).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not (settings.DEBUG or options["confirmed"]):
            raise CommandError(
                "Refusing to load SAMPLE data: DEBUG is off, so this may be a production "
                f"database. The demo rosters and plans are invented. Pass {FLAG} if you really "
                "want them here."
            )
        started = time.perf_counter()
        if options["remove"]:
            removal = remove_sample_data()
            removed = removal.deleted_summary() or "nothing"
            self.stdout.write(self.style.SUCCESS(f"Sample data removed: {removed}."))
            self._report_kept(removal.kept_summary())
            return
        if not Partnership.objects.exists():
            self.stdout.write("No partnerships yet: loading the real data set first.")
            self.stdout.write(load_real_data().summary())
        report = load_demo_data()
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.WARNING("SAMPLE DATA (generated, fictional people)."))
        self.stdout.write(self.style.SUCCESS(f"{report.summary()} ({elapsed:.1f} s)"))
        self._report_kept(report.kept)
        for line in report.skipped:
            self.stdout.write(f"Skipped {line}")

    def _report_kept(self, kept: str) -> None:
        if kept:
            self.stdout.write(
                self.style.WARNING(f"Kept sample rows that real rows depend on: {kept}.")
            )
