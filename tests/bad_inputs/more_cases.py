"""The corpus's cases of issue 19 ("nothing lost, nothing overwritten, nothing misread"), written by
``make_cases.py`` (``write_more``): forms under other names, labels spelt two ways, outputs that are
not files or are inputs, problems in several files at once, numbers past their bounds, workbooks
that would cost memory and time out of all proportion to their size, and files that are text but
not CSV. What each must make sr-cost say is in ``cases.toml``.

Files a checkout cannot hold on every system (a name with trailing spaces, ``rounds.csv`` beside
``rounds.CSV``, a named pipe, a symbolic link) are made when the case runs (``setup`` in
``cases.toml``); so are stale temporary files.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from make_cases import BASE, HEADER, csv_text, with_cell, workbook

ROOT = Path()  # the folder of the cases being written: set by write_more
# zlib's level for compressed workbooks: 9 for the files committed; 1 when make_cases --check only
# compares their members' sizes and CRC-32s (the same whatever the level), twice as fast
COMPRESS_LEVEL = 9

SURVEY_HEADER = "la,phase,respondent,group,role,salary,sick_days,rounds_attended\n"
SURVEY = SURVEY_HEADER + "LA1,1,R001,intervention,Social worker,,2,3\nLA1,1,R002,control,Social worker,,4,0\n"
STAFF = "la,phase,intervention_staff,control_staff\nLA1,1,20,21\n"
TRAINING = "la,phase,round,mode,item,role,rate,staff,hours,miles,cost\nLA1,1,,,training fee,,,,,,5000.00\n"
TABLE = "role,salary\nSocial worker,34748.00\nTeam manager,45000.00\n"
INDEX = "year,index\n2019,300.0\n2021,310.0\n"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def files_case(name: str, files: dict[str, str | bytes]) -> None:
    """A case of several files (``'forms/rounds.csv'``, ``'table.csv'``...), laid out as given."""
    for relative, content in files.items():
        path = ROOT / name / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)


def rounds(rows: list[list[str]] | None = None) -> str:
    return csv_text(BASE if rows is None else rows)


def sheets_workbook(sheets: dict[str, list[list[object]]], *, hidden: tuple[str, ...] = ()) -> bytes:
    """A workbook with these sheets (name: rows, the first the header)."""

    def tweak(wb, ws):
        wb.remove(ws)
        for name, rows in sheets.items():
            sheet = wb.create_sheet(name)
            for row in rows:
                sheet.append([None if v == "" else v for v in row])
            if name in hidden:
                sheet.sheet_state = "hidden"

    return workbook(tweak=tweak)


def form_rows(rows: list[list[str]] | None = None) -> list[list[object]]:
    """The header and rows of a rounds form, numbers as numbers."""
    out: list[list[object]] = [list(HEADER)]
    for row in BASE if rows is None else rows:
        out.append([_number(v) for v in row])
    return out


def _number(value: str) -> object:
    try:
        return int(value)
    except ValueError:
        try:
            return float(value)
        except ValueError:
            return value


TRAINING_ROWS: list[list[object]] = [list(HEADER), ["LA1", 1, "", "", "training fee", "", "", "", "", "", 5000]]


def sheet_xml(*rows: bytes) -> bytes:
    """A worksheet of these rows (joined once: some are hundreds of megabytes)."""
    head = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + f'<worksheet xmlns="{MAIN}"><sheetData>'.encode()
    )
    return b"".join([head, *rows, b"</sheetData></worksheet>"])


def base_rows() -> bytes:
    """The rounds form's header and lines as sheet XML (inline strings), rows 1 to 4."""
    out = []
    for number, row in enumerate([HEADER] + BASE, start=1):
        out.append(f'<row r="{number}">')
        for i, value in enumerate(row):
            ref = f"{chr(65 + i)}{number}"
            if value == "":
                continue
            if number > 1 and value.replace(".", "", 1).isdigit():
                out.append(f'<c r="{ref}"><v>{value}</v></c>')
            else:
                out.append(f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>')
        out.append("</row>")
    return "".join(out).encode()


def deflated(xlsx: bytes, replace: dict[str, bytes]) -> bytes:
    """The workbook with members replaced, compressed (a member of hundreds of megabytes of
    repeated XML takes a few hundred kilobytes); ``make_cases --check`` compares such workbooks
    by their members, not their bytes (another zlib may compress differently)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src, zipfile.ZipFile(out, "w") as dst:
        names = set()
        for info in src.infolist():
            names.add(info.filename)
            data = replace.get(info.filename, src.read(info.filename))
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, data, compresslevel=COMPRESS_LEVEL)
        for name, data in replace.items():
            if name not in names:
                entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                entry.compress_type = zipfile.ZIP_DEFLATED
                dst.writestr(entry, data, compresslevel=COMPRESS_LEVEL)
    return out.getvalue()


def replaced(xlsx: bytes, members: dict[str, bytes]) -> bytes:
    """The workbook with members replaced, stored uncompressed as make_cases stores workbooks."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as dst:
        for info in src.infolist():
            data = members.get(info.filename, src.read(info.filename))
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0)), data)
    return out.getvalue()


