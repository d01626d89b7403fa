"""The bad-input corpus (tests/bad_inputs/cases.toml): every broken input is refused with one clear
message naming where it is and how to fix it, exit 1 or 2, no traceback, nothing written or
changed, no temporary file left anywhere (the case's folder, or the temporary folder it is given),
no control character reaching the terminal, within 500 MB. Each case's time alone (under 10 s)
is measured by ``benchmarks/bad_inputs.py``: here, many run at once on a machine that may be loaded.

Each case runs ``python -m sr_cost`` as a user would, in a folder of its own. The runs start in the
background as soon as the tests are collected, a few at a time (``WORKERS``), while the rest of the
suite runs in the foreground (on a CPU it would leave idle), and the corpus's tests run last and
check them (``Corpus``; the hooks are in ``conftest.py``): each run is a separate process with its
own memory limit and timeout, so they do not disturb each other or the other tests."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent / "bad_inputs"
CASES = tomllib.loads((HERE / "cases.toml").read_text(encoding="utf-8"))
DEFAULT_ARGS = ["estimate", "{input}", "--bootstrap", "0", "-f", "json", "-o", "out/result.json"]
MEMORY_LIMIT = 500 * 1024 * 1024  # [bytes] address space of each run
TIMEOUT = 180  # [s] a guard against a hang, not a measure of speed (that is benchmarks/'s)
PREVIOUS = b'{"previous": "result"}\n'
WORKERS = os.cpu_count() or 1  # cases at once, beside the other tests running in the foreground


def _limit_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


STALE = 2 * 24 * 3600  # [s] the age given to the stale temporary files a case sets up
# what must never reach the terminal: C0 controls but tab and line feed, DEL, C1 controls
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _snapshot(folder: Path) -> dict[str, bytes]:
    """Every file's bytes (a folder: None; a named pipe or socket: its kind), links followed."""
    found: dict[str, bytes | None] = {}
    for p in sorted(folder.rglob("*")):
        name = str(p.relative_to(folder))
        if p.is_file():
            found[name] = p.read_bytes()
        elif p.is_dir():
            found[name] = None
        else:
            found[name] = b"(not a regular file)"
    return found


def _squash(text: str) -> str:
    return " ".join(text.split())


def _run(args: list[str], cwd: Path, base_env: dict[str, str], tmp: Path | None = None) -> subprocess.CompletedProcess:
    env = {**base_env, "COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}
    if tmp is not None:  # the temporary folder: it must be empty afterwards
        env.update(TMPDIR=str(tmp), TEMP=str(tmp), TMP=str(tmp))
    try:
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
    except subprocess.TimeoutExpired as exc:  # that case fails, saying so; the others run on
        return subprocess.CompletedProcess(exc.cmd, f"timed out after {TIMEOUT} s", "", "")


def _case_sensitive() -> bool:
    """Whether this system's temporary folder tells 'a' from 'A' in file names."""
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "a").write_text("")
        return not (Path(tmp) / "A").exists()


POSIX = os.name == "posix"
CASE_SENSITIVE = _case_sensitive()


def runnable(case: dict) -> bool:
    return (POSIX or not case.get("posix")) and (CASE_SENSITIVE or not case.get("case_sensitive"))


def _params():
    for name, case in CASES.items():
        marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if "xfail" in case else []
        if not runnable(case):
            marks.append(pytest.mark.skip(reason="needs a POSIX system with a case-sensitive file system"))
        yield pytest.param(name, case, id=name, marks=marks)


def test_the_corpus_is_big_enough_and_on_disk():
    assert len(CASES) >= 100
    assert sorted(CASES) == sorted(p.name for p in (HERE / "cases").iterdir())


@dataclass
class Run:
    """A case run in its folder: what was there before, the run, and the second run (``then``)."""

    folder: Path
    before: dict[str, bytes]
    result: subprocess.CompletedProcess
    after: dict[str, bytes]  # the folder just after the run (before ``then``)
    again: subprocess.CompletedProcess | None
    tmp_left: list[str]  # what the run left in its temporary folder


def _set_up(folder: Path, steps: list[list[str]]) -> None:
    """What a checkout cannot hold on every system, made when the case runs: ``rename``, ``copy``
    (a file to another name), ``mkdir``, ``mkfifo``, ``symlink`` (link, target), ``stale`` (an
    empty file, or with ``stale_dir`` a folder holding one, two days old) and ``fresh`` (an empty
    file, new)."""
    for step, *paths in steps:
        path = folder / paths[0]
        if step == "rename":
            path.rename(folder / paths[1])
        elif step == "copy":
            shutil.copy(path, folder / paths[1])
        elif step == "mkdir":
            path.mkdir(parents=True)
        elif step == "mkfifo":
            os.mkfifo(path)
        elif step == "symlink":
            path.symlink_to(paths[1])
        elif step in ("stale", "stale_dir", "fresh"):
            if step == "stale_dir":
                path.mkdir()
                (path / "openpyxl.abc.xml").write_bytes(b"<worksheet/>")
            else:
                path.write_bytes(b"")
            if step != "fresh":
                old = time.time() - STALE
                os.utime(path, (old, old))
        else:
            raise ValueError(f"unknown setup step {step!r}")


