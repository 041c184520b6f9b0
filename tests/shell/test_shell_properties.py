"""Property tests: thousands of random and mutated command lines always give a message and an exit code,
never an uncaught exception; unterminated quotes and heredocs get the shell's own message."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox.lab import Lab
from sandbox.shell.parser import needs_more
from tests.shell.conftest import StubCluster

WORDS = ["echo", "cat", "ls", "grep", "sed", "awk", "jq", "head", "tail", "wc", "sort", "uniq", "cut", "tr",
         "printf", "test", "[", "]", "true", "false", "cd", "pwd", "export", "unset", "set", "read", "xargs",
         "seq", "base64", "date", "env", "basename", "dirname", "mkdir", "rm", "cp", "mv", "touch", "tee",
         "-n", "-e", "-r", "-l", "-c", "-1", "-p", "-rf", "-k2", "-d:", "-f1", "x", "y", "1", "0", "-1", "/tmp",
         "/etc/hosts", "~", "*", "?", "[a-z]", "a=b", "$x", "${x}", "${x:-d}", "${#x}", "$(echo a)", "`echo b`",
         "$((1+2))", "$?", "$@", "'s q'", '"d $x q"', "{", "}", "!", "s/a/b/", "/x/", ".a", "'{print $1}'",
         "if", "then", "fi", "for", "in", "do", "done", "while", "until", "case", "esac", "ssh", "node01",
         "exit", "sh", "-c", "bash", "function", "f()", "local", "return", "break", "continue", "alias", "k",
         "a=(x y)", "${a[@]}", '"${a[@]}"', "${a[1]}", "${#a[@]}", "a[2]=v", "a+=(z)", "$((a[0]+1))", "<(echo p)",
         "!!", "!$", "{1..3}", "{a,b}"]
OPS = [" ", " ", " ", ";", " | ", " && ", " || ", " > /tmp/o", " >> /tmp/o", " 2>&1", " < /etc/hosts",
       " <<< w", " &", "\n", " <<EOF\nbody $x\nEOF\n", " 2>/dev/null", " &> /tmp/b"]

command_lines = st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(OPS)), min_size=1, max_size=8).map(
    lambda parts: "".join(w + o for w, o in parts))
noise = st.text(alphabet=st.sampled_from(list("ab $'\"`\\(){}[];|&<>!#*?~=-\n\t0123456789")), max_size=40)

SEEDS = [
    "NGINX_POD_NAME=$(kubectl get pods -l app=nginx --no-headers | head -n 1 | awk '{print $1}')",
    "kubectl exec -it $NGINX_POD_NAME -- sh -c 'apt-get update -y && apt-get install -y curl'",
    "IP=$(kubectl get svc httpenv -o go-template --template '{{ .spec.clusterIP }}')",
    "curl -s http://$IP:8888/ | jq .HOSTNAME",
    "for i in $(seq 1 3); do echo \"n=$i\"; done | sort -r",
    "cat <<EOF > svc.yaml\napiVersion: v1\nkind: Service\nEOF",
]


def _mutate(seed: str, cut: int, insert: str) -> str:
    cut %= len(seed) + 1
    return seed[:cut] + insert + seed[cut:]


_lab = None


def _fresh_lab() -> Lab:
    global _lab
    if _lab is None or len(_lab.sessions) > 3:
        _lab = Lab(cluster=StubCluster(), max_steps=3000)
    return _lab


_qlab = None


def _quote_lab() -> Lab:
    global _qlab
    if _qlab is None:
        _qlab = Lab(cluster=StubCluster(), max_steps=3000)
    return _qlab


def _check(text: str) -> None:
    lab = _fresh_lab()
    needs_more(text)
    res = lab.run(text)
    assert isinstance(res.exit_code, int) and 0 <= res.exit_code <= 255
    assert isinstance(res.stdout, str) and isinstance(res.stderr, str)
    assert not lab.crashes, lab.crashes[-1][1]
    assert lab.prompt()


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(command_lines)
def test_generated_command_lines_never_crash(text):
    _check(text)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(noise)
def test_random_characters_never_crash(text):
    _check(text)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SEEDS), st.integers(min_value=0, max_value=200), noise)
def test_mutated_tutorial_lines_never_crash(seed, cut, insert):
    _check(_mutate(seed, cut, insert).replace("kubectl", "true").replace("curl", "true"))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abc $x")), max_size=20), st.sampled_from(["'", '"', "`"]))
def test_unterminated_quotes_get_bash_message(prefix, quote):
    text = f"echo {prefix}{quote}{prefix}"
    if quote == "`" or "$" in prefix:
        text = f"echo {quote}abc"
    lab = _quote_lab()
    assert needs_more(text)
    res = lab.run(text)
    expected = f"unexpected EOF while looking for matching `{quote}'\n"
    assert res.stderr.endswith(expected) and res.exit_code == 2


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["EOF", "END", "X1"]), st.text(alphabet="abc \n$", max_size=30))
def test_unterminated_heredoc_warns_and_runs(delim, body):
    text = f"cat <<{delim}\n{body.replace(delim, '')}"
    assert needs_more(text)
    res = _quote_lab().run(text)
    assert f"here-document at line 1 delimited by end-of-file (wanted `{delim}')" in res.stderr
