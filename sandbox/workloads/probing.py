"""Probes and lifecycle hooks as the kubelet's prober runs them against a live container.

httpGet asks the pod's real listener (200-399 passes), tcpSocket checks that something listens, exec
runs the command in the container with :mod:`minish` (its exit status decides); the texts are the
prober's (pkg/probe/http, pkg/probe/tcp, pkg/kubelet/prober).
"""

from __future__ import annotations

import random
import shlex
from dataclasses import dataclass
from datetime import datetime

from sandbox.workloads import minish
from sandbox.workloads.http import HttpRequest
from sandbox.workloads.program import Handler
from sandbox.workloads.runtime import ContainerRuntime

PROBE_USER_AGENT = "kube-probe/1.37"
SHELLS = ("sh", "ash", "bash", "dash", "zsh")


@dataclass
class ProbeTarget:
    """Where a probe goes: the container (for exec and named ports) and its pod's network identity."""

    rt: ContainerRuntime | None
    container: dict
    listeners: dict[tuple[str, int], Handler]
    pod_ip: str
    node_ip: str
    rng: random.Random
    now: datetime


def resolve_port(container: dict, port: object) -> int | None:
    """A probe port: a number, or the name of one of the container's ports."""
    if isinstance(port, int):
        return port
    if isinstance(port, str) and port.isdigit():
        return int(port)
    for p in container.get("ports") or []:
        if p.get("name") == port:
            return int(p["containerPort"])
    return None


def probe(spec: dict, target: ProbeTarget) -> tuple[bool, str]:
    """One probe attempt: (passed, the failure text the Unhealthy event quotes)."""
    if spec.get("httpGet") is not None:
        return _http_get(spec["httpGet"], target)
    if spec.get("tcpSocket") is not None:
        ts = spec["tcpSocket"]
        port = resolve_port(target.container, ts.get("port"))
        host = ts.get("host") or target.pod_ip
        if port is not None and ("TCP", port) in target.listeners:
            return True, ""
        return False, f"dial tcp {host}:{port}: connect: connection refused"
    if spec.get("exec") is not None:
        return exec_in(target.rt, list(spec["exec"].get("command") or []), float(spec.get("timeoutSeconds") or 1),
                       target.rng)
    return True, ""            # grpc: every catalogue program that would be probed so answers SERVING


def _http_get(hg: dict, target: ProbeTarget) -> tuple[bool, str]:
    port = resolve_port(target.container, hg.get("port"))
    host = hg.get("host") or target.pod_ip
    scheme = (hg.get("scheme") or "HTTP").lower()
    path = hg.get("path") or "/"
    if not path.startswith("/"):
        path = "/" + path
    if port is None:
        return False, f"unable to resolve port {hg.get('port')!r}"
    url = f"{scheme}://{host}:{port}{path}"
    handler = target.listeners.get(("TCP", port))
    if handler is None:
        return False, f'Get "{url}": dial tcp {host}:{port}: connect: connection refused'
    if handler.kind == "tls":
        return (True, "") if scheme == "https" else (False, "HTTP probe failed with statuscode: 400")
    if handler.kind != "http":
        return False, f'Get "{url}": EOF'
    if scheme == "https":
        return False, f'Get "{url}": http: server gave HTTP response to HTTPS client'
    headers = [("Host", f"{host}:{port}"), ("User-Agent", PROBE_USER_AGENT), ("Accept", "*/*")]
    for h in hg.get("httpHeaders") or []:
        headers = [kv for kv in headers if kv[0].lower() != h.get("name", "").lower()]
        headers.append((h.get("name", ""), h.get("value", "")))
    headers.append(("Connection", "close"))
    request = HttpRequest(method="GET", path=path, headers=headers, client_ip=target.node_ip,
                          client_port=40000 + target.rng.randrange(20000), server_ip=target.pod_ip,
                          server_port=port, time=target.now)
    resp = handler.handle_http(request)
    if 200 <= resp.status < 400:
        return True, ""
    return False, f"HTTP probe failed with statuscode: {resp.status}"


def _script(rt: ContainerRuntime, argv: list[str]) -> tuple[str, str, str]:
    """(script, shell flavour, argv0) for a command run in the container (``sh -c`` runs its script)."""
    exe = argv[0].rsplit("/", 1)[-1]
    if exe in SHELLS and len(argv) >= 3 and argv[1] == "-c":
        flavour = "bash" if exe in ("bash", "zsh") else "dash" if rt.image.shell == "dash" else "ash"
        return argv[2], flavour, argv[0]
    return " ".join(shlex.quote(a) for a in argv), "exec", exe


def exec_in(rt: ContainerRuntime | None, argv: list[str], timeout: float, rng: random.Random) -> tuple[bool, str]:
    """An exec probe: the command's exit status decides; its output is the failure text."""
    if rt is None or not argv:
        return False, ""
    if not rt.has_binary(argv[0]):
        return False, ("rpc error: code = Unknown desc = failed to exec in container: failed to start exec "
                       f'"{rng.getrandbits(256):064x}": OCI runtime exec failed: exec failed: unable to start '
                       f'container process: exec: "{argv[0]}": executable file not found in $PATH: unknown')
    script, flavour, argv0 = _script(rt, argv)
    lines: list[str] = []
    interp = minish.Interpreter(rt, flavour, lambda stream, text: lines.append(text), argv0)
    try:
        tree = minish.parse(script)
    except minish.SyntaxErr as exc:
        return False, str(exc)
    code = minish.run_now(interp, tree, budget=timeout)
    if code == -1:
        return False, f'command "{" ".join(argv)}" timed out'
    return code == 0, "\n".join(lines)


def hook_seconds(hook: dict, target: ProbeTarget, grace: float) -> float:
    """How long a preStop hook keeps the container busy before SIGTERM (sleep action, exec, httpGet)."""
    if hook.get("sleep") is not None:
        return float(hook["sleep"].get("seconds") or 0)
    rt = target.rt
    if hook.get("exec") is not None and rt is not None:
        argv = list(hook["exec"].get("command") or [])
        if not argv or not rt.has_binary(argv[0]):
            return 0.0
        script, flavour, argv0 = _script(rt, argv)
        try:
            tree = minish.parse(script)
        except minish.SyntaxErr:
            return 0.0
        return minish.sleep_total(minish.Interpreter(rt, flavour, lambda stream, text: None, argv0), tree, grace)
    if hook.get("httpGet") is not None:
        _http_get(hook["httpGet"], target)
    return 0.0
