# The two commands a new user needs:  make run  and  make test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: setup run serve test test-sqlite test-postgres screenshots lint format clean

setup: $(VENV)/.installed static/build/tracker.css

# GOV.UK Frontend from npm (never committed) and our Sass compiled against it.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/build/tracker.css: node_modules/.installed frontend/tracker.scss
	npm run --silent build

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

## Set up, migrate, load the demo data and run the web server with the django-q2 worker.
run: setup
	bash scripts/run.sh

## The same with the production web server (gunicorn) and production settings, over http.
serve: setup
	bash scripts/serve.sh

## Set up and run every test: the suite on SQLite, then again on PostgreSQL.
test: setup test-sqlite test-postgres

test-sqlite: setup
	$(BIN)/pytest

test-postgres: setup
	DATABASE_URL=$(POSTGRES_URL) $(BIN)/pytest

## Regenerate docs/screenshots/ (the demo data in Debian's Chromium; see scripts/screenshots.py).
screenshots: setup
	$(BIN)/python scripts/screenshots.py

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) node_modules static/build staticfiles .pytest_cache .ruff_cache .mypy_cache
