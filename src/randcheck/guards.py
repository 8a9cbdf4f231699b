"""Step guards: "may I do this now?" answered before a platform does it.

The audit (:mod:`randcheck.validators`) judges a year after the fact; these functions answer the
same rules one step at a time, so a platform can refuse an unlawful step before it happens. Each
returns a :class:`Decision`: whether the step is allowed, why (Chinese first, then English), the
earliest date on which it would be lawful where such a date exists, and the rule and article.

>>> from datetime import date
>>> from randcheck.calendars import ExplicitCalendar
>>> from randcheck.ledger import Publicity
>>> from randcheck.profiles import TIANJIN_HRSS
>>> period = Publicity(
...     id="P1", inspections=("I1",), start=date(2026, 3, 12), end=date(2026, 3, 19)
... )
>>> calendar = ExplicitCalendar(years=[2026])
>>> decision = may_give_feedback(period, date(2026, 3, 19), TIANJIN_HRSS, calendar=calendar)
>>> decision.allowed, decision.earliest
(False, datetime.date(2026, 3, 20))
>>> decision.reason_en
'feedback not allowed before 2026-03-20: publicity started 2026-03-12, Art. 14'

Day counting is that of :mod:`randcheck.calendars`; the guards never count days themselves,
and every rule is decided by the predicate of :mod:`randcheck.rules` that the dispatch and the
audit call too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta

import attrs

from randcheck.calendars import WorkingDayCalendar, plan_deadline
from randcheck.domain import (
    CheckItem,
    CheckItemList,
    Conflict,
    Enterprise,
    Inspector,
    LegalRank,
    Plan,
)
from randcheck.ledger import Objection, Publicity
from randcheck.profiles import TIANJIN_HRSS, Profile
from randcheck.rules import (
    BasisDefect,
    RecusalIndex,
    bases_defects,
    certificate_valid_on,
    list_in_force,
    national_rank_sufficient,
    team_composition,
)
from randcheck.text import Text

__all__ = [
    "Decision",
    "may_add_to_team",
    "may_give_feedback",
    "may_inspect",
    "may_submit_plan",
]

_ONE_DAY = timedelta(days=1)


@attrs.frozen(kw_only=True)
class Decision:
    """The answer of a guard.

    ``earliest`` is the first day on which the step would be lawful, when it is not allowed now
    and waiting would help; ``None`` when it is allowed now, or when no date will make it
    lawful (a missed deadline, a conflict of interest), or when the date is not yet known (an
    objection still under review). A decision is truthy when the step is allowed. ``reason``
    is bilingual and ends with the profile's article for ``rule``; ``article`` is that citation
    in English.
    """

    allowed: bool
    reason: Text
    earliest: date | None = None
    rule: str | None = None
    article: str | None = None

    def __bool__(self) -> bool:
        return self.allowed

    @property
    def reason_zh(self) -> str:
        """The reason in Chinese."""
        return self.reason.zh

    @property
    def reason_en(self) -> str:
        """The reason in English."""
        return self.reason.en

    def __str__(self) -> str:
        verdict = "允许 allowed" if self.allowed else "不允许 not allowed"
        return f"[{verdict}] {self.reason}"


def _decide(
    allowed: bool,
    rule: str,
    profile: Profile | None,
    zh: str,
    en: str,
    *,
    earliest: date | None = None,
) -> Decision:
    """A decision citing the article ``rule`` rests on in ``profile`` (cn-tj-hrss by default)."""
    cited = (profile or TIANJIN_HRSS).citation(rule).article
    return Decision(
        allowed=allowed,
        reason=Text(zh=f"{zh}（{cited.zh}）", en=f"{en}, {cited.en}"),
        earliest=earliest,
        rule=rule,
        article=cited.en,
    )


def _no_provision(rule: str, profile: Profile | None) -> Decision | None:
    """Allowed, when the profile's texts make no provision for ``rule`` (``articles = []``)."""
    used = profile or TIANJIN_HRSS
    if used.citation(rule).articles:
        return None
    return Decision(
        allowed=True,
        reason=Text(
            zh=f"政策配置 {used.name} 所依据的文件对此没有规定（{rule}）",
            en=f"the texts of profile {used.name} make no provision for this ({rule})",
        ),
        rule=rule,
    )


