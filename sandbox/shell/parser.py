"""Shell text -> syntax tree: a hand-written lexer and recursive-descent parser (POSIX sh + bash bits).

The lexer is pulled by the parser one token at a time so that heredoc bodies are read right after
the newline that ends their command, and ``$( ... )`` is parsed by a nested parser over the same
text (which is how bash finds the closing parenthesis). Input that stops in the middle of a
construct raises ``Incomplete`` (the UI then asks for more lines); wrong input raises
``ShellSyntaxError`` carrying the offending token, formatted per shell flavour by ``format_error``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sandbox.shell.nodes import (
    AndOr,
    Arith,
    ArithCmd,
    ArithFor,
    Assign,
    Case,
    CmdSub,
    DBracket,
    DQuote,
    For,
    FuncDef,
    Group,
    HereDoc,
    If,
    Item,
    Lit,
    Param,
    Pipeline,
    Program,
    Redirect,
    Simple,
    While,
    Word,
)

RESERVED = frozenset("if then else elif fi do done case esac while until for in { } ! [[ ]] function".split())
_STOP_WORDS = frozenset("then else elif fi do done esac } in".split())
_META = frozenset(" \t\n;&|<>()")
_REGEX_META = frozenset(" \t\n")
_OPERATORS = sorted(
    ["&&", "||", ";;&", ";;", ";&", "|&", "&>>", "&>", ">>", ">|", ">&", "<<<", "<<-", "<<", "<&", "<>",
     ">", "<", "|", "&", ";", "(", ")"],
    key=len,
    reverse=True,
)
_REDIR_OPS = frozenset(["&>>", "&>", ">>", ">|", ">&", "<<<", "<<-", "<<", "<&", "<>", ">", "<"])
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ASSIGN = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(\+?)=")
_SPECIAL_PARAMS = "@*#?$!-0"
_FUNC_NAME = re.compile(r"[A-Za-z_][\w.:-]*")
_PAREN_AHEAD = re.compile(r"[ \t]*\(")


class ShellSyntaxError(Exception):
    """``token`` is the unexpected token's text ("newline", "EOF" allowed); ``expecting`` the awaited word."""

    def __init__(self, token: str, expecting: str | None = None, line: int = 1, message: str | None = None):
        super().__init__(message or token)
        self.token = token
        self.expecting = expecting
        self.line = line
        self.message = message


class Incomplete(ShellSyntaxError):
    """The text ends inside a construct: an open quote (``quote``) or a compound (``expecting``)."""

    def __init__(self, *, quote: str | None = None, expecting: str | None = None, line: int = 1,
                 heredoc: str | None = None) -> None:
        super().__init__("EOF", expecting, line)
        self.quote = quote
        self.heredoc = heredoc


def format_error(err: ShellSyntaxError, flavour: str, name: str, *, interactive: bool = True,
                 mode: str = "-c", text: str = "") -> str:
    """The exact complaint of each shell (bash 5.2, dash, busybox ash), newline-terminated.

    ``mode`` is how a non-interactive bash got its text ("-c" string or a script file); ``text`` is
    that text (bash quotes the offending line and counts the end-of-file line from it).
    """
    if err.message is not None and not isinstance(err, Incomplete):
        prefix = f"{name}: " if flavour != "dash" else f"{name}: {err.line}: "
        return f"{prefix}{err.message}\n"
    if flavour == "dash":
        if isinstance(err, Incomplete):
            if err.quote:
                return f"{name}: {err.line}: Syntax error: Unterminated quoted string\n"
            exp = f' (expecting "{err.expecting}")' if err.expecting else ""
            return f"{name}: {err.line}: Syntax error: end of file unexpected{exp}\n"
        tok = "newline" if err.token == "newline" else f'"{err.token}"'
        exp = f' (expecting "{err.expecting}")' if err.expecting else ""
        return f"{name}: {err.line}: Syntax error: {tok} unexpected{exp}\n"
    if flavour in ("busybox", "ash"):
        if isinstance(err, Incomplete):
            if err.quote:
                return f"{name}: syntax error: unterminated quoted string\n"
            exp = f' (expecting "{err.expecting}")' if err.expecting else ""
            return f"{name}: syntax error: unexpected end of file{exp}\n"
        tok = "newline" if err.token == "newline" else f'"{err.token}"'
        exp = f' (expecting "{err.expecting}")' if err.expecting else ""
        return f"{name}: syntax error: unexpected {tok}{exp}\n"
    # bash (and zsh, approximated by bash's wording)
    if interactive:
        if isinstance(err, Incomplete):
            if err.quote:
                return f"{name}: unexpected EOF while looking for matching `{err.quote}'\n"
            return f"{name}: syntax error: unexpected end of file\n"
        return f"{name}: syntax error near unexpected token `{err.token}'\n"
    where = f"{name}: -c: " if mode == "-c" else f"{name}: "
    if isinstance(err, Incomplete):
        if err.quote:
            return f"{where}line {err.line}: unexpected EOF while looking for matching `{err.quote}'\n"
        last = text.count("\n") + (1 if text.endswith("\n") else 2)
        return f"{where}line {last}: syntax error: unexpected end of file\n"
    lines = text.split("\n")
    quoted = lines[err.line - 1] if 0 < err.line <= len(lines) else ""
    return (f"{where}line {err.line}: syntax error near unexpected token `{err.token}'\n"
            f"{where}line {err.line}: `{quoted}'\n")


