"""The server programs of the catalogue's images: what each answers, on which port, what it logs.

Each answers like the real binary (pod-tools.md §1 gives the sources): nginx from its html root with
nginx's header order and CRLF error pages, Go servers (httpenv, http-echo, whoami, agnhost,
hello-app) with net/http's header order.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import unquote

from sandbox.workloads.http import HttpRequest, HttpResponse, content_length, go_json, go_response, http_date
from sandbox.workloads.program import FOREVER, Handler, Program, Run

#: mtime of the html files in the nginx 1.27.4 image (ETag "67a34638-267").
NGINX_HTML_MTIME = 1738753592.0

_MIME = {".html": "text/html", ".htm": "text/html", ".css": "text/css", ".js": "application/javascript",
         ".json": "application/json", ".txt": "text/plain", ".xml": "text/xml", ".png": "image/png",
         ".jpg": "image/jpeg", ".gif": "image/gif", ".svg": "image/svg+xml", ".ico": "image/x-icon"}


def _go_log_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y/%m/%d %H:%M:%S")


def flag_value(argv: list[str], *names: str) -> str | None:
    """Go flag / pflag style: ``-name=v``, ``--name=v``, ``-name v``, ``--name v``; the last one wins."""
    found = None
    i = 0
    while i < len(argv):
        arg = argv[i]
        for n in names:
            for dash in ("-", "--"):
                if arg == dash + n and i + 1 < len(argv):
                    found = argv[i + 1]
                    i += 1
                    break
                if arg.startswith(dash + n + "="):
                    found = arg[len(dash + n) + 1:]
                    break
        i += 1
    return found


def _port_of(listen: str, default: int) -> int:
    text = listen.rsplit(":", 1)[-1]
    return int(text) if text.isdigit() else default


# ------------------------------------------------------------------ nginx

class NginxProgram(Program):
    name = "nginx"
    stop_delay = 0.2          # STOPSIGNAL SIGQUIT: graceful shutdown, no open connections
    root = "/usr/share/nginx/html"

    def __init__(self, image, argv, via_entrypoint: bool = True) -> None:
        super().__init__(image, argv)
        self.via_entrypoint = via_entrypoint
        self.connections = 0
        self.ports: list[int] = [80]

    def read_config(self) -> None:
        """nginx reads its configuration once at start: ``listen`` ports and the ``root`` of conf.d."""
        ports: list[int] = []
        root = None
        for path in sorted(p for p in self.rt.files if p.startswith("/etc/nginx/conf.d/") and p.endswith(".conf")):
            for line in (self.rt.read_file(path) or "").splitlines():
                m = re.match(r"\s*listen\s+(?:\[[^\]]*\]:|[\d.]+:)?(\d+)", line)
                if m and int(m.group(1)) not in ports:
                    ports.append(int(m.group(1)))
                r = re.match(r"\s*root\s+([^;\s]+)\s*;", line)
                if r and root is None:
                    root = r.group(1).rstrip("/")
        self.ports = ports
        if root:
            self.root = root

    @property
    def server(self) -> str:
        return f"nginx/{self.image.version}"

    def _notice(self, text: str, pid: str = "1#1") -> None:
        self.log(f"{_go_log_time(self.rt.now())} [notice] {pid}: {text}", "stderr")

    def on_start(self) -> None:
        self.read_config()
        if self.via_entrypoint:
            ep = "/docker-entrypoint.sh"
            for line in (f"{ep}: /docker-entrypoint.d/ is not empty, will attempt to perform configuration",
                         f"{ep}: Looking for shell scripts in /docker-entrypoint.d/",
                         f"{ep}: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh",
                         "10-listen-on-ipv6-by-default.sh: info: Getting the checksum of "
                         "/etc/nginx/conf.d/default.conf",
                         "10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in "
                         "/etc/nginx/conf.d/default.conf",
                         f"{ep}: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh",
                         f"{ep}: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh",
                         f"{ep}: Launching /docker-entrypoint.d/30-tune-worker-processes.sh",
                         f"{ep}: Configuration complete; ready for start up"):
                self.log(line)
        self._notice('using the "epoll" event method')
        self._notice(self.server)
        gcc = "12.2.0 (Debian 12.2.0-14) " if self.image.shell == "dash" else "14.2.0 (Alpine 14.2.0) "
        self._notice(f"built by gcc {gcc}")
        self._notice("OS: Linux 6.8.0-86-generic")
        self._notice("getrlimit(RLIMIT_NOFILE): 1048576:1048576")
        self._notice("start worker processes")
        self._notice("start worker process 29")
        self._notice("start worker process 30")

    def on_stop(self) -> None:
        self._notice("signal 3 (SIGQUIT) received, shutting down")
        self._notice("gracefully shutting down", "29#29")
        self._notice("exiting", "29#29")
        self._notice("exit", "29#29")
        self._notice("signal 17 (SIGCHLD) received from 29")
        self._notice("worker process 29 exited with code 0")
        self._notice("exit")

    def listeners(self) -> dict[tuple[str, int], Handler]:
        return {("TCP", p): Handler(self, "TCP", p, "http", http=self.serve) for p in self.ports}

    def _error(self, request: HttpRequest, status: int, extra: list[tuple[str, str]] = ()) -> HttpResponse:
        title = f"{status} {HttpResponse(status=status).reason if status != 405 else 'Not Allowed'}"
        body = (f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n"
                f"<hr><center>{self.server}</center>\r\n</body>\r\n</html>\r\n")
        headers = [("Server", self.server), ("Date", http_date(request.time or self.rt.now())),
                   ("Content-Type", "text/html"), ("Content-Length", str(content_length(body))), *extra,
                   ("Connection", "keep-alive" if request.keep_alive else "close")]
        resp = HttpResponse(status=status, headers=headers, body=body if request.method != "HEAD" else "",
                            head_only=request.method == "HEAD")
        if status == 405:
            resp.reason = "Not Allowed"
        return resp

    def serve(self, request: HttpRequest) -> HttpResponse:
        self.connections += 1
        rt = self.rt
        path = posixpath.normpath(unquote(request.url_path)) + ("/" if request.url_path.endswith("/") else "")
        path = path.replace("//", "/")
        full = self.root + path
        resp: HttpResponse
        if path.endswith("/"):
            for index in ("index.html", "index.htm"):
                if rt.read_file(full + index) is not None:
                    full += index
                    break
            else:
                full = ""
                resp = self._error(request, 403 if rt.is_dir(self.root + path) else 404)
        if full and rt.is_dir(full):
            host = request.header("Host") or request.server_ip
            resp = self._error(request, 301, [("Location", f"http://{host}{path}/")])
            full = ""
        if full:
            text = rt.read_file(full)
            if text is None:
                resp = self._error(request, 404)
                self.log(f'{_go_log_time(request.time or rt.now())} [error] 29#29: *{self.connections} open() '
                         f'"{full}" failed (2: No such file or directory), client: {request.client_ip}, server: '
                         f'localhost, request: "{request.method} {request.path} {request.version}", host: '
                         f'"{request.header("Host") or request.server_ip}"', "stderr")
            elif request.method not in ("GET", "HEAD"):
                resp = self._error(request, 405)
            else:
                mtime = rt.mtime(full)
                size = content_length(text)
                ext = posixpath.splitext(full)[1]
                headers = [("Server", self.server), ("Date", http_date(request.time or rt.now())),
                           ("Content-Type", _MIME.get(ext, "application/octet-stream")),
                           ("Content-Length", str(size)),
                           ("Last-Modified", http_date(datetime.fromtimestamp(mtime, UTC))),
                           ("Connection", "keep-alive" if request.keep_alive else "close"),
                           ("ETag", f'"{int(mtime):x}-{size:x}"'), ("Accept-Ranges", "bytes")]
                resp = HttpResponse(status=200, headers=headers, body=text if request.method == "GET" else "",
                                    head_only=request.method == "HEAD")
        sent = 0 if resp.head_only else content_length(resp.body)
        ua = request.header("User-Agent") or "-"
        referer = request.header("Referer") or "-"
        xff = request.header("X-Forwarded-For") or "-"
        when = (request.time or rt.now()).astimezone(UTC).strftime("%d/%b/%Y:%H:%M:%S +0000")
        self.log(f'{request.client_ip} - - [{when}] "{request.method} {request.path} {request.version}" '
                 f'{resp.status} {sent} "{referer}" "{ua}" "{xff}"')
        return resp


# ------------------------------------------------------------------ Go servers

class GoServer(Program):
    """Go net/http servers die at once on SIGTERM (runtime default handler)."""

    stop_delay = 0.0
    term_exit_code = 2

    def _glog(self, text: str) -> None:
        self.log(f"{_go_log_time(self.rt.now())} {text}", "stderr")


class HttpEnvProgram(GoServer):
    """bretfisher/httpenv: every path answers the process environment as compact sorted JSON."""

    name = "httpenv"

    def listeners(self) -> dict[tuple[str, int], Handler]:
        return {("TCP", 8888): Handler(self, "TCP", 8888, "http", http=self.serve)}

    def serve(self, request: HttpRequest) -> HttpResponse:
        return go_response(request, 200, go_json(dict(self.rt.env_list)))


class EchoProgram(GoServer):
    """hashicorp/http-echo: ``-text``, ``-listen``, ``-status-code``; /health answers JSON."""

    name = "http-echo"
    term_exit_code = 0        # it handles SIGTERM: graceful shutdown

    def __init__(self, image, argv) -> None:
        super().__init__(image, argv)
        args = argv[1:]
        self.listen = flag_value(args, "listen") or ":5678"
        self.text_flag = flag_value(args, "text")
        code = flag_value(args, "status-code")
        self.status = int(code) if code and code.isdigit() else 200
        self.positional = [a for a in args if not a.startswith("-")
                           and not any(args[i - 1] in (f"-{n}", f"--{n}") for i in range(1, len(args))
                                       if args[i] == a for n in ("listen", "text", "status-code"))]
        self.error: str | None = None

    @property
    def text(self) -> str | None:
        return self.text_flag if self.text_flag is not None else self.rt.getenv("ECHO_TEXT") if self.rt else None

    def run(self) -> Run:
        if self.positional:
            self.log("Too many arguments!", "stderr")
            return 127
        if not self.text:
            self.log("Missing -text option or ECHO_TEXT env var!", "stderr")
            return 127
        self._glog(f"[INFO] server is listening on {self.listen}")
        yield FOREVER
        return 0

    def listeners(self) -> dict[tuple[str, int], Handler]:
        port = _port_of(self.listen, 5678)
        return {("TCP", port): Handler(self, "TCP", port, "http", http=self.serve)}

    def serve(self, request: HttpRequest) -> HttpResponse:
        headers = [("X-App-Name", "http-echo"), ("X-App-Version", self.image.version)]
        if request.url_path == "/health":
            resp = go_response(request, 200, '{"status":"ok"}', headers=headers,
                               content_type="text/plain; charset=utf-8")
        else:
            resp = go_response(request, self.status, (self.text or "") + "\n", headers=headers)
        host = request.header("Host") or f"{request.server_ip}:{request.server_port}"
        self._glog(f'{host} {request.client_ip}:{request.client_port} "{request.method} {request.path} '
                   f'{request.version}" {resp.status} {content_length(resp.body)} '
                   f'"{request.header("User-Agent") or ""}" 21.167µs')
        return resp


def _link_local(ip: str) -> str:
    """The pod's eth0 IPv6 link-local address: EUI-64 from a MAC that is stable per pod IP."""
    m = hashlib.sha256(ip.encode()).digest()[:6]
    groups = [((m[0] ^ 0x02) << 8) | m[1], (m[2] << 8) | 0xFF, 0xFE00 | m[3], (m[4] << 8) | m[5]]
    return "fe80::" + ":".join(f"{g:x}" for g in groups)


