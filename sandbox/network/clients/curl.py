"""curl: one HTTP request over the simulated data plane, with the messages of the image's curl version.

Texts follow curl's lib/strerror.c, lib/connect.c and lib/multi.c (pod-tools.md §2): 7.88 says
"Couldn't connect to server", 8.9+ "Could not connect to server", 8.21+ names the peer ``host:port``.
"""

from __future__ import annotations

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

KERNEL_CONNECT_TIMEOUT = 130.0  # SYN retries give up after ~127-130 s


class _Usage(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code


class Options:
    def __init__(self) -> None:
        self.urls: list[str] = []
        self.silent = False
        self.show_error = False
        self.verbose = False
        self.include = False
        self.head = False
        self.output: str | None = None
        self.write_out: str | None = None
        self.max_time: float | None = None
        self.connect_timeout: float | None = None
        self.headers: list[tuple[str, str]] = []
        self.method: str | None = None
        self.data: str | None = None
        self.fail = False
        self.location = False
        self.user_agent: str | None = None
        self.insecure = False


_TAKES_ARG = {"-o": "output", "--output": "output", "-w": "write_out", "--write-out": "write_out",
              "-m": "max_time", "--max-time": "max_time", "--connect-timeout": "connect_timeout",
              "-H": "header", "--header": "header", "-X": "method", "--request": "method",
              "-d": "data", "--data": "data", "--data-raw": "data", "-A": "user_agent",
              "--user-agent": "user_agent", "-u": "ignore", "--user": "ignore", "-e": "ignore",
              "--referer": "ignore", "--resolve": "ignore", "--retry": "ignore"}
_FLAGS = {"-s": "silent", "--silent": "silent", "-S": "show_error", "--show-error": "show_error",
          "-v": "verbose", "--verbose": "verbose", "-i": "include", "--include": "include", "-I": "head",
          "--head": "head", "-f": "fail", "--fail": "fail", "-L": "location", "--location": "location",
          "-k": "insecure", "--insecure": "insecure", "-4": None, "--ipv4": None, "-N": None, "--no-buffer": None,
          "-#": None, "--progress-bar": None, "--compressed": None, "-q": None}


def _set(opts: Options, name: str, value: str) -> None:
    if name == "header":
        key, _, val = value.partition(":")
        opts.headers.append((key.strip(), val.strip()))
    elif name in ("max_time", "connect_timeout"):
        try:
            setattr(opts, name, float(value))
        except ValueError:
            raise _Usage(2, f"option --{name.replace('_', '-')}: expected a proper numerical parameter") from None
    elif name != "ignore":
        setattr(opts, name, value)


def parse(argv: list[str]) -> Options:
    opts = Options()
    try:
        settings, opts.urls = scan_options(argv, _FLAGS, _TAKES_ARG)
    except OptionError as exc:
        if exc.kind == "missing":
            raise _Usage(2, f"option {exc.option}: requires parameter") from None
        raise _Usage(2, f"option {exc.option}: is unknown") from None
    for name, value in settings:
        if value is None:
            setattr(opts, name, True)
        else:
            _set(opts, name, value)
    return opts


def _connect_failed(impl: Impl, url: Url, ms: int, tail: str) -> str:
    if impl.at_least(8, 21):
        return f"Failed to connect to {url.host}:{url.port} after {ms} ms: {tail}"
    return f"Failed to connect to {url.host} port {url.port} after {ms} ms: {tail}"


def _couldnt(impl: Impl) -> str:
    return "Could not connect to server" if impl.at_least(8, 9) else "Couldn't connect to server"


def _speed(value: float) -> str:
    """curl's max5data: at most five characters."""
    v = int(value)
    if v < 100000:
        return f"{v:5d}"
    if v < 10000 * 1024:
        return f"{v // 1024:4d}k"
    if v < 100 * 1024 * 1024:
        return f"{v / (1024 * 1024):4.1f}M"
    return f"{v // (1024 * 1024):4d}M"


def _meter(size: int, seconds: float) -> str:
    speed = _speed(size / max(seconds, 0.001))
    pct = "100" if size else "  0"
    return ("  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n"
            "                                 Dload  Upload   Total   Spent    Left  Speed\n"
            f"\r  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0"
            f"\r{pct} {size:5d}  {pct} {size:5d}    0     0 {speed}      0 --:--:-- --:--:-- --:--:-- {speed}\n")


def _write_out(fmt: str, values: dict[str, str]) -> str:
    out = []
    i = 0
    while i < len(fmt):
        if fmt.startswith("%{", i):
            end = fmt.find("}", i)
            if end != -1:
                out.append(values.get(fmt[i + 2:end], ""))
                i = end + 1
                continue
        if fmt[i] == "\\" and i + 1 < len(fmt) and fmt[i + 1] in "nrt\\":
            out.append({"n": "\n", "r": "\r", "t": "\t", "\\": "\\"}[fmt[i + 1]])
            i += 2
            continue
        if fmt.startswith("%%", i):
            out.append("%")
            i += 2
            continue
        out.append(fmt[i])
        i += 1
    return "".join(out)


def curl(ctx: Any) -> int:
    impl = tool_impl(ctx, "curl")
    try:
        opts = parse(ctx.argv[1:])
    except _Usage as exc:
        ctx.err(f"curl: {exc}\ncurl: try 'curl --help' or 'curl --manual' for more information\n")
        return exc.code
    if not opts.urls:
        ctx.err("curl: try 'curl --help' or 'curl --manual' for more information\n")
        return 2
    status = 0
    for raw in opts.urls:
        status = _one(ctx, impl, opts, raw)
        if status and opts.write_out is not None:  # -w still reports a failed transfer, with code 000
            ctx.out(_write_out(opts.write_out, {"http_code": "000", "response_code": "000", "size_download": "0",
                                                "num_connects": "0", "url_effective": raw,
                                                "time_total": "0.000000", "exitcode": str(status)}))
    return status


def _error(ctx: Any, opts: Options, code: int, text: str) -> int:
    if not opts.silent or opts.show_error:
        ctx.err(f"curl: ({code}) {text}\n")
    return code


def _one(ctx: Any, impl: Impl, opts: Options, raw: str, hops: int = 0) -> int:
    try:
        url = parse_url(raw)
    except UrlError:
        return _error(ctx, opts, 3, "URL rejected: Malformed input to a URL function" if impl.at_least(7, 80)
                      else "URL using bad/illegal format or missing URL")
    if url.scheme not in ("http", "https"):
        return _error(ctx, opts, 1, f'Protocol "{url.scheme}" not supported' if impl.at_least(8, 0)
                      else f'Protocol "{url.scheme}" not supported or disabled in libcurl')
    # the progress meter shows when the body does not go to a terminal (piped, redirected, -o FILE)
    meter = not opts.silent and (not ctx.tty or opts.output not in (None, "-"))
    verbose: list[str] = []
    found = resolve(ctx, url.host)
    if found.status != "ok" or not found.addresses:
        if opts.verbose:
            ctx.err(f"* Could not resolve host: {url.host}\n")
        if meter:
            ctx.err(_meter(0, 0).rsplit("\r", 1)[0] + "\n")
        return _error(ctx, opts, 6, f"Could not resolve host: {url.host}")
    ip = found.addresses[0]
    if opts.verbose and impl.at_least(8, 5):
        verbose += [f"* Host {url.host}:{url.port} was resolved.", "* IPv6: (none)", f"* IPv4: {ip}"]
    if opts.verbose:
        verbose.append(f"*   Trying {ip}:{url.port}...")
    network = network_of(ctx)
    src = ctx.host.source()
    method = opts.method or ("HEAD" if opts.head else ("POST" if opts.data is not None else "GET"))
    host_header = url.host if not url.explicit_port else f"{url.host}:{url.port}"
    headers = [("Host", host_header), ("User-Agent", opts.user_agent or f"curl/{impl.text}"), ("Accept", "*/*")]
    if opts.data is not None:
        headers.append(("Content-Length", str(len(opts.data.encode()))))
        headers.append(("Content-Type", "application/x-www-form-urlencoded"))
    for key, val in opts.headers:
        headers = [(k, v) for k, v in headers if k.lower() != key.lower()] + ([(key, val)] if val else [])
    if url.scheme == "https":
        conn = network.connect(src, ip, url.port)
        outcome = None
    else:
        outcome = network.http(src, method, ip, url.port, url.path, headers, body=opts.data or "")
        conn = outcome.connection
    limit = min(t for t in (opts.max_time, opts.connect_timeout, KERNEL_CONNECT_TIMEOUT) if t is not None)
    ctx.err("\n".join(verbose) + "\n" if verbose else "")
    if conn.result == "timeout":
        wait(ctx, limit)
        ms = int(limit * 1000) + 2
        if opts.max_time is not None or opts.connect_timeout is not None:
            return _error(ctx, opts, 28, f"Connection timed out after {ms} milliseconds" if impl.at_least(7, 60)
                          else f"Connection timed out after {ms} milliseconds")
        return _error(ctx, opts, 28, _connect_failed(impl, url, 130041, _couldnt(impl)))
    if conn.result in ("refused", "unreachable"):
        elapsed = conn.elapsed or 0.0
        wait(ctx, elapsed)
        ms = max(0, int(elapsed * 1000)) + 1
        if opts.verbose:
            tail = "Connection refused" if conn.result == "refused" else "No route to host"
            ctx.err(f"* connect to {ip} port {url.port} failed: {tail}\n")
            ctx.err(f"* Failed to connect to {url.host} port {url.port} after {ms} ms: {_couldnt(impl)}\n")
            ctx.err("* Closing connection" + ("\n" if impl.at_least(8, 0) else " 0\n"))
        return _error(ctx, opts, 7, _connect_failed(impl, url, ms, _couldnt(impl)))
    if url.scheme == "https":
        listener = conn.listener
        if getattr(listener, "kind", "") != "tls":
            return _error(ctx, opts, 35, "OpenSSL/3.0.13: error:0A00010B:SSL routines::wrong version number")
        if not opts.insecure:
            return _error(ctx, opts, 60, "SSL certificate problem: unable to get local issuer certificate")
        forbidden = ('{\n  "kind": "Status",\n  "apiVersion": "v1",\n  "metadata": {},\n  "status": "Failure",\n'
                     f'  "message": "forbidden: User \\"system:anonymous\\" cannot get path \\"{url.path}\\"",\n'
                     '  "reason": "Forbidden",\n  "details": {},\n  "code": 403\n}')
        ctx.out(forbidden)
        return 0
    assert outcome is not None
    if opts.verbose:
        if impl.at_least(8, 16):
            ctx.err(f"* Established connection to {url.host} ({ip} port {url.port}) from {src.ip} port "
                    f"{conn.src_port} \n")
        elif impl.at_least(8, 0):
            ctx.err(f"* Connected to {url.host} ({ip}) port {url.port}\n")
        else:
            ctx.err(f"* Connected to {url.host} ({ip}) port {url.port} (#0)\n")
        ctx.err(f"> {method} {url.path} HTTP/1.1\n" + "".join(f"> {k}: {v}\n" for k, v in headers) + "> \n")
    if outcome.empty_reply:
        return _error(ctx, opts, 52, "Empty reply from server")
    status_line = f"{outcome.version} {outcome.status} {outcome.reason}".rstrip()
    head = status_line + "\r\n" + "".join(f"{k}: {v}\r\n" for k, v in outcome.headers) + "\r\n"
    if opts.verbose:
        ctx.err("< " + status_line + "\n" + "".join(f"< {k}: {v}\n" for k, v in outcome.headers) + "< \n")
    if opts.fail and outcome.status >= 400:
        if opts.verbose:
            ctx.err(f"* The requested URL returned error: {outcome.status}\n")
        return _error(ctx, opts, 22, f"The requested URL returned error: {outcome.status}"
                      if impl.at_least(7, 75) else f"The requested URL returned error: {outcome.status} {outcome.reason}")
    location = next((v for k, v in outcome.headers if k.lower() == "location"), None)
    if opts.location and location and outcome.status in (301, 302, 303, 307, 308):
        # -L: each response's headers show with -i; the body of a redirect is not written
        if hops >= 50:
            return _error(ctx, opts, 47, "Maximum (50) redirects followed")
        from urllib.parse import urljoin

        target = urljoin(f"{url.scheme}://{host_header}{url.path}", location)
        if opts.include or opts.head:
            ctx.out(head)
        if opts.verbose:
            ctx.err(f"* Connection #0 to host {url.host} left intact\n* Issue another request to this URL: "
                    f"'{target}'\n")
        return _one(ctx, impl, opts, target, hops + 1)
    body = "" if method == "HEAD" else outcome.body
    payload = (head if (opts.include or opts.head) else "") + body
    size = len(body.encode())
    if opts.output is not None and opts.output != "-":
        if opts.output != "/dev/null":
            ctx.write_file(opts.output, payload)
    else:
        ctx.out(payload)
    if meter:
        ctx.err(_meter(size, 0.002))
    if opts.verbose:
        if not ctx.tty and size:
            ctx.err(f"{{ [{size} bytes data]\n")
        peer = f"{url.host}:{url.port}" if impl.at_least(8, 17) and not impl.at_least(8, 21) else url.host
        ctx.err(f"* Connection #0 to host {peer} left intact\n")
    if opts.write_out is not None:
        ctype = next((v for k, v in outcome.headers if k.lower() == "content-type"), "")
        values = {"http_code": f"{outcome.status:03d}", "response_code": f"{outcome.status:03d}",
                  "remote_ip": conn.dst_ip, "remote_port": str(url.port), "local_ip": src.ip,
                  "local_port": str(conn.src_port), "size_download": str(size), "url_effective": url.normalized,
                  "content_type": ctype, "time_total": "0.002000", "time_connect": "0.001000",
                  "time_namelookup": "0.000500", "num_connects": "1", "http_version": "1.1",
                  "scheme": url.scheme.upper(), "method": method}
        ctx.out(_write_out(opts.write_out, values))
    return 0
