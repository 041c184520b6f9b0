"""The lab's command line: a POSIX-style shell (bash, dash and busybox-ash flavours) over per-host
virtual filesystems.

Modules (one job each):
  registry   the command plug-in interface (``CommandContext``, ``register``, ``register_lazy``)
  commands   the central table "command name -> module:function" (imported lazily); it also reads the
             tables other layers publish (``sandbox.tools.TOOLS``, ``sandbox.network.clients.TOOLS``)
  host       ``Host``: a node or a container (files, programs, shell flavour, prompt, network identity)
  hosts      building node and container hosts from the cluster and the image catalogue
  vfs        ``VirtualFS``: in-memory files, never the real disk
  nodes      the syntax tree
  lexer      shell text -> tokens and words (quotes, expansions, heredocs kept structured)
  parser     tokens -> syntax tree, ``needs_more``, each shell's syntax-error wording
  expand     parameter/command/arithmetic/brace expansion, word splitting, globbing
  arith      ``$(( ))`` arithmetic
  state      one shell process's variables, options, functions; control-flow signals
  interp     the interpreter: pipelines, redirections, compound commands, step budget, interrupts
  builtins   cd, export, set, read, source, alias, ... (they change the shell itself)
  io         file descriptors: terminal, pipe buffers, files, stdin
  session    the stack of interactive shells (``ssh``, ``kubectl exec -it`` push; ``exit`` pops)
  coreutils/ echo, cat, ls, grep, sed, awk, jq, ... with GNU (nodes, Debian images) or busybox behaviour

Writing a command (see ``registry`` for the full interface)::

    def curl(ctx: CommandContext) -> int:
        ctx.out("hello\\n"); return 0
    # sandbox/shell/commands.py: TABLE["curl"] = "sandbox.network.clients.curl:curl"

Importing this package is cheap: nothing below is imported until used.
"""
