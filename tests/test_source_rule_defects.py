"""The figures an audit found wrong for some model ids, one test each (issue "One source rule").

Most are page-level AppTest checks, so they describe what a user sees whatever the code inside
looks like: each of them failed on the code before the fix.
"""

from __future__ import annotations

import copy
import json
import shutil
from decimal import Decimal

import pytest

from tests.conftest import ROOT, all_pages, markdown_tables, page_text, run_app

BATCH = "openai/gpt-4o-mini:batch"
ENDPOINTS = "/api/v1/models/openai/gpt-4o-mini/endpoints"


def ok(at) -> None:
    assert not at.exception, [e.message for e in at.exception]


def table_text(at) -> str:
    return "\n".join(frame.to_csv() for frame in [*(d.value for d in at.dataframe), *markdown_tables(at)])


# --- a variant is part of the identity of every lookup ---------------------------------------------

def test_batch_variant_offline_shows_no_standard_providers_or_prices():
    """The bundled providers, stats and calculator are the standard variant's: for :batch the
    pages say so instead of showing them ($0.7125 is the standard price of the worked example)."""
    pricing = run_app("pages/pricing.py", query={"model": BATCH})
    ok(pricing)
    text = page_text(pricing)
    assert "$0.7125" not in text and "Azure" not in text
    assert f"no provider list for {BATCH}" in text
    providers = run_app("pages/providers.py", query={"model": BATCH})
    ok(providers)
    assert "Azure" not in table_text(providers) and "74.8" not in page_text(providers)


def test_batch_variant_offline_has_no_standard_apps_or_simulations():
    apps = run_app("pages/apps.py", query={"model": BATCH})
    ok(apps)
    assert "shapes inc" not in page_text(apps)
    performance = run_app("pages/performance.py", query={"model": BATCH})
    ok(performance)
    text = page_text(performance)
    assert "74.8" not in text and "Simulated" not in text  # nothing of this variant to seed from
    activity = run_app("pages/activity.py", query={"model": BATCH})
    ok(activity)
    assert "518B" not in page_text(activity)


def _batch_endpoint(fake) -> None:
    """The live endpoints list also names the :batch variant's endpoint (with its own prices)."""
    payload = copy.deepcopy(fake.routes[("GET", ENDPOINTS)].json)
    batch = copy.deepcopy(payload["data"]["endpoints"][0])
    batch.update({"name": "OpenAI | openai/gpt-4o-mini:batch", "tag": "openai",
                  "pricing": {"prompt": "0.000000075", "completion": "0.0000003", "input_cache_read": "0.0000000375"}})
    payload["data"]["endpoints"].append(batch)
    fake.set_json(ENDPOINTS, payload)


def test_batch_variant_live_prices_the_batch_endpoint_only(live_env):
    _batch_endpoint(live_env)
    at = run_app("pages/pricing.py", query={"model": BATCH})
    ok(at)
    text = page_text(at)
    # 500,000 × $0.075/M + 500,000 × $0.0375/M + 1,000,000 × $0.30/M
    assert "$0.35625" in text and "$0.7125" not in text
    standard = run_app("pages/pricing.py")
    ok(standard)
    assert "$0.7125" in page_text(standard) and "$0.35625" not in page_text(standard)
    stats = live_env.requests_to("/api/frontend/v1/stats/endpoint")
    assert any(r.query.get("variant") == ["batch"] for r in stats)


def test_batch_variant_live_without_variant_marks_is_not_shown_as_batch(live_env):
    at = run_app("pages/providers.py", query={"model": BATCH})
    ok(at)
    text = page_text(at)
    assert "Azure" not in table_text(at)
    assert "marked as serving the :batch variant" in text


# --- one normalisation and one strict pattern for ids ----------------------------------------------

@pytest.mark.parametrize("page", all_pages())
def test_trailing_slash_gets_the_same_clear_message_on_every_page(page):
    at = run_app(page, query={"model": "openai/gpt-4o-mini/"})
    ok(at)
    errors = [e.value for e in at.error]
    assert any("is not an OpenRouter model id" in e and "Did you mean openai/gpt-4o-mini?" in e for e in errors), errors
    assert not at.dataframe and not markdown_tables(at) and not at.get("vega_lite_chart")


@pytest.mark.parametrize("bad", ["openai/../../api/v1/keys", "openai/gpt-4o-mini:batch:free", "a b/c", "openai"])
def test_ids_that_are_not_ids_never_reach_a_url(live_env, bad):
    for page in ("pages/providers.py", "pages/pricing.py"):
        at = run_app(page, query={"model": bad})
        ok(at)
        assert any("is not an OpenRouter model id" in e.value for e in at.error)
    assert not [r.path for r in live_env.requests if ".." in r.path or "keys" in r.path or " " in r.path]


def test_case_is_normalised_as_openrouter_spells_ids():
    at = run_app("pages/pricing.py", query={"model": "  OpenAI/GPT-4o-mini "})
    ok(at)
    assert not at.error and "$0.7125" in page_text(at)


# --- the image price: one figure, or both with their dates ------------------------------------------