# --- feedback (Art. 14) ---------------------------------------------------------------------


def may_give_feedback(
    publicity: Publicity,
    on: date,
    profile: Profile,
    *,
    objections: Iterable[Objection] = (),
    calendar: WorkingDayCalendar | None = None,
) -> Decision:
    """May results under ``publicity`` be fed back to the target on ``on``? (R-PUBLICITY)

    Art. 14: publish first, then give feedback; the publicity lasts at least
    ``profile.publicity_min_days`` (counted as ``profile.publicity`` says: calendar or working
    days, whether the posting day counts, holiday roll-over; see
    :func:`randcheck.calendars.earliest_feedback`) and, if it was set to run longer, until its
    recorded end; an objection raised on or before ``on`` about an inspection under this
    publicity must have had its review finished by then.

    Raises:
        ValidationError: working-day counting or holiday roll-over (cn-tj-hrss: 民法典 Art. 203)
            without ``calendar``.
        CalendarDataMissing: the calendar has no data for the days needed.
    """
    unprovided = _no_provision("R-PUBLICITY", profile)
    if unprovided is not None:
        return unprovided
    start = publicity.start
    first = profile.earliest_feedback(start, calendar)
    after_end = publicity.end + _ONE_DAY
    earliest = max(first, after_end)
    if on < earliest:
        if on < start:
            zh_why = f"尚未公示（公示于 {start} 开始），应当先公示后反馈"
            en_why = f"publicity starts {start}: publish first, then give feedback"
        elif after_end > first:
            zh_why = f"公示期至 {publicity.end} 结束"
            en_why = f"publicity runs until {publicity.end}"
        else:
            zh_why = f"公示于 {start} 开始，公示期不少于{profile.publicity_min_days}天"
            en_why = f"publicity started {start}"
        return _decide(
            False,
            "R-PUBLICITY",
            profile,
            f"{earliest} 之前不得反馈：{zh_why}",
            f"feedback not allowed before {earliest}: {en_why}",
            earliest=earliest,
        )
    covered = frozenset(publicity.inspections)
    pending = [
        objection
        for objection in objections
        if objection.inspection in covered
        and objection.opened <= on
        and (objection.review_finished is None or objection.review_finished > on)
    ]
    if pending:
        finishes = [o.review_finished for o in pending]
        known = None if any(d is None for d in finishes) else max(d for d in finishes if d)
        names = ", ".join(o.id for o in pending)
        when_zh = f"，复核将于 {known} 完成" if known is not None else ""
        when_en = f"; the review finishes on {known}" if known is not None else ""
        return _decide(
            False,
            "R-PUBLICITY",
            profile,
            f"异议（{names}）尚在复查复核，复核完成前不得反馈{when_zh}",
            f"feedback not allowed while the objection(s) {names} are under review{when_en}",
            earliest=known,
        )
    return _decide(
        True,
        "R-PUBLICITY",
        profile,
        f"公示期 {start} 至 {publicity.end} 已满，可以反馈",
        f"publicity from {start} to {publicity.end} has run its course; feedback allowed",
    )


# --- plan submission (Art. 8) ---------------------------------------------------------------


def may_submit_plan(year: int, on: date, profile: Profile) -> Decision:
    """May the plan for ``year`` still be submitted on ``on``? (R-PLAN-DEADLINE, Art. 8)

    The deadline is :func:`randcheck.calendars.plan_deadline` with the profile's month and day
    (30 November of the year before, for Tianjin); the deadline day itself is on time. A missed
    deadline has no later lawful date.
    """
    unprovided = _no_provision("R-PLAN-DEADLINE", profile)
    if unprovided is not None:
        return unprovided
    deadline = plan_deadline(year, month=profile.plan_deadline_month, day=profile.plan_deadline_day)
    if on <= deadline:
        return _decide(
            True,
            "R-PLAN-DEADLINE",
            profile,
            f"{year} 年度抽查计划报送截止日为 {deadline}，可以报送",
            f"the plan for {year} is due by {deadline}; submission allowed",
        )
    return _decide(
        False,
        "R-PLAN-DEADLINE",
        profile,
        f"{year} 年度抽查计划应于 {deadline} 前报送，已逾期",
        f"the plan for {year} was due by {deadline}; it is late",
    )


