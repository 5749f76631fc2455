"""Compare: one model beside up to three others, where it stands on price versus an index, and
which models the data suggests instead. No Streamlit here; the page and components draw it.

Definitions (used in code and on screen alike):

* **Blended price** = (3 × input + 1 × output) / 4 per 1M tokens (:func:`routerlens.pricing.blended_per_m`);
  a negative list price (OpenRouter's routers say ``-1``) is unknown, not a price.
* **Best** in a table row: the lowest price, the highest everything else that has a direction
  (context, max output, dates, providers, index scores). A row is marked only when at least two
  models have a value and the values differ; every model tied at the best value is marked.
* **Suggestions** (never a hand-written list):

  (a) :data:`NEWER_RULE`: newer models by the same author in a similar price class;
  (b) :data:`BETTER_RULE`: models that score higher on the chosen index at the same or a lower
  blended price.

  Variants (``:free``, ``:batch``, …) and aliases (``~…``) are left out: they share their base
  model's scores and would repeat it.
"""

from __future__ import annotations

import collections
import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from . import formatting as fmt
from .benchmarks import AA_INDICES, Placement, ScoreTable, identity_of, score_table
from .chat import published_latency_ms
from .ids import InvalidModelId, parse_model_id
from .parse import to_float
from .pricing import blended_per_m
from .provenance import Provenance, Sourced
from .providers import ProviderTable, provider_table
from .schema import Model
from .service import DataService, map_under_page_budget

MAX_MODELS = 4
"""The current model plus up to three others."""
MAX_OTHERS = MAX_MODELS - 1
PARAM = "compare"
"""The URL query parameter holding the other models: ``?compare=a,b,c``."""
PRICE_BAND = (Decimal("0.5"), Decimal("2"))
"""Rule (a)'s "similar price class": blended price within 0.5×–2× the current model's."""
TOP_N = 5
"""At most this many suggestions per rule."""
DEFAULT_INDEX = "intelligence_index"

NEWER_RULE = ("Newer models by the same author (added to OpenRouter after this one) whose blended 3:1 price is "
              "between 0.5× and 2× this model's; sorted by the chosen index, highest first (unscored last); "
              f"at most {TOP_N}.")
BETTER_RULE = ("Models that score higher than this one on the chosen index at the same or a lower blended 3:1 "
               f"price; sorted by score, highest first; at most {TOP_N}.")
LEFT_OUT = "Variants (:free, :batch …) and aliases (~…) are left out: they share their base model's scores."

HIGHER, LOWER, NONE = "higher", "lower", ""

FEATURES: dict[str, tuple[str, ...]] = {
    "Tools": ("tools",),
    "Structured outputs": ("structured_outputs",),
    "Reasoning": ("reasoning", "include_reasoning"),
}
"""Feature → the ``supported_parameters`` that show it (any one suffices). Caching is read from
the pricing (a cached-input price)."""


# --- prices ----------------------------------------------------------------------------------------

def blended(model: Model) -> Decimal | None:
    """The blended 3:1 price per 1M tokens, ``None`` when unknown (or a router's ``-1``)."""
    value = blended_per_m(model.pricing)
    return None if value is None or value < 0 else value


def _per_m(value: Decimal | None) -> Decimal | None:
    return None if value is None or value < 0 else value * 1_000_000


def _per_k(value: Decimal | None) -> Decimal | None:
    return None if value is None or value < 0 else value * 1000


# --- the selection (the URL's ?compare=) ---------------------------------------------------------

@dataclass(frozen=True)
class Selection:
    """The other models to compare (valid, known, de-duplicated, at most :data:`MAX_OTHERS`) and
    one sentence per id that was dropped, saying why."""

    ids: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()

    @property
    def param(self) -> str:
        return selection_param(self.ids)


def split_param(text: str | Sequence[str] | None) -> list[str]:
    """``"a,b, c"`` (or a list of such texts, when the parameter is repeated) → ``["a", "b", "c"]``."""
    if text is None:
        return []
    parts = [text] if isinstance(text, str) else list(text)
    return [piece.strip() for part in parts for piece in str(part).split(",") if piece.strip()]


