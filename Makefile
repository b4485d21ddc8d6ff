# llmkb: notes/ -> docs/ (pipeline) -> site/ (MkDocs Material, works offline).
#
#   make site             build the site (venv + pipeline + mkdocs build --strict)
#   make serve            build, serve on http://127.0.0.1:8000/ and rebuild when a note changes
#   make serve PORT=8080  the same on another port (HOST=0.0.0.0 to serve the network)
#   make test             run the test suite (site tests drive /usr/bin/chromium)
#
# site/ also works opened straight from disk: site/index.html.
# `make site` and `make serve` install only what building and serving need; `make test`
# and `make lint` add the test tools (pytest, Playwright, ruff …, the [test] extra).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.llmkb-installed
TEST_STAMP := $(VENV)/.llmkb-test-installed
HOST   ?= 127.0.0.1
PORT   ?= 8000
PIP    := $(BIN)/python -m pip install --quiet --disable-pip-version-check

export NO_MKDOCS_2_WARNING := 1

.PHONY: venv test-venv docs site serve test lint bench clean

venv: $(STAMP)

test-venv: $(TEST_STAMP)

# Reinstall only when the project's dependencies may have changed.
$(STAMP): pyproject.toml
	@if [ ! -x $(BIN)/python ]; then \
	  echo "make: creating the virtual environment $(VENV)/ ($(PYTHON) -m venv)"; \
	  $(PYTHON) -m venv $(VENV); \
	fi
	@echo "make: installing llmkb and what building and serving the site need into $(VENV)/ (pip install -e .)"
	@$(PIP) -e .
	@touch $@

$(TEST_STAMP): $(STAMP)
	@echo "make: installing the test tools into $(VENV)/ (pip install -e '.[test]')"
	@$(PIP) -e '.[test]'
	@touch $@

docs: venv
	@echo "make: notes/ -> docs/ (llmkb build)"
	@$(BIN)/llmkb build --notes notes --docs docs

# Set LLMKB_SITE_URL (and optionally LLMKB_REPO_URL, LLMKB_EDIT_URI) for a published build.
# The llmkb plugin (mkdocs.yml) runs the pipeline first: notes/ -> docs/ -> site/ in one go.
site: venv
	@echo "make: notes/ -> docs/ -> site/ (mkdocs build --strict, with the llmkb plugin)"
	@$(BIN)/mkdocs build --strict
	@echo "make: site/ is ready; open site/index.html, or run make serve"

# The port is checked first: a busy one is said in one line before any building. mkdocs serve
# (with the llmkb plugin) rebuilds and reloads the browser when a note or a data file changes.
serve: venv
	@$(BIN)/llmkb serve --check --host $(HOST) --port $(PORT)
	@echo "make: notes/ -> docs/ -> http://$(HOST):$(PORT)/ (mkdocs serve; edit a note and the page reloads)"
	@$(BIN)/mkdocs serve --dev-addr $(HOST):$(PORT)

test: test-venv
	@echo "make: running the test suite (pytest -q; a few minutes)"
	@$(BIN)/pytest -q

lint: test-venv
	$(BIN)/ruff check src tests scripts

# Speed and quality figures (not tests): search vs plain Material and Pagefind, and scale.
bench: test-venv site
	@echo "make: installing the benchmark tools into $(VENV)/ (pip install -e '.[bench]')"
	@$(PIP) -e '.[bench]'
	$(BIN)/python scripts/bench_search.py -v
	$(BIN)/python scripts/bench_scale.py

clean:
	rm -rf site .pytest_cache .ruff_cache .llmkb-cache
