"""Deterministic synthetic Tianjin-like data for the demo, the documentation and benchmarks.

Everything here is a pure function of its arguments: the same ``seed`` always gives the same
directories, on every machine. All randomness is SHA-256 (:mod:`randcheck.hashing`) over the
tag ``randcheck-synthetic-v1``, a purpose tag, the seed and a running index; one hash per object
is sliced into all of its attributes. Nothing here is real: names are assembled from common
parts, and codes are valid but invented.

What the data looks like:

* **Enterprises** — the 16 districts of Tianjin with sizes roughly proportional to their
  numbers of market entities (滨海新区 the largest, then the outer districts, then the six
  central ones); unique, valid unified social credit codes whose division code is the
  district's; registration authority ``9`` (market regulation) with entity type ``1``
  (enterprise) mostly, ``2`` (individual business) and ``3`` (farmers' cooperative) now and
  then; integrity grades about 20 % A, 50 % B, 10 % C and 20 % unrated; no complaints in the
  last 12 months for nine in ten, 1 to 5 for the rest; about 3 % on the abnormal-operations
  list and about 1 % with a serious-violation record (more often for grade C); a key
  supervision area made of one whole district and one whole industry, chosen from the seed.
* **Inspectors** — spread over the 16 districts and the three lines (most of them labour
  inspectors), each with department, post, section, a certificate number such as
  ``TJ-LS-120101-0001`` (one in ten recorded with a resident identity number instead), a
  mobile number, a certificate valid through the demo year, and about 3 % with a former
  employer among the first enterprises of :func:`enterprises` with the same seed, so that
  recusal shows up in a demo.
* **Conflicts**, a **check-item list** per line with legal bases of sufficient rank, and a
  complete lawful **plan** per line and year.
"""

from __future__ import annotations

import functools
import struct
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from fractions import Fraction
from typing import Any, Final

import attrs

from randcheck.domain import (
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
    RiskFlags,
    SampleAllocation,
    Scope,
    TimeWindow,
)
from randcheck.errors import ValidationError
from randcheck.hashing import HashPrefix
from randcheck.ids import USCC_ALPHABET, resident_id_check_character
from randcheck.profiles import TIANJIN_HRSS

__all__ = [
    "INDUSTRIES",
    "MAX_ENTERPRISES",
    "conflicts",
    "demo_check_item_list",
    "demo_plan",
    "enterprises",
    "inspectors",
]

_VERSION: Final = "randcheck-synthetic-v1"

MAX_ENTERPRISES: Final = 100_000_000
"""The largest directory :func:`enterprises` can make with unique codes (10**8)."""

# --- tables ---------------------------------------------------------------------------------

_DISTRICTS: Final = TIANJIN_HRSS.districts
"""The districts of Tianjin (``cn-tj-hrss``), in code order: where the directory lies."""

# Share of market entities per district, per mille, in _DISTRICTS order. Rounded and
# illustrative: 滨海新区 holds by far the most, the central districts the fewest.
_DISTRICT_PER_MILLE: Final = (45, 40, 55, 55, 35, 25, 65, 75, 55, 60, 80, 35, 280, 25, 40, 30)
_CENTRAL: Final = frozenset(range(6))  # 和平, 河东, 河西, 南开, 河北, 红桥: no farms

INDUSTRIES: Final = (
    "制造业",
    "建筑业",
    "批发和零售业",
    "住宿和餐饮业",
    "信息技术服务业",
    "交通运输业",
    "租赁和商务服务业",
    "农业",
)
"""Industries used by the synthetic directory (``农业`` only for farmers' cooperatives)."""

_INDUSTRY_PER_MILLE: Final = (240, 100, 260, 80, 100, 70, 150)  # companies, INDUSTRIES order
_KEY_INDUSTRY_CHOICES: Final = (1, 3)  # 建筑业, 住宿和餐饮业: where wage arrears cluster

_GRADE_BY_PERCENT: Final = (
    (Grade.A,) * 20 + (Grade.B,) * 50 + (Grade.C,) * 10 + (Grade.UNRATED,) * 20
)
_COMPLAINTS_PER_MILLE: Final = ((0, 900), (1, 45), (2, 22), (3, 15), (4, 10), (5, 8))
_ABNORMAL_PER_MILLE: Final = 30
# Serious violations cluster in grade C; overall about 1 %: 0.1 * 55 + 0.9 * 5 ≈ 10 per mille.
_SERIOUS_PER_MILLE_C: Final = 55
_SERIOUS_PER_MILLE_OTHER: Final = 5

