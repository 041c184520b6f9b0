"""The stack of interactive shells a learner is in: the node's login shell at the bottom, then any
``ssh node01`` / ``kubectl exec -it POD -- sh`` on top. ``exit`` pops back to the previous one."""

from __future__ import annotations

import posixpath
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

    def prompt(self) -> str:
        return self.host.prompt(self.state.cwd, self.state.flavour, home=self.state.home, user=self.state.user)


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
