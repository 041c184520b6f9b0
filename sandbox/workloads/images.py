"""The image catalogue: what each image a lesson may use contains and how it starts.

``image_info(image)`` answers like a registry plus a runtime's image store would: a known repository
and tag give an :class:`ImageInfo`; a typo (``ngnix``) or a tag that does not exist
(``nginx:doesnotexist``) gives ``None`` and the kubelet turns that into ErrImagePull. Contents follow
../shared/reference/pod-tools.md §1 (binaries, shells, users, ports).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from functools import lru_cache

from pydantic import BaseModel, ConfigDict

from sandbox.workloads import binaries as B
from sandbox.workloads import imagefiles as F
from sandbox.workloads.refs import ImageRef, parse_ref

DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


class ImageInfo(BaseModel):
    """One pulled image: identity (for status/describe), contents (for the shell) and entrypoint."""

    model_config = ConfigDict(frozen=True)

    ref: str                      # as written in the pod spec
    repository: str               # docker.io/library/nginx
    tag: str                      # latest
    digest: str                   # sha256:<64 hex>
    size: int                     # bytes, for the Pulled event
    app: str                      # program family: nginx, httpenv, http-echo, whoami, agnhost, ...
    shell: str | None             # "bash" | "dash" | "ash" | "zsh" | None (distroless/scratch)
    shell_path: str | None        # "/bin/sh"
    login_shell: str | None       # what `kubectl exec -it ... -- bash` style prompts use by default
    binaries: frozenset[str]
    tools: dict[str, str]         # binary -> implementation and version ("curl": "curl 7.88.1")
    os_release: str | None
    files: dict[str, str]
    user: str = "root"
    uid: int = 0
    home: str = "/root"
    workdir: str = "/"
    entrypoint: tuple[str, ...] = ()
    cmd: tuple[str, ...] = ()
    env: tuple[tuple[str, str], ...] = (("PATH", DEFAULT_PATH),)
    exposed_ports: tuple[str, ...] = ()
    version: str = ""             # the application's own version (nginx 1.27.4, busybox 1.36.1, ...)

    @property
    def image_name(self) -> str:
        """containerStatuses[].image: ``docker.io/library/nginx:latest``."""
        return f"{self.repository}:{self.tag}"

    @property
    def image_id(self) -> str:
        """containerStatuses[].imageID and describe's ``Image ID``."""
        return f"{self.repository}@{self.digest}"

    @property
    def has(self) -> Callable[[str], bool]:
        return self.binaries.__contains__


def _digest(repository: str, tag: str) -> str:
    # Stable per (repository, tag): the same image always shows the same Image ID.
    return "sha256:" + hashlib.sha256(f"kubelab:{repository}:{tag}".encode()).hexdigest()


def _size(repository: str, tag: str, base: int) -> int:
    h = int(hashlib.sha256(f"size:{repository}:{tag}".encode()).hexdigest()[:6], 16)
    return base + h % 1_000_000


_Builder = Callable[[ImageRef], dict | None]
_FAMILIES: dict[str, _Builder] = {}


def _family(*repositories: str) -> Callable[[_Builder], _Builder]:
    def deco(fn: _Builder) -> _Builder:
        for repo in repositories:
            _FAMILIES[repo] = fn
        return fn
    return deco


# ---------------------------------------------------------------- shared bases

def _busybox_tools(version: str, libc: str = "musl") -> dict[str, str]:
    impl = f"busybox {version} {libc}"
    return {b: impl for b in ("sh", "ash", "wget", "nc", "nslookup", "ping", "ping6", "traceroute",
                              "telnet", "hostname", "ip", "netstat", "route", "ifconfig", "ps")}


def _alpine_base(version: str = "3.21.3", busybox: str = "1.37.0") -> dict:
    return dict(shell="ash", shell_path="/bin/sh", login_shell="/bin/sh", binaries=B.ALPINE,
                tools=_busybox_tools(busybox), os_release=F.alpine(version), files={})


def _debian_base(os_release: str = F.DEBIAN_12) -> dict:
    return dict(shell="dash", shell_path="/bin/sh", login_shell="/bin/bash", binaries=B.DEBIAN,
                tools={"bash": "bash 5.2.15", "sh": "dash 0.5.12"}, os_release=os_release, files={})


def _version_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in text.split("."))


