"""Writing a :class:`~randcheck.publication.Document` as CSV, Excel ``.xlsx`` or HTML.

- **CSV**: UTF-8 with a byte-order mark (Excel opens it as UTF-8), in sections: the title,
  the body's paragraphs, the facts as ``label,value`` rows, then each table (its title, its
  header row, its rows), sections separated by an empty row. Formula-safe: a cell that starts
  with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is written behind an apostrophe
  (the escaping of :mod:`randcheck.io` directories), so a spreadsheet shows it as text.
- **.xlsx** (``pip install randcheck[xlsx]``, openpyxl): a first sheet with the title, body
  and facts, then a sheet per table; every cell is stored as text, never as a formula.
- **HTML**: one self-contained page from the ``page.html.j2`` template (autoescaped, inline
  CSS, no external resource), ``<meta charset="utf-8">``, ``lang="zh-CN"`` or ``"en"``.

Every writer checks the document (and, for CSV and HTML, the bytes it is about to write) for
personal data first (:func:`~randcheck.publication.check_public`) and writes nothing if any is
found. Files are written beside the target and renamed, so a failure leaves no half file.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
from pathlib import Path
from typing import Any, Final, Literal, TypeAlias

from randcheck.calendars import OptionalDependencyError
from randcheck.errors import ValidationError
from randcheck.io.cells import _escape_formula
from randcheck.io.files import _atomic_write_bytes
from randcheck.publication._document import Document, Table, check_public
from randcheck.publication._templates import Templates

__all__ = [
    "FORMATS",
    "Format",
    "render_csv",
    "render_html",
    "render_xlsx",
    "write_document",
]

Format: TypeAlias = Literal["csv", "xlsx", "html"]
"""A file format a publication is written in."""

FORMATS: Final[tuple[Format, ...]] = ("csv", "xlsx", "html")


def _safe_cell(text: str) -> str:
    # A tab or carriage return at the start also makes some spreadsheets evaluate what follows.
    if text[:1] in ("\t", "\r"):
        return "'" + text
    return _escape_formula(text)


def _csv_rows(document: Document) -> list[list[str]]:
    rows: list[list[str]] = [[document.title]]
    rows.extend([p] for p in document.paragraphs)
    if document.facts:
        rows.append([])
        rows.extend([key, value] for key, value in document.facts)
    for table in document.tables:
        rows.append([])
        rows.append([table.title])
        rows.append(list(table.columns))
        rows.extend(list(row) for row in table.rows)
    for chart in document.charts:
        if chart.svg is None and chart.note:
            rows.append([])
            rows.append([chart.title, chart.note])
    return rows


def render_csv(document: Document) -> str:
    """``document`` as CSV text (without the byte-order mark, which the writer adds)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in _csv_rows(document):
        writer.writerow([_safe_cell(cell) for cell in row])
    return buffer.getvalue()


# Characters XML 1.0 (and so .xlsx) cannot hold.
_ILLEGAL_XML: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_FORBIDDEN: Final = re.compile(r"[\[\]:*?/\\]")


def _sheet_title(title: str, taken: set[str]) -> str:
    base = _SHEET_FORBIDDEN.sub("_", title)[:31] or "Sheet"
    name, n = base, 2
    while name.casefold() in taken:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.casefold())
    return name


def _openpyxl() -> Any:
    try:
        import openpyxl
    except ImportError:
        raise OptionalDependencyError(
            "写出 .xlsx 需要 openpyxl：pip install 'randcheck[xlsx]' / writing .xlsx needs "
            "openpyxl: pip install 'randcheck[xlsx]'",
            field="format",
            expected="openpyxl installed",
            got="xlsx",
        ) from None
    return openpyxl


def _put(sheet: Any, row: int, column: int, text: str, *, bold: bool = False) -> None:
    from openpyxl.styles import Font

    cell = sheet.cell(row=row, column=column)
    cell.value = _ILLEGAL_XML.sub("", text)
    # Stored as a string whatever it starts with: openpyxl would take "=…" for a formula.
    cell.data_type = "s"
    cell.number_format = "@"
    if bold:
        cell.font = Font(bold=True)


