"""Rules on the draw itself: R-RANDOM, R-COMPLETION, R-TARGETED, R-CAP, R-ONE-VISIT."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from randcheck.domain import TimeWindow
from randcheck.ledger import Inspection, InspectionKind, NotInspectedReason
from randcheck.profiles import CapScope
from randcheck.rules import random_visits, visit_key, visit_window, windows_overlap
from randcheck.validators._context import Context, Problems, Yield, finding, not_applicable
from randcheck.validators._findings import Outcome

__all__ = ["cap", "completion", "one_visit", "random_", "targeted"]

_V = Outcome.VIOLATION
_RANDOM = InspectionKind.RANDOM


def _draw_findings(ctx: Context) -> Iterator[Yield]:
    plans = ctx.plans
    recorded_times = ctx.commitment_published
    # One draw per commitment and round (rev. 2): the frame's digest already fixes the round,
    # the recorded round is compared too for entries that carry one.
    draws_under: dict[tuple[str, int | None], list[int]] = {}
    for d, draw in enumerate(ctx.ledger.draws):
        draws_under.setdefault((draw.commitment, draw.round), []).append(d)
    for d, draw in enumerate(ctx.ledger.draws):
        problems = Problems()
        siblings = [n for n in draws_under[(draw.commitment, draw.round)] if n != d]
        if siblings:
            named = ", ".join(f"draws[{n}]" for n in siblings)
            seeds = ", ".join(repr(ctx.ledger.draws[n].seed) for n in siblings)
            problems.add(
                _V,
                f"承诺 {draw.commitment} 同一轮次另有抽取 {named}（种子 {seeds}）：重新抽取",
                f"another draw under the commitment {draw.commitment} and the same round: "
                f"{named} (seed {seeds}), a redraw",
            )
        if draw.plan not in plans:
            problems.add(
                _V,
                f"抽取所依据的计划 {draw.plan} 不在台账中",
                f"the plan {draw.plan} the draw was made under is not in the ledger",
            )
        published = draw.commitment_published
        others = [t for t in recorded_times.get(draw.commitment, ()) if t is not None]
        if published is None and others:
            published = min(others)
        elif published is not None and any(t != published for t in others):
            problems.add(
                _V,
                f"抽取记录与承诺记录对承诺 {draw.commitment} 的公布时间记载不一致",
                f"the draw and the commitment record disagree on when {draw.commitment} "
                "was published",
            )
        if published is None:
            problems.add(
                _V,
                "抽样框承诺未公布，无法证明抽样框在种子确定前已固定",
                "the frame commitment was not published: nothing shows the frame was fixed "
                "before the seed",
            )
        elif draw.seed_fixed is None:
            problems.add(
                Outcome.UNKNOWN,
                "未记录随机种子的确定时间",
                "the time the seed was fixed is not recorded",
            )
        elif not published < draw.seed_fixed:
            problems.add(
                _V,
                f"抽样框承诺公布于 {published}，不早于随机种子确定时间 {draw.seed_fixed}",
                f"the frame commitment was published at {published}, not before the seed "
                f"was fixed at {draw.seed_fixed}",
            )
        yield problems.result("R-RANDOM", f"draws[{d}]")


def _inspection_problems(ctx: Context, inspection: Inspection) -> Problems:
    problems = Problems()
    draw_id = inspection.draw
    if draw_id is None:
        problems.add(
            _V,
            "随机抽查未记录抽取结果：检查对象系人为指定",
            "a random inspection without a draw: the target was picked by hand",
        )
    else:
        selection = ctx.selections.get(draw_id)
        if selection is None:
            problems.add(
                _V,
                f"所引抽取记录 {draw_id} 不在台账中",
                f"the draw {draw_id} it refers to is not in the ledger",
            )
        elif inspection.enterprise not in selection:
            problems.add(
                _V,
                f"企业 {inspection.enterprise} 不在抽取结果 {draw_id} 中",
                f"enterprise {inspection.enterprise} is not among the targets drawn in {draw_id}",
            )
    dispatch_id = inspection.dispatch
    if dispatch_id is None:
        problems.add(
            _V,
            "未记录随机选派：检查人员系人为指定",
            "no dispatch recorded: the inspectors were picked by hand",
        )
        return problems
    dispatch = ctx.dispatches.get(dispatch_id)
    if dispatch is None:
        problems.add(
            _V,
            f"所引选派记录 {dispatch_id} 不在台账中",
            f"the dispatch {dispatch_id} it refers to is not in the ledger",
        )
        return problems
    if draw_id is not None and dispatch.draw != draw_id:
        problems.add(
            _V,
            f"选派记录 {dispatch_id} 对应抽取 {dispatch.draw}，而非本次检查的抽取 {draw_id}",
            f"dispatch {dispatch_id} staffed draw {dispatch.draw}, not this inspection's "
            f"draw {draw_id}",
        )
    team = ctx.dispatch_teams[dispatch_id].get(inspection.enterprise)
    if team is None:
        problems.add(
            _V,
            f"选派记录 {dispatch_id} 未向该企业选派人员",
            f"dispatch {dispatch_id} sent no team to this enterprise",
        )
    elif sorted(team) != sorted(inspection.team):
        problems.add(
            _V,
            f"检查组 {', '.join(inspection.team)} 与随机选派的 {', '.join(team)} 不一致",
            f"the team {', '.join(inspection.team)} is not the dispatched team {', '.join(team)}",
        )
    return problems


def random_(ctx: Context) -> Iterator[Yield]:
    """R-RANDOM: draws committed before their seed; random inspections match their records."""
    ledger = ctx.ledger
    if not ledger.draws and not any(i.kind is _RANDOM for i in ledger.inspections):
        yield not_applicable(
            "R-RANDOM", "台账中没有抽取记录和随机抽查", "no draw and no random inspection"
        )
        return
    yield from _draw_findings(ctx)
    selections = ctx.selections
    dispatches = ctx.dispatches
    teams = ctx.dispatch_teams
    subjects = ctx.inspection_subjects
    for i, inspection in enumerate(ledger.inspections):
        if inspection.kind is not _RANDOM:
            continue
        draw_id = inspection.draw
        dispatch_id = inspection.dispatch
        # The lawful case is checked without building any message.
        if draw_id is not None and dispatch_id is not None:
            selection = selections.get(draw_id)
            dispatch = dispatches.get(dispatch_id)
            if (
                selection is not None
                and dispatch is not None
                and inspection.enterprise in selection
                and dispatch.draw == draw_id
            ):
                team = teams[dispatch_id].get(inspection.enterprise)
                if team is not None and (
                    team == inspection.team or sorted(team) == sorted(inspection.team)
                ):
                    yield subjects[i]
                    continue
        yield _inspection_problems(ctx, inspection).result("R-RANDOM", subjects[i])


def _ground_problems(ctx: Context, inspection: Inspection) -> Problems:
    """The ground must be one of the profile's open list; "other" (needs text) says what."""
    grounds = ctx.profile.targeted_grounds
    problems = Problems()
    names_zh = "、".join(g.name.zh for g in grounds)
    names_en = ", ".join(g.name.en for g in grounds)
    if inspection.ground is None:
        problems.add(
            _V,
            f"针对性检查未记录事由（{names_zh}等）",
            f"a targeted inspection without its ground ({names_en}, ...)",
        )
        return problems
    chosen = next((g for g in grounds if g.id == inspection.ground), None)
    if chosen is None:
        problems.add(
            _V,
            f"事由 {inspection.ground!r} 不在政策配置的事由清单中（{names_zh}）",
            f"ground {inspection.ground!r} is not in the profile's list ({names_en})",
        )
    elif chosen.needs_text and not inspection.ground_reference:
        problems.add(
            _V,
            f"事由为“{chosen.name.zh}”，但未说明具体事由",
            f"the ground is '{chosen.name.en}' but the inspection does not say what it is",
        )
    if not inspection.suspicion:
        problems.add(
            _V,
            "针对性检查未记录所针对的违法嫌疑（需依法对有违法嫌疑的监管对象开展针对性检查）",
            "a targeted inspection does not record the suspected violation it pursues",
        )
    return problems


