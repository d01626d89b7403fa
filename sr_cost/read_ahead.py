"""Forms read ahead in a second process while this one reads ``rounds.csv`` and costs the forms.

A national forms set takes one process about 0.12 s to read ``rounds.csv``, 0.05 s to read the
other cost forms and 0.2 s to read and check its 50,000-respondent survey, which nothing needs
until the savings, and most machines have a second CPU. So for a folder of CSV files with a large
survey (``FROM_BYTES``), on Linux with two CPUs or more, sr-cost forks once pandas is imported, and
the child

1. reads ``training.csv``, ``panel.csv`` and ``steering.csv`` (this process reads ``rounds.csv``
   meanwhile), and sends them;
2. reads ``survey.csv`` and ``staff.csv`` and runs ``validate_survey`` (this process checks and
   costs the cost forms meanwhile), and sends the survey or its problems.

The child runs the very functions the one-process path runs and sends back what they returned,
pickled through a pipe. Nothing else changes: when the child gives no answer (it is killed, runs
out of memory, meets a bug, cannot pickle its answer) or a cost form cannot be read, this process
does that part itself, so the answer, or the error, is always the one-process path's. The child
writes no file and prints nothing; it ends with ``os._exit``, so it runs none of this process's
clean-up, and this process always reaps it, killing it first when it is not needed any more (a cost
form was wrong). Where no process can be had, or the calling program runs several threads (forking
those is not safe), the forms are read in this process. A third process (reading the cost forms and
the survey at once) was slower on a 2-CPU machine: see benchmarks/RESULTS.md.
"""

from __future__ import annotations

import importlib
import os
import pickle
import signal
import struct
import sys
import threading
import warnings
from dataclasses import replace
from pathlib import Path

from sr_cost.errors import DataError
from sr_cost.forms import COST_SHEETS, SHEETS, SURVEY_SHEETS, FormsBundle, form_files, read_forms, read_tables
from sr_cost.respondents import Survey
from sr_cost.survey import AbsenceBasis, validate_survey
from sr_cost.unit_costs import UnitCostTable

FROM_BYTES = 1_000_000  # with a survey.csv this large (about 17,000 respondents), read ahead
OTHER_COST_SHEETS = tuple(name for name in COST_SHEETS if name != "rounds")
_LENGTH = struct.Struct("<Q")  # the first answer's length, before it


def start(folder: Path, table: UnitCostTable, basis: AbsenceBasis, encoding: str) -> "ReadAhead | None":
    """A ReadAhead for this forms path when it is worth one (``worthwhile``) and the child can be
    made; None otherwise (the forms are then read in this process)."""
    if not worthwhile(folder):
        return None
    try:
        return ReadAhead(folder, table, basis, encoding)
    except OSError:  # no process or pipe to be had (a container's limit, say): read them here
        return None


def worthwhile(folder: Path) -> bool:
    """Whether this forms path is worth reading ahead: a folder with a rounds form and a large
    survey, on Linux (``fork`` is not safe on macOS, and Windows has none) with two CPUs or more
    for this process, in a process with one thread (a program that calls sr-cost from several
    threads is not forked)."""
    if not sys.platform.startswith("linux") or threading.active_count() > 1 or not folder.is_dir():
        return False
    if len(os.sched_getaffinity(0)) < 2:
        return False
    files = dict(form_files(folder))
    try:
        return "rounds" in files and "survey" in files and files["survey"].stat().st_size >= FROM_BYTES
    except OSError:
        return False


class ReadAhead:
    """A forms folder's cost forms other than rounds, and its survey, read (the survey checked) by a
    child process: ``cost_forms()`` and ``survey()`` give them."""

    def __init__(self, folder: Path, table: UnitCostTable, basis: AbsenceBasis, encoding: str) -> None:
        self.folder, self.table, self.basis, self.encoding = folder, table, basis, encoding
        importlib.import_module("pandas")  # both processes read with it: imported once, before the fork
        read, write = os.pipe()
        # Ctrl-C is held back until the child has given it its default action (ending the child), so
        # that a KeyboardInterrupt can never leave the child running this process's code
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            with warnings.catch_warnings():
                # Python 3.12+ warns when a process with threads forks; numpy's BLAS threads are idle
                # and the child uses none of them
                warnings.simplefilter("ignore", DeprecationWarning)
                try:
                    pid = os.fork()
                except OSError:
                    os.close(read)
                    os.close(write)
                    raise
            if pid == 0:  # the child
                try:
                    os.close(read)
                    self._child(write, mask)
                finally:
                    os._exit(0)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        os.close(write)
        self.pid: int | None = pid
        self.pipe = os.fdopen(read, "rb")

    # --- the child ---------------------------------------------------------------------------

    def _child(self, write: int, mask) -> None:
        try:
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
            with os.fdopen(write, "wb") as out:
                tables = _answer(lambda: read_tables(self.folder, self.encoding, OTHER_COST_SHEETS))
                # sent by a thread, so that the survey is read while this process reads rounds.csv
                sending = threading.Thread(target=out.write, args=(_LENGTH.pack(len(tables)) + tables,))
                sending.start()
                survey = _answer(lambda: validate_survey(self._survey_forms(), self.table, self.basis))
                sending.join()
                out.write(survey)
        except BaseException:  # noqa: BLE001 - this process does the work itself when it gets no answer
            pass

    def _survey_forms(self) -> FormsBundle:
        return FormsBundle(str(self.folder), (), read_tables(self.folder, self.encoding, SURVEY_SHEETS))

    # --- this process ------------------------------------------------------------------------

    def _receive(self, size: int | None) -> object:
        """The child's next answer (``size`` bytes, or the rest); None when it gave none."""
        try:
            data = self.pipe.read(size) if size is not None else self.pipe.read()
            if size is not None and len(data) < size or not data:
                return None
            return pickle.loads(data)  # one cut off (the child died writing it) does not unpickle
        except Exception:  # noqa: BLE001 - no answer: this process does the work itself
            return None

    def cost_forms(self) -> FormsBundle:
        """The cost forms, as ``read_forms`` gives them: ``rounds.csv`` read here, the others by the
        child; all of them here when any cannot be read (the problem is then the one a single
        process reports)."""
        try:
            bundle = read_forms(self.folder, encoding=self.encoding, sheets=("rounds",))
        except DataError:
            bundle = None
        header = self.pipe.read(_LENGTH.size)
        answer = self._receive(_LENGTH.unpack(header)[0]) if len(header) == _LENGTH.size else None
        if bundle is None or answer is None or answer[0] != "value":
            return read_forms(self.folder, encoding=self.encoding, sheets=COST_SHEETS)
        tables = {**bundle.tables, **answer[1]}
        return replace(bundle, tables={name: tables[name] for name in SHEETS if name in tables})

    def survey(self) -> Survey | None:
        """The validated survey (None when the folder has none); raises DataError with its
        problems. Read and checked here when the child gave no answer."""
        answer = self._receive(None)
        self.close()  # the child has closed the pipe: it is ending, or has ended
        if answer is None:
            return validate_survey(self._survey_forms(), self.table, self.basis)
        kind, value = answer
        if kind == "problems":
            raise DataError(value)
        return value

    def close(self) -> None:
        """End the child if it is still running, and reap it."""
        self.pipe.close()
        if self.pid is not None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(self.pid, 0)
            self.pid = None

    def __enter__(self) -> "ReadAhead":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _answer(work) -> bytes:
    """What ``work()`` returned, or the problems it raised, pickled."""
    try:
        answer = ("value", work())
    except DataError as error:
        answer = ("problems", error.problems)
    return pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
