"""Reading the directories (enterprises, inspectors, conflicts of interest).

A directory is a CSV file or an Excel workbook (``.xlsx``, read cell by cell as text by
:mod:`randcheck.io.xlsx_read`). CSV files are read as UTF-8 with or without a byte-order mark by
default (``encoding="utf-8-sig"``), in GB18030 or UTF-16 on request, or in the encoding detected
(``encoding="auto"``, :mod:`randcheck.io.files`). The first row is the header; each column may
be named in English, in Chinese or by the headers bureaus use
(:data:`randcheck.io.columns.COLUMNS`), or by a user's :class:`~randcheck.io.ColumnMap`; a few
headers that name nothing a record holds (序号, 法定代表人) are read past. Loading is
all-or-nothing: every problem in the file is collected — bad identifiers, bad values, unknown
districts, missing or unknown columns, duplicates — and reported together as one
:class:`~randcheck.errors.InputFileError` whose ``errors`` each carry the file, the physical line
or spreadsheet row (the header is line 1) and the column as written in the file. Nothing is
dropped silently; the only rows skipped are those whose every cell is blank, since they hold no
data. A value read otherwise than written (a district spelled ``天津市和平区``) is said in one
:class:`DirectoryWarning` per file.

The classes a grade cell may name, the lines a lines cell may name and the districts a district
cell may name are those of a profile (``profile=``; by default ``cn-tj-hrss``, the Tianjin HR &
social-security profile): the class codes of its primary classification scheme and their
Chinese names, its line ids and their Chinese names, its districts
(:func:`randcheck.profiles.districts.match_district`). The grade column may also be headed by
the scheme's Chinese name (``企业信用风险分类``).
"""

from __future__ import annotations

import csv
import difflib
import io
import os
import warnings
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from itertools import islice
from typing import Any, Literal, TypeAlias, TypeVar

import attrs

from randcheck.domain import Conflict, Enterprise, Inspector, RiskFlags
from randcheck.errors import InputFileError, Location, RandcheckError, ValidationError
from randcheck.ids import mask_resident_id
from randcheck.io.cells import (
    _area_disagrees,
    _class_parser,
    _district_parser,
    _lines_parser,
    _parse_bool,
    _parse_certificate,
    _parse_certificate_or_id,
    _parse_count,
    _parse_date,
    _parse_ground,
    _parse_key,
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
    ColumnMap,
    HeaderIndex,
    _enterprise_columns,
    _header_key,
    header_index,
)
from randcheck.io.files import PathLike, _decode, _decode_error, _read_bytes
from randcheck.privacy import mask_personal_data
from randcheck.profiles import TIANJIN_HRSS, Profile
from randcheck.profiles.districts import DistrictMatch

__all__ = [
    "DirectoryWarning",
    "Extra",
    "Sheet",
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
    # Fields whose cell was already reported while reading the row (a spreadsheet number in
    # an identifier column): not reported again by the field's parser.
    reported: set[str] = attrs.Factory(set)

    def location(self, field: str | None) -> Location:
        return Location(file=self.source, line=self.line, column=self.headers.get(field or ""))

    def has(self, field: str) -> bool:
        return field in self.cells

    def text(self, field: str) -> str:
        return self.cells.get(field, "")

    def required(self, field: str, what: str) -> str | None:
        """The cell of a column that must not be blank; a blank one is recorded."""
        value = self.text(field)
        if field in self.reported:
            return None
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
        if field not in self.cells or field in self.reported:
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
    header: list[str],
    columns: Sequence[Column],
    source: str,
    extra: Extra,
    errors: list[RandcheckError],
    index: HeaderIndex,
) -> _Table | None:
    """Map the header row to fields; ``None`` when rows cannot be read (errors recorded)."""
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
    headers: dict[str, str] = {}
    positions: dict[str, int] = {}
    unnamed: list[int] = []
    skipped: list[str] = []
    fatal = False
    for position, written in enumerate(header):
        written = written.replace("\ufeff", "")
        if _header_key(written) == "":
            if extra != "ignore":
                unnamed.append(position)
            continue
        if index.skips(written):
            continue
        field = index.field(written)
        if field is None:
            if extra != "ignore":
                errors.append(_unknown_column(written, columns, source))
            else:
                skipped.append(written)
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
        positions[field] = position
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
    present = {_header_key(name) for name in found}
    unused = [written for written in index.mapped if _header_key(written) not in present]
    if unused:
        # A map entry naming no header is most likely a typo of the header it was meant for.
        warnings.warn(
            DirectoryWarning(
                f"{source}: 列映射中的表头在文件中不存在 / the column map names header(s) this "
                f"file does not have: {', '.join(repr(h) for h in unused)}; headers found: "
                f"{', '.join(found)}"
            ),
            stacklevel=4,
        )
    if skipped:
        # Skipped as asked, but said: a misspelt header of a known field is skipped too.
        warnings.warn(
            DirectoryWarning(
                f"{source}: 未读取的列 / column(s) not read (extra='ignore', --extra ignore): "
                + "; ".join(_skipped(written, columns, headers) for written in skipped)
            ),
            stacklevel=4,
        )
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


