"""``test`` / ``[`` (POSIX, with bash's messages) and bash's ``[[ ]]`` (patterns, ``=~``, ``&&``/``||``)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from sandbox.shell.registry import CommandContext

if TYPE_CHECKING:  # pragma: no cover
    from sandbox.shell.interp import Interpreter, ShellState
    from sandbox.shell.io import IO

_UNARY = set("-e -f -d -s -r -w -x -L -h -b -c -p -S -g -u -k -O -G -N -z -n -t".split())
_BINARY = set("= == != -eq -ne -lt -le -gt -ge -nt -ot -ef < >".split())


class _TestError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class _FileView:
    """File tests against the host's virtual files."""

    def __init__(self, fs: Any, cwd: str, home: str) -> None:
        self.fs = fs
        self.cwd = cwd
        self.home = home

    def unary(self, op: str, arg: str) -> bool:
        if op == "-z":
            return arg == ""
        if op == "-n":
            return arg != ""
        if op == "-t":
            return False
        path = self.fs.resolve(arg, self.cwd, self.home) if arg else ""
        entry = self.fs.entry(path) if path else None
        if entry is None:
            return False
        if op == "-e" or op in ("-r", "-w", "-O", "-G"):
            return True
        if op == "-f":
            return not entry.is_dir
        if op == "-d":
            return entry.is_dir
        if op == "-s":
            return entry.is_dir or len(entry.text()) > 0
        if op == "-x":
            return entry.is_dir or bool(entry.mode & 0o111)
        return False


def _int(value: str) -> int:
    v = value.strip()
    if not re.fullmatch(r"[-+]?\d+", v):
        raise _TestError(f"{value}: integer expression expected")
    return int(v)


def _binary(op: str, a: str, b: str, files: _FileView) -> bool:
    if op in ("=", "=="):
        return a == b
    if op == "!=":
        return a != b
    if op == "<":
        return a < b
    if op == ">":
        return a > b
    if op in ("-nt", "-ot", "-ef"):
        return False
    x, y = _int(a), _int(b)
    return {"-eq": x == y, "-ne": x != y, "-lt": x < y, "-le": x <= y, "-gt": x > y, "-ge": x >= y}[op]


def evaluate_test(args: list[str], files: _FileView) -> bool:
    """POSIX ``test`` with the argument-count rules, then a recursive parser for -a/-o/!/()."""
    n = len(args)
    if n == 0:
        return False
    if n == 1:
        return args[0] != ""
    if n == 2:
        if args[0] == "!":
            return args[1] == ""
        if args[0] in _UNARY:
            return files.unary(args[0], args[1])
        raise _TestError(f"{args[0]}: unary operator expected")
    if n == 3:
        if args[1] in _BINARY:
            return _binary(args[1], args[0], args[2], files)
        if args[0] == "!":
            return not evaluate_test(args[1:], files)
        if args[0] == "(" and args[2] == ")":
            return args[1] != ""
        if args[1] in ("-a", "-o"):
            pass
        else:
            raise _TestError(f"{args[1]}: binary operator expected")
    if n == 4 and args[0] == "!":
        return not evaluate_test(args[1:], files)
    parser = _Expr(args, files)
    value = parser.or_()
    if parser.i < len(args):
        raise _TestError("too many arguments")
    return value


class _Expr:
    def __init__(self, args: list[str], files: _FileView) -> None:
        self.args = args
        self.i = 0
        self.files = files

    def peek(self) -> str | None:
        return self.args[self.i] if self.i < len(self.args) else None

    def or_(self) -> bool:
        v = self.and_()
        while self.peek() == "-o":
            self.i += 1
            r = self.and_()
            v = v or r
        return v

    def and_(self) -> bool:
        v = self.not_()
        while self.peek() == "-a":
            self.i += 1
            r = self.not_()
            v = v and r
        return v

    def not_(self) -> bool:
        if self.peek() == "!":
            self.i += 1
            return not self.not_()
        return self.primary()

    def primary(self) -> bool:
        a = self.peek()
        if a is None:
            raise _TestError("argument expected")
        if a == "(":
            self.i += 1
            v = self.or_()
            if self.peek() != ")":
                raise _TestError("`)' expected")
            self.i += 1
            return v
        if a in _UNARY and self.i + 1 < len(self.args):
            self.i += 2
            return self.files.unary(a, self.args[self.i - 1])
        if self.i + 2 < len(self.args) + 0 and self.args[self.i + 1] in _BINARY:
            self.i += 3
            return _binary(self.args[self.i - 2], a, self.args[self.i - 1], self.files)
        self.i += 1
        return a != ""


