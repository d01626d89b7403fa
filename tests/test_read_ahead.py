"""Forms read ahead in a second process (sr_cost.read_ahead) give exactly what one process gives:
the same figures, the same problems, and no process left behind, whatever the child does."""

from __future__ import annotations

import os
import pickle
import shutil
import signal

import pytest

from sr_cost import export, read_ahead, readers
from sr_cost import forms as forms_module
from sr_cost.api import run_estimate
from sr_cost.errors import DataError
from sr_cost.savings import SavingsAssumptions

from conftest import TRIAL, invoke

NO_BOOTSTRAP = SavingsAssumptions(bootstrap=200)  # a short bootstrap: its seeded draws must agree too


@pytest.fixture
def forms(tmp_path):
    folder = tmp_path / "forms"
    shutil.copytree(TRIAL, folder, ignore=shutil.ignore_patterns("*.py", "*.md", "__pycache__"))
    return folder


@pytest.fixture
def forks(monkeypatch):
    """Every forms folder is read ahead; the forks made are counted."""
    made = []
    fork = os.fork

    def counted():
        pid = fork()
        if pid:
            made.append(pid)
        return pid

    monkeypatch.setattr(read_ahead, "FROM_BYTES", 0)
    monkeypatch.setattr(os, "fork", counted)
    return made


def one_process(monkeypatch):
    monkeypatch.setattr(read_ahead, "FROM_BYTES", 1 << 60)


def as_json(run) -> str:
    return export.to_json(export.run_to_dict(run))


def problems(folder) -> list:
    with pytest.raises(DataError) as caught:
        run_estimate(folder, savings_assumptions=NO_BOOTSTRAP)
    return caught.value.problems


def assert_no_child_left():
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


@pytest.mark.parametrize("fast_reader", [False, True])
def test_the_second_process_gives_what_one_process_gives(forms, forks, monkeypatch, fast_reader):
    # both CSV readers: the line-by-line one (small files) and pandas' (large files)
    monkeypatch.setattr(readers, "CSV_FAST_BYTES", 0 if fast_reader else 1 << 60)
    ahead = run_estimate(forms, savings_assumptions=NO_BOOTSTRAP)
    assert len(forks) == 1
    assert_no_child_left()
    one_process(monkeypatch)
    alone = run_estimate(forms, savings_assumptions=NO_BOOTSTRAP)
    assert len(forks) == 1
    assert as_json(ahead) == as_json(alone)
    assert ahead.survey.respondents == alone.survey.respondents  # unpickled when first asked for
    assert ahead.survey.staff == alone.survey.staff
    assert [i.path for i in ahead.bundle.inputs] == [i.path for i in alone.bundle.inputs]
    assert "survey.csv" in as_json(ahead) and "staff.csv" in as_json(ahead)  # hashed by the parent


def test_the_cli_prints_the_same_with_and_without_the_second_process(forms, forks, monkeypatch, runner):
    ahead = invoke(runner, "estimate", str(forms), "--bootstrap", "0")
    assert len(forks) == 1
    one_process(monkeypatch)
    alone = invoke(runner, "estimate", str(forms), "--bootstrap", "0")
    assert ahead.exit_code == alone.exit_code == 0
    assert ahead.output == alone.output
    assert "sickness" in ahead.output.lower()


def in_child(monkeypatch, name: str, action) -> None:
    """read_ahead's ``name`` does ``action`` first in the child, and its usual work in this process."""
    parent, function = os.getpid(), getattr(read_ahead, name)

    def work(*args, **kwargs):
        if os.getpid() != parent:
            action()
        return function(*args, **kwargs)

    monkeypatch.setattr(read_ahead, name, work)


@pytest.mark.parametrize("failure", ["bug", "killed", "unpicklable", "bug reading", "killed reading"])
def test_when_the_child_gives_no_answer_this_process_works_the_survey_out(forms, forks, monkeypatch, failure):
    one_process(monkeypatch)
    expected = as_json(run_estimate(forms, savings_assumptions=NO_BOOTSTRAP))
    monkeypatch.setattr(read_ahead, "FROM_BYTES", 0)
    parent = os.getpid()
    if failure in ("bug", "bug reading"):
        def action():
            raise RuntimeError("a bug in the child")
        in_child(monkeypatch, "validate_survey" if failure == "bug" else "read_tables", action)
    elif failure in ("killed", "killed reading"):  # as the out-of-memory killer would
        in_child(monkeypatch, "validate_survey" if failure == "killed" else "read_tables",
                 lambda: os.kill(os.getpid(), signal.SIGKILL))
    else:
        dumps = pickle.dumps

        def refused(*args, **kwargs):
            if os.getpid() != parent:
                raise pickle.PicklingError("cannot pickle")
            return dumps(*args, **kwargs)
        monkeypatch.setattr(read_ahead.pickle, "dumps", refused)
    run = run_estimate(forms, savings_assumptions=NO_BOOTSTRAP)
    assert len(forks) == 1
    assert as_json(run) == expected
    assert_no_child_left()


def test_a_cut_off_answer_is_not_used(forms, forks, monkeypatch):
    one_process(monkeypatch)
    expected = as_json(run_estimate(forms, savings_assumptions=NO_BOOTSTRAP))
    monkeypatch.setattr(read_ahead, "FROM_BYTES", 0)
    parent, dumps = os.getpid(), pickle.dumps
    monkeypatch.setattr(read_ahead.pickle, "dumps",
                        lambda *a, **k: dumps(*a, **k)[:-100] if os.getpid() != parent else dumps(*a, **k))
    assert as_json(run_estimate(forms, savings_assumptions=NO_BOOTSTRAP)) == expected
    assert len(forks) == 1


