#!/usr/bin/env python3
"""Time sr-cost as whole processes and write benchmarks/RESULTS.md.

    python benchmarks/generate.py /tmp/sr-bench
    python benchmarks/run.py /tmp/sr-bench --runs 7

Every command runs as a separate process, as a user would run it: the wall time is
``time.perf_counter`` around the process, the peak memory its ``ru_maxrss`` (from ``os.wait4``).
Each figure is the median of ``--runs`` runs, after one warm-up run; the commands take turns run
by run, so that a busy moment of the machine does not fall on one command only. The floors are
``python -c`` processes in the same interpreter: importing typer; importing pandas, pydantic, rich
and typer; and reading the same CSV files with pandas.

A ratio is the median, over the runs, of the two commands' times in the same run. The costing
ratios use ``--bootstrap 0``: the bootstrap (10,000 resamples of every respondent by
default) is measured on its own, on the national survey, and reported beside them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Python may cache compiled modules, as it does after a normal install (an environment that sets
# PYTHONDONTWRITEBYTECODE would otherwise compile sr-cost's modules again on every run).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
FORMS = ("training", "rounds", "panel", "steering", "survey", "staff")


@dataclass
class Command:
    name: str
    argv: list[str]
    what: str
    output: bool = False  # writes a file: give it a fresh path each run
    runs: int | None = None  # fewer runs than the others (a slow command)
    times: list[float] = field(default_factory=list)
    peaks: list[int] = field(default_factory=list)  # [KiB]

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def peak_mib(self) -> float:
        return max(self.peaks) / 1024


def paired(cmd: Command, floor: Command) -> float:
    """The median over runs of the command's time ÷ the floor's time in the same run (the two ran one
    after the other, so a busy moment of the machine falls on both)."""
    return statistics.median(a / b for a, b in zip(cmd.times, floor.times))


def run_once(cmd: Command, scratch: Path, index: int) -> None:
    argv = list(cmd.argv)
    if cmd.output:
        target = scratch / f"{cmd.name}-{index}{Path(argv[-1]).suffix}"
        argv[-1] = str(target)
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT, env=ENV)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{cmd.name} failed ({proc.returncode}): {' '.join(argv)}\n{err}")
    cmd.times.append(elapsed)
    cmd.peaks.append(usage.ru_maxrss)
    if cmd.output:
        target.unlink(missing_ok=True)


def machine() -> list[tuple[str, str]]:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    versions = subprocess.run(
        [
            sys.executable,
            "-c",
            "import importlib.metadata as m;print(', '.join(f'{p} {m.version(p)}' for p in "
            "('sr-cost','pandas','numpy','openpyxl','typer','rich','pydantic')))",
        ],
        capture_output=True,
        text=True,
    ).stdout.strip()
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    return [
        ("date", dt.datetime.now().strftime("%Y-%m-%d %H:%M")),
        ("machine", f"{platform.system()} {platform.release()} {platform.machine()}"),
        ("cpu", f"{cpu}, {os.cpu_count()} logical CPUs"),
        ("memory", memory),
        ("load average at start", " ".join(f"{x:.2f}" for x in os.getloadavg())),
        ("python", f"{platform.python_implementation()} {platform.python_version()} ({sys.executable})"),
        ("packages", versions),
        ("sr-cost commit", commit + (" with uncommitted changes" if dirty else "")),
    ]


# Where the time of `estimate national --bootstrap 0 -f json` goes, measured inside one process
# with the library's own steps (what `sr_cost.api.run_estimate` and the CLI do), one by one.
PHASES = r"""
import json, sys, time
t = [time.perf_counter()]
def lap():
    t.append(time.perf_counter())
