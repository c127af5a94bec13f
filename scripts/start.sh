#!/usr/bin/env bash
# One command: set up, load the demo studio into the embedded SQLite database if it is empty, start the dashboard.
# Extra arguments go to `streamlit run` (for example --server.port 8600).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh runtime
.venv/bin/python -m data.demo --if-empty --seed "${ENDROLL_DEMO_SEED:-42}"
echo "Endroll: sign in as manager / manager-demo, advocate / advocate-demo or artist / artist-demo" >&2
exec .venv/bin/python -m streamlit run app.py --server.headless true --browser.gatherUsageStats false "$@"