def parse_selection(text: str | Sequence[str] | None, current: str, known: Iterable[str]) -> Selection:
    """The ``compare`` parameter checked against the model list (``known`` ids). The current
    model is always first on the page, so naming it again is dropped quietly."""
    known = set(known)
    ids: list[str] = []
    problems: list[str] = []
    for raw in split_param(text):
        try:
            ref = parse_model_id(raw)
        except InvalidModelId as exc:
            problems.append(f"Not compared: {exc.message}")
            continue
        if ref.id == current or ref.id in ids:
            continue
        if ref.model_key not in known:
            problems.append(f"Not compared: no model “{ref.id}” is known to the current data source.")
            continue
        if len(ids) >= MAX_OTHERS:
            problems.append(f"Not compared: “{ref.id}” (a comparison holds {MAX_MODELS} models at most).")
            continue
        ids.append(ref.id)
    return Selection(tuple(ids), tuple(problems))


def selection_param(ids: Iterable[str]) -> str:
    return ",".join(ids)


def with_added(ids: Sequence[str], model_id: str) -> tuple[str, ...]:
    """The selection with ``model_id`` appended (unchanged when already there or full)."""
    if model_id in ids or len(ids) >= MAX_OTHERS:
        return tuple(ids)
    return (*ids, model_id)


# --- columns and rows ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    """One compared model with every source its figures come from."""

    model_id: str
    model: Sourced[Model | None]
    providers: Sourced[list] | None = None
    """The model's endpoint list (its length is the provider count)."""

    @property
    def name(self) -> str:
        return self.model.value.short_name if self.model.value else self.model_id

    @property
    def provider_count(self) -> int | None:
        if self.providers is None or not self.providers.ok or not self.providers.value:
            return None
        return len(self.providers.value)


@dataclass(frozen=True)
class Row:
    """One line of the table: a label, each column's value (comparable) and text, which
    direction is best and which columns hold the best value."""

    label: str
    values: tuple[Any, ...]
    texts: tuple[str, ...]
    best: str = NONE
    marked: tuple[bool, ...] = ()
    help: str = ""


def mark_best(values: Sequence[Any], direction: str) -> tuple[bool, ...]:
    """Which values are best (``"lower"`` or ``"higher"``); nothing is marked when fewer than two
    values are known or all known values are equal."""
    known = [v for v in values if v is not None]
    if direction not in (HIGHER, LOWER) or len(known) < 2 or len(set(known)) == 1:
        return tuple(False for _ in values)
    best = max(known) if direction == HIGHER else min(known)
    return tuple(v is not None and v == best for v in values)


def _row(label: str, values: Sequence[Any], texts: Sequence[str], best: str = NONE, help: str = "") -> Row:
    return Row(label, tuple(values), tuple(texts), best, mark_best(values, best), help)


def _feature(model: Model | None, params: tuple[str, ...]) -> bool | None:
    if model is None or not model.supported_parameters:
        return None
    return any(p in model.supported_parameters for p in params)


def _yes_no(value: bool | None) -> str:
    return {True: "yes", False: "no", None: "unknown"}[value]


def _score_text(placement: Placement) -> str:
    if placement.score is None:
        return "not rated" if placement.status == "not rated" else "unknown"
    text = f"{placement.score:g}"
    if placement.percentile is not None:
        text += f" · P{placement.percentile}"
    return text


def placements_for(table: ScoreTable, model: Model | None) -> list[Placement]:
    """The model's placement on every index within ``table`` only: a model the set does not hold
    is "not in list", never ranked by adding its own score to a set from another source."""
    if model is None:
        return [Placement(index, None, "not in list") for index in AA_INDICES]
    return table.placements(identity_of(model))


