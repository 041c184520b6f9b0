"""``kubectl exec`` (pkg/cmd/exec): run a command in a container; ``-it <shell>`` opens a nested session."""

from __future__ import annotations

from typing import Any

from sandbox.kubectl import pods
from sandbox.kubectl.errors import Exit, KubectlError
from sandbox.kubectl.invocation import Invocation

SHELLS = {"sh", "bash", "ash", "dash", "zsh"}


def oci_not_found(name: str) -> str:
    return (f'OCI runtime exec failed: exec failed: unable to start container process: exec: "{name}": '
            "executable file not found in $PATH: unknown\r\n")


def containerd_not_found(inv: Invocation, name: str) -> str:
    """What kubectl prints when containerd cannot start the exec (pod-tools.md, "kubectl exec with a
    missing binary"): an API error with the exec id, on stderr, exit 1."""
    exec_id = f"{inv.cluster.rng.getrandbits(256):064x}"
    what = f'exec: "{name}": stat {name}: no such file or directory' if "/" in name else \
        f'exec: "{name}": executable file not found in $PATH'
    return ("error: Internal error occurred: Internal error occurred: error executing command in container: "
            f'failed to exec in container: failed to start exec "{exec_id}": OCI runtime exec failed: exec failed: '
            f"unable to start container process: {what}: unknown\n")


def container_host(inv: Invocation, pod: dict[str, Any], container: str) -> Any:
    from sandbox.shell.hosts import container_host as build

    host = build(inv.ctx.lab, pod, container)
    if host is None:
        raise KubectlError(f'unable to upgrade connection: container not found ("{container}")')
    return host


def is_interactive_shell(argv: list[str]) -> bool:
    return len(argv) == 1 and argv[0].rsplit("/", 1)[-1] in SHELLS or (
        len(argv) == 2 and argv[0].rsplit("/", 1)[-1] in SHELLS and argv[1] in ("-i", "-l", "--login"))


def setup_tty(inv: Invocation, stdin: bool, tty: bool, quiet: bool) -> bool:
    """StreamOptions.SetupTTY: a TTY needs -i and a terminal on our side."""
    if not stdin or not tty:
        return False
    if not getattr(inv.ctx, "stdin_tty", False):
        if not quiet:
            inv.err("Unable to use a TTY - input is not a terminal or the right kind of file\n")
        return False
    return True


def run_in_container(inv: Invocation, host: Any, argv: list[str], *, stdin: bool, tty: bool) -> int:
    """Run ``argv`` in the container, streaming its output; non-zero exits are reported like kubectl."""
    if host.find_executable(argv[0]) is None:
        inv.err(containerd_not_found(inv, argv[0]))
        return 1
    if stdin and tty and is_interactive_shell(argv):
        def on_exit(ctx: Any, status: int) -> int:
            if status != 0:
                ctx.err(f"command terminated with exit code {status}\n")
            return status

        inv.ctx.push_session(host, argv[0], on_exit=on_exit)
        return 0
    result = inv.ctx.exec(host, argv, stdin=inv.ctx.stdin if stdin else "", tty=tty)
    if tty:
        inv.out(result.stdout + result.stderr)   # a TTY has one output stream
    else:
        inv.out(result.stdout)
        inv.err(result.stderr)
    if result.exit_code != 0:
        inv.err(f"command terminated with exit code {result.exit_code}\n")
    return result.exit_code


def exec_(inv: Invocation) -> int:
    args = inv.args
    dash = inv.flags.dash_at
    resource = ""
    if args and dash != 0:
        resource = args[0]
    if dash in (0, 1):
        command = args[dash:]
    elif len(args) > 1 or (args and inv.flags.list("filename")):
        raise inv.usage_error("exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead")
    else:
        command = []
    if not resource and not inv.flags.list("filename"):
        raise KubectlError("pod, type/name or --filename must be specified")
    if not command:
        raise KubectlError("you must specify at least one command for the container")
    cluster = inv.cluster
    pod = pods.pod_for(cluster, inv.namespace, resource)
    phase = (pod.get("status") or {}).get("phase", "Pending")
    if phase in ("Succeeded", "Failed"):
        raise KubectlError(f"cannot exec into a container in a completed pod; current phase is {phase}")
    quiet = inv.flags.bool("quiet")
    container = pods.pick_container(pod, inv.flags.str("container"), inv.err, quiet=quiet)
    state = pods.container_state(pod, container["name"])
    if "running" not in (state.get("state") or {}):
        raise KubectlError(f'unable to upgrade connection: container not found ("{container["name"]}")')
    stdin = inv.flags.bool("stdin")
    tty = setup_tty(inv, stdin, inv.flags.bool("tty"), quiet)
    host = container_host(inv, pod, container["name"])
    code = run_in_container(inv, host, command, stdin=stdin, tty=tty)
    if code:
        raise Exit(code)
    return 0
