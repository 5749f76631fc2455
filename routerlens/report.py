"""A one-file report of one model, for people who will not open the app.

:func:`gather` collects the key figures the pages show (the model's spec and prices, its
providers, benchmark placements, token volume), each with where it came from and as of when;
:func:`to_html` writes them, with chart pictures the caller drew (:class:`ChartImage`, SVG), as
one self-contained HTML file: no script, no remote resource, every piece of third-party text
(model descriptions, provider and app names, server messages) escaped, charts embedded as
``<img>`` data URLs so nothing in them can run.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
from collections.abc import Sequence
from dataclasses import dataclass, field

from . import benchmarks, usage
from . import formatting as fmt
from .metrics import format_metric, percentile_value
from .pricing import blended_per_m
from .providers import ProviderTable, provider_table
from .provenance import Provenance, Sourced, format_as_of, utcnow
from .schema import Model
from .service import DataService
from .source_status import SourceStatus

DESCRIPTION_CHARS = 1200
"""How much of the model's description the report quotes (as plain text)."""


@dataclass(frozen=True)
class Figure:
    label: str
    value: str
    provenance: Provenance


@dataclass(frozen=True)
class Table:
    title: str
    rows: list[dict]
    provenances: tuple[Provenance, ...]
    note: str = ""


@dataclass(frozen=True)
class ChartImage:
    """A chart drawn by the caller: its title, SVG picture and sources."""

    title: str
    svg: str
    provenances: tuple[Provenance, ...]


@dataclass
class Report:
    model_id: str
    name: str
    description: str
    generated: dt.datetime
    status: SourceStatus | None
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[ChartImage] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    """Why a section is missing or stands in (a fallback, a failed fetch), in the service's words."""


def _sources(*items: Sourced | Provenance | None) -> tuple[Provenance, ...]:
    out: list[Provenance] = []
    for item in items:
        if isinstance(item, Sourced):
            out += [item.provenance, *item.also]
        elif isinstance(item, Provenance):
            out.append(item)
    return tuple(dict.fromkeys(out))


def model_figures(model: Model, provenance: Provenance) -> list[Figure]:
    """The numbers at the top of the model page."""
    p = model.pricing
    pairs = [
        ("Input price", fmt.per_m(p.prompt_per_m)),
        ("Output price", fmt.per_m(p.completion_per_m)),
        ("Cached input price", fmt.per_m(p.cache_read_per_m, unknown="not offered")),
        ("Blended price (3:1)", fmt.per_m(blended_per_m(p))),
        ("Context", f"{fmt.integer(model.context_length)} tokens"),
        ("Max output", f"{fmt.integer(model.max_completion_tokens)} tokens"),
        ("Released on OpenRouter", fmt.date_text(model.created)),
        ("Knowledge cutoff", fmt.date_text(model.knowledge_cutoff)),
        ("Modalities", f"{' + '.join(model.input_modalities) or 'unknown'} → "
                       f"{' + '.join(model.output_modalities) or 'unknown'}"),
    ]
    return [Figure(label, value, provenance) for label, value in pairs]


def providers_rows(table: ProviderTable) -> list[dict]:
    """Each provider's list price, limits, uptime and p50 speed."""
    return [{
        "Provider": row.label,
        "Input $/M": fmt.per_m(row.endpoint.pricing.prompt_per_m),
        "Output $/M": fmt.per_m(row.endpoint.pricing.completion_per_m),
        "Context": fmt.tokens(row.endpoint.context_length),
        "Uptime, last 30 min": fmt.percent(row.endpoint.uptime_30m, places=2),
        "Throughput p50": format_metric("throughput", percentile_value(row.endpoint, "throughput", "p50")),
        "Time to first token p50": format_metric("latency", percentile_value(row.endpoint, "latency", "p50")),
    } for row in table.rows]


def gather(service: DataService, model: Sourced[Model], *, table: ProviderTable | None = None) -> Report:
    """Everything but the charts: the figures, tables and notices, each with its source."""
    m = model.value
    table = table or provider_table(service, m.id)
    report = Report(model_id=m.id, name=m.name, description=m.description[:DESCRIPTION_CHARS],
                    generated=utcnow().replace(microsecond=0), status=service.status(),
                    figures=model_figures(m, model.provenance))
    report.tables.append(Table("Providers", providers_rows(table), _sources(table.endpoints, table.stats)
                               if table.stats.value else _sources(table.endpoints)))

    ranking = benchmarks.ranking(service, m)
    placements = [{"Index": benchmarks.AA_INDICES[p.index].label,
                   "Score": "not rated" if p.score is None else f"{p.score:g}",
                   "Percentile": "—" if p.percentile is None else f"P{p.percentile}",
                   "Placement": p.wording()} for p in ranking.value.placements]
    if placements:
        report.tables.append(Table("Artificial Analysis indices", placements, _sources(ranking),
                                   "Percentile = share of rated models scoring at or below this one."))
    launch = benchmarks.launch_scores(service, m.id)
    if launch.value:
        report.tables.append(Table("OpenAI launch evaluations", [
            {"Evaluation": info.label, "Score": f"{score:.1f}", "Unit": info.scale} for info, score in launch.value],
            _sources(launch)))
    volume = usage.token_volume(service, m)
    if volume.value:
        report.tables.append(Table("Token volume on OpenRouter", [
            {"Period": fig.label or fig.period, "Tokens": fig.tokens_display or fmt.tokens(fig.tokens),
             "Rank among all models": fig.rank if fig.rank else "unknown"} for fig in volume.value], _sources(volume)))
    status = report.status
    report.notices = list(dict.fromkeys(s.notice for s in (model, table.endpoints, ranking, launch, volume)
                                        if s.notice and not (status and status.covers(s))))
    return report


