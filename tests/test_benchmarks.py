"""Percentile math, benchmark parsing and the comparison-set selection (offline and live)."""

from __future__ import annotations

import json

import pytest

from routerlens import benchmarks as bm
from routerlens.config import load_settings
from routerlens.parse import ParseError, parse_model
from routerlens.service import DataService
from routerlens.snapshot import DATA_DIR


def offline_service() -> DataService:
    return DataService(load_settings({"ROUTERLENS_OFFLINE": "1"}))


def live_service(fake, **extra) -> DataService:
    return DataService(load_settings({"OPENROUTER_BASE_URL": fake.base_url, "ROUTERLENS_DATA_MODE": "auto",
                                      "ROUTERLENS_TIMEOUT": "3", **extra}))


# --- place() -----------------------------------------------------------------------------------

def test_percentile_counts_models_at_or_below_including_itself():
    scores = {"a": 10.0, "b": 20.0, "me": 30.0, "c": 40.0}
    p = bm.place(scores, "me")
    assert (p.status, p.rated, p.at_or_below, p.rank, p.ties) == ("rated", 4, 3, 2, 0)
    assert p.percentile == 75
    assert p.wording() == "at or above 75% of 4 rated models · rank 2 of 4"


def test_ties_count_as_at_or_below_and_share_the_rank():
    scores = {"a": 10.0, "me": 20.0, "twin": 20.0, "c": 30.0}
    me, twin = bm.place(scores, "me"), bm.place(scores, "twin")
    assert me.at_or_below == twin.at_or_below == 3
    assert me.rank == twin.rank == 2
    assert me.ties == 1 and "(1 tied)" in me.wording()


def test_percentile_is_rounded_down_never_overstated():
    scores = {f"m{i}": float(i) for i in range(3)}  # me is the top of three: 3/3
    assert bm.place(scores, "m2").percentile == 100
    assert bm.place(scores, "m1").percentile == 66  # 2/3 = 66.7 → 66, not 67


def test_nulls_are_not_rated_and_not_counted():
    scores = {"a": 10.0, "b": None, "me": 20.0, "c": None}
    p = bm.place(scores, "me")
    assert p.rated == 2 and p.percentile == 100
    unrated = bm.place(scores, "b")
    assert unrated.status == "not rated" and unrated.score is None and unrated.percentile is None
    assert unrated.wording().startswith("not rated")
    assert "0%" not in unrated.wording()


def test_zero_is_a_real_score_not_a_missing_one():
    p = bm.place({"me": 0.0, "a": 5.0}, "me")
    assert p.status == "rated" and p.score == 0.0 and p.percentile == 50


def test_model_missing_from_list():
    p = bm.place({"a": 1.0, "b": 2.0}, "ghost")
    assert p.status == "not in list" and p.percentile is None and p.rank is None
    assert "not in the comparison list" in p.wording()


def test_model_missing_from_list_but_with_its_own_score_is_placed_among_the_rest():
    p = bm.place({"a": 1.0, "b": 2.0, "c": 3.0}, "ghost", own_score=2.5)
    assert (p.rated, p.at_or_below, p.rank) == (4, 3, 2)


def test_single_rated_model_wording_is_singular():
    assert bm.place({"me": 5.0}, "me").wording() == "at or above 100% of 1 rated model · rank 1 of 1"


# --- tables ------------------------------------------------------------------------------------

def _model(model_id: str, slug: str, aa: dict | None) -> dict:
    raw = {"id": model_id, "name": model_id, "canonical_slug": slug}
    if aa is not None:
        raw["benchmarks"] = {"artificial_analysis": aa, "design_arena": []}
    return raw


def test_variants_share_their_base_models_scores_and_are_counted_once():
    models = [parse_model(m) for m in (
        _model("x/a", "x/a-2026", {"intelligence_index": 50, "coding_index": 40, "agentic_index": None}),
        _model("x/a:batch", "x/a-2026", {"intelligence_index": 50, "coding_index": 40, "agentic_index": None}),
        _model("x/b", "x/b", {"intelligence_index": 30, "coding_index": None, "agentic_index": None}),
        _model("x/no-bench", "x/no-bench", None),
    )]
    table = bm.table_from_models(models)
    assert table.scores["intelligence_index"] == {"x/a-2026": 50.0, "x/b": 30.0}
    assert table.names["x/a-2026"] == "x/a"  # the base model's name, not the variant's
    assert "x/no-bench" not in table.scores["coding_index"]
    placements = {p.index: p for p in table.placements("x/b")}
    assert placements["coding_index"].status == "not rated"
    assert placements["intelligence_index"].rated == 2


def test_parse_benchmarks_flat_and_nested_shapes():
    table = bm.parse_benchmarks({"data": [
        {"model_permaslug": "a/one", "display_name": "One", "intelligence_index": "12.5", "coding_index": None},
        {"permaslug": "b/two", "aa_name": "Two", "benchmark_data": {"evaluations": {
            "artificial_analysis_intelligence_index": 53, "artificial_analysis_coding_index": 48.1}}},
        {"display_name": "no id, skipped"},
        "garbage",
    ]})
    assert table.scores["intelligence_index"] == {"a/one": 12.5, "b/two": 53.0}
    assert table.scores["coding_index"] == {"a/one": None, "b/two": 48.1}
    assert table.names == {"a/one": "One", "b/two": "Two"}


def test_parse_benchmarks_rejects_a_wrong_envelope():
    with pytest.raises(ParseError):
        bm.parse_benchmarks({"data": {"not": "a list"}})


