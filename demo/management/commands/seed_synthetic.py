"""Build a large synthetic data set (thousands of invented partnerships) for speed tests."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from demo.synthetic import remove_synthetic_data, seed_synthetic

FLAG = "--i-understand-this-is-sample-data"


class Command(BaseCommand):
    help = (
        "Create N SYNTHETIC partnerships with councils, memberships, working groups and "
        "plans (bulk inserts, deterministic for a seed, every row marked synthetic/sample). "
        "For benchmarks and load tests; never on a production database."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--partnerships", type=int, default=1000, help="how many (N)")
        parser.add_argument("--seed", type=int, default=1, help="random seed (same seed, same set)")
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="date the terms and plans are relative to (YYYY-MM-DD; default: today)",
        )
        parser.add_argument(
            "--remove", action="store_true", help="only delete every synthetic partnership"
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")
        parser.add_argument(
            FLAG,
            dest="confirmed",
            action="store_true",
            help="Required when DEBUG is off: confirms this database may hold synthetic data.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not (settings.DEBUG or options["confirmed"]):
            raise CommandError(
                "Refusing to write SYNTHETIC data: DEBUG is off, so this may be a production "
                f"database. Pass {FLAG} if this is a throwaway database."
            )
        if options["remove"]:
            deleted = remove_synthetic_data()
            parts = ", ".join(f"{count} {name}" for name, count in deleted.items() if count)
            self.stdout.write(self.style.SUCCESS(f"Synthetic data removed: {parts or 'nothing'}."))
            return
        count = options["partnerships"]
        if count < 1:
            raise CommandError("--partnerships must be at least 1.")
        bar = tqdm(
            total=count,
            unit=" partnerships",
            disable=options["no_progress"],
            file=self.stderr._out,
        )
        try:
            report = seed_synthetic(
                count, seed=options["seed"], today=options["today"], progress=bar.update
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        finally:
            bar.close()
        self.stdout.write(self.style.WARNING("SYNTHETIC DATA (invented partnerships and people)."))
        self.stdout.write(self.style.SUCCESS(report.summary()))
