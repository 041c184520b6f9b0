"""In-place changes: scale, label, annotate, patch, set image (pkg/cmd/{scale,label,annotate,patch,set})."""

from __future__ import annotations

import copy
import json
from typing import Any

from sandbox.api import resources
from sandbox.api.errors import ApiError
from sandbox.kubectl import manifests, resolve
from sandbox.kubectl.cmd_create import require_flags, server_view, typed_view
from sandbox.kubectl.errors import AggregateError, KubectlError
from sandbox.kubectl.invocation import Invocation
from sandbox.kubectl.output import make_printer


def _suffix(dry: str) -> str:
    return {"client": " (dry run)", "server": " (server dry run)"}.get(dry, "")


def collect(inv: Invocation, args: list[str], *, select_all: bool = False, selector: str = "",
            field_selector: str = "") -> tuple[list[tuple[Any, dict[str, Any]]], list[Exception]]:
    """Builder for update commands: ``-f`` files or ``TYPE NAME``/``TYPE/NAME``/``TYPE -l``/``--all``."""
    cluster = inv.cluster
    files = inv.flags.list("filename") if "filename" in inv.flags.fs.defs else []
    out: list[tuple[Any, dict[str, Any]]] = []
    errors: list[Exception] = []
    all_ns = "all-namespaces" in inv.flags.fs.defs and inv.flags.bool("all-namespaces")
    namespace = None if all_ns else inv.namespace
    if files:
        for m in manifests.read(inv, files):
            rt = resources.by_kind(str(m.obj.get("apiVersion", "")), str(m.obj.get("kind", "")))
            if rt is None:
                raise KubectlError(f'no matches for kind "{m.obj.get("kind")}" in version "{m.obj.get("apiVersion")}"')
            md = m.obj.get("metadata") or {}
            try:
                out.append((rt, cluster.get(rt.plural, (md.get("namespace") or inv.namespace) if rt.namespaced
                                            else None, md.get("name", ""))))
            except ApiError as exc:
                errors.append(exc)
        return out, errors
    if not args:
        raise KubectlError(_NO_RESOURCES)
    reqs = resolve.parse_args(args)
    has_names = any(r.names for r in reqs)
    if has_names and (selector or select_all):
        raise KubectlError("name cannot be provided when a selector is specified")
    if not has_names and not selector and not select_all and not field_selector:
        raise KubectlError("resource(s) were provided, but no name was specified")
    for req in reqs:
        objs, errs = resolve.fetch(cluster, req, namespace, label_selector=selector, field_selector=field_selector)
        out.extend((req.rt, o) for o in objs)
        errors.extend(errs)
    return out, errors


_NO_RESOURCES = ("You must provide one or more resources by argument or filename.\nExample resource specifications "
                 "include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'")


def _split_pairs(args: list[str]) -> tuple[list[str], list[str]]:
    """cmdutil.GetResourcesAndPairs: ``k=v`` / ``k-`` words are pairs, the rest name resources."""
    resources_: list[str] = []
    pairs: list[str] = []
    first_pair = False
    for arg in args:
        is_pair = "=" in arg or arg.endswith("-")
        if is_pair:
            first_pair = True
            pairs.append(arg)
        elif first_pair:
            raise KubectlError("all resources must be specified before label changes: " + arg)
        else:
            resources_.append(arg)
    return resources_, pairs


# -- scale -----------------------------------------------------------------------------------------------
_SCALABLE = {"deployments", "replicasets", "statefulsets", "replicationcontrollers"}


def scale(inv: Invocation) -> int:
    require_flags(inv, ("replicas",))
    replicas = inv.flags.int("replicas")
    current = inv.flags.int("current-replicas")
    dry = inv.dry_run()
    printer = make_printer(inv, operation="scaled" + _suffix(dry))
    if replicas < 0:
        raise KubectlError("The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0")
    if current < -1:
        raise KubectlError("The --current-replicas must specify an integer of -1 or greater")
    if not inv.args and not inv.flags.list("filename"):
        raise KubectlError(_NO_RESOURCES)
    targets, errors = collect(inv, inv.args, select_all=inv.flags.bool("all"), selector=inv.flags.str("selector"))
    if not targets:
        if errors:
            raise AggregateError(errors)
        raise KubectlError("no objects passed to scale")
    cluster = inv.cluster
    for rt, obj in targets:
        if rt.plural not in _SCALABLE:
            raise ApiError("NotFound", "the server could not find the requested resource", 404)
        md = obj["metadata"]
        if current != -1:
            actual = int((obj.get("spec") or {}).get("replicas", 1))
            if actual != current:
                raise KubectlError(f"Expected replicas to be {current}, was {actual}")
        if dry == "client":
            shown = copy.deepcopy(obj)
            shown.setdefault("spec", {})["replicas"] = replicas
            inv.out(printer.render(server_view(shown)))
            continue
        result = cluster.patch(rt.plural, md.get("namespace"), md["name"], {"spec": {"replicas": replicas}}, "merge",
                               dry_run=dry == "server")
        inv.out(printer.render(server_view(result)))
    if errors:
        raise AggregateError(errors)
    return 0


