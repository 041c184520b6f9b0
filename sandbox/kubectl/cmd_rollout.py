"""``kubectl rollout status|restart|history|undo`` (pkg/cmd/rollout, polymorphichelpers).

``status`` prints the status viewer's line for every change of the object, advancing virtual time
until the rollout is done or ``--timeout`` passes, like the real watch loop.
"""

from __future__ import annotations

import copy
from typing import Any

from sandbox.api.errors import ApiError
from sandbox.kubectl.cmd_create import server_view
from sandbox.kubectl.cmd_mutate import collect
from sandbox.kubectl.errors import AggregateError, KubectlError
from sandbox.kubectl.flags import parse_duration
from sandbox.kubectl.invocation import Invocation
from sandbox.kubectl.output import make_printer
from sandbox.kubectl.tabular import tabwrite

REVISION = "deployment.kubernetes.io/revision"
CHANGE_CAUSE = "kubernetes.io/change-cause"
STATUS_CAP_SECONDS = 3600.0
_KINDS = {"deployments", "daemonsets", "statefulsets"}


def _targets(inv: Invocation) -> list[tuple[Any, dict[str, Any]]]:
    if not inv.args and not inv.flags.list("filename"):
        raise KubectlError("required resource not specified")
    targets, errors = collect(inv, inv.args, selector=inv.flags.str("selector") if "selector" in inv.flags.fs.defs
                              else "")
    if errors:
        raise AggregateError(errors)
    return targets


def _not_supported(rt: Any) -> KubectlError:
    return KubectlError(f"no status viewer has been implemented for {rt.kind}")


# -- status ----------------------------------------------------------------------------------------------
def status_line(obj: dict[str, Any], revision: int = 0) -> tuple[str, bool]:
    """The StatusViewer message for a deployment, daemon set or stateful set, and whether it is done."""
    kind = obj.get("kind")
    md = obj["metadata"]
    spec = obj.get("spec") or {}
    st = obj.get("status") or {}
    name = md["name"]
    generation = int(md.get("generation", 0))
    observed = int(st.get("observedGeneration", 0))
    if kind == "Deployment":
        if revision > 0:
            current = int((md.get("annotations") or {}).get(REVISION, "0") or 0)
            if current != revision:
                raise KubectlError(f"desired revision ({revision}) is different from the running revision ({current})")
        if generation <= observed:
            for cond in st.get("conditions") or []:
                if cond.get("type") == "Progressing" and cond.get("reason") == "ProgressDeadlineExceeded":
                    raise KubectlError(f'deployment "{name}" exceeded its progress deadline')
            replicas = int(spec.get("replicas", 1))
            updated = int(st.get("updatedReplicas", 0))
            if updated < replicas:
                return (f'Waiting for deployment "{name}" rollout to finish: {updated} out of {replicas} new replicas '
                        "have been updated...\n"), False
            total = int(st.get("replicas", 0))
            if total > updated:
                return (f'Waiting for deployment "{name}" rollout to finish: {total - updated} old replicas are '
                        "pending termination...\n"), False
            available = int(st.get("availableReplicas", 0))
            if available < updated:
                return (f'Waiting for deployment "{name}" rollout to finish: {available} of {updated} updated '
                        "replicas are available...\n"), False
            return f'deployment "{name}" successfully rolled out\n', True
        return "Waiting for deployment spec update to be observed...\n", False
    if kind == "DaemonSet":
        strategy = (spec.get("updateStrategy") or {}).get("type", "RollingUpdate")
        if strategy != "RollingUpdate":
            raise KubectlError("rollout status is only available for RollingUpdate strategy type")
        if generation <= observed:
            desired = int(st.get("desiredNumberScheduled", 0))
            updated = int(st.get("updatedNumberScheduled", 0))
            if updated < desired:
                return (f'Waiting for daemon set "{name}" rollout to finish: {updated} out of {desired} new pods have '
                        "been updated...\n"), False
            available = int(st.get("numberAvailable", 0))
            if available < desired:
                return (f'Waiting for daemon set "{name}" rollout to finish: {available} of {desired} updated pods '
                        "are available...\n"), False
            return f'daemon set "{name}" successfully rolled out\n', True
        return "Waiting for daemon set spec update to be observed...\n", False
    if kind == "StatefulSet":
        strategy = spec.get("updateStrategy") or {}
        if strategy.get("type", "RollingUpdate") != "RollingUpdate":
            raise KubectlError("rollout status is only available for RollingUpdate strategy type")
        if observed == 0 or generation > observed:
            return "Waiting for statefulset spec update to be observed...\n", False
        replicas = int(spec.get("replicas", 1))
        ready = int(st.get("readyReplicas", 0))
        if replicas > ready:
            return f"Waiting for {replicas - ready} pods to be ready...\n", False
        partition = int(((strategy.get("rollingUpdate") or {}).get("partition")) or 0)
        updated = int(st.get("updatedReplicas", 0))
        if partition > 0:
            if updated < replicas - partition:
                return (f"Waiting for partitioned roll out to finish: {updated} out of {replicas - partition} new "
                        "pods have been updated...\n"), False
            return f"partitioned roll out complete: {updated} new pods have been updated...\n", True
        update_rev = st.get("updateRevision", "")
        if update_rev != st.get("currentRevision", ""):
            return (f"waiting for statefulset rolling update to complete {updated} pods at revision "
                    f"{update_rev}...\n"), False
        return f"statefulset rolling update complete {int(st.get('currentReplicas', 0))} pods at revision " \
               f"{st.get('currentRevision', '')}...\n", True
    raise KubectlError(f"no status viewer has been implemented for {kind}")


