"""Untrusted text, made safe to render (no Streamlit here). Numbers: :mod:`routerlens.formatting`.

Model descriptions and app names come from third parties. :func:`safe_markdown` makes them safe
to hand to a Markdown renderer: HTML is escaped so it shows as text, images become plain links
(no remote fetches), relative OpenRouter links become absolute, and only http(s) links survive.
:func:`escape_markdown_text` makes a name plain text; :func:`code_span` shows an id or a name the
model wrote exactly as written, as inline code.
"""

from __future__ import annotations

import html
import re

SITE = "https://openrouter.ai"

_LINK = re.compile(r"(!?)\[([^\]]*)\]\(([^)\s]*)(?:\s+\"[^\"]*\")?\)")
_HASHTAG = re.compile(r"(?<![\w/#])#([A-Za-z][\w-]{1,40})\b")


def safe_url(url: str | None, *, base: str = SITE) -> str | None:
    """An absolute http(s) URL, or ``None`` for anything else (javascript:, data:, …)."""
    if not url or not isinstance(url, str):
        return None
    url = url.strip()
    if url.startswith("/") and not url.startswith("//"):
        url = base.rstrip("/") + url
    if re.match(r"^https?://[^\s<>\"']+$", url, flags=re.IGNORECASE):
        return url
    return None


def escape_markdown_text(text: str) -> str:
    """Plain text for a Markdown renderer: HTML escaped, Markdown/Streamlit syntax neutralised."""
    text = html.escape(text or "", quote=False)
    return re.sub(r"([\\`*_\[\]{}()#+!|~>:$])", r"\\\1", text)


def code_span(text: str) -> str:
    """Untrusted text as Markdown inline code, shown exactly as written: nothing in a code span is
    interpreted (no escapes needed; they would show as backslashes). Line breaks become spaces (a
    blank line would end the span and let Markdown in); backticks inside are kept, fenced by a
    longer run of backticks, padded with a space where the text starts or ends with one (CommonMark
    strips one space each side). Empty text is ``""``: an empty span would show as two backticks."""
    one_line = " ".join((text or "").splitlines())
    if not one_line:
        return ""
    fence = "`" * (max(map(len, re.findall(r"`+", one_line)), default=0) + 1)
    edges = one_line[0] + one_line[-1]
    pad = " " if "`" in edges or (edges == "  " and one_line.strip(" ")) else ""
    return f"{fence}{pad}{one_line}{pad}{fence}"


def safe_markdown(text: str | None, *, base: str = SITE) -> str:
    """Markdown from an untrusted source, safe to render with HTML disabled."""
    if not text:
        return ""
    # Escape HTML first: tags show as text (never interpreted, even if a renderer allowed HTML).
    out = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # Streamlit extensions that could restyle the page or run LaTeX are neutralised.
    out = out.replace("$", "\\$")
    out = re.sub(r":([a-z]+)\[", r"\\:\1[", out)

    def fix_link(match: re.Match) -> str:
        bang, label, url = match.groups()
        target = safe_url(url.replace("&amp;", "&"), base=base)
        label = label or (target or "link")
        if target is None:
            return label
        if bang:  # never load remote images from untrusted text
            return f"[image: {label}]({target})"
        return f"[{label}]({target})"

    return _LINK.sub(fix_link, out)


def hashtags(text: str | None) -> list[str]:
    """``#multimodal`` style tags in a description, in order, de-duplicated."""
    seen: dict[str, None] = {}
    for tag in _HASHTAG.findall(text or ""):
        seen.setdefault(tag.lower(), None)
    return list(seen)


def strip_hashtag_lines(text: str) -> str:
    """Drop lines that hold only hashtags (shown as tags instead)."""
    lines = [line for line in (text or "").splitlines() if not re.fullmatch(r"\s*(#[A-Za-z][\w-]*\s*)+", line)]
    return "\n".join(lines).strip()


def linked_model_ids(text: str | None) -> list[str]:
    """Model ids linked from a description (``[GPT-3.5 Turbo](/models/openai/gpt-3.5-turbo)``)."""
    ids: dict[str, None] = {}
    for match in re.finditer(r"\]\((?:https?://openrouter\.ai)?/models/([\w.\-]+/[\w.\-:]+)\)", text or ""):
        ids.setdefault(match.group(1), None)
    return list(ids)


def claimed_percentages(text: str | None) -> list[tuple[str, str]]:
    """Sentences in a description that make a percentage claim, with the number: used to show
    the figure recomputed from data beside the claim."""
    out = []
    for sentence in re.split(r"(?<=[.!?])\s+|\n+", text or ""):
        for number in re.findall(r"(\d+(?:\.\d+)?)\s?%", sentence):
            out.append((number, sentence.strip()))
    return out
