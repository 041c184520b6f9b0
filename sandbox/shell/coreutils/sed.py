"""sed (GNU 4.9 behaviour): addresses (n, $, /re/, ranges, !), s/// with g/p/N/I, d p q Q n N = a i c y
h H g G x, blocks, -n -e -f -E/-r -i[SUFFIX] -s, and GNU's "-e expression #1, char N" errors."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sandbox.shell.coreutils._util import lines_of
from sandbox.shell.coreutils.regex import RegexError, compile_posix
from sandbox.shell.registry import CommandContext, FileError


class SedError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Addr:
    kind: str  # line, last, re, step, plus
    value: object = None


@dataclass
class Cmd:
    name: str
    a1: Addr | None = None
    a2: Addr | None = None
    negate: bool = False
    args: dict = field(default_factory=dict)
    block: list = field(default_factory=list)
    in_range: bool = False
    range_end: int | None = None


class _ScriptParser:
    def __init__(self, text: str, extended: bool, expr_no: int) -> None:
        self.text = text
        self.i = 0
        self.extended = extended
        self.expr_no = expr_no

    def fail(self, msg: str) -> SedError:
        return SedError(f"-e expression #{self.expr_no}, char {max(self.i, 1)}: {msg}")

    def peek(self) -> str:
        return self.text[self.i] if self.i < len(self.text) else ""

    def skip_ws(self) -> None:
        while self.i < len(self.text) and self.text[self.i] in " \t":
            self.i += 1

    def parse(self, depth: int = 0) -> list[Cmd]:
        cmds: list[Cmd] = []
        while True:
            while self.i < len(self.text) and self.text[self.i] in " \t\n;":
                self.i += 1
            if self.i >= len(self.text):
                if depth:
                    raise self.fail("unmatched `{'")
                return cmds
            if self.peek() == "#":
                while self.i < len(self.text) and self.text[self.i] != "\n":
                    self.i += 1
                continue
            if self.peek() == "}":
                if not depth:
                    self.i += 1
                    raise self.fail("unexpected `}'")
                self.i += 1
                return cmds
            cmds.append(self.command(depth))

    def address(self) -> Addr | None:
        c = self.peek()
        if c.isdigit():
            m = re.match(r"(\d+)(?:~(\d+))?", self.text[self.i:])
            assert m
            self.i += m.end()
            if m.group(2) is not None:
                return Addr("step", (int(m.group(1)), int(m.group(2))))
            return Addr("line", int(m.group(1)))
        if c == "$":
            self.i += 1
            return Addr("last")
        if c == "/" or c == "\\":
            if c == "\\":
                self.i += 1
            delim = self.peek()
            self.i += 1
            body = self.delimited(delim, "unterminated address regex")
            flags = ""
            while self.peek() in ("I", "M"):
                flags += self.peek()
                self.i += 1
            return Addr("re", self.regex(body, "I" in flags))
        return None

    def regex(self, body: str, icase: bool = False):
        if body == "":
            return None  # the last regex used
        try:
            return compile_posix(body, extended=self.extended, ignore_case=icase)
        except RegexError as e:
            raise self.fail(e.message) from None

    def delimited(self, delim: str, err: str, regex: bool = True) -> str:
        out: list[str] = []
        while True:
            if self.i >= len(self.text):
                raise self.fail(err)
            c = self.text[self.i]
            if c == "[" and regex:
                # the delimiter does not end a bracket expression: s/[/]/x/ is one regex
                end = self._bracket_end(self.i)
                if end < 0:
                    self.i = len(self.text)
                    raise self.fail(err)
                out.append(self.text[self.i:end + 1])
                self.i = end + 1
                continue
            if c == "\\" and self.i + 1 < len(self.text):
                n = self.text[self.i + 1]
                if n == delim:
                    out.append(delim if delim not in ".*[]^$\\+?(){}|/" or delim == "/" else "\\" + delim)
                elif n == "n":
                    out.append("\\n")
                else:
                    out.append("\\" + n)
                self.i += 2
                continue
            if c == "\n" and err.startswith("unterminated `s'"):
                raise self.fail(err)
            if c == delim:
                self.i += 1
                return "".join(out)
            out.append(c)
            self.i += 1

    def _bracket_end(self, start: int) -> int:
        j = start + 1
        if j < len(self.text) and self.text[j] == "^":
            j += 1
        if j < len(self.text) and self.text[j] == "]":
            j += 1
        while j < len(self.text):
            if self.text.startswith("[:", j):
                k = self.text.find(":]", j + 2)
                j = k + 2 if k >= 0 else j + 1
                continue
            if self.text[j] == "]":
                return j
            if self.text[j] == "\n":
                return -1
            j += 1
        return -1

    def command(self, depth: int) -> Cmd:
        a1 = self.address()
        a2 = None
        if a1 is not None and self.peek() == ",":
            self.i += 1
            if self.peek() == "+":
                m = re.match(r"\+(\d+)", self.text[self.i:])
                if not m:
                    raise self.fail("unexpected `,'")
                self.i += m.end()
                a2 = Addr("plus", int(m.group(1)))
            else:
                a2 = self.address()
                if a2 is None:
                    raise self.fail("unexpected `,'")
        self.skip_ws()
        negate = False
        while self.peek() == "!":
            negate = True
            self.i += 1
            self.skip_ws()
        c = self.peek()
        if not c:
            raise self.fail("missing command")
        self.i += 1
        cmd = Cmd(c, a1, a2, negate)
        if c == "{":
            cmd.block = self.parse(depth + 1)
            return cmd
        if c == "s":
            delim = self.peek()
            if not delim or delim in "\n\\":
                raise self.fail("unterminated `s' command")
            self.i += 1
            pat = self.delimited(delim, "unterminated `s' command")
            rep = self.delimited(delim, "unterminated `s' command", regex=False)
            flags = {"g": False, "p": False, "n": 1, "i": False}
            while True:
                f = self.peek()
                if f == "g":
                    flags["g"] = True
                elif f == "p":
                    flags["p"] = True
                elif f in ("i", "I"):
                    flags["i"] = True
                elif f in ("m", "M", "e"):
                    pass
                elif f.isdigit():
                    m = re.match(r"\d+", self.text[self.i:])
                    assert m
                    flags["n"] = int(m.group(0))
                    self.i += m.end()
                    continue
                elif f == "w":
                    self.i += 1
                    self.skip_ws()
                    end = self.text.find("\n", self.i)
                    end = len(self.text) if end < 0 else end
                    flags["w"] = self.text[self.i:end]
                    self.i = end
                    break
                elif f in ("", ";", "\n", " ", "\t", "}", "#"):
                    break
                else:
                    self.i += 1
                    raise self.fail("unknown option to `s'")
                self.i += 1
            groups = re.compile(compile_posix(pat, extended=self.extended).pattern).groups if pat else 9
            for ref in re.findall(r"\\(\d)", rep):
                if int(ref) > groups:
                    raise self.fail(f"invalid reference \\{ref} on `s' command's RHS")
            cmd.args = {"re": self.regex(pat, flags["i"]), "rep": rep, **flags}
            self.end_of_command()
            return cmd
        if c == "y":
            delim = self.peek()
            self.i += 1
            src = self.delimited(delim, "unterminated `y' command", regex=False)
            dst = self.delimited(delim, "unterminated `y' command", regex=False)
            src = src.replace("\\n", "\n").replace("\\\\", "\\")
            dst = dst.replace("\\n", "\n").replace("\\\\", "\\")
            if len(src) != len(dst):
                raise self.fail("strings for `y' command are different lengths")
            cmd.args = {"table": str.maketrans(src, dst)}
            self.end_of_command()
            return cmd
        if c in "aic":
            self.skip_ws()
            if self.peek() == "\\":
                self.i += 1
                if self.peek() == "\n":
                    self.i += 1
            text_parts: list[str] = []
            while self.i < len(self.text):
                ch = self.text[self.i]
                if ch == "\\" and self.i + 1 < len(self.text):
                    text_parts.append(self.text[self.i + 1])
                    self.i += 2
                    continue
                if ch == "\n":
                    break
                text_parts.append(ch)
                self.i += 1
            if not text_parts and c != "c":
                raise self.fail("expected \\ after `a', `c' or `i'")
            cmd.args = {"text": "".join(text_parts)}
            return cmd
        if c in "dDpPnNgGhHxlz=":
            self.end_of_command()
            return cmd
        if c in "qQ":
            self.skip_ws()
            m = re.match(r"\d+", self.text[self.i:])
            cmd.args = {"code": int(m.group(0)) if m else 0}
            if m:
                self.i += m.end()
            self.end_of_command()
            return cmd
        if c in ":bt":
            self.skip_ws()
            m = re.match(r"[^;\n]*", self.text[self.i:])
            label = m.group(0).strip() if m else ""
            self.i += m.end() if m else 0
            if c == ":" and not label:
                raise self.fail("\":\" lacks a label")
            cmd.args = {"label": label}
            return cmd
        self.i = max(self.i, 1)
        raise self.fail(f"unknown command: `{c}'")

    def end_of_command(self) -> None:
        self.skip_ws()
        c = self.peek()
        if c in ("", ";", "\n", "}", "#"):
            return
        self.i += 1
        raise self.fail("extra characters after command")


def _expand_rep(rep: str, m: re.Match) -> str:
    out: list[str] = []
    i = 0
    case = None
    one = None
    while i < len(rep):
        c = rep[i]
        piece = None
        if c == "\\" and i + 1 < len(rep):
            d = rep[i + 1]
            i += 2
            if d.isdigit():
                piece = m.group(int(d)) or ""
            elif d == "n":
                piece = "\n"
            elif d == "t":
                piece = "\t"
            elif d in "ULE":
                case = None if d == "E" else d
                continue
            elif d in "ul":
                one = d
                continue
            else:
                piece = d
        elif c == "&":
            piece = m.group(0)
            i += 1
        else:
            piece = c
            i += 1
        if case == "U":
            piece = piece.upper()
        elif case == "L":
            piece = piece.lower()
        if one and piece:
            piece = (piece[0].upper() if one == "u" else piece[0].lower()) + piece[1:]
            one = None
        out.append(piece)
    return "".join(out)


class _Quit(Exception):  # noqa: N818
    def __init__(self, code: int, print_it: bool) -> None:
        self.code = code
        self.print_it = print_it


def _run(cmds: list[Cmd], lines: list[str], quiet: bool, ctx: CommandContext) -> tuple[str, int]:
    out: list[str] = []
    hold = ""
    last_re: list = [None]
    labels: dict[str, tuple[list[Cmd], int]] = {}

    def index_labels(block: list[Cmd]) -> None:
        for k, c in enumerate(block):
            if c.name == ":":
                labels[c.args["label"]] = (block, k)
            if c.block:
                index_labels(c.block)

    index_labels(cmds)
    n = len(lines)
    lineno = 0
    idx = 0
    status = 0

    def matches(a: Addr, space: str, num: int) -> bool:
        if a.kind == "line":
            return num == a.value
        if a.kind == "last":
            return num == n
        if a.kind == "step":
            first, step = a.value  # type: ignore[misc]
            return num == first if step <= 0 else num >= first and (num - first) % step == 0
        rx = a.value or last_re[0]
        if rx is None:
            raise SedError("no previous regular expression")
        last_re[0] = rx
        return rx.search(space) is not None

    def selected(c: Cmd, space: str, num: int) -> bool:
        if c.a1 is None:
            ok = True
        elif c.a2 is None:
            ok = matches(c.a1, space, num)
        else:
            if c.in_range:
                end_ok = False
                if c.a2.kind == "line":
                    end_ok = num >= c.a2.value  # type: ignore[operator]
                elif c.a2.kind == "plus":
                    end_ok = c.range_end is not None and num >= c.range_end
                else:
                    end_ok = matches(c.a2, space, num)
                if end_ok:
                    c.in_range = False
                ok = True
            elif matches(c.a1, space, num):
                ok = True
                if c.a2.kind == "line" and c.a2.value <= num:  # type: ignore[operator]
                    c.in_range = False
                else:
                    c.in_range = True
                    c.range_end = num + c.a2.value if c.a2.kind == "plus" else None  # type: ignore[operator]
                    if c.a2.kind == "plus" and c.a2.value == 0:
                        c.in_range = False
            else:
                ok = False
        return ok != c.negate

    while idx < n:
        space = lines[idx]
        idx += 1
        lineno = idx
        append: list[str] = []
        deleted = False
        substituted = False

        def execute(block: list[Cmd], start: int = 0) -> str | None:
            nonlocal space, hold, idx, lineno, deleted, substituted
            k = start
            while k < len(block):
                c = block[k]
                k += 1
                if not selected(c, space, lineno):
                    continue
                name = c.name
                if name == "{":
                    r = execute(c.block)
                    if r:
                        return r
                elif name == "s":
                    rx = c.args["re"] or last_re[0]
                    if rx is None:
                        raise SedError("no previous regular expression")
                    last_re[0] = rx
                    count = 0
                    made = False

                    cargs = c.args

                    def sub(m: re.Match, cargs: dict = cargs) -> str:
                        nonlocal count, made
                        count += 1
                        if (cargs["g"] and count >= cargs["n"]) or count == cargs["n"]:
                            made = True
                            return _expand_rep(cargs["rep"], m)
                        return m.group(0)

                    new = rx.sub(sub, space, count=0 if c.args["g"] or c.args["n"] > 1 else 1)
                    if made:
                        space = new
                        substituted = True
                        if c.args["p"]:
                            out.append(space + "\n")
                        if c.args.get("w"):
                            try:
                                ctx.write_file(c.args["w"], space + "\n", append=True)
                            except FileError:
                                pass
                elif name == "y":
                    space = space.translate(c.args["table"])
                elif name == "d":
                    deleted = True
                    return "next"
                elif name == "D":
                    if "\n" in space:
                        space = space.split("\n", 1)[1]
                        lines.insert(idx, space)
                        deleted = True
                        return "next"
                    deleted = True
                    return "next"
                elif name == "p":
                    out.append(space + "\n")
                elif name == "P":
                    out.append(space.split("\n", 1)[0] + "\n")
                elif name == "n":
                    if idx >= n:
                        return "end"
                    if not quiet:
                        out.append(space + "\n")
                    space = lines[idx]
                    idx += 1
                    lineno = idx
                elif name == "N":
                    if idx >= n:
                        return "end"
                    space = space + "\n" + lines[idx]
                    idx += 1
                    lineno = idx
                elif name == "=":
                    out.append(f"{lineno}\n")
                elif name == "a":
                    append.append(c.args["text"] + "\n")  # noqa: B023 - runs within this iteration
                elif name == "i":
                    out.append(c.args["text"] + "\n")
                elif name == "c":
                    if c.a2 is None or not c.in_range:
                        out.append(c.args["text"] + "\n")
                    deleted = True
                    return "next"
                elif name == "h":
                    hold = space
                elif name == "H":
                    hold = hold + "\n" + space
                elif name == "g":
                    space = hold
                elif name == "G":
                    space = space + "\n" + hold
                elif name == "x":
                    space, hold = hold, space
                elif name == "l":
                    out.append(space.encode("unicode_escape").decode().replace("\\'", "'") + "$\n")
                elif name == "z":
                    space = ""
                elif name in "qQ":
                    raise _Quit(c.args["code"], name == "q")
                elif name in "bt":
                    if name == "t" and not substituted:
                        continue
                    if name == "t":
                        substituted = False
                    label = c.args["label"]
                    if not label:
                        return None
                    if label not in labels:
                        raise SedError(f"can't find label for jump to `{label}'")
                    blk, pos = labels[label]
                    return execute(blk, pos + 1)
            return None

        try:
            execute(cmds)
        except _Quit as q:
            if q.print_it and not quiet and not deleted:
                out.append(space + "\n")
            out.extend(append)
            status = q.code
            return "".join(out), status
        if not deleted and not quiet:
            out.append(space + "\n")
        out.extend(append)
    return "".join(out), status


def sed_cmd(ctx: CommandContext) -> int:
    args = ctx.argv[1:]
    scripts: list[str] = []
    files: list[str] = []
    quiet = extended = separate = False
    inplace: str | None = None
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--":
            files.extend(args[i + 1:])
            break
        if a in ("-n", "--quiet", "--silent"):
            quiet = True
        elif a in ("-E", "-r", "--regexp-extended"):
            extended = True
        elif a in ("-s", "--separate"):
            separate = True
        elif a == "-e" or a == "--expression":
            if i + 1 >= len(args):
                ctx.err("sed: option requires an argument -- 'e'\n" + _USAGE)
                return 1
            scripts.append(args[i + 1])
            i += 1
        elif a.startswith("--expression="):
            scripts.append(a.split("=", 1)[1])
        elif a == "-f" and i + 1 < len(args):
            try:
                scripts.append(ctx.read_file(args[i + 1]).rstrip("\n"))
            except FileError as e:
                ctx.err(f"sed: couldn't open file {args[i + 1]}: {e.strerror}\n")
                return 1
            i += 1
        elif a.startswith("-i") or a.startswith("--in-place"):
            inplace = a[2:] if a.startswith("-i") else (a.split("=", 1)[1] if "=" in a else "")
            separate = True
        elif a.startswith("-") and len(a) > 1 and not a.startswith("--"):
            letters = a[1:]
            ok = True
            for ch in letters:
                if ch == "n":
                    quiet = True
                elif ch in "Er":
                    extended = True
                elif ch == "s":
                    separate = True
                elif ch == "i":
                    inplace = ""
                    separate = True
                elif ch == "e":
                    if i + 1 < len(args):
                        scripts.append(args[i + 1])
                        i += 1
                    break
                else:
                    ctx.err(f"sed: invalid option -- '{ch}'\n" + _USAGE)
                    ok = False
                    break
            if not ok:
                return 1
        elif a.startswith("--"):
            ctx.err(f"sed: unrecognized option '{a}'\n" + _USAGE)
            return 1
        else:
            files.append(a)
        i += 1
    if not scripts:
        if not files:
            ctx.err(_USAGE)
            return 1
        scripts.append(files.pop(0))
    try:
        cmds: list[Cmd] = []
        for k, s in enumerate(scripts, 1):
            cmds.extend(_ScriptParser(s, extended, k).parse())
    except SedError as e:
        ctx.err(f"sed: {e.message}\n")
        return 1
    if inplace is not None and not files:
        ctx.err("sed: no input files\n")
        return 1 if True else 4
    status = 0
    try:
        if separate and files:
            for f in files:
                try:
                    text = ctx.read_file(f)
                except FileError as e:
                    ctx.err(f"sed: can't read {f}: {e.strerror}\n")
                    status = 2
                    continue
                result, code = _run(_fresh(cmds), lines_of(text), quiet, ctx)
                if inplace is not None:
                    if inplace:
                        ctx.write_file(f + inplace, text)
                    ctx.write_file(f, result)
                else:
                    ctx.out(result)
                if code:
                    return code
            return status
        chunks: list[str] = []
        if not files:
            chunks.append(ctx.stdin)
        for f in files:
            if f == "-":
                chunks.append(ctx.stdin)
                continue
            try:
                text = ctx.read_file(f)
            except FileError as e:
                ctx.err(f"sed: can't read {f}: {e.strerror}\n")
                status = 2
                continue
            chunks.append(text if text.endswith("\n") or not text else text + "\n")
        all_lines = lines_of("".join(chunks))
        result, code = _run(cmds, all_lines, quiet, ctx)
        last = "".join(chunks)
        if last and not last.endswith("\n") and result.endswith("\n") and not quiet:
            result = result[:-1]
        ctx.out(result)
        return code or status
    except SedError as e:
        ctx.err(f"sed: {e.message}\n")
        return 4


def _fresh(cmds: list[Cmd]) -> list[Cmd]:
    for c in cmds:
        c.in_range = False
        c.range_end = None
        _fresh(c.block)
    return cmds


_USAGE = """Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...

  -n, --quiet, --silent
                 suppress automatic printing of pattern space
      --debug
                 annotate program execution
  -e script, --expression=script
                 add the script to the commands to be executed
  -f script-file, --file=script-file
                 add the contents of script-file to the commands to be executed
  --follow-symlinks
                 follow symlinks when processing in place
  -i[SUFFIX], --in-place[=SUFFIX]
                 edit files in place (makes backup if SUFFIX supplied)
  -l N, --line-length=N
                 specify the desired line-wrap length for the `l' command
  --posix
                 disable all GNU extensions.
  -E, -r, --regexp-extended
                 use extended regular expressions in the script
                 (for portability use POSIX -E).
  -s, --separate
                 consider files as separate rather than as a single,
                 continuous long stream.
      --sandbox
                 operate in sandbox mode (disable e/r/w commands).
  -u, --unbuffered
                 load minimal amounts of data from the input files and flush
                 the output buffers more often
  -z, --null-data
                 separate lines by NUL characters
      --help     display this help and exit
      --version  output version information and exit

If no -e, --expression, -f, or --file option is given, then the first
non-option argument is taken as the sed script to interpret.  All
remaining arguments are names of input files; if no input files are
specified, then the standard input is read.

GNU sed home page: <https://www.gnu.org/software/sed/>.
General help using GNU software: <https://www.gnu.org/gethelp/>.
"""
