"""The installed command answers and the sandbox stays free of UI libraries."""

import subprocess
import sys

from tutor import __version__


def test_version_flag():
    out = subprocess.run([sys.executable, "-m", "tutor", "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == f"kubelab {__version__}"


def test_sandbox_import_hygiene():
    code = "import sys, sandbox, sandbox.api.clock, sandbox.api.errors, sandbox.api.resources; " \
           "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich', 'tutor')]; print(bad)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
