#!/usr/bin/env bash
# Sets up what Endroll needs on a fresh Debian machine: system packages (when missing), a virtual environment
# in .venv and the pinned Python packages. Safe to run again: it skips what is already there.
#   scripts/setup.sh runtime   -> what the app needs
#   scripts/setup.sh dev       -> plus tests, lint and benchmarks (Chromium, PostgreSQL, pytest, playwright, ...)
set -euo pipefail
cd "$(dirname "$0")/.."
profile=${1:-runtime}
PY=${PYTHON:-python3}

need_apt=()
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
# CJK fonts so PDFs (end rolls, artist records) render Japanese, Chinese and Korean names; IPA Gothic is the fallback.
have_pkg fonts-noto-cjk || need_apt+=(fonts-noto-cjk)
have_pkg fonts-ipafont-gothic || need_apt+=(fonts-ipafont-gothic)
if [ "$profile" = dev ]; then
  have_pkg chromium || need_apt+=(chromium)            # the browser suite drives Debian's Chromium
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: installing ${need_apt[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  else
    echo "setup: please install these Debian packages (as root): ${need_apt[*]}" >&2
  fi
fi

[ -x .venv/bin/python ] || "$PY" -m venv .venv
req=requirements.txt; [ "$profile" = dev ] && req=requirements-dev.txt
stamp=.venv/.endroll-$profile-$(cat requirements.txt requirements-dev.txt | sha256sum | cut -c1-16)
if [ ! -f "$stamp" ]; then
  echo "setup: installing Python packages from $req" >&2
  .venv/bin/python -m pip install -q --disable-pip-version-check -r "$req"
  touch "$stamp"
fi
