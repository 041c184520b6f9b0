"""Shell arithmetic (``$(( ))``, ``(( ))``, ``let``): 64-bit integers, C operators, bash's errors."""

from __future__ import annotations

import re
from collections.abc import Callable

_TOKEN = re.compile(
    r"\s*(?:(0[xX][0-9A-Fa-f]+|\d+#[0-9A-Za-z@_]+|\d+)|([A-Za-z_][A-Za-z0-9_]*(?:\[[^\]]*\])?)|"
    r"(\*\*=|<<=|>>=|\+\+|--|\*\*|<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%&|^]=|[-+*/%<>&|^!~?:=(),]))"
)

_BINARY = {
    ",": 0, "=": 1, "*=": 1, "/=": 1, "%=": 1, "+=": 1, "-=": 1, "<<=": 1, ">>=": 1, "&=": 1, "^=": 1, "|=": 1,
    "?": 2, "||": 3, "&&": 4, "|": 5, "^": 6, "&": 7, "==": 8, "!=": 8, "<": 9, ">": 9, "<=": 9, ">=": 9,
    "<<": 10, ">>": 10, "+": 11, "-": 11, "*": 12, "/": 12, "%": 12, "**": 13,
}


class ArithError(Exception):
    """``str(err)`` is bash's message after ``bash: <expr>: `` (e.g. "division by 0 (error token is "0")")."""

    def __init__(self, expr: str, message: str) -> None:
        super().__init__(f"{expr}: {message}")
        self.expr = expr
        self.message = message


def _wrap(n: int) -> int:
    n &= (1 << 64) - 1
    return n - (1 << 64) if n >= 1 << 63 else n


