"""Differential tests of the coreutils, grep, sed and awk against the real GNU tools and mawk of the test
machine (as on an Ubuntu node): same stdout, stderr and exit code, output going to a file on both sides."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from sandbox.lab import Lab
from tests.shell.conftest import StubCluster

REAL_BASH = shutil.which("bash")
HAVE_TOOLS = all(shutil.which(t) for t in ("sed", "grep", "sort", "mawk", "seq", "base64"))
if HAVE_TOOLS:  # the expected wording is GNU sed 4.9 / grep 3.x / bash 5.2's (Debian 12, Ubuntu 24.04)
    _versions = " ".join(subprocess.run([tool, "--version"], capture_output=True, text=True).stdout.split("\n")[0]
                         for tool in ("sed", "grep", "bash"))
    HAVE_TOOLS = "sed (GNU sed) 4.9" in _versions and "grep (GNU grep) 3." in _versions and "5.2" in _versions

SETUP = "mkdir -p d/e; printf 'b 2\\na 10\\nc 1\\na 10\\n' > data; printf 'x\\ny\\n' > two; printf 'k1=v1\\nk2=v2\\n' > kv; touch empty"
CASES = [
 "ls", "ls -1", "ls d", "ls nope", "ls -a d", "ls data two nope", "ls -d d", "ls d two",
 "cat nope", "cat d", "cat -n data", "cat data - < two",
 "mkdir d", "mkdir x/y", "mkdir -p x/y && ls x", "mkdir", "rmdir d", "rmdir nope",
 "rm nope", "rm d", "rm -f nope; echo $?", "rm", "rm -r d && ls",
 "cp nope x", "cp d x", "cp data", "cp", "cp data two d && ls d", "mv nope x", "mv data d/ && ls d",
 "touch nodir/f", "touch", "head -n 2 nope", "head -c 3 data", "head -3 data", "head -n -1 data", "tail -2 data",
 "tail -c 4 data", "head data two",
 "wc data", "wc -l data two", "wc nope", "wc -c < data", "wc -w empty",
 "sort data", "sort -r data", "sort -n -k2 data", "sort -k2,2n -k1,1 data", "sort -t= -k2 kv", "sort nope",
 "sort -u data", "uniq data", "sort data | uniq -d", "sort data | uniq -u",
 "cut -d= -f1 kv", "cut -f2 -d' ' data", "cut -c1 data", "cut -d= kv", "cut -f0 kv", "cut -d= -f2- kv",
 "tr -d a < data", "tr a-z A-Z < kv", "tr", "tr a", "tr -s '\\n' < data",
 "grep a data", "grep -c a data", "grep -n 10 data", "grep -w 1 data", "grep -x 'c 1' data", "grep -e a -e b data",
 "grep -l a data two kv", "grep -L a data two kv", "grep -h a data two", "grep -H x two", "grep x nope data",
 "grep -r x .", "grep -A1 b data", "grep -B1 c data", "grep -o '[0-9]*' data", "grep -E 'a|b' data",
 "grep -F 'a 1' data", "grep -i A data", "grep -q a data; echo $?", "grep -s x nope; echo $?", "grep",
 "grep '[' data", "grep -E 'a{1,2}' data", "grep -v -c a data", "grep -m1 a data",
 "sed -n '$=' data", "sed '2,3d' data", "sed 's/a/X/g;s/1/Y/' data", "sed -n '/a/p' data", "sed '/^a/!d' data",
 "sed -e 's/b/B/' -e 's/c/C/' data", "sed 'y/abc/xyz/' data", "sed '1i\\header' two", "sed '$a\\footer' two",
 "sed -n 'p;p' two", "sed = two", "sed 's/\\(.\\) \\(.*\\)/\\2 \\1/' data", "sed -E 's/(.) (.*)/\\2:\\1/' data",
 "sed 's/x/&&/' two", "sed 's/[0-9]\\+/N/' data", "sed '2q' data", "sed -n '2{p;q}' data", "sed 's/a/b/x' data",
 "sed nope data", "sed", "sed -i 's/x/X/' two; cat two", "sed '1~2d' data", "sed '0~2d' data",
 "awk '{print $1}' data", "awk '{print NR, $0}' two", "awk -F= '{print $2}' kv", "awk '$2>5{print}' data",
 "awk '{a[$1]+=$2} END {for (k in a) print k, a[k]}' data | sort", "awk 'END {print NR}' data",
 "awk '{print length($0)}' two", "awk 'BEGIN {x=1; print x+1}'", "awk '{print $1\"-\"$2}' data",
 "awk -v n=3 'BEGIN {print n*2}'", "awk '{printf \"%s:%d\\n\", $1, $2}' data", "awk 'NR==2' data",
 "awk '/a/ {c++} END {print c}' data", "awk '{$2=\"Z\"; print}' data", "awk '{print NF}' data",
 "awk 'BEGIN {print substr(\"hello\", 2, 3), index(\"hello\", \"l\"), toupper(\"x\")}'",
 "awk 'BEGIN {n=split(\"a:b:c\", p, \":\"); print n, p[3]}'", "awk '{s=s $1} END {print s}' data",
 "awk 'BEGIN {print 1/3}'", "awk 'BEGIN {print 100000000}'", "awk 'BEGIN {print 2^10}'",
 "awk '{print $1' data", "awk nope", "awk '{print}' nope",
 "seq 0", "seq 3 1", "seq 1 0.5 3", "seq 5 -2 1", "seq -w 1 10", "seq x",
 "basename", "basename /a/b/", "dirname a/b/", "dirname ''",
 "echo a b c d | xargs -n 2", "printf 'a\\nb\\n' | xargs echo", "echo | xargs echo x", "echo 'a b' | xargs -I X echo [X]",
 "expr 5 % 3", "expr length hello", "expr 1 + x", "expr 0 + 0; echo $?", "expr abc : 'a\\(.\\)'",
 "printf 'aGk=' | base64 -d", "echo hi | base64 -w0; echo", "base64 nope",
 "yes | head -3", "yes ab | head -2",
 "echo a > f && cat f f", "tac data", "rev two",
 "env -i A=1 env", "printenv HOME", "true; false; echo $?",
]
CASES += [
    "echo a | grep '['", "echo a | grep 'a\\{1'", "echo a | grep -E ')'", "echo a | grep 'a**'",
    "echo a | grep 'a\\{2,1\\}'", "echo a | sed 's/[/x/'", "echo a | sed 's/[/]/x/'", "echo a | grep -E '[[:foo:]]'",
]
ENV = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME": "/root", "LANG": "C.UTF-8",
       "LC_ALL": "C.UTF-8"}


@pytest.mark.skipif(REAL_BASH is None or not HAVE_TOOLS, reason="the real GNU tools are not installed")
@pytest.mark.parametrize("case", CASES)
def test_same_as_gnu_tools(case, tmp_path):
    subprocess.run(["bash", "-c", SETUP], executable=REAL_BASH, cwd=str(tmp_path), env=ENV, check=True)
    real = subprocess.run(["bash", "-c", case], executable=REAL_BASH, capture_output=True, text=True,
                          cwd=str(tmp_path), env=ENV, timeout=10)
    lab = Lab(cluster=StubCluster())
    lab.run("mkdir -p /work && cd /work && " + SETUP)
    quoted = "'" + case.replace("'", "'\\''") + "'"
    status = lab.run(f"bash -c {quoted} > /tmp/.out 2> /tmp/.err; echo $?").stdout
    fs = lab.session.host.fs
    assert (fs.read("/tmp/.out"), fs.read("/tmp/.err"), int(status)) == (real.stdout, real.stderr, real.returncode)
