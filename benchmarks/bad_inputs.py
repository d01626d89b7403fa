#!/usr/bin/env python3
"""Time and memory of each case of the bad-input corpus (tests/bad_inputs/cases.toml), one at a time.

    python benchmarks/bad_inputs.py [CASE ...] [--slowest 15]

The corpus's test (tests/test_bad_inputs.py) runs the cases a few at a time under a 500 MB
address-space limit, with a generous timeout that only guards against a hang: on a loaded machine
its wall times say little. This script runs each case alone, as the test lays it out, with the same
500 MB limit, and measures its wall time and its peak resident memory (``os.wait4``'s rusage of that
process alone). It lists the slowest cases and exits 1 if any took 10 s or more, or ended on the
memory limit (a MemoryError or a crash). POSIX only (the memory limit and ``wait4``).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from test_bad_inputs import CASES, MEMORY_LIMIT, prepare_case, runnable  # noqa: E402

LIMIT_SECONDS = 10.0  # [s] what each case is promised (the "under 10 s")


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def measure(name: str) -> tuple[float, float, int]:
    """Wall time [s], peak resident memory [MB] and exit status of case ``name`` run alone (-1: it
    ended in a traceback, a MemoryError among them)."""
    case = CASES[name]
    with tempfile.TemporaryDirectory() as folder, tempfile.TemporaryDirectory() as tmp:
        err = Path(tmp) / "stderr.txt"
        args = prepare_case(name, case, Path(folder))
        env = {**os.environ, "NO_COLOR": "1", "TERM": "dumb", "TMPDIR": tmp, "TEMP": tmp, "TMP": tmp}
        with err.open("wb") as stderr:
            start = time.perf_counter()
            process = subprocess.Popen(
                [sys.executable, "-m", "sr_cost", *args],
                cwd=folder,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                stdin=subprocess.DEVNULL,
                preexec_fn=_limit_memory,
            )
            _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        if b"Traceback" in err.read_bytes():
            code = -1
    peak_mb = usage.ru_maxrss / 1024 if sys.platform != "darwin" else usage.ru_maxrss / 2**20
    return seconds, peak_mb, code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("cases", nargs="*", help="cases to run (default: all)")
    parser.add_argument("--slowest", type=int, default=15, help="how many of the slowest to list")
    a = parser.parse_args()
    names = a.cases or [n for n, case in CASES.items() if runnable(case)]
    results = []
    for name in names:
        seconds, peak, code = measure(name)
        results.append((seconds, peak, code, name))
    bad = [r for r in results if r[0] >= LIMIT_SECONDS or r[2] != CASES[r[3]]["exit"]]
    print(f"{len(results)} case(s), one at a time, {MEMORY_LIMIT >> 20} MB address space each")
    print(f"{'case':<40} {'seconds':>8} {'peak MB':>8} {'exit':>5}")
    for seconds, peak, code, name in sorted(results, reverse=True)[: a.slowest]:
        print(f"{name:<40} {seconds:8.2f} {peak:8.0f} {code:5d}")
    total = sum(r[0] for r in results)
    slowest, most = max(r[0] for r in results), max(r[1] for r in results)
    print(f"total {total:.1f} s; the slowest {slowest:.2f} s; most memory {most:.0f} MB")
    for seconds, _, code, name in bad:
        print(f"NOT AS PROMISED: {name}: {seconds:.2f} s, exit {code} (expected {CASES[name]['exit']})")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