class WhoamiProgram(GoServer):
    """traefik/whoami: hostname, interface IPs, remote address and the request as received."""

    name = "whoami"

    def __init__(self, image, argv) -> None:
        super().__init__(image, argv)
        self.port_flag = flag_value(argv[1:], "port")
        self.name_flag = flag_value(argv[1:], "name")

    @property
    def port(self) -> int:
        text = self.port_flag or (self.rt.getenv("WHOAMI_PORT_NUMBER") if self.rt else None) or "80"
        return int(text) if text.isdigit() else 80

    def run(self) -> Run:
        self._glog(f"Starting up on port {self.port}")
        yield FOREVER
        return 0

    def listeners(self) -> dict[tuple[str, int], Handler]:
        return {("TCP", self.port): Handler(self, "TCP", self.port, "http", http=self.serve)}

    def _ips(self) -> list[str]:
        ips = ["127.0.0.1", "::1"]
        if self.rt.pod_ip:
            ips += [self.rt.pod_ip, _link_local(self.rt.pod_ip)]
        return ips

    def serve(self, request: HttpRequest) -> HttpResponse:
        name = self.name_flag or self.rt.getenv("WHOAMI_NAME", "")
        path = request.url_path
        if path == "/health":
            return go_response(request, 200, "")
        if path == "/api":
            data = {"hostname": self.hostname, "ip": self._ips(),
                    "headers": {k: [v] for k, v in request.headers if k.lower() != "host"},
                    "url": request.path, "host": request.header("Host") or "", "method": request.method,
                    "remoteAddr": f"{request.client_ip}:{request.client_port}"}
            if name:
                data["name"] = name
            return go_response(request, 200, go_json(data), headers=[("Content-Type", "application/json")])
        lines = []
        if name:
            lines.append(f"Name: {name}\n")
        lines.append(f"Hostname: {self.hostname}\n")
        lines += [f"IP: {ip}\n" for ip in self._ips()]
        lines.append(f"RemoteAddr: {request.client_ip}:{request.client_port}\n")
        raw = [f"{request.method} {request.path} {request.version}", f"Host: {request.header('Host') or ''}",
               f"User-Agent: {request.header('User-Agent') or 'Go-http-client/1.1'}"]
        rest = sorted((_canonical(k), v) for k, v in request.headers if k.lower() not in ("host", "user-agent"))
        raw += [f"{k}: {v}" for k, v in rest]
        body = "".join(lines) + "\r\n".join(raw) + "\r\n\r\n"
        if request.query.get("env") == ["true"]:
            body += "".join(f"{k}={v}\n" for k, v in self.rt.env_list)
        return go_response(request, 200, body)


