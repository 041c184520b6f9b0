"""``kubectl expose`` (pkg/cmd/expose): a Service selecting a pod/workload/service's pods.

Ports, protocols, selector and labels come from the object unless flags say otherwise
(polymorphichelpers PortsForObject / ProtocolsForObject / MapBasedSelectorForObject).
"""

from __future__ import annotations

from typing import Any

from sandbox.api.errors import ApiError
from sandbox.kubectl import manifests, resolve
from sandbox.kubectl.cmd_create import server_view, validation_directive
from sandbox.kubectl.errors import AggregateError, KubectlError
from sandbox.kubectl.invocation import Invocation
from sandbox.kubectl.output import make_printer

_EXPOSABLE = {"pods", "services", "deployments", "replicasets", "replicationcontrollers"}


def _pod_spec(obj: dict[str, Any]) -> dict[str, Any]:
    if obj.get("kind") == "Pod":
        return obj.get("spec") or {}
    return (((obj.get("spec") or {}).get("template") or {}).get("spec")) or {}


def ports_for(obj: dict[str, Any]) -> list[str]:
    if obj.get("kind") == "Service":
        return [str(p.get("port")) for p in (obj.get("spec") or {}).get("ports") or []]
    out = []
    for c in _pod_spec(obj).get("containers") or []:
        for p in c.get("ports") or []:
            out.append(str(p.get("containerPort")))
    return out


