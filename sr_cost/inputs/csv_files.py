"""CSV forms: read a CSV file into a ``RawTable``, line numbers as a text editor shows them.

A large file is read column by column with pandas' C parser (``read_csv_pandas``), every cell as
the text written. A small file (up to ``SMALL_BYTES``), and any file pandas cannot read exactly (a
byte that is not text in the encoding, a line with more values than the header, a quoted value
holding a line break, a quote left open), is read line by line by the standard library's ``csv``
(``read_csv_lines``), which finds the line and says what is wrong with it. A property test checks
that the two agree on every file both can read. pandas is imported on first use.

Files that are text but not comma-separated CSV are named for what they are, with the way to save
them as CSV (``not_comma_separated``): Excel's 'Unicode Text' (UTF-16, with tabs), tab-separated
text, and the semicolon-separated CSV Excel writes where numbers have decimal commas. Excel's
``sep=,`` first line (which says the separator is a comma) is skipped.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import re
from pathlib import Path

import numpy as np

from sr_cost.core.columns import compact, lookup
from sr_cost.errors import DataError, Problem, UsageError
from sr_cost.inputs.tables import CellColumn, CellColumns, RawRow, RawTable, blank_flags, canonical_header

SMALL_BYTES = 256 * 1024  # [bytes] a file up to this size is read line by line (no pandas to import)
SAVE_AS_CSV = "In Excel: File > Save As > 'CSV UTF-8 (Comma delimited) (*.csv)'"


def read_csv(
    path: Path, *, encoding: str = "utf-8-sig", display: str | None = None, data: bytes | None = None
) -> RawTable:
    """Read a CSV file (``display``: its name in messages; ``data``: its bytes, when already read).
    Row numbers are the line numbers a text editor shows."""
    name = display or str(path)
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise UsageError(f"--encoding {encoding}: no such text encoding (try utf-8 or cp1252)") from None
    if data is None:
        data = _read(path, name)
    wrong = not_comma_separated(data, encoding, name)
    if wrong is not None:
        raise DataError(wrong)
    if len(data) > SMALL_BYTES and not _separator_line(data, encoding):
        found = read_csv_pandas(data, encoding=encoding, name=name)
        if found is not None:
            return found
    return read_csv_lines(data, encoding=encoding, name=name)


def _read(path: Path, name: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise DataError(
            Problem(
                file=name,
                message=f"cannot be read: {exc.strerror or exc}",
                fix="Check the path and that the file is readable",
            )
        ) from None


_SEPARATOR_LINE = re.compile(r"\A\ufeff?sep=(.)\r?\n?")  # Excel's first line naming the separator


def _separator_line(data: bytes, encoding: str) -> str | None:
    """The separator Excel's ``sep=X`` first line names, or None when there is no such line."""
    if not data[:8].lstrip(b"\xef\xbb\xbf").lower().startswith(b"sep="):
        return None
    found = _SEPARATOR_LINE.match(data[:16].decode(encoding, errors="replace").lower())
    return found.group(1) if found else None


def not_comma_separated(data: bytes, encoding: str, name: str) -> Problem | None:
    """A problem naming what the file is, when it is text but not comma-separated values."""
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) and not encoding.lower().replace("-", "").startswith(
        "utf16"
    ):
        text = data[:4096].decode("utf-16", errors="replace")
        tabs = "\t" in text.split("\n")[0]
        return Problem(
            file=name,
            row=1,
            message="is UTF-16 text"
            + (" with values separated by tabs" if tabs else "")
            + " (what Excel saves as 'Unicode Text'), not CSV",
            fix=SAVE_AS_CSV + ", and give that file",
        )
    separator = _separator_line(data, encoding)
    head = data[:65536].decode(encoding, errors="replace").lstrip("\ufeff")
    lines = head.splitlines()
    skipped = 1 if separator is not None else 0
    at = next((i for i in range(skipped, len(lines)) if lines[i].strip()), None)
    if at is None:
        return None
    first = lines[at]
    commas = first.count(",")
    if separator == "\t" or (separator is None and first.count("\t") > commas):
        return Problem(
            file=name,
            row=at + 1,
            value=_shown(first),
            message="has its values separated by tabs, not commas: it is tab-separated text, not CSV",
            fix=SAVE_AS_CSV + ", and give that file",
        )
    if separator == ";" or (separator is None and first.count(";") > commas):
        decimal_commas = re.search(
            r'(?:^|;)\s*"?-?£?[0-9]+,[0-9]+"?\s*(?:;|$)', "\n".join(lines[at + 1 : at + 50]), re.M
        )
        return Problem(
            file=name,
            row=at + 1,
            value=_shown(first),
            message="has its values separated by semicolons, not commas"
            + (", and numbers with decimal commas" if decimal_commas else "")
            + " (as Excel saves CSV where a comma is the decimal separator)",
            fix="Save it with commas between values and full stops in numbers: in Excel, File > Options > "
            "Advanced, untick 'Use system separators' and set the decimal separator to '.'; then "
            + SAVE_AS_CSV[len("In Excel: ") :],
        )
    return None