def comparison_rows(columns: Sequence[Column], table: ScoreTable) -> list[Row]:
    """The side-by-side table, one value per column, best values marked."""
    models = [c.model.value for c in columns]

    def get(fn):
        return [None if m is None else fn(m) for m in models]

    def texts(values, show):
        return [show(v) for v in values]

    rows = [
        _row("Name", [c.name for c in columns], [c.name for c in columns]),
        _row("Author", get(lambda m: m.author or None), texts(get(lambda m: m.author or None), lambda v: v or "unknown")),
    ]
    created = get(lambda m: m.created)
    rows.append(_row("Released", created, texts(created, fmt.date_text), HIGHER,
                     "The date the model was added to OpenRouter (its `created` field); newer is marked."))
    cutoff = get(lambda m: m.knowledge_cutoff)
    rows.append(_row("Knowledge cutoff", cutoff, texts(cutoff, fmt.date_text), HIGHER))
    ins = get(lambda m: " + ".join(m.input_modalities) or None)
    outs = get(lambda m: " + ".join(m.output_modalities) or None)
    rows.append(_row("Input modalities", ins, texts(ins, lambda v: v or "unknown")))
    rows.append(_row("Output modalities", outs, texts(outs, lambda v: v or "unknown")))
    context = get(lambda m: m.context_length)
    rows.append(_row("Context (tokens)", context, texts(context, fmt.tokens), HIGHER))
    max_out = get(lambda m: m.max_completion_tokens)
    rows.append(_row("Max output (tokens)", max_out, texts(max_out, fmt.tokens), HIGHER))
    for label, fn in (("Input price", lambda m: _per_m(m.pricing.prompt)),
                      ("Output price", lambda m: _per_m(m.pricing.completion)),
                      ("Cached input price", lambda m: _per_m(m.pricing.input_cache_read))):
        values = get(fn)
        rows.append(_row(f"{label} (per 1M)", values, texts(values, fmt.per_m), LOWER))
    image = get(lambda m: _per_k(m.pricing.image) if m.pricing.image else None)
    rows.append(_row("Image price (per 1K images)", image,
                     [_image_text(m, v) for m, v in zip(models, image)], LOWER))
    mixed = get(blended)
    rows.append(_row("Blended price 3:1 (per 1M)", mixed, texts(mixed, fmt.per_m), LOWER,
                     "(3 × input + 1 × output) / 4."))
    for label, params in FEATURES.items():
        values = get(lambda m, p=params: _feature(m, p))
        rows.append(_row(label, values, texts(values, _yes_no)))
    caching = get(lambda m: m.pricing.input_cache_read is not None)
    rows.append(_row("Prompt caching", caching, texts(caching, _yes_no)))
    counts = [c.provider_count for c in columns]
    rows.append(_row("Providers", counts, texts(counts, fmt.integer), HIGHER))
    per_model = [placements_for(table, m) for m in models]
    for position, (index, info) in enumerate(AA_INDICES.items()):
        placements = [p[position] for p in per_model]
        rated = max((p.rated for p in placements), default=0)
        rows.append(_row(f"{info.label} (P = percentile of {rated} rated)", [p.score for p in placements],
                         [_score_text(p) for p in placements], HIGHER))
    return rows


def _image_text(model: Model | None, per_k: Decimal | None) -> str:
    if model is None:
        return "unknown"
    if per_k is not None:
        return f"{fmt.money(per_k)}/K"
    return "no image input" if "image" not in model.input_modalities else "as tokens"


STAR = "★"
BEST_WORDS = {LOWER: f"lowest {STAR}", HIGHER: f"highest {STAR}", ("Released", HIGHER): f"newest {STAR}",
              ("Knowledge cutoff", HIGHER): f"latest {STAR}", ("Providers", HIGHER): f"most {STAR}"}
"""What the Best column says for a direction (and for a few rows, in their own words)."""


def table_records(rows: Sequence[Row], columns: Sequence[Column]) -> list[dict[str, str]]:
    """The table as records: one per row, a "Best" column naming the direction, one column per
    model (by id) with ★ after each best value."""
    out = []
    for row in rows:
        record = {"Field": row.label, "Best": BEST_WORDS.get((row.label, row.best)) or BEST_WORDS.get(row.best, "—")}
        for position, column in enumerate(columns):
            text = row.texts[position]
            record[column.model_id] = f"{text} {STAR}" if row.marked and row.marked[position] else text
        out.append(record)
    return out


