"""``kubectl describe`` texts, after k8s.io/kubectl pkg/describe/describe.go.

Each describer writes ``Key:\\tvalue`` lines through a PrefixWriter (two spaces per level) into a
tabwriter(minwidth 0, tabwidth 8, padding 2); alignment falls out of the tabwriter's column blocks
exactly as in Go, including the trailing spaces of condition tables and of empty values. The
Events table is flushed separately, as DescribeEvents does. Related objects (EndpointSlices of a
Service, pods of a controller, events) are read from the cluster.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from .containers import describe_containers, describe_pod_template, describe_probe, describe_volumes, pod_qos
from .events import describe_events
from .network import describe_endpoints, describe_endpointslice, describe_service, format_endpoint_slices
from .nodes import describe_node
from .pods import describe_pod
from .simple import (
    describe_configmap,
    describe_event,
    describe_generic,
    describe_namespace,
    describe_serviceaccount,
    smart_label,
)
from .workloads import describe_daemonset, describe_deployment, describe_replicaset, describe_statefulset
from .writer import PrefixWriter, print_annotations, print_labels, print_taints, print_tolerations

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


__all__ = ["DESCRIBERS", "PrefixWriter", "describe", "describe_containers", "describe_events", "describe_pod_template",
           "describe_probe", "describe_volumes", "format_endpoint_slices", "pod_qos", "print_annotations",
           "print_labels", "print_taints", "print_tolerations", "smart_label"]
