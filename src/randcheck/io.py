"""Loading and saving directories and records: CSV with English or Chinese headers, JSON.

**CSV** (enterprises, inspectors, conflicts of interest). Files are read as UTF-8 with or
without a byte-order mark by default (``encoding="utf-8-sig"``), or in GB18030 on request
(``encoding="gb18030"``). The first line is the header; each column may be named in English
(the field name, e.g. ``uscc``) or in Chinese (e.g. ``统一社会信用代码``); :data:`COLUMNS` holds
the full mapping and ``docs/io.md`` prints it. Loading is all-or-nothing: every problem in the
file is collected — bad identifiers, bad values, missing or unknown columns, duplicates — and
reported together as one :class:`~randcheck.errors.InputFileError` whose ``errors`` each carry
the file, the physical line (the header is line 1) and the column as written in the file.
Nothing is dropped or changed silently; the only rows skipped are those whose every cell is
blank, since they hold no data.

**JSON** documents (``{"schema": 1, "kind": ..., "data": ...}``) are written in canonical form
(:mod:`randcheck.canonical`) and read back strictly, with every problem reported with its JSON
path. **JSON Lines** files hold a header line ``{"kind": ..., "schema": 1}`` and then one
canonical JSON value per line, for collections too large to hold as one document.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import io
import json
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import IO, Any, Literal, NoReturn, TypeAlias, TypeVar

import attrs

from randcheck.canonical import (
    SCHEMA_VERSION,
    canonical_json,
    envelope_errors,
    from_document,
    structure,
    to_document,
    unstructure,
)
from randcheck.domain import (
    Conflict,
    ConflictGround,
    Enterprise,
    Grade,
    Inspector,
    Line,
    RiskFlags,
)
from randcheck.errors import InputFileError, Location, RandcheckError, ValidationError
from randcheck.ids import compact_resident_id, mask_resident_id, validate_resident_id, validate_uscc

__all__ = [
    "COLUMNS",
    "Column",
    "Extra",
    "HeaderStyle",
    "PathLike",
    "iter_jsonl",
    "load_conflicts",
    "load_enterprises",
    "load_inspectors",
    "load_json",
    "load_jsonl",
    "read_conflicts",
    "read_enterprises",
    "read_inspectors",
    "read_json",
    "save_conflicts_csv",
    "save_enterprises_csv",
    "save_inspectors_csv",
    "save_json",
    "write_conflicts_csv",
    "write_enterprises_csv",
    "write_inspectors_csv",
    "write_jsonl",
]

T = TypeVar("T")
V = TypeVar("V")

PathLike: TypeAlias = str | os.PathLike[str]
"""A file name: a string or a :class:`pathlib.Path`."""

Extra: TypeAlias = Literal["error", "ignore"]
"""What to do with columns the loader does not know: report them (default) or skip them."""

HeaderStyle: TypeAlias = Literal["en", "zh"]
"""Which header names a saved CSV file uses: English field names or Chinese."""


# --- the header mapping ------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Column:
    """One CSV column: its English name (the field), Chinese name, other accepted headers.

    ``en`` and ``zh`` are what :func:`save_enterprises_csv` and friends write; every name in
    ``aliases`` is accepted on reading too. ``required`` columns must be present in the header
    (their cells may still be blank where the record allows it).
    """

    en: str
    zh: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    description: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        """Every header accepted for this column."""
        return (self.en, self.zh, *self.aliases)


_ENTERPRISE_COLUMNS = (
    Column(en="uscc", zh="统一社会信用代码", required=True, description="GB 32100 code"),
    Column(en="name", zh="企业名称", aliases=("单位名称",), required=True),
    Column(en="district", zh="所属区", aliases=("区域", "所属区域"), required=True),
    Column(en="industry", zh="行业", aliases=("所属行业",)),
    Column(
        en="grade",
        zh="守法诚信等级",
        aliases=("劳动保障守法诚信等级",),
        description="A/B/C, 守法诚信/基本守法诚信/不守法诚信, or blank/未评级/unrated",
    ),
    Column(
        en="complaints_12m",
        zh="近12个月投诉举报次数",
        description="whole number >= 0; blank is 0",
    ),
    Column(
        en="abnormal_operations",
        zh="经营异常名录",
        aliases=("列入经营异常名录",),
        description="是/否, true/false, yes/no, 1/0; blank is 否",
    ),
    Column(en="serious_violation", zh="严重违法违规记录", description="as above"),
    Column(en="key_area", zh="重点监管地区", description="as above"),
)

_INSPECTOR_COLUMNS = (
    Column(en="name", zh="姓名", required=True),
    Column(en="department", zh="部门", aliases=("所属部门",), required=True),
    Column(en="post", zh="职务", required=True),
    Column(
        en="certificate_no",
        zh="执法证号",
        aliases=("执法证件号码",),
        description="one of certificate_no, resident_id or certificate_or_id is required",
    ),
    Column(
        en="resident_id",
        zh="身份证号",
        aliases=("居民身份号码", "公民身份号码", "身份证号码"),
        description="GB 11643 number, 18 characters",
    ),
    Column(
        en="certificate_or_id",
        zh="执法证号/身份证号",
        aliases=("执法证号或身份证号", "执法证号/身份证号码"),
        description="an 18-character identity number is read as resident_id, "
        "anything else as certificate_no",
    ),
    Column(en="phone", zh="联系电话", aliases=("电话", "手机号码"), required=True),
    Column(en="district", zh="所属区", aliases=("区域", "所属区域")),
    Column(en="section", zh="科室"),
    Column(
        en="lines",
        zh="执法领域",
        aliases=("条线",),
        description="劳动保障监察/社会保险稽查/医疗保险监督检查 or the English values, "
        "separated by ; or 、",
    ),
    Column(en="certificate_valid_from", zh="执法证有效期起", description="date"),
    Column(en="certificate_valid_until", zh="执法证有效期止", description="date"),
    Column(en="former_employers", zh="曾任职单位", description="USCCs separated by ; or 、"),
    Column(en="relatives_employers", zh="亲属任职单位", description="USCCs"),
    Column(en="shareholdings", zh="持股企业", description="USCCs"),
)

_CONFLICT_COLUMNS = (
    Column(
        en="inspector",
        zh="执法人员",
        aliases=("执法证号", "执法人员执法证号"),
        required=True,
        description="the inspector's key: certificate number, else identity number",
    ),
    Column(
        en="enterprise",
        zh="企业统一社会信用代码",
        aliases=("统一社会信用代码",),
        required=True,
    ),
    Column(
        en="ground",
        zh="回避事由",
        required=True,
        description="曾任职/亲属/持股/本人/其他 or the English values",
    ),
    Column(en="note", zh="说明", aliases=("备注",), description="required when ground is 其他"),
)

COLUMNS: Mapping[str, tuple[Column, ...]] = {
    "enterprises": _ENTERPRISE_COLUMNS,
    "inspectors": _INSPECTOR_COLUMNS,
    "conflicts": _CONFLICT_COLUMNS,
}
"""The CSV columns of each kind of file (``"enterprises"``, ``"inspectors"``, ``"conflicts"``)."""

# Columns that name the same thing: a file may use the combined identity column or the two
# separate ones, not both, or a row could say two different things about one inspector.
_EXCLUSIVE = {"certificate_or_id": ("certificate_no", "resident_id")}

_LIST_SEPARATORS = re.compile(r"[;；、,，]")
_USCC_SEPARATORS = re.compile(r"[;；、,，\s]+")


def _header_key(text: str) -> str:
    # Headers match ignoring surrounding white space, a byte-order mark left by a reader
    # that did not strip it, case, and the spelling of separators in English names.
    text = _nfkc(text.replace("\ufeff", "")).strip().casefold()
    return re.sub(r"[\s\-]+", "_", text)


# --- value parsers -----------------------------------------------------------------------------
# Each takes the stripped cell text and returns the value or raises ValidationError whose
# ``expected`` says what the cell should hold. Coded values (identifiers, grades, yes/no,
# dates, lines, grounds) are read after NFKC normalisation, so that full-width forms typed
# with a Chinese input method (``Ａ``, ``１２０１``, ``２０２４－０１－０１``) read as their ASCII
# forms; free text (names, notes) is kept as written.


def _nfkc(raw: str) -> str:
    return unicodedata.normalize("NFKC", raw)


def _parse_uscc(raw: str) -> str:
    return validate_uscc(_nfkc(raw))


_TRUE = frozenset({"是", "true", "yes", "1"})
_FALSE = frozenset({"否", "false", "no", "0", ""})


def _parse_bool(raw: str) -> bool:
    key = _nfkc(raw).casefold()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValidationError(expected="是/否, true/false, yes/no or 1/0", got=raw)


def _parse_count(raw: str) -> int:
    if raw == "":
        return 0
    if not raw.isdecimal():
        raise ValidationError(expected="a whole number >= 0", got=raw)
    return int(raw)


_GRADES = {
    "a": Grade.A,
    "b": Grade.B,
    "c": Grade.C,
    "a级": Grade.A,
    "b级": Grade.B,
    "c级": Grade.C,
    "": Grade.UNRATED,
    "unrated": Grade.UNRATED,
    **{grade.zh: grade for grade in Grade},
}


def _parse_grade(raw: str) -> Grade:
    try:
        return _GRADES[_nfkc(raw).casefold()]
    except KeyError:
        raise ValidationError(
            expected="A, B, C, 守法诚信, 基本守法诚信, 不守法诚信, 未评级, unrated or blank",
            got=raw,
        ) from None


_DATE_FORMS = (
    re.compile(r"([0-9]{4})([-/.])([0-9]{1,2})\2([0-9]{1,2})"),
    re.compile(r"([0-9]{4})(年)([0-9]{1,2})月([0-9]{1,2})日"),
    re.compile(r"([0-9]{4})()([0-9]{2})([0-9]{2})"),
)
_DATE_EXPECTED = "a date YYYY-MM-DD (or YYYY/MM/DD, YYYY.MM.DD, YYYYMMDD, YYYY年M月D日)"


def _parse_date(raw: str) -> date | None:
    if raw == "":
        return None
    text = _nfkc(raw)
    for form in _DATE_FORMS:
        match = form.fullmatch(text)
        if match is not None:
            try:
                return date(int(match[1]), int(match[3]), int(match[4]))
            except ValueError:
                raise ValidationError(expected="a date that exists", got=raw) from None
    raise ValidationError(expected=_DATE_EXPECTED, got=raw)


_LINES = {
    **{line.value: line for line in Line},
    **{line.zh: line for line in Line},
}


def _parse_lines(raw: str) -> frozenset[Line]:
    found: set[Line] = set()
    unknown: list[str] = []
    for part in _LIST_SEPARATORS.split(_nfkc(raw)):
        part = part.strip()
        if not part:
            continue
        line = _LINES.get(part.casefold())
        if line is None:
            unknown.append(part)
        else:
            found.add(line)
    if unknown:
        choices = ", ".join([*(line.zh for line in Line), *(line.value for line in Line)])
        raise ValidationError(
            f"unknown enforcement line {', '.join(unknown)}; expected {choices} "
            "separated by ; or 、",
            expected=f"{choices}, separated by ; or 、",
            got=unknown[0] if len(unknown) == 1 else unknown,
        )
    return frozenset(found)


def _parse_uscc_list(raw: str) -> tuple[str, ...]:
    return tuple(validate_uscc(code) for code in _USCC_SEPARATORS.split(_nfkc(raw)) if code)


_GROUNDS = {
    **{ground.value: ground for ground in ConflictGround},
    "曾任职": ConflictGround.FORMER_EMPLOYMENT,
    "曾任职单位": ConflictGround.FORMER_EMPLOYMENT,
    "亲属": ConflictGround.RELATIVE,
    "亲属任职": ConflictGround.RELATIVE,
    "持股": ConflictGround.SHAREHOLDING,
    "本人": ConflictGround.SAME_PERSON,
    "其他": ConflictGround.OTHER,
}
_GROUND_ZH = {
    ConflictGround.FORMER_EMPLOYMENT: "曾任职",
    ConflictGround.RELATIVE: "亲属",
    ConflictGround.SHAREHOLDING: "持股",
    ConflictGround.SAME_PERSON: "本人",
    ConflictGround.OTHER: "其他",
}


def _parse_ground(raw: str) -> ConflictGround:
    found = _GROUNDS.get(_nfkc(raw).casefold().replace("_", "-"))
    if found is None:
        raise ValidationError(
            expected="曾任职, 亲属, 持股, 本人, 其他 or "
            + ", ".join(ground.value for ground in ConflictGround),
            got=raw,
        )
    return found


def _parse_resident_id(raw: str) -> str | None:
    return None if raw == "" else validate_resident_id(_nfkc(raw))


_ID_SHAPE = re.compile(r"[0-9]{17}[0-9X]")
_OLD_ID_SHAPE = re.compile(r"[0-9]{15}")


def _parse_certificate_or_id(raw: str) -> tuple[str | None, str | None]:
    """``(certificate_no, resident_id)`` from a combined column, told apart by format."""
    if raw == "":
        return None, None
    compact = compact_resident_id(_nfkc(raw))
    # A number shaped like an identity number must *be* one: read as a certificate number,
    # a mistyped identity number would be published unmasked.
    if _ID_SHAPE.fullmatch(compact):
        return None, validate_resident_id(compact)
    if _OLD_ID_SHAPE.fullmatch(compact):
        raise ValidationError(
            "a 15-digit number looks like an old-format identity number "
            f"{mask_resident_id(compact)!r}; give the 18-character number (GB 11643-1999) "
            "or a certificate number",
            expected="an 18-character resident identity number or a certificate number",
            got=raw,
        )
    return raw, None


# --- reading CSV -------------------------------------------------------------------------------


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
        f"未知列 / unknown column {written!r}{hint} (pass extra='ignore' to skip unknown columns)",
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
        cells={field: cells[i].strip() for field, i in table.positions.items() if i < len(cells)},
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


def _build_enterprise(row: _Row, seen: dict[str, int]) -> Enterprise | None:
    code = row.required("uscc", "a unified social credit code")
    uscc = None if code is None else row.get("uscc", _parse_uscc, None)
    _check_unique(uscc, seen, row, "uscc", "unified social credit code")
    name = row.required("name", "the enterprise's name")
    district = row.required("district", "the district")
    grade = row.get("grade", _parse_grade, Grade.UNRATED)
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
_NO_LINES: frozenset[Line] = frozenset()
_NO_CODES: tuple[str, ...] = ()


def _build_inspector(
    row: _Row, seen_keys: dict[str, int], seen_ids: dict[str, int]
) -> Inspector | None:
    certificate: str | None = row.text("certificate_no") or None
    resident_id = row.get("resident_id", _parse_resident_id, None)
    if row.has("certificate_or_id"):
        certificate, resident_id = row.get("certificate_or_id", _parse_certificate_or_id, _NO_IDS)
    lines = row.get("lines", _parse_lines, _NO_LINES)
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
    stream: Iterable[str], *, source: str = "<stream>", extra: Extra = "error"
) -> list[Enterprise]:
    """Enterprises from CSV text (open files with ``newline=""``).

    Args:
        stream: lines of CSV text, e.g. an open text file.
        source: the name used in error locations.
        extra: ``"error"`` reports unknown columns; ``"ignore"`` skips them.

    Raises:
        InputFileError: with every problem in ``errors`` (see the module docstring).
    """
    seen: dict[str, int] = {}
    return _collect(
        stream,
        _ENTERPRISE_COLUMNS,
        source,
        extra,
        lambda row: _build_enterprise(row, seen),
        ("enterprises", "企业名录"),
    )


def read_inspectors(
    stream: Iterable[str], *, source: str = "<stream>", extra: Extra = "error"
) -> list[Inspector]:
    """Inspectors from CSV text; see :func:`read_enterprises` for the arguments.

    Duplicate inspector keys (certificate number, else identity number) and identity numbers
    that appear on two rows are reported.
    """
    keys: dict[str, int] = {}
    ids: dict[str, int] = {}
    return _collect(
        stream,
        _INSPECTOR_COLUMNS,
        source,
        extra,
        lambda row: _build_inspector(row, keys, ids),
        ("inspectors", "执法检查人员名录"),
    )


def read_conflicts(
    stream: Iterable[str], *, source: str = "<stream>", extra: Extra = "error"
) -> list[Conflict]:
    """Declared conflicts of interest from CSV text; see :func:`read_enterprises`.

    A second row for the same inspector and enterprise is reported as a duplicate.
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


