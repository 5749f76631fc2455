"""Tool calling and structured outputs for the playground, without any UI.

* Tool definitions are typed as JSON (OpenAI's ``{"type": "function", "function": {name,
  description, parameters}}``, or the bare function object) and checked before anything is sent:
  JSON syntax (with line and column), the definition's shape, a function name OpenAI accepts, no
  duplicate names, and each ``parameters`` against the JSON Schema meta-schema.
* A structured-output schema (``response_format: {"type": "json_schema", …}``) is checked the
  same way; the answer is then validated against it, with the first error shown.
* Each tool call an answer makes gets a verdict: the arguments are valid JSON, the tool exists,
  the arguments match its schema (with the first error).
* Two example tools (a weather lookup and a calculator) with deterministic local results, so a
  call can be answered without writing one. The weather is made up and says so; the calculator
  evaluates arithmetic from a syntax tree, never with ``eval``.

All validation is jsonschema's (the reference implementation, also Altair's dependency); messages
quote what the user or the model wrote, so they are plain text for the UI to escape.
"""

from __future__ import annotations

import ast
import json
import operator
import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from jsonschema import Draft202012Validator, ValidationError, validators
from jsonschema.exceptions import SchemaError, best_match

from .chat import ChatResult, ToolCall
from .parse import loads as strict_json
from .routing import RequestSpec

TOOL_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
"""What OpenAI accepts as a function (and schema) name."""
CHOICES = ("auto", "none", "required")
"""``tool_choice`` values besides naming one tool."""
MESSAGE_LIMIT = 300
"""Validation messages quote the instance; long ones are shortened."""

TOOL_SHAPE: dict = {
    "type": "object",
    "required": ["type", "function"],
    "properties": {
        "type": {"const": "function"},
        "function": {
            "type": "object",
            "required": ["name"],
            "properties": {
                "name": {"type": "string", "pattern": TOOL_NAME.pattern},
                "description": {"type": "string"},
                "parameters": {"type": "object"},
                "strict": {"type": ["boolean", "null"]},
            },
            "additionalProperties": False,
        },
    },
    "additionalProperties": False,
}
"""One tool definition as the chat completions API takes it."""


# --- small helpers ----------------------------------------------------------------------------------

def _short(text: str) -> str:
    return text if len(text) <= MESSAGE_LIMIT else text[: MESSAGE_LIMIT - 1] + "…"


def where(path: Iterable[Any]) -> str:
    """A JSON location as ``$.a[0].b`` (``$`` is the whole document)."""
    out = "$"
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def describe(error: ValidationError | SchemaError) -> str:
    """One validation error in words: the message and where it is."""
    return _short(f"{error.message} (at {where(error.absolute_path)})")


