"""The playground's tools and structured outputs: the editors that shape the request, the cards
that show each tool call with its verdict, the form that answers the calls, and the verdict on a
structured answer.

What is checked and how lives in :mod:`routerlens.tools`; this module lays it out. Everything the
model wrote (tool names, arguments, answers) and every validation message (they quote it) is shown
as code or escaped text, never as HTML or live Markdown.
"""

from __future__ import annotations

import streamlit as st

from routerlens import text as md
from routerlens.chat import ChatResult, ToolCall, Turn, open_calls
from routerlens.providers import ProviderTable
from routerlens.provenance import Sourced
from routerlens.routing import RequestSpec
from routerlens.schema import Model
from routerlens.text import code_span
from routerlens.tools import (
    CHOICES, EXAMPLE_SCHEMAS, EXAMPLE_TOOLS, ToolSet, as_editor_text, check_call, example_result,
    parse_response_schema, parse_tools, pretty_json, response_schema, structured_verdict, support_problems,
    tool_choice_value,
)

from .badges import provenance_badge
from .playground_state import session

CHOICE_HELP = {"auto": "auto: the model decides", "none": "none: no tool calls",
               "required": "required: at least one call"}
MARKS = {True: ":green[:material/check_circle:]", False: ":red[:material/cancel:]", None: ":gray[:material/remove:]"}
"""A check passed, failed, or could not be made (icons, not emoji: headless browsers lack emoji fonts)."""


# --- the editors ----------------------------------------------------------------------------------------

def tools_key(key: str) -> str:
    """The tool-definitions text area."""
    return f"{key}_tools_json"


def schema_key(key: str) -> str:
    """The response-schema text area."""
    return f"{key}_schema_json"


def _remember(widget: str) -> None:
    session().editors[widget] = st.session_state.get(widget) or ""


def _fill(widget: str, text: str) -> None:
    """An example button: put ``text`` in the editor (and remember it)."""
    st.session_state[widget] = text
    _remember(widget)


def _editor(label: str, widget: str, default: str, *, disabled: bool, help: str) -> str:
    """A JSON text area whose text outlives visits to other pages (kept in the session object)."""
    if widget not in st.session_state:
        st.session_state[widget] = session().editors.get(widget, default)
    return st.text_area(label, key=widget, height=240, disabled=disabled, help=help,
                        on_change=_remember, args=(widget,)) or ""


def _examples(examples: dict, widget: str, *, disabled: bool, key: str) -> None:
    with st.container(horizontal=True, key=f"{key}_examples", vertical_alignment="center"):
        st.caption("Examples:", width="content")
        for index, (name, value) in enumerate(examples.items()):
            st.button(name, key=f"{key}_example{index}", disabled=disabled, on_click=_fill,
                      args=(widget, as_editor_text(value)), type="tertiary")


def _problems_box(problems: tuple[str, ...]) -> None:
    st.error("  \n".join(md.escape_markdown_text(problem) for problem in problems), icon=":material/data_object:")


