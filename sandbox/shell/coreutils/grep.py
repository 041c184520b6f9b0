"""grep (GNU 3.11 behaviour; busybox wording in busybox images): BRE/ERE/fixed, -i -v -c -n -o -w -x
-q -l -L -r -h -H -A/-B/-C, exit 0 (match) / 1 (none) / 2 (error)."""

from __future__ import annotations

import posixpath
import re

from sandbox.shell.coreutils._util import UsageError, is_busybox, lines_of, parse
from sandbox.shell.coreutils.regex import RegexError, compile_posix
from sandbox.shell.registry import CommandContext, FileError

_LONG = {
    "ignore-case": "i", "invert-match": "v", "count": "c", "line-number": "n", "extended-regexp": "E",
    "fixed-strings": "F", "basic-regexp": "G", "only-matching": "o", "word-regexp": "w", "line-regexp": "x",
    "quiet": "q", "silent": "q", "recursive": "r", "dereference-recursive": "R", "files-with-matches": "l",
    "files-without-match": "L", "no-filename": "h", "with-filename": "H", "regexp=": "e", "file=": "f",
    "after-context=": "A", "before-context=": "B", "context=": "C", "no-messages": "s", "color": "_",
    "color=": "_", "colour=": "_", "max-count=": "m", "perl-regexp": "P",
}


def grep_cmd(ctx: CommandContext) -> int:
    prog = ctx.argv[0]
    try:
        opts, operands = parse(ctx.argv, "ivcnEFGowxqrRlLhHsPUIaz", "efABCm", long=_LONG, numeric_opt="C")
    except UsageError as e:
        ctx.err(f"grep: {e.message}\nUsage: grep [OPTION]... PATTERNS [FILE]...\n"
                "Try 'grep --help' for more information.\n" if not is_busybox(ctx) else f"grep: {e.message}\n")
        return 2
    if prog == "egrep":
        opts.setdefault("E", [""])
    if prog == "fgrep":
        opts.setdefault("F", [""])
    patterns: list[str] = []
    for p in opts.get("e", []):
        patterns.extend(p.split("\n"))
    for f in opts.get("f", []):
        try:
            patterns.extend(lines_of(ctx.read_file(f)))
        except FileError as e:
            ctx.err(f"grep: {f}: {e.strerror}\n")
            return 2
    if not patterns:
        if not operands:
            if is_busybox(ctx):
                return _bb_usage(ctx)
            ctx.err("Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n")
            return 2
        patterns = operands[0].split("\n")
        operands = operands[1:]
    try:
        rx = _compile(patterns, opts)
    except RegexError as e:
        ctx.err(f"grep: {e.message}\n")
        return 2
    try:
        after = int(opts.get("A", opts.get("C", ["0"]))[-1])
        before = int(opts.get("B", opts.get("C", ["0"]))[-1])
        max_count = int(opts["m"][-1]) if "m" in opts else None
    except ValueError as e:
        ctx.err(f"grep: {str(e).split(': ')[-1]}: invalid context length argument\n")
        return 2
    recursive = "r" in opts or "R" in opts
    targets: list[tuple[str, str | None]] = []
    status_err = False
    fs = ctx.host.fs
    if not operands:
        operands = ["."] if recursive else ["-"]
        implicit = True
    else:
        implicit = False
    for name in operands:
        if name == "-":
            targets.append(("(standard input)", None))
            continue
        path = ctx.resolve_path(name)
        if fs.is_dir(path):
            if not recursive:
                if "s" not in opts:
                    ctx.err(f"grep: {name}: Is a directory\n")
                status_err = True
                continue
            for p in fs.walk(path):
                if fs.is_file(p):
                    shown = p[len(path):].lstrip("/") if implicit else posixpath.join(name, p[len(path):].lstrip("/"))
                    targets.append((shown, p))
            continue
        if not fs.exists(path):
            if "s" not in opts:
                ctx.err(f"grep: {name}: No such file or directory\n")
            status_err = True
            continue
        targets.append((name, path))
    with_name = ("H" in opts or len(targets) > 1 or recursive) and "h" not in opts
    matched_any = False
    out: list[str] = []
    for shown, path in targets:
        text = ctx.stdin if path is None else fs.read(path)
        count = 0
        last_printed = -1
        lines = lines_of(text)
        pending_after = 0
        for idx, line in enumerate(lines):
            hit = rx.search(line) is not None
            if "v" in opts:
                hit = not hit
            if hit and (max_count is None or count < max_count):
                count += 1
                matched_any = True
                if "q" in opts:
                    ctx.out("".join(out))
                    return 0
                if "l" in opts or "L" in opts or "c" in opts:
                    continue
                start = max(idx - before, last_printed + 1)
                if (before or after) and last_printed >= 0 and start > last_printed + 1:
                    out.append("--\n")
                for k in range(start, idx):
                    out.append(_prefix(shown, k + 1, "-", with_name, opts) + lines[k] + "\n")
                if "o" in opts and "v" not in opts:
                    for m in rx.finditer(line):
                        if m.group(0):
                            out.append(_prefix(shown, idx + 1, ":", with_name, opts) + m.group(0) + "\n")
                else:
                    out.append(_prefix(shown, idx + 1, ":", with_name, opts) + line + "\n")
                last_printed = idx
                pending_after = after
            elif pending_after > 0 and "c" not in opts and "l" not in opts:
                out.append(_prefix(shown, idx + 1, "-", with_name, opts) + line + "\n")
                last_printed = idx
                pending_after -= 1
            if max_count is not None and count >= max_count and pending_after == 0:
                break
        if "c" in opts:
            out.append((f"{shown}:" if with_name else "") + f"{count}\n")
        if "l" in opts and count:
            out.append(shown + "\n")
        if "L" in opts and not count:
            out.append(shown + "\n")
    ctx.out("".join(out))
    if status_err and not ("q" in opts and matched_any):
        return 2
    return 0 if matched_any else 1


def _bb_usage(ctx: CommandContext) -> int:
    ctx.err("BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\n"
            "Usage: grep [-HhnlLoqvsrRiwFE] [-m N] [-A|B|C N] { PATTERN | -e PATTERN... | -f FILE... } [FILE]...\n")
    return 2


def _prefix(shown: str, lineno: int, sep: str, with_name: bool, opts: dict) -> str:
    out = ""
    if with_name:
        out += shown + sep
    if "n" in opts:
        out += f"{lineno}{sep}"
    return out


def _compile(patterns: list[str], opts: dict) -> re.Pattern[str]:
    flags = re.IGNORECASE if "i" in opts else 0
    parts = []
    for p in patterns:
        if "F" in opts:
            body = re.escape(p)
        elif "P" in opts:
            body = p
        else:
            body = compile_posix(p, extended="E" in opts).pattern
        if "x" in opts:
            body = f"^(?:{body})$"
        elif "w" in opts:
            body = rf"(?<!\w)(?:{body})(?!\w)"
        parts.append(body)
    try:
        return re.compile("|".join(f"(?:{p})" for p in parts), flags)
    except re.error:
        raise RegexError("Invalid regular expression") from None


egrep_cmd = fgrep_cmd = grep_cmd
