"""``kubectl get`` (pkg/cmd/get/get.go): tables per resource type, generic printing, and watch."""

from __future__ import annotations

from typing import Any

from sandbox.api.errors import ApiError
from sandbox.kubectl import manifests, resolve
from sandbox.kubectl.errors import AggregateError, KubectlError
from sandbox.kubectl.invocation import Invocation
from sandbox.kubectl.output import Printer, as_list, make_printer, sort_keys

WATCH_CAP_SECONDS = 3600.0   # a watch without --request-timeout ends here in virtual time (scripts)


def _requests(inv: Invocation) -> list[resolve.Request]:
    files = inv.flags.list("filename")
    if files:
        if inv.args:
            raise KubectlError("when paths, URLs, or stdin is provided as input, you may not specify resource "
                               "arguments as well")
        reqs: list[resolve.Request] = []
        from sandbox.api import resources

        for m in manifests.read(inv, files, recursive=inv.flags.bool("recursive")):
            rt = resources.by_kind(str(m.obj.get("apiVersion", "")), str(m.obj.get("kind", "")))
            if rt is None:
                raise KubectlError(f'resource mapping not found for name: "{m.obj.get("metadata", {}).get("name", "")}"'
                                   f' namespace: "" from "{m.source}": no matches for kind "{m.obj.get("kind")}" in '
                                   f'version "{m.obj.get("apiVersion")}"\nensure CRDs are installed first')
            name = (m.obj.get("metadata") or {}).get("name", "")
            reqs.append(resolve.Request(rt, [name]))
        return reqs
    return resolve.parse_args(inv.args)


def _missing_resource(inv: Invocation) -> KubectlError:
    inv.err('You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of '
            "supported resources.\n\n")
    return inv.usage_error('Required resource not specified.\nUse "kubectl explain <resource>" for a detailed '
                           "description of that resource (e.g. kubectl explain pods).")


def get(inv: Invocation) -> int:
    if inv.flags.str("raw"):
        from sandbox.kubectl.cmd_raw import raw

        return raw(inv, inv.flags.str("raw"))
    watch = inv.flags.bool("watch") or inv.flags.bool("watch-only")
    if not inv.args and not inv.flags.list("filename") and not watch:
        raise _missing_resource(inv)
    printer = make_printer(inv, for_get=True)
    if inv.flags.str("sort-by") and inv.flags.bool("watch"):
        inv.err("warning: --watch requested, --sort-by will be ignored for watch events received\n")
    elif inv.flags.str("sort-by") and inv.flags.bool("watch-only"):
        inv.err("warning: --watch-only requested, --sort-by will be ignored\n")
    if watch and not inv.args and not inv.flags.list("filename"):
        raise _missing_resource(inv)
    reqs = _requests(inv)
    selector = inv.flags.str("selector")
    all_ns = inv.all_namespaces
    resolve.check_selector_with_names(reqs, selector, all_ns)
    namespace = None if all_ns else inv.namespace
    cluster = inv.cluster

    warnings: list[str] = []
    for req in reqs:
        for w in cluster.warnings(req.rt.plural):
            if w not in warnings:
                warnings.append(w)
    for w in warnings:
        inv.warn(w)

    if watch:
        return _watch(inv, reqs, printer, namespace)

    groups: list[tuple[resolve.Request, list[dict[str, Any]]]] = []
    errors: list[Exception] = []
    for req in reqs:
        objs, errs = resolve.fetch(cluster, req, namespace, label_selector=selector,
                                   field_selector=inv.flags.str("field-selector"))
        if inv.flags.bool("ignore-not-found"):
            errs = [e for e in errs if e.reason != "NotFound"]
        errors.extend(errs)
        groups.append((req, objs))

    sort_by = inv.flags.str("sort-by")
    single_named = len(reqs) == 1 and len(reqs[0].names) == 1 and not printer.is_table
    if sort_by and not single_named:   # SortingPrinter leaves a single object alone
        groups = [(req, sort_objects(objs, sort_by)) for req, objs in groups]

    if printer.is_table:
        written = _print_tables(inv, printer, groups, all_ns)
        if not written and not errors and not inv.flags.bool("ignore-not-found"):
            if all(req.rt.namespaced for req in reqs) and not all_ns:
                inv.err(f"No resources found in {inv.namespace} namespace.\n")
            else:
                inv.err("No resources found\n")
    else:
        items = [o for _, objs in groups for o in objs]
        files = inv.flags.list("filename")
        single = len(reqs) == 1 and (len(reqs[0].names) == 1 or bool(files))
        if single and errors:
            raise AggregateError(errors)
        if not items and inv.flags.bool("ignore-not-found"):
            pass
        elif single and len(items) == 1:
            inv.out(printer.render(_shown(inv, items[0])))
        else:
            inv.out(printer.render(as_list([_shown(inv, o) for o in items])))
    if errors:
        raise AggregateError(errors)
    return 0


