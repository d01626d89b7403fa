#!/usr/bin/env python3
"""The national forms as one .xlsx workbook, in two flavours, and how fast sr-cost reads it.

    python benchmarks/generate.py /tmp/sr-bench --scale 1                       # the CSV forms
    python benchmarks/xlsx_workbook.py /tmp/sr-bench/national /tmp/sr-bench    # the two workbooks
    python benchmarks/xlsx_workbook.py /tmp/sr-bench/national /tmp/sr-bench --measure --runs 5

Both workbooks hold the six forms of the CSV folder, one sheet each, numbers as numbers (a cell
reading like 12 or 45.50), other text as text, blank cells left out:

- ``national_openpyxl.xlsx``: as openpyxl's write-only mode writes it: every string inline in its
  cell (``t="inlineStr"``), no ``<dimension>``;
- ``national_excel.xlsx``: as Excel writes it: strings in the shared-strings table (``t="s"``), a
  ``<dimension>`` and ``spans`` on each row. This minimal package is written here (it is test
  data); LibreOffice opens it.

``--measure`` reads each workbook in fresh processes, alternately: python-calamine reading the
values of every sheet (``to_python``), and sr-cost's ``read_forms`` (every check included); the
time of the read itself (imports excluded), the median of ``--runs`` runs, and each process's peak
resident memory (``ru_maxrss``, imports included; Unix).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import statistics
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from sr_cost.inputs.tables import column_letter  # noqa: E402

FORMS = ("training", "rounds", "panel", "steering", "survey", "staff")
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def typed(text: str) -> object:
    """What a spreadsheet holds for what was typed: numbers as numbers, blank as nothing."""
    if text == "":
        return None
    if _NUMBER.fullmatch(text):
        return float(text) if "." in text else int(text)
    return text


def read_forms_csv(folder: Path) -> dict[str, list[list[object]]]:
    sheets = {}
    for form in FORMS:
        path = folder / f"{form}.csv"
        if path.exists():
            with open(path, newline="", encoding="utf-8") as handle:
                rows = list(csv.reader(handle))
            sheets[form] = [rows[0]] + [[typed(v) for v in row] for row in rows[1:]]
    return sheets


def write_openpyxl(sheets: dict[str, list[list[object]]], path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    for form, rows in sheets.items():
        ws = wb.create_sheet(form)
        for row in rows:
            ws.append(row)
    wb.save(path)


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'


def write_excel(sheets: dict[str, list[list[object]]], path: Path) -> None:
    """The package Excel writes, reduced to what a reader needs: shared strings, a dimension."""
    strings: dict[str, int] = {}
    total = 0
    parts: dict[str, str] = {}
    for n, rows in enumerate(sheets.values(), start=1):
        width = max(len(r) for r in rows)
        last = f"{column_letter(width - 1)}{len(rows)}"
        out = [
            XML,
            f'<worksheet xmlns="{MAIN}" xmlns:r="{REL}"><dimension ref="A1:{last}"/>'
            '<sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="15"/>'
            "<sheetData>",
        ]
        for r, row in enumerate(rows, start=1):
            cells = []
            for c, value in enumerate(row):
                if value is None:
                    continue
                ref = f"{column_letter(c)}{r}"
                if isinstance(value, str):
                    total += 1
                    index = strings.setdefault(value, len(strings))
                    cells.append(f'<c r="{ref}" t="s"><v>{index}</v></c>')
                else:  # as Excel writes numbers: 5000, not 5000.0
                    text = str(int(value)) if float(value).is_integer() else repr(value)
                    cells.append(f'<c r="{ref}"><v>{text}</v></c>')
            out.append(f'<row r="{r}" spans="1:{width}">{"".join(cells)}</row>')
        out.append(
            '</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" '
            'footer="0.3"/></worksheet>'
        )
        parts[f"xl/worksheets/sheet{n}.xml"] = "".join(out)

    def si(text: str) -> str:
        assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", text), "control characters need _xHHHH_ escapes"
        space = ' xml:space="preserve"' if text != text.strip() else ""
        return f"<si><t{space}>{escape(text)}</t></si>"

    parts["xl/sharedStrings.xml"] = (
        f'{XML}<sst xmlns="{MAIN}" count="{total}" uniqueCount="{len(strings)}">' + "".join(map(si, strings)) + "</sst>"
    )
    names = list(sheets)
    parts["xl/workbook.xml"] = (
        f'{XML}<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
        + "".join(
            f'<sheet name={quoteattr(name)} sheetId="{i}" r:id="rId{i}"/>' for i, name in enumerate(names, start=1)
        )
        + "</sheets></workbook>"
    )
    k = len(names)
    parts["xl/_rels/workbook.xml.rels"] = (
        f'{XML}<Relationships xmlns="{PKG}">'
        + "".join(
            f'<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, k + 1)
        )
        + f'<Relationship Id="rId{k + 1}" Type="{REL}/styles" Target="styles.xml"/>'
        + f'<Relationship Id="rId{k + 2}" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
    )
    parts["xl/styles.xml"] = (
        f'{XML}<styleSheet xmlns="{MAIN}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/>'
        '</fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
    )
    parts["_rels/.rels"] = (
        f'{XML}<Relationships xmlns="{PKG}"><Relationship Id="rId1" '
        f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    sheet_type = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    parts["[Content_Types].xml"] = (
        f'{XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{sheet_type}.sheet.main+xml"/>'
        + "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{sheet_type}.worksheet+xml"/>'
            for i in range(1, k + 1)
        )
        + f'<Override PartName="/xl/styles.xml" ContentType="{sheet_type}.styles+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{sheet_type}.sharedStrings+xml"/></Types>'
    )
    order = [
        "[Content_Types].xml",
        "_rels/.rels",
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
        "xl/styles.xml",
        "xl/sharedStrings.xml",
    ] + [f"xl/worksheets/sheet{i}.xml" for i in range(1, k + 1)]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for name in order:
            archive.writestr(
                zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)),
                parts[name].encode("utf-8"),
                compress_type=zipfile.ZIP_DEFLATED,
            )


# --- measuring ----------------------------------------------------------------------------------------

PEAK = """
import resource, sys
def peak_mib():  # ru_maxrss: KiB on Linux, bytes on macOS
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (2**20 if sys.platform == "darwin" else 1024)
"""

CALAMINE = (
    PEAK
    + """
