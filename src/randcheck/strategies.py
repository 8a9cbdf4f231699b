"""Hypothesis strategies for every public randcheck type (extra ``randcheck[hypothesis]``).

Every strategy generates *valid* values only: identifiers with correct check characters,
dates in order, Tianjin district names with their real region codes, weights that satisfy
``R-GRADE-WEIGHT`` and ``R-RISK-WEIGHT``. Options narrow what is generated (``district=``,
``line=``, ``complete=``, ...). ``complete=True`` (the default where offered) fills every field
the rules require (Art. 5, 7, 9), so a rule function finds nothing missing; ``complete=False``
may leave such fields empty, as real records sometimes do.

Installing randcheck registers the strategies with Hypothesis through the ``hypothesis``
entry point, so ``st.from_type(Enterprise)`` and ``@given(plan=...)`` with type inference work
without importing this module. Importing :mod:`randcheck` itself never imports Hypothesis.
"""

# ruff: noqa: E402 - the entry-point hook must exist before Hypothesis is imported (see below).

from __future__ import annotations


def _hypothesis_setup_hook() -> None:
    """Register randcheck's strategies with Hypothesis (called through the entry point).

    Defined before this module imports Hypothesis: when this module is imported first,
    importing Hypothesis runs its entry points while the module is still half-initialised, so
    the hook must already exist. It then does nothing, and the end of this module registers
    the strategies instead.
    """
    register = globals().get("_register_strategies")
    if register is not None:
        register()


from collections.abc import Callable, Collection
from datetime import date, timedelta
from fractions import Fraction
from typing import Any, TypeVar

import attrs
from hypothesis import strategies as st

from randcheck.calendars import DayCounting
from randcheck.domain import (
    STRATUM_KEYS,
    CheckItem,
    CheckItemList,
    Conflict,
    ConflictGround,
    CrossDistrictBounds,
    Enterprise,
    Grade,
    Inspector,
    LegalBasis,
    LegalRank,
    Line,
    Plan,
    PublicInspector,
    RiskFlags,
    SampleAllocation,
    Scope,
    TimeWindow,
)
from randcheck.errors import ValidationError
from randcheck.ids import (
    USCC_ALPHABET,
    organisation_code_check_character,
    resident_id_check_character,
    uscc_check_character,
)
from randcheck.profiles import (
    TIANJIN_HRSS,
    CapRule,
    PeriodRule,
    Profile,
    Severity,
    Source,
    TeamRule,
)
from randcheck.text import Text

__all__ = [
    "DISTRICT_NAMES",
    "check_item_lists",
    "check_items",
    "conflict_grounds",
    "conflicts",
    "cross_district_bounds",
    "enterprises",
    "grades",
    "inspectors",
    "legal_bases",
    "legal_ranks",
    "lines",
    "person_names",
    "phones",
    "plans",
    "profiles",
    "public_inspectors",
    "resident_ids",
    "risk_flags",
    "scopes",
    "sources",
    "time_windows",
    "usccs",
]

T = TypeVar("T")

DISTRICT_NAMES: tuple[str, ...] = tuple(d.name for d in TIANJIN_HRSS.districts)
"""The 16 Tianjin district names, in region-code order."""

