"""How a long step says how far it has got, without knowing who is watching.

A step that can take seconds on national forms (reading a large workbook, the bootstrap, the
sensitivity's scenarios, writing a large workbook) calls ``progress(step, done, total)`` as it goes,
``done`` and ``total`` in the step's own units (named below). The command line passes in a callback
that draws a bar on a terminal (``sr_cost.outputs.progress``); the library's callers may pass their
own, or nothing. The core stays pure: it only calls what it is given.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum


class Step(str, Enum):
    """The long steps, each with the label its bar shows; the units of ``done`` and ``total``."""

    reading = "Reading the workbook"  # [bytes of the forms' sheet XML]
    bootstrap = "Bootstrap"  # [resampled values: respondents x resamples]
    sensitivity = "Sensitivity"  # [form lines costed: lines x scenarios]
    writing = "Writing the workbook"  # [rows of the long tables: Lines, Rounds, respondents]
    saving = "Saving the workbook"  # [bytes of the long tables' XML put into the package]


Progress = Callable[[Step, int, int], None]
