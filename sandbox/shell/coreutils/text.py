"""Text filters: head, tail, wc, sort, uniq, cut, tr, tac, rev, xargs, expr."""

from __future__ import annotations

import re
import shlex

from sandbox.shell.coreutils._util import UsageError, inputs, is_busybox, lines_of, lq, parse, usage_fail
from sandbox.shell.registry import CommandContext

_OPEN_GNU = "{prog}: cannot open '{file}' for reading: {err}"


def _count(text: str, prog: str) -> int:
    if not re.fullmatch(r"[-+]?\d+[kKmMbB]?", text):
        raise UsageError(f"invalid number of lines: {lq(text)}" if prog in ("head", "tail") else f"invalid number {lq(text)}")
    mult = {"k": 1024, "K": 1024, "m": 1048576, "M": 1048576, "b": 512, "B": 512}.get(text[-1], 1)
    return int(text.rstrip("kKmMbB")) * mult


def _split_keep(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def head_cmd(ctx: CommandContext) -> int:
    return _head_tail(ctx, "head")


def tail_cmd(ctx: CommandContext) -> int:
    return _head_tail(ctx, "tail")


def _head_tail(ctx: CommandContext, prog: str) -> int:
    try:
        opts, files = parse(ctx.argv, "qvfF", "nc", long={"lines=": "n", "bytes=": "c", "quiet": "q",
                                                          "silent": "q", "verbose": "v", "follow": "f"},
                            numeric_opt="n")
        n_text = opts.get("n", ["10"])[-1]
        c_text = opts["c"][-1] if "c" in opts else None
        from_start = n_text.startswith("+") and prog == "tail"
        n = _count(n_text, prog)
        c = _count(c_text, prog) if c_text is not None else None
    except UsageError as e:
        return usage_fail(ctx, prog, e)
    status = 0
    many = len(files) > 1 and "q" not in opts or "v" in opts
    first = True
    for name, text in inputs(ctx, files, prog, gnu_fmt=_OPEN_GNU):
        if text is None:
            status = 1
            continue
        if many:
            ctx.out(("" if first else "\n") + f"==> {'standard input' if name == '-' else name} <==\n")
        first = False
        if c is not None:
            data = text.encode()
            if prog == "head":
                chunk = data[:c] if c >= 0 else data[:c or None]
            else:
                chunk = data[c - 1:] if (c_text or "").startswith("+") else (data[-c:] if c else b"")
            ctx.out(chunk.decode("utf-8", "replace"))
            continue
        lines = _split_keep(text)
        if prog == "head":
            sel = lines[:n] if n >= 0 else lines[:n]
        elif from_start:
            sel = lines[max(n - 1, 0):]
        else:
            sel = lines[-abs(n):] if n else []
        ctx.out("".join(sel))
    return status


def wc_cmd(ctx: CommandContext) -> int:
    try:
        opts, files = parse(ctx.argv, "lwcmL", long={"lines": "l", "words": "w", "bytes": "c", "chars": "m",
                                                    "max-line-length": "L"})
    except UsageError as e:
        return usage_fail(ctx, "wc", e)
    kinds = [k for k in "lwmcL" if k in opts] or ["l", "w", "c"]
    rows = []
    status = 0
    totals = dict.fromkeys(kinds, 0)
    sizes = []
    for name, text in inputs(ctx, files, "wc"):
        if text is None:
            status = 1
            continue
        counts = {"l": text.count("\n"), "w": len(text.split()), "c": len(text.encode()), "m": len(text),
                  "L": max((len(x) for x in text.split("\n")), default=0)}
        rows.append(([counts[k] for k in kinds], "" if name == "-" and not files else name))
        for k in kinds:
            totals[k] = max(totals[k], counts[k]) if k == "L" else totals[k] + counts[k]
        sizes.append(len(text.encode()) if name != "-" else None)
    if len(rows) > 1:
        rows.append(([totals[k] for k in kinds], "total"))
    if is_busybox(ctx):
        width = 9 if len(kinds) > 1 or files else 0
        for nums, name in rows:
            line = " ".join(f"{v:>{width}}" if width else str(v) for v in nums).lstrip() if not files else \
                " ".join(f"{v:>{width}}" for v in nums).lstrip()
            ctx.out(line + (" " + name if name else "") + "\n")
        return status
    if len(kinds) == 1 and len(rows) == 1:
        width = 1
    elif any(s is None for s in sizes) or not files:
        width = 7
    else:
        width = max(len(str(sum(s for s in sizes if s is not None))), 1)
    for nums, name in rows:
        ctx.out(" ".join(f"{v:>{width}}" for v in nums) + (" " + name if name else "") + "\n")
    return status


# ---------------------------------------------------------------------------------------------
# sort, uniq


def _key_spec(spec: str) -> tuple[int, int | None, str, int, int]:
    m = re.fullmatch(r"(\d+)(?:\.(\d+))?([bdfghinrMV]*)(?:,(\d+)(?:\.(\d+))?([bdfghinrMV]*))?", spec)
    if not m or int(m.group(1)) == 0:
        raise UsageError(f"invalid number at field start: invalid count at start of {lq(spec)}", 2)
    start = int(m.group(1))
    end = int(m.group(4)) if m.group(4) else None
    flags = (m.group(3) or "") + (m.group(6) or "")
    return start, end, flags, int(m.group(2) or 0), int(m.group(5) or 0)


_NUM = re.compile(r"\s*([-+]?\d*\.?\d+(?:[eE][-+]?\d+)?)")


def _numeric(s: str) -> float:
    if s[:1].isdigit() and "_" not in s:
        try:
            return float(s)
        except ValueError:
            pass
    m = _NUM.match(s)
    return float(m.group(1)) if m else 0.0


def _human_num(s: str) -> float:
    m = re.match(r"\s*([-+]?\d*\.?\d+)([KMGTPE]?)", s)
    if not m:
        return 0.0
    return float(m.group(1)) * 1024 ** ("KMGTPE".index(m.group(2)) + 1 if m.group(2) else 0)


def sort_cmd(ctx: CommandContext) -> int:
    try:
        opts, files = parse(ctx.argv, "nrufbhVsdcgM", "kto", long={"numeric-sort": "n", "reverse": "r",
                                                                   "unique": "u", "ignore-case": "f",
                                                                   "key=": "k", "field-separator=": "t",
                                                                   "human-numeric-sort": "h", "version-sort": "V",
                                                                   "stable": "s", "output=": "o",
                                                                   "general-numeric-sort": "g"})
        keys = [_key_spec(k) for k in opts.get("k", [])]
    except UsageError as e:
        return usage_fail(ctx, "sort", e, status=2)
    sep = opts["t"][-1] if "t" in opts else None
    if sep is not None and len(sep) != 1:
        ctx.err(f"sort: multi-character tab {lq(sep)}\n")
        return 2
    lines: list[str] = []
    status = 0
    for _name, text in inputs(ctx, files, "sort", gnu_fmt="{prog}: cannot read: {file}: {err}"):
        if text is None:
            return 2
        lines.extend(lines_of(text))
    gflags = "".join(k for k in "nfbhgVMr" if k in opts)

    def fields(line: str) -> list[tuple[int, int]]:
        spans = []
        if sep is not None:
            pos = 0
            for part in line.split(sep):
                spans.append((pos, pos + len(part)))
                pos += len(part) + 1
        else:
            for m in re.finditer(r"\s*\S+", line):
                spans.append((m.start(), m.end()))
        return spans

    def keyval(text: str, flags: str):
        if "b" in flags:
            text = text.lstrip()
        if "n" in flags or "g" in flags:
            return (0, _numeric(text), "")
        if "h" in flags:
            return (0, _human_num(text), "")
        if "V" in flags:
            return (0, 0.0, tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text)))
        if "f" in flags:
            text = text.upper()
        return (0, 0.0, text.encode())

    def extract(line: str, k: tuple[int, int | None, str, int, int]) -> str:
        start, end, _f, sc, ec = k
        spans = fields(line)
        if start - 1 >= len(spans):
            return ""
        s = spans[start - 1][0] + (sc - 1 if sc else 0)
        if sep is None and not sc:
            s = spans[start - 1][0]
        if end is None:
            e = len(line)
        elif end - 1 < len(spans):
            e = spans[end - 1][0] + ec if ec else spans[end - 1][1]
        else:
            e = len(line)
        return line[s:e]

    import functools

    def cmp(a: str, b: str) -> int:
        if keys:
            for k in keys:
                flags = k[2] or gflags
                ka, kb = keyval(extract(a, k), flags), keyval(extract(b, k), flags)
                if ka != kb:
                    r = -1 if ka < kb else 1
                    return -r if "r" in flags else r
            if "u" in opts or "s" in opts:
                return 0
        else:
            ka, kb = keyval(a, gflags), keyval(b, gflags)
            if ka != kb:
                r = -1 if ka < kb else 1
                return -r if "r" in opts else r
            if "u" in opts or "s" in opts:
                return 0
        if a == b:
            return 0
        r = -1 if a.encode() < b.encode() else 1
        return -r if "r" in opts else r

    key_flags = [k[2] or gflags for k in keys]
    per_key_reverse = any(("r" in f) != ("r" in opts) for f in key_flags)
    if per_key_reverse:
        lines.sort(key=functools.cmp_to_key(cmp))
    else:
        last_resort = "u" not in opts and "s" not in opts

        def sort_key(line: str):
            if keys:
                parts = tuple(keyval(extract(line, k), f) for k, f in zip(keys, key_flags, strict=True))
            else:
                parts = (keyval(line, gflags),)
            return parts + ((line.encode(),) if last_resort else ())

        lines.sort(key=sort_key, reverse="r" in opts)
    if "u" in opts:
        uniq: list[str] = []
        for line in lines:
            if not uniq or cmp(uniq[-1], line) != 0:
                uniq.append(line)
        lines = uniq
    result = "".join(line + "\n" for line in lines)
    if "o" in opts:
        ctx.write_file(opts["o"][-1], result)
    else:
        ctx.out(result)
    return status


