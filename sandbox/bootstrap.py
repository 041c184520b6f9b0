"""The kubeadm-like cluster every lab starts from.

Time: the cluster is "installed" BOOT_AGE before the lab starts. The clock is wound back to
``-BOOT_AGE``, the objects are created through the normal API paths and the controllers run (nodes
join, system pods get scheduled, the kubelet starts them) for a couple of virtual minutes; then the
clock jumps forward to 0 — pending timers move with it, as they would have kept firing on a live
cluster — and the install-time Events are dropped (the apiserver's 1h event TTL would have expired
them). So at t=0 the system pods are Running with realistic ages (``4d``) and the history is a real
history, not canned status.
"""

from __future__ import annotations

import copy
import json
from typing import TYPE_CHECKING

from sandbox.api.clock import rfc3339

if TYPE_CHECKING:
    from sandbox.cluster import Cluster

KUBERNETES_VERSION = "v1.37.1"
ETCD_IMAGE = "registry.k8s.io/etcd:3.6.5-0"
COREDNS_IMAGE = "registry.k8s.io/coredns/coredns:v1.12.1"
PAUSE_IMAGE = "registry.k8s.io/pause:3.10.1"
OS_IMAGE = "Ubuntu 24.04.1 LTS"
KERNEL_VERSION = "6.8.0-51-generic"
CONTAINER_RUNTIME = "containerd://2.1.4"

#: How long before the lab start kubeadm init ran (4 days, 3 hours and a bit: an aged playground).
BOOT_AGE = 4 * 86400 + 3 * 3600 + 17 * 60 + 23
#: Virtual seconds the install takes to converge before the clock jumps to the lab start.
SETTLE_SECONDS = 180
#: Seconds after kubeadm init at which each worker joins.
JOIN_DELAY = 95

COREFILE = """.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30 {
       disable success cluster.local
       disable denial cluster.local
    }
    loop
    reload
    loadbalance
}
"""

KUBE_PROXY_CONFIG = """apiVersion: kubeproxy.config.k8s.io/v1alpha1
bindAddress: 0.0.0.0
bindAddressHardFail: false
clientConnection:
  acceptContentTypes: ""
  burst: 0
  contentType: ""
  kubeconfig: /var/lib/kube-proxy/kubeconfig.conf
  qps: 0
clusterCIDR: 10.244.0.0/16
configSyncPeriod: 0s
conntrack:
  maxPerCore: null
  min: null
  tcpBeLiberal: false
  tcpCloseWaitTimeout: null
  tcpEstablishedTimeout: null
  udpStreamTimeout: 0s
  udpTimeout: 0s
detectLocal:
  bridgeInterface: ""
  interfaceNamePrefix: ""
detectLocalMode: ""
enableProfiling: false
healthzBindAddress: ""
hostnameOverride: ""
iptables:
  localhostNodePorts: null
  masqueradeAll: false
  masqueradeBit: null
  minSyncPeriod: 0s
  syncPeriod: 0s
ipvs:
  excludeCIDRs: null
  minSyncPeriod: 0s
  scheduler: "{scheduler}"
  strictARP: false
  syncPeriod: 0s
  tcpFinTimeout: 0s
  tcpTimeout: 0s
  udpTimeout: 0s
kind: KubeProxyConfiguration
logging:
  flushFrequency: 0
  options:
    json:
      infoBufferSize: "0"
    text:
      infoBufferSize: "0"
  verbosity: 0
metricsBindAddress: ""
mode: ipvs
nftables:
  masqueradeAll: false
  masqueradeBit: null
  minSyncPeriod: 0s
  syncPeriod: 0s
nodePortAddresses: null
oomScoreAdj: null
portRange: ""
showHiddenMetricsForVersion: ""
winkernel:
  enableDSR: false
  forwardHealthCheckVip: false
  networkName: ""
  rootHnsEndpointName: ""
  sourceVip: ""
"""

KUBE_PROXY_KUBECONFIG = """apiVersion: v1
kind: Config
clusters:
- cluster:
    certificate-authority: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt
    server: https://172.30.1.2:6443
  name: default
contexts:
- context:
    cluster: default
    namespace: default
    user: default
  name: default
current-context: default
users:
- name: default
  user:
    tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token
"""

