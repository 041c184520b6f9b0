"""``kubectl attach`` and ``kubectl proxy`` (pkg/cmd/attach, pkg/cmd/proxy)."""

from __future__ import annotations

from typing import Any

from sandbox.kubectl import pods
from sandbox.kubectl.cmd_exec import container_host, is_interactive_shell, setup_tty
from sandbox.kubectl.errors import KubectlError
from sandbox.kubectl.invocation import Invocation

FOLLOW_CAP_SECONDS = 600.0


def attach(inv: Invocation) -> int:
    args = inv.args
    if not args:
        raise KubectlError("at least 1 argument is required for attach")
    if len(args) > 2:
        raise KubectlError(f"expected POD, TYPE/NAME, or TYPE NAME, (at most 2 arguments) saw {len(args)}: "
                           f"[{' '.join(args)}]")
    ref = args[0] if len(args) == 1 else f"{args[0]}/{args[1]}"
    cluster = inv.cluster
    pod = pods.pod_for(cluster, inv.namespace, ref)
    phase = (pod.get("status") or {}).get("phase", "Pending")
    if phase in ("Succeeded", "Failed"):
        raise KubectlError(f"cannot attach a container in a completed pod; current phase is {phase}")
    quiet = inv.flags.bool("quiet")
    container = pods.pick_container(pod, inv.flags.str("container"), inv.err, quiet=quiet)
    stdin = inv.flags.bool("stdin")
    tty = setup_tty(inv, stdin, inv.flags.bool("tty"), quiet)
    if tty and not container.get("tty"):
        inv.err(f"error: Unable to use a TTY - container {container['name']} did not allocate one\n")
        tty = False
    if not quiet:
        inv.err("All commands and output from this session will be recorded in container logs, including "
                "credentials and sensitive information passed through the command prompt.\n")
        inv.err("If you don't see a command prompt, try pressing enter.\n")
    argv = list(container.get("command") or []) + list(container.get("args") or [])
    name, ns, cname = pod["metadata"]["name"], pod["metadata"].get("namespace", inv.namespace), container["name"]
    if stdin and tty and container.get("stdin") and (not argv or is_interactive_shell(argv)):
        host = container_host(inv, pod, cname)
        shell = argv[0] if argv else "sh"

        def on_exit(ctx: Any, status: int) -> int:
            if not quiet:
                ctx.out(f"Session ended, resume using 'kubectl attach {name} -c {cname} -n {ns} -i -t' command\n")
            return 0

        inv.ctx.push_session(host, shell, on_exit=on_exit)
        return 0
    _follow(inv, pod, cname)
    return 0


def _follow(inv: Invocation, pod: dict[str, Any], cname: str) -> None:
    """Without an interactive shell, attach streams what the container writes from now on."""
    runtime = getattr(inv.cluster, "runtime", None)
    if runtime is None:
        return
    uid = pod["metadata"].get("uid", "")
    rt = runtime.container(uid, cname)
    shown = len(rt.log_entries) if rt is not None else 0
    waited = 0.0
    while waited < FOLLOW_CAP_SECONDS:
        rt = runtime.container(uid, cname)
        if rt is None:
            return
        entries = rt.log_entries
        if len(entries) > shown:
            inv.out("".join(t if t.endswith("\n") else t + "\n" for _, _, t in entries[shown:]))
            shown = len(entries)
        if not rt.running:
            return
        inv.sleep(1.0)
        waited += 1.0


def proxy(inv: Invocation) -> int:
    """Serve the API on the node's loopback port: in the background (``&``) until ``kill %N``, in the
    foreground until ctrl+c (or the lab's virtual-time budget)."""
    from sandbox.kubectl.apiproxy import ApiProxy
    from sandbox.network.local_listeners import AddressInUse

    port = inv.flags.int("port")
    address = inv.flags.str("address") or "127.0.0.1"
    if inv.flags.str("unix-socket"):
        inv.out(f"Starting to serve on {inv.flags.str('unix-socket')}\n")
        return 0
    ctx = inv.ctx
    host = getattr(ctx, "host", None)
    net = getattr(inv.cluster, "network", None)
    if net is None or host is None or getattr(host, "kind", "node") != "node":
        inv.out(f"Starting to serve on {address}:{port}\n")
        return 0
    node = host.name
    kwargs = {"accept_hosts": inv.flags.str("accept-hosts")} if inv.flags.str("accept-hosts") else {}
    handler = ApiProxy(inv.cluster, api_prefix=inv.flags.str("api-prefix") or "/", **kwargs)
    if port == 0:
        port = net.ephemeral_port()   # listen on :0, the kernel picks
    try:
        net.add_node_listener(node, port, handler, address=address)
    except AddressInUse as e:
        raise KubectlError(str(e)) from None
    # Go prints the listener's address: a 0.0.0.0 bind on a dual-stack host shows as [::]
    shown = f"[::]:{port}" if address in ("0.0.0.0", "::", "") else f"{address}:{port}"
    inv.out(f"Starting to serve on {shown}\n")

    def stop() -> None:
        net.remove_node_listener(node, port, handler)

    keep = getattr(ctx, "keep_running", None)
    if keep is not None and keep(stop):
        return 0
    try:
        while True:
            inv.sleep(1.0)
    finally:
        stop()


def port_forward(inv: Invocation) -> int:
    """Validates like kubectl and announces the forwards (the lab has no host-side listener to serve them)."""
    args = inv.args
    if len(args) < 2:
        raise inv.usage_error("TYPE/NAME and list of ports are required for port-forward")
    cluster = inv.cluster
    target = args[0]
    pod = pods.pod_for(cluster, inv.namespace, target)
    svc = None
    if target.startswith(("svc/", "service/", "services/")):
        svc = cluster.get("services", inv.namespace, target.split("/", 1)[1])
    lines = []
    for spec in args[1:]:
        local, sep, remote = spec.partition(":")
        if not sep:
            remote = local
        remote_port = _container_port(pod, svc, remote)
        local = local or str(remote_port)
        if not local.isdigit():
            raise KubectlError(f"Error parsing local port '{local}': strconv.ParseUint: parsing \"{local}\": "
                               "invalid syntax")
        lines.append(f"Forwarding from 127.0.0.1:{local} -> {remote_port}\n")
        lines.append(f"Forwarding from [::1]:{local} -> {remote_port}\n")
    phase = (pod.get("status") or {}).get("phase", "Pending")
    if phase != "Running":
        raise KubectlError(f"unable to forward port because pod is not running. Current status={phase}")
    inv.out("".join(lines))
    return 0


def _container_port(pod: dict[str, Any], svc: dict[str, Any] | None, remote: str) -> int:
    ports = [p for c in (pod.get("spec") or {}).get("containers") or [] for p in c.get("ports") or []]
    if svc is not None:
        for sp in (svc.get("spec") or {}).get("ports") or []:
            if str(sp.get("port")) == remote or sp.get("name") == remote:
                target = sp.get("targetPort", sp.get("port"))
                if isinstance(target, str):
                    for p in ports:
                        if p.get("name") == target:
                            return int(p.get("containerPort"))
                    raise KubectlError(f"Pod '{pod['metadata']['name']}' does not have a named port '{target}'")
                return int(target)
        raise KubectlError(f"Service {svc['metadata']['name']} does not have a service port {remote}")
    if remote.isdigit():
        return int(remote)
    for p in ports:
        if p.get("name") == remote:
            return int(p.get("containerPort"))
    raise KubectlError(f"Pod '{pod['metadata']['name']}' does not have a named port '{remote}'")
