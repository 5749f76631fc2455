"""The setup scripts (scripts/run.sh, scripts/test.sh, scripts/venv.sh) and the browser finder.

The scripts run for real, in a scratch copy of the repository, against fake Pythons: small shell
scripts that answer the version probe with the version they pretend to be and log every other
call (so the tests see when pip runs and what the scripts finally start). No network, no real
venv, no pip.
"""

from __future__ import annotations

import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from tests.browser.harness import find_chromium

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = ("run.sh", "test.sh", "venv.sh", "check_floor.sh")
TOOLS = ("bash", "cat", "grep", "cut", "sha256sum", "mktemp", "rm", "tail", "basename", "dirname", "id", "sh", "sed", "shasum")
DEBIAN_NO_ENSUREPIP = ("The virtual environment was not created successfully because ensurepip is not\n"
                       "available.  On Debian/Ubuntu systems, you need to install the python3-venv\n"
                       "package using the following command.\n\n    apt install python3.12-venv\n")


def _fake_python(path: Path, version: str, *, venv_error: str | None = None) -> Path:
    """A fake Python: prints ``version`` for the version probe; ``-m venv DIR`` makes DIR/bin/python
    (a fake of the same version) or fails with ``venv_error``; anything else is logged."""
    if venv_error is None:
        venv = ('mkdir -p "$3/bin" && cp "$0" "$3/bin/python" && exit 0')
    else:
        venv = f"mkdir -p \"$3/bin\"; cat >&2 <<'MSG'\n{venv_error}MSG\nexit 1"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"""#!/bin/sh
case "$*" in *sys.version_info*) echo "{version}"; exit 0;; esac
if [ "$1 $2" = "-m venv" ]; then {venv}; fi
echo "$*" >> "$FAKE_LOG"
""")
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


@pytest.fixture
def repo(tmp_path):
    """A scratch copy of the scripts and requirements, with a PATH of fakes and basic tools only."""
    root = tmp_path / "repo"
    (root / "scripts").mkdir(parents=True)
    for name in SCRIPTS:
        if (ROOT / "scripts" / name).exists():
            shutil.copy(ROOT / "scripts" / name, root / "scripts" / name)
    for name in ("requirements.txt", "requirements-dev.txt"):
        shutil.copy(ROOT / name, root / name)
    tools = tmp_path / "tools"
    tools.mkdir()
    for tool in TOOLS:
        found = shutil.which(tool)
        if found:
            (tools / tool).symlink_to(found)
    for tool in ("mkdir", "cp", "chmod"):
        (tools / tool).symlink_to(shutil.which(tool))
    fakes = tmp_path / "fakes"
    fakes.mkdir()
    return root, fakes, tools, tmp_path / "calls.log"


def _run(repo, command: str, **env) -> subprocess.CompletedProcess:
    root, fakes, tools, log = repo
    environ = {"PATH": f"{fakes}:{tools}", "FAKE_LOG": str(log), "HOME": str(root), **env}
    return subprocess.run([shutil.which("bash"), "-c", command], cwd=root, env=environ, capture_output=True,
                          text=True, timeout=60)


def _calls(repo) -> list[str]:
    log = repo[3]
    return log.read_text().splitlines() if log.exists() else []


def test_scripts_parse():
    for name in SCRIPTS:
        path = ROOT / "scripts" / name
        if path.exists():
            assert subprocess.run(["bash", "-n", str(path)], capture_output=True).returncode == 0, name


def test_a_new_enough_python_is_found_past_an_old_python3(repo):
    """macOS: python3 is Apple's 3.9, a Homebrew python3.12 is on PATH too."""
    _fake_python(repo[1] / "python3", "3.9")
    _fake_python(repo[1] / "python3.12", "3.12")
    proc = _run(repo, ". scripts/venv.sh && find_python")
    assert proc.returncode == 0 and proc.stdout.strip() == "python3.12", proc.stderr


def test_only_an_old_python_stops_with_a_clear_message(repo):
    _fake_python(repo[1] / "python3", "3.9")
    proc = _run(repo, "./scripts/run.sh")
    assert proc.returncode == 1
    assert "needs Python 3.11 or newer" in proc.stderr and "python3 is 3.9" in proc.stderr
    assert "Traceback" not in proc.stderr and not (repo[0] / ".venv").exists()


def test_python_env_var_names_the_python(repo):
    _fake_python(repo[1] / "python3", "3.13")
    other = _fake_python(repo[0] / "elsewhere" / "python", "3.10")
    proc = _run(repo, ". scripts/venv.sh && find_python", PYTHON=str(other))
    assert proc.returncode == 1 and "python is 3.10" in proc.stderr


def test_missing_venv_module_gets_a_one_line_hint(repo):
    """Debian/Ubuntu without python3-venv: one line saying what to install, no half-made .venv."""
    _fake_python(repo[1] / "python3", "3.12", venv_error=DEBIAN_NO_ENSUREPIP)
    proc = _run(repo, "./scripts/test.sh")
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == [
        "Python's venv module is missing for python3: on Debian/Ubuntu run 'sudo apt install python3.12-venv' "
        "(or python3-venv), then run this again."]
    assert not (repo[0] / ".venv").exists()


def test_a_venv_made_by_an_old_python_is_not_used(repo):
    _fake_python(repo[0] / ".venv" / "bin" / "python", "3.9")
    proc = _run(repo, "./scripts/run.sh")
    assert proc.returncode == 1 and ".venv was made with Python 3.9" in proc.stderr and "rm -rf .venv" in proc.stderr
    assert _calls(repo) == []


