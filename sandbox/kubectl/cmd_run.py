"""``kubectl run`` (pkg/cmd/run): a bare Pod, optional Service, and attaching to it.

Attached runs wait (virtual time) for the pod to start. An interactive shell (``-it -- sh``) becomes
a nested session on the container; when it ends kubectl's messages follow and ``--rm`` deletes the
pod. A command (``-- sh -c '...'``) runs as the container's program: its output is streamed from the
container, and with ``--restart=Never`` the pod's exit code becomes kubectl's.
"""

from __future__ import annotations

import re
from typing import Any

from sandbox.api.errors import ApiError
from sandbox.kubectl import generators, pods
from sandbox.kubectl.cmd_create import server_view, submit
from sandbox.kubectl.cmd_exec import container_host, is_interactive_shell, setup_tty
from sandbox.kubectl.errors import AggregateError, Exit, KubectlError
from sandbox.kubectl.flags import parse_duration
from sandbox.kubectl.invocation import Invocation
from sandbox.kubectl.output import make_printer

# docker/distribution reference grammar (simplified but anchored like ReferenceRegexp)
_REFERENCE = re.compile(
    r"^(?:(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*"
    r"(?::[0-9]+)?/)?[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*)*)"
    r"(?::[\w][\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$")
_RESTART = ("Always", "OnFailure", "Never")
_PULL = ("Always", "IfNotPresent", "Never")


def run(inv: Invocation) -> int:
    flags = inv.flags
    from sandbox.kubectl.cmd_create import require_flags

    require_flags(inv, ("image",))
    inv.preflight()
    args = inv.args
    dry = inv.dry_run()
    interactive = flags.bool("stdin")
    tty_flag = flags.bool("tty")
    attach = flags.bool("attach") if "attach" in flags.changed else interactive
    image = flags.str("image")
    if not args or flags.dash_at == 0:
        raise KubectlError("NAME is required for run")
    if not image:
        raise KubectlError("--image is required")
    if not _REFERENCE.match(image):
        raise KubectlError(f'invalid image name "{image}": invalid reference format')
    if tty_flag and not interactive:
        raise KubectlError("-i/--stdin is required for containers with -t/--tty=true")
    port_text = flags.str("port")
    if flags.bool("expose") and not port_text:
        raise KubectlError("--port must be set when exposing a service")
    if port_text and not re.fullmatch(r"[+-]?\d+", port_text):
        raise KubectlError("--port must be a number")
    if not attach and flags.bool("rm"):
        raise KubectlError("--rm should only be used for attached containers")
    if attach and dry != "none":
        raise KubectlError("--dry-run=[server|client] can't be used with attached containers options (--attach, "
                           "--stdin, or --tty)")
    restart = flags.str("restart") or "Always"
    if restart not in _RESTART:
        raise KubectlError(f"invalid restart policy: {restart}, valid values are: Always, OnFailure, Never")
    pull = flags.str("image-pull-policy")
    if pull and pull not in _PULL:
        raise KubectlError(f"invalid image pull policy: {pull}, valid values are: Always, IfNotPresent, Never")
    name = args[0]
    arguments = args[1:]
    labels = _labels(flags.str("labels")) or {"run": name}
    env = _env(flags.list("env"))
    annotations = _annotations(flags.list("annotations"))
    port = int(port_text) if port_text else -1
    suffix = {"client": " (dry run)", "server": " (server dry run)"}.get(dry, "")
    printer = make_printer(inv, operation="created" + suffix)
    ns = inv.namespace if inv.namespace_explicit else None
    pod = generators.pod(name, image, labels=labels, args=arguments, command=flags.bool("command"), port=port,
                         env=env, restart=restart, stdin=interactive, tty=tty_flag, image_pull_policy=pull,
                         namespace=ns, annotations=annotations)
    created: list[dict[str, Any]] = [submit(inv, pod, dry, None)]
    errors: list[Exception] = []
    if flags.bool("expose"):
        svc = generators.expose_service(name, labels={}, selector=labels,
                                        ports=[{"protocol": "TCP", "port": port, "targetPort": port}],
                                        namespace=ns)
        svc["metadata"] = {"name": name, **({"namespace": ns} if ns else {})}
        try:
            created.append(submit(inv, svc, dry, None))
        except (ApiError, KubectlError) as exc:
            errors.append(exc)
    if attach:
        return _attach(inv, created[0], interactive, tty_flag, restart)
    for obj in created:
        inv.out(printer.render(obj))
    if errors:
        raise AggregateError(errors)
    return 0