def _canonical(key: str) -> str:
    return "-".join(p[:1].upper() + p[1:].lower() for p in key.split("-"))


class ServeHostnameProgram(GoServer):
    """agnhost serve-hostname: the hostname, no newline, on --port (9376) over HTTP (or raw TCP/UDP)."""

    name = "agnhost"

    def __init__(self, image, argv) -> None:
        super().__init__(image, argv)
        args = argv[2:]
        port = flag_value(args, "port")
        self.port = int(port) if port and port.isdigit() else 9376
        self.tcp = (flag_value(args, "tcp") or ("true" if "--tcp" in args else "false")) == "true"
        self.udp = (flag_value(args, "udp") or ("true" if "--udp" in args else "false")) == "true"
        self.http = (flag_value(args, "http") or "true") == "true" and not self.tcp

    def run(self) -> Run:
        self._glog(f"Serving on port {self.port}.")
        yield FOREVER
        return 0

    def listeners(self) -> dict[tuple[str, int], Handler]:
        out: dict[tuple[str, int], Handler] = {}
        if self.http:
            out[("TCP", self.port)] = Handler(self, "TCP", self.port, "http", http=self.serve)
        elif self.tcp:
            out[("TCP", self.port)] = Handler(self, "TCP", self.port, "tcp", raw=lambda d, c: self.hostname)
        if self.udp:
            out[("UDP", self.port)] = Handler(self, "UDP", self.port, "udp", raw=lambda d, c: self.hostname)
        return out

    def serve(self, request: HttpRequest) -> HttpResponse:
        self._glog(f"Serving hostname to {request.client_ip}:{request.client_port}")
        return go_response(request, 200, self.hostname)


