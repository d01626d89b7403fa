"""The long tables of the workbook (Lines, Rounds, the respondents of Savings), written as XML row by
row while the sheets are laid out, instead of as openpyxl cells.

openpyxl keeps a Python object per cell, with its style, until the workbook is saved, then writes
each through its XML serializer: for the national forms (327,560 lines, 50,000 respondents) that
took minutes and gigabytes. Here a long table's rows go, as the worksheet's XML, to a temporary
file, one row at a time; each column's style is registered with the workbook once. openpyxl writes
everything else as before: titles, headers and their notes, widths, filters, frozen panes, print
set-up, charts, names and the styles. ``save`` then puts the rows into openpyxl's package, between
the rows openpyxl wrote.

A cell is written as ``cells.put`` and openpyxl write it: ``str`` as text (an inline string,
never a formula; text starting with ``= + - @`` quote-prefixed), ``Formula`` as a formula, ``int``
and ``Decimal`` as numbers (``%.16g``, openpyxl's form), ``None`` not at all; a ``float`` is refused.
"""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import column_index_from_string, range_boundaries

from sr_cost.core.progress import Progress, Step
from sr_cost.errors import UsageError
from sr_cost.excel.formulas import Formula

MAX_ROWS = 1_048_576  # of a worksheet, in Excel and LibreOffice
CHUNK_PARTS = 50_000  # cells joined into one write to the temporary file
CACHED = 10_000  # distinct values of a column whose XML is kept for reuse
_ROW = re.compile(r'<row r="(\d+)"')
_DIMENSION = re.compile(r'<dimension ref="([^"]*)"\s*/>')


@dataclass
class Rows:
    """Rows ``first`` to ``last`` of worksheet ``ws``, as XML in ``file`` (a temporary file)."""

    ws: Any
    first: int
    last: int
    last_column: int
    file: IO[bytes]


@dataclass(frozen=True)
class StreamColumn:
    """Where a table's column goes and how its cells look: style ids in the workbook's style list."""

    key: str
    letter: str
    style: int
    quoted: int  # the style of text that must stay text when edited (starts with = + - @)


def style_ids(ws, fmt: str | None, alignment: Alignment) -> tuple[int, int]:
    """The workbook's style ids of a cell with number format ``fmt`` and ``alignment``, and of the
    same with a quote prefix: registered once, through a cell that is never put on the sheet."""
    ids = []
    for quoted in (False, True):
        cell = Cell(ws)  # a cell of its own for each: the workbook's style list keeps the cell's style
        if fmt:
            cell.number_format = fmt
        cell.alignment = alignment
        cell.quotePrefix = quoted
        ids.append(cell.style_id)
    return ids[0], ids[1]


def _escape(text: str) -> str:
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _text(col: StreamColumn, value: str) -> tuple[str, int]:
    """A text cell after its reference: its style and content as XML, and the width it asks of its
    column (as ``cells.SheetTable.add`` measures it)."""
    text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)[:32767]
    space = ' xml:space="preserve"' if text != text.strip() else ""
    style = col.quoted if text[:1] in ("=", "+", "-", "@") else col.style
    return f'" s="{style}" t="inlineStr"><is><t{space}>{_escape(text)}</t></is></c>', min(len(value), 60) + 2


def _number(col: StreamColumn, value: int | Decimal) -> tuple[str, int]:
    """A number cell after its reference, and the width it asks of its column."""
    return f'" s="{col.style}"><v>{f"{value:.16g}"}</v></c>', len(f"{value:,}") + 4


def _other(col: StreamColumn, value: object) -> tuple[str, int]:
    """A cell whose value is of a subclass (a ``str`` enum, a ``bool``) or of a type refused."""
    if isinstance(value, Formula):
        return f'" s="{col.style}"><f>{_escape(value[1:])}</f></c>', 0
    if isinstance(value, str):
        return _text(col, str(value))
    if isinstance(value, bool):
        return f'" s="{col.style}" t="b"><v>{int(value)}</v></c>', 0
    if isinstance(value, (int, Decimal)):
        return _number(col, value)
    if isinstance(value, float):
        raise TypeError("floats are not written to workbooks; pass a Decimal")
    raise TypeError(f"a {type(value).__name__} is not written to the long tables of a workbook")


