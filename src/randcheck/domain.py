"""Typed value objects of the regime: lines, grades, risk flags, enterprises, inspectors,
conflicts, legal bases, check items and their lists, and sampling plans.

Every class is a frozen attrs value. Constructors check *types and formats* (an identifier with
a wrong check character is not an identifier, a repeal date before the effective date is not a
date range). They deliberately accept records whose content the rules find *incomplete* — an
inspector without a phone number, a plan without a procedure, a check item without a legal
basis — because such records exist in the real world and the audit must be able to say so:
completeness is checked by the rule functions in :mod:`randcheck.validators`
(``R-ITEM-FIELDS``, ``R-INSPECTOR-RECORD``, ``R-PLAN-FIELDS``), not by refusing the record.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import date
from fractions import Fraction
from typing import Any, Final

import attrs

from randcheck.errors import ValidationError
from randcheck.ids import mask_phone, mask_resident_id, validate_resident_id, validate_uscc
from randcheck.rules.cross_district import allowed_outside
from randcheck.rules.legal_basis import basis_in_force
from randcheck.rules.plan import PLAN_YEARS, windows_outside_year
from randcheck.rules.qualification import certificate_valid_on
from randcheck.rules.strings import str_tuple, strict_str_tuples

__all__ = [
    "CheckItem",
    "CheckItemList",
    "Conflict",
    "ConflictGround",
    "CrossDistrictBounds",
    "Enterprise",
    "Grade",
    "Inspector",
    "LegalBasis",
    "LegalRank",
    "Line",
    "Plan",
    "PublicInspector",
    "RiskFlags",
    "SampleAllocation",
    "Scope",
    "TimeWindow",
]


# --- enumerations -------------------------------------------------------------------------


class Line(enum.StrEnum):
    """The line ids of the ``cn-tj-hrss`` profile (Art. 4), as named constants.

    Records hold a line as its id string; which lines exist is jurisdiction data
    (:attr:`randcheck.profiles.Profile.lines`), so any id a profile defines is accepted.
    These members are strings and may be passed wherever a line id is expected.
    """

    LABOUR_INSPECTION = "labour-inspection"
    SOCIAL_INSURANCE_AUDIT = "social-insurance-audit"
    MEDICAL_INSURANCE_SUPERVISION = "medical-insurance-supervision"

    @property
    def zh(self) -> str:
        """The line's Chinese name in ``cn-tj-hrss``."""
        return _LINE_ZH[self]


_LINE_ZH = {
    Line.LABOUR_INSPECTION: "劳动保障监察",
    Line.SOCIAL_INSURANCE_AUDIT: "社会保险稽查",
    Line.MEDICAL_INSURANCE_SUPERVISION: "医疗保险监督检查",
}


class Grade(enum.StrEnum):
    """The classes of the labour-compliance integrity grade (劳动保障守法诚信等级), as constants.

    An enterprise holds its class as a string; which classes exist, and their weights, is
    jurisdiction data (:attr:`randcheck.profiles.Profile.classification`): a market-regulation
    profile uses the credit-risk classes A–D instead.
    """

    A = "A"
    B = "B"
    C = "C"
    UNRATED = "unrated"

    @property
    def zh(self) -> str:
        """The grade's Chinese name."""
        return _GRADE_ZH[self]


_GRADE_ZH = {
    Grade.A: "守法诚信",
    Grade.B: "基本守法诚信",
    Grade.C: "不守法诚信",
    Grade.UNRATED: "未评级",
}


class SampleAllocation(enum.Enum):
    """How a plan divides its sample among its strata (``docs/algorithm.md`` § 4).

    ``PER_STRATUM``: each stratum ``h`` gives ``n_h = ⌊r_h · N_h + 1/2⌋`` units at its own
    ratio ``r_h`` (or the plan's ratio): the stratum's size fixes its sample. A plan that
    stratifies by grade this way gives every grade stratum the same chance at one ratio,
    whatever the grade weights.

    ``PROPORTIONAL_TO_WEIGHT``: the plan draws ``n = ⌊r · N + 1/2⌋`` units from its ``N``
    eligible units and gives each stratum a share proportional to its total weight — in the
    sampling literature, allocation proportional to the stratum's total size measure — so that
    every unit's chance is proportional to its weight across strata (up to integer rounding),
    and grade weights keep their effect in a plan stratified by grade (Art. 9 "可优化随机抽查
    频次").
    """

    PER_STRATUM = "per-stratum"
    PROPORTIONAL_TO_WEIGHT = "proportional-to-weight"


