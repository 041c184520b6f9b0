"""`kubelab lessons list|check [PATH]`: what a pack holds, and proof that it works."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tutor import paths
from tutor.lessons import PackError, load_pack


def _pack_path(arg: str | None, pack_option: str | None) -> Path:
    return Path(arg or pack_option or paths.lessons_dir())


def main(args: argparse.Namespace) -> int:
    root = _pack_path(getattr(args, "path", None), getattr(args, "pack", None))
    try:
        pack = load_pack(root)
    except PackError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.lessons_command == "list":
        width = max(len(lesson.id) for lesson in pack.lessons)
        print(f"{pack.title} ({len(pack.lessons)} lessons)")
        for n, lesson in enumerate(pack.lessons, 1):
            print(f"{n:>2}. {lesson.id:<{width}}  {lesson.minutes:>3} min  {lesson.level:<12}  {lesson.title}")
        return 0
    from tutor.content_ci import check_lesson, format_table

    reports = []
    for lesson in pack.lessons:
        reports += check_lesson(lesson)
    sys.stdout.write(format_table(reports))
    failed = [r for r in reports if not r.ok]
    print(f"{len(reports) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0