def status(inv: Invocation) -> int:
    targets = _targets(inv)
    revision = inv.flags.int("revision")
    if revision < 0:
        raise KubectlError(f"revision must be a positive integer: {revision}")
    timeout = _seconds(inv.flags["timeout"])
    watch = inv.flags.bool("watch")
    cluster = inv.cluster
    for rt, obj in targets:
        if rt.plural not in _KINDS:
            raise _not_supported(rt)
        md = obj["metadata"]
        ns, name = md.get("namespace"), md["name"]
        events: list[dict[str, Any]] = []

        def on_event(event: str, resource: str, o: dict[str, Any], _rt: Any = rt, _ns: Any = ns,
                     _name: str = name, _events: list = events) -> None:
            if resource == _rt.plural and event != "DELETED" and o["metadata"].get("namespace") == _ns \
                    and o["metadata"]["name"] == _name:
                _events.append(o)

        line, done = status_line(obj, revision)
        inv.out(line)
        if done or not watch:
            continue
        cluster.subscribe(on_event)
        waited = 0.0
        limit = timeout if timeout > 0 else STATUS_CAP_SECONDS
        try:
            while not done:
                if waited >= limit:
                    raise KubectlError("timed out waiting for the condition")
                step = min(1.0, limit - waited)
                inv.sleep(step)
                waited += step
                while events and not done:
                    line, done = status_line(events.pop(0), revision)
                    inv.out(line)
        finally:
            watchers = getattr(cluster.store, "_watchers", None)
            if watchers is not None and on_event in watchers:
                watchers.remove(on_event)
    return 0


def _seconds(value: Any) -> float:
    if isinstance(value, int | float):
        return float(value)
    return parse_duration(str(value)) if value else 0.0


# -- restart ---------------------------------------------------------------------------------------------
def restart(inv: Invocation) -> int:
    from sandbox.api.clock import rfc3339

    targets = _targets(inv)
    dry = inv.dry_run()
    suffix = {"client": " (dry run)", "server": " (server dry run)"}.get(dry, "")
    printer = make_printer(inv, operation="restarted" + suffix)
    cluster = inv.cluster
    errors: list[Exception] = []
    stamp = rfc3339(cluster.clock.now)
    for rt, obj in targets:
        if rt.plural not in _KINDS:
            errors.append(KubectlError(f"{rt.kind_group}/{obj['metadata']['name']} restarting is not supported"))
            continue
        md = obj["metadata"]
        template_ann = ((((obj.get("spec") or {}).get("template") or {}).get("metadata") or {}).get("annotations")
                        or {})
        if (obj.get("spec") or {}).get("paused"):
            errors.append(KubectlError("can't restart paused deployment (run rollout resume first)"))
            continue
        _ = template_ann
        body = {"spec": {"template": {"metadata": {"annotations": {"kubectl.kubernetes.io/restartedAt": stamp}}}}}
        try:
            result = cluster.patch(rt.plural, md.get("namespace"), md["name"], body, "strategic",
                                   dry_run=dry != "none")
        except ApiError as exc:
            errors.append(exc)
            continue
        inv.out(printer.render(server_view(result)))
    if errors:
        raise AggregateError(errors)
    return 0


# -- history / undo --------------------------------------------------------------------------------------
def _revisions(inv: Invocation, obj: dict[str, Any]) -> dict[int, dict[str, Any]]:
    """Deployment revisions from its ReplicaSets' revision annotations."""
    cluster = inv.cluster
    uid = obj["metadata"].get("uid")
    out: dict[int, dict[str, Any]] = {}
    for rs in cluster.list("replicasets", obj["metadata"].get("namespace")):
        owners = rs["metadata"].get("ownerReferences") or []
        if not any(o.get("uid") == uid for o in owners):
            continue
        ann = rs["metadata"].get("annotations") or {}
        try:
            rev = int(ann.get(REVISION, "0"))
        except ValueError:
            continue
        out[rev] = rs
    return out