def tools_panel(model: Sourced[Model | None], model_id: str, table: ProviderTable, pinned: str | None, *,
                key: str) -> tuple[dict, tuple[str, ...]]:
    """The "Tools and structured output" expander. Returns the request fields it sets (for
    :class:`~routerlens.routing.RequestSpec`) and why a message cannot be sent with them
    (Markdown written here, quotes escaped): JSON or schema errors, a model or pinned provider
    whose ``supported_parameters`` lack ``tools`` / ``structured_outputs``."""
    refusals: list[str] = []
    with st.expander("Tools and structured output", icon=":material/build:", key=f"{key}_tools_box"):
        st.caption("Give the model functions it may call (answer each call yourself or with the example tool's "
                   "own result), and/or a JSON Schema its answer must follow. Both are checked here, with "
                   "jsonschema, before anything is sent.")
        tools_on = st.toggle("Send tools", key=f"{key}_tools_on",
                             help="Sent as `tools`, with `tool_choice` and `parallel_tool_calls`.")
        _examples(EXAMPLE_TOOLS, tools_key(key), disabled=not tools_on, key=f"{key}_tools")
        text = _editor("Tool definitions (JSON array)", tools_key(key), as_editor_text(EXAMPLE_TOOLS["Weather lookup"]),
                       disabled=not tools_on,
                       help='Each: {"type": "function", "function": {"name", "description", "parameters"}} '
                            "(a bare function object works too); parameters is a JSON Schema for the arguments.")
        toolset = parse_tools(text) if tools_on else ToolSet()
        if toolset.problems:
            _problems_box(toolset.problems)
            refusals += [f"**Tools:** {md.escape_markdown_text(p)}" for p in toolset.problems]
        elif tools_on:
            names = ", ".join(code_span(name) for name in toolset.names)
            st.caption(f"{MARKS[True]} {len(toolset.tools)} valid tool(s): {names}")
        choice_box = f"{key}_tool_choice"
        options = [*CHOICES, *toolset.names]
        if st.session_state.get(choice_box) not in options:
            st.session_state[choice_box] = "auto"  # the named tool is gone from the definitions
        left, right = st.columns(2, vertical_alignment="bottom")
        choice = left.selectbox("Tool choice", options, key=choice_box, disabled=not tools_on,
                                format_func=lambda c: CHOICE_HELP.get(c, f"{c}: this tool"))
        parallel = right.toggle("Parallel tool calls", value=True, key=f"{key}_parallel", disabled=not tools_on,
                                help="Whether the model may ask for several calls in one answer.")
        st.divider()
        schema_on = st.toggle("Structured output (JSON Schema)", key=f"{key}_schema_on",
                              help='Sent as response_format {"type": "json_schema", …}; the answer is checked '
                                   "against the schema.")
        _examples(EXAMPLE_SCHEMAS, schema_key(key), disabled=not schema_on, key=f"{key}_schemas")
        schema_text = _editor("Response schema (JSON Schema of the answer)", schema_key(key),
                              as_editor_text(EXAMPLE_SCHEMAS["Weather report"]), disabled=not schema_on,
                              help='A JSON Schema with "type": "object"; or {"name", "strict", "schema"}.')
        strict = st.checkbox("Strict", value=True, key=f"{key}_strict", disabled=not schema_on,
                             help="strict: true asks the provider to follow the schema exactly (OpenAI then needs "
                                  "additionalProperties false and every property required).")
        parsed = parse_response_schema(schema_text, strict=strict) if schema_on else None
        if parsed is not None and parsed.problems:
            _problems_box(parsed.problems)
            refusals += [f"**Structured output:** {md.escape_markdown_text(p)}" for p in parsed.problems]
        elif parsed is not None:
            st.caption(f"{MARKS[True]} A valid JSON Schema.")
        refusals += _support(model, model_id, table, pinned, tools=tools_on, structured=schema_on, key=key)
    fields = {"tools": toolset.tools if toolset.ok else (),
              "tool_choice": tool_choice_value(choice, toolset.names) if toolset.ok else None,
              "parallel_tool_calls": bool(parallel) if toolset.ok else None,
              "response_format": parsed.response_format if parsed is not None else None}
    return fields, tuple(refusals)


def _support(model: Sourced[Model | None], model_id: str, table: ProviderTable, pinned: str | None, *,
             tools: bool, structured: bool, key: str) -> list[str]:
    """Say, before sending, when the model (or the pinned provider) does not take what is asked."""
    wanted = [name for name, on in (("tools", tools), ("structured outputs", structured)) if on]
    if not wanted:
        return []
    value = model.value
    endpoint = next((row.endpoint for row in table.rows if pinned and row.endpoint.routing_slug == pinned), None)
    # The messages are Markdown; the names in them are catalog text, so they go in escaped.
    escaped = support_problems(wanted, model_name=md.escape_markdown_text(value.short_name if value else model_id),
                               model_params=value.supported_parameters if value else (),
                               provider_name=md.escape_markdown_text(endpoint.provider_name) if endpoint else None,
                               provider_params=endpoint.supported_parameters if endpoint else ())
    with st.container(horizontal=True, key=f"{key}_support", vertical_alignment="center"):
        if escaped:
            st.warning("  \n".join(escaped), icon=":material/block:")
        elif value is None or not value.supported_parameters:
            st.caption("Whether this model takes " + " and ".join(wanted) + " is unknown (no supported parameters "
                       "listed): the provider will say.")
        else:
            st.caption("The model lists " + " and ".join(wanted) + " among its supported parameters.")
        provenance_badge(model.provenance, key=f"{key}_support_prov")
    return escaped


# --- answers: tool calls, structured output -----------------------------------------------------------------

def answer_text(target, text: str, spec: RequestSpec | None) -> None:
    """An answer's text: JSON as code for a structured answer, else safe Markdown. ``target`` is
    ``st`` or a placeholder."""
    if spec is not None and response_schema(spec.response_format) is not None:
        target.code(pretty_json(text), language="json", wrap_lines=True)
    else:
        target.markdown(md.safe_markdown(text))


