"""The bad-input corpus (tests/bad_inputs/cases.toml): every broken input is refused with one clear
message naming where it is and how to fix it, exit 1 or 2, no traceback, nothing written or
changed, within 500 MB.

Each case runs ``python -m sr_cost`` as a user would, in a folder of its own. The runs are started
together, a few at a time (``WORKERS``), the first time a case's test asks for its result: each is
a separate process with its own memory limit and timeout, so they do not disturb each other, and
the corpus takes a fraction of the time it would one after the other."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent / "bad_inputs"
CASES = tomllib.loads((HERE / "cases.toml").read_text(encoding="utf-8"))
DEFAULT_ARGS = ["estimate", "{input}", "--bootstrap", "0", "-f", "json", "-o", "out/result.json"]
MEMORY_LIMIT = 500 * 1024 * 1024  # [bytes] address space of each run
TIMEOUT = 180  # [s] a guard against a hang, not a measure of speed (that is benchmarks/'s)
PREVIOUS = b'{"previous": "result"}\n'
WORKERS = (os.cpu_count() or 1) + 1  # processes at once: each waits on its own disk reads part of the time


def _limit_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _squash(text: str) -> str:
    return " ".join(text.split())


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}
    return subprocess.run(
        [sys.executable, "-m", "sr_cost", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=TIMEOUT,
        env=env,
        preexec_fn=_limit_memory if sys.platform != "win32" else None,
    )


def _params():
    for name, case in CASES.items():
        marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if "xfail" in case else []
        yield pytest.param(name, case, id=name, marks=marks)


def test_the_corpus_is_big_enough_and_on_disk():
    assert len(CASES) >= 25
    assert sorted(CASES) == sorted(p.name for p in (HERE / "cases").iterdir())


@dataclass
class Run:
    """A case run in its folder: what was there before, the run, and the second run (``then``)."""

    folder: Path
    before: dict[str, bytes]
    result: subprocess.CompletedProcess
    after: dict[str, bytes]  # the folder just after the run (before ``then``)
    again: subprocess.CompletedProcess | None


def _run_case(name: str, case: dict, folder: Path) -> Run:
    source = HERE / "cases" / name
    files = [p for p in source.iterdir() if p.is_file()]
    if any(p.suffix == ".csv" for p in files):
        shutil.copytree(source, folder / "forms")
        given = "forms"
    else:
        (only,) = files
        shutil.copy(only, folder / only.name)
        given = only.name
    (folder / "out").mkdir()
    (folder / "out" / "result.json").write_bytes(PREVIOUS)
    before = _snapshot(folder)
    args = [a.replace("{input}", given) for a in case.get("args", DEFAULT_ARGS)]
    result = _run(args, folder)
    after = _snapshot(folder)
    again = _run(case["then"], folder) if "then" in case else None
    return Run(folder, before, result, after, again)


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, Run]:
    """Every case's run, started together, WORKERS at a time."""
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        futures = {
            name: pool.submit(_run_case, name, case, tmp_path_factory.mktemp(name)) for name, case in CASES.items()
        }
        return {name: future.result() for name, future in futures.items()}


@pytest.mark.parametrize("name,case", list(_params()))
def test_bad_input(name: str, case: dict, runs: dict[str, Run]):
    run = runs[name]
    result = run.result
    err = _squash(result.stderr)
    assert result.returncode == case["exit"], result.stderr
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    for text in case["stderr"]:
        assert _squash(text) in err, f"{text!r} not in stderr:\n{result.stderr}"
    if case["exit"] != 0:
        assert result.stdout == ""
        assert run.after == run.before, "a file was written, changed or left behind"
    else:
        json.loads(run.after["out/result.json"])
        assert {k: v for k, v in run.after.items() if k != "out/result.json"} == {
            k: v for k, v in run.before.items() if k != "out/result.json"
        }
    if run.again is not None:
        assert run.again.returncode == 0, run.again.stderr
        assert json.loads(run.again.stdout)["las"]


def test_the_corpus_files_are_what_make_cases_writes():
    result = subprocess.run([sys.executable, str(HERE / "make_cases.py"), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_openpyxl_parses_workbooks_with_defusedxml():
    """Entity declarations (billion laughs, external entities) are refused only because openpyxl
    parses through defusedxml when it is installed; sr-cost depends on defusedxml for that."""
    import defusedxml.ElementTree
    import openpyxl.xml
    import openpyxl.xml.functions as functions

    assert openpyxl.xml.DEFUSEDXML is True
    assert functions.iterparse is defusedxml.ElementTree.iterparse
    assert functions.fromstring is defusedxml.ElementTree.fromstring
    pyproject = (Path(__file__).resolve().parent.parent / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'"defusedxml>=', pyproject)
