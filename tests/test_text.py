"""Untrusted text is shown as text; numbers are formatted the way the model page writes them."""

import datetime as dt
import re
from decimal import Decimal

import pytest

from routerlens import formatting as fmt
from routerlens import text


def test_html_and_script_are_escaped_not_rendered():
    out = text.safe_markdown('<script>alert("x")</script><img src=x onerror=alert(1)><b>bold</b>')
    assert "<script>" not in out and "<img" not in out and "<b>" not in out
    assert "&lt;script&gt;" in out


def test_dangerous_links_lose_their_target():
    out = text.safe_markdown("[click](javascript:alert(1)) [data](data:text/html;base64,xx) [ok](https://a.example/x)")
    assert "javascript:" not in out and "data:text" not in out
    assert "[ok](https://a.example/x)" in out


def test_relative_openrouter_links_become_absolute():
    out = text.safe_markdown("after [GPT-4 Omni](/models/openai/gpt-4o), supporting")
    assert "[GPT-4 Omni](https://openrouter.ai/models/openai/gpt-4o)" in out


def test_images_become_links_never_fetched():
    out = text.safe_markdown("![tracker](https://evil.example/pixel.png)")
    assert not out.startswith("!") and "[image: tracker](https://evil.example/pixel.png)" in out


def test_streamlit_directives_and_latex_are_neutralised():
    out = text.safe_markdown("Costs $5 and $6 :red[alarm]")
    assert "\\$5" in out and "\\:red[" in out


def test_escape_markdown_text_for_names():
    assert text.escape_markdown_text("**Evil** <b>app</b> [x](y)") == r"\*\*Evil\*\* &lt;b&gt;app&lt;/b&gt; \[x\]\(y\)"


def _code_span_content(span: str) -> str:
    """What a CommonMark renderer shows for one inline code span (spec 6.1): the text between
    two equal backtick runs that appear nowhere inside, less one space each side when both
    sides have one and the content is not all spaces."""
    fence = span[:len(span) - len(span.lstrip("`"))]
    assert fence and span.endswith(fence) and len(span) > 2 * len(fence), span
    inner = span[len(fence):-len(fence)]
    assert fence not in re.findall(r"`+", inner), "a run as long as the fence would close the span early"
    assert not inner.startswith("`") and not inner.endswith("`"), "it would merge into the fence"
    if inner.startswith(" ") and inner.endswith(" ") and inner.strip(" "):
        inner = inner[1:-1]
    return inner


@pytest.mark.parametrize("raw", ["get_weather", "a`b", "`start", "end`", "``x``", "` ", " padded ", "   ",
                                 "openai/gpt-4o-mini:free", "<b>x</b> *y* $z$ \\: [l](javascript:alert(1))"])
def test_code_span_shows_the_text_exactly(raw):
    span = text.code_span(raw)
    assert _code_span_content(span) == raw


def test_code_span_keeps_line_breaks_out():
    span = text.code_span("x`\n\n[click](javascript:alert(1))\r\n")
    assert "\n" not in span and "\r" not in span, "a blank line would end the span and let Markdown in"
    assert _code_span_content(span) == "x`  [click](javascript:alert(1))"


def test_code_span_of_nothing_is_nothing():
    assert text.code_span("") == "" and text.code_span("\n") == "", "an empty span shows as two backticks"


def test_safe_url_only_http():
    assert text.safe_url("https://cline.bot") == "https://cline.bot"
    assert text.safe_url("javascript:alert(1)") is None
    assert text.safe_url("//evil.example") is None
    assert text.safe_url("/models/x/y") == "https://openrouter.ai/models/x/y"
    assert text.safe_url(None) is None


def test_hashtags_linked_models_and_claims():
    desc = ("More than 60% cheaper than [GPT-3.5 Turbo](/models/openai/gpt-3.5-turbo). "
            "Achieves an 82% score on MMLU.\n\n#multimodal")
    assert text.hashtags(desc) == ["multimodal"]
    assert text.linked_model_ids(desc) == ["openai/gpt-3.5-turbo"]
    assert [n for n, _ in text.claimed_percentages(desc)] == ["60", "82"]
    assert text.strip_hashtag_lines(desc).endswith("MMLU.")


def test_number_formats():
    assert fmt.money(Decimal("0.15")) == "$0.15"
    assert fmt.money(Decimal("0.075")) == "$0.075"
    assert fmt.money(Decimal("0.7125")) == "$0.7125"
    assert fmt.money(Decimal("0.0000075")) == "$0.0000075"  # never rounded away
    assert fmt.money(Decimal("12.4")) == "$12.40" and fmt.money(Decimal("21375")) == "$21,375.00"
    assert fmt.money(Decimal("0.00000364"), significant=2) == "$0.0000036"
    assert fmt.money(0, significant=2) == "$0.00" and fmt.money(None) == "unknown"
    assert fmt.per_m(Decimal("0.600000")) == "$0.60/M"
    assert fmt.number(1232.5) == "1,232.5" and fmt.number(327.0) == "327" and fmt.number(100.0) == "100"
    assert fmt.integer(4720528) == "4,720,528" and fmt.integer(None) == "unknown"
    assert fmt.tokens(128000) == "128K" and fmt.tokens(16384) == "16K" and fmt.tokens(131072) == "128K"
    assert fmt.tokens(518e9) == "518B" and fmt.tokens(61.4e9) == "61.4B" and fmt.tokens(None) == "unknown"
    assert fmt.month_text(dt.date(2023, 10, 31)) == "Oct 2023"
    assert fmt.seconds(0.327) == "327 ms" and fmt.seconds(1.234) == "1.23 s"
