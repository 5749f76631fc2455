# shellcheck shell=bash
# Sourced (never run) by scripts/run.sh and scripts/test.sh, from the repository root:
#   . scripts/venv.sh; ensure_venv || exit 1; ensure_requirements requirements.txt || exit 1
# - find a Python that is new enough (PYTHON, else python3, else python3.13 / 3.12 / 3.11);
# - create .venv with it, with a one-line hint when the venv module is missing (Debian/Ubuntu's
#   python3-venv package);
# - keep .venv at the requirements: a stamp in .venv holds the hash of the requirements files
#   last installed, and pip runs again whenever they change (an older Streamlit is upgraded).
# Plain bash 3.2 (macOS's /bin/bash): no associative arrays, no ${var,,}, no mapfile.

ROUTERLENS_MIN_PYTHON="3.11"
VENV_CREATED=0

# The "major.minor" of a Python executable; nothing (and failure) when it does not run.
python_version() {
  "$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null
}

# version_at_least HAVE NEED: true when HAVE (major.minor) >= NEED.
version_at_least() {
  local have_major="${1%%.*}" have_minor="${1#*.}" need_major="${2%%.*}" need_minor="${2#*.}"
  [ "$have_major" -gt "$need_major" ] || { [ "$have_major" -eq "$need_major" ] && [ "$have_minor" -ge "$need_minor" ]; }
}

# Print the first Python that is new enough; else say what was found and how to get one.
find_python() {
  local candidate version found=""
  if [ -n "${PYTHON:-}" ]; then
    set -- "$PYTHON"
  else
    set -- python3 python3.13 python3.12 python3.11
  fi
  for candidate in "$@"; do
    command -v "$candidate" >/dev/null 2>&1 || continue
    version="$(python_version "$candidate")" || continue
    [ -n "$version" ] || continue
    if version_at_least "$version" "$ROUTERLENS_MIN_PYTHON"; then
      echo "$candidate"
      return 0
    fi
    found="$found $candidate is $version;"
  done
  echo "RouterLens needs Python $ROUTERLENS_MIN_PYTHON or newer (${found:- no python3 found on PATH;} macOS's own python3 is 3.9)." >&2
  echo "Install Python 3.11, 3.12 or 3.13 (macOS: brew install python@3.13, or python.org; Debian/Ubuntu: apt install python3), or name one: PYTHON=/path/to/python3.13 $0" >&2
  return 1
}

# Make sure .venv exists and runs a Python that is new enough.
ensure_venv() {
  local py version err
  if [ -e .venv ] || [ -L .venv ]; then
    version="$(python_version .venv/bin/python)" || version=""
    if [ -z "$version" ]; then
      echo ".venv is there but its Python does not run (made by a Python since removed or moved?). Remove it (rm -rf .venv) and run again." >&2
      return 1
    fi
    if ! version_at_least "$version" "$ROUTERLENS_MIN_PYTHON"; then
      echo ".venv was made with Python $version; RouterLens needs $ROUTERLENS_MIN_PYTHON or newer. Remove it (rm -rf .venv) and run again (PYTHON=/path/to/python3.13 picks the Python)." >&2
      return 1
    fi
    return 0
  fi
  py="$(find_python)" || return 1
  version="$(python_version "$py")"
  echo "Creating .venv with $py (Python $version)…"
  err="$(mktemp)"
  if ! "$py" -m venv .venv >"$err" 2>&1; then
    rm -rf .venv  # half made (no pip): the next run starts over
    if grep -q -i -e ensurepip -e "python3-venv" -e "No module named venv" "$err"; then
      echo "Python's venv module is missing for $py: on Debian/Ubuntu run 'sudo apt install python$version-venv' (or python3-venv), then run this again." >&2
    else
      echo "Could not create .venv with $py: $(tail -n 1 "$err")" >&2
    fi
    rm -f "$err"
    return 1
  fi
  rm -f "$err"
  VENV_CREATED=1
}

# A short hash of the given files' contents (sha256sum on Linux, shasum on macOS).
requirements_hash() {
  if command -v sha256sum >/dev/null 2>&1; then
    cat "$@" | sha256sum | cut -c1-16
  else
    cat "$@" | shasum -a 256 | cut -c1-16
  fi
}

# The stamp that says which requirements .venv last installed from FILE.
requirements_stamp() {
  echo ".venv/.routerlens-$(basename "$1" .txt).sha256"
}

# Install FILE (a requirements file; requirements.txt counts too, since the others include it)
# into .venv unless the stamp says these exact requirements are already there.
ensure_requirements() {
  local file="$1" hash stamp
  hash="$(requirements_hash requirements.txt "$file")"
  stamp="$(requirements_stamp "$file")"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ]; then
    return 0
  fi
  echo "Installing $file into .venv…"
  if .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$file"; then
    echo "$hash" >"$stamp"
    return 0
  fi
  if [ "$VENV_CREATED" = 0 ]; then
    echo "WARNING: could not bring .venv up to $file (offline?); going on with what .venv has." >&2
    return 0
  fi
  echo "Could not install $file into the new .venv (pip's message is above)." >&2
  return 1
}