#: kube-controller-manager runs with --use-service-account-credentials: one ServiceAccount per controller.
CONTROLLER_SERVICE_ACCOUNTS = (
    "attachdetach-controller", "bootstrap-signer", "certificate-controller", "clusterrole-aggregation-controller",
    "cronjob-controller", "daemon-set-controller", "deployment-controller", "disruption-controller",
    "endpoint-controller", "endpointslice-controller", "endpointslicemirroring-controller",
    "ephemeral-volume-controller", "expand-controller", "generic-garbage-collector", "horizontal-pod-autoscaler",
    "job-controller", "legacy-service-account-token-cleaner", "namespace-controller", "node-controller",
    "persistent-volume-binder", "pod-garbage-collector", "pv-protection-controller", "pvc-protection-controller",
    "replicaset-controller", "replication-controller", "resourcequota-controller", "root-ca-cert-publisher",
    "service-account-controller", "statefulset-controller", "token-cleaner", "ttl-after-finished-controller",
    "ttl-controller", "validatingadmissionpolicy-status-controller",
)

KUBELET_CONFIG = """apiVersion: kubelet.config.k8s.io/v1beta1
authentication:
  anonymous:
    enabled: false
  webhook:
    cacheTTL: 0s
    enabled: true
  x509:
    clientCAFile: /etc/kubernetes/pki/ca.crt
authorization:
  mode: Webhook
  webhook:
    cacheAuthorizedTTL: 0s
    cacheUnauthorizedTTL: 0s
cgroupDriver: systemd
clusterDNS:
- 10.96.0.10
clusterDomain: cluster.local
containerRuntimeEndpoint: ""
cpuManagerReconcilePeriod: 0s
crashLoopBackOff: {}
evictionPressureTransitionPeriod: 0s
fileCheckFrequency: 0s
healthzBindAddress: 127.0.0.1
healthzPort: 10248
httpCheckFrequency: 0s
imageMaximumGCAge: 0s
imageMinimumGCAge: 0s
kind: KubeletConfiguration
logging:
  flushFrequency: 0
  options:
    json:
      infoBufferSize: "0"
    text:
      infoBufferSize: "0"
  verbosity: 0
memorySwap: {}
nodeStatusReportFrequency: 0s
nodeStatusUpdateFrequency: 0s
rotateCertificates: true
runtimeRequestTimeout: 0s
shutdownGracePeriod: 0s
shutdownGracePeriodCriticalPods: 0s
staticPodPath: /etc/kubernetes/manifests
streamingConnectionIdleTimeout: 0s
syncFrequency: 0s
volumeStatsAggPeriod: 0s
"""

CLUSTER_INFO = """apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: {ca}
    server: https://{ip}:6443
  name: ""
contexts: null
current-context: ""
kind: Config
preferences: {}
users: null
"""

CONTROL_PLANE_TOLERATIONS = [
    {"key": "CriticalAddonsOnly", "operator": "Exists"},
    {"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane"},
]


def node_address(index: int) -> tuple[str, str]:
    """(InternalIP, podCIDR) of the index-th node (CONTRACTS.md §3)."""
    return f"172.30.{index + 1}.2", f"10.244.{index}.0/24"


