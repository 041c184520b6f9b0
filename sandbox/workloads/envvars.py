"""A container's environment as the kubelet and containerd build it.

Order matters for ``env``/``printenv``: containerd starts with PATH and HOSTNAME, then the image's
ENV (replacing in place), then the kubelet's list: the container's declared ``env`` in order
(``$(VAR)`` expanded, ``valueFrom`` resolved), then the service link variables, whose order comes from
a Go map (random: drawn from the cluster's seeded rng). ``HOME`` is added by runc when absent.
Service links follow pkg/kubelet/envvars/envvars.go and kubelet_pods.go getServiceEnvVarMap.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable

from sandbox.workloads.images import DEFAULT_PATH, ImageInfo

MASTER_SERVICES = frozenset({"kubernetes"})

Lookup = Callable[[str, str, str], dict | None]     # (resource, namespace, name) -> object or None


def env_name(text: str) -> str:
    """makeEnvVariableName: upper case, ``-`` -> ``_``."""
    return text.replace("-", "_").upper()


def _ip_set(svc: dict) -> bool:
    ip = (svc.get("spec") or {}).get("clusterIP")
    return bool(ip) and ip != "None"


def select_services(services: Iterable[dict], namespace: str, enable_service_links: bool) -> list[dict]:
    """getServiceEnvVarMap: the pod namespace's services (if links are on) + default/kubernetes always."""
    chosen: dict[str, dict] = {}
    for svc in services:
        if not _ip_set(svc):
            continue
        meta = svc["metadata"]
        name, ns = meta["name"], meta.get("namespace", "")
        if ns == "default" and name in MASTER_SERVICES:
            chosen.setdefault(name, svc)
        elif ns == namespace and enable_service_links:
            chosen[name] = svc
    return [chosen[k] for k in sorted(chosen)]


def service_env(svc: dict) -> list[tuple[str, str]]:
    """FromServices + makeLinkVariables for one Service, in the kubelet's order."""
    spec = svc["spec"]
    ip = spec["clusterIP"]
    ports = spec.get("ports") or []
    prefix = env_name(svc["metadata"]["name"])
    out: list[tuple[str, str]] = [(f"{prefix}_SERVICE_HOST", ip)]
    if ports:
        out.append((f"{prefix}_SERVICE_PORT", str(ports[0]["port"])))
    for sp in ports:
        if sp.get("name"):
            out.append((f"{prefix}_SERVICE_PORT_{env_name(sp['name'])}", str(sp["port"])))
    host = f"[{ip}]" if ":" in ip else ip
    for i, sp in enumerate(ports):
        proto = sp.get("protocol") or "TCP"
        url = f"{proto.lower()}://{host}:{sp['port']}"
        if i == 0:
            out.append((f"{prefix}_PORT", url))
        pp = f"{prefix}_PORT_{sp['port']}_{proto.upper()}"
        out += [(pp, url), (pp + "_PROTO", proto.lower()), (pp + "_PORT", str(sp["port"])), (pp + "_ADDR", ip)]
    return out


def service_links(services: Iterable[dict], namespace: str, enable_service_links: bool) -> dict[str, str]:
    env: dict[str, str] = {}
    for svc in select_services(services, namespace, enable_service_links):
        env.update(service_env(svc))
    return env


_REF_RE = re.compile(r"\$\$|\$\(([A-Za-z_][\w.-]*)\)")


def expand(value: str, sources: dict[str, str]) -> str:
    """expansion.Expand: ``$(VAR)`` from earlier vars and service vars; ``$$`` escapes; unknown stays."""
    def sub(m: re.Match) -> str:
        if m.group(0) == "$$":
            return "$"
        name = m.group(1)
        return sources.get(name, m.group(0))
    return _REF_RE.sub(sub, value)


def field_ref(pod: dict, path: str) -> str:
    """fieldRef values the downward API supports."""
    meta, spec, status = pod.get("metadata", {}), pod.get("spec", {}), pod.get("status", {})
    m = re.fullmatch(r"metadata\.(labels|annotations)\['(.+)'\]", path)
    if m:
        return (meta.get(m.group(1)) or {}).get(m.group(2), "")
    simple = {
        "metadata.name": meta.get("name", ""), "metadata.namespace": meta.get("namespace", ""),
        "metadata.uid": meta.get("uid", ""), "spec.nodeName": spec.get("nodeName", ""),
        "spec.serviceAccountName": spec.get("serviceAccountName", ""),
        "status.hostIP": status.get("hostIP", ""), "status.podIP": status.get("podIP", ""),
        "status.hostIPs": ",".join(i["ip"] for i in status.get("hostIPs") or []),
        "status.podIPs": ",".join(i["ip"] for i in status.get("podIPs") or []),
    }
    return simple.get(path, "")


