"""GitHub Actions expressions, the subset composite actions like ours use, evaluated as the runner does.

Supported: literals (null, true, false, numbers, 'strings' with '' escapes), context access with `.name`
(names may hold '-') and `['name']`, `!`, `==`, `!=`, `<`, `<=`, `>`, `>=`, `&&`, `||`, parentheses,
the status functions success(), failure(), always(), cancelled(), and toJSON() and fromJSON(). Anything
else (other functions, `*` filters, unknown contexts) raises `Unsupported`, so the harness never silently
misreads action.yml.

Semantics follow the docs: `&&`/`||` return an operand, `==` compares strings case-insensitively and
coerces mismatched types to numbers, a missing property is null, and null interpolates as ''.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any


class Unsupported(Exception):
    """The expression uses something the harness does not implement; fix the harness or action.yml."""


_TOKEN = re.compile(
    r"""\s*(?:
        (?P<number>0x[0-9a-fA-F]+|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)
      | (?P<string>'(?:[^']|'')*')
      | (?P<op>==|!=|<=|>=|&&|\|\||[<>!().\[\],*])
      | (?P<name>[A-Za-z_][A-Za-z0-9_-]*)
    )""",
    re.VERBOSE,
)
_TEMPLATE = re.compile(r"\$\{\{(.*?)\}\}", re.DOTALL)
STATUS_FUNCTIONS = ("success", "failure", "always", "cancelled")


@dataclass(frozen=True)
class Token:
    kind: str
    text: str


def tokenize(text: str) -> list[Token]:
    tokens, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise Unsupported(f"cannot read expression {text!r} at {text[pos:]!r}")
        kind = match.lastgroup or ""
        tokens.append(Token(kind, match.group(kind)))
        pos = match.end()
    return tokens


class Evaluator:
    """Evaluate one expression against `contexts` (name -> value); `status()` answers success() etc."""

    def __init__(self, contexts: Mapping[str, Any], status: Callable[[str], bool] | None = None) -> None:
        self.contexts = contexts
        self.status = status or (lambda name: name in ("success", "always"))

    def evaluate(self, text: str) -> Any:
        self._tokens = tokenize(text)
        self._pos = 0
        value = self._or()
        if self._pos != len(self._tokens):
            raise Unsupported(f"unexpected {self._tokens[self._pos].text!r} in {text!r}")
        return value

    # --- recursive descent, lowest precedence first ------------------------------------------------

    def _peek(self) -> Token | None:
        return self._tokens[self._pos] if self._pos < len(self._tokens) else None

    def _take(self, text: str | None = None) -> Token:
        token = self._peek()
        if token is None or (text is not None and token.text != text):
            raise Unsupported(f"expected {text or 'more'} at position {self._pos}")
        self._pos += 1
        return token

    def _at(self, *texts: str) -> bool:
        token = self._peek()
        return token is not None and token.kind == "op" and token.text in texts

    def _or(self) -> Any:
        left = self._and()
        while self._at("||"):
            self._take()
            right = self._and()
            left = left if truthy(left) else right
        return left

    def _and(self) -> Any:
        left = self._equality()
        while self._at("&&"):
            self._take()
            right = self._equality()
            left = right if truthy(left) else left
        return left

    def _equality(self) -> Any:
        left = self._comparison()
        while self._at("==", "!="):
            op = self._take().text
            right = self._comparison()
            left = equal(left, right) if op == "==" else not equal(left, right)
        return left

    def _comparison(self) -> Any:
        left = self._unary()
        while self._at("<", "<=", ">", ">="):
            op = self._take().text
            right = self._unary()
            left = compare(left, right, op)
        return left

    def _unary(self) -> Any:
        if self._at("!"):
            self._take()
            return not truthy(self._unary())
        return self._postfix()

    def _postfix(self) -> Any:
        value = self._primary()
        while self._at(".", "["):
            if self._take().text == ".":
                token = self._take()
                if token.kind != "name":
                    raise Unsupported(f"property filters and {token.text!r} after '.' are not supported")
                value = member(value, token.text)
            else:
                key = self._or()
                self._take("]")
                value = member(value, key)
        return value

    def _primary(self) -> Any:
        token = self._take()
        if token.kind == "number":
            return float(int(token.text, 16)) if token.text.lower().startswith("0x") else float(token.text)
        if token.kind == "string":
            return token.text[1:-1].replace("''", "'")
        if token.kind == "op" and token.text == "(":
            value = self._or()
            self._take(")")
            return value
        if token.kind != "name":
            raise Unsupported(f"unexpected {token.text!r}")
        if token.text in ("true", "false"):
            return token.text == "true"
        if token.text == "null":
            return None
        if self._at("(") and token.text in JSON_FUNCTIONS:
            self._take("(")
            argument = self._or()
            self._take(")")
            return JSON_FUNCTIONS[token.text](argument)
        if self._at("("):
            if token.text not in STATUS_FUNCTIONS:
                raise Unsupported(f"function {token.text}() is not supported by the harness")
            self._take("(")
            self._take(")")
            return self.status(token.text)
        if token.text not in self.contexts:
            raise Unsupported(f"context {token.text!r} is not available here")
        return self.contexts[token.text]


def _plain(value: Any) -> Any:
    """A value as toJSON writes it: numbers without a fraction as integers."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _from_json(text: Any) -> Any:
    loaded = json.loads(to_string(text))
    return float(loaded) if isinstance(loaded, int) and not isinstance(loaded, bool) else loaded


