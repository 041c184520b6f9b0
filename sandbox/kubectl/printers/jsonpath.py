"""``-o jsonpath=`` with k8s.io/client-go/util/jsonpath semantics, quirks and error texts included.

The parser and evaluator mirror client-go's (parser.go, jsonpath.go) closely because learners copy
templates from the web: what real kubectl accepts, rejects or prints oddly must behave the same here
(``{.items[*].x}`` joins with spaces, maps print as compact JSON, ``range``/``end`` blocks, filters
with Go's comparison rules, ``allowMissingKeys`` on by default).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .gofmt import SyntaxErr, format_float, go_syntax, quote, sprint, type_name, unquote
from .yamljson import go_json, to_json


class PrintError(Exception):
    """A printer failure; ``str()`` is kubectl's message without the ``error: `` prefix."""


class JSONPathParseError(PrintError):
    pass


# --- nodes ------------------------------------------------------------------------------------

@dataclass
class Node:
    kind: str                       # list text field array filter int float bool wildcard recursive union identifier
    value: Any = None
    nodes: list[Node] = field(default_factory=list)
    left: Node | None = None
    right: Node | None = None


def _list() -> Node:
    return Node("list")


_DICT_KEY = re.compile(r"^'([^']*)'$")
_SLICE = re.compile(r"^(-?[0-9]*)(:-?[0-9]*)?(:-?[0-9]*)?$")
_FILTER = re.compile(r"^([^!<>=]+)([!<>=]+)(.+?)$", re.S)
_INT = re.compile(r"^[+-]?[0-9]+$")
_FLOAT = re.compile(r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)$")
_EOF = ""


def _is_terminator(r: str) -> bool:
    return r in (_EOF, " ", "\t", "\r", "\n", ".", ",", "[", "]", "$", "@", "{", "}")


def _is_alnum(r: str) -> bool:
    return r != _EOF and (r == "_" or r.isalpha() or r.isdigit())


def _go_rune(r: str) -> str:
    """``%#U`` of a rune: ``U+0021 '!'``."""
    return f"U+{ord(r):04X} '{r}'" if r.isprintable() else f"U+{ord(r):04X}"


