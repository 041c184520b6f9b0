"""Parser: structure, incomplete input detection, and each shell's own syntax-error wording."""

from __future__ import annotations

import pytest

from sandbox.shell import nodes as N
from sandbox.shell.parser import Incomplete, Parser, ShellSyntaxError, format_error, needs_more, parse


def _simple(prog: N.Program, i: int = 0) -> N.Simple:
    cmd = prog.items[i].body.first.commands[0]
    assert isinstance(cmd, N.Simple)
    return cmd


def test_words_keep_quoting():
    prog = parse("echo 'a b' \"c $x\" d\\ e")
    words = _simple(prog).words
    assert [w.raw for w in words] == ["echo", "'a b'", '"c $x"', "d\\ e"]
    assert words[1].parts == [N.Lit("a b", True)]
    dq = words[2].parts[0]
    assert isinstance(dq, N.DQuote) and isinstance(dq.parts[1], N.Param) and dq.parts[1].name == "x"


def test_operators_and_pipelines():
    prog = parse("a | b && c || d; e &")
    assert len(prog.items) == 2
    ao = prog.items[0].body
    assert len(ao.first.commands) == 2
    assert [op for op, _ in ao.rest] == ["&&", "||"]
    assert prog.items[1].background


def test_redirections_with_fds():
    cmd = _simple(parse("cmd >out 2>&1 <in >>app &>both 2>/dev/null"))
    assert [(r.fd, r.op) for r in cmd.redirs] == [(None, ">"), (2, ">&"), (None, "<"), (None, ">>"),
                                                   (None, "&>"), (2, ">")]


def test_heredoc_bodies_and_quoting():
    prog = parse("cat <<EOF\nhi $USER\nEOF\ncat <<'X'\n$lit\nX\ncat <<-T\n\t\tindented\n\tT\n")
    docs = [_simple(prog, i).redirs[0].target for i in range(3)]
    assert [d.delimiter for d in docs] == ["EOF", "X", "T"]
    assert not docs[0].quoted and docs[1].quoted
    assert docs[1].body.parts == [N.Lit("$lit\n", True)]
    assert docs[2].body.raw == "indented\n"


def test_compound_commands():
    prog = parse("if a; then b; elif c; then d; else e; fi; for i in 1 2; do :; done; while x; do y; done; "
                 "until z; do :; done; case $v in a|b) one;; *) two;; esac; { g; }; (h); f() { i; }")
    kinds = [type(item.body.first.commands[0]).__name__ for item in prog.items]
    assert kinds == ["If", "For", "While", "While", "Case", "Group", "Group", "FuncDef"]


def test_assignments_prefix_words():
    cmd = _simple(parse("A=1 B=\"x y\" env"))
    assert [a.name for a in cmd.assigns] == ["A", "B"]
    assert [w.raw for w in cmd.words] == ["env"]


def test_command_substitution_nested_and_backticks():
    prog = parse("echo $(echo $(echo hi)) `echo \\`echo b\\``")
    words = _simple(prog).words
    assert isinstance(words[1].parts[0], N.CmdSub)
    assert isinstance(words[2].parts[0], N.CmdSub)


def test_case_pattern_paren_inside_substitution():
    prog = parse("x=$(case a in a) echo yes;; esac)")
    assert isinstance(_simple(prog).assigns[0].value.parts[0], N.CmdSub)


@pytest.mark.parametrize("text", [
    'echo "abc', "echo 'abc", "echo `x", "echo $(ls", "echo ${x", "cat <<EOF\nabc", "echo a |", "a &&",
    "a ||", "echo \\", "for i in 1; do", "if true; then", "while :", "case x in", "f() {", "{ echo",
    "(echo",
])
def test_needs_more(text):
    assert needs_more(text)


@pytest.mark.parametrize("text", ["echo ok", "if true; then :; fi", "cat <<EOF\nx\nEOF", "echo )", "",
                                  "# comment", "a; b", "fi"])
def test_complete_or_error_needs_no_more(text):
    assert not needs_more(text)


def _err(text: str) -> ShellSyntaxError:
    with pytest.raises(ShellSyntaxError) as info:
        Parser(text, eof_heredoc_ok=True).parse_all()
    return info.value


@pytest.mark.parametrize("text,token", [
    ("echo )", ")"), ("; ls", ";"), ("fi", "fi"), ("a && ;", ";"), ("echo > ;", ";"), ("| x", "|"),
    ("done", "done"), ("then", "then"), ("echo >", "newline"),
])
def test_bash_unexpected_token(text, token):
    e = _err(text)
    assert format_error(e, "bash", "-bash") == f"-bash: syntax error near unexpected token `{token}'\n"


def test_unterminated_quote_messages_per_flavour():
    e = _err('echo "abc')
    assert isinstance(e, Incomplete)
    assert format_error(e, "bash", "bash") == "bash: unexpected EOF while looking for matching `\"'\n"
    assert format_error(e, "busybox", "sh") == "sh: syntax error: unterminated quoted string\n"
    assert format_error(e, "dash", "sh") == "sh: 1: Syntax error: Unterminated quoted string\n"


def test_unexpected_end_of_file_per_flavour():
    e = _err("for i in 1; do echo")
    assert format_error(e, "bash", "bash") == "bash: syntax error: unexpected end of file\n"
    assert format_error(e, "busybox", "sh") == 'sh: syntax error: unexpected end of file (expecting "done")\n'
    assert format_error(e, "dash", "sh") == 'sh: 1: Syntax error: end of file unexpected (expecting "done")\n'


def test_dash_and_ash_unexpected_token():
    e = _err("echo )")
    assert format_error(e, "dash", "sh") == 'sh: 1: Syntax error: ")" unexpected\n'
    assert format_error(e, "busybox", "sh") == 'sh: syntax error: unexpected ")"\n'


def test_heredoc_at_eof_is_a_warning_when_final():
    p = Parser("cat <<EOF\nabc", eof_heredoc_ok=True)
    prog = p.parse_all()
    assert _simple(prog).redirs[0].target.body.raw == "abc\n"
    assert p.lex.warnings == ["warning: here-document at line 1 delimited by end-of-file (wanted `EOF')"]


def test_parse_next_stops_at_each_line():
    p = Parser("echo a\necho b; echo c\n")
    first = p.parse_next()
    second = p.parse_next()
    assert len(first.items) == 1 and len(second.items) == 2
    assert p.parse_next() is None
