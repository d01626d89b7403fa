#!/usr/bin/env python3
"""Show that two builds of sr-cost give the same output, byte for byte, apart from the version.

    python benchmarks/same_output.py BEFORE AFTER [--data /tmp/sr-bench]

BEFORE and AFTER are ``sr-cost`` executables (for example one installed from the previous commit
into its own virtual environment, and the one being checked). Each runs the same commands, on
``examples/trial`` and, with ``--data``, on the national benchmark set written by
``benchmarks/generate.py``; their standard output is compared after the one line that names the
version (``"sr_cost_version": "..."``) is blanked and the bundled unit-cost table's folder, which
depends on how sr-cost was installed, is written as ``(bundled)``. Exit 0 when every output is the same, 1 when any
differs (the first differing line of each is shown).
"""

from __future__ import annotations

import argparse
import difflib
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRIAL = ROOT / "examples" / "trial"
VERSION = re.compile(rb'"sr_cost_version": "[^"]*"')
# the bundled unit-cost table was named by where it is installed (a checkout, or site-packages);
# since issue 16 by its place in the repository (unit_costs/pssru_2019.csv): both read the same
BUNDLED = re.compile(rb'"(?:[^"]*?[/\\\\])?unit_costs[/\\\\](pssru_[0-9]{4}\.(?:csv|toml))"')

# (name, arguments after the executable); {forms} is the forms folder
TRIAL_COMMANDS = [
    ("estimate json", ["estimate", "{forms}", "-f", "json"]),
    ("estimate csv", ["estimate", "{forms}", "-f", "csv"]),
    (
        "estimate employer json",
        ["estimate", "{forms}", "-f", "json", "--absence-basis", "employer", "--bootstrap", "500", "--seed", "7"],
    ),
    ("savings json", ["savings", "{forms}", "-f", "json"]),
    ("savings csv", ["savings", "{forms}", "-f", "csv"]),
    ("compare json", ["compare", "{forms}", "-f", "json"]),
    (
        "compare by phase json",
        ["compare", "{forms}", "--by", "phase", "-f", "json", "--years", "5", "--uplift-to", "2021", "--uplift", "2.5"],
    ),
    ("compare sensitivity json", ["compare", "{forms}", "--sensitivity", "-f", "json"]),
    ("compare by phase sensitivity json", ["compare", "{forms}", "--by", "phase", "--sensitivity", "-f", "json"]),
]
NATIONAL_COMMANDS = [
    ("national estimate json", ["estimate", "{forms}", "--bootstrap", "0", "-f", "json"]),
    ("national estimate json bootstrap", ["estimate", "{forms}", "-f", "json"]),
    ("national savings json", ["savings", "{forms}", "--bootstrap", "0", "-f", "json"]),
    ("national compare json", ["compare", "{forms}", "--bootstrap", "0", "-f", "json"]),
    ("national compare sensitivity json", ["compare", "{forms}", "--bootstrap", "0", "--sensitivity", "-f", "json"]),
    (
        "national compare by phase sensitivity json",
        ["compare", "{forms}", "--by", "phase", "--bootstrap", "0", "--sensitivity", "-f", "json"],
    ),
]


def run(executable: str, args: list[str]) -> tuple[int, bytes, float]:
    start = time.perf_counter()
    done = subprocess.run([executable, *args], capture_output=True, cwd=ROOT)
    out = BUNDLED.sub(rb'"(bundled)/\1"', VERSION.sub(b'"sr_cost_version": ""', done.stdout))
    return done.returncode, out, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before", help="the sr-cost executable of the build to compare against")
    parser.add_argument("after", help="the sr-cost executable of the build being checked")
    parser.add_argument("--data", type=Path, help="the folder benchmarks/generate.py wrote (uses national/)")
    options = parser.parse_args()
    commands = [(name, args, TRIAL) for name, args in TRIAL_COMMANDS]
    if options.data is not None:
        commands += [(name, args, options.data / "national") for name, args in NATIONAL_COMMANDS]
    different = 0
    for name, args, forms in commands:
        argv = [a.format(forms=forms) for a in args]
        code_a, out_a, time_a = run(options.before, argv)
        code_b, out_b, time_b = run(options.after, argv)
        same = code_a == code_b == 0 and out_a == out_b
        print(
            f"{'same' if same else 'DIFFERENT':9} {name}: {len(out_b):,} bytes, exit {code_a}/{code_b}, "
            f"{time_a:.1f} s / {time_b:.1f} s"
        )
        if not same:
            different += 1
            diff = difflib.unified_diff(
                out_a.decode(errors="replace").splitlines(),
                out_b.decode(errors="replace").splitlines(),
                lineterm="",
                n=0,
            )
            for line in list(diff)[2:8]:
                print("          " + line)
    print(f"{len(commands) - different} of {len(commands)} outputs the same")
    return 1 if different else 0


if __name__ == "__main__":
    sys.exit(main())