# --- inspecting under an item (Art. 6) ------------------------------------------------------


def _rank_zh(rank: str) -> str:
    try:
        return LegalRank(rank).zh
    except ValueError:
        return rank


def _rank_check(profile: Profile | None) -> Callable[[str], bool]:
    return national_rank_sufficient if profile is None else profile.rank_sufficient


def _basis_problems(
    item: CheckItem, on: date, profile: Profile | None
) -> tuple[list[str], list[str], date | None, bool]:
    """Chinese and English problems, the day they all clear up, and whether one never will."""
    if not item.bases:
        return (
            [f"事项 {item.code} 没有抽查依据"],
            [f"item {item.code} has no legal basis"],
            None,
            True,
        )
    zh: list[str] = []
    en: list[str] = []
    later: list[date] = []
    final = False
    grounded, defects = bases_defects(item.bases, on, rank_sufficient=_rank_check(profile))
    if grounded:
        # One basis in force grounds the item; a repealed one beside it is the audit's warning.
        return zh, en, None, False
    for basis, defect in defects:
        if defect is BasisDefect.INSUFFICIENT_RANK:
            rank_zh = _rank_zh(basis.rank) if profile is None else profile.rank_name(basis.rank).zh
            zh.append(f"依据《{basis.title}》为{rank_zh}，不是法律法规或规章")
            en.append(f"{basis.title} is a {basis.rank}, not a law, regulation or rule")
            final = True
        elif defect is BasisDefect.NOT_YET_IN_FORCE:
            zh.append(f"依据《{basis.title}》自 {basis.effective} 起施行")
            en.append(f"{basis.title} takes effect on {basis.effective}")
            later.append(basis.effective)
        elif defect is BasisDefect.REPEALED:
            zh.append(f"依据《{basis.title}》已于 {basis.repealed} 废止")
            en.append(f"{basis.title} was repealed on {basis.repealed}")
            final = True
    return zh, en, (max(later) if later else None), final


def _future_listing(
    lists: Sequence[CheckItemList], lines: Sequence[str], item_code: str, on: date
) -> date | None:
    """The first day after ``on`` on which a recorded, published list would hold the item."""
    days = [
        max(candidate.effective, candidate.published)
        for candidate in lists
        if candidate.line in lines
        and candidate.published is not None
        and max(candidate.effective, candidate.published) > on
        and candidate.item(item_code) is not None
    ]
    return min(days) if days else None


def may_inspect(
    item_code: str,
    on: date,
    lists: Iterable[CheckItemList],
    *,
    line: str | None = None,
    profile: Profile | None = None,
) -> Decision:
    """May an inspection under ``item_code`` take place on ``on``? (R-LEGAL-BASIS, Art. 6)

    ``profile`` says which legal ranks can ground an inspection; without one, the national
    reading applies (law, administrative regulation, local regulation, rule).

    The item must be on a check-item list in force on ``on`` (:func:`randcheck.rules.list_in_force`
    for ``line``, or for every line when ``line`` is ``None``), and each of its legal bases must
    be a law, regulation or rule in force that day (:func:`randcheck.rules.basis_defect`). When a
    recorded list version, or a basis, takes effect later, ``earliest`` says when.
    """
    all_lists = list(lists)
    lines = [line] if line is not None else list(dict.fromkeys(lst.line for lst in all_lists))
    found: tuple[CheckItemList, CheckItem] | None = None
    for candidate_line in lines:
        in_force = list_in_force(all_lists, candidate_line, on)
        item = in_force.item(item_code) if in_force is not None else None
        if in_force is not None and item is not None:
            found = (in_force, item)
            break
    if found is None:
        later = _future_listing(all_lists, lines, item_code, on)
        when_zh = f"；{later} 起生效的清单列有该事项" if later is not None else ""
        when_en = f"; a list in force from {later} has it" if later is not None else ""
        return _decide(
            False,
            "R-LEGAL-BASIS",
            profile,
            f"事项 {item_code} 不在 {on} 有效的抽查事项清单中，不得擅自开展检查{when_zh}",
            f"item {item_code} is not on a check-item list in force on {on}{when_en}",
            earliest=later,
        )
    in_force, item = found
    zh, en, later, final = _basis_problems(item, on, profile)
    if zh:
        return _decide(
            False,
            "R-LEGAL-BASIS",
            profile,
            f"事项 {item_code} 依据不足：{'；'.join(zh)}",
            f"item {item_code} lacks a lawful basis: {'; '.join(en)}",
            earliest=None if final else later,
        )
    return _decide(
        True,
        "R-LEGAL-BASIS",
        profile,
        f"事项 {item_code} 在清单 {in_force.version} 中，依据现行有效",
        f"item {item_code} is on list {in_force.version} with bases in force",
    )