def uniq_cmd(ctx: CommandContext) -> int:
    try:
        opts, files = parse(ctx.argv, "cdui", "fs", long={"count": "c", "repeated": "d", "unique": "u",
                                                          "ignore-case": "i"})
    except UsageError as e:
        return usage_fail(ctx, "uniq", e)
    name = files[0] if files else "-"
    if name == "-":
        text = ctx.stdin
    else:
        try:
            text = ctx.read_file(name)
        except Exception as e:  # noqa: BLE001
            ctx.err(f"uniq: {name}: {getattr(e, 'strerror', 'No such file or directory')}\n")
            return 1
    groups: list[list[str]] = []
    for line in lines_of(text):
        key = line.lower() if "i" in opts else line
        if groups and ((groups[-1][0].lower() if "i" in opts else groups[-1][0]) == key):
            groups[-1].append(line)
        else:
            groups.append([line])
    out = []
    for g in groups:
        if "d" in opts and len(g) < 2:
            continue
        if "u" in opts and len(g) > 1:
            continue
        out.append(f"{len(g):7d} {g[0]}\n" if "c" in opts else g[0] + "\n")
    result = "".join(out)
    if len(files) > 1:
        ctx.write_file(files[1], result)
    else:
        ctx.out(result)
    return 0


# ---------------------------------------------------------------------------------------------
# cut, tr


