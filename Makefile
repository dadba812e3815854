# Two commands matter: `make run` (the demo at http://127.0.0.1:8050) and `make test`.
# Every target creates .venv and installs what it needs on first use.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint bench install clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Concord needs Python 3.11 or newer (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/concord --data-dir var/demo demo

# One worker per core (at most 4): the suite is CPU-bound, and run serially it took 7-8 min
# of CI's 10 on a 2-core machine. Tests share no files, ports or schemas (each has its own
# tmp_path, free port and PostgreSQL schema), so they run in any order on any worker.
test: $(STAMP)
	$(BIN)/python -m pytest --numprocesses auto --maxprocesses 4 --dist worksteal

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

bench: $(STAMP)
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/analytics.py

clean:
	rm -rf var/demo .pytest_cache .ruff_cache