class _Parser:
    def __init__(self, text: str) -> None:
        self.input = text
        self.pos = 0
        self.start = 0
        self.root = _list()

    # scanning helpers
    def next(self) -> str:
        if self.pos >= len(self.input):
            self.pos += 0
            self._width = 0
            return _EOF
        self._width = 1
        self.pos += 1
        return self.input[self.pos - 1]

    def backup(self) -> None:
        self.pos -= self._width

    def peek(self) -> str:
        r = self.next()
        self.backup()
        return r

    def consume(self) -> str:
        value = self.input[self.start:self.pos]
        self.start = self.pos
        return value

    # grammar
    def parse(self) -> Node:
        cur = self.root
        in_action = False
        while True:
            if not in_action:
                # parseText
                while True:
                    if self.input.startswith("{", self.pos):
                        if self.pos > self.start:
                            cur.nodes.append(Node("text", self.consume()))
                        self.pos += 1
                        self.consume()
                        cur = _list()
                        self.root.nodes.append(cur)
                        in_action = True
                        break
                    if self.next() == _EOF:
                        if self.pos > self.start:
                            self.root.nodes.append(Node("text", self.consume()))
                        return self.root
                continue
            # parseInsideAction
            rest = self.input[self.pos:]
            if rest.startswith("}"):
                self.pos += 1
                self.consume()
                cur = self.root
                in_action = False
                continue
            if rest.startswith("[?("):
                self._filter(cur)
                continue
            if rest.startswith(".."):
                self._recursive(cur)
                continue
            r = self.next()
            if r == _EOF or r in "\r\n":
                raise JSONPathParseError("unclosed action")
            if r == " " or r in "@$":
                self.consume()
            elif r == "[":
                self._array(cur)
            elif r in "\"'":
                self._quote(cur, r)
            elif r == ".":
                self._field(cur)
            elif r in "+-" or r.isdigit():
                self.backup()
                self._number(cur)
            elif _is_alnum(r):
                self.backup()
                self._identifier(cur)
            else:
                raise JSONPathParseError(f"unrecognized character in action: {_go_rune(r)}")

    def _identifier(self, cur: Node) -> None:
        while not _is_terminator(self.next()):
            pass
        self.backup()
        value = self.consume()
        if value in ("true", "false"):
            cur.nodes.append(Node("bool", value == "true"))
        else:
            cur.nodes.append(Node("identifier", value))

    def _recursive(self, cur: Node) -> None:
        if cur.nodes and cur.nodes[-1].kind == "recursive":
            raise JSONPathParseError("invalid multiple recursive descent")
        self.pos += 2
        self.consume()
        cur.nodes.append(Node("recursive"))
        if _is_alnum(self.peek()):
            self._field(cur)

    def _number(self, cur: Node) -> None:
        if self.peek() in ("+", "-"):
            self.next()
        while True:
            r = self.next()
            if r != "." and not (r != _EOF and r.isdigit()):
                self.backup()
                break
        value = self.consume()
        if _INT.match(value):
            cur.nodes.append(Node("int", int(value)))
        elif _FLOAT.match(value) and value not in ("+", "-", ".", "+.", "-."):
            cur.nodes.append(Node("float", float(value)))
        else:
            raise JSONPathParseError(f"cannot parse number {value}")

    def _array(self, cur: Node) -> None:
        while True:
            r = self.next()
            if r == _EOF or r == "\n":
                raise JSONPathParseError("unterminated array")
            if r == "]":
                break
        text = self.consume()[1:-1]
        if text == "*":
            text = ":"
        parts = text.split(",")
        if len(parts) > 1:
            cur.nodes.append(Node("union", nodes=[_parse_action(f"[{p.strip(' ')}]") for p in parts]))
            return
        m = _DICT_KEY.match(text)
        if m:
            cur.nodes.extend(_parse_action("." + m.group(1)).nodes)
            return
        m = _SLICE.match(text)
        if not m:
            raise JSONPathParseError(f"invalid array index {text}")
        groups = [m.group(1) or "", m.group(2) or "", m.group(3) or ""]
        params: list[list] = [[False, 0, False], [False, 0, False], [False, 0, False]]  # known, value, derived
        for i in range(3):
            value = groups[i]
            if value:
                if i > 0:
                    value = value[1:]
                if i > 0 and value == "":
                    params[i][0] = False
                else:
                    if not _INT.match(value):
                        raise JSONPathParseError(f"array index {value} is not a number")
                    params[i][0], params[i][1] = True, int(value)
            elif i == 1:
                params[i] = [True, params[0][1] + 1, True]
        cur.nodes.append(Node("array", params))

    def _filter(self, cur: Node) -> None:
        self.pos += 3
        self.consume()
        begin = end = False
        pair = ""
        while True:
            r = self.next()
            if r == _EOF or r == "\n":
                raise JSONPathParseError("unterminated filter")
            if r in "\"'":
                if not begin:
                    begin, pair = True, r
                    continue
                if self.input[self.pos - 2] != "\\" and r == pair:
                    end = True
            elif r == ")" and begin == end:
                break
        if self.next() != "]":
            raise JSONPathParseError("unclosed array expect ]")
        text = self.consume()[:-2]
        m = _FILTER.match(text)
        if m is None:
            cur.nodes.append(Node("filter", "exists", left=_parse_action(text), right=_list()))
        else:
            cur.nodes.append(Node("filter", m.group(2), left=_parse_action(m.group(1)),
                                  right=_parse_action(m.group(3))))

    def _quote(self, cur: Node, end: str) -> None:
        while True:
            r = self.next()
            if r == _EOF or r == "\n":
                raise JSONPathParseError("unterminated quoted string")
            if r == end and self.input[self.pos - 2] != "\\":
                break
        value = self.consume()
        try:
            text = unquote(value)
        except SyntaxErr as exc:
            raise JSONPathParseError(f"unquote string {value} error {exc}") from None
        cur.nodes.append(Node("text", text))

    def _field(self, cur: Node) -> None:
        self.consume()
        while True:
            r = self.next()
            if r == "\\":
                self.next()
            elif _is_terminator(r):
                self.backup()
                break
        value = self.consume()
        if value == "*":
            cur.nodes.append(Node("wildcard"))
        else:
            cur.nodes.append(Node("field", value.replace("\\", "")))


def _parse_action(text: str) -> Node:
    root = _Parser("{" + text + "}").parse()
    first = root.nodes[0] if root.nodes else _list()
    return first if first.kind == "list" else _list()


def parse(template: str) -> Node:
    """Parse a template; raises :class:`JSONPathParseError` with client-go's message."""
    return _Parser(template).parse()


# --- evaluation -------------------------------------------------------------------------------

class _Missing(PrintError):
    pass


_BAD_TYPE = "invalid type for comparison"
_BAD_CMP = "incompatible types for comparison"