def _close_match(written: str, columns: Sequence[Column], read: Collection[str] = ()) -> str | None:
    """The header of a field ``written`` is close to, if any (not of the fields ``read``)."""
    names = [name for column in columns if column.en not in read for name in column.names]
    close = difflib.get_close_matches(written.strip(), names, n=1, cutoff=0.6)
    return close[0] if close else None


def _skipped(written: str, columns: Sequence[Column], read: Collection[str]) -> str:
    close = _close_match(written, columns, read)
    return repr(written) + (f" (did you mean {close!r}?)" if close else "")


def _unknown_column(written: str, columns: Sequence[Column], source: str) -> ValidationError:
    close = _close_match(written, columns)
    hint = f"; did you mean {close!r}?" if close else ""
    return ValidationError(
        f"未知列 / unknown column {written!r}{hint} (to skip unknown columns: --extra ignore, "
        "from Python extra='ignore'; to read it as a field: a column map, --columns map.toml)",
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


def _csv_records(
    stream: Iterable[str], source: str, errors: list[RandcheckError], delimiter: str = ","
) -> Iterator[tuple[int, list[str]]]:
    """Each CSV record with the physical line it starts on; a malformed record or undecodable
    text ends the records with an error appended to ``errors``."""
    # strict: a stray or unclosed quote is an error, not a cell silently running on.
    reader = csv.reader(stream, strict=True, delimiter=delimiter)
    previous = 0  # physical lines read before the current record
    try:
        for cells in reader:
            line, previous = previous + 1, reader.line_num
            yield line, cells
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


def _rows(
    records: Iterable[tuple[int, list[str]]],
    columns: Sequence[Column],
    source: str,
    extra: Extra,
    errors: list[RandcheckError],
    index: HeaderIndex,
    numeric: Collection[tuple[int, int]] = (),
) -> Iterator[_Row]:
    """The data rows of a table whose first record is the header; file-level problems are
    appended to ``errors``. ``numeric`` holds the ``(line, column index)`` of the cells a
    spreadsheet stored as numbers."""
    iterator = iter(records)
    first = next(iterator, None)
    if first is None and errors:
        return  # the first record could not be read; the reader said why
    before = len(errors)
    table = _read_header([] if first is None else first[1], columns, source, extra, errors, index)
    if table is None:
        if first is not None:
            hint = _other_separator(first[1], columns, source, extra, index) or _header_below(
                first[1], iterator, columns, source, extra, index
            )
            if hint is not None:
                # The header's own errors (its title taken for a column, every column missing)
                # only follow from the cause the hint names.
                del errors[before:]
                errors.append(hint)
        return
    for line, cells in iterator:
        row = _row(table, line, cells)
        if row is not None:
            if numeric:
                _refuse_numbers(row, table, numeric)
            yield row


# Exports often put a title, a date or notes above the header; this far down it is looked for.
_HEADER_SEARCH = 10


def _is_header(
    cells: list[str], columns: Sequence[Column], source: str, extra: Extra, index: HeaderIndex
) -> bool:
    """Whether ``cells`` would be read as the header, asked quietly: the warnings a header
    gives (a column-map entry it lacks) would name a line that is not the header."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _read_header(cells, columns, source, extra, [], index) is not None


def _header_below(
    first: list[str],
    records: Iterator[tuple[int, list[str]]],
    columns: Sequence[Column],
    source: str,
    extra: Extra,
    index: HeaderIndex,
) -> ValidationError | None:
    """An error saying on which line the header is, when line 1 is not a header but one of
    the next lines is (a title row above it); ``None`` otherwise."""
    for line, cells in islice(records, _HEADER_SEARCH - 1):
        if _is_header(cells, columns, source, extra, index):
            title = " ".join(cell.strip() for cell in first if cell.strip())
            return ValidationError(
                f"表头在第 {line} 行 / the header is on line {line}, not on line 1: remove the "
                f"line(s) above it (a title or notes: {title!r}) and read the file again",
                expected="the header on line 1",
                got=title,
                location=Location(file=source, line=1),
            )
    return None


def _other_separator(
    first: list[str], columns: Sequence[Column], source: str, extra: Extra, index: HeaderIndex
) -> ValidationError | None:
    """An error saying the file is separated by semicolons, when its header is one cell that
    semicolons divide into a header (a spreadsheet saved with a European list separator)."""
    if len(first) != 1 or ";" not in first[0]:
        return None
    if not _is_header(first[0].split(";"), columns, source, extra, index):
        return None
    return ValidationError(
        "分隔符为分号 / the columns are separated by semicolons, not commas: save the file as "
        "CSV with commas (or tabs) between the columns",
        expected="columns separated by commas",
        got=first[0],
        location=Location(file=source, line=1),
    )


# Columns whose cells are identifiers: a spreadsheet that stored one as a number kept only its
# first 15 significant digits, so the value in the file is not the identifier.
_IDENTIFIER_FIELDS = frozenset(
    {
        "uscc",
        "resident_id",
        "certificate_no",
        "certificate_or_id",
        "inspector",
        "enterprise",
        "former_employers",
        "relatives_employers",
        "shareholdings",
    }
)


# Columns whose identifiers may be short numbers (a certificate number ``20230017``): a whole
# number of at most 15 digits is stored exactly, so such a cell is read as its digits.
_SHORT_NUMBERS_EXACT = frozenset({"certificate_no", "certificate_or_id", "inspector"})


def _refuse_numbers(row: _Row, table: _Table, numeric: Collection[tuple[int, int]]) -> None:
    for field, position in table.positions.items():
        text = row.text(field)
        if field in _SHORT_NUMBERS_EXACT and text.isdigit() and len(text) <= 15:
            continue
        if field in _IDENTIFIER_FIELDS and (row.line, position) in numeric:
            # An identity number is shown masked, as every message about one is.
            shown = mask_personal_data(text)
            row.reported.add(field)
            row.errors.append(
                ValidationError(
                    f"{field}: 单元格是数字而不是文本 / the cell holds a number, not text: "
                    f"{shown!r} looks like an identifier Excel stored as a number, which keeps "
                    "only 15 significant digits; set the column's format to Text "
                    "(设置单元格格式 → 文本) and re-enter the codes",
                    field=field,
                    expected="the identifier as a text cell",
                    got=shown,
                    location=row.location(field),
                )
            )


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


class DirectoryWarning(UserWarning):
    """A directory loaded, but some of its cells were read otherwise than written, or disagree
    with each other: a district spelled ``天津市和平区`` read as the profile's ``和平区``, or a
    unified social credit code registered in another district than the row's."""


@attrs.define
class _Notes:
    """What a loaded file is warned about, said once per file after it loads."""

    source: str
    renamed: list[tuple[int, str, str]] = attrs.Factory(list)  # line, as written, district
    areas: list[tuple[int, str, str]] = attrs.Factory(list)  # line, USCC, district
    respelled: list[tuple[int, str, str]] = attrs.Factory(list)  # line, as written, USCC

    def district(
        self, row: _Row, parse: Callable[[str], DistrictMatch] | None, *, required: bool
    ) -> str | None:
        """The row's district as the profile names it (``None``: blank, or an error
        recorded); a cell spelled otherwise is noted."""
        written = row.required("district", "the district") if required else row.text("district")
        if not written:
            return None if required else ""
        if parse is None:
            return written
        found = row.get("district", parse, None)
        if found is None:
            return None
        if not found.exact:
            self.renamed.append((row.line, written, found.district.name))
        return found.district.name

    def area(self, row: _Row, uscc: str, district: str, profile: Profile) -> None:
        found = profile.district(district)
        if found is not None and _area_disagrees(uscc, found):
            self.areas.append((row.line, uscc, district))

    def code(self, row: _Row, written: str, uscc: str) -> None:
        """Note a code written otherwise than in compact form (lower case, spaces,
        separators, full-width characters), which is read as its compact form."""
        if written != uscc:
            self.respelled.append((row.line, written, uscc))

    def warn(self, profile: Profile) -> None:
        _warn_notes(
            self.source,
            profile,
            self.renamed,
            len(self.renamed),
            self.areas,
            len(self.areas),
            self.respelled,
            len(self.respelled),
        )


def _warn_notes(
    source: str,
    profile: Profile,
    renamed: Sequence[tuple[int, str, str]],
    renamed_count: int,
    areas: Sequence[tuple[int, str, str]],
    areas_count: int,
    respelled: Sequence[tuple[int, str, str]] = (),
    respelled_count: int = 0,
) -> None:
    """The warnings of :meth:`_Notes.warn` from the first five notes of each kind (``renamed``,
    ``areas``, ``respelled``, as :class:`_Notes` holds them) and the number of each kind."""
    if respelled_count:
        _warn_listed(
            f"{source}: 统一社会信用代码已按规范形式读取 / {respelled_count} unified social "
            "credit code(s) written otherwise read in their compact form (upper case, "
            "without spaces, separators or full-width characters)",
            respelled_count,
            (f"line {line}: {written!r} → {uscc}" for line, written, uscc in respelled[:5]),
        )
    if renamed_count:
        _warn_listed(
            f"{source}: 区名已规范为配置中的写法 / {renamed_count} district "
            f"name(s) read as the profile {profile.name} writes them",
            renamed_count,
            (f"line {line}: {written!r} → {name}" for line, written, name in renamed[:5]),
        )
    if areas_count:
        _warn_listed(
            f"{source}: 统一社会信用代码的登记机关行政区划码与所属区不符 / "
            f"{areas_count} unified social credit code(s) carry the area code of "
            "another district than the row's (GB 32100 characters 3-8)",
            areas_count,
            (
                f"line {line}: {uscc} (area {uscc[2:8]}) in {district} "
                f"({_district_code(profile, district)})"
                for line, uscc, district in areas[:5]
            ),
        )


def _warn_listed(head: str, count: int, shown: Iterable[str]) -> None:
    """One :class:`DirectoryWarning`: ``head``, the first notes ``shown`` (five at most) and
    how many of the ``count`` are not shown."""
    more = f"; and {count - 5} more" if count > 5 else ""
    # Said where the loader was called: one frame further than the callers of _warn_notes.
    warnings.warn(DirectoryWarning(f"{head}: {'; '.join(shown)}{more}"), stacklevel=6)


def _district_code(profile: Profile, name: str) -> str:
    found = profile.district(name)
    return "?" if found is None else found.code


@attrs.frozen
class _Sheet:
    """The records of a table (each with its line or spreadsheet row, the header first) and
    the ``(line, column index)`` of the cells a spreadsheet stored as numbers."""

    records: Iterable[tuple[int, list[str]]]
    numeric: frozenset[tuple[int, int]] = frozenset()
    hint: str = ""  # said with the errors: e.g. the other sheets of a workbook
    name: str | None = None  # of a workbook's sheet: named in every error's place


def _collect(
    sheet: _Sheet,
    columns: Sequence[Column],
    kind: str,
    source: str,
    extra: Extra,
    column_map: ColumnMap | None,
    build: Callable[[_Row], V | None],
    what: tuple[str, str],
    errors: list[RandcheckError],
) -> list[V]:
    """The items the rows build; every problem, in file order, raised together. ``errors``
    is where the records' reader puts what ends the records (a malformed CSV record)."""
    items: list[V] = []
    index = header_index(kind, columns, column_map)
    rows = _rows(sheet.records, columns, source, extra, errors, index, sheet.numeric)
    for row in rows:
        item = build(row)
        errors.extend(row.errors)
        if item is not None and not row.errors:
            items.append(item)
    if errors:
        raise InputFileError(
            f"无法读取{what[1]} / cannot load {what[0]} from {source}: {len(errors)} error(s)"
            + sheet.hint,
            errors=_in_sheet(errors, source, sheet.name),
            location=Location(file=source, sheet=sheet.name),
        )
    return items


def _in_sheet(errors: list[RandcheckError], source: str, name: str | None) -> list[RandcheckError]:
    """``errors``, those placed in the file ``source`` placed in its sheet ``name`` too."""
    if name is None:
        return errors
    placed: list[RandcheckError] = []
    for error in errors:
        location = error.location
        if isinstance(error, ValidationError) and location is not None and location.file == source:
            error = error.at(attrs.evolve(location, sheet=name))
        placed.append(error)
    return placed


def _build_enterprise(
    row: _Row,
    seen: dict[str, int],
    parse_grade: Callable[[str], str],
    profile: Profile,
    parse_district: Callable[[str], DistrictMatch] | None,
    notes: _Notes,
) -> Enterprise | None:
    code = row.required("uscc", "a unified social credit code")
    uscc = None if code is None else row.get("uscc", _parse_uscc, None)
    _check_unique(uscc, seen, row, "uscc", "unified social credit code")
    name = row.required("name", "the enterprise's name")
    district = notes.district(row, parse_district, required=True)
    if code is not None and uscc is not None:
        notes.code(row, code, uscc)
    grade = row.get("grade", parse_grade, profile.grading.unrated)
    complaints = row.get("complaints_12m", _parse_count, 0)
    abnormal = row.get("abnormal_operations", _parse_bool, False)
    serious = row.get("serious_violation", _parse_bool, False)
    key_area = row.get("key_area", _parse_bool, False)
    if row.errors or uscc is None or name is None or district is None:
        return None
    notes.area(row, uscc, district, profile)
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
    parse_district: Callable[[str], DistrictMatch] | None,
    notes: _Notes,
) -> Inspector | None:
    certificate = row.get("certificate_no", _parse_certificate, None)
    resident_id = row.get("resident_id", _parse_resident_id, None)
    if row.has("certificate_or_id"):
        certificate, resident_id = row.get("certificate_or_id", _parse_certificate_or_id, _NO_IDS)
    lines = row.get("lines", parse_lines, _NO_LINES)
    valid_from = row.get("certificate_valid_from", _parse_date, None)
    valid_until = row.get("certificate_valid_until", _parse_date, None)
    former = row.get("former_employers", _parse_uscc_list, _NO_CODES)
    relatives = row.get("relatives_employers", _parse_uscc_list, _NO_CODES)
    shares = row.get("shareholdings", _parse_uscc_list, _NO_CODES)
    district = notes.district(row, parse_district, required=False)
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
            district=district or "",
            section=row.text("section"),
            certificate_valid_from=valid_from,
            certificate_valid_until=valid_until,
        )
    except ValidationError as exc:
        _locate(exc, row)
        return None


