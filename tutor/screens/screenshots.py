"""Export the README's SVG screenshots by driving the real app headless on the shipped lessons.

    python -m tutor.screens.screenshots [OUT_DIR]     (default: assets/screenshots)

Everything shown is real engine output (seeded lab, virtual time), so the pictures never drift from
what a learner sees.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

LESSON = "clusterip-create"


async def _wait_for(pilot, predicate, tries: int = 600) -> None:
    for _ in range(tries):
        await pilot.pause(0.05)
        if predicate():
            return
    raise TimeoutError("the app did not reach the expected state")


async def _type(pilot, command: str) -> None:
    terminal = pilot.app.screen.query_one("Terminal")
    await pilot.press(*command, "enter")
    await _wait_for(pilot, lambda: not terminal.busy)
    await pilot.pause(0.1)


async def _shoot(out: Path, home: Path) -> list[Path]:
    from tutor.app import KubelabApp
    from tutor.paths import lessons_dir
    from tutor.screens.catalogue_source import PackSource
    from tutor.screens.editor import EditorScreen
    from tutor.screens.lesson import LessonScreen

    saved: list[Path] = []

    def save(app, name: str) -> None:
        path = out / f"{name}.svg"
        path.write_text(app.export_screenshot(title=f"kubelab: {name.replace('-', ' ')}"), encoding="utf-8")
        saved.append(path)

    source = PackSource(lessons_dir(), home, time_mode="virtual")
    app = KubelabApp(source, wall_clock=False, cursor_blink=False, log_dir=home / "logs")
    app.animation_level = "none"
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause(0.3)
        options = app.screen.query_one("#lessons")
        options.highlighted = options.get_option_index(LESSON)
        await pilot.pause(0.1)
        save(app, "catalogue")

        await pilot.press("enter")
        await _wait_for(pilot, lambda: isinstance(app.screen, LessonScreen) and app.screen.query("#prompt"))
        screen = app.screen
        await _type(pilot, "kubectl create service clusterip my-ser --tcp=8000:80 --dry-run=client -o yaml > ser.yaml")
        await _type(pilot, "cat ser.yaml")
        save(app, "lesson-step-passed")

        await pilot.press("f8")
        await _type(pilot, "sed -i 's/app: my-ser/app: my-app/' ser.yaml")
        await _type(pilot, "kubectl apply -f ser.yaml")
        await _type(pilot, "kubectl get svc,endpointslices -o wide")
        await pilot.press("f2")
        await pilot.pause(0.2)
        save(app, "lesson-checks-and-hint")

        await pilot.press(*"kubectl edit service my-ser", "enter")
        await _wait_for(pilot, lambda: isinstance(app.screen, EditorScreen))
        await pilot.pause(0.2)
        save(app, "editor")
        await pilot.press("escape")
        await _wait_for(pilot, lambda: app.screen is screen and not screen.terminal.busy)

        await _type(pilot, "kubectl run client --image=busybox --labels=role=client -- sleep 3600")
        screen.advance(20)
        for _ in range(4):
            await _type(pilot, "kubectl exec client -- wget -qO- -T 2 my-ser:8000 | head -4")
        await pilot.press("f4", "f6")  # the cluster view, with the instructions folded away for room
        await pilot.pause(0.2)
        save(app, "cluster-view")
        await pilot.press("f6")

    app = KubelabApp(source, start_lesson=LESSON, wall_clock=False, cursor_blink=False, log_dir=home / "logs")
    app.animation_level = "none"
    async with app.run_test(size=(80, 24)) as pilot:
        await _wait_for(pilot, lambda: isinstance(app.screen, LessonScreen) and app.screen.query("#prompt"))
        await pilot.pause(0.3)
        save(app, "narrow-80x24")
    return saved


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    from tutor.paths import assets_dir

    out = Path(args[0]) if args else assets_dir() / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
    with tempfile.TemporaryDirectory() as home:
        for path in asyncio.run(_shoot(out, Path(home))):
            print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
