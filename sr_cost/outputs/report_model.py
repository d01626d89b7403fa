"""What a report is made of, whatever it is rendered as (HTML, Word): sections of paragraphs,
bullets, tables and charts, in three parts: the summary (page one), the body and the methods
appendix. ``outputs.report`` fills it from a run; ``report_html`` and ``report_docx`` render it, so
both show the same words and figures."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""
    text_columns: int = 1  # the first columns hold words (left-aligned); the rest figures (right)


@dataclass(frozen=True)
class Chart:
    """An SVG chart, with its figures as a table (Word shows the table; the web page the chart)."""

    title: str
    svg: str
    data: Table
    note: str = ""


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: tuple[str, ...] = ()
    bullets: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()
    charts: tuple[Chart, ...] = ()
    notes: tuple[str, ...] = ()  # small print under the section


@dataclass(frozen=True)
class Report:
    title: str
    subtitle: str
    summary: tuple[Section, ...]  # page one: the answer
    body: tuple[Section, ...] = ()
    methods: tuple[Section, ...] = ()
    key_figures: Table | None = None  # page one's table of the headline figures
    footer: str = ""
