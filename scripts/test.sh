#!/usr/bin/env bash
# One command: set up and run the whole test suite (lint, then pytest on SQLite and a throwaway PostgreSQL
# cluster that the suite starts and stops itself, then the browser suite in headless Chromium).
# The tests run in one worker process per core (pytest-xdist; -n 0 after the command runs them in this process).
# Extra arguments go to pytest (for example -k credits).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh dev
export HF_HUB_OFFLINE=1 PYTHONDONTWRITEBYTECODE=1
.venv/bin/ruff check .
.venv/bin/ruff format --check .
set +e
.venv/bin/python -m pytest -n auto --dist worksteal "$@"
rc=$?
set -e
# pytest exits 5 when it collected nothing: that is a failure here, never a silent pass.
[ $rc -eq 5 ] && echo "test: no tests were collected" >&2
exit $rc
