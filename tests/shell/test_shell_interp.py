"""Interpreter: expansions, control flow, redirections, functions, sessions' state, budgets, interrupts."""

from __future__ import annotations

import threading
import time

import pytest


def test_quoting_and_splitting(run):
    assert run('x="a   b"; echo $x; echo "$x"; printf "[%s]" $x; echo')[0] == "a b\na   b\n[a][b]\n"
    assert run("echo '$HOME' \"$HOME\" \\$HOME")[0] == "$HOME /root $HOME\n"
    assert run("echo $'a\\tb\\n'x")[0] == "a\tb\nx\n"
    assert run('set -- "a b" c; for i in "$@"; do echo "<$i>"; done')[0] == "<a b>\n<c>\n"
    assert run('set --; for i in "$@"; do echo x; done; echo "$#"')[0] == "0\n"
    assert run('e=""; printf "[%s]" "$e" $e; echo')[0] == "[]\n"


def test_parameter_expansions(run):
    script = ('v=hello.tar.gz; echo ${#v} ${v%.*} ${v%%.*} ${v#*.} ${v##*.} ${v/l/L} ${v//l/L} ${v:1:3} ${v: -2} '
              '${v^^} ${u:-def} ${u-unset} ${e:+set} ${v:+set}; e=; echo "[${e:-empty}]" "[${e-x}]"')
    assert run(script)[0] == "12 hello.tar hello tar.gz gz heLlo.tar.gz heLLo.tar.gz ell gz HELLO.TAR.GZ def unset set\n" \
                             "[empty] []\n"
    assert run("echo ${z:=assigned}; echo $z")[0] == "assigned\nassigned\n"
    out, err, code = run("echo ${nope:?is required}")
    assert (out, err, code) == ("", "-bash: nope: is required\n", 1)
    out, err, code = run("echo ${a b}")
    assert err == "-bash: ${a b}: bad substitution\n" and code == 1


def test_special_parameters(run):
    assert run("false; echo $?; true; echo $?")[0] == "1\n0\n"
    assert run("echo $0 $$")[0] == "-bash 2840\n"
    assert run("f() { echo $# $1 $2; }; f x y")[0] == "2 x y\n"


def test_command_substitution_and_arithmetic(run):
    assert run("echo $(echo a $(echo b)) `echo c`")[0] == "a b c\n"
    assert run("x=$(printf 'l1\\nl2\\n\\n'); echo \"[$x]\"")[0] == "[l1\nl2]\n"
    assert run("i=3; echo $((i*2+1)) $(( (1+2)**3 )) $((7/2)) $((-7%3)) $((1<2 && 3>4)) $((0x10)) $((i++)) $i")[0] \
        == "7 27 3 -1 0 16 3 4\n"
    out, err, code = run("echo $((1/0))")
    assert err == '-bash: 1/0: division by 0 (error token is "0")\n' and code == 1
    assert run("((5 > 3)) && echo yes; let 'x=2+3'; echo $x")[0] == "yes\n5\n"


def test_control_flow(run):
    assert run("for i in 1 2 3; do if [ $i = 2 ]; then continue; fi; echo $i; done")[0] == "1\n3\n"
    assert run("i=0; while [ $i -lt 5 ]; do i=$((i+1)); [ $i = 3 ] && break; done; echo $i")[0] == "3\n"
    assert run("i=0; until [ $i -ge 2 ]; do echo $i; i=$((i+1)); done")[0] == "0\n1\n"
    assert run("for ((i=0; i<3; i++)); do echo -n $i; done; echo")[0] == "012\n"
    assert run("case abc in x*) echo 1;; a?c) echo 2;; *) echo 3;; esac")[0] == "2\n"
    assert run("if false; then echo a; elif true; then echo b; else echo c; fi")[0] == "b\n"
    assert run("! false && echo negated")[0] == "negated\n"
    assert run("for i in a b; do for j in 1 2; do [ $j = 2 ] && continue 2; echo $i$j; done; done")[0] == "a1\nb1\n"


