"""The theme's colours meet WCAG 2.1 AA contrast, computed from .streamlit/config.toml and the
colours the app sets itself (components/charts.py, components/a11y.py), in light and dark.

The browser test (tests/browser/test_accessibility_browser.py) measures the rendered pages with
axe-core; this one states the rules behind the colours, so a changed colour fails here first, with
its ratio, without a browser. Streamlit derives some colours: a caption is the text colour at 60 %
opacity, a selected option's label is the primary colour on a 10 % tint of it.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from components.a11y import ON_PRIMARY, TOKEN_COLOURS
from components.charts import NEUTRAL, PALETTE

CONFIG = tomllib.loads((Path(__file__).resolve().parents[1] / ".streamlit" / "config.toml").read_text())
THEMES = {name: CONFIG["theme"][name] for name in ("light", "dark")}
TEXT, LARGE_OR_GRAPHIC = 4.5, 3.0


def rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


def luminance(colour: str) -> float:
    def channel(value: int) -> float:
        v = value / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def over(colour: str, background: str, alpha: float) -> str:
    """``colour`` at ``alpha`` opacity over ``background``."""
    return "#" + "".join(f"{round(alpha * c + (1 - alpha) * b):02x}" for c, b in zip(rgb(colour), rgb(background)))


def test_the_helpers_agree_with_known_ratios():
    assert ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert ratio("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)  # the classic AA grey
    assert over("#000000", "#FFFFFF", 0.5) == "#808080"


def test_both_themes_are_defined_with_every_colour_the_checks_need():
    for name, theme in THEMES.items():
        for option in ("primaryColor", "backgroundColor", "secondaryBackgroundColor", "textColor", "linkColor",
                       "codeTextColor", "codeBackgroundColor", "chartCategoricalColors"):
            assert option in theme, f"[theme.{name}] lacks {option}"
    assert luminance(THEMES["light"]["backgroundColor"]) > 0.5 > luminance(THEMES["dark"]["backgroundColor"])


@pytest.mark.parametrize("name", THEMES)
def test_text_captions_and_links_meet_4_5_to_1_on_both_backgrounds(name):
    theme = THEMES[name]
    for background in (theme["backgroundColor"], theme["secondaryBackgroundColor"]):
        caption = over(theme["textColor"], background, 0.6)
        for what, colour in (("text", theme["textColor"]), ("caption", caption), ("link", theme["linkColor"])):
            assert ratio(colour, background) >= TEXT, f"{name} {what} {colour} on {background}"
    assert ratio(theme["codeTextColor"], theme["codeBackgroundColor"]) >= TEXT


@pytest.mark.parametrize("name", THEMES)
def test_primary_colour_reads_as_text_and_carries_its_own_text(name):
    """Selected segmented-control labels and slider values are primary text on a 10 % primary tint;
    primary buttons and chips carry ON_PRIMARY text (components/a11y.py)."""
    theme, on_primary = THEMES[name], ON_PRIMARY[0 if name == "light" else 1]
    primary = theme["primaryColor"]
    for background in (theme["backgroundColor"], theme["secondaryBackgroundColor"]):
        assert ratio(primary, background) >= TEXT, f"{name} primary on {background}"
        assert ratio(primary, over(primary, background, 0.1)) >= TEXT, f"{name} primary on its tint over {background}"
    assert ratio(on_primary, primary) >= TEXT


@pytest.mark.parametrize("name", THEMES)
def test_theme_chart_colours_meet_3_to_1_and_the_first_reads_as_text(name):
    theme = THEMES[name]
    colours = theme["chartCategoricalColors"]
    assert len(set(colours)) == len(colours) >= 6
    for colour in colours:
        assert ratio(colour, theme["backgroundColor"]) >= LARGE_OR_GRAPHIC, f"{name} chart colour {colour}"
    assert ratio(colours[0], theme["backgroundColor"]) >= TEXT  # unstyled marks and chart text default to it


def test_the_apps_own_chart_colours_meet_3_to_1_on_both_backgrounds():
    """One palette serves both themes: every colour a chart sets itself reads on either background."""
    for colour in [*PALETTE, NEUTRAL]:
        for name, theme in THEMES.items():
            assert ratio(colour, theme["backgroundColor"]) >= LARGE_OR_GRAPHIC, f"{colour} on {name}"


@pytest.mark.parametrize("index,name", enumerate(THEMES))
def test_code_token_colours_meet_4_5_to_1_on_the_code_background(index, name):
    background = THEMES[name]["codeBackgroundColor"]
    for tokens, colours in TOKEN_COLOURS.items():
        assert ratio(colours[index], background) >= TEXT, f"{name} {tokens}: {colours[index]} on {background}"
