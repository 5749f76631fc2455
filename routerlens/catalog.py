"""What the catalogue says about one model beyond its current entry: the entry as captured on
earlier dates (spec history, full description), the image price where sources disagree, and the
providers' prompt-caching rules. Nothing here knows which source answered.
"""

from __future__ import annotations

import functools
from decimal import Decimal
from typing import Any

from .formatting import money
from .ids import ModelRef
from .parse import ParseError, as_dict, parse_models, to_int, to_str
from .provenance import Provenance, Sourced
from .schema import Endpoint, Model
from .service import DataService, Want, find_model
from .snapshot import Bundled


def spec_history(service: DataService, model_id: str | ModelRef) -> list[Sourced[Model]]:
    """The model's ``/api/v1/models`` entry as captured on different dates, oldest first."""
    ref = ModelRef.of(model_id)
    return service.captures(Want(f"captures of {ref.model_key}", parse_models, None,
                                bundled=Bundled.at("/api/v1/models#history"),
                                pick=functools.partial(find_model, ref.model_key)))


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
