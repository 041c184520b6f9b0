"""The `kubelab` command: dispatches to the TUI, the script runner and the lesson/exam tools.

Sub-commands import their modules lazily so `kubelab --version` and `kubelab run` start fast and
never load Textual.
"""

from __future__ import annotations

import argparse
import sys

from tutor import __version__


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kubelab",
        description="An interactive terminal lab for Kubernetes Services, on a built-in simulated cluster.",
    )
    parser.add_argument("--version", action="version", version=f"kubelab {__version__}")
    parser.add_argument("--pack", metavar="PATH", help="use an instructor's lesson pack directory")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    start = sub.add_parser("start", help="open one lesson directly")
    start.add_argument("lesson", metavar="LESSON")
    sub.add_parser("run", help="run a script on a fresh lab (see `kubelab run --help`)", add_help=False)
    lessons = sub.add_parser("lessons", help="list or check lesson packs")
    lessons_sub = lessons.add_subparsers(dest="lessons_command", metavar="ACTION", required=True)
    lessons_sub.add_parser("list", help="list the lessons of a pack").add_argument("path", nargs="?")
    lessons_sub.add_parser("check", help="prove every lesson of a pack solvable").add_argument("path", nargs="?")
    return parser


def main(argv: list[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] == ["run"]:
        from sandbox.runner import main as run_main

        return run_main(args_list[1:])
    args = _build_parser().parse_args(args_list)
    if args.command == "lessons":
        from tutor.lessons_cli import main as lessons_main

        return lessons_main(args)
    from tutor.app import run_app

    return run_app(lesson=getattr(args, "lesson", None), pack=args.pack)


if __name__ == "__main__":
    sys.exit(main())
