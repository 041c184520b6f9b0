"""Static pods: the kubelet runs them from /etc/kubernetes/manifests and mirrors them into the API.

Deleting a mirror pod (``kubectl delete pod kube-apiserver-controlplane -n kube-system``, a classic
learner experiment) does not stop the component: the kubelet recreates the mirror pod at once, with
a new uid and a fresh age. The manifests are registered by the bootstrap (kubeadm init).
"""

from __future__ import annotations

import copy

from sandbox.controllers import Controller, key_of, register

MIRROR_ANNOTATION = "kubernetes.io/config.mirror"


@register
class StaticPodController(Controller):
    name = "kubelet-static-pods"
    watches = ("pods",)

    def __init__(self, cluster):
        super().__init__(cluster)
        self.manifests: dict[tuple[str, str], dict] = {}

    def register_manifest(self, pod: dict) -> None:
        """Remember a static pod's manifest (as kubeadm wrote it) so its mirror can be recreated."""
        self.manifests[key_of(pod)] = copy.deepcopy(pod)

    def on_event(self, event, resource, obj, old):
        if key_of(obj) in self.manifests and (event == "DELETED" or obj["metadata"].get("deletionTimestamp")):
            self.enqueue(key_of(obj))

    def reconcile(self, key):
        ns, name = key
        manifest = self.manifests.get(key)
        if manifest is None:
            return
        current = self.cluster.store.get("pods", ns, name)
        if current is not None:
            if not current["metadata"].get("deletionTimestamp"):
                return
            # kubelet: a mirror pod being deleted is removed at once (grace 0) and recreated
            self.cluster.remove_now("pods", ns, name)
            if self.cluster.store.get("pods", ns, name) is not None:
                return
        node = manifest["spec"].get("nodeName")
        if node and self.cluster.store.get("nodes", None, node) is None:
            return
        pod = copy.deepcopy(manifest)
        for ref in pod["metadata"].get("ownerReferences") or []:
            if ref.get("kind") == "Node":
                owner = self.cluster.store.get("nodes", None, ref["name"])
                if owner is not None:
                    ref["uid"] = owner["metadata"]["uid"]
        self.cluster.create_internal(pod, take=True)
