"""``kubectl edit`` (pkg/cmd/util/editor): YAML in an editor, then a patch; errors reopen the file.

The editor is a hook the front end provides: ``ctx.editor`` or ``ctx.lab.editor``, a callable
``editor(filename, text) -> str | None`` returning the saved text (None = quit without saving).
Without one (scripts, ``kubelab run``) the command fails as kubectl does when ``vi`` cannot run.
"""

from __future__ import annotations

from typing import Any

from sandbox.api.errors import ApiError
from sandbox.kubectl import manifests, resolve
from sandbox.kubectl.cmd_apply import three_way
from sandbox.kubectl.cmd_create import server_view
from sandbox.kubectl.errors import AggregateError, KubectlError
from sandbox.kubectl.invocation import Invocation
from sandbox.kubectl.output import as_list, json_text, make_printer, yaml_text

HEADER = ("# Please edit the object below. Lines beginning with a '#' will be ignored,\n"
          "# and an empty file will abort the edit. If an error occurs while saving this file will be\n"
          "# reopened with the relevant failures.\n#\n")
MAX_ROUNDS = 20


def _editor(inv: Invocation) -> Any:
    hook = getattr(inv.ctx, "editor", None)
    if hook is None:
        hook = getattr(getattr(inv.ctx, "lab", None), "editor", None)
    return hook


def _editor_name(inv: Invocation) -> str:
    env = getattr(inv.ctx, "env", {}) or {}
    return env.get("KUBE_EDITOR") or env.get("EDITOR") or "vi"


def _strip_comments(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))


def _reason_lines(head: str, other: list[str]) -> str:
    def hashed(s: str) -> str:
        return s.replace("\n", "\n# ")

    out = f"# {hashed(head)}:\n" if other else f"# {hashed(head)}\n"
    for o in other:
        out += f"# * {hashed(o)}\n"
    return out + "#\n"


def _shown(obj: dict[str, Any]) -> dict[str, Any]:
    out = server_view(obj)
    return out


def edit(inv: Invocation) -> int:
    files = inv.flags.list("filename")
    if not inv.args and not files:
        raise KubectlError("You must provide one or more resources by argument or filename.\nExample resource "
                           "specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   "
                           "'<resource> <name>'\n   '<resource>'")
    fmt = inv.flags.str("output") or "yaml"
    if fmt not in ("yaml", "json"):
        raise KubectlError("--output must be one of: yaml|json")
    cluster = inv.cluster
    targets: list[tuple[Any, dict[str, Any]]] = []
    errors: list[Exception] = []
    if files:
        from sandbox.api import resources

        for m in manifests.read(inv, files):
            rt = resources.by_kind(str(m.obj.get("apiVersion", "")), str(m.obj.get("kind", "")))
            if rt is None:
                continue
            md = m.obj.get("metadata") or {}
            try:
                targets.append((rt, cluster.get(rt.plural, (md.get("namespace") or inv.namespace)
                                                if rt.namespaced else None, md.get("name", ""))))
            except ApiError as exc:
                errors.append(exc)
    else:
        reqs = resolve.parse_args(inv.args)
        for req in reqs:
            objs, errs = resolve.fetch(cluster, req, inv.namespace, label_selector=inv.flags.str("selector"))
            targets.extend((req.rt, o) for o in objs)
            errors.extend(errs)
            for w in cluster.warnings(req.rt.plural):
                inv.warn(w)
    if errors:
        raise AggregateError(errors)
    if not targets:
        raise KubectlError("edit cancelled, no objects found")
    hook = _editor(inv)
    name = _editor_name(inv)
    if hook is None:
        raise KubectlError(f'there was a problem with the editor "{name}"')

    originals = [_shown(o) for _, o in targets]
    data = originals[0] if len(originals) == 1 else as_list(originals)
    body = yaml_text(data) if fmt == "yaml" else json_text(data)
    text = HEADER + body
    filename = f"/tmp/kubectl-edit-{_stamp(inv)}.{fmt}"
    previous_body = body
    for _round in range(MAX_ROUNDS):
        saved = hook(filename, text)
        if saved is None:
            inv.err("Edit cancelled, no changes made.\n")
            return 0
        stripped = _strip_comments(saved)
        if not stripped.strip():
            inv.err("Edit cancelled, saved file was empty.\n")
            return 0
        if stripped.strip() == _strip_comments(previous_body).strip() and _round == 0:
            inv.err("Edit cancelled, no changes made.\n")
            return 0
        try:
            docs = manifests.parse_documents(stripped, filename)
        except KubectlError as exc:
            msg = exc.message.split(": ", 1)[1] if ": " in exc.message else exc.message
            text = HEADER + _reason_lines(f"The edited file had a syntax error: {msg}", []) + stripped + "\n"
            continue
        edited = docs[0] if docs else {}
        items = edited.get("items") if isinstance(edited, dict) and edited.get("kind") == "List" else [edited]
        reasons = ""
        changed_any = False
        for (rt, _obj), original, new in zip(targets, originals, items or [], strict=False):
            if not isinstance(new, dict):
                continue
            patch = three_way(original, new, original)
            patch = {k: v for k, v in patch.items() if k != "status"}
            if not patch:
                continue
            md = original["metadata"]
            try:
                result = cluster.patch(rt.plural, md.get("namespace") if rt.namespaced else None, md["name"],
                                       patch, "strategic")
            except ApiError as exc:
                other = [f"{c.field}: {c.body()}" for c in exc.causes] if exc.causes else []
                head = f'{rt.plural} "{md["name"]}" was not valid' if exc.reason == "Invalid" else exc.message
                if not other and exc.reason == "Invalid":
                    other = [exc.message]
                reasons += _reason_lines(head, other)
                continue
            changed_any = True
            printer = make_printer(inv, operation="edited")
            inv.out(printer.render(server_view(result)))
        if reasons:
            if stripped.strip() == _strip_comments(previous_body).strip() and _round > 0:
                inv.err(f'error: Edit cancelled, no valid changes were saved.\nA copy of your changes has been '
                        f'stored to "{filename}"\n')
                return 1
            previous_body = stripped + "\n"
            text = HEADER + reasons + stripped + "\n"
            continue
        if not changed_any:
            inv.err("Edit cancelled, no changes made.\n")
        return 0
    raise KubectlError("Edit cancelled, too many attempts.")


def _stamp(inv: Invocation) -> str:
    rng = getattr(inv.cluster, "rng", None)
    return str(rng.randint(1000000000, 4294967295)) if rng is not None else "1"


__all__ = ["edit"]
