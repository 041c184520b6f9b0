"""The interpreter: runs syntax trees against a host, with bash/dash/busybox-ash behaviour.

One ``ShellState`` is one shell process (variables, cwd, functions, options); subshells, pipeline
stages and ``$( )`` get copies. Every simple command and loop iteration costs one step of a budget
so that an endless loop stops with a clear message; ``Interrupted`` (ctrl+c) propagates from any
``check_interrupt``.
"""

from __future__ import annotations

import posixpath
import re
import traceback
from typing import TYPE_CHECKING, Any

from sandbox.shell import nodes as N
from sandbox.shell.builtins import TABLE as BUILTIN_TABLE
from sandbox.shell.expand import (
    ExpansionError,
    arith,
    expand_pattern,
    expand_str,
    expand_word,
    expand_words,
    match_pattern,
)
from sandbox.shell.host import Host
from sandbox.shell.io import IO, BufWriter, FileWriter, NullWriter, Stdin, Writer
from sandbox.shell.parser import Incomplete, Parser, ShellSyntaxError, format_error
from sandbox.shell.registry import (
    BudgetExceeded,
    CommandContext,
    DeadlineExceeded,
    ExecResult,
    FileError,
    Interrupted,
    resolve,
)
from sandbox.shell.state import (
    _MISSING,
    BUILTIN_COMMANDS,
    ExitShell,
    ShellState,
    _Break,
    _Continue,
    _Return,
)

if TYPE_CHECKING:  # pragma: no cover
    pass