def _build_conflict(row: _Row, seen: dict[str, int]) -> Conflict | None:
    key = row.required("inspector", "the inspector's certificate number or key")
    inspector = None if key is None else row.get("inspector", _parse_key, None)
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
    columns: ColumnMap | None = None,
) -> list[Enterprise]:
    """Enterprises from CSV text (open files with ``newline=""``).

    Args:
        stream: lines of CSV text, e.g. an open text file.
        source: the name used in error locations.
        extra: ``"error"`` reports unknown columns; ``"ignore"`` skips them.
        profile: whose classes the grade column holds: the class codes of the profile's
            primary classification scheme or their Chinese names, a blank cell being its
            unrated class (default ``cn-tj-hrss``: A/B/C, 守法诚信/基本守法诚信/不守法诚信,
            未评级/未评价/unrated); and whose districts the district column names.
        columns: the user's own headers (:class:`~randcheck.io.ColumnMap`), if any.

    A district must be one of the profile's (where it lists any): written as the profile
    writes it, by its area code, or behind the province's or city's name (``天津市和平区``),
    read as the profile's name with a :class:`DirectoryWarning`. A code registered in another
    district than the row's (GB 32100 characters 3-8) is warned about too.

    Raises:
        InputFileError: with every problem in ``errors`` (see the module docstring); an
            unknown class or district is reported with the profile's.
    """
    errors: list[RandcheckError] = []
    return _enterprises(
        _Sheet(_csv_records(stream, source, errors)), source, extra, profile, columns, errors
    )


