"""The API schema: pydantic classes mirroring k8s.io/api Go structs, field for field.

Field names are the JSON names themselves (camelCase), so the schema reads like the API reference and
needs no alias table. Besides being usable pydantic models (``Service.model_validate(obj)``), the
classes carry the facts Go's ``encoding/json`` needs and pydantic does not model, because the strict
decoder (:mod:`sandbox.api.decode`) compiles them into its own fast walker:

* the Go type name of every scalar (``v1.Protocol``, ``int32``) for ``json: cannot unmarshal`` texts;
* how the field is emitted when the apiserver re-encodes the object: ``omitempty`` (the default for
  scalars, slices and maps: dropped when empty), :data:`Ptr` (a pointer: kept when present, even when
  zero), :data:`Req` (no ``omitempty``: always emitted, as the zero value if absent) and non-pointer
  structs (declared with ``default_factory``: always emitted, ``{}`` when empty).

Models use ``defer_build`` so importing this module costs little; pydantic builds a validator only
when a class is first validated.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict, Field


class Go:
    """Annotated marker: the Go type name a scalar has in ``json: cannot unmarshal`` messages."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"Go({self.name!r})"


class Emit:
    """Annotated marker: how encoding/json emits the field (``ptr``, ``always`` or ``omitzero``)."""

    __slots__ = ("mode",)

    def __init__(self, mode: str) -> None:
        self.mode = mode

    def __repr__(self) -> str:
        return f"Emit({self.mode!r})"


PTR = Emit("ptr")
ALWAYS = Emit("always")
OMITZERO = Emit("omitzero")

T = TypeVar("T")
#: A Go pointer field: present (even ``0``/``false``/``""``) survives the round trip.
Ptr = Annotated[T | None, PTR]
#: A Go field without ``omitempty``: emitted as its zero value when absent.
Req = Annotated[T | None, ALWAYS]

Int32 = Annotated[int, Go("int32")]
Int64 = Annotated[int, Go("int64")]
Float64 = Annotated[float, Go("float64")]
#: intstr.IntOrString: a JSON number (int32) or string, kept as given.
IntOrString = Annotated[int | str, Go("intstr.IntOrString")]
#: resource.Quantity: a string or number, canonicalised by the decoder.
Quantity = Annotated[int | float | str, Go("resource.Quantity")]
#: metav1.Time: RFC 3339 string, ``null`` when zero.
Time = Annotated[str, Go("v1.Time")]
MicroTime = Annotated[str, Go("v1.MicroTime")]
UID = Annotated[str, Go("types.UID")]
#: Free-form JSON (runtime.RawExtension, FieldsV1, types we accept but do not model).
RawJSON = Annotated[Any, Go("any")]


def named(go_name: str) -> Any:
    """A Go named string type (``v1.Protocol``): a string whose Go type shows in type errors."""
    return Annotated[str, Go(go_name)]


Protocol = named("v1.Protocol")
ResourceList = Annotated[dict[str, Quantity], Go("v1.ResourceList")]
StrMap = dict[str, str]


