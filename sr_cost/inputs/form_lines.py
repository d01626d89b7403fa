"""Validate the four cost forms into the core's ``CostForms``: every line checked, every problem
collected, in one pass over each column's distinct values.

A line costs ``staff x hours x hourly rate + miles x mileage rate + cost`` (``core.costing``); here
each cell is checked (what one cell means, or what is wrong with it, is ``cell_values``'), the
hourly rate is the line's own ``rate`` or its role's unit cost, and the forms are checked against
each other (every round has one mode and something in it; panel, steering and training lines name
an LA and phase with rounds, and a round that exists).
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from sr_cost.core.columns import Vocab, first_equal, joint_keys, lookup
from sr_cost.core.lines import MODES, CostForms, FormKind, FormLines, Mode
from sr_cost.core.unit_costs import UnitCostTable
from sr_cost.errors import Problem, ProblemCollector
from sr_cost.inputs.cell_values import (
    Bound,
    FoundProblems,
    check_columns,
    is_total,
    parse_cells,
    rename_hint,
    shown,
    text_labels,
    text_problems,
)
from sr_cost.inputs.forms import COST_COLUMNS, COST_SHEETS, REQUIRED, FormsBundle
from sr_cost.inputs.labels import near_attendance
from sr_cost.inputs.tables import RawTable
from sr_cost.money import ZERO

# The most a cell of a cost form may hold: far above any real line, and low enough that no sum of a
# national forms set could outgrow exact arithmetic (README, "Limits").
BOUNDS = {
    "staff": Bound(Decimal(10_000), "people a line may count"),
    "hours": Bound(Decimal(1_000), "hours a line may give each person"),
    "miles": Bound(Decimal(100_000), "miles a line may give"),
    "cost": Bound(Decimal(1_000_000_000), "a line may cost", money=True),
    "rate": Bound(Decimal(10_000), "an hour a rate may be", money=True),
}
MODE_SPELLINGS = {
    "in-person": Mode.in_person,
    "in person": Mode.in_person,
    "inperson": Mode.in_person,
    "face to face": Mode.in_person,
    "face-to-face": Mode.in_person,
    "virtual": Mode.virtual,
    "online": Mode.virtual,
}


def validate_cost_forms(bundle: FormsBundle, table: UnitCostTable | None) -> CostForms:
    """Validate the four cost forms against the unit-cost table; every problem at once. ``table``
    None: the table could not be read (its problems are reported with these), so roles are not
    checked against it."""
    problems = ProblemCollector()
    for problem in bundle.read_problems_of(COST_SHEETS):
        problems.add_read(problem)
    if "rounds" not in bundle.tables and "rounds" not in bundle.unread:
        problems.add(bundle.missing("rounds"))  # the other forms are checked all the same
    vocab = Vocab()
    tables: dict[FormKind, FormLines] = {}
    named = None  # (la, phase, round) codes of every line of the rounds form, including bad ones
    for kind in FormKind:
        raw = bundle.tables.get(kind.value)
        if raw is None:
            continue
        if not check_columns(raw, COST_COLUMNS, REQUIRED[kind], problems):
            continue
        if not _hours_given(raw, problems):
            continue
        tables[kind], keys = _validate_lines(kind, raw, table, problems, vocab)
        if kind is FormKind.rounds:
            named = keys
    if FormKind.rounds in tables and not len(bundle.tables["rounds"]):
        raw = bundle.tables["rounds"]
        problems.add(
            raw.problem(
                "the rounds form has no lines",
                row=None,
                fix="Fill in the rounds form: one line per person or cost of each round "
                "(`sr-cost template forms.xlsx --example` writes a filled-in example)",
            )
        )
    # rounds named in the rounds form, including lines that had errors, so that a bad line does not
    # also show up as "no such round" elsewhere
    if FormKind.rounds in tables:
        _cross_checks(tables, named, problems)
    problems.raise_if_errors()
    return CostForms(bundle.path, bundle.inputs, tables, tuple(problems.warnings))


def _hours_given(raw: RawTable, problems: ProblemCollector) -> bool:
    """A form whose lines name roles or rates but that has no 'hours' column would cost all their
    staff time at £0 (hours default to 0 on a line, not for a whole form): an error."""
    if "hours" in raw.headers or not len(raw):
        return True
    staff_time = [c for c in ("role", "rate") if c in raw.headers and (~raw.columns.get(c).blank()).any()]
    if not staff_time:
        return True
    unknown = [c for c in raw.headers if c not in COST_COLUMNS]
    problems.add(
        raw.problem(
            f"the column 'hours' is missing, but lines give a {' or '.join(staff_time)}: their staff time "
            "(staff × hours × rate) would all cost £0",
            row=None,
            column="hours",
            fix=f"Add a column headed 'hours'{rename_hint('hours', unknown, raw)}"
            " with each line's hours per person (blank or 0 on lines that are not staff time)",
        )
    )
    return False


def _validate_lines(
    kind: FormKind, raw: RawTable, table: UnitCostTable, problems: ProblemCollector, vocab: Vocab
) -> tuple[FormLines, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Every line of one form, checked column by column: each distinct value is looked at once."""
    cols = raw.columns
    line = cols.line
    found = FoundProblems(raw, line)

    def cell_problem(column: str, col, per_unique: list, order: int) -> None:
        """``per_unique[u]`` is None or (message, fix, shown value) for distinct value u."""
        mask = lookup([p is not None for p in per_unique], col.codes, dtype=bool)
        if mask.any():
            found.add(
                order,
                mask,
                lambda i: raw.problem(
                    per_unique[col.codes[i]][0],
                    row=int(line[i]),
                    column=column,
                    value=per_unique[col.codes[i]][2],
                    fix=per_unique[col.codes[i]][1],
                ),
            )

    labels: dict[str, tuple] = {}
    for order, column in enumerate(("la", "phase", "round", "mode", "item", "role")):
        col = cols.get(column)
        texts = text_problems(col.uniques)
        cell_problem(column, col, [None if t is None else (f"{column} {t[0]}", t[1], t[2]) for t in texts], order)
        labels[column] = (col, text_labels(col.uniques))

    def label_codes(column: str, blank_is_none: bool = False) -> np.ndarray:
        col, text = labels[column]
        return lookup(vocab.codes([None if (blank_is_none and not t) else t for t in text]), col.codes, dtype=np.int32)

    la, phase = label_codes("la"), label_codes("phase")
    round_ = label_codes("round", blank_is_none=True)
    all_keys = (la, phase, round_)
    # a totals row: an la (or item) cell reading 'Total' would count the lines above twice
    totals = np.zeros(len(line), dtype=bool)
    for column in ("la", "item"):
        col, text = labels[column]
        total = lookup([is_total(t) for t in text], col.codes, dtype=bool) & ~totals
        if total.any():
            found.add(
                10,
                total,
                lambda i, col=col, column=column: raw.problem(
                    "this looks like a totals row: its figures would be counted twice",
                    row=int(line[i]),
                    column=column,
                    value=col.uniques[col.codes[i]],
                    fix="Delete the totals row (and any other subtotal rows): sr-cost adds up the lines itself",
                ),
            )
            totals |= total
    for order, column, words in ((11, "la", "la is blank"), (12, "phase", "phase is blank")):
        col, text = labels[column]
        blank = lookup([not t for t in text], col.codes, dtype=bool) & ~totals
        found.add(
            order,
            blank,
            lambda i, column=column, words=words: raw.problem(
                words,
                row=int(line[i]),
                column=column,
                fix="Write the local authority's label" if column == "la" else "Write the phase label, e.g. 1",
            ),
        )
    if kind is FormKind.rounds:
        found.add(
            13,
            (round_ < 0) & ~totals,
            lambda i: raw.problem(
                "round is blank",
                row=int(line[i]),
                column="round",
                fix="Write the round's identifier (a number, a date or a name)",
            ),
        )
    if kind is FormKind.training:
        round_ = np.full(len(line), -1, dtype=np.int8)
    mode = np.full(len(line), -1, dtype=np.int8)
    if kind is FormKind.rounds:
        col, text = labels["mode"]
        spelled = [MODE_SPELLINGS.get(t.casefold()) if t else None for t in text]
        mode = lookup([-1 if m is None else MODES.index(m) for m in spelled], col.codes, dtype=np.int8)
        unknown = lookup([bool(t) and m is None for t, m in zip(text, spelled)], col.codes, dtype=bool)
        found.add(
            14,
            unknown,
            lambda i: raw.problem(
                "unknown mode",
                row=int(line[i]),
                column="mode",
                value=text[col.codes[i]],
                fix="Write 'in-person' or 'virtual'",
            ),
        )
    numbers: dict[str, tuple[np.ndarray, list[Decimal]]] = {}
    positive: dict[str, np.ndarray] = {}
    for order, (column, default, places) in enumerate(
        (
            ("staff", Decimal(1), None),
            ("hours", ZERO, None),
            ("miles", ZERO, None),
            ("cost", ZERO, 2),
            ("rate", ZERO, 4),
        ),
        start=20,
    ):
        col = cols.get(column)
        header = raw.headers.get(column, column)
        parsed = parse_cells(col.uniques, column, header, default=default, places=places, bound=BOUNDS[column])
        texts = text_problems(col.uniques)
        errors = [
            (f"{column} {t[0]}", t[1], t[2]) if t is not None else None if e is None else (e[0], e[1], shown(u))
            for u, t, (_, e) in zip(col.uniques, texts, parsed)
        ]
        cell_problem(column, col, errors, order)
        values = [ZERO if n is None else n for n, _ in parsed]
        numbers[column] = (col.codes, values)
        positive[column] = lookup([v > 0 for v in values], col.codes, dtype=bool)
    rate_col = cols.get("rate")
    own = ~rate_col.blank()
    # the hourly rate: the line's own rate, else its role's unit cost
    col, text = labels["role"]
    roles = [table.find(t) if t and table is not None else None for t in text]
    # a line with its own rate keeps the role as written (a label); otherwise the table's spelling
    typed = lookup(vocab.codes([t or None for t in text]), col.codes, dtype=np.int32)
    canonical = lookup(
        vocab.codes([r.role if r is not None else (t or None) for t, r in zip(text, roles)]), col.codes, dtype=np.int32
    )
    role_code = np.where(own, typed, canonical)
    unknown = (
        lookup([bool(t) and r is None and table is not None for t, r in zip(text, roles)], col.codes, dtype=bool) & ~own
    )
    found.add(
        100,
        unknown,
        lambda i: raw.problem(
            "unknown role",
            row=int(line[i]),
            column="role",
            value=text[col.codes[i]],
            fix=table.unknown_role_fix(text[col.codes[i]]),
        ),
    )
    no_role = lookup([not t for t in text], col.codes, dtype=bool)
    neither = no_role & ~own & positive["hours"] & positive["staff"]
    hours_col = cols.get("hours")
    found.add(
        101,
        neither,
        lambda i: raw.problem(
            "hours are given but neither a role nor a rate",
            row=int(line[i]),
            column="hours",
            value=hours_col.uniques[hours_col.codes[i]],
            fix="Give the staff member's role (from the unit-cost table) or an hourly rate",
        ),
    )
    rate_values = list(numbers["rate"][1]) + [ZERO if r is None else r.unit_cost_hour for r in roles]
    role_rate = lookup([len(numbers["rate"][1]) + k for k in range(len(roles))], col.codes, dtype=np.int32)
    rate_codes = np.where(own, numbers["rate"][0], role_rate)
    numbers["rate"] = (rate_codes, rate_values)
    # the same line twice would be counted twice
    ok = ~found.bad
    if ok.sum() > 1:
        value_codes = {name: _value_codes(*numbers[name]) for name in ("staff", "hours", "miles", "cost", "rate")}
        item = label_codes("item")
        parts = [la, phase, round_, item, role_code, own.astype(np.int8)] + list(value_codes.values())
        positions = np.flatnonzero(ok)
        first = positions[first_equal([_rows(p, ok) for p in parts])]
        repeat = np.zeros(len(line), dtype=bool)
        repeat[positions] = first != positions
        item_col = labels["item"][0]
        found.add(
            200,
            repeat,
            lambda i: raw.problem(
                f"this line repeats line {int(line[first[np.searchsorted(positions, i)]])} exactly (same la, phase, "
                "round, item, role, rate, staff, hours, miles and cost), so it would be counted twice",
                row=int(line[i]),
                column="item",
                value=item_col.uniques[item_col.codes[i]],
                fix="Delete one of the two lines; if they are two different people, write one line with staff 2",
            ),
        )
    found.report(problems)
    if kind is FormKind.rounds:
        for problem in near_attendance(raw, *labels["item"], line):
            problems.add(problem)
    keep = ~found.bad
    pick = lambda a: _rows(a, keep)  # noqa: E731
    item = label_codes("item")
    out = FormLines(
        form=kind,
        vocab=vocab,
        file=raw.file,
        sheet=raw.sheet,
        letters=dict(raw.letters),
        row=pick(line),
        la=pick(la),
        phase=pick(phase),
        round=pick(round_),
        item=pick(item),
        role=pick(role_code),
        mode=pick(mode),
        own_rate=pick(own),
        numbers={name: (pick(codes), tuple(values)) for name, (codes, values) in numbers.items()},
    )
    return out, all_keys


