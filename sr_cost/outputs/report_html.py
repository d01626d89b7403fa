"""The report as one HTML page that works offline: inline CSS and inline SVG charts, no scripts,
no fonts, no images, no link to anything outside the file. Printed (A4), page one is the summary;
the charts, tables and methods follow on pages of their own."""

from __future__ import annotations

import re
from html import escape

from sr_cost.outputs.report_model import Chart, Report, Section, Table

CSS = """
:root { color: #1f1f1f; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  "Liberation Sans", sans-serif; }
body { max-width: 186mm; margin: 0 auto; padding: 10mm 8mm; font-size: 10pt; line-height: 1.35; }
h1 { font-size: 17pt; margin: 0 0 2pt; }
h2 { font-size: 11.5pt; margin: 9pt 0 3pt; padding-bottom: 1pt; border-bottom: 1px solid #c8c8c8; }
h3 { font-size: 10.5pt; margin: 8pt 0 2pt; }
p, ul { margin: 2pt 0 4pt; }
ul { padding-left: 14pt; }
li { margin: 1pt 0; }
.subtitle { color: #555; margin: 0 0 6pt; font-size: 9pt; }
.note { color: #555; font-size: 8.5pt; }
code { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 90%; }
table { border-collapse: collapse; width: 100%; margin: 4pt 0 6pt; font-size: 8.8pt; }
caption { text-align: left; font-weight: 600; padding: 0 0 2pt; }
th, td { padding: 1.5pt 4pt; border-bottom: 1px solid #e2e2e2; text-align: right; vertical-align: top; }
th { border-bottom: 1px solid #999; font-weight: 600; }
th.t, td.t { text-align: left; }
td, .n { white-space: nowrap; }
td.t { white-space: normal; }
figure { margin: 6pt 0 12pt; }
figcaption { font-weight: 600; margin-bottom: 2pt; }
figure svg { display: block; width: 100%; height: auto; }
.summary h2:first-of-type { margin-top: 4pt; }
.part { margin-top: 14pt; }
footer { margin-top: 16pt; color: #666; font-size: 8pt; }
@page { size: A4; margin: 12mm 13mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 9.2pt; }
  .summary { break-after: page; }
  .part { break-before: page; margin-top: 0; }
  h2, h3, caption, figcaption { break-after: avoid; }
  figure, tr, li { break-inside: avoid; }
}
"""


MONEY = re.compile(r"-?£[0-9,]+(?:\.[0-9]+)?")


def _text(words: str) -> str:
    """Text, escaped, with `code` shown as code and no sum of money broken over two lines."""
    marked = MONEY.sub(lambda found: f'<span class="n">{found[0]}</span>', escape(words))
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", marked)


def _table(t: Table) -> str:
    def cls(i: int) -> str:
        return ' class="t"' if i < t.text_columns else ""

    head = "".join(f"<th{cls(i)}>{escape(h)}</th>" for i, h in enumerate(t.header))
    rows = "".join("<tr>" + "".join(f"<td{cls(i)}>{escape(c)}</td>" for i, c in enumerate(r)) + "</tr>" for r in t.rows)
    caption = f"<caption>{escape(t.caption)}</caption>" if t.caption else ""
    return f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _chart(c: Chart) -> str:
    note = f'<p class="note">{_text(c.note)}</p>' if c.note else ""
    return f"<figure><figcaption>{escape(c.title)}</figcaption>{c.svg}{note}</figure>"


def _section(s: Section, level: int = 2) -> str:
    parts = [f"<h{level}>{escape(s.heading)}</h{level}>"]
    parts += [f"<p>{_text(p)}</p>" for p in s.paragraphs]
    if s.bullets:
        parts.append("<ul>" + "".join(f"<li>{_text(b)}</li>" for b in s.bullets) + "</ul>")
    parts += [_table(t) for t in s.tables]
    parts += [_chart(c) for c in s.charts]
    parts += [f'<p class="note">{_text(n)}</p>' for n in s.notes]
    return "\n".join(parts)


def render_html(report: Report) -> str:
    """The whole report as one self-contained HTML page."""
    summary = [_section(s) for s in report.summary[:1]]
    if report.key_figures is not None:
        summary.append(_table(report.key_figures))
    summary += [_section(s) for s in report.summary[1:]]
    body = "\n".join(_section(s) for s in report.body)
    methods = "\n".join(_section(s, 3) for s in report.methods)
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(report.title)}</title>
<style>{CSS}</style>
</head>
<body>
<section class="summary">
<h1>{escape(report.title)}</h1>
<p class="subtitle">{escape(report.subtitle)}</p>
{chr(10).join(summary)}
</section>
<section class="part">
{body}
</section>
<section class="part">
<h2>Methods (the CHEERS 2022 items that apply to a costing)</h2>
{methods}
</section>
<footer>{escape(report.footer)}</footer>
</body>
</html>
"""
