"""`kubelab exam`, `kubelab serve`, `kubelab progress export` and `kubelab report`."""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
from pathlib import Path

from tutor import paths
from tutor.lessons import PackError


def _err(message: str, code: int = 1) -> int:
    print(f"kubelab: {message}", file=sys.stderr)
    return code


def exam_main(args: argparse.Namespace) -> int:
    if args.exam == "verify":
        return _verify(args.report_file)
    from tutor.exams import find_exam, load_exams

    try:
        if args.exam == "list":
            for exam in load_exams(args.pack):
                print(f"{exam.id:<24} {exam.duration_minutes:>3} min  {len(exam.tasks):>2} tasks  {exam.title}")
            return 0
        exams = load_exams(args.pack)
        if not exams:
            return _err("this pack has no exams")
        exam = find_exam(args.exam, args.pack) if args.exam else exams[0]
    except PackError as exc:
        return _err(str(exc))
    except KeyError as exc:
        return _err(exc.args[0], 2)
    from tutor.exam_app import run_exam

    return run_exam(exam, report=Path(args.report) if args.report else None, pack=args.pack)


def _verify(report_file: str | None) -> int:
    from tutor.grading import KEY_ENV, verify

    if not report_file:
        return _err("usage: kubelab exam verify REPORT.json", 2)
    key = os.environ.get(KEY_ENV)
    if not key:
        return _err(f"set {KEY_ENV} to the key the exam was signed with", 2)
    try:
        data = json.loads(Path(report_file).read_text(encoding="utf-8"))
    except OSError as exc:
        return _err(f"{report_file}: {exc.strerror or exc}", 2)
    except json.JSONDecodeError as exc:
        return _err(f"{report_file}:{exc.lineno}: not JSON: {exc.msg}", 2)
    if not isinstance(data, dict):
        return _err(f"{report_file}: not a kubelab report", 2)
    ok, message = verify(data, key)
    print(f"{report_file}: {message}")
    return 0 if ok else 1


def serve_main(args: argparse.Namespace) -> int:
    """Each browser connection runs its own kubelab process with its own, fresh home directory."""
    try:
        from textual_serve.server import Server
    except ImportError:
        return _err("serving needs textual-serve: pip install 'kubelab[serve]'")
    command = [sys.executable, "-m", "tutor.workshop_session"]
    if args.pack:
        command += ["--pack", str(Path(args.pack).resolve())]
    server = Server(shlex.join(command), host=args.host, port=args.port, title="kubelab",
                    public_url=f"http://{args.host}:{args.port}")
    server.serve()
    return 0


def progress_main(args: argparse.Namespace) -> int:
    from tutor.progress import ProgressStore
    from tutor.roster import export

    store = ProgressStore()
    if store.notice:
        print(f"kubelab: {store.notice}", file=sys.stderr)
    name = args.name or store.progress.learner or os.environ.get("USER") or "learner"
    text = export(store.progress, name).model_dump_json(indent=2) + "\n"
    if args.output:
        from tutor.progress import atomic_write

        atomic_write(Path(args.output), text)
        print(f"progress of {name} written to {args.output}")
    else:
        sys.stdout.write(text)
    return 0


def report_main(args: argparse.Namespace) -> int:
    from tutor.lessons import load_pack
    from tutor.roster import RosterError, load_exports, roster

    try:
        exports = load_exports([Path(f) for f in args.files])
        lesson_ids = load_pack(Path(args.pack) if args.pack else paths.lessons_dir()).lesson_ids()
    except (RosterError, PackError) as exc:
        return _err(str(exc))
    text = roster(exports, lesson_ids, args.format)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"roster of {len(exports)} learners written to {args.output}")
    else:
        sys.stdout.write(text)
    return 0