#: commands implemented as registry functions that every shell has built in
class Interpreter:
    """Runs shell programs for one lab. ``lab`` provides sleep, sessions, hosts and the cluster."""

    def __init__(self, lab: Any, *, max_steps: int = 200_000) -> None:
        self.lab = lab
        self.max_steps = max_steps
        self.steps = 0
        self.interrupt_requested = False
        self.depth = 0
        self.proc_files: list = []  # /dev/fd/N files of <(...) to remove once the command is done
        self._bg_stops: list | None = None  # stop callbacks of the background job being started

    # -- control --------------------------------------------------------------------------------
    def check_interrupt(self) -> None:
        if self.interrupt_requested:
            self.interrupt_requested = False
            raise Interrupted()

    def step(self) -> None:
        self.steps += 1
        if self.steps > self.max_steps:
            raise BudgetExceeded()
        if self.interrupt_requested:
            self.check_interrupt()

    # -- entry points ---------------------------------------------------------------------------
    def run_text(self, st: ShellState, text: str, io: IO, *, script: bool = False) -> int:
        """Parse and run ``text`` one complete command at a time (as a shell reads its input)."""
        parser = Parser(text, eof_heredoc_ok=True)
        while True:
            try:
                prog = parser.parse_next()
            except ShellSyntaxError as e:
                for w in parser.lex.warnings:
                    io.err.write(self._warning_prefix(st) + w + "\n")
                st.status = 2
                io.err.write(format_error(e, st.flavour, st.name, interactive=st.interactive and not script,
                                          mode=st.mode, text=text))
                if not st.interactive:
                    raise ExitShell(2) from None
                return 2
            except RecursionError:
                io.err.write(f"{st.name}: syntax error: expression nested too deeply\n")
                st.status = 2
                return 2
            for w in parser.lex.warnings:
                io.err.write(self._warning_prefix(st) + w + "\n")
            parser.lex.warnings.clear()
            if prog is None:
                return st.status
            st.line = parser.lex.line - 1 if parser.lex.line > 1 else 1
            top = st.interactive and self.lab is not None and st is self.lab_state_top()
            try:
                self.exec_program(st, prog, io)
            except ExitShell as e:
                if not top:
                    raise
                status = self.lab.exit_session(e.status, io)
                self.lab.session.state.status = status
                rest = parser.lex.src[parser.lex.pos:]
                return self.lab.continue_in_session(rest, io) if rest.strip() else status
            except (_Break, _Continue, _Return):
                if not top:
                    raise
            if top and st is not self.lab_state_top():
                # the command opened an interactive session: what follows is typed into it
                rest = parser.lex.src[parser.lex.pos:]
                if rest.strip():
                    return self.lab.continue_in_session(rest, io)
                return st.status

    @staticmethod
    def _warning_prefix(st: ShellState) -> str:
        return f"{st.name}: " if st.flavour == "bash" else st.prefix()

    def lab_state_top(self) -> ShellState | None:
        sess = getattr(self.lab, "session", None)
        return sess.state if sess is not None else None

    def exec_program(self, st: ShellState, prog: N.Program, io: IO) -> int:
        for item in prog.items:
            mark = len(self.proc_files)
            saved_bg = self._bg_stops
            if item.background:
                # jobs run to completion at once (the lab has one thread of execution); an interactive
                # shell still announces them and reports them done at the next prompt, as bash does.
                # A server (kubectl proxy) instead leaves a stop callback and stays a Running job.
                st.last_bg = str(self.lab.next_pid(st.host) if hasattr(self.lab, "next_pid") else st.pid + 1)
                job_no = next_job_number(st)
                if st.interactive:
                    io.err.write(f"[{job_no}] {st.last_bg}\n")
                self._bg_stops = []
            try:
                status = self.exec_andor(st, item.body, io)
            finally:
                stops, self._bg_stops = self._bg_stops, saved_bg
                while len(self.proc_files) > mark:
                    fs, path = self.proc_files.pop()
                    if fs.exists(path):
                        fs.remove(path)
            if item.background:
                if stops:
                    running_jobs(st).append((job_no, item.text, stops))
                elif st.interactive:
                    st.jobs.append((item.text, status, job_no))  # type: ignore[arg-type]
                st.status = 0
            else:
                st.status = status
        return st.status

    def _keep_running(self, stop: Any) -> bool:
        """A command started with ``&`` keeps serving after it returns; ``stop()`` ends it (``kill %N``).
        False when not in the background (the caller then serves in the foreground)."""
        if self._bg_stops is None:
            return False
        self._bg_stops.append(stop)
        return True

    @staticmethod
    def job_notices(st: ShellState) -> str:
        """bash's "[1]+  Done   cmd" lines for the jobs started by the previous command line."""
        lines = []
        for i, job in enumerate(st.jobs, 1):
            text, status = job[0], job[1]
            n = job[2] if len(job) > 2 else i
            mark = "+" if i == len(st.jobs) else ("-" if i == len(st.jobs) - 1 else " ")
            state = "Done" if status == 0 else ("Terminated" if status == 143 else f"Exit {status}")
            lines.append(f"[{n}]{mark}  {state:<24}{text}\n")
        st.jobs.clear()
        return "".join(lines)

    def exec_andor(self, st: ShellState, ao: N.AndOr, io: IO) -> int:
        in_chain = bool(ao.rest)
        if in_chain:
            st.cond += 1
        try:
            status = self.exec_pipeline(st, ao.first, io)
        finally:
            if in_chain:
                st.cond -= 1
        ran_last = not ao.rest
        for idx, (op, pipe) in enumerate(ao.rest):
            if (op == "&&" and status != 0) or (op == "||" and status == 0):
                continue
            last = idx == len(ao.rest) - 1
            ran_last = last
            if not last:
                st.cond += 1
            try:
                status = self.exec_pipeline(st, pipe, io)
            finally:
                if not last:
                    st.cond -= 1
        st.status = status
        if status != 0 and "e" in st.options and st.cond == 0 and ran_last:
            raise ExitShell(status)
        return status

    def exec_pipeline(self, st: ShellState, pipe: N.Pipeline, io: IO) -> int:
        if pipe.negate:
            st.cond += 1
        try:
            if len(pipe.commands) == 1:
                status = self.exec_command(st, pipe.commands[0], io)
            else:
                stdin = io.stdin
                statuses = []
                interrupted: Interrupted | None = None
                for i, cmd in enumerate(pipe.commands):
                    last = i == len(pipe.commands) - 1
                    sub = st.copy()
                    if last:
                        out: Writer = io.out
                    else:
                        out = BufWriter()
                    stage_io = io.copy()
                    stage_io.stdin = stdin
                    stage_io.fds[1] = out
                    try:
                        statuses.append(self.exec_command(sub, cmd, stage_io))
                    except ExitShell as e:
                        statuses.append(e.status)
                    except Interrupted as e:
                        # stages run one after another: what a stopped stage (kubectl get -w, tail -f)
                        # wrote still flows through the rest of the pipe before ctrl+c ends the line
                        if last or interrupted is not None:
                            raise
                        interrupted = e
                        statuses.append(130)
                    if not last:
                        assert isinstance(out, BufWriter)
                        stdin = Stdin(out.getvalue())
                if interrupted is not None:
                    raise interrupted
                status = statuses[-1]
                if "pipefail" in st.options:
                    status = next((s for s in reversed(statuses) if s != 0), 0)
        finally:
            if pipe.negate:
                st.cond -= 1
        if pipe.negate:
            status = 0 if status else 1
        st.status = status
        return status

    def exec_command(self, st: ShellState, cmd: Any, io: IO) -> int:
        self.depth += 1
        try:
            if self.depth > 150:
                io.err.write(f"{st.prefix()}maximum function nesting level exceeded (150)\n")
                return 1
            if isinstance(cmd, N.Simple):
                return self.exec_simple(st, cmd, io)
            try:
                cio = self.apply_redirs(st, getattr(cmd, "redirs", []), io)
            except _RedirError as e:
                io.err.write(e.message)
                return e.status
            if isinstance(cmd, N.If):
                return self.exec_if(st, cmd, cio)
            if isinstance(cmd, N.While):
                return self.exec_while(st, cmd, cio)
            if isinstance(cmd, N.For):
                return self.exec_for(st, cmd, cio)
            if isinstance(cmd, N.ArithFor):
                return self.exec_arith_for(st, cmd, cio)
            if isinstance(cmd, N.Case):
                return self.exec_case(st, cmd, cio)
            if isinstance(cmd, N.Group):
                if cmd.subshell:
                    sub = st.copy()
                    try:
                        return self.exec_program(sub, cmd.body, cio)
                    except ExitShell as e:
                        return e.status
                return self.exec_program(st, cmd.body, cio)
            if isinstance(cmd, N.FuncDef):
                st.functions[cmd.name] = cmd.body
                return 0
            if isinstance(cmd, N.DBracket):
                return self.exec_dbracket(st, cmd, cio)
            if isinstance(cmd, N.ArithCmd):
                try:
                    return 0 if arith(self, st, expand_str(self, st, cmd.expr)) else 1
                except ExpansionError as e:
                    cio.err.write(f"{st.prefix()}{e.message}\n")
                    return 1
            raise TypeError(f"unknown node {type(cmd).__name__}")  # pragma: no cover
        finally:
            self.depth -= 1

    # -- compound commands ----------------------------------------------------------------------
    def _cond(self, st: ShellState, prog: N.Program, io: IO) -> int:
        st.cond += 1
        try:
            return self.exec_program(st, prog, io)
        finally:
            st.cond -= 1

    def exec_if(self, st: ShellState, cmd: N.If, io: IO) -> int:
        for cond, body in cmd.branches:
            if self._cond(st, cond, io) == 0:
                return self.exec_program(st, body, io)
        if cmd.orelse is not None:
            return self.exec_program(st, cmd.orelse, io)
        st.status = 0
        return 0

    def _loop_body(self, st: ShellState, body: N.Program, io: IO) -> tuple[int, str | None]:
        st.loop_depth += 1
        try:
            return self.exec_program(st, body, io), None
        except _Break as b:
            if b.n > 1:
                b.n -= 1
                raise
            return st.status, "break"
        except _Continue as c:
            if c.n > 1:
                c.n -= 1
                raise
            return st.status, "continue"
        finally:
            st.loop_depth -= 1

    def exec_while(self, st: ShellState, cmd: N.While, io: IO) -> int:
        status = 0
        while True:
            self.step()
            c = self._cond(st, cmd.cond, io)
            if (c == 0) == cmd.until:
                break
            status, flow = self._loop_body(st, cmd.body, io)
            if flow == "break":
                break
        st.status = status
        return status

    def exec_for(self, st: ShellState, cmd: N.For, io: IO) -> int:
        try:
            items = expand_words(self, st, cmd.words) if cmd.words is not None else list(st.positional)
        except ExpansionError as e:
            io.err.write(f"{st.prefix()}{e.message}\n")
            return 1
        status = 0
        for item in items:
            self.step()
            st.set(cmd.var, item)
            status, flow = self._loop_body(st, cmd.body, io)
            if flow == "break":
                break
        st.status = status
        return status

    def exec_arith_for(self, st: ShellState, cmd: N.ArithFor, io: IO) -> int:
        status = 0
        try:
            if cmd.init.strip():
                arith(self, st, cmd.init)
            while True:
                self.step()
                if cmd.cond.strip() and not arith(self, st, cmd.cond):
                    break
                status, flow = self._loop_body(st, cmd.body, io)
                if flow == "break":
                    break
                if cmd.step.strip():
                    arith(self, st, cmd.step)
        except ExpansionError as e:
            io.err.write(f"{st.prefix()}{e.message}\n")
            return 1
        return status

    def exec_case(self, st: ShellState, cmd: N.Case, io: IO) -> int:
        try:
            word = expand_str(self, st, cmd.word)
        except ExpansionError as e:
            io.err.write(f"{st.prefix()}{e.message}\n")
            return 1
        status = 0
        fall = False
        for patterns, body, term in cmd.items:
            if fall or any(match_pattern(expand_pattern(self, st, p), word) for p in patterns):
                status = self.exec_program(st, body, io)
                if term == ";&":
                    fall = True
                    continue
                if term == ";;&":
                    fall = False
                    continue
                return status
        return status

    def exec_dbracket(self, st: ShellState, cmd: N.DBracket, io: IO) -> int:
        from sandbox.shell.coreutils.testcmd import eval_dbracket

        try:
            return eval_dbracket(self, st, cmd.tokens, io)
        except ExpansionError as e:
            io.err.write(f"{st.prefix()}{e.message}\n")
            return 2

    # -- redirections ---------------------------------------------------------------------------
    def apply_redirs(self, st: ShellState, redirs: list[N.Redirect], io: IO) -> IO:
        if not redirs:
            return io
        try:
            return self._apply_redirs(st, redirs, io)
        except ExpansionError as e:
            raise _RedirError(f"{st.prefix()}{e.message}\n") from None

    def _apply_redirs(self, st: ShellState, redirs: list[N.Redirect], io: IO) -> IO:
        new = io.copy()
        fs = st.host.fs
        for r in redirs:
            op = r.op
            if op in ("<<", "<<-"):
                assert isinstance(r.target, N.HereDoc)
                body = r.target.body
                text = expand_str(self, st, body) if body is not None else ""
                if (r.fd or 0) == 0:
                    new.stdin = Stdin(text)
                continue
            assert isinstance(r.target, N.Word)
            try:
                targets = expand_word(self, st, r.target)
            except ExpansionError as e:
                raise _RedirError(f"{st.prefix()}{e.message}\n") from None
            if op == "<<<":
                new.stdin = Stdin(expand_str(self, st, r.target) + "\n")
                continue
            if len(targets) != 1:
                raise _RedirError(f"{st.prefix()}{r.target.raw}: ambiguous redirect\n")
            target = targets[0]
            if op in (">&", "<&") and (target.isdigit() or target == "-"):
                fd = r.fd if r.fd is not None else (1 if op == ">&" else 0)
                if target == "-":
                    new.fds[fd] = NullWriter()
                elif op == ">&":
                    src = new.fds.get(int(target))
                    if src is None:
                        raise _RedirError(f"{st.prefix()}{target}: Bad file descriptor\n")
                    new.fds[fd] = src
                continue
            if op in (">", ">>", ">|", "&>", "&>>", ">&"):
                writer = self._open_write(st, fs, target, append=op in (">>", "&>>"))
                if op in ("&>", "&>>", ">&"):
                    new.fds[1] = writer
                    new.fds[2] = writer
                else:
                    new.fds[r.fd if r.fd is not None else 1] = writer
                continue
            if op in ("<", "<>"):
                if (r.fd or 0) != 0:
                    continue
                if target in ("/dev/null", "/dev/zero"):
                    new.stdin = Stdin("")
                    continue
                if target in ("/dev/stdin", "/dev/tty", "-") and target != "-":
                    continue
                path = fs.resolve(target, st.cwd, st.home)
                try:
                    new.stdin = Stdin(fs.read(path, display=target))
                except FileError as e:
                    raise _RedirError(f"{st.prefix()}{e}\n") from None
                continue
        return new

    def _open_write(self, st: ShellState, fs: Any, target: str, *, append: bool) -> Writer:
        if target == "/dev/null":
            return NullWriter()
        if target in ("/dev/stdout", "/dev/tty", "/proc/self/fd/1"):
            return self._current_io_out
        if target in ("/dev/stderr", "/proc/self/fd/2"):
            return self._current_io_err
        path = fs.resolve(target, st.cwd, st.home)
        try:
            if not fs.exists(path) or not append:
                fs.write(path, "", display=target)
        except FileError as e:
            if st.flavour == "dash":
                reason = "Directory nonexistent" if e.strerror == "No such file or directory" else e.strerror
                raise _RedirError(f"{st.prefix()}cannot create {target}: {reason}\n", 2) from None
            if st.flavour == "busybox":
                reason = "nonexistent directory" if e.strerror == "No such file or directory" else e.strerror
                raise _RedirError(f"{st.prefix()}can't create {target}: {reason}\n") from None
            raise _RedirError(f"{st.prefix()}{e}\n") from None
        return FileWriter(fs, path)

    _current_io_out: Writer = NullWriter()
    _current_io_err: Writer = NullWriter()

    # -- simple commands ------------------------------------------------------------------------
    def exec_simple(self, st: ShellState, cmd: N.Simple, io: IO) -> int:
        self.step()
        if cmd.line:
            st.line = max(st.line, 1)
        self._current_io_out, self._current_io_err = io.out, io.err
        try:
            argv = expand_words(self, st, cmd.words)
            if any(a.array is not None or a.index is not None for a in cmd.assigns):
                cmd_assigns = [a for a in cmd.assigns if a.array is None and a.index is None]
                self._assign_arrays(st, [a for a in cmd.assigns if a not in cmd_assigns])
            else:
                cmd_assigns = cmd.assigns
            assigns = [(a.name, expand_str(self, st, a.value), a.append) for a in cmd_assigns]
        except ExpansionError as e:
            io.err.write(f"{st.prefix()}{e.message}\n")
            if not st.interactive:  # a non-interactive shell gives up on a failed expansion
                raise ExitShell(127 if e.fatal else (2 if st.flavour == "dash" else e.status)) from None
            return e.status
        # alias expansion (interactive shells, first word as typed)
        if argv and st.aliases and (st.interactive or "expand_aliases" in st.options) and cmd.words and \
                cmd.words[0].literal() == argv[0]:
            argv = self._expand_alias(st, argv)
        if "x" in st.options:
            shown = [f"{n}={v}" for n, v, _ in assigns] + [_quote_for_trace(a) for a in argv]
            io.err.write("+ " + " ".join(shown) + "\n")
        if not argv:
            try:
                for name, value, append in assigns:
                    st.set(name, (st.get(name) + value) if append else value)
            except ExpansionError as e:
                io.err.write(f"{st.prefix()}{e.message}\n")
                return 1
            try:
                self.apply_redirs(st, cmd.redirs, io)
            except _RedirError as e:
                io.err.write(e.message)
                return e.status
            return st.status if cmd.words else (self._last_cmdsub_status(st))
        try:
            cio = self.apply_redirs(st, cmd.redirs, io)
        except _RedirError as e:
            io.err.write(e.message)
            return e.status
        self._current_io_out, self._current_io_err = cio.out, cio.err
        return self.run_argv(st, argv, cio, assigns=assigns)

    def _assign_arrays(self, st: ShellState, assigns: list[N.Assign]) -> None:
        """``a=(x y)``, ``a+=(z)``, ``a[i]=v`` (indexed arrays; element 0 is also ``$a``)."""
        for a in assigns:
            if a.array is not None:
                values = expand_words(self, st, a.array)
                current = dict(st.arrays.get(a.name, {})) if a.append else {}
                if a.append and a.name not in st.arrays and a.name in st.vars:
                    current = {0: st.vars[a.name]}
                start = (max(current) + 1) if current else 0
                for k, v in enumerate(values):
                    current[start + k] = v
                st.set_array(a.name, current)
            else:
                assert a.index is not None
                i = arith(self, st, expand_str(self, st, a.index))
                current = dict(st.arrays.get(a.name, {}))
                if not current and a.name in st.vars:
                    current = {0: st.vars[a.name]}
                value = expand_str(self, st, a.value)
                if i < 0:
                    i = (max(current) + 1 if current else 0) + i
                    if i < 0:
                        raise ExpansionError(f"{a.name}[{a.index.raw}]: bad array subscript")
                current[i] = (current.get(i, "") + value) if a.append else value
                st.set_array(a.name, current)

    def _last_cmdsub_status(self, st: ShellState) -> int:
        status = getattr(st, "_cmdsub_status", 0)
        st._cmdsub_status = 0  # type: ignore[attr-defined]
        return status

    def _expand_alias(self, st: ShellState, argv: list[str]) -> list[str]:
        seen: set[str] = set()
        while argv and argv[0] in st.aliases and argv[0] not in seen:
            seen.add(argv[0])
            value = st.aliases[argv[0]]
            try:
                prog = Parser(value, eof_heredoc_ok=True).parse_all()
                first = prog.items[0].body.first.commands[0] if prog.items else None
                words = expand_words(self, st, first.words) if isinstance(first, N.Simple) else value.split()
            except (ShellSyntaxError, ExpansionError, IndexError):
                words = value.split()
            argv = words + argv[1:]
            if not value.endswith(" "):
                break
        return argv

    def run_argv(self, st: ShellState, argv: list[str], io: IO, *, assigns: list | None = None) -> int:
        """Run an already-expanded command line: function, builtin or program."""
        name = argv[0]
        missing = _MISSING.get(st.flavour, set())
        if name in st.functions and "/" not in name:
            return self.call_function(st, name, argv, io, assigns or [])
        builtin = BUILTIN_TABLE.get(name)
        if builtin is not None and name not in missing:
            saved = self._push_assigns(st, assigns) if assigns else None
            try:
                return builtin(self, st, argv, io)
            finally:
                if saved is not None:
                    self._pop_assigns(st, saved)
        env = st.environ()
        for n, v, append in assigns or []:
            env[n] = (env.get(n, "") + v) if append else v
        if name in BUILTIN_COMMANDS and name not in missing:
            fn = resolve(name, st.host.kind)
            if fn is not None:
                return self.call(fn, st, argv, io, env)
        return self.run_program(st, argv, io, env)

    def run_program(self, st: ShellState, argv: list[str], io: IO, env: dict[str, str]) -> int:
        host = st.host
        name = argv[0]
        base = posixpath.basename(name)
        if "/" in name:
            path = host.fs.resolve(name, st.cwd, st.home)
            found = host.find_executable(path)
            if found is None:
                entry = host.fs.entry(path)
                if entry is None:
                    io.err.write(st.not_found(name) if st.flavour != "bash" else
                                 f"{st.prefix()}{name}: No such file or directory\n")
                    return 127
                if entry.is_dir:
                    io.err.write(f"{st.prefix()}{name}: Is a directory\n")
                    return 126
                if not entry.mode & 0o111:
                    io.err.write(f"{st.prefix()}{name}: Permission denied\n")
                    return 126
                return self.run_script_file(st, path, argv, io, env)
            argv = [base] + argv[1:]
            name = base
        elif name not in host.binaries:
            io.err.write(st.not_found(name))
            return 127
        fn = resolve(name, host.kind)
        if fn is None:
            # the host has this program but the lab does not simulate it: say so rather than
            # pretend it is missing (which would teach the wrong thing about the image)
            io.err.write(f"kubelab: {argv[0]}: this program exists here but is not simulated in the lab\n")
            return 127
        if st.flavour == "bash" and "PWD" in env:
            env["_"] = host.find_executable(name) or name  # bash passes the program's path in $_
        return self.call(fn, st, argv, io, env)

    def call(self, fn: Any, st: ShellState, argv: list[str], io: IO, env: dict[str, str]) -> int:
        runtime = _Runtime(self, st, io)
        ctx = CommandContext(argv=list(argv), stdin=io.stdin, env=env, cwd=st.cwd, host=st.host, lab=self.lab,
                             runtime=runtime, out=io.out.write, err=io.err.write, tty=io.out.is_tty,
                             stdin_tty=io.stdin.is_tty)
        ctx.shell = st  # type: ignore[attr-defined]
        ctx.background = self._bg_stops is not None  # type: ignore[attr-defined]
        ctx.keep_running = self._keep_running  # type: ignore[attr-defined]
        try:
            status = fn(ctx)
        except (Interrupted, BudgetExceeded, DeadlineExceeded, ExitShell, _Break, _Continue, _Return):
            raise
        except FileError as e:
            io.err.write(f"{argv[0]}: {e}\n")
            return 1
        except RecursionError:
            io.err.write(f"{argv[0]}: nesting too deep\n")
            return 1
        except Exception as e:  # a bug in a command must not take the lab down
            record = getattr(self.lab, "record_crash", None)
            if record is not None:
                record(argv, traceback.format_exc())
            io.err.write(f"kubelab: internal error in {argv[0]!r}: {type(e).__name__}: {e}\n")
            return 70
        if not isinstance(status, int):
            status = 0 if status is None else 1
        return status & 0xFF if status >= 0 else (256 + status) & 0xFF

    def run_script_file(self, st: ShellState, path: str, argv: list[str], io: IO, env: dict[str, str]) -> int:
        text = st.host.fs.read(path)
        flavour = st.host.shell_flavour or "busybox"
        first = text.split("\n", 1)[0]
        if first.startswith("#!"):
            interp = first[2:].strip().split()
            prog = posixpath.basename(interp[0]) if interp else "sh"
            if prog == "env" and len(interp) > 1:
                prog = interp[1]
            if prog == "bash":
                flavour = "bash"
        sub = self.new_state(st.host, flavour=flavour, name=argv[0], env=env, cwd=st.cwd, interactive=False)
        sub.mode = "script"
        sub.positional = argv[1:]
        if flavour == "bash":
            sub.name = argv[0]
        return self.run_sub(sub, text, io)

    def new_state(self, host: Host, *, flavour: str, name: str, env: dict[str, str] | None, cwd: str | None,
                  interactive: bool, set_pwd: bool = True) -> ShellState:
        st = ShellState(host, flavour=flavour, name=name, interactive=interactive, env=env, cwd=cwd,
                        set_pwd=set_pwd)
        cluster = getattr(self.lab, "cluster", None)
        st.clock = getattr(cluster, "clock", None)
        st.rng = getattr(cluster, "rng", None)
        if st.clock is not None:
            st.start_seconds = st.clock.seconds
        st.pid = self.lab.next_pid(host) if hasattr(self.lab, "next_pid") else 1
        return st

    def run_sub(self, st: ShellState, text: str, io: IO) -> int:
        """Run a non-interactive shell (``sh -c``, a script) to completion; returns its status."""
        try:
            return self.run_text(st, text, io, script=True)
        except ExitShell as e:
            return e.status
        except (_Break, _Continue):
            return st.status
        except _Return as r:
            return r.status

    def call_function(self, st: ShellState, name: str, argv: list[str], io: IO, assigns: list) -> int:
        body = st.functions[name]
        saved_pos = st.positional
        st.positional = argv[1:]
        st.locals.append({})
        saved = self._push_assigns(st, assigns) if assigns else None
        try:
            return self.exec_command(st, body, io)
        except _Return as r:
            return r.status
        finally:
            frame = st.locals.pop()
            for k, v in frame.items():
                if v is None:
                    st.vars.pop(k, None)
                else:
                    st.vars[k] = v
            st.positional = saved_pos
            if saved is not None:
                self._pop_assigns(st, saved)

    def _push_assigns(self, st: ShellState, assigns: list) -> list:
        saved = []
        for n, v, append in assigns:
            saved.append((n, st.vars.get(n), n in st.exported))
            st.vars[n] = (st.get(n) + v) if append else v
            st.exported.add(n)
        return saved

    @staticmethod
    def _pop_assigns(st: ShellState, saved: list) -> None:
        for n, old, was_exported in reversed(saved):
            if old is None:
                st.vars.pop(n, None)
            else:
                st.vars[n] = old
            if not was_exported:
                st.exported.discard(n)

    def process_substitution(self, st: ShellState, body: N.Program) -> str:
        """``<(cmd)``: run it now and hand out a file holding its output (/dev/fd/63, 62, ...)."""
        saved_status = st.status
        text = self.command_substitution(st, body, strip=False)
        st.status = saved_status
        fs = st.host.fs
        fs.add_dir("/dev/fd")
        n = 63
        while fs.exists(f"/dev/fd/{n}") and n > 10:
            n -= 1
        path = f"/dev/fd/{n}"
        fs.write(path, text)
        self.proc_files.append((fs, path))
        return path

    def command_substitution(self, st: ShellState, body: N.Program, *, strip: bool = True) -> str:
        sub = st.copy()
        sub.interactive = False
        out = BufWriter()
        io = IO(Stdin(""), out, self._current_io_err)
        saved = (self._current_io_out, self._current_io_err)
        try:
            status = self.exec_program(sub, body, io)
        except ExitShell as e:
            status = e.status
        except (_Break, _Continue):
            status = sub.status
        finally:
            self._current_io_out, self._current_io_err = saved
        st._cmdsub_status = status  # type: ignore[attr-defined]
        st.status = status
        return out.getvalue().rstrip("\n") if strip else out.getvalue()


