"""A tiny POSIX-sh subset for what containers run as PID 1 and for exec probes.

Why not the lab's full shell: a container's main process runs on the kubelet's virtual timers, so
its ``sleep`` must *yield* time instead of ticking the cluster. This interpreter is a generator
that yields sleep durations; the runtime resumes it when the virtual clock gets there. It covers
what pod specs actually contain: ``;`` ``&&`` ``||``, ``while``/``until``/``for``/``if``, ``echo``,
``printf``, ``sleep``, ``touch``, ``rm``, ``cat``, ``test``, ``exit``, ``trap``, redirections to files.
Anything else goes to the exec runner registered by the shell layer (``set_exec_runner``), so
``wget``/``curl``/``nslookup`` in a loop really use the network.
"""

from __future__ import annotations

import math
import re
import shlex
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sandbox.workloads.runtime import ContainerRuntime

Gen = Generator[float, None, int]
#: fn(runtime, argv, stdin) -> (exit code, stdout, stderr[, virtual seconds the command took]); installed
#: by the shell layer. The optional 4th item (a timeout, a slow download) delays what follows in the script.
ExecRunner = Callable[["ContainerRuntime", list[str], str], tuple]
_runner: ExecRunner | None = None

#: Loop iterations without any sleep before we call it a busy loop that never ends.
BUSY_LIMIT = 1000


#: >0 while a container program (PID 1 script, probe, hook) runs a command through the exec runner: the
#: runner is then called from inside a clock timer, so it must not advance the clock itself.
_in_program = 0


def in_program() -> bool:
    """True while the exec runner is being called on behalf of a container's own process."""
    return _in_program > 0


def _call_runner(runner: ExecRunner, rt: ContainerRuntime, argv: list[str]) -> tuple[tuple, float]:
    """Call the exec runner from inside a clock timer without letting it move the clock.

    A command's own waiting (``wget -T 5`` timing out) would tick the cluster from within the tick that
    is running this program, and the outer tick would then move time backwards. While the runner runs,
    clock advances are held and summed instead; the script then waits that long on its own timer.
    """
    global _in_program
    clock = rt.clock
    held = [0.0]
    own = "advance" not in vars(clock)
    previous = clock.advance

    def hold(seconds: float, after_each=None) -> None:
        held[0] += max(0.0, seconds)

    clock.advance = hold  # type: ignore[method-assign]
    _in_program += 1
    try:
        result = runner(rt, argv, "")
    finally:
        _in_program -= 1
        if own:
            del clock.advance
        else:
            clock.advance = previous  # type: ignore[method-assign]
    return result, held[0]


def set_exec_runner(fn: ExecRunner | None) -> None:
    """Let the lab's shell run non-builtin commands inside containers (wget, curl, nslookup...)."""
    global _runner
    _runner = fn


def exec_runner() -> ExecRunner | None:
    return _runner


class ShellExit(Exception):
    def __init__(self, code: int) -> None:
        self.code = code


class SyntaxErr(Exception):
    pass


# ------------------------------------------------------------------ parsing

@dataclass
class Cmd:
    words: list[str]
    redirs: list[tuple[str, str]] = field(default_factory=list)   # (op, target)
    pipe_to: Cmd | None = None


@dataclass
class Seq:
    items: list[tuple[str, object]]       # (operator before: ";", "&&", "||"), node


@dataclass
class Loop:
    kind: str                             # "while" | "until"
    cond: Seq
    body: Seq


@dataclass
class For:
    var: str
    words: list[str]
    body: Seq


@dataclass
class If:
    branches: list[tuple[Seq | None, Seq]]   # (cond or None for else, body)


def _tokens(script: str) -> list[str]:
    # Newlines are command separators outside quotes; shlex treats them as blanks.
    out, quote = [], ""
    for ch in script:
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch == "\n":
            ch = ";"
        out.append(ch)
    lex = shlex.shlex("".join(out), posix=True, punctuation_chars=";&|<>")
    lex.whitespace_split = True
    lex.commenters = "#"
    return list(lex)


_RESERVED_END = {"do", "done", "then", "else", "elif", "fi"}


