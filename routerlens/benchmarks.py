"""Benchmark scores and where a model stands among every model that has the same score.

Definitions (used in code, on screen and in the docs alike):

* **Rated models** for an index: every model in the comparison list with a non-null score on
  that index, counted once per model (variants such as ``:free`` / ``:batch`` share their base
  model's scores and its ``canonical_slug``, so they are not counted twice).
* **Percentile** = share of rated models whose score is *at or below* this model's score
  (the model itself and ties included), rounded *down* to a whole percent, so the claim
  is never overstated. Shown as "at or above 64% of 122 rated models".
* **Rank** = 1 + number of rated models with a strictly higher score (ties share a rank).
* A null score is "not rated", never 0; a model absent from the list is "not in the list".

The scores come from ``GET /api/v1/models`` (its ``benchmarks.artificial_analysis`` field, or
the bundled full model list) or, with an API key, ``GET /api/v1/benchmarks?source=artificial-analysis``.
OpenAI's launch evaluations exist for gpt-4o-mini alone (the bundled manifest says which ids they
cover), so they have a score but no percentile.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from . import routes
from .ids import ModelRef
from .parse import ParseError, as_dict, parse_models, to_float, to_str
from .provenance import Sourced
from .schema import Model
from .service import DataService, Unusable, Want, find_model
from .snapshot import Bundled


@dataclass(frozen=True)
class BenchmarkInfo:
    label: str
    measures: str
    scale: str = "0–100"


AA_INDICES: dict[str, BenchmarkInfo] = {
    "intelligence_index": BenchmarkInfo(
        "Intelligence Index",
        "Artificial Analysis' composite of about ten evaluations across agents, coding, general knowledge "
        "and scientific reasoning."),
    "coding_index": BenchmarkInfo(
        "Coding Index",
        "Artificial Analysis' composite of its coding evaluations (code generation and terminal tasks)."),
    "agentic_index": BenchmarkInfo(
        "Agentic Index",
        "Artificial Analysis' composite of multi-step tool-use and agent tasks."),
}

LAUNCH_EVALS: dict[str, BenchmarkInfo] = {
    "MMLU": BenchmarkInfo("MMLU", "Multiple-choice questions on 57 subjects, school to professional level: "
                                  "broad knowledge.", "% correct"),
    "GPQA": BenchmarkInfo("GPQA", "Graduate-level biology, physics and chemistry questions written to be hard "
                                  "to look up: expert reasoning.", "% correct"),
    "MATH": BenchmarkInfo("MATH", "Competition mathematics problems with free-form answers: multi-step maths.",
                          "% correct"),
    "HumanEval": BenchmarkInfo("HumanEval", "Writing Python functions from docstrings, checked by unit tests: "
                                            "code generation.", "% pass@1"),
    "MGSM": BenchmarkInfo("MGSM", "Grade-school maths word problems in ten languages: multilingual reasoning.",
                          "% correct"),
    "DROP_F1_3shot": BenchmarkInfo("DROP (F1, 3-shot)", "Reading comprehension needing arithmetic and counting "
                                                        "over paragraphs: discrete reasoning.", "F1 score"),
}


# --- percentile math -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Placement:
    """Where one model's score stands among the rated models on one index."""

    index: str
    score: float | None
    status: str
    """``"rated"``, ``"not rated"`` (null score) or ``"not in list"``."""
    rated: int = 0
    """How many models the percentile was computed over (this model included)."""
    at_or_below: int = 0
    rank: int | None = None
    ties: int = 0
    """Other rated models with exactly this score."""

    @property
    def percentile(self) -> int | None:
        if self.status != "rated" or not self.rated:
            return None
        return math.floor(100 * self.at_or_below / self.rated)

    def wording(self) -> str:
        """The one sentence the page shows for this placement."""
        if self.status == "not rated":
            return f"not rated (no score on this index; {self.rated} other models have one)"
        if self.status == "not in list":
            return "not in the comparison list, so no percentile"
        noun = "model" if self.rated == 1 else "models"
        text = f"at or above {self.percentile}% of {self.rated} rated {noun} · rank {self.rank} of {self.rated}"
        if self.ties:
            text += f" ({self.ties} tied)"
        return text


