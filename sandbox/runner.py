"""``kubelab run``: run a script against a fresh lab, one command at a time (DESIGN.md's script contract).

    kubelab run [--json] [--seed N] [--lesson ID] [FILE|-]

Input is read incrementally: a line is run as soon as it completes a command (a heredoc, an open
quote or a trailing ``\\`` make the runner read on first). Plain mode writes what a terminal would show
(stdout to stdout, stderr to stderr); ``--json`` writes one line per command, flushed before the next
input line is read. The exit status is the last command's; ``exit`` in the bottom shell ends the run
(as it would close a terminal). An internal error never shows a traceback: one line names a crash log
and the status is 70.

Lessons: ``--lesson ID`` runs the lesson's setup commands first. ``sandbox`` cannot import ``tutor``,
so the lesson catalogue is injected: ``main(argv, lesson_loader=fn)`` or ``set_lesson_loader(fn)``,
where ``fn(lesson_id) -> LessonSetup | dict`` (keys: ``commands`` list of shell lines, optional
``seed``, ``nodes``, ``ipvs_scheduler``) and raises ``KeyError`` for an unknown lesson.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from typing import IO, Any, TextIO

from pydantic import BaseModel

EXIT_INTERNAL = 70


class LessonSetup(BaseModel):
    commands: list[str] = []
    seed: int | None = None
    nodes: list[str] | None = None
    ipvs_scheduler: str | None = None


LessonLoader = Callable[[str], "LessonSetup | dict[str, Any]"]
_lesson_loader: LessonLoader | None = None


def set_lesson_loader(fn: LessonLoader | None) -> None:
    """Install the function that turns a lesson id into its setup (the lead's tutor layer does this)."""
    global _lesson_loader
    _lesson_loader = fn


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise _UsageError(message)


def _parser() -> _Parser:
    p = _Parser(prog="kubelab run", description="Run a shell script against a fresh kubelab cluster.",
                add_help=True)
    p.add_argument("--json", action="store_true", help="one JSON object per command on stdout")
    p.add_argument("--seed", type=int, default=None, help="the lab's random seed (default 0, or the lesson's)")
    p.add_argument("--lesson", metavar="ID", help="run this lesson's setup before the script")
    p.add_argument("file", nargs="?", default="-", metavar="FILE|-", help="script to run (default: stdin)")
    return p


def commands(lines: Iterator[str], needs_more: Callable[[str], bool]) -> Iterator[str]:
    """Group input lines into complete commands, reading only as far as needed."""
    buf = ""
    for line in lines:
        buf += line if line.endswith("\n") else line + "\n"
        if needs_more(buf):
            continue
        text = buf.rstrip("\n")
        buf = ""
        if not text.strip() or text.lstrip().startswith("#") and "\n" not in text:
            continue
        yield text
    if buf.strip():
        yield buf.rstrip("\n")


def _crash_log(trace: str) -> str:
    base = os.environ.get("KUBELAB_HOME")
    directory = os.path.join(base, "crash") if base else tempfile.gettempdir()
    try:
        os.makedirs(directory, exist_ok=True)
        fd, path = tempfile.mkstemp(prefix="kubelab-crash-", suffix=".log", dir=directory)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(trace)
        return path
    except OSError:
        fd, path = tempfile.mkstemp(prefix="kubelab-crash-", suffix=".log")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(trace)
        return path


def _internal_error(trace: str, stderr: TextIO) -> int:
    path = _crash_log(trace)
    stderr.write(f"kubelab: internal error; details in {path}\n")
    stderr.flush()
    return EXIT_INTERNAL


def main(argv: list[str] | None = None, *, stdin: TextIO | None = None, stdout: TextIO | None = None,
         stderr: TextIO | None = None, lesson_loader: LessonLoader | None = None) -> int:
    """Entry point for ``kubelab run`` (``argv`` excludes the program and the ``run`` word)."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    try:
        args = _parser().parse_args(argv if argv is not None else sys.argv[1:])
    except _UsageError as e:
        stderr.write(_parser().format_usage() + f"kubelab run: error: {e}\n")
        return 2
    except SystemExit as e:  # --help
        return int(e.code or 0)
    try:
        return _run(args, stdin, stdout, stderr, lesson_loader or _lesson_loader)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 141
    except Exception:  # noqa: BLE001 - the contract: one line, a crash log, status 70
        return _internal_error(traceback.format_exc(), stderr)


def _run(args: argparse.Namespace, stdin: TextIO, stdout: TextIO, stderr: TextIO,
         loader: LessonLoader | None) -> int:
    from sandbox.lab import Lab

    setup = LessonSetup()
    if args.lesson:
        if loader is None:
            stderr.write("kubelab run: --lesson is not available: no lesson catalogue is installed\n")
            return 2
        try:
            found = loader(args.lesson)
        except KeyError:
            stderr.write(f"kubelab run: unknown lesson {args.lesson!r}\n")
            return 2
        setup = found if isinstance(found, LessonSetup) else LessonSetup.model_validate(found)
    source: IO[str]
    if args.file == "-":
        source = stdin
    else:
        try:
            source = open(args.file, encoding="utf-8")  # noqa: SIM115 - closed below
        except OSError as e:
            stderr.write(f"kubelab run: {args.file}: {e.strerror}\n")
            return 2
    try:
        seed = args.seed if args.seed is not None else (setup.seed if setup.seed is not None else 0)
        opts: dict[str, Any] = {}
        if setup.nodes:
            opts["nodes"] = setup.nodes
        if setup.ipvs_scheduler:
            opts["ipvs_scheduler"] = setup.ipvs_scheduler
        lab = Lab(seed=seed, **opts)
        for command in setup.commands:
            lab.run(command)
        if lab.crashes:
            return _internal_error(_format_crashes(lab.crashes), stderr)
        status = 0
        for command in commands(iter(source.readline, ""), lab.needs_more):
            seen = len(lab.crashes)
            if args.json:
                result = lab.run(command)
                stdout.write(json.dumps({"command": command, "stdout": result.stdout, "stderr": result.stderr,
                                         "exit_code": result.exit_code}, ensure_ascii=False) + "\n")
                stdout.flush()
            else:
                def stream(name: str, chunk: str) -> None:
                    target = stdout if name == "stdout" else stderr
                    target.write(chunk)
                    target.flush()

                result = lab.run(command, on_output=stream)
            status = result.exit_code
            if len(lab.crashes) > seen:
                return _internal_error(_format_crashes(lab.crashes[seen:]), stderr)
            if lab.closed:  # ``exit`` in the bottom shell ends the session, as it closes a terminal
                break
        return status
    finally:
        if source is not stdin:
            source.close()


def _format_crashes(crashes: list[tuple[list[str], str]]) -> str:
    return "\n".join(f"command: {' '.join(argv)}\n{trace}" for argv, trace in crashes)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
