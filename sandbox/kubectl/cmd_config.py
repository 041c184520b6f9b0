"""``kubectl config ...`` against the kubeconfig in the lab's filesystem (pkg/cmd/config)."""

from __future__ import annotations

from sandbox.kubectl import kubeconfig
from sandbox.kubectl.errors import AggregateError, KubectlError
from sandbox.kubectl.invocation import Invocation
from sandbox.kubectl.output import json_text, make_printer, yaml_text
from sandbox.kubectl.tabular import tabwrite


def _help_error(inv: Invocation, message: str) -> KubectlError:
    """config's helpErrorf: the help text on stdout, then the error."""
    inv.out(inv.cmd.help_text())
    return KubectlError(message)


def _go_list(items: list[str]) -> str:
    return "[" + " ".join(items) + "]"


def current_context(inv: Invocation) -> int:
    cfg = inv.config
    if not cfg.current_context:
        raise KubectlError("current-context is not set")
    inv.out(cfg.current_context + "\n")
    return 0


def view(inv: Invocation) -> int:
    cfg = inv.config
    data = kubeconfig.view(cfg, raw=inv.flags.bool("raw") or inv.flags.bool("flatten"),
                           minify=inv.flags.bool("minify"), context=inv.flags.str("context") or None)
    fmt = inv.flags.str("output") or "yaml"
    if fmt == "yaml":
        inv.out(yaml_text(data))
        return 0
    if fmt == "json":
        inv.out(json_text(data))
        return 0
    printer = make_printer(inv)
    if printer.kind == "name":
        inv.out("config/<unknown>\n")
        return 0
    inv.out(printer.render(data))
    return 0


def get_contexts(inv: Invocation) -> int:
    fmt = inv.flags.str("output")
    if fmt not in ("", "name"):
        raise KubectlError(f"--output {fmt} is not available in kubectl config get-contexts; resetting to default "
                           "output format")
    cfg = inv.config
    name_only = fmt == "name"
    headers = not (inv.flags.bool("no-headers") or name_only)
    contexts = {c.get("name", ""): (c.get("context") or {}) for c in cfg.named("contexts")}
    errors: list[Exception] = []
    wanted = inv.args or list(contexts)
    to_print = []
    for name in wanted:
        if name in contexts:
            to_print.append(name)
        else:
            errors.append(KubectlError(f"context {name} not found"))
    rows: list[list[str]] = []
    if headers:
        rows.append(["CURRENT", "NAME", "CLUSTER", "AUTHINFO", "NAMESPACE"])
    for name in sorted(to_print):
        if name_only:
            rows.append([name])
            continue
        c = contexts[name]
        rows.append(["*" if name == cfg.current_context else " ", name, str(c.get("cluster") or ""),
                     str(c.get("user") or ""), str(c.get("namespace") or "")])
    if rows:
        inv.out(tabwrite(rows))
    if errors:
        raise AggregateError(errors)
    return 0


def _names(inv: Invocation, section: str) -> int:
    inv.out("NAME\n" + "".join(f"{c.get('name', '')}\n" for c in inv.config.named(section)))
    return 0


def get_clusters(inv: Invocation) -> int:
    return _names(inv, "clusters")


def get_users(inv: Invocation) -> int:
    return _names(inv, "users")


def use_context(inv: Invocation) -> int:
    if len(inv.args) != 1:
        raise _help_error(inv, f"Unexpected args: {_go_list(inv.args)}")
    name = inv.args[0]
    cfg = inv.config
    if cfg.find("contexts", name) is None:
        raise KubectlError(f'no context exists with the name: "{name}"')
    cfg.data["current-context"] = name
    kubeconfig.save(inv.ctx, cfg)
    inv.out(f'Switched to context "{name}".\n')
    return 0


def set_context(inv: Invocation) -> int:
    if len(inv.args) > 1:
        raise _help_error(inv, f"Unexpected args: {_go_list(inv.args)}")
    name = inv.args[0] if inv.args else ""
    current = inv.flags.bool("current")
    if not name and not current:
        raise KubectlError("you must specify a non-empty context name or --current")
    if name and current:
        raise KubectlError("you cannot specify both a context name and --current")
    cfg = inv.config
    if current:
        if not cfg.current_context:
            raise KubectlError("no current context is set")
        name = cfg.current_context
    item = cfg.find("contexts", name)
    exists = item is not None
    if item is None:
        item = {"context": {"cluster": "", "user": ""}, "name": name}
        cfg.data.setdefault("contexts", [])
        if cfg.data["contexts"] is None:
            cfg.data["contexts"] = []
        cfg.data["contexts"].append(item)
        cfg.data["contexts"].sort(key=lambda c: str(c.get("name", "")))
    ctx_body = dict(item.get("context") or {})
    for flag, key in (("cluster", "cluster"), ("user", "user"), ("namespace", "namespace")):
        if flag in inv.flags.changed:
            ctx_body[key] = inv.flags.str(flag)
    item["context"] = {k: ctx_body[k] for k in sorted(ctx_body) if k in ("cluster", "user") or ctx_body[k]}
    kubeconfig.save(inv.ctx, cfg)
    inv.out(f'Context "{name}" {"modified" if exists else "created"}.\n')
    return 0


def delete_context(inv: Invocation) -> int:
    if len(inv.args) != 1:
        inv.out(inv.cmd.help_text())
        return 0
    name = inv.args[0]
    cfg = inv.config
    if cfg.find("contexts", name) is None:
        raise KubectlError(f"cannot delete context {name}, not in {cfg.path}")
    if cfg.current_context == name:
        inv.err("warning: this removed your active context, use \"kubectl config use-context\" to select a "
                "different one\n")
    cfg.data["contexts"] = [c for c in cfg.named("contexts") if c.get("name") != name]
    kubeconfig.save(inv.ctx, cfg)
    inv.out(f"deleted context {name} from {cfg.path}\n")
    return 0


def rename_context(inv: Invocation) -> int:
    if len(inv.args) != 2:
        raise _help_error(inv, f"Unexpected args: {_go_list(inv.args)}")
    old, new = inv.args
    cfg = inv.config
    item = cfg.find("contexts", old)
    if item is None:
        raise KubectlError(f'cannot rename the context "{old}", it\'s not in {cfg.path}')
    if cfg.find("contexts", new) is not None:
        raise KubectlError(f'cannot rename the context "{old}", the context "{new}" already exists in {cfg.path}')
    item["name"] = new
    if cfg.current_context == old:
        cfg.data["current-context"] = new
    kubeconfig.save(inv.ctx, cfg)
    inv.out(f'Context "{old}" renamed to "{new}".\n')
    return 0


def set_value(inv: Invocation) -> int:
    if len(inv.args) != 2:
        raise _help_error(inv, f"Unexpected args: {_go_list(inv.args)}")
    path, value = inv.args
    cfg = inv.config
    parts = path.split(".")
    if parts == ["current-context"]:
        cfg.data["current-context"] = value
    elif len(parts) == 3 and parts[0] == "contexts":
        item = cfg.find("contexts", parts[1])
        if item is None:
            item = {"context": {"cluster": "", "user": ""}, "name": parts[1]}
            cfg.data.setdefault("contexts", []).append(item)
        item.setdefault("context", {})[parts[2]] = value
    else:
        raise KubectlError(f"unable to locate path {path}")
    kubeconfig.save(inv.ctx, cfg)
    inv.out(f'Property "{path}" set.\n')
    return 0