def _enterprises(
    sheet: _Sheet,
    source: str,
    extra: Extra,
    profile: Profile | None,
    column_map: ColumnMap | None,
    errors: list[RandcheckError],
) -> list[Enterprise]:
    the_profile = profile or TIANJIN_HRSS
    seen: dict[str, int] = {}
    parse_grade = _class_parser(the_profile.grading)
    parse_district = _district_parser(the_profile)
    notes = _Notes(source)
    items = _collect(
        sheet,
        _enterprise_columns(the_profile.grading),
        "enterprises",
        source,
        extra,
        column_map,
        lambda row: _build_enterprise(row, seen, parse_grade, the_profile, parse_district, notes),
        ("enterprises", "企业名录"),
        errors,
    )
    notes.warn(the_profile)
    return items


def read_inspectors(
    stream: Iterable[str],
    *,
    source: str = "<stream>",
    extra: Extra = "error",
    profile: Profile | None = None,
    columns: ColumnMap | None = None,
) -> list[Inspector]:
    """Inspectors from CSV text; see :func:`read_enterprises` for the arguments.

    The lines column names the ``profile``'s lines (default ``cn-tj-hrss``) by id or Chinese
    name; a district, where given, is checked against the profile's districts as
    :func:`read_enterprises` does. Duplicate inspector keys (certificate number, else
    identity number) and identity numbers that appear on two rows are reported.
    """
    errors: list[RandcheckError] = []
    return _inspectors(
        _Sheet(_csv_records(stream, source, errors)), source, extra, profile, columns, errors
    )