class _RedirError(Exception):
    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


class _Runtime:
    """What a CommandContext delegates to: the interpreter, in the state the command runs in."""

    def __init__(self, interp: Interpreter, st: ShellState, io: IO) -> None:
        self.interp = interp
        self.st = st
        self.io = io

    def sleep(self, seconds: float) -> None:
        lab = self.interp.lab
        if lab is not None and hasattr(lab, "_sleep"):
            lab._sleep(seconds)
        self.interp.check_interrupt()

    def check_interrupt(self) -> None:
        self.interp.check_interrupt()

    def push_session(self, host: Host, user_shell: str, *, on_exit=None, cwd=None, env=None) -> None:
        self.interp.lab.push_session(host, user_shell, on_exit=on_exit, cwd=cwd, env=env)

    def exec(self, host: Host, argv: list[str], *, stdin: str = "", env=None, cwd=None, tty=False) -> ExecResult:
        return self.interp.lab.exec_on(host, argv, stdin=stdin, env=env, cwd=cwd, tty=tty)

    def run_script(self, text: str, ctx: CommandContext) -> int:
        io = IO(Stdin(ctx.stdin if isinstance(ctx.stdin, str) else ""), _CtxWriter(ctx.out), _CtxWriter(ctx.err))
        return self.interp.run_sub(self.st, text, io)