def _labels(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    if not text:
        return out
    for spec in text.split(","):
        parts = spec.split("=")
        if len(parts) != 2:
            raise KubectlError(f"unexpected label spec: {spec}")
        if not parts[0]:
            raise KubectlError("unexpected empty label key")
        out[parts[0]] = parts[1]
    return out


def _env(items: list[str]) -> list[dict[str, str]]:
    out = []
    for item in items:
        if "=" not in item:
            raise KubectlError(f"invalid env: {item}")
        key, _, value = item.partition("=")
        if not key:
            raise KubectlError(f"invalid env: {item}")
        out.append({"name": key, "value": value})
    return out


def _annotations(items: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise KubectlError(f"invalid annotation spec: {item}")
        out[key] = value
    return out


# -- attaching -------------------------------------------------------------------------------------------
def _timeout(inv: Invocation) -> float:
    value = inv.flags["pod-running-timeout"]
    return float(value) if isinstance(value, int | float) else parse_duration(str(value or "1m0s"))


def _wait_for(inv: Invocation, ns: str, name: str, done: Any, timeout: float) -> dict[str, Any]:
    cluster = inv.cluster
    waited = 0.0
    while True:
        pod = cluster.get("pods", ns, name)
        if done(pod):
            return pod
        if waited >= timeout:
            raise KubectlError("timed out waiting for the condition")
        inv.sleep(1.0)
        waited += 1.0


def _phase(pod: dict[str, Any]) -> str:
    return (pod.get("status") or {}).get("phase", "Pending")


def _running_or_done(pod: dict[str, Any]) -> bool:
    phase = _phase(pod)
    if phase in ("Succeeded", "Failed"):
        return True
    if phase != "Running":
        return False
    return any(c.get("type") == "Ready" and c.get("status") == "True"
               for c in (pod.get("status") or {}).get("conditions") or []) or True


def _attach(inv: Invocation, pod: dict[str, Any], stdin: bool, tty_flag: bool, restart: str) -> int:
    ns = pod["metadata"].get("namespace") or inv.namespace
    name = pod["metadata"]["name"]
    quiet = inv.flags.bool("quiet")
    remove = inv.flags.bool("rm")
    timeout = _timeout(inv)
    try:
        current = _wait_for(inv, ns, name, _running_or_done, timeout)
    except KubectlError:
        if remove:
            _remove(inv, ns, name)
        raise
    container = pods.pick_container(current, "", inv.err, quiet=True)
    cname = container["name"]
    argv = list(container.get("command") or []) + list(container.get("args") or [])
    tty = setup_tty(inv, stdin, tty_flag, quiet) if _phase(current) == "Running" else False
    if _phase(current) == "Running" and not quiet:
        inv.err("All commands and output from this session will be recorded in container logs, including "
                "credentials and sensitive information passed through the command prompt.\n")
        inv.err("If you don't see a command prompt, try pressing enter.\n")
    if _phase(current) == "Running" and stdin and tty and (not argv or is_interactive_shell(argv)):
        host = container_host(inv, current, cname)
        shell = argv[0] if argv else (host.find_executable("sh") or "sh")
        uid = current["metadata"].get("uid", "")

        def on_exit(ctx: Any, status: int) -> int:
            runtime = getattr(inv.cluster, "runtime", None)
            rt = runtime.container(uid, cname) if runtime is not None else None
            if rt is not None and rt.running:
                rt.request_exit(status)
            if not quiet:
                ctx.out(f"Session ended, resume using 'kubectl attach {name} -c {cname} -n {ns} -i -t' command\n")
            code = 0
            if restart in ("Never", "OnFailure"):
                code = _exit_code(inv, ns, name, restart, ctx)
            if remove:
                _remove_ctx(inv, ctx, ns, name)
            return code

        inv.ctx.push_session(host, shell, on_exit=on_exit)
        return 0
    # a command: stream what the container prints until it ends (or keeps running for restart=Always)
    _stream_logs(inv, current, cname, restart)
    code = 0
    if restart in ("Never", "OnFailure"):
        try:
            code = _exit_code(inv, ns, name, restart, inv.ctx)
        finally:
            if remove:
                _remove(inv, ns, name)
    elif remove:
        _remove(inv, ns, name)
    if code:
        raise Exit(code)
    return 0


def _stream_logs(inv: Invocation, pod: dict[str, Any], cname: str, restart: str) -> None:
    runtime = getattr(inv.cluster, "runtime", None)
    if runtime is None:
        return
    uid = pod["metadata"].get("uid", "")
    shown = 0
    waited = 0.0
    while True:
        rt = runtime.container(uid, cname)
        if rt is not None:
            entries = rt.log_entries
            if len(entries) > shown:
                inv.out("".join(t if t.endswith("\n") else t + "\n" for _, _, t in entries[shown:]))
                shown = len(entries)
            if not rt.running or restart == "Always" and waited >= 1.0:
                return
        if waited >= 600.0:
            return
        inv.sleep(1.0)
        waited += 1.0


def _exit_code(inv: Invocation, ns: str, name: str, restart: str, ctx: Any) -> int:
    def finished(p: dict[str, Any]) -> bool:
        phase = _phase(p)
        return phase == "Succeeded" or (phase == "Failed" and restart == "Never")

    try:
        pod = _wait_for(inv, ns, name, finished, _timeout(inv))
    except ApiError:
        return 0
    phase = _phase(pod)
    if phase == "Succeeded":
        return 0
    statuses = (pod.get("status") or {}).get("containerStatuses") or []
    term = ((statuses[0].get("state") or {}).get("terminated") if statuses else None) or {}
    rc = int(term.get("exitCode", 0))
    if not term or rc == 0:
        ctx.err(f"pod {ns}/{name} failed with unknown exit code\n")
        return 1
    ctx.err(f"pod {ns}/{name} terminated ({term.get('reason', 'Error')})\n{term.get('message', '')}")
    return rc


def _remove(inv: Invocation, ns: str, name: str) -> None:
    _remove_ctx(inv, inv.ctx, ns, name)


def _remove_ctx(inv: Invocation, ctx: Any, ns: str, name: str) -> None:
    """removeCreatedObjects: delete the pod (default grace), print, and wait until it is gone."""
    cluster = inv.cluster
    try:
        obj = cluster.get("pods", ns, name)
    except ApiError:
        return
    uid = obj["metadata"].get("uid")
    try:
        cluster.delete("pods", ns, name)
    except ApiError as exc:
        ctx.err(exc.kubectl_text() + "\n")
        return
    ctx.out(f'pod "{name}" deleted from {ns} namespace\n')
    waited = 0.0
    while waited < 600.0:
        cur = cluster.store.get("pods", ns, name)
        if cur is None or cur["metadata"].get("uid") != uid:
            return
        ctx.sleep(1.0)
        waited += 1.0


__all__ = ["run", "server_view"]
