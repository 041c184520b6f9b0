"""Text editors (vi, vim, nano): the lab has no terminal of its own, so the front end lends its editor.

The hook is ``lab.editor(path, text) -> str | None`` (the same one ``kubectl edit`` uses): it returns the
saved text, or None when the learner quits without saving. Without a hook (``kubelab run``, tests) the
editors behave as they do with no terminal attached.
"""

from __future__ import annotations

from sandbox.shell.coreutils._util import is_busybox
from sandbox.shell.registry import CommandContext, FileError


def vi_cmd(ctx: CommandContext) -> int:
    prog = ctx.argv[0]
    files = [a for a in ctx.argv[1:] if not a.startswith(("-", "+"))]
    hook = getattr(ctx, "editor", None) or getattr(ctx.lab, "editor", None)
    if hook is None or not ctx.tty:
        if prog == "nano":
            ctx.err("Too many errors from stdin\n" if not ctx.stdin_tty else "Error opening terminal: unknown.\n")
            return 1
        if is_busybox(ctx):
            ctx.err("vi: can't get terminal size\n" if ctx.tty else "")
            return 1
        ctx.err("Vim: Warning: Output is not to a terminal\nVim: Warning: Input is not from a terminal\n")
        return 1
    if not files:
        files = ["[No Name]"]
    for name in files:
        path = ctx.resolve_path(name) if name != "[No Name]" else None
        try:
            text = ctx.read_file(name) if path is not None and ctx.exists(name) else ""
        except FileError as e:
            ctx.err(f'"{name}" [{e.strerror}]\n')
            return 1
        if path is not None and ctx.is_dir(name):
            ctx.err(f'"{name}" is a directory\n')
            return 1
        saved = hook(name, text)
        if saved is not None and path is not None:
            try:
                ctx.write_file(name, saved)
            except FileError as e:
                ctx.err(f'"{name}" E212: Can\'t open file for writing: {e.strerror}\n')
                return 1
    return 0


vim_cmd = nano_cmd = vi_cmd
