"""Server-side defaulting, as the apiserver applies it after decoding (before validation).

Mirrors kubernetes pkg/apis/core/v1/defaults.go, pkg/apis/apps/v1/defaults.go, the v1<->internal
conversions that are visible in stored objects (``serviceAccount`` mirrors ``serviceAccountName``),
the REST strategies' PrepareForCreate bits that fill spec (namespace finalizers, Service IP families)
and the admission plugins every kubeadm cluster runs on pods (ServiceAccount, Priority,
DefaultTolerationSeconds). ClusterIP and nodePort *allocation* is not here: the engine's allocators
do it, because it needs cluster state.

All functions work in place on the decoded wire-form dict (see :func:`sandbox.api.decode.decode`).
"""

from __future__ import annotations

from collections.abc import Callable

DEFAULT_CLIENT_IP_TIMEOUT = 10800
DEFAULT_TERMINATION_GRACE = 30
DEFAULT_TOLERATION_SECONDS = 300


def apply_defaults(obj: dict, old: dict | None = None) -> None:
    """Default a decoded object in place according to its kind (unknown kinds are left alone).

    Pass ``old`` (the stored object) on updates: a Service then gets the service REST's update
    preparation first (type-dependent fields dropped, allocated clusterIPs/nodePorts carried over).
    """
    kind = obj.get("kind", "")
    if kind == "Service" and old is not None:
        prepare_service_update(obj, old)
    fn = _BY_KIND.get(kind)
    if fn is not None:
        fn(obj)


# ------------------------------------------------------------------------------------- Service
def _externally_accessible(spec: dict) -> bool:
    """pkg/api/service ExternallyAccessible."""
    t = spec.get("type")
    return t in ("LoadBalancer", "NodePort") or (t == "ClusterIP" and bool(spec.get("externalIPs")))


def default_service(obj: dict) -> None:
    spec = obj.setdefault("spec", {})
    affinity = spec.get("sessionAffinity") or "None"
    spec["sessionAffinity"] = affinity
    if affinity == "None":
        spec.pop("sessionAffinityConfig", None)
    elif affinity == "ClientIP":
        cfg = spec.get("sessionAffinityConfig") or {}
        client = cfg.get("clientIP") or {}
        if client.get("timeoutSeconds") is None:
            spec["sessionAffinityConfig"] = {"clientIP": {"timeoutSeconds": DEFAULT_CLIENT_IP_TIMEOUT}}
    if not spec.get("type"):
        spec["type"] = "ClusterIP"
    for port in spec.get("ports") or ():
        if not port.get("protocol"):
            port["protocol"] = "TCP"
        if port.get("targetPort") in (0, "", None):
            port["targetPort"] = port.get("port", 0)
    if _externally_accessible(spec) and not spec.get("externalTrafficPolicy"):
        spec["externalTrafficPolicy"] = "Cluster"
    if spec.get("internalTrafficPolicy") is None and spec["type"] in ("NodePort", "LoadBalancer", "ClusterIP"):
        spec["internalTrafficPolicy"] = "Cluster"
    if spec["type"] == "LoadBalancer":
        if spec.get("allocateLoadBalancerNodePorts") is None:
            spec["allocateLoadBalancerNodePorts"] = True
        for ing in ((obj.get("status") or {}).get("loadBalancer") or {}).get("ingress") or ():
            if ing.get("ip") and ing.get("ipMode") is None:
                ing["ipMode"] = "VIP"
    normalize_cluster_ips(spec)
    default_service_ip_families(obj)


def normalize_cluster_ips(spec: dict, old_spec: dict | None = None) -> None:
    """service REST normalizeClusterIPs: keep clusterIP and clusterIPs in step."""
    ip = spec.get("clusterIP") or ""
    ips = spec.get("clusterIPs") or []
    if old_spec is None:
        if ip and not ips:
            spec["clusterIPs"] = [ip]
        return
    old_ip = old_spec.get("clusterIP") or ""
    old_ips = old_spec.get("clusterIPs") or []
    if ip != old_ip and ips == old_ips:
        if ip:
            spec["clusterIPs"] = [ip]
        else:
            spec.pop("clusterIPs", None)
    elif not ip and not ips:
        spec.pop("clusterIPs", None)


def _needs_cluster_ip(spec: dict) -> bool:
    return spec.get("type") != "ExternalName"


def _needs_node_port(spec: dict) -> bool:
    t = spec.get("type")
    return t == "NodePort" or (t == "LoadBalancer" and spec.get("allocateLoadBalancerNodePorts", True) is not False)


