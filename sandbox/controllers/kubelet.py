"""The kubelet of every node: pod sandboxes, image pulls, containers, probes, restarts, termination.

Each scheduled pod gets a :class:`PodWorker` (the kubelet's pod worker) that moves it through
sandbox creation -> image pull -> create -> start on the cluster's virtual clock, runs its probes
against what the container's program really serves, restarts exited containers with the kubelet's
back-off (10s doubling to 5m) and stops them on deletion within the grace period. The worker keeps
the truth about its containers; :meth:`PodWorker.status` renders it as the pod's ``status`` in the
apiserver's shape, written only when it changed. Events use the kubelet's exact wording
(pkg/kubelet/events, images/image_manager.go, kuberuntime, prober).
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

from sandbox.api.clock import Timer, rfc3339
from sandbox.controllers import Controller, register
from sandbox.workloads import podfiles, podspec, probing
from sandbox.workloads.durations import go_duration
from sandbox.workloads.envvars import build_env_snapshot, service_links
from sandbox.workloads.images import ImageInfo, image_info, pull_error
from sandbox.workloads.programs import container_argv, interpret
from sandbox.workloads.runtime import ContainerRuntime, Runtime

if TYPE_CHECKING:
    from sandbox.cluster import Cluster

COMPONENT = "kubelet"
#: containerd's sandbox_image on a kubeadm v1.37 node.
SANDBOX_IMAGE = "registry.k8s.io/pause:3.10.1"
BACKOFF_INITIAL = 10.0
BACKOFF_MAX = 300.0
#: A container that ran this long before exiting starts its back-off afresh (2 x max, kubelet GC).
BACKOFF_RESET = 600.0
#: Pull throughput (bytes/s) of a first pull, and the fixed cost of a pull of an image already present.
PULL_RATE = 30_000_000
REPULL_SECONDS = (0.35, 0.9)


def runtime_of(cluster: Cluster) -> Runtime:
    """``cluster.runtime``, created on first use (the engine leaves the attribute None)."""
    rt = getattr(cluster, "runtime", None)
    if rt is None:
        rt = Runtime(cluster.clock)
        cluster.runtime = rt
    return rt


class ProbeState:
    """One prober worker (pkg/kubelet/prober/worker.go): counters, last result, its timer."""

    def __init__(self, kind: str, spec: dict) -> None:
        self.kind = kind
        self.spec = spec
        self.successes = 0
        self.failures = 0
        self.result: bool = kind == "liveness"
        self.timer: Timer | None = None

    @property
    def period(self) -> float:
        return float(self.spec.get("periodSeconds") or 10)

    @property
    def initial_delay(self) -> float:
        return float(self.spec.get("initialDelaySeconds") or 0)

    def first_run(self) -> float:
        """The worker ticks every period from container start and skips ticks inside the initial delay."""
        period = self.period
        k = 0
        while k * period < self.initial_delay:
            k += 1
        return k * period

    def cancel(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None


class CState:
    """The kubelet's knowledge of one container of a pod."""

    def __init__(self, spec: dict, init: bool = False, gated: bool = False) -> None:
        self.spec = spec
        self.name: str = spec["name"]
        self.init = init
        self.phase = "waiting"                 # waiting | running | terminated
        self.reason = "PodInitializing" if gated else "ContainerCreating"
        self.message = ""
        self.rt: ContainerRuntime | None = None
        self.image: ImageInfo | None = None
        self.restart_count = 0
        self.last_term: dict | None = None
        self.term: dict | None = None
        self.started_at = ""
        self.ready = False
        self.started = False
        self.created = False
        self.probes: dict[str, ProbeState] = {}
        self.backoff = 0.0
        self.pull_backoff = 0.0
        self.timer: Timer | None = None
        self.container_id = ""
        self.killing_for = ""                   # "liveness" | "startup" while a probe kill is under way

    def cancel(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        for p in self.probes.values():
            p.cancel()


class PodWorker:
    """Drives one pod on its node; every change ends in ``kubelet.enqueue(key)`` -> status write."""

    def __init__(self, kubelet: Kubelet, pod: dict) -> None:
        self.kubelet = kubelet
        self.cluster = kubelet.cluster
        meta = pod["metadata"]
        self.uid: str = meta.get("uid", "")
        self.key = (meta.get("namespace", ""), meta["name"])
        self.pod = pod
        self.node: str = pod["spec"]["nodeName"]
        self.host_network = bool(pod["spec"].get("hostNetwork"))
        self.restart_policy = pod["spec"].get("restartPolicy") or "Always"
        inits = pod["spec"].get("initContainers") or []
        self.inits = [CState(c, init=True, gated=i > 0) for i, c in enumerate(inits)]
        self.containers = [CState(c, gated=bool(inits)) for c in pod["spec"].get("containers") or []]
        self.sandbox_ready = False
        self.pod_ip = ""
        self.start_time = rfc3339(self.cluster.clock.now)
        self.cond_times: dict[str, tuple[str, str]] = {}
        self.terminating = False
        self.finished = False
        self.timer: Timer | None = None
        self.qos = (pod.get("status") or {}).get("qosClass") or podspec.qos_class(pod)
        self.mount_backoff = 0.0

    # ------------------------------------------------------------------ helpers
    @property
    def rng(self):
        return self.cluster.rng

    @property
    def now(self) -> str:
        return rfc3339(self.cluster.clock.now)

    @property
    def node_ip(self) -> str:
        info = self.cluster.nodes_info.get(self.node)
        return info.ip if info is not None else ""

    def later(self, delay: float, fn) -> Timer:
        def fire() -> None:
            if self.finished:
                return
            fn()
            self.kubelet.enqueue(self.key)
        return self.cluster.clock.call_later(delay, fire)

    def event(self, type_: str, reason: str, message: str, c: CState | None = None) -> None:
        pod = self.cluster.store.get("pods", *self.key) or self.pod
        field = "" if c is None else (f"spec.initContainers{{{c.name}}}" if c.init else
                                      f"spec.containers{{{c.name}}}")
        self.cluster.record_event(pod, type_, reason, message, COMPONENT, field_path=field, host=self.node)

    # ------------------------------------------------------------------ sandbox
    def begin(self) -> None:
        self.timer = self.later(0.4 + self.rng.random() * 0.6, self.sandbox_up)

    def sandbox_up(self) -> None:
        self.timer = None
        if self.terminating:
            return
        missing = podspec.missing_volume(self.pod, self.kubelet.lookup)
        if missing is not None:           # the volume manager retries with back-off up to about 2 minutes
            self.event("Warning", "FailedMount", missing)
            self.mount_backoff = min(max(self.mount_backoff * 2, 0.5), 122.0)
            self.timer = self.later(self.mount_backoff, self.sandbox_up)
            return
        try:
            self.pod_ip = self.node_ip if self.host_network else self.kubelet.allocate_ip(self.node)
        except RuntimeError as exc:           # the node's pod CIDR is full
            sandbox = f"{self.rng.getrandbits(256):064x}"
            self.event("Warning", "FailedCreatePodSandBox",
                       f"Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for "
                       f'sandbox "{sandbox}": plugin type="calico" failed (add): {exc}')
            self.timer = self.later(10.0, self.sandbox_up)
            return
        self.sandbox_ready = True
        self.kubelet.runtime.add_image(self.node, SANDBOX_IMAGE)       # the pod's pause container
        self.next_step()

    def next_step(self) -> None:
        """Init containers one at a time (each must exit 0), then all app containers together."""
        for c in self.inits:
            if not (c.phase == "terminated" and c.term is not None and c.term["exitCode"] == 0):
                if c.phase == "waiting" and c.timer is None and not c.created:
                    c.reason = "ContainerCreating" if c.reason == "PodInitializing" else c.reason
                    self.pull(c)
                return
        for c in self.containers:
            if c.phase == "waiting" and c.timer is None and not c.created:
                c.reason = "ContainerCreating"
                self.pull(c)

    @property
    def initialized(self) -> bool:
        return all(c.phase == "terminated" and c.term is not None and c.term["exitCode"] == 0 for c in self.inits)

    @property
    def all_containers(self) -> list[CState]:
        return self.inits + self.containers

    # ------------------------------------------------------------------ images
    def pull(self, c: CState) -> None:
        if self.terminating:
            return
        spec = c.spec
        text = spec.get("image") or ""
        policy = spec.get("imagePullPolicy") or ("Always" if ":" not in text.rsplit("/", 1)[-1]
                                                 or text.endswith(":latest") else "IfNotPresent")
        runtime = self.kubelet.runtime
        info = image_info(text)
        present = info is not None and runtime.has_image(self.node, info.image_name)
        if policy == "Never" and not present:
            msg = f'Container image "{text}" is not present with pull policy of Never'
            self.event("Warning", "ErrImageNeverPull", msg, c)
            c.reason, c.message = "ErrImageNeverPull", msg
            self.event("Warning", "Failed", "Error: ErrImageNeverPull", c)
            return
        if policy != "Always" and present:
            self.event("Normal", "Pulled", f'Container image "{text}" already present on machine', c)
            c.image = info
            c.timer = self.later(0.05 + self.rng.random() * 0.15, lambda: self.create(c))
            return
        self.event("Normal", "Pulling", f'Pulling image "{text}"', c)
        requested = self.cluster.clock.seconds
        if info is None:
            delay = 0.6 + self.rng.random() * 1.2
            c.timer = self.later(delay, lambda: self.pull_failed(c, text))
            return
        in_flight = self.kubelet.pulling.get((self.node, info.image_name), -1.0) > requested
        if present or in_flight:      # layers already there (or arriving): only the manifest is checked
            duration = REPULL_SECONDS[0] + self.rng.random() * (REPULL_SECONDS[1] - REPULL_SECONDS[0])
        else:
            duration = 0.5 + info.size / (PULL_RATE * (0.7 + self.rng.random() * 0.6))
        start = max(requested, self.kubelet.pull_busy.get(self.node, requested))   # serializeImagePulls
        end = start + duration
        self.kubelet.pull_busy[self.node] = end
        if not present and not in_flight:
            self.kubelet.pulling[(self.node, info.image_name)] = end

        def pulled() -> None:
            runtime.add_image(self.node, info.image_name)
            waited = end - requested
            self.event("Normal", "Pulled", f'Successfully pulled image "{text}" in {go_duration(duration)} '
                       f"({go_duration(waited)} including waiting). Image size: {info.size} bytes.", c)
            c.image = info
            c.pull_backoff = 0.0
            self.create(c)
        c.timer = self.later(end - requested, pulled)

    def pull_failed(self, c: CState, text: str) -> None:
        err = pull_error(text)
        self.event("Warning", "Failed", f'Failed to pull image "{text}": {err}', c)
        self.event("Warning", "Failed", "Error: ErrImagePull", c)
        c.reason, c.message = "ErrImagePull", err
        c.pull_backoff = BACKOFF_INITIAL if not c.pull_backoff else min(c.pull_backoff * 2, BACKOFF_MAX)
        backoff = c.pull_backoff

        def in_backoff() -> None:
            msg = f'Back-off pulling image "{text}"'
            self.event("Normal", "BackOff", msg, c)
            self.event("Warning", "Failed", "Error: ImagePullBackOff", c)
            # image_manager.go keeps the last pull error for the waiting message (prevPullErrMsg)
            c.reason, c.message = "ImagePullBackOff", f"{msg}: ErrImagePull: {err}"
            c.timer = self.later(backoff, lambda: self.pull(c))
        c.timer = self.later(1.0, in_backoff)

    # ------------------------------------------------------------------ containers
    def create(self, c: CState) -> None:
        c.timer = None
        if self.terminating or c.image is None:
            return
        cluster = self.cluster
        image = c.image
        config_error = podspec.env_error(self.key[0], c.spec, self.kubelet.lookup)
        if config_error is not None:       # makeEnvironmentVariables failed: retried on the next sync
            self.event("Warning", "Failed", f"Error: {config_error}", c)
            c.reason, c.message = "CreateContainerConfigError", config_error
            c.timer = self.later(10.0, lambda: self.pull(c))
            return
        program = interpret(image, container_argv(image, c.spec), c.spec)
        c.container_id = f"{self.rng.getrandbits(256):064x}"
        c.created = True
        self.event("Normal", "Created", f"Created container: {c.name}", c)
        if program.start_error:
            msg = program.start_error
            self.event("Warning", "Failed", f"Error: {msg}", c)
            now = self.now
            self.exited(c, {"exitCode": 128, "reason": "StartError", "message": msg,
                            "startedAt": "1970-01-01T00:00:00Z", "finishedAt": now,
                            "containerID": f"containerd://{c.container_id}"}, ran=0.0)
            return
        pod = cluster.store.get("pods", *self.key) or self.pod
        live = copy.deepcopy(pod)
        live.setdefault("status", {})["podIP"] = self.pod_ip
        live["status"]["podIPs"] = [{"ip": self.pod_ip}] if self.pod_ip else []
        live["status"]["hostIP"] = self.node_ip
        hostname = podfiles.pod_hostname(live)
        links = self.kubelet.links_for(self.key[0], live["spec"].get("enableServiceLinks", True) is not False)
        env = build_env_snapshot(image, live, c.spec, hostname, links, seed=self.rng.getrandbits(32),
                                 lookup=self.kubelet.lookup)
        files = dict(image.files)
        if image.os_release is not None:
            files["/etc/os-release"] = image.os_release
        files["/etc/hostname"] = podfiles.etc_hostname(live)
        files["/etc/hosts"] = podfiles.etc_hosts(live, [self.pod_ip] if self.pod_ip else [])
        files["/etc/resolv.conf"] = podfiles.resolv_conf(live)
        podspec.mount_volumes(live, c.spec, files, self.kubelet.lookup)
        rt = ContainerRuntime(clock=cluster.clock, pod=live, container_name=c.name, image=image, program=program,
                              container_id=c.container_id, env=env, hostname=hostname, pod_ip=self.pod_ip,
                              node=self.node, files=files, file_mtime=1738753592.0,
                              restart_count=c.restart_count)
        self.kubelet.runtime.add(rt)
        c.rt = rt
        c.phase = "running"
        c.reason = c.message = ""
        c.started_at = self.now
        c.term = None
        self.event("Normal", "Started", f"Started container {c.name}", c)
        c.probes = {kind: ProbeState(kind, c.spec[f"{kind}Probe"])
                    for kind in ("startup", "liveness", "readiness") if c.spec.get(f"{kind}Probe")}
        c.started = "startup" not in c.probes
        c.ready = c.started and "readiness" not in c.probes
        for probe in c.probes.values():
            self.schedule_probe(c, probe, probe.first_run())
        started_at = cluster.clock.seconds
        rt.start(lambda r, code: self.on_exit(c, r, code, started_at))

    def on_exit(self, c: CState, rt: ContainerRuntime, code: int, started_at: float) -> None:
        if c.rt is not rt or self.finished:
            return
        reason = "Completed" if code == 0 else "Error"
        term = {"exitCode": code, "reason": reason, "startedAt": c.started_at, "finishedAt": self.now,
                "containerID": f"containerd://{c.container_id}"}
        self.exited(c, term, ran=self.cluster.clock.seconds - started_at)
        self.kubelet.enqueue(self.key)

    def exited(self, c: CState, term: dict, ran: float) -> None:
        for p in c.probes.values():
            p.cancel()
        c.ready = False
        c.phase = "terminated"
        c.term = term
        if self.terminating:
            self.check_done()
            return
        code = term["exitCode"]
        if c.init:
            if code == 0:
                c.ready = True
                self.next_step()
                return
            restart = self.restart_policy != "Never"      # a failed init container is retried
        else:
            restart = self.restart_policy == "Always" or (self.restart_policy == "OnFailure" and code != 0)
        c.killing_for = ""
        if not restart:
            return
        if ran >= BACKOFF_RESET:
            c.backoff = 0.0
        if not c.backoff:
            # not in back-off yet: restarted on the next sync; until then the dead container shows
            c.backoff = BACKOFF_INITIAL
            c.timer = self.later(0.5 + self.rng.random() * 0.5, lambda: self.restart(c))
            return
        c.last_term = term
        c.term = None
        delay = c.backoff
        pod = f"{self.key[1]}_{self.key[0]}({self.uid})"
        c.phase = "waiting"
        c.reason = "CrashLoopBackOff"
        c.message = f"back-off {go_duration(delay)} restarting failed container={c.name} pod={pod}"
        c.backoff = min(c.backoff * 2, BACKOFF_MAX)

        def backoff_event() -> None:
            if c.reason == "CrashLoopBackOff":
                self.event("Warning", "BackOff", f"Back-off restarting failed container {c.name} in pod {pod}", c)
        self.later(0.5, backoff_event)
        c.timer = self.later(delay, lambda: self.restart(c))

    def restart(self, c: CState) -> None:
        c.timer = None
        if self.terminating:
            return
        if c.term is not None:
            c.last_term, c.term = c.term, None
        c.phase = "waiting"
        c.reason, c.message = "ContainerCreating", ""
        c.restart_count += 1
        self.pull(c)

    # ------------------------------------------------------------------ probes
    def schedule_probe(self, c: CState, probe: ProbeState, delay: float) -> None:
        probe.timer = self.later(delay, lambda: self.run_probe(c, probe))

    def run_probe(self, c: CState, probe: ProbeState) -> None:
        probe.timer = None
        if c.phase != "running" or c.rt is None or not c.rt.running:
            return
        if probe.kind != "startup" and not c.started:
            self.schedule_probe(c, probe, probe.period)
            return
        if probe.kind == "startup" and c.started:
            return
        try:
            ok, output = probing.probe(probe.spec, self.target(c))
        except Exception as exc:  # noqa: BLE001 - a program bug must not take the whole lab down
            ok, output = False, f"probe errored: {exc}"
        label = {"readiness": "Readiness", "liveness": "Liveness", "startup": "Startup"}[probe.kind]
        if ok:
            probe.successes += 1
            probe.failures = 0
            threshold = int(probe.spec.get("successThreshold") or 1)
            if probe.successes >= threshold:
                probe.result = True
        else:
            probe.failures += 1
            probe.successes = 0
            self.event("Warning", "Unhealthy", f"{label} probe failed: {output}", c)
            if probe.failures >= int(probe.spec.get("failureThreshold") or 3):
                probe.result = False
        if probe.kind == "readiness":
            c.ready = probe.result and c.started
        elif probe.kind == "startup":
            if probe.result:
                c.started = True
                c.ready = "readiness" not in c.probes
                return
            if probe.failures >= int(probe.spec.get("failureThreshold") or 3):
                self.probe_kill(c, "startup")
                return
        elif probe.kind == "liveness" and not probe.result:
            self.probe_kill(c, "liveness")
            return
        self.schedule_probe(c, probe, probe.period)

    def probe_kill(self, c: CState, kind: str) -> None:
        self.event("Normal", "Killing", f"Container {c.name} failed {kind} probe, will be restarted", c)
        c.killing_for = kind
        for p in c.probes.values():
            p.cancel()
        grace = c.probes[kind].spec.get("terminationGracePeriodSeconds")
        if grace is None:
            grace = self.pod["spec"].get("terminationGracePeriodSeconds", 30)
        if c.rt is not None:
            c.rt.terminate(float(grace if grace is not None else 30))

    def target(self, c: CState) -> probing.ProbeTarget:
        return probing.ProbeTarget(rt=c.rt, container=c.spec, listeners=self.kubelet.runtime.pod_listeners(self.uid),
                                   pod_ip=self.pod_ip, node_ip=self.node_ip, rng=self.rng, now=self.cluster.clock.now)

    # ------------------------------------------------------------------ termination
    def terminate(self, grace: float) -> None:
        if self.terminating:
            return
        self.terminating = True
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        for c in self.all_containers:
            if c.timer is not None:
                c.timer.cancel()
                c.timer = None
            if c.phase == "running" and c.rt is not None and c.rt.running:
                self.event("Normal", "Killing", f"Stopping container {c.name}", c)
                for p in c.probes.values():
                    if p.kind == "liveness" or p.kind == "startup":
                        p.cancel()
                c.rt.terminate(grace, pre_stop=self.pre_stop(c, grace))
        self.check_done()

    def pre_stop(self, c: CState, grace: float) -> float:
        """Seconds the container's preStop hook keeps it busy before SIGTERM."""
        hook = ((c.spec.get("lifecycle") or {}).get("preStop")) or {}
        return probing.hook_seconds(hook, self.target(c), grace) if hook else 0.0

    def spec_changed(self, pod: dict) -> None:
        """A running pod's container image was changed (the only mutable container field): restart it."""
        specs = {c.get("name"): c for c in pod["spec"].get("containers") or []}
        for c in self.containers:
            new = specs.get(c.name)
            if new is None or new.get("image") == c.spec.get("image"):
                continue
            c.spec = new
            c.backoff = 0.0
            c.pull_backoff = 0.0
            if c.phase == "running" and c.rt is not None and c.rt.running:
                self.event("Normal", "Killing", f"Container {c.name} definition changed, will be restarted", c)
                for p in c.probes.values():
                    p.cancel()
                grace = pod["spec"].get("terminationGracePeriodSeconds", 30)
                c.rt.terminate(float(grace if grace is not None else 30))
            elif c.phase == "waiting" and self.sandbox_ready:
                if c.timer is not None:
                    c.timer.cancel()
                    c.timer = None
                if c.reason == "CrashLoopBackOff":
                    self.restart(c)
                elif c.reason in ("ErrImagePull", "ImagePullBackOff", "ErrImageNeverPull"):
                    self.pull(c)

    def check_done(self) -> None:
        if any(c.phase == "running" and c.rt is not None and c.rt.running for c in self.all_containers):
            return
        self.kubelet.finish(self)

    # ------------------------------------------------------------------ status
    def phase(self) -> str:
        if not self.initialized:
            failed = any(c.phase == "terminated" and c.term is not None and c.term["exitCode"] != 0
                         for c in self.inits)
            return "Failed" if failed and (self.restart_policy == "Never" or self.terminating) else "Pending"
        waiting = running = stopped = succeeded = 0
        for c in self.containers:
            if c.phase == "running":
                running += 1
            elif c.phase == "terminated":
                stopped += 1
                succeeded += c.term is not None and c.term["exitCode"] == 0
            elif c.last_term is not None:
                stopped += 1
            else:
                waiting += 1
        if waiting:
            return "Pending"
        if running:
            return "Running"
        if not stopped:
            return "Pending"
        if self.restart_policy == "Always" and not self.terminating:
            return "Running"
        if succeeded == stopped:
            return "Succeeded"
        if self.restart_policy == "OnFailure" and not self.terminating:
            return "Running"
        return "Failed"

    def _cond(self, type_: str, status: str, reason: str = "", message: str = "") -> dict:
        prev = self.cond_times.get(type_)
        if prev is None or prev[0] != status:
            self.cond_times[type_] = (status, self.now)
        cond: dict = {"lastProbeTime": None, "lastTransitionTime": self.cond_times[type_][1], "status": status,
                      "type": type_}
        if reason:
            cond["reason"] = reason
        if message:
            cond["message"] = message
        return cond

    def container_status(self, c: CState) -> dict:
        out: dict = {"name": c.name}
        if c.phase == "running":
            out["state"] = {"running": {"startedAt": c.started_at}}
        elif c.phase == "terminated" and c.term is not None:
            out["state"] = {"terminated": dict(c.term)}
        else:
            waiting = {"reason": c.reason}
            if c.message:
                waiting["message"] = c.message
            out["state"] = {"waiting": waiting}
        out["lastState"] = {"terminated": dict(c.last_term)} if c.last_term else {}
        out["ready"] = bool(c.ready and (c.phase == "running" or c.init))
        out["restartCount"] = c.restart_count
        if c.created and c.image is not None:
            out["image"] = c.image.image_name
            out["imageID"] = c.image.image_id
            out["containerID"] = f"containerd://{c.container_id}"
        else:
            out["image"] = c.spec.get("image", "")
            out["imageID"] = ""
        out["started"] = bool(c.phase == "running" and c.started)
        if c.created and c.spec.get("volumeMounts"):
            mounts = []
            for m in c.spec["volumeMounts"]:
                vm = {"name": m.get("name"), "mountPath": m.get("mountPath")}
                if m.get("readOnly"):
                    vm["readOnly"] = True
                    vm["recursiveReadOnly"] = "Disabled"
                mounts.append(vm)
            out["volumeMounts"] = mounts
        return out

    def status(self, current: dict) -> dict:
        phase = self.phase()
        unready = [c.name for c in self.containers if not (c.ready and c.phase == "running")]
        terminal = phase in ("Succeeded", "Failed")
        conds = [self._cond("PodReadyToStartContainers", "True" if self.sandbox_ready and not terminal else "False")]
        if self.initialized:
            conds.append(self._cond("Initialized", "True"))
        else:
            pending = [c.name for c in self.inits
                       if not (c.phase == "terminated" and c.term is not None and c.term["exitCode"] == 0)]
            conds.append(self._cond("Initialized", "False", "ContainersNotInitialized",
                                    f"containers with incomplete status: [{' '.join(pending)}]"))
        if not unready:
            conds += [self._cond("Ready", "True"), self._cond("ContainersReady", "True")]
        else:
            reason = "PodCompleted" if phase == "Succeeded" else "ContainersNotReady"
            msg = "" if phase == "Succeeded" else f"containers with unready status: [{' '.join(unready)}]"
            conds += [self._cond("Ready", "False", reason, msg), self._cond("ContainersReady", "False", reason, msg)]
        for old in current.get("conditions") or []:
            if old.get("type") not in {c["type"] for c in conds}:
                conds.append(old)
        if not any(c["type"] == "PodScheduled" for c in conds):
            conds.append(self._cond("PodScheduled", "True"))     # a pod bound by nodeName at creation
        status: dict = {"phase": phase, "conditions": conds}
        if self.node_ip:
            status["hostIP"] = self.node_ip
            status["hostIPs"] = [{"ip": self.node_ip}]
        if self.pod_ip:
            status["podIP"] = self.pod_ip
            status["podIPs"] = [{"ip": self.pod_ip}]
        status["startTime"] = self.start_time
        if self.inits:
            status["initContainerStatuses"] = [self.container_status(c) for c in self.inits]
        status["containerStatuses"] = [self.container_status(c) for c in self.containers]
        status["qosClass"] = self.qos
        return status


@register
class Kubelet(Controller):
    """All nodes' kubelets in one controller: a PodWorker per scheduled pod, keyed by pod uid."""

    name = "kubelet"
    watches = ("pods", "services")

    def __init__(self, cluster: Cluster) -> None:
        super().__init__(cluster)
        self.workers: dict[str, PodWorker] = {}
        self.by_key: dict[tuple[str, str], str] = {}
        self.pull_busy: dict[str, float] = {}                     # node -> when its pull queue frees up
        self.pulling: dict[tuple[str, str], float] = {}           # (node, image) -> first pull's end
        self.svc_gen: dict[str, int] = {}                         # namespace -> Service change counter
        self.done: set[str] = set()          # uids whose containers stopped while finalizers held the pod
        self._links: dict[tuple[str, bool], tuple[tuple[int, int], dict[str, str]]] = {}
        self._ipam = None
        runtime_of(cluster)

    @property
    def runtime(self) -> Runtime:
        return runtime_of(self.cluster)

    # ------------------------------------------------------------------ watch
    def on_event(self, event: str, resource: str, obj: dict, old: dict | None) -> None:
        meta = obj["metadata"]
        key = (meta.get("namespace", ""), meta["name"])
        if resource == "services":
            self.svc_gen[key[0]] = self.svc_gen.get(key[0], 0) + 1
            return
        if event == "DELETED":
            self.forget(meta.get("uid", ""))
            self.done.discard(meta.get("uid", ""))
            return
        if meta.get("deletionTimestamp") and not meta.get("finalizers") and old is not None and \
                old["metadata"].get("finalizers"):
            self.enqueue(key)
        if not (obj.get("spec") or {}).get("nodeName"):
            return
        if (old is None or obj.get("spec") is not old.get("spec")
                or meta.get("deletionTimestamp") != old["metadata"].get("deletionTimestamp")
                or meta.get("uid") not in self.workers):
            self.enqueue(key)

    def reconcile(self, key) -> None:
        pod = self.cluster.store.get("pods", *key)
        if pod is None:
            return
        uid = pod["metadata"].get("uid", "")
        worker = self.workers.get(uid)
        meta = pod["metadata"]
        if worker is None and meta.get("deletionTimestamp") and not meta.get("finalizers") and (
                uid in self.done or (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed")):
            self.cluster.remove_now("pods", *key)     # containers long stopped; the last finalizer just went
            return
        if worker is None:
            node = pod["spec"].get("nodeName")
            if not node or (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed"):
                return
            if node not in self.cluster.nodes_info and self.cluster.store.get("nodes", None, node) is None:
                return          # bound to a node that does not exist: no kubelet will ever run it
            old_uid = self.by_key.get(key)
            if old_uid and old_uid != uid:
                self.forget(old_uid)
            worker = PodWorker(self, pod)
            self.workers[uid] = worker
            self.by_key[key] = uid
            worker.begin()
        if worker.pod is not pod and worker.pod.get("spec") is not pod.get("spec") and not worker.terminating:
            worker.spec_changed(pod)
        worker.pod = pod
        if pod["metadata"].get("deletionTimestamp") and not worker.terminating:
            grace = pod["metadata"].get("deletionGracePeriodSeconds")
            worker.terminate(float(grace if grace is not None else 30))
            if worker.finished:
                return
        self.publish(worker, pod)

    def publish(self, worker: PodWorker, pod: dict) -> None:
        current = pod.get("status") or {}
        status = worker.status(current)
        if status != current:
            new = dict(pod)
            new["status"] = status
            self.cluster.write_status("pods", new)

    def finish(self, worker: PodWorker) -> None:
        """All containers of a deleted pod stopped: final status, then the pod object goes away."""
        if worker.finished:
            return
        pod = self.cluster.store.get("pods", *worker.key)
        if pod is not None and pod["metadata"].get("uid") == worker.uid:
            worker.sandbox_ready = False
            self.publish(worker, pod)
            worker.finished = True
            if not pod["metadata"].get("finalizers"):
                self.cluster.remove_now("pods", *worker.key)
            else:
                self.done.add(worker.uid)
        worker.finished = True
        self.forget(worker.uid)

    def forget(self, uid: str) -> None:
        worker = self.workers.pop(uid, None)
        if worker is None:
            return
        worker.finished = True
        if worker.timer is not None:
            worker.timer.cancel()
        for c in worker.all_containers:
            c.cancel()
            if c.rt is not None and c.rt.running:
                c.rt.on_exit = None
                c.rt.kill()
        if self.by_key.get(worker.key) == uid:
            del self.by_key[worker.key]
        self.runtime.forget_pod(uid)
        if worker.pod_ip and not worker.host_network:
            self.release_ip(worker.pod_ip)

    # ------------------------------------------------------------------ services for the workers
    def allocate_ip(self, node: str) -> str:
        net = getattr(self.cluster, "network", None)
        alloc = getattr(net, "allocate_pod_ip", None)
        if alloc is not None:
            return alloc(node)
        if self._ipam is None:
            from sandbox.network.addresses import PodIPAM

            self._ipam = PodIPAM(self.cluster.rng)
        if self._ipam.cidr(node) is None:
            info = self.cluster.nodes_info.get(node)
            self._ipam.add_node(node, info.pod_cidr if info is not None else "10.244.250.0/24")
        return self._ipam.allocate(node)

    def release_ip(self, ip: str) -> None:
        net = getattr(self.cluster, "network", None)
        release = getattr(net, "release_pod_ip", None)
        if release is not None:
            release(ip)
        if self._ipam is not None:
            self._ipam.release(ip)

    def services_for(self, namespace: str) -> list[dict]:
        store = self.cluster.store
        out = list(store.iter("services", namespace))
        if namespace != "default":
            k = store.get("services", "default", "kubernetes")
            if k is not None:
                out.append(k)
        return out

    def links_for(self, namespace: str, enabled: bool) -> dict[str, str]:
        """The namespace's service-link variables now: one shared read-only dict until a Service changes."""
        gen = (self.svc_gen.get(namespace, 0), self.svc_gen.get("default", 0))
        cached = self._links.get((namespace, enabled))
        if cached is not None and cached[0] == gen:
            return cached[1]
        links = service_links(self.services_for(namespace), namespace, enabled)
        self._links[(namespace, enabled)] = (gen, links)
        return links

    def lookup(self, resource: str, namespace: str, name: str) -> dict | None:
        return self.cluster.store.get(resource, namespace, name)