@dataclass
class Token:
    kind: str  # WORD OP NL EOF
    value: str
    word: Word | None = None
    fd: int | None = None
    pos: int = 0
    line: int = 1


# =============================================================================================
# lexer


class Lexer:
    def __init__(self, src: str, pos: int = 0, line: int = 1, *, eof_heredoc_ok: bool = False) -> None:
        self.src = src
        self.pos = pos
        self.line = line
        self.pending: list[HereDoc] = []
        self.peeked: Token | None = None
        self.eof_heredoc_ok = eof_heredoc_ok
        self.warnings: list[str] = []
        self.dbracket = False

    # -- token stream --------------------------------------------------------------------------
    def peek(self) -> Token:
        if self.peeked is None:
            self.peeked = self._lex()
        return self.peeked

    def next(self) -> Token:
        tok = self.peek()
        self.peeked = None
        return tok

    def _lex(self) -> Token:
        src = self.src
        while True:
            while self.pos < len(src) and src[self.pos] in " \t":
                self.pos += 1
            if src.startswith("\\\n", self.pos):
                self.pos += 2
                self.line += 1
                if self.pos >= len(src) and not self.eof_heredoc_ok:
                    raise Incomplete(line=self.line)
                continue
            if self.pos < len(src) and src[self.pos] == "#":
                while self.pos < len(src) and src[self.pos] != "\n":
                    self.pos += 1
                continue
            break
        start = self.pos
        if self.pos >= len(src):
            if self.pending:
                self._eof_heredocs()
            return Token("EOF", "EOF", pos=start, line=self.line)
        c = src[self.pos]
        if c == "\n":
            self.pos += 1
            tok = Token("NL", "newline", pos=start, line=self.line)
            self.line += 1
            if self.pending:
                self._read_heredocs()
            return tok
        if self.dbracket and c in "<>" and not src.startswith("<<", self.pos):
            self.pos += 1
            return Token("WORD", c, word=Word([Lit(c)], c), pos=start, line=self.line)
        for op in _OPERATORS:
            if src.startswith(op, self.pos):
                self.pos += len(op)
                return Token("OP", op, pos=start, line=self.line)
        word = self.read_word()
        if (word.raw.isdigit() and self.pos < len(src) and src[self.pos] in "<>"
                and len(word.raw) < 10):
            for op in _OPERATORS:
                if op in _REDIR_OPS and not op.startswith("&") and src.startswith(op, self.pos):
                    self.pos += len(op)
                    return Token("OP", op, fd=int(word.raw), pos=start, line=self.line)
        return Token("WORD", word.raw, word=word, pos=start, line=self.line)

    # -- heredocs ------------------------------------------------------------------------------
    def _read_heredocs(self) -> None:
        pending, self.pending = self.pending, []
        for doc in pending:
            lines: list[str] = []
            found = False
            while self.pos < len(self.src):
                end = self.src.find("\n", self.pos)
                if end < 0:
                    raw_line, nxt = self.src[self.pos:], len(self.src)
                else:
                    raw_line, nxt = self.src[self.pos:end], end + 1
                self.pos = nxt
                self.line += 1
                check = raw_line.lstrip("\t") if doc.strip_tabs else raw_line
                if check == doc.delimiter:
                    found = True
                    break
                lines.append(check + "\n")
            if not found:
                if not self.eof_heredoc_ok:
                    raise Incomplete(heredoc=doc.delimiter, line=self.line)
                self.warnings.append(
                    f"warning: here-document at line {self.line - len(lines) - 1} delimited by "
                    f"end-of-file (wanted `{doc.delimiter}')"
                )
            text = "".join(lines)
            doc.body = Word([Lit(text, True)], text) if doc.quoted else _heredoc_word(text, self.line)

    def _eof_heredocs(self) -> None:
        if not self.eof_heredoc_ok:
            raise Incomplete(heredoc=self.pending[0].delimiter, line=self.line)
        for doc in self.pending:
            self.warnings.append(
                f"warning: here-document at line {self.line} delimited by end-of-file (wanted `{doc.delimiter}')"
            )
            doc.body = Word([Lit("", True)], "")
        self.pending = []

    # -- words ---------------------------------------------------------------------------------
    def read_word(self, meta: frozenset[str] = _META) -> Word:
        src = self.src
        start = self.pos
        parts: list = []
        buf: list[str] = []

        def flush() -> None:
            if buf:
                parts.append(Lit("".join(buf)))
                buf.clear()

        while self.pos < len(src):
            c = src[self.pos]
            if c in meta:
                break
            if c == "\\":
                if self.pos + 1 >= len(src):
                    if not self.eof_heredoc_ok:
                        raise Incomplete(line=self.line)
                    buf.append("\\")
                    self.pos += 1
                    continue
                nxt = src[self.pos + 1]
                self.pos += 2
                if nxt == "\n":
                    self.line += 1
                    if self.pos >= len(src) and not self.eof_heredoc_ok:
                        raise Incomplete(line=self.line)
                    continue
                flush()
                parts.append(Lit(nxt, True))
                continue
            if c == "'":
                flush()
                end = src.find("'", self.pos + 1)
                if end < 0:
                    raise Incomplete(quote="'", line=self.line)
                text = src[self.pos + 1:end]
                self.line += text.count("\n")
                parts.append(Lit(text, True))
                self.pos = end + 1
                continue
            if c == '"':
                flush()
                self.pos += 1
                parts.append(DQuote(self._read_dquote()))
                continue
            if c == "$":
                if src.startswith("$'", self.pos):
                    flush()
                    parts.append(Lit(self._read_ansi_c(), True))
                    continue
                if src.startswith('$"', self.pos):
                    flush()
                    self.pos += 2
                    parts.append(DQuote(self._read_dquote()))
                    continue
                part = self._read_dollar()
                if isinstance(part, str):
                    buf.append(part)
                else:
                    flush()
                    parts.append(part)
                continue
            if c == "`":
                flush()
                parts.append(self._read_backtick())
                continue
            buf.append(c)
            self.pos += 1
        flush()
        return Word(parts, src[start:self.pos])

    def read_regex_word(self) -> Word:
        """The right side of ``=~``: parentheses and ``|`` are part of the regex, not operators."""
        while self.pos < len(self.src) and self.src[self.pos] in " \t":
            self.pos += 1
        return self.read_word(meta=_REGEX_META)

    def _read_dquote(self) -> list:
        """Parts of a double-quoted string; ``self.pos`` is just after the opening quote."""
        src = self.src
        parts: list = []
        buf: list[str] = []
        open_line = self.line
        while True:
            if self.pos >= len(src):
                raise Incomplete(quote='"', line=open_line)
            c = src[self.pos]
            if c == '"':
                self.pos += 1
                break
            if c == "\\" and self.pos + 1 < len(src) and src[self.pos + 1] in '$`"\\\n':
                nxt = src[self.pos + 1]
                self.pos += 2
                if nxt == "\n":
                    self.line += 1
                else:
                    buf.append(nxt)
                continue
            if c == "$":
                part = self._read_dollar(in_dquote=True)
                if isinstance(part, str):
                    buf.append(part)
                else:
                    if buf:
                        parts.append(Lit("".join(buf), True))
                        buf.clear()
                    parts.append(part)
                continue
            if c == "`":
                if buf:
                    parts.append(Lit("".join(buf), True))
                    buf.clear()
                parts.append(self._read_backtick(in_dquote=True))
                continue
            if c == "\n":
                self.line += 1
            buf.append(c)
            self.pos += 1
        if buf or not parts:
            parts.append(Lit("".join(buf), True))
        return parts

    def _read_ansi_c(self) -> str:
        src = self.src
        self.pos += 2
        out: list[str] = []
        simple = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "e": "\x1b", "E": "\x1b",
                  "f": "\f", "v": "\v", "\\": "\\", "'": "'", '"': '"', "?": "?"}
        while True:
            if self.pos >= len(src):
                raise Incomplete(quote="'", line=self.line)
            c = src[self.pos]
            if c == "'":
                self.pos += 1
                return "".join(out)
            if c == "\\" and self.pos + 1 < len(src):
                n = src[self.pos + 1]
                if n in simple:
                    out.append(simple[n])
                    self.pos += 2
                    continue
                m = re.match(r"x([0-9A-Fa-f]{1,2})|([0-7]{1,3})|u([0-9A-Fa-f]{1,4})", src[self.pos + 1:])
                if m:
                    val = m.group(1) or m.group(3)
                    out.append(chr(int(val, 16)) if val else chr(int(m.group(2), 8) & 0xFF))
                    self.pos += 1 + m.end()
                    continue
                out.append(c)
                self.pos += 1
                continue
            out.append(c)
            self.pos += 1

    def _read_backtick(self, in_dquote: bool = False) -> CmdSub:
        src = self.src
        start = self.pos
        self.pos += 1
        buf: list[str] = []
        while True:
            if self.pos >= len(src):
                raise Incomplete(quote="`", line=self.line)
            c = src[self.pos]
            if c == "`":
                self.pos += 1
                break
            if c == "\\" and self.pos + 1 < len(src):
                n = src[self.pos + 1]
                if n in "$`\\" or (in_dquote and n == '"'):
                    buf.append(n)
                    self.pos += 2
                    continue
            if c == "\n":
                self.line += 1
            buf.append(c)
            self.pos += 1
        inner = "".join(buf)
        body = Parser(inner, eof_heredoc_ok=True).parse_all()
        return CmdSub(body, src[start:self.pos])

    def _read_dollar(self, in_dquote: bool = False):
        """After ``$``: an expansion part, or the plain string "$" when nothing follows."""
        src = self.src
        start = self.pos
        nxt = src[self.pos + 1] if self.pos + 1 < len(src) else ""
        if nxt == "{":
            end = _scan_braces(src, self.pos + 2)
            if end < 0:
                raise Incomplete(quote="}", line=self.line)
            inner = src[self.pos + 2:end]
            self.line += inner.count("\n")
            self.pos = end + 1
            return _parse_brace(inner, src[start:self.pos])
        if nxt == "(":
            if src.startswith("((", self.pos + 1):
                end = _scan_arith(src, self.pos + 3)
                if end >= 0:
                    inner = src[self.pos + 3:end]
                    self.pos = end + 2
                    return Arith(_arith_word(inner), src[start:self.pos])
            sub = Parser(src, self.pos + 2, self.line)
            body = sub.parse_until_paren()
            self.pos = sub.lex.pos
            self.line = sub.lex.line
            return CmdSub(body, src[start:self.pos])
        if nxt and (nxt.isalpha() or nxt == "_"):
            m = _NAME.match(src, self.pos + 1)
            assert m is not None
            self.pos = m.end()
            return Param(m.group(0), raw=src[start:self.pos])
        if nxt and (nxt.isdigit() or nxt in _SPECIAL_PARAMS):
            self.pos += 2
            return Param(nxt, raw=src[start:self.pos])
        self.pos += 1
        return "$"


