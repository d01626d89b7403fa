"""A progress bar for a long step, on a terminal only. rich is imported only when a bar is shown:
a run that writes JSON or CSV, or whose output is piped, imports none of it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def progress_bar(label: str, *, least: int = 20_000_000) -> Iterator[Callable[[int, int], None]]:
    """``update(done, total)`` for a long step: a bar on stderr when it is a terminal and the step is
    at least ``least`` units of work; nothing otherwise (piped output gets no progress characters)."""
    state: dict = {"bar": None, "task": None, "quiet": False}

    def update(done: int, total: int) -> None:
        if total < least or state["quiet"]:
            return
        if state["bar"] is None:
            from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

            from sr_cost.outputs.terminal import stderr

            console = stderr()
            if not console.is_terminal:
                state["quiet"] = True
                return
            state["bar"] = Progress(
                TextColumn(label), BarColumn(), TimeRemainingColumn(), console=console, transient=True
            )
            state["bar"].start()
            state["task"] = state["bar"].add_task(label, total=total)
        state["bar"].update(state["task"], completed=done)

    try:
        yield update
    finally:
        if state["bar"] is not None:
            state["bar"].stop()
