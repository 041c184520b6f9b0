"""Small programs: echo, printf, env, date, sleep, seq, uname, id, base64, which, watch, ..."""

from __future__ import annotations

import base64 as _b64
import posixpath
import re
from datetime import UTC, datetime, timedelta

from sandbox.shell.coreutils._util import UsageError, is_busybox, lq, parse, usage_fail
from sandbox.shell.registry import CommandContext

CLEAR_SCREEN = "\x1b[H\x1b[2J\x1b[3J"
KERNEL = "6.8.0-51-generic"
KERNEL_VERSION = "#52-Ubuntu SMP PREEMPT_DYNAMIC Thu Dec  5 13:09:44 UTC 2024"


def _flavour(ctx: CommandContext) -> str:
    st = getattr(ctx, "shell", None)
    return st.flavour if st is not None else ("busybox" if is_busybox(ctx) else "bash")


def _prefix(ctx: CommandContext) -> str:
    st = getattr(ctx, "shell", None)
    return st.prefix() if st is not None else ""


# ---------------------------------------------------------------------------------------------
# echo / printf

_ESC = {"a": "\a", "b": "\b", "e": "\x1b", "E": "\x1b", "f": "\f", "n": "\n", "r": "\r", "t": "\t",
        "v": "\v", "\\": "\\"}


def decode_escapes(text: str, *, echo: bool = True) -> tuple[str, bool]:
    """Backslash escapes of ``echo -e`` / ``printf %b``; returns (text, stop) where ``\\c`` stops output."""
    out: list[str] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c != "\\" or i + 1 >= len(text):
            out.append(c)
            i += 1
            continue
        n = text[i + 1]
        if n in _ESC:
            out.append(_ESC[n])
            i += 2
        elif n == "c":
            return "".join(out), True
        elif n == "0" or (n in "1234567" and not echo):
            m = re.match(r"0?([0-7]{0,3})" if echo else r"([0-7]{1,3})", text[i + 1:])
            digits = m.group(1) if m else ""
            out.append(chr(int(digits, 8) & 0xFF) if digits else "\0")
            i += 1 + (m.end() if m else 1)
        elif n == "x":
            m = re.match(r"[0-9A-Fa-f]{1,2}", text[i + 2:])
            if m:
                out.append(chr(int(m.group(0), 16)))
                i += 2 + m.end()
            else:
                out.append("\\x")
                i += 2
        else:
            out.append("\\" + n)
            i += 2
    return "".join(out), False


def _dash_echo_escapes(text: str) -> tuple[str, bool]:
    """dash's echo: \\c stops, \\0NNN and \\NNN are octal, no \\x."""
    out: list[str] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            n = text[i + 1]
            if n == "c":
                return "".join(out), True
            if n in _ESC and n not in "eE":
                out.append(_ESC[n])
                i += 2
                continue
            m = re.match(r"0?([0-7]{1,3})", text[i + 1:])
            if m:
                out.append(chr(int(m.group(1), 8) & 0xFF))
                i += 1 + m.end()
                continue
        out.append(c)
        i += 1
    return "".join(out), False


def echo_cmd(ctx: CommandContext) -> int:
    args = ctx.argv[1:]
    flavour = _flavour(ctx)
    newline = True
    escapes = flavour == "dash"
    while args and re.fullmatch(r"-[neE]+", args[0]) and flavour != "dash" or (flavour == "dash" and args and args[0] == "-n"):
        for ch in args[0][1:]:
            if ch == "n":
                newline = False
            elif ch == "e":
                escapes = True
            elif ch == "E":
                escapes = False
        args = args[1:]
    text = " ".join(args)
    if escapes and flavour == "dash":
        text, stop = _dash_echo_escapes(text)
        ctx.out(text + ("" if stop or not newline else "\n"))
        return 0
    if escapes:
        text, stop = decode_escapes(text)
        if stop:
            ctx.out(text)
            return 0
    ctx.out(text + ("\n" if newline else ""))
    return 0


_FMT = re.compile(r"%([-+ #0]*)(\*|\d+)?(?:\.(\*|\d+)?)?([diouxXfFeEgGcsbq%])")