def _node(cluster: Cluster, name: str, index: int) -> dict:
    ip, cidr = node_address(index)
    control = index == 0
    labels = {
        "beta.kubernetes.io/arch": "amd64",
        "beta.kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
        "kubernetes.io/hostname": name,
        "kubernetes.io/os": "linux",
    }
    if control:
        labels["node-role.kubernetes.io/control-plane"] = ""
        labels["node.kubernetes.io/exclude-from-external-load-balancers"] = ""
    spec: dict = {"podCIDR": cidr, "podCIDRs": [cidr]}
    if control:
        spec["taints"] = [{"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane"}]
    rng = cluster.rng
    now = rfc3339(cluster.clock.now)
    capacity = {"cpu": "2" if control else "1", "ephemeral-storage": "20134592Ki", "hugepages-1Gi": "0",
                "hugepages-2Mi": "0", "memory": "2015944Ki" if control else "1970436Ki", "pods": "110"}
    allocatable = dict(capacity, **{"ephemeral-storage": "19586931083", "memory": "1913544Ki" if control
                                    else "1868036Ki"})
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "annotations": {
                "kubeadm.alpha.kubernetes.io/cri-socket": "unix:///var/run/containerd/containerd.sock",
                "node.alpha.kubernetes.io/ttl": "0",
                "projectcalico.org/IPv4Address": f"{ip}/24",
                "projectcalico.org/IPv4IPIPTunnelAddr": f"10.244.{index}.1",
                "volumes.kubernetes.io/controller-managed-attach-detach": "true",
            },
            "labels": labels,
            "name": name,
        },
        "spec": spec,
        "status": {
            "addresses": [{"address": ip, "type": "InternalIP"}, {"address": name, "type": "Hostname"}],
            "allocatable": allocatable,
            "capacity": capacity,
            "conditions": [
                _cond("NetworkUnavailable", "False", "CalicoIsUp", "Calico is running on this node", now),
                _cond("MemoryPressure", "False", "KubeletHasSufficientMemory",
                      "kubelet has sufficient memory available", now),
                _cond("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", now),
                _cond("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available", now),
                _cond("Ready", "True", "KubeletReady", "kubelet is posting ready status", now),
            ],
            "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
            "nodeInfo": {
                "architecture": "amd64",
                "bootID": _uuid(rng),
                "containerRuntimeVersion": CONTAINER_RUNTIME,
                "kernelVersion": KERNEL_VERSION,
                "kubeProxyVersion": "",
                "kubeletVersion": KUBERNETES_VERSION,
                "machineID": f"{rng.getrandbits(128):032x}",
                "operatingSystem": "linux",
                "osImage": OS_IMAGE,
                "systemUUID": _uuid(rng),
            },
        },
    }


def _uuid(rng) -> str:
    from sandbox.api.rand import uuid4

    return uuid4(rng)


def _cond(type_: str, status: str, reason: str, message: str, now: str) -> dict:
    return {"lastHeartbeatTime": now, "lastTransitionTime": now, "message": message, "reason": reason,
            "status": status, "type": type_}


def _static_pod(cluster: Cluster, component: str, node: dict, command: list[str], image: str, *,
                probes: dict, extra_annotations: dict, volumes: list[dict], mounts: list[dict],
                requests: dict) -> dict:
    """A kubeadm static pod as its mirror pod appears in the API."""
    name = node["metadata"]["name"]
    manifest = json.dumps({"component": component, "command": command}, sort_keys=True)
    from sandbox.api.rand import fnv32a

    config_hash = "%032x" % (fnv32a(manifest.encode()) * 0x9E3779B1 % (1 << 128))
    annotations = dict(extra_annotations)
    annotations.update({
        "kubernetes.io/config.hash": config_hash,
        "kubernetes.io/config.mirror": config_hash,
        "kubernetes.io/config.seen": cluster.clock.now.strftime("%Y-%m-%dT%H:%M:%S.")
        + f"{cluster.rng.randrange(10**9):09d}Z",
        "kubernetes.io/config.source": "file",
    })
    container: dict = {"command": command, "image": image, "imagePullPolicy": "IfNotPresent", "name": component}
    container.update(probes)
    container["resources"] = {"requests": requests}
    container["volumeMounts"] = mounts
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "annotations": annotations,
            "labels": {"component": component, "tier": "control-plane"},
            "name": f"{component}-{name}",
            "namespace": "kube-system",
            "ownerReferences": [{"apiVersion": "v1", "controller": True, "kind": "Node", "name": name,
                                 "uid": node["metadata"]["uid"]}],
        },
        "spec": {
            "containers": [container],
            "hostNetwork": True,
            "nodeName": name,
            "priority": 2000001000,
            "priorityClassName": "system-node-critical",
            "securityContext": {"seccompProfile": {"type": "RuntimeDefault"}},
            "tolerations": [{"effect": "NoExecute", "operator": "Exists"}],
            "volumes": volumes,
        },
    }


def _host_path(name: str, path: str, type_: str) -> dict:
    return {"hostPath": {"path": path, "type": type_}, "name": name}


def _probe(path: str, port: int, host: str, *, failure: int = 8, initial: int = 10, timeout: int = 15,
           scheme: str = "HTTPS") -> dict:
    return {"failureThreshold": failure, "httpGet": {"host": host, "path": path, "port": port, "scheme": scheme},
            "initialDelaySeconds": initial, "periodSeconds": 10, "timeoutSeconds": timeout}