# ---------------------------------------------------------------- nginx

#: Highest patch release of each nginx 1.x minor line published on Docker Hub.
_NGINX_PATCHES = {14: 2, 15: 12, 16: 1, 17: 10, 18: 0, 19: 10, 20: 2, 21: 6, 22: 1, 23: 4, 24: 0,
                  25: 5, 26: 3, 27: 5, 28: 0, 29: 3}
_NGINX_ALIASES = {"latest": "1.27.4", "mainline": "1.27.4", "1": "1.27.4", "stable": "1.26.3"}
_NGINX_VARIANTS = ("", "-alpine", "-alpine-slim", "-perl", "-alpine-perl", "-bookworm", "-bullseye")


def _nginx_version(tag: str) -> tuple[str, str] | None:
    """(version, variant) of an nginx tag, None when Docker Hub has no such tag."""
    for variant in sorted(_NGINX_VARIANTS, key=len, reverse=True):
        if variant and (tag == variant[1:] or tag.endswith(variant)):
            base = "latest" if tag == variant[1:] else tag[: -len(variant)]
            break
    else:
        variant, base = "", tag
    if base in _NGINX_ALIASES:
        return _NGINX_ALIASES[base], variant
    m = re.fullmatch(r"1\.(\d+)(?:\.(\d+))?", base)
    if not m:
        return None
    minor = int(m.group(1))
    if minor not in _NGINX_PATCHES:
        return None
    patch = _NGINX_PATCHES[minor] if m.group(2) is None else int(m.group(2))
    if patch > _NGINX_PATCHES[minor]:
        return None
    return f"1.{minor}.{patch}", variant


@_family("docker.io/library/nginx")
def _nginx(ref: ImageRef) -> dict | None:
    found = _nginx_version(ref.tag)
    if found is None:
        return None
    version, variant = found
    v = _version_tuple(version)
    index = F.NGINX_INDEX if v >= (1, 21, 2) else F.NGINX_INDEX_OLD
    files = {"/usr/share/nginx/html/index.html": index, "/usr/share/nginx/html/50x.html": F.NGINX_50X,
             "/etc/nginx/conf.d/default.conf": F.NGINX_DEFAULT_CONF}
    env = [("PATH", DEFAULT_PATH), ("NGINX_VERSION", version)]
    if "alpine" in variant:
        spec = _alpine_base()
        spec["binaries"] = spec["binaries"] | {"nginx", "nginx-debug", "envsubst", "docker-entrypoint.sh"}
        if "slim" not in variant and v >= (1, 17, 10):
            spec["binaries"] = spec["binaries"] | {"curl"}
            spec["tools"] = {**spec["tools"], "curl": "curl 8.12.1"}
        env += [("PKG_RELEASE", "1"), ("DYNPKG_RELEASE", "1"), ("NJS_VERSION", "0.8.9"), ("NJS_RELEASE", "1")]
        size = 20_000_000
    else:
        codename = "bookworm" if v >= (1, 23, 4) else "bullseye" if v >= (1, 21, 0) else "buster"
        if variant == "-bullseye":
            codename = "bullseye"
        spec = _debian_base(F.DEBIAN_12 if codename == "bookworm" else F.DEBIAN_12.replace("12", "11")
                            .replace("bookworm", "bullseye"))
        spec["binaries"] = spec["binaries"] | {"nginx", "nginx-debug", "envsubst", "docker-entrypoint.sh"}
        if v >= (1, 17, 10):
            curl = {"bookworm": "7.88.1", "bullseye": "7.74.0", "buster": "7.64.0"}[codename]
            spec["binaries"] = spec["binaries"] | {"curl"}
            spec["tools"] = {**spec["tools"], "curl": f"curl {curl}"}
        env += [("NJS_VERSION", "0.8.9"), ("NJS_RELEASE", f"1~{codename}"), ("PKG_RELEASE", f"1~{codename}"),
                ("DYNPKG_RELEASE", f"1~{codename}")]
        size = 72_000_000
    spec["files"] = files
    return dict(spec, app="nginx", entrypoint=("/docker-entrypoint.sh",), cmd=("nginx", "-g", "daemon off;"),
                env=tuple(env), exposed_ports=("80/tcp",), version=version, size_base=size)


