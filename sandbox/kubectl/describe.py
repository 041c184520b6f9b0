"""``kubectl describe`` texts, after k8s.io/kubectl pkg/describe/describe.go.

Each describer writes ``Key:\\tvalue`` lines through a PrefixWriter (two spaces per level) into a
tabwriter(minwidth 0, tabwidth 8, padding 2); alignment falls out of the tabwriter's column blocks
exactly as in Go, including the trailing spaces of condition tables and of empty values. The
Events table is flushed separately, as DescribeEvents does. Related objects (EndpointSlices of a
Service, pods of a controller, events) are read from the cluster.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sandbox.kubectl.printers.columns import format_label_selector, format_labels, node_roles, selector_string
from sandbox.kubectl.printers.gosort import go_sort
from sandbox.kubectl.printers.tabwriter import TabWriter, escape_terminal
from sandbox.kubectl.printers.timefmt import parse_time, rfc1123z, since

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
MAX_ANNOTATION_LEN = 140


class PrefixWriter:
    """describe.go's prefixWriter over a tabwriter; ``flush`` aligns what was written so far."""

    def __init__(self) -> None:
        self.tw = TabWriter(0, 8, 2, " ")
        self.parts: list[str] = []

    def write(self, level: int, text: str) -> None:
        self.tw.write(escape_terminal("  " * level + text))

    def write_line(self, text: str) -> None:
        self.tw.write(escape_terminal(text + "\n"))

    def flush(self) -> None:
        self.parts.append(self.tw.flush())

    def text(self) -> str:
        self.flush()
        return "".join(self.parts)


# --- shared blocks -------------------------------------------------------------------------------

def print_labels(w: PrefixWriter, title: str, labels: dict | None, initial: str = "", inner: str = "\t") -> None:
    """printLabelsMultilineWithIndent: first label on the title line, the rest under it."""
    w.write(0, f"{initial}{title}:{inner}")
    if not labels:
        w.write_line("<none>")
        return
    for i, key in enumerate(sorted(labels)):
        if i:
            w.write(0, initial)
            w.write(0, inner)
        w.write(0, f"{key}={labels[key]}\n")


def print_annotations(w: PrefixWriter, title: str, annotations: dict | None) -> None:
    """printAnnotationsMultiline: last-applied skipped, long or multi-line values folded below the key."""
    w.write(0, f"{title}:\t")
    keys = sorted(k for k in (annotations or {}) if k != LAST_APPLIED)
    if not keys:
        w.write_line("<none>")
        return
    for i, key in enumerate(keys):
        if i:
            w.write(0, "\t")
        value = str(annotations[key])  # type: ignore[index]
        if value.endswith("\n"):
            value = value[:-1]
        if len(value.encode()) + len(key.encode()) + 2 > MAX_ANNOTATION_LEN or "\n" in value:
            w.write(0, f"{key}:\n")
            for line in value.split("\n"):
                w.write(0, f"\t  {_shorten(line, MAX_ANNOTATION_LEN - 2)}\n")
        else:
            w.write(0, f"{key}: {value}\n")


def _shorten(text: str, limit: int) -> str:
    data = text.encode()
    if len(data) > limit:
        return data[:limit].decode(errors="ignore") + "..."
    return text


def print_tolerations(w: PrefixWriter, title: str, tolerations: list[dict] | None, initial: str = "") -> None:
    w.write(0, f"{initial}{title}:\t")
    if not tolerations:
        w.write_line("<none>")
        return
    for i, t in enumerate(sorted(tolerations, key=lambda t: t.get("key", ""))):
        if i:
            w.write(0, initial)
            w.write(0, "\t")
        text = t.get("key", "")
        if t.get("value"):
            text += "=" + t["value"]
        if t.get("effect"):
            text += ":" + t["effect"]
        if t.get("operator") == "Exists" and not t.get("value"):
            text += " op=Exists" if (t.get("key") or t.get("effect")) else "op=Exists"
        if t.get("tolerationSeconds") is not None:
            text += f" for {t['tolerationSeconds']}s"
        w.write(0, text + "\n")


def print_taints(w: PrefixWriter, title: str, taints: list[dict] | None) -> None:
    w.write(0, f"{title}:\t")
    if not taints:
        w.write_line("<none>")
        return
    ordered = sorted(taints, key=lambda t: f"{t.get('effect', '')},{t.get('key', '')}")
    for i, taint in enumerate(ordered):
        if i:
            w.write(0, "\t")
        text = taint.get("key", "")
        if taint.get("value"):
            text += "=" + taint["value"]
        text += ":" + taint.get("effect", "")
        w.write(0, text + "\n")


def _events_for(cluster: Any, obj: dict) -> list[dict]:
    """searchEvents: events whose involvedObject is this object (name, namespace, kind, uid)."""
    meta = obj.get("metadata") or {}
    namespace = meta.get("namespace")
    try:
        events = cluster.list("events", namespace)
    except Exception:  # noqa: BLE001 - a cluster without events simply has none
        return []
    kind, name, uid = obj.get("kind", ""), meta.get("name", ""), meta.get("uid", "")
    found = []
    for ev in events:
        ref = ev.get("involvedObject") or {}
        if ref.get("name") != name or (kind and ref.get("kind") != kind):
            continue
        if uid and ref.get("uid") and ref.get("uid") != uid:
            continue
        if (ref.get("namespace") or None) != (namespace or None):
            continue
        found.append(ev)
    return found