def _control_plane_pods(cluster: Cluster, node: dict, ip: str) -> list[dict]:
    pki_mounts = [{"mountPath": "/etc/ssl/certs", "name": "ca-certs", "readOnly": True},
                  {"mountPath": "/etc/ca-certificates", "name": "etc-ca-certificates", "readOnly": True},
                  {"mountPath": "/etc/kubernetes/pki", "name": "k8s-certs", "readOnly": True},
                  {"mountPath": "/usr/local/share/ca-certificates", "name": "usr-local-share-ca-certificates",
                   "readOnly": True},
                  {"mountPath": "/usr/share/ca-certificates", "name": "usr-share-ca-certificates", "readOnly": True}]
    pki_volumes = [_host_path("ca-certs", "/etc/ssl/certs", "DirectoryOrCreate"),
                   _host_path("etc-ca-certificates", "/etc/ca-certificates", "DirectoryOrCreate"),
                   _host_path("k8s-certs", "/etc/kubernetes/pki", "DirectoryOrCreate"),
                   _host_path("usr-local-share-ca-certificates", "/usr/local/share/ca-certificates",
                              "DirectoryOrCreate"),
                   _host_path("usr-share-ca-certificates", "/usr/share/ca-certificates", "DirectoryOrCreate")]
    img = "registry.k8s.io/{}:" + KUBERNETES_VERSION
    etcd = _static_pod(
        cluster, "etcd", node,
        ["etcd", f"--advertise-client-urls=https://{ip}:2379", "--cert-file=/etc/kubernetes/pki/etcd/server.crt",
         "--client-cert-auth=true", "--data-dir=/var/lib/etcd", "--feature-gates=InitialCorruptCheck=true",
         f"--initial-advertise-peer-urls=https://{ip}:2380",
         f"--initial-cluster={node['metadata']['name']}=https://{ip}:2380",
         "--key-file=/etc/kubernetes/pki/etcd/server.key",
         f"--listen-client-urls=https://127.0.0.1:2379,https://{ip}:2379",
         "--listen-metrics-urls=http://127.0.0.1:2381", f"--listen-peer-urls=https://{ip}:2380",
         f"--name={node['metadata']['name']}", "--peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt",
         "--peer-client-cert-auth=true", "--peer-key-file=/etc/kubernetes/pki/etcd/peer.key",
         "--peer-trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt", "--snapshot-count=10000",
         "--trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt", "--watch-progress-notify-interval=5s"],
        ETCD_IMAGE,
        probes={"livenessProbe": _probe("/livez", 2381, "127.0.0.1", initial=10, scheme="HTTP"),
                "readinessProbe": {"failureThreshold": 3, "httpGet": {"host": "127.0.0.1", "path": "/readyz",
                                                                      "port": 2381, "scheme": "HTTP"},
                                   "periodSeconds": 1, "timeoutSeconds": 15},
                "startupProbe": _probe("/readyz", 2381, "127.0.0.1", failure=24, scheme="HTTP")},
        extra_annotations={"kubeadm.kubernetes.io/etcd.advertise-client-urls": f"https://{ip}:2379"},
        volumes=[_host_path("etcd-certs", "/etc/kubernetes/pki/etcd", "DirectoryOrCreate"),
                 _host_path("etcd-data", "/var/lib/etcd", "DirectoryOrCreate")],
        mounts=[{"mountPath": "/var/lib/etcd", "name": "etcd-data"},
                {"mountPath": "/etc/kubernetes/pki/etcd", "name": "etcd-certs"}],
        requests={"cpu": "100m", "memory": "100Mi"})
    apiserver = _static_pod(
        cluster, "kube-apiserver", node,
        ["kube-apiserver", f"--advertise-address={ip}", "--allow-privileged=true", "--authorization-mode=Node,RBAC",
         "--client-ca-file=/etc/kubernetes/pki/ca.crt", "--enable-admission-plugins=NodeRestriction",
         "--enable-bootstrap-token-auth=true", "--etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt",
         "--etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt",
         "--etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key", "--etcd-servers=https://127.0.0.1:2379",
         "--kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt",
         "--kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key",
         "--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname",
         "--proxy-client-cert-file=/etc/kubernetes/pki/front-proxy-client.crt",
         "--proxy-client-key-file=/etc/kubernetes/pki/front-proxy-client.key",
         "--requestheader-allowed-names=front-proxy-client",
         "--requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt",
         "--requestheader-extra-headers-prefix=X-Remote-Extra-", "--requestheader-group-headers=X-Remote-Group",
         "--requestheader-username-headers=X-Remote-User", "--secure-port=6443",
         "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
         "--service-account-key-file=/etc/kubernetes/pki/sa.pub",
         "--service-account-signing-key-file=/etc/kubernetes/pki/sa.key", "--service-cluster-ip-range=10.96.0.0/12",
         "--tls-cert-file=/etc/kubernetes/pki/apiserver.crt", "--tls-private-key-file=/etc/kubernetes/pki/apiserver.key"],
        img.format("kube-apiserver"),
        probes={"livenessProbe": _probe("/livez", 6443, ip),
                "readinessProbe": {"failureThreshold": 3, "httpGet": {"host": ip, "path": "/readyz", "port": 6443,
                                                                      "scheme": "HTTPS"},
                                   "periodSeconds": 1, "timeoutSeconds": 15},
                "startupProbe": _probe("/livez", 6443, ip, failure=24)},
        extra_annotations={"kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint": f"{ip}:6443"},
        volumes=pki_volumes, mounts=pki_mounts, requests={"cpu": "250m"})
    controller_manager = _static_pod(
        cluster, "kube-controller-manager", node,
        ["kube-controller-manager", "--allocate-node-cidrs=true",
         "--authentication-kubeconfig=/etc/kubernetes/controller-manager.conf",
         "--authorization-kubeconfig=/etc/kubernetes/controller-manager.conf", "--bind-address=127.0.0.1",
         "--client-ca-file=/etc/kubernetes/pki/ca.crt", "--cluster-cidr=10.244.0.0/16", "--cluster-name=kubernetes",
         "--cluster-signing-cert-file=/etc/kubernetes/pki/ca.crt",
         "--cluster-signing-key-file=/etc/kubernetes/pki/ca.key", "--controllers=*,bootstrapsigner,tokencleaner",
         "--kubeconfig=/etc/kubernetes/controller-manager.conf", "--leader-elect=true",
         "--requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt",
         "--root-ca-file=/etc/kubernetes/pki/ca.crt", "--service-account-private-key-file=/etc/kubernetes/pki/sa.key",
         "--service-cluster-ip-range=10.96.0.0/12", "--use-service-account-credentials=true"],
        img.format("kube-controller-manager"),
        probes={"livenessProbe": _probe("/healthz", 10257, "127.0.0.1"),
                "startupProbe": _probe("/healthz", 10257, "127.0.0.1", failure=24)},
        extra_annotations={},
        volumes=pki_volumes + [_host_path("kubeconfig", "/etc/kubernetes/controller-manager.conf", "FileOrCreate")],
        mounts=pki_mounts + [{"mountPath": "/etc/kubernetes/controller-manager.conf", "name": "kubeconfig",
                              "readOnly": True}],
        requests={"cpu": "200m"})
    scheduler = _static_pod(
        cluster, "kube-scheduler", node,
        ["kube-scheduler", "--authentication-kubeconfig=/etc/kubernetes/scheduler.conf",
         "--authorization-kubeconfig=/etc/kubernetes/scheduler.conf", "--bind-address=127.0.0.1",
         "--kubeconfig=/etc/kubernetes/scheduler.conf", "--leader-elect=true"],
        img.format("kube-scheduler"),
        probes={"livenessProbe": _probe("/livez", 10259, "127.0.0.1"),
                "readinessProbe": {"failureThreshold": 3, "httpGet": {"host": "127.0.0.1", "path": "/readyz",
                                                                      "port": 10259, "scheme": "HTTPS"},
                                   "periodSeconds": 1, "timeoutSeconds": 15},
                "startupProbe": _probe("/livez", 10259, "127.0.0.1", failure=24)},
        extra_annotations={},
        volumes=[_host_path("kubeconfig", "/etc/kubernetes/scheduler.conf", "FileOrCreate")],
        mounts=[{"mountPath": "/etc/kubernetes/scheduler.conf", "name": "kubeconfig", "readOnly": True}],
        requests={"cpu": "100m"})
    return [etcd, apiserver, controller_manager, scheduler]