def _inspectors(
    sheet: _Sheet,
    source: str,
    extra: Extra,
    profile: Profile | None,
    column_map: ColumnMap | None,
    errors: list[RandcheckError],
) -> list[Inspector]:
    the_profile = profile or TIANJIN_HRSS
    keys: dict[str, int] = {}
    ids: dict[str, int] = {}
    parse_lines = _lines_parser(the_profile.lines)
    parse_district = _district_parser(the_profile)
    notes = _Notes(source)
    items = _collect(
        sheet,
        _INSPECTOR_COLUMNS,
        "inspectors",
        source,
        extra,
        column_map,
        lambda row: _build_inspector(row, keys, ids, parse_lines, parse_district, notes),
        ("inspectors", "执法检查人员名录"),
        errors,
    )
    notes.warn(the_profile)
    return items


def read_conflicts(
    stream: Iterable[str],
    *,
    source: str = "<stream>",
    extra: Extra = "error",
    profile: Profile | None = None,
    columns: ColumnMap | None = None,
) -> list[Conflict]:
    """Declared conflicts of interest from CSV text; see :func:`read_enterprises`.

    A second row for the same inspector and enterprise is reported as a duplicate. The grounds
    of recusal are the same in every profile; ``profile`` is accepted so that the three
    loaders are called alike.
    """
    errors: list[RandcheckError] = []
    return _conflicts(_Sheet(_csv_records(stream, source, errors)), source, extra, columns, errors)