def _scan_braces(src: str, pos: int) -> int:
    """Index of the ``}`` closing a ``${`` whose body starts at ``pos`` (-1 if none)."""
    depth = 1
    i = pos
    while i < len(src):
        c = src[i]
        if c == "\\":
            i += 2
            continue
        if c == "'" and depth >= 1:
            end = src.find("'", i + 1)
            if end < 0:
                return -1
            i = end + 1
            continue
        if c == '"':
            j = i + 1
            while j < len(src) and src[j] != '"':
                j += 2 if src[j] == "\\" else 1
            if j >= len(src):
                return -1
            i = j + 1
            continue
        if src.startswith("${", i):
            depth += 1
            i += 2
            continue
        if c == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def _scan_arith(src: str, pos: int) -> int:
    """Index of the ``))`` closing ``$((``; -1 when the parentheses do not balance that way."""
    depth = 0
    i = pos
    while i < len(src):
        c = src[i]
        if c == "(":
            depth += 1
        elif c == ")":
            if depth == 0:
                return i if src.startswith("))", i) else -1
            depth -= 1
        i += 1
    return -1


def _sub_word(text: str, *, dquote: bool = False) -> Word:
    """Parse a fragment (a ``${x:-...}`` argument, arithmetic text) into word parts."""
    lex = Lexer(text + "\0")
    parts: list = []
    buf: list[str] = []
    while lex.pos < len(text):
        c = text[lex.pos]
        if c == "\\" and lex.pos + 1 < len(text):
            if buf:
                parts.append(Lit("".join(buf), dquote))
                buf = []
            parts.append(Lit(text[lex.pos + 1], True))
            lex.pos += 2
            continue
        if c == "'" and not dquote:
            end = text.find("'", lex.pos + 1)
            if end < 0:
                end = len(text)
            if buf:
                parts.append(Lit("".join(buf)))
                buf = []
            parts.append(Lit(text[lex.pos + 1:end], True))
            lex.pos = end + 1
            continue
        if c == '"' and not dquote:
            if buf:
                parts.append(Lit("".join(buf)))
                buf = []
            lex.pos += 1
            lex.src = text
            parts.append(DQuote(lex._read_dquote()))
            continue
        if c in "$`":
            lex.src = text
            part = lex._read_dollar(in_dquote=dquote) if c == "$" else lex._read_backtick(dquote)
            if isinstance(part, str):
                buf.append(part)
            else:
                if buf:
                    parts.append(Lit("".join(buf), dquote))
                    buf = []
                parts.append(part)
            continue
        buf.append(c)
        lex.pos += 1
    if buf:
        parts.append(Lit("".join(buf), dquote))
    return Word(parts, text)


