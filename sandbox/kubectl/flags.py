"""pflag semantics: flag definitions, typed values and the exact parse errors kubectl prints.

Flag sets are derived from the real help texts (``data/help``), so every flag the real kubectl
accepts is accepted here, and everything else fails with pflag's own message.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field

# Flags whose help default "[]" means stringArray (no comma splitting) rather than stringSlice.
STRING_ARRAY = {"env", "from-literal", "from-file", "from-env-file", "overrides-array", "as-group",
                "as-user-extra", "annotation", "filename-array", "rule", "hard", "resource", "user", "group",
                "serviceaccount", "docker-server-array"}
# Non-bool flags that may be given bare (pflag NoOptDefVal), as kubectl sets them up.
NO_OPT_DEFAULTS = {"dry-run": "unchanged", "cascade": "background", "validate": "strict"}


class FlagError(Exception):
    """A pflag parse error; rendered as ``error: <msg>`` + ``See '<path> --help' for usage.``"""


class HelpRequested(Exception):  # noqa: N818 - mirrors pflag.ErrHelp
    """``-h``/``--help`` was given."""


@dataclass(frozen=True)
class FlagDef:
    name: str
    shorthand: str = ""
    kind: str = "string"  # bool | string | int | float | duration | stringSlice | stringArray
    default: str = ""

    @property
    def no_opt_default(self) -> str:
        return "true" if self.kind == "bool" else NO_OPT_DEFAULTS.get(self.name, "")

    def display(self) -> str:
        return f"-{self.shorthand}, --{self.name}" if self.shorthand else f"--{self.name}"


_OPTION = re.compile(r"^    (?:-(\w), )?--([A-Za-z0-9-]+)=(.*):$")
_INT = re.compile(r"^-?\d+$")
_DURATION = re.compile(r"^(\d+(h|m|s|ms))+$")


def _kind(name: str, default: str) -> str:
    if default in ("true", "false"):
        return "bool"
    if default.startswith("["):
        return "stringArray" if name in STRING_ARRAY else "stringSlice"
    if _INT.match(default):
        return "int"
    if _DURATION.match(default):
        return "duration"
    return "string"


def _default_value(kind: str, text: str) -> object:
    if kind == "bool":
        return text == "true"
    if kind == "int":
        return int(text)
    if kind in ("stringSlice", "stringArray"):
        inner = text[1:-1]
        return [p for p in inner.split(",") if p] if inner else []
    if kind == "duration":
        return parse_duration(text)
    if text.startswith("'") and text.endswith("'") and len(text) >= 2:
        return text[1:-1]
    return text


def parse_help_options(text: str) -> list[FlagDef]:
    """Every ``    -x, --name=default:`` entry of an ``Options:`` section."""
    defs = []
    for line in text.splitlines():
        m = _OPTION.match(line)
        if m:
            short, name, default = m.group(1) or "", m.group(2), m.group(3)
            defs.append(FlagDef(name, short, _kind(name, default), default))
    return defs


# -- value conversion (Go strconv / time wording) ----------------------------------------------------
def parse_bool(text: str) -> bool:
    if text in ("1", "t", "T", "TRUE", "true", "True"):
        return True
    if text in ("0", "f", "F", "FALSE", "false", "False"):
        return False
    raise ValueError(f'strconv.ParseBool: parsing "{text}": invalid syntax')


def parse_int(text: str, bits: int = 64) -> int:
    body = text[1:] if text[:1] in "+-" else text
    base = 10
    if body[:2].lower() == "0x":
        base, body = 16, body[2:]
    elif body[:2].lower() == "0b":
        base, body = 2, body[2:]
    elif body[:2].lower() == "0o":
        base, body = 8, body[2:]
    elif len(body) > 1 and body[0] == "0":
        base, body = 8, body[1:]
    if not body or "_" in body or not all(c in "0123456789abcdefABCDEF"[: base + (6 if base == 16 else 0)]
                                          for c in body):
        raise ValueError(f'strconv.ParseInt: parsing "{text}": invalid syntax')
    value = int(body, base) * (-1 if text.startswith("-") else 1)
    if not -(2 ** (bits - 1)) <= value < 2 ** (bits - 1):
        raise ValueError(f'strconv.ParseInt: parsing "{text}": value out of range')
    return value


_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
_DUR_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)")


def parse_duration(text: str) -> float:
    """Go's time.ParseDuration, in seconds."""
    body = text.lstrip("+-")
    if body == "0":
        return 0.0
    if not body:
        raise ValueError(f'time: invalid duration "{text}"')
    total, pos = 0.0, 0
    while pos < len(body):
        m = _DUR_PART.match(body, pos)
        if not m:
            if re.match(r"(\d+(?:\.\d*)?|\.\d+)$", body[pos:]):
                raise ValueError(f'time: missing unit in duration "{text}"')
            um = re.match(r"(\d+(?:\.\d*)?|\.\d+)([^\d.]+)", body[pos:])
            if um:
                raise ValueError(f'time: unknown unit "{um.group(2)}" in duration "{text}"')
            raise ValueError(f'time: invalid duration "{text}"')
        total += float(m.group(1)) * _UNITS[m.group(2)]
        pos = m.end()
    return -total if text.startswith("-") else total


def format_duration(seconds: float) -> str:
    """Go's Duration.String() for whole/fractional seconds (``1m0s``, ``30s``, ``0s``)."""
    if seconds == 0:
        return "0s"
    neg = seconds < 0
    seconds = abs(seconds)
    h, rem = divmod(seconds, 3600)
    m, s = divmod(rem, 60)
    out = ""
    if h:
        out += f"{int(h)}h"
    if h or m:
        out += f"{int(m)}m"
    out += f"{s:g}s"
    return ("-" if neg else "") + out