_CODE_BY_DISTRICT = {d.name: d.code for d in TIANJIN_HRSS.districts}
_INDUSTRIES = (
    "制造业",
    "建筑业",
    "批发和零售业",
    "住宿和餐饮业",
    "信息技术服务业",
    "交通运输业",
    "租赁和商务服务业",
)
_TRADE = "华宏盛鑫源恒泰达信诚嘉瑞祥和润丰聚金海港津渤滨兴隆昌安宇通博远凯晟明德"
_SUFFIXES = ("科技", "商贸", "建筑工程", "餐饮管理", "物流", "机械制造", "人力资源服务")
_FORMS = ("有限公司", "有限责任公司", "股份有限公司")
_SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚英华玉萍红娟建国文辉鹏宇浩晨阳欣怡"
_POSTS = ("一级科员", "四级主任科员", "三级主任科员", "副科长", "科长", "监察员")
_SECTIONS = ("劳动保障监察科", "劳动保障监察一队", "劳动保障监察二队", "社会保险稽核科")
_MOBILE_SEGMENTS = ("130", "133", "135", "138", "139", "150", "155", "158", "176", "186", "189")
_TITLES = {
    LegalRank.LAW: ("中华人民共和国劳动法", "中华人民共和国劳动合同法", "中华人民共和国社会保险法"),
    LegalRank.ADMINISTRATIVE_REGULATION: ("劳动保障监察条例", "保障农民工工资支付条例"),
    LegalRank.LOCAL_REGULATION: ("天津市劳动和社会保障监察条例", "天津市就业促进条例"),
    LegalRank.RULE: ("社会保险稽核办法", "劳务派遣暂行规定"),
    LegalRank.NORMATIVE_DOCUMENT: ("关于进一步做好劳动保障监察工作的通知",),
}
_ARTICLES = ("第三条", "第十条", "第十一条", "第二十三条", "第五十条", "第五十八条", "第六十条")
_CONTENTS = (
    "用人单位遵守劳动合同制度情况",
    "用人单位支付劳动者工资和执行最低工资标准情况",
    "用人单位参加各项社会保险和缴纳社会保险费情况",
    "用人单位遵守工作时间和休息休假规定情况",
)
_LINE_ABBR = {
    Line.LABOUR_INSPECTION: "LS",
    Line.SOCIAL_INSURANCE_AUDIT: "SB",
    Line.MEDICAL_INSURANCE_SUPERVISION: "YB",
}
_MIN_DATE = date(1990, 1, 1)
_MAX_DATE = date(2040, 12, 31)


def _value_or(value: T | None, strategy: st.SearchStrategy[T]) -> st.SearchStrategy[T]:
    return strategy if value is None else st.just(value)


def _converted(value: object) -> Any:
    """``value`` typed ``Any`` for a field with a generic converter (``tuple``, ``frozenset``).

    The attrs mypy plugin types such a parameter as ``Iterable[_T_co]`` with an unbound type
    variable, which no argument satisfies.
    """
    return value


def _division_code(district: str) -> str:
    try:
        return _CODE_BY_DISTRICT[district]
    except KeyError:
        raise ValidationError(
            field="district", expected="a Tianjin district name", got=district
        ) from None


def _fractions(low: Fraction, high: Fraction) -> st.SearchStrategy[Fraction]:
    return st.fractions(min_value=low, max_value=high, max_denominator=100)


# --- enumerations ---------------------------------------------------------------------------


def lines() -> st.SearchStrategy[Line]:
    """One of the three enforcement lines."""
    return st.sampled_from(Line)


def grades() -> st.SearchStrategy[Grade]:
    """A labour-compliance integrity grade, unrated included."""
    return st.sampled_from(Grade)


def conflict_grounds() -> st.SearchStrategy[ConflictGround]:
    """A ground for recusal."""
    return st.sampled_from(ConflictGround)


def legal_ranks(*, sufficient: bool | None = None) -> st.SearchStrategy[LegalRank]:
    """A rank of legal basis; ``sufficient=True`` only ranks that can ground an inspection."""
    ranks = [rank for rank in LegalRank if sufficient is None or rank.sufficient is sufficient]
    return st.sampled_from(ranks)


# --- identifiers and contact data -----------------------------------------------------------


@st.composite
def usccs(draw: st.DrawFn, *, district: str | None = None) -> str:
    """A valid unified social credit code of a Tianjin entity.

    Registration authority ``9`` (market regulation) most of the time, else ``1`` (civil
    service bodies), ``5`` (civil affairs) or ``Y`` (other); entity type ``1``, ``2`` or ``3``;
    the division code of ``district`` (default: any of the 16); an organisation code with a
    correct GB 11714 check character; the GB 32100 check character.
    """
    authority = draw(st.sampled_from("999999915Y"))
    kind = "1" if authority == "Y" else draw(st.sampled_from("123"))
    name = draw(_value_or(district, st.sampled_from(DISTRICT_NAMES)))
    body = draw(st.text(alphabet=USCC_ALPHABET, min_size=8, max_size=8))
    organisation = body + organisation_code_check_character(body)
    first17 = authority + kind + _division_code(name) + organisation
    return first17 + uscc_check_character(first17)


