"""ReplicaSets, Deployments, StatefulSets and DaemonSets."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sandbox.kubectl.printers.columns import format_label_selector, format_labels, selector_string
from sandbox.kubectl.printers.timefmt import rfc1123z

from .containers import describe_pod_template
from .events import _maybe_events
from .writer import PrefixWriter, _controller_of, _header, _ios, print_annotations, print_labels


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