def targeted(ctx: Context) -> Iterator[Yield]:
    """R-TARGETED: every targeted inspection records its ground (the profile's open list, "等")
    and the suspected violation it pursues."""
    subjects = ctx.inspection_subjects
    seen = False
    for i, inspection in enumerate(ctx.ledger.inspections):
        if inspection.kind is _RANDOM:
            continue
        seen = True
        yield _ground_problems(ctx, inspection).result("R-TARGETED", subjects[i])
    if not seen:
        yield not_applicable("R-TARGETED", "台账中没有针对性检查", "no targeted inspection")


def cap(ctx: Context) -> Iterator[Yield]:
    """R-CAP: random visits per enterprise and calendar year within the profile's cap, counted
    across the department's lines or per line as the profile's cap scope says."""
    if not ctx.visits:
        yield not_applicable("R-CAP", "台账中没有随机抽查", "no random inspection")
        return
    if ctx.profile.cap.scope is not CapScope.LINE:
        yield from _cap_findings(ctx, ctx.visits, None)
        return
    # Per line: an inspection on several lines is judged on each; it passes only if every
    # line's count allows it, and is reported once, for its first line beyond the cap.
    verdicts: dict[str, Yield] = {}
    lines = sorted({line for x in ctx.ledger.inspections for line in x.lines})
    for line in lines:
        groups = random_visits(ctx.ledger.inspections, line=line)
        for item in _cap_findings(ctx, groups, line):
            subject = item if isinstance(item, str) else item.subject
            if isinstance(verdicts.get(subject), str) or subject not in verdicts:
                verdicts[subject] = item
    yield from verdicts.values()


