"""Coreutils: exact GNU outputs and messages on the node."""

from __future__ import annotations

import pytest


@pytest.fixture
def files(run):
    run("mkdir -p /tmp/t && cd /tmp/t && printf 'b 2\\na 10\\nc 1\\na 10\\n' > data && printf 'x\\ny\\n' > two")
    return run


def test_echo_and_printf(run):
    assert run("echo -n a; echo -e 'b\\tc'; echo -E 'd\\te'; echo -ne 'x\\n'")[0] == "ab\tc\nd\\te\nx\n"
    assert run("printf '%5s|%-5s|%03d|%.2f|%x|%%\\n' ab cd 7 3.14159 255")[0] == "   ab|cd   |007|3.14|ff|%\n"
    assert run("printf '%s\\n' a b c")[0] == "a\nb\nc\n"
    assert run("printf '%d\\n' abc") == ("0\n", "-bash: printf: abc: invalid number\n", 1)


def test_cat_head_tail_wc(files):
    assert files("cat -n two")[0] == "     1\tx\n     2\ty\n"
    assert files("cat nope") == ("", "cat: nope: No such file or directory\n", 1)
    assert files("cat /tmp") == ("", "cat: /tmp: Is a directory\n", 1)
    assert files("head -2 data")[0] == "b 2\na 10\n"
    assert files("head -n 1 data two")[0] == "==> data <==\nb 2\n\n==> two <==\nx\n"
    assert files("tail -n 1 data; tail -n +3 data")[0] == "a 10\nc 1\na 10\n"
    assert files("head nope") == ("", "head: cannot open 'nope' for reading: No such file or directory\n", 1)
    assert files("wc data")[0] == " 4  8 18 data\n"
    assert files("wc -l data two")[0] == " 4 data\n 2 two\n 6 total\n"
    assert files("cat data | wc")[0] == "      4       8      18\n"
    assert files("cat data | wc -l")[0] == "4\n"


def test_sort_uniq_cut_tr(files):
    assert files("sort data")[0] == "a 10\na 10\nb 2\nc 1\n"
    assert files("sort -k2 -n data")[0] == "c 1\nb 2\na 10\na 10\n"
    assert files("sort -u -r data")[0] == "c 1\nb 2\na 10\n"
    assert files("sort data | uniq -c")[0] == "      2 a 10\n      1 b 2\n      1 c 1\n"
    assert files("cut -d' ' -f2 data | sort -n | tail -1")[0] == "10\n"
    assert files("echo hello | cut -c2-4")[0] == "ell\n"
    assert files("cut data") == ("", "cut: you must specify a list of bytes, characters, or fields\n"
                                     "Try 'cut --help' for more information.\n", 1)
    assert files("echo 'a  b' | tr -s ' ' | tr ' ' ,")[0] == "a,b\n"
    assert files("echo hello | tr -d l")[0] == "heo\n"
    assert files("echo Hello | tr '[:lower:]' '[:upper:]'")[0] == "HELLO\n"


def test_grep(files):
    assert files("grep a data")[0] == "a 10\na 10\n"
    assert files("grep -c a data; grep -v a data")[0] == "2\nb 2\nc 1\n"
    assert files("grep -n -i A data")[0] == "2:a 10\n4:a 10\n"
    assert files("grep -E '^(b|c) ' data")[0] == "b 2\nc 1\n"
    assert files("grep -o '[0-9]\\+' data | head -2")[0] == "2\n10\n"
    assert files("grep -w 1 data")[0] == "c 1\n"
    assert files("grep x data two")[0] == "two:x\n"
    assert files("grep -q zzz data; echo $?")[0] == "1\n"
    assert files("grep a nope") == ("", "grep: nope: No such file or directory\n", 2)
    assert files("grep -r x /tmp/t")[0] == "/tmp/t/two:x\n"
    assert files("grep -l a data two")[0] == "data\n"
    assert files("grep '\\(' data") == ("", "grep: Unmatched ( or \\(\n", 2)


def test_sed(files):
    assert files("sed 's/a/A/' data | head -2")[0] == "b 2\nA 10\n"
    assert files("sed -n '2p' data")[0] == "a 10\n"
    assert files("sed '1d;$d' data")[0] == "a 10\nc 1\n"
    assert files("sed -E 's/([a-z]) ([0-9]+)/\\2-\\1/g' two data | tail -1")[0] == "10-a\n"
    assert files("echo hello world | sed 's/o/0/2'")[0] == "hello w0rld\n"
    assert files("sed -i 's/x/X/' two; cat two")[0] == "X\ny\n"
    assert files("sed -n '/b/,/c/p' data")[0] == "b 2\na 10\nc 1\n"
    assert files("echo a | sed 's/a/b'") == ("", "sed: -e expression #1, char 5: unterminated `s' command\n", 1)
    assert files("echo a | sed 'k'") == ("", "sed: -e expression #1, char 1: unknown command: `k'\n", 1)
    assert files("sed p nope") == ("", "sed: can't read nope: No such file or directory\n", 2)
    assert files("printf 'a\\nb\\n' | sed '1a\\\nadded'")[0] == "a\nadded\nb\n"


