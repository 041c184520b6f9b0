"""jq: the real jq engine (the ``jq`` Python bindings) behind jq's command line (-r -j -c -e -n -s -S
-R --arg --argjson --tab --indent) with its messages and exit codes (compile error 3, runtime and
parse errors 5, ``-e`` 1/4)."""

from __future__ import annotations

import json
import math

from sandbox.shell.registry import CommandContext, FileError

_USAGE = (
    "Usage:\tjq [OPTIONS] FILTER [FILES...]\n\tjq [OPTIONS] --args FILTER [ARGUMENTS...]\n"
    "\tjq [OPTIONS] --jsonargs FILTER [JSON_VALUES...]\n\n"
    "jq is a tool for processing JSON inputs, applying the given filter to\n"
    "its JSON text inputs and producing the filter's results as JSON on\n"
    "standard output.\n\n"
    "The simplest filter is ., which copies jq's input to its output\n"
    "unmodified except for formatting. For more advanced filters see\n"
    "the jq(1) manpage (\"man jq\") and/or https://jqlang.org/.\n\n"
    "Example:\n\n\t$ echo '{\"foo\": 0}' | jq .\n\t{\n\t  \"foo\": 0\n\t}\n\n"
    "For listing the command options, use jq --help.\n"
)


def _ints(value):
    """jq prints integral numbers without a fraction, at any depth (3.0 -> 3)."""
    if isinstance(value, float) and math.isfinite(value) and value == int(value) and abs(value) < 1e17:
        return int(value)
    if isinstance(value, list):
        return [_ints(v) for v in value]
    if isinstance(value, dict):
        return {k: _ints(v) for k, v in value.items()}
    return value