# --- HTML ------------------------------------------------------------------------------------------

_STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:980px;margin:2rem auto;padding:0 1rem;
color:#1a1a1a;line-height:1.45}
h1{margin-bottom:.2rem}h2{margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
.meta,.src{color:#555;font-size:.9rem}.status{background:#fff4e5;border-left:4px solid #f0a020;padding:.6rem .9rem}
table{border-collapse:collapse;width:100%;font-size:.92rem}th,td{border:1px solid #ddd;padding:.3rem .5rem;
text-align:left;vertical-align:top}th{background:#f5f5f7}.figures td:first-child{font-weight:600;width:35%}
figure{margin:1.2rem 0}img{max-width:100%;height:auto}.desc{white-space:pre-wrap;background:#fafafa;padding:.6rem}
"""


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def source_text(provenances: Sequence[Provenance]) -> str:
    """"Live, fetched 2026-11-29 13:40 UTC — GET /api/v1/models" for each source."""
    return "; ".join(f"{p.short_label()} — {p.source}" + (f" ({p.note})" if p.note and p.is_simulated else "")
                     for p in provenances)


def _table_html(rows: list[dict]) -> str:
    if not rows:
        return "<p>None.</p>"
    columns = list(dict.fromkeys(k for row in rows for k in row))
    head = "".join(f"<th>{_e(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{_e(row.get(c, ''))}</td>" for c in columns) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def to_html(report: Report) -> str:
    """The report as one self-contained HTML document (UTF-8, no script, no remote resource)."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; "
        "style-src 'unsafe-inline'\">",
        f"<title>{_e(report.name)} · RouterLens report</title><style>{_STYLE}</style></head><body>",
        f"<h1>{_e(report.name)}</h1>",
        f'<p class="meta"><code>{_e(report.model_id)}</code> · RouterLens report generated '
        f"{_e(format_as_of(report.generated.isoformat()))}. Every figure names its source and the date it is "
        "from.</p>",
    ]
    if report.status is not None and report.status.degraded:
        parts.append(f'<p class="status"><strong>{_e(report.status.headline)}.</strong> {_e(report.status.detail)}</p>')
    for notice in report.notices:
        parts.append(f'<p class="status">{_e(notice)}</p>')
    if report.description:
        parts.append("<h2>Description</h2>")
        parts.append(f'<div class="desc">{_e(report.description)}</div>')
    if report.figures:
        parts.append("<h2>Key figures</h2>")
        rows = "".join(f"<tr><td>{_e(f.label)}</td><td>{_e(f.value)}</td><td class=\"src\">"
                       f"{_e(source_text([f.provenance]))}</td></tr>" for f in report.figures)
        parts.append(f'<table class="figures"><thead><tr><th>Figure</th><th>Value</th><th>Source</th></tr></thead>'
                     f"<tbody>{rows}</tbody></table>")
    for table in report.tables:
        parts.append(f"<h2>{_e(table.title)}</h2>")
        parts.append(_table_html(table.rows))
        if table.note:
            parts.append(f'<p class="src">{_e(table.note)}</p>')
        parts.append(f'<p class="src">Source: {_e(source_text(table.provenances))}</p>')
    if report.charts:
        parts.append("<h2>Charts</h2>")
    for chart in report.charts:
        data = base64.b64encode(chart.svg.encode("utf-8")).decode("ascii")
        parts.append(f'<figure><img alt="{_e(chart.title)}" src="data:image/svg+xml;base64,{data}">'
                     f'<figcaption class="src">{_e(chart.title)}. Source: {_e(source_text(chart.provenances))}'
                     "</figcaption></figure>")
    parts.append('<p class="meta">Made with RouterLens from OpenRouter data. Simulated series, where any, are '
                 "labelled SIMULATED and are not measurements.</p></body></html>")
    return "\n".join(parts)


__all__ = ["ChartImage", "Figure", "Report", "Table", "gather", "model_figures", "providers_rows",
           "source_text", "to_html"]
