"""The kubeconfig kubectl reads: kubeadm's admin.conf copied to ~/.kube/config on the control plane.

It lives in the lab's virtual filesystem, so ``cat ~/.kube/config`` and ``kubectl config
set-context`` see and change the same file. The default namespace of every command comes from it.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from typing import Any

from sandbox.kubectl.errors import KubectlError

SERVER = "https://172.30.1.2:6443"
CLUSTER = "kubernetes"
USER = "kubernetes-admin"
CONTEXT = "kubernetes-admin@kubernetes"
DEFAULT_PATH = "/root/.kube/config"
REDACTED = "DATA+OMITTED"


def _pem(label: str, seed: str, size: int) -> str:
    """A deterministic PEM-shaped blob (the lab has no real keys), base64-encoded as in admin.conf."""
    raw = b""
    counter = 0
    while len(raw) < size:
        raw += hashlib.sha256(f"{seed}/{counter}".encode()).digest()
        counter += 1
    body = base64.b64encode(raw[:size]).decode()
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    pem = f"-----BEGIN {label}-----\n" + "\n".join(lines) + f"\n-----END {label}-----\n"
    return base64.b64encode(pem.encode()).decode()


def default_text(*, ca_data: str | None = None, cert_data: str | None = None, key_data: str | None = None) -> str:
    """kubeadm's admin.conf, byte for byte in layout (what ``cat ~/.kube/config`` shows).

    The lab's certificate data is PEM-shaped filler; tests pass real base64 PEM data so that the
    real kubectl can load the same file.
    """
    ca_data = ca_data or _pem("CERTIFICATE", "ca", 780)
    cert_data = cert_data or _pem("CERTIFICATE", "admin-cert", 790)
    key_data = key_data or _pem("RSA PRIVATE KEY", "admin-key", 1190)
    return (
        "apiVersion: v1\n"
        "clusters:\n"
        "- cluster:\n"
        f"    certificate-authority-data: {ca_data}\n"
        f"    server: {SERVER}\n"
        f"  name: {CLUSTER}\n"
        "contexts:\n"
        "- context:\n"
        f"    cluster: {CLUSTER}\n"
        f"    user: {USER}\n"
        f"  name: {CONTEXT}\n"
        f"current-context: {CONTEXT}\n"
        "kind: Config\n"
        "preferences: {}\n"
        "users:\n"
        f"- name: {USER}\n"
        "  user:\n"
        f"    client-certificate-data: {cert_data}\n"
        f"    client-key-data: {key_data}\n"
    )


@dataclass
class KubeConfig:
    """A loaded kubeconfig (the YAML as dicts) and where it came from."""

    path: str
    data: dict[str, Any] = field(default_factory=dict)
    original: dict[str, Any] = field(default_factory=dict)

    def named(self, section: str) -> list[dict[str, Any]]:
        items = self.data.get(section) or []
        return [i for i in items if isinstance(i, dict)]

    def find(self, section: str, name: str) -> dict[str, Any] | None:
        for item in self.named(section):
            if item.get("name") == name:
                return item
        return None

    @property
    def current_context(self) -> str:
        return str(self.data.get("current-context") or "")

    def context(self, name: str | None = None) -> dict[str, Any]:
        item = self.find("contexts", name if name is not None else self.current_context)
        return (item or {}).get("context") or {}

    def namespace(self, context_name: str | None = None) -> str:
        return str(self.context(context_name or None).get("namespace") or "default")


def load(ctx: Any, path: str | None = None, *, missing_ok: bool = False) -> KubeConfig:
    """Read the kubeconfig (``--kubeconfig``, ``$KUBECONFIG`` or ~/.kube/config) from the lab's files.

    A missing ``--kubeconfig`` file is an error for ordinary commands (clientcmd stats it) but an
    empty config for ``kubectl config`` (``missing_ok``), as in the real binary.
    """
    explicit = path or (ctx.env.get("KUBECONFIG", "").split(":")[0] if ctx.env.get("KUBECONFIG") else "")
    target = explicit or _home_config(ctx)
    try:
        text = ctx.read_file(target)
    except Exception:  # noqa: BLE001 - any VFS failure means "no file"
        if explicit and path and not missing_ok:
            raise KubectlError(f"stat {path}: no such file or directory") from None
        text = default_text() if target == DEFAULT_PATH and not explicit else ""
    import copy

    data = _parse(text, target)
    kind = data.get("kind")
    if kind not in (None, "", "Config"):
        raise KubectlError(f'error loading config file "{explicit or target}": no kind "{kind}" is registered for '
                           f'version "{data.get("apiVersion", "")}" in scheme '
                           '"k8s.io/client-go/tools/clientcmd/api/latest/latest.go:50"')
    return KubeConfig(target, copy.deepcopy(data), copy.deepcopy(data))


_PARSED: dict[str, dict[str, Any]] = {}


def _parse(text: str, target: str) -> dict[str, Any]:
    """YAML parsing costs milliseconds; every kubectl run reads the same few files, so memoise by text."""
    import yaml

    hit = _PARSED.get(text)
    if hit is not None:
        return hit
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(text, Loader=loader) if text.strip() else {}  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        raise KubectlError(f"error loading config file \"{target}\": {exc}") from None
    if not isinstance(data, dict):
        data = {}
    if len(_PARSED) > 32:
        _PARSED.clear()
    _PARSED[text] = data
    return data


def _home_config(ctx: Any) -> str:
    home = ctx.env.get("HOME") or "/root"
    return home.rstrip("/") + "/.kube/config"


def save(ctx: Any, cfg: KubeConfig) -> None:
    """Write the file back as clientcmd does: keys sorted, empty preferences dropped."""
    from sandbox.kubectl.output import yaml_text

    if cfg.data == cfg.original:
        return   # clientcmd.ModifyConfig writes only what changed
    data = {k: v for k, v in cfg.data.items() if not (k == "preferences" and not v)}
    data.setdefault("apiVersion", "v1")
    data.setdefault("kind", "Config")
    ctx.write_file(cfg.path, yaml_text(_clean(data)))


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in ("apiVersion", "clusters", "contexts", "current-context", "kind", "preferences", "users"):
        if key in data:
            out[key] = data[key]
    if "current-context" not in out:
        out["current-context"] = ""
    for section in ("clusters", "contexts", "users"):
        out[section] = out.get(section) or None
    for k, v in data.items():
        out.setdefault(k, v)
    return out


def view(cfg: KubeConfig, *, raw: bool, minify: bool, context: str | None = None) -> dict[str, Any]:
    """``kubectl config view``: the v1 Config in Go struct order, secrets redacted unless ``--raw``."""
    contexts = cfg.named("contexts")
    clusters = cfg.named("clusters")
    users = cfg.named("users")
    current = cfg.current_context
    if minify:
        name = context or current
        if not name:
            raise KubectlError("current-context must exist in order to minify")
        ctx_item = cfg.find("contexts", name)
        if ctx_item is None:
            raise KubectlError(f'cannot locate context {name}')
        c = ctx_item.get("context") or {}
        contexts = [ctx_item]
        clusters = [x for x in clusters if x.get("name") == c.get("cluster")]
        users = [x for x in users if x.get("name") == c.get("user")]
        current = name
    out: dict[str, Any] = {"kind": "Config", "apiVersion": "v1"}   # empty preferences are omitted
    out["clusters"] = [{"name": x.get("name", ""), "cluster": _cluster(x.get("cluster") or {}, raw)}
                       for x in clusters] or None
    out["users"] = [{"name": x.get("name", ""), "user": _user(x.get("user") or {}, raw)} for x in users] or None
    out["contexts"] = [{"name": x.get("name", ""), "context": _context(x.get("context") or {})}
                       for x in contexts] or None
    out["current-context"] = current
    return out


_CLUSTER_ORDER = ("server", "tls-server-name", "insecure-skip-tls-verify", "certificate-authority",
                  "certificate-authority-data", "proxy-url", "disable-compression", "extensions")
_USER_ORDER = ("client-certificate", "client-certificate-data", "client-key", "client-key-data", "token",
               "tokenFile", "as", "as-uid", "as-groups", "as-user-extra", "username", "password",
               "auth-provider", "exec", "extensions")
_SECRET = {"certificate-authority-data", "client-certificate-data", "client-key-data", "token", "password"}


def _ordered(src: dict[str, Any], order: tuple[str, ...], raw: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in order:
        if key in src and src[key] not in (None, "", [], {}):
            out[key] = REDACTED if key in _SECRET and not raw else src[key]
    return out


def _cluster(src: dict[str, Any], raw: bool) -> dict[str, Any]:
    return _ordered(src, _CLUSTER_ORDER, raw)


def _user(src: dict[str, Any], raw: bool) -> dict[str, Any]:
    return _ordered(src, _USER_ORDER, raw)


def _context(src: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"cluster": src.get("cluster") or "", "user": src.get("user") or ""}
    if src.get("namespace"):
        out["namespace"] = src["namespace"]
    return out