@_family("docker.io/library/httpd")
def _httpd(ref: ImageRef) -> dict | None:
    versions = {"latest": "2.4.62", "2": "2.4.62", "2.4": "2.4.62", "2.4.62": "2.4.62", "alpine": "2.4.62",
                "2.4-alpine": "2.4.62", "2.4.61": "2.4.61", "2.4.58": "2.4.58"}
    if ref.tag not in versions:
        return None
    version = versions[ref.tag]
    spec = _alpine_base() if "alpine" in ref.tag else _debian_base()
    spec["binaries"] = spec["binaries"] | {"httpd", "apachectl", "httpd-foreground", "ab", "htpasswd"}
    spec["files"] = {"/usr/local/apache2/htdocs/index.html": F.HTTPD_INDEX}
    return dict(spec, app="httpd", cmd=("httpd-foreground",), workdir="/usr/local/apache2",
                env=(("PATH", "/usr/local/apache2/bin:" + DEFAULT_PATH), ("HTTPD_PREFIX", "/usr/local/apache2"),
                     ("HTTPD_VERSION", version)),
                exposed_ports=("80/tcp",), version=version, size_base=58_000_000)


@_family("docker.io/library/python")
def _python(ref: ImageRef) -> dict | None:
    m = re.fullmatch(r"(latest|3|3\.(?:9|1[0-4])(?:\.\d+)?)(-slim|-alpine|-bookworm|-slim-bookworm)?", ref.tag)
    if not m:
        return None
    base = {"latest": "3.13.1", "3": "3.13.1"}.get(m.group(1), m.group(1))
    version = base if base.count(".") == 2 else base + ".1"
    variant = m.group(2) or ""
    spec = _alpine_base() if "alpine" in variant else _debian_base()
    spec["binaries"] = spec["binaries"] | {"python", "python3", "pip", "pip3", "pydoc", "idle"}
    if not variant or variant == "-bookworm":     # buildpack-deps based: the usual download tools
        spec["binaries"] = spec["binaries"] | {"curl", "wget", "git", "ps", "ip"}
        spec["tools"] = {**spec["tools"], "curl": "curl 7.88.1", "wget": "gnu 1.21.3"}
    return dict(spec, app="python", cmd=("python3",),
                env=(("PATH", DEFAULT_PATH), ("LANG", "C.UTF-8"), ("GPG_KEY", "7169605F62C751356D054A26A821E680E5FA6305"),
                     ("PYTHON_VERSION", version), ("PYTHON_SHA256", hashlib.sha256(version.encode()).hexdigest())),
                version=version, size_base=400_000_000 if not variant else 45_000_000)


# ---------------------------------------------------------------- busybox and base OS images

_BUSYBOX_VERSIONS = {"1.28": "1.28.4", "1.29": "1.29.3", "1.30": "1.30.1", "1.31": "1.31.1",
                     "1.32": "1.32.1", "1.33": "1.33.1", "1.34": "1.34.1", "1.35": "1.35.0",
                     "1.36": "1.36.1", "1.37": "1.37.0"}


@_family("docker.io/library/busybox")
def _busybox(ref: ImageRef) -> dict | None:
    tag = ref.tag
    libc = "glibc"
    for suffix in ("-glibc", "-musl", "-uclibc"):
        if tag.endswith(suffix):
            tag, libc = tag[: -len(suffix)], suffix[1:]
            break
    if tag in ("glibc", "musl", "uclibc"):
        tag, libc = "latest", tag
    if tag in ("latest", "stable"):
        version = "1.36.1"
    elif tag in _BUSYBOX_VERSIONS:
        version = _BUSYBOX_VERSIONS[tag]
    elif tag in _BUSYBOX_VERSIONS.values() or tag in ("1.28.0", "1.28.1", "1.28.2", "1.28.3", "1.36.0"):
        version = tag
    else:
        return None
    return dict(app="shell", shell="ash", shell_path="/bin/sh", login_shell="/bin/sh", binaries=B.BUSYBOX,
                tools=_busybox_tools(version, libc), os_release=None, files={}, cmd=("sh",),
                version=version, size_base=2_100_000)