# --- adding an inspector to a team (Art. 7, 10) ---------------------------------------------


def may_add_to_team(
    inspector: Inspector,
    enterprise: Enterprise | str,
    on: date,
    conflicts: Iterable[Conflict] = (),
    *,
    team: Sequence[Inspector] = (),
    plan: Plan | None = None,
    profile: Profile | None = None,
) -> Decision:
    """May ``inspector`` join the team inspecting ``enterprise`` on ``on``?

    Reasons cite ``profile``'s articles (cn-tj-hrss by default).

    Refused when the inspector has an interest in the enterprise, declared in ``conflicts`` —
    naming them by any of their identifiers, in any spelling — or in their own record
    (R-RECUSAL, Art. 10; :class:`randcheck.rules.RecusalIndex`); when their enforcement
    certificate is missing or not valid that day (R-TEAM; ``earliest`` is the first valid day if
    it lies ahead); when they are already on ``team``; and, given the ``plan`` and an
    :class:`Enterprise` with a district, when adding them would push the share of members from
    other districts above the plan's maximum for a team of ``plan.team_size``
    (R-CROSS-DISTRICT, Art. 10; the minimum can only be judged once the team is complete).
    """
    uscc = enterprise.uscc if isinstance(enterprise, Enterprise) else enterprise
    key = inspector.key
    grounds = RecusalIndex.build([inspector], conflicts).grounds(inspector, uscc)
    if grounds:
        why = "+".join(ground.value for ground in grounds)
        return _decide(
            False,
            "R-RECUSAL",
            profile,
            f"检查人员 {key} 与检查对象 {uscc} 有利害关系（{why}），应当回避",
            f"inspector {key} has an interest in {uscc} ({why}) and must recuse",
        )
    if inspector.certificate_no is None:
        return _decide(
            False,
            "R-TEAM",
            profile,
            f"检查人员 {key} 仅有居民身份号码，没有执法证件，不得参加检查",
            f"inspector {key} holds no enforcement certificate (only a resident identity number) "
            "and may not inspect",
        )
    if not certificate_valid_on(inspector, on):
        starts = inspector.certificate_valid_from
        earliest = starts if starts is not None and on < starts else None
        return _decide(
            False,
            "R-TEAM",
            profile,
            f"检查人员 {key} 的执法证件在 {on} 无效",
            f"inspector {key}'s enforcement certificate is not valid on {on}",
            earliest=earliest,
        )
    if any(member.key == key for member in team):
        return _decide(
            False,
            "R-CROSS-DISTRICT",
            profile,
            f"检查人员 {key} 已在检查组中",
            f"inspector {key} is already on the team",
        )
    if plan is not None and isinstance(enterprise, Enterprise) and enterprise.district:
        members = [*team, inspector]
        composition = team_composition(
            (member.district for member in members),
            enterprise.district,
            plan.cross_district,
            size=max(plan.team_size, len(members)),
        )
        if composition.above_maximum:
            outside, size = composition.outside, composition.size
            high = plan.cross_district.maximum
            return _decide(
                False,
                "R-CROSS-DISTRICT",
                profile,
                f"加入后检查组 {size} 人中将有 {outside} 人来自其他区，超过计划 "
                f"{plan.code} 的上限 {high}",
                f"with {key}, {outside} of {size} team members would come from other "
                f"districts, above plan {plan.code}'s maximum {high}",
            )
    return _decide(
        True,
        "R-RECUSAL",
        profile,
        f"检查人员 {key} 可以加入对 {uscc} 的检查组",
        f"inspector {key} may join the team for {uscc}",
    )
