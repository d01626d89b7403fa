"""The ``sr-cost`` command line: ``app`` (Typer), ``main`` (run it) and ``console`` (the console
script); see ``cli.commands``."""

from sr_cost.cli.commands import app, console, main

__all__ = ["app", "console", "main"]
