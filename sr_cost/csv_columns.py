"""A large CSV file read into factorised columns (``sr_cost.columns``) with pandas' C parser.

Used by ``readers.read_csv`` for files of a megabyte or more, and only when it gives exactly what
the line-by-line reader gives (a test checks the two agree); pandas is imported here, on first use.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from sr_cost.columns import Column, compact


def read_csv_columns(path: Path, *, encoding: str, chunk_rows: int = 1 << 20):
    """Read a CSV file into factorised columns with pandas' C parser, in chunks.

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
    options = dict(header=None, na_filter=False, skip_blank_lines=False, encoding=encoding, engine="c",
                   quoting=csv.QUOTE_MINIMAL, doublequote=True, thousands="\x1f")
    try:
        # A column of few distinct values is read as a category: the parser itself finds each
        # chunk's distinct strings, with no Python string per cell. A column of mostly distinct
        # values (respondent ids) is read as strings and factorised. The chunks' distinct values
        # are merged into one list of uniques per column.
        peek = pd.read_csv(path, dtype=object, nrows=1_000, **options)
        dtypes = {j: ("category" if peek[j].nunique() <= len(peek) // 4 else object)
                  for j in peek.columns}
        del peek
        with pd.read_csv(path, dtype=dtypes, chunksize=chunk_rows, **options) as reader:
            for chunk in reader:
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
    columns = [Column(compact(np.concatenate(c), len(u)) if c else np.zeros(0, dtype=np.int8), u)
               for c, u in zip(codes, uniques)]
    n = len(columns[0].codes) if columns else 0
    return header, np.arange(2, n + 2, dtype=np.int32), columns
