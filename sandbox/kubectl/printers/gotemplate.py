"""``-o go-template=``: a Go text/template interpreter with kubectl's functions and messages.

kubectl executes on the unstructured object (``map[string]interface{}``: integers are int64,
template constants are int, so ``eq .port 80.0`` fails with "incompatible types" as on a real
cluster) and missing keys print ``<no value>`` (``--allow-missing-template-keys`` is on by
default). The lexer, parser and executor follow text/template's structure so that error messages,
positions (``output:1:7``) and edge cases match.
"""

from __future__ import annotations

import base64
import binascii
import re
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from .gofmt import SyntaxErr, go_syntax, quote, sprint, unquote, unquote_body
from .gofmtverbs import sprintf
from .jsonpath import PrintError
from .yamljson import go_json


class TemplateParseError(PrintError):
    pass


class TemplateExecError(PrintError):
    """Execution failed; ``stdout`` holds what kubectl still writes to stdout (partial output and the
    debugging dump), ``str()`` the error line kubectl prints on stderr (after ``error: ``)."""

    def __init__(self, message: str, stdout: str) -> None:
        super().__init__(message)
        self.stdout = stdout


class _Missing:
    """reflect's invalid Value: a missing map key, printed as ``<no value>``."""

    def __repr__(self) -> str:
        return "<no value>"


MISSING = _Missing()


# --- lexer -------------------------------------------------------------------------------------

@dataclass
class Item:
    typ: str
    pos: int
    val: str
    line: int

    def __str__(self) -> str:
        if self.typ == "EOF":
            return "EOF"
        if self.typ == "error":
            return self.val
        if self.typ in _KEYWORD_TYPES:
            return f"<{self.val}>"
        if len(self.val) > 10:
            return quote(self.val[:10]) + "..."
        return quote(self.val)


_KEYWORDS = {".": "dot", "block": "block", "break": "break", "continue": "continue", "define": "define",
             "else": "else", "end": "end", "if": "if", "range": "range", "nil": "nil",
             "template": "template", "with": "with"}
_KEYWORD_TYPES = set(_KEYWORDS.values())
_SPACE = " \t\r\n"


def _is_alnum(r: str) -> bool:
    return r != "" and (r == "_" or r.isalpha() or r.isdigit())


def _rune(r: str) -> str:
    return f"U+{ord(r):04X} '{r}'" if r.isprintable() else f"U+{ord(r):04X}"