# toJSON pretty-prints with two-space indentation, as the runner does; fromJSON reads numbers as numbers.
JSON_FUNCTIONS: dict[str, Callable[[Any], Any]] = {
    "toJSON": lambda value: json.dumps(_plain(value), indent=2),
    "fromJSON": _from_json,
}


def member(value: Any, key: Any) -> Any:
    if isinstance(value, Strict):
        return value.get(key)
    if isinstance(value, Mapping):
        # Property names are case-insensitive in Actions.
        for name, item in value.items():
            if isinstance(key, str) and name.lower() == key.lower():
                return item
        return None
    return None


class Strict(dict):  # type: ignore[type-arg]
    """A context whose unknown keys are harness errors, not null (github.*, inputs.*, steps.*)."""

    def __init__(self, what: str, items: Mapping[str, Any]) -> None:
        super().__init__(items)
        self.what = what

    def get(self, key: Any, default: Any = None) -> Any:
        for name, item in self.items():
            if isinstance(key, str) and name.lower() == key.lower():
                return item
        raise Unsupported(f"{self.what} has no {key!r} (known: {', '.join(sorted(self))})")


def truthy(value: Any) -> bool:
    if value is None or value is False:
        return False
    if isinstance(value, float):
        return not (value == 0 or math.isnan(value))
    if isinstance(value, str):
        return value != ""
    return True


def _number(value: Any) -> float:
    if value is None:
        return 0.0
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, float):
        return value
    if isinstance(value, str):
        text = value.strip()
        if text == "":
            return 0.0
        try:
            return float(int(text, 16)) if text.lower().startswith("0x") else float(text)
        except ValueError:
            return math.nan
    return math.nan


def equal(left: Any, right: Any) -> bool:
    if type(left) is type(right):
        if isinstance(left, str):
            return left.casefold() == right.casefold()
        if isinstance(left, (dict, list)):
            return left is right
        return bool(left == right)
    if isinstance(left, (dict, list)) or isinstance(right, (dict, list)):
        return False
    return _number(left) == _number(right)


def compare(left: Any, right: Any, op: str) -> bool:
    a: Any
    b: Any
    if isinstance(left, str) and isinstance(right, str):
        a, b = left.casefold(), right.casefold()
    else:
        a, b = _number(left), _number(right)
    return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]


def to_string(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, str):
        return value
    raise Unsupported(f"cannot interpolate a {type(value).__name__} into a string")


def interpolate(text: str, evaluator: Evaluator) -> str:
    """Replace every ${{ expr }} in `text`, as the runner does for env, with, run, outputs, defaults."""
    return _TEMPLATE.sub(lambda m: to_string(evaluator.evaluate(m.group(1))), text)


def condition(text: str | bool | None, evaluator: Evaluator) -> bool:
    """A step's `if:`: implicit success() unless a status function is named; ${{ }} is optional."""
    if text is None or text == "":
        return evaluator.status("success")
    if isinstance(text, bool):
        return text and evaluator.status("success")
    expression = text.strip()
    whole = _TEMPLATE.fullmatch(expression)
    if whole:
        expression = whole.group(1).strip()
    elif "${{" in expression:
        raise Unsupported(f"if: {text!r} mixes text and expressions")
    names = {t.text for t in tokenize(expression) if t.kind == "name"}
    if not names & set(STATUS_FUNCTIONS):
        expression = f"success() && ({expression})"
    return truthy(evaluator.evaluate(expression))
