"""The one shape every publication takes before it is written: a titled text, facts, tables.

A :class:`Document` is what a bureau posts: a title and body text (from the profile's
templates), a list of facts (label, value) and tables of rows. The writers of
:mod:`randcheck.publication._formats` turn it into CSV, ``.xlsx`` or HTML; none of them adds
content, so checking the document for personal data (:func:`check_public`) checks what is
written (R-PUBLIC).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Final, Literal, TypeAlias

import attrs

from randcheck.errors import RandcheckError
from randcheck.privacy import find_unmasked_personal_data, mask_personal_data
from randcheck.text import Text

__all__ = [
    "LANGUAGES",
    "Chart",
    "Document",
    "Language",
    "PersonalDataInPublication",
    "Table",
    "check_public",
    "label",
]

Language: TypeAlias = Literal["zh", "en"]
"""The language a publication is written in: Chinese (the default) or English."""

LANGUAGES: Final[tuple[Language, ...]] = ("zh", "en")


def _tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(value)


def _rows(value: Iterable[Iterable[str]]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(row) for row in value)


def _pairs(value: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    return tuple((str(k), str(v)) for k, v in value)


@attrs.frozen(kw_only=True)
class Table:
    """A table of a publication: ``columns`` headers, ``rows`` of cells (all strings, one per
    column), and a ``title`` (also the sheet name in ``.xlsx``, shortened there to 31
    characters)."""

    title: str
    columns: tuple[str, ...] = attrs.field(converter=_tuple)
    rows: tuple[tuple[str, ...], ...] = attrs.field(converter=_rows)

    def __attrs_post_init__(self) -> None:
        width = len(self.columns)
        for n, row in enumerate(self.rows):
            if len(row) != width:
                raise ValueError(f"table {self.title!r} row {n}: {len(row)} cells, {width} columns")


@attrs.frozen(kw_only=True)
class Chart:
    """A chart of the year's report: ``svg`` is an inline ``<svg>`` element, or ``None`` where
    charts are unavailable (then ``note`` says why)."""

    title: str
    svg: str | None
    note: str = ""


@attrs.frozen(kw_only=True)
class Document:
    """A publication ready to be written.

    ``kind``: which publication (``check-items``, ``plan``, ``draw``, ``dispatch``,
    ``results``, ``feedback``, ``report``); ``lang``: ``"zh"`` or ``"en"``; ``title`` and
    ``body`` (paragraphs separated by blank lines) come from the templates; ``facts`` are
    ``(label, value)`` pairs; ``tables`` and, for the year's report, ``charts``.
    """

    kind: str
    lang: Language
    title: str
    body: str
    facts: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=_pairs)
    tables: tuple[Table, ...] = attrs.field(default=(), converter=_tuple)
    charts: tuple[Chart, ...] = attrs.field(default=(), converter=_tuple)

    @property
    def paragraphs(self) -> tuple[str, ...]:
        """The body's paragraphs (blank-line separated), each stripped, none empty."""
        parts = (" ".join(p.split("\n")).strip() for p in self.body.split("\n\n"))
        return tuple(p for p in parts if p)

    def texts(self) -> Iterator[tuple[str, str]]:
        """Every text of the document as ``(where, text)``, for checks over all of them."""
        yield "title", self.title
        yield "body", self.body
        for n, (key, value) in enumerate(self.facts):
            yield f"facts[{n}]", f"{key} {value}"
        for table in self.tables:
            for c, column in enumerate(table.columns):
                yield f"{table.title} column {c + 1}", column
            for r, row in enumerate(table.rows):
                for c, cell in enumerate(row):
                    yield f"{table.title} row {r + 1} column {c + 1}", cell
        for chart in self.charts:
            yield f"chart {chart.title}", f"{chart.title} {chart.note}"


class PersonalDataInPublication(RandcheckError, ValueError):
    """A publication holds a resident identity number or phone number (R-PUBLIC): it is not
    written."""


def check_public(document: Document) -> None:
    """Refuse ``document`` if any text in it holds personal data (R-PUBLIC, Art. 3).

    Uses the library's detection (:func:`randcheck.privacy.find_unmasked_personal_data`): a
    resident identity number or mainland mobile number in any spelling it knows; a USCC is not
    personal data.

    Raises:
        PersonalDataInPublication: naming every place that holds such data, the numbers
            masked in the message.
    """
    texts = list(document.texts())
    # One linear scan of every text joined first: NUL is neither a digit, a letter nor a
    # separator the detection allows inside a number, so no match crosses it and the joined
    # text holds a match exactly when some text does. Only then is each text scanned, to
    # name its place.
    if not find_unmasked_personal_data("\x00".join(text for _, text in texts)):
        return
    places = []
    for where, text in texts:
        found = find_unmasked_personal_data(text)
        if found:
            places.append(f"{where}: {mask_personal_data(', '.join(found))}")
    if places:
        message = Text(
            zh=f"发布内容含个人信息（居民身份号码或电话号码），拒绝写出：{'；'.join(places)}",
            en="the publication holds personal data (identity or phone numbers); not written: "
            + "; ".join(places),
        )
        raise PersonalDataInPublication(
            message, field=document.kind, expected="no personal data", got=len(places)
        )


