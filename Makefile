# Partnership Directory: `make run` sets everything up and serves the site; `make test` runs every test.
#
# Works on a fresh Debian machine with only python3 + pip (and PostgreSQL server binaries for
# the PostgreSQL test run): uv, the virtualenv, gettext, chromium and node modules are
# installed on demand. Every target is safe to run again.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON_VERSION ?= 3.11
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
PYTEST_ARGS ?=
# uv on PATH, else where `pip install --user` puts it.
UV := $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
# apt-get as root, or through sudo when available.
APT := $(shell if [ "$$(id -u)" = 0 ]; then echo apt-get; elif command -v sudo >/dev/null 2>&1; then echo "sudo apt-get"; else echo apt-get; fi)
APT_ENV := DEBIAN_FRONTEND=noninteractive

.PHONY: help run test test-sqlite test-postgres test-deps check-migrations lint format \
	setup uv venv gettext messages chromium node-deps migrate load-data demo-accounts \
	collectstatic clean bench loadtest

help:
	@echo "make run            install, migrate, load data, create demo accounts, serve on 127.0.0.1:$(PORT)"
	@echo "make test           lint + migrations check + pytest on SQLite, then on a throwaway PostgreSQL"
	@echo "make test-sqlite    pytest on SQLite only        (PYTEST_ARGS=... to pass options)"
	@echo "make test-postgres  pytest on a throwaway PostgreSQL cluster only (no browser tests)"
	@echo "make lint           ruff check + ruff format --check"
	@echo "make bench          speed at 100 and 10,000 partnerships on a throwaway PostgreSQL; writes BENCHMARKS.md"
	@echo "make loadtest       50 clients for 30 s against gunicorn + PostgreSQL; fails on any error"
	@echo "make format         ruff format + ruff check --fix"

# --- installation ------------------------------------------------------------------------

uv:
	@if [ ! -x "$(UV)" ]; then \
		echo "==> Installing uv from PyPI"; \
		python3 -m pip install --user --quiet --root-user-action=ignore uv 2>/dev/null \
			|| python3 -m pip install --user --quiet --root-user-action=ignore --break-system-packages uv; \
	fi
	@test -x "$(UV)" || { echo "uv not found at $(UV) after installing it" >&2; exit 1; }

venv: uv
	@echo "==> Installing Python dependencies (uv sync --frozen)"
	@$(UV) sync --frozen --quiet --python $(PYTHON_VERSION)

setup: venv gettext messages

# GNU gettext's msgfmt is needed by compilemessages.
gettext:
	@if ! command -v msgfmt >/dev/null 2>&1; then \
		echo "==> Installing GNU gettext (Debian package gettext)"; \
		$(APT_ENV) $(APT) update -qq; \
		$(APT_ENV) $(APT) install -y -qq gettext; \
	fi

# Compile the translation catalogues (locale/*/LC_MESSAGES/*.po -> .mo), if there are any.
messages: venv gettext
	@if [ -d locale ] && [ -n "$$(find locale -name '*.po' -print -quit)" ]; then \
		echo "==> Compiling translations"; \
		$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules --verbosity 0; \
	else \
		echo "==> No translation catalogues under locale/: skipping compilemessages"; \
	fi

# Headless Chromium for the browser tests (Debian packages; never `playwright install`).
chromium:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then \
		echo "==> Installing Debian chromium and chromium-driver"; \
		$(APT_ENV) $(APT) update -qq; \
		$(APT_ENV) $(APT) install -y -qq --no-install-recommends chromium chromium-driver; \
	fi

# Node packages the browser tests load into pages (axe-core), from package-lock.json.
node-deps:
	@if [ -f package.json ]; then \
		if ! command -v npm >/dev/null 2>&1; then \
			echo "==> Installing Debian nodejs and npm"; \
			$(APT_ENV) $(APT) update -qq; \
			$(APT_ENV) $(APT) install -y -qq --no-install-recommends nodejs npm; \
		fi; \
		if [ ! -f node_modules/.package-lock.json ] \
			|| [ package-lock.json -nt node_modules/.package-lock.json ] \
			|| [ package.json -nt node_modules/.package-lock.json ]; then \
			echo "==> npm ci"; \
			npm ci --no-audit --no-fund --loglevel=error; \
		fi; \
	fi

test-deps: venv gettext messages chromium node-deps

# --- running -----------------------------------------------------------------------------

migrate: venv
	@echo "==> Applying migrations"
	@$(MANAGE) migrate --noinput

load-data: migrate
	@echo "==> Loading the real partnership data"
	@$(MANAGE) load_real_data
	@echo "==> Loading demo data (councils, working groups, plans: sample data, marked as such)"
	@$(MANAGE) load_demo_data --i-understand-this-is-sample-data

demo-accounts: migrate
	@$(MANAGE) create_demo_accounts

collectstatic: venv
	@$(MANAGE) collectstatic --noinput --verbosity 0

run: setup collectstatic load-data demo-accounts
	@echo "==> Serving http://127.0.0.1:$(PORT)/  (admin: http://127.0.0.1:$(PORT)/admin/; Ctrl-C to stop)"
	@exec $(MANAGE) runserver 127.0.0.1:$(PORT)

# --- checks and tests --------------------------------------------------------------------

lint: venv
	@echo "==> ruff check + ruff format --check"
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .

format: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check-migrations: venv
	@echo "==> makemigrations --check --dry-run"
	@$(MANAGE) makemigrations --check --dry-run

# pytest exits 5 when it collects no tests: report it, and fail like any other failure.
# $(1): command prefix; $(2): pytest options of the target, before $(PYTEST_ARGS) (a later -m
# in PYTEST_ARGS replaces the target's).
define run_pytest
	rc=0; $(1) $(VENV)/bin/pytest $(2) $(PYTEST_ARGS) || rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "ERROR: pytest collected no tests" >&2; fi; \
	exit $$rc
endef

test-sqlite: test-deps
	@echo "==> pytest on SQLite"
	@start=$$(date +%s); \
	( export DATABASE_URL=; $(call run_pytest,) ); \
	echo "==> SQLite run took $$(( $$(date +%s) - start ))s"

# The browser tests (marker "browser") drive pages, not SQL: they run on SQLite only.
test-postgres: test-deps
	@echo "==> pytest on a throwaway PostgreSQL cluster (browser tests: SQLite run only)"
	@start=$$(date +%s); \
	( $(call run_pytest,$(PY) scripts/with_postgres.py --,-m "not browser") ); \
	echo "==> PostgreSQL run took $$(( $$(date +%s) - start ))s"

test: test-deps lint check-migrations test-sqlite test-postgres

# --- speed and load ----------------------------------------------------------------------

# About 7 minutes on 2 cores, two of them seeding 10,000 synthetic partnerships
# (BENCH_ARGS="--partnerships 1000 --samples 30" for less).
BENCH_ARGS ?=
bench: venv gettext messages
	@$(PY) scripts/bench.py $(BENCH_ARGS)

# About 2 minutes: set-up (data + 1,000 synthetic partnerships), then 30 s of load.
LOADTEST_ARGS ?=
loadtest: venv gettext messages
	@$(PY) scripts/loadtest/run.py $(LOADTEST_ARGS)

clean:
	rm -rf staticfiles test-artifacts .pytest_cache .ruff_cache .hypothesis
