"""Sessions over a real cluster: ssh to workers, kubectl exec -it / run -it into containers, prompts,
per-image programs and shells, files shared with the container runtime, replay."""

from __future__ import annotations

import pytest

from sandbox.lab import Lab


@pytest.fixture(scope="module")
def world():
    lab = Lab(seed=7)
    for cmd in ("kubectl run bb --image=busybox --restart=Never -- sleep 3600",
                "kubectl run web --image=nginx",
                "kubectl run env --image=bretfisher/httpenv",
                "kubectl run echo --image=hashicorp/http-echo"):
        assert lab.run(cmd).exit_code == 0
    lab.run("sleep 30")
    return lab


def _r(lab: Lab, text: str) -> tuple[str, str, int]:
    res = lab.run(text)
    return res.stdout, res.stderr, res.exit_code


def test_control_plane_prompt_and_ssh(world):
    lab = world
    assert lab.prompt() == "controlplane:~$ "
    assert _r(lab, "ssh node01") == ("", "", 0)
    assert lab.prompt() == "node01:~$ "
    assert _r(lab, "hostname; kubectl get pods") == (
        "node01\n", "-bash: kubectl: command not found\n", 127)
    # exit without a number returns the last status, and ssh passes it on
    assert _r(lab, "exit") == ("", "logout\nConnection to node01 closed.\n", 127)
    assert lab.prompt() == "controlplane:~$ "
    assert _r(lab, "ssh nowhere") == ("", "ssh: Could not resolve hostname nowhere: Name or service not known\n", 255)
    assert _r(lab, "ssh node02 hostname") == ("node02\n", "", 0)
    assert _r(lab, "ssh 172.30.2.2 cat /etc/hostname") == ("node01\n", "", 0)


def test_busybox_session(world):
    lab = world
    assert _r(lab, "kubectl exec -it bb -- sh")[2] == 0
    assert lab.prompt() == "/ # "
    assert _r(lab, "curl http://web") == ("", "sh: curl: not found\n", 127)
    assert _r(lab, "cd /tmp; echo hi > f; cat f")[0] == "hi\n"
    assert lab.prompt() == "/tmp # "
    assert _r(lab, "ls nope") == ("", "ls: nope: No such file or directory\n", 1)
    assert _r(lab, "echo 'x") == ("", "sh: syntax error: unterminated quoted string\n", 2)
    assert _r(lab, "exit 0") == ("", "", 0)
    assert lab.prompt() == "controlplane:~$ "
    # files persist across exec sessions into the same container
    assert _r(lab, "kubectl exec bb -- cat /tmp/f")[0] == "hi\n"


def test_debian_bash_and_dash_sessions(world):
    lab = world
    _r(lab, "kubectl exec -it web -- bash")
    assert lab.prompt() == "root@web:/# "
    assert _r(lab, "ping x")[1] == "bash: ping: command not found\n"
    assert _r(lab, "exit") == ("", "exit\ncommand terminated with exit code 127\n", 127)
    _r(lab, "kubectl exec -it web -- sh")
    assert lab.prompt() == "# "
    assert _r(lab, "nosuch")[1] == "sh: 1: nosuch: not found\n"
    assert _r(lab, "exit 3") == ("", "command terminated with exit code 3\n", 3)
    assert _r(lab, "echo $?")[0] == "3\n"


def test_learner_edits_reach_the_container_program(world):
    lab = world
    _r(lab, "kubectl exec -it web -- bash")
    _r(lab, "echo changed > /usr/share/nginx/html/index.html")
    _r(lab, "exit")
    pod = lab.cluster.get("pods", "default", "web")
    rt = lab.cluster.runtime.container(pod["metadata"]["uid"], "web")
    assert rt.read_file("/usr/share/nginx/html/index.html") == "changed\n"


def test_exec_into_distroless_fails_like_containerd(world):
    out, err, code = _r(world, "kubectl exec -it echo -- sh")
    assert code != 0
    assert 'exec: "sh": executable file not found in $PATH' in out + err


def test_container_hostname_env_and_resolv(world):
    lab = world
    assert _r(lab, "kubectl exec bb -- hostname")[0] == "bb\n"
    assert _r(lab, "kubectl exec bb -- cat /etc/resolv.conf")[0] == (
        "search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n")
    out = _r(lab, "kubectl exec bb -- env")[0]
    assert "HOSTNAME=bb\n" in out and "KUBERNETES_SERVICE_HOST=10.96.0.1\n" in out


def test_apt_get_install_adds_the_program(world):
    lab = world
    out, err, code = _r(lab, "kubectl run u --image=ubuntu -- sleep 3600; sleep 20; kubectl exec u -- sh -c 'command -v nc'")
    assert (out, code) == ("pod/u created\n", 1)
    out, err, code = _r(lab, "kubectl exec u -- apt-get install -y netcat-openbsd")
    assert code == 0 and "Setting up netcat-openbsd" in out
    assert _r(lab, "kubectl exec u -- sh -c 'command -v nc'")[0] == "/usr/bin/nc\n"
    assert _r(lab, "kubectl exec u -- ls /usr/bin/nc")[0] == "/usr/bin/nc\n"


def test_kubectl_apply_reads_the_lab_files(world):
    lab = world
    out, err, code = _r(lab, "cat > cm.yaml <<EOF\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c1\ndata:\n"
                             "  k: v\nEOF\nkubectl apply -f cm.yaml")
    assert (out, err, code) == ("configmap/c1 created\n", "", 0)
    assert _r(lab, "kubectl apply -f nope.yaml")[2] != 0


def test_kubectl_output_through_pipes_and_substitution(world):
    lab = world
    assert _r(lab, "kubectl get pods --no-headers | awk '{print $1}' | sort | head -2")[0] == "bb\necho\n"
    assert _r(lab, "POD=$(kubectl get pod bb -o jsonpath='{.metadata.name}'); echo $POD")[0] == "bb\n"
    assert _r(lab, "kubectl get pod bb -o json | jq -r .spec.containers[0].image")[0] == "busybox\n"


def test_replay_rebuilds_the_same_state():
    lab = Lab(seed=3)
    lab.run("kubectl create deployment web --image=nginx --replicas=2")
    lab.tick(12)
    lab.run("kubectl expose deployment web --port 80")
    first = lab.run("kubectl get pods -o wide; kubectl get svc web").stdout
    again = Lab.replay(3, lab.history)
    assert again.run("kubectl get pods -o wide; kubectl get svc web").stdout == first


def test_session_ends_when_its_container_stops():
    lab = Lab(seed=4)
    lab.run("kubectl run web --image=nginx; sleep 10")
    lab.run("kubectl exec -it web -- sh")
    assert lab.prompt() == "# "
    lab.cluster.delete("pods", "default", "web")
    res = lab.run("sleep 60")
    assert res.stderr == "command terminated with exit code 137\n" and res.exit_code == 137
    assert lab.prompt() == "controlplane:~$ "


def test_current_namespace_follows_the_kubeconfig():
    lab = Lab(seed=5)
    assert lab.current_namespace() == "default"
    lab.run("kubectl create ns dev; kubectl config set-context --current --namespace=dev")
    assert lab.current_namespace() == "dev"


def test_busybox_ps_shows_the_containers_command(world):
    out = world.run("kubectl exec bb -- ps").stdout
    assert out == ("PID   USER     TIME  COMMAND\n    1 root      0:00 sleep 3600\n    7 root      0:00 ps\n")
    assert world.run("kubectl exec bb -- sh -c ps").stdout.splitlines()[2].endswith(" sh")
