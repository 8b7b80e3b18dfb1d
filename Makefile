# Quick start:  make site  (sets up and builds the sample site into site/)
#               make test  (sets up and runs lint + every test)
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: help setup site validate serve test lint format bench clean

help:
	@echo "make site      set up and build the sample site into site/"
	@echo "make validate  check the data and list every problem"
	@echo "make serve     build and preview on http://127.0.0.1:8000/"
	@echo "make test      set up and run lint and all tests (browser tests need Debian chromium)"
	@echo "make format    format the code with ruff"
	@echo "make clean     remove site/, build/ and caches (keeps the virtualenv)"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $(STAMP)

setup: $(STAMP)

site: $(STAMP)
	$(BIN)/sitegen build

validate: $(STAMP)
	$(BIN)/sitegen validate

serve: $(STAMP)
	$(BIN)/sitegen serve

lint: $(STAMP)
	$(BIN)/ruff check generator tests
	$(BIN)/ruff format --check generator tests

format: $(STAMP)
	$(BIN)/ruff format generator tests
	$(BIN)/ruff check --fix generator tests

test: $(STAMP) lint
	$(BIN)/python -m pytest

clean:
	rm -rf site build .cache .pytest_cache .ruff_cache test-artifacts