def protocols_for(obj: dict[str, Any]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    if obj.get("kind") == "Service":
        items = [(p.get("port"), p.get("protocol", "TCP")) for p in (obj.get("spec") or {}).get("ports") or []]
    else:
        items = [(p.get("containerPort"), p.get("protocol", "TCP"))
                 for c in _pod_spec(obj).get("containers") or [] for p in c.get("ports") or []]
    for port, proto in items:
        key = str(port)
        if proto not in out.setdefault(key, []):
            out[key].append(proto)
    return out


def selector_for(obj: dict[str, Any]) -> str:
    kind = obj.get("kind")
    if kind == "Pod":
        labels = obj["metadata"].get("labels") or {}
        if not labels:
            raise KubectlError("couldn't retrieve selectors via --selector flag or introspection: the pod has no "
                               "labels and cannot be exposed")
        return _join(labels)
    if kind == "Service":
        sel = (obj.get("spec") or {}).get("selector") or {}
        if not sel:
            raise KubectlError("couldn't retrieve selectors via --selector flag or introspection: the service has no "
                               "pod selector set")
        return _join(sel)
    sel = (obj.get("spec") or {}).get("selector") or {}
    if sel.get("matchExpressions"):
        raise KubectlError("couldn't retrieve selectors via --selector flag or introspection: couldn't convert "
                           "expressions - \"" + str(sel["matchExpressions"]) + "\" to map-based selector format")
    return _join(sel.get("matchLabels") or {})


def _join(labels: dict[str, str]) -> str:
    return ",".join(f"{k}={v}" for k, v in sorted(labels.items()))


def _parse_labels(text: str) -> dict[str, str]:
    if not text:
        raise KubectlError("no label spec passed")
    out: dict[str, str] = {}
    for spec in text.split(","):
        parts = spec.split("=")
        if len(parts) != 2:
            raise KubectlError(f"unexpected label spec: {spec}")
        if not parts[0]:
            raise KubectlError("unexpected empty label key")
        out[parts[0]] = parts[1]
    return out


def build_service(inv: Invocation, obj: dict[str, Any]) -> dict[str, Any]:
    flags = inv.flags
    selector_text = flags.str("selector") or selector_for(obj)
    cluster_ip = flags.str("cluster-ip")
    port_text = flags.str("port")
    ports_joined = ""
    if not port_text:
        found = ports_for(obj)
        if not found and cluster_ip != "None":
            raise KubectlError("couldn't find port via --port flag or introspection")
        if len(found) == 1:
            port_text = found[0]
        elif len(found) > 1:
            ports_joined = ",".join(found)
    protocols = protocols_for(obj)
    labels_text = flags.str("labels") or _join(obj["metadata"].get("labels") or {})
    selector = _parse_labels(selector_text)
    labels = _parse_labels(labels_text) if labels_text else {}
    name = flags.str("name") or obj["metadata"]["name"][:63]
    port_string = ports_joined or port_text
    protocol_flag = flags.str("protocol")
    ports: list[dict[str, Any]] = []
    if port_string:
        parts = port_string.split(",")
        for i, p in enumerate(parts):
            try:
                port = int(p)
            except ValueError:
                raise KubectlError(f'strconv.Atoi: parsing "{p}": invalid syntax') from None
            pname = f"port-{i + 1}" if len(parts) > 1 else ""
            proto = protocol_flag
            if not proto:
                found_protos = protocols.get(p, [])
                if len(found_protos) > 1:
                    for fp in found_protos:
                        ports.append({"name": f"port-{i + 1}-{fp.lower()}", "protocol": fp, "port": port})
                    continue
                proto = found_protos[0] if found_protos else "TCP"
            entry: dict[str, Any] = {}
            if pname:
                entry["name"] = pname
            entry["protocol"] = proto
            entry["port"] = port
            ports.append(entry)
    target = flags.str("target-port")
    for entry in ports:
        if target:
            entry["targetPort"] = int(target) if target.lstrip("-").isdigit() else target
        else:
            entry["targetPort"] = entry["port"]
    spec: dict[str, Any] = {}
    if ports:
        spec["ports"] = ports
    spec["selector"] = selector
    if cluster_ip:
        spec["clusterIP"] = cluster_ip
    svc_type = flags.str("type")
    if svc_type:
        spec["type"] = svc_type
    if flags.str("external-ip"):
        spec["externalIPs"] = [flags.str("external-ip")]
    affinity = flags.str("session-affinity")
    if affinity:
        if affinity not in ("None", "ClientIP"):
            raise KubectlError(f"unknown session affinity: {affinity}")
        spec["sessionAffinity"] = affinity
    if svc_type == "LoadBalancer" and flags.str("load-balancer-ip"):
        spec["loadBalancerIP"] = flags.str("load-balancer-ip")
    md: dict[str, Any] = {"name": name}
    if labels:
        md["labels"] = labels
    return {"kind": "Service", "apiVersion": "v1", "metadata": md, "spec": spec,
            "status": {"loadBalancer": {}}}


def expose(inv: Invocation) -> int:
    files = inv.flags.list("filename")
    if not inv.args and not files:
        raise KubectlError("You must provide one or more resources by argument or filename.\nExample resource "
                           "specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   "
                           "'<resource> <name>'\n   '<resource>'")
    dry = inv.dry_run()
    suffix = {"client": " (dry run)", "server": " (server dry run)"}.get(dry, "")
    printer = make_printer(inv, operation="exposed" + suffix)
    validation_directive(inv)
    cluster = inv.cluster
    targets: list[tuple[Any, dict[str, Any]]] = []
    errors: list[Exception] = []
    if files:
        from sandbox.api import resources

        for m in manifests.read(inv, files, recursive=inv.flags.bool("recursive")):
            rt = resources.by_kind(str(m.obj.get("apiVersion", "")), str(m.obj.get("kind", "")))
            if rt is None:
                raise KubectlError(f'no matches for kind "{m.obj.get("kind")}" in version "{m.obj.get("apiVersion")}"')
            md = m.obj.get("metadata") or {}
            obj = dict(m.obj)
            obj["metadata"] = {**md, "namespace": md.get("namespace") or inv.namespace}
            targets.append((rt, obj))
    else:
        reqs = resolve.parse_args(inv.args)
        if not any(r.names for r in reqs):
            raise KubectlError("resource(s) were provided, but no name was specified")
        for req in reqs:
            objs, errs = resolve.fetch(cluster, req, inv.namespace)
            targets.extend((req.rt, o) for o in objs)
            errors.extend(errs)
    for rt, obj in targets:
        try:
            if rt.plural not in _EXPOSABLE:
                raise KubectlError(f"cannot expose a {rt.kind}{'.' + rt.group if rt.group else ''}")
            svc = build_service(inv, obj)
            if dry == "client":
                if inv.namespace_explicit:
                    svc["metadata"] = {"name": svc["metadata"]["name"], "namespace": inv.namespace,
                                       **({"labels": svc["metadata"]["labels"]} if "labels" in svc["metadata"]
                                          else {})}
                inv.out(printer.render(svc))
                continue
            if "save-config" in inv.flags.fs.defs and inv.flags.bool("save-config"):
                from sandbox.kubectl.cmd_create import set_last_applied

                set_last_applied(svc)
            svc["metadata"]["namespace"] = inv.namespace
            created = cluster.create(svc, dry_run=dry == "server")
            inv.out(printer.render(server_view(created)))
        except (ApiError, KubectlError) as exc:
            errors.append(exc)
    if errors:
        raise AggregateError(errors)
    return 0
