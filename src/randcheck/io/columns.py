"""The header mapping of the CSV directories: each column's English and Chinese header.

A column may be named in English (the field name, e.g. ``uscc``) or in Chinese (e.g.
``统一社会信用代码``), or by one of its other accepted headers; :data:`COLUMNS` holds the full
mapping for each kind of file and ``docs/io.md`` prints it. The grade column is also named by
the profile's primary classification scheme (its Chinese name and its id, e.g.
``企业信用风险分类`` / ``credit-risk``), and with Chinese headers it is written under that name.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Final

import attrs

from randcheck.errors import InputFileError, Location, RandcheckError, ValidationError
from randcheck.io.cells import _nfkc
from randcheck.profiles import ClassScheme

__all__ = [
    "COLUMNS",
    "IGNORE",
    "IGNORED",
    "KINDS",
    "Column",
    "ColumnMap",
    "HeaderIndex",
    "header_index",
    "load_column_map",
    "read_column_map",
]


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
    Column(en="district", zh="所属区", aliases=("区域", "所属区域", "所在区"), required=True),
    Column(en="industry", zh="行业", aliases=("所属行业", "行业类别")),
    Column(
        en="grade",
        zh="守法诚信等级",
        aliases=("劳动保障守法诚信等级", "信用等级"),
        description="A/B/C, 守法诚信/基本守法诚信/不守法诚信, or blank/未评级/未评价/unrated",
    ),
    Column(
        en="complaints_12m",
        zh="近12个月投诉举报次数",
        description="whole number >= 0; blank is 0",
    ),
    Column(
        en="abnormal_operations",
        zh="经营异常名录",
        aliases=("列入经营异常名录", "是否列入经营异常名录"),
        description="是/否, true/false, yes/no, 1/0; blank is 否",
    ),
    Column(en="serious_violation", zh="严重违法违规记录", description="as above"),
    Column(en="key_area", zh="重点监管地区", description="as above"),
)

_INSPECTOR_COLUMNS = (
    Column(en="name", zh="姓名", required=True),
    Column(en="department", zh="部门", aliases=("所属部门", "工作单位"), required=True),
    Column(en="post", zh="职务", required=True),
    Column(
        en="certificate_no",
        zh="执法证号",
        aliases=("执法证件号码", "执法证件编号"),
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
    Column(en="phone", zh="联系电话", aliases=("电话", "手机号码", "手机号"), required=True),
    Column(en="district", zh="所属区", aliases=("区域", "所属区域", "所属区县")),
    Column(en="section", zh="科室"),
    Column(
        en="lines",
        zh="执法领域",
        aliases=("条线", "执法类别"),
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
        aliases=("回避原因",),
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


def _header_key(text: str) -> str:
    # Headers match ignoring surrounding white space, a byte-order mark left by a reader
    # that did not strip it, case, and the spelling of separators in English names.
    text = _nfkc(text.replace("\ufeff", "")).strip().casefold()
    return re.sub(r"[\s\-]+", "_", text)


def _enterprise_columns(scheme: ClassScheme) -> tuple[Column, ...]:
    """The enterprise columns for a profile whose primary scheme is ``scheme``.

    The grade column is also headed by the scheme's Chinese name (written with Chinese
    headers) and its id, each unless it already names a column: ``cn-tj-hrss``'s
    劳动保障守法诚信等级 and ``grade`` do, so its columns are :data:`COLUMNS`'s.
    """
    taken = {_header_key(name) for column in _ENTERPRISE_COLUMNS for name in column.names}
    name_is_new = _header_key(scheme.name.zh) not in taken
    id_is_new = _header_key(scheme.id) not in taken | {_header_key(scheme.name.zh)}
    if not (name_is_new or id_is_new):
        return _ENTERPRISE_COLUMNS

    def renamed(column: Column) -> Column:
        zh = scheme.name.zh if name_is_new else column.zh
        names = (column.zh, *column.aliases, *((scheme.id,) if id_is_new else ()))
        return attrs.evolve(column, zh=zh, aliases=tuple(n for n in names if n != zh))

    return tuple(
        renamed(column) if column.en == "grade" else column for column in _ENTERPRISE_COLUMNS
    )


KINDS: tuple[str, ...] = ("enterprises", "inspectors", "conflicts")
"""The kinds of directory file, as :data:`COLUMNS` and a column map name them."""

IGNORED: Mapping[str, tuple[str, ...]] = {
    "enterprises": ("序号", "法定代表人"),
    "inspectors": ("序号",),
    "conflicts": ("序号", "执法人员姓名"),
}
"""Headers bureaus' exports carry that name no field, read past without an error.

