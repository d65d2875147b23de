# The two commands a newcomer needs: `make run` and `make test`. Everything else is a step of those.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON_VERSION := $(shell cat .python-version)
# pyenv reads .python-version; otherwise take python3.12 (or newer) from the PATH.
PYTHON ?= $(shell (pyenv which python 2>/dev/null) || command -v python$(PYTHON_VERSION) || command -v python3.13 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
MANAGE := $(BIN)/python manage.py
STAMP := $(VENV)/.installed-$(shell sha1sum requirements.lock | cut -c1-12)

.PHONY: bench bench-smoke workflow-graph messages-update help run test setup system-deps browser-deps messages migrate demo lint check pytest lock clean

help:
	@echo "make run    set up, load demo data and serve on http://127.0.0.1:8000 (SQLite, tasks in-process)"
	@echo "make test   set up (with headless chromium) and run the whole test suite"
	@echo "make check  linters, import contracts, the catalogue, migration and deploy checks CI runs"

$(STAMP): requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else "Python 3.12 or newer is needed (see .python-version); found " + sys.version)'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip sync -q --python $(BIN)/python requirements.lock
	@rm -f $(VENV)/.installed-* && touch $@

setup: system-deps $(STAMP) messages

system-deps:
	@bash scripts/system_deps.sh

browser-deps:
	@bash scripts/system_deps.sh --browser

messages: $(STAMP)
	$(MANAGE) compilemessages -v0 --ignore=.venv

migrate: setup
	$(MANAGE) migrate -v0

demo: migrate
	$(MANAGE) load_demo

run: demo
	@echo "Serving on http://127.0.0.1:8000 (Ctrl-C stops it)"
	$(MANAGE) runserver 127.0.0.1:8000

pytest:
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test: setup browser-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint --check templates --quiet || (echo "djlint: run '$(BIN)/djlint --reformat templates'"; exit 1)
	$(BIN)/djlint --lint templates

check: lint messages
	$(BIN)/lint-imports
	$(BIN)/python scripts/check_structure.py
	$(MANAGE) makemigrations --check --dry-run
	$(BIN)/python scripts/check_messages.py
	DJANGO_SETTINGS_MODULE=returns_portal.settings.production DJANGO_SECRET_KEY=$$(head -c 48 /dev/urandom | base64) \
	  DJANGO_ALLOWED_HOSTS=returns.example DATABASE_URL=postgres://u:p@db:5432/rp REDIS_URL=redis://redis:6379/0 CACHE_URL=rediscache://redis:6379/1 \
	  $(MANAGE) check --deploy --fail-level WARNING

# Needs PostgreSQL and Redis (benchmarks/README.md); the full set takes about an hour at 1,000,000 cases.
bench: $(STAMP)
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)

bench-smoke: $(STAMP)
	$(BIN)/python scripts/bench.py --smoke

workflow-graph: $(STAMP)
	$(MANAGE) graph_transitions rma.ReturnCase > docs/workflow.dot
	dot -Tpng docs/workflow.dot -o docs/workflow.png

lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --group dev -o requirements.lock --generate-hashes --python-version 3.12 -q

clean:
	rm -rf $(VENV) db.sqlite3 media .test-media staticfiles

messages-update: $(STAMP)
	$(MANAGE) makemessages --all --no-location --no-obsolete -v0 --ignore=.venv --ignore=staticfiles --ignore=tests --ignore=benchmarks
