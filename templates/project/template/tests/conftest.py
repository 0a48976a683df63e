"""Tests never call out: a connection beyond this machine fails the test that made it.

Handlers reach the outside world through ports on their worker's state (see a feature's state.py);
tests replace them with `petrock_runtime.testing.Recorder()` through `fake_ports(app, name=...)`.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from petrock_runtime.testing import no_outside_calls


@pytest.fixture(autouse=True)
def _no_outside_calls() -> Iterator[None]:
    with no_outside_calls():
        yield
