#!/usr/bin/env bash
# Sets up what Endroll needs on a fresh Debian machine: system packages (when missing), a virtual environment
# in .venv and the Python packages, installed from the hash-locked requirements (requirements.lock or
# requirements-dev.lock: every transitive dependency pinned with its sha256; scripts/lock.sh regenerates them).
# Safe to run again: it skips what is already there.
#   scripts/setup.sh runtime   -> what the app needs
#   scripts/setup.sh dev       -> plus tests, lint and benchmarks (Chromium, PostgreSQL, OpenCV's libGL, pytest, ...)
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
  have_pkg libgl1 || need_apt+=(libgl1)                # opencv-python (the watermark reference) loads libGL.so.1
fi

# shellcheck source=scripts/apt-wait.sh
source scripts/apt-wait.sh

if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: installing ${need_apt[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt_wait
    # apt itself waits for its locks too (DPkg::Lock::Timeout), for a run that starts between the check and here.
    apt-get -o DPkg::Lock::Timeout="$APT_WAIT" update -qq >/dev/null
    apt_wait
    apt-get -o DPkg::Lock::Timeout="$APT_WAIT" install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  else
    echo "setup: please install these Debian packages (as root): ${need_apt[*]}" >&2
  fi
fi

[ -x .venv/bin/python ] || "$PY" -m venv .venv
lock=requirements.lock; [ "$profile" = dev ] && lock=requirements-dev.lock
stamp=.venv/.endroll-$profile-$(cat "$lock" | sha256sum | cut -c1-16)
if [ ! -f "$stamp" ]; then
  echo "setup: installing Python packages from $lock (hashes checked)" >&2
  .venv/bin/python -m pip install -q --disable-pip-version-check --require-hashes --no-deps -r "$lock"
  touch "$stamp"
fi
