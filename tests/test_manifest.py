"""The committed snapshot manifest (``data/manifest.json``): provenance and lookup keys.

Everything but the rebuild test reads only the committed ``data/`` folder, so it runs on a bare
clone; the rebuild test needs the reference files in ``../shared/reference/data``.
"""

from __future__ import annotations

import filecmp
import importlib.util
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
BUILDER = ROOT / "scripts" / "build_snapshot.py"

ENDPOINTS_ID = "endpoints:openai/gpt-4o-mini"
DATED_STATS_ID = "stats_endpoint:openai/gpt-4o-mini-2024-07-18"
UNIFIED_TEXT_2026 = "anuran-roy/unified-llm-pricing @ ef05c3be9faab383232c8ce752d4d662bd52deaf : openrouter_models.json"
ORCHID_FRONTEND = "deankerr/orchid @ 1dd4019b29c0acd88e66cc17383624f822d3b2f9 : notes/or-samples/frontend/models_full.json"
DATE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")


def _manifest() -> dict:
    return json.loads((DATA / "manifest.json").read_text(encoding="utf-8"))


def _entries() -> list[dict]:
    return _manifest()["entries"]


def _by_id() -> dict[str, dict]:
    return {entry["id"]: entry for entry in _entries()}


def _load(entry: dict):
    return json.loads((DATA / entry["file"]).read_text(encoding="utf-8"))


def test_every_entry_lists_its_sources():
    for entry in _entries():
        sources = entry.get("sources")
        assert isinstance(sources, list) and sources, entry["id"]
        for item in sources:
            for key in ("source", "captured", "used_for"):
                assert isinstance(item.get(key), str) and item[key].strip(), (entry["id"], key)
            assert DATE.match(item["captured"]), (entry["id"], item["captured"])
            assert item["source"] in entry["source"], (entry["id"], item["source"])
        assert entry["source"] == "; ".join(item["source"] for item in sources), entry["id"]
        assert DATE.match(entry["captured"]), entry["id"]
        assert entry["kind"] in {"verbatim", "assembled", "transcribed"}, entry["id"]


def test_files_exist_and_ids_are_unique():
    entries = _entries()
    ids = [entry["id"] for entry in entries]
    assert len(ids) == len(set(ids))
    for entry in entries:
        assert (DATA / entry["file"]).is_file(), entry["file"]


def test_lookup_keys_are_unique_and_carry_the_variant():
    keys = [(entry["path"], json.dumps(entry["params"], sort_keys=True)) for entry in _entries()]
    assert len(keys) == len(set(keys))
    for entry in _entries():
        params = entry["params"]
        assert isinstance(params, dict), entry["id"]
        if "permaslug" in params:
            assert params.get("variant") == "standard", entry["id"]
        if "variant" in params:
            assert f"variant={params['variant']}" in entry["route"], entry["id"]
        if "permaslug" in params:
            assert f"permaslug={params['permaslug']}" in entry["route"], entry["id"]


def test_model_keyed_entries_have_their_full_identity():
    by_id = _by_id()
    standard = {"permaslug": "openai/gpt-4o-mini", "variant": "standard"}
    assert by_id["stats_endpoint:openai/gpt-4o-mini"]["params"] == standard
    assert by_id[DATED_STATS_ID]["params"] == {"permaslug": "openai/gpt-4o-mini-2024-07-18", "variant": "standard"}
    assert by_id["top_apps:openai/gpt-4o-mini"]["params"] == standard
    assert by_id["token_volume"]["params"] == standard
    assert by_id["endpoint_summary"]["params"] == standard
    assert by_id[ENDPOINTS_ID]["params"] == {"variant": "standard"}
    assert by_id[ENDPOINTS_ID]["path"] == "/api/v1/models/openai/gpt-4o-mini/endpoints"
    for entry_id in ("models", "providers", "frontend_models", "provider_caching"):
        assert by_id[entry_id]["params"] == {}, entry_id
    for entry in _entries():
        if entry["path"] == "/api/v1/models#history":
            assert entry["params"] == {"captured": entry["captured"]}, entry["id"]


def test_endpoint_summary_holds_only_the_model_it_is_keyed_by():
    entry = _by_id()["endpoint_summary"]
    assert set(_load(entry)["models"]) == {entry["params"]["permaslug"]}


def test_stats_files_hold_the_variant_they_are_keyed_by():
    for entry in _entries():
        if entry["id"].startswith("stats_endpoint:"):
            for row in _load(entry)["data"]:
                assert row["model_variant_permaslug"] == entry["params"]["permaslug"], entry["id"]
                assert row["variant"] == entry["params"]["variant"], entry["id"]


