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
        n = 0
        for track in pack.tracks:  # the catalogue's order: by track
            print(f"\n{track.title}")
            for lesson_id in track.lessons:
                n += 1
                lesson = pack.lesson(lesson_id)
                print(f"{n:>2}. {lesson.id:<{width}}  {lesson.minutes:>3} min  {lesson.level:<12}  {lesson.title}")
        return 0
    from tutor.content_ci import check_lesson, format_table

    reports = []
    for lesson in pack.lessons:
        reports += check_lesson(lesson)
    sys.stdout.write(format_table(reports))
    failed = [r for r in reports if not r.ok]
    from tutor.content_ci import check_exam
    from tutor.exams import load_exams

    try:
        exams = load_exams(root)
    except PackError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    exam_failures = 0
    for exam in exams:
        result = check_exam(exam)
        state = "ok" if result.ok else "FAIL"
        print(f"exam {exam.id}: untouched {result.untouched_percent:g} %, solved {result.solved_percent:g} % - {state}")
        for problem in result.problems:
            print(f"exam {exam.id}: {problem}")
        exam_failures += not result.ok
    print(f"{len(reports) - len(failed)} lesson steps ok, {len(failed)} failing; "
          f"{len(exams) - exam_failures} exams ok, {exam_failures} failing")
    return 1 if failed or exam_failures else 0
