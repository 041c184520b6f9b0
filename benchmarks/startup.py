"""Start-up to the first painted catalogue, against a bare Textual app with Header and Footer.

Both are measured side by side in one run, as whole processes (interpreter start, imports, first
paint, exit), alternating so machine noise hits both alike; prints the medians and the ratio
(target: at most 1.5x). Also reports whether the catalogue start imported the sandbox (it must not).

    .venv/bin/python benchmarks/startup.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BASELINE = """
from textual.app import App
from textual.widgets import Footer, Header

class Bare(App):
    def compose(self):
        yield Header()
        yield Footer()

    def on_mount(self):
        self.call_after_refresh(self.exit)

Bare().run(headless=True)
"""

KUBELAB = """
import sys
from tutor.app import KubelabApp
from tutor.screens.catalogue_source import PackSource
from tutor.screens.catalogue import CatalogueScreen

class FirstPaint(KubelabApp):
    def on_mount(self):
        super().on_mount()
        self._probe = self.set_interval(0.001, self._painted)

    def _painted(self):
        screen = self.screen
        if isinstance(screen, CatalogueScreen) and screen.is_mounted and screen.query_one("#lessons").option_count:
            self._probe.stop()
            self.call_after_refresh(self.exit)

FirstPaint(PackSource(PACK), wall_clock=False).run(headless=True)
print("sandbox imported:", any(m == "sandbox" or m.startswith("sandbox.") for m in sys.modules))
"""


def run_once(code: str, env: dict[str, str]) -> tuple[float, str]:
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                         check=True)
    return time.perf_counter() - start, out.stdout.strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--pack", default=None, help="lesson pack folder (default: the shipped lessons)")
    args = parser.parse_args(argv)
    code = KUBELAB.replace("PACK", repr(args.pack))
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, KUBELAB_HOME=home, PYTHONPATH=str(ROOT))
        run_once(BASELINE, env)  # warm the file cache for both
        run_once(code, env)  # also writes the catalogue cache, as a learner's first start does
        base, lab = [], []
        note = ""
        for _ in range(args.runs):
            base.append(run_once(BASELINE, env)[0])
            seconds, note = run_once(code, env)
            lab.append(seconds)
    b, k = statistics.median(base), statistics.median(lab)
    print(f"bare Textual app (Header+Footer): median {b * 1000:.0f} ms over {args.runs} runs")
    print(f"kubelab catalogue first paint:    median {k * 1000:.0f} ms over {args.runs} runs")
    print(f"ratio: {k / b:.2f}x (target <= 1.5x)")
    print(note)
    return 0


if __name__ == "__main__":
    sys.exit(main())
