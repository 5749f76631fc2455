"""components.charts.draw: charts are drawn from a spec made without Altair's schema checks (a
third of a chart page's script time), and the tests, which set ROUTERLENS_CHECK_CHARTS, check
every chart they draw."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest


def _page():
    import altair as alt
    import pandas as pd
    import streamlit as st

    from components.charts import draw

    frame = pd.DataFrame({"day": pd.date_range("2026-11-01", periods=3), "value": [1, 2, 3]})
    good = alt.Chart().mark_line().encode(x="day:T", y="value:Q")
    draw(alt.layer(good, good.mark_point(), data=frame), key="good")
    if st.session_state.get("broken"):
        draw(alt.Chart(frame).mark_line(strokeWidth="wide").encode(x="day:T", y="value:Q"), key="broken")


def _run(broken: bool) -> AppTest:
    at = AppTest.from_function(_page, default_timeout=30)
    at.session_state["broken"] = broken
    return at.run()


def test_a_valid_chart_is_drawn_with_its_data():
    at = _run(broken=False)
    assert not at.exception
    [chart] = at.get("vega_lite_chart")
    assert '"layer"' in chart.proto.spec and len(chart.proto.datasets) + chart.proto.spec.count('"values"') >= 1


def test_the_tests_check_every_chart_they_draw():
    at = _run(broken=True)
    assert at.exception and "SchemaValidationError" in "".join(at.exception[0].stack_trace)


def test_the_app_draws_without_the_check(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("ROUTERLENS_CHECK_CHARTS")
    at = _run(broken=True)
    assert not at.exception and len(at.get("vega_lite_chart")) == 2


BUILDS: list[str] = []


def counted_chart(frame, *, title):
    """A builder that notes each build (module level: draw_made knows a builder by its name)."""
    import altair as alt

    BUILDS.append(str(title))
    return alt.Chart(frame).mark_line().encode(x="day:T", y="value:Q").properties(title=title)


def _made_page():
    import altair as alt
    import pandas as pd
    import streamlit as st

    from components.charts import draw_made
    from tests.test_chart_draw import counted_chart

    values = st.session_state.get("values", [1, 2, 3])
    frame = pd.DataFrame({"day": pd.date_range("2026-11-01", periods=len(values)), "value": values})
    # A simulated chart's title is an Altair object, which Streamlit's own cache hashing refuses.
    draw_made(counted_chart, frame, title=alt.TitleParams("SIMULATED — x", subtitle=["a caveat"]), key="made")


def test_a_made_chart_is_built_again_only_when_what_it_shows_changes():
    import streamlit as st

    st.cache_data.clear()
    BUILDS.clear()
    at = AppTest.from_function(_made_page, default_timeout=30).run()
    assert not at.exception, [e.stack_trace for e in at.exception]
    at.run()
    assert len(BUILDS) == 1, "the same frame and title: drawn from the remembered spec"
    at.session_state["values"] = [1, 2, 4]
    at.run()
    assert len(BUILDS) == 2, "another frame: built again"
    assert '"SIMULATED' in at.get("vega_lite_chart")[0].proto.spec