def _allocation(value: SampleAllocation | str) -> SampleAllocation:
    try:
        return SampleAllocation(value)
    except ValueError:
        raise ValidationError(
            field="allocation",
            expected=" or ".join(repr(a.value) for a in SampleAllocation),
            got=value,
        ) from None


class ConflictGround(enum.Enum):
    """Why an inspector must recuse from a target (Art. 10, 利害关系)."""

    FORMER_EMPLOYMENT = "former-employment"
    RELATIVE = "relative"
    SHAREHOLDING = "shareholding"
    SAME_PERSON = "same-person"
    OTHER = "other"


class LegalRank(enum.StrEnum):
    """The ranks of legal provision of Chinese law, as constants (Art. 6).

    A basis holds its rank as a string; which ranks can ground an inspection is jurisdiction
    data (:attr:`randcheck.profiles.Profile.legal_ranks`).
    """

    LAW = "law"
    ADMINISTRATIVE_REGULATION = "administrative-regulation"
    LOCAL_REGULATION = "local-regulation"
    RULE = "rule"
    NORMATIVE_DOCUMENT = "normative-document"

    @property
    def sufficient(self) -> bool:
        """Whether this rank can ground an inspection (R-LEGAL-BASIS): not a mere document."""
        return self != LegalRank.NORMATIVE_DOCUMENT

    @property
    def zh(self) -> str:
        """The rank's Chinese name."""
        return _RANK_ZH[self]


_RANK_ZH = {
    LegalRank.LAW: "法律",
    LegalRank.ADMINISTRATIVE_REGULATION: "行政法规",
    LegalRank.LOCAL_REGULATION: "地方性法规",
    LegalRank.RULE: "规章",
    LegalRank.NORMATIVE_DOCUMENT: "规范性文件",
}


# --- small validators and converters ------------------------------------------------------


def _strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


def _nonempty(instance: object, attribute: attrs.Attribute[Any], value: str) -> None:
    if not value:
        raise ValidationError(field=attribute.name, expected="a non-empty string", got=value)


