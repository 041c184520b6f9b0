"""Helpers shared by the coreutils: option parsing in getopt style, input files, GNU vs busybox wording."""

from __future__ import annotations

from collections.abc import Iterator

from sandbox.shell.registry import CommandContext, FileError


class UsageError(Exception):
    """Bad command-line usage; ``message`` is printed after ``<prog>: ``."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def is_busybox(ctx: CommandContext) -> bool:
    """Busybox-based images (busybox, alpine, curlimages/curl, httpenv...) use busybox applets."""
    host = ctx.host
    return host.kind == "container" and host.shell_flavour == "busybox"


def parse(argv: list[str], flags: str = "", with_arg: str = "", long: dict[str, str] | None = None,
          *, permute: bool = True, numeric_opt: str | None = None) -> tuple[dict[str, list[str]], list[str]]:
    """getopt_long-like parsing. ``flags``: letters without values; ``with_arg``: letters taking one.

    ``long`` maps long names to short letters ("lines=": takes a value). ``numeric_opt`` turns
    ``-5`` into that option with value 5 (``head -5``). Returns ({letter: [values...]}, operands).
    """
    long = long or {}
    opts: dict[str, list[str]] = {}
    operands: list[str] = []
    i = 1
    while i < len(argv):
        a = argv[i]
        if a == "--":
            operands.extend(argv[i + 1:])
            break
        if a.startswith("--") and len(a) > 2:
            name, eq, value = a[2:].partition("=")
            matches = [k for k in long if k.rstrip("=") == name] or [k for k in long if k.startswith(name)]
            if len(matches) != 1:
                if not matches:
                    raise UsageError(f"unrecognized option '{a}'")
                raise UsageError(f"option '{a}' is ambiguous")
            key = matches[0]
            letter = long[key]
            if key.endswith("="):
                if not eq:
                    if i + 1 >= len(argv):
                        raise UsageError(f"option '--{key.rstrip('=')}' requires an argument")
                    i += 1
                    value = argv[i]
                opts.setdefault(letter, []).append(value)
            else:
                if eq:
                    raise UsageError(f"option '--{key}' doesn't allow an argument")
                opts.setdefault(letter, []).append("")
            i += 1
            continue
        if a.startswith("-") and len(a) > 1:
            if numeric_opt and a[1:].isdigit():
                opts.setdefault(numeric_opt, []).append(a[1:])
                i += 1
                continue
            j = 1
            while j < len(a):
                ch = a[j]
                if ch in with_arg:
                    value = a[j + 1:]
                    if not value:
                        if i + 1 >= len(argv):
                            raise UsageError(f"option requires an argument -- '{ch}'")
                        i += 1
                        value = argv[i]
                    opts.setdefault(ch, []).append(value)
                    break
                if ch in flags:
                    opts.setdefault(ch, []).append("")
                    j += 1
                    continue
                raise UsageError(f"invalid option -- '{ch}'")
            i += 1
            continue
        operands.append(a)
        if not permute:
            operands.extend(argv[i + 1:])
            break
        i += 1
    return opts, operands


def usage_fail(ctx: CommandContext, prog: str, err: UsageError, *, status: int | None = None) -> int:
    if is_busybox(ctx):
        ctx.err(f"{prog}: {err.message}\n")
        ctx.err(f"BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: {prog} [OPTIONS]\n")
    else:
        ctx.err(f"{prog}: {err.message}\nTry '{prog} --help' for more information.\n")
    return status if status is not None else err.status


def inputs(ctx: CommandContext, files: list[str], prog: str, *, gnu_fmt: str = "{prog}: {file}: {err}",
           bb_fmt: str = "{prog}: can't open '{file}': {err}") -> Iterator[tuple[str, str | None]]:
    """Yield (name, text) per input (stdin for none or "-"); text None after printing the error."""
    if not files:
        yield "-", ctx.stdin
        return
    for f in files:
        if f == "-":
            yield "-", ctx.stdin
            continue
        try:
            yield f, ctx.read_file(f)
        except FileError as e:
            fmt = bb_fmt if is_busybox(ctx) else gnu_fmt
            ctx.err(fmt.format(prog=prog, file=f, err=e.strerror) + "\n")
            yield f, None


def lines_of(text: str) -> list[str]:
    """Lines without their terminators (a missing final newline still ends a line)."""
    if not text:
        return []
    parts = text.split("\n")
    if parts[-1] == "":
        parts.pop()
    return parts


def sq(name: str) -> str:
    """GNU's shell-style quoting of a file name in messages: 'name' (escapes a quote)."""
    if "'" in name:
        return '"' + name + '"'
    return "'" + name + "'"


def lq(name: str) -> str:
    """GNU's locale quoting (UTF-8 locales): ‘name’."""
    return "\u2018" + name + "\u2019"
