"""Golden transcripts through ``kubelab run --json`` for the seeds' command sequences.

Each ``golden/NAME.sh`` runs on a fresh lab (seed 0) and must reproduce ``golden/NAME.jsonl`` exactly, up to
a consistent renaming of allocated values (IP addresses, generated pod-name suffixes): those depend on the
engine's allocators, the transcripts check what the shell and the tools do with them.
Regenerate after an intended change with ``KUBELAB_REGEN_GOLDEN=1 pytest tests/shell/test_shell_golden.py``
and review the diff.
"""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path

import pytest

from sandbox import runner

GOLDEN = Path(__file__).parent / "golden"
SCRIPTS = sorted(GOLDEN.glob("*.sh"))


_VOLATILE = re.compile(r"\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b|-[a-z0-9]{9,10}-[a-z0-9]{5}\b")


def _normalise(text: str) -> str:
    """Rename allocated values by order of first appearance: 10.108.1.2 -> <v1>, -6d95f4cf84-n56n9 -> <v2>."""
    names: dict[str, str] = {}

    def sub(m: re.Match) -> str:
        return names.setdefault(m.group(0), f"<v{len(names) + 1}>")

    return _VOLATILE.sub(sub, text)


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
    expected = _normalise(expected_path.read_text())
    got = _normalise(got)
    for n, (g, e) in enumerate(zip(got.splitlines(), expected.splitlines(), strict=False), 1):
        assert json.loads(g) == json.loads(e), f"{script.name}: command {n} differs"
    assert len(got.splitlines()) == len(expected.splitlines())
