"""``kubectl create``: the generator subcommands and ``create -f`` (pkg/cmd/create)."""

from __future__ import annotations

import json
from typing import Any

from sandbox.api.errors import ApiError
from sandbox.kubectl import generators, manifests
from sandbox.kubectl.errors import AggregateError, KubectlError
from sandbox.kubectl.invocation import Invocation
from sandbox.kubectl.output import Printer, make_printer

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
_REQUIRED = {"create deployment": ("image",), "create service externalname": ("external-name",)}


def require_flags(inv: Invocation, names: tuple[str, ...]) -> None:
    """cobra's MarkFlagRequired check (runs before the command, no usage hint)."""
    missing = [n for n in names if n not in inv.flags.changed]
    if missing:
        raise KubectlError("required flag(s) " + ", ".join(f'"{n}"' for n in missing) + " not set")


def name_from_args(inv: Invocation) -> str:
    """NameFromCommandArgs: exactly one NAME before any ``--``."""
    n = inv.flags.dash_at if inv.flags.dash_at >= 0 else len(inv.args)
    if n != 1:
        raise inv.usage_error(f"exactly one NAME is required, got {n}")
    return inv.args[0]


def validation_directive(inv: Invocation) -> str:
    value = inv.flags.str("validate") if "validate" in inv.flags.fs.defs else "strict"
    low = value.lower()
    if low in ("strict", "true"):
        return "Strict"
    if low == "warn":
        return "Warn"
    if low in ("ignore", "false"):
        return "Ignore"
    raise KubectlError(f'invalid - validate option "{value}"; must be one of: strict (or true), warn, '
                       "ignore (or false)")


def prepare(inv: Invocation) -> tuple[str, str, Printer]:
    """The common Complete(): name, dry-run strategy, printer, validation directive."""
    require_flags(inv, _REQUIRED.get(" ".join(inv.cmd.path), ()))
    name = name_from_args(inv)
    inv.preflight()   # Complete(): the kubeconfig's namespace (and --context) are resolved here
    dry = inv.dry_run()
    suffix = {"client": " (dry run)", "server": " (server dry run)"}.get(dry, "")
    printer = make_printer(inv, operation="created" + suffix)
    validation_directive(inv)
    return name, dry, printer


def annotate_if_saving(inv: Invocation, obj: dict[str, Any], *, typed: bool = False) -> None:
    """--save-config: CreateOrUpdateAnnotation stores the object itself as last-applied JSON.

    Generators hold typed objects, so their JSON keeps Go struct order and omits the empty
    annotations map; objects read from files are unstructured (sorted keys, ``annotations: {}``).
    """
    if "save-config" not in inv.flags.fs.defs or not inv.flags.bool("save-config"):
        return
    if typed:
        from sandbox.kubectl.cmd_apply import go_json_compact

        text = go_json_compact(obj, sort=False) + "\n"
        md = obj.setdefault("metadata", {})
        annotations = dict(md.get("annotations") or {})
        annotations[LAST_APPLIED] = text
        md["annotations"] = annotations
        return
    set_last_applied(obj)


def set_last_applied(obj: dict[str, Any]) -> None:
    from sandbox.kubectl.cmd_apply import last_applied_json

    text = last_applied_json(obj)
    md = obj.setdefault("metadata", {})
    annotations = dict(md.get("annotations") or {})
    annotations[LAST_APPLIED] = text
    md["annotations"] = annotations


def submit(inv: Invocation, obj: dict[str, Any], dry: str, wrap: str | None) -> dict[str, Any]:
    """Send to the server unless client dry-run; ``wrap`` is the command's error prefix."""
    if dry == "client":
        return obj
    target_ns = inv.namespace
    if obj.get("kind") != "Namespace":
        obj.setdefault("metadata", {}).setdefault("namespace", target_ns)
    try:
        created = inv.cluster.create(obj, dry_run=dry == "server")
    except ApiError as exc:
        if wrap:
            raise KubectlError(f"{wrap}: {exc.message}") from None
        raise
    return typed_view(created)


def typed_view(obj: dict[str, Any]) -> dict[str, Any]:
    """What a typed client hands back: the server's object in Go struct order, managedFields hidden."""
    import copy

    from sandbox.kubectl.output import struct_order

    out = struct_order(copy.deepcopy(obj))
    md = out.get("metadata")
    if isinstance(md, dict):
        md.pop("managedFields", None)
    return out


def server_view(obj: dict[str, Any]) -> dict[str, Any]:
    """What comes back from the server: the stored object, keys sorted, managedFields hidden."""
    from sandbox.kubectl.output import sort_keys

    out = sort_keys(obj)
    md = out.get("metadata")
    if isinstance(md, dict):
        md.pop("managedFields", None)
    return out


