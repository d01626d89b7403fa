#!/usr/bin/env python3
"""Write the bad-input corpus: one folder per case under ``tests/bad_inputs/cases/``.

    python tests/bad_inputs/make_cases.py            # rewrite the committed files
    python tests/bad_inputs/make_cases.py --check    # exit 1 if they differ from what it writes

Every file is written by this script, deterministically (fixed seeds, fixed zip dates, workbooks
stored uncompressed so no zlib version changes a byte), because several cases hold bytes an
editor would not keep: a byte-order mark, Windows-1252 text, control characters, binary files.
What each case must make sr-cost say is in ``cases.toml``; ``tests/test_bad_inputs.py`` runs them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import random
import re
import shutil
import struct
import sys
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
CASES = HERE / "cases"

HEADER = ["la", "phase", "round", "mode", "item", "role", "rate", "staff", "hours", "miles", "cost"]
BASE = [
    ["LA1", "1", "R1", "in-person", "attendance", "Social worker", "", "4", "1", "", ""],
    ["LA1", "1", "R1", "in-person", "catering", "", "", "", "", "", "45.50"],
    ["LA1", "1", "R2", "virtual", "attendance", "Team manager", "", "3", "1", "", ""],
]


def csv_text(rows: list[list[str]], header: list[str] = HEADER, newline: str = "\n") -> str:
    def cell(value: str) -> str:
        return f'"{value}"' if any(c in value for c in ',"\n') else value

    return "".join(",".join(cell(v) for v in row) + newline for row in [header] + rows)


def with_cell(row: int, column: str, value: str) -> list[list[str]]:
    """BASE with one cell changed (row 0 is the first line under the header)."""
    rows = [list(r) for r in BASE]
    rows[row][HEADER.index(column)] = value
    return rows


def rounds_case(name: str, text: str | bytes) -> None:
    folder = CASES / name
    folder.mkdir(parents=True)
    data = text.encode("utf-8") if isinstance(text, str) else text
    (folder / "rounds.csv").write_bytes(data)


# --- workbooks --------------------------------------------------------------------------------------


def _deterministic(xlsx: bytes) -> bytes:
    """The same workbook with fixed dates and no compression, so its bytes never change."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>2021-01-01T00:00:00Z", data)
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0)), data)
    return out.getvalue()


def workbook(rows: list[list[object]] | None = None, *, tweak=None, header: list[str] = HEADER) -> bytes:
    """A forms workbook with one sheet, ``rounds``; ``tweak(wb, ws)`` changes it before saving."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "rounds"
    ws.append(header)
    for row in rows if rows is not None else BASE:
        ws.append([_typed(v) for v in row])
    if tweak is not None:
        tweak(wb, ws)
    buffer = io.BytesIO()
    wb.save(buffer)
    return _deterministic(buffer.getvalue())


def _typed(value: object) -> object:
    """Numbers as numbers, as Excel would hold them; blank as an empty cell."""
    if not isinstance(value, str):
        return value
    if value == "":
        return None
    if re.fullmatch(r"[0-9]+", value):
        return int(value)
    if re.fullmatch(r"[0-9]+\.[0-9]+", value):
        return float(value)
    return value


def workbook_case(name: str, data: bytes, filename: str = "forms.xlsx") -> None:
    folder = CASES / name
    folder.mkdir(parents=True)
    (folder / filename).write_bytes(data)


def _replace_member(xlsx: bytes, member: str, data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as dst:
        for info in src.infolist():
            content = data if info.filename == member else src.read(info.filename)
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0)), content)
    return out.getvalue()


def billion_laughs() -> bytes:
    """The rounds sheet's XML declares entities that expand to 10^9 'lol's (a few GB)."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    ]
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f"<!DOCTYPE worksheet [{''.join(entities)}]>\n"
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
        "</sheetData></worksheet>"
    ).encode()
    return _replace_member(workbook(), "xl/worksheets/sheet1.xml", sheet)


def zip_bomb() -> bytes:
    """A workbook whose sheet entry declares 4 GB uncompressed (the central directory's size field)."""
    data = bytearray(workbook())
    name = b"xl/worksheets/sheet1.xml"
    at = 0
    while True:
        at = data.find(b"PK\x01\x02", at)
        if at < 0:
            break
        name_len = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + name_len] == name:
            struct.pack_into("<I", data, at + 24, 0xFFFFFFF0)  # uncompressed size
        at += 4
    return bytes(data)


def stray_value() -> bytes:
    """One value in the sheet's last cell, XFD1048576, far outside the table."""
    return workbook(tweak=lambda wb, ws: ws.cell(row=1048576, column=16384, value="stray"))