class NetexecProgram(GoServer):
    """agnhost netexec: HTTP on --http-port (8080), UDP on --udp-port (8081)."""

    name = "agnhost"

    def __init__(self, image, argv) -> None:
        super().__init__(image, argv)
        args = argv[2:]
        hp = flag_value(args, "http-port")
        up = flag_value(args, "udp-port")
        self.http_port = int(hp) if hp and hp.isdigit() else 8080
        self.udp_port = int(up) if up and up.lstrip("-").isdigit() else 8081

    def run(self) -> Run:
        self._glog(f"Started HTTP server on port {self.http_port}")
        if self.udp_port > 0:
            self._glog(f"Started UDP server on port  {self.udp_port}")
        code = yield FOREVER
        return code or 0

    def listeners(self) -> dict[tuple[str, int], Handler]:
        out = {("TCP", self.http_port): Handler(self, "TCP", self.http_port, "http", http=self.serve)}
        if self.udp_port > 0:
            out[("UDP", self.udp_port)] = Handler(self, "UDP", self.udp_port, "udp", raw=self.udp)
        return out

    def udp(self, data: str, client: str) -> str:
        cmd, _, arg = data.strip().partition(" ")
        if cmd == "hostname":
            return self.hostname
        if cmd == "echo":
            return arg
        if cmd == "clientip":
            return client
        return ""

    def serve(self, request: HttpRequest) -> HttpResponse:
        path = request.url_path
        q = request.query
        now = request.time or self.rt.now()
        if path == "/":
            up = self.rt.uptime()
            frac = f"{now.microsecond * 1000:09d}".rstrip("0")
            stamp = now.strftime("%Y-%m-%d %H:%M:%S") + (f".{frac}" if frac else "")
            return go_response(request, 200, f"NOW: {stamp} +0000 UTC m=+{up:.9f}")
        if path == "/hostname":
            return go_response(request, 200, self.hostname)
        if path == "/clientip":
            return go_response(request, 200, f"{request.client_ip}:{request.client_port}")
        if path == "/echo":
            return go_response(request, 200, (q.get("msg") or [""])[0])
        if path == "/header":
            key = (q.get("key") or [""])[0]
            return go_response(request, 200, request.header(key) or "")
        if path == "/healthz":
            return go_response(request, 200, "")
        if path == "/exit":
            code = (q.get("code") or ["0"])[0]
            self.rt.request_exit(int(code) if code.isdigit() else 0, delay=0.0)
            return go_response(request, 200, "")
        return go_response(request, 404, "404 page not found\n")


