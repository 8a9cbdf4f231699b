"""Reading the CSV directories (enterprises, inspectors, conflicts of interest).

Files are read as UTF-8 with or without a byte-order mark by default (``encoding="utf-8-sig"``),
or in GB18030 on request (``encoding="gb18030"``). The first line is the header; each column may
be named in English or in Chinese (:data:`randcheck.io.columns.COLUMNS`). Loading is
all-or-nothing: every problem in the file is collected — bad identifiers, bad values, missing or
unknown columns, duplicates — and reported together as one
:class:`~randcheck.errors.InputFileError` whose ``errors`` each carry the file, the physical line
(the header is line 1) and the column as written in the file. Nothing is dropped or changed
silently; the only rows skipped are those whose every cell is blank, since they hold no data.

The classes a grade cell may name and the lines a lines cell may name are those of a profile
(``profile=``; by default ``cn-tj-hrss``, the Tianjin HR & social-security profile): the class
codes of its primary classification scheme and their Chinese names, its line ids and their
Chinese names. The grade column may also be headed by the scheme's Chinese name
(``企业信用风险分类``).
"""

from __future__ import annotations

import csv
import difflib
import io
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Literal, TypeAlias, TypeVar

import attrs

from randcheck.domain import Conflict, Enterprise, Inspector, RiskFlags
from randcheck.errors import InputFileError, Location, RandcheckError, ValidationError
from randcheck.ids import mask_resident_id
from randcheck.io.cells import (
    _class_parser,
    _lines_parser,
    _parse_bool,
    _parse_certificate_or_id,
    _parse_count,
    _parse_date,
    _parse_ground,
    _parse_resident_id,
    _parse_uscc,
    _parse_uscc_list,
    _unescape_formula,
)
from randcheck.io.columns import (
    _CONFLICT_COLUMNS,
    _EXCLUSIVE,
    _INSPECTOR_COLUMNS,
    Column,
    _enterprise_columns,
    _header_key,
)
from randcheck.io.files import PathLike, _decode, _decode_error, _read_bytes
from randcheck.profiles import TIANJIN_HRSS, Profile

__all__ = [
    "Extra",
    "load_conflicts",
    "load_enterprises",
    "load_inspectors",
    "read_conflicts",
    "read_enterprises",
    "read_inspectors",
]

V = TypeVar("V")

Extra: TypeAlias = Literal["error", "ignore"]
"""What to do with columns the loader does not know: report them (default) or skip them."""

# --- reading CSV text --------------------------------------------------------------------------


@attrs.define
class _Row:
    """One data row: its cells by field, the headers as written, and the errors found."""

    source: str
    line: int
    cells: dict[str, str]
    headers: dict[str, str]
    errors: list[RandcheckError] = attrs.Factory(list)

    def location(self, field: str | None) -> Location:
        return Location(file=self.source, line=self.line, column=self.headers.get(field or ""))

    def has(self, field: str) -> bool:
        return field in self.cells

    def text(self, field: str) -> str:
        return self.cells.get(field, "")

    def required(self, field: str, what: str) -> str | None:
        """The cell of a column that must not be blank; a blank one is recorded."""
        value = self.text(field)
        if value == "":
            self.errors.append(
                ValidationError(
                    f"{field}: 不能为空 / expected {what}, got a blank cell",
                    field=field,
                    expected=what,
                    got="",
                    location=self.location(field),
                )
            )
            return None
        return value

    def get(self, field: str, parse: Callable[[str], V], default: V) -> V:
        """The parsed cell, or ``default`` (absent column; or a bad cell, which is recorded)."""
        if field not in self.cells:
            return default
        try:
            return parse(self.cells[field])
        except ValidationError as exc:
            self.fail(exc, field)
            return default

    def fail(self, exc: ValidationError, field: str) -> None:
        """Record ``exc`` at ``field``'s column (renamed to ``field``)."""
        message = exc.message
        if message == f"{exc.field or 'value'}: expected {exc.expected}, got {exc.got!r}":
            # The parsers' errors carry no field; name the cell's field in the message.
            message = f"{field}: expected {exc.expected}, got {exc.got!r}"
        self.errors.append(
            type(exc)(
                message,
                field=field,
                expected=exc.expected,
                got=exc.got,
                location=self.location(field),
            )
        )