def prepare_case(name: str, case: dict, folder: Path) -> list[str]:
    """Lay case ``name`` out in ``folder`` as its run needs it; the command's arguments."""
    source = HERE / "cases" / name
    files = [p for p in source.iterdir() if p.is_file()]
    if any(p.is_dir() for p in source.iterdir()):  # laid out as it is: forms/, a/, b/, table.csv, ...
        shutil.copytree(source, folder, dirs_exist_ok=True)
        given = "forms"
    elif any(p.suffix == ".csv" for p in files):
        shutil.copytree(source, folder / "forms")
        given = "forms"
    else:
        (only,) = files
        shutil.copy(only, folder / only.name)
        given = only.name
    (folder / "out").mkdir()
    (folder / "out" / "result.json").write_bytes(PREVIOUS)
    _set_up(folder, case.get("setup", []))
    return [a.replace("{input}", given) for a in case.get("args", DEFAULT_ARGS)]


def _run_case(name: str, case: dict, folder: Path, tmp: Path, env: dict[str, str]) -> Run:
    args = prepare_case(name, case, folder)
    before = _snapshot(folder)
    result = _run(args, folder, env, tmp)
    after = _snapshot(folder)
    tmp_left = sorted(str(p.relative_to(tmp)) for p in tmp.rglob("*"))
    again = _run(case["then"], folder, env) if "then" in case else None
    return Run(folder, before, result, after, again, tmp_left)


class Corpus:
    """The selected cases' runs, started in the background as soon as the tests are collected
    (``conftest.pytest_collection_finish``), WORKERS at a time, while the other tests run; the
    corpus's tests run last (``conftest.pytest_collection_modifyitems``) and wait for them. Every
    case's folders are made, and the environment copied, before the first test runs, so that no
    test's temporary settings (environment, ``tempfile.tempdir``) reach a case."""

    def __init__(self, names: set[str]) -> None:
        self.base = Path(tempfile.mkdtemp(prefix="sr-cost-bad-inputs-"))
        env = dict(os.environ)
        self.pool = ThreadPoolExecutor(max_workers=WORKERS)
        self.futures: dict[str, Future] = {}
        for name, case in CASES.items():
            if name in names and runnable(case):
                folder, tmp = self.base / name, self.base / f"{name}-tmp"
                folder.mkdir()
                tmp.mkdir()
                self.futures[name] = self.pool.submit(_run_case, name, case, folder, tmp, env)

    def result(self, name: str) -> Run:
        return self.futures[name].result()

    def close(self) -> None:
        self.pool.shutdown(cancel_futures=True)
        shutil.rmtree(self.base, ignore_errors=True)


CORPUS: Corpus | None = None


def is_case(item: pytest.Item) -> bool:
    """Whether a collected test is one of the corpus's cases."""
    return getattr(item, "originalname", "") == "test_bad_input" and hasattr(item, "callspec")


def start(names: set[str]) -> None:
    """Start the runs of the cases ``names`` (called once the tests are collected)."""
    global CORPUS
    CORPUS = Corpus(names)


def stop() -> None:
    if CORPUS is not None:
        CORPUS.close()


@pytest.fixture(scope="module")
def runs(request) -> Corpus:
    if CORPUS is None:  # collected without the conftest's hooks: start them now
        start({item.callspec.params["name"] for item in request.session.items if is_case(item)})
    return CORPUS


@pytest.mark.parametrize("name,case", list(_params()))
def test_bad_input(name: str, case: dict, runs: Corpus):
    run = runs.result(name)
    result = run.result
    err = _squash(result.stderr)
    assert result.returncode == case["exit"], result.stderr
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    for text in case["stderr"]:
        assert _squash(text) in err, f"{text!r} not in stderr:\n{result.stderr}"
    for text in case.get("absent", []):
        assert _squash(text) not in err, f"{text!r} in stderr:\n{result.stderr}"
    assert not RAW_CONTROL.search(result.stderr + result.stdout), "a control character reached the terminal"
    assert run.tmp_left == [], "a temporary file was left in the temporary folder"
    swept = set(case.get("swept", []))
    before = {k: v for k, v in run.before.items() if k not in swept}
    for path in swept:
        assert path not in run.after, f"{path} was not removed"
    if case["exit"] != 0:
        assert result.stdout == ""
        assert run.after == before, "a file was written, changed or left behind"
    else:
        written = {"out/result.json", *case.get("writes", [])}
        if case.get("stdout_json"):
            json.loads(result.stdout)
            written = set()
        else:
            json.loads(run.after["out/result.json"])
        for path in written:
            assert path in run.after, f"{path} was not written"
        assert {k: v for k, v in run.after.items() if k not in written} == {
            k: v for k, v in before.items() if k not in written
        }, "a file other than the outputs was written, changed or left behind"
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
