"""Turning ``TYPE[,TYPE] [NAME...]`` / ``TYPE/NAME`` / ``-f`` arguments into objects (resource.Builder).

One ``Request`` per resource type (in the order given, ``all`` expanded like the category), each
either named objects or a list with selectors. Errors keep the builder's wording.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sandbox.api import resources
from sandbox.api.errors import ApiError
from sandbox.api.resources import ResourceType
from sandbox.kubectl.errors import KubectlError

# The "all" category in discovery order (core, then apps); batch/autoscaling types are not modelled.
ALL_CATEGORY = ("pods", "services", "daemonsets", "deployments", "replicasets", "statefulsets")


@dataclass
class Request:
    rt: ResourceType
    names: list[str] = field(default_factory=list)   # empty: list by selectors


def lookup_type(text: str) -> ResourceType:
    rt = resources.lookup(text)
    if rt is None:
        raise KubectlError(f'the server doesn\'t have a resource type "{text}"')
    return rt


def parse_args(args: list[str], *, allow_empty_names: bool = True) -> list[Request]:
    """ResourceTypeOrNameArgs: ``pods``, ``pods a b``, ``svc,deploy``, ``pod/a svc/b``, ``all``."""
    if not args:
        return []
    if any("/" in a for a in args):
        if not all("/" in a for a in args):
            raise KubectlError("there is no need to specify a resource type as a separate argument when passing "
                               "arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' "
                               "instead of 'kubectl get resource resource/<resource_name>'")
        reqs: list[Request] = []
        for a in args:
            kind, _, name = a.partition("/")
            if not kind or not name:
                raise KubectlError("arguments in resource/name form must have a single resource and name")
            rt = lookup_type(kind)
            if reqs and reqs[-1].rt == rt:
                reqs[-1].names.append(name)
            else:
                reqs.append(Request(rt, [name]))
        return reqs
    types = [t for t in args[0].split(",") if t]
    names = args[1:]
    reqs = []
    seen: set[str] = set()
    for t in types:
        expanded = [resources.by_plural(p) for p in ALL_CATEGORY] if t.lower() == "all" else [lookup_type(t)]
        for rt in expanded:
            if rt.plural in seen:
                continue
            seen.add(rt.plural)
            reqs.append(Request(rt, list(names)))
    if not reqs:
        raise KubectlError("resource(s) were provided, but no name was specified")
    return reqs


def fetch(cluster: Any, req: Request, namespace: str | None, *, label_selector: str = "",
          field_selector: str = "") -> tuple[list[dict[str, Any]], list[ApiError]]:
    """The objects of one request plus per-name errors (NotFound), in kubectl's order."""
    ns = namespace if req.rt.namespaced else None
    if req.names:
        found: list[dict[str, Any]] = []
        errors: list[ApiError] = []
        for name in req.names:
            try:
                found.append(cluster.get(req.rt.plural, ns, name))
            except ApiError as exc:
                errors.append(exc)
        return found, errors
    return cluster.list(req.rt.plural, ns, label_selector=label_selector or None,
                        field_selector=field_selector or None), []


def check_selector_with_names(reqs: list[Request], selector: str, all_namespaces: bool = False) -> None:
    if any(r.names for r in reqs):
        if selector:
            raise KubectlError("name cannot be provided when a selector is specified")
        if all_namespaces:
            raise KubectlError("a resource cannot be retrieved by name across all namespaces")
