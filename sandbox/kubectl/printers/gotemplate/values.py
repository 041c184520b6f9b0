"""Errors and the value model shared by the parser and the executor (missing keys, constants)."""

from __future__ import annotations

from ..jsonpath import PrintError


class TemplateParseError(PrintError):
    pass


class TemplateExecError(PrintError):
    """Execution failed; ``stdout`` holds what kubectl still writes to stdout (partial output and the
    debugging dump), ``str()`` the error line kubectl prints on stderr (after ``error: ``)."""

    def __init__(self, message: str, stdout: str) -> None:
        super().__init__(message)
        self.stdout = stdout


class _Missing:
    """reflect's invalid Value: a missing map key, printed as ``<no value>``."""

    def __repr__(self) -> str:
        return "<no value>"


MISSING = _Missing()


class ConstInt(int):
    """An untyped integer constant of the template (Go ``int``); data integers are ``int64``."""


class _ExecError(Exception):
    pass


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


class _FinalMissing:
    pass


_FINAL_MISSING = _FinalMissing()
