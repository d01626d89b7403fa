"""Read workbook sheets with openpyxl (through defusedxml, which openpyxl uses when installed).

Only this module and ``excel.py`` import openpyxl. Cells are read by the values Excel or
LibreOffice saved: a formula with no saved value, an error value such as ``#REF!``, or data in a
merged cell is reported with its cell reference rather than read as blank or zero.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from sr_cost.errors import DataError, Problem
from sr_cost.readers import RawRow, RawTable, canonical_header, column_letter

ERROR_VALUES = {"#REF!", "#N/A", "#DIV/0!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!"}
MAX_UNCOMPRESSED_BYTES = 512 * 1024 * 1024


def _open(path: Path, display: str, *, data_only: bool):
    import openpyxl

    try:
        with zipfile.ZipFile(path) as archive:
            total = sum(info.file_size for info in archive.infolist())
        if total > MAX_UNCOMPRESSED_BYTES:
            raise DataError(Problem(file=display, value=f"{total:,} bytes",
                                    message="declares more uncompressed data than a forms workbook can hold",
                                    fix="Save the workbook again from Excel, or export the sheets as CSV"))
        return openpyxl.load_workbook(path, read_only=True, data_only=data_only)
    except DataError:
        raise
    except zipfile.BadZipFile:
        raise DataError(Problem(file=display, message="is not an .xlsx workbook (it is not a zip archive)",
                                fix="Open it in Excel and save it as 'Excel Workbook (.xlsx)', or give CSV files")) from None
    except OSError as exc:
        raise DataError(Problem(file=display, message=f"cannot be read: {exc.strerror or exc}",
                                fix="Check the path and that the file is readable")) from None
    except Exception as exc:  # openpyxl raises many types for malformed workbooks
        raise DataError(Problem(file=display, message=f"is not a readable .xlsx workbook ({type(exc).__name__}: {exc})",
                                fix="Open it in Excel and save it as 'Excel Workbook (.xlsx)', or give CSV files")) from None


def read_sheets(path: Path, *, display: str) -> dict[str, RawTable]:
    """Every sheet, keyed by its lower-cased, stripped name. Hidden sheets are reported."""
    values_wb = _open(path, display, data_only=True)
    formulas_wb = _open(path, display, data_only=False)
    problems: list[Problem] = []
    tables: dict[str, RawTable] = {}
    try:
        for ws in values_wb.worksheets:
            name = ws.title
            key = name.strip().lower()
            if ws.sheet_state != "visible":
                problems.append(Problem(file=display, sheet=name, message="this sheet is hidden",
                                        fix="Unhide the sheet (right-click a sheet tab > Unhide) or delete it"))
                continue
            table, sheet_problems = _read_sheet(ws, formulas_wb[name], display)
            problems.extend(sheet_problems)
            if table is not None:
                tables[key] = table
    finally:
        values_wb.close()
        formulas_wb.close()
    if problems:
        raise DataError(problems)
    return tables


def _read_sheet(ws, fws, display: str) -> tuple[RawTable | None, list[Problem]]:
    problems: list[Problem] = []
    headers: dict[str, str] = {}
    order: list[str] = []
    letters: dict[str, str] = {}
    rows: list[RawRow] = []
    formula_rows = fws.iter_rows()
    width = None
    for row_cells in ws.iter_rows(max_col=width):
        frow = next(formula_rows, ())
        if not row_cells:
            continue
        number = row_cells[0].row if hasattr(row_cells[0], "row") and row_cells[0].row else None
        cells = list(row_cells)
        fcells = {c.column: c for c in frow if getattr(c, "column", None)}
        if not order:
            texts = [c.value for c in cells]
            if not any(v is not None and str(v).strip() for v in texts):
                continue
            last = max(i for i, v in enumerate(texts) if v is not None and str(v).strip())
            for i, value in enumerate(texts[: last + 1]):
                key = canonical_header(value)
                if key and key in headers:
                    problems.append(Problem(file=display, sheet=ws.title, cell=f"{column_letter(i)}{number}",
                                            row=number, column=str(value).strip(), value=str(value),
                                            message="this column header appears twice",
                                            fix="Delete or rename one of the two columns"))
                if key:
                    headers.setdefault(key, str(value).strip())
                    letters.setdefault(key, column_letter(i))
                order.append(key)
            width = len(order)
            continue
        values: dict[str, object] = {}
        any_value = False
        for i, key in enumerate(order):
            cell = cells[i] if i < len(cells) else None
            value = getattr(cell, "value", None) if cell is not None else None
            fcell = fcells.get(i + 1)
            fvalue = getattr(fcell, "value", None)
            if isinstance(value, str) and value.strip() in ERROR_VALUES:
                problems.append(Problem(file=display, sheet=ws.title, row=number, cell=f"{column_letter(i)}{number}",
                                        column=headers.get(key, key), value=value,
                                        message="holds a spreadsheet error value",
                                        fix="Correct the formula or type the value in"))
                continue
            if value is None and isinstance(fvalue, str) and fvalue.startswith("="):
                problems.append(Problem(file=display, sheet=ws.title, row=number, cell=f"{column_letter(i)}{number}",
                                        column=headers.get(key, key), value=fvalue,
                                        message="holds a formula with no saved value",
                                        fix="Open the workbook in Excel or LibreOffice and save it, so the value is stored"))
                continue
            if key:
                values[key] = value
            if value is not None and str(value).strip() != "":
                any_value = True
        if any_value:
            rows.append(RawRow(row=number, values=values))
    if not order:
        return None, problems
    return RawTable(file=display, sheet=ws.title, headers=headers, letters=letters, rows=rows), problems