class _Lexer:
    def __init__(self, text: str) -> None:
        self.input = text
        self.pos = 0
        self.start = 0
        self.items: list[Item] = []
        self.paren_depth = 0
        self.inside = False

    def next(self) -> str:
        if self.pos >= len(self.input):
            self.width = 0
            return ""
        r = self.input[self.pos]
        self.width = 1
        self.pos += 1
        return r

    def backup(self) -> None:
        self.pos -= self.width

    def peek(self) -> str:
        r = self.next()
        self.backup()
        return r

    def emit(self, typ: str) -> None:
        line = self.input.count("\n", 0, self.start) + 1
        self.items.append(Item(typ, self.start, self.input[self.start:self.pos], line))
        self.start = self.pos

    def ignore(self) -> None:
        self.start = self.pos

    def error(self, msg: str) -> None:
        self.items.append(Item("error", self.start, msg, self.input.count("\n", 0, self.pos) + 1))
        raise _LexStop()

    def at_terminator(self) -> bool:
        r = self.peek()
        return r == "" or r in _SPACE or r in ".,|:)(" or self.input.startswith("}}", self.pos)

    def run(self) -> list[Item]:
        try:
            self._text()
        except _LexStop:
            pass
        return self.items

    def _text(self) -> None:
        while True:
            x = self.input.find("{{", self.pos)
            if x < 0:
                self.pos = len(self.input)
                if self.pos > self.start:
                    self.emit("text")
                self.emit("EOF")
                return
            self.pos = x
            trim = 0
            if self.input.startswith("- ", x + 2):
                chunk = self.input[self.start:self.pos]
                trim = len(chunk) - len(chunk.rstrip(_SPACE))
            self.pos -= trim
            if self.pos > self.start:
                self.emit("text")
            self.pos += trim
            self.ignore()
            self._left_delim()

    def _left_delim(self) -> None:
        self.pos += 2
        trim = self.input.startswith("- ", self.pos)
        after = 2 if trim else 0
        if self.input.startswith("/*", self.pos + after):
            self.pos += after
            self.ignore()
            self._comment()
            return
        self.emit("leftdelim")
        self.pos += after
        self.ignore()
        self.paren_depth = 0
        self._inside()

    def _at_right_delim(self) -> tuple[bool, bool]:
        if self.input.startswith("}}", self.pos):
            return True, False
        if self.input.startswith(" -}}", self.pos):
            return True, True
        return False, False

    def _comment(self) -> None:
        self.pos += 2
        i = self.input.find("*/", self.pos)
        if i < 0:
            self.error("unclosed comment")
        self.pos = i + 2
        delim, trim = self._at_right_delim()
        if not delim:
            self.error("comment ends before closing delimiter")
        if trim:
            self.pos += 2
        self.pos += 2
        if trim:
            rest = self.input[self.pos:]
            self.pos += len(rest) - len(rest.lstrip(_SPACE))
        self.ignore()

    def _right_delim(self) -> None:
        trim = self.input.startswith(" -", self.pos)
        if trim:
            self.pos += 2
            self.ignore()
        self.pos += 2
        self.emit("rightdelim")
        if trim:
            rest = self.input[self.pos:]
            self.pos += len(rest) - len(rest.lstrip(_SPACE))
            self.ignore()

    def _inside(self) -> None:
        while True:
            delim, _trim = self._at_right_delim()
            if delim:
                if self.paren_depth == 0:
                    self._right_delim()
                    return
                self.error("unclosed left paren")
            r = self.next()
            if r == "":
                self.error("unclosed action")
            elif r in _SPACE:
                self.backup()
                self._space()
            elif r == "=":
                self.emit("assign")
            elif r == ":":
                if self.next() != "=":
                    self.error("expected :=")
                self.emit("declare")
            elif r == "|":
                self.emit("pipe")
            elif r == '"':
                self._quote()
            elif r == "`":
                self._raw_quote()
            elif r == "$":
                self._variable()
            elif r == "'":
                self._char()
            elif r == "." and self.pos < len(self.input) and not ("0" <= self.input[self.pos] <= "9"):
                self._field_or_variable("field")
            elif r in "+-." or "0" <= r <= "9":
                self.backup()
                self._number()
            elif _is_alnum(r):
                self.backup()
                self._identifier()
            elif r == "(":
                self.paren_depth += 1
                self.emit("leftparen")
            elif r == ")":
                self.paren_depth -= 1
                if self.paren_depth < 0:
                    self.error("unexpected right paren")
                self.emit("rightparen")
            elif r.isascii() and r.isprintable():
                self.emit("char")
            else:
                self.error(f"unrecognized character in action: {_rune(r)}")

    def _space(self) -> None:
        num_spaces = 0
        while True:
            r = self.peek()
            if r == "" or r not in _SPACE:
                break
            self.next()
            num_spaces += 1
        # a space before a trim marker belongs to the marker
        if self.input.startswith("-}}", self.pos) and num_spaces:
            self.backup()
            if self.pos == self.start:
                return
        self.emit("space")

    def _identifier(self) -> None:
        while True:
            r = self.next()
            if not _is_alnum(r):
                self.backup()
                word = self.input[self.start:self.pos]
                if not self.at_terminator():
                    self.error(f"bad character {_rune(r)}")
                if word in _KEYWORDS and word != ".":
                    self.emit(_KEYWORDS[word])
                elif word in ("true", "false"):
                    self.emit("bool")
                else:
                    self.emit("identifier")
                return

    def _variable(self) -> None:
        if self.at_terminator():
            self.emit("variable")
            return
        self._field_or_variable("variable")

    def _field_or_variable(self, typ: str) -> None:
        if self.at_terminator():
            self.emit("variable" if typ == "variable" else "dot")
            return
        r = ""
        while True:
            r = self.next()
            if not _is_alnum(r):
                self.backup()
                break
        if not self.at_terminator():
            self.error(f"bad character {_rune(r)}")
        self.emit(typ)

    def _char(self) -> None:
        while True:
            r = self.next()
            if r == "\\":
                r2 = self.next()
                if r2 not in ("", "\n"):
                    continue
                self.error("unterminated character constant")
            if r in ("", "\n"):
                self.error("unterminated character constant")
            if r == "'":
                break
        self.emit("charconstant")

    def _number(self) -> None:
        if not self._scan_number():
            self.error(f"bad number syntax: {quote(self.input[self.start:self.pos])}")
        self.emit("number")

    def _accept(self, valid: str) -> bool:
        r = self.next()
        if r != "" and r in valid:
            return True
        self.backup()
        return False

    def _accept_run(self, valid: str) -> None:
        while True:
            r = self.next()
            if r == "" or r not in valid:
                break
        self.backup()

    def _scan_number(self) -> bool:
        self._accept("+-")
        digits = "0123456789_"
        if self._accept("0"):
            if self._accept("xX"):
                digits = "0123456789abcdefABCDEF_"
            elif self._accept("oO"):
                digits = "01234567_"
            elif self._accept("bB"):
                digits = "01_"
        self._accept_run(digits)
        if self._accept("."):
            self._accept_run(digits)
        if len(digits) == 11 and self._accept("eE"):
            self._accept("+-")
            self._accept_run("0123456789_")
        self._accept("i")
        if _is_alnum(self.peek()):
            self.next()
            return False
        return True

    def _quote(self) -> None:
        while True:
            r = self.next()
            if r == "\\":
                r2 = self.next()
                if r2 not in ("", "\n"):
                    continue
                self.error("unterminated quoted string")
            if r in ("", "\n"):
                self.error("unterminated quoted string")
            if r == '"':
                break
        self.emit("string")

    def _raw_quote(self) -> None:
        while True:
            r = self.next()
            if r == "":
                self.error("unterminated raw quoted string")
            if r == "`":
                break
        self.emit("rawstring")


