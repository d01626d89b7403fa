#!/usr/bin/env python3
"""What each step of the bootstrap's resampling buys, measured one step at a time.

    python benchmarks/bootstrap_steps.py [--respondents 50000] [--resamples 10000] [--runs 7]

The national survey's shape: four groups (two phases x intervention and control) of a quarter of
the respondents each, every group resampled ``--resamples`` times with its own random stream, and
each resample summed exactly (int64). Each variant below adds one step to the one before; each
must give the same sums, to the last digit, as the first (a variant that would change the figures
is shown apart, as measured and not kept). The variants take turns within each run, so a busy
moment of the machine falls on all of them, and each ratio is the median over the runs of the
variant's time / the first variant's time in the same run: wall time, and the process's CPU time
(what the threads save is wall time only, and only while a processor is free).

This is numpy alone, on made-up costs (the time does not depend on the values): the library's
bootstrap is ``sr_cost.core.savings``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

SEED = 2021


def streams(groups: int) -> list[np.random.SeedSequence]:
    return np.random.SeedSequence(SEED).spawn(groups)


def resample(
    values: np.ndarray, seed, reps: int, *, itype=np.int64, block=4_000_000, take=False, narrow=False
) -> np.ndarray:
    """Sums of ``reps`` resamples of ``values``: indices drawn ``block`` cells at a time (``narrow``:
    the values gathered as int32 and added up as int64)."""
    n = len(values)
    if narrow:
        values = values.astype(np.int32)
    rng = np.random.default_rng(seed)
    out = np.empty(reps, dtype=np.int64)
    step = max(1, block // n)
    for start in range(0, reps, step):
        stop = min(reps, start + step)
        idx = rng.integers(0, n, size=(stop - start, n), dtype=itype)
        out[start:stop] = (values.take(idx) if take else values[idx]).sum(axis=1, dtype=np.int64)
    return out


def serial(groups, seeds, reps, **options):
    return [resample(v, s, reps, **options) for v, s in zip(groups, seeds)]


def threaded(groups, seeds, reps, **options):
    with ThreadPoolExecutor(min(len(groups), os.cpu_count() or 1)) as pool:
        return list(pool.map(lambda vs: resample(vs[0], vs[1], reps, **options), zip(groups, seeds)))


def multinomial(groups, seeds, reps, **_):
    """Counts of each distinct cost instead of indices (numpy's multinomial draws binomials with
    floating-point arithmetic, which numpy does not promise to repeat on every platform)."""
    out = []
    for values, seed in zip(groups, seeds):
        distinct, counts = np.unique(values, return_counts=True)
        rng = np.random.default_rng(seed)
        drawn = rng.multinomial(len(values), counts / len(values), size=reps)
        out.append(drawn @ distinct)
    return out


FAST = {"block": 262_144, "take": True}
KEPT = [
    ("before: int64 indices, 4M-cell chunks, fancy indexing", serial, {}),
    ("256K-cell blocks (2 MiB of indices: they stay in cache)", serial, {"block": 262_144}),
    ("+ ndarray.take to gather", serial, FAST),
    ("+ the groups in threads (numpy lets go of the GIL)", threaded, FAST),
    ("+ the costs gathered as int32, added up as int64", threaded, {**FAST, "narrow": True}),
]
NOT_KEPT = [
    ("uint32 indices (the same draws; take casts them to int64 first)", threaded, {**FAST, "itype": np.uint32}),
    ("uint16 indices (other draws)", threaded, {**FAST, "itype": np.uint16}),
    ("multinomial counts of the distinct costs (other draws, floating point)", multinomial, {}),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--respondents", type=int, default=50_000)
    parser.add_argument("--resamples", type=int, default=10_000)
    parser.add_argument("--distinct", type=int, default=300, help="distinct costs in a group (for the multinomial)")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    n = args.respondents // 4
    rng = np.random.default_rng(1)
    groups = [rng.choice(rng.integers(1, 1_500_000_000, args.distinct), n) for _ in range(4)]
    seeds = streams(4)
    variants = KEPT + ([] if n > 65_535 else NOT_KEPT)
    reference = serial(groups, seeds, args.resamples)
    times: dict[str, list[float]] = {name: [] for name, _, _ in variants}
    cpu: dict[str, list[float]] = {name: [] for name, _, _ in variants}
    for run in range(args.runs):
        for name, how, options in variants:
            start, start_cpu = time.perf_counter(), time.process_time()
            got = how(groups, seeds, args.resamples, **options)
            times[name].append(time.perf_counter() - start)
            cpu[name].append(time.process_time() - start_cpu)
            same = all((a == b).all() for a, b in zip(got, reference))
            if (name, how, options) in KEPT + NOT_KEPT[:1] and not same:
                raise SystemExit(f"{name}: the sums differ")
        print(f"run {run + 1}/{args.runs}, load {os.getloadavg()[0]:.2f}", flush=True)
    first, first_cpu = times[KEPT[0][0]], cpu[KEPT[0][0]]
    print(f"\n{args.respondents:,} respondents in 4 groups x {args.resamples:,} resamples, {os.cpu_count()} CPUs")
    print("| step | wall [s] | ÷ before | CPU [s] | ÷ before | same sums | kept |")
    print("|---|---:|---:|---:|---:|---|---|")
    for name, how, options in variants:
        ratio = statistics.median(a / b for a, b in zip(times[name], first))
        ratio_cpu = statistics.median(a / b for a, b in zip(cpu[name], first_cpu))
        same = "yes" if (name, how, options) in KEPT + NOT_KEPT[:1] else "no"
        kept = "yes" if (name, how, options) in KEPT else "no"
        print(
            f"| {name} | {statistics.median(times[name]):.2f} | {ratio:.2f} | {statistics.median(cpu[name]):.2f} "
            f"| {ratio_cpu:.2f} | {same} | {kept} |"
        )


if __name__ == "__main__":
    main()
