"""The central table of commands and the modules that implement them (imported on first use).

Other layers: tell the shell owner your entry point, or read it here. An entry that cannot be
imported yet (its module is still being written) behaves as an absent program.
"""

from __future__ import annotations

from sandbox.shell.registry import register_lazy

#: name -> "module:function" (where="any" unless listed in _NODE_ONLY / _CONTAINER_ONLY)
TABLE: dict[str, str] = {
    # kubectl (kubectl dev)
    "kubectl": "sandbox.kubectl.cli:kubectl",
}

#: (name, where, target) for implementations that differ between nodes and containers
SPLIT: list[tuple[str, str, str]] = []

#: coreutils implemented by the shell package itself
_CORE_MODULES = {
    "sandbox.shell.coreutils.basic": (
        "echo printf true false pwd hostname whoami id uname clear env printenv sleep date seq "
        "basename dirname yes nproc which base64 timeout watch history kill"
    ),
    "sandbox.shell.coreutils.testcmd": "test [",
    "sandbox.shell.coreutils.files": "cat ls mkdir rm rmdir cp mv touch ln chmod find tee readlink realpath less more sysctl",
    "sandbox.shell.coreutils.text": "head tail wc sort uniq cut tr tac rev xargs expr",
    "sandbox.shell.coreutils.grep": "grep egrep fgrep",
    "sandbox.shell.coreutils.sed": "sed",
    "sandbox.shell.coreutils.awk": "awk",
    "sandbox.shell.coreutils.jqcmd": "jq",
    "sandbox.shell.coreutils.shells": "sh bash dash ash zsh ssh sudo",
    "sandbox.shell.coreutils.packages": "apt-get apt apk",
    "sandbox.shell.coreutils.editors": "vi vim nano",
    "sandbox.shell.coreutils.procs": "ps",
}


def _fn_name(name: str) -> str:
    return {"[": "test", "egrep": "grep", "fgrep": "grep", "printenv": "env", "less": "cat", "more": "cat"}.get(name, name).replace("-", "_") + "_cmd"


def _layer_tables() -> dict[str, str]:
    """Tables other layers publish: ``sandbox.tools.TOOLS`` (ipvsadm, ipset, iptables-save, ip, ping, nc)
    and ``sandbox.network.clients.TOOLS`` (curl, wget, nslookup, dig, host, getent)."""
    out: dict[str, str] = {}
    try:
        from sandbox.tools import TOOLS
    except ImportError:  # pragma: no cover - layer not present
        return out
    out.update(TOOLS)
    try:
        from sandbox.network.clients import TOOLS as CLIENTS
    except ImportError:  # pragma: no cover - layer not present
        return out
    out.update(CLIENTS)
    return out


def install() -> None:
    """Register every entry (cheap: nothing is imported here)."""
    for module, names in _CORE_MODULES.items():
        for name in names.split():
            register_lazy(name, f"{module}:{_fn_name(name)}")
    for name, target in TABLE.items():
        register_lazy(name, target)
    for name, target in _layer_tables().items():
        register_lazy(name, target)
    for name, where, target in SPLIT:
        register_lazy(name, target, where=where)