@_family("registry.k8s.io/busybox", "k8s.gcr.io/busybox", "gcr.io/google-containers/busybox")
def _k8s_busybox(ref: ImageRef) -> dict | None:
    """The old busybox the Kubernetes docs' probe examples use (registry.k8s.io/busybox, BusyBox 1.24)."""
    if ref.tag not in ("latest", "1.24", "1.27.2"):
        return None
    version = "1.27.2" if ref.tag == "1.27.2" else "1.24.2"
    return dict(app="shell", shell="ash", shell_path="/bin/sh", login_shell="/bin/sh", binaries=B.BUSYBOX,
                tools=_busybox_tools(version, "uclibc"), os_release=None, files={}, cmd=("sh",),
                version=version, size_base=1_100_000)


_ALPINE_VERSIONS = {"latest": "3.21.3", "3": "3.21.3", "3.21": "3.21.3", "3.20": "3.20.6", "3.19": "3.19.7",
                    "3.18": "3.18.12", "3.17": "3.17.10", "edge": "3.22.0_alpha20250108"}


@_family("docker.io/library/alpine")
def _alpine(ref: ImageRef) -> dict | None:
    version = _ALPINE_VERSIONS.get(ref.tag) or (ref.tag if ref.tag in _ALPINE_VERSIONS.values() else None)
    if version is None:
        return None
    return dict(_alpine_base(version if version[0].isdigit() else "3.22.0"), app="shell", cmd=("/bin/sh",),
                version=version, size_base=3_600_000)


_UBUNTU = {"latest": F.UBUNTU_2404, "24.04": F.UBUNTU_2404, "noble": F.UBUNTU_2404, "22.04": F.UBUNTU_2204,
           "jammy": F.UBUNTU_2204}


@_family("docker.io/library/ubuntu")
def _ubuntu(ref: ImageRef) -> dict | None:
    if ref.tag not in _UBUNTU:
        return None
    spec = _debian_base(_UBUNTU[ref.tag])
    spec["tools"] = {"bash": "bash 5.2.21", "sh": "dash 0.5.12"}
    return dict(spec, app="shell", cmd=("/bin/bash",), version=ref.tag, size_base=29_700_000)


_DEBIAN = {"latest": "12", "bookworm": "12", "12": "12", "stable": "12", "bookworm-slim": "12",
           "12-slim": "12", "stable-slim": "12", "bullseye": "11", "11": "11", "bullseye-slim": "11"}


@_family("docker.io/library/debian")
def _debian(ref: ImageRef) -> dict | None:
    if ref.tag not in _DEBIAN:
        return None
    release = F.DEBIAN_12 if _DEBIAN[ref.tag] == "12" else F.DEBIAN_12.replace("12", "11").replace(
        "bookworm", "bullseye")
    return dict(_debian_base(release), app="shell", cmd=("bash",), version=_DEBIAN[ref.tag],
                size_base=48_500_000)


# ---------------------------------------------------------------- client/debug images

@_family("docker.io/curlimages/curl")
def _curlimage(ref: ImageRef) -> dict | None:
    if ref.tag == "latest":
        version = "8.21.0"
    elif re.fullmatch(r"(7\.(8\d|9\d)|8\.\d{1,2})\.\d{1,2}", ref.tag):
        version = ref.tag
    else:
        return None
    spec = _alpine_base()
    spec["binaries"] = spec["binaries"] | {"curl", "entrypoint.sh"}
    spec["tools"] = {**spec["tools"], "curl": f"curl {version}"}
    return dict(spec, app="curl", user="curl_user", uid=100, home="/home/curl_user", workdir="/home/curl_user",
                entrypoint=("/entrypoint.sh",), cmd=("curl",),
                env=(("PATH", DEFAULT_PATH), ("CURL_CA_BUNDLE", "/cacert.pem")), version=version,
                size_base=10_900_000)


@_family("docker.io/nicolaka/netshoot", "docker.io/bretfisher/netshoot")
def _netshoot(ref: ImageRef) -> dict | None:
    if ref.tag not in ("latest", "v0.13", "v0.14", "v0.12", "v0.11"):
        return None
    spec = _alpine_base()
    spec["binaries"] = spec["binaries"] | B.NETSHOOT_EXTRA
    tools = dict(spec["tools"])
    tools.update({"curl": "curl 8.14.1", "nslookup": "bind 9.20.9", "dig": "bind 9.20.9", "host": "bind 9.20.9",
                  "nc": "openbsd 1.226", "ping": "iputils 20240905", "ip": "iproute2 6.15.0",
                  "bash": "bash 5.2.37", "zsh": "zsh 5.9", "jq": "jq 1.8.0", "ipvsadm": "ipvsadm 1.31"})
    spec["tools"] = tools
    return dict(spec, app="shell", login_shell="/bin/zsh", cmd=("zsh",),
                env=(("PATH", DEFAULT_PATH), ("HOSTNAME", "netshoot")), version=ref.tag,
                size_base=208_000_000)