def prepare_service_update(obj: dict, old: dict) -> None:
    """dropTypeDependentFields + normalizeClusterIPs + patchAllocatedValues (service strategy/REST)."""
    spec = obj.setdefault("spec", {})
    old_spec = old.get("spec") or {}
    if not spec.get("type"):
        spec["type"] = "ClusterIP"
    new_type, old_type = spec["type"], old_spec.get("type")
    # dropTypeDependentFields: only wipe what the user left as it was
    if _needs_cluster_ip(old_spec) and not _needs_cluster_ip(spec):
        if (spec.get("clusterIP") or "") == (old_spec.get("clusterIP") or "") and \
                (spec.get("clusterIPs") or []) == (old_spec.get("clusterIPs") or []):
            spec.pop("clusterIP", None)
            spec.pop("clusterIPs", None)
        if spec.get("ipFamilies") == old_spec.get("ipFamilies"):
            spec.pop("ipFamilies", None)
        if spec.get("ipFamilyPolicy") == old_spec.get("ipFamilyPolicy"):
            spec.pop("ipFamilyPolicy", None)
    if _needs_node_port(old_spec) and not _needs_node_port(spec):
        old_np = [p.get("nodePort", 0) for p in old_spec.get("ports") or ()]
        if [p.get("nodePort", 0) for p in spec.get("ports") or ()] == old_np:
            for p in spec.get("ports") or ():
                p.pop("nodePort", None)
    if old_type == "LoadBalancer" and new_type != "LoadBalancer":
        if spec.get("allocateLoadBalancerNodePorts") is not None and \
                spec.get("allocateLoadBalancerNodePorts") == old_spec.get("allocateLoadBalancerNodePorts"):
            spec.pop("allocateLoadBalancerNodePorts", None)
        obj.setdefault("status", {})["loadBalancer"] = {}
    if old_type in ("NodePort", "LoadBalancer") and new_type not in ("NodePort", "LoadBalancer") \
            and not spec.get("externalIPs"):
        if spec.get("externalTrafficPolicy") == old_spec.get("externalTrafficPolicy"):
            spec.pop("externalTrafficPolicy", None)
    normalize_cluster_ips(spec, old_spec)
    # patchAllocatedValues: a replace without the allocated values keeps them
    if _needs_cluster_ip(old_spec) and _needs_cluster_ip(spec):
        if not spec.get("clusterIP") and old_spec.get("clusterIP"):
            spec["clusterIP"] = old_spec["clusterIP"]
        if not spec.get("clusterIPs") and old_spec.get("clusterIPs"):
            spec["clusterIPs"] = list(old_spec["clusterIPs"])
        if not spec.get("ipFamilies") and old_spec.get("ipFamilies"):
            spec["ipFamilies"] = list(old_spec["ipFamilies"])
        if spec.get("ipFamilyPolicy") is None and old_spec.get("ipFamilyPolicy") is not None:
            spec["ipFamilyPolicy"] = old_spec["ipFamilyPolicy"]
    if _needs_node_port(old_spec) and _needs_node_port(spec):
        new_ports = spec.get("ports") or []
        used = {p.get("nodePort") for p in old_spec.get("ports") or ()} & {p.get("nodePort") for p in new_ports}
        by_key = {(p.get("port"), p.get("protocol") or "TCP"): p.get("nodePort", 0)
                  for p in old_spec.get("ports") or ()}
        for p in new_ports:
            if not p.get("nodePort"):
                value = by_key.get((p.get("port"), p.get("protocol") or "TCP"), 0)
                if value and value not in used:
                    p["nodePort"] = value
    if old_spec.get("healthCheckNodePort") and not spec.get("healthCheckNodePort") and new_type == old_type:
        spec["healthCheckNodePort"] = old_spec["healthCheckNodePort"]


def default_service_ip_families(obj: dict) -> None:
    """The service REST's initIPFamilyFields on a single-stack IPv4 cluster.

    ExternalName services get no families. Headless services without a selector get
    ``RequireDualStack`` and, the one exception single-stack clusters allow, both families
    (``[IPv4, IPv6]``); everything else ``SingleStack`` + the families of its clusterIPs or
    ``[IPv4]``. Invalid requests are left for validation to report.
    """
    spec = obj["spec"]
    if spec.get("type") == "ExternalName":
        return
    headless_selectorless = spec.get("clusterIP") == "None" and not spec.get("selector")
    if spec.get("ipFamilyPolicy") is None:
        spec["ipFamilyPolicy"] = "RequireDualStack" if headless_selectorless else "SingleStack"
    families = list(spec.get("ipFamilies") or [])
    for i, ip in enumerate(spec.get("clusterIPs") or ()):
        if ip == "None":
            break
        if i >= len(families):
            families.append("IPv6" if ":" in ip else "IPv4")
    if not families:
        families = ["IPv4"]
    if headless_selectorless and len(families) < 2 and spec["ipFamilyPolicy"] != "SingleStack":
        families.append("IPv6" if families[0] == "IPv4" else "IPv4")
    spec["ipFamilies"] = families


