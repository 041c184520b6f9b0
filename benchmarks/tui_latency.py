"""TUI latency on a real lesson lab (headless, with the wall-clock ticker running).

* key echo: a typed key's event until the prompt's value holds it (target: within one frame, 16.7 ms
  at 60 fps), beside the same figure for a bare Textual Input (the machine's floor at that moment);
* command output: Enter's key event until the first output line of a kubectl command is in the
  terminal (target: 50 ms), beside the time the engine alone takes for that command.

    .venv/bin/python benchmarks/tui_latency.py [--lesson why-services] [--keys 200] [--repeat 10]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections import deque
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")

WALL = os.environ.get("BENCH_WALL", "1") == "1"
COMMANDS = ["kubectl get pods -A", "kubectl get svc -o wide", "kubectl get nodes", "kubectl describe svc kubernetes"]


def summary(name: str, samples: list[float], target_ms: float) -> str:
    ms = sorted(s * 1000 for s in samples)
    p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))]
    verdict = "ok" if p95 <= target_ms else "over target"
    return (f"{name}: median {statistics.median(ms):.1f} ms, p95 {p95:.1f} ms, max {ms[-1]:.1f} ms "
            f"over {len(ms)} samples (target {target_ms:g} ms: {verdict})")


class StampedLines(deque):
    """The terminal's transcript, remembering when each line was written."""

    def __init__(self, lines) -> None:
        super().__init__(lines)
        self.stamps = [0.0] * len(self)

    def append(self, item) -> None:
        super().append(item)
        self.stamps.append(time.perf_counter())

    def extend(self, items) -> None:
        for item in items:
            self.append(item)

    def clear(self) -> None:
        super().clear()
        self.stamps.clear()


class Clock:
    """Message-post timestamps: a Key event's creation and the prompt's Changed message."""

    def __init__(self) -> None:
        self.key_at: float | None = None
        self.changed_at: float | None = None

    def hook(self, message) -> None:
        from textual import events
        from textual.widgets import Input

        if isinstance(message, events.Key) and self.key_at is None:
            self.key_at = time.perf_counter()
        elif isinstance(message, Input.Changed) and self.changed_at is None:
            self.changed_at = time.perf_counter()

    def reset(self) -> None:
        self.key_at = self.changed_at = None


async def key_echo(app, pilot, prompt, clock: Clock, keys: int) -> list[float]:
    samples = []
    for i in range(keys):
        char = "abcdefghij"[i % 10]
        clock.reset()
        await pilot.press(char)
        assert prompt.value.endswith(char) and clock.key_at and clock.changed_at
        samples.append(clock.changed_at - clock.key_at)
        if len(prompt.value) > 60:
            prompt.value = ""
    prompt.value = ""
    return samples


async def bare_input_echo(keys: int) -> list[float]:
    """The same measurement on a bare Textual app with one Input: the machine's floor right now."""
    from textual.app import App
    from textual.widgets import Input

    class Bare(App):
        def compose(self):
            yield Input(id="prompt")

    clock = Clock()
    app = Bare()
    async with app.run_test(size=(120, 36), message_hook=clock.hook) as pilot:
        await pilot.pause()
        return await key_echo(app, pilot, app.query_one(Input), clock, keys)


async def measure(lesson: str, keys: int, repeat: int) -> None:
    from tutor.app import KubelabApp
    from tutor.paths import lessons_dir
    from tutor.screens.catalogue_source import PackSource
    from tutor.screens.lesson import LessonScreen
    from tutor.widgets.terminal import PromptInput, Terminal

    floor = await bare_input_echo(keys)
    clock = Clock()
    with tempfile.TemporaryDirectory() as home:
        app = KubelabApp(PackSource(lessons_dir(), Path(home)), start_lesson=lesson, cursor_blink=False, wall_clock=WALL,
                         log_dir=Path(home) / "logs")
        async with app.run_test(size=(120, 36), message_hook=clock.hook) as pilot:
            for _ in range(600):
                await pilot.pause(0.05)
                if isinstance(app.screen, LessonScreen) and app.screen.query(PromptInput):
                    break
            await pilot.pause(0.2)
            screen = app.screen
            prompt = screen.query_one(PromptInput)
            terminal = screen.query_one(Terminal)
            echo = await key_echo(app, pilot, prompt, clock, keys)

            output, engine = [], []
            terminal.transcript = StampedLines(terminal.transcript)
            for _ in range(repeat):
                for command in COMMANDS:
                    prompt.value = command
                    before = len(terminal.transcript)
                    clock.reset()
                    await pilot.press("enter")  # (the pilot itself waits for the app to go idle)
                    while len(terminal.transcript) < before + 2:  # the echo, then the first output line
                        await asyncio.sleep(0.0005)
                    output.append(terminal.transcript.stamps[before + 1] - clock.key_at)
                    while terminal.busy:
                        await asyncio.sleep(0.001)
                    start = time.perf_counter()
                    screen.session.lab.run(command)  # the engine alone, on the UI thread, for comparison
                    engine.append(time.perf_counter() - start)
    print(summary("bare Textual Input, key to value (machine floor)", floor, 1000 / 60))
    print(summary("kubelab prompt, key to value", echo, 1000 / 60))
    print(summary("kubectl output on screen after Enter", output, 50))
    warm = output[len(COMMANDS):]
    if warm:
        print(summary("  the same, each command's first run (lazy imports) left out", warm, 50))
    print(summary("  of which the engine running the command", engine, 50))
    print(f"load average now: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lesson", default="why-services")
    parser.add_argument("--keys", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args(argv)
    asyncio.run(measure(args.lesson, args.keys, args.repeat))
    return 0


if __name__ == "__main__":
    sys.exit(main())