def streaming_markdown(text: str, result: ChatResult) -> str:
    """The answer so far, with a line per tool call being written."""
    lines = [md.safe_markdown(text)] if text else []
    for call in result.tool_calls:
        lines.append(f"Calling {code_span(call.name or '…')} ({len(call.arguments)} characters of arguments so far)")
    return "  \n".join(lines)


def answer_checks(result: ChatResult | None, spec: RequestSpec | None, *, key: str) -> None:
    """Under an answer: a card per tool call with its verdict, the model's refusal if any, and
    whether a structured answer matches its schema."""
    if result is None:
        return
    tools = spec.tools if spec is not None else ()
    for index, call in enumerate(result.tool_calls):
        tool_call_card(call, tools, number=index + 1, complete=result.ok, key=f"{key}_call{index}")
    if result.refusal:
        st.warning("**The model refused:** " + md.escape_markdown_text(result.refusal), icon=":material/block:")
    verdict = structured_verdict(result, spec, partial=True)
    if verdict is None:
        return
    unfinished = "" if result.ok else " (checked as far as the answer came: it did not finish)"
    if verdict.ok:
        st.success(f"Valid against the response schema{unfinished}.", icon=":material/check_circle:")
    else:
        st.error(f"**Not valid against the response schema**{unfinished}: "
                 + md.escape_markdown_text(verdict.first_error or ""), icon=":material/rule:")


def tool_call_card(call: ToolCall, tools: tuple[dict, ...], *, number: int, complete: bool, key: str) -> None:
    """One call: the tool's name, its arguments as formatted JSON, and the three checks."""
    verdict = check_call(call, tools)
    with st.container(border=True, key=key):
        name = code_span(call.name) if call.name else "_(no name)_"
        st.markdown(f"**Tool call {number}:** {name}")
        st.code(pretty_json(call.arguments) or "(no arguments)", language="json", wrap_lines=True)
        lines = []
        for check in verdict.checks:
            detail = f": {md.escape_markdown_text(check.detail)}" if check.detail else ""
            lines.append(f"{MARKS[check.passed]} {check.label}{detail}")
        st.markdown("  \n".join(lines))
        st.caption(f"Call id {code_span(call.id)}" + ("" if complete else " · the answer stopped before this call "
                                                          "was complete: shown as far as it came, not answerable."))


def tool_result_message(turn: Turn, *, note: str | None = None, key: str) -> None:
    """A result given to a call, shown as the tool's message."""
    with st.chat_message("tool", avatar=":material/build:"):
        st.caption(f"Result for {code_span(turn.name or '?')} (call {code_span(turn.tool_call_id)})")
        st.code(pretty_json(turn.text), language="json", wrap_lines=True)
        if note:
            st.caption(note)


# --- answering the calls -------------------------------------------------------------------------------------

def tool_answers(turns: list[Turn], *, key: str) -> list[Turn] | None:
    """Under an answer that called tools: a result box per call (typed, or the example tool's own
    result), and the button that sends them. Returns the result turns when pressed with every box
    filled; otherwise says what is missing and returns ``None`` (what was typed stays)."""
    calls = open_calls(turns)
    if not calls:
        return None
    prefix = f"{key}_answer{len(turns) - 1}"
    with st.container(border=True, key=prefix):
        st.markdown("**Answer the tool calls**")
        st.caption("Each result is sent back as a `tool` message for its call, then the model answers. Type a result "
                   "(JSON or text), or use the example tool's own result.")
        boxes = []
        for index, call in enumerate(calls):
            box = f"{prefix}_result{index}"
            boxes.append(box)
            st.text_area(f"Result for call {index + 1}: {code_span(call.name or '(no name)')}", key=box, height=80,
                         placeholder='e.g. {"temperature": 21, "conditions": "sunny"}')
            example = example_result(call.name, call.arguments)
            if example is not None:
                st.button("Use the example tool's result", key=f"{box}_example", icon=":material/auto_fix_high:",
                          on_click=_fill_result, args=(box, example), type="tertiary")
        if not st.button("Send results", key=f"{prefix}_send", type="primary", icon=":material/send:"):
            return None
        texts = [(st.session_state.get(box) or "").strip() for box in boxes]
        missing = [str(index + 1) for index, text in enumerate(texts) if not text]
        if missing:
            st.warning(f"**Not sent.** Give every call a result (missing: call {', '.join(missing)}).",
                       icon=":material/block:")
            return None
    return [Turn("tool", text, tool_call_id=call.id, name=call.name) for call, text in zip(calls, texts)]


def _fill_result(box: str, text: str) -> None:
    st.session_state[box] = text
