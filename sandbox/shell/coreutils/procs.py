"""``ps`` in busybox images: PID 1 is the container's own command (from the pod spec and the image),
then the shells the learner opened and ``ps`` itself. Other ps flavours are not simulated."""

from __future__ import annotations

from sandbox.shell.coreutils._util import is_busybox
from sandbox.shell.registry import CommandContext


def _main_argv(ctx: CommandContext) -> list[str]:
    host = ctx.host
    if host.pod is None:
        return []
    from sandbox.workloads import image_info
    from sandbox.workloads.programs import container_argv

    spec = host.pod.get("spec", {})
    cdef = next((c for c in spec.get("containers") or [] if c.get("name") == host.container), None)
    image = image_info(cdef.get("image", "")) if cdef else None
    return container_argv(image, cdef) if image is not None and cdef is not None else []


def ps_cmd(ctx: CommandContext) -> int:
    if ctx.host.kind != "container" or not is_busybox(ctx):
        ctx.err("kubelab: ps: this program exists here but is not simulated in the lab\n")
        return 127
    user = ctx.host.user[:8]
    rows: list[tuple[int, str]] = []
    argv = _main_argv(ctx)
    rows.append((1, " ".join(argv) if argv else "sh"))
    lab = ctx.lab
    pid = 1
    for sess in getattr(lab, "sessions", [])[1:]:
        if sess.host is ctx.host:
            pid = max(pid + 6, sess.state.pid)
            rows.append((pid, sess.user_shell))
    shell = getattr(ctx, "shell", None)
    if shell is not None and not shell.interactive and shell.mode != "exec":
        pid += 6
        rows.append((pid, shell.name))
    rows.append((pid + 6, " ".join(ctx.argv)))
    out = ["PID   USER     TIME  COMMAND\n"]
    for p, cmd in rows:
        out.append(f"{p:5d} {user:<8} {0:2d}:{0:02d} {cmd}\n")
    ctx.out("".join(out))
    return 0
