"""Model ids: one normalisation, one strict pattern, one permaslug rule.

An OpenRouter model id is ``author/slug`` with at most one ``:suffix``; ids are lowercase, and
aliases carry a leading ``~`` (``~openai/gpt-latest``). A suffix is either a **variant**, which is
part of the model's identity (``:free``, ``:batch``, ``:thinking``: its own prices, providers and
stats), or a **routing shortcut** (``:nitro``, ``:floor``, ``:exacto``, ``:online``), which changes
how a request is routed but names the same model (its figures are the standard variant's).

:func:`parse_model_id` is the only way text typed by a user becomes a :class:`ModelRef`; anything
it refuses never reaches a URL. Nothing here imports Streamlit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

ROUTING_SUFFIXES = frozenset({"nitro", "floor", "exacto", "online"})
"""Suffixes that pick a routing strategy for the same model (reference/openrouter-api.md §1.7, §2)."""
STANDARD = "standard"
"""The website stats routes' name for a model without a variant."""
MAX_ID_LENGTH = 200

_PART = r"[a-z0-9][a-z0-9._-]*"
_ID = re.compile(rf"^(?P<alias>~?)(?P<author>{_PART})/(?P<slug>{_PART})(?::(?P<suffix>[a-z0-9][a-z0-9-]*))?$")
_PERMASLUG = re.compile(rf"^~?{_PART}/{_PART}$")
EXAMPLE = "author/slug, optionally with one :variant (e.g. openai/gpt-4o-mini or openai/gpt-4o-mini:batch)"


class InvalidModelId(ValueError):
    """Text that is not an OpenRouter model id. ``suggestion`` is a valid id it probably meant."""

    def __init__(self, text: str, suggestion: str | None = None):
        self.text = text
        self.suggestion = suggestion
        shown = text if len(text) <= 80 else text[:77] + "…"
        message = f"“{shown}” is not an OpenRouter model id. Ids look like {EXAMPLE}."
        if suggestion:
            message += f" Did you mean {suggestion}?"
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ModelRef:
    """A validated model id, split into its parts."""

    author: str
    slug: str
    suffix: str | None = None
    alias: bool = False

    @staticmethod
    def of(value: str | ModelRef) -> ModelRef:
        """``value`` as a reference; raises :class:`InvalidModelId` for anything else."""
        return value if isinstance(value, ModelRef) else parse_model_id(value)

    @property
    def base(self) -> str:
        """The id without its suffix: ``openai/gpt-4o-mini:batch`` → ``openai/gpt-4o-mini``."""
        return f"{'~' if self.alias else ''}{self.author}/{self.slug}"

    @property
    def id(self) -> str:
        return self.base + (f":{self.suffix}" if self.suffix else "")

    @property
    def routing(self) -> str | None:
        """The routing shortcut in the id (``nitro``, ``floor``, …), if any."""
        return self.suffix if self.suffix in ROUTING_SUFFIXES else None

    @property
    def variant(self) -> str:
        """The variant the website's stats routes key on: the suffix when it is a variant,
        ``standard`` for no suffix or a routing shortcut."""
        return self.suffix if self.suffix and self.suffix not in ROUTING_SUFFIXES else STANDARD

    @property
    def model_key(self) -> str:
        """The id of this model's entry in ``/api/v1/models``: variants have their own entry
        (``openai/gpt-4o-mini:batch``), routing shortcuts do not (``…:nitro`` is the base entry)."""
        return self.base if self.routing else self.id

    def __str__(self) -> str:
        return self.id


def parse_model_id(text: str) -> ModelRef:
    """Strip surrounding space and lowercase (OpenRouter's ids are lowercase); then the whole
    text must be one id. Anything else raises :class:`InvalidModelId`, with a suggestion when a
    pasted page address or a stray slash hides a valid id."""
    if not isinstance(text, str):
        raise InvalidModelId(str(text))
    cleaned = text.strip().lower()
    match = _ID.match(cleaned) if len(cleaned) <= MAX_ID_LENGTH else None
    if match is None:
        raise InvalidModelId(text.strip(), _suggest(cleaned))
    return ModelRef(match["author"], match["slug"], match["suffix"], bool(match["alias"]))


def is_model_id(text: str) -> bool:
    try:
        parse_model_id(text)
    except InvalidModelId:
        return False
    return True


def valid_permaslug(value: str | None) -> str | None:
    """A permaslug (``canonical_slug``) from OpenRouter data, if it is safe to put in a URL path."""
    return value if isinstance(value, str) and _PERMASLUG.match(value) else None


def _suggest(cleaned: str) -> str | None:
    """A likely id inside ``cleaned``: a model page URL, surrounding slashes or spaces, a
    doubled slash. Only a candidate that parses is suggested."""
    candidate = unquote(cleaned)
    candidate = re.sub(r"^[a-z]+://(www\.)?openrouter\.ai/", "", candidate)
    candidate = re.sub(r"^(api/v1/)?models?/", "", candidate)
    candidate = re.sub(r"/endpoints/?$", "", candidate)
    candidate = re.sub(r"[?#].*$", "", candidate)
    candidate = re.sub(r"\s+", "", candidate)
    candidate = re.sub(r"/{2,}", "/", candidate).strip("/")
    if candidate and candidate != cleaned and _ID.match(candidate) and len(candidate) <= MAX_ID_LENGTH:
        return candidate
    return None
