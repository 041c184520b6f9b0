"""Shells as programs (``sh -c``, ``bash script.sh``, ``cat x | sh``, an interactive ``bash``) and ``ssh``."""

from __future__ import annotations

import posixpath

from sandbox.shell.io import IO, Stdin, Writer
from sandbox.shell.registry import CommandContext, FileError
from sandbox.shell.session import shell_flavour


class _Out(Writer):
    def __init__(self, fn, tty: bool) -> None:
        self.fn = fn
        self.is_tty = tty

    def write(self, text: str) -> None:
        self.fn(text)


def sh_cmd(ctx: CommandContext) -> int:
    argv = ctx.argv
    prog = posixpath.basename(argv[0])
    interp = ctx.lab.interp
    flavour, name = shell_flavour(ctx.host, argv[0] if prog != "sh" else argv[0])
    options: set[str] = set()
    command: str | None = None
    args = argv[1:]
    i = 0
    login = False
    force_stdin = False
    while i < len(args):
        a = args[i]
        if a == "-c":
            if i + 1 >= len(args):
                ctx.err(f"{name}: -c: option requires an argument\n" if flavour == "bash" else
                        f"{name}: -c requires an argument\n")
                return 2
            command = args[i + 1]
            args = args[i + 2:]
            break
        if a in ("-l", "--login"):
            login = True
        elif a == "-s":
            force_stdin = True
        elif a in ("--norc", "--noprofile", "--posix", "-i"):
            pass
        elif a.startswith("-") and len(a) > 1 and a[1:].isalpha():
            if "c" in a[1:]:
                rest = a[1:].replace("c", "")
                options.update(ch for ch in rest if ch in "exuf")
                if i + 1 >= len(args):
                    ctx.err(f"{name}: -c: option requires an argument\n")
                    return 2
                command = args[i + 1]
                args = args[i + 2:]
                break
            options.update(ch for ch in a[1:] if ch in "exuf")
        elif a == "--":
            i += 1
            args = args[i:]
            break
        else:
            args = args[i:]
            break
        i += 1
    else:
        args = []
    del login
    env = dict(ctx.env)
    out = _Out(ctx.out, ctx.tty)
    err = _Out(ctx.err, ctx.tty)
    stdin_src = ctx._stdin_src if not isinstance(ctx._stdin_src, str) else Stdin(ctx._stdin_src)  # noqa: SLF001
    if command is not None:
        st = interp.new_state(ctx.host, flavour=flavour, name=args[0] if args else name, env=env, cwd=ctx.cwd,
                              interactive=False)
        st.name = name if not args else args[0]
        st.argv0 = args[0] if args else name
        st.positional = args[1:]
        st.options |= options
        st.mode = "-c"
        io = IO(stdin_src, out, err)
        return interp.run_sub(st, command, io)
    if args and not force_stdin:
        script = args[0]
        try:
            text = ctx.read_file(script)
        except FileError as e:
            if flavour == "bash":
                ctx.err(f"{name}: {script}: {e.strerror}\n")
                return 127
            if flavour == "dash":
                ctx.err(f"{name}: 0: cannot open {script}: No such file\n")
                return 2
            ctx.err(f"{name}: can't open '{script}': {e.strerror}\n")
            return 2
        st = interp.new_state(ctx.host, flavour=flavour, name=script, env=env, cwd=ctx.cwd, interactive=False)
        st.mode = "script"
        st.argv0 = script
        st.positional = args[1:]
        st.options |= options
        return interp.run_sub(st, text, IO(stdin_src, out, err))
    if not ctx.stdin_tty or force_stdin:
        text = ctx.stdin
        st = interp.new_state(ctx.host, flavour=flavour, name=name, env=env, cwd=ctx.cwd, interactive=False)
        st.positional = args
        st.options |= options
        return interp.run_sub(st, text, IO(Stdin(""), out, err))
    # an interactive shell inside the current one
    ctx.push_session(ctx.host, argv[0], cwd=ctx.cwd, env=env)
    return 0


bash_cmd = dash_cmd = ash_cmd = zsh_cmd = sh_cmd