def _kube_dns_service() -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {
            "annotations": {"prometheus.io/port": "9153", "prometheus.io/scrape": "true"},
            "labels": {"k8s-app": "kube-dns", "kubernetes.io/cluster-service": "true", "kubernetes.io/name": "CoreDNS"},
            "name": "kube-dns",
            "namespace": "kube-system",
        },
        "spec": {
            "clusterIP": "10.96.0.10",
            "ports": [{"name": "dns", "port": 53, "protocol": "UDP", "targetPort": 53},
                      {"name": "dns-tcp", "port": 53, "protocol": "TCP", "targetPort": 53},
                      {"name": "metrics", "port": 9153, "protocol": "TCP", "targetPort": 9153}],
            "selector": {"k8s-app": "kube-dns"},
            "type": "ClusterIP",
        },
    }


def _coredns_deployment() -> dict:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"labels": {"k8s-app": "kube-dns"}, "name": "coredns", "namespace": "kube-system"},
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": {"k8s-app": "kube-dns"}},
            "strategy": {"rollingUpdate": {"maxUnavailable": 1}, "type": "RollingUpdate"},
            "template": {
                "metadata": {"labels": {"k8s-app": "kube-dns"}},
                "spec": {
                    "affinity": {"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [{
                        "podAffinityTerm": {"labelSelector": {"matchExpressions": [
                            {"key": "k8s-app", "operator": "In", "values": ["kube-dns"]}]},
                            "topologyKey": "kubernetes.io/hostname"},
                        "weight": 100}]}},
                    "containers": [{
                        "args": ["-conf", "/etc/coredns/Corefile"],
                        "image": COREDNS_IMAGE,
                        "imagePullPolicy": "IfNotPresent",
                        "livenessProbe": {"failureThreshold": 5, "httpGet": {"path": "/health", "port": 8080,
                                                                             "scheme": "HTTP"},
                                          "initialDelaySeconds": 60, "successThreshold": 1, "timeoutSeconds": 5},
                        "name": "coredns",
                        "ports": [{"containerPort": 53, "name": "dns", "protocol": "UDP"},
                                  {"containerPort": 53, "name": "dns-tcp", "protocol": "TCP"},
                                  {"containerPort": 9153, "name": "metrics", "protocol": "TCP"},
                                  {"containerPort": 8080, "name": "liveness-probe", "protocol": "TCP"},
                                  {"containerPort": 8181, "name": "readiness-probe", "protocol": "TCP"}],
                        "readinessProbe": {"httpGet": {"path": "/ready", "port": 8181, "scheme": "HTTP"}},
                        "resources": {"limits": {"memory": "170Mi"}, "requests": {"cpu": "100m", "memory": "70Mi"}},
                        "securityContext": {"allowPrivilegeEscalation": False,
                                            "capabilities": {"add": ["NET_BIND_SERVICE"], "drop": ["ALL"]},
                                            "readOnlyRootFilesystem": True},
                        "volumeMounts": [{"mountPath": "/etc/coredns", "name": "config-volume", "readOnly": True}],
                    }],
                    "dnsPolicy": "Default",
                    "nodeSelector": {"kubernetes.io/os": "linux"},
                    "priorityClassName": "system-cluster-critical",
                    "serviceAccountName": "coredns",
                    "tolerations": copy.deepcopy(CONTROL_PLANE_TOLERATIONS),
                    "volumes": [{"configMap": {"items": [{"key": "Corefile", "path": "Corefile"}], "name": "coredns"},
                                 "name": "config-volume"}],
                },
            },
        },
    }