def declared_env(pod: dict, container: dict, service_vars: dict[str, str], lookup: Lookup | None
                 ) -> list[tuple[str, str]]:
    """envFrom then env of a container, resolved the way the kubelet does (makeEnvironmentVariables)."""
    ns = pod["metadata"].get("namespace", "default")
    result: dict[str, str] = {}
    for src in container.get("envFrom") or []:
        prefix = src.get("prefix", "")
        ref = src.get("configMapRef") or src.get("secretRef")
        if not ref or lookup is None:
            continue
        obj = lookup("configmaps" if "configMapRef" in src else "secrets", ns, ref.get("name", ""))
        for k, v in sorted(((obj or {}).get("data") or {}).items()):
            result[prefix + k] = v
    for item in container.get("env") or []:
        name = item["name"]
        if "valueFrom" in item and item["valueFrom"]:
            vf = item["valueFrom"]
            value = ""
            if "fieldRef" in vf:
                value = field_ref(pod, vf["fieldRef"].get("fieldPath", ""))
            elif "configMapKeyRef" in vf and lookup is not None:
                ref = vf["configMapKeyRef"]
                obj = lookup("configmaps", ns, ref.get("name", ""))
                value = ((obj or {}).get("data") or {}).get(ref.get("key", ""), "")
            elif "resourceFieldRef" in vf:
                value = "0"
        else:
            value = expand(item.get("value", ""), {**service_vars, **result})
        result[name] = value
    return list(result.items())


class EnvSnapshot:
    """A container's environment, kept compact: its own variables plus a *shared* service-link map.

    Why: a namespace with N Services gives every container ~7N link variables; storing them per
    container would cost O(pods x services) memory. Containers started while the namespace's Services
    did not change share one read-only links dict, and the Go-map order is re-derived from a per-container
    seed whenever the list is materialised.
    """

    __slots__ = ("base", "links", "seed", "home", "_declared")

    def __init__(self, base: list[tuple[str, str]], links: dict[str, str], seed: int | None, home: str,
                 declared: frozenset[str]) -> None:
        self.base, self.links, self.seed, self.home, self._declared = base, links, seed, home, declared

    def get(self, name: str, default: str | None = None) -> str | None:
        """One variable without materialising the whole environment."""
        for k, v in reversed(self.base):
            if k == name:
                return v
        if name in self.links:
            return self.links[name]
        return self.home if name == "HOME" else default

    def items(self) -> list[tuple[str, str]]:
        env: dict[str, str] = dict(self.base)
        extra = [k for k in self.links if k not in self._declared]
        if self.seed is not None:
            random.Random(self.seed).shuffle(extra)
        for k in extra:
            env[k] = self.links[k]
        if "HOME" not in env:
            env["HOME"] = self.home
        return list(env.items())


def build_env_snapshot(image: ImageInfo, pod: dict, container: dict, hostname: str, links: dict[str, str],
                       seed: int | None = None, lookup: Lookup | None = None) -> EnvSnapshot:
    """The process environment of a container starting now, given the namespace's link variables."""
    env: dict[str, str] = {"PATH": DEFAULT_PATH, "HOSTNAME": hostname}
    for k, v in image.env:
        env[k] = v
    declared = declared_env(pod, container, links, lookup)
    for k, v in declared:
        env[k] = v
    return EnvSnapshot(list(env.items()), links, seed, image.home, frozenset(k for k, _ in declared))


def build_env(image: ImageInfo, pod: dict, container: dict, hostname: str, services: Iterable[dict],
              rng: random.Random | None = None, lookup: Lookup | None = None) -> list[tuple[str, str]]:
    """The process environment (ordered) of a container starting now."""
    spec = pod.get("spec", {})
    ns = pod["metadata"].get("namespace", "default")
    links = service_links(services, ns, spec.get("enableServiceLinks", True) is not False)
    seed = rng.getrandbits(32) if rng is not None else None
    return build_env_snapshot(image, pod, container, hostname, links, seed, lookup).items()