@st.composite
def resident_ids(draw: st.DrawFn, *, born_before: date = date(2006, 1, 1)) -> str:
    """A valid resident identity number with a Tianjin region code.

    The birth date exists and lies before ``born_before`` and not after today (the check
    rejects future birth dates).
    """
    latest = min(born_before - timedelta(days=1), date.today())
    born = draw(st.dates(min_value=date(1940, 1, 1), max_value=latest))
    region = draw(st.sampled_from([d.code for d in TIANJIN_HRSS.districts]))
    sequence = draw(st.integers(min_value=0, max_value=999))
    first17 = f"{region}{born:%Y%m%d}{sequence:03d}"
    return first17 + resident_id_check_character(first17)


@st.composite
def phones(draw: st.DrawFn, *, mobile_only: bool = False) -> str:
    """A mainland mobile number, or (unless ``mobile_only``) a Tianjin landline ``022-…``."""
    subscriber = draw(st.integers(min_value=0, max_value=10**8 - 1))
    if mobile_only or draw(st.integers(min_value=0, max_value=4)) > 0:
        return f"{draw(st.sampled_from(_MOBILE_SEGMENTS))}{subscriber:08d}"
    return f"022-{2 * 10**7 + subscriber % (8 * 10**7):08d}"


@st.composite
def person_names(draw: st.DrawFn) -> str:
    """A Chinese personal name of two or three characters."""
    surname = draw(st.sampled_from(_SURNAMES))
    given = draw(st.text(alphabet=_GIVEN, min_size=1, max_size=2))
    return surname + given


@st.composite
def _company_names(draw: st.DrawFn, district: str) -> str:
    place = draw(st.sampled_from(("天津", "天津市", f"天津市{district}")))
    trade = draw(st.text(alphabet=_TRADE, min_size=2, max_size=2))
    return place + trade + draw(st.sampled_from(_SUFFIXES)) + draw(st.sampled_from(_FORMS))


# --- enterprises ----------------------------------------------------------------------------


def risk_flags(*, max_complaints: int = 20) -> st.SearchStrategy[RiskFlags]:
    """The Art. 12 risk factors, complaints in ``[0, max_complaints]``."""
    return st.builds(
        RiskFlags,
        complaints_12m=st.integers(min_value=0, max_value=max_complaints),
        abnormal_operations=st.booleans(),
        serious_violation=st.booleans(),
        key_area=st.booleans(),
    )


@st.composite
def enterprises(
    draw: st.DrawFn,
    *,
    district: str | None = None,
    grade: Grade | None = None,
    industry: str | None = None,
    risk: RiskFlags | None = None,
) -> Enterprise:
    """An enterprise of a Tianjin district; its code carries the district's division code.

    Each option fixes that attribute; ``None`` lets it vary.
    """
    name = draw(_value_or(district, st.sampled_from(DISTRICT_NAMES)))
    return Enterprise(
        uscc=draw(usccs(district=name)),
        name=draw(_company_names(name)),
        district=name,
        industry=draw(_value_or(industry, st.sampled_from(_INDUSTRIES))),
        grade=draw(_value_or(grade, grades())),
        risk=draw(_value_or(risk, risk_flags())),
    )


# --- inspectors and conflicts ---------------------------------------------------------------


@st.composite
def _certificate_numbers(draw: st.DrawFn, line: Line, district: str) -> str:
    number = draw(st.integers(min_value=1, max_value=9999))
    return f"TJ-{_LINE_ABBR[line]}-{_division_code(district)}-{number:04d}"


