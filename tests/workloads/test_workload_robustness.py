"""Bad input never crashes: any script parses or is a syntax error; any image text is found or not."""

from hypothesis import given, settings
from hypothesis import strategies as st

from sandbox.workloads import minish
from sandbox.workloads.images import image_info, pull_error
from tests.workloads.kit import make_pod, start

TOKENS = ["echo", "hi", ";", "&&", "||", "|", "while", "true", "do", "done", "for", "i", "in", "if", "then", "else",
          "fi", "elif", ">", ">>", "2>&1", "/tmp/x", "sleep", "1", "exit", "3", "'q", '"', "$X", "[", "-f", "]",
          "cat", "rm", "touch", "\n", "#c", "trap", "TERM", "printf", "test", "=", "!", "curl", "until", "false"]

RT = start(make_pod("f", "busybox", command=["sleep", "1000"]))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), min_size=1, max_size=14), st.sampled_from(["ash", "dash", "bash", "exec"]))
def test_scripts_never_crash(words, flavour):
    script = " ".join(words)
    try:
        tree = minish.parse(script)
    except minish.SyntaxErr:
        return
    code = minish.run_now(minish.Interpreter(RT, flavour, lambda s, t: None), tree, budget=50)
    assert -1 <= code <= 255


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_image_text_never_crashes(text):
    info = image_info(text)
    assert info is None or info.image_name.startswith(info.repository)
    assert isinstance(pull_error(text), str)
