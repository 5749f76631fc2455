#!/usr/bin/env bash
# Verify the Streamlit floor: install exactly the oldest Streamlit that requirements.txt allows
# (its `streamlit>=X` line), with the other requirements, into a throwaway venv (never .venv), and
# run the whole suite but the browser tests on it. Raise the floor when this fails.
#   ./scripts/check_floor.sh [extra pytest args]
#   FLOOR_VENV=/path/to/venv ./scripts/check_floor.sh   (default: $TMPDIR/routerlens-floor-venv, reused)
# Needs the package index (pip) the first time; PYTHON picks the Python as for the other scripts.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/venv.sh
floor="$(sed -n 's/^streamlit>=\([0-9][0-9.]*\).*/\1/p' requirements.txt)"
if [ -z "$floor" ]; then
  echo "requirements.txt has no 'streamlit>=X' line: no floor to check." >&2
  exit 1
fi
venv="${FLOOR_VENV:-${TMPDIR:-/tmp}/routerlens-floor-venv}"
if [ ! -x "$venv/bin/python" ]; then
  py="$(find_python)" || exit 1
  echo "Creating $venv with $py…"
  "$py" -m venv "$venv"
fi
echo "Installing Streamlit $floor (the floor) and requirements-dev.txt into $venv…"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt "streamlit==$floor"
installed="$("$venv/bin/python" -c 'import streamlit; print(streamlit.__version__)')"
echo "Running the suite (browser tests left out) on Streamlit $installed, Python $(python_version "$venv/bin/python")…"
exec "$venv/bin/python" -m pytest -m "not browser" --ignore=tests/browser "$@"
