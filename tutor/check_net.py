"""Checks that look at the network, the learner's traffic and files.

Probes are computed from the model without touching it: DNS names are resolved from the Service
objects (not through CoreDNS, whose answers are shuffled with the lab's random source), the source
node's IPVS virtual server is looked up (not scheduled), and every usable real server is asked; an HTTP
handler's log lines are rolled back. So a probe never moves a round-robin cursor, a conntrack entry, a
counter or the random stream, and replaying a lab without its checks gives the same lab.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from tutor.check_eval import explain_endpoints, pod_state, ready_endpoints
from tutor.checks import Check

ZONE = "cluster.local"


def _source(lab: Any, origin: Any) -> tuple[Any, str]:
    """The network identity of a probe's origin and a word for messages."""
    network = lab.cluster.network
    if origin.node:
        return network.source_for_node(origin.node), f"node {origin.node}"
    if origin.pod:
        pod = lab.cluster.store.get("pods", origin.namespace, origin.pod)
        if pod is None:
            raise LookupError(f"there is no pod {origin.pod} in namespace {origin.namespace} to send it from")
    else:
        pods = [p for p in lab.cluster.list("pods", origin.namespace, label_selector=origin.selector)
                if pod_state(p) == "Running"]
        if not pods:
            raise LookupError(f"no running pod matches {origin.selector} in namespace {origin.namespace}")
        pod = pods[0]
    if pod_state(pod) != "Running":
        raise LookupError(f"pod {pod['metadata']['name']} is {pod_state(pod)}, not Running")
    return network.source_for_pod(pod), f"pod {pod['metadata']['name']}"