# --- data access -------------------------------------------------------------------------------

def _independent_count(index: str) -> tuple[int, int]:
    """Brute force over the raw bundled file: (rated models, rated models at or below gpt-4o-mini)."""
    raw = json.loads((DATA_DIR / "snapshot" / "api_v1_models_2026-08-19.json").read_text())["data"]
    scores = {}
    for item in raw:
        aa = (item.get("benchmarks") or {}).get("artificial_analysis")
        if aa and aa.get(index) is not None:
            scores[item["id"].split(":")[0]] = aa[index]
    mine = scores["openai/gpt-4o-mini"]
    return len(scores), sum(1 for v in scores.values() if v <= mine)


def test_offline_placements_for_gpt_4o_mini_use_the_full_bundled_list():
    service = offline_service()
    model = service.model("openai/gpt-4o-mini").value
    result = bm.score_table(service).map(lambda t: t.placements(bm.identity_of(model), model.aa_indices))
    assert result.provenance.kind.value == "snapshot"
    by_index = {p.index: p for p in result.value}
    assert by_index["intelligence_index"].status == "not rated"  # null in the data, never 0
    coding = by_index["coding_index"]
    assert coding.score == 11.4
    assert (coding.rated, coding.at_or_below) == _independent_count("coding_index")
    assert coding.rated == 122
    assert (by_index["agentic_index"].rated, by_index["agentic_index"].at_or_below) == _independent_count("agentic_index")


def test_launch_scores_are_the_six_published_values_in_order():
    rows = bm.launch_scores(offline_service(), "openai/gpt-4o-mini").value
    assert [(info.label, score) for info, score in rows] == [
        ("MMLU", 82.0), ("GPQA", 40.2), ("MATH", 70.2), ("HumanEval", 87.2), ("MGSM", 87.0), ("DROP (F1, 3-shot)", 79.7)]
    assert all(info.measures for info, _ in rows)
    assert bm.launch_scores(offline_service(), "openai/gpt-3.5-turbo").value == []


def test_live_without_key_uses_the_model_list(fake):
    service = live_service(fake)
    table = bm.score_table(service)
    assert table.provenance.kind.value == "live" and table.value.source == "model list"
    assert fake.requests_to("/api/v1/benchmarks") == []


def test_live_with_key_uses_the_benchmarks_dataset(fake):
    service = live_service(fake, OPENROUTER_API_KEY="sk-or-v1-test")
    model = service.model("openai/gpt-4o-mini").value
    result = bm.score_table(service).map(lambda t: t.placements(bm.identity_of(model), model.aa_indices))
    assert result.provenance.kind.value == "live"
    by_index = {p.index: p for p in result.value}
    # Fixture: 10, 20 (me), 20 (tie), 60 → 3 of 4 at or below, rank 2, one tie.
    intel = by_index["intelligence_index"]
    assert (intel.rated, intel.at_or_below, intel.rank, intel.ties) == (4, 3, 2, 1)
    assert by_index["agentic_index"].status == "not rated"
    sent = fake.requests_to("/api/v1/benchmarks")
    assert sent and sent[0].query["source"] == ["artificial-analysis"]
    assert sent[0].headers["authorization"] == "Bearer sk-or-v1-test"


def test_benchmarks_dataset_failure_falls_back_to_the_model_list_with_a_notice(fake):
    fake.set_json("/api/v1/benchmarks", {"error": {"code": 500, "message": "boom"}}, status=500)
    table = bm.score_table(live_service(fake, OPENROUTER_API_KEY="sk-or-v1-test"))
    assert table.value.source == "model list" and table.provenance.kind.value == "live"
    assert "Using the model list's scores instead" in table.notice


# --- ranked within the source that holds the model -----------------------------------------------

def test_an_empty_live_list_never_ranks_the_model_against_itself(fake):
    """The live list answers but is empty: the model comes from the snapshot, and so does the
    set it is ranked in (never "P100 · rank 1 of 1" under a Live badge)."""
    fake.set_json("/api/v1/models", {"data": []})
    service = live_service(fake)
    model = service.model("openai/gpt-4o-mini").value
    result = bm.ranking(service, model)
    assert result.provenance.kind.value == "snapshot"
    coding = {p.index: p for p in result.value.placements}["coding_index"]
    assert (coding.rated, coding.at_or_below) == _independent_count("coding_index")
    assert "does not hold openai/gpt-4o-mini" in result.notice


def test_benchmarks_page_with_an_empty_live_list_shows_the_snapshot_ranking(live_env):
    from tests.conftest import page_text, run_app

    live_env.set_json("/api/v1/models", {"data": []})
    at = run_app("pages/benchmarks.py")
    assert not at.exception
    text = page_text(at)
    assert "rank 1 of 1" not in text and "of 122 rated models" in text
    assert "Snapshot · as of 2026-08-19" in text


def test_a_dataset_without_the_model_falls_back_to_the_list_that_holds_it(fake):
    payload = fake.routes[("GET", "/api/v1/benchmarks")].json
    payload["data"] = [item for item in payload["data"] if "gpt-4o-mini" not in str(item.get("model_permaslug"))]
    service = live_service(fake, OPENROUTER_API_KEY="sk-or-v1-test")
    result = bm.ranking(service, service.model("openai/gpt-4o-mini").value)
    assert result.value.table.source == "model list" and result.provenance.kind.value == "live"
    assert "does not hold" in result.notice and "Using the model list's scores instead" in result.notice
