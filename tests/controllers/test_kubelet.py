"""The kubelet on the real engine: lifecycle timing and events, pulls, restarts, termination, env."""

from sandbox.cluster import Cluster


def pod(name, image="nginx", labels=None, node=None, **container):
    c = {"name": container.pop("cname", name.split("-")[0]), "image": image, **container}
    spec = {"containers": [c]}
    if node:
        spec["nodeName"] = node
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "labels": labels or {"app": name}},
            "spec": spec}


def events(cluster, name):
    evs = [e for e in cluster.list("events", "default") if e["involvedObject"]["name"] == name]
    evs.sort(key=lambda e: (e["firstTimestamp"], int(e["metadata"]["resourceVersion"])))
    return [(e["type"], e["reason"], e["message"], e.get("count", 1)) for e in evs]


def status(cluster, name):
    return cluster.get("pods", "default", name)["status"]


def cstate(cluster, name):
    return status(cluster, name)["containerStatuses"][0]


def test_pod_goes_pending_creating_running_with_kubelet_events():
    c = Cluster(seed=3)
    c.create(pod("web", node="node01"))
    st = status(c, "web")
    assert st["phase"] == "Pending" and st["qosClass"] == "BestEffort" and st["hostIP"] == "172.30.2.2"
    assert cstate(c, "web")["state"] == {"waiting": {"reason": "ContainerCreating"}}
    assert cstate(c, "web")["image"] == "nginx" and cstate(c, "web")["imageID"] == ""
    c.tick(1)
    assert status(c, "web")["podIP"].startswith("10.244.1.")
    assert c.advance_until(lambda: status(c, "web")["phase"] == "Running", timeout=10, step=0.5)
    cs = cstate(c, "web")
    assert cs["ready"] and cs["started"] and cs["restartCount"] == 0
    assert cs["image"] == "docker.io/library/nginx:latest"
    assert cs["containerID"].startswith("containerd://") and len(cs["containerID"]) == 13 + 64
    conds = {x["type"]: x["status"] for x in status(c, "web")["conditions"]}
    assert conds == {"PodReadyToStartContainers": "True", "Initialized": "True", "Ready": "True",
                     "ContainersReady": "True", "PodScheduled": "True"}
    evs = events(c, "web")
    assert [e[1] for e in evs] == ["Pulling", "Pulled", "Created", "Started"]
    assert evs[0][2] == 'Pulling image "nginx"'
    pulled = evs[1][2]
    assert pulled.startswith('Successfully pulled image "nginx" in ') and pulled.endswith(
        f"including waiting). Image size: {c.runtime.container(c.get('pods', 'default', 'web')['metadata']['uid'], 'web').image.size} bytes.")
    assert evs[2][2] == "Created container: web" and evs[3][2] == "Started container web"
    ev = next(e for e in c.list("events", "default") if e["reason"] == "Started")
    assert ev["involvedObject"]["fieldPath"] == "spec.containers{web}"
    assert ev["source"] == {"component": "kubelet", "host": "node01"}


def test_second_pod_with_if_not_present_finds_the_image():
    c = Cluster(seed=4)
    c.create(pod("a", image="nginx:1.27.4", node="node02"))
    c.tick(10)
    c.create(pod("b", image="nginx:1.27.4", node="node02"))
    c.tick(3)
    assert [e[2] for e in events(c, "b")][:1] == ['Container image "nginx:1.27.4" already present on machine']
    assert status(c, "b")["phase"] == "Running"
    c.create(pod("d", image="nginx", node="node02"))          # :latest -> Always: pulls again, quickly
    c.tick(1)
    c.create(pod("e", image="nginx", node="node02"))
    c.tick(10)
    msgs = [e[2] for e in events(c, "e")]
    assert msgs[0] == 'Pulling image "nginx"' and "including waiting" in msgs[1]


