"""text/template's lexer: items with positions and lines, trim markers, comments, Go's error texts."""

from __future__ import annotations

from dataclasses import dataclass

from ..gofmt import quote


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
