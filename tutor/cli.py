"""The `kubelab` command: dispatches to the TUI, the script runner and the lesson/exam tools.

Sub-commands import their modules lazily so `kubelab --version` and `kubelab run` start fast and
never load Textual.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from tutor import __version__, paths


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kubelab",
        description="An interactive terminal lab for Kubernetes Services, on a built-in simulated cluster.",
    )
    parser.add_argument("--version", action="version", version=f"kubelab {__version__}")
    parser.add_argument("--pack", metavar="PATH", help="use an instructor's lesson pack directory")
    # --pack is accepted before or after the sub-command (`kubelab serve --pack DIR`)
    pack_opt = argparse.ArgumentParser(add_help=False)
    pack_opt.add_argument("--pack", metavar="PATH", default=argparse.SUPPRESS,
                          help="use an instructor's lesson pack directory")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add = sub.add_parser

    def add_parser(name: str, **kw):
        if name == "run":
            return _add(name, **kw)
        return _add(name, parents=[pack_opt], **kw)

    sub.add_parser = add_parser  # type: ignore[method-assign]
    start = sub.add_parser("start", help="open one lesson directly")
    start.add_argument("lesson", metavar="LESSON")
    sub.add_parser("run", help="run a script on a fresh lab (see `kubelab run --help`)", add_help=False)
    lessons = sub.add_parser("lessons", help="list or check lesson packs")
    lessons_sub = lessons.add_subparsers(dest="lessons_command", metavar="ACTION", required=True)
    lessons_sub.add_parser("list", help="list the lessons of a pack", parents=[pack_opt]).add_argument("path", nargs="?")
    lessons_sub.add_parser("check", help="prove every lesson (and exam) of a pack solvable",
                           parents=[pack_opt]).add_argument("path", nargs="?")
    exam = sub.add_parser("exam", help="sit a timed exam, or verify a signed report",
                          description="kubelab exam [EXAM] | kubelab exam list | kubelab exam verify REPORT")
    exam.add_argument("exam", nargs="?", metavar="EXAM", help="exam id or file (default: the first exam)")
    exam.add_argument("report_file", nargs="?", metavar="REPORT", help=argparse.SUPPRESS)
    exam.add_argument("--report", metavar="FILE", help="where to write the report (JSON; a .md is written beside)")
    serve = sub.add_parser("serve", help="serve kubelab to browsers for a workshop")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    progress = sub.add_parser("progress", help="export your progress for an instructor")
    progress_sub = progress.add_subparsers(dest="progress_command", metavar="ACTION", required=True)
    export = progress_sub.add_parser("export", help="write your progress as JSON")
    export.add_argument("--output", "-o", metavar="FILE", help="file to write (default: standard output)")
    export.add_argument("--name", help="your name on the roster (default: your user name)")
    report = sub.add_parser("report", help="merge learners' progress exports into a roster")
    report.add_argument("files", nargs="+", metavar="FILE")
    report.add_argument("--format", choices=("md", "csv"), default="md")
    report.add_argument("--output", "-o", metavar="FILE")
    return parser


def _lesson_loader(pack: str | None):
    """``kubelab run --lesson ID``: the lesson's cluster options and setup, from the pack."""

    def load(lesson_id: str) -> dict:
        from tutor.lessons import PackError, load_pack

        try:
            lesson = load_pack(Path(pack) if pack else paths.lessons_dir()).lesson(lesson_id)
        except PackError as exc:  # a broken pack names its file, line and field
            print(f"kubelab: {exc}", file=sys.stderr)
            raise SystemExit(2) from None
        return {"commands": list(lesson.setup), "seed": lesson.cluster.seed, "nodes": list(lesson.cluster.nodes),
                "ipvs_scheduler": lesson.cluster.scheduler}

    return load


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    except BrokenPipeError:  # `kubelab lessons list | head`: the reader left; say nothing more
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


def _main(argv: list[str] | None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] == ["run"] or args_list[2:3] == ["run"] and args_list[:1] == ["--pack"]:
        from sandbox.runner import main as run_main

        pack = args_list[1] if args_list[:1] == ["--pack"] else None
        rest = args_list[args_list.index("run") + 1:]
        if "--pack" in rest:  # `kubelab run --pack DIR --lesson ID`
            i = rest.index("--pack")
            pack, rest = (rest[i + 1] if i + 1 < len(rest) else None), rest[:i] + rest[i + 2:]
        return run_main(rest, lesson_loader=_lesson_loader(pack))
    args = _build_parser().parse_args(args_list)
    if args.command == "lessons":
        from tutor.lessons_cli import main as lessons_main

        return lessons_main(args)
    if args.command in ("exam", "serve", "progress", "report"):
        from tutor import workshop_cli

        return getattr(workshop_cli, f"{args.command}_main")(args)
    from tutor.app import run_app

    return run_app(lesson=getattr(args, "lesson", None), pack=args.pack)


if __name__ == "__main__":
    sys.exit(main())
