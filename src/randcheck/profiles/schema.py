"""The profile schema: everything a jurisdiction decides, as values.

A :class:`Profile` holds the lines and their departments, the districts, the classification
schemes with their weights, the risk factors with their tiers, the stratum keys, the periods and
their day-counting conventions, the plan deadline, the yearly cap, the team rule, the open lists
(legal ranks, targeted grounds, dispositions), and — for every rule id of the library — the
articles and verbatim quotations it rests on. A profile is data: it is loaded from a TOML file
(:mod:`randcheck.profiles.loading`), so another city's or ministry's rules are a new file, not a
fork of the code.

Weights are exact fractions; a weight is the product of the enterprise's class weights (one per
classification scheme) and the multipliers of the risk factors that apply (R-GRADE-WEIGHT,
R-RISK-WEIGHT).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import date
from fractions import Fraction
from typing import Any, Final

import attrs

from randcheck.calendars import (
    DayCounting,
    ValidityWindow,
    WorkingDayCalendar,
    earliest_feedback,
    publicity_end,
    publicity_long_enough,
    validity_window,
)
from randcheck.domain import Enterprise, RiskFlags
from randcheck.errors import ValidationError
from randcheck.text import Text

__all__ = [
    "FIXED_STRATUM_KEYS",
    "ArticleRef",
    "CapRule",
    "CapScope",
    "ClassDef",
    "ClassScheme",
    "District",
    "LineDef",
    "OpenChoice",
    "PeriodRule",
    "Profile",
    "RankDef",
    "RecusalPairs",
    "RiskFactor",
    "RuleCitation",
    "Severity",
    "Source",
    "TeamRule",
]

FIXED_STRATUM_KEYS: Final = ("district", "industry")
"""Enterprise attributes that may always name a stratum; a profile adds its scheme ids."""


class Severity(enum.Enum):
    """How a breach of an "in principle" (原则上) rule is reported."""

    VIOLATION = "violation"
    WARNING = "warning"


class CapScope(enum.Enum):
    """Over what the yearly cap counts random checks of one enterprise (Art. 10)."""

    LINE = "line"
    DEPARTMENT = "department"
    ALL = "all"


def _tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    if isinstance(value, str | bytes | dict):
        raise ValidationError(expected="a list", got=value)
    return tuple(value)


def _pair(value: Iterable[int]) -> tuple[int, int]:
    month, day = value
    return (month, day)


def _positive(instance: object, attribute: attrs.Attribute[Any], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError(field=attribute.name, expected="an integer >= 1", got=value)


def _positive_fraction(instance: object, attribute: attrs.Attribute[Any], value: Fraction) -> None:
    if not isinstance(value, Fraction) or value <= 0:
        raise ValidationError(field=attribute.name, expected="a fraction > 0", got=value)


def _nonempty(instance: object, attribute: attrs.Attribute[Any], value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(field=attribute.name, expected="a non-empty string", got=value)


@attrs.frozen(kw_only=True)
class Source:
    """A legal text a profile rests on, with the articles used."""

    title: str
    reference: str = ""
    articles: str = ""


@attrs.frozen(kw_only=True)
class ArticleRef:
    """An article (or section) of a source, as cited: ``第十条`` / ``Art. 10``.

    ``document`` names the source when a profile rests on several (empty: the main text).
    """

    zh: str = attrs.field(validator=_nonempty)
    en: str = attrs.field(validator=_nonempty)
    document: str = ""

    @property
    def text(self) -> Text:
        """The citation in both languages, with the document where one is named."""
        if self.document:
            return Text(zh=f"{self.document}{self.zh}", en=f"{self.document} {self.en}")
        return Text(zh=self.zh, en=self.en)


@attrs.frozen(kw_only=True)
class RuleCitation:
    """What one rule rests on in a profile: its articles, title and verbatim quotations.

    ``quotes`` pairs an article with words quoted verbatim from it; where the profile ships
    its source text, each quotation appears in it character for character (the conformance
    suite checks this). A rule with no articles is not provided for by the profile's texts
    and its findings are "not applicable".
    """

    rule: str = attrs.field(validator=_nonempty)
    articles: tuple[ArticleRef, ...] = attrs.field(converter=_tuple)
    title: Text
    quotes: tuple[tuple[ArticleRef, str], ...] = attrs.field(default=(), converter=_tuple)

    @property
    def article(self) -> Text:
        """The articles as one citation, e.g. ``第二条、第十条`` / ``Art. 2, 10``."""
        if not self.articles:
            return Text(zh="（无规定）", en="(no provision)")
        zh = "、".join(ref.text.zh for ref in self.articles)
        en_parts = [ref.text.en for ref in self.articles]
        # "Art. 2, Art. 10" reads as "Art. 2, 10" when every part is an article of one text.
        if all(ref.en.startswith("Art. ") and not ref.document for ref in self.articles):
            en = "Art. " + ", ".join(ref.en[len("Art. ") :] for ref in self.articles)
        else:
            en = "; ".join(en_parts)
        return Text(zh=zh, en=en)


@attrs.frozen(kw_only=True)
class LineDef:
    """An enforcement line (e.g. labour inspection) with its lead department and levels."""

    id: str = attrs.field(validator=_nonempty)
    name: Text
    lead: Text
    levels: tuple[str, ...] = attrs.field(default=("city",), converter=_tuple)


@attrs.frozen(kw_only=True)
class District:
    """A district (or county) of the jurisdiction with its GB/T 2260 area code."""

    code: str = attrs.field(validator=_nonempty)
    name: str = attrs.field(validator=_nonempty)
    en: str = ""


@attrs.frozen(kw_only=True)
class ClassDef:
    """A class of a classification scheme (e.g. integrity grade ``A``) and its weight.

    ``rank`` orders the classes from better (1) to worse; an unranked class (0: unrated,
    unclassified) is not compared.
    """

    code: str = attrs.field(validator=_nonempty)
    name: Text
    weight: Fraction = attrs.field(validator=_positive_fraction)
    rank: int = 0


@attrs.frozen(kw_only=True)
class ClassScheme:
    """A classification scheme (HR integrity grade A/B/C, credit-risk class A–D, …).

    The profile's first scheme is the one :attr:`Enterprise.grade` holds; further schemes are
    read from :attr:`Enterprise.classes` by their ``id``. ``unrated`` is the class of an
    enterprise the scheme has not (yet) classified.
    """

    id: str = attrs.field(validator=_nonempty)
    name: Text
    classes: tuple[ClassDef, ...] = attrs.field(converter=_tuple)
    unrated: str = "unrated"

    def __attrs_post_init__(self) -> None:
        codes = [c.code for c in self.classes]
        if len(set(codes)) != len(codes):
            raise ValidationError(field="classes", expected="unique class codes", got=codes)
        if self.unrated not in codes:
            raise ValidationError(
                field="unrated", expected=f"one of the classes {codes}", got=self.unrated
            )

    def get(self, code: str) -> ClassDef | None:
        """The class ``code``, or ``None``."""
        for cls in self.classes:
            if cls.code == code:
                return cls
        return None

    @property
    def codes(self) -> tuple[str, ...]:
        """The class codes, in the order of the profile."""
        return tuple(c.code for c in self.classes)

    @property
    def ranked(self) -> tuple[ClassDef, ...]:
        """The ranked classes, better first."""
        return tuple(sorted((c for c in self.classes if c.rank > 0), key=lambda c: c.rank))


@attrs.frozen(kw_only=True)
class RiskFactor:
    """A risk factor that raises the sampling weight (Art. 12, R-RISK-WEIGHT).

    ``tiers`` are ``(threshold, multiplier)``: the multiplier of the highest threshold the
    enterprise's value reaches applies (a flag is one tier at 1). The value is read from
    :meth:`RiskFlags.value` under ``id``.
    """

    id: str = attrs.field(validator=_nonempty)
    name: Text
    tiers: tuple[tuple[int, Fraction], ...] = attrs.field(converter=_tuple)

    def multiplier(self, value: int) -> Fraction:
        """The multiplier for ``value`` (1 below the first threshold)."""
        result = Fraction(1)
        for threshold, multiplier in self.tiers:
            if value >= threshold:
                result = multiplier
        return result


@attrs.frozen(kw_only=True)
class PeriodRule:
    """A minimum period and how its days are counted.

    ``start_day_counted``: whether the day the period starts is day 1 (the civil code, 民法典
    Art. 201, does not count it); ``holiday_rollover``: whether a last day on a statutory
    holiday moves to the next working day (Art. 203). The defaults are the civil code's.
    """

    days: int = attrs.field(validator=_positive)
    counting: DayCounting = DayCounting.CALENDAR
    start_day_counted: bool = False
    holiday_rollover: bool = True


@attrs.frozen(kw_only=True)
class CapRule:
    """The yearly cap of random checks of one enterprise (Art. 10)."""

    per_year: int = attrs.field(validator=_positive)
    scope: CapScope = CapScope.DEPARTMENT
    severity: Severity = Severity.WARNING
    total_per_year: int | None = None
    """Inspections of one enterprise in a year, random and targeted together, beyond which
    R-COVERAGE warns of over-inspection (Art. 9 "防止过度检查"); ``None``: no threshold."""


class RecusalPairs(enum.Enum):
    """How a dispatch's pool commitment publishes its recusal pairs (docs/dispatch.md)."""

    PUBLIC = "public"
    """Each pair as (certificate number, USCC), without ground or note."""
    SALTED = "salted"
    """Each pair as its enterprise and a salted SHA-256 commitment hiding the inspector; the
    salt goes to the oversight office, and the public check names the teams it cannot
    re-derive."""