# -- label / annotate ------------------------------------------------------------------------------------
def _parse_label_pairs(pairs: list[str]) -> tuple[dict[str, str], list[str]]:
    from sandbox.api.selectors import is_valid_label_value

    labels: dict[str, str] = {}
    remove: list[str] = []
    for spec in pairs:
        if "=" in spec:
            parts = spec.split("=")
            if len(parts) != 2:
                raise KubectlError(f"invalid label spec: {spec}")
            errs = is_valid_label_value(parts[1])
            if errs:
                raise KubectlError(f"invalid label value: {json.dumps(spec)}: {';'.join(errs)}")
            labels[parts[0]] = parts[1]
        elif spec.endswith("-"):
            remove.append(spec[:-1])
        else:
            raise KubectlError(f"unknown label spec: {spec}")
    for key in remove:
        if key in labels:
            raise KubectlError("can not both modify and remove a label in the same command")
    return labels, remove


def label(inv: Invocation) -> int:
    return _meta_update(inv, "labels")


def annotate(inv: Invocation) -> int:
    return _meta_update(inv, "annotations")


def _meta_update(inv: Invocation, field: str) -> int:
    is_label = field == "labels"
    flags = inv.flags
    if flags.bool("list") and flags.str("output"):
        raise KubectlError("--list and --output may not be specified together")
    res_args, pairs = _split_pairs(inv.args)
    if flags.bool("all") and flags.str("selector"):
        raise KubectlError("cannot set --all and --selector at the same time")
    if flags.bool("all") and flags.str("field-selector"):
        raise KubectlError("cannot set --all and --field-selector at the same time")
    if not res_args and not flags.list("filename"):
        raise KubectlError("one or more resources must be specified as <resource> <name> or <resource>/<name>")
    if not pairs and not flags.bool("list"):
        raise KubectlError(f"at least one {'label' if is_label else 'annotation'} update is required")
    if is_label:
        new, remove = _parse_label_pairs(pairs)
    else:
        new, remove = _parse_annotation_pairs(pairs)
    dry = inv.dry_run()
    targets, errors = collect(inv, res_args, select_all=flags.bool("all"), selector=flags.str("selector"),
                              field_selector=flags.str("field-selector"))
    cluster = inv.cluster
    for rt, obj in targets:
        md = obj["metadata"]
        current = dict(md.get(field) or {})
        if flags.bool("list"):
            for k, v in current.items():
                inv.out(f"{k}={v}\n")
            continue
        if not flags.bool("overwrite"):
            clashes = [(k, current[k]) for k, v in new.items() if k in current and current[k] != v
                       and k != "kubernetes.io/change-cause"]
            if clashes:
                if is_label:
                    errors.append(AggregateError([KubectlError(f"'{k}' already has a value ({v}), and --overwrite "
                                                               "is false") for k, v in clashes]))
                else:
                    errors.append(KubectlError("--overwrite is false but found the following declared "
                                               "annotation(s): " + "; ".join(f"'{k}' already has a value ({v})"
                                                                             for k, v in clashes)))
                continue
        if dry == "none" and is_label:
            for key in remove:
                if key not in current:
                    inv.out(f'label "{key}" not found.\n')
        added = {k for k, v in new.items() if current.get(k) != v}
        removed = {k for k in remove if k in current}
        updated = dict(current)
        updated.update(new)
        for k in remove:
            updated.pop(k, None)
        if is_label:
            msg = "modified" if added and removed else "labeled" if added else "unlabeled" if removed \
                else "not labeled"
        else:
            msg = "annotated"
        printer = make_printer(inv, operation=msg + _suffix(dry))
        result = obj
        if dry == "client" or not (added or removed) and is_label:
            shown = copy.deepcopy(obj)
            shown["metadata"][field] = updated
            inv.out(printer.render(server_view(shown)))
            continue
        patch = {"metadata": {field: {**{k: new[k] for k in added}, **{k: None for k in removed}}}}
        try:
            result = cluster.patch(rt.plural, md.get("namespace") if rt.namespaced else None, md["name"], patch,
                                   "merge", dry_run=dry == "server")
        except ApiError as exc:
            errors.append(exc)
            continue
        inv.out(printer.render(server_view(result)))
    if errors:
        raise AggregateError(errors)
    return 0


