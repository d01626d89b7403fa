"""``python -m sr_cost`` runs the ``sr-cost`` command."""

from sr_cost.cli import console

console()
