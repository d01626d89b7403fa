from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
TRIAL = EXAMPLES / "trial"
UNIT_COSTS = ROOT / "unit_costs" / "pssru_2019.csv"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def invoke(runner: CliRunner, *args: str):
    from sr_cost.cli import app

    return runner.invoke(app, list(args), catch_exceptions=False)