_LABELS: Final[dict[str, Text]] = {}


def label(key: str, lang: Language) -> str:
    """The label ``key`` (a column header or fact name) in ``lang``; see :data:`_LABELS`."""
    return _LABELS[key].zh if lang == "zh" else _LABELS[key].en


def _define(**labels: tuple[str, str]) -> None:
    for key, (zh, en) in labels.items():
        _LABELS[key] = Text(zh=zh, en=en)


_define(
    line=("条线", "line"),
    code=("事项编号", "item code"),
    content=("抽查内容", "content"),
    basis=("抽查依据", "legal basis"),
    body=("抽查主体", "inspecting body"),
    target_type=("抽查对象", "target type"),
    list_version=("清单版本", "list version"),
    effective=("施行日期", "effective"),
    published=("公布日期", "published"),
    plan=("抽查计划", "plan"),
    year=("年度", "year"),
    scope=("检查对象范围", "target scope"),
    requirements=("执法检查人员要求", "inspector requirements"),
    ratio=("抽查比例", "sampling ratio"),
    rounds=("抽查频次（轮）", "frequency (rounds)"),
    windows=("实施抽查时间", "time of the checks"),
    procedure=("执法检查流程", "procedure"),
    items=("抽查事项", "check items"),
    team_size=("每组人数", "team size"),
    submitted=("报送日期", "submitted"),
    round=("轮次", "round"),
    commitment_digest=("抽取框承诺摘要", "commitment digest (frame)"),
    commitment_record=("承诺文件摘要", "commitment document digest"),
    commitment_published=("承诺公布时间", "commitment published"),
    seed=("随机种子", "seed"),
    seed_source=("种子来源", "seed source"),
    seed_fixed=("种子确定时间", "seed fixed"),
    record_digest=("抽取记录摘要", "draw record digest"),
    verify=("核验命令", "re-check command"),
    eligible=("名录中符合条件的企业", "eligible enterprises"),
    drawn=("抽中企业数", "enterprises drawn"),
    drawn_list=("抽中企业名单", "enterprises drawn"),
    cap_reached=("因年度抽查次数上限排除", "excluded by the yearly cap"),
    no=("序号", "no."),
    name=("企业名称", "enterprise"),
    uscc=("统一社会信用代码", "USCC"),
    district=("所在区", "district"),
    inspection_date=("检查日期", "inspection date"),
    dispatch_digest=("选派记录摘要", "dispatch record digest"),
    pool_digest=("执法人员库承诺摘要", "pool commitment digest"),
    pool_published=("执法人员库承诺公布时间", "pool commitment published"),
    draw_digest=("对应抽取记录", "draw record"),
    team=("检查组", "team"),
    inspector=("执法人员", "inspector"),
    certificate=("执法证件编号", "certificate no."),
    department=("所在单位", "department"),
    recusals=("回避人次", "recusals"),
    hidden_pairs=("保密回避对", "confidential recusal pairs"),
    inspection=("检查编号", "inspection"),
    started=("检查开始", "started"),
    finished=("检查结束", "finished"),
    conclusion=("检查结论", "conclusion"),
    opinion=("处理意见", "handling opinion"),
    violations=("发现问题", "violations found"),
    disposition=("处理决定", "disposition"),
    batch=("公示批次", "publicity batch"),
    publicity_start=("公示开始", "publicity starts"),
    publicity_period=("公示期间", "publicity period"),
    publicity_end=("公示截止", "publicity ends"),
    minimum_end=("法定最短公示期满", "minimum period ends"),
    earliest_feedback=("最早反馈日", "first lawful feedback day"),
    channel=("公示渠道", "channel"),
    objection_channel=("异议渠道", "objection channel"),
    authority=("发布机关", "issued by"),
    feedback_mode=("反馈方式", "feedback mode"),
    feedback_date=("反馈日期", "feedback date"),
    issued_by=("反馈单位", "issued by"),
    article=("依据条款", "article"),
    unknown=("未知（缺少节假日数据）", "unknown (no holiday data)"),
    none=("无", "none"),
    written=("书面反馈", "in writing"),
    in_person=("当面反馈", "in person"),
)
