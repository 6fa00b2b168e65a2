# Les Ateliers marketplace — the two commands are `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := marketplace:create_app

.PHONY: run test web worker beat services browser translations messages lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed-run

translations: $(VENV)/.installed-run
	$(BIN)/pybabel compile --directory translations --use-fuzzy >/dev/null

## make messages: collect new UI strings into translations/en (then translate them, and `make translations`)
messages: $(VENV)/.installed-run
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k ngettext:1,2 -k _n:1,2 \
		--no-location --sort-output \
		--project "Les Ateliers marketplace" --version 1.0 -o translations/messages.pot . >/dev/null
	$(BIN)/pybabel update -i translations/messages.pot -d translations -l en --no-fuzzy-matching \
		--ignore-obsolete --ignore-pot-creation-date

## make run: the embedded hub (SQLite, in-process tasks, dev payment gateway, mail to files)
run: $(VENV)/.installed-run translations
	mkdir -p instance
	MARKETPLACE_ENV=development $(BIN)/flask db upgrade
	MARKETPLACE_ENV=development $(BIN)/flask demo seed
	MARKETPLACE_ENV=development $(BIN)/flask demo accounts
	MARKETPLACE_ENV=development $(BIN)/flask run --host 127.0.0.1 --port 5000

## make test: the whole suite against real PostgreSQL, Redis, a Celery worker and localstripe
test: $(VENV)/.installed-test translations services browser
	$(BIN)/python -m pytest $(PYTEST_ARGS)

services:
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@for i in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
	@redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
	@for i in $$(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 1; done

browser:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

## make web: the production web server (gunicorn on marketplace.wsgi:app; WEB_CONCURRENCY
## processes, default 4, on BIND, default 127.0.0.1:8000). The access log records paths
## without their query string, where guest-order and password-reset tokens travel.
web: $(VENV)/.installed-run
	$(BIN)/gunicorn --workers $${WEB_CONCURRENCY:-4} --bind $${BIND:-127.0.0.1:8000} \
		--access-logfile - --error-logfile - \
		--access-logformat '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms' \
		marketplace.wsgi:app

## make worker: a Celery worker (production settings: DATABASE_URL, REDIS_URL, SECRET_KEY…
## from the environment; WORKER_CONCURRENCY processes, default 4). Run one or more per machine.
worker: $(VENV)/.installed-run
	MARKETPLACE_ENV=$${MARKETPLACE_ENV:-production} $(BIN)/celery -A workers.celery_app worker \
		--loglevel INFO --pool prefork --concurrency $${WORKER_CONCURRENCY:-4} \
		--max-tasks-per-child 1000 --without-gossip --without-mingle

## make beat: the periodic-task scheduler. Exactly ONE in the whole deployment.
beat: $(VENV)/.installed-run
	mkdir -p $${BEAT_STATE_DIR:-instance}
	MARKETPLACE_ENV=$${MARKETPLACE_ENV:-production} $(BIN)/celery -A workers.celery_app beat \
		--loglevel INFO --schedule $${BEAT_STATE_DIR:-instance}/celerybeat-schedule

## make bench: catalogue pages against the ceiling page (BENCH_ARGS="--products 5000 --duration 3")
bench: $(VENV)/.installed-test services
	@command -v wrk >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null)
	$(BIN)/python bench/catalog_bench.py $(BENCH_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) instance .pytest_cache
