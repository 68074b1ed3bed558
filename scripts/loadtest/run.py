#!/usr/bin/env python3
"""``make loadtest``: 50 concurrent clients for 30 s against gunicorn and PostgreSQL.

Without a PostgreSQL ``DATABASE_URL`` it starts a throwaway cluster
(``scripts/with_postgres.py``) and runs itself inside it. Then: migrate, load the real data,
the demo and ``--partnerships`` synthetic partnerships (default 1,000), create a funder, start
gunicorn (2 workers, production settings with ``DEBUG=False``) on loopback and run locust
headless (``scripts/loadtest/locustfile.py``: list, filters, search, near-me, detail, map, API,
public and funder exports). Exits non-zero when any request failed (a 5xx, a timeout, a wrong
status) or locust did not finish in time. Bounded: the locust run lasts ``--seconds`` and is
killed after twice that; the set-up takes about a minute.
"""

from __future__ import annotations

import argparse
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from scripts.bench.server import SETTINGS, Gunicorn  # noqa: E402

HERE = Path(__file__).resolve().parent


def log(message: str) -> None:
    print(f"[loadtest] {message}", file=sys.stderr, flush=True)


def prepare(partnerships: int) -> dict[str, str]:
    """Load the data set and a funder; the environment the locustfile reads."""
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.urls import NoReverseMatch, Resolver404, resolve, reverse

    from demo.generator import load_demo_data
    from demo.synthetic import seed_synthetic, synthetic_partnerships
    from partnerships.models import Partnership
    from partnerships.realdata import load_real_data
    from partnerships.scoping import FUNDERS_GROUP

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    if "imports" in settings.CACHES:
        call_command("createcachetable", verbosity=0)
    if not Partnership.objects.exists():
        log("loading the real data and the demo")
        load_real_data()
        load_demo_data()
    if partnerships and not synthetic_partnerships().exists():
        log(f"seeding {partnerships:,} synthetic partnerships")
        seed_synthetic(partnerships, seed=1)
    password = secrets.token_urlsafe(16)
    funder, _ = User.objects.get_or_create(username="loadtest-funder")
    funder.is_staff = True
    funder.set_password(password)
    funder.save()
    funder.groups.add(Group.objects.get_or_create(name=FUNDERS_GROUP)[0])
    real = list(
        Partnership.objects.exclude(slug__startswith="synthetic-").values_list("slug", flat=True)
    )
    synthetic = list(synthetic_partnerships().order_by("slug").values_list("slug", flat=True)[:200])
    try:
        api = reverse("api:partnership-list")
    except NoReverseMatch:
        api = "/api/partnerships/"
        try:
            resolve(api)
        except Resolver404:
            log("no API list in this build: its task is skipped")
            api = ""
    return {
        "LOADTEST_SLUGS": ",".join(real + synthetic),
        "LOADTEST_FUNDER": funder.username,
        "LOADTEST_PASSWORD": password,
        "LOADTEST_API": api,
    }


def run(args: argparse.Namespace) -> int:
    env = prepare(args.partnerships)
    workdir = Path(args.artifacts)
    workdir.mkdir(parents=True, exist_ok=True)
    server_log = workdir / "loadtest-gunicorn.log"
    server_log.write_bytes(b"")
    with Gunicorn(page_cache=True, workers=args.workers, log=server_log) as server:
        command = [
            str(Path(sys.executable).parent / "locust"),
            "--locustfile",
            str(HERE / "locustfile.py"),
            "--headless",
            "--users",
            str(args.users),
            "--spawn-rate",
            str(args.users),
            "--run-time",
            f"{args.seconds}s",
            "--stop-timeout",
            "10",
            "--host",
            f"http://127.0.0.1:{server.port}",
            "--only-summary",
            "--csv",
            str(workdir / "loadtest"),
            "--exit-code-on-error",
            "1",
        ]
        log(f"locust: {args.users} users for {args.seconds} s against gunicorn :{server.port}")
        try:
            code = subprocess.call(
                command, env={**os.environ, **env}, cwd=HERE, timeout=args.seconds * 2 + 60
            )
        except subprocess.TimeoutExpired:
            log("locust did not finish in time")
            return 1
    errors = [
        line
        for line in server_log.read_text(errors="replace").splitlines()
        if "Traceback" in line or '"status": 5' in line or "[ERROR]" in line
    ]
    if errors:
        log(f"gunicorn logged {len(errors)} error lines (see {server_log}):")
        for line in errors[:10]:
            print(line, file=sys.stderr)
        code = code or 1
    log("PASS: no failed request" if code == 0 else f"FAIL (exit {code})")
    return code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--partnerships", type=int, default=1000, help="synthetic partnerships")
    parser.add_argument(
        "--artifacts", default=str(ROOT / "test-artifacts"), help="CSV + server log"
    )
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        log("no PostgreSQL DATABASE_URL: starting a throwaway cluster (scripts/with_postgres.py)")
        command = [sys.executable, str(ROOT / "scripts" / "with_postgres.py"), "--"]
        command += [sys.executable, str(Path(__file__).resolve()), *sys.argv[1:]]
        return subprocess.call(command)
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