# ----------------------------------------------------------------------------------------- Pod
def image_pull_policy(image: str) -> str:
    """SetDefaults_Container: ``Always`` for ``:latest`` or untagged images, else ``IfNotPresent``."""
    name, _, digest = image.partition("@")
    last = name.rsplit("/", 1)[-1]
    tag = last.rsplit(":", 1)[1] if ":" in last else ""
    if not tag and not digest:
        tag = "latest"
    return "Always" if tag == "latest" else "IfNotPresent"


def _default_probe(probe: dict | None) -> None:
    if not probe:
        return
    for key, value in (("timeoutSeconds", 1), ("periodSeconds", 10), ("successThreshold", 1),
                       ("failureThreshold", 3)):
        if not probe.get(key):
            probe[key] = value
    _default_handler(probe)


def _default_handler(handler: dict | None) -> None:
    if not handler:
        return
    http = handler.get("httpGet")
    if http is not None:
        if not http.get("path"):
            http["path"] = "/"
        if not http.get("scheme"):
            http["scheme"] = "HTTP"


def _default_field_ref(ref: dict | None) -> None:
    if ref is not None and not ref.get("apiVersion"):
        ref["apiVersion"] = "v1"


def default_container(c: dict) -> None:
    round_up_resources(c.get("resources"))
    if not c.get("imagePullPolicy"):
        c["imagePullPolicy"] = image_pull_policy(c.get("image") or "")
    if not c.get("terminationMessagePath"):
        c["terminationMessagePath"] = "/dev/termination-log"
    if not c.get("terminationMessagePolicy"):
        c["terminationMessagePolicy"] = "File"
    for port in c.get("ports") or ():
        if not port.get("protocol"):
            port["protocol"] = "TCP"
    for env in c.get("env") or ():
        _default_field_ref((env.get("valueFrom") or {}).get("fieldRef"))
    for key in ("livenessProbe", "readinessProbe", "startupProbe"):
        _default_probe(c.get(key))
    lifecycle = c.get("lifecycle") or {}
    _default_handler(lifecycle.get("postStart"))
    _default_handler(lifecycle.get("preStop"))


_MODE_DEFAULTED = ("secret", "configMap", "downwardAPI", "projected")
VOLUME_SOURCES = ("hostPath", "emptyDir", "secret", "nfs", "persistentVolumeClaim", "downwardAPI",
                   "configMap", "projected", "csi", "ephemeral", "image", "gcePersistentDisk",
                   "awsElasticBlockStore", "gitRepo", "iscsi", "glusterfs", "rbd", "flexVolume", "cinder", "cephfs",
                   "flocker", "fc", "azureFile", "vsphereVolume", "quobyte", "azureDisk", "photonPersistentDisk",
                   "portworxVolume", "scaleIO", "storageos")


def _default_volume(v: dict) -> None:
    if not any(v.get(k) is not None for k in VOLUME_SOURCES):
        v["emptyDir"] = {}
    for key in _MODE_DEFAULTED:
        src = v.get(key)
        if src is not None and src.get("defaultMode") is None:
            src["defaultMode"] = 420
    host = v.get("hostPath")
    if host is not None and host.get("type") is None:
        host["type"] = ""
    for item in (v.get("downwardAPI") or {}).get("items") or ():
        _default_field_ref(item.get("fieldRef"))
    for source in (v.get("projected") or {}).get("sources") or ():
        token = source.get("serviceAccountToken")
        if token is not None and token.get("expirationSeconds") is None:
            token["expirationSeconds"] = 3600
        for item in (source.get("downwardAPI") or {}).get("items") or ():
            _default_field_ref(item.get("fieldRef"))


