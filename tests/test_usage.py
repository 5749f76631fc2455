"""Top apps, daily activity, ranking totals and traffic share: parsing, math and sources."""

from __future__ import annotations

import datetime as dt

import pytest

from routerlens import routes, usage
from routerlens.config import load_settings
from routerlens.parse import ParseError, to_count
from routerlens.service import DataService
from tests.fakeserver import Reply

GPT = "openai/gpt-4o-mini"


def service_for(env: dict) -> DataService:
    return DataService(load_settings(env))


def offline() -> DataService:
    return service_for({"ROUTERLENS_OFFLINE": "1"})


def live(fake, mode: str = "auto", **extra) -> DataService:
    return service_for({"OPENROUTER_BASE_URL": fake.base_url, "ROUTERLENS_DATA_MODE": mode,
                        "ROUTERLENS_TIMEOUT": "3", **extra})


def model_of(service: DataService, model_id: str = GPT):
    return service.model(model_id).value


# --- scalars -----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("2.12B", 2_120_000_000), ("79.5M", 79_500_000), ("518B", 518_000_000_000), ("61.4b", 61_400_000_000),
    ("890260479", 890_260_479), ("1,234", 1234), (12, 12), ("", None), ("n/a", None), ("-5", None),
    (None, None), (True, None),
])
def test_to_count(text, expected):
    assert to_count(text) == expected


# --- top apps ----------------------------------------------------------------------------------

def test_parse_top_apps_route_shape_keeps_untrusted_text_as_text_and_drops_unsafe_links():
    apps = usage.parse_top_apps({"data": {"top_apps": [
        {"rank": 2, "total_tokens": "100", "app": {"title": "<b>B</b>", "description": "<script>x</script>",
                                                   "origin_url": "javascript:alert(1)"}},
        {"rank": 1, "total_tokens": "300", "total_requests": 7,
         "app": {"title": "A", "origin_url": None, "main_url": "https://a.example"}},
        {"rank": 3, "app": {"title": "   "}},  # nameless: skipped
        "garbage",
    ]}})
    assert [a.name for a in apps] == ["A", "<b>B</b>"]  # sorted by rank; text kept verbatim (rendered as text)
    assert apps[0].url == "https://a.example" and apps[0].requests == 7
    assert apps[1].url is None  # javascript: never becomes a link
    assert apps[1].tokens == 100


def test_parse_top_apps_accepts_the_2025_stats_app_list():
    apps = usage.parse_top_apps([{"app_id": 170472, "total_tokens": "890260479", "app": {
        "id": 170472, "description": "Games with AI companions", "title": "FunTalk AI",
        "main_url": None, "origin_url": "https://www.funtalk.ai/"}}])
    assert apps == [usage.TopApp(rank=1, name="FunTalk AI", description="Games with AI companions",
                                 tokens=890260479, url="https://www.funtalk.ai/")]


def test_parse_top_apps_tolerates_missing_lists_and_rejects_wrong_types():
    assert usage.parse_top_apps({"data": {}}) == []
    with pytest.raises(ParseError):
        usage.parse_top_apps({"data": {"top_apps": "nope"}})


def test_shares_are_of_the_listed_total_and_unknown_stays_unknown():
    apps = [usage.TopApp(1, "a", tokens=300), usage.TopApp(2, "b", tokens=100), usage.TopApp(3, "c")]
    assert usage.shares(apps) == [75.0, 25.0, None]
    assert usage.shares([usage.TopApp(1, "a")]) == [None]


def test_offline_top_apps_are_the_real_page_list_with_its_date():
    service = offline()
    result = usage.top_apps(service, model_of(service))
    assert len(result.value) == 14
    first, last = result.value[0], result.value[-1]
    assert (first.rank, first.name, first.tokens_display, first.tokens) == (1, "shapes inc", "2.12B", 2_120_000_000)
    assert (last.name, last.tokens_display) == ("LauncherIOS", "79.5M")
    assert result.value[1].is_new and not first.is_new
    assert result.provenance.kind.value == "snapshot" and result.provenance.as_of == "2025-04"
    assert "rounded" in result.provenance.note


def test_offline_top_apps_for_a_model_without_a_list_say_so():
    service = offline()
    result = usage.top_apps(service, model_of(service, "openai/gpt-3.5-turbo"))
    assert result.value == [] and "no top apps" in result.notice


def test_live_top_apps_use_the_v1_route_with_permaslug_and_variant(fake):
    service = live(fake)
    result = usage.top_apps(service, model_of(service))
    assert result.provenance.kind.value == "live"
    assert [a.name for a in result.value][:1] == ["Fixture Chat"]
    sent = fake.requests_to("/api/frontend/v1/stats/top-apps-for-model")
    assert sent[0].query == {"permaslug": [GPT], "variant": ["standard"]}