``序号`` numbers the rows. ``法定代表人`` (an enterprise's legal representative) is a person's
name: personal data the directory has no use for, so it is never read into a record. In a
conflicts file ``执法人员姓名`` names the inspector, but a name does not identify a person; the
``inspector`` column (certificate number, else identity number) does.
"""

IGNORE: Final = "ignore"
"""The value of a column-map entry that skips the column."""


@attrs.frozen(kw_only=True)
class ColumnMap:
    """A user's own headers: for each kind of file, which field each header gives.

    ``entries`` are ``(kind, header, field)``: ``kind`` one of :data:`KINDS`, ``header`` as
    written in the file (matched as every header is: ignoring case, white space and full-width
    forms), ``field`` the English name of one of the kind's columns (:data:`COLUMNS`), or
    :data:`IGNORE` to skip the column. Entries add to the headers :data:`COLUMNS` accepts and
    win over them. Read one from a TOML file with :func:`randcheck.io.load_column_map`.
    """

    entries: tuple[tuple[str, str, str], ...] = ()

    def for_kind(self, kind: str) -> dict[str, str]:
        """``{header: field}`` for files of ``kind`` (fields :data:`IGNORE` included)."""
        return {header: field for k, header, field in self.entries if k == kind}

    def to_toml(self) -> str:
        """The map as the TOML text :func:`~randcheck.io.load_column_map` reads back."""
        out: list[str] = []
        for kind in KINDS:
            entries = self.for_kind(kind)
            if not entries:
                continue
            out.append(f"[{kind}]")
            out.extend(f"{_toml_string(h)} = {_toml_string(f)}" for h, f in entries.items())
            out.append("")
        return "\n".join(out)


def _toml_string(text: str) -> str:
    # A JSON string with non-ASCII kept is a TOML basic string: the escapes JSON writes
    # (\", \\, \n, \uXXXX, …) are TOML's too.
    return json.dumps(text, ensure_ascii=False)


@attrs.frozen
class HeaderIndex:
    """How the headers of one kind of file are read: each accepted header's field, and the
    headers read past (:data:`IGNORED` and a column map's :data:`IGNORE` entries).

    Keys are :func:`_header_key` forms of the headers.
    """

    fields: Mapping[str, str]
    skipped: frozenset[str]
    mapped: tuple[str, ...] = ()  # the column map's headers for this kind, as written

    def field(self, written: str) -> str | None:
        """The field the header ``written`` gives, or ``None``."""
        return self.fields.get(_header_key(written))

    def skips(self, written: str) -> bool:
        """Whether the column headed ``written`` is read past."""
        return _header_key(written) in self.skipped


def header_index(
    kind: str, columns: Iterable[Column], column_map: ColumnMap | None = None
) -> HeaderIndex:
    """The :class:`HeaderIndex` of a file of ``kind`` with ``columns`` (:data:`COLUMNS` or the
    profile's enterprise columns) and a user's ``column_map``.

    A header the map names is read as the map says, whatever :data:`COLUMNS` says of it.
    """
    fields = {_header_key(name): column.en for column in columns for name in column.names}
    skipped = {_header_key(name) for name in IGNORED.get(kind, ())}
    for header, field in (column_map or ColumnMap()).for_kind(kind).items():
        key = _header_key(header)
        if field == IGNORE:
            fields.pop(key, None)
            skipped.add(key)
        else:
            fields[key] = field
            skipped.discard(key)
    mapped = tuple((column_map or ColumnMap()).for_kind(kind))
    return HeaderIndex(fields=fields, skipped=frozenset(skipped), mapped=mapped)


def read_column_map(text: str, *, source: str = "<column map>") -> ColumnMap:
    """A :class:`ColumnMap` from TOML text.

    The text has one table per kind of file (``[enterprises]``, ``[inspectors]``,
    ``[conflicts]``), each mapping a header as written in the file to the English name of a
    field of that kind, or to ``"ignore"``::

        [enterprises]
        "单位统一代码" = "uscc"
        "注册地址" = "ignore"

    Raises:
        InputFileError: the text is not TOML, or a table, header or field is not one the
            format allows; ``errors`` names each key (``enterprises.单位统一代码``), what it
            may be and what it is.
    """
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        error = ValidationError(
            f"列映射文件不是有效的 TOML / {source} is not valid TOML: {exc}",
            expected="a TOML document",
            got=str(exc),
            location=Location(file=source, line=getattr(exc, "lineno", None)),
        )
        raise InputFileError(
            error.message, errors=[error], location=Location(file=source)
        ) from None
    errors: list[RandcheckError] = []
    entries: list[tuple[str, str, str]] = []
    known = {kind: [column.en for column in COLUMNS[kind]] for kind in KINDS}

    def fail(key: str, expected: str, got: object) -> None:
        errors.append(
            ValidationError(
                f"{key}: expected {expected}, got {got!r}",
                field=key,
                expected=expected,
                got=got,
                location=Location(file=source),
            )
        )

    for kind, table in document.items():
        if kind not in KINDS:
            fail(kind, "a table enterprises, inspectors or conflicts", kind)
            continue
        if not isinstance(table, dict):
            fail(kind, "a table of header = field", table)
            continue
        fields = known[kind]
        seen: dict[str, str] = {}
        for header, field in table.items():
            key = f"{kind}.{header}"
            first = seen.setdefault(_header_key(header), header)
            if not _header_key(header):
                fail(key, "a header that is not blank", header)
            elif first != header:
                fail(key, f"a header other than {first!r} (headers match ignoring case)", header)
            elif not isinstance(field, str):
                fail(key, f"a field name as a string ({', '.join(fields)}) or 'ignore'", field)
            elif field != IGNORE and field not in fields:
                fail(key, f"one of {', '.join(fields)} or 'ignore'", field)
            else:
                entries.append((kind, header, field))
    if errors:
        raise InputFileError(
            f"无法读取列映射 / cannot load the column map {source}: {len(errors)} error(s)",
            errors=errors,
            location=Location(file=source),
        )
    return ColumnMap(entries=tuple(entries))


def load_column_map(path: str | os.PathLike[str]) -> ColumnMap:
    """A :class:`ColumnMap` from a TOML file (UTF-8); see :func:`read_column_map`.

    Raises:
        InputFileError: the file cannot be read, or holds a bad map.
    """
    source = os.fspath(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputFileError(
            f"无法打开文件 / cannot open {source}: {exc.strerror or exc}",
            location=Location(file=source),
        ) from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        error = ValidationError(
            f"文件编码错误 / {source} is not UTF-8 (byte {exc.start}); save it as UTF-8",
            field="encoding",
            expected="TOML text in UTF-8",
            got=bytes(data[exc.start : exc.end]),
            location=Location(file=source),
        )
        raise InputFileError(
            error.message, errors=[error], location=Location(file=source)
        ) from None
    return read_column_map(text, source=source)
