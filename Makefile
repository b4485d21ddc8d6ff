# llmkb: notes/ -> docs/ (pipeline) -> site/ (MkDocs Material, works offline).
#
#   make site    build the site (venv + pipeline + mkdocs build --strict)
#   make serve   build, then serve site/ on http://127.0.0.1:8000/
#   make test    run the test suite (site tests drive /usr/bin/chromium)
#
# site/ also works opened straight from disk: site/index.html.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.llmkb-installed
HOST   ?= 127.0.0.1
PORT   ?= 8000

export NO_MKDOCS_2_WARNING := 1

.PHONY: venv docs site serve test lint bench clean

venv: $(STAMP)

# Reinstall only when the project's dependencies may have changed.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

docs: venv
	$(BIN)/llmkb build --notes notes --docs docs

# Set LLMKB_SITE_URL (and optionally LLMKB_REPO_URL, LLMKB_EDIT_URI) for a published build.
site: venv docs
	$(BIN)/mkdocs build --strict

serve: site
	$(BIN)/python -m http.server $(PORT) --bind $(HOST) --directory site

test: venv
	$(BIN)/pytest -q

lint: venv
	$(BIN)/ruff check src tests scripts

# Speed and quality figures (not tests): search vs plain Material and Pagefind, and scale.
bench: site
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[bench]'
	$(BIN)/python scripts/bench_search.py -v
	$(BIN)/python scripts/bench_scale.py

clean:
	rm -rf site .pytest_cache .ruff_cache
