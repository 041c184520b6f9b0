"""The lab's kubectl: a faithful re-implementation of kubectl v1.37 over the simulated cluster.

Layout (one job per module):
  cli.py          entry point ``kubectl(ctx)``; cobra flow, checkErr rendering, command dispatch table
  commands.py     command tree, aliases, help texts and flag sets derived from ``data/help`` (real help)
  flags.py        pflag parsing and Go value syntax (ints, bools, durations, slices)
  invocation.py   one run: context, flags, namespace, dry-run, the cluster
  kubeconfig.py   ~/.kube/config in the lab filesystem; ``config`` subcommands in cmd_config.py
  output.py       ``-o`` printer selection (formatting lives in ``printers/``)
  manifests.py    ``-f`` files, folders, stdin; YAML decoding with the builder's messages
  resolve.py      TYPE/NAME argument resolution; pods.py picks pods/containers for exec/logs/attach
  generators.py   client-side objects (create service/deployment/namespace/configmap, run, expose)
  cmd_*.py        the verbs
Editor hook (``kubectl edit``): ``ctx.editor`` or ``ctx.lab.editor``, ``editor(filename, text) -> str | None``.
"""
