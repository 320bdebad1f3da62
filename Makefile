# The two commands: `make demo` renders the demo film; `make test` runs the whole suite.
# Each creates .venv and installs what it needs on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export QT_QPA_PLATFORM ?= offscreen

.PHONY: demo test lint install install-test clean

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

clean:
	rm -rf $(VENV) demo-out .pytest_cache
