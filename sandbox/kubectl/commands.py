"""The kubectl command tree, cobra style, built from the stored help texts of the real binary.

Each ``data/help/<a>_<b>.txt`` is what ``kubectl a b -h`` prints; from it we take the command's
aliases and its flags, and we print it verbatim for ``-h``. Finding a subcommand follows cobra's
``Find`` (flags may appear before the subcommand name) and its suggestion rule (Levenshtein <= 2
or prefix).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from sandbox.kubectl.flags import FlagDef, FlagSet, parse_help_options, strip_flags

_CHILD = re.compile(r"^  ([a-z][a-z0-9-]*)\s{2,}\S")
# Root commands that exist but are not listed in `kubectl -h` (still found, and suggested).
_EXTRA_ROOT = ("options", "help")
# Group commands whose bare invocation prints help to stdout (others print it to stderr); both exit 1.
_HELP_TO_STDOUT = {"rollout"}


@dataclass
class Command:
    name: str
    path: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    children: dict[str, Command] = field(default_factory=dict)

    @property
    def command_path(self) -> str:
        return " ".join(("kubectl", *self.path))

    @property
    def is_group(self) -> bool:
        return bool(self.children)

    @property
    def help_to_stdout(self) -> bool:
        return " ".join(self.path) in _HELP_TO_STDOUT

    def help_text(self) -> str:
        return help_text(self.path)

    def flagset(self) -> FlagSet:
        return _flagset(self.path)

    def child(self, word: str) -> Command | None:
        hit = self.children.get(word)
        if hit is not None:
            return hit
        for c in self.children.values():
            if word in c.aliases:
                return c
        return None

    def suggestions(self, typed: str) -> list[str]:
        out = []
        low = typed.lower()
        for name in sorted(self.children):
            if name == "help":
                continue
            if levenshtein(low, name.lower()) <= 2 or name.lower().startswith(low):
                out.append(name)
        return out


def _data(name: str) -> str:
    return resources.files("sandbox.kubectl").joinpath("data", "help", name).read_text()


@cache
def help_text(path: tuple[str, ...]) -> str:
    try:
        return _data(("_".join(path) or "kubectl") + ".txt")
    except FileNotFoundError:
        return _data("kubectl.txt") if path == ("help",) else ""


@cache
def global_flags() -> tuple[FlagDef, ...]:
    return tuple(parse_help_options(_data("options.txt")))


@cache
def _flagset(path: tuple[str, ...]) -> FlagSet:
    fs = FlagSet()
    fs.add(FlagDef("help", "h", "bool", "false"))
    if path:
        for f in parse_help_options(help_text(path)):
            fs.add(f)
    for f in global_flags():
        fs.add(f)
    return fs


def _children(text: str, root: bool) -> list[str]:
    names: list[str] = []
    on = root
    for line in text.splitlines():
        if line.startswith("Available Commands:"):
            on = True
            continue
        if line.startswith(("Usage:", "Options:", "Examples:")):
            on = False
        if on and (m := _CHILD.match(line)):
            names.append(m.group(1))
    return names


def _aliases(text: str) -> tuple[str, ...]:
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line == "Aliases:" and i + 1 < len(lines):
            return tuple(a.strip() for a in lines[i + 1].split(",")[1:])
    return ()


@cache
def root() -> Command:
    files = {p.name[:-4] for p in resources.files("sandbox.kubectl").joinpath("data", "help").iterdir()
             if p.name.endswith(".txt")}

    def build(path: tuple[str, ...]) -> Command:
        text = help_text(path)
        cmd = Command(path[-1] if path else "kubectl", path, _aliases(text))
        for child in _children(text, not path):
            sub = (*path, child)
            if "_".join(sub) in files:
                cmd.children[child] = build(sub)
            else:
                cmd.children[child] = Command(child, sub)   # known but not modelled (plugins, auth, ...)
        return cmd

    top = build(())
    for extra in _EXTRA_ROOT:
        top.children.setdefault(extra, Command(extra, (extra,)))
    return top


def find(args: list[str]) -> tuple[Command, list[str]]:
    """cobra Command.Find: walk subcommand names (skipping flags) and return the rest of the args."""
    cmd = root()
    rest = list(args)
    while True:
        words = strip_flags(rest, cmd.flagset() if cmd.path else _flagset(()))
        if not words:
            return cmd, rest
        nxt = cmd.child(words[0])
        if nxt is None:
            return cmd, rest
        rest = _minus_first(rest, words[0], cmd)
        cmd = nxt


def _minus_first(args: list[str], word: str, cmd: Command) -> list[str]:
    """cobra argsMinusFirstX: drop the first occurrence of ``word`` that is not a flag's value."""
    fs = cmd.flagset() if cmd.path else _flagset(())
    i = 0
    while i < len(args):
        s = args[i]
        if s == "--":
            break
        if s.startswith("--") and "=" not in s and not fs.has_no_opt(s[2:]):
            i += 2
            continue
        if s.startswith("-") and not s.startswith("--") and "=" not in s and len(s) == 2 \
                and not fs.short_has_no_opt(s[1:]):
            i += 2
            continue
        if s == word:
            return args[:i] + args[i + 1:]
        i += 1
    return args


def levenshtein(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]
