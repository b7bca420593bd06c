# The developer verbs. `make run` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
FLASK := FLASK_APP=wwc_community $(BIN)/flask
# Two workers: the suite's wall time roughly halves on a 2-core machine.
PYTEST_WORKERS ?= 2

PROD_STAMP := $(VENV)/.production-stamp

.PHONY: install install-production run serve setup test test-browser lint format clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

$(PROD_STAMP): $(STAMP)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[production]'
	touch $(PROD_STAMP)

install-production: $(PROD_STAMP)

setup: install
	$(FLASK) db upgrade
	$(FLASK) cities import --if-empty
	$(FLASK) seed-demo
	$(FLASK) search sync

run: setup
	@echo "Serving WWC Community at http://127.0.0.1:5000 (Ctrl+C to stop)."
	@echo "Mail is written to instance/outbox/ and its links are logged below."
	$(FLASK) run --host 127.0.0.1 --port 5000

# Production: gunicorn (gunicorn.conf.py) with the search worker beside it. Needs
# SECRET_KEY; DATABASE_URL for PostgreSQL (otherwise SQLite in instance/).
serve: install-production
	WWC_CONFIG=production $(FLASK) db upgrade
	WWC_CONFIG=production $(BIN)/gunicorn -c gunicorn.conf.py

test: install
	$(BIN)/ruff check .
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup

test-browser: install
	$(BIN)/pytest -m browser

lint: install
	$(BIN)/ruff check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
