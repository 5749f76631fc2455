"""The playground's session state: one typed object in one ``st.session_state`` slot.

Everything the playground keeps between reruns that is not a widget's own value lives in
:class:`PlaygroundSession` under :data:`SLOT`: the conversation, the measurement log, the last
comparison of modes and of models, the retry flag, the image addresses taken with the message being sent, and the
current :class:`RequestSpec` (which the API page renders). The shared key's limits are not here:
they hold across sessions (``components.playground.shared_key_guard``). :func:`session` gets or creates it; :func:`current_spec` reads the spec
and :func:`compared_models` the models last compared, without creating anything (the API page may
be opened before the playground).

Widget values stay under their widgets' own keys. The few places that read or write another
widget's value go through the helpers at the end of this module, which also name those keys, so
the widget and its readers cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import streamlit as st

from routerlens.routing import RequestSpec

if TYPE_CHECKING:
    from routerlens.chat import ChatResult, Turn
    from routerlens.providers import ProviderTable

SLOT = "playground"
"""The one ``st.session_state`` key the playground owns besides its widgets' keys."""


@dataclass
class Comparison:
    """The last "Compare modes" run: the prompt and one result per mode, in the order sent."""

    prompt: str
    results: list[ChatResult]
    specs: list[RequestSpec] = field(default_factory=list)
    """The request each result answered (its tools and schema check the answer, not today's settings)."""


@dataclass
class ModelComparison:
    """The last "Compare models" run: the models (their ids as picked, in the order sent), the
    prompt (a user turn: text and images), one result per model, and each model's provider table
    as read at send time (each column compares its answer with its own providers' published
    figures without reading them again)."""

    model_ids: tuple[str, ...]
    prompt: Turn
    results: list[ChatResult]
    tables: list[ProviderTable]
    specs: list[RequestSpec] = field(default_factory=list)
    """The request sent to each model (its tools and schema check the answer)."""


@dataclass
class PlaygroundSession:
    """What the playground remembers for one browser session."""

    spec: RequestSpec | None = None
    """The request the current settings describe (what the API page turns into code)."""
    turns: list[Turn] = field(default_factory=list)
    """The conversation; kept through errors, refusals and reruns until Clear."""
    log: list[dict] = field(default_factory=list)
    """One row per answer measured this session (chat and compare); outlives Clear."""
    comparison: Comparison | None = None
    model_comparison: ModelComparison | None = None
    retry: bool = False
    """Set by the Retry button; the next chat run sends the last user message again."""
    sent_urls: str = ""
    """The image addresses typed when the message was sent (the box itself is emptied then)."""
    editors: dict[str, str] = field(default_factory=dict)
    """The tool-definition and response-schema editors' text, kept here too: Streamlit forgets a
    widget's value on a page that does not show it, and typed JSON must survive a visit elsewhere."""

    def clear(self) -> None:
        """Start a new conversation; the measurement log stays."""
        self.turns = []

    def ask_retry(self) -> None:
        """Drop the answer(s) after the last user message and ask for it to be sent again."""
        while self.turns and self.turns[-1].role == "assistant":
            self.turns.pop()
        self.retry = bool(self.turns)

    def take_retry(self) -> bool:
        """Whether a retry was asked for (once: the flag is reset)."""
        retry, self.retry = self.retry, False
        return retry

    def take_sent_urls(self) -> str:
        """The image addresses sent with this message (once: they are forgotten)."""
        urls, self.sent_urls = self.sent_urls, ""
        return urls


def session() -> PlaygroundSession:
    """This browser session's playground state, created on first use."""
    current = st.session_state.get(SLOT)
    if not isinstance(current, PlaygroundSession):
        current = st.session_state[SLOT] = PlaygroundSession()
    return current


def current_spec() -> RequestSpec | None:
    """The playground's current request, or ``None`` when the playground has not run yet."""
    current = st.session_state.get(SLOT)
    spec = current.spec if isinstance(current, PlaygroundSession) else None
    return spec if isinstance(spec, RequestSpec) else None


def compared_models() -> tuple[str, ...]:
    """The models of this session's last "Compare models" run, in the order sent (``()`` when
    none ran). The API page offers them for its snippet beside the sidebar's model."""
    current = st.session_state.get(SLOT)
    stored = current.model_comparison if isinstance(current, PlaygroundSession) else None
    return stored.model_ids if isinstance(stored, ModelComparison) else ()


# --- widgets whose values are read or written elsewhere ---------------------------------------------

def urls_key(key: str) -> str:
    """The "Image addresses" text area."""
    return f"{key}_urls"


def pinned_key(key: str) -> str:
    """The pinned-provider select box."""
    return f"{key}_pinned"


def max_tokens_key(key: str) -> str:
    """The "Max output tokens" number input."""
    return f"{key}_max_tokens"


def take_image_urls(key: str) -> None:
    """On send (the chat input's callback): the typed addresses go with this message and the box
    empties for the next."""
    session().sent_urls = st.session_state.get(urls_key(key)) or ""
    st.session_state[urls_key(key)] = ""


def pinned_choice(key: str) -> str | None:
    """The provider last picked in the pinned-provider box (it keeps its value while hidden)."""
    return st.session_state.get(pinned_key(key))


def forget_max_tokens_above(key: str, ceiling: int) -> None:
    """Drop a max-tokens value above ``ceiling`` (the cap shrank) so the widget starts from its default."""
    if (st.session_state.get(max_tokens_key(key)) or 0) > ceiling:
        del st.session_state[max_tokens_key(key)]
