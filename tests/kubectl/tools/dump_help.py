"""Regenerate sandbox/kubectl/data/help/*.txt from the real kubectl binary (our oracle).

Run: .venv/bin/python tests/kubectl/tools/dump_help.py
Each file holds exactly what `kubectl <path> -h` prints; the command tree and the flag sets of our
kubectl are derived from these texts, so they stay in step with the binary.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
KUBECTL = ROOT / ".venv" / "bin" / "kubectl"
OUT = ROOT / "sandbox" / "kubectl" / "data" / "help"
SKIP = {"completion", "plugin", "kuberc", "kustomize", "certificate"}
LINE = re.compile(r"^  ([a-z][a-z0-9-]*)\s{2,}\S")


def run(args: list[str]) -> str:
    env = {"PATH": "/usr/bin:/bin", "HOME": "/root", "KUBECONFIG": "/nonexistent"}
    return subprocess.run([str(KUBECTL), *args, "-h"], capture_output=True, text=True, env=env).stdout


def children(text: str, root: bool) -> list[str]:
    names: list[str] = []
    on = root
    for line in text.splitlines():
        if line.startswith("Available Commands:"):
            on = True
            continue
        if line.startswith("Usage:") or line.startswith("Options:") or line.startswith("Examples:"):
            on = False
        if on and (m := LINE.match(line)):
            names.append(m.group(1))
    return names


def walk(path: list[str]) -> None:
    text = run(path)
    name = "_".join(path) or "kubectl"
    (OUT / f"{name}.txt").write_text(text)
    for child in children(text, not path):
        if not path and child in SKIP:
            continue
        walk([*path, child])


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    walk([])
    env = {"PATH": "/usr/bin:/bin", "HOME": "/root", "KUBECONFIG": "/nonexistent"}
    (OUT / "options.txt").write_text(subprocess.run([str(KUBECTL), "options"], capture_output=True, text=True,
                                                    env=env).stdout)
    print(len(os.listdir(OUT)), "files", file=sys.stderr)