def _shown(line: str) -> str:
    return line if len(line) <= 60 else line[:57] + "..."


def read_csv_lines(source: Path | bytes, *, encoding: str, name: str) -> RawTable:
    """A CSV file read line by line by the standard library's ``csv``: every problem with its line."""
    data = source if isinstance(source, bytes) else _read(source, name)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DataError(_not_text(data, exc, encoding, name)) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[RawRow] = []
    headers: dict[str, str] = {}
    order: list[str] = []
    problems: list[Problem] = []
    start_line = 1
    for record in _records(reader, name):
        line = start_line
        start_line = reader.line_num + 1
        if line == 1 and _separator_line(data, encoding) is not None:
            continue  # Excel's sep=, line
        if not order:
            if not any(cell.strip() for cell in record):
                continue
            headers, order, header_problems = _header(record, line, name)
            problems.extend(header_problems)
            continue
        if not any(cell.strip() for cell in record):
            continue
        if len(record) > len(order) and any(c.strip() for c in record[len(order) :]):
            problems.append(
                Problem(
                    file=name,
                    row=line,
                    value=",".join(record[len(order) :]),
                    message=f"this line has {len(record)} values but the header has {len(order)}",
                    fix="Remove the extra values or quote text that contains commas (if most lines have "
                    "values past the header, a column's header is missing)",
                )
            )
            continue
        values = {key: (record[i] if i < len(record) else "") for i, key in enumerate(order) if key}
        rows.append(RawRow(row=line, values=values))
    if problems:
        raise DataError(problems)
    return RawTable(file=name, sheet="", headers=headers, letters={}, rows=rows)


def _not_text(data: bytes, exc: UnicodeDecodeError, encoding: str, name: str) -> Problem:
    """Where the first byte that is not ``encoding`` text is: line, column and the cell as
    Windows-1252 would read it (older Excel's 'CSV' encoding, the usual culprit)."""
    start = data.rfind(b"\n", 0, exc.start) + 1
    end = data.find(b"\n", exc.start)
    line_bytes = data[start : end if end >= 0 else len(data)].rstrip(b"\r")
    first = data[: data.find(b"\n")] if b"\n" in data else data
    header = first.decode(encoding, errors="replace").lstrip("\ufeff").split(",")
    index = data[start : exc.start].count(b",")
    cells = line_bytes.split(b",")
    cell = cells[index] if index < len(cells) else line_bytes
    byte = data[exc.start : exc.start + 1]
    guess = cell.decode("cp1252", errors="replace")
    return Problem(
        file=name,
        row=data[: exc.start].count(b"\n") + 1,
        column=header[index].strip() if index < len(header) else "",
        value=guess,
        message=f"is not {encoding} text: byte 0x{byte.hex().upper()} (in Windows-1252, "
        f"{byte.decode('cp1252', errors='replace')!r})",
        fix="Pass --encoding cp1252 if the file came from older Excel (its 'CSV' is Windows-1252), "
        "or save it again as 'CSV UTF-8'",
    )


def _records(reader, name: str):
    """The csv module's records, with its errors (a NUL byte, a quote left open) as DataError."""
    try:
        yield from reader
    except csv.Error as exc:
        raise DataError(
            Problem(
                file=name,
                row=reader.line_num or 1,
                message=f"is not readable CSV ({exc})",
                fix="Open it in Excel or a text editor, check the line, and save it as CSV UTF-8",
            )
        ) from None


def _header(cells: list[str], line: int, name: str) -> tuple[dict[str, str], list[str], list[Problem]]:
    """Canonical keys of a header line, in order, and a problem for each header given twice."""
    headers: dict[str, str] = {}
    order: list[str] = []
    problems: list[Problem] = []
    for cell in cells:
        key = canonical_header(cell)
        if key in headers and key:
            problems.append(
                Problem(
                    file=name,
                    row=line,
                    column=cell.strip(),
                    value=cell,
                    message="this column header appears twice",
                    fix="Delete or rename one of the two columns",
                )
            )
        headers.setdefault(key, cell.strip())
        order.append(key)
    headers.pop("", None)
    return headers, order, problems


def read_csv_pandas(source: Path | bytes, *, encoding: str, name: str) -> RawTable | None:
    """A CSV file (its path or its bytes) read column by column by pandas, or None when only the
    line-by-line reader can read it exactly (or say what is wrong with it)."""
    found = read_csv_columns(source, encoding=encoding)
    if found is None:
        return None
    cells, line, columns = found
    headers, order, problems = _header(cells, 1, name)
    if problems:
        raise DataError(problems)
    blank = np.ones(len(line), dtype=bool)
    for column in columns:  # a line whose every cell is blank is skipped, as by the reader below
        flags = blank_flags(column.uniques)
        if not flags.any():  # a column with no blank cell (ids, say): no line is blank
            blank[:] = False
            break
        blank &= lookup(flags, column.codes, dtype=bool)
    data = {}
    if blank.any():
        keep = ~blank
        line = line[keep]
        columns = [CellColumn(column.codes[keep], column.uniques) for column in columns]
    for key, column in zip(order, columns):
        if key and key not in data:
            data[key] = column
    return RawTable(file=name, sheet="", headers=headers, letters={}, columns=CellColumns(line, data))


