"""Progress on the long steps (issue 18): a bar on a terminal, nothing anywhere else.

The command line is run as a user runs it, in a process of its own: under a pseudo-terminal (POSIX
only) it draws a bar on standard error; with its output piped, with JSON on standard output, or
with ``--quiet``, no progress character is written anywhere. The library's steps are checked for
what they report: from 0 to their total, never going back.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from sr_cost.api import run_compare, run_estimate
from sr_cost.core.progress import Step
from sr_cost.core.savings import SavingsAssumptions
from sr_cost.outputs import progress as progress_module
from sr_cost.outputs.progress import LEAST, progress_bars, shows_progress

from conftest import ROOT, TRIAL

# the trial's 236 respondents x 100,000 resamples = 23,600,000 values: over the bootstrap's LEAST
LONG_BOOTSTRAP = ["--bootstrap", "100000"]
# what a bar is drawn with: rich's bar and spinner, the cursor hidden while it runs, the step's label
PROGRESS_MARKS = ("━", "⠋", "\x1b[?25l", Step.bootstrap.value)

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX only")


def _run(args: list[str], *, stdout_tty: bool, stderr_tty: bool) -> tuple[int, str, str]:
    """Run ``python -m sr_cost ARGS``, its stdout and stderr on a pseudo-terminal or on pipes:
    (exit status, what went to the terminal, what went to the pipes). What is not a terminal goes
    to a temporary file, so that a long output never fills a pipe nobody reads yet."""
    import pty
    import tempfile

    master, slave = pty.openpty()
    pipe = tempfile.TemporaryFile()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100"}
    env.pop("NO_COLOR", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "sr_cost", *args],
        stdin=subprocess.DEVNULL,
        stdout=slave if stdout_tty else pipe,
        stderr=slave if stderr_tty else pipe,
        cwd=ROOT,
        env=env,
    )
    os.close(slave)
    terminal = bytearray()
    os.set_blocking(master, False)
    while True:
        try:
            chunk = os.read(master, 65536)
        except BlockingIOError:  # nothing written yet
            if proc.poll() is not None:
                break
            time.sleep(0.02)
            continue
        except OSError:  # the terminal's other end is closed: the process has ended
            break
        if not chunk:
            break
        terminal += chunk
    proc.wait()
    os.close(master)
    pipe.seek(0)
    piped = pipe.read()
    pipe.close()
    return proc.returncode, terminal.decode(errors="replace"), piped.decode(errors="replace")


@posix_only
def test_a_terminal_sees_the_bar(tmp_path):
    code, terminal, _ = _run(
        ["estimate", "examples/trial", *LONG_BOOTSTRAP, "-o", str(tmp_path / "out.txt")],
        stdout_tty=True,
        stderr_tty=True,
    )
    assert code == 0
    assert Step.bootstrap.value in terminal and "━" in terminal
    assert "Wrote" in terminal  # and the command still says what it wrote, after the bar is cleared


@posix_only
@pytest.mark.parametrize("quiet", [False, True], ids=["bar", "quiet"])
def test_the_report_shows_its_bar_unless_quiet(tmp_path, quiet):
    """``report`` writes a file and says so: on a terminal its long steps get bars (the bootstrap
    here), and ``--quiet`` takes them away."""
    out = tmp_path / "report.html"
    args = ["report", "examples/trial", *LONG_BOOTSTRAP, "-o", str(out), *(["--quiet"] if quiet else [])]
    code, terminal, _ = _run(args, stdout_tty=True, stderr_tty=True)
    assert code == 0 and out.is_file()
    assert "Wrote" in terminal
    if quiet:
        assert not any(mark in terminal for mark in PROGRESS_MARKS)
    else:
        assert Step.bootstrap.value in terminal and "━" in terminal


@posix_only
@pytest.mark.parametrize(
    "args,stdout_tty",
    [
        (["-f", "json"], False),  # piped: sr-cost estimate ... -f json | jq
        (["-f", "json"], True),  # JSON on the terminal
        (["--quiet", "-o", "{out}"], True),  # asked to be quiet
    ],
    ids=["piped", "json-to-terminal", "quiet"],
)
def test_no_progress_characters_when_piped_json_or_quiet(tmp_path, args, stdout_tty):
    """Standard error stays a terminal (where a bar would go): still no bar, on either stream."""
    args = [a.format(out=tmp_path / "out.txt") for a in args]
    code, terminal, piped = _run(
        ["estimate", "examples/trial", *LONG_BOOTSTRAP, *args], stdout_tty=stdout_tty, stderr_tty=True
    )
    assert code == 0
    for mark in PROGRESS_MARKS:
        assert mark not in terminal and mark not in piped
    if not stdout_tty:
        assert piped.lstrip().startswith("{")  # the JSON, whole


def test_piped_output_holds_no_progress_characters():
    """Everything piped, as in a script or CI (no terminal anywhere), the table format too."""
    done = subprocess.run(
        [sys.executable, "-m", "sr_cost", "estimate", "examples/trial", *LONG_BOOTSTRAP],
        capture_output=True,
        cwd=ROOT,
        env={**os.environ, "TERM": "xterm-256color"},
    )
    assert done.returncode == 0
    text = (done.stdout + done.stderr).decode()
    assert "Mean cost per round" in text or "per round" in text
    for mark in PROGRESS_MARKS:
        assert mark not in text


class _Stream:
    def __init__(self, tty: bool) -> None:
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize(
    "quiet,err_tty,out_tty,to_stdout,table,shown",
    [
        (False, True, True, True, True, True),  # a table on the terminal
        (False, True, False, True, True, False),  # a table piped or redirected
        (False, True, True, True, False, False),  # JSON or CSV on the terminal
        (False, True, False, False, False, True),  # JSON to a file (-o), on a terminal
        (False, False, True, False, True, False),  # standard error redirected
        (True, True, True, True, True, False),  # --quiet
        (True, True, True, False, False, False),
    ],
)
def test_when_a_command_shows_progress(monkeypatch, quiet, err_tty, out_tty, to_stdout, table, shown):
    monkeypatch.setattr(sys, "stderr", _Stream(err_tty))
    monkeypatch.setattr(sys, "stdout", _Stream(out_tty))
    assert shows_progress(quiet=quiet, to_stdout=to_stdout, table=table) is shown


def test_every_step_has_a_size_from_which_its_bar_is_shown():
    for step in Step:
        assert LEAST[step] > 0 and step.value


def test_a_short_step_draws_nothing_and_no_terminal_means_no_bar(monkeypatch):
    """Below its size and early, a step gets no bar (rich is not even started); a long one would,
    but standard error is not a terminal here, so nothing is drawn."""
    monkeypatch.setattr(progress_module, "LATE_SECONDS", 3600)
    with progress_bars() as update:
        bars = update.__self__
        update(Step.bootstrap, 0, LEAST[Step.bootstrap] - 1)
        update(Step.bootstrap, 10, LEAST[Step.bootstrap] - 1)
        assert bars.progress is None and not bars.off
        update(Step.writing, 0, LEAST[Step.writing])
        assert bars.progress is None and bars.off
    with progress_bars(False) as update:
        assert update is None


def _reports(seen: list, step: Step) -> list[tuple[int, int]]:
    found = [(done, total) for s, done, total in seen if s is step]
    assert found, f"no report of {step}"
    assert found[-1][0] == found[-1][1], "the step does not reach its total"
    assert all(x[0] <= y[0] and x[1] == y[1] for x, y in zip(found, found[1:])), "progress went back"
    return found


def test_reading_a_workbook_reports_the_bytes_of_its_sheets(tmp_path):
    """Reported in bytes of the forms' sheet XML, as each sheet is read, from 0 to all of them
    (the Instructions and Roles sheets are not read and do not count)."""
    from sr_cost.api import unit_cost_table
    from sr_cost.excel.template import write_template

    path = tmp_path / "forms.xlsx"
    write_template(path, unit_cost_table(), example=True)
    seen: list = []
    run_estimate(path, savings_assumptions=SavingsAssumptions(bootstrap=0), progress=lambda *r: seen.append(r))
    found = _reports(seen, Step.reading)
    with zipfile.ZipFile(path) as archive:
        sheets = [i.file_size for i in archive.infolist() if i.filename.startswith("xl/worksheets/sheet")]
    assert found[0] == (0, found[0][1]) and 0 < found[0][1] < sum(sheets)


def test_reading_a_sheet_cell_by_cell_reports_too(tmp_path, monkeypatch):
    """A sheet with a hidden row is read by openpyxl, cell by cell; it reports as it goes (here every
    10 rows), in bytes of the sheet, as far as its last row."""
    import openpyxl

    from sr_cost.inputs import xlsx_detail

    monkeypatch.setattr(xlsx_detail, "PROGRESS_ROWS", 10)

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "rounds"
    ws.append(["la", "phase", "round", "mode", "item", "cost"])
    for i in range(1, 31):
        ws.append(["A", 1, f"R{i}", "virtual", "room", 10])
    ws.row_dimensions[40].hidden = True  # hidden, and empty: not a problem, but not a plain sheet
    path = tmp_path / "forms.xlsx"
    wb.save(path)
    seen: list = []
    run = run_estimate(path, progress=lambda *r: seen.append(r))
    assert len(run.estimate.rounds) == 30
    found = _reports(seen, Step.reading)
    assert len({done for done, _ in found}) >= 5  # 0, rows 10, 20 and 30 of the sheet's 40, all


def test_the_sensitivity_reports_its_scenarios_in_lines_costed():
    """The trial by mode: one forms set, 11 scenarios (each end of 5 rows, one shared with the base
    case, and nobody attending), each the forms' lines."""
    seen: list = []
    run = run_compare(
        TRIAL, sensitivity=True, savings_assumptions=SavingsAssumptions(bootstrap=0), progress=lambda *r: seen.append(r)
    )
    lines = sum(len(t) for t in run.runs[0].forms.lines.values())
    found = _reports(seen, Step.sensitivity)
    assert found[-1] == (11 * lines, 11 * lines) and len(found) == 11


def test_writing_a_workbook_reports_its_long_tables_then_saving(tmp_path):
    """Writing: the rows of Lines, Rounds and the respondents of Savings; saving: the bytes of
    their XML put into the file."""
    from sr_cost.excel.workbook import write_workbook

    run = run_estimate(TRIAL, savings_assumptions=SavingsAssumptions(bootstrap=0))
    seen: list = []
    write_workbook(tmp_path / "out.xlsx", run, savings=run.savings, progress=lambda *r: seen.append(r))
    rows = sum(len(t) for t in run.forms.lines.values()) + len(run.estimate.rounds) + len(run.savings.respondents)
    assert _reports(seen, Step.writing)[-1] == (rows, rows)
    saving = _reports(seen, Step.saving)
    assert saving[0][0] == 0 and saving[-1][1] > 0
    assert [s for s, *_ in seen].index(Step.saving) > [s for s, *_ in seen].index(Step.writing)
    assert Path(tmp_path / "out.xlsx").stat().st_size > 0
