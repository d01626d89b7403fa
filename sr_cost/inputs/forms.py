"""The economic forms: find them (an .xlsx workbook or a folder of CSV files) and read them.

Forms (sheet or file names): ``training``, ``rounds`` (required), ``panel``, ``steering``, for
savings ``survey`` and ``staff``, and ``about`` (``key,value`` rows: the period the forms cover,
their price year, a title). A sheet or file is a form when its name, ignoring case and the spaces
around it, is the form's (``Rounds``, ``rounds ``, ``ROUNDS.CSV``). A name that only looks like a
form's (a word or a year added, a letter missing: ``Training 2025``, ``Steering group``, ``round``)
is not read, and is an error naming it and the form it resembles, so that no form is silently left
out; two sheets or files that could both be one form are an error naming both. The user says which
sheet or file is which form with ``--sheet FORM=NAME`` (``names``), and that a forms set has no such
form, whatever looks like it, with ``--sheet FORM=``.

``read_forms`` reads the forms as raw tables (a ``FormsBundle``), with the SHA-256 of the bytes
read from every form file; ``form_lines.validate_cost_forms``, ``survey.validate_survey`` and
``about.validate_about`` check them into the core's models. Every problem of every file is
collected, not the first file's only.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from sr_cost.core.lines import FormKind, InputFile
from sr_cost.core.progress import Progress
from sr_cost.errors import DataError, Problem, UsageError
from sr_cost.inputs.csv_files import read_csv
from sr_cost.inputs.files import read_input
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
TEXT_SUFFIXES = (".csv", ".txt", ".tsv")  # files in a forms folder that may be a form (only .csv is read unasked)


@dataclass(frozen=True)
class FormsBundle:
    """What was read from a workbook or folder, before validation."""

    path: str
    inputs: tuple[InputFile, ...]
    tables: dict[str, RawTable]
    # problems found while finding and reading each form (a sheet that looks like a form, a file that
    # is not CSV, error values, formulas with no saved value, merged cells, ...), as (form, problem):
    # validation reports them with its own, in one go
    read_problems: tuple[tuple[str, Problem], ...] = ()
    found: tuple[str, ...] = ()  # the names of the sheets (or files) the workbook (or folder) holds

    def read_problems_of(self, forms: Sequence[str]) -> list[Problem]:
        """The read problems of these forms (and, with the rounds form, those of the forms set as a whole)."""
        return [p for form, p in self.read_problems if form in forms or (not form and "rounds" in forms)]

    @property
    def unread(self) -> frozenset[str]:
        """The forms that are there but could not be read (see read_problems)."""
        return frozenset(form for form, p in self.read_problems if p.severity == "error")

    def missing(self, form: str) -> Problem:
        """A required form that is not there, naming the sheets (or files) that are."""
        workbook = self.path.lower().endswith((".xlsx", ".xlsm"))
        if workbook:
            where = f"the workbook's sheets are: {_names(self.found)}" if self.found else "the workbook has no sheets"
            fix = f"Add a '{form}' sheet (or name the sheet that holds it with --sheet {form}=\"NAME\")"
        else:
            where = f"the folder holds: {_names(self.found)}" if self.found else "the folder holds no CSV files"
            fix = f'Add {form}.csv to the folder (or name the file that holds it with --sheet {form}="NAME")'
        return Problem(
            file=self.path,
            sheet=form if workbook else "",
            message=f"the {form} form is missing ({where})",
            fix=fix + ": it is the one required form",
        )


def _names(names: Sequence[str], most: int = 12) -> str:
    shown = ", ".join(f"'{n}'" for n in names[:most])
    return shown + (f" and {len(names) - most} more" if len(names) > most else "")


def form_key(name: str) -> str:
    """A sheet or file name (without .csv) as a form's name would be: lower case, spaces trimmed."""
    return " ".join(name.split()).casefold()


_WORD = re.compile(r"[^0-9a-z]+")


def resembles(name: str, forms: Sequence[str] = SHEETS) -> list[str]:
    """The forms a name (that is not exactly a form's) looks like: one of its words starts with the
    form's name ('Training 2025', 'steering_group', 'Rounds2024'), is the start of it ('round',
    'train'), or differs from it by a letter or two ('trainig', 'rounds' and 'Rounds.')."""
    words = [w for w in _WORD.split(form_key(name)) if w]
    found = []
    for form in forms:
        for word in words:
            if (
                word.startswith(form)
                or (len(word) >= 4 and form.startswith(word))
                or difflib.SequenceMatcher(None, word, form).ratio() >= 0.8
            ):
                found.append(form)
                break
    return found


