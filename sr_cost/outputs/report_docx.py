"""The report as a Word document (.docx), for councils whose committee papers are Word: the same
sections, words and figures as the HTML page, on A4, the summary on page one. Word cannot take the
inline SVG charts, so each chart appears as the table of its figures, under the chart's title.

The document is written as WordprocessingML with the standard library (``zipfile``, escaped XML),
as ``excel/stream.py`` writes sheet XML: a few styles, paragraphs, bullets and tables. python-docx
would do it, but it needs lxml, and with lxml installed openpyxl parses every workbook with lxml
instead of defusedxml, the parser sr-cost's refusal of entity bombs rests on (tests/test_bad_inputs).
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from sr_cost.outputs.files import write_atomic
from sr_cost.outputs.report_model import Chart, Report, Section, Table

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
DATE = (2021, 8, 1, 0, 0, 0)  # every part's date in the zip: the same bytes for the same report

CONTENT_TYPES = (
    XML + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/word/numbering.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    XML + f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Target="word/document.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/></Relationships>'
)
DOCUMENT_RELS = (
    XML + f'<Relationships xmlns="{PKG}">'
    '<Relationship Id="rId1" Target="styles.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"/>'
    '<Relationship Id="rId2" Target="numbering.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"/></Relationships>'
)


def _style(style_id: str, name: str, size: int, *, bold: bool = False, before: int = 0, after: int = 80, extra=""):
    """A paragraph style: ``size`` in half-points, spacing in twentieths of a point."""
    b = "<w:b/>" if bold else ""
    return (
        f'<w:style w:type="paragraph" w:styleId="{style_id}"><w:name w:val="{name}"/><w:basedOn w:val="Normal"/>'
        f'<w:qFormat/><w:pPr><w:keepNext w:val="{int(bold)}"/><w:spacing w:before="{before}" w:after="{after}"/>'
        f'{extra}</w:pPr><w:rPr>{b}<w:sz w:val="{size}"/></w:rPr></w:style>'
    )


STYLES = (
    XML + f'<w:styles xmlns:w="{W}"><w:docDefaults><w:rPrDefault><w:rPr>'
    '<w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:cs="Arial"/><w:sz w:val="17"/><w:lang w:val="en-GB"/>'
    '</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="60" w:line="240" w:lineRule="auto"/>'
    "</w:pPr></w:pPrDefault></w:docDefaults>"
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>'
    + _style("Title", "Title", 32, bold=True, after=40)
    + _style("Heading1", "heading 1", 22, bold=True, before=140, after=60)
    + _style("Heading2", "heading 2", 20, bold=True, before=120, after=60)
    + _style("Heading3", "heading 3", 18, bold=True, before=100, after=40)
    + _style("Caption", "caption", 15, after=40)
    + _style("ListBullet", "List Bullet", 17, after=30, extra='<w:numPr><w:numId w:val="1"/></w:numPr>')
    + '<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:tblPr><w:tblBorders>'
    + "".join(f'<w:{s} w:val="single" w:sz="4" w:space="0" w:color="BFBFBF"/>' for s in ("top", "left", "bottom"))
    + "".join(f'<w:{s} w:val="single" w:sz="4" w:space="0" w:color="BFBFBF"/>' for s in ("right", "insideH", "insideV"))
    + '</w:tblBorders><w:tblCellMar><w:left w:w="60" w:type="dxa"/><w:right w:w="60" w:type="dxa"/></w:tblCellMar>'
    "</w:tblPr></w:style></w:styles>"
)
NUMBERING = (
    XML + f'<w:numbering xmlns:w="{W}"><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
    '<w:numFmt w:val="bullet"/><w:lvlText w:val="•"/><w:lvlJc w:val="left"/>'
    '<w:pPr><w:ind w:left="360" w:hanging="240"/></w:pPr></w:lvl></w:abstractNum>'
    '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>'
)
# A4 (twentieths of a point), margins of 16 mm
SECTION = (
    '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>'
    '<w:pgMar w:top="850" w:right="907" w:bottom="850" w:left="907" w:header="0" w:footer="0" w:gutter="0"/>'
    "</w:sectPr>"
)


def _run(text: str, *, bold: bool = False, size: int | None = None) -> str:
    props = ("<w:b/>" if bold else "") + (f'<w:sz w:val="{size}"/>' if size else "")
    return f'<w:r>{f"<w:rPr>{props}</w:rPr>" if props else ""}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def _paragraph(
    text: str, style: str | None = None, *, right: bool = False, bold: bool = False, size=None, tight: bool = False
) -> str:
    props = (f'<w:pStyle w:val="{style}"/>' if style else "") + ('<w:spacing w:after="0"/>' if tight else "")
    props += '<w:jc w:val="right"/>' if right else ""
    return f"<w:p>{f'<w:pPr>{props}</w:pPr>' if props else ''}{_run(text.replace('`', ''), bold=bold, size=size)}</w:p>"


PAGE_BREAK = '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'


TEXT_WIDTH = 10092  # the A4 page less its margins [twentieths of a point]


def _widths(t: Table) -> list[int]:
    """Column widths in proportion to their longest entry (a heading counts by its longest word)."""
    longest = [max([len(w) for w in h.split()] + [6]) for h in t.header]
    for r in t.rows:
        longest = [max(n, len(c)) for n, c in zip(longest, r)]
    padded = [n + 3 for n in longest]  # a cell's margins take about three characters
    return [TEXT_WIDTH * n // sum(padded) for n in padded]


def _table(t: Table) -> list[str]:
    out = [_paragraph(t.caption, "Caption")] if t.caption else []
    widths = _widths(t)
    rows = []
    for k, cells in enumerate((t.header, *t.rows)):
        row = "".join(
            f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/></w:tcPr>'
            f"{_paragraph(text, right=i >= t.text_columns, bold=k == 0, size=15, tight=True)}</w:tc>"
            for i, (text, w) in enumerate(zip(cells, widths))
        )
        head = "<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>" if k == 0 else "<w:trPr><w:cantSplit/></w:trPr>"
        rows.append(f"<w:tr>{head}{row}</w:tr>")
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    out.append(
        '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="5000" w:type="pct"/>'
        f'<w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{"".join(rows)}</w:tbl>'
    )
    out.append(_paragraph(""))
    return out


def _chart(c: Chart) -> list[str]:
    out = [
        _paragraph(c.title, "Heading3"),
        _paragraph("The figures of the chart (the HTML report draws it).", "Caption"),
    ]
    out += _table(c.data)
    return out + ([_paragraph(c.note, "Caption")] if c.note else [])


def _section(s: Section, level: int = 1) -> list[str]:
    out = [_paragraph(s.heading, f"Heading{level}")]
    out += [_paragraph(p) for p in s.paragraphs]
    out += [_paragraph(b, "ListBullet") for b in s.bullets]
    for t in s.tables:
        out += _table(t)
    for c in s.charts:
        out += _chart(c)
    return out + [_paragraph(n, "Caption") for n in s.notes]


def document_xml(report: Report) -> str:
    """``word/document.xml``: page one (the summary), a page break, the body, the methods."""
    parts = [_paragraph(report.title, "Title"), _paragraph(report.subtitle, "Caption")]
    for k, s in enumerate(report.summary):
        parts += _section(s)
        if k == 0 and report.key_figures is not None:
            parts += _table(report.key_figures)
    parts.append(PAGE_BREAK)
    for s in report.body:
        parts += _section(s)
    parts += [PAGE_BREAK, _paragraph("Methods (the CHEERS 2022 items that apply to a costing)", "Heading1")]
    for s in report.methods:
        parts += _section(s, 2)
    parts.append(_paragraph(report.footer, "Caption"))
    return XML + f'<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>{"".join(parts)}{SECTION}</w:body></w:document>'


def write_docx(path: Path, report: Report) -> None:
    """Write the report to ``path`` whole or not at all."""
    parts = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": ROOT_RELS,
        "word/_rels/document.xml.rels": DOCUMENT_RELS,
        "word/document.xml": document_xml(report),
        "word/styles.xml": STYLES,
        "word/numbering.xml": NUMBERING,
    }

    def write(tmp: Path) -> None:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
            for name, text in parts.items():
                z.writestr(zipfile.ZipInfo(name, DATE), text.encode("utf-8"), zipfile.ZIP_DEFLATED)

    write_atomic(path, write)
