"""The shared app context: settings, the data service and the selected model.

``app.py`` calls :func:`render_sidebar` once per run; pages call :func:`get_context`. The data
service is created once per distinct configuration with ``st.cache_resource`` (its own live
cache has bounded TTLs), so sessions share fetched data but never a key they did not give.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace

import streamlit as st

from routerlens import DEFAULT_MODEL
from routerlens.config import DataMode, Settings, load_settings, plain_secrets
from routerlens.ids import InvalidModelId, parse_model_id
from routerlens.provenance import Sourced
from routerlens.schema import Model
from routerlens.service import DataService
from routerlens.snapshot import bundled_only_help
from routerlens.source_status import SourceStatus

from .legacy_pages import leave_legacy_pages_mode

_CTX_KEY = "routerlens_ctx"
MODE_LABELS = {DataMode.AUTO: "Auto", DataMode.LIVE: "Live", DataMode.OFFLINE: "Offline"}
MODE_HELP = (
    "**Auto**: OpenRouter live when reachable; any section whose live call fails falls back to the "
    "bundled snapshot and says so.  \n**Live**: only live data; failures are shown, nothing falls back. "
    "A few sections have no live source at all; they show the bundled snapshot under its Snapshot badge in "
    "every mode:\n\n" + bundled_only_help() + "\n\n"
    "**Offline**: this deployment's recording (if any) and the bundled snapshot of real data (and clearly labelled simulated series); "
    "no network at all."
)


@dataclass(frozen=True)
class AppContext:
    settings: Settings
    service: DataService
    model_id: str
    """The selected id, normalised (lowercase, no surrounding space) when it is valid."""
    key_source: str | None  # "sidebar", "secrets", "environment" or None
    model_error: str | None = None
    """Why the selected text is not a model id (then no page may use it)."""
    status: SourceStatus | None = None
    """What this render's page is on as a whole and why (set by :func:`get_context`, which shows it)."""


def app_secrets() -> dict:
    """``st.secrets`` as plain data (:func:`routerlens.config.plain_secrets`: TOML booleans and
    numbers as their string forms, and the ``[connections.history]`` section the recording is
    configured by); empty when there is no secrets file. The settings read them, and so do the
    readers beyond them (e.g. the playground's limits)."""
    try:
        return plain_secrets(st.secrets)
    except Exception:  # no secrets.toml: StreamlitSecretNotFoundError and friends
        return {}


def page_budget_seconds() -> float:
    """How long one render may wait for live answers in all (``ROUTERLENS_PAGE_BUDGET``)."""
    return load_settings(os.environ, app_secrets()).page_budget_s


def waiting_notice():
    """A place at the top of the page that lists what a slow render is waiting for and how each
    wait ended (:class:`components.status.PageProgress`: pass it as ``waiting`` and its
    ``landed`` as ``landed`` to :func:`routerlens.service.page_budget`)."""
    from .status import PageProgress

    return PageProgress()


@st.cache_resource(max_entries=16, ttl=6 * 3600, show_spinner=False)
def _service(cache_token: str, _settings: Settings) -> DataService:
    return DataService(_settings)


def service_for(settings: Settings) -> DataService:
    return _service(settings.cache_token, settings)


@st.cache_data(ttl=300, max_entries=16, show_spinner=False)
def _model_ids(cache_token: str, _service: DataService) -> tuple[list[str], str]:
    listing = _service.models()
    return sorted(m.id for m in listing.value), listing.provenance.short_label()


def render_sidebar() -> AppContext:
    secrets = app_secrets()
    base = load_settings(os.environ, secrets)
    model_box = st.sidebar.container()  # drawn first, filled once the data source is known
    with st.sidebar:
        st.markdown("### Data source")
        modes = list(MODE_LABELS)
        choice = st.segmented_control(
            "Data source", modes, default=base.mode, label_visibility="collapsed", format_func=MODE_LABELS.get, key="data_mode",
            help=MODE_HELP, required=True, bind="query-params",
        ) or base.mode
        typed_key = st.text_input(
            "OpenRouter API key", type="password", key="api_key_input",
            help="Kept in this browser session only: never stored, logged or sent anywhere but "
                 f"{base.base_url}. With a key, provider percentiles and the playground work.",
            placeholder="sk-or-v1-…",
        )
    settings = load_settings(os.environ, secrets, mode_override=choice.value if isinstance(choice, DataMode) else str(choice),
                             key_override=typed_key or None)
    key_source = None
    if typed_key:
        key_source = "sidebar"
    elif settings.has_key:
        key_source = "secrets" if secrets.get("OPENROUTER_API_KEY") else "environment"
    service = service_for(settings)

    # The model list is read here first, outside the cached _model_ids: a slow answer is announced on
    # the page (components.status.PageProgress), and an element drawn inside a st.cache_data function
    # would be recorded and replayed, failing, in the next session that hits the cache.
    service.models()
    ids, ids_label = _model_ids(settings.cache_token, service)
    # The default and a typed id the list lacks (from the URL) stay selectable options.
    linked = st.query_params.get("model")
    ids = list(dict.fromkeys([DEFAULT_MODEL, *([linked] if linked else []), *ids]))
    with model_box:
        model_id = st.selectbox(
            "Model", ids, index=ids.index(DEFAULT_MODEL), key="model", bind="query-params",
            accept_new_options=True, help=f"Any OpenRouter model id. List: {ids_label}. "
                                          "The choice is kept in the URL (?model=…) so a link reopens this view.",
        ) or DEFAULT_MODEL
    model_id, model_error = _checked_id(model_id)
    with st.sidebar:
        _source_caption(settings, key_source)
        if settings.problems:  # a host's setting that is not applied is never silent
            from routerlens.text import escape_markdown_text

            for problem in settings.problems:
                st.warning(escape_markdown_text(problem), icon=":material/warning:")
        if st.button("Refresh live data", key="refresh_live", icon=":material/refresh:",
                     disabled=settings.mode is DataMode.OFFLINE,
                     help="Drop cached live responses and fetch every route the pages read again, listing each "
                          "one's outcome."):
            from .status import refresh_live_data

            _model_ids.clear()
            refresh_live_data(service, None if model_error else model_id, key="refresh")
    ctx = AppContext(settings=settings, service=service, model_id=model_id, key_source=key_source,
                     model_error=model_error)
    if settings.record_live and not model_error:
        from .recording import describe_recording, keep_live_fetches

        kept = keep_live_fetches(settings, service, model_id)
        if settings.mode is not DataMode.OFFLINE:
            from routerlens.text import escape_markdown_text

            where = escape_markdown_text(describe_recording(settings.history_url) or "")
            st.sidebar.caption(f"Keeping live fetches in {where}" if kept else
                               "Keeping live fetches is on, but the recording could not be opened.")
    st.session_state[_CTX_KEY] = ctx
    return ctx


def _checked_id(text: str) -> tuple[str, str | None]:
    """The one normalisation of a typed id (:func:`routerlens.ids.parse_model_id`), or why not."""
    try:
        return parse_model_id(text).id, None
    except InvalidModelId as exc:
        return text.strip(), exc.message


def stop_if_invalid_model(ctx: AppContext) -> None:
    """Every page alike: a text that is not a model id gets one clear message and nothing else."""
    if ctx.model_error:
        st.error(ctx.model_error + " Type or pick another in the sidebar's Model box.", icon=":material/error:")
        st.stop()


def _source_caption(settings: Settings, key_source: str | None) -> None:
    where = "openrouter.ai" if settings.is_default_base_url else settings.base_url
    key_text = {
        "sidebar": "key from this session",
        "secrets": "key from app secrets",
        "environment": "key from the environment",
        None: "no key",
    }[key_source]
    if settings.mode is DataMode.OFFLINE:
        st.caption("Offline: recording and bundled snapshot · no network")
    else:
        st.caption(f"Server: {where} · {key_text}")


def get_context() -> AppContext:
    """The page's context. Each page calls it once, first: it also says at the top of the page,
    once, when the page as a whole is not on live data and why (:func:`components.status.page_source_status`)."""
    ctx = _context()
    stop_if_invalid_model(ctx)
    from .status import page_source_status

    ctx = replace(ctx, status=page_source_status(ctx.service, key="page_source"))
    if _CTX_KEY in st.session_state:
        st.session_state[_CTX_KEY] = ctx
    return ctx


def covered(sourced: Sourced) -> bool:
    """Whether this render's page-wide source status already says why ``sourced`` fell back, so
    its own notice would repeat it (:meth:`routerlens.source_status.SourceStatus.covers`)."""
    ctx = st.session_state.get(_CTX_KEY)
    return ctx is not None and ctx.status is not None and ctx.status.covers(sourced)


def _context() -> AppContext:
    ctx = st.session_state.get(_CTX_KEY)
    if ctx is None:
        leave_legacy_pages_mode()
    if ctx is None:  # a page run on its own (component tests): build the context quietly
        settings = load_settings(os.environ, app_secrets())
        ctx = AppContext(settings, service_for(settings), DEFAULT_MODEL, None)
    return ctx


def current_model_id() -> str | None:
    """The selected model's id this session, if the sidebar has chosen one (for file names)."""
    ctx = st.session_state.get(_CTX_KEY)
    return ctx.model_id if ctx is not None and not ctx.model_error else None


def current_model(ctx: AppContext | None = None) -> Sourced[Model | None]:
    ctx = ctx or _context()
    return ctx.service.model(ctx.model_id)


def require_model(ctx: AppContext, *, title: str | None = None, key: str) -> Sourced[Model]:
    """The selected model, or a clear message and the end of the page when no source knows it.

    Shows the lookup's fallback notice, and ``title`` (a format string with ``{name}``) if given.
    """
    from routerlens.text import escape_markdown_text

    model = current_model(ctx)
    if model.notice:
        from .badges import sourced_notice

        sourced_notice(model, key=f"{key}_model_notice")
    name = model.value.short_name if model.value else ctx.model_id
    if title or model.value is None:
        st.title((title or "{name}").format(name=escape_markdown_text(name)))
    if model.value is None:
        listing = ctx.service.models()
        if not listing.value:  # the source failed: the id may be fine
            st.error(f"The model list could not be loaded, so “{escape_markdown_text(ctx.model_id)}” cannot be "
                     f"shown: {escape_markdown_text(listing.notice or listing.provenance.source)}. This is the data "
                     "source failing, not the model id: press **Refresh live data** to try again, or switch the "
                     "data source to **Auto** or **Offline** to use the recording and the bundled snapshot.",
                     icon=":material/cloud_off:")
        else:
            st.error(f"No model “{escape_markdown_text(ctx.model_id)}” is in the model list "
                     f"({listing.provenance.short_label()}). Pick another model in the sidebar.",
                     icon=":material/search_off:")
        st.stop()
    return model
