# The two set-up commands: `make demo` and `make test` (see README.md). Everything else here serves them.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/newsloom

.PHONY: demo test test-sqlite test-postgres test-wheel lint install chromium newsboat deploy-tools wrk bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,eval]'
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/newsloom demo

# Debian's chromium drives the browser tests (Playwright uses it through executable_path; nothing is downloaded).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# Debian's newsboat, the real Google Reader client of tests/api/test_greader.py (its FeedHQ mode).
newsboat:
	@command -v newsboat >/dev/null 2>&1 || { \
	  echo "installing Debian's newsboat for the Google Reader API tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq newsboat >/dev/null; }

# Debian's nginx and systemd: tests/test_deploy_docs.py runs `nginx -t` and `systemd-analyze verify` on docs/deploy/.
deploy-tools:
	@command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx || { \
	  echo "installing Debian's nginx for the deploy docs' test"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; }
	@command -v systemd-analyze >/dev/null 2>&1 || { \
	  echo "installing Debian's systemd for the deploy docs' test"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq systemd >/dev/null; }

# Debian's wrk, the load generator of bench/pages.py (which falls back to Python clients without it); no test needs it.
wrk:
	@command -v wrk >/dev/null 2>&1 || { \
	  echo "installing Debian's wrk for bench/pages.py"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

test-sqlite: $(STAMP) chromium newsboat deploy-tools
	$(BIN)/pytest

# The database-backed tests again on PostgreSQL (the core and demo tests touch no database).
test-postgres: $(STAMP) newsboat deploy-tools
	NEWSLOOM_DATABASE_URL=$(PG_URL) $(BIN)/pytest --ignore=tests/core --ignore=tests/demo -m "not browser"

# The package works bare: the wheel built, installed with no extras into a fresh venv under a temporary folder, every
# command's --help, `newsloom demo --no-serve` and a few pages of `newsloom serve` (scripts/check_wheel.py; ~1 min).
test-wheel: $(STAMP)
	$(BIN)/python scripts/check_wheel.py --python $(PYTHON)

test: lint test-wheel test-sqlite test-postgres

bench: $(STAMP)
	$(BIN)/python bench/ingest.py

clean:
	rm -rf $(VENV) newsloom-demo build *.egg-info
