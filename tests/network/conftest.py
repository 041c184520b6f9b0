"""Fixtures for the network tests (helpers live in netlab.py: a unique module name, so other test
directories' conftest modules can never shadow them)."""

from __future__ import annotations

import pytest
from netlab import MiniCluster


@pytest.fixture
def mini() -> MiniCluster:
    return MiniCluster()
