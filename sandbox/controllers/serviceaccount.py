"""Per-namespace defaults: the ``default`` ServiceAccount (serviceaccount-controller) and the
``kube-root-ca.crt`` ConfigMap (root-ca-cert-publisher), recreated if deleted."""

from __future__ import annotations

from sandbox.controllers import Controller, register

ROOT_CA_NAME = "kube-root-ca.crt"
#: A stand-in cluster CA (PEM framing only; nothing verifies it inside the lab).
ROOT_CA = ("-----BEGIN CERTIFICATE-----\n"
           "MIIDBTCCAe2gAwIBAgIIUkEFCJ9GWZMwDQYJKoZIhvcNAQELBQAwFTETMBEGA1UE\n"
           "AxMKa3ViZXJuZXRlczAeFw0yNjExMTgwMjM3MzdaFw0zNjExMTYwMjQyMzdaMBUx\n"
           "EzARBgNVBAMTCmt1YmVybmV0ZXMwggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAwggEK\n"
           "-----END CERTIFICATE-----\n")


@register
class ServiceAccountController(Controller):
    name = "serviceaccount-controller"
    watches = ("namespaces", "serviceaccounts", "configmaps")

    def on_event(self, event, resource, obj, old):
        if resource == "namespaces":
            if event == "ADDED":
                self.enqueue(obj["metadata"]["name"])
        elif event == "DELETED" and obj["metadata"]["name"] in ("default", ROOT_CA_NAME):
            self.enqueue(obj["metadata"]["namespace"])

    def reconcile(self, key):
        cluster = self.cluster
        ns = cluster.store.get("namespaces", None, key)
        if ns is None or ns.get("status", {}).get("phase") != "Active":
            return
        if cluster.store.get("serviceaccounts", key, "default") is None:
            cluster.create_internal({"apiVersion": "v1", "kind": "ServiceAccount",
                                     "metadata": {"name": "default", "namespace": key}})
        if cluster.store.get("configmaps", key, ROOT_CA_NAME) is None:
            cluster.create_internal({
                "apiVersion": "v1", "kind": "ConfigMap",
                "metadata": {"annotations": {"kubernetes.io/description": (
                    "Contains a CA bundle that can be used to verify the kube-apiserver when using internal "
                    "endpoints such as the internal service IP or kubernetes.default.svc. No other usage is "
                    "guaranteed across distributions of Kubernetes clusters.")},
                    "name": ROOT_CA_NAME, "namespace": key},
                "data": {"ca.crt": ROOT_CA}})