@dataclass(frozen=True)
class Candidate:
    name: str  # the sheet's name, or the file's
    exact: bool  # named as the form is (ignoring case and the spaces around it)


def choose(
    names: Sequence[str], forms: Sequence[str], mapped: Mapping[str, str], *, display: str, files: bool
) -> tuple[dict[str, str], list[tuple[str, Problem]]]:
    """Which sheet (or file) is which form: ``{name: form}`` and the problems, as (form, problem): a
    name that looks like a form's, two names for one form, a name given with --sheet that is not there."""
    problems: list[tuple[str, Problem]] = []
    chosen: dict[str, str] = {}
    what = "file" if files else "sheet"
    taken = set()
    for form, name in mapped.items():
        if form not in forms or not name:
            continue
        found = _find(names, name, files)
        if found is None:
            problems.append(
                (
                    form,
                    Problem(
                        file=display,
                        message=f'--sheet {form}="{name}": there is no {what} of that name',
                        value=name,
                        fix=f"The {what}s are: {_names(list(names))}" if names else f"There are no {what}s",
                    ),
                )
            )
            continue
        chosen[found] = form
        taken.add(found)
    for form in forms:
        if form in mapped:
            continue
        candidates = []
        for name in names:
            if name in taken:
                continue
            stem = _stem(name, files)
            if stem is None:
                continue
            exact = form_key(stem) == form and (not files or name.strip().lower().endswith(".csv"))
            if exact or form in resembles(stem, (form,)):
                candidates.append(Candidate(name, exact))
        if not candidates:
            continue
        if len(candidates) == 1 and candidates[0].exact:
            chosen[candidates[0].name] = form
            continue
        problems.append((form, _ambiguous(form, candidates, display, files)))
    return chosen, problems


def _stem(name: str, files: bool) -> str | None:
    """The part of a name that may name a form: a sheet's whole name; a text file's name without its
    suffix (None for other files, hidden files and the lock files Excel keeps beside an open file)."""
    if not files:
        return name
    if name.startswith((".", "~$")):
        return None
    stripped = name.strip()
    suffix = Path(stripped).suffix.lower()
    return stripped[: -len(suffix)] if suffix in TEXT_SUFFIXES else None


def _find(names: Sequence[str], wanted: str, files: bool) -> str | None:
    """The sheet or file ``wanted`` names: as written, then ignoring case and surrounding spaces
    (and, for a file, with .csv added)."""
    options = [wanted] + ([wanted + ".csv"] if files else [])
    for option in options:
        if option in names:
            return option
    for option in options:
        for name in names:
            if form_key(name) == form_key(option):
                return name
    return None


def _ambiguous(form: str, candidates: list[Candidate], display: str, files: bool) -> Problem:
    what = "file" if files else "sheet"
    listed = " and ".join(f"'{c.name}'" for c in candidates)
    if len(candidates) == 1:
        (c,) = candidates
        return Problem(
            file=str(Path(display) / c.name) if files else display,
            sheet="" if files else c.name,
            value=c.name,
            message=f"this {what} looks like the {form} form but is not named '{form}'"
            + (" (and only .csv files are read)" if files and form_key(c.name).endswith((".txt", ".tsv")) else "")
            + ", so it would not be read",
            fix=f"Rename it '{form}{'.csv' if files else ''}', or say it is the {form} form with "
            f'--sheet {form}="{c.name}" (or --sheet {form}= if it is not a form)',
        )
    return Problem(
        file=display,
        value=", ".join(c.name for c in candidates),
        message=f"{len(candidates)} {what}s could be the {form} form: {listed}; only one can be read",
        fix=f'Delete or rename the others, or say which is the {form} form with --sheet {form}="{candidates[0].name}"',
    )