def _ranges(spec: str) -> list[tuple[int, int | None]]:
    out = []
    for part in spec.split(","):
        m = re.fullmatch(r"(\d*)(-?)(\d*)", part)
        if not m or (not m.group(1) and not m.group(3)):
            raise UsageError("invalid byte, character or field list" if part else
                             "fields are numbered from 1")
        a = int(m.group(1)) if m.group(1) else 1
        if a == 0:
            raise UsageError("fields are numbered from 1" if True else "")
        b: int | None = a
        if m.group(2):
            b = int(m.group(3)) if m.group(3) else None
        if b is not None and b < a:
            raise UsageError("invalid decreasing range")
        out.append((a, b))
    return out


def _selected(idx: int, ranges: list[tuple[int, int | None]]) -> bool:
    return any(a <= idx and (b is None or idx <= b) for a, b in ranges)


def cut_cmd(ctx: CommandContext) -> int:
    try:
        opts, files = parse(ctx.argv, "sn", "dfcb", long={"delimiter=": "d", "fields=": "f", "characters=": "c",
                                                          "bytes=": "b", "only-delimited": "s",
                                                          "output-delimiter=": "O", "complement": "C"})
        modes = [k for k in "fcb" if k in opts]
        if not modes:
            raise UsageError("you must specify a list of bytes, characters, or fields")
        if len(modes) > 1:
            raise UsageError("only one list may be specified")
        mode = modes[0]
        ranges = _ranges(opts[mode][-1])
        delim = opts["d"][-1] if "d" in opts else "\t"
        if "d" in opts and mode != "f":
            raise UsageError("an input delimiter may be specified only when operating on fields")
        if len(delim) != 1:
            raise UsageError("the delimiter must be a single character")
    except UsageError as e:
        return usage_fail(ctx, "cut", e)
    out_delim = opts["O"][-1] if "O" in opts else delim
    complement = "C" in opts
    status = 0
    out: list[str] = []
    for _name, text in inputs(ctx, files, "cut"):
        if text is None:
            status = 1
            continue
        for line in lines_of(text):
            if mode == "f":
                if delim not in line:
                    if "s" not in opts:
                        out.append(line + "\n")
                    continue
                parts = line.split(delim)
                sel = [p for i, p in enumerate(parts, 1) if _selected(i, ranges) != complement]
                out.append(out_delim.join(sel) + "\n")
            else:
                chars = list(line) if mode == "c" else list(line)
                out.append("".join(ch for i, ch in enumerate(chars, 1) if _selected(i, ranges) != complement) + "\n")
    ctx.out("".join(out))
    return status


_TR_CLASSES = {
    "upper": "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "lower": "abcdefghijklmnopqrstuvwxyz", "digit": "0123456789",
    "space": " \t\n\r\f\v", "blank": " \t", "punct": "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~",
    "xdigit": "0123456789ABCDEFabcdef",
}
_TR_CLASSES["alpha"] = _TR_CLASSES["upper"] + _TR_CLASSES["lower"]
_TR_CLASSES["alnum"] = _TR_CLASSES["digit"] + _TR_CLASSES["alpha"]


def _tr_set(spec: str) -> str:
    out: list[str] = []
    i = 0
    esc = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
    chars: list[str] = []
    while i < len(spec):
        if spec.startswith("[:", i):
            end = spec.find(":]", i + 2)
            if end > 0:
                name = spec[i + 2:end]
                if name not in _TR_CLASSES:
                    raise UsageError(f"invalid character class {lq(name)}")
                chars.extend(_TR_CLASSES[name])
                i = end + 2
                continue
        c = spec[i]
        if c == "\\" and i + 1 < len(spec):
            m = re.match(r"[0-7]{1,3}", spec[i + 1:])
            if m:
                chars.append(chr(int(m.group(0), 8)))
                i += 1 + m.end()
                continue
            chars.append(esc.get(spec[i + 1], spec[i + 1]))
            i += 2
            continue
        chars.append(c)
        i += 1
    k = 0
    while k < len(chars):
        if k + 2 < len(chars) and chars[k + 1] == "-":
            a, b = ord(chars[k]), ord(chars[k + 2])
            if b < a:
                raise UsageError(f"range-endpoints of {lq(chars[k] + '-' + chars[k + 2])} are in reverse collating sequence order")
            out.extend(chr(x) for x in range(a, b + 1))
            k += 3
        else:
            out.append(chars[k])
            k += 1
    return "".join(out)


def tr_cmd(ctx: CommandContext) -> int:
    try:
        opts, sets = parse(ctx.argv, "dscCt", long={"delete": "d", "squeeze-repeats": "s", "complement": "c"})
        if not sets:
            raise UsageError("missing operand")
        if "d" in opts and "s" not in opts and len(sets) > 1:
            raise UsageError(f"extra operand {lq(sets[1])}\nOnly one string may be given when deleting without squeezing repeats.")
        if "d" not in opts and "s" not in opts and len(sets) < 2:
            raise UsageError(f"missing operand after {lq(sets[0])}\nTwo strings must be given when translating.")
        set1 = _tr_set(sets[0])
        set2 = _tr_set(sets[1]) if len(sets) > 1 else ""
    except UsageError as e:
        return usage_fail(ctx, "tr", e)
    text = ctx.stdin
    complement = "c" in opts or "C" in opts

    def in1(ch: str) -> bool:
        return (ch in set1) != complement

    if "d" in opts:
        text = "".join(ch for ch in text if not in1(ch))
        squeeze = set2
    elif set2 or not ("s" in opts and len(sets) == 1):
        if complement:
            repl = set2[-1] if set2 else ""
            text = "".join(repl if in1(ch) else ch for ch in text)
        else:
            padded = set2 + set2[-1:] * max(0, len(set1) - len(set2)) if set2 else ""
            table = {}
            for a, b in zip(set1, padded, strict=False):
                table[ord(a)] = b
            text = text.translate(table)
        squeeze = set2
    else:
        squeeze = set1
    if "s" in opts and squeeze:
        out: list[str] = []
        for ch in text:
            if out and out[-1] == ch and ch in squeeze:
                continue
            out.append(ch)
        text = "".join(out)
    elif "s" in opts and not squeeze and "d" not in opts:
        out = []
        for ch in text:
            if out and out[-1] == ch and in1(ch):
                continue
            out.append(ch)
        text = "".join(out)
    ctx.out(text)
    return 0


def tac_cmd(ctx: CommandContext) -> int:
    status = 0
    for _name, text in inputs(ctx, ctx.argv[1:], "tac"):
        if text is None:
            status = 1
            continue
        ctx.out("".join(line + "\n" for line in reversed(lines_of(text))))
    return status


def rev_cmd(ctx: CommandContext) -> int:
    status = 0
    for _name, text in inputs(ctx, ctx.argv[1:], "rev"):
        if text is None:
            status = 1
            continue
        ctx.out("".join(line[::-1] + "\n" for line in lines_of(text)))
    return status


# ---------------------------------------------------------------------------------------------
# xargs, expr


def xargs_cmd(ctx: CommandContext) -> int:
    args = ctx.argv[1:]
    max_args = None
    replace = None
    delim = None
    no_run_empty = False
    verbose = False
    while args and args[0].startswith("-"):
        a = args.pop(0)
        if a == "-n" and args:
            max_args = int(args.pop(0))
        elif a.startswith("-n") and a[2:].isdigit():
            max_args = int(a[2:])
        elif a == "-I" and args:
            replace = args.pop(0)
        elif a.startswith("-I") and len(a) > 2:
            replace = a[2:]
        elif a in ("-0", "--null"):
            delim = "\0"
        elif a == "-d" and args:
            delim = args.pop(0)
        elif a in ("-r", "--no-run-if-empty"):
            no_run_empty = True
        elif a == "-t":
            verbose = True
        elif a == "--":
            break
        elif a in ("-L",) and args:
            max_args = int(args.pop(0))
        else:
            ctx.err(f"xargs: invalid option -- '{a[1:2]}'\nUsage: xargs [OPTION]... COMMAND [INITIAL-ARGS]...\n"
                    "Try 'xargs --help' for more information.\n")
            return 1
    cmd = args or ["echo"]
    text = ctx.stdin
    if replace is not None:
        items = [line for line in text.split("\n") if line.strip()]
    elif delim is not None:
        items = [x for x in text.split(delim) if x != ""]
        if items and items[-1].endswith("\n") and delim != "\n":
            items[-1] = items[-1][:-1]
    else:
        try:
            items = shlex.split(text)
        except ValueError:
            ctx.err("xargs: unmatched double quote; by default quotes are special to xargs unless you use the -0 option\n")
            return 1
    if not items and (no_run_empty or replace is not None):
        return 0
    if not ctx.host.has(cmd[0]):
        ctx.err(f"xargs: {cmd[0]}: No such file or directory\n")
        return 127
    batches: list[list[str]]
    if replace is not None:
        batches = [[a.replace(replace, item.strip()) for a in cmd] for item in items]
    else:
        size = max_args or max(len(items), 1)
        batches = [cmd + items[i:i + size] for i in range(0, max(len(items), 1), size)] if items else [list(cmd)]
    status = 0
    for argv in batches:
        ctx.check_interrupt()
        if verbose:
            ctx.err(" ".join(argv) + "\n")
        res = ctx.exec(ctx.host, argv, env=ctx.env, cwd=ctx.cwd)
        ctx.out(res.stdout)
        ctx.err(res.stderr)
        if res.exit_code == 255:
            return 124
        if res.exit_code:
            status = 123
    return status


def expr_cmd(ctx: CommandContext) -> int:
    args = ctx.argv[1:]
    try:
        value, pos = _expr_or(args, 0)
        if pos != len(args):
            raise UsageError(f"syntax error: unexpected argument {lq(args[pos])}", 2)
    except UsageError as e:
        ctx.err(f"expr: {e.message}\n")
        return 2
    except ZeroDivisionError:
        ctx.err("expr: division by zero\n")
        return 2
    ctx.out(f"{value}\n")
    return 1 if value in ("", "0", 0) else 0


def _expr_or(a: list[str], i: int):
    left, i = _expr_and(a, i)
    while i < len(a) and a[i] == "|":
        right, i = _expr_and(a, i + 1)
        left = left if left not in ("", "0", 0) else (right if right not in ("", "0", 0) else 0)
    return left, i


def _expr_and(a: list[str], i: int):
    left, i = _expr_cmp(a, i)
    while i < len(a) and a[i] == "&":
        right, i = _expr_cmp(a, i + 1)
        left = left if left not in ("", "0", 0) and right not in ("", "0", 0) else 0
    return left, i


def _as_int(v) -> int:
    try:
        return int(v)
    except (TypeError, ValueError):
        raise UsageError("non-integer argument", 2) from None


def _expr_cmp(a: list[str], i: int):
    left, i = _expr_add(a, i)
    while i < len(a) and a[i] in ("<", "<=", "=", "==", "!=", ">=", ">"):
        op = a[i]
        right, i = _expr_add(a, i + 1)
        try:
            x, y = int(left), int(right)
        except (TypeError, ValueError):
            x, y = str(left), str(right)
        left = int({"<": x < y, "<=": x <= y, "=": x == y, "==": x == y, "!=": x != y, ">=": x >= y, ">": x > y}[op])
    return left, i


def _expr_add(a: list[str], i: int):
    left, i = _expr_mul(a, i)
    while i < len(a) and a[i] in ("+", "-"):
        op = a[i]
        right, i = _expr_mul(a, i + 1)
        left = _as_int(left) + _as_int(right) if op == "+" else _as_int(left) - _as_int(right)
    return left, i


def _expr_mul(a: list[str], i: int):
    left, i = _expr_atom(a, i)
    while i < len(a) and a[i] in ("*", "/", "%", ":"):
        op = a[i]
        right, i = _expr_atom(a, i + 1)
        if op == ":":
            from sandbox.shell.coreutils.regex import RegexError, compile_posix

            try:
                rx = compile_posix(str(right))
            except RegexError as e:
                raise UsageError(e.message, 2) from None
            m = rx.match(str(left))
            if rx.groups:
                left = (m.group(1) or "") if m else ""
            else:
                left = len(m.group(0)) if m else 0
            continue
        x, y = _as_int(left), _as_int(right)
        if op == "*":
            left = x * y
        else:
            if y == 0:
                raise ZeroDivisionError
            q = abs(x) // abs(y) * (1 if (x >= 0) == (y >= 0) else -1)
            left = q if op == "/" else x - q * y
    return left, i


def _expr_atom(a: list[str], i: int):
    if i >= len(a):
        raise UsageError("syntax error: missing argument after " + (lq(a[i - 1]) if i else "''"), 2)
    if a[i] == "(":
        v, i = _expr_or(a, i + 1)
        if i >= len(a) or a[i] != ")":
            raise UsageError("syntax error: expecting ')' after " + lq(str(a[i - 1])), 2)
        return v, i + 1
    if a[i] == "length" and i + 1 < len(a):
        return len(a[i + 1]), i + 2
    return a[i], i + 1
