"""Docs are executable: every command has help with an example and appears in the README, and the
README's command examples run."""

from __future__ import annotations

import re
import shlex

import pytest
import typer.main

from conftest import ROOT

README = (ROOT / "README.md").read_text()


def _commands():
    from sr_cost.cli import app

    group = typer.main.get_command(app)

    def walk(cmd, prefix):
        for name, sub in getattr(cmd, "commands", {}).items():
            if getattr(sub, "commands", None):
                yield from walk(sub, prefix + [name])
            else:
                yield prefix + [name], sub

    return list(walk(group, []))


def test_there_are_commands():
    assert len(_commands()) >= 4


@pytest.mark.parametrize("path,cmd", _commands(), ids=lambda x: " ".join(x) if isinstance(x, list) else "")
def test_every_command_has_an_example_and_is_in_the_readme(path, cmd):
    assert "Example:" in (cmd.help or ""), f"{' '.join(path)} help has no Example:"
    assert f"sr-cost {' '.join(path)}" in README


def test_quick_start_has_exactly_two_commands():
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)```", section, flags=re.S)
    assert len(blocks) == 2
    assert all(len(b.strip().splitlines()) == 1 for b in blocks)
    assert "pip install ." in blocks[0] and "sr-cost " in blocks[0]
    assert 'pip install ".[test]"' in blocks[1] and blocks[1].strip().endswith("pytest")


def _readme_examples():
    section = README.split("## Commands", 1)[1]
    for block in re.findall(r"```bash\n(.*?)```", section, flags=re.S):
        for line in block.strip().splitlines():
            if line.startswith("sr-cost "):
                yield line


@pytest.mark.parametrize("line", list(_readme_examples()))
def test_readme_example_runs(line, runner, tmp_path, monkeypatch):
    from sr_cost.cli import app

    args = shlex.split(line)[1:]
    # paths in the README are relative to the repository; outputs go to a temporary folder
    args = [str(ROOT / a) if (ROOT / a).exists() and "/" in a else a for a in args]
    args = [
        str(tmp_path / a)
        if a.endswith((".csv", ".xlsx", ".json", ".html", ".docx")) and not (ROOT / a).exists() and "/" not in a
        else a
        for a in args
    ]
    result = runner.invoke(app, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
