"""Guards for the architecture: the core package never imports Streamlit, pages stay thin."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_core_package_source_never_imports_streamlit():
    offenders = [p.name for p in (ROOT / "routerlens").rglob("*.py") if "streamlit" in _imports(p)]
    assert offenders == []


def test_core_package_imports_without_streamlit_loaded():
    code = ("import sys, importlib, pkgutil, routerlens\n"
            "for m in pkgutil.iter_modules(routerlens.__path__): importlib.import_module('routerlens.' + m.name)\n"
            "assert 'streamlit' not in sys.modules, 'streamlit was imported'\n")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_pages_do_not_branch_on_data_source():
    for page in (ROOT / "pages").glob("*.py"):
        source = page.read_text()
        for word in ("Kind.LIVE", "Kind.SNAPSHOT", "Kind.SIMULATED", "DataMode."):
            assert word not in source, f"{page.name} branches on the data source ({word})"


def test_simulated_series_are_deterministic():
    import datetime as dt

    from routerlens.simulated import daily_series

    end = dt.date(2026, 11, 29)
    a = daily_series("openai|throughput", base=74.8, days=30, end=end)
    b = daily_series("openai|throughput", base=74.8, days=30, end=end)
    c = daily_series("azure|throughput", base=116.8, days=30, end=end)
    assert a == b and a != c and len(a) == 30 and a[-1][0] == end


# --- the source rule lives in the service alone --------------------------------------------------

SOURCE_RULE_FILES = {"service.py", "config.py", "record.py"}
"""Where the data mode may be read: the service (which decides), the settings (which hold it) and the
recorder's command line (which, like the sidebar, chooses Live: a recording must never hold fallbacks)."""


def _core_files():
    return sorted((ROOT / "routerlens").glob("*.py"))


def test_only_the_service_and_the_sidebar_look_at_the_data_mode():
    offenders = [p.name for p in _core_files() if p.name not in SOURCE_RULE_FILES and "DataMode" in p.read_text()]
    offenders += [f"components/{p.name}" for p in (ROOT / "components").glob("*.py")
                  if p.name != "context.py" and "DataMode" in p.read_text()]
    assert offenders == []


def test_domain_modules_never_branch_on_which_source_answered():
    allowed = {"service.py", "provenance.py", "snapshot.py"}
    for path in _core_files():
        if path.name in allowed:
            continue
        source = path.read_text()
        for word in ("Kind.LIVE", "Kind.SNAPSHOT", "Kind.SIMULATED", "Kind.NONE", "service.can_send", "live_get("):
            assert word not in source, f"{path.name} looks at the source ({word})"


def test_every_live_route_is_built_in_routes_py():
    for path in _core_files():
        if path.name == "routes.py":
            continue
        source = path.read_text()
        for word in ("LiveRoute(", "routes.api(", "routes.website(", "importlib"):
            assert word not in source, f"{path.name} builds a route or loads modules itself ({word})"
