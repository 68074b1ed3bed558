#!/usr/bin/env python3
"""``make bench``: how fast the directory is at 100 and at 10,000 partnerships, on PostgreSQL.

Run as ``python scripts/bench.py``. Without a PostgreSQL ``DATABASE_URL`` it starts a
throwaway cluster (``scripts/with_postgres.py``) and runs itself inside it; ``--sqlite PATH``
runs on a fresh SQLite file instead (for a quick look; the figures that count are PostgreSQL's).

Steps, all in one process (settings ``scripts.bench.settings``: production settings with
``DEBUG=False`` plus a bench-only trivial view):

1. migrate, load the real data and the demo (about 100 partnerships); give one partnership's
   council 100 members; create a funder and an admin;
2. measure (in-process Django test client; warm-up, then ``--samples`` requests each):
   median and 95th-percentile server time and SQL queries of the list (no filter, a province,
   ``q``, ``near``), the detail page with the 100-member council, the funder page (as the
   funder), the API list (when the API exists), and every export of every partnership (time,
   and peak Python memory with tracemalloc in a separate run); the throughput of the list under
   gunicorn (2 workers) next to the trivial view's, uncached and from the page cache; a
   5,000-row roster import through the import-export resource, history kept;
3. seed 10,000 synthetic partnerships (``seed_synthetic``: about 300,000 memberships) and
   measure again;
4. print a table and write ``BENCHMARKS.md`` (machine, versions, date, figures, the issue's
   targets with pass or fail).

Pages are measured *uncached*: the local-memory caches (page cache included) are cleared
before each timed request, outside the timing; cached figures are reported separately.
Takes about 7 minutes on a 2-core machine (``--partnerships`` and ``--samples`` shorten it).
"""

from __future__ import annotations

import argparse
import datetime
import gc
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
import tracemalloc
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.bench.server import SETTINGS, Gunicorn, get_status  # noqa: E402


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# --- figures ---------------------------------------------------------------------------------


@dataclass
class Figure:
    """One measured thing at one scale."""

    name: str
    median_ms: float | None = None
    p95_ms: float | None = None
    queries: int | None = None
    status: int | None = None
    samples: int = 0
    peak_mb: float | None = None
    size_kb: float | None = None
    note: str = ""


@dataclass
class Throughput:
    name: str
    requests_per_s: float
    errors: int
    requests: int


@dataclass
class Scale:
    """Every figure taken at one data size."""

    label: str
    partnerships: int = 0
    memberships: int = 0
    build_s: float | None = None
    pages: list[Figure] = field(default_factory=list)
    exports: list[Figure] = field(default_factory=list)
    throughput: list[Throughput] = field(default_factory=list)
    import_s: float | None = None
    import_note: str = ""

    def page(self, name: str) -> Figure | None:
        return next((f for f in self.pages + self.exports if f.name == name), None)

    def rate(self, name: str) -> Throughput | None:
        return next((t for t in self.throughput if t.name == name), None)


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (``share`` in 0..1) of a non-empty list."""
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))
    return ordered[index]


# --- in-process measurements --------------------------------------------------------------------


#: Seconds of timed requests one page may take before its sample count is cut (a page of
#: several seconds at 10,000 partnerships would otherwise hold the run for many minutes).
PAGE_BUDGET_S = 90.0
MIN_SAMPLES = 3
SLOW_PAGE_S = 5.0


def clear_local_caches() -> None:
    """Forget every in-memory cache (page cache, sample flag...), not the database ones."""
    from django.conf import settings
    from django.core.cache import caches

    for alias, config in settings.CACHES.items():
        if "locmem" in config.get("BACKEND", "").lower():
            caches[alias].clear()


def _drain(response: Any) -> int:
    """Read a response as a server sends it (a streamed one chunk by chunk, each dropped once
    counted): its size. Joining the chunks would hold the whole file, twice, in this process."""
    if getattr(response, "streaming", False):
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def measure_page(
    client: Any,
    name: str,
    url: str,
    samples: int,
    *,
    warmup: int = 3,
    cached: bool = False,
    count_queries: bool = True,
    before: Any = None,
) -> Figure:
    """Median and p95 of ``samples`` requests, and the SQL queries of one request
    (``before()``, when given, runs before each request, outside the timing)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    slowest = 0.0
    for _ in range(warmup):
        if not cached:
            clear_local_caches()
        if before:
            before()
        started = time.perf_counter()
        _drain(client.get(url))
        slowest = max(slowest, time.perf_counter() - started)
        if slowest > SLOW_PAGE_S:
            break  # one request of seconds has warmed every cache there is
    requested = samples
    if slowest * samples > PAGE_BUDGET_S:  # a page of seconds: fewer samples, said in the note
        samples = max(MIN_SAMPLES, int(PAGE_BUDGET_S / slowest))
    times = []
    status = None
    size = 0
    hits = 0
    for _ in range(samples):
        if not cached:
            clear_local_caches()
        if before:
            before()
        started = time.perf_counter()
        response = client.get(url)
        length = _drain(response)
        times.append((time.perf_counter() - started) * 1000)
        status, size = response.status_code, length
        hits += response.get("X-Page-Cache") == "hit"
    queries = None
    if count_queries:
        if not cached:
            clear_local_caches()
        if before:
            before()
        with CaptureQueriesContext(connection) as captured:
            _drain(client.get(url))
        queries = len(captured.captured_queries)
    return Figure(
        name=name,
        median_ms=statistics.median(times),
        p95_ms=percentile(times, 0.95),
        queries=queries,
        status=status,
        samples=samples,
        size_kb=size / 1024,
        note="; ".join(
            ([f"page cache hits: {hits}/{samples}"] if hits else [])
            + ([f"{samples} samples, not {requested}: slow page"] if samples < requested else [])
        ),
    )


