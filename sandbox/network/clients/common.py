"""What the client tools share: which implementation and version runs here, URLs, name resolution.

The same command name behaves differently per image (busybox wget vs GNU wget, curl 7.88 vs 8.x,
busybox 1.36 vs 1.28 vs bind nslookup); :func:`tool_impl` reads it from the image catalogue, and from
the node defaults (Ubuntu 24.04) on nodes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

#: What an Ubuntu 24.04 kubeadm node has installed.
NODE_TOOLS = {
    "curl": "curl 8.5.0",
    "wget": "gnu 1.21.4",
    "nslookup": "bind 9.18.30",
    "dig": "bind 9.18.30",
    "host": "bind 9.18.30",
    "getent": "glibc 2.39",
}
DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass
class Impl:
    """``family`` is curl / gnu / busybox / bind / glibc / musl; ``version`` a tuple for comparisons."""

    family: str
    version: tuple[int, ...]
    text: str
    libc: str = "glibc"

    def at_least(self, *v: int) -> bool:
        return self.version >= v


def _parse_impl(text: str) -> Impl:
    parts = text.split()
    family = parts[0] if parts else "busybox"
    version = tuple(int(x) for x in re.findall(r"\d+", parts[1])) if len(parts) > 1 else (0,)
    libc = parts[2] if len(parts) > 2 else ("musl" if family == "busybox" else "glibc")
    return Impl(family, version, parts[1] if len(parts) > 1 else "", libc)


def container_image(host: Any) -> Any:
    """The ImageInfo of the container a host is, or None for nodes."""
    if host.kind != "container" or not host.pod:
        return None
    from sandbox.workloads.images import image_info

    for c in (host.pod.get("spec") or {}).get("containers") or []:
        if host.container in (None, c.get("name")):
            return image_info(c.get("image", ""))
    return None


def tool_impl(ctx: Any, name: str) -> Impl:
    image = container_image(ctx.host)
    if image is None:
        return _parse_impl(NODE_TOOLS.get(name, "gnu 0"))
    text = image.tools.get(name)
    if text is None:
        # a busybox-based image without an explicit entry: the applet
        shell_impl = image.tools.get("sh", "")
        text = shell_impl if shell_impl.startswith("busybox") else NODE_TOOLS.get(name, "gnu 0")
    return _parse_impl(text)


def resolver_mode(ctx: Any) -> str:
    """Which getaddrinfo rules apply to the programs of this host (dns.md §4)."""
    image = container_image(ctx.host)
    if image is None:
        return "glibc"
    sh = image.tools.get("sh", "")
    if sh.startswith("busybox") and not sh.endswith("glibc"):
        return "musl"
    if image.os_release and "Alpine" in image.os_release:
        return "musl"
    return "glibc"


@dataclass
class Url:
    scheme: str
    host: str
    port: int
    path: str
    explicit_port: bool
    raw: str

    @property
    def host_port(self) -> str:
        return f"{self.host}:{self.port}" if self.explicit_port else self.host

    @property
    def normalized(self) -> str:
        return f"{self.scheme}://{self.host_port}{self.path}"


class UrlError(Exception):
    pass


_URL = re.compile(r"^(?:(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://)?(?P<host>\[[^\]]*\]|[^/:?#]*)(?::(?P<port>[^/?#]*))?(?P<rest>.*)$")


def parse_url(text: str) -> Url:
    m = _URL.match(text.strip())
    if not m or not m.group("host"):
        raise UrlError(text)
    scheme = (m.group("scheme") or "http").lower()
    port_text = m.group("port")
    if port_text not in (None, ""):
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise UrlError(text)
        port, explicit = int(port_text), True
    else:
        port, explicit = DEFAULT_PORTS.get(scheme, 80), False
    rest = m.group("rest") or "/"
    if rest.startswith("?"):
        rest = "/" + rest
    rest = rest.split("#", 1)[0] or "/"
    return Url(scheme, m.group("host"), port, rest, explicit, text)


class OptionError(Exception):
    """``kind`` is "unknown" or "missing" (an option that needs a value got none); ``option`` as typed."""

    def __init__(self, kind: str, option: str) -> None:
        super().__init__(option)
        self.kind = kind
        self.option = option


def scan_options(argv: list[str], flags: dict[str, str | None], takes_value: dict[str, str]
                 ) -> tuple[list[tuple[str, str | None]], list[str]]:
    """getopt_long-style scan shared by curl and wget: ``--name[=value]``, grouped short flags
    (``-sS``, ``-qO-``), ``--`` ending options. Returns the (attribute, value) settings in order (value
    None for a flag) and the positional words; ignored options map to ``None``."""
    settings: list[tuple[str, str | None]] = []
    words: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        i += 1
        if arg == "--":
            words += argv[i:]
            break
        if arg.startswith("--"):
            name, eq, value = arg.partition("=")
            if name in flags:
                if flags[name]:
                    settings.append((flags[name], None))
            elif name in takes_value:
                if not eq:
                    if i >= len(argv):
                        raise OptionError("missing", name)
                    value, i = argv[i], i + 1
                settings.append((takes_value[name], value))
            else:
                raise OptionError("unknown", arg)
            continue
        if arg.startswith("-") and len(arg) > 1:
            for j in range(1, len(arg)):
                flag = "-" + arg[j]
                if flag in flags:
                    if flags[flag]:
                        settings.append((flags[flag], None))
                    continue
                if flag in takes_value:
                    value = arg[j + 1:]
                    if not value:
                        if i >= len(argv):
                            raise OptionError("missing", flag)
                        value, i = argv[i], i + 1
                    settings.append((takes_value[flag], value))
                    break
                raise OptionError("unknown", arg if arg.startswith("--") else f"-{arg[j]}")
            continue
        words.append(arg)
    return settings, words


def hosts_text(ctx: Any) -> str | None:
    try:
        return ctx.read_file("/etc/hosts")
    except Exception:  # noqa: BLE001 - no /etc/hosts: DNS only
        return None


def resolve(ctx: Any, name: str, mode: str | None = None, qtypes: tuple[str, ...] = ("A", "AAAA")) -> Any:
    """getaddrinfo from this host: a ``sandbox.network.resolver.Lookup`` (waits the time it took)."""
    from sandbox.network.resolver import lookup

    network = ctx.lab.cluster.network
    result = lookup(network, ctx.host.source(), name, mode=mode or resolver_mode(ctx), qtypes=qtypes,
                    hosts=hosts_text(ctx))
    if result.elapsed:
        ctx.sleep(result.elapsed)
    return result


def network_of(ctx: Any) -> Any:
    return ctx.lab.cluster.network


def wait(ctx: Any, seconds: float | None) -> None:
    if seconds:
        ctx.sleep(seconds)


def reason_phrase(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