_TRADE_CHARS: Final = (
    "华宏盛鑫源恒泰达信诚嘉瑞祥和润丰聚金海港津渤滨兴隆昌安宇通博远凯晟明德富利康"
    "汇中天宝永新益佳正鼎创优思锦程辉耀升荣旭腾骏"
)
_SUFFIXES: Final = (
    ("机械制造", "电子", "汽车配件", "新材料", "精密仪器", "食品", "化工", "金属制品"),
    ("建筑工程", "建设工程", "装饰工程", "市政工程", "安装工程"),
    ("商贸", "贸易", "商业", "医药销售", "五金建材"),
    ("餐饮管理", "酒店管理", "饮食服务", "餐饮服务"),
    ("科技", "信息技术", "软件", "网络科技", "数据科技"),
    ("物流", "运输", "货运代理", "供应链管理"),
    ("商务服务", "人力资源服务", "企业管理咨询", "物业管理"),
)
_FORMS: Final = ("有限公司", "有限公司", "有限公司", "有限责任公司", "股份有限公司")
_SHOPS: Final = (
    ("便利店", "商店", "五金店", "水果店", "日用品店"),  # 批发和零售业
    ("餐馆", "小吃店", "饭店", "面馆", "包子铺"),  # 住宿和餐饮业
)
_COOPS: Final = ("种植专业合作社", "养殖专业合作社", "农机专业合作社")

# Values of the USCC alphabet and the GB 32100 weights, to compute check characters without
# re-validating strings built here from known-good parts.
_USCC_VALUE: Final = {c: i for i, c in enumerate(USCC_ALPHABET)}
_USCC_WEIGHTS: Final = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS: Final = (3, 7, 9, 10, 5, 8, 4, 2)


def _per_mille_table(weights: Iterable[int]) -> tuple[int, ...]:
    table: list[int] = []
    for index, weight in enumerate(weights):
        table.extend([index] * weight)
    if len(table) != 1000:  # pragma: no cover - the tables above are fixed
        raise AssertionError(len(table))
    return tuple(table)


_DISTRICT_BY_MILLE: Final = _per_mille_table(_DISTRICT_PER_MILLE)
_INDUSTRY_BY_MILLE: Final = _per_mille_table(_INDUSTRY_PER_MILLE)
_COMPLAINTS_BY_MILLE: Final = _per_mille_table(w for _, w in _COMPLAINTS_PER_MILLE)


def _converted(value: object) -> Any:
    """``value`` typed ``Any`` for a field with a generic converter (``tuple``, ``frozenset``).

    The attrs mypy plugin types such a parameter as ``Iterable[_T_co]`` with an unbound type
    variable, which no argument satisfies.
    """
    return value


def _check_error(name: str, expected: str, got: object) -> ValidationError:
    return ValidationError(field=name, expected=expected, got=got)


# --- enterprises ----------------------------------------------------------------------------


def _key_areas(seed: str) -> tuple[int, int]:
    """The seed's key supervision area: a district index (not 滨海新区) and an industry index."""
    number = HashPrefix([_VERSION, "key-area", seed]).number()
    districts = [i for i, d in enumerate(_DISTRICTS) if d.name != "滨海新区"]
    district = districts[number % len(districts)]
    industry = _KEY_INDUSTRY_CHOICES[(number >> 64) % len(_KEY_INDUSTRY_CHOICES)]
    return district, industry


def _code_permutation(seed: str) -> tuple[int, int]:
    """An affine bijection ``i -> (a*i + b) mod 10**8`` that makes codes unique yet scattered."""
    number = HashPrefix([_VERSION, "code-permutation", seed]).number()
    a = number % MAX_ENTERPRISES
    # a must be a unit modulo 10**8: odd and not a multiple of 5.
    a = a | 1
    if a % 5 == 0:
        a += 2
    b = (number >> 128) % MAX_ENTERPRISES
    return a % MAX_ENTERPRISES, b


_ORG_CHECK: Final = tuple(
    {10: "X", 11: "0"}.get(11 - r, str(11 - r)) for r in range(11)
)  # GB 11714 check character by (weighted sum mod 11)
_MODERN_HALF: Final = 31**3


def _weighted(text: str, weights: Iterable[int], values: dict[str, int]) -> int:
    return sum(values[c] * w for c, w in zip(text, weights, strict=True))


