"""Deployment controller (kubernetes pkg/controller/deployment): ReplicaSets per pod template, scaling,
RollingUpdate (maxSurge/maxUnavailable honouring availability), Recreate, revisions, history cleanup,
status and conditions with the real reasons and messages.

pod-template-hash: fnv32a over the template plus the collision count, rendered with
``rand.SafeEncodeString`` of the decimal value, as controller.ComputeHash does. The bytes hashed are
the canonical JSON of the template (kubernetes hashes a spew dump of the Go struct), so the hash has
the real shape and stability but not the real cluster's digits.
"""

from __future__ import annotations

import copy
import json
import math

from sandbox.api.clock import parse_rfc3339, rfc3339
from sandbox.api.rand import fnv32a, safe_encode_string
from sandbox.api.selectors import from_label_selector
from sandbox.controllers import Controller, key_of, register
from sandbox.controllers.podutil import controller_ref, owner_ref

COMPONENT = "deployment-controller"
HASH_LABEL = "pod-template-hash"
REVISION = "deployment.kubernetes.io/revision"
REVISION_HISTORY = "deployment.kubernetes.io/revision-history"
DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas"
MAX_REPLICAS = "deployment.kubernetes.io/max-replicas"
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
#: Annotations the controller never copies from a Deployment to its ReplicaSets (skipCopyAnnotation).
_SKIP_COPY = {LAST_APPLIED, REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS}


# ---------------------------------------------------------------------------- pure helpers
def compute_hash(template: dict, collision_count: int | None = None) -> str:
    data = json.dumps(template, sort_keys=True, separators=(",", ":")).encode()
    h = fnv32a(data)
    if collision_count is not None:
        h = fnv32a(int(collision_count).to_bytes(4, "little"), h)
    return safe_encode_string(str(h))


def resolve_int_or_percent(value, total: int, round_up: bool) -> int:
    """intstr.GetScaledValueFromIntOrPercent."""
    if value is None:
        return 0
    if isinstance(value, int):
        return value
    text = str(value)
    if text.endswith("%"):
        try:
            pct = int(text[:-1])
        except ValueError:
            return 0
        raw = pct * total / 100
        return math.ceil(raw) if round_up else math.floor(raw)
    try:
        return int(text)
    except ValueError:
        return 0


def resolve_fenceposts(deploy: dict) -> tuple[int, int]:
    """(maxSurge, maxUnavailable); both zero is impossible, so unavailable becomes 1."""
    spec = deploy["spec"]
    strategy = spec.get("strategy") or {}
    if strategy.get("type") == "Recreate":
        return 0, 0
    ru = strategy.get("rollingUpdate") or {}
    replicas = int(spec.get("replicas", 1) or 0)
    surge = resolve_int_or_percent(ru.get("maxSurge", "25%"), replicas, True)
    unavailable = resolve_int_or_percent(ru.get("maxUnavailable", "25%"), replicas, False)
    if surge == 0 and unavailable == 0:
        unavailable = 1
    return surge, unavailable


def max_unavailable(deploy: dict) -> int:
    replicas = int(deploy["spec"].get("replicas", 1) or 0)
    if (deploy["spec"].get("strategy") or {}).get("type") == "Recreate" or replicas == 0:
        return 0
    _, unavailable = resolve_fenceposts(deploy)
    return min(unavailable, replicas)


def template_without_hash(template: dict) -> dict:
    t = copy.deepcopy(template or {})
    labels = (t.get("metadata") or {}).get("labels")
    if labels and HASH_LABEL in labels:
        del labels[HASH_LABEL]
        if not labels:
            del t["metadata"]["labels"]
    return t


def equal_ignore_hash(a: dict | None, b: dict | None) -> bool:
    """deploymentutil.EqualIgnoreHash without copying: templates equal up to the pod-template-hash label."""
    a, b = a or {}, b or {}
    if a.keys() - {"metadata"} != b.keys() - {"metadata"}:
        return False
    if any(a[k] != b[k] for k in a if k != "metadata"):
        return False
    am, bm = a.get("metadata") or {}, b.get("metadata") or {}
    if am.keys() - {"labels"} != bm.keys() - {"labels"} or any(am[k] != bm[k] for k in am if k != "labels"):
        return False
    al = {k: v for k, v in (am.get("labels") or {}).items() if k != HASH_LABEL}
    bl = {k: v for k, v in (bm.get("labels") or {}).items() if k != HASH_LABEL}
    return al == bl