@st.composite
def inspectors(
    draw: st.DrawFn,
    *,
    lines: Collection[Line] | None = None,
    district: str | None = None,
    complete: bool = True,
    valid_on: date | None = None,
    interests: bool = True,
) -> Inspector:
    """An inspector record.

    Args:
        lines: exactly these lines (default: a non-empty random set).
        district: the inspector's district (default: any of the 16).
        complete: every Art. 7 field filled (name, department, post, certificate number or
            identity number, phone); ``False`` may leave department, post and phone empty.
        valid_on: the certificate is valid on this day (default: validity dates vary, open
            ends included).
        interests: whether former employers, relatives' employers and shareholdings may be
            recorded.
    """
    name = draw(_value_or(district, st.sampled_from(DISTRICT_NAMES)))
    chosen = (
        frozenset(lines)
        if lines is not None
        else draw(st.frozensets(st.sampled_from(Line), min_size=1))
    )
    main_line = min(chosen, key=lambda line: line.value) if chosen else Line.LABOUR_INSPECTION
    by_certificate = draw(st.integers(min_value=0, max_value=4)) > 0
    certificate = draw(_certificate_numbers(main_line, name)) if by_certificate else None
    resident_id = None if by_certificate else draw(resident_ids())
    department = f"{name}人力资源和社会保障局"
    post = draw(st.sampled_from(_POSTS))
    phone = draw(phones())
    if not complete:
        department = draw(st.sampled_from((department, "")))
        post = draw(st.sampled_from((post, "")))
        phone = draw(st.sampled_from((phone, "")))
    if valid_on is None:
        start = draw(st.none() | st.dates(min_value=_MIN_DATE, max_value=_MAX_DATE))
        low = _MIN_DATE if start is None else start
        end = draw(st.none() | st.dates(min_value=low, max_value=_MAX_DATE))
    else:
        start = valid_on - timedelta(days=draw(st.integers(min_value=0, max_value=3000)))
        end = valid_on + timedelta(days=draw(st.integers(min_value=0, max_value=3000)))
    codes = st.lists(usccs(), max_size=2) if interests else st.just([])
    return Inspector(
        name=draw(person_names()),
        department=department,
        post=post,
        certificate_no=certificate,
        resident_id=resident_id,
        phone=phone,
        district=name,
        section=draw(st.sampled_from(_SECTIONS)),
        lines=_converted(chosen),
        certificate_valid_from=start,
        certificate_valid_until=end,
        former_employers=_converted(draw(codes)),
        relatives_employers=_converted(draw(codes)),
        shareholdings=_converted(draw(codes)),
    )


def public_inspectors() -> st.SearchStrategy[PublicInspector]:
    """The publication view of an inspector record (numbers masked)."""
    return inspectors().map(Inspector.public)


@st.composite
def conflicts(
    draw: st.DrawFn,
    *,
    inspector: str | None = None,
    enterprise: str | None = None,
    ground: ConflictGround | None = None,
) -> Conflict:
    """A declared conflict; a ground of ``other`` always comes with a description."""
    key = inspector
    if key is None:
        key = draw(_certificate_numbers(draw(lines()), draw(st.sampled_from(DISTRICT_NAMES))))
    chosen = draw(_value_or(ground, conflict_grounds()))
    notes = ("配偶在该企业任职", "曾在该企业任职", "曾代理该企业劳动争议案件")
    note = draw(st.sampled_from(notes))
    if chosen is not ConflictGround.OTHER:
        note = draw(st.sampled_from((note, "")))
    return Conflict(
        inspector=key,
        enterprise=draw(_value_or(enterprise, usccs())),
        ground=chosen,
        note=note,
    )


# --- legal bases and check items ------------------------------------------------------------


@st.composite
def legal_bases(
    draw: st.DrawFn, *, sufficient: bool | None = None, in_force_on: date | None = None
) -> LegalBasis:
    """A legal basis.

    Args:
        sufficient: ``True`` only law, regulation or rule; ``False`` only normative
            documents; ``None`` any rank.
        in_force_on: effective on or before this day and not repealed on or before it.
    """
    rank = draw(legal_ranks(sufficient=sufficient))
    if in_force_on is None:
        effective = draw(st.dates(min_value=_MIN_DATE, max_value=_MAX_DATE))
        repealed = draw(
            st.none()
            | st.dates(min_value=effective + timedelta(days=1), max_value=date(2060, 1, 1))
        )
    else:
        effective = draw(st.dates(min_value=date(1950, 1, 1), max_value=in_force_on))
        repealed = draw(
            st.none()
            | st.dates(min_value=in_force_on + timedelta(days=1), max_value=date(2060, 1, 1))
        )
    return LegalBasis(
        title=draw(st.sampled_from(_TITLES[rank])),
        article=draw(st.sampled_from(_ARTICLES)),
        rank=rank,
        effective=effective,
        repealed=repealed,
    )


def _item_codes(line: Line) -> st.SearchStrategy[str]:
    return st.integers(min_value=1, max_value=99).map(lambda n: f"{_LINE_ABBR[line]}-{n:02d}")


