"""Services, Endpoints and EndpointSlices (the Service's Endpoints line comes from its slices)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sandbox.kubectl.printers.columns import format_labels

from .events import _maybe_events
from .writer import PrefixWriter, _go_bool, _header, print_annotations, print_labels


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
