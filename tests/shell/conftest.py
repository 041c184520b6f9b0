"""Fixtures for the shell tests: a lab over a minimal stand-in cluster (fast), and a real-cluster lab."""

from __future__ import annotations

import random

import pytest

from sandbox.api.clock import Clock


class StubCluster:
    """Just what the shell needs from a cluster: a clock, a seeded rng, node names and tick()."""

    def __init__(self) -> None:
        self.clock = Clock()
        self.rng = random.Random(0)
        self.nodes_info: dict = {}
        self.node_names = ["controlplane", "node01", "node02"]
        self.runtime = None
        self.network = None

    def tick(self, seconds: float) -> None:
        self.clock.advance(seconds)


@pytest.fixture
def lab():
    from sandbox.lab import Lab

    return Lab(cluster=StubCluster())


@pytest.fixture
def run(lab):
    """run(text) -> (stdout, stderr, exit_code)."""

    def _run(text: str):
        res = lab.run(text)
        return res.stdout, res.stderr, res.exit_code

    return _run
