"""File descriptors of a running command: writers for stdout/stderr and a readable stdin.

Pipelines run stage by stage, so a pipe is just a buffer the next stage reads. A file opened by
``>`` is truncated when the redirection is applied (as ``open(O_TRUNC)``) and each write appends.
"""

from __future__ import annotations

from collections.abc import Callable

from sandbox.shell.vfs import VirtualFS


class Writer:
    is_tty = False

    def write(self, text: str) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class TermWriter(Writer):
    """The learner's terminal: text goes to the lab's output callback."""

    is_tty = True

    def __init__(self, stream: str, emit: Callable[[str, str], None]) -> None:
        self.stream = stream
        self.emit = emit

    def write(self, text: str) -> None:
        if text:
            self.emit(self.stream, text)


class BufWriter(Writer):
    """A pipe or a command substitution: collected and handed on when the writer is done."""

    def __init__(self, limit: int = 64 * 1024 * 1024) -> None:
        self.parts: list[str] = []
        self.size = 0
        self.limit = limit

    def write(self, text: str) -> None:
        if self.size < self.limit:
            self.parts.append(text)
            self.size += len(text)

    def getvalue(self) -> str:
        return "".join(self.parts)


class FileWriter(Writer):
    def __init__(self, fs: VirtualFS, path: str) -> None:
        self.fs = fs
        self.path = path

    def write(self, text: str) -> None:
        if text and self.fs.exists(self.path):
            self.fs.write(self.path, text, append=True)


class NullWriter(Writer):
    def write(self, text: str) -> None:
        pass


class Stdin:
    """Standard input shared by the commands of a compound (``while read l; do ...; done < f``)."""

    def __init__(self, text: str = "", *, tty: bool = False) -> None:
        self.text = text
        self.pos = 0
        self.is_tty = tty

    def read_all(self) -> str:
        data = self.text[self.pos:]
        self.pos = len(self.text)
        return data

    def read_line(self) -> str | None:
        """The next line including its newline; None at end of input."""
        if self.pos >= len(self.text):
            return None
        end = self.text.find("\n", self.pos)
        end = len(self.text) if end < 0 else end + 1
        line = self.text[self.pos:end]
        self.pos = end
        return line


class IO:
    """The three standard descriptors (plus any a script opened with ``3>`` etc.)."""

    def __init__(self, stdin: Stdin, stdout: Writer, stderr: Writer) -> None:
        self.stdin = stdin
        self.fds: dict[int, Writer] = {1: stdout, 2: stderr}

    @property
    def out(self) -> Writer:
        return self.fds.get(1) or NullWriter()

    @property
    def err(self) -> Writer:
        return self.fds.get(2) or NullWriter()

    def copy(self) -> IO:
        new = IO(self.stdin, self.out, self.err)
        new.fds = dict(self.fds)
        return new
