"""File programs over the host's virtual files: cat, ls, mkdir, rm, cp, mv, touch, tee, find, chmod..."""

from __future__ import annotations

import posixpath
import re
from datetime import UTC, datetime, timedelta

from sandbox.shell.coreutils._util import UsageError, inputs, is_busybox, lq, parse, sq, usage_fail
from sandbox.shell.registry import CommandContext, FileError
from sandbox.shell.vfs import EISDIR, ENOENT, ENOTDIR, Entry


def _fs(ctx: CommandContext):
    return ctx.host.fs


def _path(ctx: CommandContext, name: str) -> str:
    return ctx.resolve_path(name)


# ---------------------------------------------------------------------------------------------
# cat, tee


def cat_cmd(ctx: CommandContext) -> int:
    try:
        opts, files = parse(ctx.argv, "nbAesETuv", long={"number": "n", "number-nonblank": "b", "show-all": "A",
                                                        "show-ends": "E", "squeeze-blank": "s"})
    except UsageError as e:
        return usage_fail(ctx, "cat", e)
    status = 0
    counter = 0
    for _name, text in inputs(ctx, files, "cat"):
        if text is None:
            status = 1
            continue
        if "n" in opts or "b" in opts or "E" in opts or "A" in opts or "e" in opts:
            out = []
            for line in text.splitlines(keepends=True):
                body = line[:-1] if line.endswith("\n") else line
                end = "$" if ("E" in opts or "A" in opts or "e" in opts) and line.endswith("\n") else ""
                if "b" in opts and not body:
                    out.append(body + end + ("\n" if line.endswith("\n") else ""))
                    continue
                if "n" in opts or "b" in opts:
                    counter += 1
                    out.append(f"{counter:6d}\t{body}{end}" + ("\n" if line.endswith("\n") else ""))
                else:
                    out.append(body + end + ("\n" if line.endswith("\n") else ""))
            ctx.out("".join(out))
        else:
            ctx.out(text)
    return status


def tee_cmd(ctx: CommandContext) -> int:
    try:
        opts, files = parse(ctx.argv, "ai", long={"append": "a", "ignore-interrupts": "i"})
    except UsageError as e:
        return usage_fail(ctx, "tee", e)
    data = ctx.stdin
    status = 0
    for f in files:
        try:
            if f == "/dev/null":
                continue
            ctx.write_file(f, data, append="a" in opts)
        except FileError as e:
            ctx.err(f"tee: {f}: {e.strerror}\n")
            status = 1
    ctx.out(data)
    return status


# ---------------------------------------------------------------------------------------------
# ls


def _mode_string(entry: Entry) -> str:
    mode = entry.mode
    chars = "d" if entry.is_dir else "-"
    for shift in (6, 3, 0):
        bits = (mode >> shift) & 7
        chars += ("r" if bits & 4 else "-") + ("w" if bits & 2 else "-") + ("x" if bits & 1 else "-")
    return chars


def _size(entry: Entry) -> int:
    return 4096 if entry.is_dir else len(entry.text().encode())


def _mtime(ctx: CommandContext, entry: Entry) -> datetime:
    cluster = getattr(ctx.lab, "cluster", None)
    if cluster is not None:
        return cluster.clock.at(entry.mtime)
    return datetime(2026, 11, 22, 6, 0, tzinfo=UTC) + timedelta(seconds=entry.mtime)


def _terminal_width(ctx: CommandContext) -> int:
    """The terminal's width (the front end sets ``lab.columns``; 80 otherwise)."""
    return int(getattr(ctx.lab, "columns", 80) or 80)


