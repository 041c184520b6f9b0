"""Shell builtins (cd, export, set, read, source, alias, ...): they change the shell itself, so they run
inside the interpreter instead of as programs. Each is ``fn(interp, state, argv, io) -> status``."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from sandbox.shell.expand import ExpansionError, arith
from sandbox.shell.host import BUILTINS
from sandbox.shell.io import IO
from sandbox.shell.parser import Parser, ShellSyntaxError, format_error
from sandbox.shell.registry import FileError
from sandbox.shell.state import BUILTIN_COMMANDS, ExitShell, ShellState, _Break, _Continue, _Return

if TYPE_CHECKING:  # pragma: no cover
    from sandbox.shell.interp import Interpreter


def b_colon(interp: Interpreter, st: ShellState, argv: list[str], io: IO) -> int:
    return 0


def b_cd(interp: Interpreter, st: ShellState, argv: list[str], io: IO) -> int:
    args = [a for a in argv[1:] if a not in ("-L", "-P")]
    if len(args) > 1 and st.flavour == "bash":
        io.err.write(f"{st.prefix()}cd: too many arguments\n")
        return 1
    fs = st.host.fs
    if not args or args[0] == "~":
        target = st.get("HOME", st.home) if st.is_set("HOME") else st.home
        if not target:
            io.err.write(f"{st.prefix()}cd: HOME not set\n")
            return 1
    elif args[0] == "-":
        if not st.is_set("OLDPWD"):
            io.err.write(f"{st.prefix()}cd: OLDPWD not set\n")
            return 1
        target = st.get("OLDPWD")
        io.out.write(target + "\n")
    else:
        target = args[0]
    path = fs.resolve(target, st.cwd, st.home)
    if not fs.exists(path) or not fs.is_dir(path):
        reason = "No such file or directory" if not fs.exists(path) else "Not a directory"
        if st.flavour == "bash":
            io.err.write(f"{st.prefix()}cd: {target}: {reason}\n")
        elif st.flavour == "dash":
            io.err.write(f"{st.prefix()}cd: can't cd to {target}\n")
        else:
            io.err.write(f"{st.prefix()}cd: can't cd to {target}: {reason}\n")
        return 1 if st.flavour != "dash" else 2
    st.vars["OLDPWD"] = st.cwd
    st.exported.add("OLDPWD")
    st.cwd = path
    st.vars["PWD"] = path
    return 0


def b_export(interp: Interpreter, st: ShellState, argv: list[str], io: IO) -> int:
    args = argv[1:]
    unexport = False
    if args and args[0] in ("-p",):
        args = args[1:]
    if args and args[0] == "-n":
        unexport, args = True, args[1:]
    if not args:
        for k in sorted(st.exported):
            if k in st.vars:
                io.out.write(_declare_line(st, k))
        return 0
    status = 0
    for a in args:
        name, eq, value = a.partition("=")
        if not re.fullmatch(r"[A-Za-z_]\w*", name):
            io.err.write(f"{st.prefix()}export: `{a}': not a valid identifier\n" if st.flavour == "bash"
                         else f"{st.prefix()}export: {a}: bad variable name\n")
            status = 1
            continue
        if unexport:
            st.exported.discard(name)
            continue
        if eq:
            st.set(name, value)
        st.exported.add(name)
    return status


def b_readonly(interp: Interpreter, st: ShellState, argv: list[str], io: IO) -> int:
    for a in argv[1:]:
        if a.startswith("-"):
            continue
        name, eq, value = a.partition("=")
        if eq:
            st.set(name, value)
        st.readonly.add(name)
    return 0


def b_declare(interp: Interpreter, st: ShellState, argv: list[str], io: IO) -> int:
    flags = "".join(a[1:] for a in argv[1:] if a.startswith("-"))
    names = [a for a in argv[1:] if not a.startswith("-")]
    if not names:
        for k in sorted(st.vars):
            if "x" in flags and k not in st.exported:
                continue
            io.out.write(_declare_line(st, k))
        return 0
    for a in names:
        name, eq, value = a.partition("=")
        if st.locals and argv[0] in ("local", "declare", "typeset"):
            frame = st.locals[-1]
            if name not in frame:
                frame[name] = st.vars.get(name)
        if eq:
            st.set(name, value)
        elif argv[0] == "local":
            st.vars.setdefault(name, "")
        if "x" in flags:
            st.exported.add(name)
        if "r" in flags:
            st.readonly.add(name)
    return 0


def b_local(interp: Interpreter, st: ShellState, argv: list[str], io: IO) -> int:
    if not st.locals:
        io.err.write(f"{st.prefix()}local: can only be used in a function\n")
        return 1
    return b_declare(interp, st, argv, io)


def b_unset(interp: Interpreter, st: ShellState, argv: list[str], io: IO) -> int:
    funcs = "-f" in argv[1:]
    for a in argv[1:]:
        if a.startswith("-"):
            continue
        if funcs:
            st.functions.pop(a, None)
            continue
        existed = a in st.vars
        try:
            st.unset(a)
        except ExpansionError as e:
            io.err.write(f"{st.prefix()}unset: {e.message}\n")
            return 1
        if not existed and "-v" not in argv[1:]:
            st.functions.pop(a, None)  # no such variable: bash unsets the function of that name
    return 0


def b_set(interp: Interpreter, st: ShellState, argv: list[str], io: IO) -> int:
    args = argv[1:]
    if not args:
        for k in sorted(st.vars):
            io.out.write(_declare_line(st, k, plain=True))
        return 0
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--":
            st.positional = args[i + 1:]
            return 0
        if a in ("-o", "+o"):
            if i + 1 < len(args):
                opt = args[i + 1]
                opt = {"errexit": "e", "nounset": "u", "xtrace": "x", "noglob": "f"}.get(opt, opt)
                (st.options.add if a == "-o" else st.options.discard)(opt)
                i += 2
                continue
            for o in ("errexit", "nounset", "pipefail", "xtrace"):
                key = {"errexit": "e", "nounset": "u", "xtrace": "x"}.get(o, o)
                io.out.write(f"{o:<15}\t{'on' if key in st.options else 'off'}\n")
            return 0
        if a[:1] in "-+" and len(a) > 1:
            for ch in a[1:]:
                if ch not in "euxfvnhbmC":
                    io.err.write(f"{st.prefix()}set: {a[0]}{ch}: invalid option\n")
                    return 2 if st.flavour != "bash" else 1
                (st.options.add if a[0] == "-" else st.options.discard)(ch)
            i += 1
            continue
        st.positional = args[i:]
        return 0
    return 0


def b_shift(interp: Interpreter, st: ShellState, argv: list[str], io: IO) -> int:
    n = int(argv[1]) if len(argv) > 1 and argv[1].isdigit() else 1
    if n > len(st.positional):
        return 1
    st.positional = st.positional[n:]
    return 0


def b_exit(interp: Interpreter, st: ShellState, argv: list[str], io: IO) -> int:
    status = st.status
    if len(argv) > 1:
        try:
            status = int(argv[1]) & 0xFF
        except ValueError:
            if st.flavour == "bash":
                io.err.write(f"{st.prefix()}exit: {argv[1]}: numeric argument required\n")
                status = 2
            else:
                io.err.write(f"{st.prefix()}exit: Illegal number: {argv[1]}\n")
                return 2
    raise ExitShell(status)


def b_return(interp: Interpreter, st: ShellState, argv: list[str], io: IO) -> int:
    status = st.status
    if len(argv) > 1:
        try:
            status = int(argv[1]) & 0xFF
        except ValueError:
            io.err.write(f"{st.prefix()}return: {argv[1]}: numeric argument required\n")
            status = 2
    if not st.locals:
        io.err.write(f"{st.prefix()}return: can only `return' from a function or sourced script\n")
        return 1
    raise _Return(status)


def b_break(interp: Interpreter, st: ShellState, argv: list[str], io: IO) -> int:
    n = int(argv[1]) if len(argv) > 1 and argv[1].isdigit() else 1
    if st.loop_depth == 0:
        if st.flavour == "bash":
            io.err.write(f"{st.prefix()}{argv[0]}: only meaningful in a `for', `while', or `until' loop\n")
        return 0
    raise (_Break(n) if argv[0] == "break" else _Continue(n))


def b_source(interp: Interpreter, st: ShellState, argv: list[str], io: IO) -> int:
    if len(argv) < 2:
        io.err.write(f"{st.prefix()}{argv[0]}: filename argument required\n"
                     f"{argv[0]}: usage: {argv[0]} filename [arguments]\n")
        return 2
    fs = st.host.fs
    path = fs.resolve(argv[1], st.cwd, st.home)
    try:
        text = fs.read(path, display=argv[1])
    except FileError as e:
        io.err.write(f"{st.prefix()}{e}\n")
        return 1
    saved = st.positional
    if len(argv) > 2:
        st.positional = argv[2:]
    interactive = st.interactive
    st.interactive = False
    st.locals.append({})
    try:
        return interp.run_text(st, text, io, script=True)
    except _Return as r:
        return r.status
    finally:
        st.locals.pop()
        st.interactive = interactive
        st.positional = saved


def b_eval(interp: Interpreter, st: ShellState, argv: list[str], io: IO) -> int:
    text = " ".join(argv[1:])
    if not text.strip():
        return 0
    try:
        prog = Parser(text, eof_heredoc_ok=True).parse_all()
    except ShellSyntaxError as e:
        io.err.write(format_error(e, st.flavour, st.name, interactive=st.interactive, mode="eval", text=text))
        return 2
    return interp.exec_program(st, prog, io)


def b_exec(interp: Interpreter, st: ShellState, argv: list[str], io: IO) -> int:
    if len(argv) == 1:
        return 0
    status = interp.run_argv(st, argv[1:], io)
    raise ExitShell(status)


def b_alias(interp: Interpreter, st: ShellState, argv: list[str], io: IO) -> int:
    if len(argv) == 1 or argv[1:] == ["-p"]:
        for k in sorted(st.aliases):
            io.out.write(f"alias {k}={_shell_quote(st.aliases[k])}\n")
        return 0
    status = 0
    for a in argv[1:]:
        name, eq, value = a.partition("=")
        if eq:
            st.aliases[name] = value
        elif name in st.aliases:
            io.out.write(f"alias {name}={_shell_quote(st.aliases[name])}\n")
        else:
            io.err.write(f"{st.prefix()}alias: {name}: not found\n")
            status = 1
    return status


def b_unalias(interp: Interpreter, st: ShellState, argv: list[str], io: IO) -> int:
    if "-a" in argv[1:]:
        st.aliases.clear()
        return 0
    status = 0
    for a in argv[1:]:
        if st.aliases.pop(a, None) is None:
            io.err.write(f"{st.prefix()}unalias: {a}: not found\n")
            status = 1
    return status


def b_read(interp: Interpreter, st: ShellState, argv: list[str], io: IO) -> int:
    args = argv[1:]
    raw = False
    prompt = None
    array: str | None = None
    names: list[str] = []
    i = 0
    while i < len(args):
        a = args[i]
        if a == "-r":
            raw = True
        elif a in ("-a", "-ra", "-ar") and i + 1 < len(args) and st.flavour == "bash":
            raw = raw or a != "-a"
            array = args[i + 1]
            i += 1
        elif a == "-p" and i + 1 < len(args):
            prompt = args[i + 1]
            i += 1
        elif a in ("-s", "-e"):
            pass
        elif a in ("-t", "-n", "-d", "-u") and i + 1 < len(args):
            i += 1
        else:
            names.append(a)
        i += 1
    if prompt and io.stdin.is_tty:
        io.err.write(prompt)
    line = io.stdin.read_line()
    if line is None:
        for n in names or ["REPLY"]:
            st.set(n, "")
        return 1
    text = line[:-1] if line.endswith("\n") else line
    if not raw:
        while text.endswith("\\"):
            nxt = io.stdin.read_line()
            text = text[:-1] + ((nxt[:-1] if nxt and nxt.endswith("\n") else nxt) or "")
            if nxt is None:
                break
        text = re.sub(r"\\(.)", r"\1", text)
    if array is not None:
        ifs = st.get("IFS", " \t\n")
        fields = text.split() if ifs == " \t\n" else re.split("[" + re.escape(ifs) + "]", text) if ifs else [text]
        st.set_array(array, dict(enumerate(fields)))
        return 0 if line.endswith("\n") else 1
    if not names:
        st.set("REPLY", text)
        return 0 if line.endswith("\n") else 1
    ifs = st.get("IFS", " \t\n")
    ws = "".join(c for c in ifs if c in " \t\n")
    text = text.strip(ws) if ws else text
    fields: list[str] = []
    rest = text
    for idx in range(len(names)):
        if idx == len(names) - 1:
            fields.append(rest.rstrip(ws) if ws else rest)
            break
        m = re.match(r"([^" + re.escape(ifs) + r"]*)[" + re.escape(ifs) + r"]*", rest) if ifs else None
        if m is None or not rest:
            fields.append(rest)
            rest = ""
            continue
        fields.append(m.group(1))
        rest = rest[m.end():]
    for n, v in zip(names, fields + [""] * (len(names) - len(fields)), strict=False):
        st.set(n, v)
    return 0 if line.endswith("\n") else 1


def b_type(interp: Interpreter, st: ShellState, argv: list[str], io: IO) -> int:
    status = 0
    for name in argv[1:]:
        if name.startswith("-"):
            continue
        if name in st.aliases:
            io.out.write(f"{name} is aliased to `{st.aliases[name]}'\n" if st.flavour == "bash"
                         else f"{name} is an alias for {st.aliases[name]}\n")
        elif name in st.functions:
            io.out.write(f"{name} is a function\n" if st.flavour != "bash" else f"{name} is a function\n")
        elif name in ("if", "then", "else", "elif", "fi", "for", "while", "until", "do", "done", "case", "esac"):
            io.out.write(f"{name} is a shell keyword\n")
        elif name in BUILTINS or name in BUILTIN_COMMANDS:
            io.out.write(f"{name} is a shell builtin\n")
        elif (path := st.host.find_executable(name)) is not None:
            if st.flavour == "bash":
                io.out.write(f"{name} is {path}\n")
            else:
                io.out.write(f"{name} is {path}\n")
        else:
            if st.flavour == "bash":
                io.err.write(f"{st.prefix()}type: {name}: not found\n")
            else:
                io.out.write(f"{name}: not found\n")
            status = 127 if st.flavour == "dash" else 1
    return status


def b_command(interp: Interpreter, st: ShellState, argv: list[str], io: IO) -> int:
    args = argv[1:]
    if args and args[0] in ("-v", "-V"):
        status = 0
        for name in args[1:]:
            if name in BUILTINS or name in BUILTIN_COMMANDS or name in st.functions:
                io.out.write(name + "\n")
            elif name in st.aliases:
                io.out.write(f"alias {name}={_shell_quote(st.aliases[name])}\n")
            elif (path := st.host.find_executable(name)) is not None:
                io.out.write(path + "\n")
            else:
                status = 1
        return status
    if not args:
        return 0
    return interp.run_program(st, args, io, st.environ()) if args[0] not in _NAMES else \
        interp.run_argv(st, args, io)


def b_let(interp: Interpreter, st: ShellState, argv: list[str], io: IO) -> int:
    if len(argv) < 2:
        io.err.write(f"{st.prefix()}let: expression expected\n")
        return 1
    value = 0
    try:
        for a in argv[1:]:
            value = arith(interp, st, a)
    except ExpansionError as e:
        io.err.write(f"{st.prefix()}let: {e.message}\n")
        return 1
    return 0 if value else 1


def b_noop(interp: Interpreter, st: ShellState, argv: list[str], io: IO) -> int:
    return 0


def b_umask(interp: Interpreter, st: ShellState, argv: list[str], io: IO) -> int:
    if len(argv) == 1:
        io.out.write("0022\n")
    return 0


def b_jobs(interp: Interpreter, st: ShellState, argv: list[str], io: IO) -> int:
    """Background servers (kubectl proxy &) are the only jobs still running once a line is done."""
    from sandbox.shell.interp import running_jobs

    jobs = running_jobs(st)
    for i, (n, text, _stops) in enumerate(jobs):
        mark = "+" if i == len(jobs) - 1 else ("-" if i == len(jobs) - 2 else " ")
        io.out.write(f"[{n}]{mark}  {'Running':<24}{text} &\n")
    return 0


def b_fg(interp: Interpreter, st: ShellState, argv: list[str], io: IO) -> int:
    """Jobs finish as soon as they start in the lab, except background servers (kubectl proxy &): ``fg``
    brings one back to serve in the foreground until ctrl+c, ``bg`` finds it already running."""
    from sandbox.shell.interp import running_jobs

    spec = argv[1] if len(argv) > 1 else "current"
    jobs = running_jobs(st)
    num = spec.lstrip("%") if spec != "current" else ""
    match = next((j for i, j in enumerate(jobs) if (num in ("", "%", "+") and i == len(jobs) - 1)
                  or num == str(j[0])), None)
    if match is not None:
        n, text, stops = match
        if argv[0] == "bg":
            io.err.write(f"{st.prefix()}bg: job {n} already in background\n")
            return 0
        io.out.write(text + "\n")
        try:
            while True:
                interp.lab._sleep(1.0)
                interp.check_interrupt()
        finally:
            jobs.remove(match)
            for stop in stops:
                stop()
    if st.flavour == "dash":
        io.err.write(f"{st.prefix()}{argv[0]}: No current job\n" if spec == "current" else
                     f"{st.prefix()}{argv[0]}: {spec}: no such job\n")
        return 2
    io.err.write(f"{st.prefix()}{argv[0]}: {spec}: no such job\n")
    return 1


def b_shopt(interp: Interpreter, st: ShellState, argv: list[str], io: IO) -> int:
    return 0


_NAMES = {
    ":": "colon", "cd": "cd", "export": "export", "unset": "unset", "set": "set", "shift": "shift",
    "exit": "exit", "logout": "exit", "return": "return", "break": "break", "continue": "break", "source": "source",
    ".": "source", "eval": "eval", "exec": "exec", "alias": "alias", "unalias": "unalias", "read": "read",
    "type": "type", "command": "command", "let": "let", "local": "local", "declare": "declare",
    "typeset": "declare", "readonly": "readonly", "trap": "noop", "wait": "noop", "hash": "noop",
    "umask": "umask", "jobs": "jobs", "shopt": "shopt", "complete": "noop", "compgen": "noop", "fg": "fg", "bg": "fg", "ulimit": "noop", "times": "noop",
}

#: builtin name -> implementation
TABLE: dict[str, Callable[[Interpreter, ShellState, list[str], IO], int]] = {
    name: globals()["b_" + fn] for name, fn in _NAMES.items()
}


def _shell_quote(value: str) -> str:
    return "'" + value.replace("'", "'\\''") + "'"


def _quote_for_trace(a: str) -> str:
    if a and re.fullmatch(r"[\w@%+=:,./-]+", a):
        return a
    return _shell_quote(a)


def _declare_line(st: ShellState, name: str, plain: bool = False) -> str:
    value = st.vars.get(name, "")
    if plain:
        if re.fullmatch(r"[\w@%+=:,./-]*", value) and value:
            return f"{name}={value}\n"
        return f"{name}={_shell_quote(value)}\n"
    if st.flavour == "bash":
        escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$").replace("`", "\\`")
        flags = "-x" if name in st.exported else "--"
        return f'declare {flags} {name}="{escaped}"\n'
    return f"export {name}={_shell_quote(value)}\n"


def b_getopts(interp: Interpreter, st: ShellState, argv: list[str], io: IO) -> int:
    """POSIX getopts: OPTIND/OPTARG in the shell, ``?`` and bash's messages for bad options."""
    if len(argv) < 3:
        io.err.write(f"{st.prefix()}getopts: usage: getopts optstring name [arg ...]\n")
        return 2
    spec, name = argv[1], argv[2]
    args = argv[3:] if len(argv) > 3 else list(st.positional)
    silent = spec.startswith(":")
    spec = spec.lstrip(":")
    try:
        optind = int(st.get("OPTIND", "1") or "1")
    except ValueError:
        optind = 1
    sub = int(st.vars.get("_GETOPTS_SUB", "0") or "0")
    if optind < 1 or optind > len(args):
        st.set(name, "?")
        st.vars.pop("_GETOPTS_SUB", None)
        return 1
    word = args[optind - 1]
    if sub == 0:
        if word == "--":
            st.set("OPTIND", str(optind + 1))
            st.set(name, "?")
            return 1
        if not word.startswith("-") or word == "-":
            st.set(name, "?")
            return 1
        sub = 1
    opt = word[sub]
    sub += 1
    at_end = sub >= len(word)

    def advance() -> None:
        if at_end:
            st.set("OPTIND", str(optind + 1))
            st.vars.pop("_GETOPTS_SUB", None)
        else:
            st.vars["_GETOPTS_SUB"] = str(sub)

    st.vars.pop("OPTARG", None)
    if opt not in spec or opt == ":":
        if silent:
            st.set("OPTARG", opt)
        else:
            io.err.write(f"{st.name}: illegal option -- {opt}\n" if st.flavour != "dash" else
                         f"Illegal option -{opt}\n")
        st.set(name, "?")
        advance()
        return 0
    if spec[spec.index(opt) + 1:spec.index(opt) + 2] == ":":
        if not at_end:
            st.set("OPTARG", word[sub:])
            st.set("OPTIND", str(optind + 1))
        elif optind < len(args):
            st.set("OPTARG", args[optind])
            st.set("OPTIND", str(optind + 2))
        else:
            st.set("OPTIND", str(optind + 1))
            if silent:
                st.set(name, ":")
                st.set("OPTARG", opt)
            else:
                io.err.write(f"{st.name}: option requires an argument -- {opt}\n" if st.flavour != "dash" else
                             f"No arg for -{opt} option\n")
                st.set(name, "?")
            st.vars.pop("_GETOPTS_SUB", None)
            return 0
        st.vars.pop("_GETOPTS_SUB", None)
        st.set(name, opt)
        return 0
    st.set(name, opt)
    advance()
    return 0


_NAMES["getopts"] = "getopts"
TABLE["getopts"] = b_getopts
