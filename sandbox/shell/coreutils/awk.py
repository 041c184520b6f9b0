"""awk (POSIX awk as mawk runs it on Ubuntu): patterns, BEGIN/END, ranges, fields, NR/NF/FS/OFS/ORS,
print/printf (with > and >> to files), if/while/do/for/for-in, arrays, next/exit, user functions and the
usual built-ins (length substr index split sub gsub match sprintf tolower toupper int sqrt...)."""

from __future__ import annotations

import math
import re
from typing import Any

from sandbox.shell.coreutils.regex import RegexError, compile_posix
from sandbox.shell.registry import CommandContext, FileError


class AwkSyntax(Exception):
    def __init__(self, near: str, line: int = 1) -> None:
        super().__init__(near)
        self.near = near
        self.line = line


class AwkMissing(AwkSyntax):
    """mawk's "missing } near end of file" (it counts the end of file as the next line)."""


class AwkRuntime(Exception):
    pass


class StrNum(str):
    """Input-derived strings compare as numbers when they look numeric."""


class _Uninit(StrNum):
    pass


UNINIT = _Uninit("")
_NUMERIC = re.compile(r"\s*[-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)\s*$")
_LEADNUM = re.compile(r"\s*[-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)")


def to_num(v: Any) -> float:
    if isinstance(v, float):
        return v
    if isinstance(v, bool):
        return 1.0 if v else 0.0
    if isinstance(v, int):
        return float(v)
    if v[:1].isdigit() and "_" not in v:
        try:
            return float(v)
        except ValueError:
            pass
    m = _LEADNUM.match(v)
    if not m:
        return 0.0
    try:
        return float(m.group(0))
    except ValueError:
        return 0.0


def to_str(v: Any, fmt: str = "%.6g") -> str:
    if isinstance(v, float):
        if v == int(v) and abs(v) < 1e16:
            return str(int(v))
        return fmt % v
    return str(v)


def _is_num(v: Any) -> bool:
    if isinstance(v, float):
        return True
    if isinstance(v, _Uninit):
        return True
    return isinstance(v, StrNum) and bool(_NUMERIC.match(v))


def to_bool(v: Any) -> bool:
    if isinstance(v, float):
        return v != 0
    if isinstance(v, StrNum) and _NUMERIC.match(v):
        return to_num(v) != 0
    return v != ""


# ---------------------------------------------------------------------------------------------
# lexer

_KEYWORDS = {"BEGIN", "END", "function", "func", "if", "else", "while", "for", "do", "break", "continue", "next",
             "nextfile", "exit", "return", "delete", "in", "getline", "print", "printf"}
_BUILTINS = {"length", "substr", "index", "split", "sub", "gsub", "match", "sprintf", "tolower", "toupper", "int",
             "sqrt", "exp", "log", "sin", "cos", "atan2", "rand", "srand", "system", "close", "fflush"}
_OPS = sorted(["+=", "-=", "*=", "/=", "%=", "^=", "**=", "==", "<=", ">=", "!=", "++", "--", "&&", "||", ">>", "!~",
               "**", "+", "-", "*", "/", "%", "^", "=", "<", ">", "!", "~", "?", ":", ",", ";", "(", ")", "{", "}",
               "[", "]", "$", "|"], key=len, reverse=True)


def tokenize(src: str) -> list[tuple[str, Any, int]]:
    toks: list[tuple[str, Any, int]] = []
    i = 0
    line = 1
    n = len(src)

    def prev_operand() -> bool:
        if not toks:
            return False
        k, v, _ = toks[-1]
        return k in ("num", "str", "name", "func", "builtin", "ere") or (k == "op" and v in (")", "]", "$", "++", "--"))

    while i < n:
        c = src[i]
        if c in " \t\r":
            i += 1
            continue
        if c == "\\" and i + 1 < n and src[i + 1] == "\n":
            i += 2
            line += 1
            continue
        if c == "\n":
            toks.append(("nl", "\n", line))
            line += 1
            i += 1
            continue
        if c == "#":
            while i < n and src[i] != "\n":
                i += 1
            continue
        if c == '"':
            j = i + 1
            out: list[str] = []
            while j < n and src[j] != '"':
                if src[j] == "\\" and j + 1 < n:
                    d = src[j + 1]
                    out.append({"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "/": "/", "a": "\a",
                                "b": "\b", "f": "\f", "v": "\v"}.get(d, "\\" + d))
                    j += 2
                    continue
                if src[j] == "\n":
                    raise AwkSyntax("runaway string constant \"" + "".join(out)[:10] + " ...", line)
                out.append(src[j])
                j += 1
            if j >= n:
                raise AwkSyntax("runaway string constant \"" + "".join(out)[:10] + " ...", line)
            toks.append(("str", "".join(out), line))
            i = j + 1
            continue
        if c == "/" and not prev_operand():
            j = i + 1
            out = []
            while j < n and src[j] != "/":
                if src[j] == "\\" and j + 1 < n:
                    out.append(src[j:j + 2] if src[j + 1] != "/" else "/")
                    j += 2
                    continue
                if src[j] == "[":
                    k = src.find("]", j + 2)
                    if k > 0:
                        out.append(src[j:k + 1])
                        j = k + 1
                        continue
                if src[j] == "\n":
                    break
                out.append(src[j])
                j += 1
            if j >= n or src[j] != "/":
                raise AwkSyntax("runaway regular expression /" + "".join(out)[:10] + " ...", line)
            toks.append(("ere", "".join(out), line))
            i = j + 1
            continue
        m = re.match(r"(\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)", src[i:])
        if m:
            toks.append(("num", float(m.group(0)), line))
            i += m.end()
            continue
        m = re.match(r"[A-Za-z_][A-Za-z0-9_]*", src[i:])
        if m:
            word = m.group(0)
            i += m.end()
            if word in _KEYWORDS:
                toks.append(("kw", word, line))
            elif word in _BUILTINS:
                toks.append(("builtin", word, line))
            elif i < n and src[i] == "(":
                toks.append(("func", word, line))
            else:
                toks.append(("name", word, line))
            continue
        for op in _OPS:
            if src.startswith(op, i):
                toks.append(("op", op, line))
                i += len(op)
                break
        else:
            raise AwkSyntax(c, line)
    toks.append(("eof", None, line))
    return toks


