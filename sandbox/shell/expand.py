"""Word expansion in bash's order: tilde, parameters, command substitution, arithmetic, field
splitting, pathname expansion (globbing against the host's virtual files), quote removal.

Expansions produce *chunks* ``(text, quoted, splittable)``; only unquoted results of expansions are
split on IFS and only unquoted text globs, which is what makes ``"$x"`` and ``$x`` differ.
"""

from __future__ import annotations

import posixpath
import re
from functools import lru_cache
from typing import TYPE_CHECKING

from sandbox.shell.arith import ArithError, evaluate
from sandbox.shell.nodes import Arith, CmdSub, DQuote, Lit, Param, ProcSub, Word

if TYPE_CHECKING:  # pragma: no cover
    from sandbox.shell.interp import Interpreter, ShellState


class ExpansionError(Exception):
    """A failed expansion (``bad substitution``, ``unbound variable``, arithmetic): the command fails.

    ``message`` is the text after the shell name; ``status`` the exit code (1, or 127 for none).
    """

    def __init__(self, message: str, status: int = 1, *, fatal: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.fatal = fatal  # a non-interactive shell exits (127): unbound variable, ${x:?}


_BREAK = object()  # field separator produced by "$@"
_GLOB_CHARS = re.compile(r"[*?\[]")


def expand_words(sh: Interpreter, st: ShellState, words: list[Word]) -> list[str]:
    out: list[str] = []
    for w in words:
        out.extend(expand_word(sh, st, w))
    return out


def expand_word(sh: Interpreter, st: ShellState, word: Word, *, glob: bool = True) -> list[str]:
    """One word -> zero or more fields (bash first applies brace expansion: ``{a,b}``, ``{1..3}``)."""
    if st.flavour in ("bash", "zsh") and any(isinstance(p, Lit) and not p.quoted and "{" in p.text
                                             for p in word.parts):
        alternatives = brace_expand(word.parts)
        if len(alternatives) > 1:
            out: list[str] = []
            for parts in alternatives:
                out.extend(_expand_one(sh, st, Word(parts, word.raw), glob))
            return out
    return _expand_one(sh, st, word, glob)


def brace_expand(parts: list) -> list[list]:
    """Brace expansion over word parts: only unquoted literal braces count."""
    items: list = []
    for p in parts:
        if isinstance(p, Lit) and not p.quoted:
            items.extend(("c", ch) for ch in p.text)
        else:
            items.append(("p", p))
    results = [_rebuild(x) for x in _brace_items(items, 0)]
    return results


def _rebuild(items: list) -> list:
    parts: list = []
    buf: list[str] = []
    for kind, v in items:
        if kind == "c":
            buf.append(v)
        else:
            if buf:
                parts.append(Lit("".join(buf)))
                buf = []
            parts.append(v)
    if buf:
        parts.append(Lit("".join(buf)))
    return parts


def _brace_items(items: list, depth: int) -> list[list]:
    if depth > 20:
        return [items]
    for start, (kind, v) in enumerate(items):
        if kind != "c" or v != "{":
            continue
        level = 0
        commas: list[int] = []
        for k in range(start, len(items)):
            kk, vv = items[k]
            if kk != "c":
                continue
            if vv == "{":
                level += 1
            elif vv == "}":
                level -= 1
                if level == 0:
                    end = k
                    break
            elif vv == "," and level == 1:
                commas.append(k)
        else:
            return [items]
        prefix, body, suffix = items[:start], items[start + 1:end], items[end + 1:]
        if commas:
            bounds = [start] + commas + [end]
            alts = [items[bounds[i] + 1:bounds[i + 1]] for i in range(len(bounds) - 1)]
        else:
            seq = _sequence(body)
            if seq is None:
                rest = _brace_items(suffix, depth + 1)
                return [items[:end + 1] + r for r in rest]
            alts = [[("c", ch) for ch in x] for x in seq]
        out: list[list] = []
        for alt in alts:
            for expanded in _brace_items(prefix + alt + suffix, depth + 1):
                out.append(expanded)
            if len(out) > 10000:
                break
        return out
    return [items]


def _sequence(body: list) -> list[str] | None:
    if any(kind != "c" for kind, _ in body):
        return None
    text = "".join(v for _, v in body)
    m = re.fullmatch(r"(-?\d+)\.\.(-?\d+)(?:\.\.(-?\d+))?", text)
    if m:
        a, b = int(m.group(1)), int(m.group(2))
        step = abs(int(m.group(3))) if m.group(3) else 1
        step = step or 1
        width = max(len(m.group(1)), len(m.group(2))) if (m.group(1).lstrip("-").startswith("0") and
                                                           len(m.group(1).lstrip("-")) > 1) else 0
        rng = range(a, b + 1, step) if a <= b else range(a, b - 1, -step)
        return [str(x).zfill(width) if width else str(x) for x in list(rng)[:10000]]
    m = re.fullmatch(r"([A-Za-z])\.\.([A-Za-z])", text)
    if m:
        a, b = ord(m.group(1)), ord(m.group(2))
        return [chr(x) for x in (range(a, b + 1) if a <= b else range(a, b - 1, -1))]
    return None


def _expand_one(sh: Interpreter, st: ShellState, word: Word, glob: bool) -> list[str]:
    chunks = _parts(sh, st, word.parts, in_dquote=False, first=True)
    fields = _split(chunks, st.get("IFS", " \t\n") if st.is_set("IFS") else " \t\n")
    out: list[str] = []
    for pieces in fields:
        if glob and "f" not in st.options and any(not q and _GLOB_CHARS.search(t) for t, q in pieces):
            matches = glob_paths(sh, st, _pattern(pieces))
            if matches:
                out.extend(matches)
                continue
        out.append("".join(t for t, _ in pieces))
    return out


def expand_str(sh: Interpreter, st: ShellState, word: Word) -> str:
    """One word -> one string, no splitting or globbing (assignments, here-docs, case words)."""
    chunks = _parts(sh, st, word.parts, in_dquote=False, first=True)
    return "".join(c[0] if c is not _BREAK else " " for c in chunks)


def expand_pattern(sh: Interpreter, st: ShellState, word: Word) -> str:
    """One word -> a glob pattern where quoted characters are escaped (case, [[ ==, ${x#pat})."""
    chunks = _parts(sh, st, word.parts, in_dquote=False, first=True)
    out = []
    for c in chunks:
        if c is _BREAK:
            out.append(" ")
            continue
        text, quoted, _ = c
        out.append(_escape_glob(text) if quoted else text)
    return "".join(out)


def _escape_glob(text: str) -> str:
    return re.sub(r"([*?\[\]\\])", r"\\\1", text)


def _pattern(pieces: list[tuple[str, bool]]) -> str:
    return "".join(_escape_glob(t) if q else t for t, q in pieces)


# ---------------------------------------------------------------------------------------------
# parts -> chunks


def _parts(sh: Interpreter, st: ShellState, parts: list, *, in_dquote: bool, first: bool = False) -> list:
    chunks: list = []
    for i, p in enumerate(parts):
        if isinstance(p, Lit):
            text = p.text
            if not p.quoted and not in_dquote and first and i == 0 and text.startswith("~"):
                text = _tilde(st, text)
            chunks.append((text, p.quoted or in_dquote, False))
        elif isinstance(p, DQuote):
            only = p.parts[0] if len(p.parts) == 1 and isinstance(p.parts[0], Param) else None
            if only is not None and only.op is None and only.index is not None and only.index.raw == "@":
                for j, a in enumerate(_array_values(st, only.name)):
                    if j:
                        chunks.append(_BREAK)
                    chunks.append((a, True, False))
                continue
            if len(p.parts) == 1 and isinstance(p.parts[0], Param) and p.parts[0].name == "@" and \
                    p.parts[0].op is None:
                args = st.positional
                for j, a in enumerate(args):
                    if j:
                        chunks.append(_BREAK)
                    chunks.append((a, True, False))
                continue
            inner = _parts(sh, st, p.parts, in_dquote=True)
            chunks.append(("", True, False))
            chunks.extend(inner)
        elif isinstance(p, Param):
            if p.index is not None and p.op is None and p.index.raw in ("@", "*"):
                values = _array_values(st, p.name)
                if in_dquote and p.index.raw == "@":
                    for j, a in enumerate(values):
                        if j:
                            chunks.append(_BREAK)
                        chunks.append((a, True, False))
                    if not values:
                        chunks.append(("", False, False))
                    continue
                sep = (st.get("IFS", " ")[:1] if st.is_set("IFS") else " ") if in_dquote else " "
                chunks.append((sep.join(values), in_dquote, not in_dquote))
                continue
            if p.name == "@" and in_dquote and p.op is None:
                for j, a in enumerate(st.positional):
                    if j:
                        chunks.append(_BREAK)
                    chunks.append((a, True, False))
                continue
            value = param_value(sh, st, p, in_dquote)
            chunks.append((value, in_dquote, not in_dquote))
        elif isinstance(p, CmdSub):
            value = sh.command_substitution(st, p.body)
            chunks.append((value, in_dquote, not in_dquote))
        elif isinstance(p, ProcSub):
            chunks.append((sh.process_substitution(st, p.body), True, False))
        elif isinstance(p, Arith):
            value = str(arith(sh, st, expand_str(sh, st, p.expr), p.raw))
            chunks.append((value, in_dquote, not in_dquote))
        else:  # pragma: no cover - parser produces nothing else
            chunks.append((str(p), True, False))
    return chunks


def _tilde(st: ShellState, text: str) -> str:
    head, sep, rest = text.partition("/")
    if head == "~":
        return st.get("HOME", "/") + sep + rest
    if head == "~+":
        return st.cwd + sep + rest
    if head == "~-":
        return st.get("OLDPWD", "~-") + sep + rest
    if head == "~" + st.user:
        return st.home + sep + rest
    if head == "~root":
        return "/root" + sep + rest
    return text


def _split(chunks: list, ifs: str) -> list[list[tuple[str, bool]]]:
    ws = "".join(c for c in ifs if c in " \t\n")
    other = "".join(c for c in ifs if c not in " \t\n")
    fields: list[list[tuple[str, bool]]] = []
    cur: list[tuple[str, bool]] = []
    started = False
    for c in chunks:
        if c is _BREAK:
            fields.append(cur)
            cur, started = [], False
            continue
        text, quoted, splittable = c
        if not splittable or not ifs:
            if text or quoted:
                cur.append((text, quoted))
                started = True
            continue
        buf: list[str] = []
        for ch in text:
            if ch in ws:
                if buf:
                    cur.append(("".join(buf), True))
                    buf = []
                    started = True
                if started:
                    fields.append(cur)
                    cur, started = [], False
            elif ch in other:
                if buf:
                    cur.append(("".join(buf), True))
                    buf = []
                fields.append(cur)
                cur, started = [], False
            else:
                buf.append(ch)
        if buf:
            # results of expansions are not re-scanned for quotes, but they do glob
            cur.append(("".join(buf), False))
            started = True
    if started:
        fields.append(cur)
    return fields


# ---------------------------------------------------------------------------------------------
# parameters


_BASH_ONLY_OPS = frozenset({":", "/", "//", "/#", "/%", "^^", "^", ",,", ","})


def param_value(sh: Interpreter, st: ShellState, p: Param, in_dquote: bool = False) -> str:
    name, op = p.name, p.op
    if st.flavour == "dash" and (op == "bad" or op in _BASH_ONLY_OPS):
        raise ExpansionError("Bad substitution", 2)
    if op == "bad":
        raise ExpansionError(f"{p.raw}: bad substitution")
    if op == "len":
        if p.index is not None and p.index.raw in ("@", "*"):
            return str(len(_array_values(st, name)))
        if p.index is not None:
            return str(len(_element(sh, st, p) or ""))
        if name in ("@", "*"):
            return str(len(st.positional))
        return str(len(_lookup(st, name) or ""))
    value = _element(sh, st, p) if p.index is not None else _lookup(st, name)
    if op is None:
        if value is None and "u" in st.options and name not in ("@", "*"):
            if st.flavour == "dash":
                raise ExpansionError(f"{name}: parameter not set", 2)
            raise ExpansionError(f"{name}: unbound variable", fatal=True)
        return value or ""
    colon = op.startswith(":") and op != ":"
    missing = value is None or (colon and value == "")
    base = op.lstrip(":") if op != ":" else ":"
    if base == "-":
        return expand_str(sh, st, p.arg) if missing and p.arg else ("" if missing else value or "")
    if base == "=":
        if missing:
            new = expand_str(sh, st, p.arg) if p.arg else ""
            if not re.fullmatch(r"[A-Za-z_]\w*", name):
                raise ExpansionError(f"${name}: cannot assign in this way")
            st.set(name, new)
            return new
        return value or ""
    if base == "+":
        return "" if missing else (expand_str(sh, st, p.arg) if p.arg else "")
    if base == "?":
        if missing:
            msg = expand_str(sh, st, p.arg) if p.arg and p.arg.parts else (
                "parameter null or not set" if colon else "parameter not set")
            raise ExpansionError(f"{name}: {msg}", 2 if st.flavour == "dash" else 1, fatal=st.flavour != "dash")
        return value or ""
    value = value or ""
    if op == ":":
        off = arith(sh, st, expand_str(sh, st, p.arg), p.raw) if p.arg else 0
        if off < 0:
            off = max(0, len(value) + off)
        if p.arg2 is None:
            return value[off:]
        length = arith(sh, st, expand_str(sh, st, p.arg2), p.raw)
        if length < 0:
            end = len(value) + length
            if end < off:
                raise ExpansionError(f"{p.arg2.raw}: substring expression < 0")
            return value[off:end]
        return value[off:off + length]
    if op in ("#", "##", "%", "%%"):
        pat = expand_pattern(sh, st, p.arg) if p.arg else ""
        rx = _glob_regex(pat)
        n = len(value)
        if op == "#":
            rng = range(0, n + 1)
        elif op == "##":
            rng = range(n, -1, -1)
        elif op == "%":
            rng = range(n, -1, -1)
        else:
            rng = range(0, n + 1)
        for k in rng:
            if op.startswith("#"):
                if rx.fullmatch(value[:k]):
                    return value[k:]
            elif rx.fullmatch(value[k:]):
                return value[:k]
        return value
    if op in ("/", "//", "/#", "/%"):
        pat = expand_pattern(sh, st, p.arg) if p.arg else ""
        rep = expand_str(sh, st, p.arg2) if p.arg2 is not None else ""
        if not pat:
            return value
        body = _glob_regex(pat, anchored=False).pattern
        if op == "/#":
            rx = re.compile("^(?:" + body + ")", re.S)
        elif op == "/%":
            rx = re.compile("(?:" + body + ")$", re.S)
        else:
            rx = re.compile(body, re.S)
        return rx.sub(lambda _m: rep, value, count=0 if op == "//" else 1)
    if op == "^^":
        return value.upper()
    if op == "^":
        return value[:1].upper() + value[1:]
    if op == ",,":
        return value.lower()
    if op == ",":
        return value[:1].lower() + value[1:]
    raise ExpansionError(f"{p.raw}: bad substitution")


def _array_values(st: ShellState, name: str) -> list[str]:
    arr = st.arrays.get(name)
    if arr is not None:
        return [arr[k] for k in sorted(arr)]
    value = st.vars.get(name)
    return [] if value is None else [value]


def _element(sh: Interpreter, st: ShellState, p: Param) -> str | None:
    """``${a[i]}``: the element (negative indexes count from the end); a scalar is element 0."""
    assert p.index is not None
    if p.index.raw in ("@", "*"):
        return " ".join(_array_values(st, p.name))
    i = arith(sh, st, expand_str(sh, st, p.index))
    arr = st.arrays.get(p.name)
    if arr is None:
        return st.vars.get(p.name) if i == 0 else None
    if i < 0:
        keys = sorted(arr)
        if not keys or -i > keys[-1] + 1:
            raise ExpansionError(f"{p.name}: bad array subscript")
        i = keys[-1] + 1 + i
    return arr.get(i)


def _lookup(st: ShellState, name: str) -> str | None:
    if name.isdigit():
        idx = int(name)
        if idx == 0:
            return st.argv0
        return st.positional[idx - 1] if idx <= len(st.positional) else None
    if name in ("@", "*"):
        return " ".join(st.positional) if name == "@" else (st.get("IFS", " ")[:1] or "").join(st.positional)
    if name == "#":
        return str(len(st.positional))
    if name == "?":
        return str(st.status)
    if name == "$":
        return str(st.pid)
    if name == "!":
        return st.last_bg or ""
    if name == "-":
        return "".join(sorted(o for o in st.options if len(o) == 1)) + ("i" if st.interactive else "")
    return st.get_dynamic(name)


def arith(sh: Interpreter, st: ShellState, text: str, raw: str = "") -> int:
    if st.flavour == "dash" and ("**" in text or "++" in text or "--" in text or not text.strip()):
        raise ExpansionError(f'arithmetic expression: expecting primary: "{text}"', 2)
    def get(name: str) -> str:
        if "[" in name:
            base, _, idx = name[:-1].partition("[")
            return _element(sh, st, Param(base, index=Word([Lit(idx, True)], idx))) or ""
        return st.get_dynamic(name) or ""

    def put(name: str, value: str) -> None:
        if "[" in name:
            base, _, idx = name[:-1].partition("[")
            current = dict(st.arrays.get(base, {}))
            if not current and base in st.vars:
                current = {0: st.vars[base]}
            current[evaluate(idx, get, put)] = value
            st.set_array(base, current)
        else:
            st.set(name, value)

    try:
        return evaluate(text, get, put)
    except ArithError as e:
        if st.flavour == "dash":
            what = "division by zero" if "division by 0" in e.message else "expecting primary"
            raise ExpansionError(f'arithmetic expression: {what}: "{text}"', 2) from None
        raise ExpansionError(str(e)) from None
    except RecursionError:
        raise ExpansionError(f"{text}: expression recursion level exceeded") from None


# ---------------------------------------------------------------------------------------------
# patterns and globbing


@lru_cache(maxsize=512)
def _glob_regex(pattern: str, anchored: bool = True) -> re.Pattern[str]:
    """Shell pattern -> regex: ``*``, ``?``, ``[...]`` (``!``/``^`` negate), ``\\x`` literal."""
    out: list[str] = []
    i = 0
    n = len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\" and i + 1 < n:
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        if c == "*":
            out.append(".*")
        elif c == "?":
            out.append(".")
        elif c == "[":
            j = i + 1
            if j < n and pattern[j] in "!^":
                j += 1
            if j < n and pattern[j] == "]":
                j += 1
            while j < n and pattern[j] != "]":
                j += 1
            if j >= n:
                out.append(re.escape(c))
            else:
                body = pattern[i + 1:j]
                neg = body[:1] in ("!", "^")
                if neg:
                    body = body[1:]
                body = re.sub(r"\[:(\w+):\]", lambda m: _CLASSES.get(m.group(1), ""), body)
                body = body.replace("\\", "\\\\") if "[:" not in pattern[i:j] else body
                body = body.replace("[", "\\[").replace("&", "\\&").replace("~", "\\~").replace("|", "\\|")
                body = body.replace("--", "-\\-")
                out.append("[" + ("^" if neg else "") + body + "]")
                i = j
        else:
            out.append(re.escape(c))
        i += 1
    try:
        return re.compile("".join(out), re.S)
    except re.error:  # an invalid range ([z-a]) matches only itself, as in bash
        return re.compile(re.escape(pattern), re.S)


_CLASSES = {"alpha": "a-zA-Z", "digit": "0-9", "alnum": "a-zA-Z0-9", "upper": "A-Z", "lower": "a-z",
            "space": r" \t\n\r\f\v", "xdigit": "0-9A-Fa-f", "punct": r"!-/:-@\[-`{-~"}


def match_pattern(pattern: str, text: str) -> bool:
    try:
        return _glob_regex(pattern).fullmatch(text) is not None
    except re.error:
        return pattern == text


def glob_paths(sh: Interpreter, st: ShellState, pattern: str) -> list[str]:
    """Paths on the host matching ``pattern`` (sorted; dot files only with a leading dot)."""
    fs = st.host.fs
    absolute = pattern.startswith("/")
    comps = [c for c in pattern.split("/") if c]
    bases = ["/"] if absolute else [""]
    for idx, comp in enumerate(comps):
        nxt: list[str] = []
        last = idx == len(comps) - 1
        has_magic = _GLOB_CHARS.search(comp) is not None
        for base in bases:
            real = fs.resolve(base or ".", st.cwd)
            if not has_magic:
                literal = re.sub(r"\\(.)", r"\1", comp)
                cand = posixpath.join(base, literal) if base else literal
                if fs.exists(fs.resolve(cand, st.cwd)):
                    nxt.append(cand)
                continue
            if not fs.is_dir(real):
                continue
            rx = _glob_regex(comp)
            for name in fs.listdir(real):
                if name.startswith(".") and not comp.startswith("."):
                    continue
                if rx.fullmatch(name):
                    cand = posixpath.join(base, name) if base else name
                    if not last and not fs.is_dir(fs.resolve(cand, st.cwd)):
                        continue
                    nxt.append(cand)
        bases = nxt
        if not bases:
            return []
    if pattern.endswith("/"):
        bases = [b + "/" for b in bases]
    return sorted(bases)