class HelloAppProgram(GoServer):
    """google-samples hello-app: ``Hello, world!`` with its version and the pod's hostname."""

    name = "hello-app"

    @property
    def port(self) -> int:
        text = self.rt.getenv("PORT", "8080") if self.rt else "8080"
        return int(text) if text.isdigit() else 8080

    def run(self) -> Run:
        self._glog(f"Server listening on port {self.port}")
        yield FOREVER
        return 0

    def listeners(self) -> dict[tuple[str, int], Handler]:
        return {("TCP", self.port): Handler(self, "TCP", self.port, "http", http=self.serve)}

    def serve(self, request: HttpRequest) -> HttpResponse:
        self._glog(f"Serving request: {request.url_path}")
        version = "2.0.0" if self.image.version.startswith("2") else "1.0.0"
        return go_response(request, 200, f"Hello, world!\nVersion: {version}\nHostname: {self.hostname}\n")


class CoreDNSProgram(GoServer):
    """CoreDNS: DNS on 53 (answered by the DNS layer from live state), health 8080, ready 8181, metrics 9153."""

    name = "coredns"
    stop_delay = 5.0         # lameduck 5s in the kubeadm Corefile
    term_exit_code = 0

    def run(self) -> Run:
        self.log(".:53")
        self.log("[INFO] plugin/reload: Running configuration SHA512 = 1b226df79860026c6a52e67daa10d7f0d57ec5b0"
                 "23288ec00c5e05f93523c894564e15b91770d3a07ae1cfbe861d15b37d4a0027e69c546ab112970993a3b03b")
        self.log(f"CoreDNS-{self.image.version.lstrip('v')}")
        self.log("linux/amd64, go1.23.3, 51e11f1")
        yield FOREVER
        return 0

    def on_stop(self) -> None:
        self.log("[INFO] SIGTERM: Shutting down servers then terminating")
        self.log("[INFO] plugin/health: Going into lameduck mode for 5s")

    def listeners(self) -> dict[tuple[str, int], Handler]:
        return {("UDP", 53): Handler(self, "UDP", 53, "dns"), ("TCP", 53): Handler(self, "TCP", 53, "dns"),
                ("TCP", 8080): Handler(self, "TCP", 8080, "http", http=self.health),
                ("TCP", 8181): Handler(self, "TCP", 8181, "http", http=self.ready),
                ("TCP", 9153): Handler(self, "TCP", 9153, "http", http=self.metrics)}

    def health(self, request: HttpRequest) -> HttpResponse:
        if request.url_path != "/health":
            return go_response(request, 404, "404 page not found\n")
        return go_response(request, 200, "OK")

    def ready(self, request: HttpRequest) -> HttpResponse:
        if request.url_path != "/ready":
            return go_response(request, 404, "404 page not found\n")
        return go_response(request, 200, "OK")

    def metrics(self, request: HttpRequest) -> HttpResponse:
        if request.url_path != "/metrics":
            return go_response(request, 404, "404 page not found\n")
        body = ("# HELP coredns_build_info A metric with a constant '1' value labeled by version, revision, "
                "and goversion from which CoreDNS was built.\n# TYPE coredns_build_info gauge\n"
                f'coredns_build_info{{goversion="go1.23.3",revision="51e11f1",version="'
                f'{self.image.version.lstrip("v")}"}} 1\n')
        return go_response(request, 200, body, headers=[("Content-Type", "text/plain; version=0.0.4; "
                                                                          "charset=utf-8")])




