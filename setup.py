"""Build hook: ship lessons/ and assets/ inside the wheel as tutor/_data/ (see DESIGN.md, Packaging)."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildWithData(build_py):
    """Copy the data folders into the built `tutor` package so `pip install .` works from anywhere."""

    def run(self):
        super().run()
        for name in ("lessons", "assets"):
            src = ROOT / name
            dst = Path(self.build_lib) / "tutor" / "_data" / name
            if dst.exists():
                shutil.rmtree(dst)
            if src.is_dir():
                shutil.copytree(src, dst, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


setup(cmdclass={"build_py": BuildWithData})