def to_csv(records: Sequence[Mapping[str, str]]) -> str:
    """The records as CSV. A cell that a spreadsheet would read as a formula is quoted with a
    leading apostrophe (model names come from third parties)."""
    if not records:
        return ""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(records[0]), lineterminator="\n")
    writer.writeheader()
    for record in records:
        writer.writerow({k: ("'" + v if isinstance(v, str) and v[:1] in "=+@-\t\r" and not _numeric(v) else v)
                         for k, v in record.items()})
    return buffer.getvalue()


def _numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def columns_for(service: DataService, ids: Sequence[str], *, provider_list=None) -> list[Column]:
    """One column per id, each with its model entry and (when ``provider_list`` is given, a
    function ``(service, id) → Sourced[list]``) its endpoint list. The endpoint lists are asked
    for together: where they are fetched, four models cost one round trip, not four."""
    models = [service.model(model_id) for model_id in ids]
    lists: list = [None] * len(ids)
    if provider_list is not None:
        lists = map_under_page_budget(lambda model_id: provider_list(service, model_id), ids,
                                      thread_name_prefix="routerlens-compare")
    return [Column(model_id, model, providers) for model_id, model, providers in zip(ids, models, lists)]


# --- price versus an index -------------------------------------------------------------------------

CURRENT, COMPARED, OTHER = "This model", "Compared", "Other rated models"


@dataclass(frozen=True)
class ChartData:
    """Every rated model on one index with a blended price, ready to draw on a log price axis."""

    index: str
    points: list[dict] = field(default_factory=list)
    """``{"id", "name", "label", "price", "score", "role"}`` (``label`` = the short name); ``role`` is :data:`CURRENT`, :data:`COMPARED` or :data:`OTHER`."""
    unscored: int = 0
    """Models in the list (variants and aliases not counted) with no score on this index."""
    unpriced: int = 0
    """Rated models left off the log axis: no known price, or free."""
    current: dict | None = None
    """The current model's point, when it is drawn."""

    @property
    def label(self) -> str:
        return AA_INDICES[self.index].label


def is_base(model: Model) -> bool:
    """Not a variant (``:free``) and not an alias (``~``)."""
    return ":" not in model.id and not model.id.startswith("~")


def base_models(models: Iterable[Model]) -> dict[str, Model]:
    """identity → the model that stands for it (its base entry, else the first variant seen)."""
    out: dict[str, Model] = {}
    for model in models:
        if model.id.startswith("~"):
            continue
        identity = identity_of(model)
        if identity not in out or (is_base(model) and not is_base(out[identity])):
            out[identity] = model
    return out


def score_of(table: ScoreTable, model: Model, index: str) -> float | None:
    scores = table.scores.get(index, {})
    identity = identity_of(model)
    if identity in scores:
        return scores[identity]
    return to_float(model.aa_indices.get(index))


def chart_data(models: Sequence[Model], table: ScoreTable, index: str, current: str,
               compared: Sequence[str] = ()) -> ChartData:
    """Blended price and score of every rated model on ``index``; the current and compared models
    (by id) get their own role. A model's score is its identity's (variants share it)."""
    by_identity = base_models(models)
    by_id = {m.id: m for m in models}
    roles = {}
    for model_id, role in [*((c, COMPARED) for c in compared), (current, CURRENT)]:
        model = by_id.get(model_id)
        if model is not None:
            roles[identity_of(model)] = (role, model)
    points, unpriced = [], 0
    scores = table.scores.get(index, {})
    for identity, name, score in table.rows(index):
        role, model = roles.get(identity, (OTHER, by_identity.get(identity)))
        price = blended(model) if model is not None else None
        if price is None or price <= 0:
            unpriced += 1
            continue
        points.append({"id": model.id, "name": model.name, "label": model.short_name, "price": float(price),
                       "score": float(score), "role": role})
    # Compared models the table does not list (a score only in their own entry) are still drawn.
    listed = {identity for identity, _, _ in table.rows(index)}
    for identity, (role, model) in roles.items():
        if identity in listed:
            continue
        score = to_float(model.aa_indices.get(index))
        price = blended(model)
        if score is not None and price is not None and price > 0:
            points.append({"id": model.id, "name": model.name, "label": model.short_name, "price": float(price),
                           "score": score, "role": role})
    rated = {identity for identity, value in scores.items() if value is not None}
    unscored = sum(1 for identity, model in by_identity.items() if is_base(model) and identity not in rated)
    mine = next((p for p in points if p["role"] == CURRENT), None)
    order = {OTHER: 0, COMPARED: 1, CURRENT: 2}  # drawn last = on top
    points.sort(key=lambda p: order[p["role"]])
    return ChartData(index, points, unscored, unpriced, mine)


