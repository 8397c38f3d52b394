# Every target sets up .venv itself, so a fresh clone needs only `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DB     ?= archive.db

.PHONY: install install-test run demo test lint format bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q -e '.[test,bench]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

## Crawl the shipped sites into ./archive.db (needs internet).
run: install
	$(BIN)/arsip crawl --db $(DB)

## Offline demo: serve the bundled demo site on 127.0.0.1, crawl, search, export.
demo: install
	$(BIN)/python -m scraper.demo --db demo.db

## Lint, format check and the whole test suite (no internet needed).
test: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest -q

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## Benchmarks (figures go to docs/benchmarks.md by hand).
bench: install-test
	$(BIN)/python bench/extract.py
	$(BIN)/python bench/crawl.py
	$(BIN)/python bench/archive.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis demo.db demo.db-*
