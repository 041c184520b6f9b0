"""Apiserver validation with the real messages, field paths and error order.

Follows kubernetes pkg/apis/core/validation/validation.go, pkg/apis/apps/validation/validation.go,
apimachinery's ObjectMeta/label validation and the REST strategies' update rules (immutable
selectors, clusterIPs that "may not change once set", the pod update whitelist). Input is the
decoded *and defaulted* wire-form dict, exactly what the apiserver validates; the returned list is in
the order Go appends errors, because kubectl prints them in that order.

Also here: the allocator failures the engine raises (:func:`cluster_ip_error`,
:func:`node_port_error`), worded as the v1.37 service REST does.
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Callable
from typing import Any

from sandbox.api import names
from sandbox.api.defaults import VOLUME_SOURCES
from sandbox.api.errors import (
    DUPLICATE,
    INVALID,
    NOT_SUPPORTED,
    FieldError,
    duplicate,
    forbidden,
    invalid,
    not_supported,
    required,
    too_long,
)

IMMUTABLE = "field is immutable"
IS_NEGATIVE = "must be greater than or equal to 0"
SUPPORTED_PROTOCOLS = ["SCTP", "TCP", "UDP"]
STANDARD_FINALIZERS = frozenset({"kubernetes", "orphan", "foregroundDeletion"})
MAX_CLIENT_IP_TIMEOUT = 86400
TOTAL_ANNOTATION_SIZE = 256 * 1024
MAX_CONFIG_MAP_SIZE = 1024 * 1024
UPDATABLE_POD_SPEC_FIELDS = ",".join([
    "`spec.containers[*].image`",
    "`spec.initContainers[*].image`",
    "`spec.activeDeadlineSeconds`",
    "`spec.tolerations` (only additions to existing tolerations)",
    "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
])
STATEFULSET_UPDATE_FORBIDDEN = (
    "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', "
    "'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden")

Errs = list[FieldError]
NameFn = Callable[[str, bool], list[str]]


class StructValueError(FieldError):
    """A field error whose bad value is a Go struct: rendered as ``json.Marshal`` does, fields in
    declaration order (errors.format_value sorts keys, which is right only for maps)."""

    rendered: str = ""

    def body(self) -> str:
        text = f"{self.type}: {self.rendered}"
        return f"{text}: {self.detail}" if self.detail else text


def go_json(value: Any) -> str:
    """encoding/json.Marshal of an already ordered value (decoded objects keep Go field order)."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def struct_error(kind: str, path: str, value: Any, detail: str = "") -> FieldError:
    """``Invalid``/``Duplicate``/``Unsupported value`` of a struct-typed bad value."""
    return StructValueError(type=kind, field=path, bad_value=value, has_value=True, detail=detail,
                            rendered=go_json(value))


def internal_strategy(strategy: dict) -> dict:
    """An apps strategy as the internal Go type marshals it (no json tags: Go field names)."""
    ru = strategy.get("rollingUpdate")
    if ru is not None:
        ru = {k[:1].upper() + k[1:]: v for k, v in ru.items()}
    return {"Type": strategy.get("type") or "", "RollingUpdate": ru}


def validate(obj: dict, old: dict | None = None) -> Errs:
    """Validate a defaulted object on create (``old`` None) or update; [] when valid."""
    kind = obj.get("kind", "")
    if old is None:
        fn = _CREATE.get(kind)
        return fn(obj) if fn else []
    fn_update = _UPDATE.get(kind)
    if fn_update is not None:
        return fn_update(obj, old)
    fn = _CREATE.get(kind)
    return validate_object_meta_update(obj, old) + (fn(obj) if fn else [])


# ------------------------------------------------------------------------------- small helpers
def _spec(obj: dict) -> dict:
    return obj.get("spec") or {}


def nonnegative(value: int, path: str) -> Errs:
    return [invalid(path, value, IS_NEGATIVE)] if value < 0 else []


def _msgs(path: str, value: Any, messages: list[str]) -> Errs:
    return [invalid(path, value, m) for m in messages]


def validate_labels(labels: dict | None, path: str) -> Errs:
    """metav1 validation.ValidateLabels (map order: sorted, Go's is random)."""
    errs: Errs = []
    for key in sorted(labels or {}):
        errs += _msgs(path, key, names.is_qualified_name(key))
        errs += _msgs(path, labels[key], names.is_valid_label_value(labels[key]))
    return errs


def validate_annotations(annotations: dict | None, path: str) -> Errs:
    errs: Errs = []
    total = 0
    for key in sorted(annotations or {}):
        errs += _msgs(path, key, names.is_qualified_name(key.lower()))
        total += len(key) + len(annotations[key])
    if total > TOTAL_ANNOTATION_SIZE:
        errs.append(too_long(path, TOTAL_ANNOTATION_SIZE))
    return errs


def _validate_owner_references(refs: list | None, path: str) -> Errs:
    errs: Errs = []
    first_controller = ""
    for ref in refs or ():
        api_version = ref.get("apiVersion", "")
        if not api_version.rpartition("/")[2]:
            errs.append(invalid(path + ".apiVersion", api_version, "version must not be empty"))
        for key in ("kind", "name", "uid"):
            if not ref.get(key):
                errs.append(invalid(f"{path}.{key}", ref.get(key, ""), "must not be empty"))
        if ref.get("controller"):
            current = f"{ref.get('kind', '')}/{ref.get('name', '')}"
            if first_controller:
                errs.append(struct_error(INVALID, path, refs, "Only one reference can have Controller set to true. Found "
                                                f'"true" in references for {first_controller} and {current}'))
            else:
                first_controller = current
    return errs


def _validate_finalizers(finalizers: list | None, path: str) -> Errs:
    errs: Errs = []
    for f in finalizers or ():
        errs += _msgs(path, f, names.is_qualified_name(f))
    for i, f in enumerate(finalizers or ()):
        if "/" not in f and f not in STANDARD_FINALIZERS:
            errs.append(invalid(f"{path}[{i}]", f, "name is neither a standard finalizer name nor is it fully "
                                                   "qualified"))
    return errs


def validate_object_meta(obj: dict, requires_namespace: bool, name_fn: NameFn, path: str = "metadata") -> Errs:
    """core ValidateObjectMeta: generateName, name, namespace, generation, labels, annotations, owners."""
    meta = obj.get("metadata") or {}
    errs: Errs = []
    generate_name = meta.get("generateName") or ""
    if generate_name:
        errs += _msgs(f"{path}.generateName", generate_name, name_fn(generate_name, True))
    name = meta.get("name") or ""
    if not name:
        errs.append(required(f"{path}.name", "name or generateName is required"))
    else:
        errs += _msgs(f"{path}.name", name, name_fn(name, False))
    if requires_namespace:
        namespace = meta.get("namespace") or ""
        if not namespace:
            errs.append(required(f"{path}.namespace"))
        else:
            errs += _msgs(f"{path}.namespace", namespace, names.name_is_dns_label(namespace))
    errs += nonnegative(meta.get("generation") or 0, f"{path}.generation")
    errs += validate_labels(meta.get("labels"), f"{path}.labels")
    errs += validate_annotations(meta.get("annotations"), f"{path}.annotations")
    errs += _validate_owner_references(meta.get("ownerReferences"), f"{path}.ownerReferences")
    errs += _validate_finalizers(meta.get("finalizers"), f"{path}.finalizers")
    return errs


def immutable(new: Any, old: Any, path: str) -> Errs:
    """apimachinery ValidateImmutableField: Invalid(path, new, "field is immutable")."""
    return [] if new == old else [invalid(path, new, IMMUTABLE)]


def validate_object_meta_update(obj: dict, old: dict, path: str = "metadata") -> Errs:
    meta = obj.get("metadata") or {}
    old_meta = old.get("metadata") or {}
    errs: Errs = []
    if old_meta.get("deletionTimestamp"):
        added = [f for f in meta.get("finalizers") or () if f not in (old_meta.get("finalizers") or ())]
        if added:
            errs.append(forbidden(f"{path}.finalizers",
                                  f"no new finalizers can be added if the object is being deleted, found new "
                                  f"finalizers {json.dumps(added)}"))
    if (meta.get("generation") or 0) < (old_meta.get("generation") or 0):
        errs.append(invalid(f"{path}.generation", meta.get("generation") or 0, "must not be decremented"))
    for key in ("name", "namespace", "uid", "creationTimestamp"):
        if key in meta:
            errs += immutable(meta.get(key) or "", old_meta.get(key) or "", f"{path}.{key}")
    errs += validate_labels(meta.get("labels"), f"{path}.labels")
    errs += validate_annotations(meta.get("annotations"), f"{path}.annotations")
    errs += _validate_owner_references(meta.get("ownerReferences"), f"{path}.ownerReferences")
    return errs


# ---------------------------------------------------------------------------- label selectors
_SELECTOR_OPS = ("In", "NotIn", "Exists", "DoesNotExist")


