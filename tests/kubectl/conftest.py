"""kubectl tests see internal failures as exceptions (the CLI would turn them into messages)."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(autouse=True)
def _raise_internal(monkeypatch: pytest.MonkeyPatch) -> None:
    from sandbox.kubectl import cli

    monkeypatch.setattr(cli, "RAISE_INTERNAL", True)