def form_files(folder: Path, forms: Sequence[str] = SHEETS, mapped: Mapping[str, str] | None = None):
    """The form files of a folder: ((form, file) in ``SHEETS`` order, the problems finding them,
    and the names of the files there)."""
    try:
        names = sorted(p.name for p in folder.iterdir() if p.is_file())
    except OSError as exc:
        raise DataError(
            Problem(file=str(folder), message=f"cannot be read: {exc.strerror or exc}", fix="Check the folder")
        ) from None
    chosen, problems = choose(names, forms, mapped or {}, display=str(folder), files=True)
    by_form = {form: name for name, form in chosen.items()}
    return [(form, folder / by_form[form]) for form in SHEETS if form in by_form], problems, names


def read_forms(
    path: Path,
    *,
    encoding: str = "utf-8-sig",
    sheets: Sequence[str] = SHEETS,
    names: Mapping[str, str] | None = None,
    progress: Progress | None = None,
) -> FormsBundle:
    """Read the forms in ``sheets`` from an .xlsx workbook or a folder of CSV files (no validation
    yet). ``names``: form -> the sheet or file that holds it (--sheet). Every form file in a folder
    is hashed for the provenance, from the bytes read. ``progress`` is told how reading a workbook
    goes (``Step.reading``)."""
    display = str(path)
    names = dict(names or {})
    if not path.exists():
        raise DataError(
            Problem(
                file=display,
                message="does not exist",
                fix="Give a forms workbook (.xlsx) or a folder of CSV files (rounds.csv, ...)",
            )
        )
    if path.is_dir():
        return _read_folder(path, display, encoding, sheets, names)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        read_problems: list[Problem] = []
        from sr_cost.inputs.xlsx import read_xlsx_sheets  # the workbook modules: only for a workbook

        given = read_input(path, display)
        found: list[str] = []
        chosen: dict[str, str] = {}
        finding: list[tuple[str, Problem]] = []

        def pick(sheet_names: list[str]) -> dict[str, str]:
            found.extend(sheet_names)
            picked, problems = choose(sheet_names, sheets, names, display=display, files=False)
            chosen.update(picked)
            finding.extend(problems)
            return picked

        tables = read_xlsx_sheets(
            path, display=display, data=given.data, pick=pick, cell_problems=read_problems, progress=progress
        )
        return FormsBundle(
            display,
            (InputFile(display, given.sha256),),
            {name: tables[name] for name in SHEETS if name in tables},
            tuple(finding) + tuple((chosen.get(p.sheet, ""), p) for p in read_problems),
            tuple(found),
        )
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


def _read_folder(
    path: Path, display: str, encoding: str, sheets: Sequence[str], names: Mapping[str, str]
) -> FormsBundle:
    """Every form file of the folder, read and hashed; each file's problems collected, not only the
    first file's."""
    files, problems, found = form_files(path, sheets, names)
    if not files and not problems:
        raise DataError(
            Problem(
                file=display,
                message="holds none of the form files"
                + (f" (it holds: {_names([n for n in found if not n.startswith('.')])})" if found else ""),
                fix="Put rounds.csv (and training.csv, panel.csv, steering.csv) in the folder",
            )
        )
    inputs: list[InputFile] = []
    tables: dict[str, RawTable] = {}
    for name, file in files:
        shown = str(path / file.name)
        try:
            given = read_input(file, shown)
            inputs.append(InputFile(shown, given.sha256))
            if name in sheets:
                tables[name] = read_csv(file, encoding=encoding, display=shown, data=given.data)
        except DataError as error:
            problems.extend((name, p) for p in error.problems)
    return FormsBundle(display, tuple(inputs), tables, tuple(problems), tuple(found))


def input_files(path: Path, names: Mapping[str, str] | None = None) -> list[Path]:
    """The files of a forms set that a run reads (the workbook, or the folder's form files, and any
    file that looks like one): an output must not be one of them."""
    if not path.is_dir():
        return [path]
    try:
        files = [p for p in path.iterdir() if p.is_file()]
    except OSError:
        return [path]
    mapped = {n for n in (names or {}).values() if n}
    return [
        p
        for p in files
        if p.name in mapped
        or (stem := _stem(p.name, True)) is not None
        and (form_key(stem) in SHEETS or resembles(stem))
    ]


def check_sheets(sheets: dict[str, str] | None) -> dict[str, str]:
    """``--sheet`` names: each a form of the forms set."""
    for form in sheets or {}:
        if form not in SHEETS:
            raise UsageError(f"--sheet {form}=...: '{form}' is not a form (the forms are {', '.join(SHEETS)})")
    return dict(sheets or {})
