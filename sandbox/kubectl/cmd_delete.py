"""``kubectl delete`` (pkg/cmd/delete): names, TYPE/NAME, -f, -l, --all; grace, force, and --wait.

Waiting advances (virtual) time through ``ctx.sleep`` until every deleted object is gone (a new
object with the same name but another uid counts as gone), as cmdwait.IsDeleted does.
"""

from __future__ import annotations

from typing import Any

from sandbox.api import resources
from sandbox.api.errors import ApiError
from sandbox.kubectl import manifests, resolve
from sandbox.kubectl.errors import AggregateError, KubectlError
from sandbox.kubectl.flags import parse_duration
from sandbox.kubectl.invocation import Invocation

_NO_ARGS = ("You must provide one or more resources by argument or filename.\nExample resource specifications "
            "include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'")
WAIT_CAP_SECONDS = 3600.0


def _targets(inv: Invocation, namespace: str | None, selector: str, fselector: str, delete_all: bool,
             ) -> tuple[list[tuple[Any, dict[str, Any], str]], list[Exception]]:
    """(resource type, object, source file) for everything to delete, plus lookup errors."""
    files = inv.flags.list("filename")
    out: list[tuple[Any, dict[str, Any], str]] = []
    errors: list[Exception] = []
    if files:
        if inv.args:
            raise KubectlError("when paths, URLs, or stdin is provided as input, you may not specify resource "
                               "arguments as well")
        items = manifests.read(inv, files, recursive=inv.flags.bool("recursive"))
        cluster = inv.cluster
        for m in items:
            rt = resources.by_kind(str(m.obj.get("apiVersion", "")), str(m.obj.get("kind", "")))
            if rt is None:
                raise KubectlError(f'resource mapping not found for name: "{(m.obj.get("metadata") or {}).get("name", "")}" '
                                   f'namespace: "" from "{m.source}": no matches for kind "{m.obj.get("kind")}" in '
                                   f'version "{m.obj.get("apiVersion")}"\nensure CRDs are installed first')
            md = m.obj.get("metadata") or {}
            ns = md.get("namespace") or inv.namespace
            if md.get("namespace") and inv.namespace_explicit and md["namespace"] != inv.namespace:
                raise KubectlError(f'the namespace from the provided object "{md["namespace"]}" does not match the '
                                   f'namespace "{inv.namespace}". You must pass \'--namespace={md["namespace"]}\' to '
                                   "perform this operation.")
            try:
                obj = cluster.get(rt.plural, ns if rt.namespaced else None, md.get("name", ""))
                out.append((rt, obj, m.source))
            except ApiError as exc:
                errors.append(exc.with_source("deleting", m.source))
        return out, errors
    if not inv.args:
        raise KubectlError(_NO_ARGS)
    reqs = resolve.parse_args(inv.args)
    has_names = any(r.names for r in reqs)
    if has_names and (selector or delete_all):
        raise KubectlError("name cannot be provided when a selector is specified")
    if not has_names and not selector and not fselector and not delete_all:
        raise KubectlError("resource(s) were provided, but no name was specified")
    cluster = inv.cluster
    for req in reqs:
        objs, errs = resolve.fetch(cluster, req, namespace, label_selector=selector, field_selector=fselector)
        out.extend((req.rt, o, "") for o in objs)
        errors.extend(errs)
    return out, errors


def cascading(inv: Invocation) -> str:
    """parseCascadingFlag: background | foreground | orphan (booleans accepted with a warning)."""
    from sandbox.kubectl.flags import parse_bool

    value = inv.flags.str("cascade")
    try:
        as_bool = parse_bool(value)
    except ValueError:
        if value in ("orphan", "foreground", "background"):
            return value.capitalize()
        raise KubectlError(f'invalid cascade value ({value}). Must be "background", "foreground", or "orphan"') \
            from None
    replacement = "background" if as_bool else "orphan"
    inv.err(f"warning: --cascade={value} is deprecated (boolean value) and can be replaced with "
            f"--cascade={replacement}.\n")
    return replacement.capitalize()


