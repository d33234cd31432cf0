# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
# pytest-xdist workers; this team's machines have 2 cores
WORKERS ?= 2
PYTEST_ARGS ?=
HOST ?= 127.0.0.1:8000

.PHONY: run test install lint seed clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

## set up everything and serve the portal on http://127.0.0.1:8000 (SQLite under var/, seed data, demo accounts)
run: $(STAMP)
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed
	$(BIN)/python manage.py create_demo_accounts
	@echo "ポータル: http://$(HOST)/  （デモ用アカウントのパスワードはすべて demo）"
	$(BIN)/python manage.py runserver $(HOST)

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

clean:
	rm -rf $(VENV) var staticfiles
