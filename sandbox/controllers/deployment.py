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


def get_condition(status: dict, type_: str) -> dict | None:
    return next((c for c in status.get("conditions") or [] if c.get("type") == type_), None)


def set_condition(status: dict, cond: dict) -> None:
    """deploymentutil.SetDeploymentCondition: same status and reason is a no-op; a changed one is
    moved to the end of the list, keeping lastTransitionTime while the status is unchanged."""
    current = get_condition(status, cond["type"])
    if current is not None and current["status"] == cond["status"] and current["reason"] == cond["reason"]:
        return
    if current is not None and current["status"] == cond["status"]:
        cond["lastTransitionTime"] = current["lastTransitionTime"]
    status["conditions"] = [c for c in status.get("conditions") or [] if c.get("type") != cond["type"]] + [cond]


def remove_condition(status: dict, type_: str) -> None:
    status["conditions"] = [c for c in status.get("conditions") or [] if c.get("type") != type_]


def _int(status: dict, key: str) -> int:
    return int(status.get(key, 0) or 0)


def deployment_complete(d: dict, status: dict) -> bool:
    replicas = int(d["spec"].get("replicas", 1) or 0)
    return (_int(status, "updatedReplicas") == replicas and _int(status, "replicas") == replicas
            and _int(status, "availableReplicas") == replicas
            and _int(status, "observedGeneration") >= int(d["metadata"].get("generation", 1)))


def deployment_progressing(old: dict, new: dict) -> bool:
    old_old = _int(old, "replicas") - _int(old, "updatedReplicas")
    new_old = _int(new, "replicas") - _int(new, "updatedReplicas")
    return (_int(new, "updatedReplicas") > _int(old, "updatedReplicas") or new_old < old_old
            or _int(new, "readyReplicas") > _int(old, "readyReplicas")
            or _int(new, "availableReplicas") > _int(old, "availableReplicas"))