# ---------------------------------------------------------------------------------------------
# parser -> tuples


class Parser:
    def __init__(self, src: str) -> None:
        self.toks = tokenize(src)
        self.i = 0
        self.no_in = False
        self.no_gt = False

    def peek(self, k: int = 0):
        return self.toks[min(self.i + k, len(self.toks) - 1)]

    def at(self, kind: str, value: Any = None) -> bool:
        t = self.peek()
        return t[0] == kind and (value is None or t[1] == value)

    def take(self, kind: str, value: Any = None):
        t = self.peek()
        if t[0] != kind or (value is not None and t[1] != value):
            raise AwkSyntax(self.near(t), t[2])
        self.i += 1
        return t

    @staticmethod
    def near(t) -> str:
        if t[0] == "eof":
            return "end of file"
        if t[0] == "nl":
            return "end of line"
        if t[0] == "num":
            return to_str(t[1])
        return str(t[1])

    def opt_nl(self) -> None:
        while self.at("nl"):
            self.i += 1

    def terminators(self) -> None:
        while self.at("nl") or self.at("op", ";"):
            self.i += 1

    def program(self):
        items = []
        funcs: dict[str, tuple[list[str], Any]] = {}
        self.terminators()
        while not self.at("eof"):
            if self.at("kw", "BEGIN") or self.at("kw", "END"):
                kind = self.take("kw")[1]
                self.opt_nl()
                items.append((kind, None, None, self.block()))
            elif self.at("kw", "function") or self.at("kw", "func"):
                self.i += 1
                t = self.peek()
                if t[0] not in ("name", "func"):
                    raise AwkSyntax(self.near(t), t[2])
                self.i += 1
                self.take("op", "(")
                params = []
                while not self.at("op", ")"):
                    params.append(self.take("name")[1])
                    if self.at("op", ","):
                        self.i += 1
                        self.opt_nl()
                self.take("op", ")")
                self.opt_nl()
                funcs[t[1]] = (params, self.block())
            else:
                pat = None
                pat2 = None
                if not self.at("op", "{"):
                    pat = self.expr()
                    if self.at("op", ","):
                        self.i += 1
                        self.opt_nl()
                        pat2 = self.expr()
                action = self.block() if self.at("op", "{") else None
                items.append(("main", pat, pat2, action))
            self.terminators()
        return items, funcs

    def block(self):
        self.take("op", "{")
        stmts = []
        self.terminators()
        while not self.at("op", "}"):
            if self.at("eof"):
                raise AwkMissing("}", self.peek()[2] + 1)
            stmts.append(self.statement())
            self.terminators()
        self.take("op", "}")
        return ("block", stmts)

    def simple_end(self) -> None:
        if self.at("op", ";") or self.at("nl"):
            self.i += 1
            return
        if self.at("op", "}") or self.at("eof"):
            return
        t = self.peek()
        raise AwkSyntax(self.near(t), t[2])

    def statement(self):
        t = self.peek()
        if t[0] == "op" and t[1] == "{":
            return self.block()
        if t[0] == "op" and t[1] == ";":
            self.i += 1
            return ("block", [])
        if t[0] == "kw":
            w = t[1]
            if w == "if":
                self.i += 1
                self.take("op", "(")
                cond = self.expr()
                self.take("op", ")")
                self.opt_nl()
                then = self.statement()
                save = self.i
                self.terminators()
                if self.at("kw", "else"):
                    self.i += 1
                    self.opt_nl()
                    return ("if", cond, then, self.statement())
                self.i = save
                return ("if", cond, then, None)
            if w == "while":
                self.i += 1
                self.take("op", "(")
                cond = self.expr()
                self.take("op", ")")
                if self.at("op", ";"):
                    self.i += 1
                    return ("while", cond, ("block", []))
                self.opt_nl()
                return ("while", cond, self.statement())
            if w == "do":
                self.i += 1
                self.opt_nl()
                body = self.statement()
                self.terminators()
                self.take("kw", "while")
                self.take("op", "(")
                cond = self.expr()
                self.take("op", ")")
                self.simple_end()
                return ("do", body, cond)
            if w == "for":
                self.i += 1
                self.take("op", "(")
                if self.at("name") and self.peek(1) == ("kw", "in", self.peek(1)[2]) and \
                        self.peek(2)[0] == "name" and self.peek(3)[1] == ")":
                    var = self.take("name")[1]
                    self.i += 1
                    arr = self.take("name")[1]
                    self.take("op", ")")
                    self.opt_nl()
                    return ("forin", var, arr, self.statement())
                init = None if self.at("op", ";") else self.simple_stmt()
                self.take("op", ";")
                self.opt_nl()
                cond = None if self.at("op", ";") else self.expr()
                self.take("op", ";")
                self.opt_nl()
                step = None if self.at("op", ")") else self.simple_stmt()
                self.take("op", ")")
                if self.at("op", ";"):
                    self.i += 1
                    return ("for", init, cond, step, ("block", []))
                self.opt_nl()
                return ("for", init, cond, step, self.statement())
            if w in ("break", "continue", "next", "nextfile"):
                self.i += 1
                self.simple_end()
                return (w,)
            if w in ("exit", "return"):
                self.i += 1
                value = None
                if not (self.at("op", ";") or self.at("nl") or self.at("op", "}") or self.at("eof")):
                    value = self.expr()
                self.simple_end()
                return (w, value)
            if w == "delete":
                self.i += 1
                name = self.take("name")[1]
                idx = None
                if self.at("op", "["):
                    self.i += 1
                    idx = self.exprlist()
                    self.take("op", "]")
                self.simple_end()
                return ("delete", name, idx)
        s = self.simple_stmt()
        self.simple_end()
        return s

    def simple_stmt(self):
        t = self.peek()
        if t[0] == "kw" and t[1] in ("print", "printf"):
            self.i += 1
            args = []
            save_gt = self.no_gt
            self.no_gt = True
            if self.at("op", "(") and t[1] == "print":
                # print (a, b) > "f"  or  print (a)(b)
                save = self.i
                try:
                    self.i += 1
                    self.no_gt = False
                    inner = self.exprlist()
                    self.take("op", ")")
                    if self.at("op", ">") or self.at("op", ">>") or self.at("op", "|") or self.at("op", ";") \
                            or self.at("nl") or self.at("op", "}") or self.at("eof"):
                        args = inner
                    else:
                        raise AwkSyntax("")
                except AwkSyntax:
                    self.i = save
                    self.no_gt = True
                    args = self.exprlist()
            elif not (self.at("op", ";") or self.at("nl") or self.at("op", "}") or self.at("eof")
                      or self.at("op", ">") or self.at("op", ">>")):
                args = self.exprlist()
            self.no_gt = save_gt
            dest = None
            if self.at("op", ">") or self.at("op", ">>") or self.at("op", "|"):
                mode = self.take("op")[1]
                dest = (mode, self.concat())
            return (t[1], args, dest)
        return ("expr", self.expr())

    def exprlist(self):
        items = [self.expr()]
        while self.at("op", ","):
            self.i += 1
            self.opt_nl()
            items.append(self.expr())
        return items

    # expression precedence climbing
    def expr(self):
        return self.ternary()

    def ternary(self):
        cond = self.or_()
        if self.at("op", "?"):
            self.i += 1
            self.opt_nl()
            a = self.ternary()
            self.opt_nl()
            self.take("op", ":")
            self.opt_nl()
            b = self.ternary()
            return ("cond", cond, a, b)
        if self.at("op") and self.peek()[1] in ("=", "+=", "-=", "*=", "/=", "%=", "^=", "**=") and \
                cond[0] in ("var", "field", "index"):
            op = self.take("op")[1]
            self.opt_nl()
            return ("assign", op, cond, self.ternary())
        return cond

    def or_(self):
        left = self.and_()
        while self.at("op", "||"):
            self.i += 1
            self.opt_nl()
            left = ("or", left, self.and_())
        return left

    def and_(self):
        left = self.in_()
        while self.at("op", "&&"):
            self.i += 1
            self.opt_nl()
            left = ("and", left, self.in_())
        return left

    def in_(self):
        left = self.match()
        while self.at("kw", "in") and not self.no_in:
            self.i += 1
            left = ("in", left, self.take("name")[1])
        return left

    def match(self):
        left = self.compare()
        while self.at("op", "~") or self.at("op", "!~"):
            op = self.take("op")[1]
            left = ("match", op, left, self.compare())
        return left

    def compare(self):
        left = self.concat()
        t = self.peek()
        if t[0] == "op" and t[1] in ("<", "<=", "!=", "==", ">=", ">") and not (self.no_gt and t[1] == ">"):
            self.i += 1
            return ("cmp", t[1], left, self.concat())
        return left

    def concat(self):
        left = self.additive()
        while True:
            t = self.peek()
            starts = t[0] in ("num", "str", "ere", "name", "func", "builtin") or (
                t[0] == "op" and t[1] in ("$", "!", "(", "-", "+", "++", "--")) or (t[0] == "kw" and t[1] == "getline")
            if not starts or (t[0] == "kw" and t[1] == "in"):
                return left
            if t[0] == "op" and t[1] in ("-", "+"):
                return left
            left = ("concat", left, self.additive())

    def additive(self):
        left = self.mult()
        while self.at("op", "+") or self.at("op", "-"):
            op = self.take("op")[1]
            left = ("bin", op, left, self.mult())
        return left

    def mult(self):
        left = self.unary()
        while self.at("op", "*") or self.at("op", "/") or self.at("op", "%"):
            op = self.take("op")[1]
            left = ("bin", op, left, self.unary())
        return left

    def unary(self):
        if self.at("op", "!"):
            self.i += 1
            return ("not", self.unary())
        if self.at("op", "-"):
            self.i += 1
            return ("neg", self.unary())
        if self.at("op", "+"):
            self.i += 1
            return ("pos", self.unary())
        return self.power()

    def power(self):
        base = self.postfix()
        if self.at("op", "^") or self.at("op", "**"):
            self.i += 1
            return ("bin", "^", base, self.unary())
        return base

    def postfix(self):
        if self.at("op", "++") or self.at("op", "--"):
            op = self.take("op")[1]
            target = self.postfix()
            return ("preinc", op, target)
        node = self.primary()
        if node[0] in ("var", "field", "index") and (self.at("op", "++") or self.at("op", "--")):
            op = self.take("op")[1]
            return ("postinc", op, node)
        return node

    def primary(self):
        t = self.peek()
        kind, value, line = t
        if kind == "num":
            self.i += 1
            return ("num", value)
        if kind == "str":
            self.i += 1
            return ("str", value)
        if kind == "ere":
            self.i += 1
            return ("ere", value)
        if kind == "op" and value == "$":
            self.i += 1
            return ("field", self.postfix_operand())
        if kind == "op" and value == "(":
            self.i += 1
            save_in, save_gt = self.no_in, self.no_gt
            self.no_in = self.no_gt = False
            first = self.expr()
            if self.at("op", ","):
                items = [first]
                while self.at("op", ","):
                    self.i += 1
                    items.append(self.expr())
                self.take("op", ")")
                self.no_in, self.no_gt = save_in, save_gt
                self.take("kw", "in")
                return ("in", ("group", items), self.take("name")[1])
            self.take("op", ")")
            self.no_in, self.no_gt = save_in, save_gt
            return ("paren", first)
        if kind == "name":
            self.i += 1
            if self.at("op", "["):
                self.i += 1
                idx = self.exprlist()
                self.take("op", "]")
                return ("index", value, idx)
            return ("var", value)
        if kind == "builtin":
            self.i += 1
            args = []
            if self.at("op", "("):
                self.i += 1
                if not self.at("op", ")"):
                    args = self.exprlist()
                self.take("op", ")")
            elif value != "length":
                raise AwkSyntax(self.near(self.peek()), line)
            return ("call", value, args)
        if kind == "func":
            self.i += 1
            self.take("op", "(")
            args = [] if self.at("op", ")") else self.exprlist()
            self.take("op", ")")
            return ("ucall", value, args)
        if kind == "kw" and value == "getline":
            self.i += 1
            target = None
            if self.at("name"):
                target = ("var", self.take("name")[1])
            return ("getline", target)
        raise AwkSyntax(self.near(t), line)

    def postfix_operand(self):
        t = self.peek()
        if t[0] == "op" and t[1] in ("++", "--"):
            op = self.take("op")[1]
            return ("preinc", op, self.primary())
        if t[0] == "op" and t[1] == "-":
            self.i += 1
            return ("neg", self.primary())
        return self.primary()