# --- files and encodings -----------------------------------------------------------------------


def _codec_name(encoding: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise InputFileError(
            f"未知编码 / unknown encoding {encoding!r}",
            field="encoding",
            expected="a Python codec name such as 'utf-8-sig' or 'gb18030'",
            got=encoding,
        ) from None


def _line_of(data: bytes, offset: int) -> int:
    prefix = data[:offset]
    return prefix.count(b"\n") + prefix.count(b"\r") - prefix.count(b"\r\n") + 1


def _other_encoding(codec: str) -> str:
    return "gb18030" if codec.startswith("utf") else "utf-8-sig"


def _decode_error(
    exc: UnicodeDecodeError, source: str, line: int, offset: int | None
) -> ValidationError:
    codec = _codec_name(exc.encoding)
    bad = exc.object[exc.start : exc.end]
    at = f"byte {offset}, line {line}" if offset is not None else f"line {line}"
    other = _other_encoding(codec)
    return ValidationError(
        f"文件编码错误 / {source} is not valid {codec} at {at} (bytes {bad.hex(' ')}); "
        f"if the file was saved in another encoding, try encoding={other!r}",
        field="encoding",
        expected=f"text in {codec}",
        got=bytes(bad),
        location=Location(file=source, line=line),
    )


def _raise_one(error: ValidationError, source: str) -> NoReturn:
    raise InputFileError(
        error.message,
        errors=[error],
        field=error.field,
        expected=error.expected,
        got=error.got,
        location=Location(file=source, line=error.location.line if error.location else None),
    )


def _decode(data: bytes, encoding: str, source: str) -> str:
    codec = _codec_name(encoding)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not codec.startswith(
        "utf-16"
    ):
        _raise_one(
            ValidationError(
                f"文件编码错误 / {source} is UTF-16 text; save it as CSV UTF-8 "
                "(or pass encoding='utf-16')",
                field="encoding",
                expected=f"text in {codec}",
                got="utf-16",
                location=Location(file=source, line=1),
            ),
            source,
        )
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        _raise_one(_decode_error(exc, source, _line_of(data, exc.start), exc.start), source)
    if not codec.startswith("utf") and _looks_like_utf8_chinese(data):
        # GB18030 maps almost every byte sequence to some character, so UTF-8 read as
        # GB18030 rarely fails; it turns into nonsense instead. GB18030 text that is also
        # valid UTF-8 holding Chinese characters practically does not occur.
        _raise_one(
            ValidationError(
                f"文件编码错误 / {source} is UTF-8 text, not {codec}; reading it as {codec} "
                "would garble it: use encoding='utf-8-sig'",
                field="encoding",
                expected=f"text in {codec}",
                got="utf-8",
                location=Location(file=source, line=1),
            ),
            source,
        )
    return text


_CJK = re.compile("[\u3400-\u9fff\uf900-\ufaff]")


def _looks_like_utf8_chinese(data: bytes) -> bool:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return text.startswith("\ufeff") or _CJK.search(text) is not None


def _read_bytes(path: PathLike) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise InputFileError(
            f"无法打开文件 / cannot open {os.fspath(path)}: {exc.strerror or exc}",
            location=Location(file=os.fspath(path)),
        ) from exc


def _load_csv(
    path: PathLike, encoding: str, reader: Callable[..., list[V]], extra: Extra
) -> list[V]:
    source = os.fspath(path)
    text = _decode(_read_bytes(path), encoding, source)
    return reader(io.StringIO(text, newline=""), source=source, extra=extra)


def load_enterprises(
    path: PathLike, *, encoding: str = "utf-8-sig", extra: Extra = "error"
) -> list[Enterprise]:
    """Enterprises from a CSV file.

    Args:
        path: the file.
        encoding: ``"utf-8-sig"`` (UTF-8 with or without BOM, the default) or ``"gb18030"``.
        extra: ``"error"`` reports unknown columns; ``"ignore"`` skips them.

    Raises:
        InputFileError: the file cannot be opened or decoded (the message gives the byte
            offset and line and suggests the other encoding), or has bad rows, missing or
            unknown columns or duplicates; ``errors`` lists every problem.
    """
    return _load_csv(path, encoding, read_enterprises, extra)


def load_inspectors(
    path: PathLike, *, encoding: str = "utf-8-sig", extra: Extra = "error"
) -> list[Inspector]:
    """Inspectors from a CSV file; see :func:`load_enterprises`."""
    return _load_csv(path, encoding, read_inspectors, extra)


def load_conflicts(
    path: PathLike, *, encoding: str = "utf-8-sig", extra: Extra = "error"
) -> list[Conflict]:
    """Declared conflicts of interest from a CSV file; see :func:`load_enterprises`."""
    return _load_csv(path, encoding, read_conflicts, extra)


# --- writing CSV -------------------------------------------------------------------------------


def _atomic_write(path: PathLike, write: Callable[[IO[str]], None], encoding: str) -> None:
    # Write next to the target and rename, so a failure never leaves half a file behind.
    target = Path(path)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "w", encoding=encoding, newline="") as stream:
            write(stream)
        os.replace(temporary, target)
    except BaseException:
        os.unlink(temporary)
        raise


