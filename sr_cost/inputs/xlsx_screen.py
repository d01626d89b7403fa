"""A cheap screen of one worksheet's XML, before python-calamine reads it: is the sheet *plain*?

This is a search of the sheet's bytes, not a parse: substring searches and a few regular
expressions, run in C over the XML in blocks of ``BLOCK_BYTES`` (each cut just before a cell's
``<c r="``, so no cell or tag is split), reading each sheet once and keeping only a few flags. A
sheet is plain when all of these hold:

- **no error cell**: neither ``"e"`` nor ``'e'`` occurs (an error cell is ``t="e"``, which
  calamine reads as an empty cell). Any other spelling of ``t`` (``t=" e"``, ``t="&#101;"``)
  calamine refuses, and the workbook is reported unreadable;
- **no formula without a saved value**: wherever a formula ends (``</f>``, or ``<f .../>``), a
  ``<v>`` holding something other than white space follows (calamine reads a formula with no saved
  value as an empty cell). Formulas saved with their values, as Excel and LibreOffice save them,
  are plain;
- **nothing hidden**: no ``hidden="1"`` or ``hidden="true"`` (nor a ``hidden`` written with a
  character reference): rows and columns; calamine does not say what is hidden;
- **values calamine reads as openpyxl does**: no ``&`` in a ``<v>`` (calamine drops or truncates a
  number written with a character reference, ``<v>&#49;</v>``), no CDATA section;
- **cells calamine can hold**: calamine holds a sheet as a grid from its first to its last cell
  with something in it, 32 bytes a cell (and the cells' text besides), and a grid too big to
  allocate aborts the process (it cannot be caught): one value in XFD1048576 asks for 512 GiB, so
  it must never reach calamine. Every cell must be written ``<c r="`` and an A1 reference (its
  first attribute, unprefixed, as Excel, LibreOffice and openpyxl write cells), and either every
  cell is within ``A1:K249999`` (one search), or, failing that, the cells that hold something span
  at most ``MAX_GRID_CELLS`` (their references are collected: slower, but only for wide or very long
  sheets). A cell written ``<c .../>`` holds nothing (it is only formatted) and calamine skips it,
  so a formatted, empty XFD1048576 does not count. ``MAX_GRID_CELLS`` keeps the national forms
  workbook (248,521 lines of 11 columns) within the 500 MB sr-cost is tested in.

Anything the screen does not check (the main namespace bound to a prefix, a cell without a
reference or with an odd one, the count of cells not adding up) makes a sheet *not plain*. A sheet
that is not plain is read by the careful reader (``xlsx_detail``), which names each problem cell:
a false alarm costs only time. That reader (openpyxl) makes a Python object of every cell of a row
and takes about 40 microseconds a cell, so it reads only sheets of at most ``CAREFUL_CELLS`` cells
and ``CAREFUL_ROWS`` rows (counted as written, filled or not: an overestimate); a bigger sheet that
is not plain is one problem saying what the screen found and how to put it right.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from operator import itemgetter

BLOCK_BYTES = 16 << 20  # [bytes] of a sheet's XML searched at a time
MAX_GRID_CELLS = 3_000_000  # calamine's grid of a sheet: 32 bytes a cell, so at most 96 MB
CAREFUL_CELLS = 150_000  # the most cells (as written, filled or not) the careful reader reads from a sheet
CAREFUL_ROWS = 150_000  # and the most rows
MAX_SHARED_STRINGS = 1_000_000  # different texts a workbook may hold (the national forms: 50,308)
# A cell whose reference is not within A1:K249999 (11 x 249,999 < MAX_GRID_CELLS cells)
_OUTSIDE_BOX = re.compile(rb'<c r="(?![A-Ka-k](?:[1-9][0-9]{0,4}|1[0-9]{5}|2[0-4][0-9]{4})")')
_ATTRIBUTES = rb"""(?:\s+[^\s=/>"']+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*"""
_FILLED = re.compile(rb'<c r="([A-Za-z]{1,3})([1-9][0-9]{0,6})"' + _ATTRIBUTES + rb">")  # holds something
_EMPTY = re.compile(rb'<c r="[A-Za-z]{1,3}[1-9][0-9]{0,6}"' + _ATTRIBUTES + rb"/>")  # only formatted
_OTHER_CELL = re.compile(rb'<c(?! r=")[\s/>]')  # a cell whose first attribute is not r="
_PREFIXED_MAIN = re.compile(
    rb'xmlns:[^\s=]+\s*=\s*["\']http://(?:schemas\.openxmlformats\.org/spreadsheetml/2006|'
    rb'purl\.oclc\.org/ooxml/spreadsheetml)/main["\']'
)
_UNSAVED = re.compile(rb"(?:</f\s*>|<f\b[^>]*/>)(?!\s*<v\b[^>]*>\s*[^<\s])")
_HIDDEN = re.compile(rb'\bhidden\s*=\s*(?:["\']\s*(?:1|true)\s*["\']|"[^"]*&|\'[^\']*&)', re.IGNORECASE)
_ESCAPED_VALUE = re.compile(rb"<v\b[^>]*>[^<]*&")  # calamine misreads a number written with &#49;
_LAST_ROW = re.compile(rb'<row\b[^>]*?\sr="([0-9]{1,7})"')


@dataclass
class Screen:
    """What the screen found in one sheet's XML."""

    errors: bool = False  # an error cell may be there
    unsaved: bool = False  # a formula with no saved value may be there
    hidden: bool = False  # a row or column may be hidden
    odd: bool = False  # written in a way the screen does not check
    boxed: bool = True  # every cell is within A1:K249999
    extent: tuple[int, int] | None = None  # (last row, last column) of the cells holding something
    last_row: int = 0  # the number of the last ``<row r="...">`` (for the progress of reading the sheet)
    formulas: bool = False  # a formula may be there
    cells: int = 0  # cells as written, filled or not (an overestimate: other elements starting <c count too)
    rows: int = 0  # rows as written (likewise)

    @property
    def fits(self) -> bool:
        """calamine may read the sheet: its grid cannot be too big."""
        if self.odd:
            return False
        if self.boxed:
            return True
        return self.extent is not None and self.extent[0] * self.extent[1] <= MAX_GRID_CELLS

    @property
    def plain(self) -> bool:
        return self.fits and not (self.errors or self.unsaved or self.hidden)

    @property
    def careful_fits(self) -> bool:
        """The careful reader may read the sheet in reasonable time and memory."""
        return self.cells <= CAREFUL_CELLS and self.rows <= CAREFUL_ROWS

    def why_not_plain(self) -> str:
        """What makes the sheet need the careful reader, in words."""
        found = [
            what
            for what, there in (
                ("error values (#REF!, #N/A, ...)", self.errors),
                ("formulas with no saved value", self.unsaved),
                ("hidden rows or columns", self.hidden),
                ("cells written in a way the fast reader does not check", self.odd),
                ("cells too far apart", not self.odd and not self.fits),
            )
            if there
        ]
        return ", ".join(found) or "cells the fast reader cannot check"


def screen_sheet(archive: zipfile.ZipFile, member: str) -> Screen:
    found = Screen()
    for block in _blocks(archive, member):
        found.cells += block.count(b"<c") + block.count(b":c")
        found.rows += block.count(b"<row") + block.count(b":row")
        if b"<f" in block or b":f" in block:
            found.formulas = True
        if b'"e"' in block or b"'e'" in block:
            found.errors = True
        if b"<f" in block and _UNSAVED.search(block):
            found.unsaved = True
        if b"hidden" in block and _HIDDEN.search(block):
            found.hidden = True
        if (
            b"xmlns:" in block
            and _PREFIXED_MAIN.search(block)
            or _OTHER_CELL.search(block)
            or b"<![CDATA[" in block
            or b"&" in block
            and _ESCAPED_VALUE.search(block)
        ):
            found.odd = True
        if found.boxed and _OUTSIDE_BOX.search(block):
            found.boxed = False
        at = block.rfind(b"<row ")
        if at >= 0 and (last := _LAST_ROW.match(block, at)):
            found.last_row = int(last.group(1))
    if not found.boxed and not found.odd:
        found.extent = _extent(archive, member)
        found.odd = found.extent is None
    return found


def _extent(archive: zipfile.ZipFile, member: str) -> tuple[int, int] | None:
    """(last row, last column) of the cells that hold something (not ``<c .../>``); None if a cell
    is written otherwise than ``<c r="A1" a="..." ...>`` or ``.../>``."""
    columns: set[bytes] = set()
    rows: set[bytes] = set()
    for block in _blocks(archive, member):
        filled = _FILLED.findall(block)
        if len(filled) + len(_EMPTY.findall(block)) != block.count(b'<c r="'):
            return None
        columns.update(map(itemgetter(0), filled))
        rows.update(map(itemgetter(1), filled))
    if not rows:
        return 0, 0
    return max(map(int, rows)), max(_column_number(c.decode("ascii")) for c in columns)


def _column_number(letters: str) -> int:
    """'A' -> 1, 'XFD' -> 16384."""
    number = 0
    for char in letters.upper():
        number = number * 26 + ord(char) - 64
    return number


def _blocks(archive: zipfile.ZipFile, member: str):
    """The member's bytes in blocks of about BLOCK_BYTES, each cut just before a cell."""
    rest = b""
    with archive.open(member) as source:
        while True:
            data = source.read(BLOCK_BYTES)
            if not data:
                if rest:
                    yield rest
                return
            data = rest + data
            cut = data.rfind(b'<c r="')
            if cut <= 0:
                cut = data.rfind(b"<")
            if cut <= 0:
                rest = data
                continue
            yield data[:cut]
            rest = data[cut:]


# --- where each sheet's XML is: the package's relationships -----------------------------------

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the zip member holding its XML, through the package's relationships (three
    small parts, parsed by defusedxml, which refuses entity declarations)."""
    from defusedxml import ElementTree as SafeET

    root_rels = SafeET.fromstring(archive.read("_rels/.rels"))
    book = next(
        r.get("Target")
        for r in root_rels.iter(f"{_PKG_REL}Relationship")
        if r.get("Type", "").endswith("/officeDocument")
    ).lstrip("/")
    folder, base = posixpath.split(book)
    rels = SafeET.fromstring(archive.read(posixpath.join(folder, "_rels", base + ".rels")))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_PKG_REL}Relationship")}

    def member(target: str) -> str:
        return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))

    names = set(archive.namelist())
    parts = {}
    for sheet in SafeET.fromstring(archive.read(book)).iter(f"{_MAIN}sheet"):
        found = member(targets.get(sheet.get(f"{_REL}id"), ""))
        if found in names:
            parts[sheet.get("name")] = found
    return parts


def mentions(archive: zipfile.ZipFile, member: str, text: bytes) -> bool:
    """Whether ``text`` occurs anywhere in the member's bytes."""
    return any(text in block for block in _blocks(archive, member))


def count_in(archive: zipfile.ZipFile, member: str, text: bytes) -> int:
    """How many times ``text`` occurs in the member's bytes (block by block: ``text`` must start
    an element, as the blocks are cut before one)."""
    return sum(block.count(text) for block in _blocks(archive, member))
