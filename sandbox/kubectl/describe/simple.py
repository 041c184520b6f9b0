"""Namespaces, ConfigMaps, ServiceAccounts and the generic describer (events and anything else)."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any

from sandbox.kubectl.printers.gofmt import sprint
from sandbox.kubectl.printers.timefmt import rfc1123z

from .events import _maybe_events
from .writer import PrefixWriter, _header, print_annotations, print_labels


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