# ---------------------------------------------------------------------------------------------
# interpreter


class _Next(Exception):  # noqa: N818
    pass


class _Exit(Exception):  # noqa: N818
    def __init__(self, code: int) -> None:
        self.code = code


class _Break(Exception):  # noqa: N818
    pass


class _Continue(Exception):  # noqa: N818
    pass


class _Return(Exception):  # noqa: N818
    def __init__(self, value: Any) -> None:
        self.value = value


class Awk:
    def __init__(self, ctx: CommandContext, items, funcs, assigns: dict[str, str]) -> None:
        self.ctx = ctx
        self.items = items
        self.funcs = funcs
        self.vars: dict[str, Any] = {"FS": " ", "OFS": " ", "ORS": "\n", "RS": "\n", "NR": 0.0, "NF": 0.0,
                                     "FNR": 0.0, "SUBSEP": "\x1c", "OFMT": "%.6g", "CONVFMT": "%.6g",
                                     "RSTART": 0.0, "RLENGTH": -1.0, "FILENAME": ""}
        self.vars["ENVIRON"] = {k: StrNum(v) for k, v in ctx.env.items()}
        for k, v in assigns.items():
            self.vars[k] = StrNum(v)
        self.out: list[str] = []
        self.files: dict[str, bool] = {}
        self.record = ""
        self.fields: list[str] = []
        self.ranges: dict[int, bool] = {}
        self.steps = 0
        self.frames: list[dict[str, Any]] = []
        self.rx_cache: dict[str, re.Pattern[str]] = {}

    # -- records and fields ---------------------------------------------------------------------
    def set_record(self, text: str) -> None:
        self.record = text
        self.fields = self.split(text, self.vars["FS"])
        self.vars["NF"] = float(len(self.fields))

    def split(self, text: str, fs: Any) -> list[str]:
        fs = to_str(fs)
        if fs == " ":
            return text.split()
        if text == "":
            return []
        if len(fs) == 1 and fs != "\\":
            return text.split(fs)
        if fs == "\t":
            return text.split("\t")
        return self.regex(fs).split(text)

    def get_field(self, idx: int) -> StrNum:
        if idx < 0:
            raise AwkRuntime(f"trying to access out of range field {idx}")
        if idx == 0:
            return StrNum(self.record)
        return StrNum(self.fields[idx - 1]) if idx <= len(self.fields) else UNINIT

    def set_field(self, idx: int, value: str) -> None:
        if idx == 0:
            self.set_record(value)
            return
        while len(self.fields) < idx:
            self.fields.append("")
        self.fields[idx - 1] = value
        self.vars["NF"] = float(len(self.fields))
        self.record = to_str(self.vars["OFS"]).join(self.fields)

    def regex(self, pattern: str) -> re.Pattern[str]:
        rx = self.rx_cache.get(pattern)
        if rx is None:
            try:
                rx = compile_posix(pattern, extended=True)
            except RegexError as e:
                raise AwkRuntime(f"regular expression compile failed ({e.message})\n{pattern}") from None
            self.rx_cache[pattern] = rx
        return rx

    # -- variables ------------------------------------------------------------------------------
    def lookup(self, name: str) -> Any:
        for frame in reversed(self.frames[-1:]):
            if name in frame:
                return frame[name]
        if name == "NF":
            return self.vars["NF"]
        return self.vars.get(name, UNINIT)

    def store(self, name: str, value: Any) -> None:
        if self.frames and name in self.frames[-1]:
            self.frames[-1][name] = value
            return
        if name == "NF":
            n = int(to_num(value))
            self.fields = (self.fields + [""] * n)[:n]
            self.record = to_str(self.vars["OFS"]).join(self.fields)
        self.vars[name] = value

    def array(self, name: str) -> dict:
        if self.frames and name in self.frames[-1]:
            arr = self.frames[-1][name]
            if not isinstance(arr, dict):
                arr = {}
                self.frames[-1][name] = arr
            return arr
        arr = self.vars.get(name)
        if not isinstance(arr, dict):
            arr = {}
            self.vars[name] = arr
        return arr

    def key(self, idx: list) -> str:
        return to_str(self.vars["SUBSEP"]).join(to_str(self.eval(e)) for e in idx)

    # -- evaluation -----------------------------------------------------------------------------
    def eval(self, node) -> Any:
        kind = node[0]
        if kind == "num":
            return node[1]
        if kind == "str":
            return node[1]
        if kind == "ere":
            return 1.0 if self.regex(node[1]).search(self.record) else 0.0
        if kind == "var":
            v = self.lookup(node[1])
            if isinstance(v, dict):
                raise AwkRuntime(f"can't use array {node[1]} in scalar context")
            return v
        if kind == "field":
            return self.get_field(int(to_num(self.eval(node[1]))))
        if kind == "index":
            arr = self.array(node[1])
            k = self.key(node[2])
            if k not in arr:
                arr[k] = UNINIT
            return arr[k]
        if kind == "paren":
            return self.eval(node[1])
        if kind == "group":
            return to_str(self.vars["SUBSEP"]).join(to_str(self.eval(e)) for e in node[1])
        if kind == "assign":
            op, target, expr = node[1], node[2], node[3]
            value = self.eval(expr)
            if op != "=":
                cur = to_num(self.eval(target))
                rhs = to_num(value)
                value = self.arith(op[:-1] if op != "**=" else "^", cur, rhs)
            elif isinstance(value, StrNum) and not isinstance(value, _Uninit):
                value = StrNum(value)
            self.assign(target, value)
            return value
        if kind == "cond":
            return self.eval(node[2]) if to_bool(self.eval(node[1])) else self.eval(node[3])
        if kind == "or":
            return 1.0 if to_bool(self.eval(node[1])) or to_bool(self.eval(node[2])) else 0.0
        if kind == "and":
            return 1.0 if to_bool(self.eval(node[1])) and to_bool(self.eval(node[2])) else 0.0
        if kind == "not":
            return 0.0 if to_bool(self.eval(node[1])) else 1.0
        if kind == "neg":
            return -to_num(self.eval(node[1]))
        if kind == "pos":
            return to_num(self.eval(node[1]))
        if kind == "in":
            arr = self.array(node[2])
            left = node[1]
            k = self.key(left[1]) if left[0] == "group" else to_str(self.eval(left))
            return 1.0 if k in arr else 0.0
        if kind == "match":
            text = to_str(self.eval(node[2]))
            rnode = node[3]
            pattern = rnode[1] if rnode[0] == "ere" else to_str(self.eval(rnode))
            hit = self.regex(pattern).search(text) is not None
            return 1.0 if hit != (node[1] == "!~") else 0.0
        if kind == "cmp":
            a, b = self.eval(node[2]), self.eval(node[3])
            if _is_num(a) and _is_num(b):
                x, y = to_num(a), to_num(b)
            else:
                x, y = to_str(a, to_str(self.vars["CONVFMT"])), to_str(b, to_str(self.vars["CONVFMT"]))
            op = node[1]
            return 1.0 if {"<": x < y, "<=": x <= y, "!=": x != y, "==": x == y, ">=": x >= y, ">": x > y}[op] \
                else 0.0
        if kind == "concat":
            fmt = to_str(self.vars["CONVFMT"])
            return to_str(self.eval(node[1]), fmt) + to_str(self.eval(node[2]), fmt)
        if kind == "bin":
            return self.arith(node[1], to_num(self.eval(node[2])), to_num(self.eval(node[3])))
        if kind in ("preinc", "postinc"):
            cur = to_num(self.eval(node[2]))
            new = cur + (1 if node[1] == "++" else -1)
            self.assign(node[2], new)
            return new if kind == "preinc" else cur
        if kind == "call":
            return self.builtin(node[1], node[2])
        if kind == "ucall":
            return self.call_user(node[1], node[2])
        if kind == "getline":
            return 0.0
        raise AwkRuntime(f"unknown node {kind}")

    def arith(self, op: str, a: float, b: float) -> float:
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        if op == "/":
            if b == 0:
                raise AwkRuntime("division by zero")
            return a / b
        if op == "%":
            if b == 0:
                raise AwkRuntime("division by zero in %")
            return math.fmod(a, b)
        if op == "^":
            try:
                return float(a ** b)
            except (OverflowError, ZeroDivisionError):
                return math.inf
        raise AwkRuntime(op)

    def assign(self, target, value: Any) -> None:
        if target[0] == "var":
            self.store(target[1], value)
        elif target[0] == "field":
            self.set_field(int(to_num(self.eval(target[1]))), to_str(value))
        elif target[0] == "index":
            self.array(target[1])[self.key(target[2])] = value
        elif target[0] == "paren":
            self.assign(target[1], value)

    def builtin(self, name: str, args: list) -> Any:
        if name == "length":
            if not args:
                return float(len(self.record))
            if args[0][0] == "var" and isinstance(self.lookup(args[0][1]), dict):
                return float(len(self.lookup(args[0][1])))
            return float(len(to_str(self.eval(args[0]))))
        if name == "substr":
            s = to_str(self.eval(args[0]))
            start = to_num(self.eval(args[1])) if len(args) > 1 else 1
            length = to_num(self.eval(args[2])) if len(args) > 2 else math.inf
            start_r = round(start)
            end = start_r + (round(length) if length != math.inf else len(s) + 1)
            lo = max(start_r, 1)
            hi = min(end, len(s) + 1)
            return s[lo - 1:hi - 1] if hi > lo else ""
        if name == "index":
            return float(to_str(self.eval(args[0])).find(to_str(self.eval(args[1]))) + 1)
        if name == "split":
            s = to_str(self.eval(args[0]))
            arr_name = args[1][1]
            parts = self.split(s, self.eval(args[2]) if len(args) > 2 else self.vars["FS"]) if not (
                len(args) > 2 and args[2][0] == "ere") else self.regex(args[2][1]).split(s) if s else []
            arr = self.array(arr_name)
            arr.clear()
            for k, p in enumerate(parts, 1):
                arr[str(k)] = StrNum(p)
            return float(len(parts))
        if name in ("sub", "gsub"):
            rnode = args[0]
            pattern = rnode[1] if rnode[0] == "ere" else to_str(self.eval(rnode))
            repl = to_str(self.eval(args[1]))
            target = args[2] if len(args) > 2 else ("field", ("num", 0.0))
            text = to_str(self.eval(target))
            rx = self.regex(pattern)
            count = 0

            def rep(m: re.Match) -> str:
                nonlocal count
                count += 1
                out = []
                i = 0
                while i < len(repl):
                    if repl[i] == "\\" and i + 1 < len(repl) and repl[i + 1] in "&\\":
                        out.append(repl[i + 1])
                        i += 2
                        continue
                    out.append(m.group(0) if repl[i] == "&" else repl[i])
                    i += 1
                return "".join(out)

            new = rx.sub(rep, text, count=0 if name == "gsub" else 1)
            if count:
                self.assign(target, new)
            return float(count)
        if name == "match":
            s = to_str(self.eval(args[0]))
            rnode = args[1]
            pattern = rnode[1] if rnode[0] == "ere" else to_str(self.eval(rnode))
            m = self.regex(pattern).search(s)
            self.vars["RSTART"] = float(m.start() + 1) if m else 0.0
            self.vars["RLENGTH"] = float(len(m.group(0))) if m else -1.0
            return self.vars["RSTART"]
        if name == "sprintf":
            return self.format([self.eval(a) for a in args]) if args else ""
        if name == "tolower":
            return to_str(self.eval(args[0])).lower()
        if name == "toupper":
            return to_str(self.eval(args[0])).upper()
        if name == "int":
            return float(math.trunc(to_num(self.eval(args[0]))))
        if name in ("sqrt", "exp", "log", "sin", "cos"):
            x = to_num(self.eval(args[0]))
            try:
                return float(getattr(math, name)(x))
            except ValueError:
                return math.nan
        if name == "atan2":
            return math.atan2(to_num(self.eval(args[0])), to_num(self.eval(args[1])))
        if name == "rand":
            rng = getattr(getattr(self.ctx.lab, "cluster", None), "rng", None)
            return rng.random() if rng is not None else 0.5
        if name == "srand":
            return 0.0
        if name in ("close", "fflush"):
            return 0.0
        if name == "system":
            cmd = to_str(self.eval(args[0]))
            self.flush()
            res = self.ctx.exec(self.ctx.host, ["sh", "-c", cmd], env=self.ctx.env, cwd=self.ctx.cwd)
            self.ctx.out(res.stdout)
            self.ctx.err(res.stderr)
            return float(res.exit_code)
        raise AwkRuntime(f"function {name} never defined")

    def call_user(self, name: str, args: list) -> Any:
        if name not in self.funcs:
            raise AwkRuntime(f"function {name} never defined")
        params, body = self.funcs[name]
        frame: dict[str, Any] = {}
        for k, p in enumerate(params):
            if k < len(args):
                a = args[k]
                if a[0] == "var" and isinstance(self.lookup(a[1]), dict):
                    frame[p] = self.lookup(a[1])
                else:
                    frame[p] = self.eval(a)
            else:
                frame[p] = UNINIT
        if len(self.frames) > 200:
            raise AwkRuntime("function call nesting too deep")
        self.frames.append(frame)
        try:
            self.execute(body)
        except _Return as r:
            return r.value if r.value is not None else UNINIT
        finally:
            self.frames.pop()
        return UNINIT

    def format(self, values: list) -> str:
        fmt = to_str(values[0])
        args = values[1:]
        out: list[str] = []
        pos = 0
        for m in re.finditer(r"%([-+ #0]*)(\*|\d+)?(?:\.(\*|\d+))?([cdiouxXeEfFgGs%])", fmt):
            out.append(fmt[pos:m.start()])
            pos = m.end()
            flags, width, prec, conv = m.groups()
            if conv == "%":
                out.append("%")
                continue
            if width == "*":
                width = str(int(to_num(args.pop(0)))) if args else ""
            if prec == "*":
                prec = str(int(to_num(args.pop(0)))) if args else ""
            arg = args.pop(0) if args else UNINIT
            spec = "%" + (flags or "") + (width or "") + ("." + prec if prec is not None else "")
            if conv == "s":
                out.append((spec + "s") % to_str(arg))
            elif conv == "c":
                ch = chr(int(to_num(arg))) if isinstance(arg, float) else to_str(arg)[:1]
                out.append((spec + "s") % ch)
            elif conv in "diouxX":
                n = int(to_num(arg))
                out.append((spec + {"i": "d", "u": "d"}.get(conv, conv)) % n)
            else:
                out.append((spec + conv) % to_num(arg))
        out.append(fmt[pos:])
        return "".join(out)

    def emit(self, text: str, dest) -> None:
        if dest is None:
            self.out.append(text)
            return
        mode, expr = dest
        name = to_str(self.eval(expr))
        if mode == "|":
            self.flush()
            res = self.ctx.exec(self.ctx.host, ["sh", "-c", name], stdin=text, env=self.ctx.env, cwd=self.ctx.cwd)
            self.ctx.out(res.stdout)
            self.ctx.err(res.stderr)
            return
        if name in ("/dev/stdout", "-"):
            self.out.append(text)
            return
        if name == "/dev/stderr":
            self.flush()
            self.ctx.err(text)
            return
        append = mode == ">>" or name in self.files
        self.files[name] = True
        self.ctx.write_file(name, text, append=append)

    def flush(self) -> None:
        if self.out:
            self.ctx.out("".join(self.out))
            self.out.clear()

    def execute(self, node) -> None:
        self.steps += 1
        if self.steps % 5000 == 0:
            self.ctx.check_interrupt()
            if self.steps > 5_000_000:
                raise AwkRuntime("program ran too long")
        kind = node[0]
        if kind == "block":
            for s in node[1]:
                self.execute(s)
        elif kind == "expr":
            self.eval(node[1])
        elif kind == "print":
            ofmt = to_str(self.vars["OFMT"])
            if node[1]:
                text = to_str(self.vars["OFS"]).join(to_str(self.eval(a), ofmt) for a in node[1])
            else:
                text = self.record
            self.emit(text + to_str(self.vars["ORS"]), node[2])
        elif kind == "printf":
            if not node[1]:
                raise AwkRuntime("printf: no format")
            self.emit(self.format([self.eval(a) for a in node[1]]), node[2])
        elif kind == "if":
            if to_bool(self.eval(node[1])):
                self.execute(node[2])
            elif node[3] is not None:
                self.execute(node[3])
        elif kind == "while":
            while to_bool(self.eval(node[1])):
                try:
                    self.execute(node[2])
                except _Break:
                    break
                except _Continue:
                    continue
        elif kind == "do":
            while True:
                try:
                    self.execute(node[1])
                except _Break:
                    break
                except _Continue:
                    pass
                if not to_bool(self.eval(node[2])):
                    break
        elif kind == "for":
            if node[1] is not None:
                self.execute(node[1])
            while node[2] is None or to_bool(self.eval(node[2])):
                try:
                    self.execute(node[4])
                except _Break:
                    break
                except _Continue:
                    pass
                if node[3] is not None:
                    self.execute(node[3])
        elif kind == "forin":
            arr = self.array(node[2])
            for k in list(arr.keys()):
                if k not in arr:
                    continue
                self.store(node[1], StrNum(k))
                try:
                    self.execute(node[3])
                except _Break:
                    break
                except _Continue:
                    continue
        elif kind == "break":
            raise _Break()
        elif kind == "continue":
            raise _Continue()
        elif kind in ("next", "nextfile"):
            raise _Next()
        elif kind == "exit":
            raise _Exit(int(to_num(self.eval(node[1]))) if node[1] is not None else 0)
        elif kind == "return":
            raise _Return(self.eval(node[1]) if node[1] is not None else None)
        elif kind == "delete":
            arr = self.array(node[1])
            if node[2] is None:
                arr.clear()
            else:
                arr.pop(self.key(node[2]), None)

    def run(self, inputs: list[tuple[str, str]]) -> int:
        code = 0
        try:
            for kind, _p, _p2, action in self.items:
                if kind == "BEGIN":
                    self.execute(action)
            mains = [(k, it) for k, it in enumerate(self.items) if it[0] == "main"]
            ends = [it for it in self.items if it[0] == "END"]
            if mains or ends:
                for name, text in inputs:
                    self.vars["FILENAME"] = "" if name == "-" else name
                    self.vars["FNR"] = 0.0
                    rs = to_str(self.vars["RS"])
                    if rs == "\n":
                        records = text.split("\n")
                        if records and records[-1] == "":
                            records.pop()
                    elif rs == "":
                        records = [r for r in re.split(r"\n\n+", text.strip("\n")) if r]
                    else:
                        records = text.split(rs[0])
                        if records and records[-1] in ("", "\n"):
                            records.pop()
                    for rec in records:
                        self.vars["NR"] = to_num(self.vars["NR"]) + 1
                        self.vars["FNR"] = to_num(self.vars["FNR"]) + 1
                        self.set_record(rec)
                        try:
                            for idx, (_kind, pat, pat2, action) in mains:
                                if self.pattern_hit(idx, pat, pat2):
                                    if action is None:
                                        self.out.append(self.record + to_str(self.vars["ORS"]))
                                    else:
                                        self.execute(action)
                        except _Next:
                            continue
        except _Exit as e:
            code = e.code
        try:
            for kind, _p, _p2, action in self.items:
                if kind == "END":
                    self.execute(action)
        except _Exit as e:
            code = e.code
        self.flush()
        return code

    def pattern_hit(self, idx: int, pat, pat2) -> bool:
        if pat is None:
            return True
        if pat2 is None:
            return to_bool(self.eval(pat))
        if self.ranges.get(idx):
            if to_bool(self.eval(pat2)):
                self.ranges[idx] = False
            return True
        if to_bool(self.eval(pat)):
            self.ranges[idx] = not to_bool(self.eval(pat2))
            return True
        return False


