"""Form templates: a workbook an authority fills in, which ``sr-cost estimate`` reads as it is.

Sheets: ``Instructions`` (every column explained, with an example), ``about`` (the period the forms
cover, their price year, a title: ``key,value`` rows with the keys written in), the forms
``training``, ``rounds``, ``panel``, ``steering``, ``survey`` and ``staff`` with their headers, and
``Roles`` (the unit-cost table's roles and hourly costs, for the role drop-down). ``estimate`` reads
only the form sheets and ``about``. Data validation: ``role`` is a drop-down of the table's roles (a
warning, not a stop, since a line with its own ``rate`` may name any role), ``mode`` and ``group``
are drop-downs, and numbers must be zero or more. With ``example=True`` the forms hold one typical
in-person round and one typical virtual round of one LA (quantities like the trial's phase 1 and 2
rounds), for a commissioner to change a few numbers and estimate a plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from sr_cost.core.lines import FormKind, Mode
from sr_cost.core.unit_costs import UnitCostTable
from sr_cost.excel.cells import BOLD, HEADER_FILL, NOTE_FONT, TITLE_FONT, print_setup, put, wrapped_lines
from sr_cost.excel.formulas import MONEY
from sr_cost.outputs.files import write_atomic

MAX_ROWS = 5000  # rows of each form covered by the drop-downs and number checks
INSTRUCTIONS = "Instructions"
ROLES = "Roles"
COST_FORM_COLUMNS = ("la", "phase", "round", "mode", "item", "role", "rate", "staff", "hours", "miles", "cost")
FORM_COLUMNS: dict[str, tuple[str, ...]] = {
    "about": ("key", "value"),
    "training": ("la", "phase", "item", "role", "rate", "staff", "hours", "miles", "cost"),
    "rounds": COST_FORM_COLUMNS,
    "panel": ("la", "phase", "round", "item", "role", "rate", "staff", "hours", "miles", "cost"),
    "steering": ("la", "phase", "round", "item", "role", "rate", "staff", "hours", "miles", "cost"),
    "survey": ("la", "phase", "respondent", "group", "role", "salary", "sick_days", "rounds_attended"),
    "staff": ("la", "phase", "intervention_staff", "control_staff"),
}
NUMBER_COLUMNS = {
    "rate",
    "staff",
    "hours",
    "miles",
    "cost",
    "salary",
    "sick_days",
    "rounds_attended",
    "intervention_staff",
    "control_staff",
}
MONEY_COLUMNS = {"rate", "cost", "salary"}
GROUPS = ("intervention", "control")
LEFT = Alignment(horizontal="left")


@dataclass(frozen=True)
class ColumnDoc:
    meaning: str
    example: str
    required: str = "no"


ABOUT_KEYS = ("period_months", "price_year", "title")  # written into the about sheet, values left to fill in
FEE_NOTE = (
    "The example's £5,000 is the Point of Care Foundation's licence and training fee at the time of the trial "
    "(2019-20): check who licenses Schwartz Rounds today and their fee."
)
FORM_PURPOSE = {
    "about": "About these forms (optional): the months they cover, the price year of the money typed into them, "
    "a title. One key a row; leave a value blank if you do not know it. With the months, the annual cost uses "
    "the forms' own rounds a year and counts steering meetings as costs of the period.",
    "training": "Set-up: the initial training of the facilitators (fees, their time, travel). One line per cost or "
    "person. " + FEE_NOTE,
    "rounds": "The rounds themselves: for each round, one line per group of people (the audience, the panel on the "
    "day, facilitators, administrator) and per cost (catering, room hire). Required.",
    "panel": "Preparing each round's panel: the panel members' and facilitators' time before the round.",
    "steering": "The steering group's meetings.",
    "survey": "For savings (optional): the staff survey, one line per respondent.",
    "staff": "For savings (optional): staff numbers per LA and phase.",
}


def _docs(sheet: str) -> dict[str, ColumnDoc]:
    """What each column of a sheet means, with an example value."""
    tied = sheet in ("panel", "steering")
    if sheet == "about":
        return {
            "key": ColumnDoc(
                "period_months: the months the forms cover (a whole number: 12 for a year's plan); price_year: the "
                "price year of the money typed into the forms (cost, rate) and of the mileage rate, e.g. 2025 or "
                "2025/26 (blank: the unit-cost table's); title: what the forms are",
                "period_months",
                "yes",
            ),
            "value": ColumnDoc("The key's value (blank: not known)", "12"),
        }
    docs = {
        "la": ColumnDoc("Local authority label, the same on every sheet", "Example LA", "yes"),
        "phase": ColumnDoc("Phase label (1 and 1.0 are the same phase)", "1", "yes"),
        "round": (
            ColumnDoc(
                "The round this line ties to, as named in the rounds sheet. Blank: the line's cost is "
                "spread evenly over all the LA and phase's rounds",
                "R1",
            )
            if tied
            else ColumnDoc("Round identifier: a number, a date or a name", "R1", "yes")
        ),
        "mode": ColumnDoc(
            "How the round was delivered: in-person or virtual (drop-down). Every line of a round has the "
            "same mode; lines may leave it blank if another line of the round gives it",
            "in-person",
        ),
        "item": ColumnDoc(
            "What the line is. In rounds, the item 'attendance' marks the audience: their staff count is "
            "the round's attendance",
            {
                "training": "PoCF training fee",
                "rounds": "attendance",
                "panel": "panel preparation",
                "steering": "steering group meeting",
            }.get(sheet, ""),
        ),
        "role": ColumnDoc(
            "A role of the unit-cost table (drop-down, sheet Roles), when the line is staff time", "Social worker"
        ),
        "rate": ColumnDoc(
            "An hourly rate in £ that overrides the role's unit cost (agency staff, your own rates); "
            "with a rate, role is just a label [£/hour]",
            "35.00",
        ),
        "staff": ColumnDoc("Number of people on the line (blank: 1) [people]", "5"),
        "hours": ColumnDoc("Hours per person (blank: 0) [hours]", "1"),
        "miles": ColumnDoc("Miles travelled on the line in total (blank: 0) [miles]", "20"),
        "cost": ColumnDoc("Direct cost of the line in total: fees, catering, room hire (blank: 0) [£]", "15.00"),
        "respondent": ColumnDoc("Respondent identifier", "R001", "yes"),
        "group": ColumnDoc("intervention or control (drop-down)", "intervention", "yes"),
        "salary": ColumnDoc("Annual salary, if known; blank uses the role's salary [£/year]", "34748.00"),
        "sick_days": ColumnDoc("Days off sick in the survey period [days]", "2.5"),
        "rounds_attended": ColumnDoc("Rounds the respondent attended [rounds]", "3"),
        "intervention_staff": ColumnDoc("Staff in the intervention group [people]", "20", "yes"),
        "control_staff": ColumnDoc("Staff in the control group [people]", "21", "yes"),
    }
    return {c: docs[c] for c in FORM_COLUMNS[sheet]}


# One typical in-person round (R1) and one typical virtual round (R2) of one LA, with its set-up.
# Quantities are like the trial's rounds (examples/trial): about ten attending in person, fewer online,
# a panel of three, two facilitators, an administrator, and the £5,000 PoCF training fee.
_LA, _PHASE = "Example LA", "1"
EXAMPLE: dict[str, list[tuple]] = {
    # item, role, staff, hours, miles, cost
    "training": [
        ("PoCF training fee", None, None, None, None, "5000.00"),
        ("PoCF facilitator training (2 days)", "Senior practitioner", "1", "15", None, None),
        ("PoCF facilitator training (2 days)", "Practice manager", "1", "15", None, None),
        ("travel to PoCF training", None, None, None, "290", None),
        ("PoCF mentoring call", "Practice manager", "1", "0.75", None, None),
    ],
    # round, mode, item, role, staff, hours, miles, cost
    "rounds": [
        ("R1", "in-person", "attendance", "Social worker", "5", "1", None, None),
        ("R1", "in-person", "attendance", "Family support worker", "2", "1", None, None),
        ("R1", "in-person", "attendance", "Senior social worker", "1", "1", None, None),
        ("R1", "in-person", "attendance", "Team manager", "1", "1", None, None),
        ("R1", "in-person", "panel", "Social worker", "1", "1", None, None),
        ("R1", "in-person", "panel", "Family support worker", "1", "1", None, None),
        ("R1", "in-person", "panel", "Team manager", "1", "1", "12", None),
        ("R1", "in-person", "facilitator", "Senior practitioner", "1", "1.5", None, None),
        ("R1", "in-person", "facilitator", "Practice manager", "1", "1.5", None, None),
        ("R1", "in-person", "administrator", "Administration role/business support officer", "1", "1", None, None),
        ("R1", "in-person", "catering (coffee and biscuits)", None, None, None, None, "15.00"),
        ("R2", "virtual", "attendance", "Social worker", "3", "1", None, None),
        ("R2", "virtual", "attendance", "Family support worker", "1", "1", None, None),
        ("R2", "virtual", "attendance", "Senior social worker", "1", "1", None, None),
        ("R2", "virtual", "panel", "Social worker", "1", "1", None, None),
        ("R2", "virtual", "panel", "Family support worker", "1", "1", None, None),
        ("R2", "virtual", "panel", "Team manager", "1", "1", None, None),
        ("R2", "virtual", "facilitator", "Senior practitioner", "1", "1.25", None, None),
        ("R2", "virtual", "facilitator", "Practice manager", "1", "1.25", None, None),
        ("R2", "virtual", "administrator", "Administration role/business support officer", "1", "0.5", None, None),
    ],
    # round, item, role, staff, hours, miles, cost
    "panel": [
        (rnd, "panel preparation", role, "1", hours, None, None)
        for rnd in ("R1", "R2")
        for role, hours in (
            ("Senior practitioner", "1"),
            ("Social worker", "0.75"),
            ("Family support worker", "0.75"),
            ("Team manager", "0.75"),
        )
    ],
    "steering": [
        (None, "steering group meeting", role, "1", "1", None, None)
        for role in (
            "Head of service",
            "Practice manager",
            "Senior practitioner",
            "Administration role/business support officer",
        )
    ],
}
_EXAMPLE_KEYS = {
    "training": ("item", "role", "staff", "hours", "miles", "cost"),
    "rounds": ("round", "mode", "item", "role", "staff", "hours", "miles", "cost"),
    "panel": ("round", "item", "role", "staff", "hours", "miles", "cost"),
    "steering": ("round", "item", "role", "staff", "hours", "miles", "cost"),
}


def _cell_value(column: str, text: str | None):
    if text is None:
        return None
    if column in NUMBER_COLUMNS:
        return Decimal(text)
    if column == "phase":
        return int(text)
    return text


def build_template(table: UnitCostTable, *, example: bool = False) -> Workbook:
    """The template workbook (pure: nothing is written)."""
    assert set(FORM_COLUMNS) == {k.value for k in FormKind} | {"survey", "staff", "about"}
    wb = Workbook()
    wb.remove(wb.active)
    _instructions(wb.create_sheet(INSTRUCTIONS), table, example)
    roles_ref = _roles(wb.create_sheet(ROLES), table)
    for sheet, columns in FORM_COLUMNS.items():
        ws = wb.create_sheet(sheet, index=len(wb.sheetnames) - 1)
        _form(ws, sheet, columns, roles_ref)
        if sheet == "about":
            for r, key in enumerate(ABOUT_KEYS, start=2):
                put(ws, r, 1, key).alignment = LEFT
            if example:
                put(ws, 2 + ABOUT_KEYS.index("title"), 2, "Example plan: one in-person and one virtual round")
        if example and sheet in EXAMPLE:
            for r, record in enumerate(EXAMPLE[sheet], start=2):
                values = dict(zip(_EXAMPLE_KEYS[sheet], record), la=_LA, phase=_PHASE)
                for i, column in enumerate(columns, start=1):
                    value = _cell_value(column, values.get(column))
                    if value is not None:
                        cell = put(ws, r, i, value, MONEY if column in MONEY_COLUMNS else None)
                        if column not in NUMBER_COLUMNS:
                            cell.alignment = LEFT
    for ws in wb.worksheets:
        print_setup(ws, landscape=ws.title != ROLES)
    wb.active = 0
    wb.properties.title = "Schwartz Rounds economic forms (sr-cost template)"
    return wb


def write_template(path: Path, table: UnitCostTable, *, example: bool = False) -> None:
    wb = build_template(table, example=example)
    write_atomic(Path(path), lambda tmp: wb.save(tmp))


def _form(ws, sheet: str, columns: tuple[str, ...], roles_ref: str) -> None:
    docs = _docs(sheet)
    for i, column in enumerate(columns, start=1):
        cell = put(ws, 1, i, column, font=BOLD)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="right" if column in NUMBER_COLUMNS else "left")
        letter = cell.column_letter
        width = max(len(column), len(docs[column].example)) + 4
        ws.column_dimensions[letter].width = {"item": 34, "role": 40, "value": 50}.get(column, min(max(width, 10), 24))
        data = f"{letter}2:{letter}{MAX_ROWS}"
        rule = _validation(column, roles_ref, docs[column])
        if rule is not None:
            ws.add_data_validation(rule)
            rule.add(data)
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"


def _validation(column: str, roles_ref: str, doc: ColumnDoc) -> DataValidation | None:
    if column == "role":
        rule = DataValidation(
            type="list",
            formula1=roles_ref,
            allow_blank=True,
            errorStyle="warning",
            showErrorMessage=True,
            errorTitle="Not a role of the unit-cost table",
            error="Pick a role from the list (sheet Roles), or give this line its own hourly rate in the rate column.",
        )
    elif column == "mode":
        rule = DataValidation(
            type="list",
            formula1='"' + ",".join(m.value for m in Mode) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Mode",
            error="Choose in-person or virtual.",
        )
    elif column == "group":
        rule = DataValidation(
            type="list",
            formula1='"' + ",".join(GROUPS) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Group",
            error="Choose intervention or control.",
        )
    elif column in NUMBER_COLUMNS:
        rule = DataValidation(
            type="decimal",
            operator="greaterThanOrEqual",
            formula1="0",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="A number of zero or more",
            error="Write a number of zero or more (no text, no minus sign).",
        )
    else:
        return None
    rule.showInputMessage = True
    rule.promptTitle = column
    rule.prompt = doc.meaning[:250]
    return rule


def _roles(ws, table: UnitCostTable) -> str:
    put(ws, 1, 1, "role", font=BOLD).fill = HEADER_FILL
    put(ws, 1, 2, f"unit cost (£/hour, {table.price_year})", font=BOLD).fill = HEADER_FILL
    for r, role in enumerate(table.roles, start=2):
        put(ws, r, 1, role.role)
        put(ws, r, 2, role.unit_cost_hour, MONEY)
    ws.column_dimensions["A"].width = max(12, min(60, max((len(r.role) for r in table.roles), default=10) + 2))
    ws.column_dimensions["B"].width = 24
    ws.freeze_panes = "A2"
    last = max(2, len(table.roles) + 1)
    return f"{ROLES}!$A$2:$A${last}"


INSTRUCTION_COLUMNS = ("Sheet", "Column", "Required", "What to write", "Example")
MEANING_WIDTH = 90


def _instructions(ws, table: UnitCostTable, example: bool) -> None:
    put(ws, 1, 1, "Schwartz Rounds economic forms: how to fill them in", font=TITLE_FONT)
    lines = [
        "Fill in one sheet per form, one line per row, starting in row 2 under the headers. Do not rename the "
        "sheets or the headers; do not merge cells, hide rows or leave formulas unsaved.",
        "A line costs staff x hours x hourly rate + miles x mileage rate + cost. The hourly rate is the role's "
        f"unit cost (sheet Roles: {table.source.name.split(',')[0]}, {table.price_year} prices) "
        "or the line's own rate.",
        "Then run:  sr-cost estimate this-workbook.xlsx  (add --excel result.xlsx for an auditable workbook). "
        "This Instructions sheet and the Roles sheet are not read.",
        "about says what the forms cover (months, price year): fill it in to cost a plan's own year. survey and "
        "staff are for savings and may stay empty. "
        + FEE_NOTE
        + (
            " The forms hold an example: one in-person round (R1) and one virtual round (R2) of one LA; change "
            "the numbers to your plan."
            if example
            else ""
        ),
    ]
    for r, text in enumerate(lines, start=2):
        cell = put(ws, r, 1, text, font=NOTE_FONT if r > 2 else None)
        cell.alignment = Alignment(wrap_text=False)
    top = len(lines) + 3
    for i, name in enumerate(INSTRUCTION_COLUMNS, start=1):
        cell = put(ws, top, i, name, font=BOLD)
        cell.fill = HEADER_FILL
    row = top + 1
    band = PatternFill("solid", fgColor="F2F2F2")
    for n, sheet in enumerate(FORM_COLUMNS):
        put(ws, row, 1, sheet, font=BOLD).alignment = Alignment(vertical="top")
        put(ws, row, 4, FORM_PURPOSE[sheet], font=BOLD).alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[row].height = 15 * wrapped_lines(FORM_PURPOSE[sheet], MEANING_WIDTH - 2)
        fill = band if n % 2 else None
        for col in range(1, 6):
            if fill:
                ws.cell(row=row, column=col).fill = fill
        row += 1
        for column, doc in _docs(sheet).items():
            for col, value in enumerate((sheet, column, doc.required, doc.meaning, doc.example), start=1):
                cell = put(ws, row, col, value)
                cell.alignment = Alignment(wrap_text=col == 4, vertical="top", horizontal="left")
                if fill:
                    cell.fill = fill
            ws.row_dimensions[row].height = 15 * wrapped_lines(doc.meaning, MEANING_WIDTH - 2)
            row += 1
    for letter, width in zip("ABCDE", (11, 20, 9, MEANING_WIDTH, 36)):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = f"A{top + 1}"
    ws.print_title_rows = f"{top}:{top}"
