"""The console command, run as a user runs it: what it printed is all there, its exit status is the
one it meant, and output to a reader that stops early ends it quietly."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import pytest

from conftest import TRIAL


def run(*args: str, code: str | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-c", code] if code else [sys.executable, "-m", "sr_cost", *args]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # stdout buffered, as usual
    return subprocess.run(command, capture_output=True, text=True, encoding="utf-8", timeout=60, env=env)


def test_everything_printed_is_flushed_before_the_process_ends():
    small = run("estimate", str(TRIAL), "--bootstrap", "0", "-f", "csv")  # under one buffer's worth
    assert small.returncode == 0, small.stderr
    rows = list(csv.DictReader(io.StringIO(small.stdout)))
    assert [r["la"] for r in rows if r.get("phase") == "1"][:1] == ["LA1"] and small.stdout.endswith("\n")
    large = run("estimate", str(TRIAL), "--bootstrap", "0", "-f", "json")
    assert large.returncode == 0, large.stderr
    assert json.loads(large.stdout)["las"]


def test_exit_statuses_are_kept():
    assert run("--help").returncode == 0
    assert run("estimate", "no-such-forms").returncode == 1
    assert run("estimate", "--no-such-option").returncode == 2


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="sizes a pipe with Linux's F_SETPIPE_SZ")
def test_output_to_a_reader_that_stops_early_ends_quietly_as_other_tools_do():
    # as `sr-cost estimate examples/trial | head -c 100`: the pipe's buffer made small, so the
    # output outgrows it
    import fcntl
    import signal

    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    read, write = os.pipe()
    fcntl.fcntl(write, 1031, 4096)  # F_SETPIPE_SZ
    process = subprocess.Popen(
        [sys.executable, "-m", "sr_cost", "estimate", str(TRIAL)], stdout=write, stderr=subprocess.PIPE, env=env
    )
    os.close(write)
    with os.fdopen(read, "rb") as reader:
        first = reader.read(100)
    stderr = process.communicate(timeout=60)[1]
    assert first.startswith(b"Set-up cost")
    assert process.returncode == -signal.SIGPIPE  # 141 in the shell, not 1 (bad data)
    assert stderr == b""  # no traceback, no "Exception ignored"
