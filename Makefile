# Steward: `make run` serves it with demo data; `make test` runs lint and the whole test suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STEWARD_PORT ?= 8000
export STEWARD_PORT
# pytest-xdist workers; `make test PYTEST_WORKERS=0` runs in one process.
PYTEST_WORKERS ?= auto
PYTEST_ARGS ?=

.PHONY: run test venv dev-venv lint format migrate demo chromium openapi check-openapi clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml
	$(PIP) install --quiet -e '.[dev]'
	touch $@

venv: $(VENV)/.installed
dev-venv: $(VENV)/.installed-dev

## Set up and start Steward on the embedded SQLite database with demo data.
run: venv
	$(PY) manage.py migrate --no-input
	$(PY) manage.py collectstatic --no-input --verbosity 0
	$(PY) manage.py load_demo --once
	$(PY) manage.py serve --port $(STEWARD_PORT)

migrate: venv
	$(PY) manage.py migrate --no-input

demo: migrate
	$(PY) manage.py load_demo

## Debian's Chromium and its driver drive the browser tests (no browser download).
chromium:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
		echo "Installing Debian's chromium and chromium-driver"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium chromium-driver; \
	fi

lint: dev-venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: dev-venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## Set up and run the whole test suite (lint, then pytest on SQLite, or on DATABASE_URL if set).
test: dev-venv chromium lint
	$(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

openapi: dev-venv
	$(PY) manage.py export_openapi > docs/openapi.json

check-openapi: dev-venv
	$(PY) manage.py export_openapi --check docs/openapi.json

clean:
	rm -rf $(VENV) var .pytest_cache test-artifacts