class ComponentProgram(GoServer):
    """Control-plane components: they listen (TLS) on their well-known ports and otherwise idle."""

    PORTS = {"kube-apiserver": [6443], "etcd": [2379, 2380, 2381], "kube-controller-manager": [10257],
             "kube-scheduler": [10259], "kube-proxy": [10249, 10256]}

    def __init__(self, image, argv) -> None:
        super().__init__(image, argv)
        self.name = image.app

    #: plain-HTTP ports (kube-proxy's health and metrics; etcd's --listen-metrics-urls, where kubeadm's probes go)
    PLAIN = {("kube-proxy", 10249), ("kube-proxy", 10256), ("etcd", 2381)}

    def listeners(self) -> dict[tuple[str, int], Handler]:
        out = {}
        for p in self.PORTS.get(self.name, []):
            plain = (self.name, p) in self.PLAIN
            out[("TCP", p)] = Handler(self, "TCP", p, "http" if plain else "tls", http=self.healthz if plain else None)
        return out

    def healthz(self, request: HttpRequest) -> HttpResponse:
        if request.url_path in ("/healthz", "/livez", "/readyz", "/health"):
            return go_response(request, 200, "ok")
        return go_response(request, 404, "404 page not found\n")


# ------------------------------------------------------------------ Apache httpd

HTTPD_INDEX_MTIME = 1181587994.0          # Mon, 11 Jun 2007 18:53:14 GMT (ETag "2d-432a5e4a73a80")


class HttpdProgram(Program):
    """The official httpd image: ``It works!`` from htdocs, Apache's header order and error pages."""

    name = "httpd"
    stop_delay = 0.2          # STOPSIGNAL SIGWINCH: graceful stop
    root = "/usr/local/apache2/htdocs"

    @property
    def server(self) -> str:
        return f"Apache/{self.image.version} (Unix)"

    def _stamp(self) -> str:
        now = self.rt.now()
        return now.strftime("%a %b %d %H:%M:%S.") + f"{now.microsecond:06d}" + now.strftime(" %Y")

    def on_start(self) -> None:
        msg = ("AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using "
               f"{self.rt.pod_ip or '127.0.0.1'}. Set the 'ServerName' directive globally to suppress this message")
        self.log(msg, "stderr")
        self.log(msg, "stderr")
        self.log(f"[{self._stamp()}] [mpm_event:notice] [pid 1:tid 1] AH00489: {self.server} configured -- "
                 "resuming normal operations", "stderr")
        self.log(f"[{self._stamp()}] [core:notice] [pid 1:tid 1] AH00094: Command line: 'httpd -D FOREGROUND'",
                 "stderr")

    def on_stop(self) -> None:
        self.log(f"[{self._stamp()}] [mpm_event:notice] [pid 1:tid 1] AH00492: caught SIGWINCH, shutting down "
                 "gracefully", "stderr")

    def listeners(self) -> dict[tuple[str, int], Handler]:
        return {("TCP", 80): Handler(self, "TCP", 80, "http", http=self.serve)}

    def serve(self, request: HttpRequest) -> HttpResponse:
        rt = self.rt
        when = request.time or rt.now()
        path = posixpath.normpath(unquote(request.url_path))
        full = self.root + ("/" if path == "/" else path)
        if full.endswith("/"):
            full += "index.html"
        text = rt.read_file(full)
        keep = "Keep-Alive" if request.keep_alive else "close"
        if text is None:
            body = ('<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>404 Not Found</title>\n'
                    "</head><body>\n<h1>Not Found</h1>\n<p>The requested URL was not found on this server.</p>\n"
                    "</body></html>\n")
            headers = [("Date", http_date(when)), ("Server", self.server), ("Content-Length", str(len(body)))]
            if request.keep_alive:
                headers.append(("Keep-Alive", "timeout=5, max=100"))
            headers += [("Connection", keep), ("Content-Type", "text/html; charset=iso-8859-1")]
            resp = HttpResponse(status=404, headers=headers, body=body if request.method != "HEAD" else "",
                                head_only=request.method == "HEAD")
        else:
            size = content_length(text)
            mtime = rt.mtimes.get(full, HTTPD_INDEX_MTIME)
            etag = f'"{size:x}-{int(mtime * 1_000_000):x}"'
            headers = [("Date", http_date(when)), ("Server", self.server),
                       ("Last-Modified", http_date(datetime.fromtimestamp(mtime, UTC))), ("ETag", etag),
                       ("Accept-Ranges", "bytes"), ("Content-Length", str(size))]
            if request.keep_alive:
                headers.append(("Keep-Alive", "timeout=5, max=100"))
            headers += [("Connection", keep), ("Content-Type", _MIME.get(posixpath.splitext(full)[1], "text/plain"))]
            resp = HttpResponse(status=200, headers=headers, body=text if request.method != "HEAD" else "",
                                head_only=request.method == "HEAD")
        sent = "-" if resp.head_only or not resp.body else str(content_length(resp.body))
        stamp = when.astimezone(UTC).strftime("%d/%b/%Y:%H:%M:%S +0000")
        self.log(f'{request.client_ip} - - [{stamp}] "{request.method} {request.path} {request.version}" '
                 f"{resp.status} {sent}")
        return resp


