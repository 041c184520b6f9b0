"""``kubectl cp`` (pkg/cmd/cp): files between the node and a container, through the container's ``tar``."""

from __future__ import annotations

import posixpath
from typing import Any

from sandbox.api.errors import ApiError
from sandbox.kubectl import pods
from sandbox.kubectl.cmd_exec import container_host, oci_not_found
from sandbox.kubectl.errors import Exit, KubectlError
from sandbox.kubectl.invocation import Invocation

_FORMAT = "filespec must match the canonical format: [[namespace/]pod:]file/path"


def _spec(arg: str) -> tuple[str, str, str]:
    """(namespace, pod, path); pod empty for a local path."""
    i = arg.find(":")
    if i == 0:
        raise KubectlError(_FORMAT)
    if i == -1:
        return "", "", arg
    pod, path = arg[:i], arg[i + 1:]
    pieces = pod.split("/")
    if len(pieces) == 1:
        return "", pieces[0], path
    if len(pieces) == 2:
        return pieces[0], pieces[1], path
    raise KubectlError(_FORMAT)


def cp(inv: Invocation) -> int:
    if len(inv.args) != 2:
        raise KubectlError("source and destination are required")
    src_ns, src_pod, src = _spec(inv.args[0])
    dst_ns, dst_pod, dst = _spec(inv.args[1])
    if src_pod and dst_pod:
        raise KubectlError("one of src or dest must be a local file specification")
    if not src or not dst:
        raise KubectlError("filepath can not be empty")
    if not src_pod and not dst_pod:
        raise KubectlError("one of src or dest must be a remote file specification")
    if dst_pod:
        if not inv.ctx.exists(src):
            raise KubectlError(f"{src} doesn't exist in local filesystem")
        host = _host(inv, dst_ns or inv.namespace, dst_pod)
        if host is None:
            return 0
        target = posixpath.normpath(dst if dst.startswith("/") else "/" + dst)
        if host.fs.is_dir(target) or dst.endswith("/"):
            if not host.fs.exists(target):
                host.fs.mkdir(target, parents=True)
            target = posixpath.join(target, posixpath.basename(src.rstrip("/")))
        for rel, text in _local_files(inv, src):
            path = posixpath.join(target, rel) if rel else target
            parent = posixpath.dirname(path)
            if parent and not host.fs.exists(parent):
                host.fs.mkdir(parent, parents=True)
            host.fs.write(path, text)
        return 0
    host = _host(inv, src_ns or inv.namespace, src_pod)
    if host is None:
        return 0
    path = src if src.startswith("/") else "/" + src
    if src.startswith("/"):
        inv.err("tar: Removing leading `/' from member names\n")
    if not host.fs.exists(path):
        inv.err(f"tar: {path.lstrip('/')}: Cannot stat: No such file or directory\n"
                "tar: Exiting with failure status due to previous errors\n")
        return 0
    files = _remote_files(host, path)
    dest = dst
    if inv.ctx.is_dir(dest):
        dest = dest.rstrip("/") + "/" + posixpath.basename(path.rstrip("/"))
    for rel, text in files:
        out = dest if not rel else dest.rstrip("/") + "/" + rel
        inv.ctx.write_file(out, text)
    return 0


def _host(inv: Invocation, ns: str, name: str) -> Any:
    try:
        pod = inv.cluster.get("pods", ns, name)
    except ApiError:
        raise
    container = pods.pick_container(pod, inv.flags.str("container"), inv.err)
    state = pods.container_state(pod, container["name"])
    if "running" not in (state.get("state") or {}):
        raise KubectlError(f'unable to upgrade connection: container not found ("{container["name"]}")')
    host = container_host(inv, pod, container["name"])
    if not host.has("tar"):
        inv.out(oci_not_found("tar"))
        inv.err("command terminated with exit code 126\n")
        raise Exit(1)
    return host


def _local_files(inv: Invocation, src: str) -> list[tuple[str, str]]:
    if not inv.ctx.is_dir(src):
        return [("", inv.ctx.read_file(src))]
    out: list[tuple[str, str]] = []
    for name in inv.ctx.list_dir(src):
        full = src.rstrip("/") + "/" + name
        for rel, text in _local_files(inv, full):
            out.append((name + ("/" + rel if rel else ""), text))
    return out


def _remote_files(host: Any, path: str) -> list[tuple[str, str]]:
    fs = host.fs
    if not fs.is_dir(path):
        return [("", fs.read(path))]
    out: list[tuple[str, str]] = []
    for name in fs.listdir(path):
        for rel, text in _remote_files(host, path.rstrip("/") + "/" + name):
            out.append((name + ("/" + rel if rel else ""), text))
    return out
