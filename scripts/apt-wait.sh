#!/usr/bin/env bash
# Waits while another apt/dpkg run holds its locks (a fresh Debian machine runs unattended upgrades at first boot),
# at most ENDROLL_APT_WAIT_SECONDS (default 900), then exits 1 saying so. Sourced by scripts/setup.sh, or run alone.
# ENDROLL_APT_LOCKS (space-separated) names the lock files; the default is dpkg's and apt's own.
set -euo pipefail
APT_WAIT=${ENDROLL_APT_WAIT_SECONDS:-900}
APT_LOCKS=${ENDROLL_APT_LOCKS:-/var/lib/dpkg/lock-frontend /var/lib/dpkg/lock /var/lib/apt/lists/lock}

apt_locked() {
  # dpkg and apt hold fcntl locks on these files while they run; a non-blocking attempt tells whether one does.
  local f
  for f in $APT_LOCKS; do
    [ -e "$f" ] || continue
    if ! "${PYTHON:-python3}" -c 'import fcntl, sys; fcntl.lockf(open(sys.argv[1], "a"), fcntl.LOCK_EX | fcntl.LOCK_NB)' \
        "$f" 2>/dev/null; then
      return 0
    fi
  done
  return 1
}

apt_wait() {
  local waited=0
  while apt_locked; do
    if [ "$waited" -ge "$APT_WAIT" ]; then
      echo "setup: apt/dpkg is still busy after ${APT_WAIT}s (another installation is running); try again later" >&2
      exit 1
    fi
    [ "$waited" -eq 0 ] && echo "setup: waiting for another apt/dpkg run to finish (unattended upgrades?)" >&2
    sleep 1
    waited=$((waited + 1))
  done
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  apt_wait
fi