def _header_row(columns: Sequence[Column], headers: HeaderStyle) -> list[str]:
    if headers not in ("en", "zh"):
        raise ValidationError(field="headers", expected="'en' or 'zh'", got=headers)
    return [column.en if headers == "en" else column.zh for column in columns]


def _bool_text(value: bool, headers: HeaderStyle) -> str:
    if headers == "zh":
        return "是" if value else "否"
    return "true" if value else "false"


def _list_text(values: Iterable[str], headers: HeaderStyle) -> str:
    return ("、" if headers == "zh" else ";").join(values)


def _unique(keys: Iterable[str], field: str) -> None:
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            raise ValidationError(
                f"duplicate {field} {key!r}: the file could not be loaded again",
                field=field,
                expected="unique values",
                got=key,
            )
        seen.add(key)


_WRITTEN_ENTERPRISE = _ENTERPRISE_COLUMNS
_WRITTEN_INSPECTOR = tuple(c for c in _INSPECTOR_COLUMNS if c.en != "certificate_or_id")
_WRITTEN_CONFLICT = _CONFLICT_COLUMNS


def _write_csv(
    stream: IO[str],
    items: Iterable[T],
    columns: Sequence[Column],
    headers: HeaderStyle,
    field: str,
    key: Callable[[T], str],
    row: Callable[[T, HeaderStyle], list[str]],
) -> None:
    # Every key is checked before the first byte is written, so a failed write leaves no rows.
    rows = list(items)
    _unique((key(item) for item in rows), field)
    writer = csv.writer(stream)
    writer.writerow(_header_row(columns, headers))
    for item in rows:
        writer.writerow(row(item, headers))