class _Parser:
    def __init__(self, tokens: list[str]) -> None:
        self.t = tokens
        self.i = 0

    def peek(self) -> str | None:
        return self.t[self.i] if self.i < len(self.t) else None

    def take(self) -> str:
        if self.i >= len(self.t):
            raise SyntaxErr("syntax error: unexpected end of file")
        tok = self.t[self.i]
        self.i += 1
        return tok

    def expect(self, word: str) -> None:
        if self.peek() != word:
            raise SyntaxErr(f"syntax error: expected {word!r}")
        self.i += 1

    def seq(self, stop: set[str]) -> Seq:
        items: list[tuple[str, object]] = []
        op = ";"
        while True:
            while self.peek() == ";":
                self.take()
            tok = self.peek()
            if tok is None or tok in stop:
                return Seq(items)
            items.append((op, self.node()))
            nxt = self.peek()
            if nxt in (";", "&&", "||", "&"):
                op = ";" if nxt == "&" else nxt
                self.take()
            else:
                op = ";"

    def node(self) -> object:
        tok = self.peek()
        if tok in ("while", "until"):
            self.take()
            cond = self.seq({"do"})
            self.expect("do")
            body = self.seq({"done"})
            self.expect("done")
            return Loop(tok, cond, body)
        if tok == "for":
            self.take()
            var = self.take()
            words: list[str] = []
            if self.peek() == "in":
                self.take()
                while self.peek() not in (";", "do", None):
                    words.append(self.take())
            while self.peek() == ";":
                self.take()
            self.expect("do")
            body = self.seq({"done"})
            self.expect("done")
            return For(var, words, body)
        if tok == "if":
            self.take()
            branches: list[tuple[Seq | None, Seq]] = []
            cond = self.seq({"then"})
            self.expect("then")
            body = self.seq({"elif", "else", "fi"})
            branches.append((cond, body))
            while self.peek() == "elif":
                self.take()
                cond = self.seq({"then"})
                self.expect("then")
                branches.append((cond, self.seq({"elif", "else", "fi"})))
            if self.peek() == "else":
                self.take()
                branches.append((None, self.seq({"fi"})))
            self.expect("fi")
            return If(branches)
        return self.command()

    def command(self) -> Cmd:
        words: list[str] = []
        redirs: list[tuple[str, str]] = []
        while (tok := self.peek()) is not None and tok not in (";", "&&", "||", "&", "|"):
            if tok in _RESERVED_END and not words:
                break
            self.take()
            if tok in (">", ">>", "<", ">&", "<>"):
                target = self.take() if self.peek() is not None else ""
                if words and words[-1] in ("1", "2") and tok in (">", ">>", ">&"):
                    fd = words.pop()
                    tok = fd + tok
                redirs.append((tok, target))
            else:
                words.append(tok)
        cmd = Cmd(words, redirs)
        if self.peek() == "|":
            self.take()
            cmd.pipe_to = self.command()
        if not words and not redirs:
            raise SyntaxErr("syntax error: unexpected token")
        return cmd


def parse(script: str) -> Seq:
    try:
        tokens = _tokens(script)
    except ValueError as exc:          # unterminated quote
        raise SyntaxErr(f"syntax error: {exc}") from None
    p = _Parser(tokens)
    tree = p.seq(set())
    if p.peek() is not None:
        raise SyntaxErr(f"syntax error: unexpected \"{p.peek()}\"")
    return tree


# ------------------------------------------------------------------ execution

_VAR_RE = re.compile(r"\$(\{(\w+)\}|(\w+)|\?)")


