"""``kubectl logs`` (pkg/cmd/logs): a container's output from the lab's container runtime.

``-f`` follows in (virtual) time until the container stops, ctrl+c, or a cap for scripts.
"""

from __future__ import annotations

from typing import Any

from sandbox.api.errors import ApiError
from sandbox.kubectl import pods
from sandbox.kubectl.errors import KubectlError
from sandbox.kubectl.invocation import Invocation

USAGE = ("expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\n"
         "POD or TYPE/NAME is a required argument for the logs command")
FOLLOW_CAP_SECONDS = 600.0


def _runtime(inv: Invocation) -> Any:
    return getattr(inv.cluster, "runtime", None)


def _lines(inv: Invocation, pod: dict[str, Any], container: str, previous: bool) -> list[tuple[float, str]]:
    runtime = _runtime(inv)
    uid = pod["metadata"].get("uid", "")
    name = pod["metadata"]["name"]
    if runtime is None:
        return []
    rt = runtime.previous(uid, container) if previous else runtime.container(uid, container)
    if rt is None:
        if previous:
            raise ApiError("BadRequest", f'previous terminated container "{container}" in pod "{name}" not found',
                           400)
        state = (pods.container_state(pod, container).get("state") or {})
        reason = (state.get("waiting") or {}).get("reason", "ContainerCreating")
        if reason in ("ErrImagePull", "ImagePullBackOff"):
            raise ApiError("BadRequest", f'container "{container}" in pod "{name}" is waiting to start: trying and '
                                         "failing to pull image", 400)
        raise ApiError("BadRequest", f'container "{container}" in pod "{name}" is waiting to start: {reason}', 400)
    return [(t, text if text.endswith("\n") else text + "\n") for t, _stream, text in rt.log_entries]


def logs(inv: Invocation) -> int:
    args = inv.args
    selector = inv.flags.str("selector")
    if len(args) == 0 and not selector:
        raise inv.usage_error(USAGE)
    if len(args) == 1 and selector:
        raise inv.usage_error("only a selector (-l) or a POD name is allowed")
    if len(args) > 2:
        raise inv.usage_error(USAGE)
    container = inv.flags.str("container")
    if len(args) == 2:
        if container:
            raise KubectlError("only one of -c or an inline [CONTAINER] arg is allowed")
        container = args[1]
    if inv.flags.int("tail") < -1:
        raise KubectlError("--tail must be greater than or equal to -1")
    all_containers = inv.flags.bool("all-containers")
    if all_containers and container:
        raise KubectlError(f"--all-containers=true should not be specified with container name {container}")
    cluster = inv.cluster
    ns = inv.namespace
    tail = inv.flags.int("tail")
    if selector:
        targets = cluster.list("pods", ns, label_selector=selector)
        if not targets:
            inv.err(f"No resources found in {ns} namespace.\n")
            return 0
        if "tail" not in inv.flags.changed:
            tail = 10
    else:
        try:
            targets = [pods.pod_for(cluster, ns, args[0])]
        except ApiError as exc:
            if exc.reason == "NotFound":
                raise KubectlError(f'error from server (NotFound): {exc.message} in namespace "{ns}"') from None
            raise
        if "/" in args[0] and not args[0].startswith(("pod/", "pods/", "po/")):
            matches = _selected(cluster, ns, args[0])
            if len(matches) > 1:
                inv.err(f"Found {len(matches)} pods, using pod/{targets[0]['metadata']['name']}\n")
    prefix = inv.flags.bool("prefix") or inv.flags.bool("all-pods")
    follow = inv.flags.bool("follow")
    previous = inv.flags.bool("previous")
    streams: list[tuple[dict[str, Any], str]] = []
    for pod in targets:
        names = pods.container_names(pod) if all_containers else \
            [pods.pick_container(pod, container, inv.err, quiet=bool(selector))["name"]]
        streams.extend((pod, c) for c in names)
    shown: dict[tuple[str, str], int] = {}
    for pod, c in streams:
        lines = _lines(inv, pod, c, previous)
        if tail >= 0:
            lines = lines[-tail:] if tail else []
        lead = f"[pod/{pod['metadata']['name']}/{c}] " if prefix else ""
        inv.out("".join(lead + text for _, text in lines))
        shown[(pod["metadata"].get("uid", ""), c)] = len(_lines(inv, pod, c, previous))
    if follow and not previous:
        _follow(inv, streams, shown, prefix)
    return 0


def _selected(cluster: Any, ns: str, ref: str) -> list[dict[str, Any]]:
    from sandbox.kubectl.pods import _selector_of
    from sandbox.kubectl.resolve import lookup_type

    kind, _, name = ref.partition("/")
    rt = lookup_type(kind)
    try:
        obj = cluster.get(rt.plural, ns, name)
    except ApiError:
        return []
    sel = _selector_of(obj) or {}
    text = ",".join(f"{k}={v}" for k, v in sorted(sel.items()))
    return cluster.list("pods", ns, label_selector=text) if text else []


def _follow(inv: Invocation, streams: list[tuple[dict[str, Any], str]], shown: dict[tuple[str, str], int],
            prefix: bool) -> None:
    """Stream new lines as time passes; stop when every followed container has exited."""
    runtime = _runtime(inv)
    if runtime is None:
        return
    waited = 0.0
    while waited < FOLLOW_CAP_SECONDS:
        alive = False
        for pod, c in streams:
            uid = pod["metadata"].get("uid", "")
            rt = runtime.container(uid, c)
            if rt is None:
                continue
            entries = rt.log_entries
            start = shown.get((uid, c), 0)
            if len(entries) > start:
                lead = f"[pod/{pod['metadata']['name']}/{c}] " if prefix else ""
                inv.out("".join(lead + (t if t.endswith("\n") else t + "\n") for _, _, t in entries[start:]))
                shown[(uid, c)] = len(entries)
            if rt.running:
                alive = True
        if not alive:
            return
        inv.sleep(1.0)
        waited += 1.0
