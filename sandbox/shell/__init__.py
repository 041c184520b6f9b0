"""The lab's command line: a POSIX-style shell over per-host virtual filesystems.

Modules (one job each):
  registry   the command plug-in interface (``CommandContext``, ``register``, ``register_lazy``)
  commands   the central table "command name -> module:function" (imported lazily)
  host       ``Host``: a node or a container (files, programs, shell flavour, prompt)
  hosts      building node and container hosts from the cluster and the image catalogue
  vfs        ``VirtualFS``: in-memory files, never the real disk
  lexer, parser, ast   shell text -> syntax tree (bash's own syntax-error messages)
  expand     parameter/command/arithmetic expansion, word splitting, globbing
  interp     the interpreter (builtins, pipelines, redirections, loops with a step budget)
  session    the stack of interactive shells (``ssh``, ``kubectl exec -it`` push; ``exit`` pops)
  coreutils/ echo, cat, grep, sed, awk, jq, ... with GNU or busybox behaviour

Writing a command (see ``registry`` for the full interface)::

    def curl(ctx: CommandContext) -> int:
        ctx.out("hello\\n"); return 0
    # sandbox/shell/commands.py: TABLE["curl"] = "sandbox.network.tools.curl:curl"

Importing this package is cheap: nothing below is imported until used.
"""