class _LexStop(Exception):
    pass


class ConstInt(int):
    """An untyped integer constant of the template (Go ``int``); data integers are ``int64``."""


# --- nodes -------------------------------------------------------------------------------------

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


# --- parser ------------------------------------------------------------------------------------

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


# --- execution ---------------------------------------------------------------------------------

class _ExecError(Exception):
    pass


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


def _truth(value: Any) -> bool:
    if value is MISSING or value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0
    if isinstance(value, str | list | dict):
        return len(value) > 0
    return True


def _kind(value: Any) -> str:
    if value is MISSING or value is None:
        return "invalid"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "string"
    return "other"


def _tname(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, ConstInt):
        return "int"
    if isinstance(value, int):
        return "int64"
    if isinstance(value, float):
        return "float64"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return "map[string]interface {}"
    if isinstance(value, list):
        return "[]interface {}"
    return "interface {}"


def _eq(a: Any, *others: Any) -> bool:
    """text/template ``eq``: basic kinds compare by value; mixing kinds is an error unless one is missing."""
    if not others:
        raise _ExecError("missing argument for comparison")
    ka = _kind(a)
    for b in others:
        kb = _kind(b)
        if ka != kb:
            if a is not MISSING and a is not None and b is not MISSING and b is not None:
                raise _ExecError(f"incompatible types for comparison: {_tname(a)} and {_tname(b)}")
            continue
        if ka in ("invalid", "other"):
            if ka == "invalid":
                return True  # two missing values (or nils) are equal
            raise _ExecError(f"non-comparable types {sprint(a)}: {_tname(a)}, {_tname(b)}: {sprint(b)}")
        if a == b:
            return True
    return False


