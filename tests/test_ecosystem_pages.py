"""AppTest of the Benchmarks, Apps, Activity and API pages, offline and live (loopback server)."""

from __future__ import annotations

import json

from components.playground_state import PlaygroundSession
from routerlens.routing import RequestSpec, RoutingMode
from tests.conftest import ROOT, markdown_tables, page_text, run_app

SECRET = "sk-or-v1-page-secret-0123456789"


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def codes(at) -> str:
    return "\n".join(c.value for c in at.code)


def vega_specs(at) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("vega_lite_chart")]


# --- benchmarks --------------------------------------------------------------------------------

def test_benchmarks_offline_shows_launch_scores_and_percentiles_with_counts():
    at = run_app("pages/benchmarks.py")
    assert not at.exception, [e.message for e in at.exception]
    values = metrics(at)
    assert {k: values[k] for k in ("MMLU", "GPQA", "MATH", "HumanEval", "MGSM", "DROP (F1, 3-shot)")} == {
        "MMLU": "82.0", "GPQA": "40.2", "MATH": "70.2", "HumanEval": "87.2", "MGSM": "87.0", "DROP (F1, 3-shot)": "79.7"}
    assert values["Intelligence Index"] == "not rated"
    assert values["Coding Index"] == "11.4 · P10"
    text = page_text(at)
    assert "at or above 10% of 122 rated models · rank 110 of 122" in text
    assert "Snapshot · as of 2026-08-19" in text and "Snapshot · as of 2024-07-18" in text
    assert "Live ·" not in text
    specs = vega_specs(at)
    assert specs, "the strip chart is drawn"


def test_benchmarks_live_uses_the_servers_model_list(live_env):
    at = run_app("pages/benchmarks.py")
    assert not at.exception
    text = page_text(at)
    assert "Live · fetched" in text
    # The fixture list has fewer rated models than the bundled 549-model list.
    assert "of 122 rated models" not in text and "rated models" in text
    assert live_env.requests_to("/api/v1/models")


def test_benchmarks_live_with_key_uses_the_benchmarks_dataset(live_env, monkeypatch):
    monkeypatch.setenv("OPENROUTER_API_KEY", SECRET)
    at = run_app("pages/benchmarks.py")
    assert not at.exception
    assert metrics(at)["Intelligence Index"] == "20 · P75"
    assert "at or above 75% of 4 rated models · rank 2 of 4 (1 tied)" in page_text(at)
    assert SECRET not in page_text(at)


def test_benchmarks_for_another_model_without_launch_evals():
    at = run_app("pages/benchmarks.py", query={"model": "openai/gpt-3.5-turbo"})
    assert not at.exception
    values = metrics(at)
    assert values["Coding Index"].startswith("10.7 · P") and values["Agentic Index"] == "not rated"
    assert "MMLU" not in values
    assert "no published launch evaluations" in page_text(at)


# --- apps --------------------------------------------------------------------------------------

def test_apps_offline_shows_the_real_list_with_its_date():
    at = run_app("pages/apps.py")
    assert not at.exception
    assert not at.dataframe  # a Markdown table: no grid to load
    frame = markdown_tables(at)[0]
    assert list(frame["App"][:2]) == ["shapes inc", "QnA3.AI · new"]
    assert list(frame["Tokens"][:1]) == ["2.12B"] and len(frame) == 14
    shares = [float(bar.split()[-1].rstrip("%")) for bar in frame["Share of listed"]]
    assert abs(sum(shares) - 100) < 1  # each rounded to 0.1
    assert frame["Share of listed"][0].startswith("██████████ ")  # the largest share: a full bar
    text = page_text(at)
    assert "Snapshot · as of 2025-04" in text and "rounded" in text
    assert "needs an OpenRouter API key" in text or "live dataset" in text


