#!/usr/bin/env bash
# Set up (once) and run every test: ./scripts/test.sh [extra pytest args]
# Unit tests, AppTest page tests, the loopback-server client tests and the browser tests
# (headless Debian Chromium driven by Playwright). Needs no key and no internet.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt

# Browser tests drive the system Chromium (Playwright's own browser download needs internet).
if ! command -v chromium >/dev/null 2>&1 && [ -z "${ROUTERLENS_CHROMIUM:-}" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's chromium for the browser tests…"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
      || echo "WARNING: could not install chromium; browser tests will be skipped."
  else
    echo "NOTE: no chromium found (install Debian's 'chromium' package); browser tests will be skipped."
  fi
fi
exec .venv/bin/python -m pytest "$@"
