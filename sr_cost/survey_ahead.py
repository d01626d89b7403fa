"""The survey read and checked in a second process while this one reads and costs the cost forms.

A national forms set's survey (50,000 respondents, 3 MB) takes about 0.13 s to read and check, and
nothing in it depends on the cost forms until the savings are worked out. So for a folder of CSV
files whose survey is large (``FROM_BYTES``), on Linux, sr-cost forks: the child reads
``survey.csv`` and ``staff.csv`` and runs ``validate_survey``, the very function the one-process
path runs, and sends back the validated survey or its problems, pickled through a pipe. The parent
meanwhile reads, checks and costs the cost forms on the other CPU.

Nothing else changes. If the child fails in any other way (it is killed, runs out of memory, meets
a bug, cannot pickle its answer), the parent reads and checks the survey itself, so the answer, or
the error, is always the one-process path's. The child writes no file and prints nothing; it ends
with ``os._exit``, so it runs none of the parent's clean-up, and the parent always reaps it.
"""

from __future__ import annotations

import importlib
import os
import pickle
import signal
import sys
import warnings
from pathlib import Path

from sr_cost.errors import DataError
from sr_cost.forms import SURVEY_SHEETS, FormsBundle, form_files
from sr_cost.readers import read_csv
from sr_cost.survey import AbsenceBasis, Survey, validate_survey
from sr_cost.unit_costs import UnitCostTable

FROM_BYTES = 1_000_000  # a survey.csv this large (about 17,000 respondents) is read in a second process


def read_survey_forms(folder: Path, encoding: str) -> FormsBundle:
    """``survey.csv`` and ``staff.csv`` of a forms folder, as ``read_forms`` reads them (not hashed:
    the parent hashes every form file)."""
    tables = {name: read_csv(file, encoding=encoding, display=str(folder / file.name))
              for name, file in form_files(folder) if name in SURVEY_SHEETS}
    return FormsBundle(str(folder), (), tables)


def worthwhile(folder: Path) -> bool:
    """Whether the survey of this forms path is worth a second process: a folder with a rounds form
    and a large survey, on Linux (``fork`` is not safe on macOS, and Windows has none)."""
    if not sys.platform.startswith("linux") or not folder.is_dir():
        return False
    files = dict(form_files(folder))
    try:
        return "rounds" in files and files.get("survey") is not None and files["survey"].stat().st_size >= FROM_BYTES
    except OSError:
        return False


class SurveyAhead:
    """The survey of a forms folder, worked out by a child process; ``result()`` gives it."""

    def __init__(self, folder: Path, table: UnitCostTable, basis: AbsenceBasis, encoding: str) -> None:
        self.folder, self.table, self.basis, self.encoding = folder, table, basis, encoding
        importlib.import_module("pandas")  # both processes read with it: imported once, before the fork
        read, write = os.pipe()
        # Ctrl-C is held back until the child has given it its default action (ending the child), so
        # that a KeyboardInterrupt can never leave the child running the parent's code
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            with warnings.catch_warnings():
                # Python 3.12+ warns when a process with threads forks; numpy's BLAS threads are idle
                # and the child uses none of them
                warnings.simplefilter("ignore", DeprecationWarning)
                pid = os.fork()
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
        self.read: int | None = read

    def _child(self, write: int, mask) -> None:
        try:
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
            try:
                answer = ("survey", validate_survey(read_survey_forms(self.folder, self.encoding), self.table,
                                                    self.basis))
            except DataError as error:
                answer = ("problems", error.problems)
            data = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write, "wb") as out:
                out.write(data)
        except BaseException:  # noqa: BLE001 - the parent does the work itself when it gets no answer
            pass

    def result(self) -> Survey | None:
        """The validated survey (None when the folder has none); raises DataError with the survey's
        problems. Works it out in this process when the child gave no answer."""
        with os.fdopen(self.read, "rb") as pipe:
            data = pipe.read()
        self.read = None
        # a complete answer unpickles; one cut off (the child died writing it) does not
        try:
            answer = pickle.loads(data) if data else None
        except Exception:  # noqa: BLE001 - the parent does the work itself
            answer = None
        self._reap()  # the child has closed the pipe: it is ending, or has ended
        if answer is None:
            return validate_survey(read_survey_forms(self.folder, self.encoding), self.table, self.basis)
        kind, value = answer
        if kind == "problems":
            raise DataError(value)
        return value

    def _reap(self) -> None:
        if self.pid is not None:
            os.waitpid(self.pid, 0)
            self.pid = None

    def close(self) -> None:
        """End the child if it is still running (the cost forms failed first) and reap it."""
        if self.read is not None:
            os.close(self.read)
            self.read = None
        if self.pid is not None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self._reap()

    def __enter__(self) -> "SurveyAhead":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
