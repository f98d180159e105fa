# The README's commands. Each target sets up what it needs in a local .venv.
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' && echo $$p && break; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# Reproducible builds: the build date ("today" for upcoming events and the calendar)
# comes from SOURCE_DATE_EPOCH, by default the last commit's time, so two builds of
# one commit are byte-identical on any machine (tests/test_reproducible.py checks it).
# `make site BUILD_DATE=today` (the nightly CI build) takes 00:00 UTC of today's date
# in Berlin instead: "today" is then the real day, the same date for MkDocs (UTC:
# sitemap) and for the calendar (Europe/Berlin), and all builds of one commit on one
# day are still identical. A SOURCE_DATE_EPOCH from the environment wins over both;
# outside a git checkout the clock is used.
BUILD_DATE ?= commit
ifeq ($(BUILD_DATE),today)
export SOURCE_DATE_EPOCH ?= $(shell date -u -d "$$(TZ=Europe/Berlin date +%F)" +%s)
else
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || date +%s)
endif
# `make site PUBLISH=1` is a production build (the deploy jobs): it stops with a German
# list while placeholders, sample data, example addresses or an empty site_url remain.
PUBLISH ?=
export PUBLISH
# Material prints a banner about MkDocs 2 on every build; the pin <2 is deliberate.
export NO_MKDOCS_2_WARNING = 1

.PHONY: site test serve check linkcheck lint lock hooks clean engines

$(STAMP): pyproject.toml requirements.lock
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is required." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[test]'
	touch $(STAMP)

## site: validate the data and build the site into site/ (replaced only when the build succeeds);
## PUBLISH=1 for a production build that refuses sample data and placeholders
site: $(STAMP)
	$(BIN)/python -m generator build

## test: run the whole test suite (browser tests use /usr/bin/chromium), one worker per core,
## each taking whole test files (their built sites and browsers are made once per file);
## the tests marked serial (the editing page's end-to-end tests) run alone afterwards
test: $(STAMP)
	$(BIN)/python -m pytest -n auto --dist loadfile -m "not serial"
	$(BIN)/python -m pytest -m serial

## serve: live preview for editors at http://127.0.0.1:8000 (PORT=8001 for another port;
## a port in use is replaced by a free one); the same as `python -m generator serve`
PORT ?= 8000
serve: $(STAMP)
	$(BIN)/python -m generator serve --port $(PORT)

## check: validate managers.yaml and events.yaml
check: $(STAMP)
	$(BIN)/python -m generator check

## linkcheck: check every internal link and anchor of site/ offline (after `make site`)
linkcheck: $(STAMP)
	$(BIN)/python -m generator linkcheck site

## engines: build the site with ProperDocs (the maintained fork of MkDocs 1.x, installed
## with the test dependencies) into site-properdocs/, check its links, and require the
## same files as the MkDocs build (tests/test_engines.py; CI=true: no skipping)
engines: $(STAMP)
	$(BIN)/python -m properdocs build --strict --config-file mkdocs.yml --site-dir site-properdocs
	$(BIN)/python -m generator linkcheck site-properdocs
	CI=true $(BIN)/python -m pytest tests/test_engines.py

## lint: yamllint on all YAML files (.yamllint.yaml), the data files in the editing page's
## format (python -m generator format), ruff lint and format check
lint: $(STAMP)
	$(BIN)/yamllint --strict .
	$(BIN)/python -m generator format --check
	$(BIN)/ruff check generator tests benchmarks scripts
	$(BIN)/ruff format --check generator tests benchmarks scripts

## lock: resolve the newest allowed versions in a fresh venv into requirements.lock,
## then run `make test` and commit the lock. It resolves with the oldest supported
## Python (3.11): what installs there installs on 3.12 and 3.13 too, not vice versa
## (e.g. numpy 2.5 needs 3.12). Another interpreter: `make lock LOCK_PYTHON=...`.
LOCK_PYTHON ?= python3.11
lock:
	@command -v $(LOCK_PYTHON) >/dev/null || { echo "$(LOCK_PYTHON) is required for make lock." >&2; exit 1; }
	rm -rf .lock-venv
	$(LOCK_PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --upgrade pip
	.lock-venv/bin/python -m pip install --quiet -e '.[test]'
	.lock-venv/bin/python -m pip freeze --exclude-editable > requirements.lock.new
	mv requirements.lock.new requirements.lock
	rm -rf .lock-venv

## hooks: install the pre-commit hooks (data check, yamllint, ruff) into .git/hooks
hooks: $(STAMP)
	$(BIN)/pre-commit install

clean:
	rm -rf site .site-build .preview $(VENV)
