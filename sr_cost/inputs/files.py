"""Input files as a whole: their bytes, read once, with the SHA-256 that provenance records; and a
single table (a unit-cost table, a price index) read from a CSV file or from the first sheet with
data of a workbook.

Every input is read into memory once (``read_input``) and parsed from those bytes, so the SHA-256
recorded is that of the very bytes costed, even if the file changes while sr-cost runs.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from sr_cost.errors import DataError, Problem
from sr_cost.inputs.csv_files import read_csv
from sr_cost.inputs.tables import RawTable


@dataclass(frozen=True)
class InputBytes:
    """An input file's bytes as read, and their SHA-256."""

    data: bytes
    sha256: str


def read_input(
    path: Path, display: str | None = None, *, fix: str = "Check the path and that the file is readable"
) -> InputBytes:
    """The file's bytes and their SHA-256; a file that cannot be read is a DataError."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except IsADirectoryError:
        raise DataError(Problem(file=display or str(path), message="is a folder, not a file", fix=fix)) from None
    except OSError as exc:
        raise DataError(
            Problem(file=display or str(path), message=f"cannot be read: {exc.strerror or exc}", fix=fix)
        ) from None
    return InputBytes(data, hashlib.sha256(data).hexdigest())


def read_table(
    path: Path, *, encoding: str = "utf-8-sig", display: str | None = None, given: InputBytes | None = None
) -> RawTable:
    """Read a single table from a CSV file or the first sheet (with data) of a workbook; the
    workbook's other sheets (notes, say) are not read. Problems name ``display`` (default: the path).
    ``given``: the file's bytes, when already read."""
    data = (given or read_input(path, display)).data
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from sr_cost.inputs.xlsx import read_xlsx_sheets  # the workbook modules: only for a workbook

        sheets = read_xlsx_sheets(path, data=data, first=True, display=display or str(path))
        if not sheets:
            raise DataError(
                Problem(
                    file=display or str(path),
                    message="has no visible sheet with data",
                    fix="Put the table on the first sheet",
                )
            )
        return next(iter(sheets.values()))
    return read_csv(path, encoding=encoding, display=display, data=data)
