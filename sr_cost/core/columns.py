"""Exact arithmetic on columns, for forms with hundreds of thousands of lines.

A national run has about 330,000 cost-form lines and 50,000 survey respondents. The core keeps
them column by column: labels and numbers as small integer codes into their distinct values, so
that the costing groups rows with numpy and sums exact integers.

Exactness is kept throughout: a column of decimals becomes integers times one power of ten
(``Decimal('0.75') -> 75 x 10^-2``), products and sums of those are exact integers (int64 when
the bound allows it, Python integers otherwise), and they turn back into ``Decimal`` only at the
end. Nothing here is ever a float. This module imports numpy, not pandas.
"""

from __future__ import annotations

import decimal
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import numpy as np

_INT64_SAFE = 2**62  # bound under which int64 sums and products cannot overflow


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
    out = [combined[starts[t] : starts[t + 1]] for t in range(len(parts))]
    table_of = np.searchsorted(starts, first, side="right") - 1
    return out, n, table_of, first - starts[table_of]


@lru_cache(maxsize=65536)
def natural_key(text: str) -> tuple:
    """'LA2' sorts before 'LA12'."""
    return tuple(int(part) if part.isdigit() else part.casefold() for part in re.split(r"(\d+)", text))


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
    def of(cls, values: Sequence[Decimal], codes: np.ndarray) -> Exact:
        """Rows' decimals, given the distinct values and each row's code."""
        exps = [v.as_tuple().exponent for v in values]
        exp = min([e for e in exps if isinstance(e, int)] + [0])
        ints = [_int_at(v, exp) for v in values]
        big = max((abs(i) for i in ints), default=0) >= _INT64_SAFE
        table = np.array(ints, dtype=object if big else np.int64) if ints else np.zeros(0, dtype=np.int64)
        return cls(table[codes] if len(table) else np.zeros(len(codes), dtype=np.int64), exp)

    @classmethod
    def constant(cls, value: Decimal, n: int) -> Exact:
        return cls.of([value], np.zeros(n, dtype=np.int32))

    def _bound(self) -> int:
        if len(self.ints) == 0:
            return 0
        return int(np.max(np.abs(self.ints)))

    def __mul__(self, other: Exact) -> Exact:
        a, b = self.ints, other.ints
        if self._bound() * other._bound() >= _INT64_SAFE:
            a, b = a.astype(object), b.astype(object)
        return Exact(a * b, self.exp + other.exp)

    def where(self, mask: np.ndarray) -> Exact:
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
        return [Decimal(v).scaleb(exp, UNBOUNDED) for v in out.tolist()]

    def total(self) -> Decimal:
        return self.sums(np.zeros(len(self.ints), dtype=np.int64), 1)[0]


# scaleb in this context only moves the exponent: no digit is ever rounded away
UNBOUNDED = decimal.Context(prec=decimal.MAX_PREC, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN)


def _int_at(value: Decimal, exp: int) -> int:
    """The integer n with value == n x 10^exp (exp at most the value's own exponent)."""
    return int(value.scaleb(-exp, UNBOUNDED))


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
