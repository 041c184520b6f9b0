"""Go text/tabwriter as kubectl configures it (minwidth 6, tabwidth 4, padding 3, spaces).

Cells are tab-terminated; the last cell of a line is not part of a column, so it is never padded
(a row ending in an empty cell keeps the previous column's padding: ``get-contexts``' trailing spaces).
Column widths follow tabwriter's blocks: consecutive lines that have a cell in that column.
"""

from __future__ import annotations

from unicodedata import east_asian_width


def _width(text: str) -> int:
    return sum(2 if east_asian_width(ch) in "WF" else 1 for ch in text)


def tabwrite(lines: list[list[str]], *, minwidth: int = 6, padding: int = 3) -> str:
    """Format rows whose cells would be joined by tabs (every cell but the last is terminated)."""
    out_cells: list[list[str]] = [list(row) for row in lines]
    _format(out_cells, 0, 0, len(out_cells), minwidth, padding)
    return "".join("".join(row) + "\n" for row in out_cells)


def _format(rows: list[list[str]], col: int, start: int, end: int, minwidth: int, padding: int) -> None:
    """Recursive block formatting, as tabwriter.format does."""
    line = start
    while line < end:
        if len(rows[line]) - 1 <= col:
            line += 1
            continue
        # a block of lines that all have a terminated cell in this column
        block_end = line
        width = minwidth
        while block_end < end and len(rows[block_end]) - 1 > col:
            w = _width(rows[block_end][col]) + padding
            width = max(width, w)
            block_end += 1
        for i in range(line, block_end):
            cell = rows[i][col]
            rows[i][col] = cell + " " * (width - _width(cell))
        _format(rows, col + 1, line, block_end, minwidth, padding)
        line = block_end
