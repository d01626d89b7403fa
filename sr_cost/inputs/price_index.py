"""Read a price index file (CSV or XLSX with the columns ``year,index``) into the core's
``PriceIndex``; every problem at once."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from sr_cost.core.prices import PriceIndex, read_year
from sr_cost.errors import DataError, Problem, ProblemCollector
from sr_cost.inputs.cell_values import check_columns, text_label
from sr_cost.inputs.files import read_input, read_table
from sr_cost.inputs.tables import RawTable, nonblank
from sr_cost.money import parse_number

INDEX_COLUMNS = ("year", "index")
MOST_INDEX = Decimal(1_000_000)  # the most an index value may be (PSSRU's are in the hundreds)


def parse_index(raw: RawTable, sha256: str) -> PriceIndex:
    """Validate a year,index table; every problem at once."""
    problems = ProblemCollector()
    values: dict[int, Decimal] = {}
    rows: dict[int, int] = {}
    if check_columns(raw, INDEX_COLUMNS, INDEX_COLUMNS, problems):
        for r in raw.rows:
            year_text, value = text_label(r.values.get("year")), r.values.get("index")
            try:
                year, _ = read_year(year_text)
            except ValueError:
                year = None
                problems.add(
                    raw.problem(
                        "year is not a year",
                        row=r.row,
                        column="year",
                        value=year_text,
                        fix="Write a four-digit year such as 2019 (or a financial year, 2019/20, read as 2019)",
                    )
                )
            else:
                if year in rows:
                    problems.add(
                        raw.problem(
                            f"{year} appears twice (first on row {rows[year]})",
                            row=r.row,
                            column="year",
                            value=year_text,
                            fix="Keep one row per year",
                        )
                    )
                    year = None
            number = None
            if not nonblank(value):
                problems.add(
                    raw.problem("index is blank", row=r.row, column="index", fix="Write the index value for the year")
                )
            else:
                try:
                    number = parse_number(value)
                except ValueError as exc:
                    problems.add(
                        raw.problem(
                            f"index {exc}",
                            row=r.row,
                            column="index",
                            value=value,
                            fix="Write the index as a number, e.g. 308.4",
                        )
                    )
                else:
                    if number > MOST_INDEX:
                        problems.add(
                            raw.problem(
                                f"index is more than the {MOST_INDEX:,} sr-cost takes",
                                row=r.row,
                                column="index",
                                value=value,
                                fix="Check the value (an index such as PSSRU's is in the hundreds)",
                            )
                        )
                        number = None
                    elif number <= 0:
                        problems.add(
                            raw.problem(
                                "index is not positive",
                                row=r.row,
                                column="index",
                                value=value,
                                fix="An index value must be more than 0",
                            )
                        )
                        number = None
            if year is not None and number is not None:
                values[year], rows[year] = number, r.row
        if not raw.rows:
            problems.add(raw.problem("the price index has no rows", fix="Add one row per year: year,index"))
    problems.raise_if_errors()
    return PriceIndex(path=raw.file, sha256=sha256, values=values, rows=rows)


def load_index(path: Path, *, encoding: str = "utf-8-sig") -> PriceIndex:
    """Read and validate a price index file (CSV or XLSX)."""
    if not path.is_file():
        raise DataError(
            Problem(
                file=str(path),
                message="does not exist (or is not a file)",
                fix="Give a CSV file with the columns year,index",
            )
        )
    given = read_input(path)
    return parse_index(read_table(path, encoding=encoding, given=given), given.sha256)
