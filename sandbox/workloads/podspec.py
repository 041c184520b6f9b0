"""What a pod spec asks of the node before its containers can run: QoS, volumes, env sources.

Pure functions over the spec plus a ``get(resource, namespace, name)`` lookup, so the kubelet keeps
only the orchestration. Messages are the kubelet's (volume manager, makeEnvironmentVariables).
"""

from __future__ import annotations

import base64
from collections.abc import Callable

Get = Callable[[str, str, str], "dict | None"]


def qos_class(pod: dict) -> str:
    """v1qos.GetPodQOS for cpu/memory requests and limits."""
    guaranteed = True
    any_set = False
    spec = pod.get("spec", {})
    for c in (spec.get("containers") or []) + (spec.get("initContainers") or []):
        res = c.get("resources") or {}
        req = {k: v for k, v in (res.get("requests") or {}).items() if k in ("cpu", "memory")}
        lim = {k: v for k, v in (res.get("limits") or {}).items() if k in ("cpu", "memory")}
        if req or lim:
            any_set = True
        if set(lim) != {"cpu", "memory"}:
            guaranteed = False
        for k, v in req.items():
            if str(lim.get(k)) != str(v):
                guaranteed = False
    if not any_set:
        return "BestEffort"
    return "Guaranteed" if guaranteed else "Burstable"


def missing_volume(pod: dict, get: Get) -> str | None:
    """The FailedMount message for the first non-optional configMap/secret volume that does not exist."""
    ns = pod["metadata"].get("namespace", "default")
    for v in pod["spec"].get("volumes") or []:
        cm, sec = v.get("configMap"), v.get("secret")
        if cm is not None and not cm.get("optional") and get("configmaps", ns, cm.get("name", "")) is None:
            return f'MountVolume.SetUp failed for volume "{v.get("name")}" : configmap "{cm.get("name")}" not found'
        if sec is not None and not sec.get("optional") and get("secrets", ns, sec.get("secretName", "")) is None:
            return (f'MountVolume.SetUp failed for volume "{v.get("name")}" : secret "{sec.get("secretName")}" '
                    "not found")
    return None


def env_error(namespace: str, container: dict, get: Get) -> str | None:
    """CreateContainerConfigError text for a missing ConfigMap/Secret (or key) in env/envFrom."""
    for src in container.get("envFrom") or []:
        for field, res, kind in (("configMapRef", "configmaps", "configmap"), ("secretRef", "secrets", "secret")):
            ref = src.get(field)
            if ref is not None and not ref.get("optional") and get(res, namespace, ref.get("name", "")) is None:
                return f'{kind} "{ref.get("name", "")}" not found'
    for item in container.get("env") or []:
        vf = item.get("valueFrom") or {}
        for field, res, kind, label in (("configMapKeyRef", "configmaps", "configmap", "ConfigMap"),
                                        ("secretKeyRef", "secrets", "secret", "Secret")):
            ref = vf.get(field)
            if ref is None or ref.get("optional"):
                continue
            obj = get(res, namespace, ref.get("name", ""))
            if obj is None:
                return f'{kind} "{ref.get("name", "")}" not found'
            data = dict(obj.get("data") or {})
            data.update(obj.get("binaryData") or {})
            if ref.get("key") not in data:
                return f"couldn't find key {ref.get('key')} in {label} {namespace}/{ref.get('name', '')}"
    return None


def _volume_data(vol: dict, ns: str, base: str, get: Get) -> dict[str, str] | None:
    if vol.get("configMap") is not None:
        cm = get("configmaps", ns, vol["configMap"].get("name", ""))
        data = dict((cm or {}).get("data") or {})
        items = vol["configMap"].get("items")
    elif vol.get("secret") is not None:
        sec = get("secrets", ns, vol["secret"].get("secretName", ""))
        data = {}
        for k, v in ((sec or {}).get("data") or {}).items():
            try:
                data[k] = base64.b64decode(v).decode("utf-8", "replace")
            except (ValueError, TypeError):
                data[k] = ""
        data.update((sec or {}).get("stringData") or {})
        items = vol["secret"].get("items")
    elif vol.get("emptyDir") is not None:
        return {}
    elif vol.get("projected") is not None and base.endswith("serviceaccount"):
        return {"namespace": ns}
    else:
        return None
    if items:
        data = {it.get("path", it.get("key")): data[it["key"]] for it in items if it.get("key") in data}
    return data


def mount_volumes(pod: dict, container: dict, files: dict[str, str], get: Get) -> None:
    """Project configMap/secret/emptyDir volumes into a container's files: a mount hides what the image had
    under its path; a ``subPath`` mount replaces just one file."""
    volumes = {v.get("name"): v for v in pod["spec"].get("volumes") or []}
    ns = pod["metadata"].get("namespace", "default")
    for m in container.get("volumeMounts") or []:
        vol = volumes.get(m.get("name"))
        if vol is None:
            continue
        base = "/" + (m.get("mountPath") or "/").strip("/")
        data = _volume_data(vol, ns, base, get)
        if data is None:
            continue
        sub = m.get("subPath")
        if sub:
            if sub in data:
                files[base] = data[sub]
            continue
        prefix = base.rstrip("/") + "/"
        for path in [p for p in files if p.startswith(prefix)]:
            del files[path]
        for k, v in data.items():
            files[prefix + k] = v