def _arith_word(text: str) -> Word:
    return _sub_word(text, dquote=True)


def _heredoc_word(text: str, line: int) -> Word:
    """An unquoted heredoc body: ``$`` and backticks expand, ``\\`` escapes only ``$ ` \\`` and newline."""
    parts: list = []
    buf: list[str] = []
    lex = Lexer(text, line=line)
    while lex.pos < len(text):
        c = text[lex.pos]
        if c == "\\" and lex.pos + 1 < len(text) and text[lex.pos + 1] in "$`\\\n":
            if text[lex.pos + 1] != "\n":
                buf.append(text[lex.pos + 1])
            lex.pos += 2
            continue
        if c in "$`":
            part = lex._read_dollar(in_dquote=True) if c == "$" else lex._read_backtick(True)
            if isinstance(part, str):
                buf.append(part)
            else:
                if buf:
                    parts.append(Lit("".join(buf), True))
                    buf = []
                parts.append(part)
            continue
        buf.append(c)
        lex.pos += 1
    if buf:
        parts.append(Lit("".join(buf), True))
    return Word([DQuote(parts)] if parts else [Lit("", True)], text)


_BRACE_OPS = [":-", ":=", ":+", ":?", "-", "=", "+", "?", "##", "#", "%%", "%", "//", "/#", "/%", "/",
              "^^", "^", ",,", ",", ":"]