def default_pod_spec(spec: dict) -> None:
    """SetDefaults_PodSpec + its containers/volumes, and the serviceAccount conversion mirror."""
    if not spec.get("dnsPolicy"):
        spec["dnsPolicy"] = "ClusterFirst"
    if not spec.get("restartPolicy"):
        spec["restartPolicy"] = "Always"
    if spec.get("securityContext") is None:
        spec["securityContext"] = {}
    if spec.get("terminationGracePeriodSeconds") is None:
        spec["terminationGracePeriodSeconds"] = DEFAULT_TERMINATION_GRACE
    if not spec.get("schedulerName"):
        spec["schedulerName"] = "default-scheduler"
    for key in ("initContainers", "containers", "ephemeralContainers"):
        for c in spec.get(key) or ():
            default_container(c)
    for v in spec.get("volumes") or ():
        _default_volume(v)
    _mirror_service_account(spec)


def _mirror_service_account(spec: dict) -> None:
    """v1 conversion: serviceAccountName falls back to serviceAccount, which always mirrors it."""
    name = spec.get("serviceAccountName") or spec.get("serviceAccount") or ""
    if name:
        spec["serviceAccountName"] = name
        spec["serviceAccount"] = name
    else:
        spec.pop("serviceAccountName", None)
        spec.pop("serviceAccount", None)


def _host_network_ports(spec: dict) -> None:
    for key in ("initContainers", "containers"):
        for c in spec.get(key) or ():
            for port in c.get("ports") or ():
                if not port.get("hostPort"):
                    port["hostPort"] = port.get("containerPort", 0)


def default_pod_template(template: dict | None) -> None:
    if template is not None:
        default_pod_spec(template.setdefault("spec", {}))