def test_functions_locals_and_return(run):
    assert run("f() { local x=inner; echo $x; return 4; }; x=outer; f; echo $? $x")[0] == "inner\n4 outer\n"
    assert run("fact() { if [ $1 -le 1 ]; then echo 1; else echo $(( $1 * $(fact $(($1-1))) )); fi; }; fact 5")[0] \
        == "120\n"


def test_redirections(run, lab):
    assert run("echo one > /tmp/f; echo two >> /tmp/f; cat /tmp/f")[0] == "one\ntwo\n"
    assert run("cat < /tmp/f | wc -l")[0] == "2\n"
    assert run("ls /nope 2>/dev/null; echo $?")[0] == "2\n"
    assert run("ls /nope 2>&1 | head -1")[0] == "ls: cannot access '/nope': No such file or directory\n"
    assert run("{ echo out; echo err >&2; } &> /tmp/both; cat /tmp/both")[0] == "out\nerr\n"
    assert run("echo x > /nodir/f") == ("", "-bash: /nodir/f: No such file or directory\n", 1)
    assert run("cat < /nope") == ("", "-bash: /nope: No such file or directory\n", 1)
    assert run("echo x > /tmp") == ("", "-bash: /tmp: Is a directory\n", 1)
    assert run("> /tmp/empty; wc -c < /tmp/empty")[0] == "0\n"


def test_heredocs_and_herestrings(run):
    assert run("x=1; cat <<EOF\nvalue $x $(echo sub) \\$x\nEOF")[0] == "value 1 sub $x\n"
    assert run("cat <<'EOF'\nvalue $x\nEOF")[0] == "value $x\n"
    assert run("cat <<-EOF\n\t\tindented\n\tEOF")[0] == "indented\n"
    assert run("tr a-z A-Z <<< 'here string'")[0] == "HERE STRING\n"
    assert run("while read a b; do echo \"$b-$a\"; done <<EOF\n1 x\n2 y\nEOF")[0] == "x-1\ny-2\n"


def test_heredoc_to_file_then_kubectl_style_apply(run, lab):
    run("cat > svc.yaml <<EOF\napiVersion: v1\nkind: Service\nEOF")
    assert lab.session.host.fs.read("/root/svc.yaml") == "apiVersion: v1\nkind: Service\n"


def test_globbing_against_the_vfs(run):
    run("mkdir -p /tmp/g && touch /tmp/g/a.yaml /tmp/g/b.yaml /tmp/g/c.txt /tmp/g/.hidden")
    assert run("echo /tmp/g/*.yaml")[0] == "/tmp/g/a.yaml /tmp/g/b.yaml\n"
    assert run("cd /tmp/g; echo *")[0] == "a.yaml b.yaml c.txt\n"
    assert run("echo /tmp/g/*.none")[0] == "/tmp/g/*.none\n"
    assert run("echo '/tmp/g/*'")[0] == "/tmp/g/*\n"
    assert run("echo /tmp/g/[ab].yaml")[0] == "/tmp/g/a.yaml /tmp/g/b.yaml\n"


def test_tilde_and_cd(run, lab):
    assert run("cd /etc; pwd; cd -; cd ~; pwd")[0] == "/etc\n/root\n/root\n"
    assert run("cd /nope") == ("", "-bash: cd: /nope: No such file or directory\n", 1)
    assert run("cd /etc/hosts") == ("", "-bash: cd: /etc/hosts: Not a directory\n", 1)
    assert run("echo ~ ~/x")[0] == "/root /root/x\n"
    run("cd /tmp")
    assert lab.prompt() == "controlplane:/tmp$ "


def test_export_env_and_prefix_assignment(run):
    assert run("FOO=1 env | grep FOO; echo \"[$FOO]\"")[0] == "FOO=1\n[]\n"
    assert run("export BAR=2; env | grep BAR")[0] == "BAR=2\n"
    assert run("unset BAR; env | grep -c BAR")[0] == "0\n"


def test_alias_k_on_the_control_plane(run):
    assert run("alias")[0] == "alias k='kubectl'\n"
    assert run("alias ll='ls -l'; type ll")[0] == "ll is aliased to `ls -l'\n"
    assert run("unalias ll; ll")[1] == "-bash: ll: command not found\n"