def _lt(a: Any, b: Any) -> bool:
    ka, kb = _kind(a), _kind(b)
    if ka in ("invalid", "other") or kb in ("invalid", "other"):
        raise _ExecError("invalid type for comparison")
    if ka != kb:
        raise _ExecError(f"incompatible types for comparison: {_tname(a)} and {_tname(b)}")
    if ka == "bool":
        raise _ExecError("invalid type for comparison")
    return a < b


def _index(item: Any, *indexes: Any) -> Any:
    if item is MISSING or item is None:
        raise _ExecError("index of untyped nil")
    for index in indexes:
        if isinstance(item, list | str):
            if isinstance(index, bool) or not isinstance(index, int):
                if index is MISSING or index is None:
                    raise _ExecError("cannot index slice/array with nil")
                raise _ExecError(f"cannot index slice/array with type {_tname(index)}")
            if index < 0 or index >= len(item):
                raise _ExecError(f"index out of range: {index}")
            item = item[index] if isinstance(item, list) else item.encode()[index]
        elif isinstance(item, dict):
            if not isinstance(index, str):
                raise _ExecError(f"value has type {_tname(index)}; should be string")
            item = item.get(index)
        elif item is None:
            raise _ExecError("index of nil pointer")
        else:
            raise _ExecError(f"can't index item of type {_tname(item)}")
    return item


def _slice(item: Any, *indexes: Any) -> Any:
    if item is MISSING or item is None:
        raise _ExecError("slice of untyped nil")
    if len(indexes) > 3:
        raise _ExecError(f"too many slice indexes: {len(indexes)}")
    if not isinstance(item, list | str):
        raise _ExecError(f"can't slice item of type {_tname(item)}")
    if isinstance(item, str) and len(indexes) == 3:
        raise _ExecError("cannot 3-index slice a string")
    bounds = [0, len(item)]
    for i, index in enumerate(indexes[:2]):
        if isinstance(index, bool) or not isinstance(index, int):
            raise _ExecError(f"cannot index slice/array with type {_tname(index)}")
        if index < 0 or index > len(item):
            raise _ExecError(f"index out of range: {index}")
        bounds[i] = index
    if bounds[0] > bounds[1]:
        raise _ExecError(f"invalid slice index: {bounds[0]} > {bounds[1]}")
    return item[bounds[0]:bounds[1]]


def _len(item: Any) -> int:
    if item is MISSING:
        raise _ExecError("reflect: call of reflect.Value.Type on zero Value")
    if item is None:
        raise _ExecError("len of nil pointer")
    if isinstance(item, str):
        return len(item.encode())
    if isinstance(item, list | dict):
        return len(item)
    raise _ExecError(f"len of type {_tname(item)}")


def _print_arg(value: Any) -> Any:
    return None if value is MISSING else value


def _go_print(args: list[Any]) -> str:
    """fmt.Sprint: spaces between operands when neither side is a string."""
    out = []
    prev_string = True
    for i, a in enumerate(args):
        is_string = isinstance(a, str)
        if i > 0 and not is_string and not prev_string:
            out.append(" ")
        out.append(_fmt_value(a))
        prev_string = is_string
    return "".join(out)


def _fmt_value(value: Any) -> str:
    return "<nil>" if value is None or value is MISSING else sprint(value)


def _js_escape(text: str) -> str:
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == "'":
            out.append("\\'")
        elif ch == '"':
            out.append('\\"')
        elif ch == "<":
            out.append("\\u003C")
        elif ch == ">":
            out.append("\\u003E")
        elif ch == "&":
            out.append("\\u0026")
        elif ch == "=":
            out.append("\\u003D")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return "".join(out)


