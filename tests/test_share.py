"""Every view shareable (issue 13): the routing mode, percentile, time windows, pricing inputs and
data source live in the URL beside the model (and the compare set, tests/test_compare.py), so a
link reopens the view; the API key never does.

The controls use Streamlit's own binding (``bind="query-params"``): the browser writes a changed
control into its URL, and a URL's values seed the controls. AppTest has no browser, so here a
link's values are opened and the binding each control hands the browser is checked; the browser
test (tests/browser/test_share_browser.py) clicks a control and reads the address bar.
"""

from __future__ import annotations

import pytest

from routerlens.routing import RoutingMode
from tests.conftest import page_text, run_app

SECRET = "sk-or-v1-share-secret-0123456789abcdef"

BOUND = {
    "pages/performance.py": ["perf_pct", "perf_window"],
    "pages/uptime.py": ["up_window", "up_provider"],
    "pages/activity.py": ["act_window"],
    "pages/pricing.py": ["price_in", "price_out", "price_rpd", "price_hit"],
    "pages/playground.py": ["pg_mode"],
}
"""The controls each page keeps in its URL, by widget key (which is also the parameter's name)."""


def _widget(at, key: str):
    for kind in ("segmented_control", "button_group", "selectbox", "number_input", "slider"):
        for widget in getattr(at, kind):
            if widget.key == key:
                return widget
    raise KeyError(key)


@pytest.mark.parametrize("page", sorted(BOUND))
def test_each_view_control_hands_the_browser_its_url_parameter(page):
    """A bound control carries its parameter name to the browser, which writes every change of it
    into the address bar (and drops it again at its default, keeping links short)."""
    at = run_app(page)
    assert not at.exception
    for key in BOUND[page]:
        assert _widget(at, key).proto.query_param_key == key


def test_the_data_source_control_is_bound_and_the_key_field_never_is():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_string("from components.context import render_sidebar\nrender_sidebar()\n",
                             default_timeout=60).run()
    assert at.segmented_control(key="data_mode").proto.query_param_key == "data_mode"
    assert at.selectbox(key="model").proto.query_param_key == "model"
    key_field = at.text_input(key="api_key_input")
    assert not key_field.proto.HasField("query_param_key")
    key_field.set_value(SECRET).run()
    assert not at.exception
    assert SECRET not in repr(dict(at.query_params)) and "api_key" not in "".join(at.query_params)


def test_a_performance_link_reopens_its_percentile_and_window():
    at = run_app("pages/performance.py", query={"perf_pct": "p90", "perf_window": "7 days"})
    assert not at.exception
    assert _widget(at, "perf_pct").value == "p90" and _widget(at, "perf_window").value == "7 days"
    titles = [str(chart.proto.spec) for chart in at.get("vega_lite_chart")]
    assert any("Throughput, p90, daily" in title for title in titles)


def test_a_pricing_link_reopens_its_workload():
    at = run_app("pages/pricing.py", query={"price_in": "2000", "price_out": "0", "price_rpd": "10", "price_hit": "0"})
    assert not at.exception
    assert [_widget(at, k).value for k in ("price_in", "price_out", "price_rpd", "price_hit")] == [2000, 0, 10, 0]
    figures = {m.label: m.value for m in at.metric}
    assert figures["Per request (OpenAI)"] == "$0.0003"  # 2,000 × $0.15/M, nothing cached, no output
    assert figures["Per day"] == "$0.003"


def test_an_activity_link_reopens_its_window():
    at = run_app("pages/activity.py", query={"act_window": "7 days"})
    assert not at.exception
    assert _widget(at, "act_window").value == "7 days"
    assert any(caption.value.endswith("(7 days)") for caption in at.caption)


def test_an_uptime_link_reopens_its_window_and_provider():
    at = run_app("pages/uptime.py", query={"up_window": "7 days", "up_provider": "Azure"})
    assert not at.exception
    assert _widget(at, "up_window").value == "7 days" and _widget(at, "up_provider").value == "Azure"


def test_a_playground_link_reopens_its_routing_mode():
    at = run_app("pages/playground.py", query={"pg_mode": "Nitro"})
    assert not at.exception
    assert _widget(at, "pg_mode").value is RoutingMode.NITRO


def test_a_link_with_the_offline_data_source_sends_nothing(live_env):
    at = run_app(query={"data_mode": "Offline"})
    assert not at.exception
    assert at.segmented_control(key="data_mode").value.value == "offline"
    assert live_env.requests == []
    text = page_text(at)
    assert "Snapshot · as of" in text and "Live ·" not in text


def test_a_bad_value_in_a_link_is_ignored_not_an_error():
    at = run_app("pages/performance.py", query={"perf_pct": "p42", "perf_window": "forever"})
    assert not at.exception
    assert _widget(at, "perf_pct").value == "p50" and _widget(at, "perf_window").value == "30 days"
