"""Small read-only tables drawn as Markdown.

``st.dataframe`` is the right widget for a table people sort, filter or download; for a handful
of rows it costs more than it gives. Its grid is a ~1.2 MB JavaScript chunk the browser loads,
compiles and lays out on canvas; on the 2-core benchmark machine the overview rendered ~230 ms
sooner once its three small tables were Markdown (bench/run.py). Cells are escaped as plain text:
nothing in them is read as Markdown or HTML.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import streamlit as st

from routerlens import text as md

_NUMERIC = r"^[\s$€£+\-−]*[\d.,]+\s*(%|[KMB]|ms|s|×|/s|/M)?$"


@dataclass(frozen=True)
class Link:
    """A cell that links ``text`` to ``url`` when the URL is an absolute http(s) address; plain
    text otherwise (``javascript:``, ``data:``, relative or missing URLs never become links)."""

    text: str
    url: str | None


def _link_target(url: str | None) -> str | None:
    safe = md.safe_url(url, base="")  # absolute http(s) only: no base, so relative paths are refused
    if safe is None:
        return None
    # Characters that could end the link destination or the table cell early are percent-encoded.
    for char, code in (("\\", "%5C"), ("(", "%28"), (")", "%29"), ("|", "%7C"), ("[", "%5B"), ("]", "%5D")):
        safe = safe.replace(char, code)
    return safe


def markdown_table(rows: Sequence[Mapping[str, object]], *, missing: str = "unknown") -> str:
    """The Markdown source of a table: a header from the first row's keys, numbers right-aligned."""
    if not rows:
        return ""
    columns = list(rows[0])

    def cell(value: object) -> str:
        if isinstance(value, Link):
            text = md.escape_markdown_text(" ".join(value.text.split())) or " "
            target = _link_target(value.url)
            return f"[{text}]({target})" if target else text
        text = missing if value is None else str(value)
        return md.escape_markdown_text(" ".join(text.split())) or " "

    def numeric(column: str) -> bool:
        # "unknown" and dashes say a figure is missing; they do not make a column text.
        values = [str(r.get(column)) for r in rows if r.get(column) not in (None, missing, "unknown", "—", "")]
        if any(isinstance(r.get(column), Link) for r in rows):
            return False
        return bool(values) and all(re.match(_NUMERIC, v) for v in values)

    header = "| " + " | ".join(cell(c) for c in columns) + " |"
    rule = "|" + "|".join("---:" if numeric(c) else "---" for c in columns) + "|"
    body = ["| " + " | ".join(cell(r.get(c)) for c in columns) + " |" for r in rows]
    return "\n".join([header, rule, *body])


def static_table(rows: Sequence[Mapping[str, object]], *, missing: str = "unknown", notes: Sequence[str] = (),
                 download: str | None = None, provenance=None, key: str | None = None) -> None:
    """Draw ``rows`` (dicts sharing their keys) as a read-only table.

    ``download`` (a file name, e.g. the table's title) adds a CSV button under it with every
    column, ``provenance`` (a :class:`Provenance` or :class:`Sourced`) giving the file's source
    and date columns (:func:`components.export.table_downloads`; the file is written on click).

    ``notes`` names columns of prose (a reason, an explanation). A sentence squeezed into a table
    column wraps one word per line, so each such column is listed under the table instead: one line
    per row that has a note, led by the row's first cell. ``key`` is accepted for API symmetry with
    the other panels; a Markdown element needs none.
    """
    if not rows:
        return
    first = next(iter(rows[0]))
    listed = []
    for column in notes:
        lines = [f"**{md.escape_markdown_text(str(row.get(first)))}**: {md.escape_markdown_text(str(row[column]))}"
                 for row in rows if row.get(column)]
        if lines:
            listed.append(f"{md.escape_markdown_text(column)}:  \n" + "  \n".join(lines))
    full = rows
    rows = [{column: value for column, value in row.items() if column not in notes} for row in rows]
    st.markdown(markdown_table(rows, missing=missing))
    for text in listed:
        st.caption(text)
    if download:
        from .export import table_downloads

        table_downloads(full, name=download, provenance=provenance, key=key or f"table_{download}")