@_family("registry.k8s.io/e2e-test-images/jessie-dnsutils", "gcr.io/kubernetes-e2e-test-images/dnsutils",
         "k8s.gcr.io/e2e-test-images/jessie-dnsutils")
def _dnsutils(ref: ImageRef) -> dict | None:
    if ref.tag not in ("1.3", "1.4", "1.5", "1.7"):
        return None
    spec = _debian_base(F.DEBIAN_8)
    spec["binaries"] = spec["binaries"] | B.DNSUTILS_EXTRA
    spec["tools"] = {"bash": "bash 4.3.30", "sh": "dash 0.5.7", "nslookup": "bind 9.9.5", "dig": "bind 9.9.5",
                     "host": "bind 9.9.5", "ping": "iputils s20121221", "nc": "traditional 1.10",
                     "wget": "gnu 1.16"}
    return dict(spec, app="shell", cmd=("/bin/sh",), version=ref.tag, size_base=112_000_000)


# ---------------------------------------------------------------- server images

@_family("docker.io/bretfisher/httpenv")
def _httpenv(ref: ImageRef) -> dict | None:
    if ref.tag != "latest":
        return None
    spec = _alpine_base("3.11.6", "1.31.1")
    spec["binaries"] = spec["binaries"] | {"httpenv"}
    return dict(spec, app="httpenv", cmd=("/httpenv",), exposed_ports=("8888/tcp",), version="latest",
                size_base=3_500_000)


@_family("docker.io/hashicorp/http-echo")
def _http_echo(ref: ImageRef) -> dict | None:
    versions = {"latest": "1.0.0", "1.0": "1.0.0", "1.0.0": "1.0.0", "0.2.3": "0.2.3"}
    if ref.tag not in versions:
        return None
    return dict(app="http-echo", shell=None, shell_path=None, login_shell=None,
                binaries=frozenset({"http-echo"}), tools={}, os_release=F.DISTROLESS_12, files={},
                user="nonroot", uid=65532, home="/home/nonroot", entrypoint=("/http-echo",),
                env=(("PATH", DEFAULT_PATH), ("SSL_CERT_FILE", "/etc/ssl/certs/ca-certificates.crt"),
                     ("ECHO_TEXT", "hello-world")),
                exposed_ports=("5678/tcp",), version=versions[ref.tag], size_base=3_400_000)


@_family("docker.io/traefik/whoami")
def _whoami(ref: ImageRef) -> dict | None:
    if not (ref.tag == "latest" or re.fullmatch(r"v1\.(\d+)(\.\d+)?", ref.tag)):
        return None
    return dict(app="whoami", shell=None, shell_path=None, login_shell=None, binaries=frozenset({"whoami"}),
                tools={}, os_release=None, files={}, entrypoint=("/whoami",), exposed_ports=("80/tcp",),
                version="1.11.0" if ref.tag == "latest" else ref.tag.lstrip("v"), size_base=3_100_000)


@_family("registry.k8s.io/e2e-test-images/agnhost", "k8s.gcr.io/e2e-test-images/agnhost")
def _agnhost(ref: ImageRef) -> dict | None:
    m = re.fullmatch(r"2\.(\d+)", ref.tag)
    if not m or not 20 <= int(m.group(1)) <= 56:
        return None
    spec = _alpine_base("3.19.1", "1.36.1")
    spec["binaries"] = spec["binaries"] | B.AGNHOST_EXTRA
    spec["tools"] = {**spec["tools"], "curl": "curl 8.5.0", "nc": "openbsd 1.226", "nslookup": "bind 9.18.24",
                     "dig": "bind 9.18.24", "host": "bind 9.18.24", "ip": "iproute2 6.6.0", "bash": "bash 5.2.21"}
    return dict(spec, app="agnhost", entrypoint=("/agnhost",), cmd=("pause",), version=ref.tag,
                size_base=51_000_000)