def test_image_price_disagreement_is_stated_with_both_dates():
    for page in ("pages/overview.py", "pages/providers.py"):
        at = run_app(page)
        ok(at)
        text = page_text(at).replace("\\", "")
        assert "$0.217 per 1,000 input images" in text, page
        assert "Snapshot · as of 2026-08-19" in text and "Snapshot · as of 2025-06-27" in text
        assert "sources disagree" in text


# --- simulated text never reads as real ---------------------------------------------------------------

def test_simulated_uptime_sentences_say_simulated():
    at = run_app("pages/uptime.py")
    ok(at)
    captions = [c.value for c in at.caption]
    worst = [c for c in captions if c.startswith("Worst")]
    assert worst and all("simulated" in c and "not a real outage" in c for c in worst), worst


def test_simulated_series_end_at_the_date_of_their_seed_figures():
    import pandas as pd
    import pyarrow as pa

    at = run_app("pages/performance.py")
    ok(at)
    for chart in at.get("vega_lite_chart"):
        frame = pa.ipc.open_stream(chart.proto.datasets[0].data.data).read_pandas()
        # (a chart's dates reach the page as ISO text, as Altair writes them)
        assert str(pd.to_datetime(frame["date"]).max().date()) == "2025-06-27"  # the snapshot figures' capture date


def test_simulated_tails_state_their_ratio_on_the_chart():
    at = run_app("pages/performance.py")
    at.segmented_control(key="perf_pct").set_value("p99").run()
    ok(at)
    subtitles = [json.loads(c.proto.spec)["title"].get("subtitle", []) for c in at.get("vega_lite_chart")]
    assert any(any("p99 = 0.33 × the real p50" in line for line in lines) for lines in subtitles), subtitles


def test_a_model_with_nothing_to_seed_from_gets_no_simulated_banner():
    at = run_app("pages/performance.py", query={"model": "openai/gpt-3.5-turbo"})
    ok(at)
    assert not any("Simulated" in w.value for w in at.warning)
    assert not at.get("vega_lite_chart")
    uptime = run_app("pages/uptime.py", query={"model": "openai/gpt-3.5-turbo"})
    ok(uptime)
    assert not any("Simulated" in w.value for w in uptime.warning)


# --- sources shown where a third party's flag decides an estimate ------------------------------------

def test_deranked_flag_carries_its_source_and_date_where_it_is_used():
    at = run_app("pages/providers.py")
    ok(at)
    text = page_text(at)
    assert "deranked per deankerr/orchid" in text and "2025-06-26" in text
    pricing = run_app("pages/pricing.py")
    assert "deranked per deankerr/orchid" in page_text(pricing)


# --- model facts live in the data, not in code -------------------------------------------------------

def test_launch_evals_cover_whatever_the_manifest_says(tmp_path):
    from routerlens import benchmarks
    from routerlens.config import DataMode, Settings
    from routerlens.service import DataService
    from routerlens.snapshot import SnapshotSource

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    manifest = json.loads((data / "manifest.json").read_text())
    for entry in manifest["entries"]:
        if entry["id"] == "launch_evals:openai/gpt-4o-mini":
            entry["params"] = {"model": "openai/gpt-4o"}
    (data / "manifest.json").write_text(json.dumps(manifest))
    service = DataService(Settings(mode=DataMode.OFFLINE), snapshot=SnapshotSource(data))
    assert benchmarks.launch_evals(service, "openai/gpt-4o").value["MMLU"] == 82.0
    assert benchmarks.launch_evals(service, "openai/gpt-4o-mini").value is None
    assert benchmarks.launch_evals(service, "openai/gpt-4o-mini-2024-07-18").value["MMLU"] == 82.0


def test_caching_note_only_where_it_applies_and_with_its_source(live_env):
    at = run_app("pages/pricing.py")
    ok(at)
    text = page_text(at).replace("\\", "")
    assert "OpenAI caches prompts of 1,024+ tokens" in text and "openai.com/index/api-prompt-caching" in text
    payload = copy.deepcopy(live_env.routes[("GET", "/api/v1/models/openai/gpt-3.5-turbo/endpoints")].json)
    for endpoint in payload["data"]["endpoints"]:
        endpoint.update({"provider_name": "Azure", "tag": "azure", "name": "Azure | openai/gpt-3.5-turbo"})
    live_env.set_json("/api/v1/models/openai/gpt-3.5-turbo/endpoints", payload)
    live_env.set_json("/api/frontend/v1/stats/endpoint", {"data": []})  # the fake's stats are gpt-4o-mini's
    other = run_app("pages/pricing.py", query={"model": "openai/gpt-3.5-turbo"})
    ok(other)
    assert "1,024" not in page_text(other) and all("1,024" not in (s.help or "") for s in other.slider)


def test_batch_prices_are_the_batch_entry_s(live_env):
    """The overview's own cards were right before; they stay right (the batch entry's prices)."""
    at = run_app(query={"model": BATCH})
    ok(at)
    cards = {m.label: m.value for m in at.metric}
    assert cards["Input price"] == "$0.075/M" and cards["Output price"] == "$0.30/M"
    assert Decimal("0.075") * 3 / 4 + Decimal("0.30") / 4 == Decimal("0.13125")
    assert cards["Blended price (3:1)"] == "$0.13125/M"