def _enterprise_row(e: Enterprise, headers: HeaderStyle) -> list[str]:
    grade = Grade.UNRATED.zh if headers == "zh" and e.grade == Grade.UNRATED else e.grade
    return [
        e.uscc,
        e.name,
        e.district,
        e.industry,
        grade,
        str(e.risk.complaints_12m),
        _bool_text(e.risk.abnormal_operations, headers),
        _bool_text(e.risk.serious_violation, headers),
        _bool_text(e.risk.key_area, headers),
    ]


def _inspector_row(i: Inspector, headers: HeaderStyle) -> list[str]:
    lines = [line for line in Line if line in i.lines]
    return [
        i.name,
        i.department,
        i.post,
        i.certificate_no or "",
        i.resident_id or "",
        i.phone,
        i.district,
        i.section,
        _list_text((line.zh if headers == "zh" else line.value for line in lines), headers),
        "" if i.certificate_valid_from is None else i.certificate_valid_from.isoformat(),
        "" if i.certificate_valid_until is None else i.certificate_valid_until.isoformat(),
        _list_text(i.former_employers, headers),
        _list_text(i.relatives_employers, headers),
        _list_text(i.shareholdings, headers),
    ]


def _conflict_row(c: Conflict, headers: HeaderStyle) -> list[str]:
    ground = _GROUND_ZH[c.ground] if headers == "zh" else c.ground.value
    return [c.inspector, c.enterprise, ground, c.note]