# ------------------------------------------------------------------ python -m http.server

_ROOT_DIRS = ("bin", "boot", "dev", "etc", "home", "lib", "lib64", "media", "mnt", "opt", "proc", "root", "run",
              "sbin", "srv", "sys", "tmp", "usr", "var")


class PythonHttpServer(Program):
    """``python -m http.server [port]``: directory listings of its working directory.

    Its startup line goes to a block-buffered stdout (no TTY), so ``kubectl logs`` shows only the
    stderr access log unless PYTHONUNBUFFERED is set: the classic surprise.
    """

    name = "python3"
    stop_delay = 0.0
    term_exit_code = 143

    def __init__(self, image, argv, args: list[str]) -> None:
        super().__init__(image, argv)
        self.port = 8000
        self.directory = None
        self.bind = "0.0.0.0"
        i = 0
        while i < len(args):
            a = args[i]
            if a in ("-d", "--directory") and i + 1 < len(args):
                self.directory, i = args[i + 1], i + 1
            elif a in ("-b", "--bind") and i + 1 < len(args):
                self.bind, i = args[i + 1], i + 1
            elif a.isdigit():
                self.port = int(a)
            i += 1

    def run(self) -> Run:
        if self.rt.getenv("PYTHONUNBUFFERED"):
            self.log(f"Serving HTTP on {self.bind} port {self.port} (http://{self.bind}:{self.port}/) ...")
        yield FOREVER
        return 0

    def listeners(self) -> dict[tuple[str, int], Handler]:
        return {("TCP", self.port): Handler(self, "TCP", self.port, "http", http=self.serve)}

    def _entries(self, directory: str) -> list[tuple[str, bool]]:
        prefix = directory.rstrip("/") + "/"
        names: dict[str, bool] = {}
        if prefix == "/":
            names.update({d: True for d in _ROOT_DIRS})
        for path in list(self.rt.files) + sorted(self.rt.dirs):
            if path.startswith(prefix) and path != prefix.rstrip("/"):
                head, sep, _ = path[len(prefix):].partition("/")
                if head:
                    names[head] = names.get(head, False) or bool(sep) or path in self.rt.dirs
        return sorted(names.items(), key=lambda kv: kv[0].lower())

    def serve(self, request: HttpRequest) -> HttpResponse:
        from html import escape

        rt = self.rt
        base = (self.directory or self.image.workdir or "/").rstrip("/")
        path = posixpath.normpath(unquote(request.url_path))
        full = base + ("" if path == "/" else path)
        when = request.time or rt.now()
        server = f"SimpleHTTP/0.6 Python/{self.image.version}"
        status, body, ctype = 200, "", "text/html; charset=utf-8"
        text = rt.read_file(full or "/")
        if text is not None:
            body, ctype = text, _MIME.get(posixpath.splitext(full)[1], "application/octet-stream")
        elif rt.is_dir(full or "/") or (full or "/") == "/":
            if not request.url_path.endswith("/"):
                status = 301
            else:
                shown = escape(unquote(request.url_path), quote=False)
                items = "".join(f'<li><a href="{n}{"/" if d else ""}">{escape(n)}{"/" if d else ""}</a></li>\n'
                                for n, d in self._entries(full or "/"))
                body = ('<!DOCTYPE HTML>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
                        f"<title>Directory listing for {shown}</title>\n</head>\n<body>\n"
                        f"<h1>Directory listing for {shown}</h1>\n<hr>\n<ul>\n{items}</ul>\n<hr>\n</body>\n</html>\n")
        else:
            status = 404
            body = ('<!DOCTYPE HTML>\n<html lang="en">\n    <head>\n        <meta charset="utf-8">\n'
                    "        <title>Error response</title>\n    </head>\n    <body>\n        <h1>Error response</h1>\n"
                    "        <p>Error code: 404</p>\n        <p>Message: File not found.</p>\n"
                    "        <p>Error code explanation: 404 - Nothing matches the given URI.</p>\n    </body>\n</html>\n")
        headers = [("Server", server), ("Date", http_date(when))]
        if status == 301:
            headers += [("Location", request.url_path + "/"), ("Content-Length", "0")]
            body = ""
        elif status == 404:
            headers += [("Connection", "close"), ("Content-Type", "text/html;charset=utf-8"),
                        ("Content-Length", str(content_length(body)))]
        else:
            headers += [("Content-type", ctype), ("Content-Length", str(content_length(body)))]
            if text is not None:
                headers.append(("Last-Modified", http_date(datetime.fromtimestamp(rt.mtime(full), UTC))))
        resp = HttpResponse(status=status, version="HTTP/1.0", headers=headers,
                            body=body if request.method != "HEAD" else "", head_only=request.method == "HEAD")
        stamp = when.astimezone(UTC).strftime("%d/%b/%Y %H:%M:%S")
        line = f'{request.client_ip} - - [{stamp}] "{request.method} {request.path} {request.version}" {status} -'
        if status == 404:
            line = (f'{request.client_ip} - - [{stamp}] code 404, message File not found')
            self.log(line, "stderr")
            line = f'{request.client_ip} - - [{stamp}] "{request.method} {request.path} {request.version}" 404 -'
        self.log(line, "stderr")
        return resp