def _kube_proxy_daemonset() -> dict:
    return {
        "apiVersion": "apps/v1",
        "kind": "DaemonSet",
        "metadata": {"labels": {"k8s-app": "kube-proxy"}, "name": "kube-proxy", "namespace": "kube-system"},
        "spec": {
            "selector": {"matchLabels": {"k8s-app": "kube-proxy"}},
            "template": {
                "metadata": {"labels": {"k8s-app": "kube-proxy"}},
                "spec": {
                    "containers": [{
                        "command": ["/usr/local/bin/kube-proxy", "--config=/var/lib/kube-proxy/config.conf",
                                    "--hostname-override=$(NODE_NAME)"],
                        "env": [{"name": "NODE_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1",
                                                                                 "fieldPath": "spec.nodeName"}}}],
                        "image": f"registry.k8s.io/kube-proxy:{KUBERNETES_VERSION}",
                        "imagePullPolicy": "IfNotPresent",
                        "name": "kube-proxy",
                        "securityContext": {"privileged": True},
                        "volumeMounts": [{"mountPath": "/var/lib/kube-proxy", "name": "kube-proxy"},
                                         {"mountPath": "/run/xtables.lock", "name": "xtables-lock"},
                                         {"mountPath": "/lib/modules", "name": "lib-modules", "readOnly": True}],
                    }],
                    "hostNetwork": True,
                    "nodeSelector": {"kubernetes.io/os": "linux"},
                    "priorityClassName": "system-node-critical",
                    "serviceAccountName": "kube-proxy",
                    "tolerations": [{"operator": "Exists"}],
                    "volumes": [{"configMap": {"name": "kube-proxy"}, "name": "kube-proxy"},
                                _host_path("xtables-lock", "/run/xtables.lock", "FileOrCreate"),
                                {"hostPath": {"path": "/lib/modules"}, "name": "lib-modules"}],
                },
            },
            "updateStrategy": {"rollingUpdate": {"maxSurge": 0, "maxUnavailable": 1}, "type": "RollingUpdate"},
        },
    }