@st.composite
def check_items(
    draw: st.DrawFn,
    *,
    line: Line | None = None,
    code: str | None = None,
    complete: bool = True,
    in_force_on: date | None = None,
) -> CheckItem:
    """A check item.

    ``complete=True`` gives content, inspecting body, target type and one to three bases of
    sufficient rank (in force on ``in_force_on`` when given); ``complete=False`` may leave any
    of them out and may use a normative document.
    """
    chosen = draw(_value_or(line, lines()))
    content = draw(st.sampled_from(_CONTENTS))
    body = "天津市劳动保障监察机构"
    target = "用人单位"
    bases = draw(
        st.lists(legal_bases(sufficient=True, in_force_on=in_force_on), min_size=1, max_size=3)
    )
    if not complete:
        content = draw(st.sampled_from((content, "")))
        body = draw(st.sampled_from((body, "")))
        target = draw(st.sampled_from((target, "")))
        bases = draw(st.lists(legal_bases(in_force_on=in_force_on), max_size=3))
    return CheckItem(
        code=draw(_value_or(code, _item_codes(chosen))),
        line=chosen,
        content=content,
        inspecting_body=body,
        target_type=target,
        bases=_converted(bases),
    )


@st.composite
def check_item_lists(
    draw: st.DrawFn,
    *,
    line: Line | None = None,
    min_size: int = 1,
    max_size: int = 6,
    complete: bool = True,
) -> CheckItemList:
    """A check-item list of one line with unique item codes, published before it takes effect.

    Items are complete (and their bases in force on the effective date) unless
    ``complete=False``.
    """
    chosen = draw(_value_or(line, lines()))
    effective = draw(st.dates(min_value=date(2016, 1, 1), max_value=date(2035, 12, 31)))
    codes = draw(st.lists(_item_codes(chosen), min_size=min_size, max_size=max_size, unique=True))
    items = [
        draw(check_items(line=chosen, code=code, complete=complete, in_force_on=effective))
        for code in codes
    ]
    published = effective - timedelta(days=draw(st.integers(min_value=0, max_value=60)))
    return CheckItemList(
        version=f"TJ-{_LINE_ABBR[chosen]}-{effective.isoformat()}",
        line=chosen,
        effective=effective,
        published=published,
        items=_converted(items),
    )


# --- plans ----------------------------------------------------------------------------------


@st.composite
def scopes(draw: st.DrawFn) -> Scope:
    """A target scope with a description and, sometimes, district, industry or grade filters."""
    districts = draw(st.none() | st.frozensets(st.sampled_from(DISTRICT_NAMES), min_size=1))
    industries = draw(st.none() | st.frozensets(st.sampled_from(_INDUSTRIES), min_size=1))
    chosen_grades = draw(st.none() | st.frozensets(grades(), min_size=1))
    return Scope(
        description=draw(
            st.sampled_from(
                (
                    "天津市行政区域内的用人单位",
                    "纳入执法检查对象名录库的用人单位",
                    "本区参保单位",
                )
            )
        ),
        districts=districts,
        industries=industries,
        grades=_converted(chosen_grades),
    )


@st.composite
def time_windows(draw: st.DrawFn, *, year: int | None = None) -> TimeWindow:
    """An inclusive window of days, inside ``year`` when given."""
    if year is None:
        low, high = _MIN_DATE, _MAX_DATE
    else:
        low, high = date(year, 1, 1), date(year, 12, 31)
    start = draw(st.dates(min_value=low, max_value=high))
    end = draw(st.dates(min_value=start, max_value=high))
    return TimeWindow(start=start, end=end)


@st.composite
def cross_district_bounds(draw: st.DrawFn) -> CrossDistrictBounds:
    """Bounds ``0 <= minimum <= maximum <= 1`` on the share of outside inspectors."""
    low = draw(_fractions(Fraction(0), Fraction(1)))
    high = low + draw(_fractions(Fraction(0), Fraction(1))) * (1 - low)
    return CrossDistrictBounds(minimum=low, maximum=high)