def printf_cmd(ctx: CommandContext) -> int:
    args = ctx.argv[1:]
    if args and args[0] == "--":
        args = args[1:]
    if not args:
        ctx.err(f"{_prefix(ctx)}printf: usage: printf [-v var] format [arguments]\n" if _flavour(ctx) == "bash"
                else "printf: usage: printf format [arg ...]\n")
        return 2 if _flavour(ctx) == "bash" else 1
    fmt, rest = args[0], args[1:]
    status = 0
    out: list[str] = []

    def num(value: str, conv: str):
        nonlocal status
        v = value.strip()
        if not v:
            return 0
        if v[0] in "'\"" and len(v) > 1:
            return ord(v[1])
        try:
            if conv in "fFeEgG":
                return float(v)
            if re.fullmatch(r"[-+]?0[xX][0-9a-fA-F]+", v):
                return int(v, 16)
            if re.fullmatch(r"[-+]?0[0-7]+", v):
                return int(v, 8)
            return int(v)
        except ValueError:
            m = re.match(r"[-+]?\d+", v)
            if _flavour(ctx) == "dash":
                ctx.err(f"{_prefix(ctx)}printf: {value}: " + ("not completely converted\n" if m else
                                                               "expected numeric value\n"))
            else:
                ctx.err(f"{_prefix(ctx)}printf: {value}: invalid number\n")
            status = 1
            return int(m.group(0)) if m else 0

    first = True
    while first or rest:
        first = False
        consumed = False
        pos = 0
        text_fmt = fmt
        while pos < len(text_fmt):
            m = _FMT.search(text_fmt, pos)
            literal = text_fmt[pos:m.start()] if m else text_fmt[pos:]
            decoded, stop = decode_escapes(literal, echo=False)
            out.append(decoded)
            if stop:
                ctx.out("".join(out))
                return status
            if not m:
                break
            pos = m.end()
            flags, width, prec, conv = m.groups()
            if conv == "%":
                out.append("%")
                continue
            if width == "*":
                width = str(num(rest.pop(0), "d")) if rest else "0"
                consumed = True
            if prec == "*":
                prec = str(num(rest.pop(0), "d")) if rest else "0"
                consumed = True
            arg = rest.pop(0) if rest else None
            if arg is not None:
                consumed = True
            spec = "%" + (flags or "") + (width or "") + ("." + prec if prec is not None else "")
            if conv in "sq":
                value = arg or ""
                if conv == "q":
                    value = value if re.fullmatch(r"[\w@%+=:,./-]+", value) else "'" + value.replace("'", "'\\''") + "'"
                out.append((spec + "s") % value)
            elif conv == "b":
                value, stop = decode_escapes(arg or "", echo=True)
                out.append((spec + "s") % value)
                if stop:
                    ctx.out("".join(out))
                    return status
            elif conv == "c":
                out.append((spec + "s") % ((arg or "")[:1]))
            elif conv in "diouxX":
                n = num(arg or "0", conv)
                n = int(n)
                if conv in "ouxX" and n < 0:
                    n &= (1 << 64) - 1
                out.append((spec + {"i": "d", "u": "d"}.get(conv, conv)) % n)
            else:
                out.append((spec + conv) % float(num(arg or "0", conv)))
        if not consumed:
            break
    ctx.out("".join(out))
    return status


# ---------------------------------------------------------------------------------------------
# trivial ones


def true_cmd(ctx: CommandContext) -> int:
    return 0


def false_cmd(ctx: CommandContext) -> int:
    return 1


def pwd_cmd(ctx: CommandContext) -> int:
    ctx.out(ctx.cwd + "\n")
    return 0


def hostname_cmd(ctx: CommandContext) -> int:
    args = ctx.argv[1:]
    host = ctx.host
    if args and args[0] in ("-i", "--ip-address", "-I", "--all-ip-addresses"):
        ip = host._source_info.get("ip", "")
        ctx.out(ip + (" \n" if args[0] in ("-I", "--all-ip-addresses") else "\n"))
        return 0
    if args and args[0] in ("-f", "--fqdn", "--long"):
        pod = host.pod
        if pod is not None:
            from sandbox.workloads.podfiles import pod_fqdn

            ctx.out(pod_fqdn(pod) + "\n")
            return 0
    if args and args[0] in ("-s", "--short"):
        ctx.out(host.hostname.split(".")[0] + "\n")
        return 0
    if args and not args[0].startswith("-"):
        ctx.err("hostname: you must be root to change the host name\n" if host.user != "root" else
                "hostname: you must be root to change the host name\n")
        return 1
    ctx.out(host.hostname + "\n")
    return 0