import pandas
lap()
import sr_cost.cli
from sr_cost.core.costing import estimate
from sr_cost.core.estimate import Assumptions
from sr_cost.core.savings import SavingsAssumptions, savings
from sr_cost.core.unit_costs import AbsenceBasis
from sr_cost.inputs.form_lines import validate_cost_forms
from sr_cost.inputs.forms import COST_SHEETS, SURVEY_SHEETS, read_forms
from sr_cost.inputs.survey import staff_coverage, validate_survey
from sr_cost.inputs.unit_costs import load_table
from sr_cost.outputs import json_csv
lap()
from pathlib import Path
folder = Path(sys.argv[1])
table = load_table(None, None)
bundle = read_forms(folder, sheets=COST_SHEETS)
lap()
forms = validate_cost_forms(bundle, table)
lap()
est = estimate(forms, Assumptions())
lap()
survey_forms = read_forms(folder, sheets=SURVEY_SHEETS)
survey = staff_coverage(validate_survey(survey_forms, table, AbsenceBasis.unit_cost),
                        {(la.la, la.phase) for la in est.las})
lap()
result = savings(survey, est, SavingsAssumptions(bootstrap=0))
lap()
json_csv.to_json(json_csv.estimate_to_dict(est, table))
lap()
names = ["import pandas", "import sr-cost (typer, rich, numpy, its modules)",
         "read the cost forms (and hash every form file, in a thread)", "validate the cost forms",
         "cost them (estimate)", "read and validate the survey", "savings (no bootstrap)", "JSON"]
