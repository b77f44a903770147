# Two entry points for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
POSTGRES_TEST_URL ?= postgres://postgres@127.0.0.1:5432/test
export REDIS_TEST_URL ?= redis://127.0.0.1:6379/15

.PHONY: run test lint format bench screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

run: $(VENV)/.installed
	DEBUG=true $(BIN)/python manage.py migrate --no-input
	DEBUG=true $(BIN)/python manage.py setup_demo
	@echo "Open http://$(HOST):$(PORT)/admin/ (sandbox API, in-process tasks, SQLite)."
	@# Without a broker the per-minute sweep (retries, scheduled sends) runs beside the server.
	export DEBUG=true INTERVIEWFLOW_SANDBOX_URL=http://$(HOST):$(PORT)/sandbox; \
		$(BIN)/python manage.py delivery_sweep --every 60 & sweep=$$!; \
		trap 'kill $$sweep 2>/dev/null' EXIT INT TERM; \
		$(BIN)/python manage.py runserver $(HOST):$(PORT)

# The whole suite: everything on SQLite, then the tests that need PostgreSQL and Redis on
# PostgreSQL (they skip, saying what to start, where those services are missing; with
# REQUIRE_SERVICES=1, as in CI, they fail instead).
test: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/pytest -m "not services"
	DATABASE_URL=$(POSTGRES_TEST_URL) $(BIN)/pytest -m services

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

screenshots: $(VENV)/.installed
	UPDATE_SCREENSHOTS=1 $(BIN)/pytest tests/e2e

bench: $(VENV)/.installed
	$(BIN)/python bench/import_bench.py
	$(BIN)/python bench/push_bench.py
	$(BIN)/python bench/admin_bench.py
	$(BIN)/python bench/export_bench.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache
