# Guichet: `make run` starts the product, `make test` runs every check.
# Everything is installed from the project's own pin and lock files.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3.11
UV_VERSION := 0.13.8
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
DEV_ENV := var/dev.env
# Development commands read the generated development settings.
WITH_DEV_ENV := set -a; . ./$(DEV_ENV); set +a;
PWA_SOURCES := $(shell find pwa/src pwa/scripts pwa/public pwa/index.html pwa/service-worker.js pwa/vite.config.ts pwa/tsconfig*.json -type f -not -name schema.d.ts -not -name definition.d.ts 2>/dev/null)
MO_FILES := $(patsubst %.po,%.mo,$(wildcard api/locale/*/LC_MESSAGES/django.po))
PORT ?= 8000
# The Python suite runs on every core (pytest-xdist; each worker has its own database).
PYTEST_ARGS ?= -n auto

.PHONY: help run test install lint typecheck migrations-check schema schema-check schema-lint pytest js-test browser-test browser-deps lock demo bench clean

help:
	@echo "make run    start Guichet on http://127.0.0.1:$(PORT) (SQLite, in-memory channel layer, demo content)"
	@echo "make test   run every check (lint, types, migrations, OpenAPI drift and lint, Python, JS and browser tests)"
	@echo "make schema regenerate schema/openapi.yaml after an API change"
	@echo "make lock   re-resolve requirements/dev.lock from pyproject.toml"
	@echo "make bench  run the benchmarks (figures in benchmarks/results/)"

# --- Installation ---------------------------------------------------------------

$(BIN)/.installed: requirements/dev.lock
	@command -v $(PYTHON) >/dev/null || { echo "Guichet needs Python 3.11 ($(PYTHON) not found)."; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip sync --quiet --python $(PY) requirements/dev.lock
	touch $@

pwa/node_modules/.installed: pwa/package-lock.json
	@command -v npm >/dev/null || { echo "Guichet needs Node 20 and npm."; exit 1; }
	cd pwa && npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(BIN)/.installed pwa/node_modules/.installed $(MO_FILES)

$(DEV_ENV): | $(BIN)/.installed
	$(PY) -m api.devenv $(DEV_ENV)

%.mo: %.po
	@command -v msgfmt >/dev/null || { echo "Compiling translations needs GNU gettext: apt-get install gettext"; exit 1; }
	msgfmt --check -o $@ $<

pwa/dist/index.html: pwa/node_modules/.installed schema/openapi.yaml schema/procedure-definition.schema.json $(PWA_SOURCES)
	cd pwa && npm run --silent build

lock: $(BIN)/.installed
	$(BIN)/uv pip compile --quiet pyproject.toml --extra dev --python-version 3.11 -o requirements/dev.lock

# --- Running ------------------------------------------------------------------------

run: install pwa/dist/index.html $(DEV_ENV)
	$(WITH_DEV_ENV) $(PY) manage.py migrate --noinput -v0
	$(WITH_DEV_ENV) $(PY) manage.py load_demo
	$(WITH_DEV_ENV) $(PY) manage.py collectstatic --noinput -v0
	@echo ""
	@echo "  Guichet is starting on http://127.0.0.1:$(PORT)/  (API: /api/, docs: /api/docs/, admin: /admin/)"
	@echo ""
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho start -f Procfile -e $(DEV_ENV) -p $(PORT) web worker

demo: install $(DEV_ENV)
	$(WITH_DEV_ENV) $(PY) manage.py migrate --noinput -v0
	$(WITH_DEV_ENV) $(PY) manage.py load_demo

# --- Checks -----------------------------------------------------------------------------

test: install lint typecheck migrations-check schema-check schema-lint pytest js-test browser-test
	@echo "All checks passed."

lint: $(BIN)/.installed pwa/node_modules/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	cd pwa && npm run --silent types >/dev/null && npm run --silent lint

typecheck: $(BIN)/.installed pwa/node_modules/.installed
	GUICHET_ENV=test $(BIN)/mypy api
	cd pwa && npm run --silent types >/dev/null && npm run --silent typecheck

migrations-check: $(BIN)/.installed
	GUICHET_ENV=test DATABASE_URL=sqlite://:memory: $(PY) manage.py makemigrations --check --dry-run

schema: $(BIN)/.installed
	GUICHET_ENV=test $(PY) manage.py spectacular --lang en --validate --fail-on-warn --file schema/openapi.yaml

schema-check: $(BIN)/.installed
	@tmp=$$(mktemp); trap 'rm -f $$tmp' EXIT; \
	GUICHET_ENV=test $(PY) manage.py spectacular --lang en --validate --fail-on-warn --file $$tmp; \
	if ! diff -u schema/openapi.yaml $$tmp; then \
	  echo "schema/openapi.yaml is out of date with the code: run 'make schema' and commit it."; exit 1; fi; \
	echo "schema/openapi.yaml matches the code."

schema-lint: pwa/node_modules/.installed
	cd pwa && npx redocly lint ../schema/openapi.yaml --config ../schema/redocly.yaml --format=summary

pytest: $(BIN)/.installed $(MO_FILES)
	mkdir -p var
	$(BIN)/pytest $(PYTEST_ARGS)

js-test: pwa/node_modules/.installed pwa/dist/index.html
	cd pwa && npx vitest run

browser-deps:
	@if ! command -v chromium >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's Chromium for the browser tests…"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "The browser tests need Debian's Chromium: run 'sudo apt-get install chromium' (it must provide /usr/bin/chromium)."; \
	    exit 1; \
	  fi; \
	fi

browser-test: browser-deps install pwa/dist/index.html
	cd pwa && npm run --silent test:browser

bench: install browser-deps pwa/dist/index.html
	$(PY) -m benchmarks.forms
	$(PY) -m benchmarks.inbox
	$(PY) -m benchmarks.cost
	$(PY) -m benchmarks.notify
	$(PY) -m benchmarks.realtime
	node benchmarks/widgets.mjs
	node benchmarks/app.mjs
	node benchmarks/inbox_browser.mjs

clean:
	rm -rf pwa/dist var/test-db.sqlite3 .pytest_cache .mypy_cache .ruff_cache
