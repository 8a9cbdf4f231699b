"""Policy profiles: every number a jurisdiction's rules fix or leave to policy, and a registry.

A profile is a value. Another city's or ministry's variant of the rules is a new profile, not a
fork of the code. ``cn-tj-hrss`` is the Tianjin human-resources and social-security profile of
``SPEC.md``.

Defaults the Tianjin rules leave open, and why:

* **Grade weights** (Art. 9 "对劳动保障守法诚信等级评价较高的监管对象，可优化随机抽查频次"):
  A = 1/2, B = 1, C = 2, unrated = 1. Halving the weight of the best grade and doubling that of
  the worst is the smallest symmetric step that makes the preference visible in a year's draws
  while keeping every enterprise drawable; unrated enterprises are treated as the middle grade so
  that a missing grade neither rewards nor punishes.
* **Risk multipliers** (Art. 12 "加大随机抽查力度"): complaints in the last 12 months ≥ 1 → ×3/2,
  ≥ 3 → ×2 (the highest tier reached applies); abnormal-operations list ×2; serious-violation
  record ×2; key supervision area ×3/2. Multipliers compound, and each is ≥ 1 so a risk factor
  never lowers the weight (R-RISK-WEIGHT).
* **Cap severity**: Art. 10 says "原则上不超过2次" (in principle); the default reports a third
  random check as a *warning*, not a violation. A stricter profile can evolve it.
* **Day counting**: calendar days ("七天" without "工作日").
"""

from __future__ import annotations

import difflib
import enum
from collections.abc import Iterable, Mapping
from datetime import date
from fractions import Fraction
from typing import Any

import attrs

from randcheck.calendars import DayCounting, ValidityWindow, validity_window
from randcheck.domain import Enterprise, Grade, RiskFlags
from randcheck.errors import UnknownProfile, ValidationError

__all__ = [
    "TIANJIN_HRSS",
    "Profile",
    "Severity",
    "Source",
    "get_profile",
    "profile_names",
    "register_profile",
]


class Severity(enum.Enum):
    """How a breach of an "in principle" rule is reported."""

    VIOLATION = "violation"
    WARNING = "warning"


@attrs.frozen(kw_only=True)
class Source:
    """A legal text a profile rests on, with the articles used."""

    title: str
    reference: str = ""
    articles: str = ""


def _fraction_map(value: Mapping[Any, Any]) -> tuple[tuple[Grade, Fraction], ...]:
    return tuple(sorted(((Grade(k), Fraction(v)) for k, v in dict(value).items()), key=_gkey))


def _gkey(pair: tuple[Grade, Fraction]) -> str:
    return pair[0].value


def _tiers(value: Iterable[tuple[int, Any]]) -> tuple[tuple[int, Fraction], ...]:
    return tuple(sorted((int(k), Fraction(v)) for k, v in value))


@attrs.frozen(kw_only=True)
class Profile:
    """Every number of a jurisdiction's random-inspection rules.

    Weights are exact fractions. ``weight(enterprise)`` is the grade weight times the product of
    the risk multipliers that apply (R-GRADE-WEIGHT, R-RISK-WEIGHT).
    """

    name: str
    title: str
    jurisdiction: str
    cap_per_year: int = 2
    cap_severity: Severity = Severity.WARNING
    publicity_min_days: int = 7
    day_counting: DayCounting = DayCounting.CALENDAR
    plan_deadline_month: int = 11
    plan_deadline_day: int = 30
    min_team_size: int = 2
    grade_weights: tuple[tuple[Grade, Fraction], ...] = attrs.field(converter=_fraction_map)
    complaint_tiers: tuple[tuple[int, Fraction], ...] = attrs.field(converter=_tiers)
    abnormal_multiplier: Fraction = attrs.field(converter=Fraction)
    serious_multiplier: Fraction = attrs.field(converter=Fraction)
    key_area_multiplier: Fraction = attrs.field(converter=Fraction)
    issued: date | None = None
    validity_years: int = 2
    sources: tuple[Source, ...] = ()
    limitations: tuple[str, ...] = ()

    def __attrs_post_init__(self) -> None:
        grades = {grade for grade, _ in self.grade_weights}
        if grades != set(Grade):
            raise ValidationError(
                field="grade_weights",
                expected="a weight for every grade " + ", ".join(g.value for g in Grade),
                got=sorted(g.value for g in grades),
            )
        for grade, weight in self.grade_weights:
            if weight <= 0:
                raise ValidationError(
                    field=f"grade_weights[{grade.value}]", expected="> 0", got=str(weight)
                )
        if self.cap_per_year < 1:
            raise ValidationError(field="cap_per_year", expected=">= 1", got=self.cap_per_year)
        if self.publicity_min_days < 1:
            raise ValidationError(
                field="publicity_min_days", expected=">= 1", got=self.publicity_min_days
            )
        if self.min_team_size < 1:
            raise ValidationError(field="min_team_size", expected=">= 1", got=self.min_team_size)
        # The deadline must be a real day in every year (no 29 February).
        try:
            date(2001, self.plan_deadline_month, self.plan_deadline_day)
        except ValueError as exc:
            raise ValidationError(
                field="plan_deadline_day",
                expected="a month and day that exist in every year",
                got=f"{self.plan_deadline_month}-{self.plan_deadline_day}",
            ) from exc

    def grade_weight(self, grade: Grade) -> Fraction:
        """The base sampling weight of ``grade``."""
        for g, weight in self.grade_weights:
            if g is grade:
                return weight
        raise AssertionError(grade)  # pragma: no cover - every grade is checked at construction

    def complaint_multiplier(self, complaints: int) -> Fraction:
        """The multiplier of the highest complaint tier reached (1 below the first tier)."""
        multiplier = Fraction(1)
        for threshold, value in self.complaint_tiers:
            if complaints >= threshold:
                multiplier = value
        return multiplier

    def risk_multiplier(self, risk: RiskFlags) -> Fraction:
        """The product of the Art. 12 multipliers that apply to ``risk``."""
        multiplier = self.complaint_multiplier(risk.complaints_12m)
        if risk.abnormal_operations:
            multiplier *= self.abnormal_multiplier
        if risk.serious_violation:
            multiplier *= self.serious_multiplier
        if risk.key_area:
            multiplier *= self.key_area_multiplier
        return multiplier

    def weight(self, enterprise: Enterprise) -> Fraction:
        """Sampling weight of ``enterprise``: grade weight × risk multipliers."""
        return self.grade_weight(enterprise.grade) * self.risk_multiplier(enterprise.risk)

    @property
    def validity(self) -> ValidityWindow | None:
        """When the rules are valid (Art. 16), or ``None`` where the issue date is unknown."""
        return validity_window(self.issued, self.validity_years)

    def valid_on(self, day: date) -> bool | None:
        """Whether the rules are in force on ``day``; ``None`` means unknown (no issue date)."""
        window = self.validity
        return None if window is None else window.contains(day)