def ssh_cmd(ctx: CommandContext) -> int:
    args = ctx.argv[1:]
    target = None
    rest: list[str] = []
    i = 0
    while i < len(args):
        a = args[i]
        if target is None and a.startswith("-"):
            if a in ("-p", "-i", "-l", "-o", "-F", "-J", "-L", "-R", "-D", "-E", "-b", "-c", "-m", "-O", "-Q",
                     "-S", "-W", "-w", "-e", "-B", "-I"):
                i += 1
            i += 1
            continue
        if target is None:
            target = a
        else:
            rest = args[i:]
            break
        i += 1
    if target is None:
        ctx.err("usage: ssh [-46AaCfGgKkMNnqsTtVvXxYy] [-B bind_interface] [-b bind_address]\n"
                "           [-c cipher_spec] [-D [bind_address:]port] [-E log_file]\n"
                "           [-e escape_char] [-F configfile] [-I pkcs11] [-i identity_file]\n"
                "           [-J destination] [-L address] [-l login_name] [-m mac_spec]\n"
                "           [-O ctl_cmd] [-o option] [-P tag] [-p port] [-R address]\n"
                "           [-S ctl_path] [-W host:port] [-w local_tun[:remote_tun]]\n"
                "           destination [command [argument ...]]\n")
        return 255
    hostname = target.split("@", 1)[-1]
    host = ctx.lab.host_by_name(hostname)
    if host is None:
        ctx.err(f"ssh: Could not resolve hostname {hostname}: Name or service not known\n")
        return 255
    if rest:
        command = " ".join(rest)
        res = ctx.exec(host, ["bash", "-c", command], stdin=ctx.stdin if not ctx.stdin_tty else "")
        ctx.out(res.stdout)
        ctx.err(res.stderr)
        return res.exit_code

    def closed(exit_ctx: CommandContext, status: int) -> int:
        exit_ctx.err(f"Connection to {hostname} closed.\n")
        return status

    ctx.push_session(host, "bash", on_exit=closed)
    return 0


def sudo_cmd(ctx: CommandContext) -> int:
    """The lab's user is already root: ``sudo CMD`` runs CMD, ``sudo -i``/``sudo -s`` open a root shell."""
    args = ctx.argv[1:]
    login = shell = False
    while args and args[0].startswith("-"):
        a = args.pop(0)
        if a in ("-u", "-g", "-C", "-h", "-p", "-U") and args and a != "-h":
            args.pop(0)
        elif a == "-i":
            login = True
        elif a == "-s":
            shell = True
        elif a == "--":
            break
        elif a in ("-h", "--help", "-V", "--version"):
            ctx.out("Sudo version 1.9.15p5\n" if a in ("-V", "--version") else
                    "usage: sudo -h | -K | -k | -V\nusage: sudo -v [-ABkNnS] [-g group] [-h host] [-p prompt] [-u user]\n")
            return 0
    if not args:
        if login or shell:
            ctx.push_session(ctx.host, "bash", cwd=ctx.host.home if login else ctx.cwd)
            return 0
        ctx.err("usage: sudo -h | -K | -k | -V\n"
                "usage: sudo -v [-ABkNnS] [-g group] [-h host] [-p prompt] [-u user]\n"
                "usage: sudo -l [-ABkNnS] [-g group] [-h host] [-p prompt] [-U user] [-u user] [command [arg ...]]\n"
                "usage: sudo [-ABbEHkNnPS] [-r role] [-t type] [-C num] [-D directory] [-g group] [-h host] [-p\n"
                "            prompt] [-R directory] [-T timeout] [-u user] [VAR=value] [-i | -s] [<command>]\n"
                "usage: sudo -e [-ABkNnS] [-r role] [-t type] [-C num] [-D directory] [-g group] [-h host] [-p\n"
                "            prompt] [-R directory] [-T timeout] [-u user] file ...\n")
        return 1
    if not ctx.host.has(args[0]):
        ctx.err(f"sudo: {args[0]}: command not found\n")
        return 1
    res = ctx.exec(ctx.host, args, stdin=ctx.stdin if not ctx.stdin_tty else "", env=ctx.env, cwd=ctx.cwd,
                   tty=ctx.tty)
    ctx.out(res.stdout)
    ctx.err(res.stderr)
    return res.exit_code