def place(scores: Mapping[str, float | None], identity: str, *, index: str = "",
          own_score: float | None = None) -> Placement:
    """Place ``identity`` among ``scores`` (identity → score, ``None`` = not rated).

    When the list lacks the model but its own record carries a score (``own_score``), the model
    is added to the comparison set so it is still placed among everyone else.
    """
    rated = {key: value for key, value in scores.items() if value is not None}
    if identity in scores:
        score = scores[identity]
    elif own_score is not None:
        score = own_score
        rated = {**rated, identity: own_score}
    else:
        return Placement(index, None, "not in list", rated=len(rated))
    if score is None:
        return Placement(index, None, "not rated", rated=len(rated))
    values = list(rated.values())
    higher = sum(1 for value in values if value > score)
    equal = sum(1 for value in values if value == score)
    return Placement(index, score, "rated", rated=len(values), at_or_below=len(values) - higher,
                     rank=higher + 1, ties=equal - 1)


# --- comparison tables ---------------------------------------------------------------------------

@dataclass(frozen=True)
class ScoreTable:
    """Every model's score per index, one row per model identity (its canonical slug)."""

    scores: dict[str, dict[str, float | None]] = field(default_factory=dict)
    """index → identity → score."""
    names: dict[str, str] = field(default_factory=dict)
    source: str = "model list"

    def placements(self, identity: str, own: Mapping[str, Any] | None = None) -> list[Placement]:
        own = own or {}
        return [place(self.scores.get(index, {}), identity, index=index, own_score=to_float(own.get(index)))
                for index in AA_INDICES]

    def rows(self, index: str) -> list[tuple[str, str, float]]:
        """(identity, display name, score) for every rated model on ``index``."""
        return [(key, self.names.get(key, key), value)
                for key, value in self.scores.get(index, {}).items() if value is not None]


def table_from_models(models: Iterable[Model]) -> ScoreTable:
    """From ``/api/v1/models``: models without a ``benchmarks.artificial_analysis`` object are
    not in the comparison at all; a null index inside it is "not rated"."""
    scores: dict[str, dict[str, float | None]] = {index: {} for index in AA_INDICES}
    names: dict[str, str] = {}
    for model in models:
        indices = model.aa_indices
        if not indices:
            continue
        identity = identity_of(model)  # variants share it, so they overwrite rather than add
        if identity not in names or ":" not in model.id:
            names[identity] = model.name
        for index in AA_INDICES:
            scores[index][identity] = to_float(indices.get(index))
    return ScoreTable(scores, names, "model list")


def parse_benchmarks(payload: Any) -> ScoreTable:
    """``GET /api/v1/benchmarks?source=artificial-analysis``: items carry ``model_permaslug``,
    ``display_name`` and the three indices (flat, or under ``benchmark_data.evaluations`` with an
    ``artificial_analysis_`` prefix, as the website's internal route has them)."""
    data = payload.get("data") if isinstance(payload, dict) else payload
    if not isinstance(data, list):
        raise ParseError("expected a list of benchmark items under 'data'")
    scores: dict[str, dict[str, float | None]] = {index: {} for index in AA_INDICES}
    names: dict[str, str] = {}
    for item in data:
        item = as_dict(item)
        identity = to_str(item.get("model_permaslug")) or to_str(item.get("permaslug")) or to_str(item.get("slug"))
        if not identity:
            continue
        evaluations = as_dict(as_dict(item.get("benchmark_data")).get("evaluations"))
        names[identity] = to_str(item.get("display_name")) or to_str(item.get("aa_name")) or identity
        for index in AA_INDICES:
            value = item.get(index, evaluations.get(f"artificial_analysis_{index}"))
            scores[index][identity] = to_float(value)
    return ScoreTable(scores, names, "benchmarks dataset")


def identity_of(model: Model) -> str:
    return model.canonical_slug or model.base_id


# --- data access ---------------------------------------------------------------------------------