def finish(inv: Invocation, printer: Printer, obj: dict[str, Any]) -> int:
    inv.out(printer.render(obj))
    return 0


# -- generators ---------------------------------------------------------------------------------------
def namespace(inv: Invocation) -> int:
    name, dry, printer = prepare(inv)
    obj = generators.namespace(name)
    annotate_if_saving(inv, obj, typed=True)
    return finish(inv, printer, submit(inv, obj, dry, None))


def deployment(inv: Invocation) -> int:
    name, dry, printer = prepare(inv)
    command = inv.args[1:]
    images = inv.flags.list("image")
    if len(images) > 1 and command:
        raise KubectlError("cannot specify multiple --image options and command")
    ns = inv.namespace if inv.namespace_explicit else None
    obj = generators.deployment(name, images, replicas=inv.flags.int("replicas"), port=inv.flags.int("port"),
                                command=command, namespace=ns)
    _uniquify_container_names(inv, obj)
    annotate_if_saving(inv, obj, typed=True)
    return finish(inv, printer, submit(inv, obj, dry, "failed to create deployment"))


def _uniquify_container_names(inv: Invocation, obj: dict[str, Any]) -> None:
    """sanitizeAndUniquify: names with '_' or '.' get dashes and a random 5-char suffix."""
    for c in obj["spec"]["template"]["spec"]["containers"]:
        name = c["name"]
        if "_" in name or "." in name:
            c["name"] = name.replace("_", "-").replace(".", "-") + "-" + _rand_suffix(inv)


def _rand_suffix(inv: Invocation) -> str:
    alphabet = "bcdfghjklmnpqrstvwxz2456789"
    rng = getattr(getattr(getattr(inv.ctx, "lab", None), "cluster", None), "rng", None)
    if rng is None:
        import random

        rng = random.Random(0)
    return "".join(rng.choice(alphabet) for _ in range(5))


def configmap(inv: Invocation) -> int:
    name, dry, printer = prepare(inv)
    data: dict[str, str] = {}
    for item in inv.flags.list("from-literal"):
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise KubectlError(f'invalid literal source {item}, expected key=value')
        if key in data:
            raise KubectlError(f'cannot add key "{key}", another key by that name already exists in Data for '
                               f'ConfigMap "{name}"')
        data[key] = value
    for spec in inv.flags.list("from-file"):
        key, sep, path = spec.partition("=")
        if not sep:
            path, key = spec, spec.rstrip("/").rsplit("/", 1)[-1]
        if inv.ctx.is_dir(path):
            for entry in inv.ctx.list_dir(path):
                full = path.rstrip("/") + "/" + entry
                if not inv.ctx.is_dir(full):
                    data[entry] = inv.ctx.read_file(full)
            continue
        try:
            data[key] = inv.ctx.read_file(path)
        except Exception:  # noqa: BLE001
            raise KubectlError(f"error reading {path}: no such file or directory") from None
    for path in inv.flags.list("from-env-file"):
        try:
            text = inv.ctx.read_file(path)
        except Exception:  # noqa: BLE001
            raise KubectlError(f"error reading {path}: no such file or directory") from None
        for line in text.splitlines():
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            key, _, value = line.partition("=")
            data[key] = value
    ns = inv.namespace if inv.namespace_explicit else None
    obj = generators.configmap(name, data, namespace=ns)
    annotate_if_saving(inv, obj, typed=True)
    return finish(inv, printer, submit(inv, obj, dry, None))


def _service(inv: Invocation, svc_type: str) -> int:
    name, dry, printer = prepare(inv)
    cluster_ip = inv.flags.str("clusterip") if "clusterip" in inv.flags.fs.defs else ""
    tcp = inv.flags.list("tcp") if "tcp" in inv.flags.fs.defs else []
    external = inv.flags.str("external-name") if "external-name" in inv.flags.fs.defs else ""
    if cluster_ip == "None" and svc_type != "ClusterIP":
        raise KubectlError("ClusterIP=None can only be used with ClusterIP service type")
    if cluster_ip != "None" and not tcp and svc_type != "ExternalName":
        raise KubectlError("at least one tcp port specifier must be provided")
    if svc_type == "ExternalName" and not _dns1123_subdomain(external):
        raise KubectlError(f"invalid service external name {external}")
    for spec in tcp:
        _check_target(spec)
    node_port = inv.flags.int("node-port") if "node-port" in inv.flags.fs.defs else 0
    ns = inv.namespace if inv.namespace_explicit else None
    obj = generators.service(name, svc_type, tcp=tcp, cluster_ip=cluster_ip, node_port=node_port,
                             external_name=external, namespace=ns)
    # ServiceOptions never reads --save-config (upstream quirk): no annotation for services.
    return finish(inv, printer, submit(inv, obj, dry, f"failed to create {svc_type} service"))