class _Eval:
    def __init__(self, text: str, get: Callable[[str], str], set_: Callable[[str, str], None], depth: int):
        self.text = text
        self.get = get
        self.set = set_
        self.depth = depth
        self.tokens: list[tuple[str, str]] = []
        pos = 0
        stripped = text.rstrip()
        while pos < len(stripped):
            m = _TOKEN.match(stripped, pos)
            if not m or m.end() == pos:
                rest = stripped[pos:].strip()
                raise ArithError(text.lstrip(), f'syntax error: operand expected (error token is "{rest}")'
                                 if pos == 0 or not self.tokens else
                                 f'syntax error: invalid arithmetic operator (error token is "{rest}")')
            if m.group(1):
                self.tokens.append(("num", m.group(1)))
            elif m.group(2):
                self.tokens.append(("var", m.group(2)))
            else:
                self.tokens.append(("op", m.group(3)))
            pos = m.end()
        self.i = 0

    def rest(self) -> str:
        return " ".join(v for _, v in self.tokens[self.i:])

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def run(self) -> int:
        if not self.tokens:
            return 0
        value = self.expr(0)
        if self.i < len(self.tokens):
            raise ArithError(self.text.lstrip(), f'syntax error in expression (error token is "{self.rest()}")')
        return value[0]

    # value = (int, lvalue-name-or-None)
    def expr(self, min_prec: int) -> tuple[int, str | None]:
        left = self.unary()
        while True:
            tok = self.peek()
            if tok is None or tok[0] != "op" or tok[1] not in _BINARY:
                return left
            op = tok[1]
            prec = _BINARY[op]
            if prec < min_prec:
                return left
            self.i += 1
            if op == "?":
                t = self.expr(0)
                nxt = self.peek()
                if nxt != ("op", ":"):
                    raise ArithError(self.text.lstrip(), f"`:' expected for conditional expression (error token is \"{self.rest()}\")")
                self.i += 1
                f = self.expr(2)
                left = (t[0] if left[0] else f[0], None)
                continue
            if prec == 1:  # assignment, right associative
                if left[1] is None:
                    raise ArithError(self.text.lstrip(), f'attempted assignment to non-variable (error token is "{op} {self.rest()}")')
                right = self.expr(1)
                value = right[0] if op == "=" else self.apply(op[:-1], left[0], right[0])
                self.set(left[1], str(value))
                left = (value, None)
                continue
            if op in ("&&", "||"):
                right = self.expr(prec + 1)
                left = (int(bool(left[0]) and bool(right[0])) if op == "&&" else int(bool(left[0]) or bool(right[0])), None)
                continue
            right = self.expr(prec if op == "**" else prec + 1)
            left = (self.apply(op, left[0], right[0]), None)

    def apply(self, op: str, a: int, b: int) -> int:
        if op in ("/", "%") and b == 0:
            raise ArithError(self.text.lstrip(), f'division by 0 (error token is "{self.last_operand()}")')
        if op == "/":
            q = abs(a) // abs(b)
            return _wrap(q if (a >= 0) == (b >= 0) else -q)
        if op == "%":
            r = abs(a) % abs(b)
            return r if a >= 0 else -r
        if op == "**":
            if b < 0:
                raise ArithError(self.text.lstrip(), f'exponent less than 0 (error token is "{self.last_operand()}")')
            return _wrap(pow(a, b, 1 << 64))
        return _wrap({
            "+": lambda: a + b, "-": lambda: a - b, "*": lambda: a * b, "<<": lambda: a << (b & 63),
            ">>": lambda: a >> (b & 63), "&": lambda: a & b, "|": lambda: a | b, "^": lambda: a ^ b,
            "==": lambda: int(a == b), "!=": lambda: int(a != b), "<": lambda: int(a < b), ">": lambda: int(a > b),
            "<=": lambda: int(a <= b), ">=": lambda: int(a >= b), ",": lambda: b,
        }[op]())

    def last_operand(self) -> str:
        return self.tokens[self.i - 1][1] if self.i else ""

    def unary(self) -> tuple[int, str | None]:
        tok = self.peek()
        if tok is None:
            raise ArithError(self.text.lstrip(), 'syntax error: operand expected (error token is "")' if not self.tokens
                             else f'syntax error: operand expected (error token is "{self.tokens[-1][1]} ")')
        kind, val = tok
        if kind == "op":
            if val in ("+", "-", "!", "~"):
                self.i += 1
                v = self.unary()[0]
                return ({"+": v, "-": _wrap(-v), "!": int(not v), "~": ~v}[val], None)
            if val in ("++", "--"):
                self.i += 1
                nt = self.peek()
                if nt is None or nt[0] != "var":
                    raise ArithError(self.text.lstrip(), f'syntax error: operand expected (error token is "{self.rest()}")')
                self.i += 1
                v = self.var(nt[1]) + (1 if val == "++" else -1)
                self.set(nt[1], str(v))
                return (v, None)
            if val == "(":
                self.i += 1
                v = self.expr(0)
                if self.peek() != ("op", ")"):
                    raise ArithError(self.text.lstrip(), f'missing `)\' (error token is "{self.rest()}")')
                self.i += 1
                return (v[0], None)
            raise ArithError(self.text.lstrip(), f'syntax error: operand expected (error token is "{self.rest()}")')
        self.i += 1
        if kind == "num":
            return (self.number(val), None)
        nt = self.peek()
        if nt in (("op", "++"), ("op", "--")):
            self.i += 1
            v = self.var(val)
            self.set(val, str(v + (1 if nt[1] == "++" else -1)))
            return (v, None)
        if nt is not None and nt[0] == "op" and nt[1] == "=":
            return (0, val)  # plain assignment: the old value is never evaluated
        return (self.var(val), val)

    def number(self, val: str) -> int:
        try:
            if val.lower().startswith("0x"):
                return _wrap(int(val, 16))
            if "#" in val:
                base, digits = val.split("#", 1)
                return _wrap(int(digits, int(base)))
            if len(val) > 1 and val.startswith("0"):
                return _wrap(int(val, 8))
            return _wrap(int(val))
        except ValueError:
            raise ArithError(self.text.lstrip(), f'value too great for base (error token is "{val}")') from None

    def var(self, name: str) -> int:
        raw = self.get(name).strip()
        if not raw:
            return 0
        if self.depth > 20:
            raise ArithError(self.text.lstrip(), f"expression recursion level exceeded (error token is \"{name}\")")
        return evaluate(raw, self.get, self.set, self.depth + 1)


def evaluate(text: str, get: Callable[[str], str], set_: Callable[[str, str], None], depth: int = 0) -> int:
    """Evaluate ``text``; variables are read with ``get`` (unset -> "") and written with ``set_``."""
    return _Eval(text, get, set_, depth).run()