class _CtxWriter(Writer):
    def __init__(self, fn) -> None:
        self.fn = fn

    def write(self, text: str) -> None:
        self.fn(text)


def _quote_for_trace(a: str) -> str:
    if a and re.fullmatch(r"[\w@%+=:,./-]+", a):
        return a
    return "'" + a.replace("'", "'\\''") + "'"


def running_jobs(st: ShellState) -> list[tuple[int, str, list]]:
    """The shell's background servers still running: (job number, text, stop callbacks)."""
    jobs = getattr(st, "running_jobs", None)
    if jobs is None:
        jobs = []
        st.running_jobs = jobs  # type: ignore[attr-defined]
    return jobs


def next_job_number(st: ShellState) -> int:
    """bash numbers a new job one above the highest job it still tracks."""
    used = [n for n, _t, _s in running_jobs(st)] + [j[2] if len(j) > 2 else i for i, j in enumerate(st.jobs, 1)]
    return max(used, default=0) + 1


def stop_job(st: ShellState, spec: str) -> bool:
    """``kill %N`` / ``kill %%``: stop a running background server; its Terminated notice follows."""
    jobs = running_jobs(st)
    num = spec[1:]
    for i, (n, text, stops) in enumerate(jobs):
        if (num in ("", "%", "+") and i == len(jobs) - 1) or num == str(n):
            for stop in stops:
                stop()
            del jobs[i]
            st.jobs.append((text, 143, n))  # type: ignore[arg-type]
            return True
    return False


__all__ = ["Interpreter", "ShellState", "ExitShell", "Incomplete"]