def _uscc_tuple(instance: object, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
    for code in value:
        validate_uscc(code)


def _non_negative(instance: object, attribute: attrs.Attribute[Any], value: int) -> None:
    if value < 0:
        raise ValidationError(field=attribute.name, expected="an integer >= 0", got=value)


def _to_fraction(value: object) -> Fraction:
    if isinstance(value, Fraction):
        return value
    if isinstance(value, bool) or not isinstance(value, int | str):
        # Floats are refused: a ratio in a public record must be exact.
        raise ValidationError(
            field="ratio", expected="an int, a Fraction or a 'p/q' string", got=value
        )
    try:
        return Fraction(value)
    except (ValueError, ZeroDivisionError) as exc:
        raise ValidationError(
            field="ratio", expected="an int, a Fraction or a 'p/q' string", got=value
        ) from exc


def _ratio(instance: object, attribute: attrs.Attribute[Any], value: Fraction | None) -> None:
    if value is not None and not 0 < value <= 1:
        raise ValidationError(field=attribute.name, expected="a ratio in (0, 1]", got=str(value))


def _optional_fraction(value: object) -> Fraction | None:
    return None if value is None else _to_fraction(value)


def _sorted_ratios(value: object) -> tuple[tuple[str, Fraction], ...]:
    items: Iterable[tuple[Any, Any]] = (
        value.items() if isinstance(value, Mapping) else value  # type: ignore[assignment]
    )
    return tuple(sorted((str(k), _to_fraction(v)) for k, v in items))


def _id(value: object) -> str:
    """A plain string id: an enum constant (e.g. :class:`Line`) becomes its value."""
    if not isinstance(value, str):
        raise ValidationError(expected="a string id", got=value)
    text = str(value).strip()
    if not text:
        raise ValidationError(expected="a non-empty string id", got=value)
    return text


def _to_id(value: object) -> object:
    # Converters cannot name their field; the validator below refuses what is left.
    return str(value).strip() if isinstance(value, str) else value


def _valid_id(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not value:
        raise ValidationError(field=attribute.name, expected="a non-empty string id", got=value)


def _id_set(value: Iterable[str]) -> frozenset[str]:
    if isinstance(value, str | bytes | Mapping):
        raise ValidationError(expected="a set of string ids", got=value)
    return frozenset(_id(v) for v in value)


def _optional_id_set(value: Iterable[str] | None) -> frozenset[str] | None:
    return None if value is None else _id_set(value)


def _id_pairs(value: object) -> tuple[tuple[str, str], ...]:
    """A mapping (or pairs) of id → id as sorted pairs, so that equal mappings compare equal."""
    items: Iterable[Any]
    if isinstance(value, Mapping):
        items = value.items()
    elif isinstance(value, str | bytes):
        raise ValidationError(expected="a mapping of ids", got=value)
    else:
        items = value  # type: ignore[assignment]
    pairs = sorted((_id(k), _id(v)) for k, v in items)
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):
        raise ValidationError(expected="each key once", got=keys)
    return tuple(pairs)


def _count_pairs(value: object) -> tuple[tuple[str, int], ...]:
    items: Iterable[Any]
    if isinstance(value, Mapping):
        items = value.items()
    elif isinstance(value, str | bytes):
        raise ValidationError(expected="a mapping of factor ids to counts", got=value)
    else:
        items = value  # type: ignore[assignment]
    pairs = []
    for k, v in items:
        if isinstance(v, bool):
            v = int(v)
        if not isinstance(v, int) or v < 0:
            raise ValidationError(field=f"factors.{k}", expected="an integer >= 0", got=v)
        pairs.append((_id(k), v))
    pairs.sort()
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):
        raise ValidationError(field="factors", expected="each factor once", got=keys)
    return tuple(pairs)


def _basis_tuple(value: Iterable[LegalBasis]) -> tuple[LegalBasis, ...]:
    return tuple(value)


def _item_tuple(value: Iterable[CheckItem]) -> tuple[CheckItem, ...]:
    return tuple(value)


def _window_tuple(value: Iterable[TimeWindow]) -> tuple[TimeWindow, ...]:
    return tuple(value)


def _frozen_str_set(value: Iterable[str] | None) -> frozenset[str] | None:
    return None if value is None else frozenset(value)


# --- enterprises ---------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class RiskFlags:
    """An enterprise's risk factors (Art. 12), which raise its sampling weight (R-RISK-WEIGHT).

    The four factors of the Art. 12 wording have named fields; any other factor a profile
    defines is a count in ``factors`` (id → value, 0 when absent). Which factors apply, with
    which multipliers, is jurisdiction data (:attr:`randcheck.profiles.Profile.risk_factors`),
    read through :meth:`value`.
    """

    complaints_12m: int = attrs.field(default=0, validator=_non_negative)
    abnormal_operations: bool = False
    serious_violation: bool = False
    key_area: bool = False
    factors: tuple[tuple[str, int], ...] = attrs.field(default=(), converter=_count_pairs)

    def value(self, factor: str) -> int:
        """The value of ``factor``: a count, or 1/0 for a flag; 0 for a factor not recorded."""
        if factor in _NAMED_FACTORS:
            return int(getattr(self, factor))
        for name, count in self.factors:
            if name == factor:
                return count
        return 0


_NAMED_FACTORS: Final = frozenset(
    {"complaints_12m", "abnormal_operations", "serious_violation", "key_area"}
)