def _conflicts(
    sheet: _Sheet,
    source: str,
    extra: Extra,
    column_map: ColumnMap | None,
    errors: list[RandcheckError],
) -> list[Conflict]:
    seen: dict[str, int] = {}
    return _collect(
        sheet,
        _CONFLICT_COLUMNS,
        "conflicts",
        source,
        extra,
        column_map,
        lambda row: _build_conflict(row, seen),
        ("conflicts", "回避关系"),
        errors,
    )


# --- reading files -----------------------------------------------------------------------------


Sheet: TypeAlias = str | int | None
"""Which sheet of an ``.xlsx`` file holds the directory: its name, its 0-based position, or
``None`` for the first."""


def _load(
    path: PathLike,
    encoding: str,
    sheet: Sheet,
) -> tuple[_Sheet, str, list[RandcheckError]]:
    source = os.fspath(path)
    errors: list[RandcheckError] = []
    if _is_xlsx(path):
        return _xlsx_sheet(path, sheet), source, errors
    if sheet is not None:
        raise InputFileError(
            f"{source} 不是 .xlsx 文件，不能选择工作表 / {source} is not an .xlsx file: a sheet "
            f"({sheet!r}) can only be chosen in a workbook",
            field="sheet",
            expected="no sheet for a CSV file",
            got=sheet,
            location=Location(file=source),
        )
    text = _decode(_read_bytes(path), encoding, source)
    stream = io.StringIO(text, newline="")
    return _Sheet(_csv_records(stream, source, errors, _delimiter(text))), source, errors