def test_apps_live_shows_the_servers_apps_as_text_with_safe_links(live_env):
    at = run_app("pages/apps.py")
    assert not at.exception
    frame = markdown_tables(at)[0]
    assert frame["App"][0] == "Fixture Chat"
    assert frame["Tokens"][2] == "unknown"  # no count, not 0
    assert "Live · fetched" in page_text(at)
    markdown = "\n".join(m.value for m in at.markdown)
    rows = next(m.value for m in at.markdown if m.value.startswith("| Rank")).splitlines()[2:]
    assert "[Fixture Chat](https://fixture-chat.example/)" in rows[0]  # the name links to its site
    assert "](" not in rows[1]  # a javascript: site is dropped: the name stays plain text
    assert "<script>" not in markdown and "javascript:" not in markdown


def test_apps_live_with_key_shows_overall_ranking(live_env, monkeypatch):
    monkeypatch.setenv("OPENROUTER_API_KEY", SECRET)
    at = run_app("pages/apps.py")
    assert not at.exception
    assert list(markdown_tables(at)[1]["App"]) == ["Fixture Agent", "Fixture IDE"]


# --- activity ----------------------------------------------------------------------------------

def test_activity_offline_shows_real_june_figures_and_a_labelled_simulation():
    at = run_app("pages/activity.py")
    assert not at.exception
    values = metrics(at)
    assert values["Tokens, June 2025"] == "518B"
    assert values["Tokens, week 2025-06-25 → 2025-07-01"] == "61.4B"
    assert values["Simulated · Total tokens"] == "518B"
    text = page_text(at)
    assert "Rank #5 among all models" in text and "Rank #10 among all models" in text
    assert any("Simulated" in w.value for w in at.warning)
    titles = [spec.get("title", {}) for spec in vega_specs(at)]
    assert titles and all("Simulated" in (t if isinstance(t, str) else t.get("text", "")) for t in titles)


def test_activity_live_shows_real_daily_rows(live_env):
    at = run_app("pages/activity.py")
    assert not at.exception
    values = metrics(at)
    # Fixture: 10 days of 9.0B..9.9B prompt + 1B completion each = 104.5B (shown to 3 figures).
    assert values["Total tokens"] == "104B"
    assert values["Requests"] == "40M"
    assert not any("Simulated" in w.value for w in at.warning)
    assert len(vega_specs(at)) == 2  # tokens and requests


def test_activity_live_with_key_shows_traffic_share(live_env, monkeypatch):
    monkeypatch.setenv("OPENROUTER_API_KEY", SECRET)
    at = run_app("pages/activity.py")
    assert not at.exception
    text = page_text(at)
    assert "10.00% of all tokens" in text and "Not in the daily top 50 on 1 of 6 days" in text


# --- API ---------------------------------------------------------------------------------------

def test_api_page_offline_balanced_by_default_and_switches_to_nitro():
    at = run_app("pages/api.py")
    assert not at.exception
    assert '"model": "openai/gpt-4o-mini"' in codes(at) and ":nitro" not in codes(at)
    at.segmented_control(key="api_mode").set_value(RoutingMode.NITRO).run()
    assert not at.exception
    code = codes(at)
    assert 'model="openai/gpt-4o-mini:nitro"' in code and 'curl' in code
    assert code.count("openai/gpt-4o-mini:nitro") >= 5


def test_api_page_pinned_mode_offers_the_models_providers():
    at = run_app("pages/api.py")
    at.segmented_control(key="api_mode").set_value(RoutingMode.PINNED).run()
    assert not at.exception
    assert "azure" in at.selectbox(key="api_pinned").options
    at.selectbox(key="api_pinned").set_value("azure").run()
    assert '"provider": {"order": ["azure"], "allow_fallbacks": False}' in codes(at)


def test_api_page_follows_the_playground_spec_and_never_shows_the_key(monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("OPENROUTER_API_KEY", SECRET)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["playground"] = PlaygroundSession(spec=RequestSpec(
        "openai/gpt-4o-mini", mode=RoutingMode.FLOOR, temperature=0.25, max_tokens=99, system_prompt="You are terse."))
    at.run()
    at.switch_page("pages/api.py").run()
    assert not at.exception
    code = codes(at)
    assert "openai/gpt-4o-mini:floor" in code and "temperature=0.25" in code and "max_tokens=99" in code
    assert "You are terse." in code
    assert "Playground's current settings" in page_text(at)
    assert SECRET not in page_text(at) and SECRET not in code