def test_cmd(ctx: CommandContext) -> int:
    args = list(ctx.argv[1:])
    name = ctx.argv[0]
    st = getattr(ctx, "shell", None)
    prefix = st.prefix() if st is not None else ""
    if name == "[":
        if not args or args[-1] != "]":
            ctx.err(f"{prefix}[: missing `]'\n" if (st is None or st.flavour == "bash") else f"{prefix}[: missing ]\n")
            return 2
        args = args[:-1]
    files = _FileView(ctx.host.fs, ctx.cwd, ctx.env.get("HOME", "/"))
    try:
        return 0 if evaluate_test(args, files) else 1
    except _TestError as e:
        if st is not None and st.flavour == "dash":
            msg = e.message.replace(": integer expression expected", "").strip()
            ctx.err(f"{prefix}{name}: Illegal number: {msg}\n" if "integer" in e.message else f"{prefix}{name}: {e.message}\n")
        else:
            ctx.err(f"{prefix}{name}: {e.message}\n")
        return 2


# ---------------------------------------------------------------------------------------------
# [[ ]]


def eval_dbracket(interp: Interpreter, st: ShellState, tokens: list, io: IO) -> int:
    from sandbox.shell.expand import expand_pattern, expand_str, match_pattern
    from sandbox.shell.nodes import Word

    files = _FileView(st.host.fs, st.cwd, st.home)
    pos = 0

    def word_at(i: int) -> Word | None:
        return tokens[i] if i < len(tokens) and isinstance(tokens[i], Word) else None

    def text(i: int) -> str:
        return expand_str(interp, st, tokens[i])

    def raw(i: int) -> str | None:
        w = word_at(i)
        return w.literal() if w is not None else None

    def or_() -> bool:
        nonlocal pos
        v = and_()
        while pos < len(tokens) and tokens[pos] == "||":
            pos += 1
            r = and_()
            v = v or r
        return v

    def and_() -> bool:
        nonlocal pos
        v = not_()
        while pos < len(tokens) and tokens[pos] == "&&":
            pos += 1
            r = not_()
            v = v and r
        return v

    def not_() -> bool:
        nonlocal pos
        if pos < len(tokens) and raw(pos) == "!":
            pos += 1
            return not not_()
        return primary()

    def primary() -> bool:
        nonlocal pos
        if pos >= len(tokens):
            raise _TestError("syntax error in conditional expression")
        tok = tokens[pos]
        if tok == "(":
            pos += 1
            v = or_()
            if pos >= len(tokens) or tokens[pos] != ")":
                raise _TestError("syntax error in conditional expression")
            pos += 1
            return v
        if isinstance(tok, str):
            raise _TestError(f"syntax error in conditional expression: unexpected token `{tok}'")
        op = raw(pos)
        if op in _UNARY and word_at(pos + 1) is not None and raw(pos + 2) not in _BINARY | {"=~"}:
            pos += 2
            return files.unary(op, text(pos - 1))
        nxt = raw(pos + 1)
        if nxt in _BINARY or nxt == "=~":
            left = text(pos)
            if word_at(pos + 2) is None:
                raise _TestError(f"unexpected argument `{nxt}' to conditional binary operator")
            if nxt in ("==", "=", "!="):
                pattern = expand_pattern(interp, st, tokens[pos + 2])
                pos += 3
                matched = match_pattern(pattern, left)
                return matched if nxt != "!=" else not matched
            if nxt == "=~":
                regex = text(pos + 2)
                pos += 3
                try:
                    m = re.search(regex, left)
                except re.error:
                    return False
                if m:
                    st.vars["BASH_REMATCH"] = m.group(0)
                return m is not None
            right = text(pos + 2)
            pos += 3
            if nxt in ("-eq", "-ne", "-lt", "-le", "-gt", "-ge"):
                from sandbox.shell.expand import arith

                a, b = arith(interp, st, left or "0"), arith(interp, st, right or "0")
                return {"-eq": a == b, "-ne": a != b, "-lt": a < b, "-le": a <= b, "-gt": a > b, "-ge": a >= b}[nxt]
            return _binary(nxt, left, right, files)
        value = text(pos)
        pos += 1
        return value != ""

    try:
        result = or_()
        if pos < len(tokens):
            bad = tokens[pos] if isinstance(tokens[pos], str) else tokens[pos].raw
            raise _TestError(f"syntax error in conditional expression: unexpected token `{bad}'")
    except _TestError as e:
        io.err.write(f"{st.prefix()}{e.message}\n")
        return 2
    return 0 if result else 1