def describe_events(w: PrefixWriter, events: list[dict], now: datetime) -> None:
    """DescribeEvents: flushed table sorted by last timestamp, ``<age> (xN over <first>)``."""
    if not events:
        w.write(0, "Events:\t<none>\n")
        return
    w.flush()
    zero = datetime.min.replace(tzinfo=now.tzinfo)
    ordered = [(parse_time(e.get("lastTimestamp")) or zero, e) for e in events]
    go_sort(ordered, lambda a, b: a[0] < b[0])  # sort.Sort(SortableEvents): unstable, as kubectl's
    ordered = [e for _, e in ordered]
    w.write(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n")
    w.write(1, "----\t------\t----\t----\t-------\n")
    for e in ordered:
        first = since(e.get("eventTime"), now) if parse_time(e.get("eventTime")) else since(e.get("firstTimestamp"),
                                                                                              now)
        series = e.get("series")
        count = e.get("count") or 0
        if series:
            interval = f"{since(series.get('lastObservedTime'), now)} (x{series.get('count', 0)} over {first})"
        elif count > 1:
            interval = f"{since(e.get('lastTimestamp'), now)} (x{count} over {first})"
        else:
            interval = first
        source = (e.get("source") or {}).get("component") or e.get("reportingComponent") or ""
        message = (e.get("message") or "").strip()
        field_path = (e.get("involvedObject") or {}).get("fieldPath")
        if field_path:
            message = f"{field_path}: {message}"
        w.write(1, f"{e.get('type', '')}\t{e.get('reason', '')}\t{interval}\t{source}\t{message}\n")


def _maybe_events(w: PrefixWriter, cluster: Any, obj: dict, show_events: bool, now: datetime) -> None:
    if show_events:
        describe_events(w, _events_for(cluster, obj), now)


def _controller_of(obj: dict) -> str:
    for ref in (obj.get("metadata") or {}).get("ownerReferences") or []:
        if ref.get("controller"):
            return f"{ref.get('kind', '')}/{ref.get('name', '')}"
    return ""


def _bool(value: Any) -> str:
    return "True" if value else "False"


def _go_bool(value: Any) -> str:
    return "true" if value else "false"


def _ios(value: Any) -> str:
    return "" if value is None else str(value)


# --- containers and pod templates -----------------------------------------------------------------

def _port_list(ports: list[dict] | None, host: bool) -> str:
    out = []
    for p in ports or []:
        number = p.get("hostPort", 0) if host else p.get("containerPort", 0)
        text = f"{number}/{p.get('protocol', 'TCP')}"
        if p.get("name"):
            text += f" ({p['name']})"
        out.append(text)
    return ", ".join(out)


def _quantity_sorted(resources: dict | None) -> list[tuple[str, str]]:
    return [(k, str(resources[k])) for k in sorted(resources or {})]  # type: ignore[index]


def _describe_resources(w: PrefixWriter, resources: dict | None, level: int) -> None:
    if not resources:
        return
    limits, requests = resources.get("limits") or {}, resources.get("requests") or {}
    if limits:
        w.write(level, "Limits:\n")
    for name, qty in _quantity_sorted(limits):
        w.write(level + 1, f"{name}:\t{qty}\n")
    if requests:
        w.write(level, "Requests:\n")
    for name, qty in _quantity_sorted(requests):
        w.write(level + 1, f"{name}:\t{qty}\n")


def _int_or_string(value: Any) -> str:
    return "" if value is None else str(value)


def describe_probe(probe: dict) -> str:
    attrs = (f"delay={probe.get('initialDelaySeconds', 0)}s timeout={probe.get('timeoutSeconds', 1)}s "
             f"period={probe.get('periodSeconds', 10)}s successThreshold={probe.get('successThreshold', 1)} "
             f"failureThreshold={probe.get('failureThreshold', 3)}")
    if probe.get("exec") is not None:
        return f"exec [{' '.join((probe['exec'] or {}).get('command') or [])}] {attrs}"
    if probe.get("httpGet") is not None:
        http = probe["httpGet"] or {}
        scheme = (http.get("scheme") or "HTTP").lower()
        host = http.get("host", "")
        port = _int_or_string(http.get("port"))
        hostport = (f"[{host}]:{port}" if ":" in host else f"{host}:{port}") if port else host
        return f"http-get {scheme}://{hostport}{http.get('path', '')} {attrs}"
    if probe.get("tcpSocket") is not None:
        tcp = probe["tcpSocket"] or {}
        return f"tcp-socket {tcp.get('host', '')}:{_int_or_string(tcp.get('port'))} {attrs}"
    if probe.get("grpc") is not None:
        grpc = probe["grpc"] or {}
        return f"grpc <pod>:{grpc.get('port', 0)} {grpc.get('service', '')} {attrs}"
    return f"unknown {attrs}"


_FIELD_LABEL = re.compile(r"^metadata\.(labels|annotations)\['(.*)'\]$")


def _field_value(pod: dict | None, path: str) -> str:
    """fieldpath.ExtractFieldPathAsString on the pod: only metadata paths resolve (others print empty)."""
    if pod is None:
        return ""
    meta = pod.get("metadata") or {}
    m = _FIELD_LABEL.match(path)
    if m:
        return str((meta.get(m.group(1)) or {}).get(m.group(2), ""))
    if path in ("metadata.annotations", "metadata.labels"):
        values = meta.get(path.split(".")[1]) or {}
        return "\n".join(f'{k}="{values[k]}"' for k in sorted(values))
    simple = {"metadata.name": meta.get("name"), "metadata.namespace": meta.get("namespace"),
              "metadata.uid": meta.get("uid")}
    return _ios(simple.get(path, ""))


def _describe_env(w: PrefixWriter, container: dict, pod: dict | None) -> None:
    env = container.get("env") or []
    w.write(2, "Environment:" + ("" if env else "\t<none>") + "\n")
    for e in env:
        value_from = e.get("valueFrom")
        if value_from is None:
            for i, line in enumerate(str(e.get("value", "")).split("\n")):
                w.write(3, f"{e.get('name', '')}:\t{line}\n" if i == 0 else f"\t{line}\n")
            continue
        if value_from.get("fieldRef") is not None:
            ref = value_from["fieldRef"]
            value = _field_value(pod, ref.get("fieldPath", "")) if pod is not None else ""
            w.write(3, f"{e.get('name', '')}:\t{value} ({ref.get('apiVersion', 'v1')}:{ref.get('fieldPath', '')})\n")
        elif value_from.get("resourceFieldRef") is not None:
            ref = value_from["resourceFieldRef"]
            resource = ref.get("resource", "")
            value = "node allocatable" if resource in ("limits.cpu", "limits.memory") else "0"
            w.write(3, f"{e.get('name', '')}:\t{value} ({resource})\n")
        elif value_from.get("secretKeyRef") is not None:
            ref = value_from["secretKeyRef"]
            w.write(3, f"{e.get('name', '')}:\t<set to the key '{ref.get('key', '')}' in secret "
                       f"'{ref.get('name', '')}'>\tOptional: {_go_bool(ref.get('optional'))}\n")
        elif value_from.get("configMapKeyRef") is not None:
            ref = value_from["configMapKeyRef"]
            w.write(3, f"{e.get('name', '')}:\t<set to the key '{ref.get('key', '')}' of config map "
                       f"'{ref.get('name', '')}'>\tOptional: {_go_bool(ref.get('optional'))}\n")


def _describe_env_from(w: PrefixWriter, container: dict) -> None:
    w.write(2, "Environment Variables from:\n")
    for e in container.get("envFrom") or []:
        if e.get("configMapRef") is not None:
            kind, ref = "ConfigMap", e["configMapRef"]
        elif e.get("secretRef") is not None:
            kind, ref = "Secret", e["secretRef"]
        else:
            kind, ref = "", {}
        optional = _go_bool(ref.get("optional"))
        if e.get("prefix"):
            w.write(3, f"{ref.get('name', '')}\t{kind} with prefix '{e['prefix']}'\tOptional: {optional}\n")
        else:
            w.write(3, f"{ref.get('name', '')}\t{kind}\tOptional: {optional}\n")


def _describe_state(w: PrefixWriter, title: str, state: dict | None) -> None:
    state = state or {}
    if state.get("running") is not None:
        w.write(2, f"{title}:\tRunning\n")
        w.write(3, f"Started:\t{rfc1123z((state['running'] or {}).get('startedAt'))}\n")
    elif state.get("waiting") is not None:
        w.write(2, f"{title}:\tWaiting\n")
        if (state["waiting"] or {}).get("reason"):
            w.write(3, f"Reason:\t{state['waiting']['reason']}\n")
    elif state.get("terminated") is not None:
        term = state["terminated"] or {}
        w.write(2, f"{title}:\tTerminated\n")
        if term.get("reason"):
            w.write(3, f"Reason:\t{term['reason']}\n")
        if term.get("message"):
            w.write(3, f"Message:\t{term['message']}\n")
        w.write(3, f"Exit Code:\t{term.get('exitCode', 0)}\n")
        if (term.get("signal") or 0) > 0:
            w.write(3, f"Signal:\t{term['signal']}\n")
        w.write(3, f"Started:\t{rfc1123z(term.get('startedAt')) if term.get('startedAt') else _ZERO_TIME}\n")
        w.write(3, f"Finished:\t{rfc1123z(term.get('finishedAt')) if term.get('finishedAt') else _ZERO_TIME}\n")
    else:
        w.write(2, f"{title}:\tWaiting\n")


_ZERO_TIME = "Mon, 01 Jan 0001 00:00:00 +0000"


def describe_containers(w: PrefixWriter, label: str, containers: list[dict], statuses: list[dict] | None,
                        pod: dict | None, space: str = "") -> None:
    by_name = {s.get("name"): s for s in statuses or []}
    w.write(0, f"{space}{label}:{'' if containers else ' <none>'}\n")
    for c in containers:
        status = by_name.get(c.get("name")) if statuses is not None else None
        w.write(1, f"{' ' if space else ''}{c.get('name', '')}:\n")
        if status is not None:
            w.write(2, f"Container ID:\t{status.get('containerID', '')}\n")
        w.write(2, f"Image:\t{c.get('image', '')}\n")
        if status is not None:
            w.write(2, f"Image ID:\t{status.get('imageID', '')}\n")
        ports = _port_list(c.get("ports"), False)
        w.write(2, f"Ports:\t{ports}\n" if "," in ports else f"Port:\t{ports or '<none>'}\n")
        host_ports = _port_list(c.get("ports"), True)
        w.write(2, f"Host Ports:\t{host_ports}\n" if "," in host_ports else f"Host Port:\t{host_ports or '<none>'}\n")
        for key, title in (("command", "Command"), ("args", "Args")):
            if c.get(key):
                w.write(2, f"{title}:\n")
                for item in c[key]:
                    for line in str(item).split("\n"):
                        w.write(3, f"{line}\n")
        if status is not None:
            _describe_state(w, "State", status.get("state"))
            if ((status.get("lastState") or {}).get("terminated")) is not None:
                _describe_state(w, "Last State", status.get("lastState"))
            w.write(2, f"Ready:\t{_bool(status.get('ready'))}\n")
            w.write(2, f"Restart Count:\t{status.get('restartCount', 0)}\n")
        _describe_resources(w, c.get("resources"), 2)
        for key, title in (("livenessProbe", "Liveness"), ("readinessProbe", "Readiness"),
                           ("startupProbe", "Startup")):
            if c.get(key) is not None:
                w.write(2, f"{title}:\t{describe_probe(c[key])}\n")
        if c.get("envFrom"):
            _describe_env_from(w, c)
        _describe_env(w, c, pod)
        mounts = sorted(c.get("volumeMounts") or [], key=lambda m: m.get("mountPath", ""))
        w.write(2, "Mounts:" + ("" if mounts else "\t<none>") + "\n")
        for m in mounts:
            flags = ["ro" if m.get("readOnly") else "rw"]
            if m.get("subPath"):
                flags.append(f'path="{m["subPath"]}"')
            w.write(3, f"{m.get('mountPath', '')} from {m.get('name', '')} ({','.join(flags)})\n")


def describe_volumes(w: PrefixWriter, volumes: list[dict] | None, space: str = "") -> None:
    if not volumes:
        w.write(0, f"{space}Volumes:\t<none>\n")
        return
    w.write(0, f"{space}Volumes:\n")
    for v in volumes:
        w.write(1, f"{' ' if space else ''}{v.get('name', '')}:\n")
        if v.get("hostPath") is not None:
            hp = v["hostPath"]
            w.write(2, f"Type:\tHostPath (bare host directory volume)\n    Path:\t{hp.get('path', '')}\n"
                       f"    HostPathType:\t{'<none>' if hp.get('type') is None else hp['type']}\n")
        elif v.get("emptyDir") is not None:
            ed = v["emptyDir"] or {}
            w.write(2, f"Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n"
                       f"    Medium:\t{ed.get('medium', '')}\n    SizeLimit:\t{ed.get('sizeLimit') or '<unset>'}\n")
        elif v.get("secret") is not None:
            s = v["secret"]
            w.write(2, f"Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t{s.get('secretName', '')}\n"
                       f"    Optional:\t{_go_bool(s.get('optional'))}\n")
        elif v.get("configMap") is not None:
            cm = v["configMap"]
            w.write(2, f"Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t{cm.get('name', '')}\n"
                       f"    Optional:\t{_go_bool(cm.get('optional'))}\n")
        elif v.get("persistentVolumeClaim") is not None:
            pvc = v["persistentVolumeClaim"]
            w.write(2, "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n"
                       f"    ClaimName:\t{pvc.get('claimName', '')}\n    ReadOnly:\t{_go_bool(pvc.get('readOnly'))}\n")
        elif v.get("downwardAPI") is not None:
            w.write(2, "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n")
            for item in (v["downwardAPI"] or {}).get("items") or []:
                if item.get("fieldRef") is not None:
                    w.write(3, f"{item['fieldRef'].get('fieldPath', '')} -> {item.get('path', '')}\n")
                if item.get("resourceFieldRef") is not None:
                    w.write(3, f"{item['resourceFieldRef'].get('resource', '')} -> {item.get('path', '')}\n")
        elif v.get("projected") is not None:
            w.write(2, "Type:\tProjected (a volume that contains injected data from multiple sources)\n")
            for source in (v["projected"] or {}).get("sources") or []:
                if source.get("secret") is not None:
                    w.write(2, f"SecretName:\t{source['secret'].get('name', '')}\n"
                               f"    Optional:\t{_go_bool(source['secret'].get('optional'))}\n")
                elif source.get("downwardAPI") is not None:
                    w.write(2, "DownwardAPI:\ttrue\n")
                elif source.get("configMap") is not None:
                    w.write(2, f"ConfigMapName:\t{source['configMap'].get('name', '')}\n"
                               f"    Optional:\t{_go_bool(source['configMap'].get('optional'))}\n")
                elif source.get("serviceAccountToken") is not None:
                    w.write(2, f"TokenExpirationSeconds:\t"
                               f"{source['serviceAccountToken'].get('expirationSeconds', 3600)}\n")
        else:
            w.write(1, "<unknown>\n")


def describe_pod_template(w: PrefixWriter, template: dict | None) -> None:
    w.write(0, "Pod Template:\n")
    if template is None:
        w.write(1, "<unset>")
        return
    meta, spec = template.get("metadata") or {}, template.get("spec") or {}
    print_labels(w, "  Labels", meta.get("labels"))
    if meta.get("annotations"):
        print_annotations(w, "  Annotations", meta.get("annotations"))
    if spec.get("serviceAccountName"):
        w.write(1, f"Service Account:\t{spec['serviceAccountName']}\n")
    if spec.get("initContainers"):
        describe_containers(w, "Init Containers", spec["initContainers"], None, None, "  ")
    describe_containers(w, "Containers", spec.get("containers") or [], None, None, "  ")
    describe_volumes(w, spec.get("volumes"), "  ")
    if spec.get("priorityClassName"):
        w.write(1, f"Priority Class Name:\t{spec['priorityClassName']}\n")
    print_labels(w, "  Node-Selectors", spec.get("nodeSelector"))
    print_tolerations(w, "Tolerations", spec.get("tolerations"), "  ")


def pod_qos(pod: dict) -> str:
    """qos.GetPodQOS: the recorded class, else computed from requests and limits."""
    recorded = (pod.get("status") or {}).get("qosClass")
    if recorded:
        return recorded
    containers = ((pod.get("spec") or {}).get("containers") or []) + ((pod.get("spec") or {}).get("initContainers")
                                                                       or [])
    any_set = False
    guaranteed = True
    for c in containers:
        res = c.get("resources") or {}
        req, lim = res.get("requests") or {}, res.get("limits") or {}
        if req or lim:
            any_set = True
        for name in ("cpu", "memory"):
            if name not in lim or str(req.get(name, lim.get(name))) != str(lim.get(name)):
                guaranteed = False
    if not any_set:
        return "BestEffort"
    return "Guaranteed" if guaranteed else "Burstable"


# --- describers ----------------------------------------------------------------------------------

def _header(w: PrefixWriter, obj: dict, namespaced: bool = True) -> None:
    meta = obj.get("metadata") or {}
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    if namespaced:
        w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")


def describe_pod(cluster: Any, pod: dict, show_events: bool, now: datetime) -> str:
    w = PrefixWriter()
    meta, spec, status = pod.get("metadata") or {}, pod.get("spec") or {}, pod.get("status") or {}
    _header(w, pod)
    if spec.get("priority") is not None:
        w.write(0, f"Priority:\t{spec['priority']}\n")
    if spec.get("priorityClassName"):
        w.write(0, f"Priority Class Name:\t{spec['priorityClassName']}\n")
    if spec.get("runtimeClassName"):
        w.write(0, f"Runtime Class Name:\t{spec['runtimeClassName']}\n")
    if spec.get("serviceAccountName"):
        w.write(0, f"Service Account:\t{spec['serviceAccountName']}\n")
    if not spec.get("nodeName"):
        w.write(0, "Node:\t<none>\n")
    else:
        w.write(0, f"Node:\t{spec['nodeName']}/{status.get('hostIP', '')}\n")
    if status.get("startTime"):
        w.write(0, f"Start Time:\t{rfc1123z(status['startTime'])}\n")
    print_labels(w, "Labels", meta.get("labels"))
    print_annotations(w, "Annotations", meta.get("annotations"))
    phase = status.get("phase", "")
    if meta.get("deletionTimestamp") and phase not in ("Failed", "Succeeded"):
        w.write(0, f"Status:\tTerminating (lasts {since(meta['deletionTimestamp'], now)})\n")
        w.write(0, f"Termination Grace Period:\t{meta.get('deletionGracePeriodSeconds', 0)}s\n")
    else:
        w.write(0, f"Status:\t{phase}\n")
    if status.get("reason"):
        w.write(0, f"Reason:\t{status['reason']}\n")
    if status.get("message"):
        w.write(0, f"Message:\t{status['message']}\n")
    seccomp = (spec.get("securityContext") or {}).get("seccompProfile")
    if seccomp:
        w.write(0, f"SeccompProfile:\t{seccomp.get('type', '')}\n")
    w.write(0, f"IP:\t{status.get('podIP', '')}\n")
    ips = status.get("podIPs") or []
    if not ips:
        w.write(0, "IPs:\t<none>\n")
    else:
        w.write(0, "IPs:\n")
        for ip in ips:
            w.write(1, f"IP:\t{ip.get('ip', '')}\n")
    controller = _controller_of(pod)
    if controller:
        w.write(0, f"Controlled By:\t{controller}\n")
    if status.get("nominatedNodeName"):
        w.write(0, f"NominatedNodeName:\t{status['nominatedNodeName']}\n")
    if spec.get("initContainers"):
        describe_containers(w, "Init Containers", spec["initContainers"], status.get("initContainerStatuses") or [],
                            pod)
    describe_containers(w, "Containers", spec.get("containers") or [], status.get("containerStatuses") or [], pod)
    if spec.get("readinessGates"):
        w.write(0, "Readiness Gates:\n  Type\tStatus\n")
        for gate in spec["readinessGates"]:
            value = "<none>"
            for c in status.get("conditions") or []:
                if c.get("type") == gate.get("conditionType"):
                    value = c.get("status", "")
                    break
            w.write(1, f"{gate.get('conditionType', '')} \t{value} \n")
    if status.get("conditions"):
        w.write(0, "Conditions:\n  Type\tStatus\n")
        for c in status["conditions"]:
            w.write(1, f"{c.get('type', '')} \t{c.get('status', '')} \n")
    describe_volumes(w, spec.get("volumes"))
    w.write(0, f"QoS Class:\t{pod_qos(pod)}\n")
    print_labels(w, "Node-Selectors", spec.get("nodeSelector"))
    print_tolerations(w, "Tolerations", spec.get("tolerations"))
    _maybe_events(w, cluster, pod, show_events, now)
    return w.text()


def _ready(ep: dict) -> bool:
    ready = (ep.get("conditions") or {}).get("ready")
    return ready is None or bool(ready)


def format_endpoint_slices(slices: list[dict], port_name: str | None) -> str:
    """formatEndpointSlices: ready ``ip:port`` of the named service port, 3 then ``+ N more...``."""
    if not slices:
        return "<none>"
    items: list[str] = []
    more = False
    count = 0
    for s in slices:
        ports = s.get("ports") or []
        endpoints = s.get("endpoints") or []
        if not ports:
            for ep in endpoints:
                if len(items) == 3:
                    more = True
                if not _ready(ep):
                    continue
                if not more:
                    items.append((ep.get("addresses") or [""])[0])
                count += 1
            continue
        for port in ports:
            if port_name is not None and (port.get("name") or "") != port_name:
                continue
            for ep in endpoints:
                if len(items) == 3:
                    more = True
                addr = (ep.get("addresses") or [""])[0]
                if not _ready(ep):
                    continue
                if not more:
                    number = port.get("port")
                    items.append(f"[{addr}]:{number}" if ":" in addr else f"{addr}:{number}")
                count += 1
    text = ",".join(items)
    return f"{text} + {count - 3} more..." if more else text


def describe_service(cluster: Any, svc: dict, show_events: bool, now: datetime) -> str:
    w = PrefixWriter()
    meta, spec = svc.get("metadata") or {}, svc.get("spec") or {}
    status = svc.get("status") or {}
    _header(w, svc)
    print_labels(w, "Labels", meta.get("labels"))
    print_annotations(w, "Annotations", meta.get("annotations"))
    w.write(0, f"Selector:\t{format_labels(spec.get('selector'))}\n")
    w.write(0, f"Type:\t{spec.get('type', '')}\n")
    if spec.get("ipFamilyPolicy") is not None:
        w.write(0, f"IP Family Policy:\t{spec['ipFamilyPolicy']}\n")
    families = spec.get("ipFamilies") or []
    w.write(0, f"IP Families:\t{','.join(families) if families else '<none>'}\n")
    w.write(0, f"IP:\t{spec.get('clusterIP', '')}\n")
    ips = spec.get("clusterIPs") or []
    w.write(0, f"IPs:\t{','.join(ips) if ips else '<none>'}\n")
    if spec.get("externalIPs"):
        w.write(0, f"External IPs:\t{','.join(spec['externalIPs'])}\n")
    if spec.get("loadBalancerIP"):
        w.write(0, f"Desired LoadBalancer IP:\t{spec['loadBalancerIP']}\n")
    if spec.get("externalName"):
        w.write(0, f"External Name:\t{spec['externalName']}\n")
    ingress = (status.get("loadBalancer") or {}).get("ingress") or []
    if ingress:
        parts = []
        for i in ingress:
            if i.get("ip"):
                parts.append(i["ip"] + (f" ({i['ipMode']})" if i.get("ipMode") else ""))
            else:
                parts.append(i.get("hostname", ""))
        w.write(0, f"LoadBalancer Ingress:\t{', '.join(parts)}\n")
    slices = None
    for port in spec.get("ports") or []:
        if slices is None:
            slices = _service_slices(cluster, svc)
        name = port.get("name") or "<unset>"
        proto = port.get("protocol", "")
        w.write(0, f"Port:\t{name}\t{port.get('port', 0)}/{proto}\n")
        target = port.get("targetPort", 0)
        w.write(0, f"TargetPort:\t{target}/{proto}\n")
        if port.get("appProtocol") is not None:
            w.write(0, f"AppProtocol:\t{port['appProtocol']}\n")
        if port.get("nodePort"):
            w.write(0, f"NodePort:\t{name}\t{port['nodePort']}/{proto}\n")
        w.write(0, f"Endpoints:\t{format_endpoint_slices(slices, port.get('name') or '')}\n")
    w.write(0, f"Session Affinity:\t{spec.get('sessionAffinity', '')}\n")
    if spec.get("externalTrafficPolicy"):
        w.write(0, f"External Traffic Policy:\t{spec['externalTrafficPolicy']}\n")
    if spec.get("internalTrafficPolicy") is not None:
        w.write(0, f"Internal Traffic Policy:\t{spec['internalTrafficPolicy']}\n")
    if spec.get("healthCheckNodePort"):
        w.write(0, f"HealthCheck NodePort:\t{spec['healthCheckNodePort']}\n")
    if spec.get("loadBalancerSourceRanges"):
        w.write(0, f"LoadBalancer Source Ranges:\t{','.join(spec['loadBalancerSourceRanges'])}\n")
    if spec.get("trafficDistribution") is not None:
        w.write(0, f"Traffic Distribution:\t{spec['trafficDistribution']}\n")
    _maybe_events(w, cluster, svc, show_events, now)
    return w.text()


def _service_slices(cluster: Any, svc: dict) -> list[dict]:
    meta = svc.get("metadata") or {}
    try:
        return cluster.list("endpointslices", meta.get("namespace"),
                            label_selector=f"kubernetes.io/service-name={meta.get('name', '')}")
    except Exception:  # noqa: BLE001 - no slices known: <none>
        return []


def describe_endpoints(cluster: Any, ep: dict, show_events: bool, now: datetime) -> str:
    w = PrefixWriter()
    meta = ep.get("metadata") or {}
    _header(w, ep)
    print_labels(w, "Labels", meta.get("labels"))
    print_annotations(w, "Annotations", meta.get("annotations"))
    w.write(0, "Subsets:\n")
    for subset in ep.get("subsets") or []:
        ready = ",".join(a.get("ip", "") for a in subset.get("addresses") or []) or "<none>"
        w.write(1, f"Addresses:\t{ready}\n")
        not_ready = ",".join(a.get("ip", "") for a in subset.get("notReadyAddresses") or []) or "<none>"
        w.write(1, f"NotReadyAddresses:\t{not_ready}\n")
        if subset.get("ports"):
            w.write(1, "Ports:\n")
            w.write(2, "Name\tPort\tProtocol\n")
            w.write(2, "----\t----\t--------\n")
            for p in subset["ports"]:
                w.write(2, f"{p.get('name') or '<unset>'}\t{p.get('port', 0)}\t{p.get('protocol', '')}\n")
        w.write(0, "\n")
    _maybe_events(w, cluster, ep, show_events, now)
    return w.text()


def describe_endpointslice(cluster: Any, es: dict, show_events: bool, now: datetime) -> str:
    w = PrefixWriter()
    meta = es.get("metadata") or {}
    _header(w, es)
    print_labels(w, "Labels", meta.get("labels"))
    print_annotations(w, "Annotations", meta.get("annotations"))
    w.write(0, f"AddressType:\t{es.get('addressType', '')}\n")
    ports = es.get("ports") or []
    if not ports:
        w.write(0, "Ports: <unset>\n")
    else:
        w.write(0, "Ports:\n")
        w.write(1, "Name\tPort\tProtocol\n")
        w.write(1, "----\t----\t--------\n")
        for p in ports:
            name = p.get("name") or "<unset>"
            number = str(p["port"]) if p.get("port") is not None else "<unset>"
            w.write(1, f"{name}\t{number}\t{p.get('protocol', '')}\n")
    endpoints = es.get("endpoints") or []
    if not endpoints:
        w.write(0, "Endpoints: <none>\n")
    else:
        w.write(0, "Endpoints:\n")
        for ep in endpoints:
            w.write(1, f"- Addresses:\t{', '.join(ep.get('addresses') or []) or '<none>'}\n")
            w.write(2, "Conditions:\n")
            ready = (ep.get("conditions") or {}).get("ready")
            w.write(3, f"Ready:\t{'<unset>' if ready is None else _go_bool(ready)}\n")
            w.write(2, f"Hostname:\t{ep['hostname'] if ep.get('hostname') is not None else '<unset>'}\n")
            if ep.get("targetRef") is not None:
                w.write(2, f"TargetRef:\t{ep['targetRef'].get('kind', '')}/{ep['targetRef'].get('name', '')}\n")
            w.write(2, f"NodeName:\t{ep['nodeName'] if ep.get('nodeName') is not None else '<unset>'}\n")
            w.write(2, f"Zone:\t{ep['zone'] if ep.get('zone') is not None else '<unset>'}\n")
    _maybe_events(w, cluster, es, show_events, now)
    return w.text()


def _pod_counts(cluster: Any, obj: dict) -> tuple[int, int, int, int]:
    """getPodStatusForController: pods selected and controlled by this object, by phase."""
    meta, spec = obj.get("metadata") or {}, obj.get("spec") or {}
    selector = selector_string(spec.get("selector"))
    try:
        pods = cluster.list("pods", meta.get("namespace"), label_selector=selector or None)
    except Exception:  # noqa: BLE001
        pods = []
    counts = {"Running": 0, "Pending": 0, "Succeeded": 0, "Failed": 0}
    uid = meta.get("uid")
    for pod in pods:
        refs = [r for r in (pod.get("metadata") or {}).get("ownerReferences") or [] if r.get("controller")]
        if not refs or refs[0].get("uid") != uid:
            continue
        phase = (pod.get("status") or {}).get("phase")
        if phase in counts:
            counts[phase] += 1
    return counts["Running"], counts["Pending"], counts["Succeeded"], counts["Failed"]


def _conditions_table(w: PrefixWriter, conditions: list[dict] | None) -> None:
    if conditions:
        w.write(0, "Conditions:\n  Type\tStatus\tReason\n")
        w.write(1, "----\t------\t------\n")
        for c in conditions:
            w.write(1, f"{c.get('type', '')} \t{c.get('status', '')}\t{c.get('reason', '')}\n")


def describe_replicaset(cluster: Any, rs: dict, show_events: bool, now: datetime) -> str:
    w = PrefixWriter()
    meta, spec, status = rs.get("metadata") or {}, rs.get("spec") or {}, rs.get("status") or {}
    _header(w, rs)
    w.write(0, f"Selector:\t{format_label_selector(spec.get('selector'))}\n")
    print_labels(w, "Labels", meta.get("labels"))
    print_annotations(w, "Annotations", meta.get("annotations"))
    controller = _controller_of(rs)
    if controller:
        w.write(0, f"Controlled By:\t{controller}\n")
    w.write(0, f"Replicas:\t{status.get('replicas', 0)} current / {spec.get('replicas', 1)} desired\n")
    running, waiting, succeeded, failed = _pod_counts(cluster, rs)
    w.write(0, "Pods Status:\t")
    w.write(0, f"{running} Running / {waiting} Waiting / {succeeded} Succeeded / {failed} Failed\n")
    describe_pod_template(w, spec.get("template"))
    _conditions_table(w, status.get("conditions"))
    _maybe_events(w, cluster, rs, show_events, now)
    return w.text()


def _rs_summary(rs_list: list[dict]) -> str:
    parts = [f"{(r.get('metadata') or {}).get('name', '')} ({(r.get('status') or {}).get('replicas', 0)}/"
             f"{(r.get('spec') or {}).get('replicas', 1)} replicas created)" for r in rs_list]
    return ", ".join(parts) or "<none>"


def _template_hash_equal(a: dict | None, b: dict | None) -> bool:
    """deploymentutil.EqualIgnoreHash: pod templates equal once pod-template-hash labels are dropped."""
    def strip(t: dict | None) -> Any:
        t = dict(t or {})
        meta = dict(t.get("metadata") or {})
        labels = {k: v for k, v in (meta.get("labels") or {}).items() if k != "pod-template-hash"}
        meta["labels"] = labels
        t["metadata"] = meta
        return t
    return strip(a) == strip(b)


def _deployment_replicasets(cluster: Any, d: dict) -> tuple[list[dict], list[dict]]:
    meta = d.get("metadata") or {}
    try:
        rs_all = cluster.list("replicasets", meta.get("namespace"))
    except Exception:  # noqa: BLE001
        return [], []
    owned = [r for r in rs_all if any(ref.get("controller") and ref.get("uid") == meta.get("uid")
                                      for ref in (r.get("metadata") or {}).get("ownerReferences") or [])]
    owned.sort(key=lambda r: ((r.get("metadata") or {}).get("creationTimestamp", ""),
                              (r.get("metadata") or {}).get("name", "")))
    template = (d.get("spec") or {}).get("template")
    new = [r for r in owned if _template_hash_equal((r.get("spec") or {}).get("template"), template)][:1]
    old = [r for r in owned if r not in new]  # GetAllReplicaSetsInChunks' allOldRSs: scaled-down ones too
    return old, new


def describe_deployment(cluster: Any, d: dict, show_events: bool, now: datetime) -> str:
    w = PrefixWriter()
    meta, spec, status = d.get("metadata") or {}, d.get("spec") or {}, d.get("status") or {}
    _header(w, d)
    w.write(0, f"CreationTimestamp:\t{rfc1123z(meta.get('creationTimestamp'))}\n")
    print_labels(w, "Labels", meta.get("labels"))
    print_annotations(w, "Annotations", meta.get("annotations"))
    w.write(0, f"Selector:\t{selector_string(spec.get('selector'))}\n")
    w.write(0, f"Replicas:\t{spec.get('replicas', 1)} desired | {status.get('updatedReplicas', 0)} updated | "
               f"{status.get('replicas', 0)} total | {status.get('availableReplicas', 0)} available | "
               f"{status.get('unavailableReplicas', 0)} unavailable\n")
    strategy = spec.get("strategy") or {}
    w.write(0, f"StrategyType:\t{strategy.get('type', '')}\n")
    w.write(0, f"MinReadySeconds:\t{spec.get('minReadySeconds', 0)}\n")
    if strategy.get("rollingUpdate") is not None:
        ru = strategy["rollingUpdate"] or {}
        w.write(0, f"RollingUpdateStrategy:\t{_ios(ru.get('maxUnavailable'))} max unavailable, "
                   f"{_ios(ru.get('maxSurge'))} max surge\n")
    describe_pod_template(w, spec.get("template"))
    _conditions_table(w, status.get("conditions"))
    old, new = _deployment_replicasets(cluster, d)
    if old or new:
        w.write(0, f"OldReplicaSets:\t{_rs_summary(old)}\n")
        w.write(0, f"NewReplicaSet:\t{_rs_summary(new)}\n")
    _maybe_events(w, cluster, d, show_events, now)
    return w.text()


def describe_statefulset(cluster: Any, sts: dict, show_events: bool, now: datetime) -> str:
    w = PrefixWriter()
    meta, spec, status = sts.get("metadata") or {}, sts.get("spec") or {}, sts.get("status") or {}
    _header(w, sts)
    w.write(0, f"CreationTimestamp:\t{rfc1123z(meta.get('creationTimestamp'))}\n")
    w.write(0, f"Selector:\t{selector_string(spec.get('selector'))}\n")
    print_labels(w, "Labels", meta.get("labels"))
    print_annotations(w, "Annotations", meta.get("annotations"))
    if spec.get("serviceName"):
        w.write(0, f"Service Name:\t{spec['serviceName']}\n")
    if spec.get("podManagementPolicy"):
        w.write(0, f"Pod Management Policy:\t{spec['podManagementPolicy']}\n")
    w.write(0, f"Replicas:\t{spec.get('replicas', 1)} desired | {status.get('replicas', 0)} total\n")
    strategy = spec.get("updateStrategy") or {}
    w.write(0, f"Update Strategy:\t{strategy.get('type', '')}\n")
    ru = strategy.get("rollingUpdate")
    if ru is not None and ru.get("partition") is not None:
        w.write(1, f"Partition:\t{ru['partition']}\n")
        if ru.get("maxUnavailable") is not None:
            w.write(1, f"MaxUnavailable:\t{ru['maxUnavailable']}\n")
    policy = spec.get("persistentVolumeClaimRetentionPolicy")
    if policy is not None:
        w.write(0, "Persistent Volume Claim Retention Policy:\n")
        w.write(1, f"WhenDeleted:\t{policy.get('whenDeleted', '')}\n")
        w.write(1, f"WhenScaled:\t{policy.get('whenScaled', '')}\n")
    running, waiting, succeeded, failed = _pod_counts(cluster, sts)
    w.write(0, f"Pods Status:\t{running} Running / {waiting} Waiting / {succeeded} Succeeded / {failed} Failed\n")
    describe_pod_template(w, spec.get("template"))
    claims = spec.get("volumeClaimTemplates") or []
    if not claims:
        w.write(0, "Volume Claims:\t<none>\n")
    else:
        w.write(0, "Volume Claims:\n")
        for claim in claims:
            cmeta, cspec = claim.get("metadata") or {}, claim.get("spec") or {}
            w.write(1, f"Name:\t{cmeta.get('name', '')}\n")
            w.write(1, f"StorageClass:\t{cspec.get('storageClassName', '')}\n")
            print_labels(w, "Labels", cmeta.get("labels"), "  ")
            w.write(1, "Annotations:\t")
            annotations = cmeta.get("annotations") or {}
            w.write_line(",".join(f"{k}={annotations[k]}" for k in sorted(annotations)) or "<none>")
            storage = ((cspec.get("resources") or {}).get("requests") or {}).get("storage")
            w.write(1, f"Capacity:\t{storage if storage else '<default>'}\n")
            w.write(1, f"Access Modes:\t{','.join(cspec.get('accessModes') or [])}\n")
    _maybe_events(w, cluster, sts, show_events, now)
    return w.text()


def describe_daemonset(cluster: Any, ds: dict, show_events: bool, now: datetime) -> str:
    w = PrefixWriter()
    meta, spec, status = ds.get("metadata") or {}, ds.get("spec") or {}, ds.get("status") or {}
    _header(w, ds)
    w.write(0, f"Selector:\t{selector_string(spec.get('selector'))}\n")
    node_selector = ((spec.get("template") or {}).get("spec") or {}).get("nodeSelector")
    w.write(0, f"Node-Selector:\t{format_labels(node_selector)}\n")
    print_labels(w, "Labels", meta.get("labels"))
    print_annotations(w, "Annotations", meta.get("annotations"))
    w.write(0, f"Desired Number of Nodes Scheduled: {status.get('desiredNumberScheduled', 0)}\n")
    w.write(0, f"Current Number of Nodes Scheduled: {status.get('currentNumberScheduled', 0)}\n")
    w.write(0, f"Number of Nodes Scheduled with Up-to-date Pods: {status.get('updatedNumberScheduled', 0)}\n")
    w.write(0, f"Number of Nodes Scheduled with Available Pods: {status.get('numberAvailable', 0)}\n")
    w.write(0, f"Number of Nodes Misscheduled: {status.get('numberMisscheduled', 0)}\n")
    running, waiting, succeeded, failed = _pod_counts(cluster, ds)
    w.write(0, f"Pods Status:\t{running} Running / {waiting} Waiting / {succeeded} Succeeded / {failed} Failed\n")
    describe_pod_template(w, spec.get("template"))
    _maybe_events(w, cluster, ds, show_events, now)
    return w.text()


def describe_namespace(cluster: Any, ns: dict, show_events: bool, now: datetime) -> str:
    w = PrefixWriter()
    meta = ns.get("metadata") or {}
    _header(w, ns, namespaced=False)
    print_labels(w, "Labels", meta.get("labels"))
    print_annotations(w, "Annotations", meta.get("annotations"))
    status = ns.get("status") or {}
    w.write(0, f"Status:\t{status.get('phase', '')}\n")
    if status.get("conditions"):
        w.write(0, "Conditions:\n")
        w.write(1, "Type\tStatus\tLastTransitionTime\tReason\tMessage\n")
        w.write(1, "----\t------\t------------------\t------\t-------\n")
        for c in status["conditions"]:
            w.write(1, f"{c.get('type', '')}\t{c.get('status', '')}\t{rfc1123z(c.get('lastTransitionTime'))}\t"
                       f"{c.get('reason', '')}\t{c.get('message', '')}\n")
    w.write(0, "\n")
    w.write(0, "No resource quota.\n")
    w.write(0, "\n")
    w.write(0, "No LimitRange resource.\n")
    return w.text()


def describe_configmap(cluster: Any, cm: dict, show_events: bool, now: datetime) -> str:
    w = PrefixWriter()
    meta = cm.get("metadata") or {}
    _header(w, cm)
    print_labels(w, "Labels", meta.get("labels"))
    print_annotations(w, "Annotations", meta.get("annotations"))
    w.write(0, "\nData\n====\n")
    data = cm.get("data") or {}
    for key in sorted(data):
        w.write(0, f"{key}:\n----\n")
        w.write(0, f"{data[key]}\n")
        w.write(0, "\n")
    w.write(0, "\nBinaryData\n====\n")
    binary = cm.get("binaryData") or {}
    for key in sorted(binary):
        import base64
        try:
            size = len(base64.b64decode(binary[key]))
        except ValueError:
            size = 0
        w.write(0, f"{key}: {size} bytes\n")
    w.write(0, "\n")
    _maybe_events(w, cluster, cm, show_events, now)
    return w.text()


def describe_serviceaccount(cluster: Any, sa: dict, show_events: bool, now: datetime) -> str:
    w = PrefixWriter()
    meta = sa.get("metadata") or {}
    _header(w, sa)
    print_labels(w, "Labels", meta.get("labels"))
    print_annotations(w, "Annotations", meta.get("annotations"))
    names = [s.get("name", "") for s in sa.get("imagePullSecrets") or []]
    header = "Image pull secrets:"
    if not names:
        w.write(0, f"{header}\t<none>\n")
    else:
        prefix = header
        for name in names:
            w.write(0, f"{prefix}\t{name}\n")
            prefix = " " * len(header)
    _maybe_events(w, cluster, sa, show_events, now)
    return w.text()


def describe_node(cluster: Any, node: dict, show_events: bool, now: datetime) -> str:
    w = PrefixWriter()
    meta, spec, status = node.get("metadata") or {}, node.get("spec") or {}, node.get("status") or {}
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    roles = node_roles(node)
    w.write(0, f"Roles:\t{','.join(roles) if roles else '<none>'}\n")
    print_labels(w, "Labels", meta.get("labels"))
    print_annotations(w, "Annotations", meta.get("annotations"))
    w.write(0, f"CreationTimestamp:\t{rfc1123z(meta.get('creationTimestamp'))}\n")
    print_taints(w, "Taints", spec.get("taints"))
    w.write(0, f"Unschedulable:\t{_go_bool(spec.get('unschedulable'))}\n")
    lease = _node_lease(cluster, meta.get("name", ""), now)
    w.write(0, "Lease:\n")
    lspec = (lease or {}).get("spec") or {}
    w.write(1, f"HolderIdentity:\t{lspec.get('holderIdentity') or '<unset>'}\n")
    w.write(1, f"AcquireTime:\t{rfc1123z(lspec['acquireTime']) if lspec.get('acquireTime') else '<unset>'}\n")
    w.write(1, f"RenewTime:\t{rfc1123z(lspec['renewTime']) if lspec.get('renewTime') else '<unset>'}\n")
    if status.get("conditions"):
        w.write(0, "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n")
        w.write(1, "----\t------\t-----------------\t------------------\t------\t-------\n")
        for c in status["conditions"]:
            w.write(1, f"{c.get('type', '')} \t{c.get('status', '')} \t{rfc1123z(c.get('lastHeartbeatTime'))} \t"
                       f"{rfc1123z(c.get('lastTransitionTime'))} \t{c.get('reason', '')} \t{c.get('message', '')}\n")
    w.write(0, "Addresses:\n")
    for address in status.get("addresses") or []:
        w.write(1, f"{address.get('type', '')}:\t{address.get('address', '')}\n")
    for title, key in (("Capacity", "capacity"), ("Allocatable", "allocatable")):
        values = status.get(key) or {}
        if values:
            w.write(0, f"{title}:\n")
            for name in sorted(values):
                w.write(0, f"  {name}:\t{values[name]}\n")
    info = status.get("nodeInfo") or {}
    w.write(0, "System Info:\n")
    for label, key in (("Machine ID", "machineID"), ("System UUID", "systemUUID"), ("Boot ID", "bootID"),
                       ("Kernel Version", "kernelVersion"), ("OS Image", "osImage"),
                       ("Operating System", "operatingSystem"), ("Architecture", "architecture"),
                       ("Container Runtime Version", "containerRuntimeVersion"),
                       ("Kubelet Version", "kubeletVersion")):
        w.write(0, f"  {label}:\t{info.get(key, '')}\n")
    if spec.get("podCIDR"):
        w.write(0, f"PodCIDR:\t{spec['podCIDR']}\n")
    if spec.get("podCIDRs"):
        w.write(0, f"PodCIDRs:\t{','.join(spec['podCIDRs'])}\n")
    if spec.get("providerID"):
        w.write(0, f"ProviderID:\t{spec['providerID']}\n")
    _node_resources(w, cluster, node, now)
    _maybe_events(w, cluster, node, show_events, now)
    return w.text()


def _node_lease(cluster: Any, name: str, now: datetime) -> dict | None:
    """The node's kube-node-lease Lease; the engine does not model leases, so a live kubelet's is
    synthesised (holder = node, renewed every 10 s)."""
    try:
        return cluster.get("leases", "kube-node-lease", name)
    except Exception:  # noqa: BLE001 - no Lease resource in the engine
        renewed = now.replace(microsecond=0) - timedelta(seconds=now.second % 10)
        return {"spec": {"holderIdentity": name, "renewTime": renewed.strftime("%Y-%m-%dT%H:%M:%S.000000Z")}}


# Resource quantities, enough for describe's requests/limits arithmetic.
_BIN = {"Ki": 1024, "Mi": 1024 ** 2, "Gi": 1024 ** 3, "Ti": 1024 ** 4, "Pi": 1024 ** 5, "Ei": 1024 ** 6}
_DEC = {"n": 10 ** -9, "u": 10 ** -6, "m": 10 ** -3, "": 1, "k": 10 ** 3, "M": 10 ** 6, "G": 10 ** 9, "T": 10 ** 12,
        "P": 10 ** 15, "E": 10 ** 18}
_QTY = re.compile(r"^([+-]?[0-9.]+)([eE][+-]?[0-9]+|Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?$")


def _milli(qty: Any) -> tuple[int, str]:
    """Quantity in thousandths and its format family (``bin``/``dec``)."""
    m = _QTY.match(str(qty).strip())
    if not m:
        return 0, "dec"
    number, suffix = float(m.group(1)), m.group(2) or ""
    if suffix in _BIN:
        return round(number * _BIN[suffix] * 1000), "bin"
    if suffix.startswith(("e", "E")):
        return round(number * 10 ** int(suffix[1:]) * 1000), "dec"
    return round(number * _DEC[suffix] * 1000), "dec"


def _format_qty(milli: int, family: str) -> str:
    """Quantity.String() canonical form for the sums describe prints."""
    if milli == 0:
        return "0"
    if milli % 1000:
        return f"{milli}m"
    value = milli // 1000
    if family == "bin":
        for suffix, size in reversed(list(_BIN.items())):
            if value % size == 0:
                return f"{value // size}{suffix}"
        return str(value)
    for suffix, size in (("E", 10 ** 18), ("P", 10 ** 15), ("T", 10 ** 12), ("G", 10 ** 9), ("M", 10 ** 6),
                         ("k", 10 ** 3)):
        if value % size == 0:
            return f"{value // size}{suffix}"
    return str(value)


def _pod_totals(pod: dict, kind: str) -> dict[str, tuple[int, str]]:
    totals: dict[str, tuple[int, str]] = {}
    for c in (pod.get("spec") or {}).get("containers") or []:
        for name, qty in (((c.get("resources") or {}).get(kind)) or {}).items():
            milli, family = _milli(qty)
            prev = totals.get(name)
            totals[name] = (milli + (prev[0] if prev else 0), prev[1] if prev else family)
    return totals


def _node_resources(w: PrefixWriter, cluster: Any, node: dict, now: datetime) -> None:
    name = (node.get("metadata") or {}).get("name", "")
    try:
        pods = [p for p in cluster.list("pods") if (p.get("spec") or {}).get("nodeName") == name
                and (p.get("status") or {}).get("phase") not in ("Succeeded", "Failed")]
    except Exception:  # noqa: BLE001
        pods = []
    status = node.get("status") or {}
    allocatable = status.get("allocatable") or status.get("capacity") or {}
    cpu_alloc = _milli(allocatable.get("cpu", "0"))[0]
    mem_alloc = _milli(allocatable.get("memory", "0"))[0]
    eph_alloc = _milli(allocatable.get("ephemeral-storage", "0"))[0]

    def pct(value: int, total: int) -> int:
        return int(value / total * 100) if total else 0

    w.write(0, f"Non-terminated Pods:\t({len(pods)} in total)\n")
    w.write(1, "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n")
    w.write(1, "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n")
    sums: dict[str, dict[str, tuple[int, str]]] = {"requests": {}, "limits": {}}
    for pod in pods:
        req, lim = _pod_totals(pod, "requests"), _pod_totals(pod, "limits")
        for kind, values in (("requests", req), ("limits", lim)):
            for res, (milli, family) in values.items():
                prev = sums[kind].get(res)
                sums[kind][res] = (milli + (prev[0] if prev else 0), prev[1] if prev else family)
        cpu_r, cpu_l = req.get("cpu", (0, "dec")), lim.get("cpu", (0, "dec"))
        mem_r, mem_l = req.get("memory", (0, "bin")), lim.get("memory", (0, "bin"))
        pmeta = pod.get("metadata") or {}
        w.write(1, f"{pmeta.get('namespace', '')}\t{pmeta.get('name', '')}\t\t"
                   f"{_format_qty(*cpu_r)} ({pct(cpu_r[0], cpu_alloc)}%)\t{_format_qty(*cpu_l)} "
                   f"({pct(cpu_l[0], cpu_alloc)}%)\t{_format_qty(*mem_r)} ({pct(mem_r[0], mem_alloc)}%)\t"
                   f"{_format_qty(*mem_l)} ({pct(mem_l[0], mem_alloc)}%)\t{since(pmeta.get('creationTimestamp'), now)}\n")
    w.write(0, "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n")
    w.write(1, "Resource\tRequests\tLimits\n")
    w.write(1, "--------\t--------\t------\n")
    for res, total in (("cpu", cpu_alloc), ("memory", mem_alloc), ("ephemeral-storage", eph_alloc)):
        r = sums["requests"].get(res, (0, "dec"))
        lim = sums["limits"].get(res, (0, "dec"))
        w.write(1, f"{res}\t{_format_qty(*r)} ({pct(r[0], total)}%)\t{_format_qty(*lim)} ({pct(lim[0], total)}%)\n")
    for res in sorted(allocatable):
        if res.startswith("hugepages-"):
            r = sums["requests"].get(res, (0, "bin"))
            lim = sums["limits"].get(res, (0, "bin"))
            total = _milli(allocatable[res])[0]
            w.write(1, f"{res}\t{_format_qty(*r)} ({pct(r[0], total)}%)\t{_format_qty(*lim)} "
                       f"({pct(lim[0], total)}%)\n")


def describe_event(cluster: Any, ev: dict, show_events: bool, now: datetime) -> str:
    """Events have no describer of their own: kubectl falls back to the generic one."""
    return describe_generic(cluster, ev, show_events, now)


def describe_generic(cluster: Any, obj: dict, show_events: bool, now: datetime) -> str:
    """GenericDescriberFor: name/namespace/labels/annotations, then the object's fields."""
    w = PrefixWriter()
    meta = obj.get("metadata") or {}
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    print_labels(w, "Labels", meta.get("labels"))
    print_annotations(w, "Annotations", meta.get("annotations"))
    _unstructured(w, 0, obj, "", {".metadata.managedFields", ".metadata.name", ".metadata.namespace",
                                  ".metadata.labels", ".metadata.annotations"})
    _maybe_events(w, cluster, obj, show_events, now)
    return w.text()


def _camel_split(text: str) -> list[str]:
    """fatih/camelcase.Split: runs of lower, upper, digit, other; ``HTTPServer`` -> HTTP, Server."""
    def cls(ch: str) -> int:
        if ch.islower():
            return 1
        if ch.isupper():
            return 2
        if ch.isdigit():
            return 3
        return 4
    runs: list[list[str]] = []
    last = 0
    for ch in text:
        c = cls(ch)
        if runs and c == last:
            runs[-1].append(ch)
        else:
            runs.append([ch])
        last = c
    for i in range(len(runs) - 1):
        if runs[i] and runs[i + 1] and runs[i][0].isupper() and runs[i + 1][0].islower():
            runs[i + 1].insert(0, runs[i].pop())
    return ["".join(r) for r in runs if r]


def smart_label(field: str) -> str:
    """describe.go smartLabelFor: ``apiVersion`` -> ``API Version``, ``involvedObject`` -> ``Involved Object``."""
    if any(not (ch.isalpha() or ch == "-") for ch in field):
        return field
    parts = _camel_split(field)
    merged: list[str] = []
    i = 0
    while i < len(parts):
        part = parts[i]
        if i < len(parts) - 1:
            nxt = parts[i + 1]
            if len(part) >= 2 and all(not ch.isalpha() or ch.isupper() for ch in part) and nxt[:1].isupper():
                merged.append(part + nxt)
                i += 2
                continue
        merged.append(part)
        i += 1
    out = []
    for part in merged:
        if part == "_":
            continue
        if part.upper() in ("API", "URL", "UID", "GUID"):
            part = part.upper()
        elif part.lower() == part:
            part = part[:1].upper() + part[1:]
        out.append(part)
    return " ".join(out)


def _unstructured(w: PrefixWriter, level: int, content: dict, prefix: str, skip: set[str]) -> None:
    """printUnstructuredContent: sorted fields, nested maps and lists indented one level each."""
    from sandbox.kubectl.printers.gofmt import sprint

    for key in sorted(content):
        path = f"{prefix}.{key}"
        if path in skip:
            continue
        value = content[key]
        label = smart_label(key)
        if isinstance(value, dict):
            w.write(level, f"{label}:\n")
            _unstructured(w, level + 1, value, path, skip)
        elif isinstance(value, list):
            w.write(level, f"{label}:\n")
            for item in value:
                if isinstance(item, dict):
                    _unstructured(w, level + 1, item, path, skip)
                else:
                    w.write(level + 1, f"{sprint(item)}\n")
        else:
            w.write(level, f"{label}:\t{sprint(value)}\n")


DESCRIBERS: dict[str, Callable[[Any, dict, bool, datetime], str]] = {
    "pods": describe_pod,
    "services": describe_service,
    "endpoints": describe_endpoints,
    "endpointslices": describe_endpointslice,
    "deployments": describe_deployment,
    "replicasets": describe_replicaset,
    "statefulsets": describe_statefulset,
    "daemonsets": describe_daemonset,
    "nodes": describe_node,
    "namespaces": describe_namespace,
    "configmaps": describe_configmap,
    "serviceaccounts": describe_serviceaccount,
    "events": describe_event,
}


def describe(cluster: Any, resource: str, obj: dict, *, show_events: bool = True, now: datetime | None = None) -> str:
    """The text ``kubectl describe <resource> <name>`` prints for ``obj`` (CONTRACTS.md §8)."""
    if now is None:
        now = cluster.clock.now
    fn = DESCRIBERS.get(resource, describe_generic)
    return fn(cluster, obj, show_events, now)
