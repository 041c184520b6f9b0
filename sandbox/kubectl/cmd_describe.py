"""``kubectl describe`` (pkg/cmd/describe): object resolution, prefix matching, the events rule.

The text of each description is the describe module's (``sandbox.kubectl.describe.describe``).
"""

from __future__ import annotations

from typing import Any

from sandbox.api.errors import ApiError
from sandbox.kubectl import manifests, resolve
from sandbox.kubectl.errors import AggregateError, KubectlError
from sandbox.kubectl.invocation import Invocation


def _describe_one(inv: Invocation, rt: Any, obj: dict[str, Any], show_events: bool) -> str:
    from sandbox.kubectl.describe import describe as describe_obj

    return describe_obj(inv.cluster, rt.plural, obj, show_events=show_events)


def describe(inv: Invocation) -> int:
    files = inv.flags.list("filename")
    if not inv.args and not files:
        raise KubectlError('You must specify the type of resource to describe. Use "kubectl api-resources" for a '
                           "complete list of supported resources.\n")
    cluster = inv.cluster
    selector = inv.flags.str("selector")
    all_ns = inv.all_namespaces
    namespace = None if all_ns else inv.namespace
    if files:
        from sandbox.api import resources

        reqs = []
        for m in manifests.read(inv, files, recursive=inv.flags.bool("recursive")):
            rt = resources.by_kind(str(m.obj.get("apiVersion", "")), str(m.obj.get("kind", "")))
            if rt is None:
                raise KubectlError(f'no matches for kind "{m.obj.get("kind")}" in version "{m.obj.get("apiVersion")}"')
            reqs.append(resolve.Request(rt, [(m.obj.get("metadata") or {}).get("name", "")]))
    else:
        reqs = resolve.parse_args(inv.args)
    resolve.check_selector_with_names(reqs, selector, all_ns)

    infos: list[tuple[Any, dict[str, Any]]] = []
    errors: list[Exception] = []
    for req in reqs:
        objs, errs = resolve.fetch(cluster, req, namespace, label_selector=selector)
        infos.extend((req.rt, o) for o in objs)
        errors.extend(errs)

    explicit = "show-events" in inv.flags.changed
    show_events = inv.flags.bool("show-events")
    if (errors or len(infos) > 1) and not explicit:
        show_events = False

    warned: set[str] = set()

    def warn_for(rt: Any) -> None:
        for w in cluster.warnings(rt.plural):
            if w not in warned:
                warned.add(w)
                inv.warn(w)

    if errors and any(isinstance(e, ApiError) and e.reason == "NotFound" for e in errors) \
            and len(inv.args) == 2 and "/" not in inv.args[0]:
        return _matching(inv, reqs, inv.args[1], errors[0], show_events, warn_for)

    first = True
    for rt, obj in infos:
        warn_for(rt)
        text = _describe_one(inv, rt, obj, show_events)
        if first:
            inv.out(text)
            first = False
        else:
            inv.out("\n\n" + text)
    if not infos and not errors:
        if all_ns:
            inv.err("No resources found\n")
        else:
            inv.err(f"No resources found in {inv.namespace} namespace.\n")
    if errors:
        raise AggregateError(errors)
    return 0


def _matching(inv: Invocation, reqs: list[resolve.Request], prefix: str, original: Exception, show_events: bool,
              warn_for: Any) -> int:
    """DescribeMatchingResources: every object of the type whose name starts with the prefix."""
    if len(reqs) != 1:
        raise KubectlError("you must provide a single resource type")
    rt = reqs[0].rt
    ns = inv.namespace if rt.namespaced else None
    found = False
    for obj in inv.cluster.list(rt.plural, ns):
        if obj["metadata"]["name"].startswith(prefix):
            if not found:
                warn_for(rt)
            found = True
            inv.out(_describe_one(inv, rt, obj, show_events) + "\n")
    if not found:
        raise original
    return 0
