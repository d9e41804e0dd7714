# The two commands of the README: `make run` and `make test`. Everything they
# need is installed here, into .venv (Python) and from Debian (chromium).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INDEX_DIR ?= instance/index
# The folder `make index` and `make run` read: `make run CORPUS=~/mea-documents`.
CORPUS ?= corpus
HOST ?= 127.0.0.1
PORT ?= 8000
export INDEX_DIR

.PHONY: install run index serve test test-fast chromium bench clean

install: $(VENV)/.installed

$(VENV)/.installed: setup.cfg pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

index: install
	$(PY) -m indexer index "$(CORPUS)" --index-dir "$(INDEX_DIR)"

serve: install
	@echo "Serving MEA paragraph search on http://$(HOST):$(PORT)/ (Ctrl-C to stop)"
	$(VENV)/bin/gunicorn --workers 2 --bind $(HOST):$(PORT) --access-logfile - 'webapp:create_app()'

run: index serve

# Debian's chromium for the browser tests; never a browser download.
chromium:
	@test -x /usr/bin/chromium || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

test: install chromium
	$(PY) -m pytest -q

test-fast: install
	$(PY) -m pytest -q -m "not browser and not slow"

clean:
	rm -rf $(VENV) instance build *.egg-info tests/artifacts