def _shown(inv: Invocation, obj: dict[str, Any]) -> dict[str, Any]:
    out = sort_keys(obj)
    if not inv.flags.bool("show-managed-fields"):
        md = out.get("metadata")
        if isinstance(md, dict):
            md.pop("managedFields", None)
    return out


def _table(inv: Invocation, printer: Printer, rt: Any, objs: list[dict[str, Any]], *, with_kind: bool,
           with_namespace: bool, no_headers: bool | None = None) -> str:
    from sandbox.kubectl import printers

    if printer.kind == "custom":
        return printer.custom_columns(objs, no_headers=inv.flags.bool("no-headers"))
    return printers.print_table(
        objs, rt.plural, wide=printer.kind == "wide", show_labels=inv.flags.bool("show-labels"),
        label_columns=_label_columns(inv), no_headers=inv.flags.bool("no-headers") if no_headers is None else no_headers,
        with_namespace=with_namespace, with_kind_prefix=with_kind, now=inv.cluster.clock.now)


def _label_columns(inv: Invocation) -> list[str]:
    cols: list[str] = []
    for item in inv.flags.list("label-columns"):
        cols.extend(p for p in item.split(",") if p)
    return cols


def _print_tables(inv: Invocation, printer: Printer, groups: list[tuple[resolve.Request, list[dict[str, Any]]]],
                  all_ns: bool) -> bool:
    if printer.kind == "custom":
        objs = [o for _, group in groups for o in group]
        if not objs:
            return False
        inv.out(_table(inv, printer, groups[0][0].rt, objs, with_kind=False, with_namespace=False))
        return True
    with_kind = len(groups) > 1 or inv.flags.bool("show-kind")
    written = False
    for req, objs in groups:
        if not objs:
            continue
        text = _table(inv, printer, req.rt, objs, with_kind=with_kind,
                      with_namespace=all_ns and req.rt.namespaced)
        if written and not inv.flags.bool("no-headers"):
            inv.out("\n")
        inv.out(text)
        written = written or bool(text)
    return written


# -- sorting --------------------------------------------------------------------------------------------
def sort_objects(objs: list[dict[str, Any]], field: str) -> list[dict[str, Any]]:
    """--sort-by: a jsonpath; numbers sort numerically, strings lexically, missing values first."""
    from sandbox.kubectl import printers

    expr = field if field.startswith("{") else "{" + field + "}"
    if not expr.startswith("{."):
        expr = "{." + expr[1:]
    keyed = []
    found_any = False
    for obj in objs:
        try:
            values = printers.jsonpath_values(expr, obj) if hasattr(printers, "jsonpath_values") else \
                _simple_path(expr, obj)
        except Exception:  # noqa: BLE001 - a missing field sorts first, as the real sorter does
            values = []
        if values:
            found_any = True
        keyed.append((_sort_key(values[0] if values else None), obj))
    if objs and not found_any:
        raise KubectlError(f'couldn\'t find any field with path "{expr}" in the list of objects')
    keyed.sort(key=lambda kv: kv[0])
    return [obj for _, obj in keyed]


def _simple_path(expr: str, obj: Any) -> list[Any]:
    cur = obj
    for part in expr.strip("{}").lstrip(".").split("."):
        if not part:
            continue
        idx = None
        if "[" in part and part.endswith("]"):
            part, _, idx_text = part[:-1].partition("[")
            idx = int(idx_text) if idx_text.lstrip("-").isdigit() else None
        if part:
            if not isinstance(cur, dict) or part not in cur:
                return []
            cur = cur[part]
        if idx is not None:
            if not isinstance(cur, list) or not -len(cur) <= idx < len(cur):
                return []
            cur = cur[idx]
    return [cur]


def _sort_key(value: Any) -> tuple[int, Any]:
    if value is None:
        return (0, "")
    if isinstance(value, bool):
        return (1, int(value))
    if isinstance(value, int | float):
        return (2, value)
    if isinstance(value, str):
        return (3, value)
    return (4, str(value))