def _rows(a: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """``a[mask]``, without a copy when every row is kept (a national form is 100 MB of codes)."""
    return a if mask.all() else a[mask]


def _value_codes(codes: np.ndarray, values: list[Decimal]) -> np.ndarray:
    """Codes that are equal for equal numbers ('1' and '1.0')."""
    index: dict[Decimal, int] = {}
    return lookup([index.setdefault(v, len(index)) for v in values], codes, dtype=np.int32) if values else codes


def _cross_checks(
    tables: dict[FormKind, FormLines], named: tuple[np.ndarray, np.ndarray, np.ndarray], problems: ProblemCollector
) -> None:
    rounds = tables[FormKind.rounds]
    vocab = rounds.vocab
    label = vocab.labels
    (key,), n, _, first_line = joint_keys([[rounds.la, rounds.phase, rounds.round]])
    # every round has one mode
    none = len(rounds.row) + 1
    first_mode = []
    for m in range(len(MODES)):
        first = np.full(n, none, dtype=np.int64)
        rows = np.flatnonzero(rounds.mode == m)
        np.minimum.at(first, key[rows], rows)
        first_mode.append(first)
    in_person, virtual = first_mode
    two = (in_person < none) & (virtual < none)
    no_mode = (in_person == none) & (virtual == none)

    def at(t: FormLines, i: int, column: str) -> dict:
        return dict(
            file=t.file,
            sheet=t.sheet,
            row=int(t.row[i]),
            column=column,
            cell=f"{t.letters[column]}{int(t.row[i])}" if t.sheet and column in t.letters else "",
        )

    def name(i: int) -> tuple[str, str, str]:
        return label[rounds.round[i]], label[rounds.la[i]], label[rounds.phase[i]]

    for k in np.flatnonzero(two | no_mode).tolist():
        if two[k]:
            first, second = int(in_person[k]), int(virtual[k])
            rid, la, phase = name(second)
            problems.add(
                Problem(
                    **at(rounds, second, "mode"),
                    value=Mode.virtual.value,
                    message=f"round {rid} of {la} phase {phase} has two modes: "
                    f"{Mode.in_person.value} at row {int(rounds.row[first])} and "
                    f"{Mode.virtual.value} here",
                    fix="Give every line of a round the same mode (or split it into two rounds)",
                )
            )
        else:
            i = int(first_line[k])
            rid, la, phase = name(i)
            problems.add(
                Problem(
                    **at(rounds, i, "mode"),
                    value="",
                    message=f"round {rid} of {la} phase {phase} has no mode on any of its lines",
                    fix="Write 'in-person' or 'virtual' in the mode column",
                )
            )
    # a round must have something in it
    filled = (
        (rounds.positive("staff") & rounds.positive("hours"))
        | rounds.positive("miles")
        | rounds.positive("cost")
        | rounds.is_attendance()
    )
    has = np.bincount(key[filled], minlength=n) > 0
    for k in np.flatnonzero(~has).tolist():
        i = int(first_line[k])
        rid, la, phase = name(i)
        problems.add(
            Problem(
                **at(rounds, i, "round"),
                value=rid,
                message=f"round {rid} of {la} phase {phase} has no lines with staff time, mileage, cost or attendance",
                fix="Fill in the round's lines, or delete the round",
            )
        )
    others = [kind for kind in (FormKind.training, FormKind.panel, FormKind.steering) if kind in tables]
    if not others:
        return
    named_la, named_phase, named_round = named
    la_phase, _, _, _ = joint_keys([[named_la, named_phase]] + [[tables[k].la, tables[k].phase] for k in others])
    tied, _, _, _ = joint_keys(
        [[named_la, named_phase, named_round]] + [[tables[k].la, tables[k].phase, tables[k].round] for k in others]
    )
    for j, kind in enumerate(others, start=1):
        t = tables[kind]
        no_rounds = ~np.isin(la_phase[j], la_phase[0])
        no_round = (t.round >= 0) & ~no_rounds & ~np.isin(tied[j], tied[0])
        for i in np.flatnonzero(no_rounds | no_round).tolist():
            la, phase = label[t.la[i]], label[t.phase[i]]
            if no_rounds[i]:
                problems.add(
                    Problem(
                        **at(t, i, "la"),
                        value=f"{la} / phase {phase}",
                        message=f"this {kind.value} line is for {la} phase {phase}, which has no rounds",
                        fix="Check the la and phase labels match those in the rounds form, or add that LA's rounds",
                    )
                )
            else:
                rid = label[t.round[i]]
                problems.add(
                    Problem(
                        **at(t, i, "round"),
                        value=rid,
                        message=f"this {kind.value} line is tied to round {rid}, which is not "
                        f"in the rounds form for {la} phase {phase}",
                        fix="Use a round identifier from the rounds form, or leave round blank to "
                        "spread the cost over all that LA's rounds",
                    )
                )