def score_table(service: DataService) -> Sourced[ScoreTable]:
    """The comparison set: OpenRouter's benchmarks dataset (it needs a key); otherwise, or when
    that dataset fails or is empty, the model list's ``benchmarks`` field."""
    dataset = service.get(Want("benchmarks dataset", parse_benchmarks, ScoreTable(), live=(routes.benchmarks(),),
                               optional=True))
    if dataset.ok and any(dataset.value.scores.values()):
        return dataset
    notice = None
    if dataset.notice or dataset.ok:
        notice = (dataset.notice or "The benchmarks dataset was empty.") + " Using the model list's scores instead."
    listing = service.models()
    table = listing.map(table_from_models)
    return table.with_notice(" ".join(part for part in (notice, listing.notice) if part) or None)


@dataclass(frozen=True)
class Ranking:
    """A model's placements and the set they were computed over: one source for both."""

    table: ScoreTable
    identity: str
    placements: list[Placement]


def _ranking_in(model_id: str, table_of: Callable[[Any], ScoreTable], models_or_table: Any) -> Ranking:
    """Rank ``model_id`` in a list that holds it; a list without it cannot rank it (Unusable)."""
    if isinstance(models_or_table, ScoreTable):
        table = models_or_table
        identity = next((key for key in (model_id, ModelRef.of(model_id).base)
                         if any(key in scores for scores in table.scores.values())), None)
        if identity is None:
            raise Unusable(f"the benchmarks dataset does not hold {model_id}")
        return Ranking(table, identity, table.placements(identity))
    model = find_model(model_id, models_or_table)
    if model is None:
        raise Unusable(f"the model list does not hold {model_id}, so it cannot be ranked in it")
    table = table_of(models_or_table)
    return Ranking(table, identity_of(model), table.placements(identity_of(model)))


def ranking(service: DataService, model: Model) -> Sourced[Ranking]:
    """The model's rank percentile on each index, computed over the same source its score came
    from (that source is the badge): the benchmarks dataset when it holds the model (it needs a
    key), else the model list that holds the model, live or bundled. Never a list without it."""
    identity = identity_of(model)
    dataset = service.get(Want("benchmarks dataset", parse_benchmarks, ScoreTable(), live=(routes.benchmarks(),),
                               pick=functools.partial(_ranking_in, identity, table_from_models), optional=True))
    if dataset.ok and isinstance(dataset.value, Ranking):
        return dataset
    listed = service.get(Want(f"benchmark scores with {model.id}", parse_models, None, live=(routes.models(),),
                              bundled=Bundled.at("/api/v1/models"), needs_data=True,
                              pick=functools.partial(_ranking_in, model.id, table_from_models)))
    dataset_note = dataset.notice if dataset.notice and "needs an OpenRouter API key" not in dataset.notice else None
    if dataset_note:
        listed = listed.with_notice(" ".join(part for part in (dataset_note + " Using the model list's scores "
                                                                "instead.", listed.notice) if part))
    if listed.value is None:
        return Sourced(Ranking(ScoreTable(), identity, []), listed.provenance, notice=listed.notice)
    return listed


def parse_launch_evals(payload: Any) -> dict[str, float]:
    """The bundled evals file: scores (percent) under its ``openai_simple_evals_…`` object."""
    block = next((value for key, value in as_dict(payload).items() if key.startswith("openai_simple_evals")), None)
    if not isinstance(block, dict):
        raise ParseError("no simple-evals block")
    return {k: float(v) for k, v in block.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}


def launch_evals(service: DataService, model_id: str | ModelRef) -> Sourced[dict[str, float] | None]:
    """OpenAI's published launch-day evaluations (percent), for the models the data says they
    cover. They are of the model itself, so a variant (``:batch``) shares its base model's."""
    ref = ModelRef.of(model_id)
    return service.get(Want(f"launch evaluations for {ref.base}", parse_launch_evals, None,
                            bundled=Bundled.at("#launch_evals", {"model": ref.base}), optional=True))


def launch_scores(service: DataService, model_id: str | ModelRef) -> Sourced[list[tuple[BenchmarkInfo, float]]]:
    """OpenAI's published launch evaluations, in a fixed order, labelled."""
    evals = launch_evals(service, model_id)
    rows = [(info, float(evals.value[name])) for name, info in LAUNCH_EVALS.items()
            if evals.value and evals.value.get(name) is not None]
    return evals.map(lambda _: rows)
