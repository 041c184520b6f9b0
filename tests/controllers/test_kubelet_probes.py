"""Probes ask what the container really serves: 200-399 passes, a 404 path or a closed port fails."""

from sandbox.cluster import Cluster
from tests.controllers.test_kubelet import cstate, events, pod, status


def probe_pod(name, probe_kind, probe, image="nginx", **container):
    p = pod(name, image=image, node="node01", **container)
    p["spec"]["containers"][0][f"{probe_kind}Probe"] = probe
    return p


def ready(c, name):
    return next(x["status"] for x in status(c, name)["conditions"] if x["type"] == "Ready") == "True"


def test_readiness_passes_on_a_served_path_after_the_initial_delay():
    c = Cluster(seed=21)
    c.create(probe_pod("web", "readiness", {"httpGet": {"path": "/", "port": 80}, "initialDelaySeconds": 5,
                                            "periodSeconds": 10}))
    c.tick(6)
    assert status(c, "web")["phase"] == "Running" and not cstate(c, "web")["ready"]
    cond = next(x for x in status(c, "web")["conditions"] if x["type"] == "Ready")
    assert cond["reason"] == "ContainersNotReady" and cond["message"] == "containers with unready status: [web]"
    started = c.clock.seconds
    assert c.advance_until(lambda: ready(c, "web"), timeout=15, step=0.5)
    assert 3 <= c.clock.seconds - started <= 11                  # first tick at 10s after container start
    uid = c.get("pods", "default", "web")["metadata"]["uid"]
    assert c.runtime.container(uid, "web").logs()[-1].endswith('"GET / HTTP/1.1" 200 615 "-" "kube-probe/1.37" "-"')


def test_readiness_on_a_path_the_app_does_not_serve_fails_with_404():
    c = Cluster(seed=22)
    c.create(probe_pod("web", "readiness", {"httpGet": {"path": "/healthz", "port": 80}, "periodSeconds": 5}))
    c.tick(30)
    assert status(c, "web")["phase"] == "Running" and not ready(c, "web")
    unhealthy = [e for e in events(c, "web") if e[1] == "Unhealthy"]
    assert unhealthy[0][:3] == ("Warning", "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 404")
    assert unhealthy[0][3] >= 5
    assert cstate(c, "web")["restartCount"] == 0                 # readiness never restarts


def test_readiness_on_a_port_nothing_listens_on_is_refused():
    c = Cluster(seed=23)
    c.create(probe_pod("web", "readiness", {"httpGet": {"path": "/", "port": 8080}, "periodSeconds": 5}))
    c.tick(12)
    ip = status(c, "web")["podIP"]
    msgs = {e[2] for e in events(c, "web") if e[1] == "Unhealthy"}
    assert msgs == {f'Readiness probe failed: Get "http://{ip}:8080/": dial tcp {ip}:8080: connect: connection refused'}
    c2 = Cluster(seed=24)
    c2.create(probe_pod("web", "readiness", {"tcpSocket": {"port": 81}, "periodSeconds": 5}))
    c2.tick(12)
    ip = status(c2, "web")["podIP"]
    assert {e[2] for e in events(c2, "web") if e[1] == "Unhealthy"} == {
        f"Readiness probe failed: dial tcp {ip}:81: connect: connection refused"}


def test_named_probe_port_and_tcp_success():
    c = Cluster(seed=25)
    c.create(probe_pod("web", "readiness", {"tcpSocket": {"port": "http"}, "periodSeconds": 5},
                       ports=[{"name": "http", "containerPort": 80}]))
    c.tick(10)
    assert ready(c, "web")


def test_liveness_failure_restarts_the_container():
    c = Cluster(seed=26)
    c.create(probe_pod("web", "liveness", {"httpGet": {"path": "/nope", "port": 80}, "periodSeconds": 3,
                                           "failureThreshold": 3}))
    assert c.advance_until(lambda: cstate(c, "web")["restartCount"] == 1, timeout=20, step=0.25)
    evs = events(c, "web")
    assert ("Normal", "Killing", "Container web failed liveness probe, will be restarted") in [e[:3] for e in evs]
    cs = cstate(c, "web")
    assert cs["lastState"]["terminated"]["reason"] == "Completed"     # nginx exits 0 on SIGQUIT
    assert c.advance_until(lambda: ready(c, "web"), timeout=3, step=0.25)   # restarted at once the first time
    # killed again after three more failures (9s): now it backs off
    assert c.advance_until(lambda: "waiting" in cstate(c, "web")["state"], timeout=15, step=0.25)
    assert cstate(c, "web")["state"]["waiting"]["reason"] == "CrashLoopBackOff"


def test_exec_liveness_the_docs_example():
    c = Cluster(seed=27)
    c.create(probe_pod("liveness-exec", "liveness",
                       {"exec": {"command": ["cat", "/tmp/healthy"]}, "initialDelaySeconds": 5, "periodSeconds": 5},
                       image="registry.k8s.io/busybox", cname="liveness",
                       args=["/bin/sh", "-c", "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600"]))
    c.tick(20)
    assert not [e for e in events(c, "liveness-exec") if e[1] == "Unhealthy"]
    c.tick(40)
    evs = [e[:3] for e in events(c, "liveness-exec")]
    assert ("Warning", "Unhealthy", "Liveness probe failed: cat: can't open '/tmp/healthy': No such file or "
            "directory") in evs
    assert ("Normal", "Killing", "Container liveness failed liveness probe, will be restarted") in evs
    c.tick(40)
    assert cstate(c, "liveness-exec")["restartCount"] >= 1


def test_startup_probe_gates_readiness():
    c = Cluster(seed=28)
    p = probe_pod("web", "startup", {"httpGet": {"path": "/", "port": 80}, "periodSeconds": 10,
                                     "failureThreshold": 30})
    c.create(p)
    c.tick(5)
    cs = cstate(c, "web")
    assert cs["state"].get("running") and cs["started"] and cs["ready"]   # startup passes at the first tick (t=0)
    c2 = Cluster(seed=29)
    c2.create(probe_pod("web", "startup", {"httpGet": {"path": "/", "port": 9999}, "periodSeconds": 2,
                                           "failureThreshold": 3}))
    c2.tick(12)
    evs = [e[:3] for e in events(c2, "web")]
    assert ("Normal", "Killing", "Container web failed startup probe, will be restarted") in evs


def test_exec_probe_timeout_comes_from_the_probe():
    c = Cluster(seed=30)
    c.create(probe_pod("slow", "readiness", {"exec": {"command": ["sh", "-c", "sleep 3"]}, "timeoutSeconds": 1,
                                             "periodSeconds": 5}, image="busybox", command=["sleep", "3600"]))
    c.tick(10)
    assert ("Warning", "Unhealthy", 'Readiness probe failed: command "sh -c sleep 3" timed out') in [
        e[:3] for e in events(c, "slow")]
    c.create(probe_pod("ok", "readiness", {"exec": {"command": ["sh", "-c", "sleep 3"]}, "timeoutSeconds": 5,
                                           "periodSeconds": 5}, image="busybox", command=["sleep", "3600"]))
    c.tick(10)
    assert ready(c, "ok")