def max_surge(deploy: dict) -> int:
    if (deploy["spec"].get("strategy") or {}).get("type") == "Recreate":
        return 0
    return resolve_fenceposts(deploy)[0]


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

    # ---- syncDeployment -------------------------------------------------------------------------
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
        self._d_status = copy.deepcopy(d.get("status") or {})    # d.Status as this sync changes it
        self._check_paused(d)
        if d["spec"].get("paused") or self._is_scaling_event(d, rss):
            self._sync(d, rss)
        elif (d["spec"].get("strategy") or {}).get("type") == "Recreate":
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

    def _check_paused(self, d: dict) -> None:
        if d["spec"].get("progressDeadlineSeconds") is None:
            return
        st = self._d_status
        cond = get_condition(st, "Progressing")
        if cond is not None and cond["reason"] == "ProgressDeadlineExceeded":
            return
        paused_cond = cond is not None and cond["reason"] == "DeploymentPaused"
        now = rfc3339(self.cluster.clock.now)
        if d["spec"].get("paused") and not paused_cond:
            set_condition(st, _condition("Progressing", "Unknown", "DeploymentPaused", "Deployment is paused", now))
        elif not d["spec"].get("paused") and paused_cond:
            set_condition(st, _condition("Progressing", "Unknown", "DeploymentResumed", "Deployment is resumed", now))

    def _find_new(self, d: dict, rss: list[dict]) -> dict | None:
        want = d["spec"].get("template")
        matches = [rs for rs in rss if equal_ignore_hash(rs["spec"].get("template"), want)]
        return matches[0] if matches else None

    def _split(self, d: dict, rss: list[dict]) -> tuple[dict | None, list[dict]]:
        new_rs = self._find_new(d, rss)
        olds = [rs for rs in rss if new_rs is None or rs["metadata"]["uid"] != new_rs["metadata"]["uid"]]
        return new_rs, olds

    # ---- getNewReplicaSet -----------------------------------------------------------------------
    def _get_all(self, d: dict, rss: list[dict], create: bool) -> tuple[dict | None, list[dict]]:
        """getAllReplicaSetsAndSyncRevision."""
        cluster = self.cluster
        existing, olds = self._split(d, rss)
        new_rev = max((revision_of(rs) for rs in olds), default=0) + 1
        if existing is not None:
            rs = copy.deepcopy(existing)
            changed = self._set_rs_annotations(d, rs, new_rev, exists=True)
            min_ready = d["spec"].get("minReadySeconds", 0) or 0
            if (rs["spec"].get("minReadySeconds", 0) or 0) != min_ready:
                changed = True
                if min_ready:
                    rs["spec"]["minReadySeconds"] = min_ready
                else:
                    rs["spec"].pop("minReadySeconds", None)
            if changed:
                existing = cluster.write_object("replicasets", rs)
            self._set_deployment_revision(d, revision_of(existing))
            if get_condition(self._d_status, "Progressing") is None:
                set_condition(self._d_status, _condition(
                    "Progressing", "True", "FoundNewReplicaSet", f'Found new replica set "{existing["metadata"]["name"]}"',
                    rfc3339(cluster.clock.now)))
            return existing, olds
        if not create:
            return None, olds
        collision = self._d_status.get("collisionCount")
        template = copy.deepcopy(d["spec"].get("template") or {})
        h = compute_hash(template, collision)
        tmeta = template.setdefault("metadata", {})
        tmeta["labels"] = dict(tmeta.get("labels") or {}, **{HASH_LABEL: h})
        selector = copy.deepcopy(d["spec"].get("selector") or {})
        selector["matchLabels"] = dict(selector.get("matchLabels") or {}, **{HASH_LABEL: h})
        rs_name = f"{d['metadata']['name']}-{h}"
        rs = {
            "apiVersion": "apps/v1",
            "kind": "ReplicaSet",
            "metadata": {"name": rs_name, "namespace": d["metadata"]["namespace"], "labels": dict(tmeta["labels"]),
                         "ownerReferences": [owner_ref(d)]},
            "spec": {"replicas": 0, "selector": selector, "template": template},
        }
        if d["spec"].get("minReadySeconds"):
            rs["spec"]["minReadySeconds"] = d["spec"]["minReadySeconds"]
        self._set_rs_annotations(d, rs, new_rev, exists=False)
        clash = cluster.store.get("replicasets", d["metadata"]["namespace"], rs_name)
        if clash is not None:
            ref = controller_ref(clash)
            if ref is not None and ref.get("uid") == d["metadata"]["uid"] and \
                    equal_ignore_hash(clash["spec"].get("template"), d["spec"].get("template")):
                return clash, olds
            # a hash collision with someone else's ReplicaSet: bump collisionCount and retry
            self._d_status["collisionCount"] = int(self._d_status.get("collisionCount", 0) or 0) + 1
            self._write_status(d, self._d_status)
            self.enqueue(key_of(d))
            return None, olds
        rs["spec"]["replicas"] = self._new_rs_replicas(d, olds + [rs], rs)
        created = cluster.create_internal(rs, take=True)
        cluster.record_event(d, "Normal", "ScalingReplicaSet",
                             f"Scaled up replica set {rs_name} from 0 to {created['spec']['replicas']}", COMPONENT)
        self._set_deployment_revision(d, new_rev)
        set_condition(self._d_status, _condition("Progressing", "True", "NewReplicaSetCreated",
                                                 f'Created new replica set "{rs_name}"', rfc3339(cluster.clock.now)))
        return created, olds

    def _set_rs_annotations(self, d: dict, rs: dict, new_rev: int, *, exists: bool) -> bool:
        """SetNewReplicaSetAnnotations (+ SetReplicasAnnotations for a new ReplicaSet)."""
        meta = rs["metadata"]
        ann = dict(meta.get("annotations") or {})
        before = dict(ann)
        for k, v in (d["metadata"].get("annotations") or {}).items():
            if k not in _SKIP_COPY:
                ann[k] = v
        old_rev = ann.get(REVISION)
        try:
            old_int = int(old_rev) if old_rev is not None else 0
        except ValueError:
            old_int = 0
        if old_int < new_rev:
            ann[REVISION] = str(new_rev)
            if old_rev is not None:
                hist = [h for h in ann.get(REVISION_HISTORY, "").split(",") if h]
                ann[REVISION_HISTORY] = ",".join(hist + [old_rev])
        if not exists:
            replicas = int(d["spec"].get("replicas", 1) or 0)
            ann[DESIRED_REPLICAS] = str(replicas)
            ann[MAX_REPLICAS] = str(replicas + max_surge(d))
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

    def _new_rs_replicas(self, d: dict, all_rss: list[dict], new_rs: dict) -> int:
        """deploymentutil.NewRSNewReplicas."""
        replicas = int(d["spec"].get("replicas", 1) or 0)
        if (d["spec"].get("strategy") or {}).get("type") == "Recreate":
            return replicas
        ru = (d["spec"].get("strategy") or {}).get("rollingUpdate") or {}
        surge = resolve_int_or_percent(ru.get("maxSurge", "25%"), replicas, True)
        current = sum(_replicas(rs) for rs in all_rss)
        max_total = replicas + surge
        if current >= max_total:
            return _replicas(new_rs)
        return _replicas(new_rs) + min(max_total - current, replicas - _replicas(new_rs))

    # ---- scaling --------------------------------------------------------------------------------
    def _scale(self, d: dict, rs: dict, new_size: int) -> tuple[bool, dict]:
        """scaleReplicaSetAndRecordEvent + scaleReplicaSet: size and replicas annotations, event on resize."""
        cluster = self.cluster
        current = cluster.store.get("replicasets", rs["metadata"]["namespace"], rs["metadata"]["name"]) or rs
        old = _replicas(current)
        if old == new_size:
            return False, current
        new = copy.deepcopy(current)
        new["spec"]["replicas"] = new_size
        replicas = int(d["spec"].get("replicas", 1) or 0)
        ann = new["metadata"].setdefault("annotations", {})
        ann[DESIRED_REPLICAS] = str(replicas)
        ann[MAX_REPLICAS] = str(replicas + max_surge(d))
        stored = cluster.write_object("replicasets", new)
        op = "up" if new_size > old else "down"
        cluster.record_event(d, "Normal", "ScalingReplicaSet",
                             f"Scaled {op} replica set {rs['metadata']['name']} from {old} to {new_size}", COMPONENT)
        return True, stored

    def _is_scaling_event(self, d: dict, rss: list[dict]) -> bool:
        replicas = str(int(d["spec"].get("replicas", 1) or 0))
        for rs in rss:
            if _replicas(rs) > 0:
                desired = (rs["metadata"].get("annotations") or {}).get(DESIRED_REPLICAS)
                if desired is not None and desired != replicas:
                    return True
        return False

    def _proportional_scale(self, d: dict, new_rs: dict | None, olds: list[dict]) -> None:
        """dc.scale."""
        replicas = int(d["spec"].get("replicas", 1) or 0)
        active = [rs for rs in olds + ([new_rs] if new_rs else []) if _replicas(rs) > 0]
        if len(active) <= 1:          # FindActiveOrLatest
            target = active[0] if active else (new_rs or (sorted(olds, key=_created)[-1] if olds else None))
            if target is not None and _replicas(target) != replicas:
                self._scale(d, target, replicas)
            return
        if new_rs is not None and _replicas(new_rs) == replicas and \
                (new_rs["metadata"].get("annotations") or {}).get(DESIRED_REPLICAS) == str(replicas) and \
                _st(new_rs, "availableReplicas") == replicas:          # IsSaturated
            for rs in olds:
                if _replicas(rs) > 0:
                    self._scale(d, rs, 0)
            return
        if (d["spec"].get("strategy") or {}).get("type") == "Recreate":
            return
        current = sum(_replicas(rs) for rs in active)
        allowed = replicas + max_surge(d) if replicas > 0 else 0
        to_add = allowed - current
        if to_add > 0:        # ReplicaSetsBySizeNewer: larger first, newer first on ties
            order = sorted(active, key=lambda rs: (-_replicas(rs), _neg_created(rs)))
        else:                 # ReplicaSetsBySizeOlder: larger first, older first on ties
            order = sorted(active, key=lambda rs: (-_replicas(rs), _created(rs)))
        sizes: dict[str, int] = {}
        added = 0
        for rs in order:
            if to_add != 0:
                proportion = self._proportion(rs, d, to_add, added)
                sizes[rs["metadata"]["name"]] = _replicas(rs) + proportion
                added += proportion
            else:
                sizes[rs["metadata"]["name"]] = _replicas(rs)
        for i, rs in enumerate(order):
            name = rs["metadata"]["name"]
            if i == 0 and to_add != 0:
                sizes[name] = max(0, sizes[name] + to_add - added)
            self._scale(d, rs, sizes[name])

    def _proportion(self, rs: dict, d: dict, to_add: int, added: int) -> int:
        """deploymentutil.GetProportion / getReplicaSetFraction."""
        if _replicas(rs) == 0 or to_add == 0 or to_add == added:
            return 0
        replicas = int(d["spec"].get("replicas", 1) or 0)
        if replicas == 0:
            fraction = -_replicas(rs)
        else:
            max_now = replicas + max_surge(d)
            try:
                before = int((rs["metadata"].get("annotations") or {}).get(MAX_REPLICAS, "0"))
            except ValueError:
                before = 0
            if before == 0:
                before = _int(d.get("status") or {}, "replicas")
            if before == 0:
                fraction = 0
            else:
                fraction = _round_half_away(_replicas(rs) * max_now / before) - _replicas(rs)
        allowed = to_add - added
        return min(fraction, allowed) if to_add > 0 else max(fraction, allowed)

    # ---- sync (scaling events, paused) ----------------------------------------------------------
    def _sync(self, d: dict, rss: list[dict]) -> None:
        new_rs, olds = self._get_all(d, rss, create=False)
        self._proportional_scale(d, new_rs, olds)
        rss = owned_replicasets(self.cluster, d)
        new_rs, olds = self._split(d, rss)
        if d["spec"].get("paused"):
            self._cleanup(d, olds)
        status = self._calculate_status(d, rss, new_rs)
        self._write_status(d, status)

    # ---- strategies -----------------------------------------------------------------------------
    def _rolling(self, d: dict, rss: list[dict]) -> None:
        new_rs, olds = self._get_all(d, rss, create=True)
        all_rss = olds + ([new_rs] if new_rs else [])
        if new_rs is not None:
            replicas = int(d["spec"].get("replicas", 1) or 0)
            if _replicas(new_rs) > replicas:
                scaled, _ = self._scale(d, new_rs, replicas)
            else:
                scaled, _ = self._scale(d, new_rs, self._new_rs_replicas(d, all_rss, new_rs))
            if scaled:
                self._sync_rollout_status(d)
                return
        if self._reconcile_old(d, new_rs, [rs for rs in olds if _replicas(rs) > 0], all_rss):
            self._sync_rollout_status(d)
            return
        if deployment_complete(d, d.get("status") or {}):
            self._cleanup(d, olds)
        self._sync_rollout_status(d)

    def _reconcile_old(self, d: dict, new_rs: dict | None, olds: list[dict], all_rss: list[dict]) -> bool:
        old_pods = sum(_replicas(rs) for rs in olds)
        if old_pods == 0 or new_rs is None:
            return False
        replicas = int(d["spec"].get("replicas", 1) or 0)
        all_pods = sum(_replicas(rs) for rs in all_rss)
        min_available = replicas - max_unavailable(d)
        new_unavailable = _replicas(new_rs) - _st(new_rs, "availableReplicas")
        max_scaled_down = all_pods - min_available - new_unavailable
        if max_scaled_down <= 0:
            return False
        total = 0
        olds = sorted(olds, key=_created)
        for i, rs in enumerate(olds):          # cleanupUnhealthyReplicas
            if total >= max_scaled_down:
                break
            if _replicas(rs) == 0 or _replicas(rs) == _st(rs, "availableReplicas"):
                continue
            n = min(max_scaled_down - total, _replicas(rs) - _st(rs, "availableReplicas"))
            _, olds[i] = self._scale(d, rs, _replicas(rs) - n)
            total += n
        # scaleDownOldReplicaSetsForRollingUpdate (available counts as read at the start of the sync)
        available = sum(_st(rs, "availableReplicas") for rs in olds + [new_rs])
        if available > min_available:
            budget = available - min_available
            done = 0
            for rs in olds:
                if done >= budget:
                    break
                if _replicas(rs) == 0:
                    continue
                n = min(_replicas(rs), budget - done)
                self._scale(d, rs, _replicas(rs) - n)
                done += n
            total += done
        return total > 0

    def _recreate(self, d: dict, rss: list[dict]) -> None:
        from sandbox.controllers.replicaset import owned_pods

        cluster = self.cluster
        new_rs, olds = self._get_all(d, rss, create=False)
        scaled = False
        for rs in olds:
            if _replicas(rs) > 0:
                scaled = self._scale(d, rs, 0)[0] or scaled
        if scaled:
            self._sync_rollout_status(d)
            return
        if any(p for rs in olds for p in owned_pods(cluster, rs)
               if (p.get("status") or {}).get("phase") not in ("Succeeded", "Failed")):
            self._sync_rollout_status(d)
            return
        if new_rs is None:
            new_rs, olds = self._get_all(d, owned_replicasets(cluster, d), create=True)
        if new_rs is not None:
            self._scale(d, new_rs, int(d["spec"].get("replicas", 1) or 0))
        if deployment_complete(d, d.get("status") or {}):
            self._cleanup(d, olds)
        self._sync_rollout_status(d)

    def _cleanup(self, d: dict, olds: list[dict]) -> None:
        """cleanupDeployment: keep at most revisionHistoryLimit old ReplicaSets (oldest revisions go)."""
        limit = d["spec"].get("revisionHistoryLimit")
        if limit is None:
            return
        alive = [self._refresh(rs) for rs in olds]
        alive = [rs for rs in alive if rs is not None and not rs["metadata"].get("deletionTimestamp")]
        diff = len(alive) - int(limit)
        if diff <= 0:
            return
        for rs in sorted(alive, key=lambda r: (revision_of(r), _created(r)))[:diff]:
            if _st(rs, "replicas") or _replicas(rs) or \
                    int(rs["metadata"].get("generation", 1)) > _st(rs, "observedGeneration"):
                continue
            self.cluster.delete("replicasets", rs["metadata"]["namespace"], rs["metadata"]["name"])

    def _refresh(self, rs: dict | None) -> dict | None:
        if rs is None:
            return None
        return self.cluster.store.get("replicasets", rs["metadata"]["namespace"], rs["metadata"]["name"])

    # ---- status ---------------------------------------------------------------------------------
    def _calculate_status(self, d: dict, rss: list[dict], new_rs: dict | None) -> dict:
        """calculateStatus: counts from the ReplicaSets plus the Available condition."""
        replicas = int(d["spec"].get("replicas", 1) or 0)
        available = sum(_st(rs, "availableReplicas") for rs in rss)
        total_spec = sum(_replicas(rs) for rs in rss)
        status: dict = {}
        counts = {
            "availableReplicas": available,
            "readyReplicas": sum(_st(rs, "readyReplicas") for rs in rss),
            "replicas": sum(_st(rs, "replicas") for rs in rss),
            "unavailableReplicas": max(0, total_spec - available),
            "updatedReplicas": _st(new_rs, "replicas") if new_rs else 0,
        }
        status.update({k: v for k, v in counts.items() if v})
        terminating = _terminating(rss)
        if terminating is not None:
            status["terminatingReplicas"] = terminating
        if self._d_status.get("collisionCount") is not None:
            status["collisionCount"] = self._d_status["collisionCount"]
        status["conditions"] = copy.deepcopy(self._d_status.get("conditions") or [])
        status["observedGeneration"] = d["metadata"].get("generation", 1)
        now = rfc3339(self.cluster.clock.now)
        if available >= replicas - max_unavailable(d):
            set_condition(status, _condition("Available", "True", "MinimumReplicasAvailable",
                                             "Deployment has minimum availability.", now))
        else:
            set_condition(status, _condition("Available", "False", "MinimumReplicasUnavailable",
                                             "Deployment does not have minimum availability.", now))
        return status

    def _sync_rollout_status(self, d: dict) -> None:
        """syncRolloutStatus: Progressing from the change in counts, deadline, requeue when stuck."""
        cluster = self.cluster
        rss = owned_replicasets(cluster, d)
        new_rs, _ = self._split(d, rss)
        status = self._calculate_status(d, rss, new_rs)
        now = rfc3339(cluster.clock.now)
        deadline = d["spec"].get("progressDeadlineSeconds")
        current = get_condition(status, "Progressing")
        complete_before = _int(status, "replicas") == _int(status, "updatedReplicas") and current is not None \
            and current["reason"] == "NewReplicaSetAvailable"
        rs_name = new_rs["metadata"]["name"] if new_rs else None
        if deadline is not None and not complete_before:
            if deployment_complete(d, status):
                msg = f'ReplicaSet "{rs_name}" has successfully progressed.' if rs_name else \
                    f'Deployment "{d["metadata"]["name"]}" has successfully progressed.'
                set_condition(status, _condition("Progressing", "True", "NewReplicaSetAvailable", msg, now))
            elif deployment_progressing(d.get("status") or {}, status):
                msg = f'ReplicaSet "{rs_name}" is progressing.' if rs_name else \
                    f'Deployment "{d["metadata"]["name"]}" is progressing.'
                cond = _condition("Progressing", "True", "ReplicaSetUpdated", msg, now)
                if current is not None:
                    if current["status"] == "True":
                        cond["lastTransitionTime"] = current["lastTransitionTime"]
                    remove_condition(status, "Progressing")
                set_condition(status, cond)
            elif current is not None and self._timed_out(current, deadline):
                msg = f'ReplicaSet "{rs_name}" has timed out progressing.' if rs_name else \
                    f'Deployment "{d["metadata"]["name"]}" has timed out progressing.'
                set_condition(status, _condition("Progressing", "False", "ProgressDeadlineExceeded", msg, now))
        self._write_status(d, status)
        # requeueStuckDeployment
        current = get_condition(status, "Progressing")
        if deadline is not None and current is not None and not deployment_complete(d, status) and \
                current["reason"] != "ProgressDeadlineExceeded":
            due = parse_rfc3339(current["lastUpdateTime"]).timestamp() + deadline - cluster.clock.now.timestamp()
            self.enqueue_after(key_of(d), max(0.0, due) + 1.0)

    def _timed_out(self, cond: dict, deadline: int) -> bool:
        since = parse_rfc3339(cond["lastUpdateTime"])
        return (self.cluster.clock.now - since).total_seconds() > deadline

    def _write_status(self, d: dict, status: dict) -> None:
        cluster = self.cluster
        current = cluster.store.get("deployments", d["metadata"]["namespace"], d["metadata"]["name"])
        if current is None:
            return
        if not status.get("conditions"):
            status.pop("conditions", None)
        ordered = {k: status[k] for k in sorted(status)}
        if ordered != (current.get("status") or {}):
            new = dict(current)
            new["status"] = ordered
            cluster.write_status("deployments", new)
        self._d_status = copy.deepcopy(ordered)


def _terminating(rss: list[dict]) -> int | None:
    """GetTerminatingReplicaCountForReplicaSets: unknown (None) while a synced ReplicaSet lacks the count."""
    total = 0
    for rs in rss:
        status = rs.get("status") or {}
        if not status.get("observedGeneration") and "terminatingReplicas" not in status:
            continue
        if "terminatingReplicas" not in status:
            return None
        total += int(status["terminatingReplicas"] or 0)
    return total


def _neg_created(obj: dict) -> tuple:
    ts = obj["metadata"].get("creationTimestamp", "")
    return (-parse_rfc3339(ts).timestamp() if ts else 0.0, obj["metadata"]["name"])


def _round_half_away(x: float) -> int:
    """integer.RoundToInt32: math.Round (halves away from zero)."""
    return int(math.floor(x + 0.5)) if x >= 0 else -int(math.floor(-x + 0.5))