# -- watch ----------------------------------------------------------------------------------------------
def _watch(inv: Invocation, reqs: list[resolve.Request], printer: Printer, namespace: str | None) -> int:
    if len(reqs) != 1:
        raise KubectlError(f"watch is only supported on individual resources and resource collections, but "
                           f"found {len(reqs)} resource types")
    req = reqs[0]
    cluster = inv.cluster
    selector = inv.flags.str("selector")
    fselector = inv.flags.str("field-selector")
    objs, errs = resolve.fetch(cluster, req, namespace, label_selector=selector, field_selector=fselector)
    if errs:
        raise AggregateError(list(errs))
    with_ns = inv.all_namespaces and req.rt.namespaced
    stream = _WatchPrinter(inv, printer, req.rt, with_ns)
    if not inv.flags.bool("watch-only"):
        stream.emit_many(objs)
    names = set(req.names)
    matcher = _matcher(selector, fselector, req.rt.plural)
    pending: list[dict[str, Any]] = []

    def on_event(event: str, resource: str, obj: dict[str, Any]) -> None:
        if resource != req.rt.plural:
            return
        md = obj.get("metadata", {})
        if namespace is not None and req.rt.namespaced and md.get("namespace") != namespace:
            return
        if names and md.get("name") not in names:
            return
        if not matcher(obj):
            return
        pending.append(obj)

    cluster.subscribe(on_event)
    timeout = inv.flags["request-timeout"]
    limit = _timeout_seconds(str(timeout)) or WATCH_CAP_SECONDS
    waited = 0.0
    try:
        while waited < limit:
            step = min(1.0, limit - waited)
            inv.sleep(step)
            waited += step
            while pending:
                stream.emit(pending.pop(0))
    finally:
        watchers = getattr(cluster.store, "_watchers", None)
        if watchers is not None and on_event in watchers:
            watchers.remove(on_event)
    return 0


def _timeout_seconds(text: str) -> float:
    from sandbox.kubectl.flags import parse_duration

    if not text or text == "0":
        return 0.0
    try:
        return float(text) if text.replace(".", "", 1).isdigit() else parse_duration(text)
    except ValueError:
        raise KubectlError("Invalid timeout value. Timeout must be a single integer in seconds, or an integer "
                           "followed by a corresponding time unit (e.g. 1s | 2m | 3h)") from None


def _matcher(selector: str, fselector: str, resource: str) -> Any:
    from sandbox.api.selectors import parse_field_selector, parse_selector

    lsel = parse_selector(selector) if selector else None
    fsel = parse_field_selector(fselector, resource) if fselector else None

    def match(obj: dict[str, Any]) -> bool:
        if lsel is not None and not lsel.matches(obj.get("metadata", {}).get("labels") or {}):
            return False
        return fsel is None or fsel.matches(obj)

    return match


class _WatchPrinter:
    """Streams objects as events arrive: tables print their header once and remember column widths
    (cli-runtime's tabwriter RememberWidths); other formats print each object."""

    def __init__(self, inv: Invocation, printer: Printer, rt: Any, with_ns: bool) -> None:
        self.inv = inv
        self.printer = printer
        self.rt = rt
        self.table = None
        self.custom_header = True
        if printer.kind in ("table", "wide"):
            from sandbox.kubectl.printers.table import WatchTable

            self.table = WatchTable(rt.plural, now=inv.cluster.clock.now, wide=printer.kind == "wide",
                                    show_labels=inv.flags.bool("show-labels"), label_columns=_label_columns(inv),
                                    no_headers=inv.flags.bool("no-headers"), with_namespace=with_ns)

    def emit_many(self, objs: list[dict[str, Any]]) -> None:
        if self.table is not None:
            if objs:
                self.inv.out(self.table.rows(objs, now=self.inv.cluster.clock.now))
            return
        for obj in objs:
            self.emit(obj)

    def emit(self, obj: dict[str, Any]) -> None:
        if self.table is not None:
            self.inv.out(self.table.rows([obj], now=self.inv.cluster.clock.now))
            return
        if self.printer.kind == "custom":

            no_headers = self.inv.flags.bool("no-headers") or not self.custom_header
            self.custom_header = False
            self.inv.out(self.printer.custom_columns([obj], no_headers=no_headers))
            return
        self.inv.out(self.printer.render(_shown(self.inv, obj)))


__all__ = ["get", "sort_objects", "ApiError"]
