"""``kubectl``: the lab's kubectl command (registered with the shell as ``sandbox.kubectl.cli:kubectl``).

Flow as in the real binary: cobra finds the subcommand, pflag parses the flags (errors name the
command's ``--help``), the command runs, and checkErr turns any failure into ``error: ...`` /
``Error from server (...)`` on stderr with exit 1.
"""

from __future__ import annotations

import importlib
from typing import Any

from sandbox.api.errors import ApiError
from sandbox.kubectl.commands import Command, find
from sandbox.kubectl.errors import Exit, KubectlError, UsageError
from sandbox.kubectl.flags import FlagError, HelpRequested, parse_flags, strip_flags
from sandbox.kubectl.invocation import Invocation

# command path -> "module:function" (imported on first use, so `kubectl version` stays cheap)
HANDLERS: dict[str, str] = {
    "version": "sandbox.kubectl.cmd_misc:version",
    "config current-context": "sandbox.kubectl.cmd_config:current_context",
    "config view": "sandbox.kubectl.cmd_config:view",
    "config get-contexts": "sandbox.kubectl.cmd_config:get_contexts",
    "config get-clusters": "sandbox.kubectl.cmd_config:get_clusters",
    "config get-users": "sandbox.kubectl.cmd_config:get_users",
    "config use-context": "sandbox.kubectl.cmd_config:use_context",
    "config set-context": "sandbox.kubectl.cmd_config:set_context",
    "config delete-context": "sandbox.kubectl.cmd_config:delete_context",
    "config rename-context": "sandbox.kubectl.cmd_config:rename_context",
    "config set": "sandbox.kubectl.cmd_config:set_value",
    "create": "sandbox.kubectl.cmd_create:create_from_file",
    "create namespace": "sandbox.kubectl.cmd_create:namespace",
    "create deployment": "sandbox.kubectl.cmd_create:deployment",
    "create configmap": "sandbox.kubectl.cmd_create:configmap",
    "create service clusterip": "sandbox.kubectl.cmd_create:service_clusterip",
    "create service nodeport": "sandbox.kubectl.cmd_create:service_nodeport",
    "create service loadbalancer": "sandbox.kubectl.cmd_create:service_loadbalancer",
    "create service externalname": "sandbox.kubectl.cmd_create:service_externalname",
    "get": "sandbox.kubectl.cmd_get:get",
    "describe": "sandbox.kubectl.cmd_describe:describe",
    "apply": "sandbox.kubectl.cmd_apply:apply",
    "delete": "sandbox.kubectl.cmd_delete:delete",
    "expose": "sandbox.kubectl.cmd_expose:expose",
    "run": "sandbox.kubectl.cmd_run:run",
    "exec": "sandbox.kubectl.cmd_exec:exec_",
    "attach": "sandbox.kubectl.cmd_attach:attach",
    "replace": "sandbox.kubectl.cmd_replace:replace",
    "cordon": "sandbox.kubectl.cmd_replace:cordon",
    "events": "sandbox.kubectl.cmd_events:events",
    "uncordon": "sandbox.kubectl.cmd_replace:uncordon",
    "proxy": "sandbox.kubectl.cmd_attach:proxy",
    "port-forward": "sandbox.kubectl.cmd_attach:port_forward",
    "cp": "sandbox.kubectl.cmd_cp:cp",
    "logs": "sandbox.kubectl.cmd_logs:logs",
    "scale": "sandbox.kubectl.cmd_mutate:scale",
    "label": "sandbox.kubectl.cmd_mutate:label",
    "annotate": "sandbox.kubectl.cmd_mutate:annotate",
    "patch": "sandbox.kubectl.cmd_mutate:patch",
    "set image": "sandbox.kubectl.cmd_mutate:set_image",
    "set selector": "sandbox.kubectl.cmd_mutate:set_selector",
    "set env": "sandbox.kubectl.cmd_mutate:set_env",
    "edit": "sandbox.kubectl.cmd_edit:edit",
    "rollout status": "sandbox.kubectl.cmd_rollout:status",
    "rollout restart": "sandbox.kubectl.cmd_rollout:restart",
    "rollout history": "sandbox.kubectl.cmd_rollout:history",
    "rollout undo": "sandbox.kubectl.cmd_rollout:undo",
    "rollout pause": "sandbox.kubectl.cmd_rollout:pause",
    "rollout resume": "sandbox.kubectl.cmd_rollout:resume",
    "wait": "sandbox.kubectl.cmd_wait:wait",
    "explain": "sandbox.kubectl.cmd_explain:explain",
    "api-resources": "sandbox.kubectl.cmd_misc:api_resources",
    "api-versions": "sandbox.kubectl.cmd_misc:api_versions",
    "cluster-info": "sandbox.kubectl.cmd_misc:cluster_info",
    "top pod": "sandbox.kubectl.cmd_misc:top",
    "top node": "sandbox.kubectl.cmd_misc:top",
    "options": "sandbox.kubectl.cmd_misc:options",
    "help": "sandbox.kubectl.cmd_misc:help_",
}
# Commands that exist in kubectl but need something the lab does not model.
_UNSUPPORTED_HINT = "is not available in this lab"
#: Tests set this to see internal failures as exceptions instead of kubectl-style messages.
RAISE_INTERNAL = False


