"""Compare: the logic in routerlens/compare.py, then the page (AppTest, offline on the bundled snapshot)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
from decimal import Decimal

import pytest

from routerlens import benchmarks, compare
from routerlens.benchmarks import ScoreTable
from routerlens.config import load_settings
from routerlens.schema import Model, Pricing
from routerlens.service import DataService
from tests.conftest import markdown_tables, page_text, run_app

CURRENT = "openai/gpt-4o-mini"
OTHERS = ("openai/gpt-4.1-nano", "openai/gpt-5-mini")


def _model(model_id: str, *, prompt="0.000001", completion="0.000002", created=dt.date(2025, 1, 1),
           context=100_000, scores: dict | None = None, params=("tools",), cache=None, **extra) -> Model:
    return Model(id=model_id, name=f"Test: {model_id}", canonical_slug=model_id, created=created,
                 context_length=context,
                 pricing=Pricing(prompt=Decimal(prompt) if prompt is not None else None,
                                 completion=Decimal(completion) if completion is not None else None,
                                 input_cache_read=Decimal(cache) if cache else None),
                 supported_parameters=tuple(params),
                 benchmarks={"artificial_analysis": scores} if scores is not None else {}, **extra)


@pytest.fixture(scope="module")
def snapshot():
    """The bundled model list and score table, read the way the page reads them."""
    service = DataService(load_settings({"ROUTERLENS_OFFLINE": "1", "ROUTERLENS_HISTORY_URL": "off"}, {}))
    return service, service.models().value, benchmarks.score_table(service).value


# --- selection (the URL parameter) ---------------------------------------------------------------

def test_selection_keeps_valid_known_ids_and_says_why_others_are_dropped():
    known = {CURRENT, *OTHERS, "a/b", "c/d"}
    sel = compare.parse_selection(" openai/gpt-4.1-nano ,Not an id!,nope/x,openai/gpt-4o-mini,openai/gpt-4.1-nano,"
                                  "openai/gpt-5-mini,a/b,c/d", CURRENT, known)
    assert sel.ids == ("openai/gpt-4.1-nano", "openai/gpt-5-mini", "a/b")
    assert len(sel.problems) == 3
    assert "is not an OpenRouter model id" in sel.problems[0]
    assert "nope/x" in sel.problems[1] and "known" in sel.problems[1]
    assert "c/d" in sel.problems[2] and "4 models at most" in sel.problems[2]
    assert sel.param == "openai/gpt-4.1-nano,openai/gpt-5-mini,a/b"


def test_selection_round_trips_through_the_parameter_text():
    known = {CURRENT, *OTHERS}
    first = compare.parse_selection(",".join(OTHERS), CURRENT, known)
    assert compare.parse_selection(first.param, CURRENT, known) == first
    assert compare.parse_selection(None, CURRENT, known) == compare.Selection()
    assert compare.parse_selection(["openai/gpt-4.1-nano", "openai/gpt-5-mini"], CURRENT, known).ids == OTHERS


def test_adding_stops_at_three_others_and_never_duplicates():
    assert compare.with_added(("a/b",), "a/b") == ("a/b",)
    assert compare.with_added(("a/b",), "c/d") == ("a/b", "c/d")
    assert compare.with_added(("a/b", "c/d", "e/f"), "g/h") == ("a/b", "c/d", "e/f")


# --- rows and best values -------------------------------------------------------------------------

def test_best_marks_lowest_or_highest_and_all_ties_and_nothing_when_undecided():
    assert compare.mark_best([3, 1, 1, None], "lower") == (False, True, True, False)
    assert compare.mark_best([3, 1, None], "higher") == (True, False, False)
    assert compare.mark_best([2, 2], "higher") == (False, False)  # all equal: nothing to prefer
    assert compare.mark_best([2, None], "lower") == (False, False)  # one known value: nothing to compare
    assert compare.mark_best(["a", "b"], "") == (False, False)


def test_rows_of_the_bundled_models_hold_the_listed_values_and_mark_the_best(snapshot):
    service, _, table = snapshot
    columns = compare.columns_for(service, [CURRENT, *OTHERS])
    records = {r["Field"]: r for r in compare.table_records(compare.comparison_rows(columns, table), columns)}
    blended = records["Blended price 3:1 (per 1M)"]
    # (3 × 0.15 + 0.60) / 4 = 0.2625; (3 × 0.10 + 0.40) / 4 = 0.175; (3 × 0.25 + 2.00) / 4 = 0.6875
    assert blended[CURRENT] == "$0.2625/M"
    assert blended["openai/gpt-4.1-nano"] == "$0.175/M ★"
    assert blended["openai/gpt-5-mini"] == "$0.6875/M"
    assert blended["Best"] == "lowest ★"
    assert records["Context (tokens)"]["openai/gpt-4.1-nano"].endswith("★")
    assert records["Cached input price (per 1M)"]["openai/gpt-4.1-nano"] == "$0.025/M ★"
    assert records["Cached input price (per 1M)"]["openai/gpt-5-mini"] == "$0.025/M ★"  # tie: both marked
    assert records["Released"][CURRENT] == "2024-07-18" and records["Released"]["Best"] == "newest ★"
    assert records["Reasoning"] == {"Field": "Reasoning", "Best": "—", CURRENT: "no", "openai/gpt-4.1-nano": "no",
                                    "openai/gpt-5-mini": "yes"}
    intelligence = next(r for f, r in records.items() if f.startswith("Intelligence Index"))
    assert intelligence[CURRENT] == "not rated"  # a null score is not 0
    assert intelligence["openai/gpt-5-mini"].startswith("25.8 · P") and intelligence["openai/gpt-5-mini"].endswith("★")
    # Without a provider source every count is unknown, never 0.
    assert set(records["Providers"].values()) == {"Providers", "most ★", "unknown"}


def test_percentile_in_the_table_is_the_benchmarks_page_placement(snapshot):
    service, _, table = snapshot
    model = service.model("openai/gpt-5-mini").value
    placement = table.placements(benchmarks.identity_of(model), model.aa_indices)[0]
    columns = compare.columns_for(service, ["openai/gpt-5-mini"])
    row = next(r for r in compare.comparison_rows(columns, table) if r.label.startswith("Intelligence"))
    assert row.texts == (f"25.8 · P{placement.percentile}",)
    assert f"percentile of {placement.rated} rated" in row.label


def test_unknown_values_are_unknown_and_a_router_price_is_not_a_price():
    router = _model("openrouter/auto", prompt="-1", completion="-1", context=None, params=(), created=None)
    columns = [compare.Column(router.id, _sourced(router))]
    rows = {r.label: r for r in compare.comparison_rows(columns, ScoreTable())}
    assert rows["Blended price 3:1 (per 1M)"].texts == ("unknown",)
    assert rows["Input price (per 1M)"].texts == ("unknown",)
    assert rows["Context (tokens)"].texts == ("unknown",)
    assert rows["Tools"].texts == ("unknown",)  # no supported_parameters listed at all
    assert rows["Released"].texts == ("unknown",)


def test_csv_holds_the_table_and_defuses_formulas():
    evil = _model("x/evil", params=())
    evil = Model(**{**evil.__dict__, "name": "Test: =HYPERLINK(\"http://x\")"})
    columns = [compare.Column(evil.id, _sourced(evil))]
    records = compare.table_records(compare.comparison_rows(columns, ScoreTable()), columns)
    rows = list(csv.reader(io.StringIO(compare.to_csv(records))))
    assert rows[0] == ["Field", "Best", "x/evil"]
    assert rows[1][2].startswith("'=")
    assert ["Blended price 3:1 (per 1M)", "lowest ★", "$1.25/M"] in rows


# --- the chart -------------------------------------------------------------------------------------

def test_chart_has_every_rated_priced_model_with_the_current_and_compared_highlighted(snapshot):
    _, models, table = snapshot
    data = compare.chart_data(models, table, "intelligence_index", "openai/gpt-5-mini", ["openai/gpt-4.1-nano"])
    rated = len(table.rows("intelligence_index"))
    assert len(data.points) + data.unpriced == rated
    roles = {p["id"]: p["role"] for p in data.points if p["role"] != compare.OTHER}
    assert roles == {"openai/gpt-5-mini": compare.CURRENT, "openai/gpt-4.1-nano": compare.COMPARED}
    assert data.current["price"] == pytest.approx(0.6875) and data.current["score"] == 25.8
    assert all(p["price"] > 0 for p in data.points)  # a log axis has no place for 0
    assert data.unscored > 0 and data.points[-1]["role"] == compare.CURRENT  # drawn last, on top


def test_default_index_is_one_the_model_is_rated_on(snapshot):
    service, _, table = snapshot
    assert compare.default_index(service.model(CURRENT).value, table) == "coding_index"  # intelligence is null
    assert compare.default_index(service.model("openai/gpt-5-mini").value, table) == "intelligence_index"


# --- suggestions ------------------------------------------------------------------------------------

def test_newer_rule_keeps_same_author_newer_and_similar_price_only():
    me = _model("acme/one", created=dt.date(2025, 1, 1), scores={"intelligence_index": 20})  # blended $1.25/M
    models = [
        me,
        _model("acme/two", created=dt.date(2025, 6, 1), prompt="0.0000015", scores={"intelligence_index": 30}),
        _model("acme/three", created=dt.date(2025, 7, 1), scores={"intelligence_index": 40}),
        _model("acme/older", created=dt.date(2024, 1, 1)),
        _model("acme/pricey", created=dt.date(2025, 7, 1), prompt="0.00001"),
        _model("acme/cheap", created=dt.date(2025, 7, 1), prompt="0.0000001", completion="0.0000001"),
        _model("other/new", created=dt.date(2025, 7, 1)),
        _model("acme/three:free", created=dt.date(2025, 7, 1), prompt="0", completion="0"),
        _model("acme/unrated", created=dt.date(2025, 8, 1)),
    ]
    found, why = compare.newer_same_author(models, me, ScoreTable(), "intelligence_index")
    assert why is None
    assert [s.model.id for s in found] == ["acme/three", "acme/two", "acme/unrated"]  # by score, unrated last
    two = found[1]
    assert two.price_delta == Decimal("0.375") and two.score_delta == 10 and two.context_delta == 0
    assert "+$0.375" in two.deltas("Intelligence Index") and "(+10.0)" in two.deltas("Intelligence Index")


def test_better_rule_keeps_higher_scores_at_the_same_or_lower_price_only():
    me = _model("acme/one", scores={"intelligence_index": 20})
    models = [
        me,
        _model("x/same-price-better", scores={"intelligence_index": 25}),
        _model("x/cheaper-best", prompt="0.0000005", scores={"intelligence_index": 40}, context=50_000),
        _model("x/dearer-better", prompt="0.000002", scores={"intelligence_index": 60}),
        _model("x/cheaper-worse", prompt="0.0000005", scores={"intelligence_index": 10}),
        _model("x/equal", scores={"intelligence_index": 20}),
        _model("x/unrated", prompt="0.0000001"),
    ]
    found, why = compare.better_for_less(models, me, ScoreTable(), "intelligence_index")
    assert why is None
    assert [s.model.id for s in found] == ["x/cheaper-best", "x/same-price-better"]
    assert found[0].context_delta == -50_000 and "context −50K" in found[0].deltas("I")


def test_rules_say_why_they_cannot_apply():
    me = _model("acme/one", prompt=None, created=None)
    assert compare.newer_same_author([me], me, ScoreTable(), "intelligence_index")[1].startswith("its release date")
    assert "no Intelligence Index score" in compare.better_for_less([me], me, ScoreTable(), "intelligence_index")[1]


def test_suggestions_on_the_bundled_list_obey_their_rules(snapshot):
    service, models, table = snapshot
    me = service.model(CURRENT).value
    index = "coding_index"
    newer, _ = compare.newer_same_author(models, me, table, index)
    better, _ = compare.better_for_less(models, me, table, index)
    assert newer and better and len(newer) <= compare.TOP_N and len(better) <= compare.TOP_N
    mine = compare.blended(me)
    for item in newer:
        assert item.model.author == "openai" and item.model.created > me.created
        assert mine / 2 <= compare.blended(item.model) <= mine * 2 and ":" not in item.model.id
    own = compare.score_of(table, me, index)
    for item in better:
        assert item.score > own and compare.blended(item.model) <= mine and ":" not in item.model.id
    assert [s.score for s in better] == sorted((s.score for s in better), reverse=True)


# --- providers: speed versus price -------------------------------------------------------------------

def _endpoint(name: str, *, prompt="0.000001", completion="0.000002", tps=None, ttft=None):
    from routerlens.schema import Endpoint, Percentiles

    return Endpoint(provider_name=name, tag=name.lower(),
                    pricing=Pricing(prompt=Decimal(prompt), completion=Decimal(completion)),
                    throughput_30m=Percentiles(p50=tps) if tps is not None else None,
                    latency_30m=Percentiles(p50=ttft) if ttft is not None else None)


def _provider_table(listed, stats_only=(), *, listed_from=None, stats_from=None):
    """A provider table as providers.provider_table builds it: the endpoint list's rows first
    (their speed from that list), then rows only the stats route knows (speed and price from it)."""
    from routerlens.provenance import Kind, Provenance, Sourced
    from routerlens.providers import ProviderRow, ProviderTable

    listed_from = listed_from or Provenance.live("GET /api/v1/models/x/endpoints")
    stats_from = stats_from or Provenance(Kind.SNAPSHOT, "stats capture", "2025-06-27")
    rows = [ProviderRow(e, "endpoints" if e.throughput_30m else "") for e in listed]
    rows += [ProviderRow(e, "stats" if e.throughput_30m else "") for e in stats_only]
    return ProviderTable(rows, Sourced(list(listed), listed_from), Sourced(list(stats_only), stats_from),
                         Sourced([], Provenance.nothing("none")), Sourced([], Provenance.nothing("none")))


def test_speed_points_are_blended_price_and_p50_throughput_with_each_figures_source():
    table = _provider_table(
        [_endpoint("Fast", tps=120.0, ttft=0.4), _endpoint("Quiet"), _endpoint("Router", prompt="-1", tps=50.0)],
        [_endpoint("Extra", prompt="0.000002", completion="0.000002", tps=80.0, ttft=900.0)])
    model = compare.speed_price_model("x/model", "Model X", table)
    fast, extra = model.points
    # (3 × 1 + 1 × 2) / 4 = $1.25 per 1M; a TTFT under 30 is read as seconds (0.4 s = 400 ms)
    assert fast == {"model": "Model X", "model_id": "x/model", "provider": "Fast", "price": 1.25,
                    "throughput": 120.0, "ttft_ms": 400.0, "speed_source": table.endpoints.provenance.short_label(),
                    "price_source": table.endpoints.provenance.short_label()}
    assert fast["speed_source"].startswith("Live · fetched")
    # A row only the stats route knows: its speed and its price both come from that route.
    assert (extra["provider"], extra["price"], extra["ttft_ms"]) == ("Extra", 2.0, 900.0)
    assert extra["speed_source"] == extra["price_source"] == "Snapshot · as of 2025-06-27"
    assert model.speed_sources == (table.endpoints.provenance, table.stats.provenance)
    assert model.price_sources == (table.endpoints.provenance, table.stats.provenance)
    # Left off, and named: no published throughput; a router's -1 is no price.
    assert model.missing == "not drawn: Quiet (no published p50 throughput), Router (no known price)."


def test_a_model_without_per_provider_stats_is_named_with_the_reason_never_dropped():
    from routerlens.provenance import Provenance

    empty = _provider_table([], stats_from=Provenance.nothing("the bundled snapshot has no per-provider stats for x/y"))
    nothing = compare.speed_price_model("x/y", "Y", empty)
    assert nothing.points == () and "no per-provider stats" in nothing.missing and "x/y" in nothing.missing
    unmeasured = compare.speed_price_model("x/z", "Z", _provider_table([_endpoint("A"), _endpoint("B")]))
    assert unmeasured.points == ()
    assert unmeasured.missing.startswith("2 provider(s) listed, none drawn: A (no published p50 throughput)")
    data = compare.SpeedPriceData((nothing, unmeasured))
    assert [note.split(":")[0] for note in data.notes] == ["Y", "Z"] and data.points == []


def test_price_axis_turns_logarithmic_only_for_a_wide_spread_of_positive_prices():
    def data(*prices):
        return compare.SpeedPriceData((compare.SpeedPriceModel("a/b", "B", tuple({"price": p} for p in prices)),))

    assert data(0.1, 5.0).log_scale and not data(0.1, 0.5).log_scale and not data(0.0, 5.0).log_scale
    assert not compare.SpeedPriceData().log_scale


def test_speed_points_of_the_bundled_snapshot(snapshot):
    """Offline: gpt-4o-mini's two providers and the dated model's one (a stats-only row) from the
    bundled per-provider stats; gpt-4.1-nano has none, and the reason says so."""
    service, _, _ = snapshot
    ids = [CURRENT, "openai/gpt-4.1-nano", "openai/gpt-4o-mini-2024-07-18"]
    data = compare.speed_price_data(service, ids, {CURRENT: "GPT-4o-mini", "openai/gpt-4.1-nano": "GPT-4.1 Nano",
                                                    "openai/gpt-4o-mini-2024-07-18": "GPT-4o-mini"})
    mini, nano, dated = data.models
    assert {(p["provider"], p["throughput"], p["ttft_ms"]) for p in mini.points} == {
        ("OpenAI", 74.8, 327.0), ("Azure", 116.7755, 1232.5)}
    assert {p["price"] for p in mini.points} == {0.2625}
    assert {p["speed_source"] for p in data.points} == {"Snapshot · as of 2025-06-27"}
    assert mini.name == CURRENT and dated.name == "openai/gpt-4o-mini-2024-07-18"  # a shared name: ids tell them apart
    assert [(p["provider"], p["throughput"]) for p in dated.points] == [("OpenAI", 108.303)]
    assert nano.points == () and "no per-provider stats" in nano.missing and "openai/gpt-4.1-nano" in nano.missing


# --- lifecycle ----------------------------------------------------------------------------------------

def test_lifecycle_names_the_date_and_the_first_newer_model_as_successor(snapshot):
    service, models, table = snapshot
    glm = service.model("z-ai/glm-4.5").value
    item = compare.lifecycle(service, glm).value
    assert item.expires == dt.date(2026, 12, 31)
    first, _ = compare.newer_same_author(models, glm, table, "intelligence_index", limit=1)
    assert item.successor is not None and item.successor.model.id == first[0].model.id
    assert item.successor.model.author == "z-ai" and item.successor.model.created > glm.created
    assert compare.lifecycle(service, service.model(CURRENT).value).value is None


def _sourced(model):
    from routerlens.provenance import Provenance, Sourced

    return Sourced(model, Provenance.live("GET /api/v1/models"))


# --- the page (AppTest, offline) ------------------------------------------------------------------

def _compare_page(compare_param: str | None = ",".join(OTHERS), model: str = CURRENT):
    query = {"model": model}
    if compare_param is not None:
        query[compare.PARAM] = compare_param
    at = run_app("pages/compare.py", query=query)
    assert not at.exception, [e.message for e in at.exception]
    return at


def _table(at):
    return next(t for t in markdown_tables(at) if "Field" in t.columns).set_index("Field")


def test_page_opens_the_linked_comparison_with_every_column_filled():
    at = _compare_page()
    table = _table(at)
    assert list(table.columns) == ["Best", CURRENT, *OTHERS]
    assert table.loc["Name"].tolist()[1:] == ["GPT-4o-mini", "GPT-4.1 Nano", "GPT-5 Mini"]
    assert table.loc["Blended price 3:1 (per 1M)", "openai/gpt-4.1-nano"] == "$0.175/M ★"
    assert table.loc["Input price (per 1M)", CURRENT] == "$0.15/M"
    assert table.loc["Providers", CURRENT] == "2"  # the bundled endpoint list of gpt-4o-mini
    for column in (CURRENT, *OTHERS):  # the model-list rows are filled in every column
        assert "unknown" not in table.loc[["Author", "Released", "Context (tokens)", "Output price (per 1M)"],
                                          column].tolist()
    text = page_text(at)
    assert "Snapshot · as of 2026-08-19" in text and "Model entry:" in text
    sources = [c.value for c in at.caption if c.value.startswith("Model entry:")]
    assert len(sources) == 3 and all("Index scores:" in c for c in sources)
    assert "Providers: Snapshot · as of 2025-06-27" in sources[0]
    assert "Providers: No data" in sources[1]  # no bundled provider list: said, not guessed
    assert "No model “" not in text


def _chart_rows(at, field: str) -> tuple[dict, list[dict]]:
    """The one chart whose data has ``field`` (its spec, and its rows)."""
    found = []
    for chart in at.get("vega_lite_chart"):
        rows = [row for dataset in chart.proto.datasets for row in _arrow_rows(dataset)]
        if any(field in row for row in rows):
            found.append((json.loads(chart.proto.spec), rows))
    assert len(found) == 1, f"{len(found)} charts with {field!r}"
    return found[0]


def test_page_chart_highlights_this_model_and_labels_the_compared_ones():
    at = _compare_page()
    spec, data = _chart_rows(at, "role")
    roles = {(row["id"], row["role"]) for row in data if row.get("role") and row["role"] != compare.OTHER}
    assert roles == {(CURRENT, compare.CURRENT), ("openai/gpt-4.1-nano", compare.COMPARED),
                     ("openai/gpt-5-mini", compare.COMPARED)}
    assert "log" in json.dumps(spec)
    assert "Coding Index" in page_text(at) and "have no Coding Index score" in page_text(at)


def _arrow_rows(dataset) -> list[dict]:
    import pyarrow as pa

    return pa.ipc.open_stream(dataset.data.data).read_all().to_pylist()


def test_page_live_reads_each_compared_models_providers_from_the_server(live_env):
    at = run_app("pages/compare.py", query={"model": CURRENT, compare.PARAM: "openai/gpt-3.5-turbo"})
    assert not at.exception, [e.message for e in at.exception]
    table = _table(at)
    assert table.loc["Providers", "openai/gpt-3.5-turbo"] == "1"  # the fixture's one endpoint
    assert table.loc["Input price (per 1M)", "openai/gpt-3.5-turbo"] == "$0.50/M"
    assert live_env.requests_to("/api/v1/models/openai/gpt-3.5-turbo/endpoints")
    sources = [c.value for c in at.caption if c.value.startswith("Model entry:")]
    assert len(sources) == 2 and all("Model entry: Live · fetched" in c for c in sources)


def test_page_draws_each_providers_speed_and_price_and_names_models_without_stats():
    at = _compare_page("openai/gpt-4.1-nano,openai/gpt-4o-mini-2024-07-18")
    spec, rows = _chart_rows(at, "throughput")
    assert {(r["model"], r["provider"]) for r in rows} == {
        ("GPT-4o-mini", "OpenAI"), ("GPT-4o-mini", "Azure"), ("GPT-4o-mini (2024-07-18)", "OpenAI")}
    assert {r["speed_source"] for r in rows} == {r["price_source"] for r in rows} == {"Snapshot · as of 2025-06-27"}
    assert sorted(r["ttft"] for r in rows) == ["1,232 ms", "327 ms", "338 ms"]  # p50 TTFT in the hover
    encoded = json.dumps(spec)
    assert '"shape"' in encoded and '"color"' in encoded, "models differ by shape too, not by colour alone"
    assert "mark" in encoded and '"text"' in encoded, "each point is labelled with its provider"
    tooltips = {t.get("title") for layer in spec["layer"] for t in layer["encoding"].get("tooltip", [])}
    assert {"Provider", "Model", "Blended 3:1 $/1M", "Throughput p50 tok/s", "Latency (TTFT) p50", "Speed source",
            "Price source"} <= tooltips
    captions = [c.value for c in at.caption]
    assert any(c.startswith("GPT-4.1 Nano\\: no per-provider stats") for c in captions), captions
    assert "**GPT-4o-mini** · speed from" in captions and "**GPT-4o-mini \\(2024-07-18\\)** · speed from" in captions
    assert "Snapshot · as of 2025-06-27" in page_text(at)


def test_page_without_any_provider_stats_says_there_is_nothing_to_draw():
    at = _compare_page(None, model="openai/gpt-4.1-nano")
    assert not [c for c in at.get("vega_lite_chart")
                if any("throughput" in row for d in c.proto.datasets for row in _arrow_rows(d))]
    assert any("None of the compared models has per-provider speed figures" in i.value for i in at.info)
    assert any(c.value.startswith("GPT-4.1 Nano\\: no per-provider stats") for c in at.caption)


def test_page_live_draws_each_compared_models_providers_from_the_server(live_env):
    at = run_app("pages/compare.py", query={"model": CURRENT, compare.PARAM: "openai/gpt-3.5-turbo"})
    assert not at.exception, [e.message for e in at.exception]
    _, rows = _chart_rows(at, "throughput")
    assert {r["model_id"] for r in rows} == {CURRENT, "openai/gpt-3.5-turbo"}
    assert all(r["speed_source"].startswith("Live · fetched") for r in rows)
    turbo = [r for r in rows if r["model_id"] == "openai/gpt-3.5-turbo"]
    assert [r["price"] for r in turbo] == [0.75]  # (3 × 0.50 + 1.50) / 4 from the fixture's endpoint list
    stats = live_env.requests_to("/api/frontend/v1/stats/endpoint")
    assert {r.query.get("permaslug", [""])[0] for r in stats} >= {"openai/gpt-3.5-turbo"}


def test_compare_set_is_kept_for_the_playground():
    at = _compare_page()
    assert at.session_state["compare_set"] == (CURRENT, *OTHERS)


def test_invalid_and_unknown_ids_are_messages_not_exceptions():
    at = _compare_page("openai/gpt-4.1-nano,<script>,nobody/no-such-model")
    warnings = " ".join(w.value for w in at.warning)
    assert "is not an OpenRouter model id" in warnings and "nobody/no-such-model" in warnings
    assert list(_table(at).columns) == ["Best", CURRENT, "openai/gpt-4.1-nano"]


def test_picking_a_model_writes_the_url_and_the_url_reopens_it():
    at = _compare_page(None)
    assert list(_table(at).columns) == ["Best", CURRENT]
    at.multiselect(key="cmp_pick").set_value(["openai/gpt-5-mini"]).run()
    assert at.query_params[compare.PARAM] == "openai/gpt-5-mini"
    assert list(_table(at).columns) == ["Best", CURRENT, "openai/gpt-5-mini"]
    reopened = _compare_page(at.query_params[compare.PARAM])
    assert list(_table(reopened).columns) == ["Best", CURRENT, "openai/gpt-5-mini"]


def test_add_button_adds_the_suggestion_to_the_comparison_and_the_url(snapshot):
    service, models, table = snapshot
    expected = compare.better_for_less(models, service.model(CURRENT).value, table, "coding_index")[0][0].model.id
    at = _compare_page("openai/gpt-5-mini")
    text = page_text(at)
    assert "Rule: Models that score higher" in text and "Rule: Newer models by the same author" in text
    at.button(key="cmp_better0_add").click().run()
    assert not at.exception
    assert at.query_params[compare.PARAM] == f"openai/gpt-5-mini,{expected}"
    assert list(_table(at).columns) == ["Best", CURRENT, "openai/gpt-5-mini", expected]
    assert at.button(key="cmp_better0_add").label == "Added" and at.button(key="cmp_better0_add").disabled


def test_unrated_model_says_its_chart_point_and_rule_b_cannot_apply():
    at = _compare_page(None, model="openai/gpt-4o-mini")
    at.segmented_control(key="cmp_index").set_value("intelligence_index").run()
    text = page_text(at)
    assert "has no Intelligence Index score, so it is not on the chart" in text
    assert "This rule cannot apply: it has no Intelligence Index score." in text


def test_overview_shows_the_lifecycle_with_the_suggested_successor():
    at = run_app(query={"model": "z-ai/glm-4.5"})
    assert not at.exception, [e.message for e in at.exception]
    text = page_text(at)
    assert "is listed to expire on" in text and "2026-12-31" in text
    assert "Suggested successor" in text and "z-ai/glm-5" in text
    plain = run_app(query={"model": CURRENT})
    assert "Lifecycle" not in page_text(plain)


def test_environment_is_offline():
    assert os.environ["ROUTERLENS_OFFLINE"] == "1"
