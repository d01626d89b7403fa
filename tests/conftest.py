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


def _corpus(session: pytest.Session):
    """The bad-input corpus's module, if any of its cases were collected."""
    for item in session.items:
        module = getattr(item, "module", None)
        if module is not None and module.__name__.endswith("test_bad_inputs") and module.is_case(item):
            return module
    return None


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    """The bad-input corpus's cases run last: their runs go on in the background meanwhile."""
    items.sort(key=lambda item: getattr(getattr(item, "module", None), "__name__", "").endswith("test_bad_inputs"))


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the bad-input corpus's runs, in the background, once every test is collected."""
    corpus = _corpus(session)
    if corpus is not None:
        corpus.start({item.callspec.params["name"] for item in session.items if corpus.is_case(item)})


def pytest_sessionfinish(session: pytest.Session) -> None:
    corpus = _corpus(session)
    if corpus is not None:
        corpus.stop()