def delete(inv: Invocation) -> int:
    flags = inv.flags
    policy = cascading(inv)
    selector = flags.str("selector")
    fselector = flags.str("field-selector")
    delete_all = flags.bool("all")
    ignore_nf = flags.bool("ignore-not-found")
    if (delete_all or selector or fselector) and "ignore-not-found" not in flags.changed:
        ignore_nf = True
    grace = flags.int("grace-period")
    force = flags.bool("force")
    if flags.bool("now"):
        if grace != -1:
            raise KubectlError("--now and --grace-period cannot be specified together")
        grace = 1
    if grace == 0 and not force:
        grace = 1
    if force and grace < 0:
        grace = 0
    dry = inv.dry_run()
    output = flags.str("output")
    if output not in ("", "name"):
        raise KubectlError(f"unexpected -o output mode: {output}. We only support '-o name'")
    if delete_all and selector:
        raise KubectlError("setting 'all' parameter but found a non empty selector. ")
    if delete_all and fselector:
        raise KubectlError("cannot set --all and --field-selector at the same time")
    if grace == 0 and force:
        inv.warn("Immediate deletion does not wait for confirmation that the running resource has been "
                 "terminated. The resource may continue to run on the cluster indefinitely.")
    elif grace > 0 and force:
        raise KubectlError("--force and --grace-period greater than 0 cannot be specified together")
    all_ns = flags.bool("all-namespaces")
    namespace = None if all_ns else inv.namespace

    targets, errors = _targets(inv, namespace, selector, fselector, delete_all)
    if ignore_nf:
        errors = [e for e in errors if not (isinstance(e, ApiError) and e.reason == "NotFound")]
    cluster = inv.cluster if targets else None
    warn_scope = inv.namespace_explicit and not all_ns
    deleted: list[tuple[Any, str | None, str, str]] = []
    for rt, obj, source in targets:
        md = obj["metadata"]
        ns = md.get("namespace") if rt.namespaced else None
        if warn_scope and not rt.namespaced:
            inv.warn("deleting cluster-scoped resources, not scoped to the provided namespace")
            warn_scope = False
        if dry == "client":
            _print(inv, rt, md["name"], ns, grace, dry, output)
            continue
        try:
            cluster.delete(rt.plural, ns, md["name"], grace_period=grace if grace >= 0 else None,
                           dry_run=dry == "server", propagation_policy=policy)
        except ApiError as exc:
            errors.append(exc.with_source("deleting", source) if source else exc)
            continue
        _print(inv, rt, md["name"], ns, grace, dry, output)
        deleted.append((rt, ns, md["name"], md.get("uid", "")))
    if errors:
        raise AggregateError(errors)
    if not targets:
        inv.out("No resources found\n")
        return 0
    if flags.bool("wait") and dry == "none" and deleted:
        _wait_gone(inv, deleted)
    return 0


def _print(inv: Invocation, rt: Any, name: str, ns: str | None, grace: int, dry: str, output: str) -> None:
    kind = rt.kind_group
    if output == "name":
        inv.out(f"{kind}/{name}\n")
        return
    op = "force deleted" if grace == 0 else "deleted"
    if rt.namespaced:
        op += f" from {ns} namespace"
    if dry == "client":
        op += " (dry run)"
    elif dry == "server":
        op += " (server dry run)"
    inv.out(f'{kind} "{name}" {op}\n')


def _wait_gone(inv: Invocation, deleted: list[tuple[Any, str | None, str, str]]) -> None:
    timeout_text = inv.flags["timeout"]
    timeout = float(timeout_text) if isinstance(timeout_text, int | float) else parse_duration(str(timeout_text))
    limit = timeout if timeout > 0 else WAIT_CAP_SECONDS
    cluster = inv.cluster
    waited = 0.0

    def remaining() -> list[tuple[Any, str | None, str, str]]:
        left = []
        for rt, ns, name, uid in deleted:
            obj = cluster.store.get(rt.plural, ns, name)
            if obj is not None and obj["metadata"].get("uid", "") == uid:
                left.append((rt, ns, name, uid))
        return left

    left = remaining()
    while left and waited < limit:
        step = min(1.0, limit - waited)
        inv.sleep(step)
        waited += step
        left = remaining()
    if left:
        rt, ns, name, _ = left[0]
        raise KubectlError(f"timed out waiting for the condition on {rt.plural}{'.' + rt.group if rt.group else ''}"
                           f"/{name}")
