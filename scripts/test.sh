#!/usr/bin/env bash
# Set up (once) and run every test: ./scripts/test.sh [extra pytest args]
# Unit tests, AppTest page tests, the loopback-server client tests and the browser tests
# (headless Chromium driven by Playwright) and the PostgreSQL tests (a throwaway server from
# Debian's postgresql binaries). Needs no key and no internet.
# Needs Python 3.11+ (PYTHON=/path/to/python3.x picks one). .venv is created on first use and
# brought up to requirements-dev.txt whenever it or requirements.txt changes (scripts/venv.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/venv.sh
ensure_venv || exit 1
ensure_requirements requirements-dev.txt || exit 1

# Optional suites that need a Debian package: as root with apt-get, install what is missing
# (one `apt-get update` for all of them); otherwise say which tests will be skipped.
# - Browser tests drive a Chromium or Chrome that tests/browser/harness.py finds (Debian's, macOS's,
#   Playwright's own download, or ROUTERLENS_CHROMIUM); without one, Debian's is installed.
# - PostgreSQL tests start their own throwaway server from Debian's binaries (tests/postgres.py);
#   they never use the system cluster the package may or may not start.
have_pg_server() {
  local d
  if [ -n "${ROUTERLENS_PG_BINDIR:-}" ]; then return 0; fi  # chosen by hand (even to hide it)
  if command -v pg_config >/dev/null 2>&1; then  # libpq-dev's pg_config alone has no server tools
    d="$(pg_config --bindir 2>/dev/null || true)"
    if [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then return 0; fi
  fi
  for d in /usr/lib/postgresql/*/bin; do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then return 0; fi
  done
  return 1
}
CAN_APT=0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then CAN_APT=1; fi
APT_UPDATED=""  # "", "ok" or "failed": update at most once
apt_update() {
  if [ -z "$APT_UPDATED" ]; then
    if apt-get update -qq; then APT_UPDATED=ok; else APT_UPDATED=failed; fi
  fi
  [ "$APT_UPDATED" = ok ]
}
apt_install() {
  apt_update && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

browser_found() {
  [ -n "$(.venv/bin/python -c 'from tests.browser.harness import chromium_executable as c; print(c() or "")' 2>/dev/null)" ]
}
if [ -z "${ROUTERLENS_CHROMIUM:-}" ] && ! browser_found; then
  if [ "$CAN_APT" = 1 ]; then
    echo "Installing Debian's chromium for the browser tests…"
    apt_install chromium || echo "WARNING: could not install chromium; browser tests will be skipped."
  else
    echo "NOTE: no Chromium or Chrome found; browser tests will be skipped. Install one, or run" \
         "'.venv/bin/python -m playwright install chromium', or set ROUTERLENS_CHROMIUM=/path/to/browser."
  fi
fi

if ! have_pg_server; then
  if [ "$CAN_APT" = 1 ]; then
    echo "Installing Debian's postgresql for the PostgreSQL tests…"
    apt_install postgresql || echo "WARNING: could not install postgresql; the PostgreSQL tests will be skipped."
  else
    echo "NOTE: no PostgreSQL server binaries found (install Debian's 'postgresql' package); the PostgreSQL tests will be skipped."
  fi
fi
exec .venv/bin/python -m pytest "$@"
