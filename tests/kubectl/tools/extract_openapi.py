"""Regenerate sandbox/kubectl/data/openapi/*.json: the OpenAPI v3 schemas ``kubectl explain`` reads.

Input: the real OpenAPI v3 documents for core/v1 and apps/v1 (as published by kube-apiserver at
/openapi/v3/api/v1 and /openapi/v3/apis/apps/v1). Only the schemas reachable from the kinds the lab
models are kept, plus each document's paths entry for those resources (GVK lookup), so the data stays
small. Usage: extract_openapi.py CORE_V1_JSON APPS_V1_JSON
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[3] / "sandbox" / "kubectl" / "data" / "openapi"
ROOTS = {
    "core": ["Service", "Pod", "Namespace", "ConfigMap", "Endpoints", "Node", "ServiceAccount", "Event"],
    "apps": ["Deployment", "ReplicaSet", "StatefulSet", "DaemonSet"],
}
PREFIX = {"core": "io.k8s.api.core.v1.", "apps": "io.k8s.api.apps.v1."}


def closure(schemas: dict, names: list[str]) -> set[str]:
    seen: set[str] = set()
    stack = list(names)
    while stack:
        name = stack.pop()
        if name in seen or name not in schemas:
            continue
        seen.add(name)
        text = json.dumps(schemas[name])
        for part in text.split('"#/components/schemas/')[1:]:
            stack.append(part.split('"', 1)[0])
    return seen


def main(core: str, apps: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for key, path in (("core", core), ("apps", apps)):
        doc = json.loads(Path(path).read_text())
        schemas = doc["components"]["schemas"]
        keep = closure(schemas, [PREFIX[key] + k for k in ROOTS[key]])
        gvks = {}
        for name in sorted(keep):
            gvk = schemas[name].get("x-kubernetes-group-version-kind")
            if gvk:
                gvks[name] = gvk
        out = {"schemas": {n: schemas[n] for n in sorted(keep)}}
        (OUT / f"{key}.json").write_text(json.dumps(out, separators=(",", ":"), sort_keys=True))
        print(key, len(keep), "schemas", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])


def swagger_docs(paths: list[str]) -> dict[str, dict[str, str]]:
    """``map_<Type>`` tables of types_swagger_doc_generated.go (the newest field descriptions)."""
    import re

    out: dict[str, dict[str, str]] = {}
    current = None
    for path in paths:
        for line in Path(path).read_text().splitlines():
            m = re.match(r"^var map_(\w+) = map\[string\]string\{$", line)
            if m:
                current = out.setdefault(m.group(1), {})
                continue
            if line == "}":
                current = None
                continue
            m = re.match(r'^\t"([^"]*)":\s+(".*"),$', line)
            if current is not None and m:
                current[m.group(1)] = json.loads(m.group(2))
    return out


def refresh(docs: dict[str, dict[str, str]]) -> None:
    """Bring descriptions up to date, keeping the generated ``Possible enum values`` suffixes."""
    for key in ("core", "apps"):
        path = OUT / f"{key}.json"
        data = json.loads(path.read_text())
        for name, schema in data["schemas"].items():
            table = docs.get(name.rsplit(".", 1)[-1])
            if not table:
                continue
            if "" in table and "description" in schema:
                schema["description"] = _merge(schema["description"], table[""])
            for prop, sub in (schema.get("properties") or {}).items():
                if prop in table and "description" in sub:
                    sub["description"] = _merge(sub["description"], table[prop])
        path.write_text(json.dumps(data, separators=(",", ":"), sort_keys=True))


def _merge(old: str, new: str) -> str:
    marker = "\n\nPossible enum values:"
    suffix = old[old.index(marker):] if marker in old else ""
    return new + suffix


if __name__ == "__main__" and len(sys.argv) > 3:
    refresh(swagger_docs(sys.argv[3:]))
