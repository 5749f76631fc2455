#!/usr/bin/env bash
# Set up (once) and run the app: ./scripts/run.sh [extra streamlit args]
# Works with no key and no network: the bundled snapshot is used when OpenRouter is unreachable.
# Needs Python 3.11+ (PYTHON=/path/to/python3.x picks one). .venv is created on first use and
# brought up to requirements.txt whenever that changes (scripts/venv.sh).
# Opens the app in your browser (Streamlit stays headless where there is no display; add
# --server.headless true to keep it from opening one).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/venv.sh
ensure_venv || exit 1
ensure_requirements requirements.txt || exit 1
exec .venv/bin/python -m streamlit run app.py "$@"
