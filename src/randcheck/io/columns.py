"""The header mapping of the CSV directories: each column's English and Chinese header.

A column may be named in English (the field name, e.g. ``uscc``) or in Chinese (e.g.
``统一社会信用代码``), or by one of its other accepted headers; :data:`COLUMNS` holds the full
mapping for each kind of file and ``docs/io.md`` prints it. The grade column is also named by
the profile's primary classification scheme (its Chinese name and its id, e.g.
``企业信用风险分类`` / ``credit-risk``), and with Chinese headers it is written under that name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import attrs

from randcheck.io.cells import _nfkc
from randcheck.profiles import ClassScheme

__all__ = ["COLUMNS", "Column"]


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
