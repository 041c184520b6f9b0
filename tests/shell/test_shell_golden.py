"""Golden transcripts through ``kubelab run --json`` for the seeds' command sequences.

Each ``golden/NAME.sh`` runs on a fresh lab (seed 0) and must reproduce ``golden/NAME.jsonl`` exactly.
Regenerate after an intended change with ``KUBELAB_REGEN_GOLDEN=1 pytest tests/shell/test_shell_golden.py``
and review the diff.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

from sandbox import runner

GOLDEN = Path(__file__).parent / "golden"
SCRIPTS = sorted(GOLDEN.glob("*.sh"))


def _transcript(script: Path) -> str:
    out, err = io.StringIO(), io.StringIO()
    runner.main(["--json", str(script)], stdout=out, stderr=err)
    assert err.getvalue() == ""
    return out.getvalue()


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.stem for s in SCRIPTS])
def test_golden_transcript(script: Path):
    got = _transcript(script)
    expected_path = script.with_suffix(".jsonl")
    if os.environ.get("KUBELAB_REGEN_GOLDEN") or not expected_path.exists():
        expected_path.write_text(got)
    expected = expected_path.read_text()
    for n, (g, e) in enumerate(zip(got.splitlines(), expected.splitlines(), strict=False), 1):
        assert json.loads(g) == json.loads(e), f"{script.name}: command {n} differs"
    assert len(got.splitlines()) == len(expected.splitlines())
