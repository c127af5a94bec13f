#!/usr/bin/env bash
# One command: set up, load the demo studio into the embedded SQLite database if it is empty, start the dashboard.
# With DATABASE_URL set (a real deployment) no demo is loaded: create the first manager with
#   .venv/bin/python -m data.accounts bootstrap --username NAME
# The dashboard listens on 127.0.0.1 only; ENDROLL_SERVER_ADDRESS=0.0.0.0 opens it to the network (put HTTPS in
# front first: docs/security.md). Stop it with Ctrl+C. Extra arguments go to `streamlit run` (e.g. --server.port 8600).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh runtime
# Generated passwords are printed here once; nothing else shows them.
.venv/bin/python -m data.demo --if-empty --seed "${ENDROLL_DEMO_SEED:-42}"
.venv/bin/python -m data.accounts bootstrap --check
exec .venv/bin/python -m streamlit run server.py --server.address "${ENDROLL_SERVER_ADDRESS:-127.0.0.1}" "$@"
