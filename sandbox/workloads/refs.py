"""Image references normalised the way containerd/docker do it (docker.io/library/<name>:latest).

Why: the kubelet's events quote the user's text (``Pulling image "nginx"``) while the runtime's
errors and the Image ID quote the normalised reference (``docker.io/library/nginx:latest``).
"""

from __future__ import annotations

import re

from pydantic import BaseModel

_DOMAIN_RE = re.compile(r"^(localhost|[^/]*[.:][^/]*)$")
_NAME_RE = re.compile(r"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$")
_TAG_RE = re.compile(r"^[\w][\w.-]{0,127}$")
_DIGEST_RE = re.compile(r"^sha256:[0-9a-f]{64}$")


class ImageRef(BaseModel):
    """One parsed reference: ``domain/path[:tag][@digest]``."""

    text: str
    domain: str
    path: str
    tag: str
    digest: str = ""

    @property
    def repository(self) -> str:
        """``docker.io/library/nginx``."""
        return f"{self.domain}/{self.path}"

    @property
    def normalized(self) -> str:
        """``docker.io/library/nginx:latest`` (``@digest`` form when pinned by digest)."""
        if self.digest and not self.tag_given:
            return f"{self.repository}@{self.digest}"
        return f"{self.repository}:{self.tag}"

    tag_given: bool = True


def parse_ref(text: str) -> ImageRef | None:
    """Parse an image reference; None when it is not a valid reference at all."""
    if not text or text != text.strip() or any(c.isspace() for c in text):
        return None
    rest, digest = text, ""
    if "@" in rest:
        rest, digest = rest.split("@", 1)
        if not _DIGEST_RE.match(digest):
            return None
    tag, tag_given = "latest", False
    slash = rest.rfind("/")
    colon = rest.rfind(":")
    if colon > slash:
        rest, tag = rest[:colon], rest[colon + 1:]
        tag_given = True
        if not _TAG_RE.match(tag):
            return None
    first, _, remainder = rest.partition("/")
    if remainder and _DOMAIN_RE.match(first):
        domain, path = first, remainder
    else:
        domain, path = "docker.io", rest
    if domain == "index.docker.io":
        domain = "docker.io"
    if domain == "docker.io" and "/" not in path:
        path = "library/" + path
    if not _NAME_RE.match(path):
        return None
    return ImageRef(text=text, domain=domain, path=path, tag=tag, digest=digest, tag_given=tag_given)