def _resolve(lab: Any, host: str, namespace: str) -> tuple[list[str], str]:
    """IPs a cluster client would reach for ``host`` (an IP, or a Service name in its short forms)."""
    if re.fullmatch(r"\d+\.\d+\.\d+\.\d+", host):
        return [host], ""
    name = host.rstrip(".")
    for suffix in (f".svc.{ZONE}", ".svc"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    svc_name, _, ns = name.partition(".")
    ns = ns or namespace
    svc = lab.cluster.store.get("services", ns, svc_name)
    if svc is None or "." in ns:
        return [], f"could not resolve host {host}"
    spec = svc.get("spec") or {}
    if spec.get("type") == "ExternalName":
        return [], f"{host} is an ExternalName Service (a DNS alias), not probed"
    if spec.get("clusterIP") == "None":
        ips = ready_endpoints(lab, ns, svc_name)
        return ips, "" if ips else f"could not resolve host {host}: headless Service {svc_name} has no ready endpoints"
    return [spec.get("clusterIP")], ""


def _quiet_http(network: Any, handler: Any, src: Any, ip: str, port: int, path: str) -> tuple[int | None, str]:
    """Ask one listener, then roll back what answering wrote to its container's log."""
    from sandbox.workloads.http import HttpRequest

    if not hasattr(handler, "handle_http"):
        return None, ""
    runtime = getattr(handler, "rt", None)
    entries = getattr(runtime, "log_entries", None)
    mark = len(entries) if isinstance(entries, list) else None
    try:
        request = HttpRequest(method="GET", path=path, version="HTTP/1.1", headers=[("Host", ip)], body="",
                              client_ip=src.ip, client_port=40000, server_ip=ip, server_port=port,
                              time=network.clock.now)
        response = handler.handle_http(request)
    finally:
        if mark is not None:
            del entries[mark:]
    return getattr(response, "status", None), getattr(response, "body", "")


def _backends(network: Any, src: Any, ip: str, port: int) -> tuple[list[tuple[str, int]], str]:
    """Where a new TCP connection to ip:port from ``src`` may land, without scheduling it."""
    table = network.ipvs(src.node)
    vs = table.lookup("TCP", ip, port)
    if vs is not None:
        dests = [(d.addr, d.port) for d in vs.dests if d.weight > 0]
        return dests, "" if dests else "connection refused: the Service has no endpoints"
    if table.has_address(ip):
        return [], f"connection refused: the Service behind {ip} does not define port {port}"
    return [(ip, port)], ""


def probe(check: Check, lab: Any) -> tuple[bool, str]:
    rule = check.probe
    network = lab.cluster.network
    try:
        src, who = _source(lab, rule.origin)
    except LookupError as exc:
        return False, f"cannot probe: {exc}"
    url = urlsplit(rule.url if "://" in rule.url else f"http://{rule.url}")
    port = url.port or (443 if url.scheme == "https" else 80)
    path = url.path or "/"
    namespace = src.namespace or rule.origin.namespace
    ips, problem = _resolve(lab, url.hostname or "", namespace)
    outcomes: list[tuple[str, int | None, str]] = []  # (error, status, body) per backend
    if problem:
        outcomes.append((problem, None, ""))
    for ip in ips:
        backends, problem = _backends(network, src, ip, port)
        if problem:
            outcomes.append((problem, None, ""))
        for addr, bport in backends:
            pod = network.view.pods_by_ip.get(addr)
            handler = network.pod_listener(pod, "TCP", bport) if pod is not None else None
            if handler is None:
                where = f"pod {pod['metadata']['name']}" if pod else addr
                outcomes.append((f"connection refused: nothing listens on {addr}:{bport} ({where})", None, ""))
                continue
            status, body = _quiet_http(network, handler, src, addr, bport, path)
            outcomes.append(("", status, body))
    what = f"GET {rule.url} from {who}"
    if rule.refused:
        if outcomes and all(err.startswith("connection refused") for err, _, _ in outcomes):
            return True, ""
        return False, f"{what} is not refused"
    failures = []
    for err, status, body in outcomes:
        if err:
            failures.append(err)
        elif rule.status is not None and status != rule.status:
            failures.append(f"answered {status}, expected {rule.status}")
        elif rule.body is not None and not re.search(rule.body, body):
            failures.append(f"the answer does not match /{rule.body}/")
    if rule.refused is False and not failures and outcomes:
        return True, ""
    if not failures and outcomes:
        return True, ""
    return False, f"{what}: {failures[0] if failures else 'nothing answered'}"


def observed(check: Check, lab: Any) -> tuple[bool, str]:
    rule = check.observed
    obs = lab.cluster.network.observations
    key = f"{rule.namespace}/{rule.service}"
    selector = None
    if rule.from_not_selected:
        svc = lab.cluster.store.get("services", rule.namespace, rule.service)
        selector = (svc or {}).get("spec", {}).get("selector") or {}
    records = [r for r in obs.connections(service=key, from_pod_not_selected_by=selector, result="ok")
               if not rule.from_not_selected or r.src_kind == "pod"]
    who = "from a pod the Service does not select " if rule.from_not_selected else ""
    if len(records) < rule.min_requests:
        tried = obs.connections(service=key)
        failed = [r for r in tried if r.result != "ok"]
        extra = f"; {len(failed)} attempt(s) failed ({failed[-1].result})" if failed else ""
        if not ready_endpoints(lab, rule.namespace, rule.service):
            extra += f"; {explain_endpoints(lab, rule.namespace, rule.service)}"
        return False, (f"No request {who}has reached a backend of Service {rule.service} yet "
                       f"({len(records)} of {rule.min_requests}){extra}")
    if rule.distinct_backends is not None:
        seen = {r.backend_pod for r in records if r.backend_pod}
        if len(seen) < rule.distinct_backends:
            return False, (f"Requests {who}to Service {rule.service} reached {len(seen)} distinct pod(s); "
                           f"expected {rule.distinct_backends}")
    return True, ""


def dns(check: Check, lab: Any) -> tuple[bool, str]:
    """A query the learner made for ``name`` (as typed: search-list expansions of it count too)."""
    rule = check.dns
    obs = lab.cluster.network.observations
    name = rule.name.rstrip(".").lower()
    queries = [q for q in obs.dns_queries(qtype=rule.type)
               if q.name.rstrip(".").lower() == name or q.name.lower().startswith(name + ".")]
    if not queries:
        return False, f"No {rule.type} query for {rule.name} has been made yet"
    problems = []
    for q in reversed(queries):
        if q.status != "ok":
            problems.append(f"a {rule.type} query for {q.name} got no answer ({q.status})")
            continue
        if rule.rcode is not None and q.rcode != rule.rcode:
            problems.append(f"a {rule.type} query for {q.name} got {q.rcode}, expected {rule.rcode}")
            continue
        if rule.records is not None and len(q.answers) != rule.records:
            problems.append(f"a {rule.type} query for {q.name} got {len(q.answers)} record(s), "
                            f"expected {rule.records}")
            continue
        if rule.rcode is None and rule.records is None and q.rcode != "NOERROR":
            problems.append(f"a {rule.type} query for {q.name} got {q.rcode}")
            continue
        return True, ""
    return False, problems[0][0].upper() + problems[0][1:]


def file(check: Check, lab: Any) -> tuple[bool, str]:
    rule = check.file
    host = lab.node_host(rule.host) if hasattr(lab, "node_host") else None
    if host is None:
        return False, f"no host {rule.host}"
    fs = host.fs
    path = rule.path
    present = fs.is_file(path)
    if not rule.exists:
        return (not present), f"{path} still exists on {rule.host}"
    if not present:
        return False, f"There is no file {path} on {rule.host}"
    if rule.yaml is None:
        return True, ""
    import yaml

    from tutor.check_eval import compare, path_values

    try:
        docs = [d for d in yaml.safe_load_all(fs.read(path)) if d is not None]
    except yaml.YAMLError as exc:
        return False, f"{path} is not valid YAML: {str(exc).splitlines()[0]}"
    if not docs:
        return False, f"{path} is empty"
    ok, text = compare(path_values(docs[0], rule.yaml.path), rule.yaml)
    return ok, f"{path}: {rule.yaml.path} {text}"