@dataclass
class FlagSet:
    """The flags a command accepts (its own plus the inherited global ones)."""

    defs: dict[str, FlagDef] = field(default_factory=dict)
    shorts: dict[str, FlagDef] = field(default_factory=dict)

    def add(self, flag: FlagDef) -> None:
        if flag.name in self.defs:
            return
        self.defs[flag.name] = flag
        if flag.shorthand and flag.shorthand not in self.shorts:
            self.shorts[flag.shorthand] = flag

    def lookup(self, name: str) -> FlagDef | None:
        return self.defs.get(name)

    def has_no_opt(self, name: str) -> bool:
        f = self.defs.get(name)
        return f is not None and bool(f.no_opt_default)

    def short_has_no_opt(self, short: str) -> bool:
        f = self.shorts.get(short)
        return f is not None and bool(f.no_opt_default)


class Parsed:
    """Flag values (defaults filled in), ``changed`` names, positional args and the ``--`` position."""

    def __init__(self, fs: FlagSet) -> None:
        self.fs = fs
        self.values: dict[str, object] = {}
        self.changed: set[str] = set()
        self.args: list[str] = []
        self.dash_at = -1

    def __getitem__(self, name: str) -> object:
        if name in self.values:
            return self.values[name]
        f = self.fs.defs.get(name)
        if f is None:
            return None
        value = _default_value(f.kind, f.default)
        self.values[name] = value
        return value

    def str(self, name: str) -> str:
        v = self[name]
        return "" if v is None else str(v)

    def bool(self, name: str) -> bool:
        return bool(self[name])

    def int(self, name: str) -> int:
        v = self[name]
        return int(v) if v is not None else 0

    def list(self, name: str) -> list[str]:
        v = self[name]
        return list(v) if isinstance(v, list) else []

    def set(self, f: FlagDef, text: str) -> None:
        try:
            if f.kind == "bool":
                value: object = parse_bool(text)
            elif f.kind == "int":
                value = parse_int(text, 32 if f.name in ("replicas", "current-replicas", "port", "node-port",
                                                          "grace-period", "tail", "limit-bytes") else 64)
            elif f.kind == "duration":
                value = parse_duration(text)
            elif f.kind == "stringSlice":
                items = _read_csv(text)
                value = items if f.name not in self.changed else self.list(f.name) + items
            elif f.kind == "stringArray":
                value = [text] if f.name not in self.changed else self.list(f.name) + [text]
            else:
                value = text
        except ValueError as exc:
            raise FlagError(f'invalid argument "{text}" for "{f.display()}" flag: {exc}') from None
        self.values[f.name] = value
        self.changed.add(f.name)


def _read_csv(text: str) -> list[str]:
    if text == "":
        return []
    try:
        return next(csv.reader([text], strict=True))
    except (csv.Error, StopIteration) as exc:
        raise ValueError(str(exc)) from None


def parse_flags(args: list[str], fs: FlagSet) -> Parsed:
    """pflag.FlagSet.Parse with interspersed flags and ``--``; raises FlagError / HelpRequested."""
    p = Parsed(fs)
    rest = list(args)
    while rest:
        s = rest.pop(0)
        if len(s) < 2 or s[0] != "-":
            p.args.append(s)
            continue
        if s[1] == "-":
            if len(s) == 2:
                p.dash_at = len(p.args)
                p.args.extend(rest)
                break
            rest = _parse_long(s, rest, p)
        else:
            shorthands = s[1:]
            while shorthands:
                shorthands, rest = _parse_short(shorthands, rest, p)
    return p


def _parse_long(s: str, rest: list[str], p: Parsed) -> list[str]:
    name = s[2:]
    if not name or name[0] in "-=":
        raise FlagError(f"bad flag syntax: {s}")
    name, eq, value = name.partition("=")
    f = p.fs.lookup(name)
    if f is None:
        if name == "help":
            raise HelpRequested
        raise FlagError(f"unknown flag: --{name}")
    if eq:
        p.set(f, value)
    elif f.no_opt_default:
        p.set(f, f.no_opt_default)
    elif rest:
        p.set(f, rest[0])
        rest = rest[1:]
    else:
        raise FlagError(f"flag needs an argument: {s}")
    return rest


def _parse_short(shorthands: str, rest: list[str], p: Parsed) -> tuple[str, list[str]]:
    c = shorthands[0]
    out = shorthands[1:]
    f = p.fs.shorts.get(c)
    if f is None:
        if c == "h":
            raise HelpRequested
        raise FlagError(f"unknown shorthand flag: '{c}' in -{shorthands}")
    if len(shorthands) > 2 and shorthands[1] == "=":
        value, out = shorthands[2:], ""
    elif f.no_opt_default:
        value = f.no_opt_default
    elif len(shorthands) > 1:
        value, out = shorthands[1:], ""
    elif rest:
        value, rest = rest[0], rest[1:]
    else:
        raise FlagError(f"flag needs an argument: '{c}' in -{shorthands}")
    p.set(f, value)
    return out, rest


def strip_flags(args: list[str], fs: FlagSet) -> list[str]:
    """cobra's stripFlags: the non-flag words, used to find the subcommand (quirks included)."""
    words: list[str] = []
    rest = list(args)
    while rest:
        s = rest.pop(0)
        if s == "--":
            break
        if s.startswith("--") and "=" not in s and not fs.has_no_opt(s[2:]) or (
                s.startswith("-") and not s.startswith("--") and "=" not in s and len(s) == 2
                and not fs.short_has_no_opt(s[1:])):
            if len(rest) <= 1:
                break
            rest.pop(0)
            continue
        if s and not s.startswith("-"):
            words.append(s)
    return words
