"""LibreOffice for the workbook tests: recalculate every formula of a workbook as a spreadsheet
program does, by converting it with ``soffice --headless``.

Tests that need it skip when LibreOffice is not installed, except in CI (env ``CI=true``), where a
missing LibreOffice fails them: ``.ci/run`` installs it, and a recalculation test that silently
skips would prove nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture(scope="session")
def soffice() -> str:
    path = soffice_path()
    if path is None:
        if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
            pytest.fail(
                "LibreOffice (soffice) is required in CI to recalculate the exported workbooks; "
                "install libreoffice-calc-nogui (.ci/run does)"
            )
        pytest.skip("LibreOffice (soffice) is not installed")
    return path


def convert(soffice: str, files: list[Path], out_dir: Path, to: str = "xlsx", app: str = "--calc") -> list[Path]:
    """Open each file in LibreOffice (Calc, or ``app``: ``--writer`` for a Word document), recalculate,
    and save it as ``to`` in ``out_dir``. A private profile folder keeps parallel runs apart."""
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = out_dir / ".lo-profile"
    result = subprocess.run(
        [
            soffice,
            "--headless",
            app,
            f"-env:UserInstallation={profile.resolve().as_uri()}",
            "--convert-to",
            to,
            "--outdir",
            str(out_dir),
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    outputs = [out_dir / (f.stem + "." + to.split(":")[0]) for f in files]
    missing = [p for p in outputs if not p.is_file()]
    assert result.returncode == 0 and not missing, f"soffice failed: {result.stdout}\n{result.stderr}"
    return outputs
