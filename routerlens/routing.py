"""Routing modes and the chat request they produce, as OpenRouter defines them.

* Balanced: OpenRouter's default load balancing (no sort): price-weighted among stable providers.
* Nitro: ``<model>:nitro``, providers sorted by throughput (priority-tier endpoints admitted).
* Exacto: ``<model>:exacto``, quality-first provider *ordering* (tool-calling quality signals),
  with fallbacks. It is not a single provider.
* Floor: ``<model>:floor``, providers sorted by price (flex-tier endpoints admitted).
* Pinned provider: ``provider.order = [tag]`` with ``allow_fallbacks: false``: exactly one
  provider, no fallback.

:class:`RequestSpec` is the one description of "what the playground would send"; the playground
sends it and the API page renders it as code, so the two never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any


class RoutingMode(str, Enum):
    BALANCED = "balanced"
    NITRO = "nitro"
    EXACTO = "exacto"
    FLOOR = "floor"
    PINNED = "pinned"

    @property
    def label(self) -> str:
        return {"balanced": "Balanced", "nitro": "Nitro", "exacto": "Exacto", "floor": "Floor",
                "pinned": "Pinned provider"}[self.value]

    @property
    def explanation(self) -> str:
        return MODE_EXPLANATIONS[self]

    @property
    def suffix(self) -> str | None:
        return {RoutingMode.NITRO: ":nitro", RoutingMode.EXACTO: ":exacto", RoutingMode.FLOOR: ":floor"}.get(self)


MODE_EXPLANATIONS = {
    RoutingMode.BALANCED: "OpenRouter's default: load-balances across stable providers, weighted toward the "
                          "cheapest (inverse square of price); the others are fallbacks.",
    RoutingMode.NITRO: "Fastest first: providers sorted by measured throughput (`:nitro`); priority-tier "
                       "endpoints may compete and are billed at their rates.",
    RoutingMode.EXACTO: "Quality first: providers ordered by tool-calling quality signals (`:exacto`), with "
                        "fallbacks. An ordering, not a single provider.",
    RoutingMode.FLOOR: "Cheapest first: providers sorted by price (`:floor`); discounted flex-tier endpoints "
                       "may be used.",
    RoutingMode.PINNED: "Exactly one provider: `provider.order` = [its slug] with `allow_fallbacks: false`. "
                        "If it fails, the request fails.",
}


def routed_model_id(model_id: str, mode: RoutingMode) -> str:
    """The ``model`` field for a mode: variant suffixes replace any suffix already present."""
    base = model_id.split(":", 1)[0]
    suffix = mode.suffix
    if suffix:
        return base + suffix
    return model_id if mode is RoutingMode.BALANCED else base


def provider_preferences(mode: RoutingMode, pinned: str | None = None) -> dict | None:
    if mode is RoutingMode.PINNED:
        if not pinned:
            raise ValueError("Pinned provider mode needs a provider slug")
        return {"order": [pinned], "allow_fallbacks": False}
    return None


@dataclass(frozen=True)
class RequestSpec:
    """Everything that shapes a chat completion request except the messages themselves."""

    model_id: str
    mode: RoutingMode = RoutingMode.BALANCED
    pinned_provider: str | None = None
    system_prompt: str = ""
    temperature: float | None = None
    max_tokens: int | None = None
    top_p: float | None = None
    frequency_penalty: float | None = None
    presence_penalty: float | None = None
    seed: int | None = None
    stop: tuple[str, ...] = ()
    tools: tuple[dict, ...] = ()
    """Function definitions as sent (``{"type": "function", "function": {name, description,
    parameters}}``); none: no ``tools`` field, and no ``tool_choice`` / ``parallel_tool_calls``."""
    tool_choice: str | dict | None = None
    """``"auto"``, ``"none"``, ``"required"`` or ``{"type": "function", "function": {"name": …}}``."""
    parallel_tool_calls: bool | None = None
    response_format: dict | None = None
    """e.g. ``{"type": "json_schema", "json_schema": {name, strict, schema}}`` (structured outputs)."""
    extra: dict = field(default_factory=dict)

    def with_mode(self, mode: RoutingMode, pinned: str | None = None) -> RequestSpec:
        return replace(self, mode=mode, pinned_provider=pinned if mode is RoutingMode.PINNED else None)

    @property
    def model(self) -> str:
        return routed_model_id(self.model_id, self.mode)

    def parameters(self) -> dict[str, Any]:
        params: dict[str, Any] = {}
        for name in ("temperature", "max_tokens", "top_p", "frequency_penalty", "presence_penalty", "seed"):
            value = getattr(self, name)
            if value is not None:
                params[name] = value
        if self.stop:
            params["stop"] = list(self.stop)
        if self.tools:
            params["tools"] = list(self.tools)
            if self.tool_choice is not None:
                params["tool_choice"] = self.tool_choice
            if self.parallel_tool_calls is not None:
                params["parallel_tool_calls"] = self.parallel_tool_calls
        if self.response_format is not None:
            params["response_format"] = self.response_format
        params.update(self.extra)
        return params

    def messages_with_system(self, messages: list[dict]) -> list[dict]:
        if self.system_prompt.strip():
            return [{"role": "system", "content": self.system_prompt}, *messages]
        return list(messages)

    def body(self, messages: list[dict], *, stream: bool = True) -> dict[str, Any]:
        """The JSON body for ``POST /api/v1/chat/completions``."""
        body: dict[str, Any] = {"model": self.model, "messages": self.messages_with_system(messages)}
        if stream:
            body["stream"] = True
        body.update(self.parameters())
        provider = provider_preferences(self.mode, self.pinned_provider)
        if provider:
            body["provider"] = provider
        return body
