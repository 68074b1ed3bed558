# Partnership Directory: `make run` sets everything up and serves the site; `make test` runs every test.
SHELL := /bin/bash
PYTHON_VERSION ?= 3.11
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
UV := $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)

.PHONY: run test setup venv uv lint format messages

uv:
	@if ! command -v uv >/dev/null 2>&1 && [ ! -x "$(HOME)/.local/bin/uv" ]; then \
		echo "Installing uv from PyPI..."; \
		python3 -m pip install --user --quiet uv || python3 -m pip install --quiet uv; \
	fi

venv: uv
	@$(UV) sync --frozen --python $(PYTHON_VERSION)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .
