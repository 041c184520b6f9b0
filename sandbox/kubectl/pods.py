"""Finding the pod and container a command talks to (polymorphichelpers.AttachablePodForObject)."""

from __future__ import annotations

from typing import Any

from sandbox.api.errors import ApiError
from sandbox.kubectl import resolve
from sandbox.kubectl.errors import KubectlError

DEFAULT_CONTAINER = "kubectl.kubernetes.io/default-container"


def _selector_of(obj: dict[str, Any]) -> dict[str, str] | None:
    spec = obj.get("spec") or {}
    if obj.get("kind") == "Service":
        return spec.get("selector") or None
    sel = spec.get("selector")
    if isinstance(sel, dict):
        return sel.get("matchLabels") or (sel if "matchExpressions" not in sel and all(
            isinstance(v, str) for v in sel.values()) else None)
    return None


def pod_for(cluster: Any, namespace: str, ref: str) -> dict[str, Any]:
    """``POD`` or ``TYPE/NAME``: the pod itself, or the first active pod a workload/service selects."""
    if "/" not in ref:
        return cluster.get("pods", namespace, ref)
    kind, _, name = ref.partition("/")
    rt = resolve.lookup_type(kind)
    obj = cluster.get(rt.plural, namespace if rt.namespaced else None, name)
    if rt.plural == "pods":
        return obj
    selector = _selector_of(obj)
    if not selector:
        raise KubectlError(f"cannot attach to {rt.kind}: selector for {rt.kind_group}/{name} not implemented")
    text = ",".join(f"{k}={v}" for k, v in sorted(selector.items()))
    pods = cluster.list("pods", namespace, label_selector=text)
    if not pods:
        raise KubectlError(f"no pods found for {rt.kind_group}/{name}" if rt.plural != "services" else
                           f"no pods found for service/{name}")
    return sorted(pods, key=_active_rank)[0]


def _active_rank(pod: dict[str, Any]) -> tuple[int, int, str]:
    """ActivePods order: scheduled before unscheduled, running before pending, ready before not ready."""
    st = pod.get("status") or {}
    phase = st.get("phase", "Pending")
    phase_rank = {"Running": 0, "Pending": 1, "Unknown": 2}.get(phase, 3)
    ready = any(c.get("type") == "Ready" and c.get("status") == "True" for c in st.get("conditions") or [])
    return (phase_rank, 0 if ready else 1, pod["metadata"]["name"])


def container_names(pod: dict[str, Any]) -> list[str]:
    return [c.get("name", "") for c in (pod.get("spec") or {}).get("containers") or []]


def pick_container(pod: dict[str, Any], name: str, err: Any, *, quiet: bool = False) -> dict[str, Any]:
    """The named container, or the default one with kubectl's ``Defaulted container`` note."""
    containers = (pod.get("spec") or {}).get("containers") or []
    if name:
        for c in containers + ((pod.get("spec") or {}).get("initContainers") or []):
            if c.get("name") == name:
                return c
        raise KubectlError(f"container {name} is not valid for pod {pod['metadata']['name']} out of: "
                           f"{', '.join(container_names(pod))}")
    annotations = pod["metadata"].get("annotations") or {}
    wanted = annotations.get(DEFAULT_CONTAINER)
    if wanted:
        for c in containers:
            if c.get("name") == wanted:
                return c
    if len(containers) > 1 and not quiet:
        err(f'Defaulted container "{containers[0].get("name")}" out of: {", ".join(container_names(pod))}\n')
    if not containers:
        raise ApiError("BadRequest", f'a container name must be specified for pod {pod["metadata"]["name"]}', 400)
    return containers[0]


def container_state(pod: dict[str, Any], name: str) -> dict[str, Any]:
    for cs in (pod.get("status") or {}).get("containerStatuses") or []:
        if cs.get("name") == name:
            return cs
    return {}