def write_enterprises_csv(
    stream: IO[str], items: Iterable[Enterprise], *, headers: HeaderStyle = "en"
) -> None:
    """Write enterprises as CSV to an open text stream (opened with ``newline=""``).

    Raises:
        ValidationError: two items share a USCC (the file would not load).
    """
    _write_csv(
        stream, items, _WRITTEN_ENTERPRISE, headers, "uscc", lambda e: e.uscc, _enterprise_row
    )


def write_inspectors_csv(
    stream: IO[str], items: Iterable[Inspector], *, headers: HeaderStyle = "en"
) -> None:
    """Write inspectors as CSV (identity numbers unmasked: this is the directory itself).

    Raises:
        ValidationError: two items share a key (the file would not load).
    """
    _write_csv(stream, items, _WRITTEN_INSPECTOR, headers, "key", lambda i: i.key, _inspector_row)


def write_conflicts_csv(
    stream: IO[str], items: Iterable[Conflict], *, headers: HeaderStyle = "en"
) -> None:
    """Write declared conflicts as CSV.

    Raises:
        ValidationError: two items name the same inspector and enterprise.
    """
    _write_csv(
        stream,
        items,
        _WRITTEN_CONFLICT,
        headers,
        "conflict",
        lambda c: f"{c.inspector} × {c.enterprise}",
        _conflict_row,
    )