def _apiserver_endpoints(ip: str) -> tuple[dict, dict]:
    """The `kubernetes` Service's Endpoints and EndpointSlice, as the apiserver's reconciler writes them."""
    endpoints = {
        "apiVersion": "v1",
        "kind": "Endpoints",
        "metadata": {"labels": {"endpointslice.kubernetes.io/skip-mirror": "true"}, "name": "kubernetes",
                     "namespace": "default"},
        "subsets": [{"addresses": [{"ip": ip}], "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}]}],
    }
    slice_ = {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": {"labels": {"kubernetes.io/service-name": "kubernetes"}, "name": "kubernetes",
                     "namespace": "default"},
        "addressType": "IPv4",
        "endpoints": [{"addresses": [ip], "conditions": {"ready": True}}],
        "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}],
    }
    return endpoints, slice_


def _clean(obj):
    """Drop None-valued annotation placeholders (kept out of the literal tables above)."""
    ann = obj.get("metadata", {}).get("annotations")
    if ann:
        for k in [k for k, v in ann.items() if v is None]:
            del ann[k]
    return obj


def _jump_to_lab_start(cluster: Cluster) -> None:
    """Move the clock from the end of the install to t=0, carrying pending timers along."""
    clock = cluster.clock
    delta = -clock.seconds
    if delta <= 0:
        return
    for timer in clock._heap:  # uniform shift keeps the heap ordered
        timer.due += delta
    clock.seconds = 0.0


def bootstrap(cluster: Cluster) -> None:
    """Build the default cluster (see the module docstring for how time is handled)."""
    clock = cluster.clock
    clock.seconds = -float(BOOT_AGE)
    names = cluster.node_names
    from sandbox.cluster import NodeInfo

    for i, name in enumerate(names):
        ip, cidr = node_address(i)
        cluster.nodes_info[name] = NodeInfo(name=name, ip=ip, pod_cidr=cidr,
                                            role="control-plane" if i == 0 else "worker")
    cp_ip = node_address(0)[0]

    # kubeadm init: namespaces, the control plane node and its static pods, core services
    for ns in ("default", "kube-node-lease", "kube-public", "kube-system"):
        cluster.create_internal({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}})
    control = cluster.create_internal(_clean(_node(cluster, names[0], 0)))
    cluster.create_internal({
        "apiVersion": "v1", "kind": "Service",
        "metadata": {"labels": {"component": "apiserver", "provider": "kubernetes"}, "name": "kubernetes",
                     "namespace": "default"},
        "spec": {"clusterIP": "10.96.0.1", "ports": [{"name": "https", "port": 443, "protocol": "TCP",
                                                      "targetPort": 6443}],
                 "type": "ClusterIP"},
    })
    for obj in _apiserver_endpoints(cp_ip):
        cluster.create_internal(obj)
    static = cluster.controllers.get("kubelet-static-pods")
    for pod in _control_plane_pods(cluster, control, cp_ip):
        if static is not None:
            static.register_manifest(pod)
        cluster.create_internal(pod)
    cluster.tick(20)
    for name in CONTROLLER_SERVICE_ACCOUNTS + ("coredns", "kube-proxy"):
        cluster.create_internal({"apiVersion": "v1", "kind": "ServiceAccount",
                                 "metadata": {"name": name, "namespace": "kube-system"}})
    cluster.create_internal({"apiVersion": "v1", "kind": "ConfigMap",
                             "metadata": {"name": "kubelet-config", "namespace": "kube-system"},
                             "data": {"kubelet": KUBELET_CONFIG}})
    cluster.create_internal({"apiVersion": "v1", "kind": "ConfigMap",
                             "metadata": {"name": "kube-apiserver-legacy-service-account-token-tracking",
                                          "namespace": "kube-system"},
                             "data": {"since": cluster.clock.now.strftime("%Y-%m-%d")}})
    cluster.create_internal({"apiVersion": "v1", "kind": "ConfigMap",
                             "metadata": {"name": "cluster-info", "namespace": "kube-public"},
                             "data": {"kubeconfig": CLUSTER_INFO.replace("{ip}", cp_ip).replace("{ca}", _ca_b64())}})
    cluster.create_internal({"apiVersion": "v1", "kind": "ConfigMap",
                             "metadata": {"name": "coredns", "namespace": "kube-system"},
                             "data": {"Corefile": COREFILE}})
    cluster.create_internal({"apiVersion": "v1", "kind": "ConfigMap",
                             "metadata": {"labels": {"app": "kube-proxy"}, "name": "kube-proxy",
                                          "namespace": "kube-system"},
                             "data": {"config.conf": KUBE_PROXY_CONFIG.replace("{scheduler}", _scheduler(cluster)),
                                      "kubeconfig.conf": KUBE_PROXY_KUBECONFIG}})
    cluster.create_internal({"apiVersion": "v1", "kind": "ConfigMap",
                             "metadata": {"name": "kubeadm-config", "namespace": "kube-system"},
                             "data": {"ClusterConfiguration": _kubeadm_config()}})
    cluster.create_internal(_kube_dns_service())
    cluster.create_internal(_coredns_deployment())
    cluster.create_internal(_kube_proxy_daemonset())
    cluster.tick(JOIN_DELAY - 20)
    # kubeadm join for each worker
    for i, name in enumerate(names[1:], start=1):
        cluster.create_internal(_clean(_node(cluster, name, i)))
        cluster.tick(7)
    cluster.tick(max(0, SETTLE_SECONDS - JOIN_DELAY - 7 * (len(names) - 1)))
    _jump_to_lab_start(cluster)
    _drop_install_events(cluster)
    lifecycle = cluster.controllers.get("node-lifecycle-controller")
    if lifecycle is not None:
        # the last status report before the lab starts: a minute or two ago, not at install time
        cluster.clock.seconds = -float(cluster.rng.randrange(30, 240))
        for node in cluster.store.list("nodes"):
            lifecycle.heartbeat(node)
        cluster.clock.seconds = 0.0
    cluster.settle()


def _ca_b64() -> str:
    import base64

    from sandbox.controllers.serviceaccount import ROOT_CA

    return base64.b64encode(ROOT_CA.encode()).decode()


def _scheduler(cluster: Cluster) -> str:
    """kube-proxy's ipvs.scheduler: kubeadm leaves it empty (= rr); a lesson may pick another."""
    sched = cluster.ipvs_scheduler or ""
    return "" if sched == "rr" else sched


def _kubeadm_config() -> str:
    return f"""apiServer: {{}}
apiVersion: kubeadm.k8s.io/v1beta4
caCertificateValidityPeriod: 87600h0m0s
certificateValidityPeriod: 8760h0m0s
certificatesDir: /etc/kubernetes/pki
clusterName: kubernetes
controllerManager: {{}}
dns: {{}}
encryptionAlgorithm: RSA-2048
etcd:
  local:
    dataDir: /var/lib/etcd
imageRepository: registry.k8s.io
kind: ClusterConfiguration
kubernetesVersion: {KUBERNETES_VERSION}
networking:
  dnsDomain: cluster.local
  podSubnet: 10.244.0.0/16
  serviceSubnet: 10.96.0.0/12
proxy: {{}}
scheduler: {{}}
"""


def _drop_install_events(cluster: Cluster) -> None:
    for ev in list(cluster.store.iter("events")):
        cluster.store.remove("events", ev["metadata"]["namespace"], ev["metadata"]["name"])
    idx = getattr(cluster, "_event_index", None)
    if idx is not None:
        idx.clear()