def test_awk(files):
    assert files("awk '{print $1}' data")[0] == "b\na\nc\na\n"
    assert files("awk 'NR>1 {print NR\": \"$2}' data")[0] == "2: 10\n3: 1\n4: 10\n"
    assert files("awk '{s+=$2} END {print s, NR}' data")[0] == "23 4\n"
    assert files("awk -F, '{print $2}' <<< 'a,b,c'")[0] == "b\n"
    assert files("awk '$2 > 5' data")[0] == "a 10\na 10\n"
    assert files("awk '{c[$1]++} END {for (k in c) print k, c[k]}' data | sort")[0] == "a 2\nb 1\nc 1\n"
    assert files("awk 'BEGIN {printf \"%-4s|%3d\\n\", \"ab\", 7}'")[0] == "ab  |  7\n"
    assert files("echo 'a b c' | awk '{print $NF, NF, length($0), toupper($1), substr($0, 3, 3)}'")[0] \
        == "c 3 5 A b c\n"
    assert files("echo x | awk '{gsub(/x/, \"y\"); print}'")[0] == "y\n"
    assert files("awk '{print' data") == ("", "awk: line 2: missing } near end of file\n", 2)


def test_jq(run):
    doc = '{"items":[{"metadata":{"name":"a"},"n":1},{"metadata":{"name":"b"},"n":2}]}'
    run(f"echo '{doc}' > /tmp/d.json")
    assert run("jq '.items[].metadata.name' /tmp/d.json")[0] == '"a"\n"b"\n'
    assert run("jq -r '.items[] | .metadata.name' /tmp/d.json")[0] == "a\nb\n"
    assert run("jq -c '.items[0]' /tmp/d.json")[0] == '{"metadata":{"name":"a"},"n":1}\n'
    assert run("jq '.items | length' < /tmp/d.json")[0] == "2\n"
    assert run("jq '.items[0].metadata' /tmp/d.json")[0] == '{\n  "name": "a"\n}\n'
    assert run("jq -e '.missing' /tmp/d.json")[0:3:2] == ("null\n", 1)
    assert run("jq -n --arg v x '{k: $v}'")[0] == '{\n  "k": "x"\n}\n'
    assert run("echo '\"s\"' | jq '.a'") == ("", 'jq: error (at <stdin>:1): Cannot index string with string ("a")\n', 5)
    out, err, code = run("jq '.a[' /tmp/d.json")
    assert code == 3 and err.endswith("jq: 1 compile error\n") and err.startswith("jq: error: syntax error")
    assert run("jq . /tmp/nope.json") == ("", "jq: error: Could not open /tmp/nope.json: No such file or directory\n", 2)


def test_file_commands(run):
    assert run("mkdir /tmp/d; mkdir /tmp/d") == ("", "mkdir: cannot create directory ‘/tmp/d’: File exists\n", 1)
    assert run("mkdir /tmp/x/y") == ("", "mkdir: cannot create directory ‘/tmp/x/y’: No such file or directory\n", 1)
    assert run("touch /tmp/d/f1 /tmp/d/f2; ls /tmp/d")[0] == "f1  f2\n"
    assert run("ls -1 /tmp/d | cat")[0] == "f1\nf2\n"
    assert run("ls /tmp/d | cat")[0] == "f1\nf2\n"
    assert run("cp /tmp/d/f1 /tmp/d/f3; mv /tmp/d/f2 /tmp/d/f4; ls /tmp/d")[0] == "f1  f3  f4\n"
    assert run("cp /tmp/d /tmp/e") == ("", "cp: -r not specified; omitting directory '/tmp/d'\n", 1)
    assert run("cp -r /tmp/d /tmp/e; ls /tmp/e")[0] == "f1  f3  f4\n"
    assert run("rm /tmp/d") == ("", "rm: cannot remove '/tmp/d': Is a directory\n", 1)
    assert run("rm /tmp/nope") == ("", "rm: cannot remove '/tmp/nope': No such file or directory\n", 1)
    assert run("rm -f /tmp/nope; rm -rf /tmp/d; ls /tmp/d") == \
        ("", "ls: cannot access '/tmp/d': No such file or directory\n", 2)
    assert run("echo abc | tee /tmp/t1 | wc -c; cat /tmp/t1")[0] == "4\nabc\n"
    assert run("ls -l /etc/hostname")[0] == "-rw-r--r-- 1 root root 13 Nov 22 06:00 /etc/hostname\n"
    assert run("find /etc/kubernetes -name '*.conf'")[0] == "/etc/kubernetes/admin.conf\n"