@attrs.frozen(kw_only=True)
class Enterprise:
    """A market entity in the target directory (执法检查对象名录库).

    ``grade`` is the enterprise's class in the profile's primary classification scheme (the
    HR integrity grade A/B/C in ``cn-tj-hrss``, the credit-risk class A–D in market
    regulation; ``"unrated"`` where none is known); ``classes`` holds its classes in any
    further schemes the profile defines, as ``{scheme id: class}``.
    """

    uscc: str = attrs.field(converter=validate_uscc)
    name: str = attrs.field(converter=_strip, validator=_nonempty)
    district: str = attrs.field(converter=_strip, validator=_nonempty)
    industry: str = attrs.field(default="", converter=_strip)
    grade: str = attrs.field(default="unrated", converter=_to_id, validator=_valid_id)
    classes: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=_id_pairs)
    risk: RiskFlags = attrs.field(factory=RiskFlags)

    def class_in(self, scheme: str) -> str | None:
        """The class recorded in ``classes`` for scheme ``scheme``, or ``None``."""
        for scheme_id, code in self.classes:
            if scheme_id == scheme:
                return code
        return None


# --- inspectors ----------------------------------------------------------------------------


def _optional_resident_id(value: str | None) -> str | None:
    if value is None or value.strip() == "":
        return None
    return validate_resident_id(value)


