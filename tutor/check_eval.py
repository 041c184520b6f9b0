"""How each kind of check is evaluated against a live lab, and how its failure is explained.

Every evaluator is a pure read of the lab: it never changes cluster state, IPVS cursors, conntrack or
observations, so checks can run after every command and clock tick without the learner noticing.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from typing import Any

from tutor.checks import Check, Compare

# --- helpers ----------------------------------------------------------------------------------------


def _plural(kind: str) -> str:
    from sandbox.api.resources import lookup

    resource = lookup(kind)
    if resource is None:
        raise ValueError(f"unknown kind {kind!r}")
    return resource.plural


def _get(lab: Any, kind: str, namespace: str, name: str) -> dict | None:
    from sandbox.api.errors import ApiError
    from sandbox.api.resources import lookup

    resource = lookup(kind)
    try:
        return lab.cluster.get(resource.plural, namespace if resource.namespaced else None, name)
    except ApiError:
        return None


def _names(lab: Any, kind: str, namespace: str) -> list[str]:
    from sandbox.api.resources import lookup

    resource = lookup(kind)
    objs = lab.cluster.list(resource.plural, namespace if resource.namespaced else None)
    return [o["metadata"]["name"] for o in objs]


def _kind_word(kind: str) -> str:
    from sandbox.api.resources import lookup

    resource = lookup(kind)
    return resource.kind if resource else kind


def _in_ns(namespace: str) -> str:
    return f" in namespace {namespace}"


def path_values(obj: Any, path: str) -> list[Any]:
    """The values kubectl's JSONPath (client-go semantics, the printers' own engine) selects; missing keys
    select nothing, as ``kubectl get -o jsonpath`` prints nothing for them."""
    from sandbox.kubectl.printers import jsonpath_values

    return jsonpath_values(path, obj)


def _show(value: Any) -> str:
    if isinstance(value, str):
        return repr(value)
    if value is None:
        return "nothing"
    return str(value)


def compare(values: list[Any], rule: Compare) -> tuple[bool, str]:
    """Apply a comparison to the selected values; the text describes what was found."""
    found = values[0] if len(values) == 1 else (values if values else None)
    if rule.count is not None:
        n = len(values[0]) if len(values) == 1 and isinstance(values[0], list | dict) else len(values)
        return n == rule.count, f"found {n}, expected {rule.count}"
    if rule.equals is not None:
        ok = found == rule.equals or (found is not None and str(found) == str(rule.equals))
        return ok, f"is {_show(found)}, expected {_show(rule.equals)}"
    if rule.not_equals is not None:
        ok = not (found == rule.not_equals or str(found) == str(rule.not_equals))
        return ok, f"is {_show(found)}, which it must not be"
    if rule.contains is not None:
        text = " ".join(str(v) for v in values)
        return rule.contains in text, f"is {_show(text or None)}, which does not contain {rule.contains!r}"
    if rule.matches is not None:
        text = " ".join(str(v) for v in values)
        return re.search(rule.matches, text) is not None, f"is {_show(text or None)}, which does not match /{rule.matches}/"
    try:
        number = float(found)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False, f"is {_show(found)}, not a number"
    for op, fn, word in (("gt", float.__gt__, ">"), ("ge", float.__ge__, ">="), ("lt", float.__lt__, "<"),
                         ("le", float.__le__, "<=")):
        limit = getattr(rule, op)
        if limit is not None:
            return fn(number, float(limit)), f"is {found}, expected {word} {limit}"
    return False, "no comparison given"


def pod_ready(pod: dict) -> bool:
    for cond in pod.get("status", {}).get("conditions") or []:
        if cond.get("type") == "Ready":
            return cond.get("status") == "True"
    return False


def pod_state(pod: dict) -> str:
    """A short STATUS like kubectl's column (Running, ContainerCreating, CrashLoopBackOff, Terminating)."""
    if pod.get("metadata", {}).get("deletionTimestamp"):
        return "Terminating"
    status = pod.get("status", {})
    for cs in status.get("containerStatuses") or []:
        state = cs.get("state", {})
        if "waiting" in state and state["waiting"].get("reason"):
            return state["waiting"]["reason"]
        if "terminated" in state and state["terminated"].get("reason"):
            return state["terminated"]["reason"]
    return status.get("phase", "Pending")