_BASE36: Final = {c: int(c, 36) for c in USCC_ALPHABET}


@attrs.frozen
class _Half:
    """One half of an organisation-code body with its partial check sums precomputed."""

    texts: tuple[str, ...]
    org_sums: tuple[int, ...]
    uscc_sums: tuple[int, ...]


def _half(
    texts: tuple[str, ...], org_weights: tuple[int, ...], uscc_weights: tuple[int, ...]
) -> _Half:
    return _Half(
        texts=texts,
        org_sums=tuple(_weighted(t, org_weights, _BASE36) for t in texts),
        uscc_sums=tuple(_weighted(t, uscc_weights, _USCC_VALUE) for t in texts),
    )


@functools.cache
def _code_tables() -> tuple[_Half, _Half, _Half, _Half]:
    """Look-up tables so that a code costs a few index operations, not 26 multiplications.

    Bodies are split in halves: ``dddd|dddd`` for the 8-digit style, ``MA`` + ``ccc|ccc`` for
    the post-2015 style. Each half stores its text and its partial GB 11714 and GB 32100 sums
    (the organisation code sits at USCC positions 9-17).
    """
    digits = tuple(f"{v:04d}" for v in range(10_000))
    letters = tuple(
        USCC_ALPHABET[v // 961] + USCC_ALPHABET[v // 31 % 31] + USCC_ALPHABET[v % 31]
        for v in range(_MODERN_HALF)
    )
    return (
        _half(digits, _ORG_WEIGHTS[0:4], _USCC_WEIGHTS[8:12]),
        _half(digits, _ORG_WEIGHTS[4:8], _USCC_WEIGHTS[12:16]),
        _half(letters, _ORG_WEIGHTS[2:5], _USCC_WEIGHTS[10:13]),
        _half(letters, _ORG_WEIGHTS[5:8], _USCC_WEIGHTS[13:16]),
    )


_MA_ORG_SUM: Final = _weighted("MA", _ORG_WEIGHTS[0:2], _BASE36)
_MA_USCC_SUM: Final = _weighted("MA", _USCC_WEIGHTS[8:10], _USCC_VALUE)


def _head_sum(head: str) -> int:
    return _weighted(head, _USCC_WEIGHTS[:8], _USCC_VALUE)


def enterprises(n: int, *, seed: str = "demo") -> Iterator[Enterprise]:
    """Yield ``n`` synthetic Tianjin enterprises, the same ones for the same ``seed``.

    The stream is lazy (a million enterprises need no list) and its first ``k`` items do not
    depend on ``n``. Codes are unique within a stream.

    Raises:
        ValidationError: ``n`` is negative or above :data:`MAX_ENTERPRISES`.
    """
    if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= MAX_ENTERPRISES:
        raise _check_error("n", f"an integer in [0, {MAX_ENTERPRISES}]", n)
    return _enterprises(n, seed)


_SIXTEEN_BITS: Final = struct.Struct(">16H")


def _enterprises(n: int, seed: str) -> Iterator[Enterprise]:
    # One hash per enterprise, cut into sixteen 16-bit fields; ``field % m`` is uniform on
    # [0, m) to within m / 65536, far below the tolerances the data promises. Everything that
    # does not depend on the hash is computed once, before the loop.
    number = HashPrefix([_VERSION, "enterprise", seed]).number
    unpack = _SIXTEEN_BITS.unpack
    a, b = _code_permutation(seed)
    key_district, key_industry = _key_areas(seed)
    dhi, dlo, mhi, mlo = _code_tables()
    heads = [
        {kind: (f"9{kind}{d.code}", _head_sum(f"9{kind}{d.code}")) for kind in "123"}
        for d in _DISTRICTS
    ]
    places = [("天津", "天津市", f"天津市{d.name}", "天津") for d in _DISTRICTS]
    districts = [d.name for d in _DISTRICTS]
    trades = [x + y for x in _TRADE_CHARS for y in _TRADE_CHARS]
    # Every combination of risk flags, indexed by complaints * 8 + abnormal * 4 + serious * 2
    # + key area, so enterprises share a few dozen RiskFlags values.
    risks = [
        RiskFlags(
            complaints_12m=complaints,
            abnormal_operations=bool(bits & 4),
            serious_violation=bool(bits & 2),
            key_area=bool(bits & 1),
        )
        for complaints in range(len(_COMPLAINTS_PER_MILLE))
        for bits in range(8)
    ]
    by_district, by_industry, by_complaints = (
        _DISTRICT_BY_MILLE,
        _INDUSTRY_BY_MILLE,
        _COMPLAINTS_BY_MILLE,
    )
    by_percent, grade_c, central = _GRADE_BY_PERCENT, Grade.C, _CENTRAL
    shops_by_industry, coops, suffixes_by_industry, forms = _SHOPS, _COOPS, _SUFFIXES, _FORMS
    alphabet, values, org_check, industries = USCC_ALPHABET, _USCC_VALUE, _ORG_CHECK, INDUSTRIES
    check_weight, modulus, half = _USCC_WEIGHTS[16], MAX_ENTERPRISES, _MODERN_HALF
    ma_org, ma_uscc = _MA_ORG_SUM, _MA_USCC_SUM
    abnormal_limit = _ABNORMAL_PER_MILLE
    serious_c, serious_other = _SERIOUS_PER_MILLE_C, _SERIOUS_PER_MILLE_OTHER
    for index in range(n):
        f = unpack(number(str(index)).to_bytes(32, "big"))
        d = by_district[f[0] % 1000]
        district = districts[d]
        kind_mille = f[1] % 1000
        trade = trades[f[8] % 3600]
        part = f[10]
        if kind_mille < 30:
            kind = "2"
            industry_index = 2 + kind_mille % 2
            shops = shops_by_industry[industry_index - 2]
            name = district + trade + shops[part % len(shops)]
        elif kind_mille < 40 and d not in central:
            kind = "3"
            industry_index = 7
            name = "天津市" + district + trade + coops[part % len(coops)]
        else:
            kind = "1"
            industry_index = by_industry[f[2] % 1000]
            suffixes = suffixes_by_industry[industry_index]
            name = (
                places[d][f[11] % 4]
                + trade
                + suffixes[part % len(suffixes)]
                + forms[f[12] % len(forms)]
            )

        grade = by_percent[f[3] % 100]
        serious = f[6] % 1000 < (serious_c if grade == grade_c else serious_other)
        risk = risks[
            by_complaints[f[4] % 1000] * 8
            + (f[5] % 1000 < abnormal_limit) * 4
            + serious * 2
            + (d == key_district or industry_index == key_industry)
        ]

        head, total = heads[d][kind]
        value = (a * index + b) % modulus
        if f[7] & 1:
            # Codes issued since 2015 read "MA" + 6 characters; 31**6 > 10**8, so value fits.
            hi, lo = divmod(value, half)
            check = org_check[(ma_org + mhi.org_sums[hi] + mlo.org_sums[lo]) % 11]
            body = "MA" + mhi.texts[hi] + mlo.texts[lo]
            total += ma_uscc + mhi.uscc_sums[hi] + mlo.uscc_sums[lo]
        else:
            hi, lo = divmod(value, 10_000)
            check = org_check[(dhi.org_sums[hi] + dlo.org_sums[lo]) % 11]
            body = dhi.texts[hi] + dlo.texts[lo]
            total += dhi.uscc_sums[hi] + dlo.uscc_sums[lo]
        total += values[check] * check_weight
        yield Enterprise(
            uscc=head + body + check + alphabet[-total % 31],
            name=name,
            district=district,
            industry=industries[industry_index],
            grade=grade,
            risk=risk,
        )


# --- inspectors -----------------------------------------------------------------------------

_LINE_ABBR: Final = {
    Line.LABOUR_INSPECTION: "LS",
    Line.SOCIAL_INSURANCE_AUDIT: "SB",
    Line.MEDICAL_INSURANCE_SUPERVISION: "YB",
}
# Out of every 20 inspectors: 12 labour inspectors, 5 social-insurance auditors, 3 medical.
_LINE_CYCLE: Final = (
    (Line.LABOUR_INSPECTION,) * 12
    + (Line.SOCIAL_INSURANCE_AUDIT,) * 5
    + (Line.MEDICAL_INSURANCE_SUPERVISION,) * 3
)
# Each line's k-th inspector sits in this district: all 16 in turn, then extra posts for the
# largest districts (滨海新区 three, 武清区 one).
_DISTRICT_CYCLE: Final = (*range(16), 12, 10, 12, 12)
_SECTIONS: Final = {
    Line.LABOUR_INSPECTION: (
        "劳动保障监察科",
        "劳动保障监察一队",
        "劳动保障监察二队",
        "案件审理科",
    ),
    Line.SOCIAL_INSURANCE_AUDIT: ("社会保险稽核科", "基金监督科"),
    Line.MEDICAL_INSURANCE_SUPERVISION: ("医疗保险监督检查科", "医保基金监管科"),
}
_POSTS: Final = (
    "一级科员",
    "一级科员",
    "四级主任科员",
    "四级主任科员",
    "三级主任科员",
    "二级主任科员",
    "副科长",
    "科长",
)
_SURNAMES: Final = (
    "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋于"
)
_GIVEN: Final = (
    "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉萍红娟建国文辉鹏宇浩然晨阳思雨欣怡子涵博"
)
_MOBILE_PREFIXES: Final = (
    "130",
    "131",
    "132",
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "155",
    "156",
    "158",
    "159",
    "176",
    "177",
    "180",
    "181",
    "185",
    "186",
    "187",
    "188",
    "189",
    "199",
)
_RESIDENT_ID_PER_MILLE: Final = 100
_SECOND_LINE_PER_MILLE: Final = 150
_FORMER_EMPLOYER_PER_MILLE: Final = 30
_EMPLOYER_POOL: Final = 200


def inspectors(n: int = 300, *, seed: str = "demo", year: int = 2027) -> list[Inspector]:
    """``n`` synthetic inspectors, the same ones for the same ``seed``, certified for ``year``.

    Every record has every Art. 7 field. Districts and lines are assigned in a fixed cycle so
    that even a few hundred inspectors cover every district on every line; names, posts,
    sections, phones and identity numbers come from the seed.

    Raises:
        ValidationError: ``n`` is negative.
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise _check_error("n", "an integer >= 0", n)
    prefix = HashPrefix([_VERSION, "inspector", seed])
    pool = list(enterprises(_EMPLOYER_POOL, seed=seed))
    per_line: dict[Line, int] = dict.fromkeys(Line, 0)
    sequence: dict[tuple[Line, int], int] = {}
    result: list[Inspector] = []
    for index in range(n):
        line = _LINE_CYCLE[index % len(_LINE_CYCLE)]
        d = _DISTRICT_CYCLE[per_line[line] % len(_DISTRICT_CYCLE)]
        per_line[line] += 1
        code, district = _DISTRICTS[d].code, _DISTRICTS[d].name
        number = sequence[line, d] = sequence.get((line, d), 0) + 1

        x = prefix.number(str(index))
        x, surname = divmod(x, len(_SURNAMES))
        x, given1 = divmod(x, len(_GIVEN))
        x, given2 = divmod(x, len(_GIVEN) + 8)  # one in about seven has a one-character name
        x, post = divmod(x, len(_POSTS))
        x, section = divmod(x, len(_SECTIONS[line]))
        x, mobile = divmod(x, len(_MOBILE_PREFIXES))
        x, subscriber = divmod(x, 10**8)
        x, id_mille = divmod(x, 1000)
        x, second_mille = divmod(x, 1000)
        x, former_mille = divmod(x, 1000)
        x, employer = divmod(x, _EMPLOYER_POOL)
        x, since_years = divmod(x, 4)
        x, since_month = divmod(x, 12)
        x, until_years = divmod(x, 4)
        x, birth_days = divmod(x, 35 * 365)
        x, id_sequence = divmod(x, 1000)

        name = _SURNAMES[surname] + _GIVEN[given1]
        if given2 < len(_GIVEN):
            name += _GIVEN[given2]
        lines = {line}
        if second_mille < _SECOND_LINE_PER_MILLE and line != Line.MEDICAL_INSURANCE_SUPERVISION:
            lines.add(
                Line.SOCIAL_INSURANCE_AUDIT
                if line == Line.LABOUR_INSPECTION
                else Line.LABOUR_INSPECTION
            )
        certificate: str | None = f"TJ-{_LINE_ABBR[line]}-{code}-{number:04d}"
        resident_id: str | None = None
        # An entry known only by its identity number is never dispatched (R-TEAM), so the first
        # two of each line and district always hold a certificate: even a small directory can
        # staff a team with a member of the enterprise's own district.
        if id_mille < _RESIDENT_ID_PER_MILLE and number > 2:
            certificate = None
            born = date(year - 60, 1, 1) + timedelta(days=birth_days)
            body = f"{code}{born:%Y%m%d}{id_sequence:03d}"
            resident_id = body + resident_id_check_character(body)
        former: tuple[str, ...] = ()
        if former_mille < _FORMER_EMPLOYER_PER_MILLE:
            local = [e for e in pool if e.district == district] or pool
            former = (local[employer % len(local)].uscc,)
        result.append(
            Inspector(
                name=name,
                department=f"{district}人力资源和社会保障局",
                post=_POSTS[post],
                certificate_no=certificate,
                resident_id=resident_id,
                phone=f"{_MOBILE_PREFIXES[mobile]}{subscriber:08d}",
                district=district,
                section=_SECTIONS[line][section],
                lines=_converted(frozenset(lines)),
                certificate_valid_from=date(year - 1 - since_years, since_month + 1, 1),
                certificate_valid_until=date(year + until_years, 12, 31),
                former_employers=_converted(former),
            )
        )
    return result


# --- conflicts ------------------------------------------------------------------------------

_GROUND_BY_TWENTIETH: Final = (
    (ConflictGround.RELATIVE,) * 8
    + (ConflictGround.FORMER_EMPLOYMENT,) * 5
    + (ConflictGround.SHAREHOLDING,) * 3
    + (ConflictGround.SAME_PERSON,)
    + (ConflictGround.OTHER,) * 3
)
_NOTES: Final = {
    ConflictGround.RELATIVE: ("配偶在该企业任职", "子女在该企业任职", "兄弟姐妹在该企业任职"),
    ConflictGround.FORMER_EMPLOYMENT: ("曾在该企业任职", "曾在该企业从事人力资源工作"),
    ConflictGround.SHAREHOLDING: ("持有该企业股份", "配偶持有该企业股份"),
    ConflictGround.SAME_PERSON: ("本人系该企业出资人",),
    ConflictGround.OTHER: (
        "曾代理该企业劳动争议案件",
        "与该企业法定代表人系同学关系",
        "近亲属与该企业存在债权债务关系",
    ),
}


def conflicts(
    inspectors: Iterable[Inspector],
    enterprises: Iterable[Enterprise],
    *,
    per_mille: int = 10,
    seed: str = "demo",
) -> list[Conflict]:
    """Declared conflicts of interest: about ``per_mille`` enterprises in 1000 get one.

    Whether an enterprise has a conflict, and with whom, depends only on its code, the seed
    and the inspectors, not on its position in the stream. The inspector is one of the
    enterprise's district where there are any. The result follows the enterprises' order.

    Raises:
        ValidationError: ``per_mille`` is not an integer in [0, 1000].
    """
    if isinstance(per_mille, bool) or not isinstance(per_mille, int) or not 0 <= per_mille <= 1000:
        raise _check_error("per_mille", "an integer in [0, 1000]", per_mille)
    staff = list(inspectors)
    if not staff or per_mille == 0:
        return []
    by_district: dict[str, list[Inspector]] = {}
    for inspector in staff:
        by_district.setdefault(inspector.district, []).append(inspector)
    prefix = HashPrefix([_VERSION, "conflict", seed])
    result: list[Conflict] = []
    for enterprise in enterprises:
        x = prefix.number(enterprise.uscc)
        x, mille = divmod(x, 1000)
        if mille >= per_mille:
            continue
        candidates = by_district.get(enterprise.district) or staff
        x, who = divmod(x, len(candidates))
        x, ground_index = divmod(x, len(_GROUND_BY_TWENTIETH))
        ground = _GROUND_BY_TWENTIETH[ground_index]
        notes = _NOTES[ground]
        result.append(
            Conflict(
                inspector=candidates[who].key,
                enterprise=enterprise.uscc,
                ground=ground,
                note=notes[x % len(notes)],
            )
        )
    return result


# --- check items and plans ------------------------------------------------------------------


def _law(title: str, article: str, effective: date) -> LegalBasis:
    return LegalBasis(title=title, article=article, rank=LegalRank.LAW, effective=effective)


def _regulation(title: str, article: str, effective: date) -> LegalBasis:
    return LegalBasis(
        title=title, article=article, rank=LegalRank.ADMINISTRATIVE_REGULATION, effective=effective
    )


_LABOUR_LAW: Final = "中华人民共和国劳动法"
_CONTRACT_LAW: Final = "中华人民共和国劳动合同法"
_INSURANCE_LAW: Final = "中华人民共和国社会保险法"
_EMPLOYMENT_LAW: Final = "中华人民共和国就业促进法"
_INSPECTION_REG: Final = "劳动保障监察条例"
_TIANJIN_REG: Final = "天津市劳动和社会保障监察条例"

_D_LABOUR_LAW: Final = date(1995, 1, 1)
_D_CONTRACT_LAW: Final = date(2008, 1, 1)
_D_INSURANCE_LAW: Final = date(2011, 7, 1)
_D_INSPECTION_REG: Final = date(2004, 12, 1)
# Illustrative date: the sample data needs a local regulation in force, not its exact history.
_D_TIANJIN_REG: Final = date(2006, 1, 1)


def _tianjin(article: str) -> LegalBasis:
    return LegalBasis(
        title=_TIANJIN_REG,
        article=article,
        rank=LegalRank.LOCAL_REGULATION,
        effective=_D_TIANJIN_REG,
    )


_ItemSpec = tuple[str, str, str, tuple[LegalBasis, ...]]

_ITEMS: Final[dict[Line, tuple[str, tuple[_ItemSpec, ...]]]] = {
    Line.LABOUR_INSPECTION: (
        "天津市及各区劳动保障监察机构",
        (
            (
                "01",
                "用人单位遵守劳动合同制度情况",
                "用人单位",
                (
                    _law(_CONTRACT_LAW, "第十条、第八十二条", _D_CONTRACT_LAW),
                    _regulation(_INSPECTION_REG, "第十一条", _D_INSPECTION_REG),
                ),
            ),
            (
                "02",
                "用人单位支付劳动者工资和执行最低工资标准情况",
                "用人单位",
                (
                    _law(_LABOUR_LAW, "第四十八条、第五十条", _D_LABOUR_LAW),
                    _regulation("保障农民工工资支付条例", "第十一条", date(2020, 5, 1)),
                    _tianjin("第十条"),
                ),
            ),
            (
                "03",
                "用人单位遵守工作时间和休息休假规定情况",
                "用人单位",
                (
                    _law(_LABOUR_LAW, "第三十六条、第四十一条", _D_LABOUR_LAW),
                    _regulation("职工带薪年休假条例", "第三条", date(2008, 1, 1)),
                ),
            ),
            (
                "04",
                "用人单位遵守禁止使用童工规定情况",
                "用人单位",
                (
                    _law(_LABOUR_LAW, "第十五条", _D_LABOUR_LAW),
                    _regulation("禁止使用童工规定", "第二条", date(2002, 12, 1)),
                ),
            ),
            (
                "05",
                "用人单位遵守女职工和未成年工特殊劳动保护规定情况",
                "用人单位",
                (
                    _law(_LABOUR_LAW, "第五十八条", _D_LABOUR_LAW),
                    _regulation("女职工劳动保护特别规定", "第五条", date(2012, 4, 28)),
                ),
            ),
            (
                "06",
                "用人单位参加各项社会保险和缴纳社会保险费情况",
                "用人单位",
                (
                    _law(_INSURANCE_LAW, "第五十八条、第六十条", _D_INSURANCE_LAW),
                    _regulation(_INSPECTION_REG, "第十一条", _D_INSPECTION_REG),
                ),
            ),
            (
                "07",
                "劳务派遣单位和用工单位遵守劳务派遣有关规定情况",
                "劳务派遣单位、用工单位",
                (
                    _law(_CONTRACT_LAW, "第五十七条、第六十六条", _D_CONTRACT_LAW),
                    LegalBasis(
                        title="劳务派遣暂行规定",
                        article="第三条",
                        rank=LegalRank.RULE,
                        effective=date(2014, 3, 1),
                    ),
                ),
            ),
            (
                "08",
                "职业中介机构遵守就业促进有关规定情况",
                "职业中介机构",
                (
                    _law(_EMPLOYMENT_LAW, "第四十条、第四十一条", date(2008, 1, 1)),
                    _tianjin("第二条"),
                ),
            ),
        ),
    ),
    Line.SOCIAL_INSURANCE_AUDIT: (
        "天津市社会保险稽查中心",
        (
            (
                "01",
                "参保单位申报缴费人数和缴费基数情况",
                "参保单位",
                (
                    _law(_INSURANCE_LAW, "第六十条", _D_INSURANCE_LAW),
                    _regulation("社会保险费征缴暂行条例", "第十条", date(1999, 1, 22)),
                    LegalBasis(
                        title="社会保险稽核办法",
                        article="第三条",
                        rank=LegalRank.RULE,
                        effective=date(2003, 4, 1),
                    ),
                ),
            ),
            (
                "02",
                "参保单位为职工办理社会保险登记情况",
                "参保单位",
                (_law(_INSURANCE_LAW, "第五十七条、第五十八条", _D_INSURANCE_LAW),),
            ),
            (
                "03",
                "参保单位职工领取社会保险待遇资格情况",
                "参保单位",
                (_law(_INSURANCE_LAW, "第八十八条", _D_INSURANCE_LAW),),
            ),
        ),
    ),
    Line.MEDICAL_INSURANCE_SUPERVISION: (
        "天津市医疗保险监督检查机构",
        (
            (
                "01",
                "定点医药机构执行医疗保障协议和使用医疗保障基金情况",
                "定点医药机构",
                (
                    _law(_INSURANCE_LAW, "第八十七条", _D_INSURANCE_LAW),
                    _regulation("医疗保障基金使用监督管理条例", "第十五条", date(2021, 5, 1)),
                ),
            ),
            (
                "02",
                "参保单位参加职工基本医疗保险情况",
                "参保单位",
                (_law(_INSURANCE_LAW, "第二十三条", _D_INSURANCE_LAW),),
            ),
        ),
    ),
}


def demo_check_item_list(
    line: Line = Line.LABOUR_INSPECTION, *, effective: date = date(2026, 1, 1)
) -> CheckItemList:
    """A realistic check-item list of ``line``, published two weeks before ``effective``.

    Every item has content, inspecting body, target type and legal bases of sufficient rank
    (laws, administrative regulations, a Tianjin local regulation, ministerial rules), each in
    force from its first version's date and not repealed. Item codes read ``LS-01``, ``SB-01``,
    ``YB-01``.
    """
    body, specs = _ITEMS[line]
    abbr = _LINE_ABBR[line]
    return CheckItemList(
        version=f"TJ-{abbr}-{effective.isoformat()}",
        line=line,
        effective=effective,
        published=effective - timedelta(days=14),
        items=_converted(
            tuple(
                CheckItem(
                    code=f"{abbr}-{number}",
                    line=line,
                    content=content,
                    inspecting_body=body,
                    target_type=target,
                    bases=_converted(bases),
                )
                for number, content, target, bases in specs
            )
        ),
    )


def demo_plan(
    year: int = 2027,
    line: Line = Line.LABOUR_INSPECTION,
    *,
    items: CheckItemList | Iterable[str] | None = None,
) -> Plan:
    """A complete, lawful plan of ``line`` for ``year``.

    All five contents of Art. 9 (scope, inspector requirements, ratio 3/100 with 2 rounds, two
    windows, procedure); teams of 2 with at most half from other districts; strata district
    and grade, the sample divided among them in proportion to their total weight (so that the
    grade weights keep their effect, R-GRADE-WEIGHT: per-stratum ratios would give every grade
    the same chance); submitted on 20 November and published on 25 November of ``year - 1``,
    before the Art. 8 deadline. ``items`` defaults to every item of
    :func:`demo_check_item_list`.
    """
    if items is None:
        items = demo_check_item_list(line)
    codes = (
        tuple(item.code for item in items.items)
        if isinstance(items, CheckItemList)
        else tuple(items)
    )
    return Plan(
        code=f"TJ-{_LINE_ABBR[line]}-{year}",
        year=year,
        line=line,
        items=_converted(codes),
        scope=Scope(description=f"天津市行政区域内纳入{line.zh}执法检查对象名录库的用人单位"),
        inspector_requirements=(
            "持有效行政执法证件、列入执法检查人员名录库的人员；每组不少于2人；"
            "与检查对象有利害关系的应当回避"
        ),
        ratio=Fraction(3, 100),
        rounds=2,
        windows=_converted(
            (
                TimeWindow(start=date(year, 4, 1), end=date(year, 6, 30)),
                TimeWindow(start=date(year, 9, 1), end=date(year, 11, 30)),
            )
        ),
        procedure=(
            "随机抽取检查对象，随机选派执法检查人员，实施检查，形成随机抽查总结报告，"
            "检查结果公示不少于七天后向检查对象反馈，依法处理发现的违法行为并公开处理结果"
        ),
        team_size=2,
        cross_district=CrossDistrictBounds(minimum=Fraction(0), maximum=Fraction(1, 2)),
        strata=_converted(("district", "grade")),
        allocation=SampleAllocation.PROPORTIONAL_TO_WEIGHT,
        submitted=date(year - 1, 11, 20),
        published=date(year - 1, 11, 25),
    )
