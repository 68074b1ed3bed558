#!/usr/bin/env python3
"""Run a command against a throwaway PostgreSQL cluster, then throw the cluster away.

Usage::

    python scripts/with_postgres.py -- pytest -q

The script finds ``initdb``/``pg_ctl`` (on ``PATH`` or under ``/usr/lib/postgresql/*/bin``),
creates a cluster in a temporary directory, starts it on a free port bound to 127.0.0.1 with
``fsync`` off, creates a role (with CREATEDB, so Django can create ``test_<db>``) and a
database, exports ``DATABASE_URL`` and runs the command. Whatever happens (failure, Ctrl-C,
SIGTERM), the cluster is stopped and the temporary directory removed.

PostgreSQL refuses to run as root. When run as root, the cluster runs as the ``postgres``
system user if it exists, otherwise as a system user ``pdtest`` created for the purpose.

When the binaries are missing the script prints why and exits 0 with a warning, except
under ``CI=true`` where it fails (exit 1).

Only the standard library is used, so any Python 3 can run it.
"""

from __future__ import annotations

import argparse
import glob
import os
import pwd
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

FALLBACK_USER = "pdtest"
DB_NAME = "partnerships"
DB_USER = "partnerships"
START_ATTEMPTS = 3


def log(message: str) -> None:
    print(f"[with_postgres] {message}", file=sys.stderr, flush=True)


def _version_key(path: str) -> tuple[int, ...]:
    """Sort key for ``/usr/lib/postgresql/<version>/bin`` (newest last)."""
    match = re.search(r"/postgresql/([\d.]+)/", path)
    if not match:
        return (0,)
    return tuple(int(part) for part in match.group(1).split(".") if part)


def find_bindir() -> Path | None:
    """The directory holding ``initdb``, ``pg_ctl`` and ``psql``, or None."""
    explicit = os.environ.get("PG_BINDIR")
    candidates: list[Path] = [Path(explicit)] if explicit else []
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(Path(os.path.realpath(on_path)).parent)
    candidates += [
        Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version_key)[::-1]
    ]
    for directory in candidates:
        if all((directory / tool).is_file() for tool in ("initdb", "pg_ctl", "psql")):
            return directory
    return None


def free_port() -> int:
    """A TCP port that was free a moment ago (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cluster_user() -> str | None:
    """The unprivileged user to run PostgreSQL as (None: the current user, not root)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", FALLBACK_USER):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    log(f"running as root: creating system user {FALLBACK_USER!r} to own the cluster")
    subprocess.run(
        ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", FALLBACK_USER],
        check=True,
    )
    return FALLBACK_USER


def as_user(user: str | None, command: Sequence[str]) -> list[str]:
    """Prefix ``command`` so it runs as ``user`` (runuser if available, else su)."""
    if user is None:
        return list(command)
    if shutil.which("runuser"):
        return ["runuser", "-u", user, "--", *command]
    return ["su", "-s", "/bin/sh", user, "-c", shlex.join(command)]


