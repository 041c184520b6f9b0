"""text/template's executor: pipelines, fields, variables, range/if/with/template, Go's error wording."""

from __future__ import annotations

import urllib.parse
from typing import Any

from ..gofmt import quote
from ..gofmtverbs import sprintf
from .funcs import (
    _base64decode,
    _eq,
    _eval_args,
    _exists,
    _fmt_value,
    _go_print,
    _html_escape,
    _index,
    _js_escape,
    _len,
    _lt,
    _print_arg,
    _slice,
    _tname,
    _truth,
)
from .parse import N
from .values import _FINAL_MISSING, MISSING, _Break, _Continue, _ExecError


class _State:
    def __init__(self, templates: dict[str, N], name: str, text: str, out: list[str]) -> None:
        self.templates = templates
        self.name = name
        self.text = text
        self.out = out
        self.vars: list[list[Any]] = []
        self.node: N | None = None
        self.depth = 0

    # errors
    def at(self, node: N) -> None:
        self.node = node

    def errorf(self, msg: str) -> None:
        if self.node is None:
            raise _ExecError(f"template: {self.name}: {msg}")
        pos = self.node.pos
        before = self.text[:pos]
        nl = before.rfind("\n")
        col = pos if nl < 0 else pos - (nl + 1)
        line = 1 + before.count("\n")
        raise _ExecError(f'template: {self.name}:{line}:{col}: executing {quote(self.name)} at <{self.node}>: {msg}')

    # variables
    def var_value(self, name: str) -> Any:
        for n, v in reversed(self.vars):
            if n == name:
                return v
        self.errorf(f"undefined variable: {name}")

    def set_var(self, name: str, value: Any) -> None:
        for entry in reversed(self.vars):
            if entry[0] == name:
                entry[1] = value
                return
        self.errorf(f"undefined variable: {name}")

    # walking
    def walk(self, dot: Any, node: N) -> None:
        self.at(node)
        k = node.kind
        if k == "list":
            for child in node.nodes:
                self.walk(dot, child)
        elif k == "text":
            self.out.append(node.text)
        elif k == "action":
            value = self.eval_pipeline(dot, node.pipe)
            if not node.pipe.decl:
                self.at(node)
                self.out.append("<no value>" if value is MISSING else _fmt_value(value))
        elif k in ("if", "with"):
            mark = len(self.vars)
            value = self.eval_pipeline(dot, node.pipe)
            if _truth(value):
                self.walk(value if k == "with" else dot, node.body)
            elif node.else_body is not None:
                self.walk(dot, node.else_body)
            del self.vars[mark:]
        elif k == "range":
            self.walk_range(dot, node)
        elif k == "template":
            self.walk_template(dot, node)
        elif k == "break":
            raise _Break()
        elif k == "continue":
            raise _Continue()
        else:
            self.errorf(f"unknown node: {node}")

    def walk_range(self, dot: Any, node: N) -> None:
        self.at(node)
        mark0 = len(self.vars)
        value = self.eval_pipeline(dot, node.pipe)
        mark = len(self.vars)
        pipe = node.pipe

        def one(index: Any, elem: Any) -> None:
            if pipe.decl:
                if pipe.is_assign:
                    self.set_var(pipe.decl[0].ident[0], index if len(pipe.decl) > 1 else elem)
                else:
                    self.vars[-1][1] = elem
            if len(pipe.decl) > 1:
                if pipe.is_assign:
                    self.set_var(pipe.decl[1].ident[0], elem)
                else:
                    self.vars[-2][1] = index
            try:
                self.walk(elem, node.body)
            except _Continue:
                pass
            finally:
                del self.vars[mark:]

        ran = False
        try:
            if isinstance(value, list):
                for i, elem in enumerate(value):
                    ran = True
                    one(i, elem)
            elif isinstance(value, dict):
                for key in sorted(value):
                    ran = True
                    one(key, value[key])
            elif isinstance(value, int) and not isinstance(value, bool):
                if len(pipe.decl) > 1:
                    self.errorf(f"can't use {value} to iterate over more than one variable")
                for i in range(value):
                    ran = True
                    one(i, i)
            elif value is MISSING or value is None:
                pass
            else:
                self.errorf(f"range can't iterate over {_fmt_value(value)}")
        except _Break:
            ran = True
        if not ran and node.else_body is not None:
            self.walk(dot, node.else_body)
        del self.vars[mark0:]

    def walk_template(self, dot: Any, node: N) -> None:
        self.at(node)
        tmpl = self.templates.get(node.text)
        if tmpl is None:
            self.errorf(f"template {quote(node.text)} not defined")
        if self.depth >= 10000:
            self.errorf("exceeded maximum template depth (100000)")
        value = self.eval_pipeline(dot, node.pipe) if node.pipe is not None else None
        saved = self.vars
        self.vars = [["$", value]]
        self.depth += 1
        try:
            self.walk(value, tmpl)
        finally:
            self.depth -= 1
            self.vars = saved

    # evaluation
    def eval_pipeline(self, dot: Any, pipe: N | None) -> Any:
        if pipe is None:
            return MISSING
        self.at(pipe)
        value: Any = _FINAL_MISSING
        for cmd in pipe.nodes:
            value = self.eval_command(dot, cmd, value)
            if value is None:
                value = MISSING  # an interface{} holding nil digs down to the invalid value
        for var in pipe.decl:
            if pipe.is_assign:
                self.set_var(var.ident[0], value)
            else:
                self.vars.append([var.ident[0], value])
        return value

    def not_a_function(self, args: list[N], final: Any) -> None:
        if len(args) > 1 or final is not _FINAL_MISSING:
            self.errorf(f"can't give argument to non-function {args[0]}")

    def eval_command(self, dot: Any, cmd: N, final: Any) -> Any:
        first = cmd.nodes[0]
        k = first.kind
        if k == "field":
            self.at(first)
            return self.eval_field_chain(dot, dot, first, first.ident, cmd.nodes, final)
        if k == "chain":
            return self.eval_chain(dot, first, cmd.nodes, final)
        if k == "identifier":
            return self.eval_function(dot, first, cmd, cmd.nodes, final)
        if k == "pipe":
            self.not_a_function(cmd.nodes, final)
            return self.eval_pipeline(dot, first)
        if k == "variable":
            return self.eval_variable(dot, first, cmd.nodes, final)
        self.at(first)
        self.not_a_function(cmd.nodes, final)
        if k == "bool" or k == "number" or k == "string":
            return first.value
        if k == "dot":
            return dot
        if k == "nil":
            self.errorf("nil is not a command")
        self.errorf(f"can't evaluate command {quote(str(first))}")

    def eval_chain(self, dot: Any, chain: N, args: list[N], final: Any) -> Any:
        if chain.node is not None and chain.node.kind == "nil":
            self.errorf(f"indirection through explicit nil in {chain}")
        base = self.eval_arg(dot, chain.node)
        return self.eval_field_chain(dot, base, chain, chain.ident, args, final)

    def eval_variable(self, dot: Any, var: N, args: list[N], final: Any) -> Any:
        self.at(var)
        value = self.var_value(var.ident[0])
        if len(var.ident) == 1:
            self.not_a_function(args, final)
            return value
        return self.eval_field_chain(dot, value, var, var.ident[1:], args, final)

    def eval_field_chain(self, dot: Any, receiver: Any, node: N, ident: list[str], args: list[N],
                         final: Any) -> Any:
        for name in ident[:-1]:
            receiver = self.eval_field(name, node, [], _FINAL_MISSING, receiver)
        return self.eval_field(ident[-1], node, args, final, receiver)

    def eval_field(self, name: str, node: N, args: list[N], final: Any, receiver: Any) -> Any:
        if receiver is MISSING:
            return MISSING
        if receiver is None:
            self.errorf(f"nil pointer evaluating interface {{}}.{name}")
        has_args = len(args) > 1 or final is not _FINAL_MISSING
        if isinstance(receiver, dict):
            if has_args:
                self.errorf(f"{name} is not a method but has arguments")
            return receiver.get(name, MISSING)
        self.errorf(f"can't evaluate field {name} in type interface {{}}")

    def eval_arg(self, dot: Any, node: N | None) -> Any:
        assert node is not None
        self.at(node)
        k = node.kind
        if k == "dot":
            return dot
        if k == "nil":
            return None
        if k == "field":
            return self.eval_field_chain(dot, dot, node, node.ident, [node], _FINAL_MISSING)
        if k == "variable":
            return self.eval_variable(dot, node, [node], _FINAL_MISSING)
        if k == "pipe":
            return self.eval_pipeline(dot, node)
        if k == "identifier":
            return self.eval_function(dot, node, node, None, _FINAL_MISSING)
        if k == "chain":
            return self.eval_chain(dot, node, [], _FINAL_MISSING)
        if k in ("bool", "number", "string"):
            return node.value
        self.errorf(f"can't handle {node} for arg of type interface {{}}")

    def eval_function(self, dot: Any, node: N, cmd: N, args: list[N] | None, final: Any) -> Any:
        self.at(node)
        name = node.ident[0]
        argnodes = args[1:] if args else []
        if name in ("and", "or"):
            if not argnodes and final is _FINAL_MISSING:
                self.errorf(f"wrong number of args for {name}: want at least 1 got 0")
            value: Any = MISSING
            for arg in argnodes:
                value = self.eval_arg(dot, arg)
                if _truth(value) == (name == "or"):
                    return value
            if final is not _FINAL_MISSING:
                value = final
            return value
        values = [self.eval_arg(dot, a) for a in argnodes]
        if final is not _FINAL_MISSING:
            values.append(final)
        self.at(cmd)
        try:
            return self.call(name, values)
        except _ExecError as exc:
            if str(exc).startswith("template: "):
                raise
            self.at(cmd)
            self.errorf(f"error calling {name}: {exc}")

    def call(self, name: str, values: list[Any]) -> Any:
        arity = {"not": 1, "len": 1, "lt": 2, "le": 2, "gt": 2, "ge": 2, "ne": 2, "base64decode": 1}
        minimum = {"eq": 1, "index": 1, "slice": 1, "call": 1, "exists": 1}
        if name in arity and len(values) != arity[name]:
            self.errorf(f"wrong number of args for {name}: want {arity[name]} got {len(values)}")
        if name in minimum and len(values) < minimum[name]:
            self.errorf(f"wrong number of args for {name}: want at least {minimum[name]} got {len(values)}")
        if name == "not":
            return not _truth(values[0])
        if name == "len":
            return _len(values[0])
        if name == "index":
            return _index(values[0], *values[1:])
        if name == "slice":
            return _slice(values[0], *values[1:])
        if name == "eq":
            return _eq(values[0], *values[1:])
        if name == "ne":
            return not _eq(values[0], values[1])
        if name == "lt":
            return _lt(values[0], values[1])
        if name == "le":
            return _lt(values[0], values[1]) or _eq(values[0], values[1])
        if name == "gt":
            return not (_lt(values[0], values[1]) or _eq(values[0], values[1]))
        if name == "ge":
            return not _lt(values[0], values[1])
        printable = [_print_arg(v) for v in values]
        if name == "print":
            return _go_print(printable)
        if name == "println":
            return " ".join(_fmt_value(v) for v in printable) + "\n"
        if name == "printf":
            if not printable or not isinstance(printable[0], str):
                got = _tname(printable[0]) if printable else "nothing"
                raise _ExecError(f"wrong type for value; expected string; got {got}")
            return sprintf(printable[0], printable[1:])
        if name == "html":
            return _html_escape(_eval_args(printable))
        if name == "js":
            return _js_escape(_eval_args(printable))
        if name == "urlquery":
            return urllib.parse.quote_plus(_eval_args(printable), safe="")
        if name == "base64decode":
            return _base64decode(values[0])
        if name == "exists":
            return _exists(values[0], *values[1:])
        if name == "call":
            first = values[0]
            if first is MISSING or first is None:
                raise _ExecError("call of nil")
            raise _ExecError(f"non-function {self.node.nodes[1] if self.node else ''} of type {_tname(first)}")
        raise _ExecError(f"{quote(name)} is not a defined function")
