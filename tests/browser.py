"""Chromium, headless, for the report tests: render a page, take a screenshot, print it to PDF;
and poppler's pdftotext for the PDF's words.

Tests that need them skip when they are not installed, except in CI (env ``CI=true``), where a
missing browser fails them: ``.ci/run`` installs Debian's ``chromium`` (and ``poppler-utils``), and
a browser test that silently skips would prove nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

# as root, Chromium needs --no-sandbox; the rest keep a headless run from reaching the network
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)


def _required(what: str, install: str) -> None:
    if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
        pytest.fail(f"{what} is required in CI to test the report; install {install} (.ci/run does)")
    pytest.skip(f"{what} is not installed")


@pytest.fixture(scope="session")
def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    _required("Chromium", "Debian's chromium")
    raise AssertionError("unreachable")


@pytest.fixture(scope="session")
def pdftotext() -> str:
    path = shutil.which("pdftotext")
    if path is None:
        _required("pdftotext", "poppler-utils")
    return path


def headless(chromium: str, page: Path, *args: str) -> None:
    """Run Chromium on ``page`` with a fresh profile folder, and check that it did what was asked."""
    with tempfile.TemporaryDirectory(prefix="sr-cost-chromium-") as profile:
        done = subprocess.run(
            [chromium, *FLAGS, f"--user-data-dir={profile}", *args, page.resolve().as_uri()],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]


def pdf_text(pdftotext: str, pdf: Path, first: int | None = None, last: int | None = None) -> str:
    pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    done = subprocess.run([pdftotext, "-layout", *pages, str(pdf), "-"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout
