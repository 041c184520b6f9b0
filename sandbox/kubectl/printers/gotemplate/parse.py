"""text/template's parser: the node tree (with Go's String() forms for error contexts) and its errors."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..gofmt import SyntaxErr, quote, unquote, unquote_body
from .lex import Item, _Lexer
from .values import ConstInt, TemplateParseError


@dataclass
class N:
    """A parse node; ``kind`` names the text/template node type."""

    kind: str
    pos: int = 0
    line: int = 0
    nodes: list[Any] = field(default_factory=list)   # list / command args / pipe cmds
    ident: list[str] = field(default_factory=list)   # field / variable / chain fields / function
    decl: list[N] = field(default_factory=list)
    is_assign: bool = False
    pipe: N | None = None
    body: N | None = None
    else_body: N | None = None
    node: N | None = None                             # chain base
    value: Any = None                                 # constants
    text: str = ""                                    # text node / string literal source / template name

    def __str__(self) -> str:  # noqa: C901 - mirrors each node's String()
        k = self.kind
        if k == "list":
            return "".join(str(n) for n in self.nodes)
        if k == "text":
            return quote(self.text)
        if k == "action":
            return "{{" + str(self.pipe) + "}}"
        if k == "pipe":
            s = ""
            if self.decl:
                s = ", ".join(str(v) for v in self.decl) + (" = " if self.is_assign else " := ")
            return s + " | ".join(str(c) for c in self.nodes)
        if k == "command":
            parts = []
            for a in self.nodes:
                parts.append("(" + str(a) + ")" if a.kind == "pipe" else str(a))
            return " ".join(parts)
        if k == "identifier":
            return self.ident[0]
        if k == "variable":
            return ".".join(self.ident)
        if k == "field":
            return "".join("." + i for i in self.ident)
        if k == "chain":
            base = "(" + str(self.node) + ")" if self.node and self.node.kind == "pipe" else str(self.node)
            return base + "".join("." + f for f in self.ident)
        if k == "dot":
            return "."
        if k == "nil":
            return "nil"
        if k == "bool":
            return "true" if self.value else "false"
        if k in ("number", "string"):
            return self.text
        if k in ("if", "range", "with"):
            s = "{{" + k + " " + str(self.pipe) + "}}" + str(self.body)
            if self.else_body is not None:
                s += "{{else}}" + str(self.else_body)
            return s + "{{end}}"
        if k == "template":
            return "{{template " + quote(self.text) + ("" if self.pipe is None else " " + str(self.pipe)) + "}}"
        if k in ("break", "continue", "end", "else"):
            return "{{" + k + "}}"
        return k


_BUILTINS = {"and", "call", "html", "index", "slice", "js", "len", "not", "or", "print", "printf", "println",
             "urlquery", "eq", "ge", "gt", "le", "lt", "ne", "exists", "base64decode"}


class _Parser:
    def __init__(self, text: str, name: str) -> None:
        self.text = text
        self.name = name
        self.items = _Lexer(text).run()
        self.i = 0
        self.vars = ["$"]
        self.range_depth = 0
        self.templates: dict[str, N] = {}
        self.last: Item = self.items[0] if self.items else Item("EOF", 0, "", 1)
        self.action_line = 0

    def errorf(self, msg: str) -> None:
        raise TemplateParseError(f"template: {self.name}:{self.last.line}: {msg}")

    def next(self) -> Item:
        item = self.items[self.i] if self.i < len(self.items) else self.items[-1]
        self.i += 1
        self.last = item
        return item

    def backup(self, n: int = 1) -> None:
        self.i -= n

    def peek(self) -> Item:
        return self.items[self.i] if self.i < len(self.items) else self.items[-1]

    def next_non_space(self) -> Item:
        while True:
            item = self.next()
            if item.typ != "space":
                return item

    def peek_non_space(self) -> Item:
        item = self.next_non_space()
        self.backup()
        return item

    def expect(self, typ: str, context: str) -> Item:
        token = self.next_non_space()
        if token.typ != typ:
            self.unexpected(token, context)
        return token

    def unexpected(self, token: Item, context: str) -> None:
        if token.typ == "error":
            extra = ""
            if self.action_line and self.action_line != token.line:
                extra = f" in action started at {self.name}:{self.action_line}"
                if token.val.endswith(" action"):
                    extra = extra[len(" in action"):]
            self.errorf(f"{token}{extra}")
        self.errorf(f"unexpected {token} in {context}")

    def parse(self) -> dict[str, N]:
        root = N("list")
        while self.peek().typ != "EOF":
            if self.peek().typ == "leftdelim":
                delim_index = self.i
                self.next()
                if self.next_non_space().typ == "define":
                    self._definition()
                    continue
                self.i = delim_index
            n = self._text_or_action()
            if n.kind in ("end", "else"):
                self.errorf(f"unexpected {n}")
            root.nodes.append(n)
        if self.name not in self.templates or root.nodes:
            self.templates[self.name] = root
        return self.templates

    def _definition(self) -> None:
        context = "define clause"
        token = self.next_non_space()
        if token.typ not in ("string", "rawstring"):
            self.unexpected(token, context)
        try:
            name = unquote(token.val)
        except SyntaxErr as exc:
            self.errorf(str(exc))
        self.expect("rightdelim", context)
        saved = self.vars
        self.vars = ["$"]
        body, end = self._item_list()
        self.vars = saved
        if end.kind != "end":
            self.errorf(f"unexpected {end} in {context}")
        self.templates[name] = body

    def _item_list(self) -> tuple[N, N]:
        lst = N("list", self.peek_non_space().pos)
        while self.peek_non_space().typ != "EOF":
            n = self._text_or_action()
            if n.kind in ("end", "else"):
                return lst, n
            lst.nodes.append(n)
        self.errorf("unexpected EOF")
        raise AssertionError

    def _text_or_action(self) -> N:
        token = self.next_non_space()
        if token.typ == "text":
            return N("text", token.pos, text=token.val)
        if token.typ == "leftdelim":
            self.action_line = token.line
            try:
                return self._action()
            finally:
                self.action_line = 0
        self.unexpected(token, "input")
        raise AssertionError

    def _action(self) -> N:
        token = self.next_non_space()
        t = token.typ
        if t == "block":
            return self._block()
        if t in ("break", "continue"):
            nxt = self.next_non_space()
            if nxt.typ != "rightdelim":
                self.unexpected(nxt, "{{" + t + "}}")
            if self.range_depth == 0:
                self.errorf("{{" + t + "}} outside {{range}}")
            return N(t, token.pos, token.line)
        if t == "else":
            peek = self.peek_non_space()
            if peek.typ in ("if", "with"):
                return N("else", peek.pos, peek.line)
            tok = self.expect("rightdelim", "else")
            return N("else", tok.pos, tok.line)
        if t == "end":
            tok = self.expect("rightdelim", "end")
            return N("end", tok.pos)
        if t in ("if", "range", "with"):
            return self._control(t)
        if t == "template":
            return self._template()
        self.backup()
        token = self.peek()
        return N("action", token.pos, token.line, pipe=self._pipeline("command", "rightdelim"))

    def _control(self, context: str) -> N:
        mark = len(self.vars)
        pipe = self._pipeline(context, "rightdelim")
        if context == "range":
            self.range_depth += 1
        body, nxt = self._item_list()
        if context == "range":
            self.range_depth -= 1
        else_body = None
        if nxt.kind == "else":
            if context == "if" and self.peek().typ == "if":
                self.next()
                else_body = N("list", nxt.pos, nodes=[self._control("if")])
            elif context == "with" and self.peek().typ == "with":
                self.next()
                else_body = N("list", nxt.pos, nodes=[self._control("with")])
            else:
                else_body, nxt = self._item_list()
                if nxt.kind != "end":
                    self.errorf(f"expected end; found {nxt}")
        del self.vars[mark:]
        return N(context, pipe.pos, pipe.line, pipe=pipe, body=body, else_body=else_body)

    def _block(self) -> N:
        """{{block "name" pipeline}}body{{end}}: define the template here and invoke it."""
        context = "block clause"
        token = self.next_non_space()
        if token.typ not in ("string", "rawstring"):
            self.unexpected(token, context)
        try:
            name = unquote(token.val)
        except SyntaxErr as exc:
            self.errorf(str(exc))
        pipe = self._pipeline(context, "rightdelim")
        saved = self.vars
        self.vars = ["$"]
        body, end = self._item_list()
        self.vars = saved
        if end.kind != "end":
            self.errorf(f"unexpected {end} in {context}")
        self.templates[name] = body
        return N("template", token.pos, token.line, text=name, pipe=pipe)

    def _template(self) -> N:
        context = "template clause"
        token = self.next_non_space()
        if token.typ not in ("string", "rawstring"):
            self.unexpected(token, context)
        try:
            name = unquote(token.val)
        except SyntaxErr as exc:
            self.errorf(str(exc))
        pipe = None
        if self.next_non_space().typ != "rightdelim":
            self.backup()
            pipe = self._pipeline(context, "rightdelim")
        return N("template", token.pos, token.line, text=name, pipe=pipe)

    def _pipeline(self, context: str, end: str) -> N:
        token = self.peek_non_space()
        pipe = N("pipe", token.pos, token.line)
        while True:  # declarations: $x := ..., $x = ..., range $i, $v := ...
            start = self.i
            v = self.peek_non_space()
            if v.typ != "variable":
                break
            self.next_non_space()
            nxt = self.peek_non_space()
            if nxt.typ in ("assign", "declare"):
                pipe.is_assign = nxt.typ == "assign"
                self.next_non_space()
                pipe.decl.append(N("variable", v.pos, ident=[v.val]))
                self.vars.append(v.val)
            elif nxt.typ == "char" and nxt.val == ",":
                self.next_non_space()
                pipe.decl.append(N("variable", v.pos, ident=[v.val]))
                self.vars.append(v.val)
                if context == "range" and len(pipe.decl) < 2:
                    if self.peek_non_space().typ in ("variable", "rightdelim", "rightparen"):
                        continue
                    self.errorf("range can only initialize variables")
                self.errorf(f"too many declarations in {context}")
            else:
                self.i = start
            break
        while True:
            token = self.next_non_space()
            if token.typ == end:
                self._check_pipeline(pipe, context)
                return pipe
            if token.typ in ("bool", "charconstant", "dot", "field", "identifier", "number", "nil",
                             "rawstring", "string", "variable", "leftparen"):
                self.backup()
                pipe.nodes.append(self._command())
            else:
                self.unexpected(token, context)

    def _check_pipeline(self, pipe: N, context: str) -> None:
        if not pipe.nodes:
            self.errorf(f"missing value for {context}")
        for i, c in enumerate(pipe.nodes[1:]):
            if c.nodes[0].kind in ("bool", "dot", "nil", "number", "string"):
                self.errorf(f"non executable command in pipeline stage {i + 2}")

    def _command(self) -> N:
        cmd = N("command", self.peek_non_space().pos)
        while True:
            self.peek_non_space()
            operand = self._operand()
            if operand is not None:
                cmd.nodes.append(operand)
            token = self.next()
            if token.typ == "space":
                continue
            if token.typ in ("rightdelim", "rightparen"):
                self.backup()
            elif token.typ != "pipe":
                self.unexpected(token, "operand")
            break
        if not cmd.nodes:
            self.errorf("empty command")
        return cmd

    def _operand(self) -> N | None:
        node = self._term()
        if node is None:
            return None
        if self.peek().typ == "field":
            chain = N("chain", self.peek().pos, node=node)
            while self.peek().typ == "field":
                chain.ident.append(self.next().val[1:])
            if node.kind == "field":
                return N("field", chain.pos, ident=node.ident + chain.ident)
            if node.kind == "variable":
                return N("variable", chain.pos, ident=node.ident + chain.ident)
            if node.kind in ("bool", "string", "number", "nil", "dot"):
                self.errorf(f"unexpected . after term {quote(str(node))}")
            return chain
        return node

    def _term(self) -> N | None:
        token = self.next_non_space()
        t = token.typ
        if t == "identifier":
            if token.val not in _BUILTINS:
                self.errorf(f"function {quote(token.val)} not defined")
            return N("identifier", token.pos, ident=[token.val])
        if t == "dot":
            return N("dot", token.pos)
        if t == "nil":
            return N("nil", token.pos)
        if t == "variable":
            name = token.val.split(".")[0]
            if name not in self.vars:
                self.errorf(f"undefined variable {quote(name)}")
            return N("variable", token.pos, ident=token.val.split("."))
        if t == "field":
            return N("field", token.pos, ident=[token.val[1:]])
        if t == "bool":
            return N("bool", token.pos, value=token.val == "true")
        if t in ("charconstant", "number"):
            return N("number", token.pos, value=self._number(token), text=token.val)
        if t == "leftparen":
            return self._pipeline("parenthesized pipeline", "rightparen")
        if t in ("string", "rawstring"):
            try:
                text = unquote(token.val)
            except SyntaxErr as exc:
                self.errorf(str(exc))
            return N("string", token.pos, value=text, text=token.val)
        self.backup()
        return None

    def _number(self, token: Item) -> int | float:
        text = token.val
        if token.typ == "charconstant":
            try:
                rune = unquote_body(text[1:-1], "'")
            except SyntaxErr:
                rune = ""
            if len(rune) != 1:
                self.errorf(f"malformed character constant: {text}")
            return ConstInt(ord(rune))
        clean = text.replace("_", "")
        try:
            return ConstInt(int(clean, 0))
        except ValueError:
            pass
        try:
            if re.fullmatch(r"[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?)", clean):
                return float(clean)
        except ValueError:
            pass
        self.errorf(f"illegal number syntax: {quote(text)}")
        raise AssertionError