def measure_export(client: Any, name: str, url: str, samples: int) -> Figure:
    """Time (median, p95; an export is long enough to need no warm-up), then one more run for
    the queries and the peak Python memory growth (tracemalloc slows it, so it is not timed),
    the file read chunk by chunk as a server sends it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    figure = measure_page(client, name, url, samples, warmup=0, count_queries=False)
    clear_local_caches()
    gc.collect()
    tracemalloc.start()
    baseline = tracemalloc.get_traced_memory()[0]
    with CaptureQueriesContext(connection) as captured:
        _drain(client.get(url))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    figure.peak_mb = (peak - baseline) / 2**20
    figure.queries = len(captured.captured_queries)
    return figure


def url_or_none(name: str, **kwargs: Any) -> str | None:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return None


# --- set-up -----------------------------------------------------------------------------------


def setup_users() -> tuple[Any, Any]:
    """A funder (reads everything, exports) and a superuser (imports)."""
    from django.contrib.auth.models import Group, User

    from partnerships.scoping import FUNDERS_GROUP

    funder, _ = User.objects.get_or_create(username="bench-funder", defaults={"is_staff": True})
    funder.groups.add(Group.objects.get_or_create(name=FUNDERS_GROUP)[0])
    admin, _ = User.objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    return funder, admin


def big_council(members: int = 100) -> str:
    """Give one partnership's council ``members`` active members (bulk, sample); its slug."""
    from demo.flags import forget_sample_flag
    from directory.revision import bump_revision
    from partnerships.models import Council, CouncilMembership, Sector

    council = (
        Council.objects.filter(is_sample=True, partnership__slug__regex=r"^[a-z]")
        .exclude(partnership__slug__startswith="synthetic-")
        .select_related("partnership")
        .order_by("partnership__slug")
        .first()
    )
    if council is None:
        raise SystemExit("bench: no sample council to grow (did the demo load?)")
    active = CouncilMembership.objects.filter(council=council, left_on__isnull=True).count()
    sector = Sector.objects.get(slug="settlement")
    CouncilMembership.objects.bulk_create(
        [
            CouncilMembership(
                council=council,
                person_name=f"Bench Member {n:03d}",
                email=f"bench.member{n}@example.org",
                sector=sector,
                role="member",
                publish_consent=n % 3 == 0,
                is_sample=True,
            )
            for n in range(max(0, members - active))
        ]
    )
    forget_sample_flag()
    bump_revision()
    return council.partnership.slug


def near_place() -> str:
    """A place name the near-me search knows: the biggest served community's."""
    from partnerships.models import Community

    place = (
        Community.objects.filter(served_by__isnull=False, population__isnull=False)
        .order_by("-population")
        .values_list("name", "province")
        .first()
    )
    return f"{place[0]}, {place[1]}" if place else "Toronto, ON"


# --- pages ------------------------------------------------------------------------------------


def page_urls(detail_slug: str) -> list[tuple[str, str]]:
    """(name, URL) of every page the issue names; the API list when it exists."""
    from urllib.parse import urlencode

    listing = url_or_none("directory:partnership-list") or "/partnerships/"
    pages = [
        ("list", listing),
        ("list ?province=ON", f"{listing}?province=ON"),
        ("list ?q=reseau", f"{listing}?q=reseau"),
        ("list ?near (100 km)", f"{listing}?{urlencode({'near': near_place(), 'radius': 100})}"),
        ("list ?near (1000 km)", f"{listing}?{urlencode({'near': near_place(), 'radius': 1000})}"),
        (
            "detail (100-member council)",
            url_or_none("directory:partnership-detail", slug=detail_slug) or "",
        ),
    ]
    api = url_or_none("api:partnership-list")
    if api is None:
        for candidate in ("/api/partnerships/", "/api/v1/partnerships/"):
            from django.urls import Resolver404, resolve

            try:
                resolve(candidate)
                api = candidate
                break
            except Resolver404:
                continue
    pages.append(("API list", api or ""))
    return pages


def export_urls() -> list[tuple[str, str]]:
    """Every export, unfiltered (every partnership): funder files, roster, public CSV."""
    urls = []
    for slug in ("summary", "composition", "plan-progress", "roster"):
        for fmt in ("csv", "xlsx"):
            url = url_or_none(f"funders:export-{slug}", fmt=fmt)
            if url:
                urls.append((f"export {slug}.{fmt}", url))
    public = url_or_none("directory:partnership-export")
    if public:
        urls.append(("public export.csv", public))
    return urls


def measure_scale(scale: Scale, detail_slug: str, args: argparse.Namespace) -> None:
    """Every in-process figure at the current data size."""
    from django.test import Client

    from partnerships.models import CouncilMembership, Partnership

    scale.partnerships = Partnership.objects.count()
    scale.memberships = CouncilMembership.objects.count()
    funder, _admin = setup_users()
    anonymous = Client()
    for name, url in page_urls(detail_slug):
        if not url:
            scale.pages.append(Figure(name=name, note="not in this build: skipped"))
            continue
        log(f"{scale.label}: {name}")
        scale.pages.append(measure_page(anonymous, name, url, args.samples))
    listing = url_or_none("directory:partnership-list") or "/partnerships/"
    from directory.revision import bump_revision

    # The filter counts are stored per data revision (directory.models.FacetCounts): the
    # first list request after any change computes them. Measured here by moving the
    # revision on before each request.
    scale.pages.append(
        measure_page(
            anonymous,
            "list, first after a data change",
            listing,
            args.samples,
            before=bump_revision,
        )
    )
    scale.pages.append(
        measure_page(anonymous, "list (page cache)", listing, args.samples, cached=True)
    )
    signed_in = Client()
    signed_in.force_login(funder)
    funder_page = url_or_none("funders:page")
    if funder_page:
        log(f"{scale.label}: funder page")
        scale.pages.append(
            measure_page(signed_in, "funder page (funder)", funder_page, args.samples)
        )
    for name, url in export_urls():
        log(f"{scale.label}: {name}")
        scale.exports.append(measure_export(signed_in, name, url, args.export_samples))


# --- gunicorn throughput ----------------------------------------------------------------------


def hammer(port: int, path: str, seconds: float, clients: int) -> Throughput:
    """``clients`` threads requesting ``path`` for ``seconds``: requests per second."""
    stop = time.monotonic() + seconds
    counts = [0] * clients
    errors = [0] * clients

    def worker(index: int) -> None:
        while time.monotonic() < stop:
            try:
                status = get_status(port, path)
            except OSError:
                status = 0
            if status == 200:
                counts[index] += 1
            else:
                errors[index] += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return Throughput(path, sum(counts) / elapsed, sum(errors), sum(counts))


def measure_throughput(scale: Scale, args: argparse.Namespace) -> None:
    """List vs trivial view, requests/s under gunicorn: uncached, then from the page cache."""
    for cached in (False, True):
        with Gunicorn(page_cache=cached) as server:
            for name, path in (("trivial view", "/bench/trivial/"), ("list", "/partnerships/")):
                hammer(server.port, path, 1.0, args.clients)  # warm-up: each worker's caches
                result = hammer(server.port, path, args.seconds, args.clients)
                result.name = f"{name} ({'page cache on' if cached else 'page cache off'})"
                log(f"{scale.label}: {result.name}: {result.requests_per_s:.0f}/s")
                scale.throughput.append(result)


# --- roster import ----------------------------------------------------------------------------


def roster_import(scale: Scale, admin: Any, rows: int = 5000) -> None:
    """Time a ``rows``-row roster import (real run, history kept) in a rolled-back transaction."""
    import tablib
    from django.db import transaction

    from partnerships.models import Council
    from partnerships.resources import CouncilMembershipResource

    per_council = 100
    councils = list(
        Council.objects.select_related("partnership")
        .exclude(partnership__slug__startswith="synthetic-")
        .order_by("partnership__slug")[: (rows + per_council - 1) // per_council]
    )
    if len(councils) * per_council < rows:
        councils = list(Council.objects.select_related("partnership").order_by("pk")[:100])
    headers = ["partnership", "council", "organization", "person_name", "email", "role", "voting"]
    headers += ["sector", "term_start", "term_end", "publish_consent"]
    dataset = tablib.Dataset(headers=headers)
    for n in range(rows):
        council = councils[n // per_council % len(councils)]
        dataset.append(
            [
                council.partnership.slug,
                council.name,
                "",
                f"Imported Person {n:05d}",
                f"imported{n}@example.org",
                "member",
                "yes",
                "settlement",
                "2026-01-01",
                "2027-12-31",
                "no",
            ]
        )

    class Rollback(Exception):
        pass

    started = time.perf_counter()
    try:
        with transaction.atomic():
            result = CouncilMembershipResource(user=admin).import_data(dataset, dry_run=False)
            scale.import_s = time.perf_counter() - started
            errors = len(result.invalid_rows) + len(result.row_errors())
            from partnerships.models import CouncilMembership

            history = CouncilMembership.history.filter(person_name__startswith="Imported Person")
            scale.import_note = (
                f"{rows} rows into {len(councils)} councils, {errors} rows refused, "
                f"{history.count()} history rows written (rolled back afterwards)"
            )
            raise Rollback
    except Rollback:
        pass


# --- machine and report -----------------------------------------------------------------------


def machine() -> dict[str, str]:
    """CPU model and cores, RAM, and the versions that matter."""
    import django
    from django.db import connection

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 2**20:.1f} GiB"
    except OSError:
        pass
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            cursor.execute("select sqlite_version()")
            database = f"SQLite {cursor.fetchone()[0]}"
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0, 0, 0)
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        commit = ""
    return {
        "Commit": commit or os.environ.get("BENCH_COMMIT") or "unknown (not a git checkout)",
        "CPU": f"{cpu} ({os.cpu_count()} cores)",
        "RAM": ram,
        "OS": platform.platform(),
        "Python": platform.python_version(),
        "Django": django.get_version(),
        "Database": database,
        "Load average at start": " ".join(f"{x:.2f}" for x in load),
    }


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def _check(ok: bool | None) -> str:
    return "–" if ok is None else ("pass" if ok else "**FAIL**")


def targets(small: Scale, large: Scale | None) -> list[tuple[str, str, bool | None]]:
    """The issue's targets: (target, measured, passed)."""
    rows: list[tuple[str, str, bool | None]] = []
    for scale in [s for s in (small, large) if s]:
        for name in ("list", "detail (100-member council)"):
            page = scale.page(name)
            if page and page.queries is not None:
                rows.append(
                    (f"{name} ≤ 10 queries ({scale.label})", str(page.queries), page.queries <= 10)
                )
    for scale, limit in ((small, 15), (large, 30)):
        page = scale.page("list") if scale else None
        if page and page.median_ms is not None:
            rows.append(
                (
                    f"list median ≤ {limit} ms uncached ({scale.label})",
                    f"{page.median_ms:.1f} ms",
                    page.median_ms <= limit,
                )
            )
    if large:
        for name in ("list ?q=reseau", "list ?near (100 km)", "list ?near (1000 km)"):
            page = large.page(name)
            if page and page.median_ms is not None:
                rows.append(
                    (
                        f"{name} median ≤ 50 ms ({large.label})",
                        f"{page.median_ms:.1f} ms",
                        page.median_ms <= 50,
                    )
                )
        timed = [e for e in large.exports if e.median_ms is not None and e.status == 200]
        if timed:
            slowest = max(timed, key=lambda e: e.median_ms or 0)
            rows.append(
                (
                    f"largest export ≤ 3 s ({large.label})",
                    f"{slowest.name}: {slowest.median_ms / 1000:.2f} s",
                    (slowest.median_ms or 0) <= 3000,
                )
            )
            hungriest = max(timed, key=lambda e: e.peak_mb or 0)
            rows.append(
                (
                    f"export peak memory growth ≤ 50 MB ({large.label})",
                    f"{hungriest.name}: {hungriest.peak_mb:.1f} MB",
                    (hungriest.peak_mb or 0) <= 50,
                )
            )
    for scale in [s for s in (small, large) if s]:
        if scale.import_s is not None:
            rows.append(
                (
                    f"5,000-row roster import ≤ 10 s, history kept ({scale.label})",
                    f"{scale.import_s:.1f} s",
                    scale.import_s <= 10,
                )
            )
        trivial = scale.rate("trivial view (page cache on)")
        cached = scale.rate("list (page cache on)")
        if trivial and cached and trivial.requests_per_s:
            ratio = cached.requests_per_s / trivial.requests_per_s
            rows.append(
                (
                    f"cached list ≥ 40 % of the trivial view's throughput ({scale.label})",
                    f"{ratio:.0%} ({cached.requests_per_s:.0f} vs {trivial.requests_per_s:.0f}/s)",
                    ratio >= 0.40,
                )
            )
    return rows