def _parse_annotation_pairs(pairs: list[str]) -> tuple[dict[str, str], list[str]]:
    new: dict[str, str] = {}
    remove: list[str] = []
    for spec in pairs:
        if "=" in spec:
            key, _, value = spec.partition("=")
            if not key:
                raise KubectlError(f"invalid annotation format: {spec}")
            new[key] = value
        elif spec.endswith("-"):
            remove.append(spec[:-1])
        else:
            raise KubectlError(f"invalid annotation format: {spec}")
    both = [k for k in remove if k in new]
    if both:
        raise KubectlError("can not both modify and remove the following annotation(s) in the same command: "
                           + ", ".join(both))
    return new, remove


# -- patch -----------------------------------------------------------------------------------------------
_PATCH_TYPES = {"json": "json", "merge": "merge", "strategic": "strategic"}


def patch(inv: Invocation) -> int:
    flags = inv.flags
    dry = inv.dry_run()
    text = flags.str("patch")
    patch_file = flags.str("patch-file")
    if text and patch_file:
        raise KubectlError("cannot specify --patch and --patch-file together")
    if not text and not patch_file:
        raise KubectlError("must specify --patch or --patch-file containing the contents of the patch")
    ptype = flags.str("type")
    if ptype and ptype.lower() not in _PATCH_TYPES:
        raise KubectlError(f'--type must be one of [json merge strategic], not "{ptype}"')
    patch_type = _PATCH_TYPES.get(ptype.lower(), "strategic") if ptype else "strategic"
    if patch_file:
        try:
            text = inv.ctx.read_file(patch_file)
        except Exception:  # noqa: BLE001
            raise KubectlError(f"unable to read patch file: open {patch_file}: no such file or directory") from None
    body = _parse_patch(text)
    targets, errors = collect(inv, inv.args)
    if not targets and not errors:
        raise KubectlError("no objects passed to patch")
    cluster = inv.cluster
    for rt, obj in targets:
        md = obj["metadata"]
        try:
            result = cluster.patch(rt.plural, md.get("namespace") if rt.namespaced else None, md["name"], body,
                                   patch_type, dry_run=dry != "none")
        except ApiError as exc:
            errors.append(exc)
            continue
        changed = _comparable(result) != _comparable(obj)
        printer = make_printer(inv, operation=("patched" if changed else "patched (no change)") + _suffix(dry))
        inv.out(printer.render(server_view(result)))
    if errors:
        raise AggregateError(errors)
    return 0