def test_live_top_apps_fall_back_to_the_unversioned_path_on_404(fake):
    payload = fake.routes.pop(("GET", "/api/frontend/v1/stats/top-apps-for-model")).json
    fake.set_json("/api/frontend/stats/top-apps-for-model", payload)
    service = live(fake)
    result = usage.top_apps(service, model_of(service))
    assert result.provenance.kind.value == "live" and result.value[0].name == "Fixture Chat"
    assert fake.requests_to("/api/frontend/v1/stats/top-apps-for-model")  # tried first


def test_live_top_apps_fall_back_to_the_snapshot_in_auto_mode(fake):
    fake.down = True
    service = live(fake)
    result = usage.top_apps(service, model_of(service))
    assert result.provenance.kind.value == "snapshot" and len(result.value) == 14
    assert "showing the bundled snapshot" in result.notice


# --- activity ----------------------------------------------------------------------------------

def test_parse_activity_from_top_apps_chart_and_model_activity_list():
    rows = [{"date": "2025-06-02 00:00:00", "total_prompt_tokens": 100, "total_completion_tokens": 40,
             "total_native_tokens_reasoning": 10, "total_native_tokens_cached": 30, "count": 5},
            {"date": "not a date", "total_prompt_tokens": 1},
            {"date": "2025-06-01", "total_prompt_tokens": "50", "total_completion_tokens": None}]
    for payload in ({"data": {"top_apps": [], "top_apps_chart": rows}}, {"data": rows}, rows):
        days = usage.parse_activity(payload)
        assert [d.date for d in days] == [dt.date(2025, 6, 1), dt.date(2025, 6, 2)]
        assert days[1].total == 140 and days[1].requests == 5
        assert days[1].parts() == {"Prompt": 70, "Prompt (cached)": 30, "Completion": 30, "Reasoning": 10}
        assert days[0].completion is None and days[0].total == 50
    assert usage.parse_activity({"data": {"top_apps": []}}) == []
    with pytest.raises(ParseError):
        usage.parse_activity({"data": "nope"})


def test_total_only_days_make_one_unsplit_segment():
    day = usage.ActivityDay(dt.date(2025, 6, 1), tokens=99)
    assert day.total == 99 and day.parts() == {"Total (not split by source)": 99}


def test_moving_average_needs_a_full_window_of_known_values():
    assert usage.moving_average([1, 2, 3, 4], window=3) == [None, None, 2.0, 3.0]
    assert usage.moving_average([1, None, 3, 4, 5], window=3) == [None, None, None, None, 4.0]


def test_summary_leaves_a_component_unknown_unless_every_day_reports_it():
    days = [usage.ActivityDay(dt.date(2025, 6, 1), prompt=10, completion=5, requests=2),
            usage.ActivityDay(dt.date(2025, 6, 2), prompt=30, completion=5, requests=None)]
    summary = usage.summarize(days)
    assert (summary.total, summary.prompt, summary.completion) == (50, 40, 10)
    assert summary.requests is None and summary.reasoning is None
    assert summary.peak_day == dt.date(2025, 6, 2) and summary.daily_mean == 25


def test_real_ranking_totals_are_parsed_with_their_periods():
    service = offline()
    figures = usage.token_volume(service, model_of(service)).value
    month, week = figures
    assert (month.period, month.tokens, month.rank, month.tokens_display) == ("month", 518_000_000_000, 5, "518B")
    assert (month.start, month.end) == (dt.date(2025, 6, 1), dt.date(2025, 6, 30))
    assert (week.tokens, week.rank) == (61_400_000_000, 10)
    assert (week.start, week.end) == (dt.date(2025, 6, 25), dt.date(2025, 7, 1))


def test_simulated_month_adds_up_exactly_to_the_real_total_and_is_deterministic():
    figure = usage.VolumeFigure("month", "x", 5, 518_000_000_000, "518B", dt.date(2025, 6, 1), dt.date(2025, 6, 30))
    a, b = usage.simulated_month(figure, "seed"), usage.simulated_month(figure, "seed")
    assert a == b and len(a) == 30
    assert sum(d.total for d in a) == 518_000_000_000
    assert all(d.total > 0 for d in a)
    assert len({d.total for d in a}) > 20  # a shape, not a flat line


def test_offline_activity_is_simulated_seeded_from_the_real_month_and_says_so():
    service = offline()
    result = usage.daily_activity(service, model_of(service))
    assert result.provenance.is_simulated
    assert "518B" in result.provenance.note and "simulated" in result.notice
    assert sum(d.total for d in result.value) == 518_000_000_000