def validate_label_selector(selector: dict | None, path: str) -> Errs:
    """metav1 validation.ValidateLabelSelector (strict values)."""
    errs: Errs = []
    if selector is None:
        return errs
    errs += validate_labels(selector.get("matchLabels"), f"{path}.matchLabels")
    for i, req in enumerate(selector.get("matchExpressions") or ()):
        p = f"{path}.matchExpressions[{i}]"
        op = req.get("operator", "")
        values = req.get("values") or []
        if op in ("In", "NotIn"):
            if not values:
                errs.append(required(f"{p}.values", "must be specified when `operator` is 'In' or 'NotIn'"))
        elif op in ("Exists", "DoesNotExist"):
            if values:
                errs.append(forbidden(f"{p}.values",
                                      "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
        else:
            errs.append(invalid(f"{p}.operator", op, "not a valid selector operator"))
        errs += _msgs(f"{p}.key", req.get("key", ""), names.is_qualified_name(req.get("key", "")))
        for j, value in enumerate(values):
            errs += _msgs(f"{p}.values[{j}]", value, names.is_valid_label_value(value))
    return errs


def _selector_convertible(selector: dict | None) -> bool:
    """Whether metav1.LabelSelectorAsSelector would succeed."""
    if selector is None:
        return True
    for key, value in (selector.get("matchLabels") or {}).items():
        if names.is_qualified_name(key) or names.is_valid_label_value(value):
            return False
    for req in selector.get("matchExpressions") or ():
        op, values = req.get("operator"), req.get("values") or []
        if op not in _SELECTOR_OPS or names.is_qualified_name(req.get("key", "")):
            return False
        if (op in ("In", "NotIn") and not values) or (op in ("Exists", "DoesNotExist") and values):
            return False
        if any(names.is_valid_label_value(v) for v in values):
            return False
    return True


def selector_matches(selector: dict | None, labels: dict | None) -> bool:
    """LabelSelectorAsSelector(sel).Matches(labels); a nil selector matches nothing."""
    if selector is None:
        return False
    labels = labels or {}
    for key, value in (selector.get("matchLabels") or {}).items():
        if labels.get(key) != value:
            return False
    for req in selector.get("matchExpressions") or ():
        key, op, values = req.get("key"), req.get("operator"), req.get("values") or []
        if op == "In" and labels.get(key) not in values:
            return False
        if op == "NotIn" and key in labels and labels[key] in values:
            return False
        if op == "Exists" and key not in labels:
            return False
        if op == "DoesNotExist" and key in labels:
            return False
    return True


def _selector_empty(selector: dict | None) -> bool:
    """labels.Selector.Empty(): true for a non-nil selector with no requirements (matches everything)."""
    return selector is not None and not selector.get("matchLabels") and not selector.get("matchExpressions")


# ------------------------------------------------------------------------------------- Service
def _is_headless(spec: dict) -> bool:
    ips = spec.get("clusterIPs") or []
    return len(ips) == 1 and ips[0] == "None"


def _port_num_or_name(value: Any, path: str) -> Errs:
    if isinstance(value, int):
        return _msgs(path, value, names.is_valid_port_num(value))
    return _msgs(path, value, names.is_valid_port_name(value))


def _validate_service_port(port: dict, require_name: bool, seen: set[str], path: str) -> Errs:
    errs: Errs = []
    name = port.get("name") or ""
    if require_name and not name:
        errs.append(required(f"{path}.name"))
    elif name:
        errs += _msgs(f"{path}.name", name, names.is_dns1123_label(name))
        if name in seen:
            errs.append(duplicate(f"{path}.name", name))
        else:
            seen.add(name)
    errs += _msgs(f"{path}.port", port.get("port", 0), names.is_valid_port_num(port.get("port", 0)))
    protocol = port.get("protocol") or ""
    if not protocol:
        errs.append(required(f"{path}.protocol"))
    elif protocol not in SUPPORTED_PROTOCOLS:
        errs.append(not_supported(f"{path}.protocol", protocol, SUPPORTED_PROTOCOLS))
    errs += _port_num_or_name(port.get("targetPort", 0), f"{path}.targetPort")
    if port.get("appProtocol") is not None:
        errs += _msgs(f"{path}.appProtocol", port["appProtocol"], names.is_qualified_name(port["appProtocol"]))
    return errs


def _validate_client_ip_affinity(cfg: dict | None, path: str) -> Errs:
    detail = "when session affinity type is ClientIP"
    if cfg is None:
        return [required(path, detail)]
    client = cfg.get("clientIP")
    if client is None:
        return [required(f"{path}.clientIP", detail)]
    timeout = client.get("timeoutSeconds")
    if timeout is None:
        return [required(f"{path}.clientIP.timeoutSeconds", detail)]
    if timeout <= 0 or timeout > MAX_CLIENT_IP_TIMEOUT:
        return [invalid(f"{path}.clientIP.timeoutSeconds", timeout,
                        f"must be greater than 0 and less than {MAX_CLIENT_IP_TIMEOUT}")]
    return []


def _validate_cluster_ips_related(spec: dict) -> Errs:
    """ValidateServiceClusterIPsRelatedFields."""
    if spec.get("type") == "ExternalName":
        return []
    errs: Errs = []
    cluster_ip = spec.get("clusterIP") or ""
    ips = spec.get("clusterIPs") or []
    families = spec.get("ipFamilies") or []
    if cluster_ip:
        if not ips:
            errs.append(required("spec.clusterIPs"))
        elif ips[0] != cluster_ip:
            errs.append(invalid("spec.clusterIPs", ips, "first value must match `clusterIP`"))
    elif ips:
        errs.append(invalid("spec.clusterIPs", ips, "must be empty when `clusterIP` is not specified"))
    seen: set[str] = set()
    for i, fam in enumerate(families):
        if fam not in ("IPv4", "IPv6"):
            errs.append(not_supported(f"spec.ipFamilies[{i}]", fam, ["IPv4", "IPv6"]))
        if fam in seen:
            errs.append(duplicate(f"spec.ipFamilies[{i}]", fam))
        seen.add(fam)
    policy = spec.get("ipFamilyPolicy")
    if policy is not None and policy not in ("PreferDualStack", "RequireDualStack", "SingleStack"):
        errs.append(not_supported("spec.ipFamilyPolicy", policy, ["PreferDualStack", "RequireDualStack",
                                                                   "SingleStack"]))
    bad_ips = False
    for i, ip in enumerate(ips):
        if i == 0 and ip == "None":
            if len(ips) > 1:
                bad_ips = True
                errs.append(invalid("spec.clusterIPs", ips, "'None' must be the first and only value"))
            continue
        msgs = names.is_valid_ip(ip)
        bad_ips = bad_ips or bool(msgs)
        errs += _msgs(f"spec.clusterIPs[{i}]", ip, msgs)
    if len(ips) > 2:
        errs.append(invalid("spec.clusterIPs", ips, "may only hold up to 2 values"))
    if bad_ips:
        return errs
    if len(ips) > 1:
        versions = {ipaddress.ip_address(ip).version for ip in ips}
        if len(versions) != len(ips):
            errs.append(invalid("spec.clusterIPs", ips, "may specify no more than one IP for each IP family"))
    if not _is_headless(spec) and ips and families:
        for i, ip in enumerate(ips[: len(families)]):
            v6 = ipaddress.ip_address(ip).version == 6
            if families[i] == "IPv4" and v6:
                errs.append(invalid(f"spec.clusterIPs[{i}]", ip, f"expected an IPv4 value as indicated by "
                                                                 f"`ipFamilies[{i}]`"))
            if families[i] == "IPv6" and not v6:
                errs.append(invalid(f"spec.clusterIPs[{i}]", ip, f"expected an IPv6 value as indicated by "
                                                                 f"`ipFamilies[{i}]`"))
    return errs


def _externally_accessible(spec: dict) -> bool:
    t = spec.get("type")
    return t in ("LoadBalancer", "NodePort") or (t == "ClusterIP" and bool(spec.get("externalIPs")))


def _needs_health_check(spec: dict) -> bool:
    return spec.get("type") == "LoadBalancer" and spec.get("externalTrafficPolicy") == "Local"


def init_ip_family_errors(spec: dict, cluster_families: tuple[str, ...] = ("IPv4",)) -> Errs:
    """The service REST's initIPFamilyFields checks, which run before allocation and validation:
    when they fail, the request fails with these errors alone."""
    if spec.get("type") == "ExternalName":
        return []
    errs = _validate_cluster_ips_related(spec)
    if errs:
        return errs
    policy = spec.get("ipFamilyPolicy")
    ips = spec.get("clusterIPs") or []
    families = spec.get("ipFamilies") or []
    if policy == "SingleStack":
        if len(ips) == 2:
            errs.append(invalid("spec.ipFamilyPolicy", policy, "must be 'RequireDualStack' or 'PreferDualStack' "
                                                               "when multiple cluster IPs are specified"))
        if len(families) == 2:
            errs.append(invalid("spec.ipFamilyPolicy", policy, "must be 'RequireDualStack' or 'PreferDualStack' "
                                                               "when multiple IP families are specified"))
    for i, ip in enumerate(ips):
        if ip == "None":
            break
        family = "IPv6" if ":" in ip else "IPv4"
        if family not in cluster_families:
            errs.append(invalid(f"spec.clusterIPs[{i}]", ips, f"{family} is not configured on this cluster"))
    if errs:
        return errs
    if spec.get("clusterIP") == "None" and not spec.get("selector"):
        return []
    if policy == "RequireDualStack" and len(cluster_families) < 2:
        errs.append(invalid("spec.ipFamilyPolicy", policy, "this cluster is not configured for dual-stack services"))
    for i, family in enumerate(families):
        if family not in cluster_families:
            errs.append(invalid(f"spec.ipFamilies[{i}]", family, "not configured on this cluster"))
    return errs


def validate_service(obj: dict) -> Errs:
    """initIPFamilyFields' checks (they pre-empt everything), then ValidateService."""
    early = init_ip_family_errors(_spec(obj))
    if early:
        return early
    errs = validate_object_meta(obj, True, names.name_is_dns1035_label)
    spec = _spec(obj)
    stype = spec.get("type") or ""
    ports = spec.get("ports") or []
    headless = _is_headless(spec)
    if not ports and not headless and stype != "ExternalName":
        errs.append(required("spec.ports"))
    ips = spec.get("clusterIPs") or []
    if stype == "LoadBalancer" and headless:
        errs.append(invalid("spec.clusterIPs[0]", ips[0], "may not be set to 'None' for LoadBalancer services"))
    elif stype == "NodePort" and headless:
        errs.append(invalid("spec.clusterIPs[0]", ips[0], "may not be set to 'None' for NodePort services"))
    elif stype == "ExternalName":
        if ips:
            errs.append(forbidden("spec.clusterIPs", "may not be set for ExternalName services"))
        if spec.get("ipFamilies"):
            errs.append(forbidden("spec.ipFamilies", "may not be set for ExternalName services"))
        if spec.get("ipFamilyPolicy") is not None:
            errs.append(forbidden("spec.ipFamilyPolicy", "may not be set for ExternalName services"))
        cname = (spec.get("externalName") or "").removesuffix(".")
        if cname:
            errs += _msgs("spec.externalName", cname, names.is_dns1123_subdomain(cname))
        else:
            errs.append(required("spec.externalName"))
    seen: set[str] = set()
    for i, port in enumerate(ports):
        errs += _validate_service_port(port, len(ports) > 1, seen, f"spec.ports[{i}]")
    if spec.get("selector") is not None:
        errs += validate_labels(spec["selector"], "spec.selector")
    affinity = spec.get("sessionAffinity") or ""
    if not affinity:
        errs.append(required("spec.sessionAffinity"))
    elif affinity not in ("ClientIP", "None"):
        errs.append(not_supported("spec.sessionAffinity", affinity, ["ClientIP", "None"]))
    if affinity == "ClientIP":
        errs += _validate_client_ip_affinity(spec.get("sessionAffinityConfig"), "spec.sessionAffinityConfig")
    elif affinity == "None" and spec.get("sessionAffinityConfig") is not None:
        errs.append(forbidden("spec.sessionAffinityConfig", "must not be set when session affinity is None"))
    errs += _validate_cluster_ips_related(spec)
    for i, ip in enumerate(spec.get("externalIPs") or ()):
        msgs = names.is_valid_ip(ip)
        if msgs:
            errs += _msgs(f"spec.externalIPs[{i}]", ip, msgs)
        else:
            errs += _non_special_ip(ip, f"spec.externalIPs[{i}]")
    if not stype:
        errs.append(required("spec.type"))
    elif stype not in ("ClusterIP", "ExternalName", "LoadBalancer", "NodePort"):
        errs.append(not_supported("spec.type", stype, ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]))
    if stype == "ClusterIP":
        for i, port in enumerate(ports):
            if port.get("nodePort"):
                errs.append(forbidden(f"spec.ports[{i}].nodePort", "may not be used when `type` is 'ClusterIP'"))
    node_ports: set[tuple[str, int]] = set()
    for i, port in enumerate(ports):
        if not port.get("nodePort"):
            continue
        key = (port.get("protocol") or "", port["nodePort"])
        if key in node_ports:
            errs.append(duplicate(f"spec.ports[{i}].nodePort", port["nodePort"]))
        node_ports.add(key)
    port_keys: set[tuple[str, int]] = set()
    for i, port in enumerate(ports):
        key = (port.get("protocol") or "", port.get("port", 0))
        if key in port_keys:
            # core.ServicePort{Protocol, Port}: an internal type, marshalled without json tags
            errs.append(struct_error(DUPLICATE, f"spec.ports[{i}]", {
                "Name": "", "Protocol": key[0], "AppProtocol": None, "Port": key[1], "TargetPort": 0,
                "NodePort": 0}))
        port_keys.add(key)
    ranges = spec.get("loadBalancerSourceRanges") or []
    if ranges:
        if stype != "LoadBalancer":
            errs.append(forbidden("spec.LoadBalancerSourceRanges", "may only be used when `type` is 'LoadBalancer'"))
        for i, value in enumerate(ranges):
            errs += _msgs(f"spec.LoadBalancerSourceRanges[{i}]", value.strip(), names.is_valid_cidr(value.strip()))
    if spec.get("allocateLoadBalancerNodePorts") is not None and stype != "LoadBalancer":
        errs.append(forbidden("spec.allocateLoadBalancerNodePorts", "may only be used when `type` is 'LoadBalancer'"))
    if stype == "LoadBalancer" and spec.get("allocateLoadBalancerNodePorts") is None:
        errs.append(required("allocateLoadBalancerNodePorts"))
    errs += _validate_external_traffic_policy(spec)
    itp = spec.get("internalTrafficPolicy")
    if itp is None:
        if stype in ("NodePort", "LoadBalancer", "ClusterIP"):
            errs.append(required("spec.internalTrafficPolicy"))
    elif itp not in ("Cluster", "Local"):
        errs.append(not_supported("spec.internalTrafficPolicy", itp, ["Cluster", "Local"]))
    td = spec.get("trafficDistribution")
    if td is not None and td not in _TRAFFIC_DISTRIBUTIONS:
        errs.append(not_supported("spec.trafficDistribution", td, list(_TRAFFIC_DISTRIBUTIONS)))
    return errs


_TRAFFIC_DISTRIBUTIONS = ("PreferClose", "PreferSameZone", "PreferSameNode")


def _non_special_ip(ip: str, path: str) -> Errs:
    """ValidateNonSpecialIP: externalIPs may not be unspecified, loopback, link-local or multicast."""
    addr = ipaddress.ip_address(ip)
    if addr.is_unspecified:
        return [invalid(path, ip, "may not be unspecified (0.0.0.0)" if addr.version == 4 else
                        "may not be unspecified (::)")]
    if addr.is_loopback:
        return [invalid(path, ip, "may not be in the loopback range (127.0.0.0/8, ::1/128)")]
    if addr.is_link_local:
        return [invalid(path, ip, "may not be in the link-local range (169.254.0.0/16, fe80::/10)")]
    if addr.is_multicast:
        return [invalid(path, ip, "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)")]
    return []


def _validate_external_traffic_policy(spec: dict) -> Errs:
    errs: Errs = []
    etp = spec.get("externalTrafficPolicy") or ""
    if not _externally_accessible(spec):
        if etp:
            errs.append(invalid("spec.externalTrafficPolicy", etp, "may only be set for externally-accessible "
                                                                   "services"))
    elif not etp:
        errs.append(required("spec.externalTrafficPolicy"))
    elif etp not in ("Cluster", "Local"):
        errs.append(not_supported("spec.externalTrafficPolicy", etp, ["Cluster", "Local"]))
    hc = spec.get("healthCheckNodePort") or 0
    if not _needs_health_check(spec):
        if hc:
            errs.append(invalid("spec.healthCheckNodePort", hc,
                                "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is "
                                "'Local'"))
    elif not hc:
        errs.append(required("spec.healthCheckNodePort"))
    else:
        errs += _msgs("spec.healthCheckNodePort", hc, names.is_valid_port_num(hc))
    return errs


def _validate_upgrade_downgrade_cluster_ips(obj: dict, old: dict) -> Errs:
    spec, old_spec = _spec(obj), _spec(old)
    if "ExternalName" in (spec.get("type"), old_spec.get("type")):
        return []
    if _is_headless(spec) and _is_headless(old_spec):
        return []
    ips, old_ips = spec.get("clusterIPs") or [], old_spec.get("clusterIPs") or []
    errs: Errs = []
    if len(old_ips) == len(ips):
        for i, ip in enumerate(old_ips):
            if ip != ips[i]:
                errs.append(invalid(f"spec.clusterIPs[{i}]", ips, "may not change once set"))
    elif len(old_ips) > len(ips):
        if not ips:
            errs.append(invalid("spec.clusterIPs[0]", ips, "primary clusterIP can not be unset"))
        if old_ips and ips and ips[0] != old_ips[0]:
            errs.append(invalid("spec.clusterIPs[0]", ips, "may not change once set"))
        if len(ips) == 1 and spec.get("ipFamilyPolicy") != "SingleStack":
            errs.append(invalid("spec.ipFamilyPolicy", spec.get("ipFamilyPolicy"),
                                "must be set to 'SingleStack' when releasing the secondary clusterIP"))
    else:
        if old_ips and ips[0] != old_ips[0]:
            errs.append(invalid("spec.clusterIPs[0]", ips, "may not change once set"))
        if spec.get("ipFamilyPolicy") in (None, "SingleStack"):
            errs.append(invalid("spec.ipFamilyPolicy", spec.get("ipFamilyPolicy"),
                                "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are "
                                "specified"))
    return errs


def _validate_upgrade_downgrade_families(obj: dict, old: dict) -> Errs:
    spec, old_spec = _spec(obj), _spec(old)
    if "ExternalName" in (spec.get("type"), old_spec.get("type")):
        return []
    if _is_headless(spec) and _is_headless(old_spec):
        return []
    fams, old_fams = spec.get("ipFamilies") or [], old_spec.get("ipFamilies") or []
    errs: Errs = []
    if len(old_fams) == len(fams):
        for i, fam in enumerate(old_fams):
            if fam != fams[i]:
                errs.append(invalid(f"spec.ipFamilies[{i}]", fams, "may not change once set"))
    elif len(old_fams) > len(fams):
        if not fams:
            errs.append(invalid("spec.ipFamilies[0]", fams, "primary ipFamily can not be unset"))
        elif old_fams[0] != fams[0]:
            errs.append(invalid("spec.ipFamilies[0]", fams, "may not change once set"))
    elif old_fams and fams[0] != old_fams[0]:
        errs.append(invalid("spec.ipFamilies[0]", fams, "may not change once set"))
    return errs


def validate_service_update(obj: dict, old: dict) -> Errs:
    """ValidateServiceUpdate (after the strategy dropped type-dependent fields)."""
    errs = validate_object_meta_update(obj, old)
    errs += _validate_upgrade_downgrade_cluster_ips(obj, old)
    errs += _validate_upgrade_downgrade_families(obj, old)
    spec, old_spec = _spec(obj), _spec(old)
    old_class, new_class = old_spec.get("loadBalancerClass"), spec.get("loadBalancerClass")
    if old_spec.get("type") == "LoadBalancer" and spec.get("type") == "LoadBalancer" and old_class != new_class:
        errs.append(invalid("spec.loadBalancerClass", new_class, "may not change once set"))
    if _needs_health_check(old_spec) and _needs_health_check(spec):
        if spec.get("healthCheckNodePort") != old_spec.get("healthCheckNodePort"):
            errs.append(forbidden("spec.healthCheckNodePort", IMMUTABLE))
    return errs + validate_service(obj)


# -------------------------------------------------------------------- allocator errors (engine)
def cluster_ip_error(ip: str, cluster_ips: list[str], reason: str, valid_range: str = "10.96.0.0/12") -> FieldError:
    """The service REST's allocIPs failure: ``spec.clusterIPs: Invalid value: [...]: failed to allocate IP``.

    ``reason``: ``"mismatched"`` (no ServiceCIDR holds the IP: v1.37's MetaAllocator wording),
    ``"not_in_range"`` (inside the CIDR but the network/broadcast address), ``"allocated"``.
    """
    detail = {
        "mismatched": "the provided network does not match the current range",
        "not_in_range": f"provided IP {ip} is not in the valid range",
        "allocated": "provided IP is already allocated",
    }[reason]
    return invalid("spec.clusterIPs", list(cluster_ips), f"failed to allocate IP {ip}: {detail}")


def node_port_error(index: int, node_port: int, reason: str, valid_range: str = "30000-32767") -> FieldError:
    """portallocator failures at ``spec.ports[i].nodePort`` (``reason``: ``not_in_range`` | ``allocated``)."""
    detail = {
        "not_in_range": f"provided port is not in the valid range. The range of valid ports is {valid_range}",
        "allocated": "provided port is already allocated",
    }[reason]
    return invalid(f"spec.ports[{index}].nodePort", node_port, detail)


# ----------------------------------------------------------------------------------------- Pod
_RESTART_POLICIES = ["Always", "OnFailure", "Never"]
_DNS_POLICIES = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"]
_PULL_POLICIES = ["Always", "IfNotPresent", "Never"]
_TERMINATION_POLICIES = ["File", "FallbackToLogsOnError"]
_HTTP_SCHEMES = ["HTTP", "HTTPS"]
_TAINT_EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"]
_ENV_NAME_RE = re.compile(r"[\x20-\x3c\x3e-\x7e]+")


def _validate_container_ports(ports: list | None, path: str) -> Errs:
    errs: Errs = []
    seen: set[str] = set()
    for i, port in enumerate(ports or ()):
        p = f"{path}[{i}]"
        name = port.get("name") or ""
        if name:
            msgs = names.is_valid_port_name(name)
            if msgs:
                errs += _msgs(f"{p}.name", name, msgs)
            elif name in seen:
                errs.append(duplicate(f"{p}.name", name))
            else:
                seen.add(name)
        cport = port.get("containerPort", 0)
        if cport == 0:
            errs.append(required(f"{p}.containerPort"))
        else:
            errs += _msgs(f"{p}.containerPort", cport, names.is_valid_port_num(cport))
        if port.get("hostPort"):
            errs += _msgs(f"{p}.hostPort", port["hostPort"], names.is_valid_port_num(port["hostPort"]))
        protocol = port.get("protocol") or ""
        if not protocol:
            errs.append(required(f"{p}.protocol"))
        elif protocol not in SUPPORTED_PROTOCOLS:
            errs.append(not_supported(f"{p}.protocol", protocol, SUPPORTED_PROTOCOLS))
    return errs


#: fieldRef paths an env var may use (validEnvDownwardAPIFieldPathExpressions)
_ENV_FIELD_PATHS = ["metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName",
                    "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"]
#: what pods.ConvertDownwardAPIFieldLabel accepts at all
_CONVERTIBLE_FIELD_PATHS = frozenset(_ENV_FIELD_PATHS + ["metadata.annotations", "metadata.labels",
                                                          "spec.restartPolicy", "spec.schedulerName", "status.phase"])
_SUBSCRIPTED = re.compile(r"(metadata\.(?:annotations|labels))\['(.*)'\]")


def _validate_field_ref(ref: dict, path: str) -> Errs:
    """validateObjectFieldSelector for env vars."""
    if not ref.get("apiVersion"):
        return [required(f"{path}.apiVersion")]
    field_path = ref.get("fieldPath") or ""
    if not field_path:
        return [required(f"{path}.fieldPath")]
    if ref["apiVersion"] != "v1":
        return [invalid(f"{path}.fieldPath", field_path,
                        f"error converting fieldPath: unsupported pod version: {ref['apiVersion']}")]
    sub = _SUBSCRIPTED.fullmatch(field_path)
    if sub:
        key = sub.group(2).lower() if sub.group(1).endswith("annotations") else sub.group(2)
        return _msgs(path, key, names.is_qualified_name(key))
    if "[" in field_path:
        return [invalid(f"{path}.fieldPath", field_path,
                        f"error converting fieldPath: field label does not support subscript: {field_path}")]
    if field_path not in _CONVERTIBLE_FIELD_PATHS and field_path != "spec.host":
        return [invalid(f"{path}.fieldPath", field_path,
                        f"error converting fieldPath: field label not supported: {field_path}")]
    internal = "spec.nodeName" if field_path == "spec.host" else field_path
    if internal not in _ENV_FIELD_PATHS:
        return [not_supported(f"{path}.fieldPath", internal, _ENV_FIELD_PATHS)]
    return []


def _validate_key_selector(ref: dict, path: str) -> Errs:
    """validateConfigMapKeySelector / validateSecretKeySelector."""
    errs: Errs = []
    if not ref.get("name"):
        errs.append(required(f"{path}.name"))
    key = ref.get("key") or ""
    if not key:
        errs.append(required(f"{path}.key"))
    else:
        errs += _msgs(f"{path}.key", key, names.is_config_map_key(key))
    return errs


def _validate_env(env: list | None, path: str) -> Errs:
    """ValidateEnv with the relaxed name rule (on by default since v1.32)."""
    errs: Errs = []
    for i, var in enumerate(env or ()):
        p = f"{path}[{i}]"
        name = var.get("name") or ""
        if not name:
            errs.append(required(f"{p}.name"))
        elif not _ENV_NAME_RE.fullmatch(name):
            errs.append(invalid(f"{p}.name", name, "a valid environment variable name must consist only of "
                                                   "printable ASCII characters other than '='"))
        source = var.get("valueFrom")
        if source is None:
            continue
        vp = f"{p}.valueFrom"
        count = 0
        if source.get("fieldRef") is not None:
            count += 1
            errs += _validate_field_ref(source["fieldRef"], f"{vp}.fieldRef")
        if source.get("resourceFieldRef") is not None:
            count += 1
            if not source["resourceFieldRef"].get("resource"):
                errs.append(required(f"{vp}.resourceFieldRef.resource"))
        for key in ("configMapKeyRef", "secretKeyRef"):
            if source.get(key) is not None:
                count += 1
                errs += _validate_key_selector(source[key], f"{vp}.{key}")
        if source.get("fileKeyRef") is not None:
            count += 1
        if count == 0:
            errs.append(invalid(vp, "", "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or "
                                        "`secretKeyRef`"))
        elif var.get("value"):
            errs.append(invalid(vp, "", "may not be specified when `value` is not empty"))
        elif count > 1:
            errs.append(invalid(vp, "", "may not have more than one field specified at a time"))
    return errs


def _validate_handler(handler: dict, path: str) -> Errs:
    errs: Errs = []
    count = 0
    for key in ("exec", "httpGet", "tcpSocket", "grpc", "sleep"):
        action = handler.get(key)
        if action is None:
            continue
        if count > 0:
            errs.append(forbidden(f"{path}.{key}", "may not specify more than 1 handler type"))
            continue
        count += 1
        p = f"{path}.{key}"
        if key == "exec":
            if not action.get("command"):
                errs.append(required(f"{p}.command"))
        elif key == "httpGet":
            if not action.get("path"):
                errs.append(required(f"{p}.path"))
            errs += _port_num_or_name(action.get("port", 0), f"{p}.port")
            if action.get("scheme", "") not in _HTTP_SCHEMES:
                errs.append(not_supported(f"{p}.scheme", action.get("scheme", ""), _HTTP_SCHEMES))
        elif key == "tcpSocket":
            errs += _port_num_or_name(action.get("port", 0), f"{p}.port")
        elif key == "grpc":
            errs += _msgs(f"{p}.port", action.get("port", 0), names.is_valid_port_num(action.get("port", 0)))
        elif key == "sleep":
            if action.get("seconds", 0) < 0:
                errs.append(invalid(f"{p}.seconds", action.get("seconds", 0), IS_NEGATIVE))
    if count == 0:
        errs.append(required(path, "must specify a handler type"))
    return errs


def _validate_probe(probe: dict | None, path: str, kind: str) -> Errs:
    if probe is None:
        return []
    errs = _validate_handler(probe, path)
    for key in ("initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold"):
        errs += nonnegative(probe.get(key, 0), f"{path}.{key}")
    tgps = probe.get("terminationGracePeriodSeconds")
    if tgps is not None and tgps <= 0:
        errs.append(invalid(f"{path}.terminationGracePeriodSeconds", tgps, "must be greater than 0"))
    if kind == "readiness":
        if tgps is not None:
            errs.append(invalid(f"{path}.terminationGracePeriodSeconds", tgps,
                                "must not be set for readinessProbes"))
    elif probe.get("successThreshold", 0) != 1:
        errs.append(invalid(f"{path}.successThreshold", probe.get("successThreshold", 0), "must be 1"))
    return errs


def _validate_volume_mounts(mounts: list | None, volumes: set[str], path: str) -> Errs:
    errs: Errs = []
    seen: set[str] = set()
    for i, m in enumerate(mounts or ()):
        p = f"{path}[{i}]"
        name = m.get("name") or ""
        if not name:
            errs.append(required(f"{p}.name"))
        elif name not in volumes:
            errs.append(_field_not_found(f"{p}.name", name))
        mount_path = m.get("mountPath") or ""
        if not mount_path:
            errs.append(required(f"{p}.mountPath"))
        elif mount_path in seen:
            errs.append(invalid(f"{p}.mountPath", mount_path, "must be unique"))
        seen.add(mount_path)
    return errs


def _field_not_found(path: str, value: Any) -> FieldError:
    """field.NotFound (errors.py has no constructor for it)."""
    return FieldError(type="Not found", field=path, bad_value=value, has_value=True)


def _validate_container(c: dict, volumes: set[str], path: str) -> Errs:
    """validateContainerCommon (the parts a learner can hit)."""
    errs: Errs = []
    name = c.get("name") or ""
    if not name:
        errs.append(required(f"{path}.name"))
    else:
        errs += _msgs(f"{path}.name", name, names.is_dns1123_label(name))
    if not c.get("image"):
        errs.append(required(f"{path}.image"))
    tmp = c.get("terminationMessagePolicy") or ""
    if not tmp:
        errs.append(required(f"{path}.terminationMessagePolicy"))
    elif tmp not in _TERMINATION_POLICIES:
        errs.append(not_supported(f"{path}.terminationMessagePolicy", tmp, _TERMINATION_POLICIES))
    errs += _validate_container_ports(c.get("ports"), f"{path}.ports")
    errs += _validate_env(c.get("env"), f"{path}.env")
    errs += _validate_volume_mounts(c.get("volumeMounts"), volumes, f"{path}.volumeMounts")
    pull = c.get("imagePullPolicy") or ""
    if not pull:
        errs.append(required(f"{path}.imagePullPolicy"))
    elif pull not in _PULL_POLICIES:
        errs.append(not_supported(f"{path}.imagePullPolicy", pull, _PULL_POLICIES))
    errs += _validate_resources(c.get("resources") or {}, f"{path}.resources")
    return errs


def _validate_resources(resources: dict, path: str) -> Errs:
    from sandbox.api.decode import parse_quantity

    errs: Errs = []
    limits = resources.get("limits") or {}
    requests = resources.get("requests") or {}
    for key, bag in (("limits", limits), ("requests", requests)):
        for name in sorted(bag):
            value = parse_quantity(str(bag[name]))[0]
            if value < 0:
                errs.append(invalid(f"{path}.{key}[{name}]", str(bag[name]), IS_NEGATIVE))
    for name in sorted(requests):
        if name in limits and parse_quantity(str(requests[name]))[0] > parse_quantity(str(limits[name]))[0]:
            errs.append(invalid(f"{path}.requests", str(requests[name]),
                                f"must be less than or equal to {name} limit of {limits[name]}"))
    return errs


def _validate_containers(containers: list | None, volumes: set[str], path: str) -> Errs:
    errs: Errs = []
    if not containers:
        return [required(path)]
    seen: set[str] = set()
    for i, c in enumerate(containers or ()):
        p = f"{path}[{i}]"
        errs += _validate_container(c, volumes, p)
        if c.get("name") in seen:
            errs.append(duplicate(f"{p}.name", c.get("name")))
        else:
            seen.add(c.get("name"))
        errs += _validate_lifecycle(c.get("lifecycle"), f"{p}.lifecycle")
        errs += _validate_probe(c.get("livenessProbe"), f"{p}.livenessProbe", "liveness")
        errs += _validate_probe(c.get("readinessProbe"), f"{p}.readinessProbe", "readiness")
        errs += _validate_probe(c.get("startupProbe"), f"{p}.startupProbe", "startup")
        if c.get("restartPolicy") is not None:
            errs.append(forbidden(f"{p}.restartPolicy", "may not be set for non-init containers"))
    return errs + _host_port_conflicts(containers, path)


def _validate_lifecycle(lifecycle: dict | None, path: str) -> Errs:
    errs: Errs = []
    for key in ("postStart", "preStop"):
        handler = (lifecycle or {}).get(key)
        if handler is not None:
            errs += _validate_handler(handler, f"{path}.{key}")
    return errs


def _host_port_conflicts(containers: list, path: str) -> Errs:
    """checkHostPortConflicts: one protocol/hostIP/hostPort per pod (``Duplicate value: "TCP//8080"``)."""
    errs: Errs = []
    seen: set[str] = set()
    for i, c in enumerate(containers):
        for j, port in enumerate(c.get("ports") or ()):
            if not port.get("hostPort"):
                continue
            key = f"{port.get('protocol') or ''}/{port.get('hostIP') or ''}/{port['hostPort']}"
            if key in seen:
                errs.append(duplicate(f"{path}[{i}].ports[{j}].hostPort", key))
            seen.add(key)
    return errs


def _validate_init_containers(inits: list | None, containers: list | None, volumes: set[str], path: str) -> Errs:
    errs: Errs = []
    seen = {c.get("name") for c in containers or ()}
    for i, c in enumerate(inits or ()):
        p = f"{path}[{i}]"
        errs += _validate_container(c, volumes, p)
        if c.get("name") in seen:
            errs.append(duplicate(f"{p}.name", c.get("name")))
        else:
            seen.add(c.get("name"))
        sidecar = c.get("restartPolicy") == "Always"
        if c.get("restartPolicy") not in (None, "Always"):
            errs.append(not_supported(f"{p}.restartPolicy", c.get("restartPolicy"), ["Always"]))
        if not sidecar:
            for key in ("lifecycle", "livenessProbe", "readinessProbe", "startupProbe"):
                if c.get(key) is not None:
                    errs.append(forbidden(f"{p}.{key}", "may not be set for init containers without "
                                                        "restartPolicy=Always"))
    return errs


def _validate_volumes(volumes: list | None, path: str) -> tuple[set[str], Errs]:
    errs: Errs = []
    seen: set[str] = set()
    for i, v in enumerate(volumes or ()):
        p = f"{path}[{i}]"
        name = v.get("name") or ""
        if not name:
            errs.append(required(f"{p}.name"))
        else:
            errs += _msgs(f"{p}.name", name, names.is_dns1123_label(name))
            if name in seen:
                errs.append(duplicate(f"{p}.name", name))
            seen.add(name)
        sources = [k for k in VOLUME_SOURCES if v.get(k) is not None]
        if len(sources) > 1:
            errs.append(forbidden(f"{p}.{sources[1]}", "may not specify more than 1 volume type"))
        cm = v.get("configMap")
        if cm is not None and not cm.get("name"):
            errs.append(required(f"{p}.configMap.name"))
        pvc = v.get("persistentVolumeClaim")
        if pvc is not None and not pvc.get("claimName"):
            errs.append(required(f"{p}.persistentVolumeClaim.claimName"))
        host = v.get("hostPath")
        if host is not None and not host.get("path"):
            errs.append(required(f"{p}.hostPath.path"))
    return seen, errs


def _validate_tolerations(tolerations: list | None, path: str) -> Errs:
    errs: Errs = []
    for i, t in enumerate(tolerations or ()):
        p = f"{path}[{i}]"
        key = t.get("key") or ""
        op = t.get("operator") or ""
        effect = t.get("effect") or ""
        if key:
            errs += _msgs(f"{p}.key", key, names.is_qualified_name(key))
        if not key and op != "Exists":
            errs.append(invalid(f"{p}.operator", op, "operator must be Exists when `key` is empty, which means "
                                                     '"match all values and all keys"'))
        if t.get("tolerationSeconds") is not None and effect != "NoExecute":
            errs.append(invalid(f"{p}.effect", effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"))
        if op in ("Equal", ""):
            msgs = names.is_valid_label_value(t.get("value") or "")
            if msgs:
                errs.append(invalid(f"{p}.operator", t.get("value") or "", ";".join(msgs)))
        elif op == "Exists":
            if t.get("value"):
                errs.append(invalid(f"{p}.operator", t["value"], "value must be empty when `operator` is 'Exists'"))
        else:
            errs.append(not_supported(f"{p}.operator", op, ["Equal", "Exists"]))
        if effect and effect not in _TAINT_EFFECTS:
            errs.append(not_supported(f"{p}.effect", effect, _TAINT_EFFECTS))
    return errs


def _validate_node_selector_term(term: dict, path: str, check_values: bool = True) -> Errs:
    errs: Errs = []
    for i, req in enumerate(term.get("matchExpressions") or ()):
        p = f"{path}.matchExpressions[{i}]"
        op = req.get("operator") or ""
        values = req.get("values") or []
        if op in ("In", "NotIn"):
            if not values:
                errs.append(required(f"{p}.values", "must be specified when `operator` is 'In' or 'NotIn'"))
        elif op in ("Exists", "DoesNotExist"):
            if values:
                errs.append(forbidden(f"{p}.values",
                                      "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
        elif op in ("Gt", "Lt"):
            if len(values) != 1:
                errs.append(required(f"{p}.values", "must be specified single value when `operator` is 'Lt' or "
                                                    "'Gt'"))
        else:
            errs.append(invalid(f"{p}.operator", op, "not a valid selector operator"))
        errs += _msgs(f"{p}.key", req.get("key") or "", names.is_qualified_name(req.get("key") or ""))
        if check_values:
            for j, value in enumerate(values):
                errs += _msgs(f"{p}.values[{j}]", value, names.is_valid_label_value(value))
    return errs


def _validate_affinity(affinity: dict | None, path: str) -> Errs:
    errs: Errs = []
    node = (affinity or {}).get("nodeAffinity")
    if not node:
        return errs
    req = node.get("requiredDuringSchedulingIgnoredDuringExecution")
    if req is not None:
        p = f"{path}.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution"
        terms = req.get("nodeSelectorTerms") or []
        if not terms:
            errs.append(required(f"{p}.nodeSelectorTerms", "must have at least one node selector term"))
        for i, term in enumerate(terms):
            errs += _validate_node_selector_term(term, f"{p}.nodeSelectorTerms[{i}]")
    for i, pref in enumerate(node.get("preferredDuringSchedulingIgnoredDuringExecution") or ()):
        p = f"{path}.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[{i}]"
        weight = pref.get("weight", 0)
        if weight <= 0 or weight > 100:
            errs.append(invalid(f"{p}.weight", weight, "must be in the range 1-100"))
        errs += _validate_node_selector_term(pref.get("preference") or {}, f"{p}.preference", check_values=False)
    return errs


def _validate_dns_config(spec: dict, path: str) -> Errs:
    errs: Errs = []
    cfg = spec.get("dnsConfig")
    if spec.get("dnsPolicy") == "None":
        if cfg is None:
            return [required(f"{path}.dnsConfig", "must provide `dnsConfig` when `dnsPolicy` is None")]
        if not cfg.get("nameservers"):
            return [required(f"{path}.dnsConfig.nameservers",
                             "must provide at least one DNS nameserver when `dnsPolicy` is None")]
    if cfg is None:
        return errs
    servers = cfg.get("nameservers") or []
    if len(servers) > 3:
        errs.append(invalid(f"{path}.dnsConfig.nameservers", servers, "must not have more than 3 nameservers"))
    for i, ns in enumerate(servers):
        errs += _msgs(f"{path}.dnsConfig.nameservers[{i}]", ns, names.is_valid_ip(ns))
    searches = cfg.get("searches") or []
    if len(searches) > 32:
        errs.append(invalid(f"{path}.dnsConfig.searches", searches, "must not have more than 32 search paths"))
    for i, search in enumerate(searches):
        domain = search.removesuffix(".")
        errs += _msgs(f"{path}.dnsConfig.searches[{i}]", domain, names.is_dns1123_subdomain(domain))
    for i, opt in enumerate(cfg.get("options") or ()):
        if not opt.get("name"):
            errs.append(required(f"{path}.dnsConfig.options[{i}]", "must not be empty"))
    return errs


def validate_pod_spec(spec: dict, path: str, is_pod: bool = False) -> Errs:
    """ValidatePodSpec, in its order."""
    errs: Errs = []
    if spec.get("terminationGracePeriodSeconds") is None:
        errs.append(required(f"{path}.terminationGracePeriodSeconds"))
    volumes, vol_errs = _validate_volumes(spec.get("volumes"), f"{path}.volumes")
    errs += vol_errs
    errs += _validate_containers(spec.get("containers"), volumes, f"{path}.containers")
    errs += _validate_init_containers(spec.get("initContainers"), spec.get("containers"), volumes,
                                      f"{path}.initContainers")
    if spec.get("hostNetwork"):
        for i, c in enumerate(spec.get("containers") or ()):
            for j, port in enumerate(c.get("ports") or ()):
                hp, cp = port.get("hostPort", 0), port.get("containerPort", 0)
                if (is_pod or hp != 0) and hp != cp:
                    errs.append(invalid(f"{path}.containers[{i}].ports[{j}].hostPort", hp,
                                        "must match `containerPort` when `hostNetwork` is true"))
    restart = spec.get("restartPolicy") or ""
    if not restart:
        errs.append(required(f"{path}.restartPolicy"))
    elif restart not in _RESTART_POLICIES:
        errs.append(not_supported(f"{path}.restartPolicy", restart, _RESTART_POLICIES))
    dns = spec.get("dnsPolicy") or ""
    if not dns:
        errs.append(required(f"{path}.dnsPolicy"))
    elif dns not in _DNS_POLICIES:
        errs.append(not_supported(f"{path}.dnsPolicy", dns, _DNS_POLICIES))
    errs += validate_labels(spec.get("nodeSelector"), f"{path}.nodeSelector")
    errs += _validate_affinity(spec.get("affinity"), f"{path}.affinity")
    errs += _validate_dns_config(spec, path)
    for i, gate in enumerate(spec.get("readinessGates") or ()):
        ctype = gate.get("conditionType") or ""
        errs += _msgs(f"{path}.readinessGates[{i}].conditionType", ctype, names.is_qualified_name(ctype))
    if spec.get("serviceAccountName"):
        errs += _msgs(f"{path}.serviceAccountName", spec["serviceAccountName"],
                      names.name_is_dns_subdomain(spec["serviceAccountName"]))
    if spec.get("nodeName"):
        errs += _msgs(f"{path}.nodeName", spec["nodeName"], names.name_is_dns_subdomain(spec["nodeName"]))
    ads = spec.get("activeDeadlineSeconds")
    if ads is not None and not 1 <= ads <= 2**31 - 1:
        errs.append(invalid(f"{path}.activeDeadlineSeconds", ads, names.inclusive_range_error(1, 2**31 - 1)))
    if spec.get("hostname"):
        errs += _msgs(f"{path}.hostname", spec["hostname"], names.is_dns1123_label(spec["hostname"]))
    if spec.get("subdomain"):
        errs += _msgs(f"{path}.subdomain", spec["subdomain"], names.is_dns1123_label(spec["subdomain"]))
    errs += _validate_tolerations(spec.get("tolerations"), f"{path}.tolerations")
    for i, alias in enumerate(spec.get("hostAliases") or ()):
        errs += _msgs(f"{path}.hostAliases[{i}].ip", alias.get("ip", ""),
                      names.is_valid_ip(alias.get("ip", ""), legacy=False))
        for j, host in enumerate(alias.get("hostnames") or ()):
            errs += _msgs(f"{path}.hostAliases[{i}].hostnames[{j}]", host, names.is_dns1123_subdomain(host))
    if spec.get("priorityClassName"):
        errs += _msgs(f"{path}.priorityClassName", spec["priorityClassName"],
                      names.name_is_dns_subdomain(spec["priorityClassName"]))
    policy = spec.get("preemptionPolicy")
    if policy is not None and policy not in ("PreemptLowerPriority", "Never"):
        errs.append(not_supported(f"{path}.preemptionPolicy", policy, ["Never", "PreemptLowerPriority"]))
    return errs


def validate_pod_template_spec(template: dict, path: str) -> Errs:
    """ValidatePodTemplateSpec (labels/annotations of the template, then the pod spec)."""
    meta = template.get("metadata") or {}
    errs = validate_labels(meta.get("labels"), f"{path}.labels")
    errs += validate_annotations(meta.get("annotations"), f"{path}.annotations")
    errs += validate_pod_spec(template.get("spec") or {}, f"{path}.spec")
    if (template.get("spec") or {}).get("ephemeralContainers"):
        errs.append(forbidden(f"{path}.spec.ephemeralContainers", "ephemeral containers not allowed in pod template"))
    return errs


def validate_pod(obj: dict) -> Errs:
    """ValidatePodCreate."""
    errs = validate_object_meta(obj, True, names.name_is_dns_subdomain)
    spec = _spec(obj)
    errs += validate_pod_spec(spec, "spec", is_pod=True)
    errs += _pod_only_container_checks(spec)
    if spec.get("ephemeralContainers"):
        errs.append(forbidden("spec.ephemeralContainers", "cannot be set on create"))
    if spec.get("nodeName") and spec.get("schedulingGates"):
        errs.append(forbidden("spec.nodeName", "cannot be set until all schedulingGates have been cleared"))
    return errs


def _pod_only_container_checks(spec: dict) -> Errs:
    """validateContainersOnlyForPod: images may not carry surrounding whitespace."""
    errs: Errs = []
    for key in ("containers", "initContainers"):
        for i, c in enumerate(spec.get(key) or ()):
            image = c.get("image") or ""
            if image.strip() != image:
                errs.append(invalid(f"spec.{key}[{i}].image", image, "must not have leading or trailing whitespace"))
    return errs


def validate_pod_update(obj: dict, old: dict) -> Errs:
    """ValidatePodUpdate: only images, activeDeadlineSeconds, added tolerations may change."""
    errs = validate_object_meta_update(obj, old)
    errs += validate_pod_spec(_spec(obj), "spec", is_pod=True)
    errs += _pod_only_container_checks(_spec(obj))
    spec, old_spec = _spec(obj), _spec(old)
    for key in ("containers", "initContainers"):
        new_cs, old_cs = spec.get(key) or [], old_spec.get(key) or []
        if len(new_cs) != len(old_cs):
            errs.append(forbidden(f"spec.{key}", "pod updates may not add or remove containers"))
            return errs
        for i, c in enumerate(new_cs):
            image = c.get("image") or ""
            if not image:
                errs.append(required(f"spec.{key}[{i}].image"))
            if image.strip() != image:
                errs.append(invalid(f"spec.{key}[{i}].image", image, "must not have leading or trailing whitespace"))
    ads, old_ads = spec.get("activeDeadlineSeconds"), old_spec.get("activeDeadlineSeconds")
    if ads is not None:
        if ads < 0 or ads > 2**31 - 1:
            errs.append(invalid("spec.activeDeadlineSeconds", ads, names.inclusive_range_error(0, 2**31 - 1)))
            return errs
        if old_ads is not None and old_ads < ads:
            errs.append(invalid("spec.activeDeadlineSeconds", ads, "must be less than or equal to previous value"))
            return errs
    elif old_ads is not None:
        errs.append(invalid("spec.activeDeadlineSeconds", None, "must not update from a positive integer to nil "
                                                                "value"))
    errs += _validate_only_added_tolerations(spec.get("tolerations") or [], old_spec.get("tolerations") or [])
    munged = json.loads(json.dumps(spec))
    for key in ("containers", "initContainers"):
        for c, old_c in zip(munged.get(key) or [], old_spec.get(key) or [], strict=False):
            c["image"] = old_c.get("image")
    for key in ("activeDeadlineSeconds", "tolerations", "schedulingGates"):
        if key in old_spec:
            munged[key] = old_spec[key]
        else:
            munged.pop(key, None)
    if munged != old_spec:
        errs.append(forbidden("spec", f"pod updates may not change fields other than {UPDATABLE_POD_SPEC_FIELDS}\n"
                                      + spec_diff(old_spec, munged, "PodSpec")))
    return errs


def _validate_only_added_tolerations(new: list, old: list) -> Errs:
    """validateOnlyAddedTolerations: every old toleration must survive (tolerationSeconds may change)."""
    def same(a: dict, b: dict) -> bool:
        return all((a.get(k) or "") == (b.get(k) or "") for k in ("key", "operator", "value", "effect"))

    for old_t in old:
        if not any(same(t, old_t) for t in new):
            return [forbidden("spec.tolerations", "existing toleration can not be modified except its "
                                                  "tolerationSeconds")]
    return _validate_tolerations(new, "spec.tolerations")


# ------------------------------------------------------------------ go-cmp style spec diff
#: internal core.PodSpec field order (v1-only fields such as serviceAccount are dropped by conversion;
#: the host* switches live in the internal PodSecurityContext: see _internal_pod_spec)
_POD_SPEC_INTERNAL_ORDER = (
    "volumes", "initContainers", "containers", "ephemeralContainers", "restartPolicy",
    "terminationGracePeriodSeconds", "activeDeadlineSeconds", "dnsPolicy", "nodeSelector", "serviceAccountName",
    "automountServiceAccountToken", "nodeName", "securityContext", "imagePullSecrets", "hostname", "subdomain", "setHostnameAsFQDN",
    "affinity", "schedulerName", "tolerations", "hostAliases", "priorityClassName", "priority", "preemptionPolicy",
    "dnsConfig", "readinessGates", "runtimeClassName", "overhead", "enableServiceLinks", "topologySpreadConstraints",
    "os", "schedulingGates", "resourceClaims", "resources", "hostnameOverride")
_GO_NAMES = {"dnsPolicy": "DNSPolicy", "dnsConfig": "DNSConfig", "setHostnameAsFQDN": "SetHostnameAsFQDN",
             "os": "OS", "hostPID": "HostPID", "hostIPC": "HostIPC", "tty": "TTY", "httpGet": "HTTPGet",
             "tcpSocket": "TCPSocket", "grpc": "GRPC", "ip": "IP", "hostIP": "HostIP", "apiVersion": "APIVersion",
             "uid": "UID", "podIP": "PodIP", "fsGroup": "FSGroup", "seLinuxOptions": "SELinuxOptions"}
_CONTEXT = 2
_HOST_SWITCHES = ("hostNetwork", "hostPID", "hostIPC", "shareProcessNamespace", "hostUsers")


def _internal_pod_spec(spec: dict) -> dict:
    """Move the v1 host* switches into securityContext, where the internal type keeps them."""
    out = dict(spec)
    sc = dict(out.get("securityContext") or {})
    for key in _HOST_SWITCHES:
        if key in out:
            sc[key] = out.pop(key)
    if sc or "securityContext" in spec:
        out["securityContext"] = sc
    return out


class _DiffField:
    __slots__ = ("json", "go", "kind", "cls", "ptr", "scalar")

    def __init__(self, json_name: str, kind: str, cls: Any, ptr: bool, scalar: str) -> None:
        self.json = json_name
        self.go = _GO_NAMES.get(json_name, json_name[:1].upper() + json_name[1:])
        self.kind = kind        # struct | list | map | scalar
        self.cls = cls          # model class of the struct / list element (or None)
        self.ptr = ptr
        self.scalar = scalar    # str | int | bool | intstr | quantity | any


_DIFF_FIELDS: dict[type, list[_DiffField]] = {}


def _diff_fields(cls: type) -> list[_DiffField]:
    got = _DIFF_FIELDS.get(cls)
    if got is not None:
        return got
    import typing

    from sandbox.api import models
    from sandbox.api.decode import _compile_struct, _unwrap

    _, ordered, _ = _compile_struct(cls)
    fields = []
    for f in ordered:
        tp, meta = _unwrap(cls.model_fields[f.name].annotation)
        go = next((m.name for m in meta if isinstance(m, models.Go)), "")
        origin = typing.get_origin(tp)
        if isinstance(tp, type) and issubclass(tp, models.K8s):
            fields.append(_DiffField(f.name, "struct", tp, f.mode == "ptr", ""))
        elif origin is list:
            elem, _ = _unwrap(typing.get_args(tp)[0])
            sub = elem if isinstance(elem, type) and issubclass(elem, models.K8s) else None
            fields.append(_DiffField(f.name, "list", sub, False, ""))
        elif origin is dict:
            fields.append(_DiffField(f.name, "map", None, False, ""))
        else:
            scalar = {"intstr.IntOrString": "intstr", "resource.Quantity": "quantity"}.get(go) or \
                {bool: "bool", int: "int", str: "str"}.get(tp, "any")
            if go in ("int32", "int64"):
                scalar = "int"
            fields.append(_DiffField(f.name, "scalar", None, f.mode == "ptr", scalar))
    if cls.__name__ == "PodSpec":
        rank = {name: i for i, name in enumerate(_POD_SPEC_INTERNAL_ORDER)}
        fields = sorted((f for f in fields if f.json in rank), key=lambda f: rank[f.json])
    elif cls.__name__ == "PodSecurityContext":
        fields = [_DiffField(name, "scalar", None, name in ("shareProcessNamespace", "hostUsers"), "bool")
                  for name in _HOST_SWITCHES] + fields
    _DIFF_FIELDS[cls] = fields
    return fields


def _go_type(f: _DiffField) -> str:
    if f.kind == "struct":
        return ("&" if f.ptr else "") + "core." + (f.cls.go_name or f.cls.__name__)
    if f.kind == "list":
        return "[]core." + (f.cls.go_name or f.cls.__name__) if f.cls else "[]string"
    if f.kind == "map":
        return "map[string]string"
    return ""


def _is_zero(value: Any) -> bool:
    return value is None or value == "" or value == 0 or value is False or value == [] or value == {}


def _fmt_scalar(value: Any, f: _DiffField) -> str:
    if f.scalar == "intstr":
        inner = f'{{Type: 1, StrVal: {json.dumps(value)}}}' if isinstance(value, str) else \
            ("{}" if not value else f"{{IntVal: {value}}}")
        return inner
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)
    else:
        text = str(value)
    return ("&" + text) if f.ptr else text


def _fmt_struct(value: dict, cls: type) -> str:
    parts = [f"{f.go}: {_fmt(value[f.json], f, False)}" for f in _diff_fields(cls)
             if f.json in value and not (_is_zero(value[f.json]) and not f.ptr)]
    return "{" + ", ".join(parts) + "}"


def _fmt(value: Any, f: _DiffField, typed: bool) -> str:
    """A value as go-cmp prints it: types elided in context, shown on the changed line itself."""
    if value is None or (f.kind in ("list", "map") and value == []):
        if f.kind == "struct" and not f.ptr:
            return "{}"
        if f.kind == "scalar" and not f.ptr:
            return _fmt_scalar({"str": "", "int": 0, "bool": False}.get(f.scalar, 0), f)
        return "nil"
    prefix = _go_type(f) if typed else ("&" if f.kind == "struct" and f.ptr else "")
    if f.kind == "struct":
        return prefix + _fmt_struct(value, f.cls)
    if f.kind == "list":
        items = [_fmt_struct(v, f.cls) if f.cls else _fmt(v, _DiffField("x", "scalar", None, False, "any"), False)
                 for v in value]
        return prefix + "{" + ", ".join(items) + "}"
    if f.kind == "map":
        return prefix + "{" + ", ".join(f"{json.dumps(k)}: {json.dumps(v) if isinstance(v, str) else v}"
                                        for k, v in sorted(value.items())) + "}"
    return _fmt_scalar(value, f)


def _same(a: Any, b: Any) -> bool:
    return a == b or (_is_zero(a) and _is_zero(b) and not (a is False or b is False) and type(a) is type(b)) or \
        (a is None and _is_zero(b) and b is not False and b != 0) or (b is None and _is_zero(a) and a is not False
                                                                     and a != 0)


def _visible(changed: list[int], count: int) -> set[int]:
    shown: set[int] = set()
    for i in changed:
        shown.update(range(max(0, i - _CONTEXT), min(count, i + _CONTEXT + 1)))
    return shown


def _diff_struct(old: dict, new: dict, cls: type, depth: int, out: list) -> None:
    fields = _diff_fields(cls)
    changed = [i for i, f in enumerate(fields) if not _same(old.get(f.json), new.get(f.json))]
    shown = _visible(changed, len(fields))
    hidden = 0
    for i, f in enumerate(fields):
        if i not in shown:
            hidden += 1
            continue
        if hidden:
            out.append(("  ", depth, None, f"... // {hidden} identical field{'s' if hidden > 1 else ''}"))
            hidden = 0
        ov, nv = old.get(f.json), new.get(f.json)
        if i not in changed:
            out.append(("  ", depth, f.go, _fmt(ov, f, False) + ","))
        elif f.kind == "struct" and isinstance(ov, dict) and isinstance(nv, dict):
            out.append(("  ", depth, None, f"{f.go}: {_go_type(f)}{{"))
            _diff_struct(ov, nv, f.cls, depth + 1, out)
            out.append(("  ", depth, None, "},"))
        elif f.kind == "list" and f.cls and isinstance(ov, list) and isinstance(nv, list) and len(ov) == len(nv):
            out.append(("  ", depth, None, f"{f.go}: {_go_type(f)}{{"))
            _diff_list(ov, nv, f.cls, depth + 1, out)
            out.append(("  ", depth, None, "},"))
        else:
            out.append(("- ", depth, f.go, _fmt(ov, f, True) + ","))
            out.append(("+ ", depth, f.go, _fmt(nv, f, True) + ","))
    if hidden:
        out.append(("  ", depth, None, f"... // {hidden} identical field{'s' if hidden > 1 else ''}"))


def _diff_list(old: list, new: list, cls: type, depth: int, out: list) -> None:
    changed = [i for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b]
    shown = _visible(changed, len(old))
    hidden = 0
    for i, (a, b) in enumerate(zip(old, new, strict=True)):
        if i not in shown:
            hidden += 1
            continue
        if hidden:
            out.append(("  ", depth, None, f"... // {hidden} identical element{'s' if hidden > 1 else ''}"))
            hidden = 0
        if i in changed:
            out.append(("  ", depth, None, "{"))
            _diff_struct(a, b, cls, depth + 1, out)
            out.append(("  ", depth, None, "},"))
        else:
            out.append(("  ", depth, None, _fmt_struct(a, cls) + ","))
    if hidden:
        out.append(("  ", depth, None, f"... // {hidden} identical element{'s' if hidden > 1 else ''}"))


def spec_diff(old: dict, new: dict, cls_name: str = "PodSpec") -> str:
    """cmp.Diff(old, new) of two specs in go-cmp's report layout: two fields of context around each
    change, identical runs folded into ``... // N identical fields``, values aligned per block."""
    from sandbox.api import models

    cls = getattr(models, cls_name)
    if cls_name == "PodSpec":
        old, new = _internal_pod_spec(old), _internal_pod_spec(new)
    entries: list = []
    _diff_struct(old, new, cls, 1, entries)
    lines = [f"  core.{cls_name}{{"]
    i = 0
    while i < len(entries):
        j = i
        while j < len(entries) and entries[j][2] is not None and entries[j][1] == entries[i][1]:
            j += 1
        if j > i:   # a block of one-line fields: align the values
            width = max(len(e[2]) for e in entries[i:j]) + 1
            for mark, depth, name, text in entries[i:j]:
                lines.append(f"{mark}{chr(9) * depth}{(name + ':').ljust(width)} {text}")
            i = j
            continue
        mark, depth, _, text = entries[i]
        lines.append(f"{mark}{chr(9) * depth}{text}")
        i += 1
    lines.append("  }")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------- apps
def _validate_pod_template_for_controller(spec: dict, path: str) -> Errs:
    """ValidatePodTemplateSpecForReplicaSet: selector/labels match, template, restartPolicy Always."""
    errs: Errs = []
    template = spec.get("template") or {}
    selector = spec.get("selector")
    labels = (template.get("metadata") or {}).get("labels")
    if not _selector_empty(selector) and not selector_matches(selector, labels):
        errs.append(invalid(f"{path}.metadata.labels", labels, "`selector` does not match template `labels`"))
    errs += validate_pod_template_spec(template, path)
    tspec = template.get("spec") or {}
    if tspec.get("restartPolicy") != "Always":
        errs.append(not_supported(f"{path}.spec.restartPolicy", tspec.get("restartPolicy") or "", ["Always"]))
    if tspec.get("activeDeadlineSeconds") is not None:
        errs.append(forbidden(f"{path}.spec.activeDeadlineSeconds", "activeDeadlineSeconds in ReplicaSet is not "
                                                                     "Supported"))
    return errs


def _validate_selector_block(spec: dict, path: str, noun: str) -> tuple[Errs, bool]:
    errs: Errs = []
    selector = spec.get("selector")
    if selector is None:
        errs.append(required(f"{path}.selector"))
    else:
        errs += validate_label_selector(selector, f"{path}.selector")
        if not selector.get("matchLabels") and not selector.get("matchExpressions"):
            errs.append(struct_error(INVALID, f"{path}.selector", selector, f"empty selector is invalid for {noun}"))
    ok = _selector_convertible(selector)
    if not ok:
        errs.append(struct_error(INVALID, f"{path}.selector", selector, "invalid label selector"))
    return errs, ok


def _int_or_percent(value: Any, path: str) -> Errs:
    if isinstance(value, str):
        if not re.fullmatch(r"[0-9]+%", value):
            return [invalid(path, value, names.regex_error(
                "a valid percent string must be a numeric string followed by an ending '%'", "[0-9]+%", "1%",
                "93%"))]
        return []
    return nonnegative(value or 0, path)


def _int_or_percent_value(value: Any) -> int:
    if isinstance(value, str):
        return int(value[:-1]) if re.fullmatch(r"[0-9]+%", value) else 0
    return value or 0


def _not_more_than_100(value: Any, path: str) -> Errs:
    if isinstance(value, str) and re.fullmatch(r"[0-9]+%", value) and int(value[:-1]) > 100:
        return [invalid(path, value, "must not be greater than 100%")]
    return []


def _validate_deployment_strategy(strategy: dict, path: str) -> Errs:
    errs: Errs = []
    stype = strategy.get("type") or ""
    ru = strategy.get("rollingUpdate")
    if stype == "Recreate":
        if ru is not None:
            errs.append(forbidden(f"{path}.rollingUpdate", "may not be specified when strategy `type` is 'Recreate'"))
    elif stype == "RollingUpdate":
        if ru is None:
            errs.append(required(f"{path}.rollingUpdate", "this should be defaulted and never be nil"))
        else:
            mu, ms = ru.get("maxUnavailable"), ru.get("maxSurge")
            errs += _int_or_percent(mu, f"{path}.rollingUpdate.maxUnavailable")
            errs += _int_or_percent(ms, f"{path}.rollingUpdate.maxSurge")
            if _int_or_percent_value(mu) == 0 and _int_or_percent_value(ms) == 0:
                errs.append(invalid(f"{path}.rollingUpdate.maxUnavailable", mu, "may not be 0 when `maxSurge` is 0"))
            errs += _not_more_than_100(mu, f"{path}.rollingUpdate.maxUnavailable")
    else:
        errs.append(struct_error(NOT_SUPPORTED, path, internal_strategy(strategy),
                                 'supported values: "Recreate", "RollingUpdate"'))
    return errs


def validate_deployment(obj: dict) -> Errs:
    errs = validate_object_meta(obj, True, names.name_is_dns_subdomain)
    return errs + _validate_deployment_spec(_spec(obj))


def _validate_deployment_spec(spec: dict) -> Errs:
    errs: Errs = []
    errs += nonnegative(spec.get("replicas") or 0, "spec.replicas")
    sel_errs, ok = _validate_selector_block(spec, "spec", "deployment")
    errs += sel_errs
    if ok:
        errs += _validate_pod_template_for_controller(spec, "spec.template")
    errs += _validate_deployment_strategy(spec.get("strategy") or {}, "spec.strategy")
    errs += nonnegative(spec.get("minReadySeconds") or 0, "spec.minReadySeconds")
    if spec.get("revisionHistoryLimit") is not None:
        errs += nonnegative(spec["revisionHistoryLimit"], "spec.revisionHistoryLimit")
    pds = spec.get("progressDeadlineSeconds")
    if pds is not None:
        errs += nonnegative(pds, "spec.progressDeadlineSeconds")
        if pds <= (spec.get("minReadySeconds") or 0):
            errs.append(invalid("spec.progressDeadlineSeconds", pds, "must be greater than minReadySeconds"))
    return errs


def _selector_immutable(obj: dict, old: dict) -> Errs:
    new = _spec(obj).get("selector")
    if new == _spec(old).get("selector"):
        return []
    return [struct_error(INVALID, "spec.selector", new, IMMUTABLE)]


def validate_deployment_update(obj: dict, old: dict) -> Errs:
    errs = validate_object_meta_update(obj, old)
    errs += _validate_deployment_spec(_spec(obj))
    return errs + _selector_immutable(obj, old)


def validate_replicaset(obj: dict) -> Errs:
    errs = validate_object_meta(obj, True, names.name_is_dns_subdomain)
    return errs + _validate_replicaset_spec(_spec(obj))


def _validate_replicaset_spec(spec: dict) -> Errs:
    errs: Errs = []
    errs += nonnegative(spec.get("replicas") or 0, "spec.replicas")
    errs += nonnegative(spec.get("minReadySeconds") or 0, "spec.minReadySeconds")
    sel_errs, ok = _validate_selector_block(spec, "spec", "deployment")
    errs += sel_errs
    if ok:
        errs += _validate_pod_template_for_controller(spec, "spec.template")
    return errs


def validate_replicaset_update(obj: dict, old: dict) -> Errs:
    errs = validate_object_meta_update(obj, old)
    errs += _validate_replicaset_spec(_spec(obj))
    return errs + _selector_immutable(obj, old)


def validate_statefulset(obj: dict) -> Errs:
    errs = validate_object_meta(obj, True, names.name_is_dns_label)
    return errs + _validate_statefulset_spec(_spec(obj))


def _validate_statefulset_spec(spec: dict) -> Errs:
    errs: Errs = []
    pmp = spec.get("podManagementPolicy") or ""
    if not pmp:
        errs.append(required("spec.podManagementPolicy"))
    elif pmp not in ("OrderedReady", "Parallel"):
        errs.append(invalid("spec.podManagementPolicy", pmp, "must be 'OrderedReady' or 'Parallel'"))
    strategy = spec.get("updateStrategy") or {}
    stype = strategy.get("type") or ""
    if not stype:
        errs.append(required("spec.updateStrategy"))
    elif stype == "OnDelete":
        if strategy.get("rollingUpdate") is not None:
            errs.append(struct_error(INVALID, "spec.updateStrategy.rollingUpdate",
                                     internal_strategy(strategy)["RollingUpdate"],
                                "only allowed for updateStrategy 'RollingUpdate'"))
    elif stype == "RollingUpdate":
        ru = strategy.get("rollingUpdate")
        if ru is not None:
            p = "spec.updateStrategy.rollingUpdate"
            errs += nonnegative(ru.get("partition") or 0, f"{p}.partition")
            mu = ru.get("maxUnavailable")
            if mu is not None:
                errs += _int_or_percent(mu, f"{p}.maxUnavailable")
                if _int_or_percent_value(mu) == 0:
                    errs.append(invalid(f"{p}.maxUnavailable", mu, "cannot be 0"))
                errs += _not_more_than_100(mu, f"{p}.maxUnavailable")
    else:
        errs.append(struct_error(INVALID, "spec.updateStrategy", internal_strategy(strategy),
                                 "must be 'RollingUpdate' or 'OnDelete'"))
    policy = spec.get("persistentVolumeClaimRetentionPolicy")
    if policy is not None:
        for key in ("whenDeleted", "whenScaled"):
            value = policy.get(key) or ""
            if value not in ("Retain", "Delete"):
                errs.append(not_supported(f"spec.persistentVolumeClaimRetentionPolicy.{key}", value,
                                          ["Retain", "Delete"]))
    errs += nonnegative(spec.get("replicas") or 0, "spec.replicas")
    errs += nonnegative(spec.get("minReadySeconds") or 0, "spec.minReadySeconds")
    ordinals = spec.get("ordinals")
    if ordinals is not None:
        errs += nonnegative(ordinals.get("start") or 0, "spec.ordinals.start")
    selector = spec.get("selector")
    if selector is None:
        errs.append(required("spec.selector"))
    else:
        errs += validate_label_selector(selector, "spec.selector")
        if not selector.get("matchLabels") and not selector.get("matchExpressions"):
            errs.append(struct_error(INVALID, "spec.selector", selector, "empty selector is invalid for statefulset"))
    template = spec.get("template") or {}
    if not _selector_convertible(selector):
        errs.append(struct_error(INVALID, "spec.selector", selector))
    else:
        # ValidatePodTemplateSpecForStatefulSet: labels and annotations only (the pod spec is not validated)
        meta = template.get("metadata") or {}
        labels = meta.get("labels")
        if not _selector_empty(selector) and not selector_matches(selector, labels):
            errs.append(invalid("spec.template.metadata.labels", labels, "`selector` does not match template "
                                                                        "`labels`"))
        errs += validate_labels(labels, "spec.template.labels")
        errs += validate_annotations(meta.get("annotations"), "spec.template.annotations")
    tspec = template.get("spec") or {}
    if tspec.get("restartPolicy") != "Always":
        errs.append(not_supported("spec.template.spec.restartPolicy", tspec.get("restartPolicy") or "", ["Always"]))
    if tspec.get("activeDeadlineSeconds") is not None:
        errs.append(forbidden("spec.template.spec.activeDeadlineSeconds",
                              "activeDeadlineSeconds in StatefulSet is not Supported"))
    return errs


_STS_MUTABLE = ("replicas", "ordinals", "template", "updateStrategy", "persistentVolumeClaimRetentionPolicy",
                "minReadySeconds")


def validate_statefulset_update(obj: dict, old: dict) -> Errs:
    errs = validate_object_meta_update(obj, old)
    spec, old_spec = _spec(obj), _spec(old)
    errs += _validate_statefulset_spec(spec)
    rest = {k: v for k, v in spec.items() if k not in _STS_MUTABLE}
    old_rest = {k: v for k, v in old_spec.items() if k not in _STS_MUTABLE}
    if rest != old_rest:
        errs.append(forbidden("spec", STATEFULSET_UPDATE_FORBIDDEN))
    return errs


def validate_daemonset(obj: dict) -> Errs:
    errs = validate_object_meta(obj, True, names.name_is_dns_subdomain)
    return errs + _validate_daemonset_spec(_spec(obj))


def _validate_daemonset_spec(spec: dict) -> Errs:
    errs: Errs = []
    selector = spec.get("selector")
    errs += validate_label_selector(selector, "spec.selector")
    template = spec.get("template") or {}
    labels = (template.get("metadata") or {}).get("labels")
    if _selector_convertible(selector) and not selector_matches(selector, labels):
        errs.append(invalid("spec.template.metadata.labels", labels, "`selector` does not match template `labels`"))
    if selector is not None and not selector.get("matchLabels") and not selector.get("matchExpressions"):
        errs.append(struct_error(INVALID, "spec.selector", selector, "empty selector is invalid for daemonset"))
    errs += validate_pod_template_spec(template, "spec.template")
    tspec = template.get("spec") or {}
    if tspec.get("restartPolicy") != "Always":
        errs.append(not_supported("spec.template.spec.restartPolicy", tspec.get("restartPolicy") or "", ["Always"]))
    if tspec.get("activeDeadlineSeconds") is not None:
        errs.append(forbidden("spec.template.spec.activeDeadlineSeconds",
                              "activeDeadlineSeconds in DaemonSet is not Supported"))
    errs += nonnegative(spec.get("minReadySeconds") or 0, "spec.minReadySeconds")
    strategy = spec.get("updateStrategy") or {}
    stype = strategy.get("type") or ""
    if stype == "RollingUpdate":
        ru = strategy.get("rollingUpdate")
        if ru is None:
            errs.append(required("spec.updateStrategy.rollingUpdate"))
        else:
            p = "spec.updateStrategy.rollingUpdate"
            mu, ms = ru.get("maxUnavailable"), ru.get("maxSurge")
            errs += _int_or_percent(mu, f"{p}.maxUnavailable")
            errs += _int_or_percent(ms, f"{p}.maxSurge")
            errs += _not_more_than_100(mu, f"{p}.maxUnavailable")
            errs += _not_more_than_100(ms, f"{p}.maxSurge")
            has_unavailable, has_surge = _int_or_percent_value(mu) != 0, _int_or_percent_value(ms) != 0
            if has_unavailable and has_surge:
                errs.append(invalid(f"{p}.maxSurge", ms, "may not be set when maxUnavailable is non-zero"))
            elif not has_unavailable and not has_surge:
                errs.append(required(f"{p}.maxUnavailable", "cannot be 0 when maxSurge is 0"))
    elif stype != "OnDelete":
        errs.append(struct_error(NOT_SUPPORTED, "spec.updateStrategy", internal_strategy(strategy),
                                 'supported values: "RollingUpdate", "OnDelete"'))
    if spec.get("revisionHistoryLimit") is not None:
        errs += nonnegative(spec["revisionHistoryLimit"], "spec.revisionHistoryLimit")
    return errs


def validate_daemonset_update(obj: dict, old: dict) -> Errs:
    errs = validate_object_meta_update(obj, old)
    errs += _validate_daemonset_spec(_spec(obj))
    return errs + _selector_immutable(obj, old)


# ------------------------------------------------------------------------------- other core/v1
def validate_namespace(obj: dict) -> Errs:
    errs = validate_object_meta(obj, False, names.name_is_dns_label)
    for f in _spec(obj).get("finalizers") or ():
        errs += _msgs("spec.finalizers", f, names.is_qualified_name(f))
        if "/" not in f and f not in STANDARD_FINALIZERS:
            errs.append(invalid("spec.finalizers", f, "name is neither a standard finalizer name nor is it fully "
                                                      "qualified"))
    return errs


def validate_configmap(obj: dict) -> Errs:
    return validate_object_meta(obj, True, names.name_is_dns_subdomain) + _validate_configmap_data(obj)


def _validate_configmap_data(obj: dict) -> Errs:
    errs: Errs = []
    data = obj.get("data") or {}
    binary = obj.get("binaryData") or {}
    total = 0
    for key in sorted(data):
        errs += _msgs(f"data[{key}]", key, names.is_config_map_key(key))
        if key in binary:
            errs.append(invalid(f"data[{key}]", key, "duplicate of key present in binaryData"))
        total += len(data[key])
    for key in sorted(binary):
        errs += _msgs(f"binaryData[{key}]", key, names.is_config_map_key(key))
        if key in data:
            errs.append(invalid(f"binaryData[{key}]", key, "duplicate of key present in data"))
        total += len(binary[key]) * 3 // 4
    if total > MAX_CONFIG_MAP_SIZE:
        errs.append(too_long("", MAX_CONFIG_MAP_SIZE))
    return errs


def validate_configmap_update(obj: dict, old: dict) -> Errs:
    errs = validate_object_meta_update(obj, old)
    if old.get("immutable"):
        if not obj.get("immutable"):
            errs.append(forbidden("immutable", "field is immutable when `immutable` is set"))
        if obj.get("data") != old.get("data"):
            errs.append(forbidden("data", "field is immutable when `immutable` is set"))
        if obj.get("binaryData") != old.get("binaryData"):
            errs.append(forbidden("binaryData", "field is immutable when `immutable` is set"))
    return errs + _validate_configmap_data(obj)


def validate_service_account(obj: dict) -> Errs:
    return validate_object_meta(obj, True, names.name_is_dns_subdomain)


def validate_node(obj: dict) -> Errs:
    errs = validate_object_meta(obj, False, names.name_is_dns_subdomain)
    for i, taint in enumerate(_spec(obj).get("taints") or ()):
        p = f"spec.taints[{i}]"
        errs += _msgs(f"{p}.key", taint.get("key", ""), names.is_qualified_name(taint.get("key", "")))
        if taint.get("value"):
            errs += _msgs(f"{p}.value", taint["value"], names.is_valid_label_value(taint["value"]))
        effect = taint.get("effect") or ""
        if not effect:
            errs.append(required(f"{p}.effect"))
        elif effect not in _TAINT_EFFECTS:
            errs.append(not_supported(f"{p}.effect", effect, _TAINT_EFFECTS))
    return errs


def validate_endpoints(obj: dict) -> Errs:
    errs = validate_object_meta(obj, True, names.name_is_dns_subdomain)
    for i, subset in enumerate(obj.get("subsets") or ()):
        for key in ("addresses", "notReadyAddresses"):
            for j, addr in enumerate(subset.get(key) or ()):
                errs += _msgs(f"subsets[{i}].{key}[{j}].ip", addr.get("ip", ""), names.is_valid_ip(addr.get("ip", "")))
        for j, port in enumerate(subset.get("ports") or ()):
            errs += _msgs(f"subsets[{i}].ports[{j}].port", port.get("port", 0),
                          names.is_valid_port_num(port.get("port", 0)))
    return errs


def validate_endpointslice(obj: dict) -> Errs:
    errs = validate_object_meta(obj, True, names.name_is_dns_subdomain)
    atype = obj.get("addressType") or ""
    if atype not in ("IPv4", "IPv6", "FQDN"):
        errs.append(not_supported("addressType", atype, ["FQDN", "IPv4", "IPv6"]))
    return errs


def validate_event(obj: dict) -> Errs:
    return validate_object_meta(obj, True, names.name_is_dns_subdomain)


_CREATE: dict[str, Callable[[dict], Errs]] = {
    "Service": validate_service,
    "Pod": validate_pod,
    "Deployment": validate_deployment,
    "ReplicaSet": validate_replicaset,
    "StatefulSet": validate_statefulset,
    "DaemonSet": validate_daemonset,
    "Namespace": validate_namespace,
    "ConfigMap": validate_configmap,
    "ServiceAccount": validate_service_account,
    "Node": validate_node,
    "Endpoints": validate_endpoints,
    "EndpointSlice": validate_endpointslice,
    "Event": validate_event,
}
_UPDATE: dict[str, Callable[[dict, dict], Errs]] = {
    "Service": validate_service_update,
    "Pod": validate_pod_update,
    "Deployment": validate_deployment_update,
    "ReplicaSet": validate_replicaset_update,
    "StatefulSet": validate_statefulset_update,
    "DaemonSet": validate_daemonset_update,
    "ConfigMap": validate_configmap_update,
}