def kubectl(ctx: Any) -> int:
    """Entry point: run one kubectl command line in the shell context ``ctx``; returns the exit code."""
    return main(ctx, list(ctx.argv[1:]))


def main(ctx: Any, args: list[str]) -> int:
    cmd, rest = find(args)
    try:
        if not cmd.path:
            words = strip_flags(rest, cmd.flagset())
            if words:
                return _unknown_command(ctx, cmd, words[0])
        try:
            parsed = parse_flags(rest, cmd.flagset())
        except HelpRequested:
            ctx.out(cmd.help_text())
            return 0
        except FlagError as exc:
            ctx.err(f"error: {exc}\nSee '{cmd.command_path} --help' for usage.\n")
            return 1
        if parsed.bool("help"):
            ctx.out(cmd.help_text())
            return 0
        if not cmd.path:
            if parsed.args:
                return _unknown_command(ctx, cmd, parsed.args[0])
            ctx.out(cmd.help_text())
            return 0
        key = " ".join(cmd.path)
        target = HANDLERS.get(key)
        if target is None:
            if cmd.is_group:
                return _group(ctx, cmd, parsed.args)
            raise KubectlError(f"kubectl {key} {_UNSUPPORTED_HINT}")
        module, _, attr = target.partition(":")
        fn = getattr(importlib.import_module(module), attr)
        inv = Invocation(ctx, cmd, parsed)
        result = fn(inv)
        return int(result or 0)
    except Exit as stop:
        return stop.code
    except KubectlError as exc:
        ctx.err(exc.render())
        return exc.exit_code
    except ApiError as exc:
        ctx.err(exc.kubectl_text() + "\n")
        return 1
    except (KeyboardInterrupt, SystemExit):
        raise
    except Exception as exc:  # noqa: BLE001 - a learner never sees a traceback from kubectl
        if RAISE_INTERNAL or type(exc).__name__ in ("Interrupted", "BudgetExceeded", "DeadlineExceeded"):
            raise
        ctx.err(f"error: {exc}\n")
        return 1


def _unknown_command(ctx: Any, cmd: Command, word: str) -> int:
    msg = f'error: unknown command "{word}" for "kubectl"\n'
    suggestions = cmd.suggestions(word)
    if suggestions:
        msg += "\nDid you mean this?\n" + "".join(f"\t{s}\n" for s in suggestions)
    ctx.err(msg)
    return 1


def _group(ctx: Any, cmd: Command, args: list[str]) -> int:
    """cmdutil.DefaultSubCommandRun: help (exit 1) without args, a usage error with them."""
    if args:
        raise UsageError(f'unknown command "{" ".join(args)}"', cmd.command_path)
    (ctx.out if cmd.help_to_stdout else ctx.err)(cmd.help_text())
    return 1