@attrs.frozen(kw_only=True)
class TeamRule:
    """Who may form an inspection team: a minimum size of certified officers, and how the
    recusal pairs behind the dispatch are published (``recusal_pairs``, default public)."""

    min_size: int = attrs.field(validator=_positive)
    certificate_required: bool = True
    recusal_pairs: RecusalPairs = RecusalPairs.PUBLIC


@attrs.frozen(kw_only=True)
class RankDef:
    """A rank of legal provision and whether it can ground an inspection."""

    id: str = attrs.field(validator=_nonempty)
    name: Text
    sufficient: bool


@attrs.frozen(kw_only=True)
class OpenChoice:
    """An entry of an open list (等): a targeted ground, a disposition.

    ``needs_text``: a record choosing it must say more (the "other" entry).
    """

    id: str = attrs.field(validator=_nonempty)
    name: Text
    needs_text: bool = False


def _exact(value: object, field: str) -> Fraction:
    # A float such as 0.1 is not the number it reads as; weights in records must be exact.
    if isinstance(value, bool) or not isinstance(value, int | Fraction):
        raise ValidationError(field=field, expected="an int or a Fraction (not a float)", got=value)
    return Fraction(value)


def _unique_ids(field: str, ids: Iterable[str]) -> None:
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            raise ValidationError(field=field, expected="unique ids", got=item)
        seen.add(item)


