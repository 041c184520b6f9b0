"""The stack of interactive shells a learner is in: the node's login shell at the bottom, then any
``ssh node01`` / ``kubectl exec -it POD -- sh`` on top. ``exit`` pops back to the previous one."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sandbox.shell.host import Host
from sandbox.shell.interp import ShellState


@dataclass
class Session:
    host: Host
    state: ShellState
    on_exit: Callable[[Any, int], int] | None = None
    user_shell: str = "bash"
    login: bool = False
    history: list[str] = field(default_factory=list)

    #: PS1 as the shell started with it; a learner's own PS1 replaces the host's stock prompt
    initial_ps1: str | None = None

    @property
    def cwd(self) -> str:
        return self.state.cwd

    @property
    def env(self) -> dict[str, str]:
        return self.state.environ()

    def prompt(self) -> str:
        st = self.state
        ps1 = st.vars.get("PS1")
        if ps1 is not None and ps1 != self.initial_ps1:
            return expand_ps1(ps1, st)
        return self.host.prompt(st.cwd, st.flavour, home=st.home, user=st.user)


_PS1 = re.compile(r"\\([uhHwW$snv\\\[\]tTdA@]|[0-7]{3})|\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?")


def expand_ps1(ps1: str, st: ShellState) -> str:
    """bash's prompt escapes (\\u \\h \\w \\W \\$ \\s \\v ...) and $VAR; dash shows PS1 as it is."""
    if st.flavour == "dash":
        return ps1
    home = st.home

    def sub(m: re.Match) -> str:
        esc, var = m.group(1), m.group(2)
        if var is not None:
            return st.get(var)
        tilde = st.cwd
        if home and home != "/" and (tilde == home or tilde.startswith(home + "/")):
            tilde = "~" + tilde[len(home):]
        if esc in ("[", "]"):
            return ""
        if len(esc) == 3:
            return chr(int(esc, 8))
        clock = st.clock
        now = clock.now if clock is not None else None
        return {
            "u": st.user, "h": st.host.hostname.split(".")[0], "H": st.host.hostname, "w": tilde,
            "W": "~" if tilde == "~" else (posixpath.basename(st.cwd) or "/"), "$": "#" if st.user == "root" else "$",
            "s": posixpath.basename(st.name.lstrip("-")), "v": "5.2", "n": "\n", "\\": "\\",
            "t": now.strftime("%H:%M:%S") if now else "", "T": now.strftime("%I:%M:%S") if now else "",
            "@": now.strftime("%I:%M %p") if now else "", "A": now.strftime("%H:%M") if now else "",
            "d": now.strftime("%a %b %d") if now else "",
        }.get(esc, m.group(0))

    return _PS1.sub(sub, ps1)


def shell_flavour(host: Host, user_shell: str) -> tuple[str, str]:
    """(flavour, name used in its messages) for running ``user_shell`` on ``host``."""
    base = posixpath.basename(user_shell)
    if base == "bash":
        return "bash", "bash"
    if base == "zsh":
        return "zsh", "zsh"
    if base == "dash":
        return "dash", user_shell if "/" in user_shell else "sh"
    if base in ("ash",):
        return "busybox", user_shell
    # sh: whatever /bin/sh is on this host
    flavour = host.shell_flavour or "busybox"
    if flavour == "bash":
        flavour = "dash" if host.kind == "node" else "bash"
    return flavour, user_shell
