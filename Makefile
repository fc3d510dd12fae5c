# Two commands do everything on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DOCS_STAMP := $(VENV)/.docs-installed

.PHONY: demo test lint bench docs serve-docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/glassnet tour

test: $(STAMP)
	$(BIN)/ruff check src tests examples benchmarks docs/hooks
	$(BIN)/python -m pytest src tests

lint: $(STAMP)
	$(BIN)/ruff check src tests examples benchmarks docs/hooks

# Results go to benchmarks/out/ (not tracked). The PyTorch column needs torch==2.13.0 (a CPU
# build kept on local disk here: never a plain `torch`, which would download gigabytes);
# without it the suite runs and skips that column.
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	$(BIN)/python -m pip install --quiet torch==2.13.0 || echo "torch 2.13.0 unavailable: no PyTorch column"
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/tabular.py
	$(BIN)/python benchmarks/threads.py
	$(BIN)/python benchmarks/startup.py

# The documentation site, into site/ (docs/design.md, "Documentation site"): strict (a warning is an
# error) and every internal link of every page checked. The notebooks are executed at their own
# settings, three kernels at a time, and cached in .cache/docs-notebooks/ (a rebuild executes only
# what changed); GLASSNET_DOCS_OUTPUTS=quick takes their quick settings, as CI does.
$(DOCS_STAMP): $(STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[docs]"
	touch $(DOCS_STAMP)

docs: $(DOCS_STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

serve-docs: $(DOCS_STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve --strict

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache glassnet-out site .cache
