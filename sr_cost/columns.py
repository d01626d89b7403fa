"""Tables column by column, for forms with hundreds of thousands of lines.

A national run has about 330,000 cost-form lines and 50,000 survey respondents, most of whose cells
repeat ('1', '0.5', a role, an LA). So a column is kept *factorised*: one small integer code per
row and the list of its distinct raw values. Validation looks at each distinct value once and
finds the rows with a bad one by indexing; costing sums exact integers with numpy.

Exactness is kept throughout: a column of decimals becomes integers times one power of ten
(``Decimal('0.75') -> 75 x 10^-2``), products and sums of those are exact integers (int64 when
the bound allows it, Python integers otherwise), and they turn back into ``Decimal`` only at the
end. Nothing here is ever a float.

This module imports numpy (not pandas): pandas is imported only to read a large CSV file.
"""

from __future__ import annotations

import csv
import decimal
import functools
import gc
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

import numpy as np

_INT64_SAFE = 2**62  # bound under which int64 sums and products cannot overflow


@dataclass(frozen=True, eq=False)
class Column:
    """One column: ``codes[i]`` indexes row i's raw value in ``uniques``."""

    codes: np.ndarray  # small integers (int8 to int32), one per row
    uniques: list  # distinct raw values, in order of first appearance

    def values(self) -> list:
        """Row by row (slow; for small tables and compatibility)."""
        u = self.uniques
        return [u[c] for c in self.codes.tolist()]

    def mask(self, test: Callable[[object], bool]) -> np.ndarray:
        """Rows whose value passes ``test`` (``test`` is called once per distinct value)."""
        return lookup([bool(test(u)) for u in self.uniques], self.codes, dtype=bool)

    def blank(self) -> np.ndarray:
        """Rows whose cell is blank: empty, only spaces, or no value (``readers.nonblank``'s opposite)."""
        return lookup([u is None or (isinstance(u, str) and not u.strip()) for u in self.uniques], self.codes,
                      dtype=bool)


@dataclass(frozen=True, eq=False)
class Columns:
    """Rows as the user sees them (``line``: line number or Excel row) and their columns."""

    line: np.ndarray  # int32, one per row
    data: dict[str, Column]  # canonical header -> column

    def __len__(self) -> int:
        return len(self.line)

    def get(self, key: str) -> Column:
        """The column, or an all-blank one when the table does not have it."""
        found = self.data.get(key)
        if found is None:
            return Column(np.zeros(len(self.line), dtype=np.int8), [None])
        return found

    @classmethod
    def from_rows(cls, rows: Sequence, keys: Iterable[str]) -> "Columns":
        """From ``RawRow``s (workbooks, small CSV files). Values are told apart by type as well as
        value, so that TRUE is not the number 1 and 1 is not 1.0."""
        line = np.fromiter((r.row for r in rows), dtype=np.int32, count=len(rows))
        data = {}
        for key in keys:
            if not key:
                continue
            seen: dict = {}
            uniques: list = []
            codes = np.empty(len(rows), dtype=np.int32)
            for i, r in enumerate(rows):
                value = r.values.get(key)
                tag = (type(value), value)
                code = seen.get(tag)
                if code is None:
                    code = seen[tag] = len(uniques)
                    uniques.append(value)
                codes[i] = code
            data[key] = Column(compact(codes, len(uniques)), uniques)
        return cls(line, data)

    def to_rows(self) -> list:
        from sr_cost.readers import RawRow

        columns = [(key, col.values()) for key, col in self.data.items()]
        return [RawRow(row=int(number), values={key: values[i] for key, values in columns})
                for i, number in enumerate(self.line.tolist())]


def smallest_int(low: int, high: int):
    """The smallest signed integer type holding low..high (codes: a national form's 3 million
    rows take a quarter of the memory as int8 as as int32)."""
    for dtype in (np.int8, np.int16, np.int32):
        info = np.iinfo(dtype)
        if info.min <= low and high <= info.max:
            return dtype
    return np.int64


def compact(codes: np.ndarray, n: int) -> np.ndarray:
    """Codes -1..n-1 in the smallest integer type that holds them."""
    return codes.astype(smallest_int(-1, n), copy=False)


def lookup(per_unique: Sequence, codes: np.ndarray, *, dtype=None) -> np.ndarray:
    """``per_unique[codes]`` as an array (a per-distinct-value result spread over the rows).
    Integer results come in the smallest integer type that holds them."""
    table = np.asarray(per_unique, dtype=dtype)
    if table.size == 0 or (table.dtype == bool and not table.any()):  # nothing found: the usual case
        return np.zeros(len(codes), dtype=table.dtype)
    if table.dtype.kind == "i":
        table = table.astype(smallest_int(int(table.min()), int(table.max())), copy=False)
    return table[codes]


