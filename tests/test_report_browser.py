"""The report opened as its readers will open it: the HTML in a real browser (headless Chromium:
a screenshot, and a print to A4 PDF whose first page is the summary), the Word document in
LibreOffice (converted to PDF). Their words hold the JSON's figures. In CI (``CI=true``) a missing
browser or LibreOffice fails these tests (tests/browser.py, tests/soffice.py)."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from test_report import BOOT, headline

from sr_cost.money import gbp

from browser import chromium, headless, pdf_text, pdftotext  # noqa: F401 - fixtures
from conftest import TRIAL, invoke
from soffice import convert, soffice  # noqa: F401 - a fixture


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    from typer.testing import CliRunner

    out = tmp_path_factory.mktemp("browser")
    runner = CliRunner()
    for name in ("report.html", "report.docx"):
        result = invoke(runner, "report", str(TRIAL), "-o", str(out / name), *BOOT)
        assert result.exit_code == 0, result.output
    est = json.loads(invoke(runner, "estimate", str(TRIAL), "--format", "json", *BOOT).output)
    cmp = json.loads(invoke(runner, "compare", str(TRIAL), "--sensitivity", "--format", "json", *BOOT).output)
    return out, est, cmp


@pytest.fixture(scope="module")
def printed(made, chromium, pdftotext):  # noqa: F811 - fixtures
    out, _, _ = made
    pdf = out / "report.pdf"
    headless(chromium, out / "report.html", f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    return pdf


def test_the_page_renders_to_a_screenshot_that_is_not_blank(made, chromium):  # noqa: F811
    from PIL import Image

    out, _, _ = made
    shot = out / "screenshot.png"
    headless(chromium, out / "report.html", f"--screenshot={shot}", "--window-size=1000,1400")
    with Image.open(shot) as image:
        pixels = image.convert("RGB")
        assert pixels.size == (1000, 1400)
        colours = pixels.getcolors(maxcolors=1 << 20)
        assert len(colours) > 50  # text, rules and the charts' colours, not one flat colour
        white = max(colours)[0] if max(colours)[1] == (255, 255, 255) else 0
        assert white < 0.97 * 1000 * 1400  # something is drawn on it


def test_the_printed_pages_hold_the_jsons_figures(made, printed, pdftotext):  # noqa: F811
    _, est, cmp = made
    text = re.sub(r"\s+", " ", pdf_text(pdftotext, printed))
    missing = [f for f in headline(est, cmp) if f not in text]
    assert not missing
    for la in est["las"]:
        assert gbp(Decimal(la["per_round"]["total"])) in text


def test_page_one_is_the_summary(made, printed, pdftotext):  # noqa: F811
    _, est, cmp = made
    first = re.sub(r"\s+", " ", pdf_text(pdftotext, printed, 1, 1))
    for heading in ("The answer", "A typical LA, each option", "What they may save, and how sure"):
        assert heading in first
    assert "What moves the answer most" in first
    missing = [f for f in headline(est, cmp) if f not in first]
    assert not missing  # every headline figure is on page one
    assert "Mean cost per round by LA and component" not in first  # the charts start on page two
    second = pdf_text(pdftotext, printed, 2, 2)
    assert "Charts" in second


def test_the_word_report_opens_in_libreoffice_with_the_same_figures(made, soffice, pdftotext, tmp_path):  # noqa: F811
    out, est, cmp = made
    (pdf,) = convert(soffice, [out / "report.docx"], tmp_path, to="pdf", app="--writer")
    text = re.sub(r"\s+", " ", pdf_text(pdftotext, pdf))
    missing = [f for f in headline(est, cmp) if f not in text]
    assert not missing
    first = pdf_text(pdftotext, pdf, 1, 1)
    assert "The answer" in first and "Charts" not in first