print(json.dumps(dict(zip(names, [b - a for a, b in zip(t, t[1:])]))))
"""


def phases(folder: Path, runs: int) -> dict[str, float]:
    found: dict[str, list[float]] = {}
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", PHASES, str(folder)], capture_output=True, text=True, env=ENV, cwd=ROOT, check=True
        ).stdout
        for name, seconds in json.loads(out).items():
            found.setdefault(name, []).append(seconds)
    return {name: statistics.median(times) for name, times in found.items()}


# Why a ratio is not met, when it is not (shown only then).
SHORT = {
    "help": "Typer renders help with rich (`typer.rich_utils` imports rich's markdown, console and tables: "
    "about 90 ms). `typer.Typer(rich_markup_mode=None)` in `sr_cost/cli.py` (plain Click help) brings "
    "`sr-cost --help` to about 1.2 times `import typer` on this machine.",
    "nat_json": "The floor pays for Python and pandas and for the C parser; sr-cost pays for those and for Typer "
    "and pydantic, its own modules, and the work the floor does not do: every distinct value checked "
    "exactly (Decimal), duplicate-line and cross-form checks and exact integer costing. See the "
    "breakdown below.",
    "nat_table": "Everything the JSON run does (see above and the breakdown below), and then importing rich and "
    "rendering the summary tables.",
    "x10": "",
    "memory": "",
    "trial": "",
}


def pandas_floor(folder: Path) -> list[str]:
    files = [str(folder / f"{name}.csv") for name in FORMS]
    return [sys.executable, "-c", f"import pandas as pd\nfor f in {files!r}:\n    pd.read_csv(f)"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path, help="the folder generate.py wrote (national/, national_x10/)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each command (median reported)")
    parser.add_argument(
        "--sr-cost",
        default=shutil.which("sr-cost") or str(Path(sys.executable).with_name("sr-cost")),
        help="the sr-cost executable",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "RESULTS.md")
    parser.add_argument(
        "--xlsx-runs",
        type=int,
        default=5,
        help="runs of reading the national forms workbooks (0: skip; benchmarks/xlsx_workbook.py)",
    )
    parser.add_argument(
        "--excel-runs", type=int, default=1, help="runs of the Excel export at national scale (0: skip it; it is slow)"
    )
    parser.add_argument(
        "--x10-bootstrap-runs",
        type=int,
        default=3,
        help="runs of `estimate` national ×10 with the default bootstrap (0: skip it; it is slow)",
    )
    args = parser.parse_args()
    sr, py = args.sr_cost, sys.executable
    nat, x10 = args.data / "national", args.data / "national_x10"
    for folder in (nat, x10):
        if not (folder / "rounds.csv").exists():
            raise SystemExit(f"{folder} has no forms: run  python benchmarks/generate.py {args.data}")
    help_text = subprocess.run([sr, "estimate", "--help"], capture_output=True, text=True).stdout
    has_excel = "--excel" in help_text
    commands = [
        Command("help", [sr, "--help"], "`sr-cost --help`"),
        Command("import_typer", [py, "-c", "import typer"], '`python -c "import typer"`'),
        Command("trial", [sr, "estimate", "examples/trial"], "`sr-cost estimate examples/trial`"),
        Command(
            "import_stack",
            [py, "-c", "import pandas, pydantic, rich, typer"],
            '`python -c "import pandas, pydantic, rich, typer"`',
        ),
        Command(
            "nat_table",
            [sr, "estimate", str(nat), "--bootstrap", "0"],
            "`sr-cost estimate national --bootstrap 0` (table)",
        ),
        Command(
            "nat_json",
            [sr, "estimate", str(nat), "--bootstrap", "0", "-f", "json", "-o", "out.json"],
            "`sr-cost estimate national --bootstrap 0 -f json -o FILE`",
            output=True,
        ),
        Command("nat_pandas", pandas_floor(nat), "`python -c` reading the national CSV files with `pandas.read_csv`"),
        Command(
            "x10_table",
            [sr, "estimate", str(x10), "--bootstrap", "0"],
            "`sr-cost estimate national_x10 --bootstrap 0` (table)",
        ),
        Command(
            "x10_json",
            [sr, "estimate", str(x10), "--bootstrap", "0", "-f", "json", "-o", "out.json"],
            "`sr-cost estimate national_x10 --bootstrap 0 -f json -o FILE`",
            output=True,
        ),
        Command(
            "x10_pandas", pandas_floor(x10), "`python -c` reading the national_x10 CSV files with `pandas.read_csv`"
        ),
        Command(
            "nat_bootstrap",
            [sr, "estimate", str(nat), "-f", "json", "-o", "out.json"],
            "`sr-cost estimate national -f json -o FILE` (bootstrap 10,000, the default)",
            output=True,
        ),
        Command(
            "nat_compare",
            [sr, "compare", str(nat), "--bootstrap", "0", "-f", "json", "-o", "out.json"],
            "`sr-cost compare national --bootstrap 0 -f json -o FILE`",
            output=True,
        ),
        Command(
            "nat_sensitivity",
            [sr, "compare", str(nat), "--bootstrap", "0", "--sensitivity", "-f", "json", "-o", "out.json"],
            "`sr-cost compare national --bootstrap 0 --sensitivity -f json -o FILE`",
            output=True,
        ),
    ]
    if args.x10_bootstrap_runs:
        commands.append(
            Command(
                "x10_bootstrap",
                [sr, "estimate", str(x10), "-f", "json", "-o", "out.json"],
                "`sr-cost estimate national_x10 -f json -o FILE` (bootstrap 10,000, the default)",
                output=True,
                runs=args.x10_bootstrap_runs,
            )
        )
    if has_excel and args.excel_runs:
        commands.append(
            Command(
                "nat_excel",
                [sr, "estimate", str(nat), "--bootstrap", "0", "--excel", "out.xlsx"],
                "`sr-cost estimate national --bootstrap 0 --excel FILE`",
                output=True,
                runs=args.excel_runs,
            )
        )
    info = machine()
    with tempfile.TemporaryDirectory(prefix="sr-bench-out-") as scratch:
        for cmd in commands:  # warm-up: file cache, .pyc files
            if cmd.runs is None:
                run_once(cmd, Path(scratch), -1)
                cmd.times.clear()
                cmd.peaks.clear()
        for i in range(args.runs):
            for cmd in commands:
                if cmd.runs is not None and i >= cmd.runs:
                    continue
                run_once(cmd, Path(scratch), i)
                print(
                    f"run {i + 1}/{args.runs} {cmd.name}: {cmd.times[-1]:.3f} s, {cmd.peaks[-1] / 1024:.0f} MiB",
                    file=sys.stderr,
                )
    by = {c.name: c for c in commands}
    breakdown = phases(nat, args.runs)
    workbooks = []
    if args.xlsx_runs:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import xlsx_workbook

        for path in xlsx_workbook.ensure_workbooks(nat, args.data):
            print(f"reading {path.name} ({args.xlsx_runs} runs)", file=sys.stderr)
            workbooks.append(xlsx_workbook.measure_one(path, args.xlsx_runs))
    ratios = [
        ("help", "`sr-cost --help` ÷ `import typer`", paired(by["help"], by["import_typer"]), 2, "at most"),
        (
            "trial",
            "`estimate examples/trial` ÷ `import pandas, pydantic, rich, typer`",
            paired(by["trial"], by["import_stack"]),
            1.5,
            "at most",
        ),
        (
            "nat_json",
            "`estimate` national (JSON) ÷ pandas reading the same CSVs",
            paired(by["nat_json"], by["nat_pandas"]),
            2.2,
            "at most",
        ),
        (
            "nat_table",
            "`estimate` national (table) ÷ pandas reading the same CSVs",
            paired(by["nat_table"], by["nat_pandas"]),
            2.5,
            "at most",
        ),
        ("x10", "`estimate` ×10 ÷ ×1 (JSON)", paired(by["x10_json"], by["nat_json"]), 11, "at most"),
        ("x10", "`estimate` ×10 ÷ ×1 (table)", paired(by["x10_table"], by["nat_table"]), 11, "at most"),
        (
            "memory",
            "peak memory of `estimate` national ×10 [MiB]",
            max(by["x10_json"].peak_mib, by["x10_table"].peak_mib),
            1024,
            "under",
        ),
        (
            "sensitivity",
            "`compare --sensitivity` national ÷ `compare` national (both `--bootstrap 0`, JSON)",
            paired(by["nat_sensitivity"], by["nat_compare"]),
            3,
            "at most",
        ),
        (
            "sensitivity_memory",
            "peak memory of `compare --sensitivity` national [MiB]",
            by["nat_sensitivity"].peak_mib,
            300,
            "under",
        ),
        (
            "nat_bootstrap",
            "`estimate` national (JSON, the default 10,000 bootstrap resamples) ÷ pandas reading the same CSVs",
            paired(by["nat_bootstrap"], by["nat_pandas"]),
            3,
            "at most",
        ),
    ]
    if "x10_bootstrap" in by:
        ratios.append(
            (
                "x10_bootstrap",
                f"`estimate` ×10 (JSON, the default bootstrap) [s, median of {len(by['x10_bootstrap'].times)}]",
                by["x10_bootstrap"].median,
                12,
                "at most",
            )
        )
    lines = [
        "# Benchmark results",
        "",
        "Written by `benchmarks/run.py`; reproduce with:",
        "",
        "```bash",
        f"python benchmarks/generate.py {args.data}",
        f"python benchmarks/run.py {args.data} --runs {args.runs}",
        "```",
        "",
        "The national forms (152 LAs, 2 phases, 36 monthly rounds each, about 30 lines a round: "
        "327,560 cost-form lines; a 50,000-respondent survey) and national ×10 (1,520 LAs, 3,275,600 lines, "
        "500,000 respondents) come from `benchmarks/generate.py` and are not committed.",
        "",
        "## Machine",
        "",
        *[f"- {k}: {v}" for k, v in info],
        "",
        f"## Ratios (medians over {args.runs} runs of the ratio within each run)",
        "",
        "| ratio | measured | target | met |",
        "|---|---:|---:|---|",
    ]
    short = []
    for key, name, value, target, how in ratios:
        ok = value <= target if how == "at most" else value < target
        shown = f"{value:.0f}" if target > 100 else f"{value:.2f}"
        lines.append(f"| {name} | {shown} | {how} {target} | {'yes' if ok else '**no**'} |")
        if not ok and SHORT.get(key):
            short.append(f"- {name}: {SHORT[key]}")
    for w in workbooks:
        flavour = "as Excel writes it" if "excel" in w["path"].name else "as openpyxl writes it"
        ok = w["ratio"] <= 3
        lines.append(
            f"| reading the national forms workbook {flavour} ÷ python-calamine reading its values "
            f"| {w['ratio']:.2f} | at most 3 | {'yes' if ok else '**no**'} |"
        )
        mem_ok = w["peak_mib"]["sr-cost"] < 500 * 10**6 / 2**20
        lines.append(
            f"| peak memory reading it [MiB] | {w['peak_mib']['sr-cost']:.0f} | under 477 (500 MB) | "
            f"{'yes' if mem_ok else '**no**'} |"
        )
    if short:
        lines += ["", "### Not met, and why", "", *short]
    total = sum(breakdown.values())
    lines += [
        "",
        f"## Where the time goes: `estimate` national, step by step in one process (medians of {args.runs})",
        "",
        "| step | [s] |",
        "|---|---:|",
        *[f"| {name} | {seconds:.3f} |" for name, seconds in breakdown.items()],
        f"| total | {total:.3f} |",
        "",
        "Python's own start-up, Typer's option parsing and writing the file are not in these steps.",
    ]
    lines += [
        "",
        "## Every command",
        "",
        "| command | median [s] | min [s] | max [s] | peak memory [MiB] |",
        "|---|---:|---:|---:|---:|",
    ]
    for c in commands:
        runs = f" ({len(c.times)} run{'s' if len(c.times) > 1 else ''})" if c.runs is not None else ""
        lines.append(
            f"| {c.what}{runs} | {c.median:.3f} | {min(c.times):.3f} | {max(c.times):.3f} | {c.peak_mib:.0f} |"
        )
    if not has_excel:
        lines += ["", "The Excel export (`estimate --excel`) is not in this build of sr-cost: not measured."]
    elif not args.excel_runs:
        lines += ["", "The Excel export (`estimate --excel`) was not measured (`--excel-runs 0`)."]
    if has_excel and args.excel_runs:
        lines += [
            "",
            "The Excel export writes every national cost-form line, round and respondent with live "
            "formulas. Before it wrote those long tables straight to the worksheet XML (sr-cost commit "
            "5f1e746), the same command took 217 to 267 s and 3.7 GB on this machine.",
        ]
    if workbooks:
        lines += [
            "",
            "## Forms workbooks",
            "",
            "The national forms as one workbook (`benchmarks/xlsx_workbook.py`): as openpyxl writes it (inline "
            "strings, no `<dimension>`) and as Excel writes it (shared strings, a `<dimension>`). Each read in a "
            "fresh process, alternately: python-calamine reading every sheet's values, and sr-cost's `read_forms` "
            "(every check included); the read itself, imports excluded.",
            "",
            "| workbook | calamine median [s] | sr-cost median [s] | ratio (median of the runs') | "
            "peak memory calamine / sr-cost [MiB] |",
            "|---|---:|---:|---:|---:|",
            *[
                f"| `{w['path'].name}` ({w['rows']:,} rows) | {w['median']['calamine']:.2f} | "
                f"{w['median']['sr-cost']:.2f} | {w['ratio']:.2f} | "
                f"{w['peak_mib']['calamine']:.0f} / {w['peak_mib']['sr-cost']:.0f} |"
                for w in workbooks
            ],
        ]
    boot = by["nat_bootstrap"].median - by["nat_json"].median
    x10 = by.get("x10_bootstrap")
    lines += [
        "",
        "## The bootstrap",
        "",
        f"With the default 10,000 bootstrap resamples of the 50,000 national respondents (5 × 10⁸ resampled "
        f"values), `estimate` national takes {by['nat_bootstrap'].median:.2f} s, {boot:.2f} s more than with "
        "`--bootstrap 0`. The costing ratios above are measured with `--bootstrap 0`, since they are about the "
        "costing; the bootstrap's time grows with respondents × resamples (at ×10, 5 × 10⁹ values: about ten "
        "times as long"
        + (
            f"; measured, {x10.median:.1f} s in all, {x10.median - by['x10_json'].median:.1f} s more than with "
            "`--bootstrap 0`"
            if x10
            else ""
        )
        + "), and `--bootstrap N` sets it. `python benchmarks/bootstrap_steps.py` measures what each step of "
        "the resampling buys.",
        "",
    ]
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