def _widths(sheet: Any, table_rows: list[list[str]]) -> None:
    from openpyxl.utils import get_column_letter

    widths: dict[int, int] = {}
    for row in table_rows:
        for c, text in enumerate(row, start=1):
            wide = sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)
            widths[c] = min(max(widths.get(c, 8), wide + 2), 80)
    for c, width in widths.items():
        sheet.column_dimensions[get_column_letter(c)].width = width


def render_xlsx(document: Document) -> bytes:
    """``document`` as the bytes of an ``.xlsx`` workbook.

    Raises:
        OptionalDependencyError: openpyxl is not installed (``randcheck[xlsx]``).
    """
    openpyxl = _openpyxl()
    book = openpyxl.Workbook()
    taken: set[str] = set()
    front = book.active
    front.title = _sheet_title("公告" if document.lang == "zh" else "Notice", taken)
    _put(front, 1, 1, document.title, bold=True)
    row = 2
    for paragraph in document.paragraphs:
        _put(front, row, 1, paragraph)
        row += 1
    row += 1
    for key, value in document.facts:
        _put(front, row, 1, key, bold=True)
        _put(front, row, 2, value)
        row += 1
    for chart in document.charts:
        if chart.svg is None and chart.note:
            _put(front, row, 1, chart.title, bold=True)
            _put(front, row, 2, chart.note)
            row += 1
    front.column_dimensions["A"].width = 28
    front.column_dimensions["B"].width = 90
    for table in document.tables:
        sheet = book.create_sheet(_sheet_title(table.title, taken))
        for c, column in enumerate(table.columns, start=1):
            _put(sheet, 1, c, column, bold=True)
        for r, cells in enumerate(table.rows, start=2):
            for c, text in enumerate(cells, start=1):
                _put(sheet, r, c, text)
        sheet.freeze_panes = "A2"
        _widths(sheet, [list(table.columns), *(list(r) for r in table.rows)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _html_table(table: Table) -> dict[str, Any]:
    return {"title": table.title, "columns": table.columns, "rows": table.rows}


def render_html(document: Document, templates: Templates) -> str:
    """``document`` as one self-contained HTML page, from ``templates``' ``page.html.j2``.

    Raises:
        TemplateProblem: the page template is missing or broken.
    """
    return templates.page(
        {
            "document": document,
            "lang": document.lang,
            "html_lang": "zh-CN" if document.lang == "zh" else "en",
            "title": document.title,
            "paragraphs": document.paragraphs,
            "facts": document.facts,
            "tables": [_html_table(t) for t in document.tables],
            "charts": document.charts,
        }
    )


def _write_bytes(path: Path, data: bytes) -> None:
    # A publication's folder is made as needed (``--out published/``); where it cannot be,
    # the write below says so, naming the file.
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
    _atomic_write_bytes(path, data)


def write_document(
    document: Document, path: str | os.PathLike[str], fmt: Format, templates: Templates
) -> Path:
    """Check ``document`` for personal data, then write it to ``path`` as ``fmt``.

    Returns the path written.

    Raises:
        PersonalDataInPublication: personal data in the document (nothing is written).
        OptionalDependencyError: ``xlsx`` without openpyxl.
        TemplateProblem: ``html`` with a missing or broken page template.
        ValidationError: an unknown format.
        OSError: the file cannot be written.
    """
    check_public(document)
    target = Path(path)
    if fmt == "csv":
        text = render_csv(document)
        check_public(_as_text(document, text))
        data = ("\ufeff" + text).encode("utf-8")
    elif fmt == "xlsx":
        data = render_xlsx(document)
    elif fmt == "html":
        text = render_html(document, templates)
        check_public(_as_text(document, text))
        data = text.encode("utf-8")
    else:
        raise ValidationError(field="format", expected=" or ".join(FORMATS), got=fmt)
    _write_bytes(target, data)
    return target


def _as_text(document: Document, rendered: str) -> Document:
    # The rendered file checked as one text: a template may add words of its own.
    return Document(kind=document.kind, lang=document.lang, title="", body=rendered)