def test_endpoints_entry_names_all_three_sources():
    entry = _by_id()[ENDPOINTS_ID]
    by_source = {item["source"]: item for item in entry["sources"]}
    assert by_source[UNIFIED_TEXT_2026]["captured"] == "2026-08-19"
    assert by_source[ORCHID_FRONTEND]["captured"] == "2025-05-24"
    assert any("Modelz.io" in s and item["captured"] == "2025-06-27" for s, item in by_source.items())
    assert len(entry["sources"]) == 3
    assert entry["captured"] == "2025-06-27"  # the date of the figures, not of the envelope text
    assert "$0.000217 per image" in entry["note"] and "2025-05-24" in entry["note"]
    assert "2026 list entries" in entry["note"] and "no image price" in entry["note"]
    openai = next(e for e in _load(entry)["data"]["endpoints"] if e["provider_name"] == "OpenAI")
    assert openai["pricing"]["image"] == "0.000217"
    latest = next(e for e in _entries() if e["id"] == "models_history_2026-08-19")
    model = next(m for m in _load(latest)["data"] if m["id"] == "openai/gpt-4o-mini")
    assert "image" not in model["pricing"]
    assert _load(entry)["data"]["description"] == model["description"]


def _catalogue_endpoint(model_id: str) -> dict:
    catalogue = _load(_by_id()["frontend_models"])
    return next(m for m in catalogue["data"] if m["slug"] == model_id)["endpoint"]


def test_dated_stats_file_has_the_dated_entrys_own_openai_endpoint_id():
    dated = _catalogue_endpoint("openai/gpt-4o-mini-2024-07-18")
    alias = _catalogue_endpoint("openai/gpt-4o-mini")
    assert dated["provider_name"] == "OpenAI" and dated["id"] and dated["id"] != alias["id"]
    entry = _by_id()[DATED_STATS_ID]
    rows = _load(entry)["data"]
    openai = next(row for row in rows if row["provider_name"] == "OpenAI")
    assert openai["id"] == dated["id"] == "ebcc1f0a-6621-4cdc-a93f-88a6e2cc2e15"
    assert openai["stats"]["endpoint_id"] == dated["id"]
    assert "openai/gpt-4o-mini-2024-07-18 entry" in entry["note"]
    assert ORCHID_FRONTEND in [item["source"] for item in entry["sources"]]


def test_alias_stats_file_note_matches_its_ids():
    entry = _by_id()["stats_endpoint:openai/gpt-4o-mini"]
    rows = {row["provider_name"]: row for row in _load(entry)["data"]}
    assert rows["OpenAI"]["id"] == _catalogue_endpoint("openai/gpt-4o-mini")["id"]
    assert rows["Azure"]["id"] is None
    assert "openai/gpt-4o-mini entry" in entry["note"] and "Azure endpoint id unknown (null)" in entry["note"]
    assert ORCHID_FRONTEND in [item["source"] for item in entry["sources"]]


def test_launch_evals_are_listed_per_model_and_share_one_file():
    by_id = _by_id()
    dated = by_id["launch_evals:openai/gpt-4o-mini-2024-07-18"]
    alias = by_id["launch_evals:openai/gpt-4o-mini"]
    assert "launch_evals" not in by_id
    assert dated["path"] == alias["path"] == "#launch_evals"
    assert dated["params"] == {"model": "openai/gpt-4o-mini-2024-07-18"}
    assert alias["params"] == {"model": "openai/gpt-4o-mini"}
    assert dated["file"] == alias["file"]
    assert "alias" in alias["note"] and "gpt-4o-mini-2024-07-18" in alias["note"] and "2024-07-18" in alias["note"]
    assert _load(dated)["openai_simple_evals_readme_2024-07-18"]["model"] == "gpt-4o-mini-2024-07-18"


def test_provider_caching_entry_and_file():
    entry = _by_id()["provider_caching"]
    assert entry["path"] == "#provider_caching" and entry["params"] == {}
    assert entry["kind"] == "transcribed" and entry["captured"] == "2024-10-01"
    assert "openai.com/index/api-prompt-caching" in entry["source"]
    facts = _load(entry)
    assert facts["openai"]["min_prompt_tokens"] == 1024
    assert facts["openai"]["published"] == "2024-10-01"
    # the committed copy is the hand-written input, unchanged
    assert (DATA / entry["file"]).read_bytes() == (DATA / "sources" / "provider_caching.json").read_bytes()


def _builder():
    spec = importlib.util.spec_from_file_location("build_snapshot_under_test", BUILDER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_builder_reproduces_the_committed_snapshot(tmp_path):
    builder = _builder()
    if not builder.DEFAULT_REF.is_dir():
        pytest.skip(f"reference data not available at {builder.DEFAULT_REF} (only the repository is cloned)")
    out = tmp_path / "data"
    result = builder.build(builder.DEFAULT_REF, data=out, sources_dir=DATA / "sources")
    assert (out / "manifest.json").read_bytes() == (DATA / "manifest.json").read_bytes()
    assert result == _manifest()
    compared = filecmp.dircmp(out / "snapshot", DATA / "snapshot")

    def same(cmp: filecmp.dircmp) -> bool:
        _, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
        return (not cmp.left_only and not cmp.right_only and not mismatch and not errors
                and all(same(sub) for sub in cmp.subdirs.values()))

    assert same(compared)
