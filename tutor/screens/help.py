"""F1: the keys (as currently mapped) and how the lab works, in one modal."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

from tutor.keymap import DEFAULT_KEYS

ABOUT = """\
Type commands in the terminal as on a real control-plane node: `kubectl`, `curl`, `wget`,
`nslookup`, `ipvsadm`, `cat`, `vi` ... The cluster is simulated and runs on this machine only.
The checklist re-checks the cluster after every command and twice a second: a ✓ means a check
passes, ✗ that it fails (highlight it to read what is still wrong), • that it was not checked yet.
Pods start and become Ready in real time, as they would in a real cluster.
"""


def keys_table(keymap: dict[str, str]) -> str:
    rows = ["| Key | Does |", "|---|---|"]
    for binding_id, (default, description) in DEFAULT_KEYS.items():
        keys = keymap.get(binding_id, default)
        rows.append(f"| `{keys}` | {description} |")
    return "\n".join(rows)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q", "dismiss", "Close", id="help.close")]

    def __init__(self, keymap: dict[str, str] | None = None) -> None:
        super().__init__()
        self.keymap = keymap or {}

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Markdown(
                "# kubelab help\n\n" + ABOUT + "\n## Keys\n\n" + keys_table(self.keymap)
                + "\n\nRemap keys in `keymap.toml` in your kubelab data folder, e.g. `\"lesson.hint\" = \"f9\"`."
                + "\n\nPress Escape to close."
            )

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)
