"""Reading a directory from an Excel workbook (``.xlsx``), its cells as text.

A bureau's directories live in Excel. Saved as CSV, a column of 18-digit codes stored as numbers
comes out as ``9.11201E+17``, its digits gone; read from the workbook, a code typed as text stays
text. Each cell becomes the text the CSV reader would have seen: text as written, a whole number
as its digits, a date as ``YYYY-MM-DD``, true/false as 是/否, an empty cell as blank. Which
cells held numbers is kept, so that an identifier column holding one is reported (a number has at
most 15 significant digits in a spreadsheet, so it is not the identifier any more). Rows are
numbered as the spreadsheet numbers them, the header being row 1.

Needs openpyxl (``pip install 'randcheck[xlsx]'``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date, datetime, time
from typing import Any

from randcheck.errors import InputFileError, Location
from randcheck.io.files import PathLike

__all__: list[str] = []


def _cell_text(value: Any) -> tuple[str, bool]:
    """The cell's text and whether the cell held a number."""
    if value is None:
        return "", False
    if isinstance(value, bool):
        return ("是" if value else "否"), False
    if isinstance(value, int):
        return str(value), True
    if isinstance(value, float):
        return (str(int(value)) if value.is_integer() else repr(value)), True
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat(), False
        return value.isoformat(sep=" "), False
    if isinstance(value, date):
        return value.isoformat(), False
    return str(value), False


def read_sheet(
    path: PathLike, sheet: str | int | None
) -> tuple[list[tuple[int, list[str]]], frozenset[tuple[int, int]], list[str]]:
    """The rows of ``sheet`` (name, 0-based position, or ``None`` for the first) of the
    workbook at ``path``: ``(row number, cells as text)`` for each row, the
    ``(row number, column index)`` of the cells that held numbers, and the workbook's sheet
    names in order.

    Raises:
        InputFileError: openpyxl is not installed, the file is not a workbook that opens, or
            it has no such sheet (the message lists its sheets).
    """
    source = os.fspath(path)
    try:
        import openpyxl
    except ImportError:
        raise InputFileError(
            f"读取 .xlsx 需要 openpyxl / reading {source} needs openpyxl: "
            "pip install 'randcheck[xlsx]' (or save the sheet as CSV UTF-8)",
            field="file",
            expected="openpyxl installed",
            got=source,
            location=Location(file=source),
        ) from None
    try:
        # Opened here, not by name: openpyxl refuses a workbook whose name does not end in
        # .xlsx, and an export saved under another name is still one.
        handle = open(source, "rb")  # noqa: SIM115 - closed by the with below
    except OSError as exc:
        raise InputFileError(
            f"无法打开文件 / cannot open {source}: {exc.strerror or exc}",
            location=Location(file=source),
        ) from exc
    with handle:
        return _read_book(openpyxl, handle, source, sheet)


def _read_book(
    openpyxl: Any, handle: Any, source: str, sheet: str | int | None
) -> tuple[list[tuple[int, list[str]]], frozenset[tuple[int, int]], list[str]]:
    try:
        # read_only streams the rows; data_only gives a formula's last computed value.
        book = openpyxl.load_workbook(handle, read_only=True, data_only=True)
    except OSError as exc:
        raise InputFileError(
            f"无法读取文件 / cannot read {source}: {exc.strerror or exc}",
            location=Location(file=source),
        ) from exc
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise InputFileError(
            f"不是有效的 .xlsx 工作簿 / {source} is not an Excel workbook (.xlsx) that opens: "
            f"{exc}; an old .xls file must be saved as .xlsx or CSV UTF-8",
            field="file",
            expected="an .xlsx workbook",
            got=type(exc).__name__,
            location=Location(file=source),
        ) from None
    try:
        names = book.sheetnames
        if sheet is None:
            chosen = names[0]
        elif isinstance(sheet, int) and 0 <= sheet < len(names):
            chosen = names[sheet]
        elif isinstance(sheet, str) and sheet in names:
            chosen = sheet
        elif isinstance(sheet, str) and sheet.isdigit() and int(sheet) < len(names):
            chosen = names[int(sheet)]
        else:
            raise InputFileError(
                f"工作簿中没有工作表 {sheet!r} / {source} has no sheet {sheet!r}; its sheets: "
                + ", ".join(repr(name) for name in names),
                field="sheet",
                expected="one of " + ", ".join(names) + " (or its position from 0)",
                got=sheet,
                location=Location(file=source),
            )
        rows: list[tuple[int, list[str]]] = []
        numeric: set[tuple[int, int]] = set()
        for number, values in _numbered(book[chosen].iter_rows(values_only=True)):
            cells: list[str] = []
            for column, value in enumerate(values):
                text, is_number = _cell_text(value)
                cells.append(text)
                if is_number:
                    numeric.add((number, column))
            rows.append((number, cells))
        # A sheet's rows may end early where their last cells are empty; empty cells are
        # blank cells, not missing ones.
        width = max((len(cells) for _, cells in rows), default=0)
        padded = [(n, cells + [""] * (width - len(cells))) for n, cells in rows]
        return padded, frozenset(numeric), list(names)
    finally:
        book.close()


def _numbered(rows: Any) -> Iterator[tuple[int, tuple[Any, ...]]]:
    for number, values in enumerate(rows, start=1):
        yield number, tuple(values)