def default_index(model: Model | None, table: ScoreTable) -> str:
    """The Intelligence Index, unless the model has no score there and has one on another index."""
    if model is None:
        return DEFAULT_INDEX
    for index in (DEFAULT_INDEX, *AA_INDICES):
        if score_of(table, model, index) is not None:
            return index
    return DEFAULT_INDEX


# --- providers: speed versus price -----------------------------------------------------------------

SPEED_PRICE_RULE = ("One point per provider endpoint of each compared model: x = the endpoint's blended 3:1 list "
                    "price per 1M tokens ((3 × input + 1 × output) / 4, the Providers page's “Blended 3:1 $/M”), "
                    "y = its median (p50) output throughput in tokens/s over the last 30 minutes. An endpoint "
                    "without a published p50 throughput or without a price has no place on the chart and is "
                    "named below it.")


@dataclass(frozen=True)
class SpeedPriceModel:
    """One compared model's providers on the speed-versus-price chart: the points drawn, the
    sources they come from, and why any provider (or the whole model) is not drawn."""

    model_id: str
    name: str
    points: tuple[dict, ...] = ()
    """``{"model", "model_id", "provider", "price", "throughput", "ttft_ms", "speed_source",
    "price_source"}``: price in USD per 1M (blended 3:1), throughput in tok/s (p50), TTFT in ms
    (p50, ``None`` when unpublished); the sources are short labels ("Snapshot · as of …")."""
    speed_sources: tuple[Provenance, ...] = ()
    """Where the drawn points' throughput and TTFT come from, each source once."""
    price_sources: tuple[Provenance, ...] = ()
    """Where the drawn points' prices come from, each source once."""
    missing: str | None = None
    """Why nothing of this model is drawn, or which providers are left off; ``None`` = all drawn."""


@dataclass(frozen=True)
class SpeedPriceData:
    models: tuple[SpeedPriceModel, ...] = ()

    @property
    def points(self) -> list[dict]:
        return [point for model in self.models for point in model.points]

    @property
    def notes(self) -> list[str]:
        """One sentence per model with providers (or all of them) left off."""
        return [f"{model.name}: {model.missing}" for model in self.models if model.missing]

    @property
    def log_scale(self) -> bool:
        """Prices spread over more than a factor of ten read better on a log axis (all must be > 0)."""
        prices = [p["price"] for p in self.points]
        return bool(prices) and min(prices) > 0 and max(prices) / min(prices) > 10


def _price_per_m(pricing) -> float | None:
    value = blended_per_m(pricing)
    return None if value is None or value < 0 else float(value)


def _once(items: list[Provenance], item: Provenance) -> None:
    if item not in items:
        items.append(item)