import json, time
from python_calamine import CalamineWorkbook
start = time.perf_counter()
book = CalamineWorkbook.from_path(sys.argv[1])
values = [book.get_sheet_by_name(name).to_python() for name in book.sheet_names]
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "rows": sum(map(len, values)),
                  "peak_mib": peak_mib()}))
"""
)

SR_COST = (
    PEAK
    + """
import json, time
from pathlib import Path
from sr_cost.inputs.forms import read_forms
start = time.perf_counter()
bundle = read_forms(Path(sys.argv[1]))
seconds = time.perf_counter() - start
assert not bundle.read_problems, bundle.read_problems[:3]
print(json.dumps({"seconds": seconds, "rows": sum(len(t) for t in bundle.tables.values()),
                  "openpyxl": "openpyxl" in sys.modules, "peak_mib": peak_mib()}))
"""
)


def _child(code: str, path: Path) -> dict:
    result = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, cwd=ROOT)
    if result.returncode != 0:
        raise SystemExit(f"failed on {path}:\n{result.stderr}")
    return json.loads(result.stdout)


def measure_one(path: Path, runs: int) -> dict:
    """calamine and sr-cost reading one workbook, alternately in fresh processes: each one's times
    and peak memory, and the ratio (the median over runs of sr-cost's time ÷ calamine's in the same
    run)."""
    found: dict[str, list[dict]] = {"calamine": [], "sr-cost": []}
    for _ in range(runs):  # alternately, so that the machine's changes of speed fall on both
        found["calamine"].append(_child(CALAMINE, path))
        found["sr-cost"].append(_child(SR_COST, path))
    return {
        "path": path,
        "runs": found,
        "median": {k: statistics.median(r["seconds"] for r in v) for k, v in found.items()},
        "peak_mib": {k: max(r["peak_mib"] for r in v) for k, v in found.items()},
        "ratio": statistics.median(
            s["seconds"] / c["seconds"] for c, s in zip(found["calamine"], found["sr-cost"], strict=True)
        ),
        "rows": found["sr-cost"][0]["rows"],
        "openpyxl": found["sr-cost"][0]["openpyxl"],
    }


def measure(paths: list[Path], runs: int) -> list[dict]:
    results = []
    for path in paths:
        m = measure_one(path, runs)
        results.append(m)
        print(f"\n{path.name} ({path.stat().st_size / 2**20:.1f} MiB; {runs} runs each)")
        for k, v in m["runs"].items():
            times = ", ".join(f"{r['seconds']:.2f}" for r in v)
            print(
                f"  {k:9} median {m['median'][k]:6.2f} s  [{times}]  peak RSS {m['peak_mib'][k]:.0f} MiB"
                f"  ({v[0]['rows']:,} rows)" + (f"  openpyxl imported: {m['openpyxl']}" if k == "sr-cost" else "")
            )
        print(f"  ratio sr-cost / calamine (median of the runs' ratios): {m['ratio']:.2f}")
    return results


def ensure_workbooks(forms: Path, out: Path) -> list[Path]:
    """The two national workbooks in ``out``, written from the CSV forms if they are not there."""
    paths = [out / "national_openpyxl.xlsx", out / "national_excel.xlsx"]
    if not all(p.exists() for p in paths):
        sheets = read_forms_csv(forms)
        out.mkdir(parents=True, exist_ok=True)
        write_openpyxl(sheets, paths[0])
        write_excel(sheets, paths[1])
        for p in paths:
            print(f"wrote {p} ({p.stat().st_size / 2**20:.1f} MiB)", file=sys.stderr)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("forms", type=Path, help="a folder of the benchmark's CSV forms (benchmarks/generate.py)")
    parser.add_argument("out", type=Path, help="folder to write national_openpyxl.xlsx and national_excel.xlsx into")
    parser.add_argument("--measure", action="store_true", help="time reading them (writes them first if missing)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    paths = ensure_workbooks(args.forms, args.out)
    if args.measure:
        measure(paths, args.runs)


if __name__ == "__main__":
    main()
