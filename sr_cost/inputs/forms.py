"""The economic forms: find them (an .xlsx workbook or a folder of CSV files) and read them.

Forms (sheet or file names, case-insensitive): ``training``, ``rounds`` (required), ``panel``,
``steering``, for savings ``survey`` and ``staff``, and ``about`` (``key,value`` rows: the period the
forms cover, their price year, a title). ``read_forms`` reads them as raw tables (a ``FormsBundle``),
with the SHA-256 of every form file; ``form_lines.validate_cost_forms``, ``survey.validate_survey``
and ``about.validate_about`` check them into the core's models.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from sr_cost.core.lines import FormKind, InputFile
from sr_cost.core.progress import Progress
from sr_cost.errors import DataError, Problem
from sr_cost.inputs.csv_files import read_csv
from sr_cost.inputs.files import sha256_of
from sr_cost.inputs.tables import RawTable

SHEETS = ("training", "rounds", "panel", "steering", "survey", "staff", "about")
SURVEY_SHEETS = ("survey", "staff")
ABOUT_SHEET = "about"
COST_SHEETS = ("training", "rounds", "panel", "steering")
COST_COLUMNS = ("la", "phase", "round", "mode", "item", "role", "rate", "staff", "hours", "miles", "cost")
REQUIRED = {
    FormKind.training: ("la", "phase"),
    FormKind.rounds: ("la", "phase", "round"),
    FormKind.panel: ("la", "phase"),
    FormKind.steering: ("la", "phase"),
}


@dataclass(frozen=True)
class FormsBundle:
    """What was read from a workbook or folder, before validation."""

    path: str
    inputs: tuple[InputFile, ...]
    tables: dict[str, RawTable]
    # problems with cells found while reading a workbook (error values, formulas with no saved
    # value, merged cells, ...): validation reports them with its own, in one go
    read_problems: tuple[Problem, ...] = ()

    def read_problems_of(self, forms: Sequence[str]) -> list[Problem]:
        """The read problems on the sheets of these forms."""
        return [p for p in self.read_problems if p.sheet.strip().lower() in forms]


def form_files(folder: Path) -> list[tuple[str, Path]]:
    """The form files in a folder, in ``SHEETS`` order: (form, file); names are case-insensitive."""
    found = {p.name.strip().lower(): p for p in sorted(folder.iterdir()) if p.is_file()}
    return [(name, found[f"{name}.csv"]) for name in SHEETS if f"{name}.csv" in found]


def read_tables(
    folder: Path, encoding: str, names: Sequence[str], files: list[tuple[str, Path]] | None = None
) -> dict[str, RawTable]:
    """Those of the forms ``names`` that the folder has (``files``: its ``form_files``, when
    known), each read from its CSV file; not hashed."""
    return {
        name: read_csv(file, encoding=encoding, display=str(folder / file.name))
        for name, file in (form_files(folder) if files is None else files)
        if name in names
    }


def read_forms(
    path: Path, *, encoding: str = "utf-8-sig", sheets: Sequence[str] = SHEETS, progress: Progress | None = None
) -> FormsBundle:
    """Read the forms in ``sheets`` from an .xlsx workbook or a folder of CSV files (no validation
    yet). Every form file in a folder is hashed for the provenance, read or not. ``progress`` is
    told how reading a workbook goes (``Step.reading``)."""
    display = str(path)
    if not path.exists():
        raise DataError(
            Problem(
                file=display,
                message="does not exist",
                fix="Give a forms workbook (.xlsx) or a folder of CSV files (rounds.csv, ...)",
            )
        )
    if path.is_dir():
        inputs: list[InputFile] = []
        files = form_files(path)
        # the files are hashed (for the provenance) in a thread while they are read: hashlib lets go
        # of the interpreter while it hashes, so on a national forms set this costs no time
        with ThreadPoolExecutor(max_workers=1) as pool:
            digests = [pool.submit(sha256_of, file) for _, file in files]
            tables = read_tables(path, encoding, sheets, files)
            for (_name, file), digest in zip(files, digests):
                inputs.append(InputFile(str(path / file.name), digest.result()))
        if not files:
            raise DataError(
                Problem(
                    file=display,
                    message="holds none of the form files",
                    fix="Put rounds.csv (and training.csv, panel.csv, steering.csv) in the folder",
                )
            )
        return FormsBundle(display, tuple(inputs), tables)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        read_problems: list[Problem] = []
        from sr_cost.inputs.xlsx import read_xlsx_sheets  # the workbook modules: only for a workbook

        found = read_xlsx_sheets(
            path, display=display, sheets=tuple(sheets), cell_problems=read_problems, progress=progress
        )
        tables = {name: found[name] for name in SHEETS if name in found}
        return FormsBundle(display, (InputFile(display, sha256_of(path)),), tables, tuple(read_problems))
    if path.suffix.lower() in (".xls", ".xlsb", ".ods", ".numbers"):
        raise DataError(
            Problem(
                file=display,
                message=f"is a {path.suffix} spreadsheet, not an .xlsx workbook",
                fix="Open it and save it as 'Excel Workbook (.xlsx)', or save each form as CSV in one folder",
            )
        )
    if path.suffix.lower() == ".csv":
        raise DataError(
            Problem(
                file=display,
                message="is a single CSV file",
                fix="Give the folder that holds rounds.csv, training.csv, panel.csv and steering.csv",
            )
        )
    raise DataError(
        Problem(
            file=display,
            message="is neither an .xlsx workbook nor a folder",
            fix="Save the forms as an Excel workbook (.xlsx) or as CSV files in one folder",
        )
    )