def json_kind(value: Any) -> str:
    """A JSON value's kind in JSON's words (``an array``, ``a string``, ``null`` …)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    return {dict: "an object", list: "an array", str: "a string"}.get(type(value), "a number")


def read_json(text: str) -> tuple[Any, str | None]:
    """Parse editor text as strict JSON: ``(value, None)`` or ``(None, why not, with position)``."""
    if not (text or "").strip():
        return None, "empty"
    try:
        return strict_json(text), None
    except json.JSONDecodeError as exc:
        return None, f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
    except ValueError as exc:
        return None, f"not valid JSON: {exc}"


def schema_problem(schema: Any) -> str | None:
    """Why ``schema`` is not a valid JSON Schema (checked against its meta-schema; draft 2020-12
    unless ``$schema`` names another), or ``None``."""
    if not isinstance(schema, (dict, bool)):
        return f"a JSON Schema is an object, not {json_kind(schema)}"
    try:
        validators.validator_for(schema, default=Draft202012Validator).check_schema(schema)
    except SchemaError as exc:
        return describe(exc)
    return None


def first_error(instance: Any, schema: dict | bool) -> str | None:
    """The most relevant error (jsonschema's ``best_match``) of ``instance`` against a valid schema."""
    validator = validators.validator_for(schema, default=Draft202012Validator)(schema)
    try:
        error = best_match(validator.iter_errors(instance))
    except Exception as exc:  # noqa: BLE001 - e.g. a $ref that resolves nowhere: said, never raised
        return _short(f"the schema could not be applied: {exc}")
    return describe(error) if error is not None else None


# --- tool definitions ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class ToolSet:
    """The tools the editor holds: request-ready definitions, or why they cannot be sent."""

    tools: tuple[dict, ...] = ()
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return bool(self.tools) and not self.problems

    @property
    def names(self) -> list[str]:
        return [tool["function"]["name"] for tool in self.tools]


def parse_tools(text: str) -> ToolSet:
    """Read the tools editor: a JSON array of definitions (one object is taken as a list of one;
    a bare ``{name, description, parameters}`` object is wrapped as a function tool)."""
    value, problem = read_json(text)
    if problem:
        return ToolSet(problems=(f"The tool definitions are {problem}.",))
    items = value if isinstance(value, list) else [value]
    if not items:
        return ToolSet(problems=("No tools are defined: add at least one, or turn tools off.",))
    tools: list[dict] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for number, item in enumerate(items, start=1):
        tool = {"type": "function", "function": item} if isinstance(item, dict) and "function" not in item else item
        label = f"Tool {number}"
        error = best_match(Draft202012Validator(TOOL_SHAPE).iter_errors(tool))
        if error is not None:
            problems.append(f"{label}: {describe(error)}" + _name_hint(error))
            continue
        function = tool["function"]
        name = function["name"]
        label = f"Tool {number} ({name})"
        if name in seen:
            problems.append(f"{label}: the name is already used by tool {seen[name]}; tool names must be unique.")
            continue
        seen[name] = number
        parameters = function.get("parameters")
        if parameters is not None:
            why = schema_problem(parameters)
            if why:
                problems.append(f"{label}: its parameters are not a valid JSON Schema: {why}")
                continue
            if parameters.get("type") != "object":
                problems.append(f'{label}: its parameters must describe an object ("type": "object").')
                continue
        tools.append(tool)
    return ToolSet(tuple(tools), tuple(problems))


def _name_hint(error: ValidationError) -> str:
    if list(error.absolute_path)[-1:] == ["name"] and error.validator == "pattern":
        return ". Names are 1-64 letters, digits, underscores or hyphens."
    return ""


def tool_schemas(tools: Sequence[dict]) -> dict[str, dict]:
    """Name → the ``parameters`` schema (``{}``, anything goes, when a tool has none)."""
    out: dict[str, dict] = {}
    for tool in tools:
        function = tool.get("function") if isinstance(tool, dict) else None
        if isinstance(function, dict) and isinstance(function.get("name"), str):
            out[function["name"]] = function.get("parameters") or {}
    return out


def tool_choice_value(choice: str, names: Sequence[str]) -> str | dict | None:
    """The request's ``tool_choice``: one of :data:`CHOICES`, or a defined tool's name (sent as
    ``{"type": "function", "function": {"name": …}}``); ``None`` for a name no longer defined."""
    if choice in CHOICES:
        return choice
    if choice in names:
        return {"type": "function", "function": {"name": choice}}
    return None


# --- structured outputs -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ResponseSchema:
    """The structured-output editor: the request's ``response_format``, or why it cannot be sent."""

    response_format: dict | None = None
    problems: tuple[str, ...] = ()


def parse_response_schema(text: str, *, strict: bool = True) -> ResponseSchema:
    """Read the schema editor: a JSON Schema for the whole answer (or OpenAI's ``{name, schema,
    strict}`` wrapper, whose own name and strictness are kept)."""
    value, problem = read_json(text)
    if problem:
        return ResponseSchema(problems=(f"The response schema is {problem}.",))
    name = "answer"
    if isinstance(value, dict) and isinstance(value.get("schema"), dict) and "name" in value:
        name, strict, value = value.get("name"), bool(value.get("strict", strict)), value["schema"]
        if not isinstance(name, str) or not TOOL_NAME.match(name):
            return ResponseSchema(problems=("The response schema's name must be 1-64 letters, digits, underscores "
                                            "or hyphens.",))
    elif isinstance(value, dict) and isinstance(value.get("title"), str) and TOOL_NAME.match(value["title"]):
        name = value["title"]
    why = schema_problem(value)
    if why:
        return ResponseSchema(problems=(f"The response schema is not a valid JSON Schema: {why}",))
    if not isinstance(value, dict) or value.get("type") != "object":
        return ResponseSchema(problems=('The response schema must describe an object ("type": "object"): '
                                        "structured outputs return a JSON object.",))
    return ResponseSchema({"type": "json_schema", "json_schema": {"name": name, "strict": strict, "schema": value}})


def response_schema(response_format: dict | None) -> dict | None:
    """The JSON Schema inside a ``json_schema`` response format, else ``None``."""
    if not isinstance(response_format, dict) or response_format.get("type") != "json_schema":
        return None
    schema = (response_format.get("json_schema") or {}).get("schema")
    return schema if isinstance(schema, dict) else None


@dataclass(frozen=True)
class Check:
    """One line of a verdict: ``passed`` is ``None`` when it could not be checked."""

    label: str
    passed: bool | None
    detail: str = ""


@dataclass(frozen=True)
class Verdict:
    checks: tuple[Check, ...]

    @property
    def ok(self) -> bool:
        return all(check.passed for check in self.checks)

    @property
    def first_error(self) -> str | None:
        return next((check.detail for check in self.checks if check.passed is False), None)


def check_answer(text: str, schema: dict) -> Verdict:
    """A structured answer: valid JSON, and valid against the schema (with the first error)."""
    value, problem = read_json(text)
    parsed = Check("The answer is valid JSON", problem is None, "" if problem is None else f"The answer is {problem}.")
    if problem is not None:
        return Verdict((parsed, Check("It matches the schema", None, "not checked: the answer is not JSON")))
    error = first_error(value, schema)
    return Verdict((parsed, Check("It matches the schema", error is None, error or "")))


def structured_verdict(result: ChatResult, spec: RequestSpec | None, *, partial: bool = False) -> Verdict | None:
    """The verdict on an answer to a request sent with a response schema, or ``None`` when there
    is nothing to judge: no schema was sent, the answer called tools instead, or it did not finish.
    With ``partial`` an unfinished answer that has text is judged as far as it came (the chat does,
    under the answer, and says so); a comparison's summary judges complete answers only, as its
    ranking does. A complete answer is judged even when empty (it is then not valid JSON)."""
    schema = response_schema(spec.response_format) if spec is not None else None
    if schema is None or result.tool_calls or not (result.ok or (partial and result.text)):
        return None
    return check_answer(result.text, schema)


def check_call(call: ToolCall, tools: Sequence[dict]) -> Verdict:
    """A tool call: its arguments are valid JSON (an object), the tool exists, the arguments match
    the tool's ``parameters`` schema (with the first error)."""
    schemas = tool_schemas(tools)
    value, problem = read_json(call.arguments)
    if problem is None and not isinstance(value, dict):
        problem = f"JSON but not an object (they are {json_kind(value)})"
    parsed = Check("Arguments are valid JSON", problem is None,
                   "" if problem is None else f"The arguments are {problem}.")
    exists = call.name in schemas
    known = ", ".join(schemas) or "none"
    named = Check("The tool exists", exists, "" if exists else
                  f"No tool named “{call.name}” was sent (sent: {known})." if call.name else "The call names no tool.")
    if problem is not None or not exists:
        reason = "the arguments are not a JSON object" if problem is not None else "the tool is unknown"
        return Verdict((parsed, named, Check("Arguments match its schema", None, f"not checked: {reason}")))
    error = first_error(value, schemas[call.name])
    return Verdict((parsed, named, Check("Arguments match its schema", error is None, error or "")))


def pretty_json(text: str) -> str:
    """JSON text indented for reading; anything that is not JSON comes back as it was."""
    value, problem = read_json(text)
    return text if problem is not None else json.dumps(value, indent=2, ensure_ascii=False)


# --- support ------------------------------------------------------------------------------------------------

FEATURE_PARAMETERS = {"tools": "tools", "structured outputs": "structured_outputs"}
"""What the playground can send → the ``supported_parameters`` entry that allows it."""


def support_problems(wanted: Iterable[str], *, model_name: str, model_params: Sequence[str],
                     provider_name: str | None = None, provider_params: Sequence[str] = ()) -> list[str]:
    """Why a feature cannot be sent to this model (or pinned provider), from the listed
    ``supported_parameters``; an empty list there means "not listed": nothing is claimed. The
    sentences are Markdown with the names inserted as given (a UI escapes them first)."""
    problems = []
    for feature in wanted:
        parameter = FEATURE_PARAMETERS[feature]
        if model_params and parameter not in model_params:
            problems.append(f"{model_name} does not list `{parameter}` among its supported parameters, so its "
                            f"providers do not take {feature}. Turn {feature} off or pick another model.")
        elif provider_name and provider_params and parameter not in provider_params:
            problems.append(f"The pinned provider {provider_name} does not list `{parameter}` among its supported "
                            f"parameters for this model. Turn {feature} off or pick another provider or mode.")
    return problems


# --- the example tools and schemas ---------------------------------------------------------------------------

WEATHER_TOOL = {"type": "function", "function": {
    "name": "get_weather",
    "description": "Current weather for a city (RouterLens example: made-up, deterministic data).",
    "parameters": {
        "type": "object",
        "properties": {
            "city": {"type": "string", "description": "City name, e.g. Paris"},
            "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
        },
        "required": ["city", "unit"],
        "additionalProperties": False,
    },
}}
CALCULATOR_TOOL = {"type": "function", "function": {
    "name": "calculate",
    "description": "Evaluate an arithmetic expression: numbers, + - * / // % ** and parentheses.",
    "parameters": {
        "type": "object",
        "properties": {"expression": {"type": "string", "description": "e.g. (17 + 25) * 3"}},
        "required": ["expression"],
        "additionalProperties": False,
    },
}}
EXAMPLE_TOOLS: dict[str, list[dict]] = {
    "Weather lookup": [WEATHER_TOOL],
    "Calculator": [CALCULATOR_TOOL],
    "Both": [WEATHER_TOOL, CALCULATOR_TOOL],
}
EXAMPLE_SCHEMAS: dict[str, dict] = {
    "Weather report": {
        "type": "object",
        "properties": {
            "city": {"type": "string"},
            "temperature_c": {"type": "number"},
            "conditions": {"type": "string", "enum": ["sunny", "cloudy", "rain", "snow", "windy"]},
        },
        "required": ["city", "temperature_c", "conditions"],
        "additionalProperties": False,
    },
    "Contact card": {
        "type": "object",
        "properties": {
            "name": {"type": "string"},
            "email": {"type": ["string", "null"]},
            "topics": {"type": "array", "items": {"type": "string"}},
        },
        "required": ["name", "email", "topics"],
        "additionalProperties": False,
    },
}


def as_editor_text(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


CONDITIONS = ("sunny", "cloudy", "light rain", "windy", "overcast", "clear")
EXAMPLE_NOTE = "RouterLens example tool: made-up, deterministic data, not a real forecast"


def weather(city: str, unit: str = "celsius") -> dict:
    """The example weather: the same city always gets the same made-up reading."""
    seed = zlib.crc32(city.strip().lower().encode())
    celsius = seed % 36 - 5
    temperature = celsius if unit != "fahrenheit" else round(celsius * 9 / 5 + 32)
    return {"city": city, "temperature": temperature, "unit": "fahrenheit" if unit == "fahrenheit" else "celsius",
            "conditions": CONDITIONS[seed // 36 % len(CONDITIONS)], "note": EXAMPLE_NOTE}


class CalculationError(ValueError):
    """An expression the calculator will not evaluate (said in words)."""


EXPRESSION_LIMIT = 200
BIT_LIMIT = 4096
"""No intermediate number may grow past this many bits (``9**9**9`` is refused, not computed)."""
_BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
           ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod}
_UNARY = {ast.UAdd: operator.pos, ast.USub: operator.neg}


def calculate(expression: str) -> int | float:
    """Evaluate arithmetic exactly (fractions), walking the syntax tree: only numbers, + - * /
    // % **, unary signs and parentheses are allowed, never names, calls or attributes."""
    if not isinstance(expression, str):
        raise CalculationError("the expression must be text")
    if not expression.strip():
        raise CalculationError("the expression is empty")
    if len(expression) > EXPRESSION_LIMIT:
        raise CalculationError(f"the expression is longer than {EXPRESSION_LIMIT} characters")
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except SyntaxError:
        raise CalculationError("the expression is not arithmetic") from None
    value = _evaluate(tree.body)
    if value.denominator == 1:
        return int(value)
    try:
        return float(f"{float(value):.12g}")
    except OverflowError:  # a fraction within the bit limit can still be past float's range
        raise CalculationError("the result would be too large") from None


def _evaluate(node: ast.AST) -> Fraction:
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return _bounded(Fraction(repr(node.value)) if isinstance(node.value, float) else Fraction(node.value))
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        return _UNARY[type(node.op)](_evaluate(node.operand))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
        base, exponent = _evaluate(node.left), _evaluate(node.right)
        if exponent.denominator != 1:
            raise CalculationError("only whole-number powers are supported")
        if base == 0 and exponent < 0:
            raise CalculationError("division by zero")
        if abs(exponent) * max(abs(base.numerator).bit_length(), abs(base.denominator).bit_length()) > BIT_LIMIT:
            raise CalculationError("the result would be too large")
        return _bounded(base ** int(exponent))
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        left, right = _evaluate(node.left), _evaluate(node.right)
        if right == 0 and isinstance(node.op, (ast.Div, ast.FloorDiv, ast.Mod)):
            raise CalculationError("division by zero")
        return _bounded(Fraction(_BINARY[type(node.op)](left, right)))
    raise CalculationError("only numbers, + - * / // % ** and parentheses are allowed")


def _bounded(value: Fraction) -> Fraction:
    if max(abs(value.numerator).bit_length(), value.denominator.bit_length()) > BIT_LIMIT:
        raise CalculationError("the result would be too large")
    return value


def example_result(name: str, arguments: str) -> str | None:
    """The example tool's own result for a call, as the JSON text to send back; ``None`` when
    ``name`` is not an example tool. Arguments it cannot use give an ``{"error": …}`` result."""
    if name not in (WEATHER_TOOL["function"]["name"], CALCULATOR_TOOL["function"]["name"]):
        return None
    args, problem = read_json(arguments)
    if problem is not None or not isinstance(args, dict):
        return json.dumps({"error": f"the arguments are {problem or 'not a JSON object'}"})
    if name == "get_weather":
        city, unit = args.get("city"), args.get("unit", "celsius")
        if not isinstance(city, str) or not city.strip():
            return json.dumps({"error": "city must be a non-empty string"})
        return json.dumps(weather(city, unit if isinstance(unit, str) else "celsius"), ensure_ascii=False)
    try:
        return json.dumps({"expression": args.get("expression"), "result": calculate(args.get("expression"))})
    except CalculationError as exc:
        return json.dumps({"expression": args.get("expression"), "error": str(exc)})