@st.composite
def plans(
    draw: st.DrawFn,
    *,
    year: int | None = None,
    line: Line | None = None,
    items: Collection[str] | None = None,
    complete: bool = True,
) -> Plan:
    """A sampling plan.

    By default a complete, lawful plan: items, scope, inspector requirements, a ratio in
    (0, 1] and rounds, one window per round inside the year, a procedure, teams of two or
    more, submitted on or before 30 November of the year before and published after
    submission, before the year starts. ``complete=False`` may leave any of the five Art. 9
    contents out. A plan with an overall ratio and no per-stratum ratios may divide its
    sample by weight (:attr:`~randcheck.domain.SampleAllocation.PROPORTIONAL_TO_WEIGHT`).
    """
    chosen_year = draw(_value_or(year, st.integers(min_value=2017, max_value=2035)))
    chosen_line = draw(_value_or(line, lines()))
    codes = (
        tuple(items)
        if items is not None
        else tuple(draw(st.lists(_item_codes(chosen_line), min_size=1, max_size=5, unique=True)))
    )
    strata = tuple(draw(st.permutations(STRATUM_KEYS))[: draw(st.integers(0, 3))])
    strata_ratios = draw(
        st.dictionaries(
            st.sampled_from(DISTRICT_NAMES), _fractions(Fraction(1, 20), Fraction(1)), max_size=2
        )
    )
    if strata != ("district",):
        # Stratum names follow the plan's strata; only district-only plans get named ratios.
        strata_ratios = {}
    windows = sorted(
        draw(st.lists(time_windows(year=chosen_year), min_size=1, max_size=3)),
        key=lambda window: (window.start, window.end),
    )
    deadline = date(chosen_year - 1, 11, 30)
    submitted = draw(st.dates(min_value=date(chosen_year - 1, 1, 1), max_value=deadline))
    published = draw(st.dates(min_value=submitted, max_value=date(chosen_year - 1, 12, 31)))
    scope = draw(scopes())
    requirements = "持有效行政执法证件的执法检查人员，每组不少于2人，有利害关系的应当回避"
    ratio: Fraction | None = draw(_fractions(Fraction(1, 100), Fraction(1)))
    # One window per round, round 1 first (R-PLAN-FIELDS).
    rounds: int | None = len(windows)
    procedure = "随机抽取、随机选派、实施检查、结果公示、反馈、依法处理"
    if not complete:
        scope = draw(st.sampled_from((scope, Scope())))
        requirements = draw(st.sampled_from((requirements, "")))
        ratio = draw(st.sampled_from((ratio, None)))
        rounds = draw(st.sampled_from((rounds, None)))
        windows = draw(st.sampled_from((windows, [])))
        procedure = draw(st.sampled_from((procedure, "")))
    # Allocation by weight divides one overall ratio, so it goes with no per-stratum ratios.
    allocation = SampleAllocation.PER_STRATUM
    if ratio is not None and not strata_ratios:
        allocation = draw(st.sampled_from(SampleAllocation))
    return Plan(
        code=f"TJ-{_LINE_ABBR[chosen_line]}-{chosen_year}",
        year=chosen_year,
        line=chosen_line,
        items=_converted(codes),
        scope=scope,
        inspector_requirements=requirements,
        ratio=ratio,
        stratum_ratios=strata_ratios,
        rounds=rounds,
        windows=_converted(windows),
        procedure=procedure,
        team_size=draw(st.integers(min_value=2, max_value=4)),
        cross_district=draw(cross_district_bounds()),
        load_cap=draw(st.none() | st.integers(min_value=1, max_value=50)),
        distinct_sections=draw(st.booleans()),
        strata=_converted(strata),
        min_one_per_stratum=draw(st.booleans()),
        allocation=allocation,
        submitted=submitted,
        published=published,
    )


# --- profiles -------------------------------------------------------------------------------


def sources() -> st.SearchStrategy[Source]:
    """A legal source of a profile."""
    return st.builds(
        Source,
        title=st.sampled_from(_TITLES[LegalRank.LAW] + _TITLES[LegalRank.RULE]),
        reference=st.sampled_from(("", "人社部规〔2016〕2号", "津政办发〔2017〕99号")),
        articles=st.sampled_from(("", "Art. 1", "Art. 9-12")),
    )


@st.composite
def _tiers(draw: st.DrawFn) -> tuple[tuple[int, Fraction], ...]:
    thresholds = sorted(draw(st.sets(st.integers(min_value=1, max_value=20), max_size=3)))
    tiers = []
    multiplier = Fraction(1)
    for threshold in thresholds:
        multiplier += draw(_fractions(Fraction(0), Fraction(2)))
        tiers.append((threshold, multiplier))
    return tuple(tiers)


