"""``kubectl replace`` (PUT from files, ``--force`` = delete then create) and ``cordon``/``uncordon``."""

from __future__ import annotations

import copy
from typing import Any

from sandbox.api import resources
from sandbox.api.errors import ApiError
from sandbox.kubectl import manifests
from sandbox.kubectl.cmd_create import place_namespace, server_view, set_last_applied
from sandbox.kubectl.errors import AggregateError, KubectlError
from sandbox.kubectl.invocation import Invocation
from sandbox.kubectl.output import make_printer


def replace(inv: Invocation) -> int:
    flags = inv.flags
    force = flags.bool("force")
    if "grace-period" in flags.changed and not force:
        raise KubectlError("--grace-period must have --force specified")
    if "timeout" in flags.changed and not force:
        raise KubectlError("--timeout must have --force specified")
    dry = inv.dry_run()
    if force and dry != "none":
        raise KubectlError("--dry-run can not be used when --force is set")
    files = flags.list("filename")
    if not files and not flags.str("kustomize"):
        raise KubectlError("must specify one of -f and -k")
    suffix = {"client": " (dry run)", "server": " (server dry run)"}.get(dry, "")
    printer = make_printer(inv, operation="replaced" + suffix)
    items = manifests.read(inv, files, recursive=flags.bool("recursive"))
    cluster = inv.cluster
    errors: list[Exception] = []
    count = 0
    for m in items:
        obj = copy.deepcopy(m.obj)
        try:
            place_namespace(inv, obj, m.source)
            rt = resources.by_kind(str(obj.get("apiVersion", "")), str(obj.get("kind", "")))
            assert rt is not None
            if flags.bool("save-config"):
                set_last_applied(obj)
            md = obj["metadata"]
            ns = md.get("namespace") if rt.namespaced else None
            if force:
                _force(inv, rt, ns, md.get("name", ""), obj, m.source, printer)
                count += 1
                continue
            if dry == "client":
                inv.out(printer.render(server_view(obj)))
                count += 1
                continue
            try:
                result = cluster.update(obj, dry_run=dry == "server")
            except ApiError as exc:
                raise exc.with_source("replacing", m.source) from None
            inv.out(printer.render(server_view(result)))
            count += 1
        except (ApiError, KubectlError) as exc:
            errors.append(exc)
    if errors:
        raise AggregateError(errors)
    if count == 0:
        raise KubectlError("no objects passed to replace")
    return 0


def _force(inv: Invocation, rt: Any, ns: str | None, name: str, obj: dict[str, Any], source: str, printer: Any) -> None:
    """forceReplace: delete (printing as delete does), wait until gone, create."""
    cluster = inv.cluster
    try:
        old = cluster.get(rt.plural, ns, name)
        cluster.delete(rt.plural, ns, name)
        where = f" from {ns} namespace" if rt.namespaced else ""
        inv.out(f'{rt.kind_group} "{name}" deleted{where}\n')
        uid = old["metadata"].get("uid")
        waited = 0.0
        while waited < 600.0:
            cur = cluster.store.get(rt.plural, ns, name)
            if cur is None or cur["metadata"].get("uid") != uid:
                break
            inv.sleep(1.0)
            waited += 1.0
    except ApiError as exc:
        if exc.reason != "NotFound":
            raise exc.with_source("deleting", source) from None
    try:
        created = cluster.create(obj)
    except ApiError as exc:
        raise exc.with_source("creating", source) from None
    inv.out(printer.render(server_view(created)))


def _cordon(inv: Invocation, want: bool) -> int:
    if not inv.args and not inv.flags.str("selector"):
        raise inv.usage_error("USAGE: cordon NODE [flags]" if want else "USAGE: uncordon NODE [flags]")
    cluster = inv.cluster
    dry = inv.dry_run()
    suffix = {"client": " (dry run)", "server": " (server dry run)"}.get(dry, "")
    if inv.args:
        nodes = [cluster.get("nodes", None, n) for n in inv.args]
    else:
        nodes = cluster.list("nodes", label_selector=inv.flags.str("selector"))
    verb = "cordoned" if want else "uncordoned"
    for node in nodes:
        name = node["metadata"]["name"]
        current = bool((node.get("spec") or {}).get("unschedulable"))
        if current == want:
            inv.out(f"node/{name} already {verb}\n")
            continue
        if dry != "client":
            cluster.patch("nodes", None, name, {"spec": {"unschedulable": True if want else None}}, "merge",
                          dry_run=dry == "server")
        inv.out(f"node/{name} {verb}{suffix}\n")
    return 0


def cordon(inv: Invocation) -> int:
    return _cordon(inv, True)


def uncordon(inv: Invocation) -> int:
    return _cordon(inv, False)
