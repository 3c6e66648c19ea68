# xxgk — two commands for a newcomer: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test lint typecheck unit bench clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "xxgk needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

$(VENV)/.installed-web: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[web]'
	touch $@ $(VENV)/.installed

# The demo's store: an SQLite file here (a second `make demo` finds every report stored already).
DEMO_DB ?= sqlite:///$(CURDIR)/xxgk.db
# Empty: port 8000, or the next free one when 8000 is in use. `make demo DEMO_PORT=8001` chooses one.
DEMO_PORT ?=
# One report drawn in the terminal (tables, flagged rows, findings); all of examples/ is ingested.
DEMO_REPORT ?= examples/hongze_2024.txt
# The demo's sign-in (a demo only: real users are added with `xxgk users add NAME --role …`).
DEMO_USER ?= demo
DEMO_PASSWORD ?= demo-password

## Install, draw one example report's tables, store the real reports shipped in examples/ (15, several
## years and regions) in the embedded database and print their findings and stats; then fill a demo
## register, add the demo user and serve the web app.
demo: $(VENV)/.installed-web
	$(BIN)/xxgk parse $(DEMO_REPORT)
	$(BIN)/xxgk ingest examples/ --db $(DEMO_DB) --quiet
	$(BIN)/xxgk findings --db $(DEMO_DB)
	$(BIN)/xxgk stats --db $(DEMO_DB)
	$(BIN)/xxgk demo-register --db $(DEMO_DB)
	@printf '%s\n' '$(DEMO_PASSWORD)' | $(BIN)/xxgk users add $(DEMO_USER) --role admin --db $(DEMO_DB) --password-stdin 2>/dev/null || true
	$(BIN)/xxgk users list --db $(DEMO_DB)
	@echo "登记簿演示账号 / demo sign-in：$(DEMO_USER) / $(DEMO_PASSWORD)"
	@# Exit status 2 is xxgk's own one-line error (a port in use, …): make need not add a line of its own.
	@$(BIN)/xxgk serve --db $(DEMO_DB) $(if $(DEMO_PORT),--port $(DEMO_PORT)) || [ $$? -eq 2 ]

## Install with the dev extras, then lint, type-check and run the whole test suite.
test: $(VENV)/.installed-dev lint typecheck unit

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests bench

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy

# pytest exits 5 when it collects no test: make treats that as the failure it is.
unit: $(VENV)/.installed-dev
	$(BIN)/pytest

bench: $(VENV)/.installed
	$(BIN)/python bench/parse.py
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/review.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
