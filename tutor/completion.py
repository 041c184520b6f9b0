"""Tab completion for the lab terminal: kubectl verbs, resource types, live names, flags, files.

Pure: it reads the lab (object names, the current host's files) and returns candidate *words* that
start with the word under the cursor; the terminal widget replaces that word (or lists them).
"""

from __future__ import annotations

import shlex
from typing import Any

KUBECTL_VERBS = (
    "annotate", "api-resources", "apply", "cluster-info", "config", "create", "delete", "describe", "edit",
    "exec", "explain", "expose", "get", "label", "logs", "patch", "rollout", "run", "scale", "set", "top",
    "version", "wait",
)
SUBCOMMANDS = {
    "create": ("configmap", "deployment", "namespace", "service"),
    "service": ("clusterip", "externalname", "loadbalancer", "nodeport"),
    "rollout": ("history", "restart", "status", "undo"),
    "config": ("current-context", "get-contexts", "set-context", "use-context", "view"),
    "set": ("image",),
}
RESOURCE_WORDS = (
    "all", "configmaps", "daemonsets", "deployments", "endpoints", "endpointslices", "events", "namespaces",
    "nodes", "pods", "replicasets", "serviceaccounts", "services", "statefulsets",
    "cm", "deploy", "ds", "ep", "ev", "ns", "no", "po", "rs", "sa", "sts", "svc",
)
NAME_VERBS = {"get", "describe", "delete", "edit", "label", "annotate", "patch", "scale", "expose", "logs",
              "exec", "wait"}
POD_VERBS = {"logs", "exec"}
COMMON_FLAGS = (
    "--all-namespaces", "--dry-run=client", "--filename", "--image", "--labels", "--namespace", "--no-headers",
    "--output", "--port", "--replicas", "--selector", "--show-labels", "--target-port", "--type", "--watch",
    "-o", "-n", "-l", "-f", "-A", "-w", "-it",
)
OUTPUTS = ("json", "jsonpath=", "name", "wide", "yaml", "custom-columns=", "go-template=")


def _words(line: str) -> tuple[list[str], str]:
    """Complete words before the cursor and the partial word under it."""
    try:
        parts = shlex.split(line)
    except ValueError:
        parts = line.split()
    if line and not line[-1].isspace() and parts:
        return parts[:-1], parts[-1]
    return parts, ""


def _namespace(words: list[str]) -> str | None:
    for i, word in enumerate(words):
        if word in ("-n", "--namespace") and i + 1 < len(words):
            return words[i + 1]
        if word.startswith("--namespace="):
            return word.split("=", 1)[1]
    return None


def _names(lab: Any, resource_word: str, namespace: str) -> list[str]:
    from sandbox.api.resources import lookup

    resource = lookup(resource_word.split("/")[0])
    if resource is None:
        return []
    try:
        objs = lab.cluster.list(resource.plural, namespace if resource.namespaced else None)
    except Exception:
        return []
    return [o["metadata"]["name"] for o in objs]


def _files(lab: Any, partial: str) -> list[str]:
    try:
        host = lab.session.host
        cwd = lab.session.cwd
        fs = host.fs
    except AttributeError:
        return []
    folder, _, stem = partial.rpartition("/")
    base = fs.resolve(folder or ".", cwd) if folder or not partial.startswith("/") else "/"
    if partial.startswith("/") and not folder:
        base = "/"
    try:
        entries = fs.listdir(base)
    except Exception:
        return []
    prefix = f"{folder}/" if folder or partial.startswith("/") else ""
    out = []
    for name in entries:
        if name.startswith(stem) and (stem.startswith(".") or not name.startswith(".")):
            path = f"{base.rstrip('/')}/{name}"
            out.append(prefix + name + ("/" if fs.is_dir(path) else ""))
    return sorted(out)


def complete(lab: Any, line: str) -> list[str]:
    """Candidates for the word under the cursor at the end of ``line``."""
    words, partial = _words(line)
    if not words:
        commands = ("kubectl", "curl", "wget", "nslookup", "dig", "ipvsadm", "cat", "ls", "vi", "nano", "ssh",
                    "exit", "clear", "echo", "grep", "jq")
        return sorted(c for c in commands if c.startswith(partial))
    if words[0] not in ("kubectl", "k"):
        return _files(lab, partial)
    args = words[1:]
    if partial.startswith("-"):
        return sorted(f for f in COMMON_FLAGS if f.startswith(partial))
    if args and args[-1] in ("-o", "--output"):
        return [o for o in OUTPUTS if o.startswith(partial)]
    if args and args[-1] in ("-f", "--filename"):
        return _files(lab, partial)
    if args and args[-1] in ("-n", "--namespace"):
        return [n for n in _names(lab, "namespaces", "") if n.startswith(partial)]
    positional = [a for i, a in enumerate(args) if not a.startswith("-")
                  and not (i > 0 and args[i - 1] in ("-n", "--namespace", "-o", "-l", "-f", "--image", "-c"))]
    if not positional:
        return [v for v in KUBECTL_VERBS if v.startswith(partial)]
    verb = positional[0]
    if positional[-1] in SUBCOMMANDS and len(positional) <= 2:
        return [s for s in SUBCOMMANDS[positional[-1]] if s.startswith(partial)]
    namespace = _namespace(args) or _current_namespace(lab)
    if verb in POD_VERBS and len(positional) == 1:
        return [n for n in _names(lab, "pods", namespace) if n.startswith(partial)]
    if verb in NAME_VERBS:
        if len(positional) == 1:
            if "/" in partial:
                kind = partial.split("/", 1)[0]
                return [f"{kind}/{n}" for n in _names(lab, kind, namespace) if f"{kind}/{n}".startswith(partial)]
            return [r for r in RESOURCE_WORDS if r.startswith(partial)]
        return [n for n in _names(lab, positional[1], namespace) if n.startswith(partial)]
    return []


def _current_namespace(lab: Any) -> str:
    try:
        return lab.current_namespace()
    except Exception:
        return "default"