def _sleep_seconds(arg: str) -> float | None:
    if arg == "infinity" or arg == "inf":
        return math.inf
    m = re.fullmatch(r"(\d+(?:\.\d*)?|\.\d+)([smhd]?)", arg)
    if not m:
        return None
    return float(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[m.group(2)]


class Interpreter:
    """Runs a parsed script; ``out(stream, text)`` receives output lines without their newline."""

    def __init__(self, rt: ContainerRuntime | None, flavour: str, out: Callable[[str, str], None],
                 argv0: str = "sh") -> None:
        self.rt = rt
        self.flavour = flavour
        self.out = out
        self.argv0 = argv0
        self.vars: dict[str, str] = dict(rt.env) if rt is not None else {}
        self.status = 0
        self.traps: dict[str, str] = {}
        self.single = False
        #: coreutils messages: busybox applets in ash-based images, GNU coreutils elsewhere
        self.busybox = rt.image.shell == "ash" if rt is not None else flavour == "ash"

    # -- helpers
    def expand(self, word: str) -> str:
        def sub(m: re.Match) -> str:
            if m.group(0) == "$?":
                return str(self.status)
            return self.vars.get(m.group(2) or m.group(3), "")
        return _VAR_RE.sub(sub, word)

    def not_found(self, name: str) -> None:
        if self.flavour == "bash":
            # bash -c with one simple command execs it directly: no "line 1:" in the message (bash 5.2)
            where = "" if self.single else "line 1: "
            self.out("stderr", f"{self.argv0}: {where}{name}: command not found")
        elif self.flavour == "dash":
            self.out("stderr", f"{self.argv0}: 1: {name}: not found")
        else:
            self.out("stderr", f"{self.argv0}: {name}: not found")

    def has(self, name: str) -> bool:
        if self.rt is None:
            return True
        return self.rt.has_binary(name)

    # -- generators
    def run(self, node: object) -> Gen:
        if isinstance(node, Seq):
            for op, child in node.items:
                if op == "&&" and self.status != 0:
                    continue
                if op == "||" and self.status == 0:
                    continue
                self.status = yield from self.run(child)
            return self.status
        if isinstance(node, Loop):
            idle = 0
            while True:
                before = self._slept
                code = yield from self.run(node.cond)
                if (code == 0) != (node.kind == "while"):
                    return 0
                yield from self.run(node.body)
                if self._slept == before:
                    idle += 1
                    if idle >= BUSY_LIMIT:
                        yield math.inf          # a loop that never sleeps: it just spins
                else:
                    idle = 0
        if isinstance(node, For):
            words = [w for word in node.words for w in self.expand(word).split()]
            for w in words:
                self.vars[node.var] = w
                yield from self.run(node.body)
            return self.status
        if isinstance(node, If):
            for cond, body in node.branches:
                if cond is None or (yield from self.run(cond)) == 0:
                    return (yield from self.run(body))
            return 0
        assert isinstance(node, Cmd)
        return (yield from self.command(node))

    _slept = 0.0

    def command(self, cmd: Cmd) -> Gen:
        words = [self.expand(w) for w in cmd.words]
        # leading assignments
        while words and re.fullmatch(r"[A-Za-z_]\w*=.*", words[0]):
            k, _, v = words.pop(0).partition("=")
            self.vars[k] = v
        if not words:
            return 0
        name, args = words[0], words[1:]
        lines: list[tuple[str, str]] = []

        def emit(stream: str, text: str) -> None:
            lines.append((stream, text))

        if name == "sleep":
            if not args:
                emit("stderr", "sleep: missing operand" if not self.busybox else "Usage: sleep [N]...")
                self._flush(lines, cmd)
                return 1
            total = 0.0
            for a in args:
                secs = _sleep_seconds(a)
                if secs is None:
                    emit("stderr", f"sleep: invalid number '{a}'" if self.busybox
                         else f"sleep: invalid time interval '{a}'")
                    self._flush(lines, cmd)
                    return 1
                total += secs
            self._slept += total
            yield total
            return 0
        if name == "exit":
            code = int(args[0]) & 0xFF if args and args[0].lstrip("-").isdigit() else self.status
            raise ShellExit(code)
        code = self.builtin(name, args, emit)
        if code is None:
            if not self.has(name):
                self.not_found(name)
                return 127
            runner = exec_runner()
            if runner is None or self.rt is None:
                code = 0
            else:
                argv = [name, *args]
                result, held = _call_runner(runner, self.rt, argv)
                code, stdout, stderr = result[0], result[1], result[2]
                elapsed = max(held, float(result[3]) if len(result) > 3 and result[3] else 0.0)
                if elapsed > 0:
                    self._slept += elapsed
                    yield elapsed
                for text in stdout.splitlines():
                    emit("stdout", text)
                for text in stderr.splitlines():
                    emit("stderr", text)
        self._flush(lines, cmd)
        if cmd.pipe_to is not None:
            code = yield from self.command(cmd.pipe_to)
        return code

    def _flush(self, lines: list[tuple[str, str]], cmd: Cmd) -> None:
        target, append, errs_too, discard_err = None, False, False, False
        for op, dest in cmd.redirs:
            if op in (">", "1>", ">>", "1>>"):
                target, append = dest, op.endswith(">>")
            elif op in ("2>", "2>>") and dest == "/dev/null":
                discard_err = True
            elif op in ("2>&1", "2>&") and dest in ("1", "") or (op == ">&" and dest == "1"):
                errs_too = True
        if target is not None and target != "/dev/null" and self.rt is not None:
            body = "".join(t + "\n" for s, t in lines if s == "stdout" or (errs_too and s == "stderr"))
            old = self.rt.read_file(target) if append else None
            self.rt.write_file(target, (old or "") + body)
        for stream, text in lines:
            if stream == "stdout" and target is not None:
                continue
            if stream == "stderr" and (discard_err or (errs_too and target is not None)):
                continue
            self.out(stream, text)

    def builtin(self, name: str, args: list[str], emit: Callable[[str, str], None]) -> int | None:
        rt = self.rt
        if name in ("true", ":"):
            return 0
        if name == "false":
            return 1
        if name == "echo":
            newline = True
            if args and args[0] == "-n":
                newline, args = False, args[1:]
            text = " ".join(args)
            if newline or text:
                emit("stdout", text)
            return 0
        if name == "printf":
            if not args:
                return 1
            fmt, rest = args[0], args[1:]
            text = fmt.replace("\\n", "\n")
            for a in rest:
                text = text.replace("%s", a, 1).replace("%d", a, 1)
            for line in text.rstrip("\n").split("\n") if text else []:
                emit("stdout", line)
            return 0
        if name in ("export", "readonly", "local"):
            for a in args:
                if "=" in a:
                    k, _, v = a.partition("=")
                    self.vars[k] = v
            return 0
        if name == "trap":
            if len(args) >= 2:
                for sig in args[1:]:
                    self.traps[sig.upper().removeprefix("SIG")] = args[0]
            return 0
        if name in ("cd", "set", "wait", "unset", "ulimit", "umask"):
            return 0
        if name in ("test", "["):
            if name == "[":
                if not args or args[-1] != "]":
                    emit("stderr", f"{self.argv0}: missing ]")
                    return 2
                args = args[:-1]
            return self.test(args)
        if rt is None or not self.has(name):
            return None
        if name == "touch":
            for path in (a for a in args if not a.startswith("-")):
                if rt.read_file(path) is None:
                    rt.write_file(path, "")
                else:
                    rt.write_file(path, rt.read_file(path) or "")
            return 0
        if name == "rm":
            force = any(a.startswith("-") and "f" in a for a in args)
            code = 0
            for path in (a for a in args if not a.startswith("-")):
                if not rt.remove_file(path) and not force:
                    emit("stderr", f"rm: can't remove '{path}': No such file or directory" if self.busybox
                         else f"rm: cannot remove '{path}': No such file or directory")
                    code = 1
            return code
        if name == "mkdir":
            for path in (a for a in args if not a.startswith("-")):
                rt.make_dir(path)
            return 0
        if name == "cat":
            code = 0
            for path in (a for a in args if not a.startswith("-")):
                text = rt.read_file(path)
                if text is None:
                    emit("stderr", f"cat: can't open '{path}': No such file or directory" if self.busybox
                         else f"cat: {path}: No such file or directory")
                    code = 1
                else:
                    for line in text.splitlines():
                        emit("stdout", line)
            return code
        if name == "hostname" and not args:
            emit("stdout", rt.hostname)
            return 0
        if name in ("env", "printenv") and not args:
            for k, v in self.vars.items():
                emit("stdout", f"{k}={v}")
            return 0
        if name == "date" and not args:
            emit("stdout", rt.now().strftime("%a %b %d %H:%M:%S UTC %Y"))
            return 0
        return None

    def test(self, args: list[str]) -> int:
        rt = self.rt
        neg = False
        if args and args[0] == "!":
            neg, args = True, args[1:]
        ok: bool
        if not args:
            ok = False
        elif len(args) == 1:
            ok = args[0] != ""
        elif len(args) == 2:
            op, val = args
            if op in ("-f", "-e", "-r", "-s"):
                text = rt.read_file(val) if rt else None
                ok = text is not None and (op != "-s" or text != "") or (op == "-e" and rt is not None
                                                                        and rt.is_dir(val))
            elif op == "-d":
                ok = rt is not None and rt.is_dir(val)
            elif op == "-z":
                ok = val == ""
            elif op == "-n":
                ok = val != ""
            else:
                ok = False
        else:
            a, op, b = args[0], args[1], args[2]
            if op in ("=", "=="):
                ok = a == b
            elif op == "!=":
                ok = a != b
            elif op in ("-eq", "-ne", "-lt", "-le", "-gt", "-ge"):
                try:
                    x, y = int(a), int(b)
                except ValueError:
                    return 2
                ok = {"-eq": x == y, "-ne": x != y, "-lt": x < y, "-le": x <= y, "-gt": x > y,
                      "-ge": x >= y}[op]
            else:
                ok = False
        return 0 if ok != neg else 1


def run_script(interp: Interpreter, tree: Seq) -> Gen:
    """The whole script as PID 1 would run it: exit status of the last command, or ``exit N``."""
    interp.single = len(tree.items) == 1 and isinstance(tree.items[0][1], Cmd) and tree.items[0][1].pipe_to is None
    try:
        code = yield from interp.run(tree)
    except ShellExit as stop:
        return stop.code
    return code


def sleep_total(interp: Interpreter, tree: Seq, cap: float) -> float:
    """Run a hook script at once and return how long its sleeps keep it busy (at most ``cap``)."""
    gen = run_script(interp, tree)
    total = 0.0
    try:
        while total < cap:
            total += next(gen)
    except StopIteration:
        pass
    gen.close()
    return min(total, cap)


def run_now(interp: Interpreter, tree: Seq, budget: float = 0.0) -> int:
    """Run synchronously (exec probes): sleeps up to ``budget`` are skipped; a longer one means timeout."""
    gen = run_script(interp, tree)
    try:
        while True:
            delay = next(gen)
            budget -= delay
            if budget < 0:
                gen.close()
                return -1
    except StopIteration as done:
        return int(done.value or 0)