class Cluster:
    """A temporary PostgreSQL cluster; use as a context manager."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.user = cluster_user()
        # Another user must be able to reach the directory: $TMPDIR may be private to root.
        parent = "/tmp" if self.user is not None and os.path.isdir("/tmp") else None  # noqa: S108
        self.root = Path(tempfile.mkdtemp(prefix="pd-postgres-", dir=parent))
        self.data = self.root / "data"
        self.sockets = self.root / "sockets"
        self.logfile = self.root / "postgres.log"
        self.port = 0
        self.password = secrets.token_hex(16)
        self.started = False

    def _run(self, command: Sequence[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            as_user(self.user, command),
            check=True,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            **kwargs,  # type: ignore[arg-type]
        )

    def __enter__(self) -> Cluster:
        try:
            self._setup()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _setup(self) -> None:
        self.sockets.mkdir()
        if self.user is not None:
            entry = pwd.getpwnam(self.user)
            for path in (self.root, self.sockets):
                os.chown(path, entry.pw_uid, entry.pw_gid)
        started_at = time.monotonic()
        self._run(
            [
                str(self.bindir / "initdb"),
                "--pgdata",
                str(self.data),
                "--username",
                "postgres",
                "--auth-local",
                "trust",
                "--auth-host",
                "scram-sha-256",
                "--encoding",
                "UTF8",
                "--locale",
                "C",
                "--no-sync",
            ]
        )
        for attempt in range(1, START_ATTEMPTS + 1):
            self.port = free_port()
            options = " ".join(
                [
                    f"-p {self.port}",
                    f"-k {self.sockets}",
                    "-c listen_addresses=127.0.0.1",
                    "-F",  # fsync off: the data is thrown away anyway
                    "-c synchronous_commit=off",
                    "-c full_page_writes=off",
                    "-c shared_buffers=32MB",
                    "-c max_connections=50",
                ]
            )
            try:
                self._run(
                    [
                        str(self.bindir / "pg_ctl"),
                        "start",
                        "--wait",
                        "--timeout",
                        "60",
                        "--pgdata",
                        str(self.data),
                        "--log",
                        str(self.logfile),
                        "-o",
                        options,
                    ]
                )
                self.started = True
                break
            except subprocess.CalledProcessError as error:
                log(f"start attempt {attempt} on port {self.port} failed:\n{error.stdout}")
                if self.logfile.exists():
                    log(self.logfile.read_text(errors="replace")[-2000:])
                if attempt == START_ATTEMPTS:
                    raise
        psql = [
            str(self.bindir / "psql"),
            "--no-psqlrc",
            "--quiet",
            "--set",
            "ON_ERROR_STOP=1",
            "--host",
            str(self.sockets),
            "--port",
            str(self.port),
            "--username",
            "postgres",
            "--dbname",
            "postgres",
        ]
        self._run(
            [
                *psql,
                "--command",
                f"CREATE ROLE {DB_USER} LOGIN CREATEDB PASSWORD '{self.password}'",
            ]
        )
        self._run([*psql, "--command", f"CREATE DATABASE {DB_NAME} OWNER {DB_USER}"])
        log(
            f"PostgreSQL ({self.bindir}) up on 127.0.0.1:{self.port} in "
            f"{time.monotonic() - started_at:.1f}s, data in {self.data}"
        )

    @property
    def url(self) -> str:
        return f"postgres://{DB_USER}:{self.password}@127.0.0.1:{self.port}/{DB_NAME}"

    def __exit__(self, *exc_info: object) -> None:
        if self.started:
            try:
                self._run(
                    [
                        str(self.bindir / "pg_ctl"),
                        "stop",
                        "--wait",
                        "--mode",
                        "fast",
                        "--pgdata",
                        str(self.data),
                    ],
                    timeout=60,
                )
            except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
                log(f"fast stop failed ({error}); stopping immediately")
                subprocess.run(
                    as_user(
                        self.user,
                        [
                            str(self.bindir / "pg_ctl"),
                            "stop",
                            "-m",
                            "immediate",
                            "-D",
                            str(self.data),
                        ],
                    ),
                    check=False,
                )
            self.started = False
            log("PostgreSQL stopped")
        shutil.rmtree(self.root, ignore_errors=True)


def _terminate(signum: int, frame: FrameType | None) -> None:
    # Turn SIGTERM/SIGHUP into an exception so the cluster is stopped and removed.
    raise SystemExit(128 + signum)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", nargs=argparse.REMAINDER, help="command to run (after --)")
    args = parser.parse_args(argv)
    command = list(args.command)
    if command and command[0] == "--":
        command = command[1:]
    if not command:
        parser.error("give the command to run, e.g. -- pytest")

    bindir = find_bindir()
    if bindir is None:
        message = (
            "PostgreSQL server binaries (initdb, pg_ctl, psql) not found on PATH or under "
            "/usr/lib/postgresql/*/bin. Install them (Debian: apt-get install postgresql) "
            "or set PG_BINDIR."
        )
        if os.environ.get("CI", "").lower() == "true":
            log(f"ERROR: {message}")
            return 1
        log(f"WARNING: {message} Skipping the PostgreSQL run.")
        return 0

    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _terminate)

    with Cluster(bindir) as cluster:
        env = {**os.environ, "DATABASE_URL": cluster.url}
        log(f"running: {' '.join(command)}")
        try:
            process = subprocess.Popen(command, env=env)
        except FileNotFoundError:
            log(f"command not found: {command[0]}")
            return 127
        try:
            return process.wait()
        except BaseException:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
            raise


if __name__ == "__main__":
    sys.exit(main())