_TIANJIN_SOURCES = (
    Source(
        title="天津市人力资源社会保障领域“双随机一公开”工作细则（试行）",
        reference="Tianjin HR & social-security double-random, one-public working rules (trial)",
        articles="Art. 1-16",
    ),
    Source(
        title="关于印发天津市市场主体信用风险分类和市场监管双随机抽查联合检查两个办法的通知",
        reference="津政办发〔2017〕99号",
        articles="basis, Art. 1",
    ),
    Source(
        title="关于在人力资源社会保障领域推广随机抽查规范事中事后监管的通知",
        reference="人社部规〔2016〕2号",
        articles="basis, Art. 1",
    ),
)

TIANJIN_HRSS = Profile(
    name="cn-tj-hrss",
    title="天津市人力资源社会保障领域“双随机一公开” / Tianjin HR & social security",
    jurisdiction="Tianjin, China",
    cap_per_year=2,
    cap_severity=Severity.WARNING,
    publicity_min_days=7,
    day_counting=DayCounting.CALENDAR,
    plan_deadline_month=11,
    plan_deadline_day=30,
    min_team_size=2,
    grade_weights={
        Grade.A: Fraction(1, 2),
        Grade.B: Fraction(1),
        Grade.C: Fraction(2),
        Grade.UNRATED: Fraction(1),
    },
    complaint_tiers=((1, Fraction(3, 2)), (3, Fraction(2))),
    abnormal_multiplier=Fraction(2),
    serious_multiplier=Fraction(2),
    key_area_multiplier=Fraction(3, 2),
    issued=None,
    validity_years=2,
    sources=_TIANJIN_SOURCES,
    limitations=(
        "The issue date of the rules is not in the text; pass it with "
        "attrs.evolve(profile, issued=...) to check R-RULES-VALID, which is 'unknown' without it.",
        "Grade weights and risk multipliers are policy defaults, not figures from the rules.",
        "The minimum team size of 2 comes from general administrative-enforcement law, "
        "not from these rules.",
        "Art. 10's cap is 'in principle'; the profile reports a breach as a warning.",
    ),
)

_REGISTRY: dict[str, Profile] = {}


def register_profile(profile: Profile, *, replace: bool = False) -> None:
    """Add ``profile`` to the registry under its name.

    Raises:
        ValidationError: a profile of that name exists and ``replace`` is false.
    """
    if profile.name in _REGISTRY and not replace:
        raise ValidationError(field="name", expected="a name not yet registered", got=profile.name)
    _REGISTRY[profile.name] = profile


def profile_names() -> tuple[str, ...]:
    """The registered profile names, sorted."""
    return tuple(sorted(_REGISTRY))


def get_profile(name: str) -> Profile:
    """The registered profile called ``name``.

    Raises:
        UnknownProfile: no such profile; ``suggestions`` lists close names.
    """
    try:
        return _REGISTRY[name]
    except KeyError:
        suggestions = difflib.get_close_matches(name, list(_REGISTRY), n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        raise UnknownProfile(
            f"未知的政策配置 / unknown profile {name!r}{hint} "
            f"(registered: {', '.join(profile_names())})",
            field="profile",
            expected="a registered profile name",
            got=name,
            suggestions=suggestions,
        ) from None


register_profile(TIANJIN_HRSS)
