"""LA and phase labels across every form of a forms set: two spellings of one label are an error.

Labels are compared as ``cell_values.text_label`` gives them (trimmed, inner spaces folded, Excel's
``1.0`` read as ``1``). Two labels that still differ only by case, spacing or leading zeros
(``LA1`` and ``la1``, ``LA 1`` and ``LA1``, phase ``01`` and ``1``) would become two LAs or two
phases and skew every mean: that is an error naming both spellings and where each is first used,
unless the user asks for them to be merged (``--merge-labels``): then every spelling is read as
the first one met (forms in the order training, rounds, panel, steering, survey, staff; lines in
order), and a warning says so.

Items are labels too: a rounds line whose item is close to ``attendance`` but is not it
(``attendees``) is costed but counts nobody, so it gets a warning naming its lines.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import numpy as np

from sr_cost.core.lines import ATTENDANCE_ITEM
from sr_cost.errors import Problem
from sr_cost.inputs.cell_values import text_labels
from sr_cost.inputs.forms import SHEETS, FormsBundle
from sr_cost.inputs.tables import CellColumn, CellColumns, RawTable

LABEL_COLUMNS = {"la": "LA", "phase": "phase"}
_DIGITS = re.compile(r"[0-9]+")


def label_key(label: str) -> str:
    """What two spellings of one label share: no case, no spaces, no leading zeros."""
    folded = "".join(label.split()).casefold()
    return _DIGITS.sub(lambda m: m.group().lstrip("0") or "0", folded)


@dataclass(frozen=True)
class _Use:
    label: str
    raw: RawTable
    row: int


def check_labels(bundle: FormsBundle, *, merge: bool = False) -> tuple[FormsBundle, list[Problem]]:
    """The forms with each label spelt one way (``merge``) or as they were, and the problems: an
    error for each label spelt two ways (a warning when merged)."""
    problems: list[Problem] = []
    spellings: dict[str, dict[str, dict[str, _Use]]] = {column: {} for column in LABEL_COLUMNS}
    for form in SHEETS:
        raw = bundle.tables.get(form)
        if raw is None or not len(raw):
            continue
        for column in LABEL_COLUMNS:
            if column not in raw.headers:
                continue
            cols = raw.columns
            col = cols.get(column)
            labels = text_labels(col.uniques)
            codes, first = np.unique(col.codes, return_index=True)
            for code, at in zip(codes.tolist(), first.tolist()):
                label = labels[code]
                if not label:
                    continue
                uses = spellings[column].setdefault(label_key(label), {})
                if label not in uses:
                    uses[label] = _Use(label, raw, int(cols.line[at]))
    canonical: dict[str, dict[str, str]] = {column: {} for column in LABEL_COLUMNS}
    for column, keys in spellings.items():
        for uses in keys.values():
            if len(uses) < 2:
                continue
            first, *others = uses.values()
            for other in others:
                canonical[column][other.label] = first.label
                problems.append(_problem(column, first, other, merge))
    if not merge or not any(canonical.values()):
        return bundle, problems
    tables = {form: _merged(raw, canonical) for form, raw in bundle.tables.items()}
    return FormsBundle(bundle.path, bundle.inputs, tables, bundle.read_problems, bundle.found), problems


def _problem(column: str, first: _Use, other: _Use, merged: bool) -> Problem:
    what = LABEL_COLUMNS[column]
    where = first.raw.file + (f", sheet '{first.raw.sheet}', row" if first.raw.sheet else ", line") + f" {first.row}"
    if merged:
        return other.raw.problem(
            f"{what} '{other.label}' is counted as '{first.label}' (first written so at {where}): "
            "they differ only by case, spacing or leading zeros (--merge-labels)",
            row=other.row,
            column=column,
            value=other.label,
            fix=f"Write '{first.label}' everywhere to make this warning go",
            severity="warning",
        )
    return other.raw.problem(
        f"{what} '{other.label}' and {what} '{first.label}' (at {where}) differ only by case, spacing or "
        f"leading zeros, so they would be counted as two {what}s",
        row=other.row,
        column=column,
        value=other.label,
        fix=f"Write the {what} the same way on every line (e.g. '{first.label}'), or pass --merge-labels "
        "to count the spellings as one",
    )


def _merged(raw: RawTable, canonical: dict[str, dict[str, str]]) -> RawTable:
    """The table with its LA and phase labels spelt the first way met."""
    cols = raw.columns
    data = dict(cols.data)
    changed = False
    for column, spelt in canonical.items():
        col = data.get(column)
        if col is None or not spelt:
            continue
        labels = text_labels(col.uniques)
        if not any(label in spelt for label in labels):
            continue
        uniques = [spelt.get(label, value) for label, value in zip(labels, col.uniques)]
        data[column] = CellColumn(col.codes, uniques)
        changed = True
    if not changed:
        return raw
    return RawTable(raw.file, raw.sheet, raw.headers, raw.letters, columns=CellColumns(cols.line, data))


def looks_like_attendance(item: str) -> bool:
    """An item that is not ``attendance`` but close to it ('attendees', 'Attendence', 'attended')."""
    folded = " ".join(item.casefold().split())
    return folded != ATTENDANCE_ITEM and (
        folded.startswith("attend") or difflib.SequenceMatcher(None, folded, ATTENDANCE_ITEM).ratio() >= 0.8
    )


def near_attendance(raw: RawTable, col: CellColumn, text: list[str], line: np.ndarray) -> list[Problem]:
    """A warning for each item of a rounds form close to 'attendance' but not it (``text``: the
    column's distinct labels): its lines count nobody."""
    found = []
    for code, label in enumerate(text):
        if not label or not looks_like_attendance(label):
            continue
        rows = line[col.codes == code].tolist()
        if not rows:
            continue
        listed = ", ".join(map(str, rows[:10])) + (f" and {len(rows) - 10:,} more" if len(rows) > 10 else "")
        found.append(
            raw.problem(
                f"item '{label}' looks like 'attendance' but is not: its lines' staff are costed as staff time "
                f"but not counted as the round's attendance (lines {listed})",
                row=rows[0],
                column="item",
                value=label,
                fix="Write 'attendance' in item on the lines that are the round's audience (the cost per attendee "
                "needs them); if these lines are not the audience, rename the item",
                severity="warning",
            )
        )
    return found
