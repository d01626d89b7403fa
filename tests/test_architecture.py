"""The layout's rules, checked by tools rather than by memory: the import-linter contracts of
pyproject.toml (layers, a pure core, no import circles), no private name imported from another
module, and no module longer than 500 lines."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

PACKAGE = ROOT / "sr_cost"
MAX_LINES = 500  # "about 400 (500 at the most)"


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_the_import_contracts_are_kept():
    pytest.importorskip("importlinter")
    done = subprocess.run(
        [sys.executable, "-c", "from importlinter.cli import lint_imports_command; lint_imports_command()"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "0 broken" in done.stdout


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_private_name_is_imported_from_another_module(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    private = [
        f"line {node.lineno}: from {node.module} import {alias.name}"
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sr_cost")
        for alias in node.names
        if alias.name.startswith("_") and not alias.name.startswith("__")
    ]
    assert not private


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_is_over_500_lines(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_LINES


def test_every_layer_folder_is_a_package_and_nothing_lies_loose():
    """The package's top level holds the layers and the few modules every layer shares."""
    top = {p.name for p in PACKAGE.iterdir() if not p.name.startswith((".", "__pycache__"))}
    assert top <= {
        "__init__.py",
        "__main__.py",
        "api.py",
        "errors.py",
        "money.py",
        "cli",
        "core",
        "inputs",
        "outputs",
        "excel",
        "unit_costs",
    }, top
    for folder in ("cli", "core", "inputs", "outputs", "excel"):
        assert (PACKAGE / folder / "__init__.py").is_file()
