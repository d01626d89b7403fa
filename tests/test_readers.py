"""The two CSV readers agree: pandas' C parser (large files, column by column) gives exactly the
cells, headers and line numbers the line-by-line csv reader does, text kept as written."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sr_cost.inputs.csv_files import read_csv_columns, read_csv_lines, read_csv_pandas


def read_both(path, monkeypatch):
    """(pandas, line by line): the same file through both readers."""
    fast = read_csv_pandas(path, encoding="utf-8-sig", name=str(path))
    assert fast is not None and fast._columns is not None, "pandas did not read it"
    exact = read_csv_lines(path, encoding="utf-8-sig", name=str(path))
    assert exact._columns is None
    return fast, exact


def as_seen(table):
    return table.headers, [(r.row, r.values) for r in table.rows]


# one pass (a file shorter than the peek), one chunk, and chunks without the header row
@pytest.mark.parametrize("chunk_rows,peek_rows", [(1 << 20, 1_000), (1 << 20, 10), (7, 10)])
def test_numbers_are_read_as_the_text_written(tmp_path, chunk_rows, peek_rows):
    """pandas infers numbers from a category whose values all look like numbers ('20.0' for '20',
    1000.0 for '1e3'): sr-cost must see '1e3' to refuse it, and '007' as typed, in every chunk
    (a file of more than a million lines is read in chunks, and only the first has the header)."""
    path = tmp_path / "rounds.csv"
    values = ["20", "20.0", "1e3", "007", "0.50", "1_000", "-3", "NaN", "inf", "TRUE"]
    path.write_text("la,staff\n" + "".join(f"LA{i % 3},{v}\n" for i, v in enumerate(values * 50)))
    _, _, columns = read_csv_columns(path, encoding="utf-8-sig", chunk_rows=chunk_rows, peek_rows=peek_rows)
    staff = columns[1]
    assert [staff.uniques[c] for c in staff.codes] == values * 50


def test_a_numeric_header_is_text_too(tmp_path, monkeypatch):
    path = tmp_path / "rounds.csv"
    path.write_text("la,2020\n" + "".join(f"LA1,{i % 7}.0\n" for i in range(300)))
    fast, exact = read_both(path, monkeypatch)
    assert as_seen(fast) == as_seen(exact)
    assert fast.headers == {"la": "la", "2020": "2020"} and fast.rows[0].values == {"la": "LA1", "2020": "0.0"}


cell = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "1",
            "1.0",
            "01",
            "1e3",
            "-2",
            "NaN",
            "TRUE",
            "LA 1",
            "£1,234.50",
            "a,b",
            'say "hi"',
            "2019-05-21",
            "  padded  ",
            "Ünïcødé",
            "x" * 40,
        ]
    ),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n\x00"), max_size=8),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    header=st.lists(
        st.sampled_from(["la", "phase", "staff", "cost", "notes", "Role", " hours "]),
        min_size=1,
        max_size=5,
        unique=True,
    ),
    rows=st.lists(st.lists(cell, min_size=0, max_size=6), max_size=25),
)
def test_the_fast_reader_gives_what_the_exact_reader_gives(tmp_path, monkeypatch, header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(row[: len(header)])  # ragged short rows, blank lines, never too long
    path = tmp_path / "t.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    fast, exact = read_both(path, monkeypatch)
    assert as_seen(fast) == as_seen(exact)
    chunked = read_csv_columns(path, encoding="utf-8-sig", chunk_rows=3, peek_rows=2)  # two passes, in chunks
    one_pass = read_csv_columns(path, encoding="utf-8-sig")
    assert (chunked is None) == (one_pass is None)
    if chunked is not None:
        assert chunked[0] == one_pass[0] and list(chunked[1]) == list(one_pass[1])
        for a, b in zip(chunked[2], one_pass[2], strict=True):
            assert [a.uniques[c] for c in a.codes] == [b.uniques[c] for c in b.codes]


@pytest.mark.parametrize("text", ["la,staff\nLA1,1\n\nLA2,2\n", "\ufeffla,staff\r\nLA1,1\r\nLA2,\r\n"])
def test_blank_lines_and_windows_line_ends(tmp_path, monkeypatch, text):
    path = tmp_path / "t.csv"
    path.write_bytes(text.encode("utf-8"))
    fast, exact = read_both(path, monkeypatch)
    assert as_seen(fast) == as_seen(exact)