def revision_of(rs: dict) -> int:
    try:
        return int((rs["metadata"].get("annotations") or {}).get(REVISION, "0"))
    except ValueError:
        return 0


def _replicas(rs: dict) -> int:
    return int(rs["spec"].get("replicas", 0) or 0)


def _st(rs: dict, key: str) -> int:
    return int((rs.get("status") or {}).get(key, 0) or 0)


def _created(obj: dict) -> tuple:
    return (obj["metadata"].get("creationTimestamp", ""), obj["metadata"]["name"])


def owned_replicasets(cluster, deploy: dict) -> list[dict]:
    uid = deploy["metadata"]["uid"]
    out = []
    for res, obj in cluster.store.dependents(uid):
        if res == "replicasets":
            ref = controller_ref(obj)
            if ref is not None and ref.get("uid") == uid:
                out.append(obj)
    return sorted(out, key=_created)


def rollout_history(cluster, deploy: dict) -> list[tuple[int, dict]]:
    """(revision, ReplicaSet) pairs, oldest first: what ``kubectl rollout history`` lists."""
    pairs = [(revision_of(rs), rs) for rs in owned_replicasets(cluster, deploy)]
    return sorted((p for p in pairs if p[0] > 0), key=lambda p: p[0])


def template_for_revision(cluster, deploy: dict, revision: int = 0) -> dict | None:
    """The pod template ``kubectl rollout undo [--to-revision]`` restores (0 = the previous one).

    Returns None when there is no such revision (kubectl: ``unable to find specified revision``).
    """
    history = rollout_history(cluster, deploy)
    if not history:
        return None
    if revision == 0:
        if len(history) < 2:
            return None
        rs = history[-2][1]
    else:
        match = [rs for rev, rs in history if rev == revision]
        if not match:
            return None
        rs = match[0]
    return template_without_hash(rs["spec"].get("template") or {})


def _condition(type_: str, status: str, reason: str, message: str, now: str) -> dict:
    return {"lastTransitionTime": now, "lastUpdateTime": now, "message": message, "reason": reason,
            "status": status, "type": type_}


