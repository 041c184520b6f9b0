import math

from sandbox.api.clock import Clock
from sandbox.workloads.images import image_info
from sandbox.workloads.programs import container_argv, interpret, start_error_message
from tests.workloads.kit import make_pod, start


def run(image, clock=None, **container):
    clock = clock or Clock()
    return start(make_pod("job", image, **container), clock=clock), clock


def test_argv_follows_docker_rules():
    nginx = image_info("nginx")
    assert container_argv(nginx, {}) == ["/docker-entrypoint.sh", "nginx", "-g", "daemon off;"]
    assert container_argv(nginx, {"args": ["sleep", "1"]}) == ["/docker-entrypoint.sh", "sleep", "1"]
    assert container_argv(nginx, {"command": ["sleep"], "args": ["5"]}) == ["sleep", "5"]


def test_exit_codes_and_logs():
    rt, clock = run("busybox", command=["sh", "-c", "echo hello; echo oops >&2; exit 3"])
    assert rt.exits == [3] and rt.logs() == ["hello", "oops"]
    rt, _ = run("busybox", command=["false"])
    assert rt.exits == [1]
    rt, _ = run("busybox", args=["echo", "hi"])
    assert rt.exits == [0] and rt.logs() == ["hi"]
    rt, _ = run("busybox")                     # sh with no stdin: EOF at once
    assert rt.exits == [0]
    rt, _ = run("busybox", stdin=True, tty=True)
    assert rt.exits == [] and rt.running


def test_sleep_and_loops_on_virtual_time():
    rt, clock = run("busybox", command=["sleep", "10"])
    clock.advance(9.9)
    assert rt.exits == []
    clock.advance(0.2)
    assert rt.exits == [0]
    rt, clock = run("busybox", command=["sh", "-c", "while true; do echo tick $HOSTNAME; sleep 5; done"])
    clock.advance(12)
    assert rt.logs() == ["tick job", "tick job", "tick job"] and rt.running
    rt, clock = run("busybox", command=["sh", "-c", "sleep infinity"])
    clock.advance(1e6)
    assert rt.running
    rt, clock = run("busybox", args=["tail", "-f", "/dev/null"])
    assert rt.program.exit_after is None and math.isinf(rt.program.seconds)
    rt, clock = run("busybox", command=["sh", "-c", "while true; do :; done"])
    assert rt.running                          # a busy loop spins forever without hanging the lab


def test_files_for_exec_probes():
    rt, clock = run("busybox", args=["/bin/sh", "-c", "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600"])
    assert rt.read_file("/tmp/healthy") == ""
    clock.advance(31)
    assert rt.read_file("/tmp/healthy") is None
    rt, _ = run("busybox", command=["sh", "-c", "echo ready > /tmp/state; if [ -f /tmp/state ]; then exit 4; fi"])
    assert rt.read_file("/tmp/state") == "ready\n" and rt.exits == [4]


def test_missing_binaries():
    assert start_error_message("curl") == (
        "failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create "
        'failed: unable to start container process: error during container init: exec: "curl": executable file '
        "not found in $PATH: unknown")
    prog = interpret(image_info("busybox"), ["curl", "http://x"], {})
    assert prog.start_error == start_error_message("curl")
    assert interpret(image_info("busybox"), ["/app/run"], {}).start_error.endswith(
        'exec: "/app/run": stat /app/run: no such file or directory: unknown')
    rt, _ = run("busybox", command=["sh", "-c", "curl http://web"])
    assert rt.exits == [127] and rt.logs() == ["sh: curl: not found"]
    rt, _ = run("ubuntu", command=["bash", "-c", "ping -c1 web; exit 2"])
    assert rt.logs() == ["bash: line 1: ping: command not found"] and rt.exits == [2]
    rt, _ = run("ubuntu", command=["bash", "-c", "curl http://web"])
    assert rt.logs() == ["bash: curl: command not found"] and rt.exits == [127]
    rt, _ = run("nginx", command=["sh", "-c", "nslookup web"])
    assert rt.logs() == ["sh: 1: nslookup: not found"]


def test_curl_image_entrypoint():
    prog = interpret(image_info("curlimages/curl"), ["/entrypoint.sh"], {})
    assert prog.argv == ["curl"]
    prog = interpret(image_info("curlimages/curl"), ["/entrypoint.sh", "-s", "http://web"], {})
    assert prog.argv == ["curl", "-s", "http://web"]
    prog = interpret(image_info("curlimages/curl"), ["/entrypoint.sh", "sh"], {"stdin": True})
    assert prog.name == "sh"


def test_termination_behaviour():
    rt, clock = run("nginx")
    rt.terminate(30)
    clock.advance(0.3)
    assert rt.exits == [0] and "signal 3 (SIGQUIT) received, shutting down" in rt.logs()[-7]
    rt, clock = run("busybox", command=["sleep", "3600"])
    rt.terminate(30)
    clock.advance(29)
    assert rt.exits == []
    clock.advance(1.5)
    assert rt.exits == [137]
    rt, clock = run("busybox", command=["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"])
    clock.advance(2)
    rt.terminate(30)
    assert rt.exits == [0]


def test_exec_runner_output_and_elapsed_time():
    from sandbox.workloads import minish

    calls = []

    def runner(rt, argv, stdin):
        calls.append(argv)
        if argv[0] == "wget":
            return 1, "", "wget: download timed out\n", 5.0
        return 0, "ok\n", ""

    minish.set_exec_runner(runner)
    try:
        rt, clock = run("busybox", command=["sh", "-c", "wget -T 5 http://x; nslookup web; exit 0"])
        assert rt.logs() == [] and rt.exits == []          # wget is still waiting for its timeout
        clock.advance(5.1)
        assert rt.logs() == ["wget: download timed out", "ok"] and rt.exits == [0]
        assert calls == [["wget", "-T", "5", "http://x"], ["nslookup", "web"]]
    finally:
        minish.set_exec_runner(None)


def test_a_runner_that_waits_does_not_move_the_clock_under_the_program():
    from sandbox.workloads import minish

    def runner(rt, argv, stdin):
        rt.clock.advance(5.0)             # what a lab `sleep` inside wget's timeout would do
        return 1, "", "wget: download timed out\n"

    minish.set_exec_runner(runner)
    try:
        rt, clock = run("busybox", command=["sh", "-c", "wget -T 5 http://x; echo after"])
        assert clock.seconds == 0.0 and rt.logs() == [] and rt.exits == []
        clock.advance(5.0)
        assert rt.logs() == ["wget: download timed out", "after"] and rt.exits == [0]
        assert "advance" not in vars(clock)
    finally:
        minish.set_exec_runner(None)


def test_process_identity_and_workdir():
    rt, _ = run("nginx")
    assert (rt.uid, rt.user, rt.workdir, rt.stdin, rt.tty) == (0, "root", "/", False, False)
    rt, _ = run("curlimages/curl", command=["sleep", "60"])
    assert (rt.uid, rt.user, rt.workdir) == (100, "curl_user", "/home/curl_user")
    rt, _ = run("busybox", command=["sleep", "60"], workingDir="/data", securityContext={"runAsUser": 1000},
                stdin=True, tty=True)
    assert (rt.uid, rt.user, rt.workdir, rt.stdin, rt.tty) == (1000, None, "/data", True, True)
