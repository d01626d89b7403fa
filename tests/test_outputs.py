"""Outputs are written whole or not at all, all of a run's together, and leave no temporary file
behind, however the run ends; the SHA-256 recorded of an input is that of the bytes costed.

(The bad-input corpus checks the refusals: devices, pipes, folders, inputs as outputs.)"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from sr_cost.outputs import files
from sr_cost.outputs.files import HOST, STALE_SECONDS, Outputs, sweep

from conftest import TRIAL, invoke

POSIX = os.name == "posix"


def test_every_output_is_put_in_place_or_none_is(tmp_path, monkeypatch):
    """The second output cannot be put in place (a file open in Excel, on Windows): the first,
    already replaced, gets its old contents back, and no temporary file is left."""
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    first.write_text("old a")
    second.write_text("old b")
    real_replace = os.replace

    def replace(src, dst, *args, **kwargs):
        if Path(dst) == second:
            raise PermissionError(13, "Permission denied", str(dst))
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(files.UsageError, match="cannot write .*b.json: permission denied.*no output was written"):
        with Outputs() as outputs:
            outputs.add(first, files.text_writer("new a"))
            outputs.add(second, files.text_writer("new b"))
            outputs.commit()
    assert first.read_text() == "old a" and second.read_text() == "old b"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "b.json"]


def test_a_new_output_is_removed_when_another_cannot_be_put_in_place(tmp_path, monkeypatch):
    first, second = tmp_path / "new.json", tmp_path / "b.json"
    real_replace = os.replace

    def replace(src, dst, *args, **kwargs):
        if Path(dst) == second:
            raise OSError(28, "No space left on device")
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(files.UsageError):
        with Outputs() as outputs:
            outputs.add(first, files.text_writer("a"))
            outputs.add(second, files.text_writer("b"))
            outputs.commit()
    assert list(tmp_path.iterdir()) == []


def test_the_workbook_waits_for_the_other_output(runner, tmp_path, monkeypatch):
    """--excel and -o: when -o cannot be put in place, the workbook is not written either."""
    from sr_cost.cli import app

    out = tmp_path / "out"
    out.mkdir()
    (out / "result.json").write_text("previous")
    real_replace = os.replace

    def replace(src, dst, *args, **kwargs):
        if Path(dst).name == "result.json":
            raise OSError(28, "No space left on device")
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    args = ["estimate", str(TRIAL), "--bootstrap", "0", "--excel", str(out / "forms.xlsx")]
    result = runner.invoke(app, args + ["-f", "json", "-o", str(out / "result.json")])
    assert result.exit_code == 2 and "no output was written" in result.stderr, result.output
    assert sorted(p.name for p in out.iterdir()) == ["result.json"]
    assert (out / "result.json").read_text() == "previous"


def test_dash_writes_the_table_to_standard_output(runner):
    result = invoke(runner, "estimate", str(TRIAL), "--bootstrap", "0", "-o", "-")
    assert result.exit_code == 0 and "Set-up cost" in result.stdout and "Wrote" not in result.stderr


def _temporary(folder: Path, host: str, pid: int, age: float, suffix: str = ".tmp") -> Path:
    """A temporary named as sr-cost names them, ``age`` seconds old (``.d``: a folder of them)."""
    path = folder / f".result.json.sr-cost-{host}-{pid}-abc{suffix}"
    if suffix == ".d":
        path.mkdir()
        (path / "openpyxl.xyz.xml").write_text("")
    else:
        path.write_text("")
    then = time.time() - age
    os.utime(path, (then, then))
    return path


@pytest.mark.skipif(not POSIX, reason="whether a process has ended is known on POSIX systems")
def test_the_sweep_removes_what_no_running_process_is_writing(tmp_path):
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = int(ended.stdout)
    mine = _temporary(tmp_path, HOST, os.getpid(), 0)
    of_a_dead_process = _temporary(tmp_path, HOST, dead, 0, ".bak")
    elsewhere = _temporary(tmp_path, "0a0a0a", dead, 0)
    old = _temporary(tmp_path, "0a0a0a", dead, STALE_SECONDS + 60, ".d")
    not_ours = tmp_path / ".result.json.tmp"
    not_ours.write_text("")
    removed = sweep(tmp_path)
    assert sorted(removed) == sorted([of_a_dead_process, old])
    assert mine.exists() and elsewhere.exists() and not_ours.exists()


def _run_python(code: str, tmp: Path, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "TMPDIR": str(tmp), "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd, env=env, timeout=120)


# sr-cost writing the trial's workbook
RUN = """
import sys
from sr_cost.cli.commands import main
sys.argv = ["sr-cost", "estimate", {trial!r}, "--bootstrap", "0", "--excel", "out/forms.xlsx"]
main()
"""
# the same, stopped by a signal as openpyxl writes its first worksheet into the package
STOPPED = (
    """
