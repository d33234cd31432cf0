# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Exact versions come from the lock files (`make lock` regenerates them from pyproject.toml's ranges);
# the stamp changes with them, so an edited lock re-installs.
LOCKS := requirements.lock requirements-dev.lock
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml $(LOCKS) 2>/dev/null | cksum | cut -d' ' -f1)
# pytest-xdist workers; this team's machines have 2 cores
WORKERS ?= 2
PYTEST_ARGS ?=
HOST ?= 127.0.0.1:8000

# pip-compile's options for both lock files (the venv's pip config may name local indexes; keep them out)
# (--allow-unsafe: pip and setuptools, which pip-tools needs, are pinned too)
PIP_COMPILE := $(BIN)/pip-compile --quiet --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links --no-emit-trusted-host
# `make lock LOCK_ARGS=--upgrade` moves every pin to the newest version the ranges allow
LOCK_ARGS ?=

.PHONY: run test install lint lock seed clean messages screenshots

$(STAMP): pyproject.toml $(LOCKS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m pip check
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

## set up everything and serve the portal on http://127.0.0.1:8000 (SQLite under var/, seed data, demo accounts;
## mail is written under var/mail/ unless EMAIL_URL is set) with gunicorn as in production
## (config/gunicorn.conf.py: a bounded number of threads; see there why not runserver), local settings
## (DEBUG, static files from whitenoise) and a restart when code or a template changes
run: $(STAMP)
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed
	$(BIN)/python manage.py create_demo_accounts
	@echo "ポータル: http://$(HOST)/  （デモ用アカウントのパスワードはすべて demo）"
	@echo "メール: $${EMAIL_URL:-var/mail/ にファイルで保存}（README「メールと催促」）"
	DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-config.settings.local} GUNICORN_RELOAD=1 \
		$(BIN)/gunicorn -c config/gunicorn.conf.py config.wsgi:application --bind $(HOST) --access-logfile -

## lint, check formatting and types (mypy) and run the whole test suite (DATABASE_URL selects PostgreSQL; default SQLite)
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -n $(WORKERS) $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

## screenshots of the main pages at 390, 1366 and 1920 px (test-artifacts/screens/<width>/; needs chromium)
screenshots: $(STAMP)
	VENV=$(VENV) scripts/screenshots.sh

## regenerate the lock files from pyproject.toml (runtime: requirements.lock; dev and tests: requirements-dev.lock,
## with the runtime pins as constraints so both agree)
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	test -x $(BIN)/pip-compile || $(BIN)/python -m pip install --quiet pip-tools
	CUSTOM_COMPILE_COMMAND="make lock  # $(notdir $(PIP_COMPILE)) -o requirements.lock pyproject.toml" \
		$(PIP_COMPILE) $(LOCK_ARGS) -o requirements.lock pyproject.toml
	CUSTOM_COMPILE_COMMAND="make lock  # $(notdir $(PIP_COMPILE)) --extra dev -c requirements.lock -o requirements-dev.lock pyproject.toml" \
		$(PIP_COMPILE) $(LOCK_ARGS) --extra dev -c requirements.lock -o requirements-dev.lock pyproject.toml

## compile the portal's own wording over the libraries' (locale/ja/LC_MESSAGES/django.po; needs gettext)
messages: $(STAMP)
	$(BIN)/python manage.py compilemessages --locale ja --ignore .venv

clean:
	rm -rf $(VENV) var staticfiles
