# The two commands: `make demo` renders the demo film; `make test` runs the whole suite.
# Each creates .venv and installs what it needs on a fresh clone, at the versions in constraints.txt.
# `make lock` refreshes constraints.txt (deliberately); `make screenshots` redraws docs/screenshots.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export QT_QPA_PLATFORM ?= offscreen

.PHONY: demo test lint install install-test lock screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/pip install --quiet -c constraints.txt torch==2.13.0
	$(BIN)/pip install --quiet -c constraints.txt -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml constraints.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test,farm]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

demo: $(VENV)/.installed
	$(BIN)/studio demo --out demo-out

lint: $(VENV)/.installed-test
	$(BIN)/ruff check studio ui tests bench
	$(BIN)/lint-imports

# Core tests run where PySide6 cannot be imported (tests/block_qt.py), proving the core headless.
test: $(VENV)/.installed-test lint
	$(BIN)/python -m pytest -p no:pytest-qt -p tests.block_qt tests/core tests/migrations -q
	$(BIN)/python -m pytest tests/ui -q || [ $$? -eq 5 ]

# Redraw the README's screenshots (docs/screenshots); the UI tests otherwise write build/screenshots.
screenshots: $(VENV)/.installed-test
	STUDIO_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest tests/ui -q

# Resolve the newest versions pyproject allows in a throwaway venv and write them to constraints.txt;
# run `make test` after it. torch stays 2.13.0, installed first from the same index (the CPU wheel on a
# CPU-only machine) and named again so nothing newer can replace it with a CUDA build.
lock:
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(PYTHON) -m venv "$$tmp/venv" && \
	"$$tmp/venv/bin/pip" install --quiet --upgrade pip && \
	"$$tmp/venv/bin/pip" install --quiet torch==2.13.0 && \
	"$$tmp/venv/bin/pip" install --quiet -e '.[test,farm]' torch==2.13.0 && \
	"$$tmp/venv/bin/pip" check && \
	{ grep '^#' constraints.txt; \
	  "$$tmp/venv/bin/pip" freeze --exclude-editable \
	    | grep -viE '^(pip|setuptools|wheel|microfilm-studio)==|^(nvidia-|triton)' \
	    | sed -E 's/^(torch==[^+]*)\+.*/\1/' | LC_ALL=C sort -f; } > "$$tmp/constraints.txt" && \
	mv "$$tmp/constraints.txt" constraints.txt && { git diff --stat -- constraints.txt || true; }

clean:
	rm -rf $(VENV) demo-out .pytest_cache