# ------------------------------------------------------------------ kube-proxy

def klog_line(moment: datetime, where: str, text: str, severity: str = "I") -> str:
    """A klog header line: ``I1122 06:00:01.234567       1 server_linux.go:66] "msg" k=v``."""
    m = moment.astimezone(UTC)
    return f"{severity}{m:%m%d %H:%M:%S}.{m.microsecond:06d}       1 {where}] {text}"


class KubeProxyProgram(ComponentProgram):
    """kube-proxy: its start-up log follows the mode and IPVS scheduler in its mounted config.conf.

    (The proxy rules themselves are the network layer's kube-proxy; this is the pod's process.)
    """

    def _config(self) -> tuple[str, str]:
        path = next((a.split("=", 1)[1] for a in self.argv if a.startswith("--config=")), "")
        text = self.rt.read_file(path) if path else None
        mode, scheduler, in_ipvs = "iptables", "", False
        for line in (text or "").splitlines():
            if line.startswith("mode:"):
                mode = line.split(":", 1)[1].strip().strip('"') or "iptables"
            in_ipvs = line.startswith("ipvs:") or (in_ipvs and line.startswith(" "))
            if in_ipvs and line.strip().startswith("scheduler:"):
                scheduler = line.split(":", 1)[1].strip().strip('"')
        return mode, scheduler

    def run(self) -> Run:
        now = self.rt.now()
        mode, scheduler = self._config()
        lines = [("server_linux.go:66", f'"Using {mode} Proxier"'),
                 ("server.go:256", '"kube-proxy running in single-stack mode" ipFamily="IPv4"')]
        if mode == "ipvs" and not scheduler:
            lines.append(("proxier.go:365", '"IPVS scheduler not specified, use rr by default" ipFamily="IPv4"'))
        version = self.image.version
        lines += [("server.go:516", f'"Version info" version="{version}"'),
                  ("server.go:518", '"Golang settings" GOGC="" GOMAXPROCS="" GOTRACEBACK=""'),
                  ("config.go:199", '"Starting service config controller"'),
                  ("shared_informer.go:350", '"Waiting for caches to sync" controller="service config"'),
                  ("config.go:105", '"Starting endpoint slice config controller"'),
                  ("shared_informer.go:350", '"Waiting for caches to sync" controller="endpoint slice config"'),
                  ("config.go:329", '"Starting node config controller"'),
                  ("shared_informer.go:350", '"Waiting for caches to sync" controller="node config"'),
                  ("shared_informer.go:357", '"Caches are synced" controller="node config"'),
                  ("shared_informer.go:357", '"Caches are synced" controller="service config"'),
                  ("shared_informer.go:357", '"Caches are synced" controller="endpoint slice config"')]
        for i, (where, text) in enumerate(lines):
            self.log(klog_line(now + timedelta(microseconds=173 * i + 41 * i * i), where, text), "stderr")
        yield FOREVER
        return 0
