# Two entry points: `make run` and `make test`. Both create .venv if missing.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test
DB     ?= reportedly.duckdb

.PHONY: run test install install-test browser clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PIP) install -q -e .
	touch $@

$(TSTAMP): pyproject.toml | $(PY)
	$(PIP) install -q -e '.[test,spark,bench]'
	touch $(STAMP) $@

install: $(STAMP)
install-test: $(TSTAMP)

# Chromium from Debian for the browser tests; skipped quietly where apt is unavailable.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) 2>/dev/null \
	  || echo "chromium not installed: browser tests will be skipped"; }

run: $(STAMP)
	$(VENV)/bin/reportedly run examples/ --db $(DB) --manifest examples/manifest.csv
	@echo
	@echo "Results are in $(DB). Look at them with:"
	@echo "  $(VENV)/bin/reportedly claims --db $(DB)"
	@echo "  $(VENV)/bin/reportedly series --db $(DB)"
	@echo "  $(VENV)/bin/reportedly conflicts --db $(DB)"
	@echo "  $(VENV)/bin/reportedly serve --db $(DB)   # then open http://127.0.0.1:8001"

test: $(TSTAMP) browser
	$(PY) -m pytest -q

clean:
	rm -rf $(VENV) $(DB) .pytest_cache
