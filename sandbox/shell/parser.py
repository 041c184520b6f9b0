"""Shell text -> syntax tree: a hand-written lexer and recursive-descent parser (POSIX sh + bash bits).

The lexer is pulled by the parser one token at a time so that heredoc bodies are read right after
the newline that ends their command, and ``$( ... )`` is parsed by a nested parser over the same
text (which is how bash finds the closing parenthesis). Input that stops in the middle of a
construct raises ``Incomplete`` (the UI then asks for more lines); wrong input raises
``ShellSyntaxError`` carrying the offending token, formatted per shell flavour by ``format_error``.
"""

from __future__ import annotations

from sandbox.shell.lexer import (  # noqa: F401 - re-exported for callers of the parser
    _ASSIGN,
    _FUNC_NAME,
    _NAME,
    _PAREN_AHEAD,
    _REDIR_OPS,
    _STOP_WORDS,
    RESERVED,
    Incomplete,
    Lexer,
    ShellSyntaxError,
    Token,
    _arith_word,
    _scan_arith,
)
from sandbox.shell.nodes import (
    AndOr,
    ArithCmd,
    ArithFor,
    Assign,
    Case,
    DBracket,
    DQuote,
    For,
    FuncDef,
    Group,
    HereDoc,
    If,
    Item,
    Lit,
    Pipeline,
    Program,
    Redirect,
    Simple,
    While,
    Word,
)


def format_error(err: ShellSyntaxError, flavour: str, name: str, *, interactive: bool = True,
                 mode: str = "-c", text: str = "") -> str:
    """The exact complaint of each shell (bash 5.2, dash, busybox ash), newline-terminated.

    ``mode`` is how a non-interactive bash got its text ("-c" string or a script file); ``text`` is
    that text (bash quotes the offending line and counts the end-of-file line from it).
    """
    if err.message is not None and not isinstance(err, Incomplete):
        prefix = f"{name}: " if flavour != "dash" else f"{name}: {err.line}: "
        return f"{prefix}{err.message}\n"
    if flavour == "dash":
        if isinstance(err, Incomplete):
            if err.quote:
                return f"{name}: {err.line}: Syntax error: Unterminated quoted string\n"
            exp = f' (expecting "{err.expecting}")' if err.expecting else ""
            return f"{name}: {err.line}: Syntax error: end of file unexpected{exp}\n"
        tok = "newline" if err.token == "newline" else f'"{err.token}"'
        exp = f' (expecting "{err.expecting}")' if err.expecting else ""
        return f"{name}: {err.line}: Syntax error: {tok} unexpected{exp}\n"
    if flavour in ("busybox", "ash"):
        if isinstance(err, Incomplete):
            if err.quote:
                return f"{name}: syntax error: unterminated quoted string\n"
            exp = f' (expecting "{err.expecting}")' if err.expecting else ""
            return f"{name}: syntax error: unexpected end of file{exp}\n"
        tok = "newline" if err.token == "newline" else f'"{err.token}"'
        exp = f' (expecting "{err.expecting}")' if err.expecting else ""
        return f"{name}: syntax error: unexpected {tok}{exp}\n"
    # bash (and zsh, approximated by bash's wording)
    if interactive:
        if isinstance(err, Incomplete):
            if err.quote:
                return f"{name}: unexpected EOF while looking for matching `{err.quote}'\n"
            return f"{name}: syntax error: unexpected end of file\n"
        return f"{name}: syntax error near unexpected token `{err.token}'\n"
    where = f"{name}: -c: " if mode == "-c" else f"{name}: "
    if isinstance(err, Incomplete):
        if err.quote:
            return f"{where}line {err.line}: unexpected EOF while looking for matching `{err.quote}'\n"
        last = text.count("\n") + (1 if text.endswith("\n") else 2)
        return f"{where}line {last}: syntax error: unexpected end of file\n"
    lines = text.split("\n")
    quoted = lines[err.line - 1] if 0 < err.line <= len(lines) else ""
    return (f"{where}line {err.line}: syntax error near unexpected token `{err.token}'\n"
            f"{where}line {err.line}: `{quoted}'\n")


