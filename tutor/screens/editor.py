"""The modal editor that `vi`, `vim`, `nano` and `kubectl edit` open.

ctrl+s saves; escape and ctrl+q cancel (asking first when the text changed). Both are priority
bindings because ``TextArea.code_editor`` consumes escape itself.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Footer, Static, TextArea

from tutor.keymap import key

LANGUAGES = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".sh": "bash", ".md": "markdown"}


def language_for(path: str, text: str) -> str | None:
    """YAML for manifests (and kubectl edit's temp files); a few others by extension."""
    suffix = PurePosixPath(path).suffix.lower()
    if suffix in LANGUAGES:
        return LANGUAGES[suffix]
    if not suffix and ("apiVersion:" in text or "kind:" in text):
        return "yaml"
    return None


class EditorScreen(ModalScreen[str | None]):
    """Dismisses with the new text on save, None on cancel."""

    BINDINGS = [
        Binding(key("editor.save"), "save", "Save", priority=True, id="editor.save"),
        Binding(key("editor.cancel"), "cancel", "Cancel", priority=True, id="editor.cancel"),
    ]

    def __init__(self, path: str, text: str) -> None:
        super().__init__()
        self.path = path
        self.original = text

    def compose(self) -> ComposeResult:
        yield Static(f" Editing {self.path}", id="editor-title", markup=False)
        area = TextArea.code_editor(self.original, language=language_for(self.path, self.original),
                                    id="editor-area", soft_wrap=False, tab_behavior="indent")
        area.indent_type = "spaces"
        area.indent_width = 2
        area.cursor_blink = getattr(self.app, "cursor_blink_enabled", True)
        yield area
        yield Footer()

    @property
    def text(self) -> str:
        return self.query_one(TextArea).text

    def action_save(self) -> None:
        self.dismiss(self.text)

    def action_cancel(self) -> None:
        if self.text == self.original:
            self.dismiss(None)
            return
        from tutor.screens.confirm import ConfirmScreen

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen("Discard your changes?", yes="Discard", no="Keep editing"), answered)
