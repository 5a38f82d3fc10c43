# Wingman: `make run` serves the demo, `make test` runs ruff and the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
WORKERS ?= 2
PYTEST_WORKERS ?= 2

.PHONY: run dev test lint format install install-dev migrate demo bench bench-evidence loadtest loadtest-engagement clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py seed_demo

## Serve the demo site on SQLite with gunicorn at http://127.0.0.1:$(PORT), with the
## task worker (db_worker) beside it; Ctrl-C stops both (enablement/serve.py)
run: demo
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@echo ""
	@echo "  Wingman is at http://127.0.0.1:$(PORT)"
	@echo "  Demo logins (password 'wingman'): rep, partner, marketer, admin"
	@echo "  Previews are made by the task worker started beside the site;"
	@echo "  Ctrl-C stops both."
	@echo ""
	DJANGO_SECURE_SSL_REDIRECT=false DJANGO_SECURE_COOKIES=false DJANGO_HSTS_SECONDS=0 \
	$(BIN)/python -m enablement.serve --bind 127.0.0.1:$(PORT) --workers $(WORKERS) -- \
		--access-logfile - --logger-class enablement.gunicorn_conf.TokenRedactingLogger \
		--timeout 120

## Development server with DEBUG on and auto-reload
dev: demo
	DJANGO_DEBUG=true $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## ruff and the whole pytest suite (set DATABASE_URL to run it on PostgreSQL).
## --dist loadgroup: tests go one by one to whichever worker is free (no file holds
## a worker to the end), except a named group, such as the demo tests that share one
## seeded database (tests/conftest.py), which goes to one worker in a row.
test: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/pytest -rfEs -n $(PYTEST_WORKERS) --dist loadgroup

## Mutation testing of the rule modules (slow, so not part of `make test`):
## each module's score and surviving mutants. MUTATION_MODULES=roles runs one.
MUTATION_CHILDREN ?= 2
MUTATION_MODULES ?=
.PHONY: mutation
mutation: install-dev
	nice -n 10 $(BIN)/python tests/mutation/run_mutation.py \
		--max-children $(MUTATION_CHILDREN) $(MUTATION_MODULES)

## Search quality on the demo library: hit@1, hit@5, MRR of keyword-only and
## hybrid search over tests/search_eval/queries.json, and the misses of each
.PHONY: searcheval
searcheval: install-dev
	$(BIN)/python tests/search_eval/run_eval.py

## Benchmark (needs wrk): SQLite, and PostgreSQL too when DATABASE_URL is set
bench: install-dev
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python tests/bench/run_bench.py $(BENCH_ARGS)
	$(BIN)/python tests/bench/recommendations_eval.py

## Evidence check: seed_scale's planted effects against the dashboard's verdicts
bench-evidence: install-dev
	nice -n 5 $(BIN)/python tests/bench/evidence_eval.py $(EVIDENCE_ARGS)

## Load test: locust, 50 users for 60 s, then every acknowledged write is counted
loadtest: install-dev
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python tests/load/run_load.py $(LOAD_ARGS)

# 200 prospects' heartbeats for 60 s while 5 reps work (tests/load/engagement.py).
loadtest-engagement: install-dev
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python tests/load/run_load.py --scenario engagement $(LOAD_ARGS)

clean:
	rm -rf $(VENV) staticfiles