def report(scales: list[Scale], info: dict[str, str], args: argparse.Namespace, took: float) -> str:
    """BENCHMARKS.md: machine, date, figures and the targets with pass or fail."""
    small = scales[0]
    large = scales[1] if len(scales) > 1 else None
    lines = [
        "# Benchmarks",
        "",
        "Generated by `make bench` (`scripts/bench.py`); do not edit by hand. Server time is "
        "measured in-process (Django test client, `DEBUG=False`, production middleware), "
        f"after {3} warm-up requests, over {args.samples} requests per page "
        f"({args.export_samples} per export), with the in-memory caches (page cache included) "
        'cleared before each request unless the row says "page cache". Queries: one request, '
        "uncached. Throughput: gunicorn, 2 sync workers, "
        f"{args.clients} concurrent loopback clients for {args.seconds:.0f} s per URL, client "
        "and server on the same machine. The filter form's counts are stored per data "
        "revision in the database (`directory.models.FacetCounts`, read in the revision's own "
        "query), so they are not cleared with the in-memory caches; the row "
        '"list, first after a data change" moves the revision on before each request and so '
        "measures the list with its counts computed.",
        "",
        f"Date: {datetime.datetime.now(datetime.UTC).strftime('%Y-%m-%d %H:%M UTC')}; "
        f"whole run {took / 60:.1f} min.",
        "",
        "| Machine | |",
        "| --- | --- |",
        *(f"| {key} | {value} |" for key, value in info.items()),
        "",
        "## Targets (issue 13)",
        "",
        "| Target | Measured | Result |",
        "| --- | --- | --- |",
        *(f"| {t} | {m} | {_check(ok)} |" for t, m, ok in targets(small, large)),
        "",
    ]
    for scale in scales:
        lines += [
            f"## {scale.label}: {scale.partnerships:,} partnerships, "
            f"{scale.memberships:,} council memberships",
            "",
        ]
        if scale.build_s is not None:
            lines += [f"Synthetic data built in {scale.build_s:.0f} s (`seed_synthetic`).", ""]
        lines += [
            "| Page | Median ms | p95 ms | Queries | Status | KB | Note |",
            "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
        ]
        for f in scale.pages:
            lines.append(
                f"| {f.name} | {_ms(f.median_ms)} | {_ms(f.p95_ms)} | "
                f"{'–' if f.queries is None else f.queries} | {f.status or '–'} | "
                f"{'–' if f.size_kb is None else f'{f.size_kb:.0f}'} | {f.note} |"
            )
        lines += [
            "",
            "| Export (every partnership) | Median ms | p95 ms | Peak memory growth MB | "
            "Queries | Status | KB |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for f in scale.exports:
            lines.append(
                f"| {f.name} | {_ms(f.median_ms)} | {_ms(f.p95_ms)} | {_ms(f.peak_mb)} | "
                f"{f.queries} | {f.status} | {f.size_kb or 0:.0f} |"
            )
        if scale.throughput:
            lines += ["", "| Under gunicorn | Requests/s | Errors |", "| --- | ---: | ---: |"]
            lines += [
                f"| {t.name} | {t.requests_per_s:.0f} | {t.errors} |" for t in scale.throughput
            ]
        if scale.import_s is not None:
            lines += ["", f"Roster import: {scale.import_s:.1f} s ({scale.import_note})."]
        lines.append("")
    return "\n".join(lines)


def print_table(scales: list[Scale]) -> None:
    print(f"\n{'':40}" + "".join(f"{s.label:>28}" for s in scales))
    names = list(dict.fromkeys(f.name for s in scales for f in s.pages + s.exports))
    for name in names:
        cells = []
        for scale in scales:
            f = scale.page(name)
            if f is None or f.median_ms is None:
                cells.append(f"{'–':>28}")
            else:
                cells.append(f"{f'{f.median_ms:.1f}/{f.p95_ms:.1f} ms {f.queries}q':>28}")
        print(f"{name:40}" + "".join(cells))
    for scale in scales:
        for t in scale.throughput:
            print(f"{scale.label}: {t.name}: {t.requests_per_s:.0f} req/s, {t.errors} errors")
        if scale.import_s is not None:
            print(f"{scale.label}: roster import {scale.import_s:.1f} s ({scale.import_note})")


# --- main -------------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> int:
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    sys.path.insert(0, str(ROOT))
    import logging

    import django

    django.setup()
    logging.disable(logging.INFO)  # no request log line per measured request
    from django.conf import settings
    from django.core.management import call_command

    from demo.generator import load_demo_data
    from demo.synthetic import seed_synthetic
    from partnerships.realdata import load_real_data

    started = time.perf_counter()
    info = machine()
    log(f"{info['Database']}: migrating, loading the real data and the demo")
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)  # DEBUG=False: the manifest
    if "imports" in settings.CACHES:
        call_command("createcachetable", verbosity=0)
    load_real_data()
    load_demo_data()
    detail_slug = big_council()
    _funder, admin = setup_users()
    scales = [Scale(label="real + demo")]
    measure_scale(scales[0], detail_slug, args)
    roster_import(scales[0], admin)
    if not args.no_gunicorn:
        measure_throughput(scales[0], args)
    if args.output:  # a partial report, in case the large run is stopped
        Path(args.output).write_text(
            report(scales, info, args, time.perf_counter() - started), encoding="utf-8"
        )
    if args.partnerships:
        log(f"seeding {args.partnerships:,} synthetic partnerships")
        built = time.perf_counter()
        seed_synthetic(args.partnerships, seed=1)
        large = Scale(
            label=f"+ {args.partnerships:,} synthetic", build_s=time.perf_counter() - built
        )
        scales.append(large)
        measure_scale(large, detail_slug, args)
        roster_import(large, admin)
        if not args.no_gunicorn:
            measure_throughput(large, args)
    took = time.perf_counter() - started
    if hasattr(os, "getloadavg"):
        info["Load average at end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print_table(scales)
    text = report(scales, info, args, took)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        log(f"wrote {args.output} ({took / 60:.1f} min)")
    return 0


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--partnerships", type=int, default=10_000, help="synthetic set size (0: none)"
    )
    parser.add_argument("--samples", type=int, default=30, help="timed requests per page (≥ 30)")
    parser.add_argument("--export-samples", type=int, default=3, help="timed requests per export")
    parser.add_argument("--seconds", type=float, default=5.0, help="gunicorn run per URL")
    parser.add_argument("--clients", type=int, default=8, help="concurrent gunicorn clients")
    parser.add_argument("--no-gunicorn", action="store_true", help="skip the throughput runs")
    parser.add_argument(
        "--output", default=str(ROOT / "BENCHMARKS.md"), help="report file ('' for none)"
    )
    parser.add_argument("--sqlite", metavar="PATH", help="run on a new SQLite file instead")
    args = parser.parse_args(list(argv) if argv is not None else None)
    if args.sqlite:
        path = Path(args.sqlite)
        path.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path.resolve()}"
        return run(args)
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        log("no PostgreSQL DATABASE_URL: starting a throwaway cluster (scripts/with_postgres.py)")
        command = [sys.executable, str(ROOT / "scripts" / "with_postgres.py"), "--"]
        command += [sys.executable, str(Path(__file__).resolve()), *sys.argv[1:]]
        return subprocess.call(command)
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
