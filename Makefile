# Oncoregistry: `make run` serves the site, `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test fuzz lint migrate fixtures superuser worker beat messages bench clean

$(VENV)/bin/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(PY) -m pip install -q -e ".[dev]"
	touch $@

# Compiles locale/*.po when gettext is installed; otherwise the committed .mo files are used.
messages: $(VENV)/.installed
	@if ! ls locale/*/LC_MESSAGES/django.po >/dev/null 2>&1; then :; \
	elif command -v msgfmt >/dev/null 2>&1; then \
		ONCOREGISTRY_ENV=local $(PY) manage.py compilemessages -v0 --ignore .venv; \
	else echo "msgfmt not found: using the committed .mo files"; fi

run: export ONCOREGISTRY_ENV := local
run: $(VENV)/.installed messages
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py load_registry
	$(PY) manage.py refresh_stats --quiet
	$(PY) manage.py refresh_commitments -v0
	@echo
	@echo "Oncoregistry is starting on http://127.0.0.1:$(PORT)/"
	@echo "  site:     http://127.0.0.1:$(PORT)/"
	@echo "  admin:    http://127.0.0.1:$(PORT)/admin/"
	@echo "  API:      http://127.0.0.1:$(PORT)/api/v1/   (docs: /api/docs/, schema: /api/schema/)"
	@$(PY) manage.py ensure_local_admin
	@echo
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

superuser: export ONCOREGISTRY_ENV := local
superuser: $(VENV)/.installed
	$(PY) manage.py createsuperuser

worker: $(VENV)/.installed
	$(VENV)/bin/celery -A oncoregistry worker -l info --concurrency 2

beat: $(VENV)/.installed
	$(VENV)/bin/celery -A oncoregistry beat -l info

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/ruff format --check . || true

test: export ONCOREGISTRY_ENV := test
# Both of CI's cores; a file's tests stay on one worker (they share module fixtures).
test: PYTEST_ARGS ?= -n auto --dist loadfile
test: $(VENV)/.installed-dev messages
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run -v0
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# Schemathesis with every check and its stateful phase, anonymous and with an editor's
# token, on a longer budget than make test's (FUZZ_EXAMPLES per operation, FUZZ_STEPS).
FUZZ_EXAMPLES ?= 50
FUZZ_STEPS ?= 30
fuzz: export ONCOREGISTRY_ENV := test
fuzz: $(VENV)/.installed-dev
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) FUZZ_STEPS=$(FUZZ_STEPS) $(VENV)/bin/pytest -q tests/security/test_fuzz.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles

# The benchmark (bench/, docs/performance.md): PostgreSQL, one fresh database per scale,
# timed by wrk (Debian's package, installed here if missing), Datasette from the bench extra.
# BENCH_ARGS="--only import" times the spreadsheet import alone (no servers).
SCALES ?= 1000,10000,100000
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/oncoregistry_bench
BENCH_ARGS ?=
$(VENV)/.installed-bench: pyproject.toml $(VENV)/.installed-dev
	$(PY) -m pip install -q -e ".[dev,bench]"
	touch $@

bench: export ONCOREGISTRY_ENV := local
bench: $(VENV)/.installed-bench
	@command -v wrk >/dev/null 2>&1 || { export DEBIAN_FRONTEND=noninteractive; \
		apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
	$(PY) -m bench.run --scales $(SCALES) --database-url $(BENCH_DATABASE_URL) $(BENCH_ARGS)