def factorize(keys: np.ndarray, bound: int | None = None) -> tuple[np.ndarray, int, np.ndarray]:
    """Codes 0..k-1 numbered in order of first appearance, k, and each code's first row.
    ``bound``, when given, is more than every key (keys are then 0..bound-1)."""
    n = len(keys)
    if n == 0:
        return np.zeros(0, dtype=np.int64), 0, np.zeros(0, dtype=np.int64)
    if bound is not None and bound <= max(2 * n, 1 << 16):  # few possible keys: a table (<= 32 bytes a row)
        first_at = np.full(bound, n, dtype=np.int64)
        np.minimum.at(first_at, keys, np.arange(n, dtype=np.int64))
        present = np.flatnonzero(first_at < n)
        present = present[np.argsort(first_at[present], kind="stable")]  # in order of first appearance
        rank = np.empty(bound, dtype=np.int64)
        rank[present] = np.arange(len(present), dtype=np.int64)
        return rank[keys], len(present), first_at[present]
    pd = sys.modules.get("pandas")
    if pd is not None:  # already imported (to read a large file): hashing beats sorting
        codes, uniq = pd.factorize(keys, sort=False)
        first = np.full(len(uniq), n, dtype=np.int64)
        np.minimum.at(first, codes, np.arange(n, dtype=np.int64))
        return codes.astype(np.int64, copy=False), len(uniq), first
    uniq, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")  # sorted codes -> appearance order
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank[inverse.ravel()], len(uniq), first[order]


def joint_keys(parts: Sequence[Sequence[np.ndarray]]) -> tuple[list[np.ndarray], int, np.ndarray, np.ndarray]:
    """Shared group keys for several tables: ``parts[t]`` is table t's key columns (int arrays of
    the same length, e.g. la, phase and round codes). Returns each table's key per row (equal keys
    for equal tuples across tables, numbered in order of first appearance, table by table), the
    number of keys, and where each key first appears: its table and its row in that table."""
    lengths = [len(p[0]) for p in parts]
    width = len(parts[0])
    combined = np.zeros(sum(lengths), dtype=np.int64)
    bound = 1  # combined < bound
    few = max(2 * len(combined), 1 << 16)  # keys below this are numbered with a table, not a hash
    for j in range(width):
        column = np.concatenate([np.asarray(p[j], dtype=np.int64) for p in parts]) + 1  # codes may be -1
        m = int(column.max()) + 1 if len(column) else 1
        if m > 256:  # vocabulary codes are sparse: number the distinct ones, to keep the keys few
            column, m, _ = factorize(column, m)
        if bound * m > few:  # renumber the keys so far, before they could overflow or grow sparse
            combined, bound, _ = factorize(combined, bound)
            if bound * m >= _INT64_SAFE:
                column, m, _ = factorize(column, m)
        combined = combined * m + column
        bound *= m
    combined, n, first = factorize(combined, bound)
    starts = np.cumsum([0] + lengths)
    out = [combined[starts[t]:starts[t + 1]] for t in range(len(parts))]
    table_of = np.searchsorted(starts, first, side="right") - 1
    return out, n, table_of, first - starts[table_of]


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while hundreds of thousands of records are made: each
    collection would walk every record made so far (quadratic time); none of them is garbage."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def without_gc(function):
    """``function`` run with ``gc_paused``."""
    @functools.wraps(function)
    def run(*args, **kwargs):
        with gc_paused():
            return function(*args, **kwargs)

    return run


def label_codes(labels: Sequence[str]) -> tuple[np.ndarray, list[str]]:
    """Codes that are equal for equal labels, and the distinct labels (in order of appearance)."""
    if len(set(labels)) == len(labels):  # all distinct (respondent ids): each its own code
        return compact(np.arange(len(labels), dtype=np.int64), len(labels)), list(labels)
    index: dict[str, int] = {}
    codes = [index.setdefault(label, len(index)) for label in labels]
    return compact(np.asarray(codes, dtype=np.int64), len(index)), list(index)


_MIX = (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93)


def first_equal(columns: Sequence[np.ndarray]) -> np.ndarray:
    """For each row, the first row with the same values in every column (itself when it is the
    first). Rows are hashed to 64 bits and sorted; only rows whose hashes collide are compared,
    exactly, so this is quick when almost every row is distinct (a form's lines should be)."""
    n = len(columns[0]) if columns else 0
    first = np.arange(n, dtype=np.int64)
    if n < 2:
        return first
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j, column in enumerate(columns):
            h ^= np.asarray(column).astype(np.int64).astype(np.uint64) + np.uint64(j + 1)
            h *= np.uint64(_MIX[j % len(_MIX)])
            h ^= h >> np.uint64(31)
    ordered = np.sort(h)
    if not (ordered[1:] == ordered[:-1]).any():  # every row distinct: the usual case
        return first
    order = np.argsort(h, kind="stable")
    ordered = h[order]
    same = np.flatnonzero(ordered[1:] == ordered[:-1])
    rows = np.unique(np.concatenate([order[same], order[same + 1]]))
    seen: dict[tuple, int] = {}
    values = [np.asarray(c)[rows].tolist() for c in columns]
    for row, key in zip(rows.tolist(), zip(*values)):  # rows ascend: the first comes first
        first[row] = seen.setdefault(key, row)
    return first