@register
class DeploymentController(Controller):
    name = COMPONENT
    watches = ("deployments", "replicasets", "pods")

    def __init__(self, cluster):
        super().__init__(cluster)
        self._orphans: dict[str, set[str]] = {}     # namespace -> ReplicaSets without a controller

    def on_event(self, event, resource, obj, old):
        if resource == "deployments":
            self.enqueue(key_of(obj))
        elif resource == "replicasets":
            ns, rs_name = obj["metadata"]["namespace"], obj["metadata"]["name"]
            if event != "DELETED" and controller_ref(obj) is None:
                self._orphans.setdefault(ns, set()).add(rs_name)
            elif rs_name in self._orphans.get(ns, ()):
                self._orphans[ns].discard(rs_name)
            for rs in (obj, old):
                if rs is None:
                    continue
                ref = controller_ref(rs)
                if ref is not None and ref.get("kind") == "Deployment":
                    self.enqueue((rs["metadata"]["namespace"], ref["name"]))
        elif resource == "pods" and event == "DELETED":
            # Recreate waits for old pods to be gone
            ref = controller_ref(obj)
            if ref is not None and ref.get("kind") == "ReplicaSet":
                rs = self.cluster.store.get("replicasets", obj["metadata"]["namespace"], ref["name"])
                if rs is not None:
                    dref = controller_ref(rs)
                    if dref is not None and dref.get("kind") == "Deployment":
                        self.enqueue((rs["metadata"]["namespace"], dref["name"]))

    # ---- reconcile ------------------------------------------------------------------------------
    def reconcile(self, key):
        ns, name = key
        cluster = self.cluster
        d = cluster.store.get("deployments", ns, name)
        if d is None or d["metadata"].get("deletionTimestamp"):
            return
        selector = from_label_selector(d["spec"].get("selector"))
        if selector.empty():
            return
        rss = self._claim(d, selector)
        if d["spec"].get("paused"):
            new_rs = self._find_new(d, rss)
            self._scale_for_pause(d, new_rs, rss)
            self._sync_status(d, new_rs, rss)
            return
        strategy = (d["spec"].get("strategy") or {}).get("type", "RollingUpdate")
        if strategy == "Recreate":
            self._recreate(d, rss)
        else:
            self._rolling(d, rss)

    def _claim(self, d: dict, selector) -> list[dict]:
        """Owned ReplicaSets plus matching orphan ReplicaSets (adopted)."""
        cluster = self.cluster
        out = owned_replicasets(cluster, d)
        ns = d["metadata"]["namespace"]
        for rs_name in sorted(self._orphans.get(ns, ())):
            rs = cluster.store.get("replicasets", ns, rs_name)
            if rs is not None and controller_ref(rs) is None and not rs["metadata"].get("deletionTimestamp") and \
                    selector.matches(rs["metadata"].get("labels") or {}):
                new = copy.deepcopy(rs)
                new["metadata"].setdefault("ownerReferences", []).append(owner_ref(d))
                out.append(cluster.write_object("replicasets", new))
        return sorted(out, key=_created)

    def _find_new(self, d: dict, rss: list[dict]) -> dict | None:
        want = d["spec"].get("template")
        matches = [rs for rs in rss if equal_ignore_hash(rs["spec"].get("template"), want)]
        return matches[0] if matches else None

    # ---- new ReplicaSet -------------------------------------------------------------------------
    def _get_new_rs(self, d: dict, rss: list[dict], create: bool) -> dict | None:
        cluster = self.cluster
        existing = self._find_new(d, rss)
        olds = [rs for rs in rss if existing is None or rs["metadata"]["uid"] != existing["metadata"]["uid"]]
        max_old_rev = max((revision_of(rs) for rs in olds), default=0)
        new_rev = max_old_rev + 1
        if existing is not None:
            rs = copy.deepcopy(existing)
            changed = self._set_rs_annotations(d, rs, new_rev, existing=True)
            if changed:
                existing = cluster.write_object("replicasets", rs)
            self._set_deployment_revision(d, revision_of(existing))
            return existing
        if not create:
            return None
        collision = (d.get("status") or {}).get("collisionCount")
        template = copy.deepcopy(d["spec"].get("template") or {})
        h = compute_hash(template, collision)
        tmeta = template.setdefault("metadata", {})
        tmeta["labels"] = dict(tmeta.get("labels") or {}, **{HASH_LABEL: h})
        selector = copy.deepcopy(d["spec"].get("selector") or {})
        selector["matchLabels"] = dict(selector.get("matchLabels") or {}, **{HASH_LABEL: h})
        rs_name = f"{d['metadata']['name']}-{h}"
        replicas = self._new_rs_replicas(d, rss, None)
        rs = {
            "apiVersion": "apps/v1",
            "kind": "ReplicaSet",
            "metadata": {
                "name": rs_name,
                "namespace": d["metadata"]["namespace"],
                "labels": dict(tmeta["labels"]),
                "ownerReferences": [owner_ref(d)],
            },
            "spec": {
                "replicas": 0,
                "minReadySeconds": d["spec"].get("minReadySeconds", 0) or 0,
                "selector": selector,
                "template": template,
            },
        }
        if not rs["spec"]["minReadySeconds"]:
            del rs["spec"]["minReadySeconds"]
        self._set_rs_annotations(d, rs, new_rev, existing=False)
        clash = cluster.store.get("replicasets", d["metadata"]["namespace"], rs_name)
        if clash is not None:
            # hash collision with a ReplicaSet we do not own: bump collisionCount and retry next round
            st = copy.deepcopy(d.get("status") or {})
            st["collisionCount"] = int(st.get("collisionCount", 0) or 0) + 1
            new = dict(d)
            new["status"] = st
            cluster.write_status("deployments", new)
            self.enqueue(key_of(d))
            return None
        rs["spec"]["replicas"] = replicas
        created = cluster.create_internal(rs)
        cluster.record_event(d, "Normal", "ScalingReplicaSet",
                             f"Scaled up replica set {rs_name} from 0 to {replicas}", COMPONENT)
        self._set_deployment_revision(d, new_rev)
        self._progress(d, "True", "NewReplicaSetCreated", f'Created new replica set "{rs_name}"')
        return created

    def _set_rs_annotations(self, d: dict, rs: dict, new_rev: int, *, existing: bool) -> bool:
        meta = rs["metadata"]
        ann = dict(meta.get("annotations") or {})
        before = dict(ann)
        for k, v in (d["metadata"].get("annotations") or {}).items():
            if k not in _SKIP_COPY:
                ann[k] = v
        old_rev = ann.get(REVISION)
        if old_rev is None or int(old_rev) < new_rev:
            if existing and old_rev is not None:
                hist = [h for h in ann.get(REVISION_HISTORY, "").split(",") if h]
                hist.append(old_rev)
                ann[REVISION_HISTORY] = ",".join(hist)
            ann[REVISION] = str(new_rev)
        replicas = int(d["spec"].get("replicas", 1) or 0)
        surge, _ = resolve_fenceposts(d)
        ann[DESIRED_REPLICAS] = str(replicas)
        ann[MAX_REPLICAS] = str(replicas + surge)
        meta["annotations"] = ann
        return ann != before

    def _set_deployment_revision(self, d: dict, revision: int) -> None:
        cluster = self.cluster
        current = cluster.store.get("deployments", d["metadata"]["namespace"], d["metadata"]["name"])
        if current is None:
            return
        ann = current["metadata"].get("annotations") or {}
        if ann.get(REVISION) == str(revision):
            return
        new = copy.deepcopy(current)
        new["metadata"].setdefault("annotations", {})[REVISION] = str(revision)
        cluster.write_object("deployments", new, bump_generation=False)

    def _new_rs_replicas(self, d: dict, rss: list[dict], new_rs: dict | None) -> int:
        """deploymentutil.NewRSNewReplicas for RollingUpdate."""
        replicas = int(d["spec"].get("replicas", 1) or 0)
        if (d["spec"].get("strategy") or {}).get("type") == "Recreate":
            return replicas
        surge, _ = resolve_fenceposts(d)
        current = sum(_replicas(rs) for rs in rss)
        max_total = replicas + surge
        if current >= max_total:
            return _replicas(new_rs) if new_rs else 0
        scale_up = max_total - current
        have = _replicas(new_rs) if new_rs else 0
        return have + min(scale_up, replicas - have)

    # ---- scaling --------------------------------------------------------------------------------
    def _scale(self, d: dict, rs: dict, new_size: int) -> dict:
        old = _replicas(rs)
        cluster = self.cluster
        current = cluster.store.get("replicasets", rs["metadata"]["namespace"], rs["metadata"]["name"]) or rs
        new = copy.deepcopy(current)
        new["spec"]["replicas"] = new_size
        replicas = int(d["spec"].get("replicas", 1) or 0)
        surge, _ = resolve_fenceposts(d)
        ann = new["metadata"].setdefault("annotations", {})
        ann[DESIRED_REPLICAS] = str(replicas)
        ann[MAX_REPLICAS] = str(replicas + surge)
        if new == current:
            return current
        stored = cluster.write_object("replicasets", new)
        if old != new_size:
            op = "up" if new_size > old else "down"
            cluster.record_event(d, "Normal", "ScalingReplicaSet",
                                 f"Scaled {op} replica set {rs['metadata']['name']} from {old} to {new_size}",
                                 COMPONENT)
        return stored

    def _is_scaling_event(self, d: dict, rss: list[dict]) -> bool:
        replicas = str(int(d["spec"].get("replicas", 1) or 0))
        for rs in rss:
            if _replicas(rs) > 0:
                desired = (rs["metadata"].get("annotations") or {}).get(DESIRED_REPLICAS)
                if desired is not None and desired != replicas:
                    return True
        return False

    def _proportional_scale(self, d: dict, new_rs: dict | None, olds: list[dict]) -> None:
        """dc.scale: spread a replicas change over the active ReplicaSets in proportion to their size."""
        replicas = int(d["spec"].get("replicas", 1) or 0)
        active = [rs for rs in ([new_rs] if new_rs else []) + olds if _replicas(rs) > 0]
        if len(active) == 1:
            if _replicas(active[0]) != replicas and (new_rs is None or active[0] is new_rs or not olds):
                self._scale(d, active[0], replicas)
            return
        if not active:
            return
        surge, _ = resolve_fenceposts(d)
        allowed = replicas + surge
        current = sum(_replicas(rs) for rs in active)
        to_add = allowed - current
        if to_add == 0:
            return
        order = sorted(active, key=lambda rs: (_replicas(rs), _created(rs)), reverse=to_add > 0)
        added = 0
        sizes = {}
        for rs in order:
            size = _replicas(rs)
            desired = int((rs["metadata"].get("annotations") or {}).get(DESIRED_REPLICAS, replicas) or 1)
            share = min(abs(to_add), round(size * allowed / max(1, desired + surge)) - size) if to_add > 0 else \
                min(abs(to_add), size - round(size * allowed / max(1, desired + surge)))
            share = max(0, share)
            if abs(added) + share > abs(to_add):
                share = abs(to_add) - abs(added)
            sizes[rs["metadata"]["name"]] = size + (share if to_add > 0 else -share)
            added += share if to_add > 0 else -share
        leftover = to_add - added
        if leftover and order:
            first = order[0]["metadata"]["name"]
            sizes[first] = max(0, sizes[first] + leftover)
        for rs in order:
            self._scale(d, rs, sizes[rs["metadata"]["name"]])

    def _scale_for_pause(self, d: dict, new_rs: dict | None, rss: list[dict]) -> None:
        olds = [rs for rs in rss if new_rs is None or rs["metadata"]["uid"] != new_rs["metadata"]["uid"]]
        if self._is_scaling_event(d, rss):
            self._proportional_scale(d, new_rs, olds)

    # ---- strategies -----------------------------------------------------------------------------
    def _rolling(self, d: dict, rss: list[dict]) -> None:
        cluster = self.cluster
        new_rs = self._get_new_rs(d, rss, create=True)
        rss = owned_replicasets(cluster, d)
        if new_rs is not None:
            new_rs = next((r for r in rss if r["metadata"]["uid"] == new_rs["metadata"]["uid"]), new_rs)
        olds = [rs for rs in rss if new_rs is None or rs["metadata"]["uid"] != new_rs["metadata"]["uid"]]
        if self._is_scaling_event(d, rss):
            self._proportional_scale(d, new_rs, olds)
            rss = owned_replicasets(cluster, d)
            self._sync_status(d, self._refresh(new_rs), rss)
            return
        if new_rs is not None:
            # reconcileNewReplicaSet
            replicas = int(d["spec"].get("replicas", 1) or 0)
            if _replicas(new_rs) > replicas:
                new_rs = self._scale(d, new_rs, replicas)
            elif _replicas(new_rs) < replicas:
                want = self._new_rs_replicas(d, rss, new_rs)
                if want != _replicas(new_rs):
                    new_rs = self._scale(d, new_rs, want)
        rss = owned_replicasets(cluster, d)
        olds = [rs for rs in rss if new_rs is None or rs["metadata"]["uid"] != new_rs["metadata"]["uid"]]
        self._reconcile_old(d, self._refresh(new_rs), olds, rss)
        rss = owned_replicasets(cluster, d)
        new_rs = self._refresh(new_rs)
        olds = [rs for rs in rss if new_rs is None or rs["metadata"]["uid"] != new_rs["metadata"]["uid"]]
        if new_rs is not None and all(_replicas(rs) == 0 for rs in olds) and \
                _st(new_rs, "availableReplicas") == int(d["spec"].get("replicas", 1) or 0) and \
                _replicas(new_rs) == int(d["spec"].get("replicas", 1) or 0):
            self._cleanup(d, olds)
        self._sync_status(d, new_rs, owned_replicasets(cluster, d))

    def _refresh(self, rs: dict | None) -> dict | None:
        if rs is None:
            return None
        return self.cluster.store.get("replicasets", rs["metadata"]["namespace"], rs["metadata"]["name"])

    def _reconcile_old(self, d: dict, new_rs: dict | None, olds: list[dict], rss: list[dict]) -> None:
        old_pods = sum(_replicas(rs) for rs in olds)
        if old_pods == 0:
            return
        replicas = int(d["spec"].get("replicas", 1) or 0)
        all_pods = sum(_replicas(rs) for rs in rss)
        min_available = replicas - max_unavailable(d)
        new_unavailable = (_replicas(new_rs) - _st(new_rs, "availableReplicas")) if new_rs else 0
        max_scaled_down = all_pods - min_available - new_unavailable
        if max_scaled_down <= 0:
            return
        # cleanupUnhealthyReplicas: old RSes with unavailable pods go first
        cleaned = 0
        for rs in sorted(olds, key=_created):
            rs = self._refresh(rs) or rs
            if cleaned >= max_scaled_down:
                break
            if _replicas(rs) == 0 or _replicas(rs) == _st(rs, "availableReplicas"):
                continue
            n = min(max_scaled_down - cleaned, _replicas(rs) - _st(rs, "availableReplicas"))
            self._scale(d, rs, _replicas(rs) - n)
            cleaned += n
        # scaleDownOldReplicaSetsForRollingUpdate
        rss = [self._refresh(r) for r in rss]
        rss = [r for r in rss if r is not None]
        available = sum(_st(rs, "availableReplicas") for rs in rss)
        if available <= min_available:
            return
        total = available - min_available
        done = 0
        new_uid = new_rs["metadata"]["uid"] if new_rs else None
        for rs in sorted((r for r in rss if r["metadata"]["uid"] != new_uid), key=_created):
            if done >= total:
                break
            if _replicas(rs) == 0:
                continue
            n = min(_replicas(rs), total - done)
            self._scale(d, rs, _replicas(rs) - n)
            done += n

    def _recreate(self, d: dict, rss: list[dict]) -> None:
        cluster = self.cluster
        new_rs = self._get_new_rs(d, rss, create=False)
        olds = [rs for rs in rss if new_rs is None or rs["metadata"]["uid"] != new_rs["metadata"]["uid"]]
        active_olds = [rs for rs in olds if _replicas(rs) > 0]
        for rs in active_olds:
            self._scale(d, rs, 0)
        # wait until no old pod is running
        from sandbox.controllers.replicaset import owned_pods

        if any(owned_pods(cluster, rs) for rs in olds):
            self._sync_status(d, new_rs, owned_replicasets(cluster, d))
            return
        if new_rs is None:
            new_rs = self._get_new_rs(d, owned_replicasets(cluster, d), create=True)
        if new_rs is not None:
            replicas = int(d["spec"].get("replicas", 1) or 0)
            if _replicas(new_rs) != replicas:
                new_rs = self._scale(d, new_rs, replicas)
        rss = owned_replicasets(cluster, d)
        new_rs = self._refresh(new_rs)
        if new_rs is not None and _st(new_rs, "availableReplicas") == _replicas(new_rs):
            self._cleanup(d, [rs for rs in rss if rs["metadata"]["uid"] != new_rs["metadata"]["uid"]])
        self._sync_status(d, new_rs, owned_replicasets(cluster, d))

    def _cleanup(self, d: dict, olds: list[dict]) -> None:
        """Keep at most revisionHistoryLimit old ReplicaSets with no replicas."""
        limit = d["spec"].get("revisionHistoryLimit", 10)
        if limit is None:
            return
        dead = [rs for rs in sorted(olds, key=lambda r: (revision_of(r), _created(r)))
                if _replicas(rs) == 0 and _st(rs, "replicas") == 0 and not rs["metadata"].get("deletionTimestamp")]
        for rs in dead[:max(0, len(dead) - int(limit))]:
            self.cluster.delete("replicasets", rs["metadata"]["namespace"], rs["metadata"]["name"])

    # ---- status ---------------------------------------------------------------------------------
    def _progress(self, d: dict, status: str, reason: str, message: str) -> None:
        self._pending_progress = (status, reason, message)

    def _sync_status(self, d: dict, new_rs: dict | None, rss: list[dict]) -> None:
        cluster = self.cluster
        d = cluster.store.get("deployments", d["metadata"]["namespace"], d["metadata"]["name"]) or d
        now = rfc3339(cluster.clock.now)
        replicas = int(d["spec"].get("replicas", 1) or 0)
        total = sum(_st(rs, "replicas") for rs in rss)
        updated = _st(new_rs, "replicas") if new_rs else 0
        ready = sum(_st(rs, "readyReplicas") for rs in rss)
        available = sum(_st(rs, "availableReplicas") for rs in rss)
        unavailable = max(0, replicas - available)
        old = d.get("status") or {}
        conds = {c["type"]: c for c in old.get("conditions") or []}

        def set_cond(type_: str, status: str, reason: str, message: str) -> None:
            prev = conds.get(type_)
            if prev is not None and prev["status"] == status and prev["reason"] == reason and \
                    prev["message"] == message:
                return
            c = _condition(type_, status, reason, message, now)
            if prev is not None and prev["status"] == status:
                c["lastTransitionTime"] = prev["lastTransitionTime"]
            conds[type_] = c

        if available >= replicas - max_unavailable(d):
            set_cond("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.")
        else:
            set_cond("Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.")
        pending = getattr(self, "_pending_progress", None)
        self._pending_progress = None
        if not d["spec"].get("paused") and new_rs is not None:
            rs_name = new_rs["metadata"]["name"]
            olds_busy = any(_st(rs, "replicas") for rs in rss if rs["metadata"]["uid"] != new_rs["metadata"]["uid"])
            complete = updated == replicas and available == replicas and total == replicas and not olds_busy \
                and _replicas(new_rs) == replicas
            prev = conds.get("Progressing")
            if complete:
                set_cond("Progressing", "True", "NewReplicaSetAvailable", f'ReplicaSet "{rs_name}" has successfully '
                                                                          "progressed.")
            elif pending is not None:
                set_cond("Progressing", *pending)
            elif prev is None:
                set_cond("Progressing", "True", "ReplicaSetUpdated", f'ReplicaSet "{rs_name}" is progressing.')
            elif self._progressing(d, old, total, updated, ready, available):
                c = _condition("Progressing", "True", "ReplicaSetUpdated", f'ReplicaSet "{rs_name}" is progressing.',
                               now)
                if prev["status"] == "True":
                    c["lastTransitionTime"] = prev["lastTransitionTime"]
                conds["Progressing"] = c
            else:
                self._check_deadline(d, conds, rs_name, now)
        elif d["spec"].get("paused"):
            set_cond("Progressing", "Unknown", "DeploymentPaused", "Deployment is paused")
        status: dict = {}
        if available:
            status["availableReplicas"] = available
        if old.get("collisionCount") is not None:
            status["collisionCount"] = old["collisionCount"]
        ordered = [conds[t] for t in ("Available", "Progressing", "ReplicaFailure") if t in conds]
        if ordered:
            status["conditions"] = ordered
        status["observedGeneration"] = d["metadata"].get("generation", 1)
        if ready:
            status["readyReplicas"] = ready
        if total:
            status["replicas"] = total
        terminating = sum(_st(rs, "terminatingReplicas") for rs in rss)
        if terminating:
            status["terminatingReplicas"] = terminating
        if unavailable:
            status["unavailableReplicas"] = unavailable
        if updated:
            status["updatedReplicas"] = updated
        if status != old:
            new = dict(d)
            new["status"] = status
            cluster.write_status("deployments", new)

    def _progressing(self, d: dict, old: dict, total: int, updated: int, ready: int, available: int) -> bool:
        """deploymentutil.DeploymentProgressing: any pod count moved in the right direction."""
        return (updated > int(old.get("updatedReplicas", 0) or 0)
                or ready > int(old.get("readyReplicas", 0) or 0)
                or available > int(old.get("availableReplicas", 0) or 0)
                or total < int(old.get("replicas", 0) or 0))

    def _check_deadline(self, d: dict, conds: dict, rs_name: str, now: str) -> None:
        deadline = d["spec"].get("progressDeadlineSeconds")
        prev = conds.get("Progressing")
        if deadline is None or prev is None or prev.get("reason") == "ProgressDeadlineExceeded":
            return
        since = parse_rfc3339(prev["lastUpdateTime"])
        elapsed = (self.cluster.clock.now - since).total_seconds()
        if elapsed >= deadline:
            conds["Progressing"] = _condition("Progressing", "False", "ProgressDeadlineExceeded",
                                              f'ReplicaSet "{rs_name}" has timed out progressing.', now)
        else:
            self.enqueue_after(key_of(d), deadline - elapsed + 0.001)
