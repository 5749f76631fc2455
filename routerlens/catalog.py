"""What the catalogue says about one model beyond its current entry: the entry as captured on
earlier dates (spec history, full description), the image price where sources disagree, and the
providers' prompt-caching rules. Nothing here knows which source answered.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .formatting import money
from .ids import ModelRef
from .parse import ParseError, as_dict, parse_models, to_int, to_str
from .provenance import Provenance, Sourced
from .schema import Endpoint, Model
from .service import DataService, RecordedSeries, Want, as_is, find_model
from .snapshot import Bundled


def spec_history(service: DataService, model_id: str | ModelRef) -> list[Sourced[Model]]:
    """The model's ``/api/v1/models`` entry over time, oldest first: the bundled captures, then
    the entry as this deployment's recording saw it at each recorded change."""
    ref = ModelRef.of(model_id)
    bundled = service.captures(Want(f"captures of {ref.model_key}", parse_models, None,
                                    bundled=Bundled.at("/api/v1/models#history"),
                                    pick=functools.partial(find_model, ref.model_key)))
    recorded = change_log(service, ref)
    states = [change for change in recorded.value if change.provider == ""]
    if not states:
        return bundled
    return bundled + [Sourced(model, Provenance(recorded.provenance.kind, recorded.provenance.source,
                                                when.replace(microsecond=0).isoformat(), note="a recorded change"))
                      for when, model in model_states(ref, states)]


# --- the change log (recorded by this deployment) ------------------------------------------------

@dataclass(frozen=True)
class ChangeRow:
    when: dt.datetime
    provider: str
    """"" for the model's own entry, else the endpoint's routing slug."""
    field: str
    before: Any
    after: Any
    source: str
    first: bool
    """The first recorded value of this field (nothing to compare with)."""


def _changes_as_rows(rows: list) -> list[ChangeRow]:
    previous: dict[tuple[str, str], Any] = {}
    out = []
    for row in rows:
        key = (row.provider, row.field)
        out.append(ChangeRow(row.observed_at, row.provider, row.field, previous.get(key), row.value,
                             row.source_route, key not in previous))
        previous[key] = row.value
    return out


def change_log(service: DataService, model_id: str | ModelRef) -> Sourced[list[ChangeRow]]:
    """Every price and spec change this deployment recorded for the model, oldest first."""
    ref = ModelRef.of(model_id)
    return service.get(Want(f"recorded changes of {ref.model_key}", as_is, [],
                            recorded=RecordedSeries(service.permaslug(ref), ref.variant, "changes"),
                            from_recording=_changes_as_rows, optional=True))


PRICE_FIELD = {"input": "pricing.prompt", "output": "pricing.completion"}


def list_price_steps(rows: list[ChangeRow], side: str) -> list[tuple[dt.datetime, float | None]]:
    """The model entry's list price (USD per 1M tokens) from each recorded observation on: one
    step per change, the first value when recording began. ``None`` = not listed."""
    field = PRICE_FIELD[side]
    steps = []
    for row in rows:
        if row.provider == "" and row.field == field:
            steps.append((row.when, None if row.after is None else float(Decimal(str(row.after)) * 1_000_000)))
    return steps


def price_changes(rows: list[ChangeRow], side: str) -> list[ChangeRow]:
    """Recorded changes of this side's price, for the model entry and every endpoint (markers)."""
    field = PRICE_FIELD[side]
    return [row for row in rows if row.field == field and not row.first]


def endpoint_names(rows: list[ChangeRow]) -> dict[str, str]:
    """Endpoint routing slug → provider name, as last recorded."""
    return {row.provider: str(row.after) for row in rows if row.provider and row.field == "provider_name" and row.after}


def model_states(ref: ModelRef, rows: list[ChangeRow]) -> list[tuple[dt.datetime, Model]]:
    """The model entry as it stood after each recorded change (fields accumulated over time)."""
    fields: dict[str, Any] = {}
    states: list[tuple[dt.datetime, Model]] = []
    for when in sorted({row.when for row in rows}):
        fields.update({row.field: row.after for row in rows if row.when == when})
        raw = {"id": ref.model_key, "name": fields.get("name") or ref.model_key,
               "pricing": {k.removeprefix("pricing."): v for k, v in fields.items() if k.startswith("pricing.") and v},
               "context_length": fields.get("context_length"),
               "top_provider": {"max_completion_tokens": fields.get("max_completion_tokens"),
                                "is_moderated": fields.get("is_moderated")},
               "architecture": {"input_modalities": fields.get("input_modalities") or [],
                                "output_modalities": fields.get("output_modalities") or []},
               "supported_parameters": fields.get("supported_parameters") or [],
               "knowledge_cutoff": fields.get("knowledge_cutoff"), "expiration_date": fields.get("expiration_date")}
        model = parse_models({"data": [raw]})
        if model:
            states.append((when, model[0]))
    return states


