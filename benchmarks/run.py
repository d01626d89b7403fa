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

The costing ratios use ``--bootstrap 0``: the bootstrap (10,000 resamples of every respondent by
default) is measured on its own, on the national survey, and reported beside them.
"""

from __future__ import annotations

import argparse
import datetime as dt
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
FORMS = ("training", "rounds", "panel", "steering", "survey", "staff")


@dataclass
class Command:
    name: str
    argv: list[str]
    what: str
    output: bool = False  # writes a file: give it a fresh path each run
    times: list[float] = field(default_factory=list)
    peaks: list[int] = field(default_factory=list)  # [KiB]

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def peak_mib(self) -> float:
        return max(self.peaks) / 1024


def run_once(cmd: Command, scratch: Path, index: int) -> None:
    argv = list(cmd.argv)
    if cmd.output:
        target = scratch / f"{cmd.name}-{index}{Path(argv[-1]).suffix}"
        argv[-1] = str(target)
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
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
        [sys.executable, "-c", "import importlib.metadata as m;print(', '.join(f'{p} {m.version(p)}' for p in "
         "('sr-cost','pandas','numpy','openpyxl','typer','rich','pydantic')))"],
        capture_output=True, text=True).stdout.strip()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True,
                           cwd=ROOT).stdout.strip()
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


def pandas_floor(folder: Path) -> list[str]:
    files = [str(folder / f"{name}.csv") for name in FORMS]
    return [sys.executable, "-c", f"import pandas as pd\nfor f in {files!r}:\n    pd.read_csv(f)"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path, help="the folder generate.py wrote (national/, national_x10/)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each command (median reported)")
    parser.add_argument("--sr-cost", default=shutil.which("sr-cost") or str(Path(sys.executable).with_name("sr-cost")),
                        help="the sr-cost executable")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "RESULTS.md")
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
        Command("import_typer", [py, "-c", "import typer"], "`python -c \"import typer\"`"),
        Command("trial", [sr, "estimate", "examples/trial"], "`sr-cost estimate examples/trial`"),
        Command("import_stack", [py, "-c", "import pandas, pydantic, rich, typer"],
                "`python -c \"import pandas, pydantic, rich, typer\"`"),
        Command("nat_table", [sr, "estimate", str(nat), "--bootstrap", "0"],
                "`sr-cost estimate national --bootstrap 0` (table)"),
        Command("nat_json", [sr, "estimate", str(nat), "--bootstrap", "0", "-f", "json", "-o", "out.json"],
                "`sr-cost estimate national --bootstrap 0 -f json -o FILE`", output=True),
        Command("nat_pandas", pandas_floor(nat), "`python -c` reading the national CSV files with `pandas.read_csv`"),
        Command("x10_table", [sr, "estimate", str(x10), "--bootstrap", "0"],
                "`sr-cost estimate national_x10 --bootstrap 0` (table)"),
        Command("x10_json", [sr, "estimate", str(x10), "--bootstrap", "0", "-f", "json", "-o", "out.json"],
                "`sr-cost estimate national_x10 --bootstrap 0 -f json -o FILE`", output=True),
        Command("x10_pandas", pandas_floor(x10), "`python -c` reading the national_x10 CSV files with `pandas.read_csv`"),
        Command("nat_bootstrap", [sr, "estimate", str(nat), "-f", "json", "-o", "out.json"],
                "`sr-cost estimate national -f json -o FILE` (bootstrap 10,000, the default)", output=True),
    ]
    if has_excel:
        commands.append(Command("nat_excel", [sr, "estimate", str(nat), "--bootstrap", "0", "--excel", "out.xlsx"],
                                "`sr-cost estimate national --bootstrap 0 --excel FILE`", output=True))
    info = machine()
    with tempfile.TemporaryDirectory(prefix="sr-bench-out-") as scratch:
        for cmd in commands:  # warm-up: file cache, .pyc files
            run_once(cmd, Path(scratch), -1)
            cmd.times.clear()
            cmd.peaks.clear()
        for i in range(args.runs):
            for cmd in commands:
                run_once(cmd, Path(scratch), i)
                print(f"run {i + 1}/{args.runs} {cmd.name}: {cmd.times[-1]:.3f} s, {cmd.peaks[-1] / 1024:.0f} MiB",
                      file=sys.stderr)
    by = {c.name: c for c in commands}
    ratios = [
        ("`sr-cost --help` ÷ `import typer`", by["help"].median / by["import_typer"].median, 2, "at most"),
        ("`estimate examples/trial` ÷ `import pandas, pydantic, rich, typer`",
         by["trial"].median / by["import_stack"].median, 1.5, "at most"),
        ("`estimate` national (JSON) ÷ pandas reading the same CSVs", by["nat_json"].median / by["nat_pandas"].median,
         2, "at most"),
        ("`estimate` national (table) ÷ pandas reading the same CSVs", by["nat_table"].median / by["nat_pandas"].median,
         2, "at most"),
        ("`estimate` ×10 ÷ ×1 (JSON)", by["x10_json"].median / by["nat_json"].median, 11, "at most"),
        ("`estimate` ×10 ÷ ×1 (table)", by["x10_table"].median / by["nat_table"].median, 11, "at most"),
        ("peak memory of `estimate` national ×10 [MiB]", max(by["x10_json"].peak_mib, by["x10_table"].peak_mib), 1024,
         "under"),
    ]
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
        f"## Ratios (medians of {args.runs} runs)",
        "",
        "| ratio | measured | target | met |",
        "|---|---:|---:|---|",
    ]
    for name, value, target, how in ratios:
        ok = value <= target if how == "at most" else value < target
        shown = f"{value:.0f}" if target > 100 else f"{value:.2f}"
        lines.append(f"| {name} | {shown} | {how} {target} | {'yes' if ok else '**no**'} |")
    lines += [
        "",
        "## Every command",
        "",
        "| command | median [s] | min [s] | max [s] | peak memory [MiB] |",
        "|---|---:|---:|---:|---:|",
    ]
    for c in commands:
        lines.append(f"| {c.what} | {c.median:.3f} | {min(c.times):.3f} | {max(c.times):.3f} | {c.peak_mib:.0f} |")
    if not has_excel:
        lines += ["", "The Excel export (`estimate --excel`) is not in this build of sr-cost: not measured."]
    boot = by["nat_bootstrap"].median - by["nat_json"].median
    lines += [
        "",
        "## The bootstrap",
        "",
        f"With the default 10,000 bootstrap resamples of the 50,000 national respondents (5 × 10⁸ resampled "
        f"values), `estimate` national takes {by['nat_bootstrap'].median:.2f} s, {boot:.2f} s more than with "
        "`--bootstrap 0`. The costing ratios above are measured with `--bootstrap 0`, since they are about the "
        "costing; the bootstrap's time grows with respondents × resamples (at ×10, 5 × 10⁹ values: about ten "
        "times as long), and `--bootstrap N` sets it.",
        "",
    ]
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
