"""The report as a Word document (python-docx), for councils whose committee papers are Word: the
same sections, words and figures as the HTML page, A4, the summary on page one. Word cannot take
the inline SVG charts, so each chart appears as the table of its figures, titled as the chart."""

from __future__ import annotations

from pathlib import Path

from sr_cost.outputs.files import write_atomic
from sr_cost.outputs.report_model import Chart, Report, Section, Table


def _table(doc, t: Table) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    if t.caption:
        doc.add_paragraph(t.caption, style="Caption")
    table = doc.add_table(rows=1, cols=len(t.header))
    table.style = "Table Grid"
    for row_cells, texts, bold in [(table.rows[0].cells, t.header, True)] + [
        (table.add_row().cells, r, False) for r in t.rows
    ]:
        for i, (cell, text) in enumerate(zip(row_cells, texts)):
            paragraph = cell.paragraphs[0]
            run = paragraph.add_run(text)
            run.bold = bold
            run.font.size = Pt(8)
            if i >= t.text_columns:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph()


def _chart(doc, c: Chart) -> None:
    doc.add_heading(c.title, level=3)
    doc.add_paragraph("The figures of the chart (the HTML report draws it).", style="Caption")
    _table(doc, c.data)
    if c.note:
        doc.add_paragraph(c.note)


def _section(doc, s: Section, level: int = 1) -> None:
    doc.add_heading(s.heading, level=level)
    for p in s.paragraphs:
        doc.add_paragraph(p.replace("`", ""))
    for b in s.bullets:
        doc.add_paragraph(b.replace("`", ""), style="List Bullet")
    for t in s.tables:
        _table(doc, t)
    for c in s.charts:
        _chart(doc, c)
    for n in s.notes:
        doc.add_paragraph(n.replace("`", ""), style="Caption")


def build_docx(report: Report):
    """The report as a python-docx ``Document``."""
    from docx import Document
    from docx.shared import Mm, Pt

    doc = Document()
    page = doc.sections[0]
    page.page_width, page.page_height = Mm(210), Mm(297)
    page.left_margin = page.right_margin = Mm(16)
    page.top_margin = page.bottom_margin = Mm(14)
    doc.styles["Normal"].font.size = Pt(9.5)
    doc.core_properties.title = report.title
    doc.add_heading(report.title, level=0)
    doc.add_paragraph(report.subtitle)
    for k, s in enumerate(report.summary):
        _section(doc, s)
        if k == 0 and report.key_figures is not None:
            _table(doc, report.key_figures)
    doc.add_page_break()
    for s in report.body:
        _section(doc, s)
    doc.add_page_break()
    doc.add_heading("Methods (the CHEERS 2022 items that apply to a costing)", level=1)
    for s in report.methods:
        _section(doc, s, level=2)
    doc.add_paragraph(report.footer, style="Caption")
    return doc


def write_docx(path: Path, report: Report) -> None:
    """Write the report to ``path`` whole or not at all."""
    doc = build_docx(report)
    write_atomic(path, lambda tmp: doc.save(str(tmp)))