def speed_price_model(model_id: str, name: str, table: ProviderTable) -> SpeedPriceModel:
    """The points of one model's provider table (UI-free, so it is tested without a page)."""
    points: list[dict] = []
    speed_sources: list[Provenance] = []
    price_sources: list[Provenance] = []
    left_off: list[str] = []
    listed = len(table.endpoints.value)
    for position, row in enumerate(table.rows):
        endpoint = row.endpoint
        speed_from = table.perf_provenance(row)
        # The endpoint list's rows come first; a row only the stats route knows carries its prices.
        price_from = table.endpoints.provenance if position < listed else table.stats.provenance
        throughput = endpoint.throughput_30m.p50 if endpoint.throughput_30m else None
        price = _price_per_m(endpoint.pricing)
        if throughput is None or speed_from is None:
            left_off.append(f"{row.label} (no published p50 throughput)")
            continue
        if price is None:
            left_off.append(f"{row.label} (no known price)")
            continue
        points.append({"model": name, "model_id": model_id, "provider": row.label, "price": price,
                       "throughput": float(throughput), "ttft_ms": published_latency_ms(endpoint),
                       "speed_source": speed_from.short_label(), "price_source": price_from.short_label()})
        _once(speed_sources, speed_from)
        _once(price_sources, price_from)
    return SpeedPriceModel(model_id, name, tuple(points), tuple(speed_sources), tuple(price_sources),
                           _why_missing(table, points, left_off))


def _why_missing(table: ProviderTable, points: list[dict], left_off: list[str]) -> str | None:
    if not table.rows:
        reason = table.stats.provenance.source if not table.stats.ok else "its per-provider stats list no provider"
        return f"no per-provider stats in the current data source ({reason}), so it is not on the chart."
    if not points:
        return (f"{len(table.rows)} provider(s) listed, none drawn: {', '.join(left_off)}. Per-provider speed is "
                "published live (the endpoint list's percentiles need an API key) and bundled for a few models only.")
    if left_off:
        return f"not drawn: {', '.join(left_off)}."
    return None


def _legend_names(ids: Sequence[str], names: Mapping[str, str]) -> dict[str, str]:
    """Each model's name in the legend; a name two models share falls back to their ids."""
    wanted = {model_id: names.get(model_id) or model_id for model_id in ids}
    counts = collections.Counter(wanted.values())
    return {model_id: name if counts[name] == 1 else model_id for model_id, name in wanted.items()}


def speed_price_data(service: DataService, ids: Sequence[str], names: Mapping[str, str], *,
                     table_for=provider_table) -> SpeedPriceData:
    """Every compared model's providers on speed versus price. The provider tables are read
    together (live, each one's stats are one round trip, and four models wait for the slowest,
    not for the sum); the data service alone decides where each comes from."""
    tables = map_under_page_budget(lambda model_id: table_for(service, model_id), ids,
                                   thread_name_prefix="routerlens-compare")
    legend = _legend_names(ids, names)
    return SpeedPriceData(tuple(speed_price_model(model_id, legend[model_id], table)
                                for model_id, table in zip(ids, tables)))


# --- suggested alternatives ------------------------------------------------------------------------

@dataclass(frozen=True)
class Suggestion:
    """A model suggested by a rule, with its differences from the current model."""

    model: Model
    price: Decimal | None
    price_delta: Decimal | None
    """Blended price per 1M minus the current model's."""
    price_ratio: Decimal | None
    context_delta: int | None
    score: float | None
    score_delta: float | None

    def deltas(self, index_label: str) -> str:
        """"blended $0.30/M (+$0.04, 1.15×) · context +72K · Intelligence Index 31.2 (+5.4)"."""
        price = fmt.per_m(self.price)
        if self.price_delta is not None:
            price += f" ({_signed_money(self.price_delta)}"
            price += f", {self.price_ratio:.2f}×)" if self.price_ratio is not None else ")"
        context = "unknown" if self.context_delta is None else (
            f"{'+' if self.context_delta >= 0 else '−'}{fmt.tokens(abs(self.context_delta))}")
        score = "not rated" if self.score is None else f"{self.score:g}"
        if self.score_delta is not None:
            score += f" ({'+' if self.score_delta >= 0 else '−'}{abs(self.score_delta):.1f})"
        return f"blended {price} · context {context} · {index_label} {score}"


def _signed_money(value: Decimal) -> str:
    return ("+" if value >= 0 else "−") + fmt.money(abs(value).normalize() if abs(value) else Decimal(0))


