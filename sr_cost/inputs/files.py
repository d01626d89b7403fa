"""Input files as a whole: the SHA-256 that provenance records, and a single table (a unit-cost
table, a price index) read from a CSV file or from the first sheet with data of a workbook."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sr_cost.errors import DataError, Problem
from sr_cost.inputs.csv_files import read_csv
from sr_cost.inputs.tables import RawTable


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_table(path: Path, *, encoding: str = "utf-8-sig", display: str | None = None) -> RawTable:
    """Read a single table from a CSV file or the first sheet (with data) of a workbook; the
    workbook's other sheets (notes, say) are not read. Problems name ``display`` (default: the path)."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from sr_cost.inputs.xlsx import read_xlsx_sheets  # the workbook modules: only for a workbook

        sheets = read_xlsx_sheets(path, first=True, display=display or str(path))
        if not sheets:
            raise DataError(
                Problem(
                    file=display or str(path),
                    message="has no visible sheet with data",
                    fix="Put the table on the first sheet",
                )
            )
        return next(iter(sheets.values()))
    return read_csv(path, encoding=encoding, display=display)