def test_unknown_image_err_image_pull_then_back_off():
    c = Cluster(seed=5)
    c.create(pod("typo", image="ngnix", node="node01"))
    c.tick(2.5)
    cs = cstate(c, "typo")
    assert cs["state"]["waiting"]["reason"] in ("ErrImagePull", "ImagePullBackOff")
    c.tick(1)
    cs = cstate(c, "typo")
    assert cs["state"] == {"waiting": {"reason": "ImagePullBackOff", "message": (
        'Back-off pulling image "ngnix": ErrImagePull: rpc error: code = Unknown desc = failed to pull and unpack '
        'image "docker.io/library/ngnix:latest": failed to resolve reference "docker.io/library/ngnix:latest": '
        "pull access denied, repository does not exist or may require authorization: server message: "
        "insufficient_scope: authorization failed")}}
    assert status(c, "typo")["phase"] == "Pending"
    evs = events(c, "typo")
    assert evs[1] == ("Warning", "Failed", 'Failed to pull image "ngnix": rpc error: code = Unknown desc = failed '
                      'to pull and unpack image "docker.io/library/ngnix:latest": failed to resolve reference '
                      '"docker.io/library/ngnix:latest": pull access denied, repository does not exist or may '
                      "require authorization: server message: insufficient_scope: authorization failed", 1)
    assert evs[2] == ("Warning", "Failed", "Error: ErrImagePull", 1)
    assert evs[3] == ("Normal", "BackOff", 'Back-off pulling image "ngnix"', 1)
    assert evs[4] == ("Warning", "Failed", "Error: ImagePullBackOff", 1)
    c.tick(60)
    counts = {e[2]: e[3] for e in events(c, "typo")}
    assert counts['Pulling image "ngnix"'] == 3          # t=0, +10s, +20s back-off (then 40s)


def test_command_that_exits_crash_loops_with_doubling_back_off():
    c = Cluster(seed=6)
    c.create(pod("crash", image="busybox", node="node01", command=["sh", "-c", "echo boom; exit 3"]))
    c.tick(5)
    cs = cstate(c, "crash")
    # first exit: restarted at once; second exit: back-off 10s
    assert cs["restartCount"] == 1
    assert cs["state"]["waiting"]["reason"] == "CrashLoopBackOff"
    uid = c.get("pods", "default", "crash")["metadata"]["uid"]
    assert cs["state"]["waiting"]["message"] == (
        f"back-off 10s restarting failed container=crash pod=crash_default({uid})")
    assert cs["lastState"]["terminated"]["exitCode"] == 3 and cs["lastState"]["terminated"]["reason"] == "Error"
    assert status(c, "crash")["phase"] == "Running"
    c.tick(11)
    assert cstate(c, "crash")["restartCount"] == 2
    assert cstate(c, "crash")["state"]["waiting"]["message"].startswith("back-off 20s")
    c.tick(600)
    assert cstate(c, "crash")["state"]["waiting"]["message"].startswith("back-off 5m0s")
    backoff = [e for e in events(c, "crash") if e[1] == "BackOff"]
    assert backoff and backoff[0][2] == f"Back-off restarting failed container crash in pod crash_default({uid})"
    rt = c.runtime.container(uid, "crash")
    assert rt.logs() == ["boom"] and c.runtime.previous(uid, "crash").logs() == ["boom"]


def test_restart_policy_never_and_on_failure():
    c = Cluster(seed=7)
    p = pod("once", image="busybox", node="node01", command=["sh", "-c", "sleep 2; echo done"])
    p["spec"]["restartPolicy"] = "Never"
    c.create(p)
    c.tick(8)
    st = status(c, "once")
    assert st["phase"] == "Succeeded"
    term = st["containerStatuses"][0]["state"]["terminated"]
    assert term["exitCode"] == 0 and term["reason"] == "Completed"
    ready = next(x for x in st["conditions"] if x["type"] == "Ready")
    assert ready["status"] == "False" and ready["reason"] == "PodCompleted"
    p = pod("fail", image="busybox", node="node01", command=["false"])
    p["spec"]["restartPolicy"] = "Never"
    c.create(p)
    c.tick(8)
    assert status(c, "fail")["phase"] == "Failed"
    p = pod("retry", image="busybox", node="node01", command=["false"])
    p["spec"]["restartPolicy"] = "OnFailure"
    c.create(p)
    c.tick(8)
    assert status(c, "retry")["phase"] == "Running" and cstate(c, "retry")["restartCount"] >= 1


def test_missing_binary_is_a_start_error():
    c = Cluster(seed=8)
    c.create(pod("nocurl", image="busybox", node="node01", command=["curl", "http://web"]))
    c.tick(6)
    cs = cstate(c, "nocurl")
    term = cs["lastState"]["terminated"]
    assert term["reason"] == "StartError" and term["exitCode"] == 128
    assert term["message"].endswith('exec: "curl": executable file not found in $PATH: unknown')
    assert ("Warning", "Failed", "Error: " + term["message"]) in [e[:3] for e in events(c, "nocurl")]