def _html_escape(text: str) -> str:
    return (text.replace("\0", "\ufffd").replace("&", "&amp;").replace("'", "&#39;").replace("<", "&lt;")
            .replace(">", "&gt;").replace('"', "&#34;"))


def _base64decode(value: Any) -> str:
    if not isinstance(value, str):
        raise _ExecError(f"wrong type for value; expected string; got {_tname(value)}")
    try:
        return base64.b64decode(value.encode(), validate=True).decode("utf-8", "replace")
    except (binascii.Error, ValueError) as exc:
        raise _ExecError(f"base64 decode failed: {_b64_error(value, exc)}") from None


def _b64_error(value: str, exc: Exception) -> str:
    for i, ch in enumerate(value):
        if not (ch.isalnum() and ch.isascii()) and ch not in "+/=":
            return f"illegal base64 data at input byte {i}"
    return f"illegal base64 data at input byte {len(value) - len(value) % 4}"


def _exists(item: Any, *indexes: Any) -> bool:
    for index in indexes:
        if isinstance(item, dict) and isinstance(index, str) and index in item:
            item = item[index]
        elif isinstance(item, list) and isinstance(index, int) and not isinstance(index, bool) \
                and 0 <= index < len(item):
            item = item[index]
        else:
            return False
    return True


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


def _eval_args(args: list[Any]) -> str:
    if len(args) == 1 and isinstance(args[0], str):
        return args[0]
    return _go_print(args)


class _FinalMissing:
    pass


_FINAL_MISSING = _FinalMissing()


class GoTemplate:
    """A parsed template (``template.New("output").Funcs(exists, base64decode).Parse(text)``)."""

    def __init__(self, text: str, *, name: str = "output") -> None:
        self.text = text
        self.name = name
        self.templates = _Parser(text, name).parse()

    def execute(self, data: Any) -> str:
        out: list[str] = []
        state = _State(self.templates, self.name, self.text, out)
        state.vars = [["$", data]]
        root = self.templates.get(self.name)
        if root is None:
            raise _ExecError(f'template: {self.name}: "{self.name}" is an incomplete or empty template')
        try:
            state.walk(data, root)
        except _ExecError as exc:
            exc.partial = "".join(out)  # type: ignore[attr-defined]
            raise
        return "".join(out)


def compile_template(text: str) -> GoTemplate:
    """Parse as kubectl's printer flags do: ``error parsing template <t>, <why>``."""
    try:
        return GoTemplate(text)
    except TemplateParseError as exc:
        raise TemplateParseError(f"error parsing template {text}, {exc}\n") from None


def run(template: GoTemplate, obj: Any, *, sort_keys: bool = True) -> str:
    """GoTemplatePrinter.PrintObj: on failure the debugging dump goes to stdout, as kubectl does."""
    data = obj
    try:
        return template.execute(data)
    except _ExecError as exc:
        partial = getattr(exc, "partial", "")
        dump = (f"Error executing template: {exc}. Printing more information for debugging the template:\n"
                f"\ttemplate was:\n\t\t{template.text}\n"
                f"\traw data was:\n\t\t{go_json(obj, sort_keys=sort_keys)}\n"
                f"\tobject given to template engine was:\n\t\t{sprint(data)}\n\n")
        raise TemplateExecError(f"error executing template {quote(template.text)}: {exc}",
                                partial + dump) from None
    except RecursionError:
        raise TemplateExecError(f"error executing template {quote(template.text)}: template: output: "
                                "exceeded maximum template depth (100000)", "") from None


def go_template(template: str, data: Any) -> str:
    """``-o go-template=<template>`` on one object (or a List dict)."""
    return run(compile_template(template), data)


__all__ = ["GoTemplate", "TemplateExecError", "TemplateParseError", "compile_template", "go_syntax",
           "go_template", "run"]