# =============================================================================================
# parser


class Parser:
    def __init__(self, src: str, pos: int = 0, line: int = 1, *, eof_heredoc_ok: bool = False) -> None:
        self.lex = Lexer(src, pos, line, eof_heredoc_ok=eof_heredoc_ok)
        self.depth = 0

    # -- entry points ----------------------------------------------------------------------------
    def parse_all(self) -> Program:
        """The whole text as one program (for ``sh -c``, ``$( )`` bodies, ``eval``, ``source``)."""
        items: list[Item] = []
        while True:
            prog = self.parse_next()
            if prog is None:
                break
            items.extend(prog.items)
        return Program(items)

    def parse_next(self) -> Program | None:
        """The next complete command (up to a newline), or None at the end of the text."""
        self._skip_newlines()
        if self.lex.peek().kind == "EOF":
            return None
        items = self._list_items(top=True)
        tok = self.lex.peek()
        if tok.kind == "NL":
            self.lex.next()
        elif tok.kind != "EOF":
            raise ShellSyntaxError(tok.value, line=tok.line)
        return Program(items)

    def parse_until_paren(self) -> Program:
        """The body of ``$( ... )``: up to and including the matching ``)``."""
        self._skip_newlines()
        items: list[Item] = []
        if not self._at_op(")"):
            items = self._compound_list({")"}, allow_empty=True)
        tok = self.lex.next()
        if tok.kind == "EOF":
            raise Incomplete(quote=")", line=tok.line)
        if tok.value != ")" or tok.kind != "OP":
            raise ShellSyntaxError(tok.value, line=tok.line)
        return Program(items)

    # -- helpers ---------------------------------------------------------------------------------
    def _skip_newlines(self) -> None:
        while self.lex.peek().kind == "NL":
            self.lex.next()

    def _at_op(self, op: str) -> bool:
        tok = self.lex.peek()
        return tok.kind == "OP" and tok.value == op

    def _at_word(self, word: str) -> bool:
        tok = self.lex.peek()
        return tok.kind == "WORD" and tok.word is not None and tok.word.literal() == word

    def _expect_word(self, word: str, expecting: str | None = None) -> None:
        tok = self.lex.next()
        if tok.kind == "WORD" and tok.word is not None and tok.word.literal() == word:
            return
        if tok.kind == "EOF":
            raise Incomplete(expecting=expecting or word, line=tok.line)
        raise ShellSyntaxError(tok.value, expecting or word, tok.line)

    # -- lists -----------------------------------------------------------------------------------
    def _list_items(self, top: bool = False) -> list[Item]:
        """and_or ((';'|'&') and_or)* on one line (top level: a newline ends the command)."""
        items: list[Item] = []
        while True:
            start = self.lex.peek().pos
            ao = self._and_or()
            tok = self.lex.peek()
            if tok.kind == "OP" and tok.value in (";", "&"):
                self.lex.next()
                text = self.lex.src[start:tok.pos].strip() if tok.value == "&" else ""
                items.append(Item(ao, tok.value == "&", text))
                nxt = self.lex.peek()
                if nxt.kind in ("NL", "EOF"):
                    return items
                if nxt.kind == "OP" and nxt.value in (")", ";;", ";&", ";;&"):
                    return items
                if nxt.kind == "WORD" and nxt.word is not None and nxt.word.literal() in _STOP_WORDS:
                    return items
                continue
            items.append(Item(ao))
            return items

    def _compound_list(self, stops: set[str], allow_empty: bool = False, expecting: str | None = None) -> list[Item]:
        """Commands over several lines until one of ``stops`` (reserved words or ")")."""
        items: list[Item] = []
        self._skip_newlines()
        while True:
            tok = self.lex.peek()
            if tok.kind == "EOF":
                raise Incomplete(expecting=expecting or _first(stops), line=tok.line)
            if self._is_stop(tok, stops):
                break
            items.extend(self._list_items())
            tok = self.lex.peek()
            if tok.kind == "NL":
                self._skip_newlines()
                continue
            if tok.kind == "EOF":
                raise Incomplete(expecting=expecting or _first(stops), line=tok.line)
            if self._is_stop(tok, stops):
                break
            raise ShellSyntaxError(tok.value, line=tok.line)
        if not items and not allow_empty:
            tok = self.lex.peek()
            raise ShellSyntaxError(tok.value, line=tok.line)
        return items

    @staticmethod
    def _is_stop(tok: Token, stops: set[str]) -> bool:
        if tok.kind == "OP":
            return tok.value in stops
        if tok.kind == "WORD" and tok.word is not None:
            return tok.word.literal() in stops
        return False

    def _and_or(self) -> AndOr:
        first = self._pipeline()
        rest: list[tuple[str, Pipeline]] = []
        while self._at_op("&&") or self._at_op("||"):
            op = self.lex.next().value
            self._skip_newlines()
            if self.lex.peek().kind == "EOF":
                raise Incomplete(line=self.lex.line)
            rest.append((op, self._pipeline()))
        return AndOr(first, rest)

    def _pipeline(self) -> Pipeline:
        negate = False
        while self._at_word("!"):
            self.lex.next()
            negate = not negate
        cmds = [self._command()]
        while self._at_op("|") or self._at_op("|&"):
            op = self.lex.next().value
            if op == "|&":
                cmds[-1] = _with_stderr_to_pipe(cmds[-1])
            self._skip_newlines()
            if self.lex.peek().kind == "EOF":
                raise Incomplete(line=self.lex.line)
            cmds.append(self._command())
        return Pipeline(cmds, negate)

    # -- commands --------------------------------------------------------------------------------
    def _command(self):
        self.depth += 1
        if self.depth > 200:
            raise ShellSyntaxError("(", message="maximum nesting depth exceeded")
        try:
            return self._command_inner()
        finally:
            self.depth -= 1

    def _command_inner(self):
        tok = self.lex.peek()
        if tok.kind == "EOF":
            raise Incomplete(line=tok.line)
        if tok.kind == "NL":
            raise ShellSyntaxError("newline", line=tok.line)
        if tok.kind == "OP":
            if tok.value == "(":
                src = self.lex.src
                if src.startswith("((", tok.pos):
                    end = _scan_arith(src, tok.pos + 2)
                    if end >= 0:
                        self.lex.peeked = None
                        self.lex.pos = end + 2
                        return ArithCmd(_arith_word(src[tok.pos + 2:end]), self._redirs())
                self.lex.next()
                body = self._compound_list({")"}, expecting=")")
                self.lex.next()
                return Group(Program(body), True, self._redirs())
            if tok.value in _REDIR_OPS:
                return self._simple()
            raise ShellSyntaxError(tok.value, line=tok.line)
        word = tok.word.literal() if tok.word is not None else None
        if word in ("if", "while", "until", "for", "case", "{", "[[", "function"):
            return getattr(self, "_" + {"{": "brace", "[[": "dbracket"}.get(word, word))()
        if word in _STOP_WORDS or word in ("]]",):
            raise ShellSyntaxError(word, line=tok.line)
        # function definition: name ( )
        if word and _FUNC_NAME.fullmatch(word):
            if _PAREN_AHEAD.match(self.lex.src, self.lex.pos):
                self.lex.next()
                self.lex.next()  # (
                if not self._at_op(")"):
                    t = self.lex.peek()
                    raise ShellSyntaxError(t.value, line=t.line)
                self.lex.next()
                return self._funcbody(word or "")
        return self._simple()

    def _funcbody(self, name: str) -> FuncDef:
        self._skip_newlines()
        tok = self.lex.peek()
        if tok.kind == "EOF":
            raise Incomplete(line=tok.line)
        body = self._command()
        if not isinstance(body, Group | If | For | While | Case | DBracket | ArithCmd | ArithFor):
            raise ShellSyntaxError(tok.value, line=tok.line)
        return FuncDef(name, body)

    def _function(self) -> FuncDef:
        self.lex.next()
        tok = self.lex.next()
        if tok.kind != "WORD":
            if tok.kind == "EOF":
                raise Incomplete(line=tok.line)
            raise ShellSyntaxError(tok.value, line=tok.line)
        if self._at_op("("):
            self.lex.next()
            if not self._at_op(")"):
                t = self.lex.peek()
                raise ShellSyntaxError(t.value, line=t.line)
            self.lex.next()
        return self._funcbody(tok.value)

    def _redirs(self) -> list[Redirect]:
        out: list[Redirect] = []
        while True:
            tok = self.lex.peek()
            if tok.kind == "OP" and tok.value in _REDIR_OPS:
                out.append(self._redirect())
            else:
                return out

    def _redirect(self) -> Redirect:
        tok = self.lex.next()
        target = self.lex.peek()
        if target.kind != "WORD":
            if target.kind == "EOF":
                raise ShellSyntaxError("newline", line=target.line)
            raise ShellSyntaxError(target.value, line=target.line)
        self.lex.next()
        assert target.word is not None
        if tok.value in ("<<", "<<-"):
            quoted = any(not (isinstance(p, Lit) and not p.quoted) for p in target.word.parts)
            delim = _unquote(target.word)
            doc = HereDoc(delim, quoted, tok.value == "<<-")
            self.lex.pending.append(doc)
            return Redirect(tok.fd, tok.value, doc)
        return Redirect(tok.fd, tok.value, target.word)

    def _simple(self) -> Simple:
        cmd = Simple(line=self.lex.peek().line)
        while True:
            tok = self.lex.peek()
            if tok.kind == "OP" and tok.value in _REDIR_OPS:
                cmd.redirs.append(self._redirect())
                continue
            if tok.kind != "WORD":
                break
            assert tok.word is not None
            if not cmd.words:
                m = _ASSIGN.match(tok.value)
                first = tok.word.parts[0] if tok.word.parts else None
                if m and isinstance(first, Lit) and not first.quoted and first.text.startswith(m.group(0)):
                    self.lex.next()
                    rest = Lit(first.text[m.end():])
                    parts = ([rest] if rest.text else []) + tok.word.parts[1:]
                    index = _arith_word(m.group(2)[1:-1]) if m.group(2) else None
                    array = None
                    if not parts and index is None and self.lex.src.startswith("(", self.lex.pos):
                        self.lex.next()  # a=(x y z): an indexed array
                        array = []
                        while not self._at_op(")"):
                            t = self.lex.next()
                            if t.kind == "EOF":
                                raise Incomplete(quote=")", line=t.line)
                            if t.kind == "WORD" and t.word is not None:
                                array.append(t.word)
                            elif t.kind != "NL":
                                raise ShellSyntaxError(t.value, line=t.line)
                        self.lex.next()
                    cmd.assigns.append(Assign(m.group(1), Word(parts, tok.value[m.end():]), m.group(3) == "+",
                                              index, array))
                    continue
            self.lex.next()
            cmd.words.append(tok.word)
        if not cmd.words and not cmd.assigns and not cmd.redirs:
            tok = self.lex.peek()
            if tok.kind == "EOF":
                raise Incomplete(line=tok.line)
            raise ShellSyntaxError(tok.value, line=tok.line)
        if self._at_op("(") and cmd.words:
            tok = self.lex.peek()
            raise ShellSyntaxError("(", line=tok.line)
        return cmd

    # -- compound commands -----------------------------------------------------------------------
    def _if(self) -> If:
        self.lex.next()
        branches = []
        cond = self._compound_list({"then"}, expecting="then")
        self._expect_word("then")
        body = self._compound_list({"elif", "else", "fi"}, expecting="fi")
        branches.append((Program(cond), Program(body)))
        orelse = None
        while True:
            tok = self.lex.next()
            w = tok.word.literal() if tok.word else None
            if w == "elif":
                cond = self._compound_list({"then"}, expecting="then")
                self._expect_word("then")
                body = self._compound_list({"elif", "else", "fi"}, expecting="fi")
                branches.append((Program(cond), Program(body)))
                continue
            if w == "else":
                orelse = Program(self._compound_list({"fi"}, expecting="fi"))
                self._expect_word("fi")
            break
        return If(branches, orelse, self._redirs())

    def _while(self, until: bool = False) -> While:
        self.lex.next()
        cond = self._compound_list({"do"}, expecting="do")
        self._expect_word("do")
        body = self._compound_list({"done"}, expecting="done")
        self._expect_word("done")
        return While(Program(cond), Program(body), until, self._redirs())

    def _until(self) -> While:
        return self._while(until=True)

    def _for(self):
        self.lex.next()
        if self._at_op("(") and self.lex.src.startswith("((", self.lex.peek().pos):
            tok = self.lex.peek()
            end = _scan_arith(self.lex.src, tok.pos + 2)
            if end < 0:
                raise Incomplete(quote=")", line=tok.line)
            self.lex.peeked = None
            inner = self.lex.src[tok.pos + 2:end]
            self.lex.pos = end + 2
            pieces = inner.split(";")
            if len(pieces) != 3:
                raise ShellSyntaxError("((", line=tok.line, message="syntax error: arithmetic expression required")
            if self._at_op(";"):
                self.lex.next()
            self._skip_newlines()
            body = self._do_group()
            return ArithFor(pieces[0], pieces[1], pieces[2], body, self._redirs())
        tok = self.lex.next()
        if tok.kind != "WORD" or not _NAME.fullmatch(tok.value):
            if tok.kind == "EOF":
                raise Incomplete(line=tok.line)
            raise ShellSyntaxError(tok.value, line=tok.line) if tok.kind != "WORD" else ShellSyntaxError(
                tok.value, line=tok.line, message=f"`{tok.value}': not a valid identifier")
        var = tok.value
        words: list[Word] | None = None
        self._skip_newlines()
        if self._at_word("in"):
            self.lex.next()
            words = []
            while self.lex.peek().kind == "WORD":
                w = self.lex.next().word
                assert w is not None
                words.append(w)
            t = self.lex.peek()
            if t.kind == "OP" and t.value == ";":
                self.lex.next()
            elif t.kind == "NL":
                pass
            elif t.kind == "EOF":
                raise Incomplete(expecting="do", line=t.line)
            else:
                raise ShellSyntaxError(t.value, line=t.line)
        elif self._at_op(";"):
            self.lex.next()
        self._skip_newlines()
        body = self._do_group()
        return For(var, words, body, self._redirs())

    def _do_group(self) -> Program:
        tok = self.lex.peek()
        if tok.kind == "EOF":
            raise Incomplete(expecting="do", line=tok.line)
        if self._at_word("{"):
            g = self._brace()
            return g.body
        self._expect_word("do")
        body = self._compound_list({"done"}, expecting="done")
        self._expect_word("done")
        return Program(body)

    def _brace(self) -> Group:
        self.lex.next()
        body = self._compound_list({"}"}, expecting="}")
        self._expect_word("}")
        return Group(Program(body), False, self._redirs())

    def _case(self) -> Case:
        self.lex.next()
        tok = self.lex.next()
        if tok.kind != "WORD":
            if tok.kind == "EOF":
                raise Incomplete(expecting="in", line=tok.line)
            raise ShellSyntaxError(tok.value, line=tok.line)
        assert tok.word is not None
        word = tok.word
        self._skip_newlines()
        self._expect_word("in")
        items: list[tuple[list[Word], Program, str]] = []
        while True:
            self._skip_newlines()
            t = self.lex.peek()
            if t.kind == "EOF":
                raise Incomplete(expecting="esac", line=t.line)
            if self._at_word("esac"):
                self.lex.next()
                break
            if self._at_op("("):
                self.lex.next()
            patterns: list[Word] = []
            while True:
                t = self.lex.next()
                if t.kind == "EOF":
                    raise Incomplete(expecting="esac", line=t.line)
                if t.kind != "WORD":
                    raise ShellSyntaxError(t.value, line=t.line)
                assert t.word is not None
                patterns.append(t.word)
                t = self.lex.next()
                if t.kind == "OP" and t.value == "|":
                    continue
                if t.kind == "OP" and t.value == ")":
                    break
                if t.kind == "EOF":
                    raise Incomplete(expecting="esac", line=t.line)
                raise ShellSyntaxError(t.value, line=t.line)
            self._skip_newlines()
            body: list[Item] = []
            if not (self._at_op(";;") or self._at_op(";&") or self._at_op(";;&") or self._at_word("esac")):
                body = self._compound_list({";;", ";&", ";;&", "esac"}, allow_empty=True, expecting="esac")
            t = self.lex.peek()
            term = ";;"
            if t.kind == "OP" and t.value in (";;", ";&", ";;&"):
                self.lex.next()
                term = t.value
            items.append((patterns, Program(body), term))
        return Case(word, items, self._redirs())

    def _dbracket(self) -> DBracket:
        self.lex.next()
        tokens: list = []
        self.lex.dbracket = True
        try:
            while True:
                tok = self.lex.peek()
                if tok.kind == "EOF":
                    raise Incomplete(line=tok.line)
                if tok.kind == "WORD" and tok.word is not None and tok.word.literal() == "]]":
                    self.lex.next()
                    break
                if tok.kind == "NL":
                    raise ShellSyntaxError("newline", line=tok.line)
                self.lex.next()
                if tok.kind == "OP":
                    if tok.value in ("&&", "||", "(", ")"):
                        tokens.append(tok.value)
                        continue
                    raise ShellSyntaxError(tok.value, line=tok.line)
                tokens.append(tok.word)
                if tok.word is not None and tok.word.literal() == "=~":
                    tokens.append(self.lex.read_regex_word())
        finally:
            self.lex.dbracket = False
        if not tokens:
            raise ShellSyntaxError("]]", line=self.lex.line)
        return DBracket(tokens, self._redirs())


def _first(stops: set[str]) -> str:
    for w in ("done", "fi", "esac", "}", ")", "then", "do"):
        if w in stops:
            return w
    return sorted(stops)[0]


def _unquote(word: Word) -> str:
    out = []
    for p in word.parts:
        if isinstance(p, Lit):
            out.append(p.text)
        elif isinstance(p, DQuote):
            out.extend(q.text if isinstance(q, Lit) else getattr(q, "raw", "") for q in p.parts)
        else:
            out.append(getattr(p, "raw", ""))
    return "".join(out)


def _with_stderr_to_pipe(cmd):
    redir = Redirect(2, ">&", Word([Lit("1")], "1"))
    if hasattr(cmd, "redirs"):
        cmd.redirs.append(redir)
    return cmd


def needs_more(text: str) -> bool:
    """True when ``text`` stops inside a construct (the UI shows a continuation prompt)."""
    try:
        Parser(text).parse_all()
    except Incomplete:
        return True
    except ShellSyntaxError:
        return False
    except RecursionError:
        return False
    return False


def parse(text: str) -> Program:
    return Parser(text, eof_heredoc_ok=True).parse_all()