def _parse_brace(inner: str, raw: str) -> Param:
    if inner.startswith("#") and len(inner) > 1:
        name = inner[1:]
        if _NAME.fullmatch(name) or name.isdigit() or (len(name) == 1 and name in "@*"):
            return Param(name, "len", raw=raw)
        return Param(inner, "bad", raw=raw)
    m = _NAME.match(inner)
    if m:
        name = m.group(0)
    elif inner[:1].isdigit():
        name = re.match(r"\d+", inner).group(0)  # type: ignore[union-attr]
    elif inner[:1] and inner[0] in _SPECIAL_PARAMS:
        name = inner[0]
    else:
        return Param(inner, "bad", raw=raw)
    rest = inner[len(name):]
    if not rest:
        return Param(name, raw=raw)
    for op in _BRACE_OPS:
        if rest.startswith(op):
            arg = rest[len(op):]
            if op in ("/", "//", "/#", "/%"):
                idx = _unescaped_index(arg, "/")
                pat, rep = (arg, None) if idx < 0 else (arg[:idx], arg[idx + 1:])
                return Param(name, op, _sub_word(pat), _sub_word(rep) if rep is not None else None, raw=raw)
            if op == ":":
                idx = _unescaped_index(arg, ":")
                off, length = (arg, None) if idx < 0 else (arg[:idx], arg[idx + 1:])
                return Param(name, op, _arith_word(off), _arith_word(length) if length is not None else None,
                             raw=raw)
            return Param(name, op, _sub_word(arg), raw=raw)
    return Param(inner, "bad", raw=raw)


def _unescaped_index(text: str, ch: str) -> int:
    i = 0
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == ch:
            return i
        i += 1
    return -1


# =============================================================================================
# parser