def history(inv: Invocation) -> int:
    targets = _targets(inv)
    wanted = inv.flags.int("revision")
    for rt, obj in targets:
        if rt.plural != "deployments":
            raise KubectlError(f"no history viewer has been implemented for {rt.kind}")
        revs = _revisions(inv, obj)
        if wanted > 0:
            rs = revs.get(wanted)
            if rs is None:
                raise KubectlError("unable to find the specified revision")
            text = _template_text(rs)
            inv.out(f"{rt.kind_group}/{obj['metadata']['name']} with revision #{wanted}\n{text}\n")
            continue
        rows = [["REVISION", "CHANGE-CAUSE"]]
        for rev in sorted(revs):
            cause = (revs[rev]["metadata"].get("annotations") or {}).get(CHANGE_CAUSE) or "<none>"
            rows.append([str(rev), cause])
        table = tabwrite(rows, minwidth=0, padding=2)
        inv.out(f"{rt.kind_group}/{obj['metadata']['name']} \n{table}\n")
    return 0


def _template_text(rs: dict[str, Any]) -> str:
    tmpl = ((rs.get("spec") or {}).get("template")) or {}
    labels = (tmpl.get("metadata") or {}).get("labels") or {}
    lines = ["Pod Template:"]
    lab = sorted(labels.items())
    if lab:
        lines.append(f"  Labels:\t{lab[0][0]}={lab[0][1]}")
        lines += [f"\t{k}={v}" for k, v in lab[1:]]
    else:
        lines.append("  Labels:\t<none>")
    lines.append("  Containers:")
    for c in (tmpl.get("spec") or {}).get("containers") or []:
        lines.append(f"   {c.get('name')}:")
        lines.append(f"    Image:\t{c.get('image')}")
    return "\n".join(lines) + "\n"


def undo(inv: Invocation) -> int:
    targets = _targets(inv)
    to_rev = inv.flags.int("to-revision")
    dry = inv.dry_run()
    suffix = {"client": " (dry run)", "server": " (server dry run)"}.get(dry, "")
    cluster = inv.cluster
    for rt, obj in targets:
        if rt.plural != "deployments":
            raise KubectlError(f"no rollbacker has been implemented for {rt.kind}")
        name = obj["metadata"]["name"]
        revs = _revisions(inv, obj)
        if to_rev == 0:
            ordered = sorted(revs)
            if len(ordered) < 2:
                raise KubectlError(f'no rollout history found for deployment "{name}"')
            target = revs[ordered[-2]]
            to = ordered[-2]
        else:
            if to_rev not in revs:
                raise KubectlError(f"unable to find specified revision {to_rev} in history")
            target = revs[to_rev]
            to = to_rev
        template = copy.deepcopy((target.get("spec") or {}).get("template") or {})
        labels = (template.get("metadata") or {}).get("labels") or {}
        labels.pop("pod-template-hash", None)
        current_tmpl = (obj.get("spec") or {}).get("template") or {}
        if _same_template(current_tmpl, template):
            inv.out(f"{rt.kind_group}/{name} skipped rollback (current template already matches revision {to})\n")
            continue
        if dry != "client":
            updated = copy.deepcopy(obj)
            updated["spec"]["template"] = template
            cluster.update(updated, dry_run=dry == "server")
        inv.out(f"{rt.kind_group}/{name} rolled back{suffix}\n")
    return 0


def _same_template(a: dict[str, Any], b: dict[str, Any]) -> bool:
    def norm(t: dict[str, Any]) -> dict[str, Any]:
        t = copy.deepcopy(t)
        (t.get("metadata") or {}).get("labels", {}).pop("pod-template-hash", None)
        return t

    return norm(a) == norm(b)


# -- pause / resume --------------------------------------------------------------------------------------
def _set_paused(inv: Invocation, paused: bool) -> int:
    targets = _targets(inv)
    dry = inv.dry_run()
    suffix = {"client": " (dry run)", "server": " (server dry run)"}.get(dry, "")
    cluster = inv.cluster
    errors: list[Exception] = []
    verb = "paused" if paused else "resumed"
    for rt, obj in targets:
        name = obj["metadata"]["name"]
        qualified = f"{rt.plural}.{rt.group}" if rt.group else rt.plural
        if rt.plural != "deployments":
            errors.append(KubectlError(f'error: {qualified} "{name}" {"pausing" if paused else "resuming"} is not '
                                       "supported"))
            continue
        current = bool((obj.get("spec") or {}).get("paused"))
        if current == paused:
            errors.append(KubectlError(f'error: {qualified} "{name}" '
                                       f'{"is already paused" if paused else "is not paused"}'))
            continue
        result = obj
        if dry != "client":
            try:
                result = cluster.patch(rt.plural, obj["metadata"].get("namespace"), name,
                                       {"spec": {"paused": True if paused else None}}, "strategic",
                                       dry_run=dry == "server")
            except ApiError as exc:
                errors.append(KubectlError(f"failed to patch: {exc.message}"))
                continue
        inv.out(make_printer(inv, operation=verb + suffix).render(server_view(result)))
    if errors:
        raise AggregateError(errors)
    return 0


def pause(inv: Invocation) -> int:
    return _set_paused(inv, True)


def resume(inv: Invocation) -> int:
    return _set_paused(inv, False)