def whoami_cmd(ctx: CommandContext) -> int:
    st = getattr(ctx, "shell", None)
    ctx.out((st.user if st is not None else ctx.host.user) + "\n")
    return 0


def _uid(ctx: CommandContext) -> tuple[int, str]:
    user = ctx.host.user
    if user == "root":
        return 0, "root"
    return (100 if user == "curl_user" else 65532 if user == "nonroot" else 1000), user


def id_cmd(ctx: CommandContext) -> int:
    uid, user = _uid(ctx)
    args = ctx.argv[1:]
    if "-u" in args:
        ctx.out((user if "-n" in args else str(uid)) + "\n")
        return 0
    if "-g" in args:
        ctx.out((user if "-n" in args else str(uid)) + "\n")
        return 0
    if "-un" in args or "-nu" in args:
        ctx.out(user + "\n")
        return 0
    if uid == 0:
        groups = "0(root)" if ctx.host.kind == "node" else \
            "0(root),1(bin),2(daemon),3(sys),4(adm),6(disk),10(wheel),11(floppy),20(dialout),26(tape),27(video)" \
            if is_busybox(ctx) else "0(root)"
        ctx.out(f"uid=0(root) gid=0(root) groups={groups}\n")
    else:
        ctx.out(f"uid={uid}({user}) gid={uid}({user}) groups={uid}({user})\n")
    return 0


def uname_cmd(ctx: CommandContext) -> int:
    try:
        opts, operands = parse(ctx.argv, "asnrvmpio", long={"all": "a", "kernel-name": "s", "nodename": "n",
                                                            "kernel-release": "r", "kernel-version": "v",
                                                            "machine": "m", "processor": "p",
                                                            "hardware-platform": "i", "operating-system": "o"})
    except UsageError as e:
        return usage_fail(ctx, "uname", e)
    if operands:
        ctx.err(f"uname: extra operand {lq(operands[0])}\nTry 'uname --help' for more information.\n")
        return 1
    bb = is_busybox(ctx)
    fields = {"s": "Linux", "n": ctx.host.hostname, "r": KERNEL, "v": KERNEL_VERSION, "m": "x86_64",
              "p": "unknown" if bb else "x86_64", "i": "unknown" if bb else "x86_64", "o": "GNU/Linux"}
    if "a" in opts:
        order = ["s", "n", "r", "v", "m"] + ([] if bb else ["p", "i"]) + ["o"]
    else:
        order = [k for k in "snrvmpio" if k in opts] or ["s"]
    ctx.out(" ".join(fields[k] for k in order) + "\n")
    return 0


def clear_cmd(ctx: CommandContext) -> int:
    ctx.out(CLEAR_SCREEN)
    return 0


def env_cmd(ctx: CommandContext) -> int:
    args = ctx.argv[1:]
    if ctx.argv[0] == "printenv":
        if not args:
            for k, v in ctx.env.items():
                ctx.out(f"{k}={v}\n")
            return 0
        status = 0
        for name in args:
            if name in ctx.env:
                ctx.out(ctx.env[name] + "\n")
            else:
                status = 1
        return status
    env = dict(ctx.env)
    while args:
        a = args[0]
        if a in ("-i", "-", "--ignore-environment"):
            env = {}
        elif a == "-u" and len(args) > 1:
            env.pop(args[1], None)
            args = args[1:]
        elif a == "--":
            args = args[1:]
            break
        elif "=" in a and not a.startswith("="):
            k, _, v = a.partition("=")
            env[k] = v
        else:
            break
        args = args[1:]
    if not args:
        for k, v in env.items():
            ctx.out(f"{k}={v}\n")
        return 0
    if not ctx.host.has(args[0]):
        ctx.err(f"env: {sq_gnu(args[0])}: No such file or directory\n" if not is_busybox(ctx) else
                f"env: can't execute '{args[0]}': No such file or directory\n")
        return 127
    res = ctx.exec(ctx.host, args, stdin=ctx.stdin, env=env, cwd=ctx.cwd)
    ctx.out(res.stdout)
    ctx.err(res.stderr)
    return res.exit_code


def sq_gnu(name: str) -> str:
    return lq(name)