def test_misc_programs(run):
    assert run("seq 3; seq 2 2 6; seq -s, 3")[0] == "1\n2\n3\n2\n4\n6\n1,2,3\n"
    assert run("basename /a/b/c.yaml .yaml; dirname /a/b/c.yaml")[0] == "c\n/a/b\n"
    assert run("echo aGk= | base64 -d; echo; echo -n hi | base64")[0] == "hi\naGk=\n"
    assert run("date; date +%s; date -u +%Y-%m-%dT%H:%M:%SZ")[0] == \
        "Sun Nov 22 06:00:00 UTC 2026\n1795327200\n2026-11-22T06:00:00Z\n"
    assert run("hostname; whoami; id")[0] == "controlplane\nroot\nuid=0(root) gid=0(root) groups=0(root)\n"
    assert run("uname; uname -r")[0] == "Linux\n6.8.0-51-generic\n"
    assert run("which kubectl jq nosuch; echo $?")[0] == "/usr/bin/kubectl\n/usr/bin/jq\n1\n"
    assert run("type cd echo kubectl")[0] == "cd is a shell builtin\necho is a shell builtin\nkubectl is /usr/bin/kubectl\n"
    assert run("clear")[0] == "\x1b[H\x1b[2J\x1b[3J"
    assert run("echo a b c | xargs -n1 echo x")[0] == "x a\nx b\nx c\n"
    assert run("printf '1\\n2\\n' | xargs -I{} echo item-{}")[0] == "item-1\nitem-2\n"
    assert run("expr 2 + 3; expr 4 \\* 5")[0] == "5\n20\n"
    assert run("sleep") == ("", "sleep: missing operand\nTry 'sleep --help' for more information.\n", 1)
    assert run("test 1 -eq 1 && [ -n x ] && [ ! -z x ] && echo ok")[0] == "ok\n"
    assert run("[ a = b ]; echo $?; [ 1 -lt x ]")[1] == "-bash: [: x: integer expression expected\n"
    assert run("[ 1 = 1")[1] == "-bash: [: missing `]'\n"


def test_timeout_uses_virtual_time(run, lab):
    assert run("timeout 5 sleep 100; echo $?")[0] == "124\n"
    assert lab.cluster.clock.seconds == 5
    assert run("timeout 3 sh -c 'echo start; sleep 10; echo end'; echo $?")[0] == "start\n124\n"
    assert run("timeout 5 sleep 1; echo $?")[0] == "0\n"
    assert run("timeout 2 nosuch") == ("", "timeout: failed to run command ‘nosuch’: No such file or directory\n", 127)


def test_watch_in_virtual_time_stops_when_output_settles(run, lab):
    out = run("watch -n 1 date +%S")[0]
    frames = out.split("\x1b[H\x1b[2J\x1b[3J")[1:]
    assert len(frames) == 10
    assert frames[0] == "Every 1.0s: date +%S" + " " * 22 + "controlplane: Sun Nov 22 06:00:00 2026\n\n00\n"
    assert run("watch -t -n 5 echo same")[0] == "\x1b[H\x1b[2J\x1b[3Jsame\n"
    assert lab.cluster.clock.seconds == 9 + 10


def test_sudo_and_sysctl(run, lab):
    assert run("sudo echo hi")[0] == "hi\n"
    assert run("sudo nosuch") == ("", "sudo: nosuch: command not found\n", 1)
    assert run("sysctl net.ipv4.ip_forward; sysctl -n net.ipv4.vs.conntrack")[0] == "net.ipv4.ip_forward = 1\n1\n"
    assert run("sysctl -w net.ipv4.ip_forward=0 >/dev/null; cat /proc/sys/net/ipv4/ip_forward")[0] == "0\n"
    run("sudo -i")
    assert len(lab.sessions) == 2
    assert run("exit") == ("", "logout\n", 0)


def test_pager_and_base64_wrap(run):
    assert run("seq 3 | less")[0] == "1\n2\n3\n"
    assert run("printf '%0100d' 0 | base64 | head -1 | wc -c")[0] == "77\n"


def test_exit_in_the_bottom_shell_marks_the_lab_closed(run, lab):
    assert run("exit 3") == ("", "logout\n", 3)
    assert lab.closed and lab.prompt() == "controlplane:~$ "


def test_editors_use_the_front_ends_editor(run, lab):
    assert run("vi f.yaml") == ("", "Vim: Warning: Output is not to a terminal\nVim: Warning: Input is not from a terminal\n", 1)
    seen = []

    def editor(path, text):
        seen.append((path, text))
        return text + "added\n"

    lab.editor = editor
    run("echo first > f.yaml")
    assert run("vi f.yaml; cat f.yaml")[0] == "first\nadded\n"
    assert run("nano new.txt; cat new.txt")[0] == "added\n"
    assert seen == [("f.yaml", "first\n"), ("new.txt", "")]
    lab.editor = lambda path, text: None  # quit without saving
    assert run("vim f.yaml; cat f.yaml")[0] == "first\nadded\n"


def test_programs_the_lab_does_not_simulate_say_so(run):
    assert run("crictl ps") == ("", "kubelab: crictl: this program exists here but is not simulated in the lab\n", 127)


def test_ls_columns_follow_the_terminal_width(run, lab):
    assert run("ls /etc")[0] == "cni  hostname  hosts  kubernetes  os-release  passwd  resolv.conf\n"
    lab.columns = 40
    assert run("ls /etc")[0] == "cni       kubernetes  resolv.conf\nhostname  os-release\nhosts     passwd\n"
    assert run("ls /etc | head -2")[0] == "cni\nhostname\n"