import os, signal, zipfile
def write(self, *args, **kwargs):
    os.kill(os.getpid(), signal.{signal})
zipfile.ZipFile.write = write
"""
    + RUN
)


@pytest.mark.skipif(not POSIX, reason="sends POSIX signals")
def test_a_run_killed_while_saving_leaves_temporaries_that_the_next_run_removes(tmp_path):
    """SIGKILL cannot be caught: what the run was writing stays, hidden, beside the output (never
    in the system's temporary folder), and the next run into that folder removes it."""
    out, tmp = tmp_path / "out", tmp_path / "tmp"
    out.mkdir()
    tmp.mkdir()
    killed = _run_python(STOPPED.format(signal="SIGKILL", trial=str(TRIAL)), tmp, tmp_path)
    assert killed.returncode == -signal.SIGKILL
    left = sorted(p.name for p in out.iterdir())
    assert left and all(name.startswith(".forms.xlsx.sr-cost-") for name in left), left
    assert any(name.endswith(".d") for name in left)  # openpyxl's worksheet files, beside the output
    assert list(tmp.iterdir()) == []
    again = _run_python(RUN.format(trial=str(TRIAL)), tmp, tmp_path)
    assert again.returncode == 0, again.stderr
    assert sorted(p.name for p in out.iterdir()) == ["forms.xlsx"]
    assert list(tmp.iterdir()) == []


@pytest.mark.skipif(not POSIX, reason="sends POSIX signals")
def test_a_run_terminated_while_saving_removes_its_temporaries(tmp_path):
    out, tmp = tmp_path / "out", tmp_path / "tmp"
    out.mkdir()
    tmp.mkdir()
    (out / "forms.xlsx").write_bytes(b"the previous workbook")
    stopped = _run_python(STOPPED.format(signal="SIGTERM", trial=str(TRIAL)), tmp, tmp_path)
    assert stopped.returncode == 128 + signal.SIGTERM, stopped.stderr
    assert "Traceback" not in stopped.stderr
    assert [p.name for p in out.iterdir()] == ["forms.xlsx"]
    assert (out / "forms.xlsx").read_bytes() == b"the previous workbook"
    assert list(tmp.iterdir()) == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs a named pipe")
def test_the_sha256_recorded_is_that_of_the_bytes_read(tmp_path):
    """The forms workbook is a named pipe: its bytes can be read once only, so the SHA-256 recorded
    can only be that of the bytes costed (hashing the file apart from reading it would hang)."""
    from sr_cost.api import run_estimate, unit_cost_table
    from sr_cost.excel.template import build_template

    source = tmp_path / "plan.xlsx"
    build_template(unit_cost_table(), example=True).save(source)
    data = source.read_bytes()
    pipe = tmp_path / "forms.xlsx"
    os.mkfifo(pipe)

    def feed() -> None:
        with open(pipe, "wb") as handle:
            handle.write(data)

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    run = run_estimate(pipe)
    writer.join(timeout=10)
    assert [i.sha256 for i in run.forms.inputs] == [hashlib.sha256(data).hexdigest()]


def test_a_form_changed_while_it_is_read_is_costed_and_hashed_as_it_was_read(tmp_path, monkeypatch, runner):
    """A line appended to rounds.csv after sr-cost read it: neither costed nor in the SHA-256."""
    from sr_cost.inputs import forms

    folder = tmp_path / "forms"
    folder.mkdir()
    for name in ("rounds.csv", "training.csv"):
        (folder / name).write_bytes((TRIAL / name).read_bytes())
    original = (folder / "rounds.csv").read_bytes()
    read_csv = forms.read_csv

    def appending(path, **kwargs):
        if Path(path).name == "rounds.csv":
            with open(path, "ab") as handle:
                handle.write(b"LA99,1,R1,in-person,catering,,,,,,100.00\n")
        return read_csv(path, **kwargs)

    monkeypatch.setattr(forms, "read_csv", appending)
    result = invoke(runner, "estimate", str(folder), "--bootstrap", "0", "-f", "json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    digest = {Path(i["path"]).name: i["sha256"] for i in found["inputs"]}
    assert digest["rounds.csv"] == hashlib.sha256(original).hexdigest()
    assert "LA99" not in {la["la"] for la in found["las"]}
