"""Rules on inspectors and teams: R-INSPECTOR-RECORD, R-TEAM, R-RECUSAL, R-CROSS-DISTRICT."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from randcheck.domain import Inspector
from randcheck.ids import compact_identifier
from randcheck.ledger import Inspection, InspectionKind
from randcheck.rules import (
    TeamComposition,
    certificate_valid_on,
    describe_unresolved,
    holds_certificate_on,
    inspector_identifiers,
    missing_record_fields,
    team_composition,
)
from randcheck.rules.qualification import RECORD_FIELDS
from randcheck.validators._context import Context, Problems, Yield, finding, not_applicable
from randcheck.validators._findings import Outcome

__all__ = ["cross_district", "inspector_record", "recusal", "team"]

_V = Outcome.VIOLATION


def _team_problems(ctx: Context, inspection: Inspection, staff: dict[str, Inspector]) -> Problems:
    problems = Problems()
    day = inspection.started
    certified: set[str] = set()
    for key in inspection.team:
        member = staff.get(key)
        if member is None:
            problems.add(
                _V,
                f"检查人员 {key} 不在执法检查人员名录库中",
                f"inspector {key} is not in the inspector directory",
            )
        elif member.certificate_no is None and ctx.profile.team.certificate_required:
            problems.add(
                _V,
                f"检查人员 {key} 仅有居民身份号码，没有执法证件，不具有行政执法资格",
                f"inspector {key} holds no enforcement certificate (only a resident identity "
                "number): no enforcement qualification",
            )
        elif not certificate_valid_on(member, day):
            problems.add(
                _V,
                f"检查人员 {key} 的执法证件在 {day} 无效",
                f"inspector {key}'s enforcement certificate is not valid on {day}",
            )
        else:
            certified.add(key)
    minimum = ctx.profile.min_team_size
    if len(certified) < minimum:
        problems.add(
            _V,
            f"持有效执法证件的检查人员 {len(certified)} 名，少于 {minimum} 名",
            f"{len(certified)} certified inspector(s) on the team, fewer than {minimum}",
        )
    return problems


def inspector_record(ctx: Context) -> Iterator[Yield]:
    """R-INSPECTOR-RECORD: every directory record holds the Art. 7 contents."""
    ledger = ctx.ledger
    for j, inspector in enumerate(ledger.inspectors):
        missing = missing_record_fields(inspector)
        if not missing:
            yield f"inspectors[{j}]"
            continue
        yield finding(
            "R-INSPECTOR-RECORD",
            _V,
            f"inspectors[{j}]",
            f"执法检查人员 {inspector.key} 的名录信息缺少："
            + "、".join(RECORD_FIELDS[name] for name in missing),
            f"inspector record {inspector.key} lacks: {', '.join(missing)}",
        )
    if not ledger.inspectors:
        yield not_applicable("R-INSPECTOR-RECORD", "台账中没有检查人员", "no inspector")


def team(ctx: Context) -> Iterator[Yield]:
    """R-TEAM: every member of an inspection's team is a directory member holding an
    enforcement certificate valid on the day, and the team has at least the profile's minimum
    of them (行政处罚法 Art. 42 "执法人员不得少于两人"; 劳动保障监察条例 Art. 16)."""
    ledger = ctx.ledger
    staff = ctx.inspectors
    minimum = ctx.profile.min_team_size
    # A profile may not require a certificate number (team.certificate_required = false):
    # then a valid entry of the directory suffices.
    qualified = (
        holds_certificate_on if ctx.profile.team.certificate_required else certificate_valid_on
    )
    subjects = ctx.inspection_subjects
    for i, inspection in enumerate(ledger.inspections):
        day = inspection.started
        members = inspection.team
        fine = len(set(members)) >= minimum
        if fine:
            for key in members:
                member = staff.get(key)
                if member is None or not qualified(member, day):
                    fine = False
                    break
        if fine:
            yield subjects[i]
        else:
            yield _team_problems(ctx, inspection, staff).result("R-TEAM", subjects[i])
    if not ledger.inspections:
        yield not_applicable("R-TEAM", "台账中没有检查", "no inspection")


def _grounds_on(ctx: Context, key: str, enterprise: str, day: date) -> tuple[str, ...]:
    """Why ``key`` must recuse from ``enterprise`` on ``day``: undated ties and own record
    always, dated conflict rows only while in force (a tie recorded later is not retroactive)."""
    found = ctx.recusals.grounds(key, enterprise)
    dated = ctx.dated_conflicts
    if not found and not dated:
        return ()  # the common case: no tie at all
    grounds = {ground.value for ground in found}
    if dated:
        member = ctx.inspectors.get(key)
        names = inspector_identifiers(member) if member is not None else {compact_identifier(key)}
        for name in names:
            for row in dated.get((name, enterprise), ()):
                if row.holds_on(day):
                    grounds.add(row.ground.value)
    return tuple(sorted(grounds))


def recusal(ctx: Context) -> Iterator[Yield]:
    """R-RECUSAL: no team member has an interest in the inspected enterprise; every declared
    conflict names an inspector of the directory."""
    unresolved = {id(row) for row in ctx.unresolved_conflicts}
    for j, row in enumerate(ctx.ledger.conflicts):
        if id(row) in unresolved:
            text = describe_unresolved([row])
            yield finding("R-RECUSAL", Outcome.WARNING, f"conflicts[{j}]", text.zh, text.en)
    inspections = ctx.ledger.inspections
    if not inspections:
        yield not_applicable("R-RECUSAL", "台账中没有检查", "no inspection")
        return
    subjects = ctx.inspection_subjects
    for i, inspection in enumerate(inspections):
        enterprise = inspection.enterprise
        tied = [
            (key, "+".join(grounds))
            for key in inspection.team
            if (grounds := _grounds_on(ctx, key, enterprise, inspection.started))
        ]
        if not tied:
            yield subjects[i]
            continue
        yield finding(
            "R-RECUSAL",
            _V,
            subjects[i],
            "检查人员与检查对象有利害关系，应当回避："
            + "、".join(f"{key}（{why}）" for key, why in tied),
            f"team members with an interest in enterprise {enterprise} did not recuse: "
            + ", ".join(f"{key} ({why})" for key, why in tied),
        )


def cross_district(ctx: Context) -> Iterator[Yield]:
    """R-CROSS-DISTRICT: at least one member from the inspecting department's own directory,
    and the share of other-district inspectors within the plan's bounds."""
    inspections = ctx.ledger.inspections
    inspectors = ctx.inspectors
    enterprises = ctx.enterprises
    subjects = ctx.inspection_subjects
    seen = False
    # Teams repeat (a district's inspectors go out together again and again): each distinct
    # team, home district and plan is judged once.
    judged: dict[tuple[tuple[str, ...], str, int], TeamComposition] = {}
    for i, inspection in enumerate(inspections):
        if inspection.kind is not InspectionKind.RANDOM:
            continue
        seen = True
        plan = ctx.plan_of(inspection)
        enterprise = enterprises.get(inspection.enterprise)
        reason = None
        if plan is None:
            reason = ("抽取或计划未记录", "the draw or its plan is not recorded")
        elif enterprise is None or not enterprise.district:
            reason = ("企业所在区未记录", "the enterprise's district is not recorded")
        elif not inspection.team:
            reason = ("检查组为空", "the team is empty")
        if reason is not None:
            yield finding(
                "R-CROSS-DISTRICT",
                Outcome.UNKNOWN,
                subjects[i],
                f"无法判断跨区人员比例：{reason[0]}",
                f"cannot tell the cross-district share: {reason[1]}",
            )
            continue
        assert plan is not None
        assert enterprise is not None
        team = inspection.team
        home = inspection.department_district or enterprise.district
        composition = judged.get((team, home, id(plan)))
        if composition is None:
            districts = [None if (m := inspectors.get(key)) is None else m.district for key in team]
            composition = team_composition(districts, home, plan.cross_district)
            judged[team, home, id(plan)] = composition
        if composition.unknown:
            unknown = [team[position] for position in composition.unknown]
            yield finding(
                "R-CROSS-DISTRICT",
                Outcome.UNKNOWN,
                subjects[i],
                f"无法判断跨区人员比例：检查人员 {'、'.join(unknown)} 所在区未记录",
                f"cannot tell the cross-district share: no district recorded for "
                f"{', '.join(unknown)}",
            )
            continue
        if composition.within:
            yield subjects[i]
            continue
        size, outside = composition.size, composition.outside
        low, high = plan.cross_district.minimum, plan.cross_district.maximum
        if outside == size:
            yield finding(
                "R-CROSS-DISTRICT",
                _V,
                subjects[i],
                f"检查组 {size} 人均不在 {home} 的执法检查人员名录库中：“部分从其他区”抽取要求"
                "至少一人来自本部门名录库",
                f'all {size} team members come from outside {home}\'s own directory: "部分" '
                "(a part) needs at least one member from the inspecting department's own",
            )
            continue
        yield finding(
            "R-CROSS-DISTRICT",
            _V,
            subjects[i],
            f"检查组 {size} 人中 {outside} 人来自其他区，超出计划 {plan.code} 的比例范围 "
            f"{low}–{high}",
            f"{outside} of {size} team members come from other districts, outside plan "
            f"{plan.code}'s bounds {low}–{high}",
        )
    if not seen:
        yield not_applicable("R-CROSS-DISTRICT", "台账中没有随机抽查", "no random inspection")
