"""``kubectl wait`` (pkg/cmd/wait): condition=, delete, create, jsonpath=; advances virtual time.

Objects are waited for in order under one shared ``--timeout`` (default 30s), as RunWaitContext
does; success prints ``<kind>/<name> condition met``, expiry ``timed out waiting for the condition
on <resource>/<name>``.
"""

from __future__ import annotations

from typing import Any

from sandbox.api.errors import ApiError
from sandbox.kubectl import resolve
from sandbox.kubectl.errors import AggregateError, KubectlError
from sandbox.kubectl.flags import parse_duration
from sandbox.kubectl.invocation import Invocation
from sandbox.kubectl.output import make_printer

WEEK = 7 * 24 * 3600.0


def _conditions(inv: Invocation) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for cond in inv.flags.list("for"):
        low = cond.lower()
        if low == "delete":
            out.append(("delete", None))
        elif low == "create":
            out.append(("create", None))
        elif cond.startswith("condition="):
            name = cond[len("condition="):]
            value = "true"
            if "=" in name:
                name, _, value = name.partition("=")
            out.append(("condition", (name, value)))
        elif cond.startswith("jsonpath="):
            out.append(("jsonpath", _jsonpath_input(cond[len("jsonpath="):])))
        else:
            raise KubectlError(f'unrecognized condition: "{cond}"')
    if not out:
        raise KubectlError("unrecognized condition: []")
    return out


def _split_equals(text: str) -> list[str]:
    parts, cur, i = [], "", 0
    while i < len(text):
        if text[i] == "=":
            if i + 1 < len(text) and text[i + 1] == "=":
                cur += "=="
                i += 2
                continue
            parts.append(cur)
            cur = ""
            i += 1
            continue
        cur += text[i]
        i += 1
    parts.append(cur)
    return parts


def _jsonpath_input(text: str) -> tuple[str, str]:
    parts = _split_equals(text)
    if not 1 <= len(parts) <= 2:
        raise KubectlError("jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3 or "
                           "--for=jsonpath='{.status.readyReplicas}'")
    expr = _relaxed(parts[0])
    if len(parts) == 1:
        return expr, ""
    value = parts[1].strip("'\"")
    if not value:
        raise KubectlError("jsonpath wait has to have a value after equal sign, like "
                           "--for=jsonpath='{.status.readyReplicas}'=3")
    return expr, value


def _relaxed(path: str) -> str:
    """cmdget.RelaxedJSONPathExpression: ``.a.b``, ``a.b`` and ``{.a.b}`` are all accepted."""
    if not path:
        raise KubectlError("jsonpath expression cannot be empty")
    if path.startswith("{") and path.endswith("}"):
        inner = path[1:-1]
    else:
        inner = path
    if not inner.startswith("."):
        inner = "." + inner
    return "{" + inner + "}"


def _timeout(inv: Invocation) -> float:
    value = inv.flags["timeout"]
    seconds = float(value) if isinstance(value, int | float) else parse_duration(str(value))
    return WEEK if seconds < 0 else seconds


def _condition_met(obj: dict[str, Any] | None, kind: str, arg: Any) -> bool:
    if kind == "delete":
        return obj is None
    if obj is None:
        return False
    if kind == "create":
        return True
    if kind == "condition":
        name, value = arg
        for cond in (obj.get("status") or {}).get("conditions") or []:
            if str(cond.get("type", "")).lower() == name.lower():
                return str(cond.get("status", "")).lower() == value.lower()
        return False
    expr, want = arg
    values = _jsonpath_values(expr, obj)
    if not values:
        return False
    if want == "":
        return True
    if len(values) != 1:
        return False
    return _go_string(values[0]) == want


def _jsonpath_values(expr: str, obj: dict[str, Any]) -> list[Any]:
    from sandbox.kubectl import printers

    if hasattr(printers, "jsonpath_values"):
        try:
            return list(printers.jsonpath_values(expr, obj))
        except Exception:  # noqa: BLE001
            return []
    from sandbox.kubectl.cmd_get import _simple_path

    return _simple_path(expr, obj)


def _go_string(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def wait(inv: Invocation) -> int:
    conditions = _conditions(inv)
    if not inv.args and not inv.flags.list("filename"):
        raise KubectlError("You must provide one or more resources by argument or filename.\nExample resource "
                           "specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   "
                           "'<resource> <name>'\n   '<resource>'")
    timeout = _timeout(inv)
    printer = make_printer(inv, operation="condition met")
    cluster = inv.cluster
    all_ns = inv.flags.bool("all-namespaces")
    namespace = None if all_ns else inv.namespace
    selector = inv.flags.str("selector")
    fselector = inv.flags.str("field-selector")
    reqs = resolve.parse_args(inv.args)
    has_names = any(r.names for r in reqs)
    if not has_names and not selector and not fselector and not inv.flags.bool("all"):
        raise KubectlError("resource(s) were provided, but no name was specified")
    for_delete = any(k == "delete" for k, _ in conditions)
    for_create = any(k == "create" for k, _ in conditions)
    waited = [0.0]

    def advance() -> bool:
        if waited[0] >= timeout:
            return False
        step = min(1.0, timeout - waited[0])
        inv.sleep(step)
        waited[0] += step
        return True

    if for_create:
        while True:
            found = True
            for req in reqs:
                objs, errs = resolve.fetch(cluster, req, namespace, label_selector=selector, field_selector=fselector)
                if errs or not objs:
                    found = False
            if found:
                break
            if not advance():
                raise KubectlError("timed out waiting for the condition")

    targets: list[tuple[Any, dict[str, Any]]] = []
    errors: list[Exception] = []
    for req in reqs:
        objs, errs = resolve.fetch(cluster, req, namespace, label_selector=selector, field_selector=fselector)
        targets.extend((req.rt, o) for o in objs)
        if for_delete:
            errs = [e for e in errs if not (isinstance(e, ApiError) and e.reason == "NotFound")]
        errors.extend(errs)
    if errors:
        raise AggregateError(errors)
    if not targets and not for_delete:
        raise KubectlError("no matching resources found")
    for rt, obj in targets:
        md = obj["metadata"]
        ns = md.get("namespace") if rt.namespaced else None
        uid = md.get("uid")
        for kind, arg in conditions:
            if kind == "create":
                inv.out(printer.render(obj))
                continue
            while True:
                current = cluster.store.get(rt.plural, ns, md["name"])
                if current is not None and kind == "delete" and current["metadata"].get("uid") != uid:
                    current = None
                if _condition_met(current, kind, arg):
                    inv.out(printer.render(current if current is not None else obj))
                    break
                if kind != "delete" and current is None:
                    raise ApiError("NotFound", f'{rt.qualified} "{md["name"]}" not found', 404)
                if not advance():
                    raise KubectlError(f"timed out waiting for the condition on {rt.plural}/{md['name']}")
    return 0
