#!/usr/bin/env bash
# Regenerates the hash-locked requirements (requirements.lock, requirements-dev.lock) from requirements.txt and
# requirements-dev.txt with pip-tools (pip-compile --generate-hashes), in a throwaway virtual environment.
# Every transitive dependency is pinned with the sha256 of each file pip may install. torch resolves, as in
# `pip install torch==2.13.0`, to the CPU wheel in the machine's wheel folder (pip's find-links, /etc/xdg/pip), so
# its one hash is that file's. Run it after changing requirements*.txt, then commit the .lock files.
set -euo pipefail
cd "$(dirname "$0")/.."
tools=$(mktemp -d)
trap 'rm -rf "$tools"' EXIT
"${PYTHON:-python3}" -m venv "$tools/venv"
"$tools/venv/bin/pip" install -q --disable-pip-version-check pip-tools==7.6.2
for name in requirements requirements-dev; do
  # pip-compile keeps the pins already in its output file: adding a package does not move the others.
  [ -f "$name.lock" ] && cp "$name.lock" "$tools/$name.lock"
  "$tools/venv/bin/pip-compile" -q --generate-hashes --allow-unsafe --strip-extras --no-header \
    --no-emit-index-url --no-emit-find-links -o "$tools/$name.lock" "$name.txt"
  { echo "# Hash-locked from $name.txt by scripts/lock.sh (pip-compile --generate-hashes); scripts/setup.sh installs"
    echo "# it with pip --require-hashes. Do not edit by hand."
    cat "$tools/$name.lock"; } > "$name.lock"
done