def _delimiter(text: str) -> str:
    # Excel's "Unicode text" (UTF-16) separates cells by tabs: a header line with tabs and no
    # comma is read so.
    header = text.split("\n", 1)[0]
    return "\t" if "\t" in header and "," not in header else ","


def load_enterprises(
    path: PathLike,
    *,
    encoding: str = "utf-8-sig",
    extra: Extra = "error",
    profile: Profile | None = None,
    columns: ColumnMap | None = None,
    sheet: Sheet = None,
) -> list[Enterprise]:
    """Enterprises from a CSV file or an Excel workbook (``.xlsx``).

    Args:
        path: the file; a name ending in ``.xlsx`` (or a file that is a workbook) is read as
            one, its cells as text (needs the ``xlsx`` extra, openpyxl).
        encoding: of a CSV file: ``"utf-8-sig"`` (UTF-8 with or without BOM, the default),
            ``"gb18030"``, ``"utf-16"``, or ``"auto"`` to detect it (refusing when unsure).
        extra: ``"error"`` reports unknown columns; ``"ignore"`` skips them.
        profile: whose classes and districts the file holds (default ``cn-tj-hrss``); see
            :func:`read_enterprises`.
        columns: the user's own headers (:class:`~randcheck.io.ColumnMap`), if any.
        sheet: of a workbook: the sheet's name or 0-based position (default: the first).

    Raises:
        InputFileError: the file cannot be opened or decoded (the message gives the byte
            offset and line and suggests the other encoding), or has bad rows, missing or
            unknown columns or duplicates; an identifier a spreadsheet stored as a number
            (a numeric cell in a workbook, ``9.11201E+17`` in a CSV file) is reported as
            such; ``errors`` lists every problem.
    """
    table, source, errors = _load(path, encoding, sheet)
    return _enterprises(table, source, extra, profile, columns, errors)


def load_inspectors(
    path: PathLike,
    *,
    encoding: str = "utf-8-sig",
    extra: Extra = "error",
    profile: Profile | None = None,
    columns: ColumnMap | None = None,
    sheet: Sheet = None,
) -> list[Inspector]:
    """Inspectors from a CSV file or workbook; see :func:`load_enterprises` and
    :func:`read_inspectors`."""
    table, source, errors = _load(path, encoding, sheet)
    return _inspectors(table, source, extra, profile, columns, errors)


def load_conflicts(
    path: PathLike,
    *,
    encoding: str = "utf-8-sig",
    extra: Extra = "error",
    profile: Profile | None = None,
    columns: ColumnMap | None = None,
    sheet: Sheet = None,
) -> list[Conflict]:
    """Declared conflicts of interest from a CSV file or workbook; see
    :func:`load_enterprises`."""
    table, source, errors = _load(path, encoding, sheet)
    return _conflicts(table, source, extra, columns, errors)


def _is_xlsx(path: PathLike) -> bool:
    if os.fspath(path).lower().endswith((".xlsx", ".xlsm")):
        return True
    try:
        with open(path, "rb") as stream:
            return stream.read(4) == b"PK\x03\x04"
    except OSError:
        return False


def _xlsx_sheet(path: PathLike, sheet: Sheet) -> _Sheet:
    from randcheck.io.xlsx_read import read_sheet

    rows, numeric, names = read_sheet(path, sheet)
    # The sheet read_sheet chose: by name, else by position (a text of digits too).
    if isinstance(sheet, str) and sheet in names:
        name: str | None = sheet
    else:
        position = 0 if sheet is None else int(sheet)
        name = names[position] if 0 <= position < len(names) else None
    hint = ""
    if sheet is None and len(names) > 1:
        # The first sheet is often a notes sheet: a failure there names the others.
        others = ", ".join(repr(name) for name in names[1:])
        hint = (
            f"; 已读取第一个工作表 {names[0]!r}，另有 {others}，可用 --sheet 指定 / read the "
            f"first sheet {names[0]!r}; the workbook also has {others}: choose one with --sheet "
            "(sheet= in Python)"
        )
    return _Sheet(rows, numeric, hint, name)