@attrs.frozen
class _Table:
    """The parsed header of a CSV file."""

    source: str
    headers: dict[str, str]  # field -> header as written
    positions: dict[str, int]  # field -> column index
    width: int
    unnamed: tuple[int, ...]  # columns with a blank header, checked for data
    extra: Extra


def _read_header(
    reader: Iterator[list[str]],
    columns: Sequence[Column],
    source: str,
    extra: Extra,
    errors: list[RandcheckError],
) -> _Table | None:
    """Map the header row to fields; ``None`` when rows cannot be read (errors recorded)."""
    try:
        header = next(reader)
    except StopIteration:
        header = []
    if not any(cell.strip() for cell in header):
        errors.append(
            ValidationError(
                "文件为空或缺少表头 / no header line: the first line must name the columns",
                field=None,
                expected="a header line naming the columns",
                got=None if not header else ",".join(header),
                location=Location(file=source, line=1),
            )
        )
        return None
    by_name = {_header_key(name): column.en for column in columns for name in column.names}
    headers: dict[str, str] = {}
    positions: dict[str, int] = {}
    unnamed: list[int] = []
    fatal = False
    for index, written in enumerate(header):
        written = written.replace("\ufeff", "")
        key = _header_key(written)
        if key == "":
            if extra != "ignore":
                unnamed.append(index)
            continue
        field = by_name.get(key)
        if field is None:
            if extra != "ignore":
                errors.append(_unknown_column(written, columns, source))
            continue
        if field in headers:
            fatal = True
            errors.append(
                ValidationError(
                    f"重复列 / columns {headers[field]!r} and {written!r} both give {field!r}",
                    field=field,
                    expected="one column per field",
                    got=[headers[field], written],
                    location=Location(file=source, line=1, column=written),
                )
            )
            continue
        headers[field] = written
        positions[field] = index
    for combined, parts in _EXCLUSIVE.items():
        for part in parts:
            if combined in headers and part in headers:
                fatal = True
                errors.append(
                    ValidationError(
                        f"重复列 / column {headers[combined]!r} and column {headers[part]!r} "
                        "both give the inspector's identifier; use one or the other",
                        field=part,
                        expected=f"either {combined!r} or {part!r}",
                        got=[headers[combined], headers[part]],
                        location=Location(file=source, line=1, column=headers[part]),
                    )
                )
    found = [name.replace("\ufeff", "") for name in header]
    for column in columns:
        if column.required and column.en not in headers:
            fatal = True
            errors.append(_missing_column(column, found, source))
    if "certificate_or_id" in {c.en for c in columns} and not (
        {"certificate_no", "resident_id", "certificate_or_id"} & headers.keys()
    ):
        fatal = True
        errors.append(
            ValidationError(
                "缺少必需列 / missing required column: 执法证号 (certificate_no), 身份证号 "
                f"(resident_id) or 执法证号/身份证号 (certificate_or_id); headers found: "
                f"{', '.join(found)}",
                field="certificate_no",
                expected="a column certificate_no, resident_id or certificate_or_id",
                got=found,
                location=Location(file=source, line=1),
            )
        )
    if fatal:
        return None
    return _Table(
        source=source,
        headers=headers,
        positions=positions,
        width=len(header),
        unnamed=tuple(unnamed),
        extra=extra,
    )


