"""The PrefixWriter and the shared blocks (labels, annotations, tolerations, taints) of describe.go."""

from __future__ import annotations

from typing import Any

from sandbox.kubectl.printers.tabwriter import TabWriter, escape_terminal

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


def _header(w: PrefixWriter, obj: dict, namespaced: bool = True) -> None:
    meta = obj.get("metadata") or {}
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    if namespaced:
        w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