def awk_cmd(ctx: CommandContext) -> int:
    args = ctx.argv[1:]
    fs = None
    assigns: dict[str, str] = {}
    program: str | None = None
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--":
            i += 1
            break
        if a == "-F" and i + 1 < len(args):
            fs = args[i + 1]
            i += 2
            continue
        if a.startswith("-F") and len(a) > 2:
            fs = a[2:]
            i += 1
            continue
        if a == "-v" and i + 1 < len(args):
            name, _, value = args[i + 1].partition("=")
            assigns[name] = _unescape(value)
            i += 2
            continue
        if a.startswith("-v") and len(a) > 2:
            name, _, value = a[2:].partition("=")
            assigns[name] = _unescape(value)
            i += 1
            continue
        if a == "-f" and i + 1 < len(args):
            try:
                program = ctx.read_file(args[i + 1])
            except FileError as e:
                ctx.err(f"awk: couldn't open file {args[i + 1]}: {e.strerror}\n")
                return 2
            i += 2
            continue
        if a.startswith("-") and len(a) > 1 and a != "-":
            ctx.err(f"awk: not an option: {a}\n")
            return 2
        break
    rest = args[i:]
    if program is None:
        if not rest:
            ctx.err("usage: awk [-F value] [-v var=value] [--] 'program text' [file ...]\n"
                    "usage: awk [-F value] [-v var=value] [-f program-file] [--] [file ...]\n")
            return 2
        program = rest[0]
        rest = rest[1:]
    try:
        items, funcs = Parser(program).program()
    except AwkMissing as e:
        ctx.err(f"awk: line {e.line}: missing {e.near} near end of file\n")
        return 2
    except AwkSyntax as e:
        ctx.err(f"awk: line {e.line}: syntax error at or near {e.near}\n")
        return 2
    except RecursionError:
        ctx.err("awk: program too deeply nested\n")
        return 2
    if fs is not None:
        assigns["FS"] = "\t" if fs == "t" else _unescape(fs)
    machine = Awk(ctx, items, funcs, assigns)
    inputs: list[tuple[str, str]] = []
    files = []
    for a in rest:
        if re.fullmatch(r"[A-Za-z_]\w*=.*", a):
            name, _, value = a.partition("=")
            machine.vars[name] = StrNum(_unescape(value))
            continue
        files.append(a)
    needs_input = any(it[0] in ("main", "END") for it in items)
    status = 0
    if needs_input:
        if not files:
            inputs.append(("-", ctx.stdin))
        for f in files:
            if f == "-":
                inputs.append(("-", ctx.stdin))
                continue
            try:
                inputs.append((f, ctx.read_file(f)))
            except FileError as e:
                machine.flush()
                ctx.err(f"awk: cannot open {f} ({e.strerror})\n")
                status = 2
                break
    try:
        code = machine.run(inputs)
    except AwkRuntime as e:
        machine.flush()
        ctx.err(f"awk: run time error: {e}\n\tFILENAME=\"{to_str(machine.vars['FILENAME'])}\" "
                f"FNR={to_str(machine.vars['FNR'])} NR={to_str(machine.vars['NR'])}\n")
        return 2
    except RecursionError:
        machine.flush()
        ctx.err("awk: run time error: function call nesting too deep\n")
        return 2
    return code or status


def _unescape(text: str) -> str:
    return re.sub(r"\\([ntr\\\"/])", lambda m: {"n": "\n", "t": "\t", "r": "\r"}.get(m.group(1), m.group(1)), text)
