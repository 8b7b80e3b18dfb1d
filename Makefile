# Quick start:  make site  (sets up and builds the sample site into site/)
#               make test  (sets up and runs lint + every test)
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# Two stamps: building a site needs only the tool and its dependencies; the test tools
# (pytest, Playwright, ruff, ...: about a third of the virtualenv) come with `make test`.
STAMP  := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
# axe-core for the accessibility checks of the browser tests, from the npm registry at the
# version pinned in tests/browser/package-lock.json (git-ignored node_modules/).
AXE    := tests/browser/node_modules/axe-core/axe.min.js

.PHONY: help setup site zip validate serve test lint typecheck format bench clean browser-deps wheel wheelhouse

help:
	@echo "make site      set up (the tool only) and build the sample site into site/"
	@echo "make setup     set up the development virtualenv (the tool and the test tools)"
	@echo "make zip       also write site.zip, a copy that works opened from disk (file://)"
	@echo "make validate  check the data and list every problem"
	@echo "make serve     build and preview on http://127.0.0.1:8000/"
	@echo "make test      set up and run lint, the type check and all tests (browser tests need"
	@echo "               Debian chromium)"
	@echo "make browser-deps  install axe-core with npm for the browser tests (make test does it)"
	@echo "make bench     province-scale benchmark: cold build, one-record rebuild, memory"
	@echo "make wheel     build the tool as a wheel into dist/"
	@echo "make wheelhouse  the wheel and every dependency wheel (Linux and Windows x86_64,"
	@echo "               Python 3.11-3.13) in wheelhouse/ and wheelhouse.zip, for offline installs"
	@echo "make typecheck check the types of generator/ with mypy (make test runs it)"
	@echo "make format    format the code with ruff"
	@echo "make clean     remove site/, build/ and caches (keeps the virtualenv)"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	@touch $(STAMP)

$(TEST_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $(TEST_STAMP)

setup: $(TEST_STAMP)

site: $(STAMP)
	$(BIN)/sitegen build

# The site as one zip that works opened from disk (file://), e.g. on a USB stick.
zip: $(STAMP)
	$(BIN)/sitegen build --zip site.zip

validate: $(STAMP)
	$(BIN)/sitegen validate

serve: $(STAMP)
	$(BIN)/sitegen serve

lint: $(TEST_STAMP)
	$(BIN)/ruff check generator tests
	$(BIN)/ruff format --check generator tests

# mypy over generator/, configured in pyproject.toml ([tool.mypy]).
typecheck: $(TEST_STAMP)
	$(BIN)/mypy

format: $(TEST_STAMP)
	$(BIN)/ruff format generator tests
	$(BIN)/ruff check --fix generator tests

$(AXE): tests/browser/package.json tests/browser/package-lock.json
	npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error
	@touch $@

browser-deps: $(AXE)

test: $(TEST_STAMP) lint typecheck browser-deps
	$(BIN)/python -m pytest

# Province-scale benchmark (120 counties; BENCH_COUNTIES=12 for a quicker run). Prints timings.
BENCH_COUNTIES ?= 120
bench: $(TEST_STAMP)
	$(BIN)/python tests/bench/run.py --counties $(BENCH_COUNTIES)

# The tool on its own (templates, site_config, assets and mkdocs.yml packed in: setup.py).
wheel: $(TEST_STAMP)
	$(BIN)/python -m build --wheel --outdir dist .

# Offline install: pip install --no-index --find-links wheelhouse two-coverages-sitegen
wheelhouse: $(TEST_STAMP)
	$(BIN)/python tools/wheelhouse.py --out wheelhouse

clean:
	rm -rf site build dist wheelhouse wheelhouse.zip .cache .pytest_cache .ruff_cache .mypy_cache test-artifacts