@attrs.frozen(kw_only=True)
class Profile:
    """Every number and text of a jurisdiction's random-inspection rules.

    Built by :func:`randcheck.profiles.load_profile` from a TOML file, or directly. Cross-field
    consistency (unique ids, known stratum keys, deadline that exists every year) is checked
    here; weights and quotations are checked by :mod:`randcheck.testing`'s conformance suite.

    Raises:
        ValidationError: an inconsistent profile.
    """

    name: str = attrs.field(validator=_nonempty)
    title: Text
    jurisdiction: str
    lines: tuple[LineDef, ...] = attrs.field(converter=_tuple)
    districts: tuple[District, ...] = attrs.field(default=(), converter=_tuple)
    classification: tuple[ClassScheme, ...] = attrs.field(converter=_tuple)
    risk_factors: tuple[RiskFactor, ...] = attrs.field(default=(), converter=_tuple)
    strata: tuple[str, ...] = attrs.field(default=FIXED_STRATUM_KEYS, converter=_tuple)
    publicity: PeriodRule
    plan_deadline: tuple[int, int] = attrs.field(default=(11, 30), converter=_pair)
    cap: CapRule
    team: TeamRule
    legal_ranks: tuple[RankDef, ...] = attrs.field(converter=_tuple)
    targeted_grounds: tuple[OpenChoice, ...] = attrs.field(default=(), converter=_tuple)
    dispositions: tuple[OpenChoice, ...] = attrs.field(default=(), converter=_tuple)
    citations: tuple[RuleCitation, ...] = attrs.field(default=(), converter=_tuple)
    issued: date | None = None
    validity_years: int | None = 2
    sources: tuple[Source, ...] = attrs.field(default=(), converter=_tuple)
    limitations: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    source_text: str | None = attrs.field(default=None, repr=False)

    def __attrs_post_init__(self) -> None:
        if not self.lines:
            raise ValidationError(field="lines", expected="at least one line", got=[])
        if not self.classification:
            raise ValidationError(
                field="classification", expected="at least one classification scheme", got=[]
            )
        _unique_ids("lines", (line.id for line in self.lines))
        _unique_ids("districts", (d.name for d in self.districts))
        _unique_ids("classification", (s.id for s in self.classification))
        _unique_ids("risk_factors", (f.id for f in self.risk_factors))
        _unique_ids("legal_ranks", (r.id for r in self.legal_ranks))
        _unique_ids("targeted_grounds", (g.id for g in self.targeted_grounds))
        _unique_ids("dispositions", (d.id for d in self.dispositions))
        _unique_ids("citations", (c.rule for c in self.citations))
        allowed = self.stratum_keys
        for key in self.strata:
            if key not in allowed:
                raise ValidationError(field="strata", expected=f"one of {sorted(allowed)}", got=key)
        month, day = self.plan_deadline
        try:
            date(2001, month, day)
        except (TypeError, ValueError) as exc:
            raise ValidationError(
                field="plan_deadline",
                expected="a month and day that exist in every year",
                got=f"{month}-{day}",
            ) from exc
        if self.validity_years is not None and self.validity_years < 1:
            raise ValidationError(
                field="validity_years", expected="an integer >= 1", got=self.validity_years
            )

    # --- lookups ---------------------------------------------------------------------------

    @property
    def stratum_keys(self) -> frozenset[str]:
        """The attributes a plan of this profile may stratify by."""
        return frozenset(FIXED_STRATUM_KEYS) | {s.id for s in self.classification}

    def line(self, line_id: str) -> LineDef:
        """The line ``line_id``.

        Raises:
            ValidationError: the profile has no such line (the message lists the known ones).
        """
        for line in self.lines:
            if line.id == line_id:
                return line
        raise ValidationError(
            f"政策配置 {self.name} 中没有执法条线 {line_id!r} / profile {self.name} has no line "
            f"{line_id!r} (known: {', '.join(x.id for x in self.lines)})",
            field="line",
            expected="one of " + ", ".join(x.id for x in self.lines),
            got=line_id,
        )

    def line_name(self, line_id: str) -> Text:
        """The line's name, or the id itself where the profile does not know it."""
        for line in self.lines:
            if line.id == line_id:
                return line.name
        return Text(zh=line_id, en=line_id)

    @property
    def grading(self) -> ClassScheme:
        """The primary classification scheme, the one :attr:`Enterprise.grade` holds."""
        return self.classification[0]

    def scheme(self, scheme_id: str) -> ClassScheme | None:
        """The classification scheme ``scheme_id``, or ``None``."""
        for scheme in self.classification:
            if scheme.id == scheme_id:
                return scheme
        return None

    def class_of(self, enterprise: Enterprise, scheme: ClassScheme) -> str:
        """The enterprise's class in ``scheme`` (its ``unrated`` class where none is given)."""
        if scheme is self.classification[0]:
            return enterprise.grade
        for scheme_id, code in enterprise.classes:
            if scheme_id == scheme.id:
                return code
        return scheme.unrated

    def citation(self, rule: str) -> RuleCitation:
        """What ``rule`` rests on in this profile (no articles where nothing provides for it)."""
        for citation in self.citations:
            if citation.rule == rule:
                return citation
        return RuleCitation(rule=rule, articles=(), title=Text(zh=rule, en=rule))

    def rank(self, rank_id: str) -> RankDef | None:
        """The legal rank ``rank_id``, or ``None``."""
        for rank in self.legal_ranks:
            if rank.id == rank_id:
                return rank
        return None

    def rank_sufficient(self, rank_id: str) -> bool:
        """Whether a provision of rank ``rank_id`` can ground an inspection (an unknown rank
        cannot)."""
        rank = self.rank(rank_id)
        return rank is not None and rank.sufficient

    def rank_name(self, rank_id: str) -> Text:
        """The rank's name, or its id where the profile does not know it."""
        rank = self.rank(rank_id)
        return rank.name if rank is not None else Text(zh=rank_id, en=rank_id)

    def district(self, name: str) -> District | None:
        """The district called ``name``, or ``None``."""
        for district in self.districts:
            if district.name == name:
                return district
        return None

    # --- weights ---------------------------------------------------------------------------

    def class_weight(self, scheme: ClassScheme, code: str) -> Fraction:
        """The weight of class ``code`` of ``scheme``.

        Raises:
            ValidationError: the scheme has no such class.
        """
        found = scheme.get(code)
        if found is None:
            raise ValidationError(
                f"{scheme.name.zh}中没有分类 {code!r} / {scheme.name.en} has no class {code!r} "
                f"(known: {', '.join(scheme.codes)})",
                field="grade" if scheme is self.classification[0] else f"classes.{scheme.id}",
                expected="one of " + ", ".join(scheme.codes),
                got=code,
            )
        return found.weight

    def grade_weight(self, grade: str) -> Fraction:
        """The weight of ``grade`` in the primary scheme."""
        return self.class_weight(self.grading, grade)

    def risk_multiplier(self, risk: RiskFlags) -> Fraction:
        """The product of the multipliers of the risk factors that apply to ``risk``."""
        multiplier = Fraction(1)
        for factor in self.risk_factors:
            multiplier *= factor.multiplier(risk.value(factor.id))
        return multiplier

    def weight(self, enterprise: Enterprise) -> Fraction:
        """Sampling weight of ``enterprise``: its class weights × its risk multipliers.

        Raises:
            ValidationError: a class the profile's schemes do not know.
        """
        weight = Fraction(1)
        for scheme in self.classification:
            weight *= self.class_weight(scheme, self.class_of(enterprise, scheme))
        return weight * self.risk_multiplier(enterprise.risk)

    def with_class_weights(
        self, weights: Mapping[str, Fraction | int], *, scheme: str | None = None
    ) -> Profile:
        """A copy whose scheme ``scheme`` (the primary one by default) weighs its classes by
        ``weights`` (class code → weight; classes not named keep theirs).

        Raises:
            ValidationError: no such scheme, or a class code the scheme does not have.
        """
        target = self.grading if scheme is None else self.scheme(scheme)
        if target is None:
            raise ValidationError(field="scheme", expected="a scheme of the profile", got=scheme)
        unknown = set(weights) - set(target.codes)
        if unknown:
            raise ValidationError(
                field="weights", expected="classes of " + target.id, got=sorted(unknown)
            )
        classes = tuple(
            attrs.evolve(c, weight=_exact(weights[c.code], f"weights[{c.code}]"))
            if c.code in weights
            else c
            for c in target.classes
        )
        changed = attrs.evolve(target, classes=classes)
        return attrs.evolve(
            self,
            classification=tuple(changed if s is target else s for s in self.classification),
        )

    def with_risk_tiers(self, **tiers: Iterable[tuple[int, Fraction | int]]) -> Profile:
        """A copy whose risk factors named by keyword get new ``(threshold, multiplier)`` tiers.

        Raises:
            ValidationError: a factor the profile does not have.
        """
        known = {factor.id for factor in self.risk_factors}
        unknown = set(tiers) - known
        if unknown:
            raise ValidationError(
                field="risk_factors",
                expected="factors " + ", ".join(sorted(known)),
                got=sorted(unknown),
            )
        return attrs.evolve(
            self,
            risk_factors=tuple(
                attrs.evolve(
                    f,
                    tiers=tuple((t, _exact(m, f"{f.id} multiplier")) for t, m in tiers[f.id]),
                )
                if f.id in tiers
                else f
                for f in self.risk_factors
            ),
        )

    # --- the publicity period (one place that applies the counting convention) ----------

    def publicity_end(self, start: date, calendar: WorkingDayCalendar | None = None) -> date:
        """The last day of the minimum publicity starting on ``start``, counted as
        :attr:`publicity` says (:func:`randcheck.calendars.publicity_end`).

        Raises:
            ValidationError: working days or holiday roll-over without ``calendar``.
            CalendarDataMissing: the calendar lacks a year the period reaches.
        """
        return publicity_end(start, self.publicity.days, calendar=calendar, **self._counting())

    def earliest_feedback(self, start: date, calendar: WorkingDayCalendar | None = None) -> date:
        """The first day feedback may be dated for publicity starting on ``start``: the day
        after :meth:`publicity_end`. Raises as :meth:`publicity_end`."""
        return earliest_feedback(start, self.publicity.days, calendar=calendar, **self._counting())

    def publicity_long_enough(
        self, start: date, end: date, calendar: WorkingDayCalendar | None = None
    ) -> bool:
        """Whether publicity from ``start`` to ``end`` (inclusive) lasts the minimum.
        Raises as :meth:`publicity_end`."""
        days = self.publicity.days
        return publicity_long_enough(start, end, days, calendar=calendar, **self._counting())

    def _counting(self) -> dict[str, Any]:
        rule = self.publicity
        return {
            "counting": rule.counting,
            "start_day_counted": rule.start_day_counted,
            "holiday_rollover": rule.holiday_rollover,
        }

    @property
    def publicity_needs_calendar(self) -> bool:
        """Whether judging publicity needs a working-day calendar (working days or roll-over)."""
        return self.publicity.counting is DayCounting.WORKING or self.publicity.holiday_rollover

    # --- the numbers most rules read -------------------------------------------------------

    @property
    def cap_per_year(self) -> int:
        """Random checks per enterprise per calendar year (Art. 10 in Tianjin)."""
        return self.cap.per_year

    @property
    def cap_severity(self) -> Severity:
        """How a breach of the cap is reported."""
        return self.cap.severity

    @property
    def publicity_min_days(self) -> int:
        """Minimum publicity period, in days counted as :attr:`publicity` says."""
        return self.publicity.days

    @property
    def day_counting(self) -> DayCounting:
        """Calendar or working days, for the publicity period."""
        return self.publicity.counting

    @property
    def min_team_size(self) -> int:
        """Minimum number of certified officers in a team."""
        return self.team.min_size

    @property
    def plan_deadline_month(self) -> int:
        """Month of the plan deadline, in the year before the plan's year."""
        return self.plan_deadline[0]

    @property
    def plan_deadline_day(self) -> int:
        """Day of the plan deadline."""
        return self.plan_deadline[1]

    @property
    def validity(self) -> ValidityWindow | None:
        """When the rules are valid, or ``None`` where the issue date is unknown.

        Without a validity period (``validity_years`` unset) the rules do not expire: the window
        runs from the issue date to ``date.max``.
        """
        if self.validity_years is None:
            return None if self.issued is None else ValidityWindow(start=self.issued, end=date.max)
        return validity_window(self.issued, self.validity_years)

    def valid_on(self, day: date) -> bool | None:
        """Whether the rules are in force on ``day``; ``None`` means unknown.

        A profile with neither a validity period (``validity_years`` unset) nor an issue date
        is always in force; with an issue date and no period, it is in force from that date on.
        """
        window = self.validity
        if window is None:
            return True if self.validity_years is None else None
        return window.contains(day)
