"""Shell text -> tokens and words. Words keep their quoting; ``$( )`` bodies are parsed by a nested
parser over the same text (which is how bash finds the closing parenthesis); heredoc bodies are read right
after the newline that ends their command. Text that stops inside a construct raises ``Incomplete``."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sandbox.shell.nodes import Arith, CmdSub, DQuote, HereDoc, Lit, Param, ProcSub, Word

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
_ASSIGN = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(\[[^\]]*\])?(\+?)=")
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
        if src.startswith("<(", self.pos):
            sub = _parser()(src, self.pos + 2, self.line)
            body = sub.parse_until_paren()
            self.pos = sub.lex.pos
            self.line = sub.lex.line
            raw = src[start:self.pos]
            rest = self.read_word() if self.pos < len(src) and src[self.pos] not in _META else Word([], "")
            return Token("WORD", raw + rest.raw, word=Word([ProcSub(body, raw)] + rest.parts, raw + rest.raw),
                         pos=start, line=self.line)
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
        body = _parser()(inner, eof_heredoc_ok=True).parse_all()
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
            sub = _parser()(src, self.pos + 2, self.line)
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
        m = re.fullmatch(r"([A-Za-z_]\w*)\[([^\]]*)\]", name)
        if m:
            return Param(m.group(1), "len", raw=raw, index=_arith_word(m.group(2)))
        return Param(inner, "bad", raw=raw)
    m = re.match(r"([A-Za-z_]\w*)\[([^\]]*)\]", inner)
    if m:
        rest = inner[m.end():]
        param = _parse_brace(m.group(1) + rest, raw) if rest else Param(m.group(1), raw=raw)
        param.index = _arith_word(m.group(2))
        return param
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


def _parser():
    """The parser class (imported late: the parser imports this module)."""
    from sandbox.shell.parser import Parser

    return Parser
