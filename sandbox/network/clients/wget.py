"""wget: busybox's applet (networking/wget.c) in busybox images, GNU wget on nodes and Debian images."""

from __future__ import annotations

import posixpath
from typing import Any

from sandbox.network.clients.common import (
    Impl,
    OptionError,
    Url,
    UrlError,
    network_of,
    parse_url,
    resolve,
    scan_options,
    tool_impl,
    wait,
)

BUSYBOX_SYN_TIMEOUT = 127.0  # the kernel gives up on an unanswered SYN


class Options:
    def __init__(self) -> None:
        self.urls: list[str] = []
        self.quiet = False
        self.output: str | None = None
        self.timeout: float | None = None
        self.spider = False
        self.server_response = False
        self.headers: list[str] = []
        self.user_agent: str | None = None


class _Usage(Exception):
    pass


_ARG = {"-O": "output", "--output-document": "output", "-T": "timeout", "--timeout": "timeout",
        "--header": "header", "-U": "user_agent", "--user-agent": "user_agent", "-P": "ignore", "-Y": "ignore",
        "--tries": "ignore", "-t": "ignore"}
_FLAG = {"-q": "quiet", "--quiet": "quiet", "--spider": "spider", "-S": "server_response",
         "--server-response": "server_response", "-c": None, "--continue": None, "-s": None,
         "--no-check-certificate": None, "-nv": None, "--no-verbose": None}


def parse(argv: list[str]) -> Options:
    opts = Options()
    try:
        settings, opts.urls = scan_options(argv, _FLAG, _ARG)
    except OptionError as exc:
        if exc.option.startswith("--"):
            raise _Usage(f"option '{exc.option}' requires an argument" if exc.kind == "missing"
                         else f"unrecognized option '{exc.option}'") from None
        letter = exc.option[1:]
        raise _Usage(f"option requires an argument -- '{letter}'" if exc.kind == "missing"
                     else f"invalid option -- '{letter}'") from None
    for name, value in settings:
        if value is None:
            setattr(opts, name, True)
        else:
            _store(opts, name, value)
    return opts


def _store(opts: Options, name: str, value: str) -> None:
    if name == "timeout":
        try:
            opts.timeout = float(value)
        except ValueError:
            raise _Usage(f"invalid number '{value}'") from None
    elif name == "header":
        opts.headers.append(value)
    elif name != "ignore":
        setattr(opts, name, value)


def wget(ctx: Any) -> int:
    impl = tool_impl(ctx, "wget")
    gnu = impl.family == "gnu"
    try:
        opts = parse(ctx.argv[1:])
    except _Usage as exc:
        if gnu:
            ctx.err(f"wget: {exc}\nUsage: wget [OPTION]... [URL]...\n\nTry `wget --help' for more options.\n")
            return 2
        ctx.err(f"wget: {exc}\nBusyBox v{impl.text} multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] "
                "[-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t"
                "[-P DIR] [-U AGENT] [-T SEC] URL...\n")
        return 1
    if not opts.urls:
        if gnu:
            ctx.err("wget: missing URL\nUsage: wget [OPTION]... [URL]...\n\nTry `wget --help' for more options.\n")
        else:
            ctx.err(f"BusyBox v{impl.text} multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] "
                    "[-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t"
                    "[-P DIR] [-U AGENT] [-T SEC] URL...\n")
        return 1
    status = 0
    for raw in opts.urls:
        status = (_gnu if gnu else _busybox)(ctx, impl, opts, raw) or status
    return status


def _request(ctx: Any, impl: Impl, opts: Options, url: Url, ip: str, agent: str) -> Any:
    headers = [("Host", url.host_port), ("User-Agent", agent)]
    for h in opts.headers:
        key, _, val = h.partition(":")
        headers.append((key.strip(), val.strip()))
    method = "HEAD" if opts.spider else "GET"
    return network_of(ctx).http(ctx.host.source(), method, ip, url.port, url.path, headers)


def _file_name(url: Url) -> str:
    base = posixpath.basename(url.path.split("?", 1)[0])
    return base or "index.html"


# -- busybox --------------------------------------------------------------------------------------

def _bar(name: str, size: int) -> str:
    shown = f"{size:5d}" if size < 100000 else f"{size // 1024:4d}k"
    return f"{name[:20]:<20}{100:4d}% |{'*' * 32}| {shown}  0:00:00 ETA\n"


def _busybox(ctx: Any, impl: Impl, opts: Options, raw: str) -> int:
    try:
        url = parse_url(raw)
    except UrlError:
        ctx.err(f"wget: bad address '{raw}'\n")
        return 1
    if url.scheme not in ("http", "https"):
        ctx.err(f"wget: not an http or ftp url: {raw}\n")
        return 1
    found = resolve(ctx, url.host)
    if found.status != "ok" or not found.addresses:
        ctx.err(f"wget: bad address '{url.host_port}'\n")
        return 1
    ip = found.addresses[0]
    if not opts.quiet:
        ctx.err(f"Connecting to {url.host_port} ({ip}:{url.port})\n")
    outcome = _request(ctx, impl, opts, url, ip, "Wget")
    conn = outcome.connection
    if conn.result == "timeout":
        limit = opts.timeout if opts.timeout is not None else BUSYBOX_SYN_TIMEOUT
        wait(ctx, limit)
        if opts.timeout is not None:
            ctx.err("wget: download timed out\n")
        else:
            ctx.err(f"wget: can't connect to remote host ({ip}): Connection timed out\n")
        return 1
    if conn.result in ("refused", "unreachable"):
        wait(ctx, conn.elapsed)
        why = "Connection refused" if conn.result == "refused" else "No route to host"
        ctx.err(f"wget: can't connect to remote host ({ip}): {why}\n")
        return 1
    if outcome.empty_reply:
        ctx.err("wget: error getting response: Connection reset by peer\n")
        return 1
    if opts.server_response:
        ctx.err(f"  {outcome.version} {outcome.status} {outcome.reason}\n"
                + "".join(f"  {k}: {v}\n" for k, v in outcome.headers))
    if not 200 <= outcome.status < 400:
        ctx.err(f"wget: server returned error: {outcome.version} {outcome.status} {outcome.reason}\n")
        return 1
    if opts.spider:
        if not opts.quiet:
            ctx.err("remote file exists\n")
        return 0
    body = outcome.body
    size = len(body.encode())
    target = opts.output if opts.output is not None else _file_name(url)
    if target == "-":
        if not opts.quiet:
            ctx.err("writing to stdout\n")
            ctx.err(_bar("-", size))
        ctx.out(body)
        if not opts.quiet:
            ctx.err("written to stdout\n")
        return 0
    if opts.output is None and ctx.exists(target):
        ctx.err(f"wget: can't open '{target}': File exists\n")
        return 1
    ctx.write_file(target, body)
    if not opts.quiet:
        ctx.err(f"saving to '{target}'\n")
        ctx.err(_bar(target, size))
        ctx.err(f"'{target}' saved\n")
    return 0


# -- GNU ------------------------------------------------------------------------------------------

def _stamp(ctx: Any) -> str:
    return ctx.lab.cluster.clock.now.strftime("%Y-%m-%d %H:%M:%S")


def _gnu(ctx: Any, impl: Impl, opts: Options, raw: str) -> int:
    def say(text: str) -> None:
        if not opts.quiet:
            ctx.err(text)

    try:
        url = parse_url(raw)
    except UrlError:
        say(f"{raw}: Invalid URL {raw}: Unsupported scheme\n")
        return 1
    say(f"--{_stamp(ctx)}--  {url.normalized}\n")
    found = resolve(ctx, url.host)
    if found.status != "ok" or not found.addresses:
        say(f"Resolving {url.host} ({url.host})... failed: Name or service not known.\n")
        say(f"wget: unable to resolve host address ‘{url.host}’\n")
        return 4
    ip = found.addresses[0]
    literal = found.source == "literal"  # an address needs no lookup, and wget says so shorter
    if not literal:
        say(f"Resolving {url.host} ({url.host})... {', '.join(found.addresses)}\n")
    outcome = _request(ctx, impl, opts, url, ip, f"Wget/{impl.text}")
    conn = outcome.connection
    where = f"Connecting to {ip}:{url.port}... " if literal else \
        f"Connecting to {url.host} ({url.host})|{ip}|:{url.port}... "
    if conn.result == "timeout":
        limit = opts.timeout if opts.timeout is not None else 900.0
        wait(ctx, limit)
        say(f"{where}failed: Connection timed out.\nRetrying.\n\n")
        return 4
    if conn.result in ("refused", "unreachable"):
        wait(ctx, conn.elapsed)
        why = "Connection refused" if conn.result == "refused" else "No route to host"
        say(f"{where}failed: {why}.\n")
        return 4
    say(f"{where}connected.\n")
    if outcome.empty_reply:
        say("HTTP request sent, awaiting response... No data received.\nRetrying.\n\n")
        return 4
    say(f"HTTP request sent, awaiting response... {outcome.status} {outcome.reason}\n")
    if not 200 <= outcome.status < 400:
        say(f"{_stamp(ctx)} ERROR {outcome.status}: {outcome.reason}.\n\n")
        return 8
    size = len(outcome.body.encode())
    ctype = next((v for k, v in outcome.headers if k.lower() == "content-type"), "")
    if opts.spider:
        say(f"Length: {size} [{ctype}]\nRemote file exists and could contain further links,\n"
            "but recursion is disabled -- not retrieving.\n\n")
        return 0
    target = opts.output if opts.output is not None else _file_name(url)
    if opts.output is None and ctx.exists(target):
        n = 1
        while ctx.exists(f"{target}.{n}"):
            n += 1
        target = f"{target}.{n}"
    shown = "‘-’" if target == "-" else f"‘{target}’"
    say(f"Length: {size} [{ctype}]\nSaving to: {shown}\n\n")
    if target == "-":
        ctx.out(outcome.body)
    else:
        ctx.write_file(target, outcome.body)
    name = "-" if target == "-" else target
    say(f"{name[:18]:<18}  100%[===================>] {size:>7,}  --.-KB/s    in 0s      \n\n")
    say(f"{_stamp(ctx)} (24.3 MB/s) - {'written to stdout' if target == '-' else shown + ' saved'} "
        f"[{size}/{size}]\n\n")
    return 0
