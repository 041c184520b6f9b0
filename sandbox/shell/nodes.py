"""The shell's syntax tree. Words keep their quoting so expansion can decide what splits and globs."""

from __future__ import annotations

from dataclasses import dataclass, field

# ---------------------------------------------------------------------------------------------
# word parts


@dataclass
class Lit:
    """Literal text; ``quoted`` text is never split, globbed or tilde-expanded."""

    text: str
    quoted: bool = False


@dataclass
class DQuote:
    """A double-quoted region: its expansions are not split or globbed."""

    parts: list


@dataclass
class Param:
    """``$name``/``${name...}``. ``op`` is None, ":-", "-", ":=", "=", ":+", "+", ":?", "?", "#",
    "##", "%", "%%", "/", "//", "/#", "/%", "len", ":" (substring), "^^", "^", ",,", "," or "bad"."""

    name: str
    op: str | None = None
    arg: Word | None = None
    arg2: Word | None = None
    raw: str = ""
    index: Word | None = None  # ${a[i]}: "@"/"*" or an arithmetic index


@dataclass
class CmdSub:
    body: Program
    raw: str = ""


@dataclass
class ProcSub:
    """``<(cmd)``: the command's output as a file name (``/dev/fd/63``)."""

    body: Program
    raw: str = ""


@dataclass
class Arith:
    expr: Word
    raw: str = ""


@dataclass
class Word:
    parts: list
    raw: str = ""

    def literal(self) -> str | None:
        """The text if the word is a single unquoted literal (reserved words, alias names)."""
        if len(self.parts) == 1 and isinstance(self.parts[0], Lit) and not self.parts[0].quoted:
            return self.parts[0].text
        return None

    def static_text(self) -> str | None:
        """The text if the word contains no expansions at all (quoted or not)."""
        out = []
        for p in self.parts:
            if isinstance(p, Lit):
                out.append(p.text)
            elif isinstance(p, DQuote) and all(isinstance(q, Lit) for q in p.parts):
                out.append("".join(q.text for q in p.parts))
            else:
                return None
        return "".join(out)


# ---------------------------------------------------------------------------------------------
# commands


@dataclass
class HereDoc:
    delimiter: str
    quoted: bool
    strip_tabs: bool
    body: Word | None = None  # filled when the body is read (after the next newline)


@dataclass
class Redirect:
    fd: int | None
    op: str  # > >> < <> >| >& <& &> &>> << <<- <<<
    target: Word | HereDoc


@dataclass
class Assign:
    name: str
    value: Word
    append: bool = False
    index: Word | None = None  # a[i]=v
    array: list[Word] | None = None  # a=(x y z)


@dataclass
class Simple:
    assigns: list[Assign] = field(default_factory=list)
    words: list[Word] = field(default_factory=list)
    redirs: list[Redirect] = field(default_factory=list)
    line: int = 1


@dataclass
class Pipeline:
    commands: list
    negate: bool = False


@dataclass
class AndOr:
    first: Pipeline
    rest: list[tuple[str, Pipeline]] = field(default_factory=list)


@dataclass
class Item:
    body: AndOr
    background: bool = False
    text: str = ""  # the source of a background job (bash's job notices show it)


@dataclass
class Program:
    items: list[Item] = field(default_factory=list)


@dataclass
class If:
    branches: list[tuple[Program, Program]]
    orelse: Program | None = None
    redirs: list[Redirect] = field(default_factory=list)


@dataclass
class For:
    var: str
    words: list[Word] | None
    body: Program
    redirs: list[Redirect] = field(default_factory=list)


@dataclass
class ArithFor:
    init: str
    cond: str
    step: str
    body: Program
    redirs: list[Redirect] = field(default_factory=list)


@dataclass
class While:
    cond: Program
    body: Program
    until: bool = False
    redirs: list[Redirect] = field(default_factory=list)


@dataclass
class Case:
    word: Word
    items: list[tuple[list[Word], Program, str]]
    redirs: list[Redirect] = field(default_factory=list)


@dataclass
class Group:
    body: Program
    subshell: bool = False
    redirs: list[Redirect] = field(default_factory=list)


@dataclass
class FuncDef:
    name: str
    body: object
    redirs: list[Redirect] = field(default_factory=list)


@dataclass
class DBracket:
    """``[[ ... ]]``: tokens are Words or operator strings ("&&", "||", "!", "(", ")", "<", ">")."""

    tokens: list
    redirs: list[Redirect] = field(default_factory=list)


@dataclass
class ArithCmd:
    expr: Word
    redirs: list[Redirect] = field(default_factory=list)
