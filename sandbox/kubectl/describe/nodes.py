"""describeNode, with the lease and the requests/limits summary of its pods."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from sandbox.kubectl.printers.columns import node_roles
from sandbox.kubectl.printers.timefmt import rfc1123z, since

from .events import _maybe_events
from .writer import PrefixWriter, _go_bool, print_annotations, print_labels, print_taints


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
