"""Random API traffic never crashes the engine: every failure is an ApiError and the store stays sane."""

from engine_kit import make_cluster
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox.api.errors import ApiError

NAMES = st.sampled_from(["web", "api", "db"])
LABELS = st.dictionaries(st.sampled_from(["app", "tier"]), st.sampled_from(["web", "api", "x"]), max_size=2)


def _workload(kind, name, replicas, labels):
    labels = labels or {"app": name}
    body = {"apiVersion": "apps/v1", "kind": kind, "metadata": {"name": name},
            "spec": {"selector": {"matchLabels": labels},
                     "template": {"metadata": {"labels": labels},
                                  "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}}
    if kind != "DaemonSet":
        body["spec"]["replicas"] = replicas
    if kind == "StatefulSet":
        body["spec"]["serviceName"] = name
    return body


OPS = st.one_of(
    st.tuples(st.just("create"), st.sampled_from(["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"]), NAMES,
              st.integers(-1, 4), LABELS),
    st.tuples(st.just("service"), NAMES, LABELS, st.sampled_from(["ClusterIP", "NodePort", "None"])),
    st.tuples(st.just("scale"), st.sampled_from(["deployments", "statefulsets", "replicasets"]), NAMES,
              st.integers(0, 5)),
    st.tuples(st.just("delete"), st.sampled_from(["deployments", "statefulsets", "daemonsets", "replicasets",
                                                  "services", "pods"]), NAMES,
              st.sampled_from([None, "Background", "Foreground", "Orphan"])),
    st.tuples(st.just("relabel"), LABELS),
    st.tuples(st.just("tick"), st.sampled_from([0.5, 1, 3, 31])),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(OPS, max_size=12))
def test_random_traffic(ops):
    c = make_cluster()
    for op in ops:
        try:
            if op[0] == "create":
                c.create(_workload(op[1], op[2], op[3], op[4]))
            elif op[0] == "service":
                spec = {"selector": op[2] or {"app": op[1]}, "ports": [{"port": 80}]}
                if op[3] == "None":
                    spec["clusterIP"] = "None"
                else:
                    spec["type"] = op[3]
                c.create({"apiVersion": "v1", "kind": "Service", "metadata": {"name": op[1]}, "spec": spec})
            elif op[0] == "scale":
                c.patch(op[1], "default", op[2], {"spec": {"replicas": op[3]}})
            elif op[0] == "delete":
                name = op[2]
                if op[1] == "pods":
                    pods = c.list("pods", "default")
                    if not pods:
                        continue
                    name = pods[0]["metadata"]["name"]
                c.delete(op[1], "default", name, propagation_policy=op[3])
            elif op[0] == "relabel":
                pods = c.list("pods", "default")
                if pods:
                    c.patch("pods", "default", pods[-1]["metadata"]["name"], {"metadata": {"labels": op[1]}})
            else:
                c.tick(op[1])
        except ApiError:
            pass
    c.tick(120)
    # converged: every ReplicaSet owns exactly spec.replicas live pods
    for rs in c.list("replicasets", "default"):
        live = [p for p in c.list("pods", "default") if not p["metadata"].get("deletionTimestamp")
                and any(r["uid"] == rs["metadata"]["uid"] for r in p["metadata"].get("ownerReferences") or [])]
        assert len(live) == rs["spec"]["replicas"]
    assert not c.controllers.pending()