def full_description(service: DataService, model: Model, provenance: Provenance) -> Sourced[str]:
    """The 2026 API shortens descriptions to ~200 characters ending in '...'. When it did, use the
    longest earlier capture that starts the same way, and say so."""
    text = model.description or ""
    if not text.rstrip().endswith(("...", "…")):
        return Sourced(text, provenance)
    prefix = text.rstrip().rstrip(".…").strip()[:60]
    best: Sourced[str] | None = None
    for earlier in spec_history(service, model.id):
        candidate = earlier.value.description or ""
        if candidate.startswith(prefix) and len(candidate) > len(text) and not candidate.rstrip().endswith("..."):
            if best is None or len(candidate) >= len(best.value):
                best = Sourced(candidate, earlier.provenance,
                               notice="OpenRouter's current API shortens descriptions; this is the full text from "
                                      f"the {earlier.provenance.as_of} capture.")
    return best or Sourced(text, provenance)


# --- the image price -------------------------------------------------------------------------------

def image_price_text(model: Model) -> str:
    """The model entry's own figure: per 1,000 images, "as tokens" when it lists no image price."""
    if "image" not in model.input_modalities:
        return "no image input"
    if model.pricing.image:
        return f"{money(model.pricing.image * 1000)}/K"
    return "as tokens"


def image_price_disagreement(model: Sourced[Model], endpoints: Sourced[list[Endpoint]]) -> str | None:
    """When the model entry and an endpoint disagree on the per-image price, one sentence naming
    both figures with their sources and dates (None when they agree or one side is silent on
    images altogether)."""
    if model.value is None or "image" not in model.value.input_modalities:
        return None
    listed = model.value.pricing.image or Decimal(0)
    others = [(e, e.pricing.image) for e in endpoints.value if e.pricing.image is not None and e.pricing.image != listed]
    if not others:
        return None
    own = (f"{money(listed * 1000)} per 1,000 images" if listed else
           "no per-image price, so images are billed as input tokens")
    theirs = "; ".join(f"{e.provider_name}'s endpoint lists {money(price * 1000)} per 1,000 input images"
                       for e, price in others)
    return (f"Image price: {theirs} ({endpoints.provenance.short_label()}), while the model entry lists {own} "
            f"({model.provenance.short_label()}). The sources disagree; both are shown with their dates.")


# --- prompt caching ---------------------------------------------------------------------------------

def parse_caching_rules(payload: Any) -> dict[str, dict]:
    rules = {str(k).lower(): v for k, v in as_dict(payload).items() if isinstance(v, dict)}
    if not rules:
        raise ParseError("no provider rules")
    return rules


def caching_rules(service: DataService) -> Sourced[dict[str, dict]]:
    """Providers' documented prompt-caching rules (bundled facts with their source)."""
    return service.get(Want("prompt-caching rules", parse_caching_rules, {}, bundled=Bundled.at("#provider_caching"),
                            optional=True))


def caching_notes(rules: dict[str, dict], endpoints: list[Endpoint]) -> list[str]:
    """One sentence per provider serving the model whose caching rule is known, with its source."""
    notes = []
    for slug in dict.fromkeys((e.tag or e.provider_name).split("/", 1)[0].lower() for e in endpoints):
        rule = rules.get(slug)
        if not rule:
            continue
        name = to_str(rule.get("provider_name")) or slug
        minimum, step = to_int(rule.get("min_prompt_tokens")), to_int(rule.get("increment_tokens"))
        if minimum is None:
            continue
        text = f"{name} caches prompts of {minimum:,}+ tokens"
        text += " automatically" if rule.get("automatic") else ""
        text += f", in {step:,}-token increments" if step else ""
        source = to_str(rule.get("source"))
        published = to_str(rule.get("published"))
        if source:
            text += f" (source: {source}" + (f", {published}" if published else "") + ")"
        notes.append(text + ".")
    return notes