@_family("gcr.io/google-samples/hello-app", "us-docker.pkg.dev/google-samples/containers/gke/hello-app")
def _hello_app(ref: ImageRef) -> dict | None:
    if ref.tag not in ("1.0", "2.0"):
        return None
    return dict(app="hello-app", shell=None, shell_path=None, login_shell=None,
                binaries=frozenset({"hello-app"}), tools={}, os_release=F.DISTROLESS_12, files={},
                user="nonroot", uid=65532, home="/home/nonroot", cmd=("/hello-app",),
                exposed_ports=("8080/tcp",), version=ref.tag, size_base=4_200_000)


# ---------------------------------------------------------------- cluster components

def _component(app: str, binary: str, tag_re: str, size: int, extra: frozenset[str] = frozenset()) -> _Builder:
    def build(ref: ImageRef) -> dict | None:
        if not re.fullmatch(tag_re, ref.tag):
            return None
        return dict(app=app, shell=None, shell_path=None, login_shell=None,
                    binaries=frozenset({binary}) | extra, tools={}, os_release=F.DISTROLESS_12, files={},
                    entrypoint=(f"/{binary}",) if app != "pause" else ("/pause",), version=ref.tag,
                    size_base=size)
    return build


_FAMILIES["registry.k8s.io/coredns/coredns"] = _component("coredns", "coredns", r"v1\.(9|1[0-3])\.\d+", 22_000_000)
_FAMILIES["registry.k8s.io/pause"] = _component("pause", "pause", r"3\.(\d+)(\.\d+)?", 320_000)
_FAMILIES["registry.k8s.io/etcd"] = _component("etcd", "etcd", r"3\.[56]\.\d+-0", 57_000_000,
                                               frozenset({"etcdctl", "etcdutl"}))
for _c, _sz in (("kube-apiserver", 28_000_000), ("kube-controller-manager", 26_000_000),
                ("kube-scheduler", 20_000_000)):
    _FAMILIES[f"registry.k8s.io/{_c}"] = _component(_c, _c, r"v1\.3\d\.\d+", _sz)
_FAMILIES["registry.k8s.io/kube-proxy"] = _component(
    "kube-proxy", "kube-proxy", r"v1\.3\d\.\d+", 30_000_000,
    frozenset({"iptables", "iptables-save", "iptables-restore", "ip6tables", "ipset", "conntrack", "xtables-nft-multi"}))


# ---------------------------------------------------------------- lookup

@lru_cache(maxsize=1024)
def image_info(image: str) -> ImageInfo | None:
    """The image a pod spec names, or None when a registry would not find it (ErrImagePull)."""
    ref = parse_ref(image)
    if ref is None:
        return None
    builder = _FAMILIES.get(ref.repository)
    if builder is None:
        return None
    spec = builder(ref)
    if spec is None:
        return None
    tag = ref.tag
    digest = _digest(ref.repository, tag)
    if ref.digest and ref.digest != digest:
        return None
    size = _size(ref.repository, tag, spec.pop("size_base", 10_000_000))
    return ImageInfo(ref=image, repository=ref.repository, tag=tag, digest=digest, size=size, **spec)


def normalized(image: str) -> str:
    """``nginx`` -> ``docker.io/library/nginx:latest`` (the runtime's spelling, used in pull errors)."""
    ref = parse_ref(image)
    return ref.normalized if ref is not None else image


def pull_error(image: str) -> str:
    """containerd's error for an image that cannot be pulled, as the kubelet quotes it."""
    ref = parse_ref(image)
    if ref is None:
        return f'failed to pull and unpack image "{image}": invalid reference format'
    full = ref.normalized
    if ref.repository in _FAMILIES:
        if ref.digest:
            return (f'rpc error: code = NotFound desc = failed to pull and unpack image "{full}": failed to '
                    f'resolve reference "{full}": {full}: not found')
        return (f'rpc error: code = NotFound desc = failed to pull and unpack image "{full}": failed to resolve '
                f'reference "{full}": {full}: not found')
    return (f'rpc error: code = Unknown desc = failed to pull and unpack image "{full}": failed to resolve '
            f'reference "{full}": pull access denied, repository does not exist or may require authorization: '
            f"server message: insufficient_scope: authorization failed")


def known_repositories() -> list[str]:
    return sorted(_FAMILIES)