def round_up_resources(resources: dict | None) -> None:
    """SetDefaults_ResourceList: quantities are rounded up to milli precision (``1n`` -> ``1m``)."""
    from fractions import Fraction

    from sandbox.api.decode import format_quantity, parse_quantity

    for bag in ("limits", "requests"):
        values = (resources or {}).get(bag)
        for name, text in list((values or {}).items()):
            value, fmt = parse_quantity(str(text))
            milli = value * 1000
            if milli.denominator != 1:
                values[name] = format_quantity(Fraction(-((-milli.numerator) // milli.denominator), 1000), fmt)


def default_pod(obj: dict) -> None:
    """SetDefaults_Pod + PodSpec defaults + the admission plugins a kubeadm apiserver runs."""
    spec = obj.setdefault("spec", {})
    for key in ("containers", "initContainers"):
        for c in spec.get(key) or ():
            resources = c.setdefault("resources", {})
            limits = resources.get("limits")
            if limits:
                requests = resources.setdefault("requests", {})
                for name, value in limits.items():
                    requests.setdefault(name, value)
            requests = resources.get("requests")
            if key == "containers" and requests is not None:
                # InPlacePodVerticalScaling (on since v1.33): resize policy NotRequired per requested resource
                policies = c.get("resizePolicy") or []
                named = {p.get("resourceName") for p in policies}
                for resource in ("cpu", "memory"):
                    if resource in requests and resource not in named:
                        policies.append({"resourceName": resource, "restartPolicy": "NotRequired"})
                if policies:
                    c["resizePolicy"] = policies
    if spec.get("enableServiceLinks") is None:
        spec["enableServiceLinks"] = True
    if spec.get("hostNetwork"):     # SetDefaults_Pod only: templates keep hostPort unset
        _host_network_ports(spec)
    default_pod_spec(spec)
    admit_pod(spec)


def admit_pod(spec: dict) -> None:
    """ServiceAccount (name only), Priority and DefaultTolerationSeconds admission."""
    if not spec.get("serviceAccountName"):
        spec["serviceAccountName"] = "default"
        spec["serviceAccount"] = "default"
    if spec.get("priority") is None and not spec.get("priorityClassName"):
        spec["priority"] = 0
    if spec.get("preemptionPolicy") is None:
        spec["preemptionPolicy"] = "PreemptLowerPriority"
    tolerations = spec.get("tolerations") or []
    for key in ("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"):
        tolerated = any(t.get("key", "") in (key, "") and t.get("effect", "") in ("NoExecute", "")
                        for t in tolerations)
        if not tolerated:
            tolerations.append({"key": key, "operator": "Exists", "effect": "NoExecute",
                                "tolerationSeconds": DEFAULT_TOLERATION_SECONDS})
    spec["tolerations"] = tolerations


# ---------------------------------------------------------------------------------------- apps
def _default_replicas(spec: dict) -> None:
    if spec.get("replicas") is None:
        spec["replicas"] = 1


def _default_history(spec: dict) -> None:
    if spec.get("revisionHistoryLimit") is None:
        spec["revisionHistoryLimit"] = 10


def default_deployment(obj: dict) -> None:
    spec = obj.setdefault("spec", {})
    _default_replicas(spec)
    strategy = spec.setdefault("strategy", {})
    if not strategy.get("type"):
        strategy["type"] = "RollingUpdate"
    if strategy["type"] == "RollingUpdate":
        ru = strategy.get("rollingUpdate")
        if ru is None:
            ru = strategy["rollingUpdate"] = {}
        if ru.get("maxUnavailable") is None:
            ru["maxUnavailable"] = "25%"
        if ru.get("maxSurge") is None:
            ru["maxSurge"] = "25%"
    _default_history(spec)
    if spec.get("progressDeadlineSeconds") is None:
        spec["progressDeadlineSeconds"] = 600
    default_pod_template(spec.get("template"))


def default_replicaset(obj: dict) -> None:
    spec = obj.setdefault("spec", {})
    _default_replicas(spec)
    default_pod_template(spec.get("template"))


def default_statefulset(obj: dict) -> None:
    spec = obj.setdefault("spec", {})
    if not spec.get("podManagementPolicy"):
        spec["podManagementPolicy"] = "OrderedReady"
    strategy = spec.setdefault("updateStrategy", {})
    if not strategy.get("type"):
        strategy["type"] = "RollingUpdate"
        if strategy.get("rollingUpdate") is None:
            strategy["rollingUpdate"] = {}
    ru = strategy.get("rollingUpdate")
    if strategy["type"] == "RollingUpdate" and ru is not None:
        if ru.get("partition") is None:
            ru["partition"] = 0
        if ru.get("maxUnavailable") is None:
            ru["maxUnavailable"] = 1
    policy = spec.get("persistentVolumeClaimRetentionPolicy")
    if policy is None:
        policy = spec["persistentVolumeClaimRetentionPolicy"] = {}
    for key in ("whenDeleted", "whenScaled"):
        if not policy.get(key):
            policy[key] = "Retain"
    _default_replicas(spec)
    _default_history(spec)
    default_pod_template(spec.get("template"))


def default_daemonset(obj: dict) -> None:
    spec = obj.setdefault("spec", {})
    strategy = spec.setdefault("updateStrategy", {})
    if not strategy.get("type"):
        strategy["type"] = "RollingUpdate"
    if strategy["type"] == "RollingUpdate":
        ru = strategy.get("rollingUpdate")
        if ru is None:
            ru = strategy["rollingUpdate"] = {}
        if ru.get("maxUnavailable") is None:
            ru["maxUnavailable"] = 1
        if ru.get("maxSurge") is None:
            ru["maxSurge"] = 0
    _default_history(spec)
    default_pod_template(spec.get("template"))


# ------------------------------------------------------------------------------- other core/v1
def default_namespace(obj: dict) -> None:
    """SetDefaults_Namespace (name label), NamespaceStatus phase, strategy's spec.finalizers."""
    meta = obj.setdefault("metadata", {})
    name = meta.get("name")
    if name:
        labels = meta.get("labels") or {}
        labels["kubernetes.io/metadata.name"] = name
        meta["labels"] = labels
    spec = obj.setdefault("spec", {})
    finalizers = spec.get("finalizers") or []
    if "kubernetes" not in finalizers:
        finalizers.append("kubernetes")
    spec["finalizers"] = finalizers
    status = obj.setdefault("status", {})
    if not status.get("phase"):
        status["phase"] = "Active"


def default_node(obj: dict) -> None:
    status = obj.setdefault("status", {})
    if status.get("allocatable") is None and status.get("capacity") is not None:
        status["allocatable"] = dict(status["capacity"])


def default_endpoints(obj: dict) -> None:
    for subset in obj.get("subsets") or ():
        for port in subset.get("ports") or ():
            if not port.get("protocol"):
                port["protocol"] = "TCP"


def default_endpointslice(obj: dict) -> None:
    for port in obj.get("ports") or ():
        if port.get("name") is None:
            port["name"] = ""
        if port.get("protocol") is None:
            port["protocol"] = "TCP"


_BY_KIND: dict[str, Callable[[dict], None]] = {
    "Service": default_service,
    "Pod": default_pod,
    "Deployment": default_deployment,
    "ReplicaSet": default_replicaset,
    "StatefulSet": default_statefulset,
    "DaemonSet": default_daemonset,
    "Namespace": default_namespace,
    "Node": default_node,
    "Endpoints": default_endpoints,
    "EndpointSlice": default_endpointslice,
}