class K8s(BaseModel):
    """Base: unknown fields are errors (strict decoding), names are the JSON names."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)
    #: The Go struct name when it differs from the class name (discovery/v1 vs core/v1 clashes).
    go_name: ClassVar[str | None] = None


# ---------------------------------------------------------------------------------------- meta/v1
class OwnerReference(K8s):
    apiVersion: Req[str] = None
    kind: Req[str] = None
    name: Req[str] = None
    uid: Req[UID] = None
    controller: Ptr[bool] = None
    blockOwnerDeletion: Ptr[bool] = None


class ManagedFieldsEntry(K8s):
    manager: str | None = None
    operation: named("v1.ManagedFieldsOperationType") | None = None
    apiVersion: str | None = None
    time: Ptr[Time] = None
    fieldsType: str | None = None
    fieldsV1: Ptr[RawJSON] = None
    subresource: str | None = None


class ObjectMeta(K8s):
    name: str | None = None
    generateName: str | None = None
    namespace: str | None = None
    selfLink: str | None = None
    uid: UID | None = None
    resourceVersion: str | None = None
    generation: Int64 | None = None
    creationTimestamp: Annotated[Time | None, OMITZERO] = None
    deletionTimestamp: Ptr[Time] = None
    deletionGracePeriodSeconds: Ptr[Int64] = None
    labels: StrMap | None = None
    annotations: StrMap | None = None
    ownerReferences: list[OwnerReference] | None = None
    finalizers: list[str] | None = None
    managedFields: list[ManagedFieldsEntry] | None = None


class LabelSelectorRequirement(K8s):
    key: Req[str] = None
    operator: Req[named("v1.LabelSelectorOperator")] = None
    values: list[str] | None = None


class LabelSelector(K8s):
    matchLabels: StrMap | None = None
    matchExpressions: list[LabelSelectorRequirement] | None = None


class Condition(K8s):
    """metav1.Condition (Service status conditions)."""

    type: Req[str] = None
    status: Req[named("v1.ConditionStatus")] = None
    observedGeneration: Int64 | None = None
    lastTransitionTime: Req[Time] = None
    reason: Req[str] = None
    message: Req[str] = None


# ------------------------------------------------------------------------------ core/v1: shared
class ObjectReference(K8s):
    kind: str | None = None
    namespace: str | None = None
    name: str | None = None
    uid: UID | None = None
    apiVersion: str | None = None
    resourceVersion: str | None = None
    fieldPath: str | None = None


class LocalObjectReference(K8s):
    name: str | None = None


class KeyToPath(K8s):
    key: Req[str] = None
    path: Req[str] = None
    mode: Ptr[Int32] = None


class ObjectFieldSelector(K8s):
    apiVersion: str | None = None
    fieldPath: Req[str] = None


class ResourceFieldSelector(K8s):
    containerName: str | None = None
    resource: Req[str] = None
    divisor: Quantity | None = None


class ConfigMapKeySelector(K8s):
    name: str | None = None
    key: Req[str] = None
    optional: Ptr[bool] = None


class SecretKeySelector(K8s):
    name: str | None = None
    key: Req[str] = None
    optional: Ptr[bool] = None


class FileKeySelector(K8s):
    volumeName: Req[str] = None
    path: Req[str] = None
    key: Req[str] = None
    optional: Ptr[bool] = None


class EnvVarSource(K8s):
    fieldRef: ObjectFieldSelector | None = None
    resourceFieldRef: ResourceFieldSelector | None = None
    configMapKeyRef: ConfigMapKeySelector | None = None
    secretKeyRef: SecretKeySelector | None = None
    fileKeyRef: FileKeySelector | None = None


class EnvVar(K8s):
    name: Req[str] = None
    value: str | None = None
    valueFrom: EnvVarSource | None = None


class ConfigMapEnvSource(K8s):
    name: str | None = None
    optional: Ptr[bool] = None


class SecretEnvSource(K8s):
    name: str | None = None
    optional: Ptr[bool] = None


class EnvFromSource(K8s):
    prefix: str | None = None
    configMapRef: ConfigMapEnvSource | None = None
    secretRef: SecretEnvSource | None = None


class ContainerPort(K8s):
    name: str | None = None
    hostPort: Int32 | None = None
    containerPort: Req[Int32] = None
    protocol: Protocol | None = None
    hostIP: str | None = None


class ResourceClaim(K8s):
    name: Req[str] = None
    request: str | None = None


class ResourceRequirements(K8s):
    limits: ResourceList | None = None
    requests: ResourceList | None = None
    claims: list[ResourceClaim] | None = None


class ContainerResizePolicy(K8s):
    resourceName: Req[named("v1.ResourceName")] = None
    restartPolicy: Req[named("v1.ResourceResizeRestartPolicy")] = None


class ExecAction(K8s):
    command: list[str] | None = None


class HTTPHeader(K8s):
    name: Req[str] = None
    value: Req[str] = None


class HTTPGetAction(K8s):
    path: str | None = None
    port: Req[IntOrString] = None
    host: str | None = None
    scheme: named("v1.URIScheme") | None = None
    httpHeaders: list[HTTPHeader] | None = None


class TCPSocketAction(K8s):
    port: Req[IntOrString] = None
    host: str | None = None


class GRPCAction(K8s):
    port: Req[Int32] = None
    service: Ptr[str] = None


class SleepAction(K8s):
    seconds: Req[Int64] = None


class Probe(K8s):
    exec: ExecAction | None = None
    httpGet: HTTPGetAction | None = None
    tcpSocket: TCPSocketAction | None = None
    grpc: GRPCAction | None = None
    initialDelaySeconds: Int32 | None = None
    timeoutSeconds: Int32 | None = None
    periodSeconds: Int32 | None = None
    successThreshold: Int32 | None = None
    failureThreshold: Int32 | None = None
    terminationGracePeriodSeconds: Ptr[Int64] = None


class LifecycleHandler(K8s):
    exec: ExecAction | None = None
    httpGet: HTTPGetAction | None = None
    tcpSocket: TCPSocketAction | None = None
    sleep: SleepAction | None = None


class Lifecycle(K8s):
    postStart: LifecycleHandler | None = None
    preStop: LifecycleHandler | None = None
    stopSignal: Ptr[named("v1.Signal")] = None


class Capabilities(K8s):
    add: list[named("v1.Capability")] | None = None
    drop: list[named("v1.Capability")] | None = None


class SELinuxOptions(K8s):
    user: str | None = None
    role: str | None = None
    type: str | None = None
    level: str | None = None


class WindowsSecurityContextOptions(K8s):
    gmsaCredentialSpecName: Ptr[str] = None
    gmsaCredentialSpec: Ptr[str] = None
    runAsUserName: Ptr[str] = None
    hostProcess: Ptr[bool] = None


class SeccompProfile(K8s):
    type: Req[named("v1.SeccompProfileType")] = None
    localhostProfile: Ptr[str] = None


class AppArmorProfile(K8s):
    type: Req[named("v1.AppArmorProfileType")] = None
    localhostProfile: Ptr[str] = None


class SecurityContext(K8s):
    capabilities: Capabilities | None = None
    privileged: Ptr[bool] = None
    seLinuxOptions: SELinuxOptions | None = None
    windowsOptions: WindowsSecurityContextOptions | None = None
    runAsUser: Ptr[Int64] = None
    runAsGroup: Ptr[Int64] = None
    runAsNonRoot: Ptr[bool] = None
    readOnlyRootFilesystem: Ptr[bool] = None
    allowPrivilegeEscalation: Ptr[bool] = None
    procMount: Ptr[named("v1.ProcMountType")] = None
    seccompProfile: SeccompProfile | None = None
    appArmorProfile: AppArmorProfile | None = None


class Sysctl(K8s):
    name: Req[str] = None
    value: Req[str] = None


class PodSecurityContext(K8s):
    seLinuxOptions: SELinuxOptions | None = None
    windowsOptions: WindowsSecurityContextOptions | None = None
    runAsUser: Ptr[Int64] = None
    runAsGroup: Ptr[Int64] = None
    runAsNonRoot: Ptr[bool] = None
    supplementalGroups: list[Int64] | None = None
    supplementalGroupsPolicy: Ptr[named("v1.SupplementalGroupsPolicy")] = None
    fsGroup: Ptr[Int64] = None
    sysctls: list[Sysctl] | None = None
    fsGroupChangePolicy: Ptr[named("v1.PodFSGroupChangePolicy")] = None
    seccompProfile: SeccompProfile | None = None
    appArmorProfile: AppArmorProfile | None = None
    seLinuxChangePolicy: Ptr[named("v1.PodSELinuxChangePolicy")] = None


class VolumeMount(K8s):
    name: Req[str] = None
    readOnly: bool | None = None
    recursiveReadOnly: Ptr[named("v1.RecursiveReadOnlyMode")] = None
    mountPath: Req[str] = None
    subPath: str | None = None
    mountPropagation: Ptr[named("v1.MountPropagationMode")] = None
    subPathExpr: str | None = None


class VolumeDevice(K8s):
    name: Req[str] = None
    devicePath: Req[str] = None


class ContainerRestartRule(K8s):
    action: Req[named("v1.ContainerRestartRuleAction")] = None
    exitCodes: RawJSON | None = None


class Container(K8s):
    name: Req[str] = None
    image: str | None = None
    command: list[str] | None = None
    args: list[str] | None = None
    workingDir: str | None = None
    ports: list[ContainerPort] | None = None
    envFrom: list[EnvFromSource] | None = None
    env: list[EnvVar] | None = None
    resources: ResourceRequirements = Field(default_factory=ResourceRequirements)
    resizePolicy: list[ContainerResizePolicy] | None = None
    restartPolicy: Ptr[named("v1.ContainerRestartPolicy")] = None
    restartPolicyRules: list[ContainerRestartRule] | None = None
    volumeMounts: list[VolumeMount] | None = None
    volumeDevices: list[VolumeDevice] | None = None
    livenessProbe: Probe | None = None
    readinessProbe: Probe | None = None
    startupProbe: Probe | None = None
    lifecycle: Lifecycle | None = None
    terminationMessagePath: str | None = None
    terminationMessagePolicy: named("v1.TerminationMessagePolicy") | None = None
    imagePullPolicy: named("v1.PullPolicy") | None = None
    securityContext: SecurityContext | None = None
    stdin: bool | None = None
    stdinOnce: bool | None = None
    tty: bool | None = None


class EphemeralContainer(Container):
    targetContainerName: str | None = None


# volumes (the common kinds; the rarer ones are accepted as free-form JSON)
class HostPathVolumeSource(K8s):
    path: Req[str] = None
    type: Ptr[named("v1.HostPathType")] = None


class EmptyDirVolumeSource(K8s):
    medium: named("v1.StorageMedium") | None = None
    sizeLimit: Ptr[Quantity] = None


class SecretVolumeSource(K8s):
    secretName: str | None = None
    items: list[KeyToPath] | None = None
    defaultMode: Ptr[Int32] = None
    optional: Ptr[bool] = None


class ConfigMapVolumeSource(K8s):
    name: str | None = None
    items: list[KeyToPath] | None = None
    defaultMode: Ptr[Int32] = None
    optional: Ptr[bool] = None


class PersistentVolumeClaimVolumeSource(K8s):
    claimName: Req[str] = None
    readOnly: bool | None = None


class DownwardAPIVolumeFile(K8s):
    path: Req[str] = None
    fieldRef: ObjectFieldSelector | None = None
    resourceFieldRef: ResourceFieldSelector | None = None
    mode: Ptr[Int32] = None


class DownwardAPIVolumeSource(K8s):
    items: list[DownwardAPIVolumeFile] | None = None
    defaultMode: Ptr[Int32] = None


class DownwardAPIProjection(K8s):
    items: list[DownwardAPIVolumeFile] | None = None


class SecretProjection(K8s):
    name: str | None = None
    items: list[KeyToPath] | None = None
    optional: Ptr[bool] = None


class ConfigMapProjection(K8s):
    name: str | None = None
    items: list[KeyToPath] | None = None
    optional: Ptr[bool] = None


class ServiceAccountTokenProjection(K8s):
    audience: str | None = None
    expirationSeconds: Ptr[Int64] = None
    path: Req[str] = None


class VolumeProjection(K8s):
    secret: SecretProjection | None = None
    downwardAPI: DownwardAPIProjection | None = None
    configMap: ConfigMapProjection | None = None
    serviceAccountToken: ServiceAccountTokenProjection | None = None
    clusterTrustBundle: Ptr[RawJSON] = None
    podCertificate: Ptr[RawJSON] = None


class ProjectedVolumeSource(K8s):
    sources: Req[list[VolumeProjection]] = None
    defaultMode: Ptr[Int32] = None


class NFSVolumeSource(K8s):
    server: Req[str] = None
    path: Req[str] = None
    readOnly: bool | None = None


class Volume(K8s):
    name: Req[str] = None
    hostPath: HostPathVolumeSource | None = None
    emptyDir: EmptyDirVolumeSource | None = None
    secret: SecretVolumeSource | None = None
    nfs: NFSVolumeSource | None = None
    persistentVolumeClaim: PersistentVolumeClaimVolumeSource | None = None
    downwardAPI: DownwardAPIVolumeSource | None = None
    configMap: ConfigMapVolumeSource | None = None
    projected: ProjectedVolumeSource | None = None
    csi: Ptr[RawJSON] = None
    ephemeral: Ptr[RawJSON] = None
    image: Ptr[RawJSON] = None
    # the legacy in-tree sources: accepted (a manifest using them must not fail decoding), not modelled
    gcePersistentDisk: Ptr[RawJSON] = None
    awsElasticBlockStore: Ptr[RawJSON] = None
    gitRepo: Ptr[RawJSON] = None
    iscsi: Ptr[RawJSON] = None
    glusterfs: Ptr[RawJSON] = None
    rbd: Ptr[RawJSON] = None
    flexVolume: Ptr[RawJSON] = None
    cinder: Ptr[RawJSON] = None
    cephfs: Ptr[RawJSON] = None
    flocker: Ptr[RawJSON] = None
    fc: Ptr[RawJSON] = None
    azureFile: Ptr[RawJSON] = None
    vsphereVolume: Ptr[RawJSON] = None
    quobyte: Ptr[RawJSON] = None
    azureDisk: Ptr[RawJSON] = None
    photonPersistentDisk: Ptr[RawJSON] = None
    portworxVolume: Ptr[RawJSON] = None
    scaleIO: Ptr[RawJSON] = None
    storageos: Ptr[RawJSON] = None


# scheduling
class NodeSelectorRequirement(K8s):
    key: Req[str] = None
    operator: Req[named("v1.NodeSelectorOperator")] = None
    values: list[str] | None = None


class NodeSelectorTerm(K8s):
    matchExpressions: list[NodeSelectorRequirement] | None = None
    matchFields: list[NodeSelectorRequirement] | None = None


class NodeSelector(K8s):
    nodeSelectorTerms: Req[list[NodeSelectorTerm]] = None


class PreferredSchedulingTerm(K8s):
    weight: Req[Int32] = None
    preference: NodeSelectorTerm = Field(default_factory=NodeSelectorTerm)


class NodeAffinity(K8s):
    requiredDuringSchedulingIgnoredDuringExecution: NodeSelector | None = None
    preferredDuringSchedulingIgnoredDuringExecution: list[PreferredSchedulingTerm] | None = None


class PodAffinityTerm(K8s):
    labelSelector: LabelSelector | None = None
    namespaces: list[str] | None = None
    topologyKey: Req[str] = None
    namespaceSelector: LabelSelector | None = None
    matchLabelKeys: list[str] | None = None
    mismatchLabelKeys: list[str] | None = None


class WeightedPodAffinityTerm(K8s):
    weight: Req[Int32] = None
    podAffinityTerm: PodAffinityTerm = Field(default_factory=PodAffinityTerm)


class PodAffinity(K8s):
    requiredDuringSchedulingIgnoredDuringExecution: list[PodAffinityTerm] | None = None
    preferredDuringSchedulingIgnoredDuringExecution: list[WeightedPodAffinityTerm] | None = None


class PodAntiAffinity(PodAffinity):
    pass


class Affinity(K8s):
    nodeAffinity: NodeAffinity | None = None
    podAffinity: PodAffinity | None = None
    podAntiAffinity: PodAntiAffinity | None = None


class Toleration(K8s):
    key: str | None = None
    operator: named("v1.TolerationOperator") | None = None
    value: str | None = None
    effect: named("v1.TaintEffect") | None = None
    tolerationSeconds: Ptr[Int64] = None


class HostAlias(K8s):
    ip: Req[str] = None
    hostnames: list[str] | None = None


class PodDNSConfigOption(K8s):
    name: str | None = None
    value: Ptr[str] = None


class PodDNSConfig(K8s):
    nameservers: list[str] | None = None
    searches: list[str] | None = None
    options: list[PodDNSConfigOption] | None = None


class PodReadinessGate(K8s):
    conditionType: Req[named("v1.PodConditionType")] = None


class TopologySpreadConstraint(K8s):
    maxSkew: Req[Int32] = None
    topologyKey: Req[str] = None
    whenUnsatisfiable: Req[named("v1.UnsatisfiableConstraintAction")] = None
    labelSelector: LabelSelector | None = None
    minDomains: Ptr[Int32] = None
    nodeAffinityPolicy: Ptr[named("v1.NodeInclusionPolicy")] = None
    nodeTaintsPolicy: Ptr[named("v1.NodeInclusionPolicy")] = None
    matchLabelKeys: list[str] | None = None


class PodOS(K8s):
    name: Req[named("v1.OSName")] = None


class PodSchedulingGate(K8s):
    name: Req[str] = None


class PodResourceClaim(K8s):
    name: Req[str] = None
    resourceClaimName: Ptr[str] = None
    resourceClaimTemplateName: Ptr[str] = None


class PodSpec(K8s):
    volumes: list[Volume] | None = None
    initContainers: list[Container] | None = None
    containers: Req[list[Container]] = None
    ephemeralContainers: list[EphemeralContainer] | None = None
    restartPolicy: named("v1.RestartPolicy") | None = None
    terminationGracePeriodSeconds: Ptr[Int64] = None
    activeDeadlineSeconds: Ptr[Int64] = None
    dnsPolicy: named("v1.DNSPolicy") | None = None
    nodeSelector: StrMap | None = None
    serviceAccountName: str | None = None
    serviceAccount: str | None = None
    automountServiceAccountToken: Ptr[bool] = None
    nodeName: str | None = None
    hostNetwork: bool | None = None
    hostPID: bool | None = None
    hostIPC: bool | None = None
    shareProcessNamespace: Ptr[bool] = None
    securityContext: PodSecurityContext | None = None
    imagePullSecrets: list[LocalObjectReference] | None = None
    hostname: str | None = None
    subdomain: str | None = None
    affinity: Affinity | None = None
    schedulerName: str | None = None
    tolerations: list[Toleration] | None = None
    hostAliases: list[HostAlias] | None = None
    priorityClassName: str | None = None
    priority: Ptr[Int32] = None
    dnsConfig: PodDNSConfig | None = None
    readinessGates: list[PodReadinessGate] | None = None
    runtimeClassName: Ptr[str] = None
    enableServiceLinks: Ptr[bool] = None
    preemptionPolicy: Ptr[named("v1.PreemptionPolicy")] = None
    overhead: ResourceList | None = None
    topologySpreadConstraints: list[TopologySpreadConstraint] | None = None
    setHostnameAsFQDN: Ptr[bool] = None
    os: PodOS | None = None
    hostUsers: Ptr[bool] = None
    schedulingGates: list[PodSchedulingGate] | None = None
    resourceClaims: list[PodResourceClaim] | None = None
    resources: ResourceRequirements | None = None
    hostnameOverride: Ptr[str] = None


class PodCondition(K8s):
    type: Req[named("v1.PodConditionType")] = None
    observedGeneration: Int64 | None = None
    status: Req[named("v1.ConditionStatus")] = None
    lastProbeTime: Req[Time] = None
    lastTransitionTime: Req[Time] = None
    reason: str | None = None
    message: str | None = None


class ContainerStateWaiting(K8s):
    reason: str | None = None
    message: str | None = None


class ContainerStateRunning(K8s):
    startedAt: Req[Time] = None


class ContainerStateTerminated(K8s):
    exitCode: Req[Int32] = None
    signal: Int32 | None = None
    reason: str | None = None
    message: str | None = None
    startedAt: Req[Time] = None
    finishedAt: Req[Time] = None
    containerID: str | None = None


class ContainerState(K8s):
    waiting: ContainerStateWaiting | None = None
    running: ContainerStateRunning | None = None
    terminated: ContainerStateTerminated | None = None


class VolumeMountStatus(K8s):
    name: Req[str] = None
    mountPath: Req[str] = None
    readOnly: bool | None = None
    recursiveReadOnly: Ptr[str] = None


class ContainerStatus(K8s):
    name: Req[str] = None
    state: ContainerState = Field(default_factory=ContainerState)
    lastState: ContainerState = Field(default_factory=ContainerState)
    ready: Req[bool] = None
    restartCount: Req[Int32] = None
    image: Req[str] = None
    imageID: Req[str] = None
    containerID: str | None = None
    started: Ptr[bool] = None
    allocatedResources: ResourceList | None = None
    resources: ResourceRequirements | None = None
    volumeMounts: list[VolumeMountStatus] | None = None
    user: Ptr[RawJSON] = None
    allocatedResourcesStatus: list[RawJSON] | None = None
    stopSignal: Ptr[str] = None


class HostIP(K8s):
    ip: Req[str] = None


class PodIP(K8s):
    ip: Req[str] = None


class PodStatus(K8s):
    observedGeneration: Int64 | None = None
    phase: named("v1.PodPhase") | None = None
    conditions: list[PodCondition] | None = None
    message: str | None = None
    reason: str | None = None
    nominatedNodeName: str | None = None
    hostIP: str | None = None
    hostIPs: list[HostIP] | None = None
    podIP: str | None = None
    podIPs: list[PodIP] | None = None
    startTime: Ptr[Time] = None
    initContainerStatuses: list[ContainerStatus] | None = None
    containerStatuses: list[ContainerStatus] | None = None
    qosClass: named("v1.PodQOSClass") | None = None
    ephemeralContainerStatuses: list[ContainerStatus] | None = None
    resize: str | None = None
    resourceClaimStatuses: list[RawJSON] | None = None


class PodTemplateSpec(K8s):
    metadata: ObjectMeta = Field(default_factory=ObjectMeta)
    spec: PodSpec = Field(default_factory=PodSpec)


class TopLevel(K8s):
    """Fields every top-level object has (TypeMeta inline + ObjectMeta)."""

    apiVersion: str | None = None
    kind: str | None = None
    metadata: ObjectMeta = Field(default_factory=ObjectMeta)


class Pod(TopLevel):
    spec: PodSpec = Field(default_factory=PodSpec)
    status: PodStatus = Field(default_factory=PodStatus)


# ------------------------------------------------------------------------------ core/v1: service
class ServicePort(K8s):
    name: str | None = None
    protocol: Protocol | None = None
    appProtocol: Ptr[str] = None
    port: Req[Int32] = None
    targetPort: Req[IntOrString] = None
    nodePort: Int32 | None = None


class ClientIPConfig(K8s):
    timeoutSeconds: Ptr[Int32] = None


class SessionAffinityConfig(K8s):
    clientIP: ClientIPConfig | None = None


class ServiceSpec(K8s):
    ports: list[ServicePort] | None = None
    selector: StrMap | None = None
    clusterIP: str | None = None
    clusterIPs: list[str] | None = None
    type: named("v1.ServiceType") | None = None
    externalIPs: list[str] | None = None
    sessionAffinity: named("v1.ServiceAffinity") | None = None
    loadBalancerIP: str | None = None
    loadBalancerSourceRanges: list[str] | None = None
    externalName: str | None = None
    externalTrafficPolicy: named("v1.ServiceExternalTrafficPolicy") | None = None
    healthCheckNodePort: Int32 | None = None
    publishNotReadyAddresses: bool | None = None
    sessionAffinityConfig: SessionAffinityConfig | None = None
    ipFamilies: list[named("v1.IPFamily")] | None = None
    ipFamilyPolicy: Ptr[named("v1.IPFamilyPolicy")] = None
    allocateLoadBalancerNodePorts: Ptr[bool] = None
    loadBalancerClass: Ptr[str] = None
    internalTrafficPolicy: Ptr[named("v1.ServiceInternalTrafficPolicy")] = None
    trafficDistribution: Ptr[str] = None


class PortStatus(K8s):
    port: Req[Int32] = None
    protocol: Req[Protocol] = None
    error: Ptr[str] = None


class LoadBalancerIngress(K8s):
    ip: str | None = None
    hostname: str | None = None
    ipMode: Ptr[named("v1.LoadBalancerIPMode")] = None
    ports: list[PortStatus] | None = None


class LoadBalancerStatus(K8s):
    ingress: list[LoadBalancerIngress] | None = None


class ServiceStatus(K8s):
    loadBalancer: LoadBalancerStatus = Field(default_factory=LoadBalancerStatus)
    conditions: list[Condition] | None = None


class Service(TopLevel):
    spec: ServiceSpec = Field(default_factory=ServiceSpec)
    status: ServiceStatus = Field(default_factory=ServiceStatus)


class EndpointAddress(K8s):
    ip: Req[str] = None
    hostname: str | None = None
    nodeName: Ptr[str] = None
    targetRef: ObjectReference | None = None


class EndpointPort(K8s):
    name: str | None = None
    port: Req[Int32] = None
    protocol: Protocol | None = None
    appProtocol: Ptr[str] = None


class EndpointSubset(K8s):
    addresses: list[EndpointAddress] | None = None
    notReadyAddresses: list[EndpointAddress] | None = None
    ports: list[EndpointPort] | None = None


class Endpoints(TopLevel):
    subsets: list[EndpointSubset] | None = None


# ------------------------------------------------------------------------------ core/v1: other
class NamespaceSpec(K8s):
    finalizers: list[named("v1.FinalizerName")] | None = None


class NamespaceCondition(K8s):
    type: Req[named("v1.NamespaceConditionType")] = None
    status: Req[named("v1.ConditionStatus")] = None
    lastTransitionTime: Req[Time] = None
    reason: str | None = None
    message: str | None = None


class NamespaceStatus(K8s):
    phase: named("v1.NamespacePhase") | None = None
    conditions: list[NamespaceCondition] | None = None


class Namespace(TopLevel):
    spec: NamespaceSpec = Field(default_factory=NamespaceSpec)
    status: NamespaceStatus = Field(default_factory=NamespaceStatus)


class Taint(K8s):
    key: Req[str] = None
    value: str | None = None
    effect: Req[named("v1.TaintEffect")] = None
    timeAdded: Ptr[Time] = None


class NodeSpec(K8s):
    podCIDR: str | None = None
    podCIDRs: list[str] | None = None
    providerID: str | None = None
    unschedulable: bool | None = None
    taints: list[Taint] | None = None
    configSource: Ptr[RawJSON] = None
    externalID: str | None = None


class NodeCondition(K8s):
    type: Req[named("v1.NodeConditionType")] = None
    status: Req[named("v1.ConditionStatus")] = None
    lastHeartbeatTime: Req[Time] = None
    lastTransitionTime: Req[Time] = None
    reason: str | None = None
    message: str | None = None


class NodeAddress(K8s):
    type: Req[named("v1.NodeAddressType")] = None
    address: Req[str] = None


class DaemonEndpoint(K8s):
    Port: Req[Int32] = None


class NodeDaemonEndpoints(K8s):
    kubeletEndpoint: DaemonEndpoint = Field(default_factory=DaemonEndpoint)


class NodeSystemInfo(K8s):
    machineID: Req[str] = None
    systemUUID: Req[str] = None
    bootID: Req[str] = None
    kernelVersion: Req[str] = None
    osImage: Req[str] = None
    containerRuntimeVersion: Req[str] = None
    kubeletVersion: Req[str] = None
    kubeProxyVersion: Req[str] = None
    operatingSystem: Req[str] = None
    architecture: Req[str] = None
    swap: Ptr[RawJSON] = None


class ContainerImage(K8s):
    names: list[str] | None = None
    sizeBytes: Int64 | None = None


class AttachedVolume(K8s):
    name: Req[str] = None
    devicePath: Req[str] = None


class NodeStatus(K8s):
    capacity: ResourceList | None = None
    allocatable: ResourceList | None = None
    phase: named("v1.NodePhase") | None = None
    conditions: list[NodeCondition] | None = None
    addresses: list[NodeAddress] | None = None
    daemonEndpoints: NodeDaemonEndpoints = Field(default_factory=NodeDaemonEndpoints)
    nodeInfo: NodeSystemInfo = Field(default_factory=NodeSystemInfo)
    images: list[ContainerImage] | None = None
    volumesInUse: list[str] | None = None
    volumesAttached: list[AttachedVolume] | None = None
    config: Ptr[RawJSON] = None
    runtimeHandlers: list[RawJSON] | None = None
    features: Ptr[RawJSON] = None
    declaredFeatures: list[str] | None = None


class Node(TopLevel):
    spec: NodeSpec = Field(default_factory=NodeSpec)
    status: NodeStatus = Field(default_factory=NodeStatus)


class ConfigMap(TopLevel):
    immutable: Ptr[bool] = None
    data: StrMap | None = None
    binaryData: Annotated[dict[str, Annotated[str, Go("[]uint8")]], Go("map[string][]uint8")] | None = None


class EventSource(K8s):
    component: str | None = None
    host: str | None = None


class EventSeries(K8s):
    count: Int32 | None = None
    lastObservedTime: Req[MicroTime] = None


class Event(TopLevel):
    involvedObject: ObjectReference = Field(default_factory=ObjectReference)
    reason: str | None = None
    message: str | None = None
    source: EventSource = Field(default_factory=EventSource)
    firstTimestamp: Req[Time] = None
    lastTimestamp: Req[Time] = None
    count: Int32 | None = None
    type: str | None = None
    eventTime: Req[MicroTime] = None
    series: EventSeries | None = None
    action: str | None = None
    related: ObjectReference | None = None
    reportingComponent: Req[str] = None
    reportingInstance: Req[str] = None


class ServiceAccount(TopLevel):
    secrets: list[ObjectReference] | None = None
    imagePullSecrets: list[LocalObjectReference] | None = None
    automountServiceAccountToken: Ptr[bool] = None


# ---------------------------------------------------------------------------------- discovery/v1
class ForZone(K8s):
    name: Req[str] = None


class ForNode(K8s):
    name: Req[str] = None


class EndpointHints(K8s):
    forZones: list[ForZone] | None = None
    forNodes: list[ForNode] | None = None


class EndpointConditions(K8s):
    ready: Ptr[bool] = None
    serving: Ptr[bool] = None
    terminating: Ptr[bool] = None


class Endpoint(K8s):
    addresses: Req[list[str]] = None
    conditions: EndpointConditions = Field(default_factory=EndpointConditions)
    hostname: Ptr[str] = None
    targetRef: ObjectReference | None = None
    deprecatedTopology: StrMap | None = None
    nodeName: Ptr[str] = None
    zone: Ptr[str] = None
    hints: EndpointHints | None = None


class DiscoveryEndpointPort(K8s):
    go_name: ClassVar[str | None] = "EndpointPort"
    name: Ptr[str] = None
    protocol: Ptr[Protocol] = None
    port: Ptr[Int32] = None
    appProtocol: Ptr[str] = None


class EndpointSlice(TopLevel):
    addressType: Req[named("v1.AddressType")] = None
    endpoints: Req[list[Endpoint]] = None
    ports: Req[list[DiscoveryEndpointPort]] = None


# ---------------------------------------------------------------------------------------- apps/v1
class RollingUpdateDeployment(K8s):
    maxUnavailable: Ptr[IntOrString] = None
    maxSurge: Ptr[IntOrString] = None


class DeploymentStrategy(K8s):
    type: named("v1.DeploymentStrategyType") | None = None
    rollingUpdate: RollingUpdateDeployment | None = None


class DeploymentSpec(K8s):
    replicas: Ptr[Int32] = None
    selector: LabelSelector | None = None
    template: PodTemplateSpec = Field(default_factory=PodTemplateSpec)
    strategy: DeploymentStrategy = Field(default_factory=DeploymentStrategy)
    minReadySeconds: Int32 | None = None
    revisionHistoryLimit: Ptr[Int32] = None
    paused: bool | None = None
    progressDeadlineSeconds: Ptr[Int32] = None


class DeploymentCondition(K8s):
    type: Req[named("v1.DeploymentConditionType")] = None
    status: Req[named("v1.ConditionStatus")] = None
    lastUpdateTime: Req[Time] = None
    lastTransitionTime: Req[Time] = None
    reason: str | None = None
    message: str | None = None


class DeploymentStatus(K8s):
    observedGeneration: Int64 | None = None
    replicas: Int32 | None = None
    updatedReplicas: Int32 | None = None
    readyReplicas: Int32 | None = None
    availableReplicas: Int32 | None = None
    unavailableReplicas: Int32 | None = None
    terminatingReplicas: Ptr[Int32] = None
    conditions: list[DeploymentCondition] | None = None
    collisionCount: Ptr[Int32] = None


class Deployment(TopLevel):
    spec: DeploymentSpec = Field(default_factory=DeploymentSpec)
    status: DeploymentStatus = Field(default_factory=DeploymentStatus)


class ReplicaSetSpec(K8s):
    replicas: Ptr[Int32] = None
    minReadySeconds: Int32 | None = None
    selector: LabelSelector | None = None
    template: PodTemplateSpec = Field(default_factory=PodTemplateSpec)


class ReplicaSetCondition(K8s):
    type: Req[named("v1.ReplicaSetConditionType")] = None
    status: Req[named("v1.ConditionStatus")] = None
    lastTransitionTime: Req[Time] = None
    reason: str | None = None
    message: str | None = None


class ReplicaSetStatus(K8s):
    replicas: Req[Int32] = None
    fullyLabeledReplicas: Int32 | None = None
    readyReplicas: Int32 | None = None
    availableReplicas: Int32 | None = None
    terminatingReplicas: Ptr[Int32] = None
    observedGeneration: Int64 | None = None
    conditions: list[ReplicaSetCondition] | None = None


class ReplicaSet(TopLevel):
    spec: ReplicaSetSpec = Field(default_factory=ReplicaSetSpec)
    status: ReplicaSetStatus = Field(default_factory=ReplicaSetStatus)


class RollingUpdateStatefulSetStrategy(K8s):
    partition: Ptr[Int32] = None
    maxUnavailable: Ptr[IntOrString] = None


class StatefulSetUpdateStrategy(K8s):
    type: named("v1.StatefulSetUpdateStrategyType") | None = None
    rollingUpdate: RollingUpdateStatefulSetStrategy | None = None


class StatefulSetPersistentVolumeClaimRetentionPolicy(K8s):
    whenDeleted: named("v1.PersistentVolumeClaimRetentionPolicyType") | None = None
    whenScaled: named("v1.PersistentVolumeClaimRetentionPolicyType") | None = None


class StatefulSetOrdinals(K8s):
    start: Int32 | None = None


class StatefulSetSpec(K8s):
    replicas: Ptr[Int32] = None
    selector: LabelSelector | None = None
    template: PodTemplateSpec = Field(default_factory=PodTemplateSpec)
    volumeClaimTemplates: list[RawJSON] | None = None
    serviceName: str | None = None
    podManagementPolicy: named("v1.PodManagementPolicyType") | None = None
    updateStrategy: StatefulSetUpdateStrategy = Field(default_factory=StatefulSetUpdateStrategy)
    revisionHistoryLimit: Ptr[Int32] = None
    minReadySeconds: Int32 | None = None
    persistentVolumeClaimRetentionPolicy: StatefulSetPersistentVolumeClaimRetentionPolicy | None = None
    ordinals: StatefulSetOrdinals | None = None


class StatefulSetCondition(K8s):
    type: Req[named("v1.StatefulSetConditionType")] = None
    status: Req[named("v1.ConditionStatus")] = None
    lastTransitionTime: Req[Time] = None
    reason: str | None = None
    message: str | None = None


class StatefulSetStatus(K8s):
    observedGeneration: Int64 | None = None
    replicas: Req[Int32] = None
    readyReplicas: Int32 | None = None
    currentReplicas: Int32 | None = None
    updatedReplicas: Int32 | None = None
    currentRevision: str | None = None
    updateRevision: str | None = None
    collisionCount: Ptr[Int32] = None
    conditions: list[StatefulSetCondition] | None = None
    availableReplicas: Int32 | None = None


class StatefulSet(TopLevel):
    spec: StatefulSetSpec = Field(default_factory=StatefulSetSpec)
    status: StatefulSetStatus = Field(default_factory=StatefulSetStatus)


class RollingUpdateDaemonSet(K8s):
    maxUnavailable: Ptr[IntOrString] = None
    maxSurge: Ptr[IntOrString] = None


class DaemonSetUpdateStrategy(K8s):
    type: named("v1.DaemonSetUpdateStrategyType") | None = None
    rollingUpdate: RollingUpdateDaemonSet | None = None


class DaemonSetSpec(K8s):
    selector: LabelSelector | None = None
    template: PodTemplateSpec = Field(default_factory=PodTemplateSpec)
    updateStrategy: DaemonSetUpdateStrategy = Field(default_factory=DaemonSetUpdateStrategy)
    minReadySeconds: Int32 | None = None
    revisionHistoryLimit: Ptr[Int32] = None


class DaemonSetCondition(K8s):
    type: Req[named("v1.DaemonSetConditionType")] = None
    status: Req[named("v1.ConditionStatus")] = None
    lastTransitionTime: Req[Time] = None
    reason: str | None = None
    message: str | None = None


class DaemonSetStatus(K8s):
    currentNumberScheduled: Req[Int32] = None
    numberMisscheduled: Req[Int32] = None
    desiredNumberScheduled: Req[Int32] = None
    numberReady: Req[Int32] = None
    observedGeneration: Int64 | None = None
    updatedNumberScheduled: Int32 | None = None
    numberAvailable: Int32 | None = None
    numberUnavailable: Int32 | None = None
    collisionCount: Ptr[Int32] = None
    conditions: list[DaemonSetCondition] | None = None


class DaemonSet(TopLevel):
    spec: DaemonSetSpec = Field(default_factory=DaemonSetSpec)
    status: DaemonSetStatus = Field(default_factory=DaemonSetStatus)


#: (apiVersion, kind) -> top-level model: what the decoder can handle.
KINDS: dict[tuple[str, str], type[TopLevel]] = {
    ("v1", "Namespace"): Namespace,
    ("v1", "Node"): Node,
    ("v1", "Pod"): Pod,
    ("v1", "Service"): Service,
    ("v1", "Endpoints"): Endpoints,
    ("v1", "ConfigMap"): ConfigMap,
    ("v1", "Event"): Event,
    ("v1", "ServiceAccount"): ServiceAccount,
    ("apps/v1", "Deployment"): Deployment,
    ("apps/v1", "ReplicaSet"): ReplicaSet,
    ("apps/v1", "StatefulSet"): StatefulSet,
    ("apps/v1", "DaemonSet"): DaemonSet,
    ("discovery.k8s.io/v1", "EndpointSlice"): EndpointSlice,
}
