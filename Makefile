# The README's two commands: `make serve` (set up, build, serve) and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup assets build serve test lint clean

setup: $(VENV)/.installed assets

$(VENV)/.installed: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

# Front-end assets of the query page come from the npm registry at set-up time; no
# third-party code is committed.
assets:
	@if [ -f server/assets/package.json ]; then $(MAKE) -s server/static/vendor/.installed; fi

# YASGUI's files are copied as published: no install script of a dependency needs to run.
server/static/vendor/.installed: server/assets/package.json server/assets/package-lock.json server/assets/vendor.py
	cd server/assets && npm ci --ignore-scripts --no-audit --no-fund --silent
	$(BIN)/python server/assets/vendor.py
	touch $@

# The build is dated by the last commit of its data sources, not of the whole repository, so that
# committing a release (or code that changes no data) leaves a build of the same sources equal to
# the release. SOURCE_DATE_EPOCH set in the environment wins.
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct -- corpus curation ontology shapes 2>/dev/null)

build: setup
	$(if $(SOURCE_DATE_EPOCH),SOURCE_DATE_EPOCH=$(SOURCE_DATE_EPOCH)) $(BIN)/parley build

serve: build
	$(BIN)/parley serve

test: setup lint
	$(BIN)/pytest

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf build