def _columns(names: list[str], width: int = 80) -> str:
    """GNU ls -C: column-major, the most columns that fit, two spaces between columns."""
    if not names:
        return ""
    n = len(names)
    best = None
    for cols in range(min(n, width // 3 or 1), 0, -1):
        rows = -(-n // cols)
        cols_used = -(-n // rows)
        widths = []
        for c in range(cols_used):
            chunk = names[c * rows:(c + 1) * rows]
            widths.append(max(len(x) for x in chunk))
        total = sum(widths) + 2 * (cols_used - 1)
        if total <= width:
            best = (rows, widths)
            break
    if best is None:
        return "".join(x + "\n" for x in names)
    rows, widths = best
    lines = []
    for r in range(rows):
        cells = []
        for c, w in enumerate(widths):
            idx = c * rows + r
            if idx < n:
                cells.append((names[idx], w))
        line = ""
        for k, (name, w) in enumerate(cells):
            line += name if k == len(cells) - 1 else name.ljust(w + 2)
        lines.append(line)
    return "".join(line + "\n" for line in lines)


def ls_cmd(ctx: CommandContext) -> int:
    try:
        opts, operands = parse(ctx.argv, "laA1dhrtSRFpiCs", "w",
                               long={"all": "a", "almost-all": "A", "directory": "d", "human-readable": "h",
                                     "reverse": "r", "recursive": "R", "color": "_", "color=": "_",
                                     "classify": "F", "width=": "w"})
    except UsageError as e:
        return usage_fail(ctx, "ls", e, status=2)
    fs = _fs(ctx)
    bb = is_busybox(ctx)
    long_fmt = "l" in opts
    one = "1" in opts or (not ctx.tty and "C" not in opts)
    status = 0
    files: list[tuple[str, str]] = []
    dirs: list[tuple[str, str]] = []
    for name in operands or ["."]:
        path = _path(ctx, name)
        entry = fs.entry(path)
        if entry is None:
            if bb:
                ctx.err(f"ls: {name}: No such file or directory\n")
                status = 1
            else:
                ctx.err(f"ls: cannot access {sq(name)}: No such file or directory\n")
                status = 2
            continue
        if entry.is_dir and "d" not in opts:
            dirs.append((name, path))
        else:
            files.append((name, path))

    def sort_key(items: list[tuple[str, str]]) -> list[tuple[str, str]]:
        if "t" in opts:
            items = sorted(items, key=lambda it: (-(fs.entry(it[1]).mtime), it[0]))
        elif "S" in opts:
            items = sorted(items, key=lambda it: (-_size(fs.entry(it[1])), it[0]))
        else:
            items = sorted(items, key=lambda it: it[0])
        return list(reversed(items)) if "r" in opts else items

    def render(items: list[tuple[str, str]], with_total: bool) -> str:
        if not items:
            return "total 0\n" if with_total and long_fmt else ""
        if long_fmt:
            rows = []
            blocks = 0
            for shown, path in items:
                e = fs.entry(path)
                assert e is not None
                size = _size(e)
                blocks += 4 if e.is_dir else (-(-size // 4096) * 4)
                links = 2 + sum(1 for c in e.children if fs.is_dir(posixpath.join(path, c))) if e.is_dir else 1
                when = _mtime(ctx, e)
                stamp = f"{when.strftime('%b')} {when.day:2d} {when.strftime('%H:%M')}"
                name = shown + ("/" if ("F" in opts or "p" in opts) and e.is_dir else "")
                rows.append((_mode_string(e), str(links), "root", "root", _human(size) if "h" in opts else str(size),
                             stamp, name))
            out = []
            if with_total:
                out.append(f"total {blocks}\n")
            if bb:
                for m, ln, u, g, s, t, n in rows:
                    out.append(f"{m} {ln:>4} {u:<8} {g:<8} {s:>9} {t} {n}\n")
            else:
                wl = max(len(r[1]) for r in rows)
                wu = max(len(r[2]) for r in rows)
                wg = max(len(r[3]) for r in rows)
                ws = max(len(r[4]) for r in rows)
                for m, ln, u, g, s, t, n in rows:
                    out.append(f"{m} {ln:>{wl}} {u:<{wu}} {g:<{wg}} {s:>{ws}} {t} {n}\n")
            return "".join(out)
        names = [shown + ("/" if ("F" in opts or "p" in opts) and fs.is_dir(path) else "") for shown, path in items]
        width = int(opts["w"][-1]) if "w" in opts and opts["w"][-1].isdigit() else _terminal_width(ctx)
        return "".join(n + "\n" for n in names) if one else _columns(names, width or 10**9)

    out: list[str] = []
    if files:
        out.append(render(sort_key(files), False))
    show_headers = len(dirs) + len(files) > 1 or "R" in opts
    for idx, (name, path) in enumerate(sort_key(dirs)):
        entries = []
        children = fs.listdir(path)
        if "a" in opts:
            entries.append((".", path))
            entries.append(("..", posixpath.dirname(path) or "/"))
        for child in children:
            if child.startswith(".") and not ("a" in opts or "A" in opts):
                continue
            entries.append((child, posixpath.join(path, child)))
        if show_headers:
            if out or idx:
                out.append("\n")
            out.append(f"{name}:\n")
        dots = [e for e in entries if e[0] in (".", "..")]
        rest = sort_key([e for e in entries if e[0] not in (".", "..")])
        out.append(render(dots + rest if "r" not in opts else rest + list(reversed(dots)), True))
    ctx.out("".join(out))
    return status


def _human(size: int) -> str:
    if size < 1024:
        return str(size)
    for unit in "KMGT":
        size /= 1024  # type: ignore[assignment]
        if size < 10:
            return f"{size:.1f}{unit}" if size != int(size) else f"{int(size)}{unit}"
        if size < 1024:
            return f"{round(size)}{unit}"
    return f"{size}P"


# ---------------------------------------------------------------------------------------------
# mkdir, rmdir, rm, touch


def mkdir_cmd(ctx: CommandContext) -> int:
    try:
        opts, names = parse(ctx.argv, "pv", "m", long={"parents": "p", "verbose": "v", "mode=": "m"})
    except UsageError as e:
        return usage_fail(ctx, "mkdir", e)
    if not names:
        ctx.err("mkdir: missing operand\nTry 'mkdir --help' for more information.\n")
        return 1
    fs = _fs(ctx)
    status = 0
    for name in names:
        try:
            fs.mkdir(_path(ctx, name), parents="p" in opts, display=name)
            if "v" in opts:
                ctx.out(f"mkdir: created directory {lq(name)}\n")
        except FileError as e:
            if is_busybox(ctx):
                ctx.err(f"mkdir: can't create directory '{name}': {e.strerror}\n")
            else:
                ctx.err(f"mkdir: cannot create directory {lq(name)}: {e.strerror}\n")
            status = 1
    return status


def rmdir_cmd(ctx: CommandContext) -> int:
    names = [a for a in ctx.argv[1:] if not a.startswith("-")]
    if not names:
        ctx.err("rmdir: missing operand\nTry 'rmdir --help' for more information.\n")
        return 1
    fs = _fs(ctx)
    status = 0
    for name in names:
        path = _path(ctx, name)
        e = fs.entry(path)
        reason = ENOENT if e is None else (ENOTDIR if not e.is_dir else ("Directory not empty" if e.children else None))
        if reason:
            ctx.err(f"rmdir: failed to remove {sq(name)}: {reason}\n" if not is_busybox(ctx)
                    else f"rmdir: '{name}': {reason}\n")
            status = 1
            continue
        fs.remove(path)
    return status


def rm_cmd(ctx: CommandContext) -> int:
    try:
        opts, names = parse(ctx.argv, "rRfivd", long={"recursive": "r", "force": "f", "verbose": "v",
                                                     "interactive": "i", "dir": "d", "no-preserve-root": "N"})
    except UsageError as e:
        return usage_fail(ctx, "rm", e)
    force = "f" in opts
    recursive = "r" in opts or "R" in opts
    bb = is_busybox(ctx)
    if not names:
        if force:
            return 0
        ctx.err("rm: missing operand\nTry 'rm --help' for more information.\n")
        return 1
    fs = _fs(ctx)
    status = 0
    for name in names:
        path = _path(ctx, name)
        if path == "/" and recursive and "N" not in opts:
            ctx.err("rm: it is dangerous to operate recursively on '/'\n"
                    "rm: use --no-preserve-root to override this failsafe\n")
            status = 1
            continue
        e = fs.entry(path)
        if e is None:
            if not force:
                ctx.err(f"rm: can't remove '{name}': No such file or directory\n" if bb
                        else f"rm: cannot remove {sq(name)}: No such file or directory\n")
                status = 1
            continue
        if e.is_dir and not recursive:
            if "d" in opts and not e.children:
                fs.remove(path)
                continue
            ctx.err(f"rm: '{name}' is a directory\n" if bb else f"rm: cannot remove {sq(name)}: Is a directory\n")
            status = 1
            continue
        if "v" in opts:
            for p in reversed(fs.walk(path)):
                shown = name + p[len(path):]
                ctx.out(f"removed directory {sq(shown)}\n" if fs.is_dir(p) else f"removed {sq(shown)}\n")
        fs.remove(path, recursive=True)
    return status


def touch_cmd(ctx: CommandContext) -> int:
    names = [a for a in ctx.argv[1:] if not a.startswith("-")]
    if not names:
        ctx.err("touch: missing file operand\nTry 'touch --help' for more information.\n")
        return 1
    fs = _fs(ctx)
    status = 0
    for name in names:
        try:
            fs.touch(_path(ctx, name), display=name)
        except FileError as e:
            ctx.err(f"touch: {name}: {e.strerror}\n" if is_busybox(ctx)
                    else f"touch: cannot touch {sq(name)}: {e.strerror}\n")
            status = 1
    return status


# ---------------------------------------------------------------------------------------------
# cp, mv, ln


def _copy_like(ctx: CommandContext, prog: str) -> int:
    flags = "rRafvinTpP" if prog == "cp" else "fvinT"
    try:
        opts, names = parse(ctx.argv, flags, "t", long={"recursive": "r", "archive": "a", "force": "f",
                                                         "verbose": "v", "target-directory=": "t",
                                                         "no-clobber": "n", "interactive": "i"})
    except UsageError as e:
        return usage_fail(ctx, prog, e)
    if "t" in opts:
        names = names + [opts["t"][-1]]
    if not names:
        ctx.err(f"{prog}: missing file operand\nTry '{prog} --help' for more information.\n")
        return 1
    if len(names) == 1:
        ctx.err(f"{prog}: missing destination file operand after {sq(names[0])}\n"
                f"Try '{prog} --help' for more information.\n")
        return 1
    fs = _fs(ctx)
    recursive = prog == "mv" or bool({"r", "R", "a"} & set(opts))
    *sources, dest = names
    dest_path = _path(ctx, dest)
    dest_is_dir = fs.is_dir(dest_path)
    if len(sources) > 1 and not dest_is_dir:
        ctx.err(f"{prog}: target {sq(dest)}: Not a directory\n" if fs.exists(dest_path)
                else f"{prog}: target {sq(dest)}: No such file or directory\n")
        return 1
    status = 0
    for src in sources:
        src_path = _path(ctx, src)
        e = fs.entry(src_path)
        if e is None:
            ctx.err(f"{prog}: cannot stat {sq(src)}: No such file or directory\n" if not is_busybox(ctx)
                    else f"{prog}: can't stat '{src}': No such file or directory\n")
            status = 1
            continue
        if e.is_dir and not recursive:
            ctx.err(f"cp: -r not specified; omitting directory {sq(src)}\n" if not is_busybox(ctx)
                    else f"cp: omitting directory '{src}'\n")
            status = 1
            continue
        target = posixpath.join(dest_path, posixpath.basename(src_path.rstrip("/"))) if dest_is_dir else dest_path
        if target == src_path or target.startswith(src_path + "/"):
            if target == src_path:
                ctx.err(f"{prog}: {sq(src)} and {sq(dest)} are the same file\n")
            else:
                ctx.err(f"{prog}: cannot {'copy' if prog == 'cp' else 'move'} {sq(src)} to a subdirectory of itself, "
                        f"{sq(dest)}\n")
            status = 1
            continue
        if fs.is_dir(target) and not e.is_dir:
            ctx.err(f"{prog}: cannot overwrite directory {sq(dest)} with non-directory\n")
            status = 1
            continue
        try:
            if "n" in opts and fs.exists(target):
                continue
            if e.is_dir and fs.exists(target) and not fs.is_dir(target):
                ctx.err(f"{prog}: cannot overwrite non-directory {sq(dest)} with directory {sq(src)}\n")
                status = 1
                continue
            fs.copy_entry(src_path, target)
            if prog == "mv":
                fs.remove(src_path, recursive=True)
            if "v" in opts:
                arrow = f"{sq(src)} -> {sq(target if dest_is_dir else dest)}"
                ctx.out(f"renamed {arrow}\n" if prog == "mv" else f"{arrow}\n")
        except FileError as err:
            ctx.err(f"{prog}: cannot create regular file {sq(dest)}: {err.strerror}\n" if prog == "cp"
                    else f"{prog}: cannot move {sq(src)} to {sq(dest)}: {err.strerror}\n")
            status = 1
    return status


def cp_cmd(ctx: CommandContext) -> int:
    return _copy_like(ctx, "cp")


def mv_cmd(ctx: CommandContext) -> int:
    return _copy_like(ctx, "mv")


def ln_cmd(ctx: CommandContext) -> int:
    """Links are modelled as copies (the lab's files have no inodes)."""
    names = [a for a in ctx.argv[1:] if not a.startswith("-")]
    if len(names) < 2:
        ctx.err("ln: missing file operand\nTry 'ln --help' for more information.\n")
        return 1
    fs = _fs(ctx)
    src, dest = names[0], names[-1]
    src_path = _path(ctx, src)
    if not fs.exists(src_path):
        if "-s" in ctx.argv or "-sf" in ctx.argv:
            return 0
        ctx.err(f"ln: failed to access {sq(src)}: No such file or directory\n")
        return 1
    target = _path(ctx, dest)
    if fs.is_dir(target):
        target = posixpath.join(target, posixpath.basename(src_path))
    fs.copy_entry(src_path, target)
    return 0


def chmod_cmd(ctx: CommandContext) -> int:
    args = [a for a in ctx.argv[1:] if a not in ("-R", "-v", "--recursive")]
    if len(args) < 2:
        ctx.err("chmod: missing operand\nTry 'chmod --help' for more information.\n")
        return 1
    mode_text, names = args[0], args[1:]
    fs = _fs(ctx)
    status = 0
    for name in names:
        e = fs.entry(_path(ctx, name))
        if e is None:
            ctx.err(f"chmod: cannot access {sq(name)}: No such file or directory\n")
            status = 1
            continue
        new = _apply_mode(e.mode, mode_text, e.is_dir)
        if new is None:
            ctx.err(f"chmod: invalid mode: {sq(mode_text)}\nTry 'chmod --help' for more information.\n")
            return 1
        e.mode = new
    return status


def _apply_mode(mode: int, text: str, is_dir: bool) -> int | None:
    if re.fullmatch(r"[0-7]{1,4}", text):
        return int(text, 8) & 0o7777
    for clause in text.split(","):
        m = re.fullmatch(r"([ugoa]*)([-+=])([rwxX]*)", clause)
        if not m:
            return None
        who = m.group(1) or "a"
        perms = 0
        for p in m.group(3):
            perms |= {"r": 4, "w": 2, "x": 1, "X": 1 if is_dir or mode & 0o111 else 0}[p]
        mask = 0
        for w in who:
            for shift in {"u": [6], "g": [3], "o": [0], "a": [6, 3, 0]}[w]:
                mask |= perms << shift
        full = 0
        for w in who:
            for shift in {"u": [6], "g": [3], "o": [0], "a": [6, 3, 0]}[w]:
                full |= 7 << shift
        if m.group(2) == "+":
            mode |= mask
        elif m.group(2) == "-":
            mode &= ~mask
        else:
            mode = (mode & ~full) | mask
    return mode


def readlink_cmd(ctx: CommandContext) -> int:
    names = [a for a in ctx.argv[1:] if not a.startswith("-")]
    canon = any(a in ("-f", "-e", "-m") for a in ctx.argv[1:]) or ctx.argv[0] == "realpath"
    if not names:
        ctx.err(f"{ctx.argv[0]}: missing operand\nTry '{ctx.argv[0]} --help' for more information.\n")
        return 1
    status = 0
    for name in names:
        path = _path(ctx, name)
        if not canon:
            status = 1
            continue
        if ctx.argv[0] == "realpath" and not _fs(ctx).exists(path):
            ctx.err(f"realpath: {name}: No such file or directory\n")
            status = 1
            continue
        ctx.out(path + "\n")
    return status


realpath_cmd = readlink_cmd


# ---------------------------------------------------------------------------------------------
# find


def find_cmd(ctx: CommandContext) -> int:
    args = ctx.argv[1:]
    paths: list[str] = []
    while args and not args[0].startswith("-") and args[0] not in ("(", "!"):
        paths.append(args.pop(0))
    if not paths:
        paths = ["."]
    name_pat = iname = None
    ftype = None
    maxdepth = mindepth = None
    i = 0
    while i < len(args):
        a = args[i]
        val = args[i + 1] if i + 1 < len(args) else None
        if a in ("-name", "-iname", "-type", "-maxdepth", "-mindepth", "-path") and val is None:
            ctx.err(f"find: missing argument to `{a}'\n")
            return 1
        if a == "-name":
            name_pat = val
        elif a == "-iname":
            iname = val
        elif a == "-type":
            ftype = val
        elif a == "-maxdepth":
            maxdepth = int(val) if val and val.isdigit() else None
        elif a == "-mindepth":
            mindepth = int(val) if val and val.isdigit() else None
        elif a in ("-print",):
            i += 1
            continue
        else:
            ctx.err(f"find: unknown predicate `{a}'\n")
            return 1
        i += 2
    from sandbox.shell.expand import match_pattern

    fs = _fs(ctx)
    status = 0
    for p in paths:
        root = _path(ctx, p)
        if not fs.exists(root):
            ctx.err(f"find: {sq(p)}: No such file or directory\n")
            status = 1
            continue
        for full in fs.walk(root):
            rel = full[len(root):].lstrip("/")
            depth = 0 if full == root else rel.count("/") + 1
            if maxdepth is not None and depth > maxdepth:
                continue
            if mindepth is not None and depth < mindepth:
                continue
            shown = p if full == root else (p.rstrip("/") + "/" + rel if p != "/" else "/" + rel)
            base = posixpath.basename(full) or "/"
            if name_pat is not None and not match_pattern(name_pat, base):
                continue
            if iname is not None and not match_pattern(iname.lower(), base.lower()):
                continue
            if ftype is not None and ((ftype == "d") != fs.is_dir(full)):
                continue
            ctx.out(shown + "\n")
    return status


_ = (EISDIR,)


def sysctl_cmd(ctx: CommandContext) -> int:
    """``sysctl NAME...`` / ``-n`` / ``-a`` / ``-w NAME=VALUE``: kernel parameters in /proc/sys."""
    args = ctx.argv[1:]
    values_only = "-n" in args or "-b" in args
    names = [a for a in args if not a.startswith("-")]
    fs = _fs(ctx)
    if "-a" in args or "--all" in args or not names:
        if not names and "-a" not in args and "--all" not in args:
            ctx.err("sysctl: no variables specified\nTry `sysctl --help' for more information.\n")
            return 1
        names = [p[len("/proc/sys/"):].replace("/", ".") for p in fs.walk("/proc/sys") if fs.is_file(p)]
    status = 0
    for name in names:
        name, eq, new_value = name.partition("=")
        path = "/proc/sys/" + name.replace(".", "/")
        if eq:
            if not fs.is_file(path):
                ctx.err(f"sysctl: cannot stat {path}: No such file or directory\n")
                status = 255
                continue
            fs.write(path, new_value + "\n")
        if not fs.is_file(path):
            ctx.err(f"sysctl: cannot stat {path}: No such file or directory\n")
            status = 255
            continue
        value = fs.read(path).rstrip("\n")
        ctx.out(value + "\n" if values_only else f"{name} = {value}\n")
    return status
