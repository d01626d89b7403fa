"""Which way an outcome is better: its own module, with no numpy, so the command line's options can
name it without loading the core's arithmetic (``sr-cost --help`` stays quick)."""

from __future__ import annotations

from enum import Enum


class Better(str, Enum):
    """Which way an outcome is better."""

    lower = "lower"
    higher = "higher"