class Parser:
    def __init__(self, src: str, pos: int = 0, line: int = 1, *, eof_heredoc_ok: bool = False) -> None:
        self.lex = Lexer(src, pos, line, eof_heredoc_ok=eof_heredoc_ok)
        self.depth = 0

    # -- entry points ----------------------------------------------------------------------------
    def parse_all(self) -> Program:
        """The whole text as one program (for ``sh -c``, ``$( )`` bodies, ``eval``, ``source``)."""
        items: list[Item] = []
        while True:
            prog = self.parse_next()
            if prog is None:
                break
            items.extend(prog.items)
        return Program(items)

    def parse_next(self) -> Program | None:
        """The next complete command (up to a newline), or None at the end of the text."""
        self._skip_newlines()
        if self.lex.peek().kind == "EOF":
            return None
        items = self._list_items(top=True)
        tok = self.lex.peek()
        if tok.kind == "NL":
            self.lex.next()
        elif tok.kind != "EOF":
            raise ShellSyntaxError(tok.value, line=tok.line)
        return Program(items)

    def parse_until_paren(self) -> Program:
        """The body of ``$( ... )``: up to and including the matching ``)``."""
        self._skip_newlines()
        items: list[Item] = []
        if not self._at_op(")"):
            items = self._compound_list({")"}, allow_empty=True)
        tok = self.lex.next()
        if tok.kind == "EOF":
            raise Incomplete(quote=")", line=tok.line)
        if tok.value != ")" or tok.kind != "OP":
            raise ShellSyntaxError(tok.value, line=tok.line)
        return Program(items)

    # -- helpers ---------------------------------------------------------------------------------
    def _skip_newlines(self) -> None:
        while self.lex.peek().kind == "NL":
            self.lex.next()

    def _at_op(self, op: str) -> bool:
        tok = self.lex.peek()
        return tok.kind == "OP" and tok.value == op

    def _at_word(self, word: str) -> bool:
        tok = self.lex.peek()
        return tok.kind == "WORD" and tok.word is not None and tok.word.literal() == word

    def _expect_word(self, word: str, expecting: str | None = None) -> None:
        tok = self.lex.next()
        if tok.kind == "WORD" and tok.word is not None and tok.word.literal() == word:
            return
        if tok.kind == "EOF":
            raise Incomplete(expecting=expecting or word, line=tok.line)
        raise ShellSyntaxError(tok.value, expecting or word, tok.line)

    # -- lists -----------------------------------------------------------------------------------
    def _list_items(self, top: bool = False) -> list[Item]:
        """and_or ((';'|'&') and_or)* on one line (top level: a newline ends the command)."""
        items: list[Item] = []
        while True:
            ao = self._and_or()
            tok = self.lex.peek()
            if tok.kind == "OP" and tok.value in (";", "&"):
                self.lex.next()
                items.append(Item(ao, tok.value == "&"))
                nxt = self.lex.peek()
                if nxt.kind in ("NL", "EOF"):
                    return items
                if nxt.kind == "OP" and nxt.value in (")", ";;", ";&", ";;&"):
                    return items
                if nxt.kind == "WORD" and nxt.word is not None and nxt.word.literal() in _STOP_WORDS:
                    return items
                continue
            items.append(Item(ao))
            return items

    def _compound_list(self, stops: set[str], allow_empty: bool = False, expecting: str | None = None) -> list[Item]:
        """Commands over several lines until one of ``stops`` (reserved words or ")")."""
        items: list[Item] = []
        self._skip_newlines()
        while True:
            tok = self.lex.peek()
            if tok.kind == "EOF":
                raise Incomplete(expecting=expecting or _first(stops), line=tok.line)
            if self._is_stop(tok, stops):
                break
            items.extend(self._list_items())
            tok = self.lex.peek()
            if tok.kind == "NL":
                self._skip_newlines()
                continue
            if tok.kind == "EOF":
                raise Incomplete(expecting=expecting or _first(stops), line=tok.line)
            if self._is_stop(tok, stops):
                break
            raise ShellSyntaxError(tok.value, line=tok.line)
        if not items and not allow_empty:
            tok = self.lex.peek()
            raise ShellSyntaxError(tok.value, line=tok.line)
        return items

    @staticmethod
    def _is_stop(tok: Token, stops: set[str]) -> bool:
        if tok.kind == "OP":
            return tok.value in stops
        if tok.kind == "WORD" and tok.word is not None:
            return tok.word.literal() in stops
        return False

    def _and_or(self) -> AndOr:
        first = self._pipeline()
        rest: list[tuple[str, Pipeline]] = []
        while self._at_op("&&") or self._at_op("||"):
            op = self.lex.next().value
            self._skip_newlines()
            if self.lex.peek().kind == "EOF":
                raise Incomplete(line=self.lex.line)
            rest.append((op, self._pipeline()))
        return AndOr(first, rest)

    def _pipeline(self) -> Pipeline:
        negate = False
        while self._at_word("!"):
            self.lex.next()
            negate = not negate
        cmds = [self._command()]
        while self._at_op("|") or self._at_op("|&"):
            op = self.lex.next().value
            if op == "|&":
                cmds[-1] = _with_stderr_to_pipe(cmds[-1])
            self._skip_newlines()
            if self.lex.peek().kind == "EOF":
                raise Incomplete(line=self.lex.line)
            cmds.append(self._command())
        return Pipeline(cmds, negate)

    # -- commands --------------------------------------------------------------------------------
    def _command(self):
        self.depth += 1
        if self.depth > 200:
            raise ShellSyntaxError("(", message="maximum nesting depth exceeded")
        try:
            return self._command_inner()
        finally:
            self.depth -= 1

    def _command_inner(self):
        tok = self.lex.peek()
        if tok.kind == "EOF":
            raise Incomplete(line=tok.line)
        if tok.kind == "NL":
            raise ShellSyntaxError("newline", line=tok.line)
        if tok.kind == "OP":
            if tok.value == "(":
                src = self.lex.src
                if src.startswith("((", tok.pos):
                    end = _scan_arith(src, tok.pos + 2)
                    if end >= 0:
                        self.lex.peeked = None
                        self.lex.pos = end + 2
                        return ArithCmd(_arith_word(src[tok.pos + 2:end]), self._redirs())
                self.lex.next()
                body = self._compound_list({")"}, expecting=")")
                self.lex.next()
                return Group(Program(body), True, self._redirs())
            if tok.value in _REDIR_OPS:
                return self._simple()
            raise ShellSyntaxError(tok.value, line=tok.line)
        word = tok.word.literal() if tok.word is not None else None
        if word in ("if", "while", "until", "for", "case", "{", "[[", "function"):
            return getattr(self, "_" + {"{": "brace", "[[": "dbracket"}.get(word, word))()
        if word in _STOP_WORDS or word in ("]]",):
            raise ShellSyntaxError(word, line=tok.line)
        # function definition: name ( )
        if word and _FUNC_NAME.fullmatch(word):
            if _PAREN_AHEAD.match(self.lex.src, self.lex.pos):
                self.lex.next()
                self.lex.next()  # (
                if not self._at_op(")"):
                    t = self.lex.peek()
                    raise ShellSyntaxError(t.value, line=t.line)
                self.lex.next()
                return self._funcbody(word or "")
        return self._simple()

    def _funcbody(self, name: str) -> FuncDef:
        self._skip_newlines()
        tok = self.lex.peek()
        if tok.kind == "EOF":
            raise Incomplete(line=tok.line)
        body = self._command()
        if not isinstance(body, Group | If | For | While | Case | DBracket | ArithCmd | ArithFor):
            raise ShellSyntaxError(tok.value, line=tok.line)
        return FuncDef(name, body)

    def _function(self) -> FuncDef:
        self.lex.next()
        tok = self.lex.next()
        if tok.kind != "WORD":
            if tok.kind == "EOF":
                raise Incomplete(line=tok.line)
            raise ShellSyntaxError(tok.value, line=tok.line)
        if self._at_op("("):
            self.lex.next()
            if not self._at_op(")"):
                t = self.lex.peek()
                raise ShellSyntaxError(t.value, line=t.line)
            self.lex.next()
        return self._funcbody(tok.value)

    def _redirs(self) -> list[Redirect]:
        out: list[Redirect] = []
        while True:
            tok = self.lex.peek()
            if tok.kind == "OP" and tok.value in _REDIR_OPS:
                out.append(self._redirect())
            else:
                return out

    def _redirect(self) -> Redirect:
        tok = self.lex.next()
        target = self.lex.peek()
        if target.kind != "WORD":
            if target.kind == "EOF":
                raise ShellSyntaxError("newline", line=target.line)
            raise ShellSyntaxError(target.value, line=target.line)
        self.lex.next()
        assert target.word is not None
        if tok.value in ("<<", "<<-"):
            quoted = any(not (isinstance(p, Lit) and not p.quoted) for p in target.word.parts)
            delim = _unquote(target.word)
            doc = HereDoc(delim, quoted, tok.value == "<<-")
            self.lex.pending.append(doc)
            return Redirect(tok.fd, tok.value, doc)
        return Redirect(tok.fd, tok.value, target.word)

    def _simple(self) -> Simple:
        cmd = Simple(line=self.lex.peek().line)
        while True:
            tok = self.lex.peek()
            if tok.kind == "OP" and tok.value in _REDIR_OPS:
                cmd.redirs.append(self._redirect())
                continue
            if tok.kind != "WORD":
                break
            assert tok.word is not None
            if not cmd.words:
                m = _ASSIGN.match(tok.value)
                first = tok.word.parts[0] if tok.word.parts else None
                if m and isinstance(first, Lit) and not first.quoted and first.text.startswith(m.group(0)):
                    self.lex.next()
                    rest = Lit(first.text[m.end():])
                    parts = ([rest] if rest.text else []) + tok.word.parts[1:]
                    if not parts and self.lex.src.startswith("(", self.lex.pos):
                        # array assignment a=(x y): keep the words, joined by spaces
                        self.lex.next()
                        words = []
                        while not self._at_op(")"):
                            t = self.lex.next()
                            if t.kind == "EOF":
                                raise Incomplete(quote=")", line=t.line)
                            if t.kind == "WORD":
                                words.append(t.value)
                        self.lex.next()
                        parts = [Lit(" ".join(words))]
                    cmd.assigns.append(Assign(m.group(1), Word(parts, tok.value[m.end():]), m.group(2) == "+"))
                    continue
            self.lex.next()
            cmd.words.append(tok.word)
        if not cmd.words and not cmd.assigns and not cmd.redirs:
            tok = self.lex.peek()
            if tok.kind == "EOF":
                raise Incomplete(line=tok.line)
            raise ShellSyntaxError(tok.value, line=tok.line)
        if self._at_op("(") and cmd.words:
            tok = self.lex.peek()
            raise ShellSyntaxError("(", line=tok.line)
        return cmd

    # -- compound commands -----------------------------------------------------------------------
    def _if(self) -> If:
        self.lex.next()
        branches = []
        cond = self._compound_list({"then"}, expecting="then")
        self._expect_word("then")
        body = self._compound_list({"elif", "else", "fi"}, expecting="fi")
        branches.append((Program(cond), Program(body)))
        orelse = None
        while True:
            tok = self.lex.next()
            w = tok.word.literal() if tok.word else None
            if w == "elif":
                cond = self._compound_list({"then"}, expecting="then")
                self._expect_word("then")
                body = self._compound_list({"elif", "else", "fi"}, expecting="fi")
                branches.append((Program(cond), Program(body)))
                continue
            if w == "else":
                orelse = Program(self._compound_list({"fi"}, expecting="fi"))
                self._expect_word("fi")
            break
        return If(branches, orelse, self._redirs())

    def _while(self, until: bool = False) -> While:
        self.lex.next()
        cond = self._compound_list({"do"}, expecting="do")
        self._expect_word("do")
        body = self._compound_list({"done"}, expecting="done")
        self._expect_word("done")
        return While(Program(cond), Program(body), until, self._redirs())

    def _until(self) -> While:
        return self._while(until=True)

    def _for(self):
        self.lex.next()
        if self._at_op("(") and self.lex.src.startswith("((", self.lex.peek().pos):
            tok = self.lex.peek()
            end = _scan_arith(self.lex.src, tok.pos + 2)
            if end < 0:
                raise Incomplete(quote=")", line=tok.line)
            self.lex.peeked = None
            inner = self.lex.src[tok.pos + 2:end]
            self.lex.pos = end + 2
            pieces = inner.split(";")
            if len(pieces) != 3:
                raise ShellSyntaxError("((", line=tok.line, message="syntax error: arithmetic expression required")
            if self._at_op(";"):
                self.lex.next()
            self._skip_newlines()
            body = self._do_group()
            return ArithFor(pieces[0], pieces[1], pieces[2], body, self._redirs())
        tok = self.lex.next()
        if tok.kind != "WORD" or not _NAME.fullmatch(tok.value):
            if tok.kind == "EOF":
                raise Incomplete(line=tok.line)
            raise ShellSyntaxError(tok.value, line=tok.line) if tok.kind != "WORD" else ShellSyntaxError(
                tok.value, line=tok.line, message=f"`{tok.value}': not a valid identifier")
        var = tok.value
        words: list[Word] | None = None
        self._skip_newlines()
        if self._at_word("in"):
            self.lex.next()
            words = []
            while self.lex.peek().kind == "WORD":
                w = self.lex.next().word
                assert w is not None
                words.append(w)
            t = self.lex.peek()
            if t.kind == "OP" and t.value == ";":
                self.lex.next()
            elif t.kind == "NL":
                pass
            elif t.kind == "EOF":
                raise Incomplete(expecting="do", line=t.line)
            else:
                raise ShellSyntaxError(t.value, line=t.line)
        elif self._at_op(";"):
            self.lex.next()
        self._skip_newlines()
        body = self._do_group()
        return For(var, words, body, self._redirs())

    def _do_group(self) -> Program:
        tok = self.lex.peek()
        if tok.kind == "EOF":
            raise Incomplete(expecting="do", line=tok.line)
        if self._at_word("{"):
            g = self._brace()
            return g.body
        self._expect_word("do")
        body = self._compound_list({"done"}, expecting="done")
        self._expect_word("done")
        return Program(body)

    def _brace(self) -> Group:
        self.lex.next()
        body = self._compound_list({"}"}, expecting="}")
        self._expect_word("}")
        return Group(Program(body), False, self._redirs())

    def _case(self) -> Case:
        self.lex.next()
        tok = self.lex.next()
        if tok.kind != "WORD":
            if tok.kind == "EOF":
                raise Incomplete(expecting="in", line=tok.line)
            raise ShellSyntaxError(tok.value, line=tok.line)
        assert tok.word is not None
        word = tok.word
        self._skip_newlines()
        self._expect_word("in")
        items: list[tuple[list[Word], Program, str]] = []
        while True:
            self._skip_newlines()
            t = self.lex.peek()
            if t.kind == "EOF":
                raise Incomplete(expecting="esac", line=t.line)
            if self._at_word("esac"):
                self.lex.next()
                break
            if self._at_op("("):
                self.lex.next()
            patterns: list[Word] = []
            while True:
                t = self.lex.next()
                if t.kind == "EOF":
                    raise Incomplete(expecting="esac", line=t.line)
                if t.kind != "WORD":
                    raise ShellSyntaxError(t.value, line=t.line)
                assert t.word is not None
                patterns.append(t.word)
                t = self.lex.next()
                if t.kind == "OP" and t.value == "|":
                    continue
                if t.kind == "OP" and t.value == ")":
                    break
                if t.kind == "EOF":
                    raise Incomplete(expecting="esac", line=t.line)
                raise ShellSyntaxError(t.value, line=t.line)
            self._skip_newlines()
            body: list[Item] = []
            if not (self._at_op(";;") or self._at_op(";&") or self._at_op(";;&") or self._at_word("esac")):
                body = self._compound_list({";;", ";&", ";;&", "esac"}, allow_empty=True, expecting="esac")
            t = self.lex.peek()
            term = ";;"
            if t.kind == "OP" and t.value in (";;", ";&", ";;&"):
                self.lex.next()
                term = t.value
            items.append((patterns, Program(body), term))
        return Case(word, items, self._redirs())

    def _dbracket(self) -> DBracket:
        self.lex.next()
        tokens: list = []
        self.lex.dbracket = True
        try:
            while True:
                tok = self.lex.peek()
                if tok.kind == "EOF":
                    raise Incomplete(line=tok.line)
                if tok.kind == "WORD" and tok.word is not None and tok.word.literal() == "]]":
                    self.lex.next()
                    break
                if tok.kind == "NL":
                    raise ShellSyntaxError("newline", line=tok.line)
                self.lex.next()
                if tok.kind == "OP":
                    if tok.value in ("&&", "||", "(", ")"):
                        tokens.append(tok.value)
                        continue
                    raise ShellSyntaxError(tok.value, line=tok.line)
                tokens.append(tok.word)
                if tok.word is not None and tok.word.literal() == "=~":
                    tokens.append(self.lex.read_regex_word())
        finally:
            self.lex.dbracket = False
        if not tokens:
            raise ShellSyntaxError("]]", line=self.lex.line)
        return DBracket(tokens, self._redirs())


def _first(stops: set[str]) -> str:
    for w in ("done", "fi", "esac", "}", ")", "then", "do"):
        if w in stops:
            return w
    return sorted(stops)[0]


def _unquote(word: Word) -> str:
    out = []
    for p in word.parts:
        if isinstance(p, Lit):
            out.append(p.text)
        elif isinstance(p, DQuote):
            out.extend(q.text if isinstance(q, Lit) else getattr(q, "raw", "") for q in p.parts)
        else:
            out.append(getattr(p, "raw", ""))
    return "".join(out)


def _with_stderr_to_pipe(cmd):
    redir = Redirect(2, ">&", Word([Lit("1")], "1"))
    if hasattr(cmd, "redirs"):
        cmd.redirs.append(redir)
    return cmd


def needs_more(text: str) -> bool:
    """True when ``text`` stops inside a construct (the UI shows a continuation prompt)."""
    try:
        Parser(text).parse_all()
    except Incomplete:
        return True
    except ShellSyntaxError:
        return False
    except RecursionError:
        return False
    return False


def parse(text: str) -> Program:
    return Parser(text, eof_heredoc_ok=True).parse_all()