def save_enterprises_csv(
    path: PathLike,
    items: Iterable[Enterprise],
    *,
    headers: HeaderStyle = "en",
    encoding: str = "utf-8-sig",
) -> None:
    """Save enterprises to a CSV file that :func:`load_enterprises` reads back unchanged.

    The default encoding writes a UTF-8 byte-order mark, so that spreadsheet programs set to
    a Chinese locale open the file as UTF-8.
    """
    _atomic_write(path, lambda s: write_enterprises_csv(s, items, headers=headers), encoding)


def save_inspectors_csv(
    path: PathLike,
    items: Iterable[Inspector],
    *,
    headers: HeaderStyle = "en",
    encoding: str = "utf-8-sig",
) -> None:
    """Save inspectors to a CSV file that :func:`load_inspectors` reads back unchanged."""
    _atomic_write(path, lambda s: write_inspectors_csv(s, items, headers=headers), encoding)


def save_conflicts_csv(
    path: PathLike,
    items: Iterable[Conflict],
    *,
    headers: HeaderStyle = "en",
    encoding: str = "utf-8-sig",
) -> None:
    """Save conflicts to a CSV file that :func:`load_conflicts` reads back unchanged."""
    _atomic_write(path, lambda s: write_conflicts_csv(s, items, headers=headers), encoding)


