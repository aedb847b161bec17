# Kinerja — the two set-up commands are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app run
HOST ?= 127.0.0.1
PORT ?= 5000
EMPLOYEES ?= 300
GUNICORN_WORKERS ?= 2
GUNICORN_THREADS ?= 4
GUNICORN_BIND ?= $(HOST):$(PORT)
# pytest-xdist processes for `make test`, each with its own database (test_gw1…) and Redis index
TEST_WORKERS ?= 2

.PHONY: run e2e serve serve-prod worker test lint format translations babel-extract babel-update babel-compile \
        browser bench clean audit prod-check

run: $(VENV)/.runtime translations ## Install, prepare the SQLite demo and serve on http://127.0.0.1:5000
	@mkdir -p instance
	$(FLASK) kinerja init
	$(FLASK) kinerja demo --employees $(EMPLOYEES)
	@echo ""
	@echo "Kinerja is starting on http://$(HOST):$(PORT) — sign in as admin / $${KINERJA_DEMO_PASSWORD:-kinerja-demo}"
	@if [ -z "$$REDIS_URL" ]; then echo "Background jobs run inline (set REDIS_URL and run 'make worker' to use RQ)."; fi
	$(FLASK) run --host $(HOST) --port $(PORT)

serve: $(VENV)/.runtime translations ## Serve without re-running init and demo
	$(FLASK) run --host $(HOST) --port $(PORT)

serve-prod: $(VENV)/.runtime translations ## Production server: gunicorn, GUNICORN_WORKERS (2) x GUNICORN_THREADS (4) on GUNICORN_BIND
	KINERJA_ENV=$${KINERJA_ENV:-production} $(BIN)/gunicorn --workers $(GUNICORN_WORKERS) \
	  --worker-class gthread --threads $(GUNICORN_THREADS) --keep-alive 5 \
	  --bind $(GUNICORN_BIND) --access-logfile - run:app

worker: $(VENV)/.runtime translations ## Run the RQ worker with its retry and cron schedulers (needs REDIS_URL)
	$(FLASK) kinerja worker

test: $(VENV)/.dev translations browser ## Run the whole suite against real PostgreSQL and Redis
	@$(BIN)/python -m tests.services_check
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile -m "not journey" $(PYTEST_ARGS)

e2e: $(VENV)/.dev translations browser ## The journeys in headless Chromium (server, RQ worker, SMTP sink); screenshots in test-artifacts/
	@$(BIN)/python -m tests.services_check
	$(BIN)/python -m pytest -m journey tests/journeys $(PYTEST_ARGS)

lint: $(VENV)/.dev ## ruff, mypy and the import contracts
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

format: $(VENV)/.dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=python3.11).")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.runtime

translations: $(VENV)/.runtime ## Compile the .po catalogues (the .mo files are not committed)
	@$(BIN)/pybabel -q compile --use-fuzzy -d translations

babel-extract: $(VENV)/.runtime ## Extract kinerja's and Flask-AppBuilder's strings into messages.pot
	$(BIN)/pybabel -q extract -F babel.cfg --no-location --sort-output \
	  -k _l -k lazy_gettext -k N_ -k __ -o translations/messages.pot \
	  kinerja "$$($(BIN)/python -c 'import flask_appbuilder, os; print(os.path.dirname(flask_appbuilder.__file__))')"

babel-update: babel-extract ## Merge messages.pot into the id and en catalogues
	$(BIN)/pybabel update -N -i translations/messages.pot -d translations

babel-compile: translations

browser: ## Headless Chromium for the browser tests (Debian's package)
	@[ -n "$$KINERJA_CHROMIUM" ] || command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Chromium for the browser tests (apt-get)…"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null) \
	      || { echo "Chromium could not be installed: install the 'chromium' package."; exit 1; }; \
	  else echo "Chromium is missing: install it (apt-get install chromium) or set KINERJA_CHROMIUM."; exit 1; fi; }

bench: $(VENV)/.runtime ## Benchmarks: make bench BENCH=org
	$(FLASK) kinerja bench $(or $(BENCH),org)

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache .mypy_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
	find translations -name '*.mo' -delete

audit: $(VENV)/.dev ## bandit (no high finding) and pip-audit (no known vulnerability); fails if pip-audit cannot reach its database
	@.ci/audit

prod-check: $(VENV)/.runtime ## Refuse an unsafe production configuration (default secret, debug, SQLite, demo logins)
	@KINERJA_ENV=$${KINERJA_ENV:-production} $(BIN)/python -m kinerja.prod_check