def _parse_duration(text: str) -> float | None:
    m = re.fullmatch(r"(\d+(?:\.\d*)?|\.\d+)([smhd]?)", text)
    if not m:
        return None
    return float(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[m.group(2)]


def sleep_cmd(ctx: CommandContext) -> int:
    args = ctx.argv[1:]
    if args and args[0] == "--":
        args = args[1:]
    if not args:
        ctx.err("sleep: missing operand\nTry 'sleep --help' for more information.\n" if not is_busybox(ctx)
                else "BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: sleep [N]...\n")
        return 1
    total = 0.0
    for a in args:
        d = _parse_duration(a) if a != "infinity" else 10**9
        if d is None:
            if is_busybox(ctx):
                ctx.err(f"sleep: invalid number '{a}'\n")
            else:
                ctx.err(f"sleep: invalid time interval {lq(a)}\nTry 'sleep --help' for more information.\n")
            return 1
        total += d
    ctx.sleep(total)
    return 0


# ---------------------------------------------------------------------------------------------
# date


def _now(ctx: CommandContext) -> datetime:
    cluster = getattr(ctx.lab, "cluster", None)
    if cluster is not None:
        return cluster.clock.now
    return datetime(2026, 11, 22, 6, 0, 0, tzinfo=UTC)


def strftime(fmt: str, moment: datetime) -> str:
    """strftime with GNU extensions the standard library lacks (%N, %s, %-d, %P, %:z)."""
    out: list[str] = []
    i = 0
    while i < len(fmt):
        c = fmt[i]
        if c != "%" or i + 1 >= len(fmt):
            out.append(c)
            i += 1
            continue
        spec = fmt[i + 1]
        pad = None
        if spec in "-_0^" and i + 2 < len(fmt):
            pad = spec
            spec = fmt[i + 2]
            i += 1
        i += 2
        if spec == "N":
            out.append(f"{moment.microsecond * 1000:09d}")
        elif spec == "s":
            out.append(str(int(moment.timestamp())))
        elif spec == "P":
            out.append(moment.strftime("%p").lower())
        elif spec == "e":
            out.append(f"{moment.day:2d}")
        elif spec == "k":
            out.append(f"{moment.hour:2d}")
        elif spec == "l":
            out.append(f"{(moment.hour % 12) or 12:2d}")
        elif spec == "Z":
            out.append("UTC")
        elif spec == "z":
            out.append("+0000")
        elif spec == ":" and i < len(fmt) and fmt[i] == "z":
            out.append("+00:00")
            i += 1
        elif spec == "%":
            out.append("%")
        elif spec == "n":
            out.append("\n")
        elif spec == "t":
            out.append("\t")
        else:
            try:
                piece = moment.strftime("%" + spec)
            except ValueError:
                piece = "%" + spec
            if pad == "-":
                piece = piece.lstrip("0") or "0"
            elif pad == "_":
                piece = re.sub(r"^0", " ", piece)
            elif pad == "^":
                piece = piece.upper()
            out.append(piece)
    return "".join(out)


def date_cmd(ctx: CommandContext) -> int:
    args = ctx.argv[1:]
    moment = _now(ctx)
    fmt = None
    i = 0
    while i < len(args):
        a = args[i]
        if a.startswith("+"):
            fmt = a[1:]
        elif a in ("-u", "--utc", "--universal"):
            pass
        elif a in ("-d", "--date") and i + 1 < len(args) or a.startswith("--date=") or (a.startswith("-d") and len(a) > 2):
            value = a.split("=", 1)[1] if a.startswith("--date=") else (a[2:] if a.startswith("-d") and len(a) > 2 else args[i + 1])
            if not (a.startswith("--date=") or (a.startswith("-d") and len(a) > 2)):
                i += 1
            parsed = _parse_date(value, moment)
            if parsed is None:
                ctx.err(f"date: invalid date {lq(value)}\n" if not is_busybox(ctx) else f"date: invalid date '{value}'\n")
                return 1
            moment = parsed
        elif a in ("-I", "--iso-8601") or a.startswith("--iso-8601=") or a.startswith("-I"):
            unit = a.split("=", 1)[1] if "=" in a else (a[2:] if a.startswith("-I") and len(a) > 2 else "date")
            fmt = {"date": "%Y-%m-%d", "hours": "%Y-%m-%dT%H%:z", "minutes": "%Y-%m-%dT%H:%M%:z",
                   "seconds": "%Y-%m-%dT%H:%M:%S%:z", "ns": "%Y-%m-%dT%H:%M:%S,%N%:z"}.get(unit, "%Y-%m-%d")
        elif a in ("-R", "--rfc-email"):
            fmt = "%a, %d %b %Y %H:%M:%S %z"
        else:
            ctx.err(f"date: invalid date {lq(a)}\n")
            return 1
        i += 1
    if fmt is None:
        fmt = "%a %b %e %H:%M:%S %Z %Y"
    ctx.out(strftime(fmt, moment) + "\n")
    return 0


def _parse_date(value: str, now: datetime) -> datetime | None:
    v = value.strip()
    if v.startswith("@"):
        try:
            return datetime.fromtimestamp(float(v[1:]), UTC)
        except (ValueError, OverflowError, OSError):
            return None
    if v in ("now", ""):
        return now
    if v == "yesterday":
        return now - timedelta(days=1)
    if v == "tomorrow":
        return now + timedelta(days=1)
    m = re.fullmatch(r"([+-]?\d+)\s*(second|minute|hour|day|week)s?(\s+ago)?", v)
    if m:
        n = int(m.group(1)) * (-1 if m.group(3) else 1)
        return now + timedelta(**{m.group(2) + "s": n})
    for f in ("%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d", "%Y-%m-%d %H:%M"):
        try:
            return datetime.strptime(v, f).replace(tzinfo=UTC)
        except ValueError:
            continue
    return None


# ---------------------------------------------------------------------------------------------
# seq, yes, nproc, basename, dirname


def _num(text: str) -> float | int | None:
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return None


def seq_cmd(ctx: CommandContext) -> int:
    args = ctx.argv[1:]
    sep = "\n"
    width = False
    fmt = None
    while args and args[0].startswith("-") and _num(args[0]) is None:
        a = args.pop(0)
        if a == "-s" and args:
            sep = args.pop(0)
        elif a.startswith("-s"):
            sep = a[2:]
        elif a == "-w":
            width = True
        elif a == "-f" and args:
            fmt = args.pop(0)
        elif a == "--":
            break
        else:
            ctx.err(f"seq: invalid option -- '{a[1:2]}'\nTry 'seq --help' for more information.\n")
            return 1
    if not args:
        ctx.err("seq: missing operand\nTry 'seq --help' for more information.\n")
        return 1
    if len(args) > 3:
        ctx.err(f"seq: extra operand {lq(args[3])}\nTry 'seq --help' for more information.\n")
        return 1
    nums = []
    for a in args:
        n = _num(a)
        if n is None:
            ctx.err(f"seq: invalid floating point argument: {lq(a)}\nTry 'seq --help' for more information.\n")
            return 1
        nums.append(n)
    first, step, last = (1, 1, nums[0]) if len(nums) == 1 else (nums[0], 1, nums[1]) if len(nums) == 2 else tuple(nums)
    if step == 0:
        ctx.err(f"seq: invalid Zero increment value: {lq(args[1])}\nTry 'seq --help' for more information.\n")
        return 1
    is_float = any(isinstance(x, float) for x in (first, step, last))
    decimals = max((len(a.split(".")[1]) if "." in a else 0) for a in args) if is_float else 0
    values = []
    k = 0
    while True:
        v = first + k * step
        if (step > 0 and v > last + 1e-12) or (step < 0 and v < last - 1e-12):
            break
        values.append(v)
        k += 1
        if k > 1_000_000:
            break
        if k % 10000 == 0:
            ctx.check_interrupt()
    if fmt:
        texts = [fmt.replace("%g", "%s") % (v,) if "%g" in fmt else fmt % v for v in values]
    elif is_float:
        texts = [f"{v:.{decimals}f}" for v in values]
    else:
        texts = [str(int(v)) for v in values]
    if width and texts:
        w = max(len(t) for t in texts)
        texts = [t.zfill(w) for t in texts]
    if texts:
        ctx.out(sep.join(texts) + "\n")
    return 0


def yes_cmd(ctx: CommandContext) -> int:
    word = " ".join(ctx.argv[1:]) or "y"
    # a real `yes` runs until its reader goes away; a pipe here is a buffer, so stop at 64 KiB
    count = max(1, 65536 // (len(word) + 1))
    ctx.out((word + "\n") * count)
    return 0


def nproc_cmd(ctx: CommandContext) -> int:
    ctx.out("2\n")
    return 0


def basename_cmd(ctx: CommandContext) -> int:
    args = ctx.argv[1:]
    multiple = False
    suffix = None
    while args and args[0].startswith("-") and args[0] != "-":
        a = args.pop(0)
        if a in ("-a", "--multiple"):
            multiple = True
        elif a == "-s" and args:
            suffix, multiple = args.pop(0), True
        elif a == "--":
            break
    if not args:
        ctx.err("basename: missing operand\nTry 'basename --help' for more information.\n")
        return 1
    if not multiple and len(args) == 2:
        suffix, args = args[1], args[:1]
    elif not multiple and len(args) > 2:
        ctx.err(f"basename: extra operand {lq(args[2])}\nTry 'basename --help' for more information.\n")
        return 1
    for a in args:
        stripped = a.rstrip("/")
        b = posixpath.basename(stripped) if stripped else ("/" if a else "")
        if suffix and b.endswith(suffix) and b != suffix:
            b = b[: -len(suffix)]
        ctx.out(b + "\n")
    return 0


def dirname_cmd(ctx: CommandContext) -> int:
    args = ctx.argv[1:]
    if not args:
        ctx.err("dirname: missing operand\nTry 'dirname --help' for more information.\n")
        return 1
    for a in args:
        stripped = a.rstrip("/") or ("/" if a.startswith("/") else a)
        d = posixpath.dirname(stripped)
        if stripped == "/":
            d = "/"
        d = d.rstrip("/") or ("/" if d.startswith("/") else ".")
        ctx.out((d or ".") + "\n")
    return 0


# ---------------------------------------------------------------------------------------------
# which, base64, kill, history


def which_cmd(ctx: CommandContext) -> int:
    args = [a for a in ctx.argv[1:] if not a.startswith("-")]
    show_all = "-a" in ctx.argv[1:]
    status = 0 if args else 1
    for name in args:
        path = ctx.host.find_executable(name)
        if path is None:
            status = 1
            continue
        ctx.out(path + "\n")
        if show_all and path.startswith("/usr/bin/") and ctx.host.kind == "node":
            ctx.out("/bin/" + name + "\n")
    return status


def base64_cmd(ctx: CommandContext) -> int:
    try:
        opts, files = parse(ctx.argv, "di", "w", long={"decode": "d", "ignore-garbage": "i", "wrap=": "w"})
    except UsageError as e:
        return usage_fail(ctx, "base64", e)
    if len(files) > 1:
        ctx.err(f"base64: extra operand {lq(files[1])}\nTry 'base64 --help' for more information.\n")
        return 1
    if files and files[0] != "-":
        try:
            data = ctx.read_file(files[0])
        except Exception as e:  # noqa: BLE001
            ctx.err(f"base64: {files[0]}: {getattr(e, 'strerror', 'No such file or directory')}\n")
            return 1
    else:
        data = ctx.stdin
    if "d" in opts:
        cleaned = re.sub(r"\s+", "", data)
        if "i" in opts:
            cleaned = re.sub(r"[^A-Za-z0-9+/=]", "", cleaned)
        try:
            raw = _b64.b64decode(cleaned + "=" * (-len(cleaned) % 4), validate=True)
        except (ValueError, _b64.binascii.Error):  # type: ignore[attr-defined]
            ok = _b64.b64decode(re.sub(r"[^A-Za-z0-9+/]", "", cleaned)[: (len(cleaned) // 4) * 4] or "")
            ctx.out(ok.decode("utf-8", "replace"))
            ctx.err("base64: invalid input\n")
            return 1
        ctx.out(raw.decode("utf-8", "replace"))
        return 0
    wrap = int(opts.get("w", ["76"])[-1] or 76)
    enc = _b64.b64encode(data.encode()).decode()
    if wrap > 0:
        lines = [enc[i:i + wrap] for i in range(0, len(enc), wrap)]
        ctx.out("".join(line + "\n" for line in lines) if lines else "")
    else:
        ctx.out(enc)
    return 0


def kill_cmd(ctx: CommandContext) -> int:
    args = [a for a in ctx.argv[1:] if not a.startswith("-")]
    if not args:
        ctx.err(f"{_prefix(ctx)}kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]\n")
        return 2
    st = getattr(ctx, "shell", None)
    status = 0
    for a in args:
        if a.startswith("%") and st is not None:
            from sandbox.shell.interp import stop_job

            if not stop_job(st, a):
                ctx.err(f"{_prefix(ctx)}kill: {a}: no such job\n")
                status = 1
        elif a.startswith("%"):
            ctx.err(f"{_prefix(ctx)}kill: {a}: no such job\n")
            status = 1
        else:
            ctx.err(f"{_prefix(ctx)}kill: ({a}) - No such process\n")
            status = 1
    return status


def history_cmd(ctx: CommandContext) -> int:
    sess = getattr(ctx.lab, "session", None)
    lines = list(getattr(sess, "history", []) or [])
    args = ctx.argv[1:]
    if args and args[0] == "-c":
        if sess is not None:
            sess.history.clear()
        return 0
    start = 0
    if args and args[0].isdigit():
        start = max(0, len(lines) - int(args[0]))
    for idx in range(start, len(lines)):
        ctx.out(f"{idx + 1:5d}  {lines[idx]}\n")
    return 0


# ---------------------------------------------------------------------------------------------
# timeout, watch


def timeout_cmd(ctx: CommandContext) -> int:
    args = ctx.argv[1:]
    while args and args[0].startswith("-") and _parse_duration(args[0]) is None:
        a = args.pop(0)
        if a in ("-s", "-k", "--signal", "--kill-after") and args:
            args.pop(0)
    if len(args) < 2:
        ctx.err("timeout: missing operand\nTry 'timeout --help' for more information.\n")
        return 125
    duration = _parse_duration(args[0])
    if duration is None:
        ctx.err(f"timeout: invalid time interval {lq(args[0])}\nTry 'timeout --help' for more information.\n")
        return 125
    cmd = args[1:]
    if not ctx.host.has(cmd[0]):
        ctx.err(f"timeout: failed to run command {lq(cmd[0])}: No such file or directory\n")
        return 127
    lab = ctx.lab
    push = getattr(lab, "push_deadline", None)
    if push is None:
        res = ctx.exec(ctx.host, cmd, stdin=ctx.stdin, env=ctx.env, cwd=ctx.cwd)
        ctx.out(res.stdout)
        ctx.err(res.stderr)
        return res.exit_code
    with push(duration) as expired:
        res = ctx.exec(ctx.host, cmd, stdin=ctx.stdin, env=ctx.env, cwd=ctx.cwd)
    ctx.out(res.stdout)
    ctx.err(res.stderr)
    return 124 if expired() else res.exit_code


def watch_cmd(ctx: CommandContext) -> int:
    """``watch -n N cmd``: refreshes until ctrl+c. In virtual time (scripts) it stops by itself once
    the output has not changed for 3 refreshes, or after 10 refreshes, so a script can go on."""
    args = ctx.argv[1:]
    interval = 2.0
    no_title = False
    while args and args[0].startswith("-"):
        a = args.pop(0)
        if a in ("-n", "--interval") and args:
            interval = _parse_duration(args.pop(0)) or 2.0
        elif a.startswith("-n") and len(a) > 2:
            interval = _parse_duration(a[2:]) or 2.0
        elif a.startswith("--interval="):
            interval = _parse_duration(a.split("=", 1)[1]) or 2.0
        elif a in ("-t", "--no-title"):
            no_title = True
        elif a == "--":
            break
    if not args:
        ctx.err("watch: no command specified\n")
        return 1
    interval = max(interval, 0.1)
    command = " ".join(args)
    wall = getattr(ctx.lab, "time_mode", "virtual") == "wall"
    last = None
    unchanged = 0
    frames = 0
    while True:
        ctx.check_interrupt()
        res = ctx.exec(ctx.host, ["sh", "-c", command], env=ctx.env, cwd=ctx.cwd, tty=True)
        body = res.stdout
        frames += 1
        unchanged = unchanged + 1 if body == last else 0
        if body != last or wall:
            ctx.out(CLEAR_SCREEN)
            if not no_title:
                left = f"Every {interval:.1f}s: {command}"
                right = f"{ctx.host.hostname}: {strftime('%a %b %e %H:%M:%S %Y', _now(ctx))}"
                gap = max(1, int(getattr(ctx.lab, "columns", 80) or 80) - len(left) - len(right))
                ctx.out(left + " " * gap + right + "\n\n")
            ctx.out(body)
        last = body
        if not wall and (unchanged >= 2 or frames >= 10):
            return 0
        ctx.sleep(interval)