# --- JSON --------------------------------------------------------------------------------------


class _DuplicateKey(ValueError):
    pass


def _object_without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _parse_json_text(text: str, source: str, first_line: int = 1) -> Any:
    try:
        return json.loads(
            text, object_pairs_hook=_object_without_duplicates, parse_constant=_reject_constant
        )
    except json.JSONDecodeError as exc:
        line = first_line + exc.lineno - 1
        raise _json_error(
            f"JSON 格式错误 / malformed JSON: {exc.msg} (line {line}, column {exc.colno})",
            "well-formed JSON",
            exc.doc[exc.pos : exc.pos + 20],
            source,
            line,
        ) from exc
    except _DuplicateKey as exc:
        raise _json_error(
            f"JSON 格式错误 / key {exc.args[0]!r} appears twice in one object",
            "unique keys in every object",
            exc.args[0],
            source,
            first_line if "\n" not in text.strip() else None,
        ) from exc
    except ValueError as exc:
        raise _json_error(
            f"JSON 格式错误 / {exc}", "finite numbers only", str(exc), source, None
        ) from exc


def _json_error(message: str, expected: str, got: Any, source: str, line: int | None) -> Exception:
    location = Location(file=source, line=line)
    error = ValidationError(message, expected=expected, got=got, location=location)
    return InputFileError(
        f"无法读取文件 / cannot read {source}: {message}",
        errors=[error],
        expected=expected,
        got=got,
        location=location,
    )


def _decode_json_bytes(data: bytes, source: str) -> str:
    # RFC 8259: JSON exchanged between systems is UTF-8; a BOM is tolerated on reading.
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        error = _decode_error(exc, source, _line_of(data, exc.start), exc.start)
        raise InputFileError(
            f"文件编码错误 / {source} is not valid UTF-8 (JSON files are UTF-8)",
            errors=[error],
            field="encoding",
            expected="UTF-8",
            got=error.got,
            location=error.location,
        ) from exc


def save_json(path: PathLike, kind: str, value: Any) -> None:
    """Save ``value`` as a canonical JSON document of ``kind`` (UTF-8, one final newline).

    The file holds ``{"data": ..., "kind": kind, "schema": SCHEMA_VERSION}`` in canonical
    form; its bytes without the final newline are ``canonical_bytes`` of that document.
    """
    text = canonical_json(to_document(kind, value)) + "\n"

    def write(stream: IO[str]) -> None:
        stream.write(text)

    _atomic_write(path, write, "utf-8")


def read_json(text: str, kind: str, cls: type[T], *, source: str = "<string>") -> T:
    """A ``cls`` from the text of a JSON document of ``kind``; see :func:`load_json`."""
    document = _parse_json_text(text, source)
    return from_document(document, kind, cls, source=source)


def load_json(path: PathLike, kind: str, cls: type[T]) -> T:
    """Load a JSON document of ``kind`` written by :func:`save_json` as a ``cls``.

    ``cls`` may be a class or a generic alias such as ``list[Enterprise]``.

    Raises:
        InputFileError: the file cannot be opened, is not UTF-8 or not JSON (with line and
            column), has a duplicate key or ``NaN``, has the wrong schema version or kind, or
            its data does not fit ``cls``; ``errors`` lists every problem, each with its JSON
            path (``... @ $.data[3].uscc``).
    """
    source = os.fspath(path)
    return read_json(_decode_json_bytes(_read_bytes(path), source), kind, cls, source=source)


# --- JSON Lines --------------------------------------------------------------------------------

_JSONL_KEYS = frozenset({"schema", "kind"})


