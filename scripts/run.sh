#!/usr/bin/env bash
# Set up (once) and run the app: ./scripts/run.sh [extra streamlit args]
# Works with no key and no network: the bundled snapshot is used when OpenRouter is unreachable.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
if ! .venv/bin/python -c "import streamlit, altair, httpx, pandas, httpx_sse, PIL, sqlalchemy, alembic, psycopg, platformdirs, tqdm" 2>/dev/null; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
fi
exec .venv/bin/python -m streamlit run app.py "$@"
