"""Small informational commands: version, api-resources, api-versions, cluster-info, top, options, help."""

from __future__ import annotations

import json
from typing import Any

from sandbox.api import resources
from sandbox.kubectl import kubeconfig
from sandbox.kubectl.commands import find, help_text
from sandbox.kubectl.errors import KubectlError
from sandbox.kubectl.invocation import Invocation
from sandbox.kubectl.tabular import tabwrite

CLIENT_VERSION: dict[str, str] = {
    "major": "1", "minor": "37", "gitVersion": "v1.37.1", "gitCommit": "f78e722310e50bcaca9276be22276d9e91d91308",
    "gitTreeState": "clean", "buildDate": "2026-09-23T17:10:04Z", "goVersion": "go1.26.8", "compiler": "gc",
    "platform": "linux/amd64",
}
KUSTOMIZE_VERSION = "v5.8.1"
SERVER_VERSION: dict[str, str] = {
    "major": "1", "minor": "37", "emulationMajor": "1", "emulationMinor": "37", "minCompatibilityMajor": "1",
    "minCompatibilityMinor": "36", "gitVersion": "v1.37.1", "gitCommit": "f78e722310e50bcaca9276be22276d9e91d91308",
    "gitTreeState": "clean", "buildDate": "2026-09-23T17:02:11Z", "goVersion": "go1.26.8", "compiler": "gc",
    "platform": "linux/amd64",
}


def version(inv: Invocation) -> int:
    fmt = inv.flags.str("output")
    if fmt not in ("", "yaml", "json"):
        raise KubectlError("--output must be 'yaml' or 'json'")
    client_only = inv.flags.bool("client")
    data: dict[str, Any] = {"clientVersion": CLIENT_VERSION, "kustomizeVersion": KUSTOMIZE_VERSION}
    if not client_only:
        data["serverVersion"] = SERVER_VERSION
    if fmt == "json":
        inv.out(json.dumps(data, indent=2) + "\n")
    elif fmt == "yaml":
        from sandbox.kubectl.output import yaml_text

        inv.out(yaml_text(data) + "\n")
    else:
        text = f"Client Version: {CLIENT_VERSION['gitVersion']}\nKustomize Version: {KUSTOMIZE_VERSION}\n"
        if not client_only:
            text += f"Server Version: {SERVER_VERSION['gitVersion']}\n"
        inv.out(text)
    return 0


# Discovery order of API groups on a v1.37 apiserver (core first, then the server's group order).
_GROUP_ORDER = ("", "apps", "discovery.k8s.io")


def _served() -> list[resources.ResourceType]:
    return sorted(resources.RESOURCES, key=lambda r: (_GROUP_ORDER.index(r.group) if r.group in _GROUP_ORDER
                                                      else len(_GROUP_ORDER), r.plural))


def api_resources(inv: Invocation) -> int:
    fmt = inv.flags.str("output")
    if fmt not in ("", "wide", "name"):
        raise KubectlError(f"--output {fmt} is not available")
    items = _served()
    ns_filter = inv.flags.str("namespaced") if "namespaced" in inv.flags.changed else ""
    if ns_filter:
        want = ns_filter.lower() == "true"
        items = [r for r in items if r.namespaced == want]
    group = inv.flags.str("api-group")
    if "api-group" in inv.flags.changed:
        items = [r for r in items if r.group == group]
    verbs = inv.flags.list("verbs")
    if verbs:
        items = [r for r in items if all(v in r.verbs for v in verbs)]
    sort_by = inv.flags.str("sort-by")
    if sort_by == "name":
        items = sorted(items, key=lambda r: r.plural)
    elif sort_by == "kind":
        items = sorted(items, key=lambda r: r.kind)
    if fmt == "name":
        inv.out("".join(f"{r.plural}{'.' + r.group if r.group else ''}\n" for r in items))
        return 0
    header = ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]
    if fmt == "wide":
        header += ["VERBS", "CATEGORIES"]
    rows = [] if inv.flags.bool("no-headers") else [header]
    for r in items:
        row = [r.plural, ",".join(r.short_names), r.api_version, "true" if r.namespaced else "false", r.kind]
        if fmt == "wide":
            row += ["[" + " ".join(sorted(r.verbs)) + "]", ",".join(r.categories)]
        rows.append(row)
    inv.out(tabwrite(rows))
    return 0


def api_versions(inv: Invocation) -> int:
    versions = sorted({r.api_version for r in resources.RESOURCES})
    inv.out("".join(v + "\n" for v in versions))
    return 0


def cluster_info(inv: Invocation) -> int:
    if inv.args:
        raise KubectlError(f'unknown command "{inv.args[0]}"')
    server = kubeconfig.SERVER
    green, yellow, reset = "\x1b[0;32m", "\x1b[0;33m", "\x1b[0m"
    lines = f"{green}Kubernetes control plane{reset} is running at {yellow}{server}{reset}\n"
    cluster = inv.cluster
    try:
        svcs = cluster.list("services", "kube-system", label_selector="kubernetes.io/cluster-service=true")
    except Exception:  # noqa: BLE001 - no such label support: fall back to a name check
        svcs = [s for s in cluster.list("services", "kube-system")
                if (s.get("metadata", {}).get("labels") or {}).get("kubernetes.io/cluster-service") == "true"]
    for svc in svcs:
        labels = svc.get("metadata", {}).get("labels") or {}
        name = labels.get("kubernetes.io/name") or svc["metadata"]["name"]
        ports = svc.get("spec", {}).get("ports") or []
        port = ports[0].get("name") or str(ports[0].get("port")) if ports else ""
        svc_name = svc["metadata"]["name"] + (f":{port}" if port else "")
        link = f"{server}/api/v1/namespaces/kube-system/services/{svc_name}/proxy"
        lines += f"{green}{name}{reset} is running at {yellow}{link}{reset}\n"
    lines += "\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n"
    inv.out(lines)
    return 0


def top(inv: Invocation) -> int:
    if inv.cmd.path == ("top",):
        raise KubectlError("Metrics API not available")
    raise KubectlError("Metrics API not available")


def options(inv: Invocation) -> int:
    inv.out(help_text(("options",)) if False else _options_text())
    return 0


def _options_text() -> str:
    from sandbox.kubectl.commands import _data

    return _data("options.txt")


def help_(inv: Invocation) -> int:
    cmd, rest = find(inv.args)
    words = [a for a in rest if not a.startswith("-")]
    if words and cmd.path == ():
        inv.out(f'Unknown help topic {json.dumps(words)}\n'.replace('", "', '" "'))
        inv.out(cmd.help_text())
        return 0
    inv.out(cmd.help_text())
    return 0