def suggestion(candidate: Model, current: Model, table: ScoreTable, index: str) -> Suggestion:
    price, mine = blended(candidate), blended(current)
    score, own = score_of(table, candidate, index), score_of(table, current, index)
    context = (candidate.context_length - current.context_length
               if candidate.context_length is not None and current.context_length is not None else None)
    return Suggestion(
        candidate, price,
        price - mine if price is not None and mine is not None else None,
        (price / mine) if price is not None and mine else None,
        context, score, round(score - own, 4) if score is not None and own is not None else None)


def _candidates(models: Iterable[Model], current: Model) -> list[Model]:
    mine = identity_of(current)
    return [m for m in base_models(models).values() if is_base(m) and identity_of(m) != mine and m.id != current.id]


def _by_score(table: ScoreTable, index: str):
    def key(m: Model):
        score = score_of(table, m, index)
        return (score is None, -(score or 0), -(m.created or dt.date.min).toordinal(), m.id)
    return key


def newer_same_author(models: Sequence[Model], current: Model, table: ScoreTable, index: str, *,
                      limit: int = TOP_N) -> tuple[list[Suggestion], str | None]:
    """Rule (a). Returns the suggestions and, when the rule cannot apply, why."""
    price = blended(current)
    if current.created is None:
        return [], "its release date is unknown, so no model can be called newer."
    if price is None:
        return [], "its blended price is unknown, so there is no price class to match."
    low, high = price * PRICE_BAND[0], price * PRICE_BAND[1]
    found = [m for m in _candidates(models, current)
             if m.author == current.author and m.created is not None and m.created > current.created
             and (p := blended(m)) is not None and low <= p <= high]
    found.sort(key=_by_score(table, index))
    return [suggestion(m, current, table, index) for m in found[:limit]], None


def better_for_less(models: Sequence[Model], current: Model, table: ScoreTable, index: str, *,
                    limit: int = TOP_N) -> tuple[list[Suggestion], str | None]:
    """Rule (b). Returns the suggestions and, when the rule cannot apply, why."""
    price, own = blended(current), score_of(table, current, index)
    if own is None:
        return [], f"it has no {AA_INDICES[index].label} score."
    if price is None:
        return [], "its blended price is unknown."
    found = [m for m in _candidates(models, current)
             if (s := score_of(table, m, index)) is not None and s > own
             and (p := blended(m)) is not None and p <= price]
    found.sort(key=lambda m: (-(score_of(table, m, index) or 0), blended(m), m.id))
    return [suggestion(m, current, table, index) for m in found[:limit]], None


# --- lifecycle -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Lifecycle:
    """A model the list marks for retirement, and the suggested successor: the first rule-(a)
    suggestion (newest by the same author in its price class, best on the Intelligence Index)."""

    model: Model
    expires: dt.date
    successor: Suggestion | None
    why_none: str | None = None
    index: str = DEFAULT_INDEX

    def expired(self, today: dt.date) -> bool:
        return self.expires < today


def lifecycle_of(models: Sequence[Model], model: Model, table: ScoreTable) -> Lifecycle | None:
    if model.expiration_date is None:
        return None
    found, why = newer_same_author(models, model, table, DEFAULT_INDEX, limit=1)
    if not found and why is None:
        why = "no newer model by the same author is in its price class."
    return Lifecycle(model, model.expiration_date, found[0] if found else None, why)


def lifecycle(service: DataService, model: Model) -> Sourced[Lifecycle | None]:
    """The lifecycle note for ``model`` (``None`` inside when the list gives no expiration date),
    with the model list's provenance. Nothing is fetched for a model without one."""
    if model.expiration_date is None:
        return Sourced(None, Provenance.nothing("no expiration date"))
    listing = service.models()
    table = score_table(service)
    return listing.map(lambda models: lifecycle_of(models, model, table.value))


__all__ = [
    "BETTER_RULE", "Column", "ChartData", "Lifecycle", "NEWER_RULE", "Row", "SPEED_PRICE_RULE", "Selection",
    "SpeedPriceData", "SpeedPriceModel", "Suggestion", "better_for_less", "chart_data", "comparison_rows",
    "lifecycle", "mark_best", "newer_same_author", "parse_selection", "speed_price_data", "speed_price_model",
    "table_records", "to_csv",
]
