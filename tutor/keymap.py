"""Binding ids and the learner's key remapping.

Every binding in the app has an id listed here, so ``App.set_keymap`` can rebind it. A learner may put
``keymap.toml`` in the data directory (``KUBELAB_HOME``) with lines such as ``"lesson.hint" = "f9"``.
"""

from __future__ import annotations

from pathlib import Path

# id -> default keys (comma separated, Textual syntax); also the help screen's source of truth.
DEFAULT_KEYS: dict[str, tuple[str, str]] = {
    "app.quit": ("ctrl+q", "Quit kubelab"),
    "app.help": ("f1", "Show help"),
    "lesson.hint": ("f2", "Show the next hint"),
    "lesson.solution": ("f3", "Show the solution (asks first; marks the step assisted)"),
    "lesson.cluster": ("f4", "Show or hide the cluster view"),
    "lesson.reset": ("f5", "Reset the lesson (asks first)"),
    "lesson.instructions": ("f6", "Show or hide the instructions"),
    "lesson.previous": ("f7", "Previous step"),
    "lesson.next": ("f8", "Next step"),
    "lesson.undo": ("ctrl+z", "Undo the last command (the lab is rebuilt without it)"),
    "lesson.back": ("escape", "Back to the catalogue"),
    "terminal.interrupt": ("ctrl+c", "Interrupt the running command, or clear the line"),
    "terminal.clear": ("ctrl+l", "Clear the terminal"),
    "terminal.complete": ("tab", "Complete the word under the cursor"),
    "terminal.history_up": ("up", "Previous command in this lesson's history"),
    "terminal.history_down": ("down", "Next command in this lesson's history"),
    "catalogue.open": ("enter", "Open the highlighted lesson"),
    "catalogue.resume": ("r", "Resume where you left off"),
    "editor.save": ("ctrl+s", "Save the file and close the editor"),
    "editor.cancel": ("ctrl+q,escape", "Close the editor without saving"),
}


def key(binding_id: str) -> str:
    """Default key(s) for a binding id."""
    return DEFAULT_KEYS[binding_id][0]


def load_keymap(home: Path) -> dict[str, str]:
    """The learner's overrides from ``home/keymap.toml``; unknown ids and a broken file are ignored."""
    import tomllib

    path = home / "keymap.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return {}
    return {k: v for k, v in data.items() if k in DEFAULT_KEYS and isinstance(v, str) and v.strip()}
