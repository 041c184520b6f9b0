"""One shell process's state (variables, cwd, functions, options) and the control-flow signals."""

from __future__ import annotations

from typing import Any

from sandbox.shell.expand import ExpansionError
from sandbox.shell.host import Host

BUILTIN_COMMANDS = frozenset(["echo", "printf", "test", "[", "true", "false", "pwd", "kill", "history"])
#: builtins a flavour lacks
_MISSING = {
    "dash": {"source", "[[", "let", "declare", "typeset", "history", "shopt"},
    "busybox": {"declare", "typeset", "shopt"},
}


class ExitShell(Exception):  # noqa: N818
    def __init__(self, status: int) -> None:
        self.status = status


class _Break(Exception):  # noqa: N818
    def __init__(self, n: int) -> None:
        self.n = n


class _Continue(Exception):  # noqa: N818
    def __init__(self, n: int) -> None:
        self.n = n


class _Return(Exception):  # noqa: N818
    def __init__(self, status: int) -> None:
        self.status = status


class ShellState:
    """One shell process."""

    def __init__(self, host: Host, *, flavour: str, name: str, interactive: bool, env: dict[str, str] | None = None,
                 cwd: str | None = None, user: str | None = None, home: str | None = None, pid: int = 1,
                 set_pwd: bool = True) -> None:
        self.host = host
        self.flavour = flavour
        self.name = name
        self.argv0 = name
        self.interactive = interactive
        self.user = user or host.user
        self.home = home if home is not None else host.home
        self.vars: dict[str, str] = {}
        self.exported: set[str] = set()
        self.readonly: set[str] = set()
        self.aliases: dict[str, str] = {}
        self.functions: dict[str, Any] = {}
        self.positional: list[str] = []
        self.status = 0
        self.options: set[str] = set()
        self.cwd = cwd or self.home or "/"
        self.pid = pid
        self.last_bg: str | None = None
        self.jobs: list[tuple[str, int]] = []  # background jobs of the last line: (text, status)
        self.arrays: dict[str, dict[int, str]] = {}  # indexed arrays (element 0 mirrors the scalar)
        self.history: list[str] = []
        self.line = 0
        self.mode = "interactive" if interactive else "-c"  # "-c" string or "script" file
        self.cond = 0
        self.locals: list[dict[str, str | None]] = []
        self.loop_depth = 0
        self.start_seconds = 0.0
        self.clock = None
        self.rng = None
        for k, v in (env or {}).items():
            self.vars[k] = v
            self.exported.add(k)
        if set_pwd:
            self.vars.setdefault("PWD", self.cwd)
            self.exported.add("PWD")
        self.vars.setdefault("IFS", " \t\n")

    # -- variables ------------------------------------------------------------------------------
    def get(self, name: str, default: str = "") -> str:
        v = self.vars.get(name)
        return default if v is None else v

    def is_set(self, name: str) -> bool:
        return name in self.vars

    def get_dynamic(self, name: str) -> str | None:
        if name == "RANDOM" and self.rng is not None:
            return str(self.rng.randrange(32768))
        if name == "SECONDS" and self.clock is not None:
            return str(int(self.clock.seconds - self.start_seconds))
        if name == "LINENO":
            return str(max(self.line, 1))
        if name == "PWD":
            return self.cwd
        return self.vars.get(name)

    def set(self, name: str, value: str) -> None:
        if name in self.readonly:
            raise ExpansionError(f"{name}: readonly variable")
        self.vars[name] = value
        if name in self.arrays:
            self.arrays[name][0] = value
        if name == "PWD":
            self.cwd = value

    def unset(self, name: str) -> None:
        if name in self.readonly:
            raise ExpansionError(f"{name}: cannot unset: readonly variable")
        self.vars.pop(name, None)
        self.arrays.pop(name, None)
        self.exported.discard(name)

    def set_array(self, name: str, values: dict[int, str]) -> None:
        if name in self.readonly:
            raise ExpansionError(f"{name}: readonly variable")
        self.arrays[name] = values
        if 0 in values:
            self.vars[name] = values[0]
        else:
            self.vars.pop(name, None)

    def environ(self) -> dict[str, str]:
        """Exported variables in the order they entered the environment (what ``env`` lists)."""
        env = {k: v for k, v in self.vars.items() if k in self.exported}
        if "PWD" in env:
            env["PWD"] = self.cwd
        return env

    def copy(self) -> ShellState:
        new = ShellState.__new__(ShellState)
        new.__dict__.update(self.__dict__)
        new.vars = dict(self.vars)
        new.exported = set(self.exported)
        new.readonly = set(self.readonly)
        new.aliases = dict(self.aliases)
        new.functions = dict(self.functions)
        new.positional = list(self.positional)
        new.options = set(self.options)
        new.locals = []
        new.jobs = []
        new.arrays = {k: dict(v) for k, v in self.arrays.items()}
        return new

    # -- messages -------------------------------------------------------------------------------
    def prefix(self, line: int | None = None) -> str:
        """What the shell prints before its own error messages."""
        if self.flavour == "dash":
            return f"{self.name}: {line or max(self.line, 1)}: "
        if self.flavour == "bash" and not self.interactive:
            return f"{self.name}: line {line or max(self.line, 1)}: "
        return f"{self.name}: "

    def not_found(self, cmd: str) -> str:
        if self.flavour == "zsh":
            return f"zsh: command not found: {cmd}\n"
        if self.flavour == "bash":
            if "/" in cmd:
                return f"{self.prefix()}{cmd}: No such file or directory\n"
            return f"{self.prefix()}{cmd}: command not found\n"
        return f"{self.prefix()}{cmd}: not found\n"