def test_run_sh_installs_once_then_again_when_the_requirements_change(repo):
    """A stale .venv (say, an older Streamlit from an earlier checkout) is brought up to the
    requirements whenever they change, and left alone while they do not."""
    root = repo[0]
    _fake_python(root / ".venv" / "bin" / "python", "3.11")  # an existing .venv, no stamp yet
    assert _run(repo, "./scripts/run.sh --server.port 9").returncode == 0
    assert _calls(repo) == ["-m pip install --quiet --disable-pip-version-check -r requirements.txt",
                            "-m streamlit run app.py --server.port 9"]
    assert _run(repo, "./scripts/run.sh").returncode == 0
    assert _calls(repo)[2:] == ["-m streamlit run app.py"], "unchanged requirements: no pip"
    with (root / "requirements.txt").open("a") as f:
        f.write("# a new floor\n")
    assert _run(repo, "./scripts/run.sh").returncode == 0
    assert _calls(repo)[3:] == ["-m pip install --quiet --disable-pip-version-check -r requirements.txt",
                                "-m streamlit run app.py"]


def test_test_sh_creates_the_venv_installs_dev_requirements_and_runs_pytest(repo):
    _fake_python(repo[1] / "python3", "3.12")
    proc = _run(repo, "./scripts/test.sh -q", ROUTERLENS_CHROMIUM="/nonexistent/chrome", ROUTERLENS_PG_BINDIR="/none")
    assert proc.returncode == 0, proc.stderr
    assert "Creating .venv with python3 (Python 3.12)" in proc.stdout
    assert _calls(repo) == ["-m pip install --quiet --disable-pip-version-check -r requirements-dev.txt",
                            "-m pytest -q"]
    stamp = repo[0] / ".venv" / ".routerlens-requirements-dev.sha256"
    assert stamp.read_text().strip(), "the stamp records what was installed"


def test_a_failed_upgrade_of_an_existing_venv_warns_and_goes_on(repo):
    """Offline after a requirements change: the app still starts with what .venv has."""
    root = repo[0]
    python = _fake_python(root / ".venv" / "bin" / "python", "3.11")
    python.write_text(python.read_text().replace('echo "$*" >> "$FAKE_LOG"',
                                                  'echo "$*" >> "$FAKE_LOG"; [ "$2" != pip ]'))
    proc = _run(repo, "./scripts/run.sh")
    assert proc.returncode == 0 and "could not bring .venv up to requirements.txt" in proc.stderr
    assert _calls(repo)[-1] == "-m streamlit run app.py"
    assert not (root / ".venv" / ".routerlens-requirements.sha256").exists(), "no stamp: it tries again next time"


def test_check_floor_installs_exactly_the_floor_and_runs_the_suite_without_browsers(repo):
    import re

    floor = re.search(r"^streamlit>=([0-9.]+)", (ROOT / "requirements.txt").read_text(), re.M).group(1)
    _fake_python(repo[1] / "python3", "3.11")
    proc = _run(repo, "./scripts/check_floor.sh -q", FLOOR_VENV=str(repo[0] / "floor-venv"))
    assert proc.returncode == 0, proc.stderr
    calls = _calls(repo)
    assert calls[0] == f"-m pip install --quiet --disable-pip-version-check -r requirements-dev.txt streamlit=={floor}"
    assert calls[-1] == "-m pytest -m not browser --ignore=tests/browser -q"
    assert not (repo[0] / ".venv").exists(), "the shared .venv is never touched"


def test_run_sh_keeps_no_dependency_list_of_its_own():
    text = (ROOT / "scripts" / "run.sh").read_text()
    assert "import streamlit" not in text and "requirements.txt" in text


def test_streamlit_config_leaves_the_browser_to_open_locally():
    """Headless only where the caller says so (tests, benchmark, CI), so ./scripts/run.sh opens
    the browser; no first-run e-mail prompt stops it either."""
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert "headless" not in config["server"] and config["server"]["showEmailPrompt"] is False
    assert '"--server.headless", "true"' in (ROOT / "tests" / "browser" / "harness.py").read_text()


# -- the browser finder ------------------------------------------------------------------------------

def _executable(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return path


def test_browser_finder_takes_chrome_on_path(tmp_path):
    chrome = _executable(tmp_path / "bin" / "google-chrome")
    assert find_chromium({}, path=str(tmp_path / "bin"), mac=False, playwright_own=lambda: None) == str(chrome)


def test_browser_finder_takes_the_macos_app_bundles(tmp_path):
    app = _executable(tmp_path / "Applications" / "Google Chrome.app" / "Contents" / "MacOS" / "Google Chrome")
    found = find_chromium({}, path=str(tmp_path / "empty"), mac=True, home=tmp_path, playwright_own=lambda: None)
    assert found == str(app) or found.startswith("/Applications/")  # a real /Applications comes first


def test_browser_finder_falls_back_to_playwrights_own_download(tmp_path):
    own = str(_executable(tmp_path / "ms-playwright" / "chromium-1234" / "chrome-linux" / "chrome"))
    assert find_chromium({}, path=str(tmp_path / "empty"), mac=False, playwright_own=lambda: own) == own
    assert find_chromium({}, path=str(tmp_path / "empty"), mac=False, playwright_own=lambda: None) is None


def test_browser_finder_honours_routerlens_chromium_alone(tmp_path):
    chosen = _executable(tmp_path / "my-chrome")
    _executable(tmp_path / "bin" / "chromium")
    env = {"ROUTERLENS_CHROMIUM": str(chosen)}
    assert find_chromium(env, path=str(tmp_path / "bin"), playwright_own=lambda: None) == str(chosen)
    env = {"ROUTERLENS_CHROMIUM": str(tmp_path / "missing")}
    assert find_chromium(env, path=str(tmp_path / "bin"), playwright_own=lambda: None) is None
