"""RouterLens: one OpenRouter model, looked at closely. Entry point and page registry."""

import streamlit as st

st.set_page_config(page_title="RouterLens", page_icon="🔭", layout="wide")

from components.a11y import page_support  # noqa: E402
from components.context import page_budget_seconds, render_sidebar, waiting_notice  # noqa: E402
from components.navigation import navigation  # noqa: E402
from routerlens.service import page_budget  # noqa: E402
from routerlens.tcp import enable_nodelay_once  # noqa: E402

# Streamlit's server leaves Nagle's algorithm on (see routerlens/tcp.py): every lazy-loaded chunk
# and every burst of websocket messages would wait ~40 ms for a delayed ACK. Once per process.
enable_nodelay_once(st.get_option("server.port"))

# The app's only CSS and its one script (tables that scroll stay keyboard-reachable, code colours
# that meet 4.5:1 in both themes, visible focus): components/a11y.py says why.
page_support()

PAGES = {
    "Model page": [
        st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
        st.Page("pages/providers.py", title="Providers", icon=":material/dns:", url_path="providers"),
        st.Page("pages/pricing.py", title="Pricing", icon=":material/payments:", url_path="pricing"),
        st.Page("pages/performance.py", title="Performance", icon=":material/speed:", url_path="performance"),
        st.Page("pages/uptime.py", title="Uptime", icon=":material/monitor_heart:", url_path="uptime"),
        st.Page("pages/compare.py", title="Compare", icon=":material/compare_arrows:", url_path="compare"),
    ],
    "Ecosystem": [
        st.Page("pages/benchmarks.py", title="Benchmarks", icon=":material/leaderboard:", url_path="benchmarks"),
        st.Page("pages/apps.py", title="Apps", icon=":material/apps:", url_path="apps"),
        st.Page("pages/activity.py", title="Activity", icon=":material/bar_chart:", url_path="activity"),
    ],
    "Build": [
        st.Page("pages/api.py", title="API", icon=":material/code:", url_path="api"),
        st.Page("pages/playground.py", title="Playground", icon=":material/chat:", url_path="playground"),
    ],
}

# One flat list, the section names drawn by CSS: Streamlit's sectioned menu puts its list items
# outside their list (axe: list, listitem). components/navigation.py says why.
page = navigation(PAGES)
# One wall-clock budget for the whole render (ROUTERLENS_PAGE_BUDGET): a struggling OpenRouter
# costs each page at most that long; what is not live by then falls back and says why. While it
# waits, the top of the page says for what.
progress = waiting_notice()
with page_budget(page_budget_seconds(), waiting=progress, landed=progress.landed):
    render_sidebar()
    page.run()