def test_deletion_waits_for_the_program_within_the_grace_period():
    c = Cluster(seed=9)
    c.create(pod("web", node="node01"))
    c.create(pod("sleeper", image="busybox", node="node01", command=["sleep", "3600"]))
    c.tick(10)
    c.delete("pods", "default", "web")
    c.delete("pods", "default", "sleeper")
    assert ("Normal", "Killing", "Stopping container web", 1) in events(c, "web")
    c.tick(1)
    assert c.store.get("pods", "default", "web") is None          # nginx quits on SIGQUIT at once
    c.tick(27)
    assert c.store.get("pods", "default", "sleeper") is not None  # sleep as PID 1 ignores SIGTERM
    c.tick(3)
    assert c.store.get("pods", "default", "sleeper") is None
    c.create(pod("quick", image="busybox", node="node01", command=["sleep", "3600"]))
    c.tick(10)
    c.delete("pods", "default", "quick", grace_period=0)
    assert c.store.get("pods", "default", "quick") is None


def test_service_links_are_a_snapshot_at_container_start():
    c = Cluster(seed=10)
    c.create(pod("early", image="bretfisher/httpenv", node="node01"))
    c.tick(6)
    c.create({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "httpenv"},
              "spec": {"selector": {"app": "early"}, "ports": [{"port": 8888}]}})
    c.create(pod("late", image="bretfisher/httpenv", node="node01"))
    c.tick(6)
    early = c.runtime.container(c.get("pods", "default", "early")["metadata"]["uid"], "early")
    late = c.runtime.container(c.get("pods", "default", "late")["metadata"]["uid"], "late")
    assert "HTTPENV_SERVICE_HOST" not in early.env and "KUBERNETES_SERVICE_HOST" in early.env
    ip = c.get("services", "default", "httpenv")["spec"]["clusterIP"]
    assert late.env["HTTPENV_SERVICE_HOST"] == ip and late.env["HTTPENV_PORT"] == f"tcp://{ip}:8888"
    assert late.env["HOSTNAME"] == "late"
    assert late.read_file("/etc/resolv.conf") == ("search default.svc.cluster.local svc.cluster.local "
                                                  "cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n")
    assert late.read_file("/etc/hosts").endswith(f"{late.pod_ip}\tlate\n")


def test_configmap_volume_files():
    c = Cluster(seed=11)
    c.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "page"},
              "data": {"index.html": "custom page\n"}})
    p = pod("web", node="node01", volumeMounts=[{"name": "html", "mountPath": "/usr/share/nginx/html"}])
    p["spec"]["volumes"] = [{"name": "html", "configMap": {"name": "page"}}]
    c.create(p)
    c.tick(6)
    rt = c.runtime.container(c.get("pods", "default", "web")["metadata"]["uid"], "web")
    assert rt.read_file("/usr/share/nginx/html/index.html") == "custom page\n"


def test_pre_stop_sleep_delays_sigterm_and_keeps_the_endpoint_terminating():
    c = Cluster(seed=12)
    c.create(pod("web", node="node01", lifecycle={"preStop": {"exec": {"command": ["sh", "-c", "sleep 15"]}}}))
    c.tick(8)
    c.delete("pods", "default", "web")
    c.tick(14)
    assert c.store.get("pods", "default", "web") is not None
    c.tick(2)
    assert c.store.get("pods", "default", "web") is None          # SIGTERM at 15s, nginx quits at once
    c.create(pod("slow", node="node01", lifecycle={"preStop": {"sleep": {"seconds": 60}}}))
    c.tick(8)
    c.delete("pods", "default", "slow", grace_period=10)
    c.tick(9)
    assert c.store.get("pods", "default", "slow") is not None
    c.tick(2)
    assert c.store.get("pods", "default", "slow") is None         # the grace period caps the hook


def test_changing_a_pods_image_restarts_the_container():
    c = Cluster(seed=13)
    c.create(pod("web", image="nginx:1.27.4", node="node01"))
    c.tick(8)
    c.patch("pods", "default", "web", {"spec": {"containers": [{"name": "web", "image": "nginx:1.26.3"}]}})
    assert ("Normal", "Killing", "Container web definition changed, will be restarted") in [
        e[:3] for e in events(c, "web")]
    c.tick(10)
    cs = cstate(c, "web")
    assert cs["restartCount"] == 1 and cs["image"] == "docker.io/library/nginx:1.26.3" and cs["ready"]
    c.create(pod("typo", image="ngnix", node="node01"))
    c.tick(5)
    c.patch("pods", "default", "typo", {"spec": {"containers": [{"name": "typo", "image": "nginx:1.27.4"}]}})
    c.tick(3)
    assert cstate(c, "typo")["state"].get("running") and cstate(c, "typo")["restartCount"] == 0