def _check_target(spec: str) -> None:
    """parsePorts: the target part is a port number or an IANA_SVC_NAME."""
    parts = spec.split(":")
    generators.service_ports([parts[0]])  # port errors first (strconv.ParseUint)
    if len(parts) < 2:
        return
    target = parts[1]
    try:
        num = int(target) if target.lstrip("+-").isdigit() else None
    except ValueError:
        num = None
    if num is not None:
        if not 1 <= num <= 65535:
            raise KubectlError("must be between 1 and 65535, inclusive")
        return
    errs = port_name_errors(target)
    if errs:
        raise KubectlError(",".join(errs))


def port_name_errors(name: str) -> list[str]:
    """validation.IsValidPortName messages."""
    import re

    errs = []
    if len(name) > 15:
        errs.append("must be no more than 15 characters")
    if not re.fullmatch(r"[-a-z0-9]*", name):
        errs.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
    elif not re.search(r"[a-z]", name):
        errs.append("must contain at least one letter (a-z)")
    if "--" in name:
        errs.append("must not contain consecutive hyphens")
    if name.startswith("-") or name.endswith("-"):
        errs.append("must not begin or end with a hyphen")
    return errs


def _dns1123_subdomain(name: str) -> bool:
    import re

    return 0 < len(name) <= 253 and bool(
        re.fullmatch(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*", name))


def service_clusterip(inv: Invocation) -> int:
    return _service(inv, "ClusterIP")


def service_nodeport(inv: Invocation) -> int:
    return _service(inv, "NodePort")


def service_loadbalancer(inv: Invocation) -> int:
    return _service(inv, "LoadBalancer")


def service_externalname(inv: Invocation) -> int:
    return _service(inv, "ExternalName")


# -- create -f -----------------------------------------------------------------------------------------
def create_from_file(inv: Invocation) -> int:
    files = inv.flags.list("filename")
    if not files and not inv.flags.str("kustomize"):
        raise KubectlError("must specify one of -f and -k")
    inv.preflight()
    dry = inv.dry_run()
    suffix = {"client": " (dry run)", "server": " (server dry run)"}.get(dry, "")
    printer = make_printer(inv, operation="created" + suffix)
    validation_directive(inv)
    items = manifests.read(inv, files, recursive=inv.flags.bool("recursive"))
    errors: list[Exception] = []
    count = 0
    for m in items:
        obj = json.loads(json.dumps(m.obj))
        try:
            place_namespace(inv, obj, m.source)
            annotate_if_saving(inv, obj)
            if dry != "client":
                try:
                    obj = server_view(inv.cluster.create(obj, dry_run=dry == "server"))
                except ApiError as exc:
                    raise exc.with_source("creating", m.source) from None
            else:
                obj = server_view(obj)
            count += 1
            inv.out(printer.render(obj))
        except (ApiError, KubectlError) as exc:
            errors.append(exc)
    if errors:
        raise AggregateError(errors)
    if count == 0:
        raise KubectlError("no objects passed to create")
    return 0


def place_namespace(inv: Invocation, obj: dict[str, Any], source: str = "") -> None:
    """The builder's namespace rules: fill in the default, refuse a conflicting explicit -n."""
    from sandbox.api import resources

    rt = resources.by_kind(str(obj.get("apiVersion", "")), str(obj.get("kind", "")))
    if rt is None:
        kind = obj.get("kind", "")
        version = obj.get("apiVersion", "")
        name = (obj.get("metadata") or {}).get("name", "")
        ns = (obj.get("metadata") or {}).get("namespace", "")
        raise KubectlError(f'resource mapping not found for name: "{name}" namespace: "{ns}" from '
                           f'"{source}": no matches for kind "{kind}" in version "{version}"\n'
                           "ensure CRDs are installed first")
    md = obj.setdefault("metadata", {})
    if not rt.namespaced:
        md.pop("namespace", None)
        return
    given = md.get("namespace")
    if given and inv.namespace_explicit and given != inv.namespace:
        raise KubectlError(f'the namespace from the provided object "{given}" does not match the namespace '
                           f'"{inv.namespace}". You must pass \'--namespace={given}\' to perform this operation.')
    if not given:
        md["namespace"] = inv.namespace
