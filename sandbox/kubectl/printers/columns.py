"""Table columns and cells per resource, after kubernetes pkg/printers/internalversion/printers.go.

Each handler maps a wire-form object to its row cells (all columns, wide ones included); the
table printer drops priority-1 columns unless ``-o wide``. Values the apiserver would have
defaulted (``spec.replicas``...) are read with the same defaults.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .timefmt import human_duration, parse_time, since


@dataclass(frozen=True)
class Column:
    name: str
    priority: int = 0
    is_name: bool = False


Row = Callable[[dict, datetime], list[str]]


# --- shared formatting ---------------------------------------------------------------------------

def format_labels(labels: dict | None) -> str:
    """labels.FormatLabels: sorted ``k=v`` joined by commas, ``<none>`` when empty."""
    if not labels:
        return "<none>"
    return ",".join(f"{k}={labels[k]}" for k in sorted(labels))


def selector_string(selector: dict | None) -> str:
    """metav1.LabelSelectorAsSelector(...).String(): requirements sorted by key."""
    if not selector:
        return ""
    reqs: list[tuple[str, str]] = []
    for key, value in (selector.get("matchLabels") or {}).items():
        reqs.append((key, f"{key}={value}"))
    for expr in selector.get("matchExpressions") or []:
        key = expr.get("key", "")
        op = expr.get("operator", "")
        values = sorted(expr.get("values") or [])
        if op == "In":
            reqs.append((key, f"{key} in ({','.join(values)})"))
        elif op == "NotIn":
            reqs.append((key, f"{key} notin ({','.join(values)})"))
        elif op == "Exists":
            reqs.append((key, key))
        elif op == "DoesNotExist":
            reqs.append((key, f"!{key}"))
    reqs.sort(key=lambda r: r[0])
    return ",".join(r[1] for r in reqs)


def format_label_selector(selector: dict | None) -> str:
    """metav1.FormatLabelSelector: like :func:`selector_string` but ``<none>`` when empty."""
    return selector_string(selector) or "<none>"


def _containers(template: dict | None) -> tuple[str, str]:
    containers = ((template or {}).get("spec") or {}).get("containers") or []
    return (",".join(c.get("name", "") for c in containers), ",".join(c.get("image", "") for c in containers))


def _meta(obj: dict) -> dict:
    return obj.get("metadata") or {}


def _name(obj: dict) -> str:
    return _meta(obj).get("name", "")


def _age(obj: dict, now: datetime) -> str:
    return since(_meta(obj).get("creationTimestamp"), now)


def _int(value: Any, default: int = 0) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _join_host_port(host: str, port: Any) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _more(items: list[str], count: int, limit: int = 3, empty: str = "<unset>") -> str:
    text = ",".join(items[:limit])
    if count > limit:
        return f"{text} + {count - limit} more..."
    return text or empty


# --- pods --------------------------------------------------------------------------------------

def _restartable_init(container: dict | None) -> bool:
    return bool(container) and container.get("restartPolicy") == "Always"


def pod_row(pod: dict, now: datetime) -> list[str]:
    """printPod: READY, STATUS (reason rules), RESTARTS ``N (age ago)``, wide IP/NODE/..."""
    spec = pod.get("spec") or {}
    status = pod.get("status") or {}
    meta = _meta(pod)
    restarts = 0
    restartable_restarts = 0
    total = len(spec.get("containers") or [])
    ready = 0
    last_restart: datetime | None = None
    last_restartable: datetime | None = None
    phase = status.get("phase", "") or ""
    reason = status.get("reason") or phase
    for cond in status.get("conditions") or []:
        if cond.get("type") == "PodScheduled" and cond.get("reason") == "SchedulingGated":
            reason = "SchedulingGated"
    init_specs = {c.get("name"): c for c in spec.get("initContainers") or []}
    total += sum(1 for c in init_specs.values() if _restartable_init(c))

    def finished(cs: dict) -> datetime | None:
        term = ((cs.get("lastState") or {}).get("terminated")) or None
        return parse_time(term.get("finishedAt")) if term else None

    initializing = False
    init_statuses = status.get("initContainerStatuses") or []
    for i, cs in enumerate(init_statuses):
        restarts += _int(cs.get("restartCount"))
        done = finished(cs)
        if done and (last_restart is None or done > last_restart):
            last_restart = done
        restartable = _restartable_init(init_specs.get(cs.get("name")))
        if restartable:
            restartable_restarts += _int(cs.get("restartCount"))
            if done and (last_restartable is None or done > last_restartable):
                last_restartable = done
        state = cs.get("state") or {}
        term = state.get("terminated")
        waiting = state.get("waiting")
        if term is not None and _int(term.get("exitCode")) == 0:
            continue
        if restartable and cs.get("started"):
            if cs.get("ready"):
                ready += 1
            continue
        if term is not None:
            if not term.get("reason"):
                if _int(term.get("signal")):
                    reason = f"Init:Signal:{term.get('signal')}"
                else:
                    reason = f"Init:ExitCode:{_int(term.get('exitCode'))}"
            else:
                reason = "Init:" + term["reason"]
        elif waiting is not None and waiting.get("reason") and waiting.get("reason") != "PodInitializing":
            reason = "Init:" + waiting["reason"]
        else:
            reason = f"Init:{i}/{len(spec.get('initContainers') or [])}"
        initializing = True
        break

    initialized = any(c.get("type") == "Initialized" and c.get("status") == "True"
                      for c in status.get("conditions") or [])
    if not initializing or initialized:
        restarts = restartable_restarts
        last_restart = last_restartable
        has_running = False
        for cs in reversed(status.get("containerStatuses") or []):
            restarts += _int(cs.get("restartCount"))
            done = finished(cs)
            if done and (last_restart is None or done > last_restart):
                last_restart = done
            state = cs.get("state") or {}
            waiting, term = state.get("waiting"), state.get("terminated")
            if waiting is not None and waiting.get("reason"):
                reason = waiting["reason"]
            elif term is not None and term.get("reason"):
                reason = term["reason"]
            elif term is not None:
                if _int(term.get("signal")):
                    reason = f"Signal:{term.get('signal')}"
                else:
                    reason = f"ExitCode:{_int(term.get('exitCode'))}"
            elif cs.get("ready") and state.get("running") is not None:
                has_running = True
                ready += 1
        if reason == "Completed" and has_running:
            ready_cond = any(c.get("type") == "Ready" and c.get("status") == "True"
                             for c in status.get("conditions") or [])
            reason = "Running" if ready_cond else "NotReady"

    if meta.get("deletionTimestamp") and status.get("reason") == "NodeLost":
        reason = "Unknown"
    elif meta.get("deletionTimestamp") and phase not in ("Failed", "Succeeded"):
        reason = "Terminating"

    restarts_text = str(restarts)
    if restarts != 0 and last_restart is not None:
        restarts_text = f"{restarts} ({human_duration((now - last_restart).total_seconds())} ago)"

    pod_ips = status.get("podIPs") or []
    pod_ip = (pod_ips[0].get("ip") if pod_ips else "") or "<none>"
    gates = spec.get("readinessGates") or []
    gates_text = "<none>"
    if gates:
        conds = status.get("conditions") or []
        true_count = 0
        for gate in gates:
            for cond in conds:
                if cond.get("type") == gate.get("conditionType"):
                    if cond.get("status") == "True":
                        true_count += 1
                    break
        gates_text = f"{true_count}/{len(gates)}"
    return [_name(pod), f"{ready}/{total}", reason, restarts_text, _age(pod, now),
            pod_ip, spec.get("nodeName") or "<none>", status.get("nominatedNodeName") or "<none>", gates_text]


# --- services and endpoints ----------------------------------------------------------------------

def _lb_status(svc: dict, wide: bool) -> str:
    ingress = ((svc.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []
    found = sorted({i.get("ip") or i.get("hostname") for i in ingress if i.get("ip") or i.get("hostname")})
    text = ",".join(found)
    if not wide and len(text) > 16:
        text = text[:13] + "..."
    return text


def service_external_ip(svc: dict, wide: bool) -> str:
    spec = svc.get("spec") or {}
    kind = spec.get("type", "ClusterIP")
    external = spec.get("externalIPs") or []
    if kind in ("ClusterIP", "NodePort"):
        return ",".join(external) if external else "<none>"
    if kind == "LoadBalancer":
        lb = _lb_status(svc, wide)
        if external:
            return ",".join(([*lb.split(",")] if lb else []) + list(external))
        return lb or "<pending>"
    if kind == "ExternalName":
        return spec.get("externalName", "")
    return "<unknown>"


def port_string(ports: list[dict] | None) -> str:
    pieces = []
    for p in ports or []:
        node_port = _int(p.get("nodePort"))
        if node_port > 0:
            pieces.append(f"{p.get('port')}:{node_port}/{p.get('protocol', '')}")
        else:
            pieces.append(f"{p.get('port')}/{p.get('protocol', '')}")
    return ",".join(pieces)


def _service_rows(wide: bool) -> Row:
    def row(svc: dict, now: datetime) -> list[str]:
        spec = svc.get("spec") or {}
        ips = spec.get("clusterIPs") or []
        return [_name(svc), spec.get("type", ""), ips[0] if ips else "<none>", service_external_ip(svc, wide),
                port_string(spec.get("ports")) or "<none>", _age(svc, now), format_labels(spec.get("selector"))]
    return row


def format_endpoints(ep: dict) -> str:
    """formatEndpoints: ``ip:port`` per (port x ready address), 3 shown then ``+ N more...``."""
    subsets = ep.get("subsets") or []
    if not subsets:
        return "<none>"
    items: list[str] = []
    count = 0
    more = False
    for ss in subsets:
        addresses = ss.get("addresses") or []
        ports = ss.get("ports") or []
        if not ports:
            count += len(addresses)
            for a in addresses:
                if len(items) == 3:
                    more = True
                    break
                items.append(a.get("ip", ""))
            continue
        for port in ports:
            count += len(addresses)
            for a in addresses:
                if len(items) == 3:
                    more = True
                    break
                items.append(_join_host_port(a.get("ip", ""), port.get("port")))
    text = ",".join(items)
    return f"{text} + {count - 3} more..." if more else text


def endpoints_row(ep: dict, now: datetime) -> list[str]:
    return [_name(ep), format_endpoints(ep), _age(ep, now)]


def endpointslice_row(es: dict, now: datetime) -> list[str]:
    ports = es.get("ports") or []
    port_items = []
    for p in ports:
        if p.get("port") is not None:
            port_items.append(str(p["port"]))
        elif p.get("name") is not None:
            port_items.append(p["name"])
        else:
            port_items.append("*")
    addresses = [a for e in es.get("endpoints") or [] for a in e.get("addresses") or []]
    return [_name(es), es.get("addressType", ""), _more(port_items, len(port_items)),
            _more(addresses, len(addresses)), _age(es, now)]


# --- workloads -----------------------------------------------------------------------------------

def deployment_row(d: dict, now: datetime) -> list[str]:
    spec, status = d.get("spec") or {}, d.get("status") or {}
    names, images = _containers(spec.get("template"))
    return [_name(d), f"{_int(status.get('readyReplicas'))}/{_int(spec.get('replicas'), 1)}",
            str(_int(status.get("updatedReplicas"))), str(_int(status.get("availableReplicas"))), _age(d, now),
            names, images, selector_string(spec.get("selector"))]


def replicaset_row(rs: dict, now: datetime) -> list[str]:
    spec, status = rs.get("spec") or {}, rs.get("status") or {}
    names, images = _containers(spec.get("template"))
    return [_name(rs), str(_int(spec.get("replicas"), 1)), str(_int(status.get("replicas"))),
            str(_int(status.get("readyReplicas"))), _age(rs, now), names, images,
            format_label_selector(spec.get("selector"))]


def statefulset_row(sts: dict, now: datetime) -> list[str]:
    spec, status = sts.get("spec") or {}, sts.get("status") or {}
    names, images = _containers(spec.get("template"))
    return [_name(sts), f"{_int(status.get('readyReplicas'))}/{_int(spec.get('replicas'), 1)}", _age(sts, now),
            names, images]


def daemonset_row(ds: dict, now: datetime) -> list[str]:
    spec, status = ds.get("spec") or {}, ds.get("status") or {}
    names, images = _containers(spec.get("template"))
    node_selector = ((spec.get("template") or {}).get("spec") or {}).get("nodeSelector")
    return [_name(ds), str(_int(status.get("desiredNumberScheduled"))), str(_int(status.get("currentNumberScheduled"))),
            str(_int(status.get("numberReady"))), str(_int(status.get("updatedNumberScheduled"))),
            str(_int(status.get("numberAvailable"))), format_labels(node_selector), _age(ds, now),
            names, images, format_label_selector(spec.get("selector"))]


# --- cluster objects -----------------------------------------------------------------------------

def node_roles(node: dict) -> list[str]:
    roles = set()
    for key, value in (_meta(node).get("labels") or {}).items():
        if key.startswith("node-role.kubernetes.io/"):
            role = key[len("node-role.kubernetes.io/"):]
            if role:
                roles.add(role)
        elif key == "kubernetes.io/role" and value:
            roles.add(value)
    return sorted(roles)


def _node_address(node: dict, kind: str) -> str:
    for address in (node.get("status") or {}).get("addresses") or []:
        if address.get("type") == kind:
            return address.get("address", "")
    return "<none>"


def node_status(node: dict) -> str:
    status = []
    for cond in (node.get("status") or {}).get("conditions") or []:
        if cond.get("type") == "Ready":
            status = ["Ready" if cond.get("status") == "True" else "NotReady"]
    if not status:
        status = ["Unknown"]
    if (node.get("spec") or {}).get("unschedulable"):
        status.append("SchedulingDisabled")
    return ",".join(status)


def node_row(node: dict, now: datetime) -> list[str]:
    info = (node.get("status") or {}).get("nodeInfo") or {}
    return [_name(node), node_status(node), ",".join(node_roles(node)) or "<none>", _age(node, now),
            info.get("kubeletVersion", ""), _node_address(node, "InternalIP"), _node_address(node, "ExternalIP"),
            info.get("osImage") or "<unknown>", info.get("kernelVersion") or "<unknown>",
            info.get("containerRuntimeVersion") or "<unknown>"]


def namespace_row(ns: dict, now: datetime) -> list[str]:
    return [_name(ns), (ns.get("status") or {}).get("phase", ""), _age(ns, now)]


def configmap_row(cm: dict, now: datetime) -> list[str]:
    return [_name(cm), str(len(cm.get("data") or {}) + len(cm.get("binaryData") or {})), _age(cm, now)]


def secret_row(secret: dict, now: datetime) -> list[str]:
    return [_name(secret), secret.get("type", ""), str(len(secret.get("data") or {})), _age(secret, now)]


def serviceaccount_row(sa: dict, now: datetime) -> list[str]:
    return [_name(sa), str(len(sa.get("secrets") or [])), _age(sa, now)]


def event_source(event: dict) -> str:
    source = event.get("source") or {}
    component = source.get("component") or event.get("reportingComponent") or ""
    instance = source.get("host") or event.get("reportingInstance") or ""
    return f"{component}, {instance}" if instance else component


def event_row(event: dict, now: datetime) -> list[str]:
    first = since(event.get("firstTimestamp"), now)
    if not parse_time(event.get("firstTimestamp")):
        first = since(event.get("eventTime"), now)
    last = since(event.get("lastTimestamp"), now) if parse_time(event.get("lastTimestamp")) else first
    count = _int(event.get("count"))
    series = event.get("series")
    if series:
        last = since(series.get("lastObservedTime"), now)
        count = _int(series.get("count"))
    elif count == 0:
        count = 1
    involved = event.get("involvedObject") or {}
    kind = (involved.get("kind") or "").lower()
    target = f"{kind}/{involved['name']}" if involved.get("name") else kind
    return [last, event.get("type", ""), event.get("reason", ""), target, involved.get("fieldPath", ""),
            event_source(event), (event.get("message") or "").strip(), first, str(count), _name(event)]


def componentstatus_row(cs: dict, now: datetime) -> list[str]:
    status, message, error = "Unknown", "", ""
    for cond in cs.get("conditions") or []:
        if cond.get("type") == "Healthy":
            status = "Healthy" if cond.get("status") == "True" else "Unhealthy"
            message, error = cond.get("message", ""), cond.get("error", "")
            break
    return [_name(cs), status, message, error]


def default_row(obj: dict, now: datetime) -> list[str]:
    return [_name(obj), _age(obj, now)]


# --- registry ------------------------------------------------------------------------------------

def _cols(*spec: str) -> tuple[Column, ...]:
    """``"Name*"`` marks the name column, a ``+`` prefix marks a wide (priority 1) column."""
    out = []
    for s in spec:
        wide = s.startswith("+")
        s = s.lstrip("+")
        out.append(Column(s.rstrip("*"), 1 if wide else 0, s.endswith("*")))
    return tuple(out)


@dataclass(frozen=True)
class Handler:
    columns: tuple[Column, ...]
    row: Callable[[dict, datetime, bool], list[str]]


def _plain(fn: Row) -> Callable[[dict, datetime, bool], list[str]]:
    return lambda obj, now, wide: fn(obj, now)


HANDLERS: dict[str, Handler] = {
    "pods": Handler(_cols("Name*", "Ready", "Status", "Restarts", "Age", "+IP", "+Node", "+Nominated Node",
                          "+Readiness Gates"), _plain(pod_row)),
    "services": Handler(_cols("Name*", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age", "+Selector"),
                        lambda obj, now, wide: _service_rows(wide)(obj, now)),
    "endpoints": Handler(_cols("Name*", "Endpoints", "Age"), _plain(endpoints_row)),
    "endpointslices": Handler(_cols("Name*", "AddressType", "Ports", "Endpoints", "Age"), _plain(endpointslice_row)),
    "deployments": Handler(_cols("Name*", "Ready", "Up-to-date", "Available", "Age", "+Containers", "+Images",
                                 "+Selector"), _plain(deployment_row)),
    "replicasets": Handler(_cols("Name*", "Desired", "Current", "Ready", "Age", "+Containers", "+Images",
                                 "+Selector"), _plain(replicaset_row)),
    "statefulsets": Handler(_cols("Name*", "Ready", "Age", "+Containers", "+Images"), _plain(statefulset_row)),
    "daemonsets": Handler(_cols("Name*", "Desired", "Current", "Ready", "Up-to-date", "Available", "Node Selector",
                                "Age", "+Containers", "+Images", "+Selector"), _plain(daemonset_row)),
    "nodes": Handler(_cols("Name*", "Status", "Roles", "Age", "Version", "+Internal-IP", "+External-IP", "+OS-Image",
                           "+Kernel-Version", "+Container-Runtime"), _plain(node_row)),
    "namespaces": Handler(_cols("Name*", "Status", "Age"), _plain(namespace_row)),
    "configmaps": Handler(_cols("Name*", "Data", "Age"), _plain(configmap_row)),
    "secrets": Handler(_cols("Name*", "Type", "Data", "Age"), _plain(secret_row)),
    "serviceaccounts": Handler(_cols("Name*", "Secrets", "Age"), _plain(serviceaccount_row)),
    "componentstatuses": Handler(_cols("Name*", "Status", "Message", "Error"), _plain(componentstatus_row)),
    "events": Handler(_cols("Last Seen", "Type", "Reason", "Object", "+Subobject", "+Source", "Message",
                            "+First Seen", "+Count", "+Name*"), _plain(event_row)),
}

DEFAULT_HANDLER = Handler(_cols("Name*", "Age"), _plain(default_row))


def handler_for(resource: str) -> Handler:
    return HANDLERS.get(resource, DEFAULT_HANDLER)