def formatted_cell() -> bytes:
    """The sheet's last cell, XFD1048576, filled yellow but empty: not a value, nothing to report."""
    from openpyxl.styles import PatternFill

    def tweak(wb, ws):
        ws.cell(row=1048576, column=16384).fill = PatternFill("solid", fgColor="FFFF00")

    return workbook(tweak=tweak)


def many_stray_values() -> bytes:
    """A thousand notes in column L, beside the form (which ends at K): 20 are named, the rest counted."""

    def tweak(wb, ws):
        for row in range(2, 1002):
            ws.cell(row=row, column=12, value=f"note {row}")

    return workbook(tweak=tweak)


def cfb(stream_names: list[str]) -> bytes:
    """A minimal OLE compound file (the container of .xls files and of password-protected .xlsx
    files): the header's signature and a directory sector naming the streams."""
    header = bytearray(512)
    header[0:8] = bytes.fromhex("D0CF11E0A1B11AE1")
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<I", header, 48, 0)  # first directory sector
    directory = bytearray(512)
    for i, name in enumerate(["Root Entry"] + stream_names[:3]):
        entry = name.encode("utf-16-le")
        directory[i * 128 : i * 128 + len(entry)] = entry
        struct.pack_into("<H", directory, i * 128 + 64, len(entry) + 2)
        directory[i * 128 + 66] = 5 if i == 0 else 2
    return bytes(header + directory)


# --- the cases --------------------------------------------------------------------------------------