@st.composite
def profiles(draw: st.DrawFn) -> Profile:
    """A valid profile: weight(A) < weight(B) <= weight(C), every multiplier >= 1, tiers monotone.

    The unrated weight lies between those of A and C. Names look like ``xx-yyyy``; the
    profile is not registered.
    """
    weight_a = draw(_fractions(Fraction(1, 10), Fraction(2)))
    weight_b = weight_a + draw(_fractions(Fraction(1, 20), Fraction(2)))
    weight_c = weight_b + draw(_fractions(Fraction(0), Fraction(3)))
    unrated = weight_a + draw(_fractions(Fraction(0), Fraction(1))) * (weight_c - weight_a)
    multiplier = _fractions(Fraction(1), Fraction(4))
    deadline = draw(st.dates(min_value=date(2001, 1, 1), max_value=date(2001, 12, 31)))
    base = TIANJIN_HRSS
    factors = {factor.id: factor for factor in base.risk_factors}
    risk_factors = (
        attrs.evolve(factors["complaints_12m"], tiers=draw(_tiers())),
        *(
            attrs.evolve(factors[name], tiers=((1, draw(multiplier)),))
            for name in ("abnormal_operations", "serious_violation", "key_area")
        ),
    )
    profile = attrs.evolve(
        base,
        name=draw(st.from_regex(r"[a-z]{2}(-[a-z]{2,6}){1,2}", fullmatch=True)),
        title=draw(
            st.sampled_from(
                (
                    Text(zh="某市人力资源社会保障领域双随机一公开", en="Sample city rules"),
                    Text(zh="示例规则", en="Sample rules"),
                )
            )
        ),
        jurisdiction=draw(st.sampled_from(("Tianjin, China", "Beijing, China", "Hebei, China"))),
        cap=CapRule(
            per_year=draw(st.integers(min_value=1, max_value=6)),
            severity=draw(st.sampled_from(Severity)),
        ),
        publicity=PeriodRule(
            days=draw(st.integers(min_value=1, max_value=30)),
            counting=draw(st.sampled_from(DayCounting)),
            start_day_counted=True,
            holiday_rollover=False,
        ),
        plan_deadline=(deadline.month, deadline.day),
        team=TeamRule(min_size=draw(st.integers(min_value=1, max_value=4))),
        risk_factors=risk_factors,
        issued=draw(st.none() | st.dates(min_value=date(2010, 1, 1), max_value=date(2035, 12, 31))),
        validity_years=draw(st.integers(min_value=1, max_value=5)),
        sources=tuple(draw(st.lists(sources(), max_size=3))),
        limitations=tuple(draw(st.lists(st.sampled_from(("Trial rules.", "试行。")), max_size=2))),
    )
    return profile.with_class_weights(
        {Grade.A: weight_a, Grade.B: weight_b, Grade.C: weight_c, Grade.UNRATED: unrated}
    )


# --- registration ---------------------------------------------------------------------------

_REGISTRY: tuple[tuple[type[Any], Callable[[], st.SearchStrategy[Any]]], ...] = (
    (RiskFlags, risk_flags),
    (Enterprise, enterprises),
    (Inspector, inspectors),
    (PublicInspector, public_inspectors),
    (Conflict, conflicts),
    (LegalBasis, legal_bases),
    (CheckItem, check_items),
    (CheckItemList, check_item_lists),
    (Scope, scopes),
    (TimeWindow, time_windows),
    (CrossDistrictBounds, cross_district_bounds),
    (Plan, plans),
    (Source, sources),
    (Profile, profiles),
)


def _register_strategies() -> None:
    """Register every strategy, by function, so none is built until a test asks for its type.

    Enumerations need no registration: Hypothesis samples their members.
    """
    for cls, factory in _REGISTRY:
        st.register_type_strategy(cls, _lazy(factory))


def _lazy(factory: Callable[[], st.SearchStrategy[T]]) -> Callable[[type[T]], st.SearchStrategy[T]]:
    def resolve(_: type[T]) -> st.SearchStrategy[T]:
        return factory()

    return resolve


_register_strategies()