def _optional_str(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


@attrs.frozen(kw_only=True, field_transformer=strict_str_tuples)
class Inspector:
    """An enforcement officer in the inspector directory (执法检查人员名录库), Art. 7.

    Art. 7 requires name, department, post, enforcement certificate number (or resident
    identity number) and phone. ``key`` — the certificate number, or the identity number where
    there is none — identifies the inspector in draws and records. Missing content is allowed
    here and reported by ``R-INSPECTOR-RECORD``; a malformed identity number is refused.
    """

    name: str = attrs.field(converter=_strip)
    department: str = attrs.field(converter=_strip)
    post: str = attrs.field(converter=_strip)
    certificate_no: str | None = attrs.field(default=None, converter=_optional_str)
    resident_id: str | None = attrs.field(default=None, converter=_optional_resident_id)
    phone: str = attrs.field(default="", converter=_strip)
    district: str = attrs.field(default="", converter=_strip)
    section: str = attrs.field(default="", converter=_strip)
    lines: frozenset[str] = attrs.field(factory=frozenset, converter=_id_set)
    certificate_valid_from: date | None = None
    certificate_valid_until: date | None = None
    former_employers: tuple[str, ...] = attrs.field(
        default=(), converter=str_tuple, validator=_uscc_tuple
    )
    relatives_employers: tuple[str, ...] = attrs.field(
        default=(), converter=str_tuple, validator=_uscc_tuple
    )
    shareholdings: tuple[str, ...] = attrs.field(
        default=(), converter=str_tuple, validator=_uscc_tuple
    )

    def __attrs_post_init__(self) -> None:
        if self.certificate_no is None and self.resident_id is None:
            raise ValidationError(
                field="certificate_no",
                expected="an enforcement certificate number or a resident identity number",
                got=None,
            )
        start, end = self.certificate_valid_from, self.certificate_valid_until
        if start is not None and end is not None and end < start:
            raise ValidationError(
                field="certificate_valid_until",
                expected=f"a date on or after certificate_valid_from {start.isoformat()}",
                got=end.isoformat(),
            )

    @property
    def key(self) -> str:
        """The stable identifier used in records: certificate number, else identity number."""
        return self.certificate_no if self.certificate_no is not None else str(self.resident_id)

    # Whether the enforcement certificate is valid on a day: the rule is written once, in
    # randcheck.rules, and the method is that function.
    certificate_valid_on = certificate_valid_on

    def interests(self) -> Iterable[tuple[str, ConflictGround]]:
        """The enterprises this inspector's own record ties them to, with the ground."""
        for code in self.former_employers:
            yield code, ConflictGround.FORMER_EMPLOYMENT
        for code in self.relatives_employers:
            yield code, ConflictGround.RELATIVE
        for code in self.shareholdings:
            yield code, ConflictGround.SHAREHOLDING

    def public(self) -> PublicInspector:
        """The publication view (R-PUBLIC): identity and phone numbers masked."""
        return PublicInspector(
            name=self.name,
            department=self.department,
            post=self.post,
            certificate_no=self.certificate_no,
            resident_id=None if self.resident_id is None else mask_resident_id(self.resident_id),
            phone=mask_phone(self.phone) if self.phone else "",
            district=self.district,
        )


@attrs.frozen(kw_only=True)
class PublicInspector:
    """What may be published about an inspector: personal numbers masked (R-PUBLIC)."""

    name: str
    department: str
    post: str
    certificate_no: str | None
    resident_id: str | None
    phone: str
    district: str


@attrs.frozen(kw_only=True)
class Conflict:
    """A declared interest between an inspector and an enterprise: the inspector recuses.

    ``since`` and ``until`` (inclusive, optional) date the tie: the audit judges an inspection
    on the ties in force on its day, so a tie that began after it is not a retroactive breach.
    The dispatch and the step guard honour every declared row, dated or not.
    """

    inspector: str = attrs.field(converter=_strip, validator=_nonempty)
    enterprise: str = attrs.field(converter=validate_uscc)
    ground: ConflictGround
    note: str = attrs.field(default="", converter=_strip)
    since: date | None = None
    until: date | None = None

    def holds_on(self, day: date) -> bool:
        """Whether the tie holds on ``day`` (an unrecorded end does not limit it)."""
        return (self.since is None or self.since <= day) and (
            self.until is None or day <= self.until
        )

    def __attrs_post_init__(self) -> None:
        if self.ground is ConflictGround.OTHER and not self.note:
            raise ValidationError(
                field="note", expected="a description when the ground is 'other'", got=self.note
            )


# --- legal bases and check items -----------------------------------------------------------


@attrs.frozen(kw_only=True)
class LegalBasis:
    """A provision an inspection rests on (抽查依据), with its rank and dates in force."""

    title: str = attrs.field(converter=_strip, validator=_nonempty)
    article: str = attrs.field(default="", converter=_strip)
    rank: str = attrs.field(converter=_to_id, validator=_valid_id)
    effective: date
    repealed: date | None = None

    def __attrs_post_init__(self) -> None:
        if self.repealed is not None and self.repealed <= self.effective:
            raise ValidationError(
                field="repealed",
                expected=f"a date after effective {self.effective.isoformat()}",
                got=self.repealed.isoformat(),
            )

    # Effective on or before a day and not repealed on or before it (randcheck.rules).
    in_force_on = basis_in_force


@attrs.frozen(kw_only=True)
class CheckItem:
    """One random-check item (随机抽查事项), Art. 5: basis, content, body and target type."""

    code: str = attrs.field(converter=_strip, validator=_nonempty)
    line: str = attrs.field(converter=_to_id, validator=_valid_id)
    content: str = attrs.field(default="", converter=_strip)
    inspecting_body: str = attrs.field(default="", converter=_strip)
    target_type: str = attrs.field(default="", converter=_strip)
    bases: tuple[LegalBasis, ...] = attrs.field(default=(), converter=_basis_tuple)


@attrs.frozen(kw_only=True)
class CheckItemList:
    """A published version of a line's check-item list (Art. 5-6)."""

    version: str = attrs.field(converter=_strip, validator=_nonempty)
    line: str = attrs.field(converter=_to_id, validator=_valid_id)
    effective: date
    published: date | None = None
    items: tuple[CheckItem, ...] = attrs.field(default=(), converter=_item_tuple)

    def __attrs_post_init__(self) -> None:
        seen: set[str] = set()
        for item in self.items:
            if item.code in seen:
                raise ValidationError(field="items", expected="unique item codes", got=item.code)
            seen.add(item.code)
            if item.line != self.line:
                raise ValidationError(
                    field="items",
                    expected=f"items of line {self.line}",
                    got=f"{item.code} of line {item.line}",
                )

    def item(self, code: str) -> CheckItem | None:
        """The item with ``code``, or ``None``."""
        for item in self.items:
            if item.code == code:
                return item
        return None


# --- plans ---------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Scope:
    """Target scope of a plan (检查对象范围): a description and optional filters."""

    description: str = attrs.field(default="", converter=_strip)
    districts: frozenset[str] | None = attrs.field(default=None, converter=_frozen_str_set)
    industries: frozenset[str] | None = attrs.field(default=None, converter=_frozen_str_set)
    grades: frozenset[str] | None = attrs.field(default=None, converter=_optional_id_set)

    def contains(self, enterprise: Enterprise) -> bool:
        """Whether ``enterprise`` falls inside every filter that is set."""
        if self.districts is not None and enterprise.district not in self.districts:
            return False
        if self.industries is not None and enterprise.industry not in self.industries:
            return False
        return self.grades is None or enterprise.grade in self.grades


@attrs.frozen(kw_only=True)
class TimeWindow:
    """A period in which checks of a round take place (实施抽查时间), inclusive."""

    start: date
    end: date

    def __attrs_post_init__(self) -> None:
        if self.end < self.start:
            raise ValidationError(
                field="end",
                expected=f"a date on or after start {self.start.isoformat()}",
                got=self.end.isoformat(),
            )

    def contains(self, day: date) -> bool:
        """Whether ``day`` lies in the window, ends included."""
        return self.start <= day <= self.end


@attrs.frozen(kw_only=True)
class CrossDistrictBounds:
    """Allowed share of a team drawn from other districts (R-CROSS-DISTRICT), inclusive."""

    minimum: Fraction = attrs.field(default=Fraction(0), converter=_to_fraction)
    maximum: Fraction = attrs.field(default=Fraction(1), converter=_to_fraction)

    def __attrs_post_init__(self) -> None:
        if not 0 <= self.minimum <= self.maximum <= 1:
            # The error names the bound to change, so that its path ends at that key.
            bad = "maximum" if 0 <= self.minimum <= self.maximum else "minimum"
            raise ValidationError(
                field=bad,
                expected="0 <= minimum <= maximum <= 1",
                got=f"{self.minimum}..{self.maximum}",
            )

    def allows(self, outside: int, size: int) -> bool:
        """Whether ``outside`` members from other districts out of ``size`` is within bounds."""
        low, high = allowed_outside(size, self)
        return low <= outside <= high


STRATUM_KEYS = ("district", "grade", "industry")
"""The stratum keys of ``cn-tj-hrss``; a profile lists its own (``Profile.stratum_keys``)."""


def _strata(instance: object, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
    for key in value:
        _id(key)
    if len(set(value)) != len(value):
        raise ValidationError(field="strata", expected="no repeated stratum key", got=value)


def _positive_optional(
    instance: object, attribute: attrs.Attribute[Any], value: int | None
) -> None:
    if value is not None and value < 1:
        raise ValidationError(field=attribute.name, expected="an integer >= 1", got=value)


# Every value of a plan is checked by a validator, not in __attrs_post_init__: a reader that
# checks each field on its own (randcheck.canonical) then names every refused value at once.
def _positive(instance: object, attribute: attrs.Attribute[Any], value: int) -> None:
    if value < 1:
        raise ValidationError(field=attribute.name, expected="an integer >= 1", got=value)


def _stratum_ratios(
    instance: object, attribute: attrs.Attribute[Any], value: tuple[tuple[str, Fraction], ...]
) -> None:
    for name, ratio in value:
        if not 0 < ratio <= 1:
            raise ValidationError(
                field=f"{attribute.name}[{name}]", expected="a ratio in (0, 1]", got=str(ratio)
            )


def _plan_year(instance: object, attribute: attrs.Attribute[Any], value: int) -> None:
    if type(value) is not int or value not in PLAN_YEARS:
        raise ValidationError(
            field=attribute.name,
            expected=f"a calendar year from {PLAN_YEARS.start} to {PLAN_YEARS.stop - 1}",
            got=value,
        )


def _windows_in_year(
    instance: object, attribute: attrs.Attribute[Any], value: tuple[TimeWindow, ...]
) -> None:
    # Checked against the year only when the year is one: a bad year is said on its own.
    year = getattr(instance, "year", None)
    if type(year) is not int or year not in PLAN_YEARS:
        return
    outside = windows_outside_year(year, value)
    if outside:
        shown = [f"{value[k].start.isoformat()}/{value[k].end.isoformat()}" for k in outside]
        raise ValidationError(
            field=f"{attribute.name}[{outside[0]}]" if len(outside) == 1 else attribute.name,
            expected=f"windows within the plan's year {year} ({year}-01-01 to {year}-12-31)",
            got=shown[0] if len(outside) == 1 else ", ".join(shown),
        )


def _item_codes(instance: object, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
    blank = [code for code in value if not code.strip()]
    repeated = sorted({code for code in value if code.strip() and value.count(code) > 1})
    if blank or repeated:
        raise ValidationError(
            field=attribute.name,
            expected="check item codes, none blank, each named once",
            got=[*blank, *repeated],
        )


@attrs.frozen(kw_only=True, field_transformer=strict_str_tuples)
class Plan:
    """A line's random-check plan for a year (随机抽查计划), Art. 8-9 and 12.

    The five contents of Art. 9 are ``scope``, ``inspector_requirements``, the sampling
    ratio(s) with ``rounds`` (frequency), ``windows`` (time of the checks) and ``procedure``;
    a plan missing any of them is reported by ``R-PLAN-FIELDS``.

    Sampling: ``ratio`` applies to every stratum unless ``stratum_ratios`` names the stratum
    (a stratum is named by its key values joined with ``|`` in the order of ``strata``, e.g.
    ``"120101|A"``). ``min_one_per_stratum`` takes at least one unit from every non-empty
    stratum. ``allocation`` says how the sample is divided among the strata
    (:class:`SampleAllocation`: per stratum at its ratio, the default, or in proportion to the
    strata's total weights, which takes the overall ``ratio`` and no ``stratum_ratios``).
    ``rounds`` is the number of draws in the year; ``windows`` are their times, one per round,
    round 1 first (a plan whose rounds and windows disagree is reported by ``R-PLAN-FIELDS``;
    :func:`randcheck.rules.plan_rounds` is the number of rounds a plan provides for).

    ``items`` are the codes of the check items the plan covers, each once; empty (the default)
    when the plan names none, which Art. 9 does not ask of it: each inspection names its own
    items, judged against the list in force by ``R-LEGAL-BASIS``.

    Refused, because no plan can hold them (:class:`~randcheck.errors.ValidationError`): a
    ``year`` outside :data:`randcheck.rules.plan.PLAN_YEARS`; a window with a day outside the plan's
    year (Art. 8 "下一年度随机抽查计划": the plan is that year's); a blank or repeated item code.

    ``supplementary_ground`` makes this a supplementary plan made during the year under Art. 12
    ("根据国家统一部署、重大事件、敏感时间节点等不同情况分别确定抽查比例和频次"): the ground, as
    text. A supplementary plan is not judged against the November deadline of Art. 8; like
    every plan it is published before its first draw.
    """

    code: str = attrs.field(converter=_strip, validator=_nonempty)
    year: int = attrs.field(validator=_plan_year)
    line: str = attrs.field(converter=_to_id, validator=_valid_id)
    items: tuple[str, ...] = attrs.field(default=(), converter=str_tuple, validator=_item_codes)
    scope: Scope = attrs.field(factory=Scope)
    inspector_requirements: str = attrs.field(default="", converter=_strip)
    ratio: Fraction | None = attrs.field(
        default=None, converter=_optional_fraction, validator=_ratio
    )
    stratum_ratios: tuple[tuple[str, Fraction], ...] = attrs.field(
        default=(), converter=_sorted_ratios, validator=_stratum_ratios
    )
    rounds: int | None = attrs.field(default=None, validator=_positive_optional)
    windows: tuple[TimeWindow, ...] = attrs.field(
        default=(), converter=_window_tuple, validator=_windows_in_year
    )
    procedure: str = attrs.field(default="", converter=_strip)
    team_size: int = attrs.field(default=2, validator=_positive)
    cross_district: CrossDistrictBounds = attrs.field(factory=CrossDistrictBounds)
    load_cap: int | None = attrs.field(default=None, validator=_positive_optional)
    distinct_sections: bool = False
    strata: tuple[str, ...] = attrs.field(
        default=("district",), converter=str_tuple, validator=_strata
    )
    min_one_per_stratum: bool = False
    allocation: SampleAllocation = attrs.field(
        default=SampleAllocation.PER_STRATUM, converter=_allocation
    )
    submitted: date | None = None
    published: date | None = None
    supplementary_ground: str = attrs.field(default="", converter=_strip)

    def ratio_for(self, stratum: str) -> Fraction | None:
        """The sampling ratio of ``stratum``: its own if the plan names it, else the overall."""
        for name, value in self.stratum_ratios:
            if name == stratum:
                return value
        return self.ratio