def _labels_text(labels: dict | None) -> str:
    return ",".join(f"{k}={v}" for k, v in sorted((labels or {}).items())) or "no labels"


def _selector_matches(selector: dict, labels: dict | None) -> bool:
    labels = labels or {}
    return all(labels.get(k) == v for k, v in selector.items())


# --- evaluators -------------------------------------------------------------------------------------


def _exists(check: Check, lab: Any) -> tuple[bool, str]:
    ref = check.exists
    if _get(lab, ref.kind, ref.namespace, ref.name) is not None:
        return True, ""
    others = _names(lab, ref.kind, ref.namespace)
    there = f"; there: {', '.join(others)}" if others else ""
    return False, f"No {_kind_word(ref.kind)} named {ref.name}{_in_ns(ref.namespace)}{there}"


def _absent(check: Check, lab: Any) -> tuple[bool, str]:
    ref = check.absent
    obj = _get(lab, ref.kind, ref.namespace, ref.name)
    if obj is None:
        return True, ""
    if obj["metadata"].get("deletionTimestamp"):
        return False, f"{_kind_word(ref.kind)} {ref.name} is still terminating"
    return False, f"{_kind_word(ref.kind)} {ref.name} still exists{_in_ns(ref.namespace)}"


def _field(check: Check, lab: Any) -> tuple[bool, str]:
    rule = check.field
    obj = _get(lab, rule.kind, rule.namespace, rule.name)
    if obj is None:
        return False, f"No {_kind_word(rule.kind)} named {rule.name}{_in_ns(rule.namespace)}"
    ok, text = compare(path_values(obj, rule.path), rule)
    return ok, f"{_kind_word(rule.kind)} {rule.name}: {rule.path} {text}"


def _selects(check: Check, lab: Any) -> tuple[bool, str]:
    rule = check.selects
    pods = lab.cluster.list("pods", rule.namespace, label_selector=rule.selector)
    counted = [p for p in pods if pod_ready(p)] if rule.ready else pods
    n = len(counted)
    ok = (rule.count is None or n == rule.count) and (rule.min is None or n >= rule.min)
    word = "ready pod" if rule.ready else "pod"
    expected = f"exactly {rule.count}" if rule.count is not None else f"at least {rule.min}"
    detail = ", ".join(f"{p['metadata']['name']} ({pod_state(p)})" for p in pods[:6])
    return ok, f"Selector {rule.selector} matches {n} {word}{'s' if n != 1 else ''}; expected {expected}" + (
        f": {detail}" if detail else "")


def ready_endpoints(lab: Any, namespace: str, service: str) -> list[str]:
    slices = lab.cluster.list("endpointslices", namespace, label_selector=f"kubernetes.io/service-name={service}")
    addresses: set[str] = set()
    for sl in slices:
        for ep in sl.get("endpoints") or []:
            if (ep.get("conditions") or {}).get("ready"):
                addresses.update(ep.get("addresses") or [])
    return sorted(addresses)


def explain_endpoints(lab: Any, namespace: str, service: str) -> str:
    """Why a Service has the endpoints it has, in the learner's terms."""
    svc = _get(lab, "services", namespace, service)
    if svc is None:
        return f"There is no Service {service}{_in_ns(namespace)}"
    selector = svc.get("spec", {}).get("selector") or {}
    if not selector:
        return f"Service {service} has no selector, so no endpoints are managed for it"
    pods = lab.cluster.list("pods", namespace)
    sel_text = _labels_text(selector)
    matched = [p for p in pods if _selector_matches(selector, p["metadata"].get("labels"))]
    if not matched:
        return f"Service {service} has no endpoints: its selector {sel_text} matches no pod" + _near_misses(selector, pods)
    not_ready = [p for p in matched if not pod_ready(p)]
    ready = len(matched) - len(not_ready)
    parts = [f"Service {service}: its selector {sel_text} matches {len(matched)} pod{'s' if len(matched) != 1 else ''}, "
             f"{ready} ready"]
    if not_ready:
        parts.append("not ready: " + ", ".join(f"{p['metadata']['name']} ({pod_state(p)})" for p in not_ready[:4]))
    return "; ".join(parts)


