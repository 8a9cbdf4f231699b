"""Rules on plans and weights: R-PLAN-DEADLINE, R-PLAN-FIELDS, R-GRADE-WEIGHT, R-RISK-WEIGHT."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from fractions import Fraction
from operator import attrgetter
from typing import Final

import attrs

from randcheck.calendars import plan_deadline as _deadline
from randcheck.domain import Enterprise, Plan
from randcheck.ledger import Ledger
from randcheck.profiles import Profile
from randcheck.rules.plan import (
    published_before_submitted,
    rounds_without_window,
    windows_without_round,
)
from randcheck.rules.weight_class import NO_RISK
from randcheck.validators._context import Context, Problems, Yield, finding, not_applicable
from randcheck.validators._findings import Outcome

__all__ = [
    "CoverageFigures",
    "coverage",
    "coverage_figures",
    "grade_weight",
    "plan_deadline",
    "plan_fields",
    "risk_weight",
]

_V = Outcome.VIOLATION


def _first_draws(ctx: Context) -> dict[str, date]:
    """Plan code → the day of its first draw (its commitment's publication, else its seed)."""
    first: dict[str, date] = {}
    for draw in ctx.ledger.draws:
        moment = draw.commitment_published or draw.seed_fixed
        if moment is None:
            continue
        day = moment.date()
        if draw.plan not in first or day < first[draw.plan]:
            first[draw.plan] = day
    return first


def plan_deadline(ctx: Context) -> Iterator[Yield]:
    """R-PLAN-DEADLINE: a plan for year Y submitted by the deadline in Y-1 — unless it is a
    supplementary plan with its Art. 12 ground recorded — and published before its first draw;
    a warning for a plan recorded as published before it was submitted.
    """
    profile = ctx.profile
    if not ctx.ledger.plans:
        yield not_applicable("R-PLAN-DEADLINE", "台账中没有抽查计划", "no plan")
        return
    first_draw = _first_draws(ctx)
    for k, plan in enumerate(ctx.ledger.plans):
        subject = f"plans[{k}]"
        problems = Problems()
        drawn = first_draw.get(plan.code)
        if plan.published is not None and drawn is not None and plan.published > drawn:
            # A date orders nothing within a day: publication on the draw's day is not late.
            problems.add(
                _V,
                f"计划 {plan.code} 于 {plan.published} 公开，晚于其首次抽取（{drawn}）",
                f"plan {plan.code} was published on {plan.published}, after its first draw "
                f"on {drawn}",
            )
        if published_before_submitted(plan.submitted, plan.published):
            # Art. 8 publishes the plan formed from what was submitted: a date is likely wrong.
            problems.add(
                Outcome.WARNING,
                f"计划 {plan.code} 记录的公开日期 {plan.published} 早于报送日期 {plan.submitted}"
                "（先报送、形成计划，再向社会公开）",
                f"plan {plan.code} is recorded as published on {plan.published}, before it was "
                f"submitted on {plan.submitted} (a plan is submitted, formed, then published)",
            )
        deadline = _deadline(
            plan.year, month=profile.plan_deadline_month, day=profile.plan_deadline_day
        )
        if plan.supplementary_ground:
            pass
        elif plan.submitted is None:
            problems.add(
                Outcome.UNKNOWN,
                f"计划 {plan.code} 未记录报送日期（应不晚于 {deadline}）",
                f"plan {plan.code} has no submission date (due by {deadline})",
            )
        elif plan.submitted > deadline:
            problems.add(
                _V,
                f"{plan.year} 年度计划 {plan.code} 于 {plan.submitted} 报送，晚于 {deadline}"
                f"（每年{profile.plan_deadline_month}月{profile.plan_deadline_day}日前）；"
                "年度中的补充计划应记录其依据（第十二条）",
                f"plan {plan.code} for {plan.year} was submitted on {plan.submitted}, after "
                f"the deadline {deadline}; a supplementary plan made during the year records "
                "its Art. 12 ground",
            )
        yield problems.result("R-PLAN-DEADLINE", subject)


def _missing_contents(plan: Plan) -> list[tuple[str, str]]:
    scope = plan.scope
    missing = []
    if not (
        scope.description
        or scope.districts is not None
        or scope.industries is not None
        or scope.grades is not None
    ):
        missing.append(("target scope", "检查对象范围"))
    if not plan.inspector_requirements:
        missing.append(("inspector requirements", "执法检查人员要求"))
    if plan.ratio is None and not plan.stratum_ratios:
        missing.append(("sampling ratio", "抽查比例"))
    if plan.rounds is None:
        missing.append(("frequency (rounds)", "抽查频次"))
    if not plan.windows:
        missing.append(("time of the checks", "实施抽查时间"))
    if not plan.procedure:
        missing.append(("procedure", "执法检查流程"))
    return missing


def _rounds_and_windows(plan: Plan) -> list[tuple[str, str]]:
    """Where the frequency and the time of the checks disagree, each as ``(en, zh)``: windows
    are one per round, round 1 first."""
    disagree = []
    rounds, windows = plan.rounds, len(plan.windows)
    unwindowed = rounds_without_window(plan)
    if unwindowed:
        numbers = [str(n) for n in unwindowed]
        disagree.append(
            (
                f"has {rounds} rounds but {windows} window{'s' if windows > 1 else ''}: no time of "
                f"the checks for round{'s' if len(numbers) > 1 else ''} {', '.join(numbers)}",
                f"抽查 {rounds} 轮，实施抽查时间只有 {windows} 段：第 {'、'.join(numbers)} 轮没有"
                "实施抽查时间",
            )
        )
    extra = windows_without_round(plan)
    if extra:
        named = ", ".join(f"windows[{k}]" for k in extra)
        disagree.append(
            (
                f"has {windows} windows for {rounds} round{'s' if rounds != 1 else ''}: {named} "
                f"{'belongs' if len(extra) == 1 else 'belong'} to no round",
                f"实施抽查时间 {windows} 段，抽查只有 {rounds} 轮："
                f"第 {'、'.join(str(k + 1) for k in extra)} 段不属于任何一轮",
            )
        )
    return disagree


def plan_fields(ctx: Context) -> Iterator[Yield]:
    """R-PLAN-FIELDS: a plan states scope, inspector requirements, ratio and frequency, time
    and procedure; its frequency and its time agree (a window for each round, no more)."""
    if not ctx.ledger.plans:
        yield not_applicable("R-PLAN-FIELDS", "台账中没有抽查计划", "no plan")
        return
    for k, plan in enumerate(ctx.ledger.plans):
        missing = _missing_contents(plan)
        # The frequency and the time of the checks saying different things state neither.
        parts = _rounds_and_windows(plan)
        if missing:
            parts.insert(
                0,
                (
                    f"lacks: {', '.join(en for en, _ in missing)}",
                    f"缺少：{'、'.join(zh for _, zh in missing)}",
                ),
            )
        if not parts:
            yield f"plans[{k}]"
            continue
        yield finding(
            "R-PLAN-FIELDS",
            _V,
            f"plans[{k}]",
            f"计划 {plan.code} {'；'.join(zh for _, zh in parts)}",
            f"plan {plan.code} {'; '.join(en for en, _ in parts)}",
        )


def _unknown_units(problems: Problems, unknown: tuple[str, ...]) -> None:
    if unknown:
        problems.add(
            Outcome.UNKNOWN,
            f"{len(unknown)} 个抽样单位不在企业名录中，无法核对其等级和风险",
            f"{len(unknown)} unit(s) are not in the enterprise directory: grade and risk unknown",
        )


def _draw_grade_problems(ctx: Context, d: int) -> Problems:
    groups = ctx.weight_groups(d)
    problems = Problems()
    _unknown_units(problems, groups.unknown)
    weights = groups.weights
    pairs = _grade_pairs(ctx.profile)
    for key in sorted({key for key, _ in weights}):
        for better, worse, strict in pairs:
            better_weights = weights.get((key, better))
            worse_weights = weights.get((key, worse))
            if not better_weights or not worse_weights:
                continue
            high, low = better_weights[-1], worse_weights[0]
            if high > low or (strict and high == low):
                verb_zh = "不低于" if strict else "高于"
                verb_en = "is not below" if strict else "is above"
                problems.add(
                    _V,
                    f"同等风险下 {better} 级企业权重 {high} {verb_zh} {worse} 级企业权重 {low}",
                    f"with the same risk flags, a grade {better} weight {high} "
                    f"{verb_en} a grade {worse} weight {low}",
                )
    return problems


def _grade_pairs(profile: Profile) -> list[tuple[str, str, bool]]:
    """(better, worse, strict) for each pair of neighbouring ranked classes: the best class
    weighs strictly less than the next, every further class at least as much as the one
    before it."""
    ranked = profile.grading.ranked
    # "可优化随机抽查频次" is a permission: equal weights are lawful, only an inversion is not.
    return [(better.code, worse.code, False) for better, worse in itertools.pairwise(ranked)]


def grade_weight(ctx: Context) -> Iterator[Yield]:
    """R-GRADE-WEIGHT: the best ranked class weighs less than the next, each further class at
    least as much as the one before (profile and recorded draws)."""
    profile = ctx.profile
    ranked = profile.grading.ranked
    ok = all(
        (profile.grade_weight(better) < profile.grade_weight(worse))
        if strict
        else (profile.grade_weight(better) <= profile.grade_weight(worse))
        for better, worse, strict in _grade_pairs(profile)
    )
    if ok:
        yield "profile"
    else:
        shown = "、".join(f"{c.code}={c.weight}" for c in ranked)
        order_zh = " ≤ ".join(c.code for c in ranked)
        order_en = order_zh.replace("≤", "<=")
        yield finding(
            "R-GRADE-WEIGHT",
            _V,
            "profile",
            f"政策配置 {profile.name} 的等级权重 {shown} 不满足 {order_zh}",
            f"profile {profile.name}'s grade weights {shown.replace('、', ', ')} break {order_en}",
        )
    for d, draw in enumerate(ctx.ledger.draws):
        if draw.weights:
            yield _draw_grade_problems(ctx, d).result("R-GRADE-WEIGHT", f"draws[{d}]")
    for k, plan in enumerate(ctx.ledger.plans):
        if ctx.profile.grading.id in plan.strata and plan.stratum_ratios:
            yield _plan_grade_problems(ctx, plan).result("R-GRADE-WEIGHT", f"plans[{k}]")


def _plan_grade_problems(ctx: Context, plan: Plan) -> Problems:
    """A plan stratified by grade gives each grade stratum its ratio: the chance of being drawn
    is the ratio (weights cancel within a stratum), so a better grade's stratum with a higher
    ratio than a worse grade's, all other stratum keys equal, is an inversion."""
    problems = Problems()
    position = plan.strata.index(ctx.profile.grading.id)
    pairs = _grade_pairs(ctx.profile)
    for name, _ in plan.stratum_ratios:
        parts = name.split("|")
        if len(parts) != len(plan.strata):
            continue
        for better, worse in ((b, w) for b, w, _ in pairs):
            if parts[position] not in (better, worse):
                continue
            high = [*parts]
            low = [*parts]
            high[position], low[position] = better, worse
            better_ratio = plan.ratio_for("|".join(high))
            worse_ratio = plan.ratio_for("|".join(low))
            if better_ratio is not None and worse_ratio is not None and better_ratio > worse_ratio:
                problems.add(
                    _V,
                    f"计划 {plan.code} 给 {'|'.join(high)} 层的比例 {better_ratio} 高于 "
                    f"{'|'.join(low)} 层的 {worse_ratio}：等级较高的对象被抽中的机会更大",
                    f"plan {plan.code} samples stratum {'|'.join(high)} at {better_ratio}, above "
                    f"{'|'.join(low)} at {worse_ratio}: the better grade has the higher chance",
                )
    # One message per pair of strata, whichever of the two named it.
    seen: set[str] = set()
    unique = Problems()
    for outcome, zh, en in zip(problems.outcomes, problems.zh, problems.en, strict=True):
        if en not in seen:
            seen.add(en)
            unique.add(outcome, zh, en)
    return unique


def _profile_risk_problems(ctx: Context) -> Problems:
    profile = ctx.profile
    problems = Problems()
    factors: list[tuple[str, str, Fraction]] = []
    for factor in profile.risk_factors:
        counted = len(factor.tiers) > 1 or (factor.tiers and factor.tiers[0][0] > 1)
        for threshold, multiplier in factor.tiers:
            if counted:
                zh = f"{factor.name.zh} {threshold} 件以上"
                en = f"{factor.name.en} >= {threshold}"
            else:
                zh, en = factor.name.zh, factor.name.en
            factors.append((zh, en, multiplier))
    for zh, en, multiplier in factors:
        if multiplier < 1:
            problems.add(
                _V,
                f"风险因素“{zh}”的系数 {multiplier} 小于 1，降低了抽查权重",
                f"risk factor '{en}' has multiplier {multiplier} < 1: it lowers the weight",
            )
        elif multiplier == 1:
            problems.add(
                Outcome.WARNING,
                f"风险因素“{zh}”的系数为 1，未加大抽查力度",
                f"risk factor '{en}' has multiplier 1: it does not raise the weight",
            )
    tiers = [
        (factor.name, low, low_m, high, high_m)
        for factor in profile.risk_factors
        for (low, low_m), (high, high_m) in itertools.pairwise(factor.tiers)
    ]
    for name, low, low_m, high, high_m in tiers:
        if high_m < low_m:
            problems.add(
                _V,
                f"{name.zh} {high} 件以上的系数 {high_m} 小于 {low} 件以上的系数 {low_m}",
                f"the multiplier for {name.en} >= {high} ({high_m}) is below that for "
                f">= {low} ({low_m})",
            )
    return problems


_NO_RISK = NO_RISK


def _draw_risk_problems(ctx: Context, d: int) -> Problems:
    groups = ctx.weight_groups(d)
    problems = Problems()
    _unknown_units(problems, groups.unknown)
    baseline = {
        grade: weights[-1] for (key, grade), weights in groups.weights.items() if key == _NO_RISK
    }
    lowered_classes = {
        (key, grade)
        for (key, grade), weights in groups.weights.items()
        if key != _NO_RISK and grade in baseline and weights[0] < baseline[grade]
    }
    if not lowered_classes:
        return problems
    # Only now, with something to report, go back to the units to name them.
    classes = ctx.enterprise_classes
    lowered = [
        (unit.enterprise, unit.weight)
        for unit in ctx.ledger.draws[d].weights
        if (unit_class := classes.get(unit.enterprise)) in lowered_classes
        and unit_class is not None
        and unit.weight < baseline[unit_class[1]]
    ]
    shown = "、".join(f"{code}（{weight}）" for code, weight in lowered[:3])
    shown_en = ", ".join(f"{code} ({weight})" for code, weight in lowered[:3])
    more = f" 等 {len(lowered)} 家" if len(lowered) > 3 else ""
    more_en = f" and {len(lowered) - 3} more" if len(lowered) > 3 else ""
    problems.add(
        _V,
        f"有风险因素的企业权重低于同等级无风险企业：{shown}{more}",
        f"enterprises with a risk factor weigh less than risk-free ones of the same grade: "
        f"{shown_en}{more_en}",
    )
    return problems


def risk_weight(ctx: Context) -> Iterator[Yield]:
    """R-RISK-WEIGHT: risk factors raise the weight (profile and recorded draws)."""
    yield _profile_risk_problems(ctx).result("R-RISK-WEIGHT", "profile")
    for d, draw in enumerate(ctx.ledger.draws):
        if draw.weights:
            yield _draw_risk_problems(ctx, d).result("R-RISK-WEIGHT", f"draws[{d}]")


@attrs.frozen(kw_only=True)
class CoverageFigures:
    """How much of the directory random and targeted inspections reached (R-COVERAGE, Art. 9).

    ``directory``: enterprises in the ledger's directory; ``checked``: those inspected in the
    year (any kind); ``share``: ``checked / directory`` (``None`` for an empty directory);
    ``checked_over_years`` and ``share_over_years``: the same over this ledger and the earlier
    ledgers given, against this ledger's directory; ``unsampled``: per plan code, the strata
    (values joined with ``|`` in the order of the plan's ``strata``) of which no enterprise was
    drawn; ``over_threshold``: USCC → inspections in the year, for those above the profile's
    ``cap.total_per_year``.
    """

    directory: int
    checked: int
    share: Fraction | None
    checked_over_years: int
    share_over_years: Fraction | None
    unsampled: dict[str, tuple[str, ...]]
    over_threshold: dict[str, int]


def _stratum(enterprise: Enterprise, keys: tuple[str, ...]) -> str:
    values = []
    for key in keys:
        if key == "district":
            values.append(enterprise.district)
        elif key == "industry":
            values.append(enterprise.industry)
        elif key == "grade":
            values.append(enterprise.grade)
        else:
            values.append(enterprise.class_in(key) or "unrated")
    return "|".join(values)


_ATTRIBUTE_KEYS: Final = frozenset({"district", "industry", "grade"})


def _stratum_of(keys: tuple[str, ...]) -> Callable[[Enterprise], str]:
    """:func:`_stratum` for ``keys``; strata of the directory's own attributes are read by one
    attrgetter (a lone value is its own key: ``"|".join`` of one value is that value)."""
    if not keys or not _ATTRIBUTE_KEYS.issuperset(keys):
        return functools.partial(_stratum_by_keys, keys)
    if len(keys) == 1:
        one: attrgetter[str] = attrgetter(keys[0])
        return one
    read = attrgetter(*keys)
    return lambda enterprise: "|".join(read(enterprise))


def _stratum_by_keys(keys: tuple[str, ...], enterprise: Enterprise) -> str:
    return _stratum(enterprise, keys)


def coverage_figures(
    ledger: Ledger, profile: Profile, earlier: Sequence[Ledger] = ()
) -> CoverageFigures:
    """The coverage figures of ``ledger`` (and over ``earlier`` years' ledgers too), see
    :class:`CoverageFigures`. Linear in the size of the ledgers."""
    directory = {e.uscc for e in ledger.enterprises}
    counts: dict[str, int] = {}
    for inspection in ledger.inspections:
        if inspection.started.year == ledger.year:
            counts[inspection.enterprise] = counts.get(inspection.enterprise, 0) + 1
    checked = directory & set(counts)
    ever = set(checked)
    for past in earlier:
        ever |= directory & {x.enterprise for x in past.inspections}
    drawn_by_plan: dict[str, set[str]] = {}
    for draw in ledger.draws:
        drawn_by_plan.setdefault(draw.plan, set()).update(draw.selected)
    unsampled: dict[str, tuple[str, ...]] = {}
    for plan in ledger.plans:
        if plan.code not in drawn_by_plan:
            continue
        drawn = drawn_by_plan[plan.code]
        keys = list(map(_stratum_of(plan.strata), ledger.enterprises))
        hit = {key for key, e in zip(keys, ledger.enterprises, strict=True) if e.uscc in drawn}
        missing = tuple(sorted(set(keys) - hit))
        if missing:
            unsampled[plan.code] = missing
    limit = profile.cap.total_per_year
    over = {} if limit is None else dict(sorted((u, n) for u, n in counts.items() if n > limit))
    size = len(directory)
    return CoverageFigures(
        directory=size,
        checked=len(checked),
        share=Fraction(len(checked), size) if size else None,
        checked_over_years=len(ever),
        share_over_years=Fraction(len(ever), size) if size else None,
        unsampled=unsampled,
        over_threshold=over,
    )


def coverage(ctx: Context) -> Iterator[Yield]:
    """R-COVERAGE: a warning for every enterprise inspected more often than the profile's
    threshold; the figures (share checked, strata never sampled) are :func:`coverage_figures`.
    A stratum never drawn in one year is expected of a small ratio, so it is a figure, not a
    warning."""
    ledger = ctx.ledger
    if not ledger.enterprises:
        yield not_applicable("R-COVERAGE", "台账中没有检查对象名录", "no target directory")
        return
    figures = coverage_figures(ledger, ctx.profile)
    share = figures.share or Fraction(0)
    figure_zh = (
        f"{ledger.year} 年名录 {figures.directory} 户中检查 {figures.checked} 户"
        f"（{float(share):.2%}）"
    )
    figure_en = (
        f"{figures.checked} of {figures.directory} enterprises in the directory inspected in "
        f"{ledger.year} ({float(share):.2%})"
    )
    limit = ctx.profile.cap.total_per_year
    for uscc, n in figures.over_threshold.items():
        yield finding(
            "R-COVERAGE",
            Outcome.WARNING,
            f"enterprises:{uscc}",
            f"{uscc} 在 {ledger.year} 年被检查 {n} 次，超过 {limit} 次（防止过度检查）；"
            f"{figure_zh}",
            f"{uscc} was inspected {n} times in {ledger.year}, more than {limit} "
            f"(no over-inspection); {figure_en}",
        )
    if not figures.over_threshold:
        yield "ledger"
