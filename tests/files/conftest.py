"""Fixtures of the file-engine tests; hypothesis is derandomized when `CI` is set."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "petrock-files-ci", derandomize=True, deadline=None, print_blob=True, max_examples=100
)
settings.register_profile("petrock-files-dev", deadline=None, max_examples=100)
settings.load_profile("petrock-files-ci" if os.environ.get("CI") else "petrock-files-dev")

__all__ = ["HealthCheck"]