def test_offline_activity_for_a_model_without_totals_is_empty_not_invented():
    service = offline()
    result = usage.daily_activity(service, model_of(service, "openai/gpt-3.5-turbo"))
    assert result.value == [] and not result.provenance.is_simulated


def test_live_activity_comes_from_top_apps_chart(fake):
    service = live(fake)
    result = usage.daily_activity(service, model_of(service))
    assert result.provenance.kind.value == "live" and len(result.value) == 10
    assert result.value[0].total == 10_000_000_000 and result.value[0].cached == 2_000_000_000
    assert "top-apps-for-model" in result.provenance.source


def test_live_activity_falls_back_to_model_activity_route(fake):
    top = fake.routes[("GET", "/api/frontend/v1/stats/top-apps-for-model")].json
    fake.set_json("/api/frontend/v1/stats/top-apps-for-model", {"data": {"top_apps": top["data"]["top_apps"]}})
    fake.set_json("/api/frontend/v1/stats/model-activity", {"data": top["data"]["top_apps_chart"][:3]})
    service = live(fake)
    result = usage.daily_activity(service, model_of(service))
    assert result.provenance.kind.value == "live" and len(result.value) == 3
    assert "model-activity" in result.provenance.source


def test_forced_live_mode_never_shows_a_simulation(fake):
    fake.down = True
    service = live(fake, mode="live")
    result = usage.daily_activity(service, model_of(offline()))
    assert result.value == [] and not result.provenance.is_simulated
    assert "Live daily activity unavailable" in result.notice


def test_auto_mode_with_no_live_activity_simulates_and_says_why(fake):
    fake.routes.pop(("GET", "/api/frontend/v1/stats/top-apps-for-model"))
    service = live(fake)
    result = usage.daily_activity(service, model_of(service))
    assert result.provenance.is_simulated
    assert "HTTP 404" in result.notice


# --- keyed datasets ----------------------------------------------------------------------------

def test_parse_rankings_daily_share_rank_and_absence():
    days = usage.parse_rankings_daily({"data": [
        {"date": "2026-09-01", "model_permaslug": "x/big", "total_tokens": "60"},
        {"date": "2026-09-01", "model_permaslug": "openai/gpt-4o-mini-2024-07-18", "total_tokens": "10"},
        {"date": "2026-09-01", "model_permaslug": "other", "total_tokens": "30"},
        {"date": "2026-09-02", "model_permaslug": "x/big", "total_tokens": "70"},
        {"date": "bad", "model_permaslug": "x/big", "total_tokens": "70"},
    ]}, GPT)
    assert [(d.date.day, d.model_tokens, d.all_tokens, d.rank) for d in days] == [(1, 10, 100, 2), (2, None, 70, None)]
    assert days[0].share == 10.0 and days[1].share is None


def test_keyed_datasets_explain_what_is_needed_without_a_key(fake):
    service = live(fake)
    for result in (usage.app_rankings(service), usage.traffic_share(service, model_of(service))):
        assert result.value == [] and "API key" in result.notice
    assert fake.requests_to("/api/v1/datasets/app-rankings") == []
    offline_result = usage.app_rankings(offline())
    assert "live dataset" in offline_result.notice


def test_keyed_datasets_with_a_key(fake):
    service = live(fake, OPENROUTER_API_KEY="sk-or-v1-test")
    ranking = usage.app_rankings(service)
    assert [a.name for a in ranking.value] == ["Fixture Agent", "Fixture IDE"]
    assert ranking.value[0].requests == 5_000_000
    share = usage.traffic_share(service, model_of(service))
    assert share.provenance.kind.value == "live"
    assert [d.share for d in share.value] == [10.0] * 5 + [None]
    sent = fake.requests_to("/api/v1/datasets/rankings-daily")[0]
    start, end = dt.date.fromisoformat(sent.query["start_date"][0]), dt.date.fromisoformat(sent.query["end_date"][0])
    assert (end - start).days == routes.RANKINGS_WINDOW_DAYS - 1 and sent.query["period"] == ["day"]


def test_cold_refresh_plan_covers_the_keyed_routes(fake):
    service = live(fake, OPENROUTER_API_KEY="sk-or-v1-test")
    paths = {route.path for route in service.live_routes(GPT)}
    assert {"/api/frontend/v1/stats/top-apps-for-model", "/api/frontend/v1/stats/model-activity",
            "/datasets/app-rankings", "/datasets/rankings-daily", "/benchmarks"} <= paths
    fake.queue("/api/frontend/v1/stats/top-apps-for-model", Reply(status=500, json={}))
    results = service.refresh_all(GPT)
    assert len(results) == len(service.live_routes(GPT))
