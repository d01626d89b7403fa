"""The ``sr-cost`` command line (``app``) and its console entry point (``main``); see ``cli.app``."""

from sr_cost.cli.app import app, main

__all__ = ["app", "main"]