def _near_misses(selector: dict, pods: list[dict]) -> str:
    """What the pods carry under the selector's own keys, and the likeliest intended value."""
    import difflib

    if not pods:
        return "; there are no pods in this namespace"
    seen: Counter[str] = Counter()
    for pod in pods:
        labels = pod["metadata"].get("labels") or {}
        shown = ",".join(f"{k}={labels[k]}" for k in sorted(selector) if k in labels)
        if shown:
            seen[shown] += 1
    if not seen:
        return f"; no pod has a label {' or '.join(sorted(selector))}"
    text = "; the pods carry " + ", ".join(f"{labels} ({n})" for labels, n in sorted(seen.items()))
    wanted = ",".join(f"{k}={v}" for k, v in sorted(selector.items()))
    close = difflib.get_close_matches(wanted, list(seen), n=1, cutoff=0.6)
    return text + (f" — did you mean {close[0]}?" if close else "")


def _endpoints(check: Check, lab: Any) -> tuple[bool, str]:
    rule = check.endpoints
    addresses = ready_endpoints(lab, rule.namespace, rule.service)
    n = len(addresses)
    ok = (rule.ready is None or n == rule.ready) and (rule.min is None or n >= rule.min)
    if rule.ready is None and rule.min is None:
        ok = n > 0
    expected = f"{rule.ready}" if rule.ready is not None else f"at least {rule.min if rule.min is not None else 1}"
    return ok, f"{explain_endpoints(lab, rule.namespace, rule.service)} (ready endpoints: {n}, expected {expected})"


def _ran(check: Check, lab: Any) -> tuple[bool, str]:
    rule = check.ran
    pattern = re.compile(rule.pattern)
    for host, command in getattr(lab, "command_log", []):
        if pattern.search(command) and (rule.host is None or re.fullmatch(rule.host, host)):
            return True, ""
    where = f" on {rule.host}" if rule.host else ""
    return False, f"No command matching /{rule.pattern}/ has been run{where} yet"


def _all(check: Check, lab: Any) -> tuple[bool, str]:
    from tutor.checks import evaluate

    failed = [r for r in (evaluate(c, lab) for c in check.all) if not r.passed]
    return not failed, "; ".join(r.diagnostic for r in failed)


def _any(check: Check, lab: Any) -> tuple[bool, str]:
    from tutor.checks import evaluate

    results = [evaluate(c, lab) for c in check.any]
    if any(r.passed for r in results):
        return True, ""
    return False, "none of these holds: " + "; ".join(r.diagnostic for r in results)


def _not(check: Check, lab: Any) -> tuple[bool, str]:
    from tutor.checks import evaluate

    inner = evaluate(check.not_, lab)
    return (not inner.passed), f"{check.not_.name} holds, and it must not"


def _network(name: str) -> Callable[[Check, Any], tuple[bool, str]]:
    def run(check: Check, lab: Any) -> tuple[bool, str]:
        from tutor import check_net

        return getattr(check_net, name)(check, lab)

    return run


EVALUATORS: dict[str, Callable[[Check, Any], tuple[bool, str]]] = {
    "exists": _exists,
    "absent": _absent,
    "field": _field,
    "selects": _selects,
    "endpoints": _endpoints,
    "ran": _ran,
    "all": _all,
    "any": _any,
    "not": _not,
    "probe": _network("probe"),
    "observed": _network("observed"),
    "dns": _network("dns"),
    "file": _network("file"),
}
