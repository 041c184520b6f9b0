"""kubectl's client-side failures and how checkErr renders them (all exit 1, all on stderr)."""

from __future__ import annotations


class KubectlError(Exception):
    """A plain failure: printed as ``error: <message>`` (the prefix is added when missing)."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code

    def render(self) -> str:
        msg = self.message if self.message.startswith("error: ") else f"error: {self.message}"
        return msg if msg.endswith("\n") else msg + "\n"


class UsageError(KubectlError):
    """cmdutil.UsageErrorf: the message plus ``See '<command path> -h' for help and examples``."""

    def __init__(self, message: str, command_path: str) -> None:
        super().__init__(f"{message}\nSee '{command_path} -h' for help and examples")


class RawError(KubectlError):
    """Text printed to stderr exactly as given (help of a group command, fatal klog lines)."""

    def render(self) -> str:
        return self.message


class Exit(Exception):  # noqa: N818 - a control-flow signal, not an error
    """Stop the command with this exit code (output already written)."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


class AggregateError(KubectlError):
    """utilerrors.Aggregate: one line per error (StandardErrorMessage or the raw text, no prefix)."""

    def __init__(self, errors: list[Exception]) -> None:
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors

    def render(self) -> str:
        if len(self.errors) == 1:
            return render_error(self.errors[0])
        lines = []
        for e in self.errors:
            if hasattr(e, "kubectl_text") and getattr(e, "reason", ""):
                from sandbox.api.errors import ApiError

                assert isinstance(e, ApiError)
                lines.append(f"Error from server ({e.reason}): {e.message}\n")
            elif isinstance(e, KubectlError):
                lines.append(e.message.removeprefix("error: ").rstrip("\n") + "\n")
            else:
                lines.append(f"{e}\n")
        return "".join(lines)


def render_error(exc: Exception) -> str:
    """checkErr for one error: what reaches stderr (always ending in a newline)."""
    if isinstance(exc, KubectlError):
        return exc.render()
    text = exc.kubectl_text() if hasattr(exc, "kubectl_text") else f"error: {exc}"
    return text if text.endswith("\n") else text + "\n"