def write_rows(
    ws, first: int, rows: Iterable[Mapping[str, object]], columns: Sequence[StreamColumn], widths: dict[str, int]
) -> Rows:
    """Write ``rows`` (a mapping of column key to value each) from row ``first`` of ``ws`` to a
    temporary file, widening ``widths`` as ``cells.SheetTable.add`` does. A table longer than a
    worksheet is refused (openpyxl refuses a cell past the last row; Excel would refuse the file)."""
    out = tempfile.TemporaryFile()
    # Each column's labels and numbers repeat: a cell's XML after its reference is made once for each
    # distinct value (up to CACHED of them), keyed by the text, or by the number as written in Python.
    plan = [(c.key, f'<c r="{c.letter}', {}, {}, c) for c in columns]
    parts: list[str] = []
    append = parts.append
    r = first
    for values in rows:
        if r > MAX_ROWS:
            raise UsageError(
                f"sheet {ws.title} of the workbook would need more than the {MAX_ROWS:,} rows a "
                "worksheet holds: leave out --excel (--format json or csv gives every figure)"
            )
        get = values.get
        rs = str(r)
        append(f'<row r="{rs}">')
        for key, start, texts, numbers, col in plan:
            value = get(key)
            if value is None:
                continue
            kind = type(value)
            if kind is Formula:
                text = value[1:]
                if "<" in text or ">" in text or "&" in text:
                    text = _escape(text)
                append(f'{start}{rs}" s="{col.style}"><f>{text}</f></c>')
                continue
            if kind is str:
                made = texts.get(value)
                if made is None:
                    made = _text(col, value)
                    if len(texts) < CACHED:
                        texts[value] = made
            elif kind is Decimal or kind is int:
                number = str(value)  # distinct for 1.5 and 1.50, which are shown as wide as written
                made = numbers.get(number)
                if made is None:
                    made = _number(col, value)
                    if len(numbers) < CACHED:
                        numbers[number] = made
            else:
                made = _other(col, value)
            append(f"{start}{rs}{made[0]}")
            if made[1] > widths[key]:
                widths[key] = made[1]
        append("</row>")
        r += 1
        if len(parts) > CHUNK_PARTS:
            out.write("".join(parts).encode("utf-8"))
            parts.clear()
    out.write("".join(parts).encode("utf-8"))
    last_column = max(column_index_from_string(c.letter) for c in columns)
    return Rows(ws=ws, first=first, last=r - 1, last_column=last_column, file=out)


def save(wb, streamed: Sequence[Rows], path: Path, progress: Progress | None = None) -> None:
    """Save ``wb`` to ``path`` with the ``streamed`` rows in their worksheets. ``progress`` is told
    how putting them in goes, in bytes of their XML (``Step.saving``), from before openpyxl saves."""
    total = sum(rows.file.seek(0, io.SEEK_END) for rows in streamed)
    copied = 0

    def report(more: int) -> None:
        nonlocal copied
        copied += more
        if progress is not None:
            progress(Step.saving, copied, total)

    report(0)
    wb.save(path)
    by_part: dict[str, list[Rows]] = {}
    for rows in streamed:
        if rows.last >= rows.first:
            by_part.setdefault(rows.ws.path.lstrip("/"), []).append(rows)
    if not by_part:
        return
    frame = io.BytesIO(Path(path).read_bytes())  # openpyxl's package: small, the long tables not in it
    with zipfile.ZipFile(frame) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            blocks = by_part.get(info.filename)
            if blocks is None:
                out.writestr(info, src.read(info))
                continue
            entry = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            with out.open(entry, "w") as dst:
                _splice(src.read(info).decode("utf-8"), sorted(blocks, key=lambda b: b.first), dst, report)
    report(total - copied)


def _splice(sheet: str, blocks: list[Rows], dst: IO[bytes], copied: Callable[[int], None]) -> None:
    """Write worksheet XML ``sheet`` (openpyxl's) to ``dst`` with each block of rows in its place,
    and its dimension widened to cover them; ``copied`` is told the bytes of rows copied."""
    dimension = _DIMENSION.search(sheet)
    if dimension:
        min_col, min_row, max_col, max_row = range_boundaries(dimension.group(1))
        max_col = max([max_col] + [b.last_column for b in blocks])
        max_row = max([max_row] + [b.last for b in blocks])
        ref = f"{get_column_letter(min_col)}{min_row}:{get_column_letter(max_col)}{max_row}"
        sheet = f'{sheet[: dimension.start()]}<dimension ref="{ref}" />{sheet[dimension.end() :]}'
    sheet = sheet.replace("<sheetData />", "<sheetData></sheetData>").replace("<sheetData/>", "<sheetData></sheetData>")
    rows = [(int(m.group(1)), m.start()) for m in _ROW.finditer(sheet)]
    end = sheet.index("</sheetData>")
    at = 0
    for block in blocks:
        clash = [n for n, _ in rows if block.first <= n <= block.last]
        if clash:
            raise AssertionError(f"row {clash[0]} of {block.ws.title} is both streamed and written by openpyxl")
        cut = next((pos for n, pos in rows if n > block.last), end)
        dst.write(sheet[at:cut].encode("utf-8"))
        block.file.seek(0)
        while chunk := block.file.read(1 << 20):
            dst.write(chunk)
            copied(len(chunk))
        block.file.close()
        at = cut
    dst.write(sheet[at:].encode("utf-8"))
