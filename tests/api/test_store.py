"""The store: server metadata, generation, indexes, watch events."""

import random
import re

from sandbox.api.clock import Clock
from sandbox.api.store import Store


def _store():
    return Store(Clock(), random.Random(7))


def _cm(name, ns="default", **extra):
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "namespace": ns}, **extra}


def test_add_stamps_server_metadata_in_apiserver_order():
    s = _store()
    obj = s.add("configmaps", _cm("a", data={"k": "v"}))
    meta = obj["metadata"]
    assert list(meta) == ["name", "namespace", "uid", "resourceVersion", "creationTimestamp"]
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", meta["uid"])
    assert meta["resourceVersion"] == "1"
    assert meta["creationTimestamp"] == "2026-11-22T06:00:00Z"
    assert "generation" not in meta


def test_uids_are_deterministic_per_seed():
    a, b = _store(), _store()
    assert a.add("configmaps", _cm("x"))["metadata"]["uid"] == b.add("configmaps", _cm("x"))["metadata"]["uid"]


def test_generation_bumps_only_on_spec_change():
    s = _store()
    d = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d", "namespace": "default"},
         "spec": {"replicas": 1}}
    s.add("deployments", d)
    assert s.get("deployments", "default", "d")["metadata"]["generation"] == 1
    new = {**s.get("deployments", "default", "d"), "status": {"replicas": 1}}
    new["metadata"] = dict(new["metadata"])
    s.replace("deployments", new)
    assert s.get("deployments", "default", "d")["metadata"]["generation"] == 1
    new = {**s.get("deployments", "default", "d"), "spec": {"replicas": 2}}
    new["metadata"] = dict(new["metadata"])
    s.replace("deployments", new)
    got = s.get("deployments", "default", "d")["metadata"]
    assert got["generation"] == 2
    assert got["resourceVersion"] == "3"


def test_identical_replace_is_a_no_op():
    s = _store()
    s.add("configmaps", _cm("a"))
    events = []
    s.watch(lambda t, r, o: events.append(t))
    same = {**s.get("configmaps", "default", "a")}
    same["metadata"] = dict(same["metadata"])
    s.replace("configmaps", same)
    assert events == []
    assert s.resource_version == 1


def test_list_is_sorted_and_scoped_by_namespace():
    s = _store()
    for ns, name in [("b", "z"), ("a", "y"), ("b", "a"), ("a", "x")]:
        s.add("configmaps", _cm(name, ns))
    assert [(o["metadata"]["namespace"], o["metadata"]["name"]) for o in s.list("configmaps")] == [
        ("a", "x"), ("a", "y"), ("b", "a"), ("b", "z")]
    assert [o["metadata"]["name"] for o in s.list("configmaps", "b")] == ["a", "z"]
    assert s.list("configmaps", "none") == []
    assert s.count("configmaps") == 4


def test_watch_events_and_deleted_carries_final_state():
    s = _store()
    seen = []
    s.watch(lambda t, r, o: seen.append((t, r, o["metadata"]["name"], o["metadata"]["resourceVersion"])))
    s.add("configmaps", _cm("a"))
    obj = {**s.get("configmaps", "default", "a"), "data": {"x": "1"}}
    s.replace("configmaps", obj)
    s.remove("configmaps", "default", "a")
    assert seen == [("ADDED", "configmaps", "a", "1"), ("MODIFIED", "configmaps", "a", "2"),
                    ("DELETED", "configmaps", "a", "3")]
    assert s.get("configmaps", "default", "a") is None


def test_owner_index_follows_owner_reference_changes():
    s = _store()
    owner = s.add("configmaps", _cm("owner"))
    uid = owner["metadata"]["uid"]
    dep = _cm("dep")
    dep["metadata"]["ownerReferences"] = [{"apiVersion": "v1", "kind": "ConfigMap", "name": "owner", "uid": uid}]
    s.add("configmaps", dep)
    assert [o["metadata"]["name"] for _, o in s.dependents(uid)] == ["dep"]
    orphan = {**s.get("configmaps", "default", "dep")}
    orphan["metadata"] = {k: v for k, v in orphan["metadata"].items() if k != "ownerReferences"}
    s.replace("configmaps", orphan)
    assert s.dependents(uid) == []
    assert s.by_uid(uid)[1]["metadata"]["name"] == "owner"
