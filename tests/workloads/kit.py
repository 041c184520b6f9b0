"""Helpers: run one container's program on a bare clock, without a cluster."""

from __future__ import annotations

from sandbox.api.clock import Clock
from sandbox.workloads import podfiles
from sandbox.workloads.envvars import build_env
from sandbox.workloads.http import HttpRequest
from sandbox.workloads.images import image_info
from sandbox.workloads.programs import program_for
from sandbox.workloads.runtime import ContainerRuntime


def make_pod(name: str = "web", image: str = "nginx", ns: str = "default", **container) -> dict:
    c = {"name": name.split("-")[0], "image": image, **container}
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": ns, "uid": "11111111-2222-4333-8444-555555555555"},
            "spec": {"containers": [c], "nodeName": "node01"},
            "status": {"podIP": "10.244.1.5", "hostIP": "172.30.2.2"}}


def start(pod: dict, clock: Clock | None = None, services: list[dict] | None = None) -> ContainerRuntime:
    clock = clock or Clock()
    container = pod["spec"]["containers"][0]
    image = image_info(container["image"])
    assert image is not None
    program = program_for(pod, container)
    host = podfiles.pod_hostname(pod)
    env = build_env(image, pod, container, host, services or [])
    files = dict(image.files)
    files["/etc/resolv.conf"] = podfiles.resolv_conf(pod)
    rt = ContainerRuntime(clock=clock, pod=pod, container_name=container["name"], image=image, program=program,
                          container_id="0" * 64, env=env, hostname=host, pod_ip=pod["status"]["podIP"],
                          node="node01", files=files, file_mtime=1738753592.0)
    rt.exits = []
    rt.start(lambda r, code: r.exits.append(code))
    return rt


def get(rt: ContainerRuntime, path: str = "/", port: int | None = None, method: str = "GET",
        ua: str = "curl/7.88.1", host: str | None = None, extra: list | None = None):
    listeners = rt.listeners()
    if port is None:
        port = next(p for (proto, p), h in listeners.items() if h.kind == "http")
    handler = listeners[("TCP", port)]
    headers = [("Host", host or f"{rt.pod_ip}:{port}" if port != 80 else host or rt.pod_ip),
               ("User-Agent", ua), ("Accept", "*/*")] + (extra or [])
    req = HttpRequest(method=method, path=path, headers=headers, client_ip="10.244.2.7", client_port=51234,
                      server_ip=rt.pod_ip, server_port=port, time=rt.clock.now)
    return handler.handle_http(req)