def _dump(value, *, compact: bool, sort: bool, indent: int | str, ascii_only: bool) -> str:
    value = _ints(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "null"
        if math.isinf(value):
            return "1.7976931348623157e+308" if value > 0 else "-1.7976931348623157e+308"
        if value == int(value) and abs(value) < 1e17:
            return str(int(value))
    if compact:
        return json.dumps(value, separators=(",", ":"), sort_keys=sort, ensure_ascii=ascii_only)
    text = json.dumps(value, indent=indent if indent != 0 else None, sort_keys=sort, ensure_ascii=ascii_only,
                      separators=(",", ": ") if indent != 0 else (",", ":"))
    return text


def _split_values(text: str) -> tuple[list[tuple[object, int]], str | None]:
    """JSON texts in ``text`` with the number of lines read when each ended (jq's ``<stdin>:N``)."""
    dec = json.JSONDecoder()
    out: list[tuple[object, int]] = []
    pos = 0
    n = len(text)
    while True:
        while pos < n and text[pos] in " \t\r\n":
            pos += 1
        if pos >= n:
            return out, None
        try:
            value, end = dec.raw_decode(text, pos)
        except json.JSONDecodeError:
            return out, text
        nl = text.find("\n", end)
        line = text.count("\n", 0, end) + (1 if nl >= 0 else 0)
        out.append((value, line))
        pos = end


def jq_cmd(ctx: CommandContext) -> int:
    import jq as jqlib

    args = ctx.argv[1:]
    opts: set[str] = set()
    named: dict[str, object] = {}
    indent: int | str = 2
    program: str | None = None
    files: list[str] = []
    i = 0
    while i < len(args):
        a = args[i]
        if a in ("--arg", "--argjson", "--slurpfile", "--rawfile"):
            if i + 2 >= len(args):
                ctx.err(f"jq: {a} takes two parameters (e.g. {a} varname value)\n" + _USAGE.split("\n\n")[0] + "\n")
                return 2
            name, val = args[i + 1], args[i + 2]
            if a == "--arg":
                named[name] = val
            elif a == "--argjson":
                try:
                    named[name] = json.loads(val)
                except ValueError:
                    ctx.err("jq: invalid JSON text passed to --argjson\n" + _USAGE.split("\n\n")[0] + "\n")
                    return 2
            else:
                try:
                    content = ctx.read_file(val)
                except FileError as e:
                    ctx.err(f"jq: error: Could not open {val}: {e.strerror}\n")
                    return 2
                named[name] = content if a == "--rawfile" else [v for v, _ in _split_values(content)[0]]
            i += 3
            continue
        if a in ("--indent",) and i + 1 < len(args):
            try:
                indent = max(0, min(7, int(args[i + 1])))
            except ValueError:
                ctx.err("jq: --indent takes one parameter\n")
                return 2
            i += 2
            continue
        if a == "--tab":
            indent = "\t"
        elif a.startswith("--"):
            long = {"--raw-output": "r", "--join-output": "j", "--compact-output": "c", "--exit-status": "e",
                    "--null-input": "n", "--slurp": "s", "--sort-keys": "S", "--monochrome-output": "M",
                    "--color-output": "C", "--ascii-output": "a", "--raw-input": "R", "--raw-output0": "0"}
            if a not in long:
                ctx.err(f"jq: Unknown arguments: {a}\n" + _USAGE.split("\n\n")[0] + "\n")
                return 2
            opts.add(long[a])
        elif a.startswith("-") and len(a) > 1:
            for ch in a[1:]:
                if ch not in "rjcensSMCaRh":
                    ctx.err(f"jq: Unknown arguments: {a}\n" + _USAGE.split("\n\n")[0] + "\n")
                    return 2
                opts.add(ch)
        elif program is None:
            program = a
        else:
            files.append(a)
        i += 1
    if "h" in opts:
        ctx.out(_USAGE)
        return 0
    if program is None:
        if ctx.tty and ctx.stdin_tty:
            ctx.err(_USAGE)
            return 2
        program = "."
    try:
        compiled = jqlib.compile(program, args=named) if named else jqlib.compile(program)
    except ValueError as e:
        ctx.err(str(e).rstrip("\n") + "\n")
        return 3
    if files:
        chunks = []
        for f in files:
            try:
                chunks.append(ctx.read_file(f))
            except FileError as e:
                ctx.err(f"jq: error: Could not open {f}: {e.strerror}\n")
                return 2
        text = "".join(chunks)
        where = files[-1]
    else:
        text = ctx.stdin
        where = "<stdin>"
    compact = "c" in opts
    sort = "S" in opts
    raw = "r" in opts or "j" in opts
    ascii_only = "a" in opts
    out: list[str] = []
    last: object = "__none__"
    status = 0

    def emit(results: list) -> None:
        nonlocal last
        for r in results:
            last = r
            if raw and isinstance(r, str):
                out.append(r)
            else:
                out.append(_dump(r, compact=compact, sort=sort, indent=indent, ascii_only=ascii_only))
            out.append("" if "j" in opts else "\n")

    def run(value: object, line: int) -> bool:
        try:
            emit(compiled.input_value(value).all())
        except ValueError as e:
            emit_partial(value)
            ctx.out("".join(out))
            out.clear()
            ctx.err(f"jq: error (at {where}:{line}): {e}\n")
            return False
        return True

    def emit_partial(value: object) -> None:
        """Outputs produced before a runtime error still reach stdout, as with the real jq."""
        try:
            it = compiled.input_value(value)
            results = []
            for r in it:
                results.append(r)
        except ValueError:
            emit(results)

    if "n" in opts:
        if not run(None, 0):
            status = 5
    elif "R" in opts:
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        if "s" in opts:
            if not run(text, text.count("\n")):
                status = 5
        else:
            for k, line in enumerate(lines, 1):
                if not run(line, k):
                    status = 5
    else:
        values, bad = _split_values(text)
        if "s" in opts:
            if bad is not None:
                msg = _parse_error(jqlib, text)
                ctx.err(f"jq: parse error (at {where}:{text.count(chr(10))}): {msg}\n")
                return 5
            if not run([v for v, _ in values], text.count("\n")):
                status = 5
        else:
            for value, line in values:
                if not run(value, line):
                    status = 5
            if bad is not None:
                msg = _parse_error(jqlib, bad)
                if msg is not None:
                    ctx.out("".join(out))
                    out.clear()
                    ctx.err(f"jq: parse error (at {where}:{text.count(chr(10))}): {msg}\n")
                    return 5
    ctx.out("".join(out))
    if status:
        return status
    if "e" in opts:
        if last == "__none__":
            return 4
        return 1 if last is None or last is False else 0
    return 0


def _parse_error(jqlib, text: str) -> str | None:
    try:
        jqlib.compile(".").input_text(text).all()
    except ValueError as e:
        msg = str(e)
        return msg[len("parse error: "):] if msg.startswith("parse error: ") else msg
    return "Invalid JSON text"