def _comparable(obj: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(obj)
    md = out.get("metadata", {})
    for key in ("resourceVersion", "managedFields", "generation"):
        md.pop(key, None)
    return out


def _parse_patch(text: str) -> Any:
    """yaml.ToJSON: the patch may be JSON or YAML."""
    import yaml

    try:
        return json.loads(text)
    except ValueError:
        pass
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise KubectlError(f'unable to parse "{text}": {exc}') from None
    if not isinstance(value, dict | list):
        raise KubectlError(f'unable to parse "{text}": json: cannot unmarshal string into Go value of type '
                           "map[string]interface {}")
    return value


# -- set image -------------------------------------------------------------------------------------------
def _pod_spec(obj: dict[str, Any]) -> dict[str, Any] | None:
    kind = obj.get("kind")
    if kind == "Pod":
        return obj.get("spec")
    if kind in ("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "ReplicationController", "Job"):
        return ((obj.get("spec") or {}).get("template") or {}).get("spec")
    if kind == "CronJob":
        return (((obj.get("spec") or {}).get("jobTemplate") or {}).get("spec") or {}).get("template", {}).get("spec")
    return None


def set_image(inv: Invocation) -> int:
    res_args: list[str] = []
    images: dict[str, str] = {}
    for arg in inv.args:
        if "=" in arg:
            name, _, image = arg.partition("=")
            images[name] = image
        else:
            res_args.append(arg)
    flags = inv.flags
    if not res_args and not flags.list("filename"):
        raise KubectlError(_NO_RESOURCES)
    dry = inv.dry_run()
    printer = make_printer(inv, operation="image updated" + _suffix(dry))
    targets, errors = collect(inv, res_args, select_all=flags.bool("all"), selector=flags.str("selector"))
    problems: list[Exception] = []
    if flags.bool("all") and flags.str("selector"):
        problems.append(KubectlError("cannot set --all and --selector at the same time"))
    if not res_args and not flags.list("filename"):
        problems.append(KubectlError("one or more resources must be specified as <resource> <name> or "
                                     "<resource>/<name>"))
    if not images:
        problems.append(KubectlError("at least one image update is required"))
    if "*" in images and len(images) > 1:
        problems.append(KubectlError("all containers are already specified by *, but saw more than one "
                                     "container_name=container_image pairs"))
    if problems:
        raise AggregateError(problems)
    cluster = inv.cluster
    for rt, obj in targets:
        updated = copy.deepcopy(obj)
        spec = _pod_spec(updated)
        if spec is None:
            errors.append(KubectlError(f"error: {rt.plural}/{obj['metadata']['name']} the object is not a "
                                       f"pod or does not have a pod template: *v1.{rt.kind}\n"))
            continue
        for name, image in images.items():
            found = False
            for group in ("initContainers", "containers"):
                for c in spec.get(group) or []:
                    if name == "*" or c.get("name") == name:
                        c["image"] = image
                        found = True
            if not found:
                errors.append(KubectlError(f'error: unable to find container named "{name}"'))
        if updated == obj:
            continue
        if dry == "client":
            inv.out(printer.render(typed_view(updated)))
            continue
        md = obj["metadata"]
        body = _template_patch(obj, updated)
        try:
            result = cluster.patch(rt.plural, md.get("namespace"), md["name"], body, "strategic",
                                   dry_run=dry == "server")
        except ApiError as exc:
            errors.append(KubectlError(f"failed to patch image update to pod template: {exc.message}"))
            continue
        inv.out(printer.render(server_view(result)))
    if errors:
        raise AggregateError(errors)
    return 0


def _template_patch(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """A strategic patch that sets the changed container images (merge key: container name)."""
    def containers(spec: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for group in ("initContainers", "containers"):
            items = [{"name": c["name"], "image": c.get("image")} for c in spec.get(group) or []]
            if items:
                out[group] = items
        return out

    spec = containers(_pod_spec(new) or {})
    if new.get("kind") == "Pod":
        return {"spec": spec}
    return {"spec": {"template": {"spec": spec}}}


# -- set selector ----------------------------------------------------------------------------------------
def set_selector(inv: Invocation) -> int:
    """``kubectl set selector svc NAME k=v,...``: replaces a Service's selector (services only)."""
    args = inv.args
    dry = inv.dry_run()
    printer = make_printer(inv, operation="selector updated" + _suffix(dry))
    res_args, expr = (args[:-1], args[-1]) if args else ([], None)
    parsed = _parse_selector_expr(expr) if expr is not None else None
    if parsed is None:
        raise KubectlError("one selector is required")
    selector, expressions = parsed
    targets, errors = collect(inv, res_args, select_all=inv.flags.bool("all"))
    cluster = inv.cluster
    for rt, obj in targets:
        if expressions:
            raise KubectlError(f"match expression [{' '.join(expressions)}] not supported on this object")
        if rt.plural != "services":
            raise KubectlError("setting a selector is only supported for Services")
        old = dict((obj.get("spec") or {}).get("selector") or {})
        patch_sel: dict[str, Any] = dict(selector)
        for key in old:
            if key not in selector:
                patch_sel[key] = None
        if dry == "client":
            shown = copy.deepcopy(obj)
            shown.setdefault("spec", {})["selector"] = dict(selector)
            inv.out(printer.render(server_view(shown)))
            continue
        md = obj["metadata"]
        result = cluster.patch("services", md.get("namespace"), md["name"], {"spec": {"selector": patch_sel}},
                               "strategic", dry_run=dry == "server")
        inv.out(printer.render(server_view(result)))
    if errors:
        raise AggregateError(errors)
    return 0


def _parse_selector_expr(text: str) -> tuple[dict[str, str], list[str]]:
    """metav1.ParseToLabelSelector: equality terms become matchLabels, the rest matchExpressions
    (rendered as Go's %v of LabelSelectorRequirement, for the error a Service selector gives)."""
    from sandbox.api.selectors import parse_selector

    try:
        parse_selector(text)
    except ApiError as exc:
        raise KubectlError(exc.message) from None
    labels: dict[str, str] = {}
    expressions: list[str] = []
    for part in [p.strip() for p in text.split(",") if p.strip()]:
        if "!=" in part:
            key, _, value = part.partition("!=")
            expressions.append(f"{{{key.strip()} NotIn [{value.strip()}]}}")
        elif "=" in part:
            key, _, value = part.partition("==") if "==" in part else part.partition("=")
            labels[key.strip()] = value.strip()
        elif part.startswith("!"):
            expressions.append(f"{{{part[1:].strip()} DoesNotExist []}}")
        else:
            expressions.append(f"{{{part} Exists []}}")
    return labels, expressions


# -- set env ---------------------------------------------------------------------------------------------
def set_env(inv: Invocation) -> int:
    """``kubectl set env``: KEY=VALUE / KEY- on pod templates' containers; ``--list`` prints them."""
    import fnmatch

    flags = inv.flags
    res_args: list[str] = []
    pairs: list[str] = []
    for arg in inv.args:
        if "=" in arg or (arg.endswith("-") and len(arg) > 1 and res_args):
            pairs.append(arg)
        elif pairs:
            raise KubectlError("all resources must be specified before environment changes: " + " ".join(inv.args))
        else:
            res_args.append(arg)
    if flags.bool("all") and flags.str("selector"):
        raise KubectlError("cannot set --all and --selector at the same time")
    if not res_args and not flags.list("filename"):
        raise KubectlError("one or more resources must be specified as <resource> <name> or <resource>/<name>")
    if flags.bool("list") and flags.str("output"):
        raise KubectlError("--list and --output may not be specified together")
    sets = [p.partition("=") for p in pairs if "=" in p]
    removes = [p[:-1] for p in pairs if "=" not in p]
    dry = inv.dry_run()
    printer = make_printer(inv, operation="env updated" + _suffix(dry))
    targets, errors = collect(inv, res_args, select_all=flags.bool("all"), selector=flags.str("selector"))
    pattern = flags.str("containers") or "*"
    cluster = inv.cluster
    for rt, obj in targets:
        updated = copy.deepcopy(obj)
        spec = _pod_spec(updated)
        name = obj["metadata"]["name"]
        if spec is None:
            errors.append(KubectlError(f"error: {rt.plural}/{name} the object is not a pod or does not have a "
                                       f"pod template: *v1.{rt.kind}\n"))
            continue
        containers = [c for c in (spec.get("initContainers") or []) + (spec.get("containers") or [])
                      if fnmatch.fnmatchcase(c.get("name", ""), pattern)]
        if not containers:
            inv.warn(f"{rt.kind}/{name} does not have any containers matching \"{pattern}\"")
            continue
        if flags.bool("list"):
            for c in containers:
                inv.out(f"# {rt.kind} {name}, container {c['name']}\n")
                for env in c.get("env") or []:
                    if "value" in env or "valueFrom" not in env:
                        inv.out(f"{env['name']}={env.get('value', '')}\n")
            continue
        for c in containers:
            env = list(c.get("env") or [])
            for key, _, value in sets:
                for item in env:
                    if item.get("name") == key:
                        if not flags.bool("overwrite") and item.get("value") != value:
                            raise KubectlError(f"'{key}' already has a value ({item.get('value', '')}), and "
                                               "--overwrite is false")
                        item.clear()
                        item.update({"name": key, "value": value})
                        break
                else:
                    env.append({"name": key, "value": value})
            env = [e for e in env if e.get("name") not in removes]
            if env:
                c["env"] = env
            else:
                c.pop("env", None)
        if updated == obj:
            continue
        if dry == "client":
            inv.out(printer.render(typed_view(updated)))
            continue
        try:
            result = cluster.update(updated, dry_run=dry == "server")
        except ApiError as exc:
            errors.append(exc)
            continue
        inv.out(printer.render(typed_view(result)))
    if errors:
        raise AggregateError(errors)
    return 0