def break_survey(forms):
    lines = (forms / "survey.csv").read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace("control", "treated")  # line 3: an unknown group
    lines[4] = lines[4].replace(",0,0", ",lots,0")  # line 5: sick days not a number
    (forms / "survey.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def break_rounds(forms):
    lines = (forms / "rounds.csv").read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace(",1,1,,", ",one,1,,")  # line 4: staff not a number
    (forms / "rounds.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_survey_problems_come_back_as_one_process_finds_them(forms, forks, monkeypatch):
    break_survey(forms)
    ahead = problems(forms)
    assert len(forks) == 1
    one_process(monkeypatch)
    alone = problems(forms)
    assert ahead == alone
    assert {(p.row, p.column) for p in alone if p.severity == "error"} == {(3, "group"), (5, "sick_days")}
    assert_no_child_left()


@pytest.mark.parametrize("ahead", [True, False])
def test_cost_form_and_survey_problems_are_reported_together(forms, forks, monkeypatch, ahead):
    if not ahead:
        one_process(monkeypatch)
    break_rounds(forms)
    break_survey(forms)
    found = [(p.file.rsplit("/", 1)[-1], p.row, p.column) for p in problems(forms) if p.severity == "error"]
    assert found == [("rounds.csv", 4, "staff"), ("survey.csv", 3, "group"), ("survey.csv", 5, "sick_days")]
    assert len(forks) == (1 if ahead else 0)
    assert_no_child_left()


def test_a_child_still_working_is_ended_when_the_cost_forms_cannot_be_read(forms, forks, monkeypatch):
    (forms / "rounds.csv").write_bytes(b"la,phase,round\n\xff\xfe broken\n")
    import time

    in_child(monkeypatch, "validate_survey", lambda: time.sleep(30))
    started = time.monotonic()
    with pytest.raises(DataError) as caught:
        run_estimate(forms, savings_assumptions=NO_BOOTSTRAP)
    assert time.monotonic() - started < 10  # the sleeping child was ended, not waited for
    assert "rounds.csv" in str(caught.value)
    assert len(forks) == 1
    assert_no_child_left()


@pytest.mark.parametrize("unreadable", [("panel",), ("training", "rounds"), ("rounds", "steering")])
def test_a_cost_form_that_cannot_be_read_is_reported_as_one_process_reports_it(forms, forks, monkeypatch,
                                                                             unreadable):
    for name in unreadable:
        (forms / f"{name}.csv").write_bytes(b"la,phase,round\n\xff\xfe broken\n")
    ahead = problems(forms)
    assert len(forks) == 1
    one_process(monkeypatch)
    assert ahead == problems(forms)
    assert ahead[0].file.endswith(f"{unreadable[0]}.csv")
    assert_no_child_left()


def test_this_process_reads_rounds_and_the_child_the_other_forms(forms, forks, monkeypatch):
    parent, read = os.getpid(), []
    read_csv = forms_module.read_csv

    def noted(path, **kwargs):
        read.append(path.name)  # in this process only: the child's list is its own copy
        return read_csv(path, **kwargs)

    monkeypatch.setattr(forms_module, "read_csv", noted)
    run = run_estimate(forms, savings_assumptions=NO_BOOTSTRAP)
    assert read == ["rounds.csv"] and os.getpid() == parent
    assert list(run.bundle.tables) == ["training", "rounds", "panel", "steering"]


def test_workbooks_and_small_surveys_stay_in_one_process(forms, tmp_path, monkeypatch):
    assert not read_ahead.worthwhile(forms)  # the trial's survey is far under FROM_BYTES
    monkeypatch.setattr(read_ahead, "FROM_BYTES", 0)
    assert read_ahead.worthwhile(forms)
    (forms / "rounds.csv").unlink()
    assert not read_ahead.worthwhile(forms)  # no rounds form: its problem comes first, alone
    book = tmp_path / "forms.xlsx"
    book.write_bytes(b"")
    assert not read_ahead.worthwhile(book)


def test_no_second_process_with_one_cpu_or_with_other_threads(forms, monkeypatch):
    import threading

    monkeypatch.setattr(read_ahead, "FROM_BYTES", 0)
    assert read_ahead.worthwhile(forms)
    with monkeypatch.context() as m:
        m.setattr(os, "sched_getaffinity", lambda pid: {0})
        assert not read_ahead.worthwhile(forms)
    done = threading.Event()
    other = threading.Thread(target=done.wait)
    other.start()
    try:
        assert not read_ahead.worthwhile(forms)  # forking a process with threads is not safe
    finally:
        done.set()
        other.join()


def test_when_no_process_can_be_made_the_forms_are_read_here(forms, monkeypatch):
    one_process(monkeypatch)
    expected = as_json(run_estimate(forms, savings_assumptions=NO_BOOTSTRAP))
    monkeypatch.setattr(read_ahead, "FROM_BYTES", 0)

    def refused():
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", refused)
    open_before = len(os.listdir("/proc/self/fd"))
    assert as_json(run_estimate(forms, savings_assumptions=NO_BOOTSTRAP)) == expected
    assert len(os.listdir("/proc/self/fd")) == open_before  # the pipe was closed