class Vocab:
    """Shared text labels (LAs, phases, rounds, items, roles), so codes compare across tables."""

    def __init__(self) -> None:
        self.labels: list[str] = []
        self.index: dict[str, int] = {}

    def code(self, label: str) -> int:
        found = self.index.get(label)
        if found is None:
            found = self.index[label] = len(self.labels)
            self.labels.append(label)
        return found

    def codes(self, labels: Iterable[str | None]) -> np.ndarray:
        """Vocabulary codes of ``labels``, -1 for None."""
        return np.fromiter((-1 if label is None else self.code(label) for label in labels), dtype=np.int32)


# --- exact decimals as integers times a power of ten --------------------------------------------


@dataclass(frozen=True, eq=False)
class Exact:
    """Row i's value is exactly ``ints[i] x 10^exp`` (ints: int64, or Python ints in an object
    array when int64 could overflow)."""

    ints: np.ndarray
    exp: int

    @classmethod
    def of(cls, values: Sequence[Decimal], codes: np.ndarray) -> "Exact":
        """Rows' decimals, given the distinct values and each row's code."""
        exps = [v.as_tuple().exponent for v in values]
        exp = min([e for e in exps if isinstance(e, int)] + [0])
        ints = [_int_at(v, exp) for v in values]
        big = max((abs(i) for i in ints), default=0) >= _INT64_SAFE
        table = np.array(ints, dtype=object if big else np.int64) if ints else np.zeros(0, dtype=np.int64)
        return cls(table[codes] if len(table) else np.zeros(len(codes), dtype=np.int64), exp)

    @classmethod
    def constant(cls, value: Decimal, n: int) -> "Exact":
        return cls.of([value], np.zeros(n, dtype=np.int32))

    def _bound(self) -> int:
        if len(self.ints) == 0:
            return 0
        return int(np.max(np.abs(self.ints)))

    def __mul__(self, other: "Exact") -> "Exact":
        a, b = self.ints, other.ints
        if self._bound() * other._bound() >= _INT64_SAFE:
            a, b = a.astype(object), b.astype(object)
        return Exact(a * b, self.exp + other.exp)

    def where(self, mask: np.ndarray) -> "Exact":
        """Zero on the rows outside ``mask``."""
        return Exact(np.where(mask, self.ints, 0).astype(self.ints.dtype), self.exp)

    def sums(self, keys: np.ndarray, n: int) -> list[Decimal]:
        """Exact sum per key 0..n-1."""
        ints = self.ints
        if ints.dtype != object and len(ints) * max(self._bound(), 1) >= _INT64_SAFE:
            ints = ints.astype(object)
        out = np.zeros(n, dtype=ints.dtype)
        if ints.dtype == object:
            out[:] = 0
        np.add.at(out, keys, ints)
        exp = self.exp
        return [Decimal(v).scaleb(exp, _UNBOUNDED) for v in out.tolist()]

    def total(self) -> Decimal:
        return self.sums(np.zeros(len(self.ints), dtype=np.int64), 1)[0]


# scaleb in this context only moves the exponent: no digit is ever rounded away
_UNBOUNDED = decimal.Context(prec=decimal.MAX_PREC, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN)


def _int_at(value: Decimal, exp: int) -> int:
    """The integer n with value == n x 10^exp (exp at most the value's own exponent)."""
    return int(value.scaleb(-exp, _UNBOUNDED))


def sum_terms(terms: Sequence[Exact], keys: np.ndarray, n: int) -> list[Decimal]:
    """Exact per-key sums of several terms added row by row."""
    if not terms:
        return [Decimal(0)] * n
    return add(terms).sums(keys, n)


def add(terms: Sequence[Exact]) -> Exact:
    """Row by row sum of several terms, exactly: each is brought to the smallest exponent first."""
    exp = min(t.exp for t in terms)
    scaled = []
    for t in terms:
        factor = 10 ** (t.exp - exp)
        ints = t.ints
        if ints.dtype != object and (factor >= _INT64_SAFE or t._bound() * factor * len(terms) >= _INT64_SAFE):
            ints = ints.astype(object)
        scaled.append(ints * factor if factor != 1 else ints)
    if any(a.dtype == object for a in scaled):
        scaled = [a.astype(object) for a in scaled]
    total = scaled[0]
    for a in scaled[1:]:
        total = total + a
    return Exact(total, exp)


# --- reading a large CSV file with pandas' C parser ----------------------------------------------


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