def with_shared_strings(sst: bytes) -> bytes:
    """The base workbook with a shared-strings part (and its relationship and content type)."""
    base = workbook()
    with zipfile.ZipFile(io.BytesIO(base)) as src:
        types = src.read("[Content_Types].xml").replace(
            b"</Types>",
            b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
            b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        )
        rels = src.read("xl/_rels/workbook.xml.rels").replace(
            b"</Relationships>",
            b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            b'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        )
    return deflated(
        base, {"[Content_Types].xml": types, "xl/_rels/workbook.xml.rels": rels, "xl/sharedStrings.xml": sst}
    )


def strict_ooxml() -> bytes:
    """The base workbook with the Strict Open XML namespaces Excel's 'Strict Open XML Spreadsheet' writes."""
    base = workbook()
    replace = {}
    with zipfile.ZipFile(io.BytesIO(base)) as src:
        for name in ("xl/workbook.xml", "xl/worksheets/sheet1.xml"):
            replace[name] = src.read(name).replace(MAIN.encode(), b"http://purl.oclc.org/ooxml/spreadsheetml/main")
    return deflated(base, replace)


def workbook_case(name: str, data: bytes, filename: str = "forms.xlsx") -> None:
    files_case(name, {filename: data})


def write_more(root: Path, *, check: bool = False) -> None:
    """Write this module's cases into ``root`` (make_cases's folder of cases); ``check``: only to
    compare with the committed files (compressed quickly)."""
    global ROOT, COMPRESS_LEVEL
    ROOT = root
    COMPRESS_LEVEL = 1 if check else 9
    _forms_by_name()
    _labels()
    _outputs()
    _at_once()
    _numbers()
    _workbook_bounds()
    _not_csv()
    _control_characters()


def _forms_by_name() -> None:
    training_2025 = sheets_workbook({"rounds": form_rows(), "Training 2025": TRAINING_ROWS})
    workbook_case("near_sheet_training_2025", training_2025)
    workbook_case("near_sheet_mapped", training_2025)
    workbook_case(
        "near_sheet_steering_group", sheets_workbook({"rounds": form_rows(), "Steering group": TRAINING_ROWS})
    )
    staff_list = sheets_workbook({"rounds": form_rows(), "Staff list": [["name", "team"], ["A. Smith", "East"]]})
    workbook_case("near_sheet_staff_list", staff_list)
    workbook_case("near_sheet_not_a_form", staff_list)
    workbook_case("renamed_rounds_sheet", sheets_workbook({"Rounds 2025": form_rows(), "Notes": [["notes"]]}))
    workbook_case("no_rounds_sheet", sheets_workbook({"Sheet1": form_rows(), "Notes": [["notes"]]}))
    # Excel itself refuses two sheet names that differ only by case (openpyxl renames the second
    # 'Rounds1'), but other programs write them: the name is put back in the workbook's XML
    two = sheets_workbook({"rounds": form_rows(), "Rounds": form_rows(BASE[:1])})
    with zipfile.ZipFile(io.BytesIO(two)) as archive:
        book = archive.read("xl/workbook.xml").replace(b'name="Rounds1"', b'name="Rounds"')
    workbook_case("two_rounds_sheets_case", replaced(two, {"xl/workbook.xml": book}))
    workbook_case("two_rounds_sheets_space", sheets_workbook({"rounds": form_rows(), "rounds ": form_rows(BASE[:1])}))
    workbook_case(
        "hidden_near_sheet",
        sheets_workbook({"rounds": form_rows(), "training old": TRAINING_ROWS}, hidden=("training old",)),
    )
    files_case("two_rounds_files_case", {"forms/rounds.csv": rounds()})  # rounds.CSV made when run
    files_case("near_file_training_2025", {"forms/rounds.csv": rounds(), "forms/training 2025.csv": TRAINING})
    files_case("near_file_mapped", {"forms/rounds.csv": rounds(), "forms/training 2025.csv": TRAINING})
    files_case("text_file_not_csv", {"forms/rounds.csv": rounds(), "forms/training.txt": TRAINING})
    files_case("sheet_option_unknown_form", {"forms/rounds.csv": rounds()})
    files_case("sheet_option_no_such_file", {"forms/rounds.csv": rounds()})
    files_case("excel_lock_file_ignored", {"forms/rounds.csv": rounds(), "forms/~$rounds.csv": "owner"})


def _labels() -> None:
    rows = [list(r) for r in BASE]
    rows[2][0] = "la1"
    files_case("label_case_la", {"forms/rounds.csv": rounds(rows)})
    files_case("label_case_la_merged", {"forms/rounds.csv": rounds(rows)})
    rows = [list(r) for r in BASE]
    rows[2][0] = "LA 1"
    files_case("label_space_la", {"forms/rounds.csv": rounds(rows)})
    rows = [list(r) for r in BASE]
    rows[2][1] = "01"
    files_case("label_leading_zero_phase", {"forms/rounds.csv": rounds(rows)})
    files_case(
        "label_across_forms", {"forms/rounds.csv": rounds(), "forms/training.csv": TRAINING.replace("LA1", "la1")}
    )
    files_case(
        "label_survey_and_rounds",
        {"forms/rounds.csv": rounds(), "forms/survey.csv": SURVEY.replace("LA1,1,R002", "la1,1,R002")},
    )
    files_case("attendance_near_item", {"forms/rounds.csv": rounds(with_cell(2, "item", "attendees"))})
    files_case("attendance_misspelt_item", {"forms/rounds.csv": rounds(with_cell(0, "item", "Attendence"))})
    files_case("attendance_with_spaces_counts", {"forms/rounds.csv": rounds(with_cell(0, "item", " Attendance "))})


def _outputs() -> None:
    for name in (
        "output_dev_null",
        "output_dev_stdout",
        "output_named_pipe",
        "output_dash_is_stdout",
        "excel_dash",
        "excel_and_output_same",
        "second_output_fails",
        "excel_is_a_folder",
        "output_trailing_space_form",
        "output_through_symlink",
        "stale_temporaries_swept",
        "excel_and_json_together",
        "report_through_symlink",
        "report_onto_named_pipe",
        "report_written_whole",
        "explain_output_dev_null",
    ):
        files_case(name, {"forms/rounds.csv": rounds()})
    for name in ("output_onto_params_beside", "output_onto_unit_cost_table"):
        files_case(
            name,
            {
                "forms/rounds.csv": rounds(),
                "table.csv": TABLE,
                "table.toml": "[parameters]\ncapital_overheads_gbp = 3191\n",
            },
        )
    files_case("output_onto_params_option", {"forms/rounds.csv": rounds(), "p.toml": "[parameters]\n"})
    files_case("explain_onto_params", {"forms/rounds.csv": rounds(), "p.toml": "[parameters]\n"})
    workbook_case("explain_near_sheet", sheets_workbook({"rounds": form_rows(), "Training 2025": TRAINING_ROWS}))
    index = sheets_workbook({"index": [["year", "index"], [2019, 300], [2021, 310]]})
    files_case("excel_onto_index", {"forms/rounds.csv": rounds(), "index.xlsx": index})
    files_case("build_output_onto_params", {"salaries.csv": TABLE, "p.toml": "[parameters]\n"})


def _at_once() -> None:
    ragged = [list(r) for r in BASE]
    ragged[1] = ragged[1] + ["extra"]
    files_case(
        "problems_in_three_files",
        {
            "forms/rounds.csv": rounds(ragged),
            "forms/training.csv": TRAINING.replace("5000.00", "5000.001"),
            "forms/panel.csv": TRAINING.replace("training fee", "panel £50").encode("cp1252"),
        },
    )
    files_case(
        "bad_table_and_bad_forms",
        {"forms/rounds.csv": rounds(with_cell(1, "cost", "-5")), "table.csv": TABLE + "Team manager,45000.00\n"},
    )
    files_case(
        "bad_params_and_bad_table",
        {
            "forms/rounds.csv": rounds(),
            "table.csv": TABLE + "Lead,-1\n",
            "table.toml": "[parameters]\nworking_hours_per_year = 0\n",
        },
    )
    files_case(
        "compare_two_bad_sets",
        {"a/rounds.csv": rounds(with_cell(1, "cost", "12.345")), "b/rounds.csv": rounds(with_cell(0, "mode", "zoom"))},
    )
    files_case(
        "bad_index_and_bad_forms",
        {"forms/rounds.csv": rounds(with_cell(1, "cost", "-5")), "index.csv": INDEX + "2021,311.0\n"},
    )
    workbook_case(
        "workbook_header_and_cells",
        sheets_workbook(
            {
                "rounds": [list(HEADER) + ["Cost"]] + form_rows()[1:],
                "training": TRAINING_ROWS[:1] + [[*TRAINING_ROWS[1][:10], -5]],
            }
        ),
    )


def _numbers() -> None:
    workbook_case("cost_1e26", workbook(tweak=lambda wb, ws: ws.cell(row=3, column=11, value=1e26)))

    def staff_hours(wb, ws):
        ws.cell(row=2, column=8, value=1e15)
        ws.cell(row=2, column=9, value=1e15)

    workbook_case("staff_times_hours_1e30", workbook(tweak=staff_hours))
    files_case("billion_miles", {"forms/rounds.csv": rounds(with_cell(0, "miles", "1000000000"))})
    files_case("rate_too_high", {"forms/rounds.csv": rounds(with_cell(0, "rate", "25000"))})
    for name, parameter in (
        ("params_1e300", "capital_overheads_gbp = 1e300"),
        ("working_hours_1e-30", "working_hours_per_year = 1e-30"),
    ):
        files_case(
            name, {"forms/rounds.csv": rounds(), "table.csv": TABLE, "table.toml": f"[parameters]\n{parameter}\n"}
        )
    survey = SURVEY.replace("intervention,Social worker,,2,3", "intervention,Social worker,,400,3")
    files_case("sick_days_over_recall", {"forms/rounds.csv": rounds(), "forms/survey.csv": survey})
    survey = SURVEY.replace("intervention,Social worker,,2,3", "intervention,Social worker,0,2,3")
    files_case("salary_zero_survey", {"forms/rounds.csv": rounds(), "forms/survey.csv": survey})
    files_case("salary_zero_table", {"forms/rounds.csv": rounds(), "table.csv": TABLE + "Lead,0\n"})
    files_case("salary_too_big_table", {"forms/rounds.csv": rounds(), "table.csv": TABLE + "Lead,25000000000\n"})
    files_case("index_too_big", {"forms/rounds.csv": rounds(), "index.csv": "year,index\n2019,300\n2021,1000000000\n"})
    files_case(
        "staff_count_too_big",
        {
            "forms/rounds.csv": rounds(),
            "forms/survey.csv": SURVEY,
            "forms/staff.csv": STAFF.replace(",20,", ",2000000000,"),
        },
    )
    for name in ("mileage_rate_option_huge", "discount_rate_option_huge", "uplift_option_huge"):
        files_case(name, {"forms/rounds.csv": rounds()})


def _workbook_bounds() -> None:
    base = workbook()
    sheet = "xl/worksheets/sheet1.xml"
    # a row of a million formatted, empty cells written without references (60 kB deflated)
    workbook_case(
        "million_formatted_cells_in_a_row",
        deflated(base, {sheet: sheet_xml(base_rows(), b'<row r="5">', b'<c s="0"/>' * 1_000_000, b"</row>")}),
    )
    # 270 MB of XML, honestly declared (white space between the rows: it deflates to 260 kB)
    workbook_case("xml_too_big", deflated(base, {sheet: sheet_xml(base_rows(), b" " * 270_000_000)}))
    # the careful reader's bounds: a hidden row (not plain) and 200,000 cells, or 200,000 rows
    hidden = b'<row r="5" hidden="1"><c r="A5" t="inlineStr"><is><t>LA1</t></is></c></row>'
    cells = b'<row r="6">' + b'<c r="L6" s="0"/>' * 200_000 + b"</row>"
    workbook_case("careful_reader_too_many_cells", deflated(base, {sheet: sheet_xml(base_rows(), hidden, cells)}))
    no_refs = b"<row><c/></row>" * 200_000
    workbook_case("careful_reader_too_many_rows", deflated(base, {sheet: sheet_xml(base_rows(), no_refs)}))
    # formatted, empty rows and columns past the form: read without a cell's memory each
    empty_rows = b'<row s="0" customFormat="1"/>' * 500_000  # rows 5 to 500,004 (a row's number may be left out)
    workbook_case("formatted_rows_past_the_form", deflated(base, {sheet: sheet_xml(base_rows(), empty_rows)}))
    wide = b"".join(b'<row r="%d"><c r="XFD%d" s="0"/></row>' % (n, n) for n in range(5, 50_005))
    workbook_case("formatted_cells_past_the_columns", deflated(base, {sheet: sheet_xml(base_rows(), wide)}))
    # ten million shared strings (130 MB, 130 kB deflated), and one string of 70 MB
    n = 10_000_000
    sst = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{MAIN}" count="{n}" uniqueCount="{n}">'
    workbook_case("ten_million_shared_strings", with_shared_strings(sst.encode() + b"<si><t/></si>" * n + b"</sst>"))
    n = 2_000_000  # 26 MB: within the part's size, past the count
    sst = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{MAIN}" count="{n}" uniqueCount="{n}">'
    workbook_case("two_million_shared_strings", with_shared_strings(sst.encode() + b"<si><t/></si>" * n + b"</sst>"))
    sst = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{MAIN}" count="1" uniqueCount="1">'
    workbook_case(
        "shared_strings_too_big",
        with_shared_strings(sst.encode() + b"<si><t>" + b"x" * 70_000_000 + b"</t></si></sst>"),
    )
    workbook_case("strict_ooxml", strict_ooxml())


def _not_csv() -> None:
    text = csv_text(BASE, newline="\r\n").replace(",", "\t")
    files_case("utf16_unicode_text", {"forms/rounds.csv": b"\xff\xfe" + text.encode("utf-16-le")})
    files_case("tab_separated", {"forms/rounds.csv": text})
    # as Excel writes CSV where a comma is the decimal separator: semicolons, numbers unquoted
    semicolons = "".join(";".join(row) + "\n" for row in [HEADER] + with_cell(1, "cost", "45,50"))
    files_case("semicolons_decimal_commas", {"forms/rounds.csv": semicolons})
    files_case("excel_sep_line", {"forms/rounds.csv": "sep=,\r\n" + csv_text(BASE, newline="\r\n")})
    files_case("excel_sep_semicolon", {"forms/rounds.csv": "sep=;\r\n" + semicolons})
    files_case("excel_sep_line_with_problem", {"forms/rounds.csv": "sep=,\n" + csv_text(with_cell(1, "cost", "-1"))})


def _control_characters() -> None:
    files_case(
        "escape_in_header",
        {"forms/rounds.csv": csv_text([r + ["x"] for r in BASE], header=HEADER + ["Notes\x1b[2J\x1b]0;pwned\x07"])},
    )
    files_case("escape_in_role_of_table", {"forms/rounds.csv": rounds(), "table.csv": TABLE + "Lead\x1b[31m,40000\n"})
    files_case("escape_in_file_name", {"forms/rounds.csv": rounds()})  # the file is renamed when run
    files_case("escape_in_output_path", {"forms/rounds.csv": rounds()})
    workbook_case("escape_in_sheet_name", sheets_workbook({"rounds": form_rows(), "training\u009b2025": TRAINING_ROWS}))