def _cap_findings(
    ctx: Context,
    groups: dict[tuple[str, int], tuple[tuple[int, ...], ...]],
    line: str | None,
) -> Iterator[Yield]:
    subjects = ctx.inspection_subjects
    limit = ctx.profile.cap_per_year
    outcome = Outcome(ctx.profile.cap_severity.value)
    on_zh = "" if line is None else f"（{ctx.profile.line_name(line).zh}条线）"
    on_en = "" if line is None else f" on the {line} line"
    inspections = ctx.ledger.inspections
    for (enterprise, year), visits in groups.items():
        if len(visits) == 1 and len(visits[0]) == 1:
            yield subjects[visits[0][0]]
            continue
        members = sorted(i for visit in visits for i in visit)
        if len(members) <= limit:
            for i in members:
                yield subjects[i]
            continue
        # The inspection that opens a visit beyond the cap is the check too many.
        opens = {visit[0]: number for number, visit in enumerate(visits, start=1)}
        for i in sorted(members, key=lambda k: (inspections[k].started, inspections[k].id, k)):
            number = opens.get(i, 0)
            if number <= limit:
                yield subjects[i]
                continue
            yield finding(
                "R-CAP",
                outcome,
                subjects[i],
                f"{year} 年对企业 {enterprise} 的第 {number} 次随机抽查{on_zh}，"
                f"超过原则上限 {limit} 次（联合检查按一次计，针对性检查不计）",
                f"random check no. {number} of enterprise {enterprise} in {year}{on_en}, "
                f"beyond the cap of {limit} in principle (a joint visit counts once, targeted "
                "inspections not at all)",
            )


def _window(ctx: Context, inspection: Inspection) -> tuple[date, date]:
    plan = ctx.plan_of(inspection)
    return visit_window(() if plan is None else plan.windows, inspection.started)