def write_jsonl(path: PathLike, kind: str, values: Iterable[Any]) -> int:
    """Write a JSON Lines file: a header line, then one canonical JSON value per line.

    The header is ``{"kind": kind, "schema": SCHEMA_VERSION}``. Values are written as they
    come, so ``values`` may be a generator over more records than fit in memory.

    Returns:
        the number of values written.
    """
    count = 0

    def write(stream: IO[str]) -> None:
        nonlocal count
        stream.write(canonical_json({"kind": kind, "schema": SCHEMA_VERSION}) + "\n")
        for value in values:
            stream.write(canonical_json(unstructure(value)) + "\n")
            count += 1

    _atomic_write(path, write, "utf-8")
    return count


def _jsonl_lines(path: PathLike, source: str) -> Iterator[tuple[int, str | ValidationError]]:
    """``(line number, text)`` of the non-blank lines, or an error for a line not in UTF-8."""
    try:
        with Path(path).open("rb") as stream:
            for number, raw in enumerate(stream, start=1):
                if number == 1 and raw.startswith(codecs.BOM_UTF8):
                    raw = raw[len(codecs.BOM_UTF8) :]
                try:
                    text = raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    yield number, _decode_error(exc, source, number, None)
                    continue
                if text.strip():
                    yield number, text.strip()
    except OSError as exc:
        raise InputFileError(
            f"无法读取文件 / cannot read {source}: {exc.strerror or exc}",
            location=Location(file=source),
        ) from exc


def _scan_jsonl(
    path: PathLike, kind: str, cls: type[T], errors: list[RandcheckError] | None
) -> Iterator[T]:
    """Values of a JSON Lines file; with ``errors``, problems are collected, not raised."""
    source = os.fspath(path)
    header_seen = False
    for number, text in _jsonl_lines(path, source):
        try:
            if isinstance(text, ValidationError):
                raise InputFileError(text.message, errors=[text], location=text.location)
            data = _parse_json_text(text, source, number)
            if not header_seen:
                header_seen = True
                location = Location(file=source, line=number)
                problems = envelope_errors(data, kind, keys=_JSONL_KEYS, location=location)
                if problems:
                    raise _BadHeader(
                        f"文件头不符 / {source}: not a randcheck {kind!r} JSON Lines file",
                        errors=problems,
                        location=location,
                    )
                continue
            yield structure(data, cls, source=source, line=number)
        except InputFileError as exc:
            if errors is None:
                raise
            errors.extend(exc.errors)
            # Without a good header the lines cannot be read as anything.
            if not header_seen or isinstance(exc, _BadHeader):
                return
    if not header_seen:
        error = ValidationError(
            "文件为空 / empty JSON Lines file: the first line must be the header",
            expected=f'a header line {{"kind": {kind!r}, "schema": {SCHEMA_VERSION}}}',
            got=None,
            location=Location(file=source, line=1),
        )
        if errors is None:
            raise InputFileError(error.message, errors=[error], location=error.location)
        errors.append(error)


class _BadHeader(InputFileError):
    pass


def _raise_collected(errors: list[RandcheckError], path: PathLike) -> None:
    if errors:
        source = os.fspath(path)
        raise InputFileError(
            f"无法读取文件 / cannot load {source}: {len(errors)} error(s)",
            errors=errors,
            location=Location(file=source),
        )


def load_jsonl(path: PathLike, kind: str, cls: type[T]) -> list[T]:
    """Every value of a JSON Lines file of ``kind``, structured as ``cls``.

    Blank lines are skipped. Every bad line is reported (JSON syntax, or structure with the
    path inside the line, ``... @ $.uscc``), each with its line number.

    Raises:
        InputFileError: with all problems in ``errors``; nothing is returned then.
    """
    errors: list[RandcheckError] = []
    values = list(_scan_jsonl(path, kind, cls, errors))
    _raise_collected(errors, path)
    return values


def iter_jsonl(path: PathLike, kind: str, cls: type[T]) -> Iterator[T]:
    """The values of a JSON Lines file one at a time, for files too large to hold at once.

    The whole file is checked before the first value is produced (every line is parsed and
    structured once, then again while iterating), so a consumer never acts on the first half
    of a file whose second half is broken. Memory use stays that of one line.

    Raises:
        InputFileError: on the first ``next()``, with every problem in ``errors``.
    """
    errors: list[RandcheckError] = []
    for _ in _scan_jsonl(path, kind, cls, errors):
        pass
    _raise_collected(errors, path)
    yield from _scan_jsonl(path, kind, cls, None)