def test_command_not_found_and_paths(run):
    assert run("nosuch") == ("", "-bash: nosuch: command not found\n", 127)
    assert run("./nosuch.sh") == ("", "-bash: ./nosuch.sh: No such file or directory\n", 127)
    assert run("echo 'echo hi $1' > s.sh; ./s.sh") == ("", "-bash: ./s.sh: Permission denied\n", 126)
    assert run("chmod +x s.sh; ./s.sh x; bash s.sh y; sh -c 'echo $0 $1' a b")[0] == "hi x\nhi y\na b\n"


def test_syntax_errors_from_the_prompt(run):
    assert run("echo )") == ("", "-bash: syntax error near unexpected token `)'\n", 2)
    assert run('echo "open') == ("", "-bash: unexpected EOF while looking for matching `\"'\n", 2)
    assert run("if true; then echo") == ("", "-bash: syntax error: unexpected end of file\n", 2)


def test_sh_c_flavours(run):
    assert run("sh -c 'nosuch'") == ("", "sh: 1: nosuch: not found\n", 127)
    assert run("bash -c 'nosuch'") == ("", "bash: line 1: nosuch: command not found\n", 127)
    assert run("bash -c 'true; nosuch'") == ("", "bash: line 1: nosuch: command not found\n", 127)
    assert run("echo 'echo piped' | sh")[0] == "piped\n"


def test_set_e_and_pipefail(run):
    assert run("bash -c 'set -e; false; echo not-here'")[2] == 1
    assert run("bash -c 'set -e; false || true; echo here'")[0] == "here\n"
    assert run("bash -c 'set -o pipefail; false | true'")[2] == 1
    assert run("false | true")[2] == 0


def test_loop_budget_stops_endless_loops(lab):
    lab.interp.max_steps = 500
    res = lab.run("while true; do :; done")
    assert res.exit_code == 124
    assert res.stderr == "kubelab: stopped after 500 steps (a loop that never ends?)\n"
    assert lab.run("echo still-alive").stdout == "still-alive\n"


def test_sleep_budget_in_virtual_time(lab):
    res = lab.run("while true; do sleep 600; done")
    assert res.exit_code == 124
    assert res.stderr == "kubelab: stopped after 3600 seconds of virtual time (a loop that never ends?)\n"
    assert lab.cluster.clock.seconds == pytest.approx(3600)


def test_interrupt_from_another_thread(lab):
    lab.interp.max_steps = 10**9
    timer = threading.Timer(0.2, lab.interrupt)
    timer.start()
    t0 = time.monotonic()
    res = lab.run("while true; do :; done")
    assert time.monotonic() - t0 < 5
    assert res.exit_code == 130 and res.stdout == "^C\n"
    assert lab.run("echo ok").stdout == "ok\n"


def test_interrupt_when_idle_is_ignored(lab):
    lab.interrupt()
    assert lab.run("echo fine").stdout == "fine\n"


def test_virtual_sleep_advances_the_clock(lab):
    lab.run("sleep 2; sleep 1.5")
    assert lab.cluster.clock.seconds == pytest.approx(3.5)
    assert lab.run("date +%H:%M:%S").stdout == "06:00:03\n"


def test_history_and_replay(lab):
    lab.run("echo one")
    lab.tick(5)
    lab.run("x=2; echo $x")
    assert lab.history == [(0.0, "echo one"), (5.0, "x=2; echo $x")]
    assert lab.run("history").stdout == "    1  echo one\n    2  x=2; echo $x\n    3  history\n"


def test_streaming_output_callback(lab):
    chunks = []
    lab.run("echo a; echo b >&2", on_output=lambda s, c: chunks.append((s, c)))
    assert chunks == [("stdout", "a\n"), ("stderr", "b\n")]


def test_multiline_input_runs_line_by_line(run):
    out, err, code = run("echo first\necho )\necho never")
    assert out == "first\n" and err == "-bash: syntax error near unexpected token `)'\n" and code == 2