def write_all(check: bool = False) -> None:
    """Write every case (``check``: only to compare with the committed ones)."""
    if CASES.exists():
        shutil.rmtree(CASES)
    CASES.mkdir()
    # malformed numbers (CSV)
    rounds_case("money_three_decimals", csv_text(with_cell(1, "cost", "12.345")))
    rounds_case("exponent", csv_text(with_cell(0, "staff", "1e3")))
    rounds_case("underscore", csv_text(with_cell(0, "hours", "1_000")))
    rounds_case("non_ascii_digits", csv_text(with_cell(0, "staff", "\u0664")))  # Arabic-Indic four
    rounds_case("letter_o_in_money", csv_text(with_cell(1, "cost", "£1,234.5O")))
    rounds_case("nan", csv_text(with_cell(0, "miles", "NaN")))
    rounds_case("inf", csv_text(with_cell(0, "hours", "inf")))
    rounds_case("negative", csv_text(with_cell(1, "cost", "-45.50")))
    rounds_case("date_in_number", csv_text(with_cell(1, "cost", "2019-05-21")))
    rounds_case("true_in_number", csv_text(with_cell(0, "staff", "TRUE")))
    # headers
    rounds_case("missing_column", csv_text([r[:2] + r[3:] for r in BASE], header=HEADER[:2] + HEADER[3:]))
    rounds_case("duplicate_column", csv_text([r + ["1.00"] for r in BASE], header=HEADER + ["Cost"]))
    rounds_case("byte_order_mark", b"\xef\xbb\xbf" + csv_text(BASE, newline="\r\n").encode())
    rounds_case(
        "unknown_columns", csv_text([r + ["note"] for r in with_cell(1, "cost", "45.505")], header=HEADER + ["Notes"])
    )
    hours = HEADER.index("hours")
    rounds_case(
        "missing_hours",
        csv_text([r[:hours] + r[hours + 1 :] for r in BASE], header=HEADER[:hours] + HEADER[hours + 1 :]),
    )
    rounds_case("misspelt_hours", csv_text(BASE, header=HEADER[:hours] + ["Hrs"] + HEADER[hours + 1 :]))
    # encodings, shapes, double counting
    rounds_case("windows_1252", csv_text(with_cell(1, "cost", "£45.50"), newline="\r\n").encode("cp1252"))
    rows = [list(r) for r in BASE]
    rows[1] = rows[1] + ["extra"]
    rounds_case("ragged_row", csv_text(rows))
    rounds_case("total_row", csv_text(BASE + [["Total", "", "", "", "", "", "", "7", "", "", "45.50"]]))
    rounds_case("duplicate_lines", csv_text(BASE + [BASE[0]]))
    rounds_case("empty_file", b"")
    rounds_case("control_character", csv_text(with_cell(2, "la", "LA1\x1b[31m")))
    rounds_case("zero_width_space", csv_text(with_cell(2, "la", "LA\u200b1")))
    rounds_case("text_too_long", csv_text(with_cell(1, "item", "catering " + "x" * 40_000)))
    rounds_case(
        "blank_and_unknown",
        csv_text(
            with_cell(0, "la", "") + [["LA1", "1", "R2", "zoom", "attendance", "Socail worker", "", "3", "1", "", ""]]
        ),
    )
    folder = CASES / "duplicate_respondents"
    folder.mkdir()
    (folder / "rounds.csv").write_text(csv_text(BASE), encoding="utf-8")
    (folder / "survey.csv").write_text(
        "la,phase,respondent,group,role,salary,sick_days,rounds_attended\n"
        "LA1,1,R001,intervention,Social worker,,2,3\n"
        "LA1,1,R002,control,Social worker,,0,0\n"
        "LA1,1,R001,intervention,Social worker,,2,3\n",
        encoding="utf-8",
    )
    # usage
    for name in (
        "output_is_input",
        "output_folder_missing",
        "output_is_a_folder",
        "bad_encoding_option",
        "unknown_option",
        "single_csv_file",
    ):
        rounds_case(name, csv_text(BASE))
    # not really a workbook
    workbook_case("random_bytes", random.Random(7).randbytes(4096))
    workbook_case("empty_workbook", b"")
    workbook_case("csv_named_xlsx", csv_text(BASE).encode())
    workbook_case("password_protected", cfb(["EncryptionInfo", "EncryptedPackage"]))
    workbook_case("xls_named_xlsx", cfb(["Workbook", "SummaryInformation"]))
    workbook_case("xls_file", cfb(["Workbook", "SummaryInformation"]), filename="forms.xls")
    workbook_case("billion_laughs", billion_laughs())
    workbook_case("zip_bomb", zip_bomb())
    workbook_case("stray_value_xfd1048576", stray_value())
    workbook_case("formatted_cell_xfd1048576", formatted_cell())
    workbook_case("many_stray_values", many_stray_values())
    # workbook contents
    workbook_case("workbook_money_three_decimals", workbook(with_cell(1, "cost", "12.345")))
    workbook_case(
        "workbook_date_in_number",
        workbook(tweak=lambda wb, ws: ws.cell(row=3, column=11, value=dt.datetime(2019, 5, 21))),
    )
    workbook_case("workbook_true_in_number", workbook(tweak=lambda wb, ws: ws.cell(row=2, column=8, value=True)))
    workbook_case("formula_without_value", workbook(tweak=lambda wb, ws: ws.cell(row=3, column=11, value="=40+5.5")))

    def errors(wb, ws):
        ws.cell(row=2, column=8, value="#REF!")
        ws.cell(row=3, column=11, value="#DIV/0!")
        ws.cell(row=4, column=9, value="#N/A")

    workbook_case("error_values", workbook(tweak=errors))

    def merged(wb, ws):  # LA1 typed once over two lines: the second line's la reads blank
        ws.merge_cells("A3:A4")

    workbook_case("merged_cells", workbook(tweak=merged))

    def hidden_sheet(wb, ws):
        wb.create_sheet("notes").append(["these forms are hidden"])
        ws.sheet_state = "hidden"

    workbook_case("hidden_sheet", workbook(tweak=hidden_sheet))
    workbook_case("hidden_row", workbook(tweak=lambda wb, ws: setattr(ws.row_dimensions[3], "hidden", True)))
    import more_cases  # the cases of issue 19; beside this script

    more_cases.write_more(CASES, check=check)


def _identity(path: Path) -> object:
    """What a case file must be: its bytes; for a compressed workbook (one of hundreds of megabytes
    of XML), each member's name, size and CRC-32, since another zlib may compress it differently."""
    data = path.read_bytes()
    if path.suffix == ".xlsx" and data[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                infos = archive.infolist()
                if any(info.compress_type != zipfile.ZIP_STORED for info in infos):
                    return [(info.filename, info.file_size, info.CRC) for info in infos]
        except zipfile.BadZipFile:
            pass
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed files instead")
    args = parser.parse_args()
    if not args.check:
        write_all()
        return
    global CASES
    committed = CASES
    with tempfile.TemporaryDirectory() as tmp:
        CASES = Path(tmp) / "cases"
        write_all(check=True)
        ours = {p.relative_to(CASES): _identity(p) for p in CASES.rglob("*") if p.is_file()}
    theirs = {p.relative_to(committed): _identity(p) for p in committed.rglob("*") if p.is_file()}
    if ours != theirs:
        changed = sorted(str(k) for k in set(ours) | set(theirs) if ours.get(k) != theirs.get(k))
        sys.exit("differs: " + ", ".join(changed))


if __name__ == "__main__":
    main()
