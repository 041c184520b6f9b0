"""HTTP as a program sees it: a parsed request in, status + ordered headers + body out.

Why ordered header lists: curl -i/-v and wget -S print headers in the server's own order (nginx
writes Server, Date, Content-Type...; Go servers their sorted map, then Date, Content-Length,
Content-Type), and that order is part of what a learner reads.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

from pydantic import BaseModel, Field

REASONS = {200: "OK", 201: "Created", 204: "No Content", 301: "Moved Permanently", 302: "Found",
           304: "Not Modified", 400: "Bad Request", 403: "Forbidden", 404: "Not Found",
           405: "Method Not Allowed", 500: "Internal Server Error", 502: "Bad Gateway",
           503: "Service Unavailable", 504: "Gateway Timeout"}


class HttpRequest(BaseModel):
    """One request as it arrives at a container's listener."""

    method: str = "GET"
    path: str = "/"                                   # request-target: path plus ?query
    version: str = "HTTP/1.1"
    headers: list[tuple[str, str]] = Field(default_factory=list)   # in the client's order
    body: str = ""
    client_ip: str = ""
    client_port: int = 0
    server_ip: str = ""                               # the pod IP the connection reached
    server_port: int = 0
    time: datetime | None = None                      # virtual time of arrival (Date, access log)

    def header(self, name: str, default: str | None = None) -> str | None:
        low = name.lower()
        for k, v in self.headers:
            if k.lower() == low:
                return v
        return default

    @property
    def url_path(self) -> str:
        return urlsplit(self.path).path or "/"

    @property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.path).query, keep_blank_values=True)

    @property
    def keep_alive(self) -> bool:
        conn = (self.header("Connection") or "").lower()
        if self.version == "HTTP/1.0":
            return conn == "keep-alive"
        return conn != "close"


class HttpResponse(BaseModel):
    """What the server writes back (``body`` is text; ``Content-Length`` counts its UTF-8 bytes)."""

    status: int = 200
    reason: str = ""
    version: str = "HTTP/1.1"
    headers: list[tuple[str, str]] = Field(default_factory=list)
    body: str = ""
    head_only: bool = False       # a HEAD answer: headers describe a body that is not sent

    def model_post_init(self, _ctx: object) -> None:
        if not self.reason:
            self.reason = REASONS.get(self.status, "")

    @property
    def status_line(self) -> str:
        return f"{self.version} {self.status} {self.reason}".rstrip()

    def header(self, name: str, default: str | None = None) -> str | None:
        low = name.lower()
        for k, v in self.headers:
            if k.lower() == low:
                return v
        return default

    def wire_headers(self) -> str:
        """Status line and headers with CRLF, ending in the blank line (what ``curl -i`` shows first)."""
        lines = [self.status_line] + [f"{k}: {v}" for k, v in self.headers]
        return "\r\n".join(lines) + "\r\n\r\n"


def http_date(moment: datetime) -> str:
    """RFC 7231 IMF-fixdate: ``Sun, 22 Nov 2026 06:00:00 GMT``."""
    return moment.astimezone(UTC).strftime("%a, %d %b %Y %H:%M:%S GMT")


def content_length(body: str) -> int:
    return len(body.encode())


def go_response(request: HttpRequest, status: int, body: str, *, headers: list[tuple[str, str]] | None = None,
                content_type: str | None = None) -> HttpResponse:
    """A Go net/http answer: handler headers sorted by key, then Date, Content-Length, Content-Type.

    Content-Type is sniffed (text/plain; charset=utf-8 for text) unless the handler set one.
    """
    own = sorted(headers or [], key=lambda kv: kv[0])
    out = list(own)
    now = request.time or datetime(2026, 11, 22, 6, 0, tzinfo=UTC)
    out.append(("Date", http_date(now)))
    out.append(("Content-Length", str(content_length(body))))
    if not any(k.lower() == "content-type" for k, _ in own):
        out.append(("Content-Type", content_type or sniff(body)))
    if not request.keep_alive:
        out.append(("Connection", "close"))
    return HttpResponse(status=status, headers=out, body="" if request.method == "HEAD" else body,
                        head_only=request.method == "HEAD")


def sniff(body: str) -> str:
    """net/http.DetectContentType for the bodies our programs produce."""
    head = body.lstrip()[:512].lower()
    if head.startswith(("<!doctype html", "<html", "<head", "<body", "<h1", "<p")):
        return "text/html; charset=utf-8"
    return "text/plain; charset=utf-8"


def go_json(value: object) -> str:
    """encoding/json.Marshal: compact, map keys sorted, HTML characters escaped."""
    text = json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
