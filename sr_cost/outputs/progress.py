"""Progress bars for the long steps of a command, on a terminal only.

A command asks ``shows_progress`` whether to show any (never with ``--quiet``; only when standard
error is a terminal; and not when the result goes to standard output, unless it is a table on a
terminal: JSON or CSV on standard output, and output that is piped or redirected, get none), then
passes the callback of ``progress_bars`` to the library (``sr_cost.core.progress``). Each step gets
a bar of its own once it is long: at least ``LEAST`` of its units, or still running after
``LATE_SECONDS``. Bars are drawn on standard error and cleared when the step ends.

rich is imported only when a bar is shown: a run that writes JSON or CSV imports none of it.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from sr_cost.core.progress import Progress, Step

# A step's work from which its bar is shown at once (about two seconds of it on a laptop), in the
# step's units (sr_cost.core.progress.Step)
LEAST = {
    Step.reading: 32 << 20,  # [bytes of sheet XML]: a national forms workbook is about 90 MB
    Step.bootstrap: 20_000_000,  # [resampled values]: 10,000 resamples of 2,000 respondents
    Step.sensitivity: 1_000_000,  # [lines costed]: ten scenarios of 100,000 lines
    Step.writing: 100_000,  # [rows of the long tables]
    Step.saving: 32 << 20,  # [bytes of XML]
}
LATE_SECONDS = 1.0  # a step still running after this long gets its bar, whatever its size


def shows_progress(*, quiet: bool, to_stdout: bool, table: bool) -> bool:
    """Whether a command shows progress bars. ``to_stdout``: the result goes to standard output
    (no ``-o``); ``table``: as a table (not JSON or CSV)."""
    if quiet or not _is_terminal(sys.stderr):
        return False
    return not to_stdout or (table and _is_terminal(sys.stdout))


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no such method, or a closed stream
        return False


@contextmanager
def progress_bars(shown: bool = True) -> Iterator[Progress | None]:
    """The callback to pass to the library (None when ``shown`` is False): a bar per long step on
    standard error, all of them cleared when the block ends."""
    if not shown:
        yield None
        return
    bars = _Bars()
    try:
        yield bars.update
    finally:
        bars.stop()


class _Bars:
    def __init__(self) -> None:
        self.lock = threading.Lock()  # the bootstrap reports from its threads
        self.started: dict[Step, float] = {}  # when each step first reported
        self.tasks: dict[Step, int] = {}  # the bar of each step that has one
        self.progress = None  # rich's Progress, once a bar is shown
        self.off = False  # rich does not see a terminal: no bars at all

    def update(self, step: Step, done: int, total: int) -> None:
        with self.lock:
            if self.off:
                return
            task = self.tasks.get(step)
            if task is None:
                started = self.started.setdefault(step, time.monotonic())
                late = time.monotonic() - started >= LATE_SECONDS
                if done >= total or not (total >= LEAST[step] or late):
                    return
                task = self._add(step, total)
                if task is None:
                    return
            self.progress.update(task, completed=min(done, total), total=total, visible=done < total)

    def _add(self, step: Step, total: int) -> int | None:
        if self.progress is None:
            from rich.progress import (
                BarColumn,
                Progress,
                SpinnerColumn,
                TaskProgressColumn,
                TextColumn,
                TimeElapsedColumn,
            )

            from sr_cost.outputs.terminal import stderr

            console = stderr()
            if not console.is_terminal or console.is_dumb_terminal:
                self.off = True
                return None
            self.progress = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                BarColumn(),
                TaskProgressColumn(),
                TimeElapsedColumn(),
                console=console,
                transient=True,
            )
            self.progress.start()
        for other in self.tasks.values():  # one step at a time: an earlier step's bar is done
            self.progress.update(other, visible=False)
        self.tasks[step] = self.progress.add_task(step.value, total=total)
        return self.tasks[step]

    def stop(self) -> None:
        with self.lock:
            if self.progress is not None:
                self.progress.stop()