def test_logs_text_and_timestamps():
    c = Cluster(seed=14)
    c.create(pod("ticker", image="busybox", node="node01",
                 command=["sh", "-c", "while true; do echo tick; sleep 2.5; done"]))
    c.tick(10)
    rt = c.runtime.container(c.get("pods", "default", "ticker")["metadata"]["uid"], "ticker")
    text = rt.log_text()
    assert set(text.splitlines()) == {"tick"} and len(text.splitlines()) >= 3
    first = rt.log_entries[0][0]
    stamped = rt.log_text(timestamps=True, tail=2).splitlines()
    assert len(stamped) == 2 and stamped[0].endswith("Z tick") and stamped[0].startswith("2026-11-22T06:00:")
    assert rt.log_text(since=first + 2.6).count("tick") == len(text.splitlines()) - 2


def test_init_containers_run_in_order_before_the_app():
    c = Cluster(seed=15)
    p = pod("app", image="busybox", node="node01", command=["sleep", "3600"])
    p["spec"]["initContainers"] = [
        {"name": "wait", "image": "busybox", "command": ["sh", "-c", "sleep 5"]},
        {"name": "setup", "image": "busybox", "command": ["sh", "-c", "echo prepared"]}]
    c.create(p)
    c.tick(3)
    st = status(c, "app")
    assert st["phase"] == "Pending"
    init = next(x for x in st["conditions"] if x["type"] == "Initialized")
    assert init["status"] == "False" and init["reason"] == "ContainersNotInitialized"
    assert init["message"] == "containers with incomplete status: [wait setup]"
    assert st["initContainerStatuses"][0]["state"].get("running") or st["initContainerStatuses"][0]["state"].get("waiting")
    assert st["initContainerStatuses"][1]["state"] == {"waiting": {"reason": "PodInitializing"}}
    assert st["containerStatuses"][0]["state"] == {"waiting": {"reason": "PodInitializing"}}
    c.tick(10)
    st = status(c, "app")
    assert st["phase"] == "Running"
    assert [x["state"]["terminated"]["reason"] for x in st["initContainerStatuses"]] == ["Completed", "Completed"]
    assert all(x["ready"] for x in st["initContainerStatuses"])
    fields = [e["involvedObject"].get("fieldPath") for e in c.list("events", "default") if e["reason"] == "Started"]
    assert fields == ["spec.initContainers{wait}", "spec.initContainers{setup}", "spec.containers{app}"]


def test_failing_init_container_retries_or_fails_the_pod():
    c = Cluster(seed=16)
    p = pod("app", node="node01")
    p["spec"]["initContainers"] = [{"name": "check", "image": "busybox", "command": ["sh", "-c", "exit 1"]}]
    c.create(p)
    c.tick(20)
    st = status(c, "app")
    assert st["phase"] == "Pending" and st["initContainerStatuses"][0]["restartCount"] >= 1
    assert st["initContainerStatuses"][0]["state"]["waiting"]["reason"] == "CrashLoopBackOff"
    never = pod("once", node="node01")
    never["spec"]["restartPolicy"] = "Never"
    never["spec"]["initContainers"] = [{"name": "check", "image": "busybox", "command": ["false"]}]
    c.create(never)
    c.tick(10)
    assert status(c, "once")["phase"] == "Failed"


def test_nginx_reads_a_mounted_config():
    c = Cluster(seed=17)
    conf = "server {\n    listen 8080;\n    root /srv/www;\n    location / { index index.html; }\n}\n"
    c.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "conf"}, "data": {"site.conf": conf}})
    c.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "www"},
              "data": {"index.html": "alt\n", "other": "x"}})
    p = pod("web", node="node01", volumeMounts=[{"name": "conf", "mountPath": "/etc/nginx/conf.d"},
                                                {"name": "www", "mountPath": "/srv/www/index.html",
                                                 "subPath": "index.html"}])
    p["spec"]["volumes"] = [{"name": "conf", "configMap": {"name": "conf"}},
                            {"name": "www", "configMap": {"name": "www"}}]
    c.create(p)
    c.tick(8)
    rt = c.runtime.container(c.get("pods", "default", "web")["metadata"]["uid"], "web")
    assert rt.read_file("/etc/nginx/conf.d/default.conf") is None          # hidden by the mount
    assert set(rt.listeners()) == {("TCP", 8080)}
    from sandbox.workloads.http import HttpRequest
    resp = rt.listeners()[("TCP", 8080)].handle_http(HttpRequest(path="/", server_port=8080, client_ip="1.2.3.4"))
    assert resp.status == 200 and resp.body == "alt\n"


