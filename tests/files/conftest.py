"""The file-engine tests. Hypothesis settings are per test (see `CHECKS` in the modules), so
this folder changes nothing for other test folders; they are derandomized when `CI` is set."""

from __future__ import annotations