def _basic_kind(v: Any) -> str:
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        return "int"
    if isinstance(v, float):
        return "float"
    if isinstance(v, str):
        return "string"
    raise PrintError(_BAD_TYPE)


def go_equal(a: Any, b: Any) -> bool:
    ka, kb = _basic_kind(a), _basic_kind(b)
    if ka != kb:
        raise PrintError(_BAD_CMP)
    return a == b


def go_less(a: Any, b: Any) -> bool:
    ka, kb = _basic_kind(a), _basic_kind(b)
    if ka != kb:
        raise PrintError(_BAD_CMP)
    if ka == "bool":
        raise PrintError(_BAD_TYPE)
    return a < b


def _compare(op: str, a: Any, b: Any) -> bool:
    if op == "==":
        return go_equal(a, b)
    if op == "!=":
        return not go_equal(a, b)
    if op == "<":
        return go_less(a, b)
    if op == "<=":
        return go_less(a, b) or go_equal(a, b)
    if op == ">":
        return not (go_less(a, b) or go_equal(a, b))
    if op == ">=":
        return not go_less(a, b)
    raise PrintError(f"unrecognized filter operator {op}")


def _children(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [value[k] for k in sorted(value)]  # Go map order is random; sorted is one valid order
    if isinstance(value, list | tuple):
        return list(value)
    if isinstance(value, str):
        return list(value.encode())  # indexing a Go string yields bytes
    return []


class JSONPath:
    """A parsed template, reusable across objects (kubectl parses once per command)."""

    def __init__(self, template: str, *, allow_missing_keys: bool = True, output_json: bool = False) -> None:
        self.template = template
        self.root = parse(template)
        self.allow_missing_keys = allow_missing_keys
        self.output_json = output_json

    # FindResults with client-go's range bookkeeping (begin/in/end counters and the last end node)
    def _find(self, data: Any, start: int) -> list[list[Any]]:
        nodes = self.root.nodes
        full: list[list[Any]] = []
        i = start
        while i < len(nodes):
            results = self._walk([data], nodes[i])
            if self._end_range > 0 and self._end_range <= self._in_range:
                self._end_range -= 1
                self._last_end = i
                break
            if self._begin_range > 0:
                self._begin_range -= 1
                self._in_range += 1
                if results:
                    for value in results:
                        full.extend(self._find(value, i + 1))
                else:
                    self._find(None, i + 1)
                self._in_range -= 1
                if self._last_end is not None and self._last_end > i:
                    i = self._last_end
                i += 1
                continue
            full.append(results)
            i += 1
        return full

    def find_results(self, data: Any) -> list[list[Any]]:
        self._begin_range = self._in_range = self._end_range = 0
        self._last_end: int | None = None
        return self._find(data, 0)

    def execute(self, data: Any) -> str:
        out: list[str] = []
        for results in self.find_results(data):
            out.append(self._print(results))
        return "".join(out)

    def _print(self, results: list[Any]) -> str:
        if self.output_json:
            return to_json(list(results), sort_keys=True)
        texts = []
        for r in results:
            if isinstance(r, dict | list):
                texts.append(go_json(r))
            elif r is None:
                texts.append("null")
            elif isinstance(r, float):
                texts.append(format_float(r, "g"))
            else:
                texts.append(sprint(r))
        return " ".join(texts)

    # walk
    def _walk(self, values: list[Any], node: Node) -> list[Any]:
        kind = node.kind
        if kind == "list":
            for child in node.nodes:
                values = self._walk(values, child)
            return values
        if kind == "text":
            return [node.value]
        if kind == "field":
            return self._field(values, node.value)
        if kind == "array":
            return self._array(values, node.value)
        if kind == "filter":
            return self._filter(values, node)
        if kind in ("int", "float", "bool"):
            return [node.value for _ in values]
        if kind == "wildcard":
            return [c for v in values if v is not None for c in _children(v)]
        if kind == "recursive":
            return self._recursive(values)
        if kind == "union":
            out: list[Any] = []
            for sub in node.nodes:
                out.extend(self._walk(values, sub))
            return out
        if kind == "identifier":
            if node.value == "range":
                self._begin_range += 1
                return values
            if node.value == "end":
                if self._in_range > 0:
                    self._end_range += 1
                    return []
                raise PrintError("not in range, nothing to end")
            raise PrintError(f"unrecognized identifier {node.value}")
        raise PrintError(f"unexpected Node {node.kind}")

    def _field(self, values: list[Any], name: str) -> list[Any]:
        if not values:
            return []
        results = [v[name] for v in values if isinstance(v, dict) and name in v]
        if not results and not self.allow_missing_keys:
            raise PrintError(f"{name} is not found")
        return results

    def _array(self, values: list[Any], params: list[list]) -> list[Any]:
        result: list[Any] = []
        for value in values:
            if value is None:
                continue
            if not isinstance(value, list | tuple):
                raise PrintError(f"{type_name(value)} is not array or slice")
            length = len(value)
            (k0, v0, _), (k1, v1, d1), (k2, v2, _) = params
            if not k0:
                v0 = 0
            if v0 < 0:
                v0 += length
            if not k1:
                v1 = length
            if v1 < 0 or (v1 == 0 and d1):
                v1 += length
            if v1 == v0:
                return result
            if v0 >= length or v0 < 0:
                raise PrintError(f"array index out of bounds: index {v0}, length {length}")
            if v1 > length or v1 < 0:
                raise PrintError(f"array index out of bounds: index {v1 - 1}, length {length}")
            if v0 > v1:
                raise PrintError(f"starting index {v0} is greater than ending index {v1}")
            step = 1
            if k2:
                if v2 <= 0:
                    raise PrintError("step must be > 0")
                step = v2
            result.extend(value[v0:v1:step])
        return result

    def _recursive(self, values: list[Any]) -> list[Any]:
        result: list[Any] = []
        for value in values:
            if value is None:
                continue
            children = _children(value)
            if children:
                result.append(value)
                result.extend(self._recursive(children))
        return result

    def _filter(self, values: list[Any], node: Node) -> list[Any]:
        results: list[Any] = []
        for value in values:
            if not isinstance(value, list | tuple):
                raise PrintError(f"{sprint(value)} is not array or slice and cannot be filtered")
            for item in value:
                try:
                    lefts = self._walk([item], node.left)
                    left_err = None
                except PrintError as exc:
                    lefts, left_err = [], exc
                if node.value == "exists":
                    if lefts:
                        results.append(item)
                    continue
                if left_err is not None:
                    raise left_err
                if not lefts:
                    continue
                if len(lefts) > 1:
                    raise PrintError("can only compare one element at a time")
                rights = self._walk([item], node.right)
                if not rights:
                    continue
                if len(rights) > 1:
                    raise PrintError("can only compare one element at a time")
                if _compare(node.value, lefts[0], rights[0]):
                    results.append(item)
        return results


def compile_jsonpath(template: str, *, allow_missing_keys: bool = True, output_json: bool = False) -> JSONPath:
    """Parse as kubectl's printer flags do; errors read ``error parsing jsonpath <t>, <why>``."""
    try:
        return JSONPath(template, allow_missing_keys=allow_missing_keys, output_json=output_json)
    except JSONPathParseError as exc:
        raise JSONPathParseError(f"error parsing jsonpath {template}, {exc}\n") from None


def execution_error(template: str, exc: Exception, data: Any) -> PrintError:
    """cli-runtime's JSONPathPrinter wrapping of an execution failure, debugging dump included."""
    body = (f"Error executing template: {exc}. Printing more information for debugging the template:\n"
            f"\ttemplate was:\n\t\t{template}\n"
            f"\tobject given to jsonpath engine was:\n\t\t{go_syntax(data)}\n\n")
    return PrintError(f"error executing jsonpath {quote(template)}: {body}\n")


def jsonpath(template: str, data: Any, *, allow_missing_keys: bool = True, output_json: bool = False) -> str:
    """``-o jsonpath=<template>`` (``output_json``: ``-o jsonpath-as-json``) on one object or List.

    Raises :class:`PrintError` whose text is what kubectl prints after ``error: ``.
    """
    compiled = compile_jsonpath(template, allow_missing_keys=allow_missing_keys, output_json=output_json)
    return run(compiled, data)


def run(compiled: JSONPath, data: Any) -> str:
    try:
        return compiled.execute(data)
    except PrintError as exc:
        raise execution_error(compiled.template, exc, data) from None


_RELAXED = re.compile(r"^\{\.?([^{}]+)\}$|^\.?([^{}]+)$")


def relaxed(expression: str) -> str:
    """RelaxedJSONPathExpression (custom-columns, --sort-by): ``a.b`` / ``.a.b`` / ``{a.b}`` -> ``{.a.b}``."""
    if not expression:
        return expression
    m = _RELAXED.match(expression)
    if m is None:
        raise PrintError("unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' "
                         "or '{.name1.name2}'")
    return "{." + (m.group(1) or m.group(2)) + "}"
