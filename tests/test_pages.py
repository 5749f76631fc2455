"""AppTest runs of every page, offline and live against the loopback server."""

from __future__ import annotations

import pytest

from tests.conftest import all_pages, markdown_tables, page_text, run_app
from tests.fakeserver import Reply

PAGES = all_pages()


def test_every_page_is_registered():
    assert "pages/overview.py" in PAGES


@pytest.mark.parametrize("page", PAGES)
def test_page_offline_has_no_exception(page):
    at = run_app(page)
    assert not at.exception, [e.message for e in at.exception]


@pytest.mark.parametrize("page", PAGES)
def test_page_live_has_no_exception(live_env, page):
    at = run_app(page)
    assert not at.exception, [e.message for e in at.exception]
    assert live_env.requests, "the live run should have called the loopback server"


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_overview_offline_shows_snapshot_figures():
    at = run_app()
    metrics = _metrics(at)
    assert metrics["Input price"] == "$0.15/M"
    assert metrics["Output price"] == "$0.60/M"
    assert metrics["Cached input price"] == "$0.075/M"
    assert metrics["Context"] == "128K"
    assert metrics["Max output"] == "16K"
    assert metrics["Released"] == "2024-07-18"
    assert metrics["Knowledge cutoff"] == "Oct 2023"
    assert metrics["Modalities"].startswith("text + image")
    text = page_text(at)
    assert "Snapshot · as of 2026-08-19" in text
    assert "Live ·" not in text


def test_overview_small_tables_are_markdown_with_the_snapshot_values():
    at = run_app()
    assert not at.dataframe  # no grid chunk to load on the landing page
    tables = {tuple(frame.columns)[0]: frame for frame in markdown_tables(at)}
    assert set(tables) == {"Compared with", "Provider", "Captured"}
    providers = tables["Provider"].set_index("Provider")
    assert providers.loc["OpenAI", "Input $/M"] == "$0.15/M" and providers.loc["OpenAI", "Output $/M"] == "$0.60/M"
    claims = tables["Compared with"].set_index("Compared with")
    assert claims.loc["GPT-3.5 Turbo", "Blended 3:1"] == "65% cheaper"
    assert len(tables["Captured"]) == 4  # four dated captures of the model's entry


def test_overview_recomputes_description_claims():
    at = run_app()
    text = page_text(at)
    # "more than 60% cheaper than GPT-3.5 Turbo": recomputed from both models' list prices.
    assert "65% cheaper (blended)" in text
    assert "60% cheaper" in text  # output price
    assert _metrics(at)["MMLU (OpenAI launch evals)"] == "82.0%"


def test_overview_live_shows_server_values(live_env):
    payload = live_env.routes[("GET", "/api/v1/models")].json
    for model in payload["data"]:
        if model["id"] == "openai/gpt-4o-mini":
            model["context_length"] = 64000
            model["pricing"]["prompt"] = "0.0000002"
    at = run_app()
    metrics = _metrics(at)
    assert metrics["Context"] == "64K"
    assert metrics["Input price"] == "$0.20/M"
    assert "Live · fetched" in page_text(at)


def test_overview_falls_back_to_snapshot_when_server_stops(live_env):
    live_env.down = True
    at = run_app()
    assert not at.exception
    text = page_text(at)
    assert _metrics(at)["Input price"] == "$0.15/M"
    # Said once, at the top of the page, with why; the sections only carry their Snapshot badges.
    assert [w.value for w in at.warning if "On the bundled snapshot" in w.value][0].count("Live OpenRouter") == 1
    assert "Snapshot · as of" in text


def test_overview_falls_back_on_server_error(live_env):
    live_env.fail_everything(Reply(status=500, json={"error": {"code": 500, "message": "boom"}}))
    at = run_app()
    assert not at.exception
    assert "HTTP 500" in page_text(at)


def test_model_from_query_param_opens_that_model():
    at = run_app(query={"model": "openai/gpt-3.5-turbo"})
    assert not at.exception
    assert at.title[0].value == "GPT-3.5 Turbo"
    assert _metrics(at)["Input price"] == "$0.50/M"


def test_model_id_and_parameters_are_shown_exactly_as_code(live_env):
    """Inside a code span nothing is interpreted, escapes included: they would show as backslashes
    (``anthropic/claude-haiku-4.5\\:batch``). A parameter's backticks and line breaks stay inside its span."""
    payload = live_env.routes[("GET", "/api/v1/models")].json
    model = next(m for m in payload["data"] if m["id"] == "openai/gpt-4o-mini")
    model["supported_parameters"] = ["tools", "odd`name", "two\n\nlines"]
    at = run_app()
    written = [m.value for m in at.markdown]
    assert any(value.startswith("`openai/gpt-4o-mini` · by") for value in written)
    assert "`tools` ``odd`name`` `two  lines`" in written
    offline = run_app(query={"model": "anthropic/claude-haiku-4.5:batch"})
    assert any(m.value.startswith("`anthropic/claude-haiku-4.5:batch` · by") for m in offline.markdown)


def test_unknown_model_is_a_message_not_an_exception():
    at = run_app(query={"model": "nobody/nothing-9000"})
    assert not at.exception
    assert any("nobody/nothing-9000" in e.value for e in at.error)


def test_description_html_is_never_rendered(live_env):
    payload = live_env.routes[("GET", "/api/v1/models")].json
    for model in payload["data"]:
        if model["id"] == "openai/gpt-4o-mini":
            model["description"] = "Hi <script>alert(1)</script> <img src=x onerror=alert(2)> [x](javascript:alert(3))"
    at = run_app()
    md = "\n".join(m.value for m in at.markdown)
    assert "<script>" not in md and "<img" not in md
    assert "&lt;script&gt;" in md
    assert "javascript:" not in md
