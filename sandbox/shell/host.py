"""Where a command runs: a node or a container, with its files, programs, shell flavour and prompt.

A command exists on a host iff its name is in ``host.binaries`` (shell builtins always exist). The
shell *flavour* decides prompts and error wording: ``bash`` (GNU bash), ``dash`` (Debian's sh),
``busybox`` (busybox ash, also alpine's sh), ``zsh``.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from typing import Any

from sandbox.shell.vfs import VirtualFS

#: Programs every GNU userland (the nodes, Debian/Ubuntu images) has.
COREUTILS = frozenset(
    "echo printf cat ls cd pwd mkdir rm rmdir cp mv touch head tail grep egrep fgrep wc sort uniq cut tr "
    "sed awk tee xargs seq sleep date env printenv hostname whoami id uname clear true false base64 "
    "which basename dirname timeout test [ ln chmod find yes nproc tac rev expr readlink "
    "realpath sh dash bash kill".split()
)

#: What a kubeadm node has on top of coreutils (kubectl only on the control plane).
NODE_TOOLS = frozenset(
    "ipvsadm ip ipset iptables iptables-save curl ping nslookup dig host nc jq ssh watch history "
    "crictl wget getent less more sudo sysctl vi vim nano systemctl journalctl kubeadm kubelet containerd "
    "ctr tar gzip ps top free df du mount netstat ss tcpdump".split()
)

#: Names the shell itself implements: they exist on every host that has a shell.
BUILTINS = frozenset(
    "cd pwd echo printf export unset set exit return true false test [ [[ source . alias unalias "
    "type read shift eval exec : let local break continue history umask wait jobs trap declare "
    "typeset readonly hash command builtin getopts times ulimit".split()
)


class Host:
    """A node or a container. ``fs`` is built lazily on first access by ``fs_factory``."""

    def __init__(
        self,
        *,
        kind: str,
        name: str,
        hostname: str,
        shell_flavour: str | None,
        binaries: set[str] | frozenset[str],
        user: str = "root",
        home: str = "/root",
        fs_factory: Callable[[Host], VirtualFS] | None = None,
        env: dict[str, str] | None = None,
        source_info: dict[str, Any] | None = None,
        node: str | None = None,
        pod: dict | None = None,
        container: str | None = None,
        bin_dirs: tuple[str, ...] = ("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"),
    ) -> None:
        self.kind = kind
        self.name = name
        self.hostname = hostname
        self.shell_flavour = shell_flavour
        self.binaries: set[str] = set(binaries)
        self.user = user
        self.home = home
        self.env = dict(env or {})
        self.node = node if node is not None else (name if kind == "node" else None)
        self.pod = pod
        self.container = container
        self.bin_dirs = bin_dirs
        self._source_info = source_info or {}
        self._fs_factory = fs_factory
        self._fs: VirtualFS | None = None
        self.alive = True

    # -- files ----------------------------------------------------------------------------------
    @property
    def fs(self) -> VirtualFS:
        if self._fs is None:
            self._fs = self._fs_factory(self) if self._fs_factory else VirtualFS()
        return self._fs

    # -- programs -------------------------------------------------------------------------------
    @property
    def has_shell(self) -> bool:
        return self.shell_flavour is not None

    def has(self, name: str) -> bool:
        """Is ``name`` a program on this host (by bare name or absolute path)?"""
        return self.find_executable(name) is not None

    def find_executable(self, name: str) -> str | None:
        """The path a program resolves to, like execvp: ``sh`` -> ``/bin/sh``; None if absent."""
        if "/" in name:
            base = posixpath.basename(name)
            if base in self.binaries and posixpath.dirname(name) in self.bin_dirs:
                return name
            return None
        if name not in self.binaries:
            return None
        sbin = name in {"ip", "ipvsadm", "ipset", "iptables", "iptables-save", "sshd", "conntrack", "nft", "sysctl"}
        if self.kind == "container" and self.shell_flavour == "busybox" and name not in {
                "curl", "jq", "dig", "host", "bash", "zsh", "nc", "kubectl"}:
            return ("/sbin/" if sbin else "/bin/") + name
        return ("/usr/sbin/" if sbin else "/usr/bin/") + name

    # -- identity -------------------------------------------------------------------------------
    def prompt(self, cwd: str, flavour: str | None = None, *, home: str | None = None,
               user: str | None = None) -> str:
        """The shell's PS1 for this host in ``cwd``: each flavour's stock prompt."""
        flavour = flavour or self.shell_flavour or "busybox"
        user = user or self.user
        home = home if home is not None else self.home
        root = user == "root"
        sign = "#" if root else "$"
        tilde = cwd
        if home and home != "/" and (cwd == home or cwd.startswith(home + "/")):
            tilde = "~" + cwd[len(home):]
        if self.kind == "node":
            # killercoda-style kubeadm node: PS1='\h:\w$ ' even for root
            return f"{self.hostname}:{tilde}$ "
        if flavour == "dash":
            return f"{sign} "
        if flavour == "busybox":
            return f"{tilde} {sign} "
        if flavour == "bash" and self._source_info.get("distro") == "debian":
            return f"{user}@{self.hostname}:{tilde}{sign} "
        if flavour == "bash" and self._source_info.get("bash_ps1_default"):
            # an older alpine without /etc/bash/bashrc: bash's built-in PS1 '\s-\v\$ ' (seed 004)
            return f"bash-5.1{sign} "
        # alpine's /etc/bash/bashrc and netshoot: PS1='\h:\w\$ '
        return f"{self.hostname}:{tilde}{sign} "

    def source(self) -> Any:
        """The network identity of this host (``sandbox.network.Source``)."""
        from sandbox.network import Source  # type: ignore[attr-defined]

        return Source(**self._source_info_for_network())

    def _source_info_for_network(self) -> dict[str, Any]:
        info = {k: v for k, v in self._source_info.items() if k in {"kind", "node", "ip", "pod", "namespace"}}
        info.setdefault("kind", "node" if self.kind == "node" else "pod")
        info.setdefault("node", self.node or self.name)
        return info

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Host({self.kind}, {self.name!r})"
