"""The catalogue: tracks and their lessons with progress, estimated time, and resume.

It shows plain data (:class:`LessonEntry`) from a catalogue source, so it paints before any lesson
machinery (the sandbox) is imported.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from tutor.keymap import key
from tutor.messages import OpenLesson

STATE_MARKS = {"done": "✓", "in progress": "›", "new": " "}


@dataclass
class LessonEntry:
    id: str
    title: str
    summary: str
    minutes: int
    level: str = "beginner"
    state: str = "new"  # new | in progress | done
    objectives: list[str] = field(default_factory=list)
    steps: int = 0


@dataclass
class CatalogueData:
    title: str
    description: str
    tracks: list[tuple[str, list[LessonEntry]]]
    last_lesson: str | None = None

    def find(self, lesson_id: str) -> LessonEntry | None:
        for _, lessons in self.tracks:
            for entry in lessons:
                if entry.id == lesson_id:
                    return entry
        return None


def lesson_option(entry: LessonEntry) -> Text:
    """Two lines: the state mark and title, then time, level and state in words."""
    text = Text()
    mark_style = {"done": "bold green", "in progress": "bold yellow"}.get(entry.state, "")
    text.append(STATE_MARKS.get(entry.state, " "), style=mark_style)
    text.append(" " + entry.title + "\n")
    text.append(f"  {entry.minutes} min · {entry.level} · {entry.state}", style="dim")
    return text


def inline_code(line: str) -> Text:
    """Lesson text uses Markdown backticks for commands: show those spans in bold, without ticks."""
    text = Text()
    for index, part in enumerate(line.split("`")):
        text.append(part, style="bold" if index % 2 else "")
    return text


def detail_text(entry: LessonEntry) -> Text:
    text = Text()
    text.append(entry.title + "\n", style="bold")
    text.append(f"{entry.minutes} min · {entry.level} · {entry.steps} steps · {entry.state}\n\n", style="dim")
    text.append_text(inline_code(" ".join(entry.summary.split())))
    text.append("\n")
    if entry.objectives:
        text.append("\nYou will:\n", style="bold")
        for objective in entry.objectives:
            text.append("  - ")
            text.append_text(inline_code(objective))
            text.append("\n")
    action = {"new": "start", "in progress": "resume", "done": "revisit"}.get(entry.state, "open")
    text.append(f"\nPress Enter to {action} this lesson.", style="italic")
    return text


class CatalogueScreen(Screen):
    """Lists every lesson; Enter opens the highlighted one, r resumes the last one."""

    BINDINGS = [
        Binding(key("catalogue.resume"), "resume", "Resume", id="catalogue.resume"),
    ]

    def __init__(self, data: CatalogueData) -> None:
        super().__init__()
        self.data = data

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="")
        with Horizontal(id="catalogue-body"):
            yield OptionList(id="lessons")
            with VerticalScroll(id="lesson-detail"):
                yield Static("", id="detail", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = self.data.title
        self.query_one("#lessons", OptionList).border_title = "Lessons"
        self.query_one("#lesson-detail").border_title = "About this lesson"
        self.show(self.data)

    def show(self, data: CatalogueData) -> None:
        """(Re)fill the list, keeping the highlighted lesson, else the one to resume."""
        self.data = data
        options = self.query_one("#lessons", OptionList)
        current = options.highlighted_option.id if options.highlighted_option else None
        options.clear_options()
        items: list[Option | None] = []
        for track_title, lessons in data.tracks:
            items.append(Option(Text(track_title, style="bold underline"), disabled=True))
            items.extend(Option(lesson_option(entry), id=entry.id) for entry in lessons)
        options.add_options(items)
        target = current or data.last_lesson
        if target and data.find(target):
            options.highlighted = options.get_option_index(target)
        else:
            options.action_first()
        self._update_detail()

    @on(OptionList.OptionHighlighted, "#lessons")
    def _highlighted(self) -> None:
        self._update_detail()

    def _update_detail(self) -> None:
        option = self.query_one("#lessons", OptionList).highlighted_option
        entry = self.data.find(option.id) if option and option.id else None
        self.query_one("#detail", Static).update(detail_text(entry) if entry else "")

    @on(OptionList.OptionSelected, "#lessons")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.post_message(OpenLesson(event.option.id))

    def action_resume(self) -> None:
        if self.data.last_lesson:
            self.post_message(OpenLesson(self.data.last_lesson))
        else:
            self.notify("Nothing to resume yet: pick a lesson and press Enter.")