def one_visit(ctx: Context) -> Iterator[Yield]:
    """R-ONE-VISIT: random checks of one enterprise in overlapping windows share a visit."""
    inspections = ctx.ledger.inspections
    subjects = ctx.inspection_subjects
    by_enterprise: dict[str, tuple[int, ...]] = {}
    for i, inspection in enumerate(inspections):
        if inspection.kind is _RANDOM:
            known = by_enterprise.get(inspection.enterprise)
            by_enterprise[inspection.enterprise] = (i,) if known is None else (*known, i)
    if not by_enterprise:
        yield not_applicable("R-ONE-VISIT", "台账中没有随机抽查", "no random inspection")
        return
    for members in by_enterprise.values():
        if len(members) == 1:
            yield subjects[members[0]]
            continue
        entries = sorted(
            (
                # By date, then id: which of two same-day checks is the separate visit must
                # not depend on the order of the ledger's records.
                inspections[i].started,
                inspections[i].id,
                i,
                *_window(ctx, inspections[i]),
                visit_key(inspections[i], i),
            )
            for i in members
        )
        for k, (_, _, i, start, end, key) in enumerate(entries):
            clash = next(
                (
                    other
                    for _, _, other, other_start, other_end, other_key in entries[:k]
                    if other_key != key and windows_overlap((other_start, other_end), (start, end))
                ),
                None,
            )
            if clash is None:
                yield subjects[i]
                continue
            earlier = inspections[clash]
            yield finding(
                "R-ONE-VISIT",
                Outcome.WARNING,
                subjects[i],
                f"与 {earlier.id}（{earlier.started}）同一时段分开检查同一企业，原则上应一次性完成",
                f"a separate visit to the same enterprise in the same window as {earlier.id} "
                f"({earlier.started}); several checks should in principle be done in one visit",
            )


def _any_within(
    days: tuple[date, ...], windows: tuple[TimeWindow, ...], known: dict[date, bool]
) -> bool:
    """Whether one of ``days`` lies in one of ``windows``; ``known`` remembers each day's
    answer."""
    for day in days:
        inside = known.get(day)
        if inside is None:
            inside = known[day] = any(w.start <= day <= w.end for w in windows)
        if inside:
            return True
    return False


def completion(ctx: Context) -> Iterator[Yield]:
    """R-COMPLETION: every drawn enterprise inspected under its draw within the plan's window,
    or the reason it was not recorded."""
    draws = ctx.ledger.draws
    if not draws:
        yield not_applicable("R-COMPLETION", "台账中没有抽取", "no draw")
        return
    # Draw id → enterprise → the days it was inspected under that draw (tuples of dates: the
    # cyclic collector stops tracking them).
    inspected: dict[str, dict[str, tuple[date, ...]]] = {}
    for inspection in ctx.ledger.inspections:
        if inspection.kind is _RANDOM and inspection.draw is not None:
            under = inspected.get(inspection.draw)
            if under is None:
                under = inspected[inspection.draw] = {}
            before = under.get(inspection.enterprise)
            day = inspection.started
            under[inspection.enterprise] = (day,) if before is None else (*before, day)
    reasons = {(x.draw, x.enterprise): x for x in ctx.ledger.not_inspected}
    for k, draw in enumerate(draws):
        plan = ctx.plans.get(draw.plan)
        windows = plan.windows if plan is not None else ()
        # Inspections fall on few distinct days: each is placed against the windows once.
        within: dict[date, bool] = {}
        under = inspected.get(draw.id, {})
        for j, enterprise in enumerate(draw.selected):
            subject = f"draws[{k}].selected[{j}]"
            days = under.get(enterprise, ())
            if days and (not windows or _any_within(days, windows, within)):
                yield subject
                continue
            why = reasons.get((draw.id, enterprise))
            if why is not None:
                known = why.reason in set(NotInspectedReason)
                if known and (why.reason != NotInspectedReason.OTHER or why.note):
                    yield subject
                    continue
                yield finding(
                    "R-COMPLETION",
                    _V,
                    subject,
                    f"抽中的 {enterprise} 未检查，所记原因“{why.reason}”"
                    + ("不是已知原因" if not known else "未说明具体情况"),
                    f"{enterprise}, drawn, was not inspected and the reason {why.reason!r} "
                    + ("is not a known reason" if not known else "does not say what it is"),
                )
                continue
            late = f"（检查日 {', '.join(map(str, days))} 不在计划时间内）" if days else ""
            late_en = f" (inspected on {', '.join(map(str, days))}, outside the plan's window)"
            yield finding(
                "R-COMPLETION",
                _V,
                subject,
                f"抽中的 {enterprise} 未在计划时间内检查，也未记录原因{late}",
                f"{enterprise} was drawn but not inspected within the plan's window and no "
                f"reason is recorded" + (late_en if days else ""),
            )
