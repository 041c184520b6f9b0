"""The API resource registry: what discovery would tell kubectl about each type we model."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class ResourceType(BaseModel):
    """One API resource as discovery describes it (``kubectl api-resources``)."""

    model_config = ConfigDict(frozen=True)

    plural: str
    singular: str
    kind: str
    group: str = ""
    version: str = "v1"
    namespaced: bool = True
    short_names: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    verbs: tuple[str, ...] = ("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch")

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def qualified(self) -> str:
        """``services`` or ``deployments.apps``: the name used in NotFound / AlreadyExists messages."""
        return f"{self.plural}.{self.group}" if self.group else self.plural

    @property
    def kind_group(self) -> str:
        """``service`` or ``deployment.apps``: the prefix of ``-o name`` and mutation messages."""
        lower = self.kind.lower()
        return f"{lower}.{self.group}" if self.group else lower

    @property
    def qualified_kind(self) -> str:
        """``Service`` or ``Deployment.apps``: the kind in raw Invalid messages."""
        return f"{self.kind}.{self.group}" if self.group else self.kind


_ALL = ("all",)
RESOURCES: tuple[ResourceType, ...] = (
    ResourceType(plural="bindings", singular="binding", kind="Binding", verbs=("create",)),
    ResourceType(plural="componentstatuses", singular="componentstatus", kind="ComponentStatus",
                 namespaced=False, short_names=("cs",), verbs=("get", "list")),
    ResourceType(plural="configmaps", singular="configmap", kind="ConfigMap", short_names=("cm",)),
    ResourceType(plural="endpoints", singular="endpoints", kind="Endpoints", short_names=("ep",)),
    ResourceType(plural="events", singular="event", kind="Event", short_names=("ev",)),
    ResourceType(plural="namespaces", singular="namespace", kind="Namespace", namespaced=False,
                 short_names=("ns",), verbs=("create", "delete", "get", "list", "patch", "update", "watch")),
    ResourceType(plural="nodes", singular="node", kind="Node", namespaced=False, short_names=("no",)),
    ResourceType(plural="pods", singular="pod", kind="Pod", short_names=("po",), categories=_ALL),
    ResourceType(plural="serviceaccounts", singular="serviceaccount", kind="ServiceAccount", short_names=("sa",)),
    ResourceType(plural="services", singular="service", kind="Service", short_names=("svc",), categories=_ALL,
                 verbs=("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch")),
    ResourceType(plural="daemonsets", singular="daemonset", kind="DaemonSet", group="apps", short_names=("ds",),
                 categories=_ALL),
    ResourceType(plural="deployments", singular="deployment", kind="Deployment", group="apps",
                 short_names=("deploy",), categories=_ALL),
    ResourceType(plural="replicasets", singular="replicaset", kind="ReplicaSet", group="apps", short_names=("rs",),
                 categories=_ALL),
    ResourceType(plural="statefulsets", singular="statefulset", kind="StatefulSet", group="apps",
                 short_names=("sts",), categories=_ALL),
    ResourceType(plural="endpointslices", singular="endpointslice", kind="EndpointSlice", group="discovery.k8s.io"),
)

_BY_KEY: dict[str, ResourceType] = {}
for _r in RESOURCES:
    for _key in (_r.plural, _r.singular, _r.kind.lower(), *_r.short_names, f"{_r.plural}.{_r.group}" if _r.group else _r.plural,
                 f"{_r.singular}.{_r.group}" if _r.group else _r.singular):
        _BY_KEY.setdefault(_key, _r)
_BY_KIND: dict[tuple[str, str], ResourceType] = {(r.api_version, r.kind): r for r in RESOURCES}
_BY_PLURAL: dict[str, ResourceType] = {r.plural: r for r in RESOURCES}


def lookup(name: str) -> ResourceType | None:
    """Resolve what a user typed (``svc``, ``Service``, ``deployments.apps``, ``po``) to a resource."""
    key = name.lower()
    if key in _BY_KEY:
        return _BY_KEY[key]
    # kind.version.group forms such as deployments.v1.apps
    parts = key.split(".")
    if len(parts) >= 3:
        return _BY_KEY.get(f"{parts[0]}.{'.'.join(parts[2:])}")
    return None


def by_plural(plural: str) -> ResourceType:
    return _BY_PLURAL[plural]


def by_kind(api_version: str, kind: str) -> ResourceType | None:
    return _BY_KIND.get((api_version, kind))


def kind_known(kind: str) -> list[ResourceType]:
    """Every resource with this kind, whatever its group (for 'no matches for kind' messages)."""
    return [r for r in RESOURCES if r.kind == kind]