def test_wall_mode_sleep_releases_the_lock_for_the_ticker():
    from sandbox.lab import Lab
    from tests.shell.conftest import StubCluster

    lab = Lab(cluster=StubCluster(), time_mode="wall")
    ticks = []

    def ticker():
        for _ in range(3):
            time.sleep(0.05)
            lab.tick(0.05)  # must not block while the command sleeps
            ticks.append(lab.cluster.clock.seconds)

    thread = threading.Thread(target=ticker)
    t0 = time.monotonic()
    thread.start()
    res = lab.run("sleep 0.4; echo done")
    thread.join()
    assert res.stdout == "done\n"
    assert time.monotonic() - t0 >= 0.4
    assert len(ticks) == 3 and ticks[0] < 0.4
    # the ticker advanced part of the time; the sleep caught up with the rest
    assert lab.cluster.clock.seconds == pytest.approx(0.4)


def test_wall_mode_interrupt_wakes_a_sleep():
    from sandbox.lab import Lab
    from tests.shell.conftest import StubCluster

    lab = Lab(cluster=StubCluster(), time_mode="wall")
    threading.Timer(0.1, lab.interrupt).start()
    t0 = time.monotonic()
    res = lab.run("sleep 30")
    assert time.monotonic() - t0 < 5
    assert res.exit_code == 130


def test_ctrl_c_in_a_pipeline_still_flushes_what_was_written(lab):
    from sandbox.shell.registry import register

    def forever(ctx):
        ctx.out("alpha\nbeta\n")
        lab.interrupt()
        while True:
            ctx.sleep(1)

    from sandbox.shell import registry

    register("forever", forever, where="node")
    lab.session.host.binaries.add("forever")
    try:
        res = lab.run("forever | grep beta")
    finally:
        registry._table.pop(("forever", "node"), None)
    assert res.stdout == "beta\n^C\n" and res.exit_code == 130


def test_learner_ps1(run, lab):
    assert lab.prompt() == "controlplane:~$ "
    run("cd /etc")
    run(r"PS1='\u@\h:\W\$ '")
    assert lab.prompt() == "root@controlplane:etc# "
    run("PS1='[$USER] > '")
    assert lab.prompt() == "[root] > "


def test_replay_deadline_stops_a_command_where_it_was_stopped(lab):
    lab.replay_deadline = 5.0
    res = lab.run("sleep 3; sleep 100; echo never")
    lab.replay_deadline = None
    assert res.exit_code == 130 and lab.cluster.clock.seconds == 5.0
    assert lab.session.cwd == "/root"


def test_process_substitution(run, lab):
    assert run("cat <(echo hi; echo there)")[0] == "hi\nthere\n"
    assert run("while read l; do echo \"[$l]\"; done < <(printf 'a\\nb\\n')")[0] == "[a]\n[b]\n"
    assert run("source <(echo 'alias kk=echo')")[2] == 0
    assert run("kk works")[0] == "works\n"
    assert run("echo <(true)")[0] == "/dev/fd/63\n"
    assert lab.session.host.fs.listdir("/dev/fd") == []
    assert run("complete -F __start_kubectl k; echo $?")[0] == "0\n"


def test_background_jobs_are_announced_and_reported_done(run):
    assert run("sleep 1 &") == ("", "[1] 2847\n", 0)
    assert run("echo next") == ("next\n", "[1]+  Done                    sleep 1\n", 0)
    assert run("false &")[1] == "[1] 2854\n"
    assert run("true")[1] == "[1]+  Exit 1                  false\n"
    assert run("bash -c 'sleep 1 & echo $!'")[1] == ""


def test_history_expansion_at_the_bash_prompt(run):
    """Same transcript as an interactive bash 5.2 (the expanded line is echoed on stderr)."""
    assert run("echo hi there") == ("hi there\n", "", 0)
    assert run("!!") == ("hi there\n", "echo hi there\n", 0)
    assert run("echo !$") == ("there\n", "echo there\n", 0)
    assert run("!ec") == ("there\n", "echo there\n", 0)
    assert run("!nosuch") == ("", "-bash: !nosuch: event not found\n", 0)
    assert run('echo "a!b"') == ("", "-bash: !b: event not found\n", 0)
    assert run("echo 'c!d' x!=y") == ("c!d x!=y\n", "", 0)
    assert run("echo [ ! -z x ]") == ("[ ! -z x ]\n", "", 0)
    assert run("!-3") == ("there\n", "echo there\n", 0)
    assert run("sh -c 'echo !!'")[0] == "!!\n"