PEEK_ROWS = 1_000  # lines read first, as text, to choose each column's type; a shorter file is read once


def read_csv_columns(source: Path | bytes, *, encoding: str, chunk_rows: int = 1 << 20, peek_rows: int = PEEK_ROWS):
    """Read a CSV file (its path or its bytes) into factorised columns with pandas' C parser, in chunks.

    Returns ``(header cells, line numbers, one Column per header position)`` or None when the
    exact but slower reader must be used instead: the file cannot be read or decoded, a line has
    more values than the header, the header is not the first line, a quoted value holds a line
    break (then records no longer map one-to-one to lines), or the parser made anything but text
    of a cell (below). Blank lines are kept, so record k is line k + 1.
    """
    import pandas as pd

    header: list[str] | None = None
    seen: list[dict[str, int]] = []
    uniques: list[list[str]] = []
    codes: list[list[np.ndarray]] = []
    # pandas infers numbers from a category whose values all look like numbers ('20' comes back as
    # 20.0, '1e3' as 1000.0) unless a thousands separator is set; every column here is text, so
    # the separator (a control character, which no valid cell holds) changes nothing else. Every
    # chunk's distinct values are checked to be text all the same.
    options = dict(
        header=None,
        na_filter=False,
        skip_blank_lines=False,
        encoding=encoding,
        engine="c",
        quoting=csv.QUOTE_MINIMAL,
        doublequote=True,
        thousands="\x1f",
    )
    try:
        # A column of few distinct values is read as a category: the parser itself finds each
        # chunk's distinct strings, with no Python string per cell. A column of mostly distinct
        # values (respondent ids) is read as strings and factorised. The chunks' distinct values
        # are merged into one list of uniques per column.
        def opened():
            return io.BytesIO(source) if isinstance(source, bytes) else source

        peek = pd.read_csv(opened(), dtype=object, nrows=peek_rows, **options)
        if len(peek) < peek_rows:  # that was the whole file: no second pass
            reader = contextlib.nullcontext([peek])
        else:
            dtypes = {j: ("category" if peek[j].nunique() <= len(peek) // 4 else object) for j in peek.columns}
            reader = pd.read_csv(opened(), dtype=dtypes, chunksize=chunk_rows, **options)
        del peek
        with reader as chunks:
            for chunk in chunks:
                start = 0
                if header is None:
                    header = [str(v) for v in chunk.iloc[0].tolist()]
                    if not any(h.strip() for h in header):
                        return None
                    width = len(header)
                    seen = [{} for _ in range(width)]
                    uniques = [[] for _ in range(width)]
                    codes = [[] for _ in range(width)]
                    start = 1
                if chunk.shape[1] != len(header):
                    return None
                for j in range(len(header)):
                    values = chunk.iloc[start:, j]
                    if isinstance(values.dtype, pd.CategoricalDtype):
                        local = values.cat.codes.to_numpy()
                        local_uniques = values.cat.categories.tolist()
                    else:
                        local, local_uniques = pd.factorize(values.to_numpy(dtype=object))
                        local_uniques = local_uniques.tolist()
                    if not set(map(type, local_uniques)) <= {str}:  # text only (see above)
                        return None
                    table, known = seen[j], uniques[j]
                    if not codes[j]:  # the first chunk: its distinct values are the column's so far
                        known.extend(local_uniques)
                        codes[j].append(local.astype(np.int32, copy=False))
                        continue
                    if not table:  # a second chunk: look-ups by value from now on
                        table.update(zip(known, range(len(known))))
                    remap = np.empty(len(local_uniques), dtype=np.int32)
                    for k, u in enumerate(local_uniques):
                        code = table.get(u)
                        if code is None:
                            code = table[u] = len(known)
                            known.append(u)
                        remap[k] = code
                    codes[j].append(remap[local] if len(local) else np.zeros(0, dtype=np.int32))
    except Exception:  # any trouble at all: the exact reader finds it and says where
        return None
    if header is None:
        return None
    for known in uniques:
        joined = "".join(known)
        if "\n" in joined or "\r" in joined:
            return None
    columns = [
        CellColumn(compact(np.concatenate(c), len(u)) if c else np.zeros(0, dtype=np.int8), u)
        for c, u in zip(codes, uniques)
    ]
    n = len(columns[0].codes) if columns else 0
    return header, np.arange(2, n + 2, dtype=np.int32), columns