def _unknown_column(written: str, columns: Sequence[Column], source: str) -> ValidationError:
    names = [name for column in columns for name in column.names]
    close = difflib.get_close_matches(written.strip(), names, n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return ValidationError(
        f"未知列 / unknown column {written!r}{hint} (to skip unknown columns: --extra ignore, "
        "from Python extra='ignore')",
        field=None,
        expected="a known column header (see docs/io.md)",
        got=written,
        location=Location(file=source, line=1, column=written),
    )


def _missing_column(column: Column, found: list[str], source: str) -> ValidationError:
    return ValidationError(
        f"缺少必需列 / missing required column {column.en!r} ({column.zh}); "
        f"headers found: {', '.join(found)}",
        field=column.en,
        expected=f"a column {column.en!r} or {column.zh!r}",
        got=found,
        location=Location(file=source, line=1),
    )


def _rows(
    stream: Iterable[str],
    columns: Sequence[Column],
    source: str,
    extra: Extra,
    errors: list[RandcheckError],
) -> Iterator[_Row]:
    """The data rows of a CSV stream; file-level problems are appended to ``errors``."""
    # strict: a stray or unclosed quote is an error, not a cell silently running on.
    reader = csv.reader(stream, strict=True)
    previous = 0  # physical lines read before the current record
    try:
        table = _read_header(reader, columns, source, extra, errors)
        if table is None:
            return
        previous = reader.line_num
        for cells in reader:
            line, previous = previous + 1, reader.line_num
            row = _row(table, line, cells)
            if row is not None:
                yield row
    except csv.Error as exc:
        errors.append(
            ValidationError(
                f"CSV 格式错误 / malformed CSV in the record starting on line {previous + 1}: "
                f"{exc}; nothing after it was read",
                expected="well-formed CSV (RFC 4180)",
                got=str(exc),
                location=Location(file=source, line=previous + 1),
            )
        )
    except UnicodeDecodeError as exc:
        errors.append(_decode_error(exc, source, reader.line_num + 1, offset=None))


def _row(table: _Table, line: int, cells: list[str]) -> _Row | None:
    if not any(cell.strip() for cell in cells):
        return None
    row = _Row(
        source=table.source,
        line=line,
        cells={
            field: _unescape_formula(cells[i].strip())
            for field, i in table.positions.items()
            if i < len(cells)
        },
        headers=table.headers,
    )
    location = Location(file=table.source, line=line)
    if len(cells) < table.width:
        # A row that ends early is most often a line broken by an unquoted line break.
        missing = sorted((i, f) for f, i in table.positions.items() if i >= len(cells))
        field = missing[0][1] if missing else None
        row.errors.append(
            ValidationError(
                f"行不完整 / row has {len(cells)} cells, the header has {table.width}",
                field=field,
                expected=f"{table.width} cells, one per column",
                got=len(cells),
                location=row.location(field),
            )
        )
    surplus = [] if table.extra == "ignore" else [c for c in cells[table.width :] if c.strip()]
    unnamed = [cells[i] for i in table.unnamed if i < len(cells) and cells[i].strip()]
    hidden = unnamed + surplus
    if hidden:
        row.errors.append(
            ValidationError(
                "数据在无表头的列中 / cells outside any named column hold data: "
                + ", ".join(repr(cell) for cell in hidden),
                expected="no data outside the named columns",
                got=hidden,
                location=location,
            )
        )
    return row


def _locate(exc: ValidationError, row: _Row) -> None:
    """Record an error raised by a record's constructor, at the column of its field."""
    field = exc.field if exc.field in row.headers else None
    if exc.field in _EXCLUSIVE["certificate_or_id"] and "certificate_or_id" in row.headers:
        field = "certificate_or_id"
    row.errors.append(exc.at(row.location(field)))


def _check_unique(
    key: str | None,
    seen: dict[str, int],
    row: _Row,
    field: str,
    what: str,
    shown: str | None = None,
) -> bool:
    """Record ``key`` as seen on ``row``; report and return true if it was seen before."""
    if key is None:
        return False
    first = seen.setdefault(key, row.line)
    if first == row.line:
        return False
    label = key if shown is None else shown
    row.errors.append(
        ValidationError(
            f"重复 / duplicate {what} {label!r} on lines {first} and {row.line}",
            field=field,
            expected=f"a {what} that appears once (already on line {first})",
            got=key,
            location=row.location(field),
        )
    )
    return True


def _collect(
    stream: Iterable[str],
    columns: Sequence[Column],
    source: str,
    extra: Extra,
    build: Callable[[_Row], V | None],
    what: tuple[str, str],
) -> list[V]:
    errors: list[RandcheckError] = []
    items: list[V] = []
    for row in _rows(stream, columns, source, extra, errors):
        item = build(row)
        errors.extend(row.errors)
        if item is not None and not row.errors:
            items.append(item)
    if errors:
        raise InputFileError(
            f"无法读取{what[1]} / cannot load {what[0]} from {source}: {len(errors)} error(s)",
            errors=errors,
            location=Location(file=source),
        )
    return items


def _build_enterprise(
    row: _Row, seen: dict[str, int], parse_grade: Callable[[str], str], unrated: str
) -> Enterprise | None:
    code = row.required("uscc", "a unified social credit code")
    uscc = None if code is None else row.get("uscc", _parse_uscc, None)
    _check_unique(uscc, seen, row, "uscc", "unified social credit code")
    name = row.required("name", "the enterprise's name")
    district = row.required("district", "the district")
    grade = row.get("grade", parse_grade, unrated)
    complaints = row.get("complaints_12m", _parse_count, 0)
    abnormal = row.get("abnormal_operations", _parse_bool, False)
    serious = row.get("serious_violation", _parse_bool, False)
    key_area = row.get("key_area", _parse_bool, False)
    if row.errors or uscc is None or name is None or district is None:
        return None
    try:
        return Enterprise(
            uscc=uscc,
            name=name,
            district=district,
            industry=row.text("industry"),
            grade=grade,
            risk=RiskFlags(
                complaints_12m=complaints,
                abnormal_operations=abnormal,
                serious_violation=serious,
                key_area=key_area,
            ),
        )
    except ValidationError as exc:
        _locate(exc, row)
        return None


_NO_IDS: tuple[str | None, str | None] = (None, None)
_NO_LINES: frozenset[str] = frozenset()
_NO_CODES: tuple[str, ...] = ()


def _build_inspector(
    row: _Row,
    seen_keys: dict[str, int],
    seen_ids: dict[str, int],
    parse_lines: Callable[[str], frozenset[str]],
) -> Inspector | None:
    certificate: str | None = row.text("certificate_no") or None
    resident_id = row.get("resident_id", _parse_resident_id, None)
    if row.has("certificate_or_id"):
        certificate, resident_id = row.get("certificate_or_id", _parse_certificate_or_id, _NO_IDS)
    lines = row.get("lines", parse_lines, _NO_LINES)
    valid_from = row.get("certificate_valid_from", _parse_date, None)
    valid_until = row.get("certificate_valid_until", _parse_date, None)
    former = row.get("former_employers", _parse_uscc_list, _NO_CODES)
    relatives = row.get("relatives_employers", _parse_uscc_list, _NO_CODES)
    shares = row.get("shareholdings", _parse_uscc_list, _NO_CODES)
    key_field = "certificate_no" if certificate is not None else "resident_id"
    if row.has("certificate_or_id"):
        key_field = "certificate_or_id"
    key = certificate if certificate is not None else resident_id
    shown = None if certificate is not None or key is None else mask_resident_id(key)
    key_repeated = _check_unique(key, seen_keys, row, key_field, "inspector key", shown)
    # The same person on two rows under different certificate numbers is a duplicate too;
    # it is reported once when the identity number is itself the repeated key.
    if resident_id is not None and not (key_repeated and key == resident_id):
        id_field = "certificate_or_id" if row.has("certificate_or_id") else "resident_id"
        _check_unique(
            resident_id, seen_ids, row, id_field, "resident id", mask_resident_id(resident_id)
        )
    if row.errors:
        return None
    # The attrs mypy plugin types the bare ``frozenset``/``tuple`` converters of these
    # fields as ``Iterable[_T_co]``, which no argument satisfies; the values are right.
    collections: dict[str, Any] = {
        "lines": lines,
        "former_employers": former,
        "relatives_employers": relatives,
        "shareholdings": shares,
    }
    try:
        return Inspector(
            **collections,
            name=row.text("name"),
            department=row.text("department"),
            post=row.text("post"),
            certificate_no=certificate,
            resident_id=resident_id,
            phone=row.text("phone"),
            district=row.text("district"),
            section=row.text("section"),
            certificate_valid_from=valid_from,
            certificate_valid_until=valid_until,
        )
    except ValidationError as exc:
        _locate(exc, row)
        return None


def _build_conflict(row: _Row, seen: dict[str, int]) -> Conflict | None:
    inspector = row.required("inspector", "the inspector's certificate number or key")
    code = row.required("enterprise", "a unified social credit code")
    enterprise = None if code is None else row.get("enterprise", _parse_uscc, None)
    text = row.required("ground", "a ground of recusal")
    ground = None if text is None else row.get("ground", _parse_ground, None)
    if enterprise is not None and inspector is not None:
        pair = f"{inspector} × {enterprise}"
        _check_unique(pair, seen, row, "enterprise", "conflict (inspector × enterprise)")
    if row.errors or inspector is None or enterprise is None or ground is None:
        return None
    try:
        return Conflict(
            inspector=inspector, enterprise=enterprise, ground=ground, note=row.text("note")
        )
    except ValidationError as exc:
        _locate(exc, row)
        return None


def read_enterprises(
    stream: Iterable[str],
    *,
    source: str = "<stream>",
    extra: Extra = "error",
    profile: Profile | None = None,
) -> list[Enterprise]:
    """Enterprises from CSV text (open files with ``newline=""``).

    Args:
        stream: lines of CSV text, e.g. an open text file.
        source: the name used in error locations.
        extra: ``"error"`` reports unknown columns; ``"ignore"`` skips them.
        profile: whose classes the grade column holds: the class codes of the profile's
            primary classification scheme or their Chinese names, a blank cell being its
            unrated class (default ``cn-tj-hrss``: A/B/C, 守法诚信/基本守法诚信/不守法诚信,
            未评级/unrated).

    Raises:
        InputFileError: with every problem in ``errors`` (see the module docstring); an
            unknown class is reported with the profile's classes.
    """
    scheme = (profile or TIANJIN_HRSS).grading
    seen: dict[str, int] = {}
    parse_grade = _class_parser(scheme)
    return _collect(
        stream,
        _enterprise_columns(scheme),
        source,
        extra,
        lambda row: _build_enterprise(row, seen, parse_grade, scheme.unrated),
        ("enterprises", "企业名录"),
    )


def read_inspectors(
    stream: Iterable[str],
    *,
    source: str = "<stream>",
    extra: Extra = "error",
    profile: Profile | None = None,
) -> list[Inspector]:
    """Inspectors from CSV text; see :func:`read_enterprises` for the arguments.

    The lines column names the ``profile``'s lines (default ``cn-tj-hrss``) by id or Chinese
    name. Duplicate inspector keys (certificate number, else identity number) and identity
    numbers that appear on two rows are reported.
    """
    keys: dict[str, int] = {}
    ids: dict[str, int] = {}
    parse_lines = _lines_parser((profile or TIANJIN_HRSS).lines)
    return _collect(
        stream,
        _INSPECTOR_COLUMNS,
        source,
        extra,
        lambda row: _build_inspector(row, keys, ids, parse_lines),
        ("inspectors", "执法检查人员名录"),
    )


def read_conflicts(
    stream: Iterable[str],
    *,
    source: str = "<stream>",
    extra: Extra = "error",
    profile: Profile | None = None,
) -> list[Conflict]:
    """Declared conflicts of interest from CSV text; see :func:`read_enterprises`.

    A second row for the same inspector and enterprise is reported as a duplicate. The grounds
    of recusal are the same in every profile; ``profile`` is accepted so that the three
    loaders are called alike.
    """
    seen: dict[str, int] = {}
    return _collect(
        stream,
        _CONFLICT_COLUMNS,
        source,
        extra,
        lambda row: _build_conflict(row, seen),
        ("conflicts", "回避关系"),
    )


# --- reading CSV files -------------------------------------------------------------------------


def _load_csv(
    path: PathLike,
    encoding: str,
    reader: Callable[..., list[V]],
    extra: Extra,
    profile: Profile | None,
) -> list[V]:
    source = os.fspath(path)
    text = _decode(_read_bytes(path), encoding, source)
    return reader(io.StringIO(text, newline=""), source=source, extra=extra, profile=profile)


def load_enterprises(
    path: PathLike,
    *,
    encoding: str = "utf-8-sig",
    extra: Extra = "error",
    profile: Profile | None = None,
) -> list[Enterprise]:
    """Enterprises from a CSV file.

    Args:
        path: the file.
        encoding: ``"utf-8-sig"`` (UTF-8 with or without BOM, the default) or ``"gb18030"``.
        extra: ``"error"`` reports unknown columns; ``"ignore"`` skips them.
        profile: whose classes the grade column holds (default ``cn-tj-hrss``); see
            :func:`read_enterprises`.

    Raises:
        InputFileError: the file cannot be opened or decoded (the message gives the byte
            offset and line and suggests the other encoding), or has bad rows, missing or
            unknown columns or duplicates; ``errors`` lists every problem.
    """
    return _load_csv(path, encoding, read_enterprises, extra, profile)


def load_inspectors(
    path: PathLike,
    *,
    encoding: str = "utf-8-sig",
    extra: Extra = "error",
    profile: Profile | None = None,
) -> list[Inspector]:
    """Inspectors from a CSV file; see :func:`load_enterprises` and :func:`read_inspectors`."""
    return _load_csv(path, encoding, read_inspectors, extra, profile)


def load_conflicts(
    path: PathLike,
    *,
    encoding: str = "utf-8-sig",
    extra: Extra = "error",
    profile: Profile | None = None,
) -> list[Conflict]:
    """Declared conflicts of interest from a CSV file; see :func:`load_enterprises`."""
    return _load_csv(path, encoding, read_conflicts, extra, profile)