def test_pod_bound_to_a_missing_node_is_not_run():
    c = Cluster(seed=18)
    c.create(pod("ghost", node="node99"))        # the pod GC removes such orphans; no kubelet ever runs it
    c.tick(10)
    assert c.controllers.get("kubelet").workers.keys().isdisjoint(
        {p["metadata"]["uid"] for p in c.list("pods", "default")}) or c.store.get("pods", "default", "ghost") is None
    assert not any(e["reason"] == "Pulling" for e in c.list("events", "default"))


def test_same_seed_same_history():
    def run():
        c = Cluster(seed=19)
        c.create(pod("a", node="node01"))
        c.create(pod("b", image="busybox", node="node02", command=["sh", "-c", "echo x; exit 1"]))
        c.create({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "a"},
                  "spec": {"selector": {"app": "a"}, "ports": [{"port": 80}]}})
        c.tick(45)
        uid = c.get("pods", "default", "a")["metadata"]["uid"]
        return c.dump(), c.runtime.container(uid, "a").env_list, c.runtime.container(uid, "a").container_id
    assert run() == run()


def test_finalizer_holds_a_stopped_pod_until_removed():
    c = Cluster(seed=20)
    p = pod("held", node="node01")
    p["metadata"]["finalizers"] = ["example.com/hold"]
    c.create(p)
    c.tick(8)
    c.delete("pods", "default", "held")
    c.tick(5)
    st = status(c, "held")
    assert st["containerStatuses"][0]["state"].get("terminated") and st["phase"] == "Succeeded"
    c.patch("pods", "default", "held", {"metadata": {"finalizers": None}})
    assert c.store.get("pods", "default", "held") is None


def test_missing_configmap_volume_keeps_the_pod_creating():
    c = Cluster(seed=21)
    p = pod("web", node="node01", volumeMounts=[{"name": "html", "mountPath": "/usr/share/nginx/html"}])
    p["spec"]["volumes"] = [{"name": "html", "configMap": {"name": "page"}}]
    c.create(p)
    c.tick(20)
    st = status(c, "web")
    assert st["phase"] == "Pending" and "podIP" not in st
    assert st["containerStatuses"][0]["state"] == {"waiting": {"reason": "ContainerCreating"}}
    failed = [e for e in events(c, "web") if e[1] == "FailedMount"]
    assert failed[0][:3] == ("Warning", "FailedMount",
                             'MountVolume.SetUp failed for volume "html" : configmap "page" not found')
    assert failed[0][3] >= 4
    c.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "page"}, "data": {"index.html": "x"}})
    assert c.advance_until(lambda: status(c, "web")["phase"] == "Running", timeout=30)


def test_missing_configmap_key_is_a_create_container_config_error():
    c = Cluster(seed=22)
    c.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg"}, "data": {"mode": "dev"}})
    c.create(pod("app", image="busybox", node="node01", command=["sleep", "3600"],
                 env=[{"name": "LEVEL", "valueFrom": {"configMapKeyRef": {"name": "cfg", "key": "level"}}}]))
    c.tick(8)
    cs = cstate(c, "app")
    assert cs["state"] == {"waiting": {"reason": "CreateContainerConfigError",
                                       "message": "couldn't find key level in ConfigMap default/cfg"}}
    assert ("Warning", "Failed", "Error: couldn't find key level in ConfigMap default/cfg") in [
        e[:3] for e in events(c, "app")]
    c.patch("configmaps", "default", "cfg", {"data": {"level": "debug"}})
    c.tick(12)
    uid = c.get("pods", "default", "app")["metadata"]["uid"]
    assert cstate(c, "app")["state"].get("running") and c.runtime.container(uid, "app").env["LEVEL"] == "debug"
    c.create(pod("app2", image="busybox", node="node01", command=["sleep", "3600"],
                 envFrom=[{"configMapRef": {"name": "nope"}}]))
    c.tick(8)
    assert cstate(c, "app2")["state"]["waiting"]["message"] == 'configmap "nope" not found'


def test_a_dead_container_shows_terminated_until_its_immediate_restart():
    c = Cluster(seed=23)
    c.create(pod("once", image="busybox", node="node01", command=["sh", "-c", "exit 2"]))
    assert c.advance_until(lambda: "terminated" in cstate(c, "once")["state"], timeout=10, step=0.1)
    cs = cstate(c, "once")
    assert cs["state"]["terminated"]["exitCode"] == 2 and cs["state"]["terminated"]["reason"] == "Error"
    assert cs["lastState"] == {} and cs["restartCount"] == 0 and status(c, "once")["phase"] == "Running"
    assert c.advance_until(lambda: cstate(c, "once")["restartCount"] == 1, timeout=3, step=0.1)
    assert cstate(c, "once")["lastState"]["terminated"]["exitCode"] == 2
