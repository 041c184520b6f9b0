"""Go's text/tabwriter (liggitt/tabwriter as vendored by kubectl), cell-block algorithm included.

Columns are aligned per *block* of consecutive lines that have a cell in that column; the text
after a line's last tab is not part of any column (so the last table column is never padded).
Widths count runes, exactly like Go (``utf8.RuneCount``), not terminal cells.
"""

from __future__ import annotations


class TabWriter:
    """Buffer text, then ``flush()`` it aligned.

    ``remember_widths`` keeps the widest width seen per column across flushes, which is how
    ``kubectl get -w`` keeps later rows aligned with the first table.
    """

    def __init__(self, minwidth: int = 6, tabwidth: int = 4, padding: int = 3, padchar: str = " ",
                 remember_widths: bool = False) -> None:
        self.minwidth = minwidth
        self.tabwidth = tabwidth
        self.padding = padding
        self.padchar = padchar
        self.remember = remember_widths
        self.maxwidths: list[int] = []
        self._buf: list[str] = []
        self._widths: list[int] = []
        self._out: list[str] = []
        self._cells: list[list[str]] = []

    def write(self, text: str) -> None:
        self._buf.append(text)

    def reset_widths(self) -> None:
        self.maxwidths = []

    def flush(self) -> str:
        text = "".join(self._buf)
        self._buf = []
        if not text:
            return ""
        self._cells = [line.split("\t") for line in text.split("\n")]
        self._out = []
        self._widths = []
        self._format(0, len(self._cells))
        return "".join(self._out)

    def _format(self, line0: int, line1: int) -> None:
        column = len(self._widths)
        cells = self._cells
        this = line0
        while this < line1:
            if column >= len(cells[this]) - 1:
                this += 1
                continue
            self._write_lines(line0, this)
            line0 = this
            width = self.minwidth
            while this < line1:
                line = cells[this]
                if column >= len(line) - 1:
                    break
                w = len(line[column]) + self.padding
                if w > width:
                    width = w
                this += 1
            if self.remember:
                if len(self.maxwidths) <= column:
                    self.maxwidths.extend([0] * (column + 1 - len(self.maxwidths)))
                if self.maxwidths[column] > width:
                    width = self.maxwidths[column]
                else:
                    self.maxwidths[column] = width
            self._widths.append(width)
            self._format(line0, this)
            self._widths.pop()
            line0 = this
        self._write_lines(line0, line1)

    def _write_lines(self, line0: int, line1: int) -> None:
        out = self._out
        widths = self._widths
        last = len(self._cells) - 1
        for i in range(line0, line1):
            line = self._cells[i]
            n = len(line)
            for j, cell in enumerate(line):
                out.append(cell)
                if j < n - 1 and j < len(widths):
                    pad = widths[j] - len(cell)
                    if pad > 0:
                        out.append(self.padchar * pad)
            if i != last:
                out.append("\n")


def tabwrite(text: str, *, minwidth: int = 6, tabwidth: int = 4, padding: int = 3, padchar: str = " ") -> str:
    """Align ``text`` in one go (kubectl get: 6, 4, 3, ' '; describe: 0, 8, 2, ' ')."""
    writer = TabWriter(minwidth, tabwidth, padding, padchar)
    writer.write(text)
    return writer.flush()


_ESCAPER = str.maketrans({"\x1b": "^[", "\r": "\\r"})


def escape_terminal(text: str) -> str:
    """cli-runtime's EscapeTerminal: ESC -> ``^[`` and CR -> ``\\r`` (no terminal escape attacks)."""
    return text.translate(_ESCAPER)
