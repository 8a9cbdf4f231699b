"""Rules on what follows an inspection: R-FEEDBACK-BY-INSPECTOR, R-PUBLIC, R-DISPOSITION,
R-REPORT, R-PUBLICITY."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Final

from randcheck.ids import (
    find_unmasked_personal_data,
    looks_like_resident_id,
    mask_phone,
    mask_resident_id,
)
from randcheck.ledger import InspectionKind, PublicationKind, SummaryReport, ViolationRecord
from randcheck.profiles import Profile
from randcheck.validators._context import Context, Problems, Yield, finding, not_applicable
from randcheck.validators._findings import Outcome

__all__ = ["disposition", "feedback_by_inspector", "public", "publicity", "report"]

_V = Outcome.VIOLATION
_ONE_DAY = timedelta(days=1)
_RANDOM = InspectionKind.RANDOM


def feedback_by_inspector(ctx: Context) -> Iterator[Yield]:
    """R-FEEDBACK-BY-INSPECTOR: feedback by the inspecting team or the enforcement agency it
    belongs to (Art. 3 "由具体实施检查的各综合执法检查小组或者各执法机构反馈"); finished random
    checks get it."""
    ledger = ctx.ledger
    inspections = ledger.inspections
    index = ctx.inspection_index
    for f, feedback in enumerate(ledger.feedback):
        subject = f"feedback[{f}]"
        i = index.get(feedback.inspection)
        if i is None:
            yield finding(
                "R-FEEDBACK-BY-INSPECTOR",
                Outcome.UNKNOWN,
                subject,
                f"反馈所指检查 {feedback.inspection} 不在台账中",
                f"the inspection {feedback.inspection} of this feedback is not in the ledger",
            )
            continue
        unit = inspections[i].unit
        agency = inspections[i].agency
        if not unit:
            yield finding(
                "R-FEEDBACK-BY-INSPECTOR",
                Outcome.UNKNOWN,
                subject,
                f"检查 {feedback.inspection} 未记录实施单位",
                f"inspection {feedback.inspection} names no inspecting unit",
            )
        elif feedback.issued_by in (unit, agency or unit):
            yield subject
        else:
            by_zh = f"{unit}（所属执法机构 {agency}）" if agency else unit
            by_en = f"{unit} (of the enforcement agency {agency})" if agency else unit
            yield finding(
                "R-FEEDBACK-BY-INSPECTOR",
                _V,
                subject,
                f"反馈由 {feedback.issued_by or '（未记录）'} 作出，而检查由 {by_zh} 实施"
                "（谁检查、谁反馈）",
                f"feedback issued by {feedback.issued_by or '(not recorded)'}, but the "
                f"inspection was carried out by {by_en}",
            )
    feedback_of = ctx.feedback_of
    subjects = ctx.inspection_subjects
    for i in ctx.finished_random:
        inspection = inspections[i]
        if inspection.id in feedback_of:
            yield subjects[i]
        else:
            yield finding(
                "R-FEEDBACK-BY-INSPECTOR",
                _V,
                subjects[i],
                f"随机抽查 {inspection.id} 已于 {inspection.finished} 结束，未向检查对象反馈",
                f"random inspection {inspection.id} finished on {inspection.finished} without "
                "feedback to the target",
            )
    if not ledger.feedback and not ctx.finished_random:
        yield not_applicable(
            "R-FEEDBACK-BY-INSPECTOR",
            "台账中没有反馈和已结束的随机抽查",
            "no feedback and no finished random inspection",
        )


# Every identity or mobile number that ids.find_unmasked_personal_data reports holds a digit
# (full-width digits too); a text without one cannot hold any, and this one search spares the
# full scan (a test checks the claim against the full scan).
_MAYBE_PERSONAL = re.compile(r"\d")


def _leak_finding(subject: str, text: str) -> Yield:
    if not text or _MAYBE_PERSONAL.search(text) is None:
        return subject
    leaks = find_unmasked_personal_data(text)
    if not leaks:
        return subject
    shown = [mask_resident_id(s) if looks_like_resident_id(s) else mask_phone(s) for s in leaks]
    return finding(
        "R-PUBLIC",
        _V,
        subject,
        f"公开内容含 {len(leaks)} 处未脱敏的身份证号或手机号（{'、'.join(shown)}）",
        f"the published text holds {len(leaks)} unmasked identity or mobile number(s) "
        f"({', '.join(shown)})",
    )


# A line break is neither a digit, a letter, a plus sign nor a separator inside a number
# (privacy._SEP), and no identity or mobile number holds one: every number found in texts
# joined by line breaks is found in one of them, and every number of one of them is found in
# the joined text. So a run of published texts is scanned as one text, and only a run that
# holds a number is scanned text by text to say where (a test checks the claim).
_RUN: Final = 256


def _leak_findings(section: str, texts: list[str]) -> Iterator[Yield]:
    """:func:`_leak_finding` of every text of ``section``, in order."""
    for start in range(0, len(texts), _RUN):
        run = texts[start : start + _RUN]
        if find_unmasked_personal_data("\n".join(run)):
            for p, text in enumerate(run, start=start):
                yield _leak_finding(f"{section}[{p}]", text)
        else:
            for p in range(start, start + len(run)):
                yield f"{section}[{p}]"


def public(ctx: Context) -> Iterator[Yield]:
    """R-PUBLIC: list, plan, draw and results published; no unmasked personal data."""
    ledger = ctx.ledger
    for k, item_list in enumerate(ledger.check_item_lists):
        subject = f"check_item_lists[{k}]"
        if item_list.published is not None:
            yield subject
        else:
            yield finding(
                "R-PUBLIC",
                _V,
                subject,
                f"{ctx.profile.line_name(item_list.line).zh}抽查事项清单 {item_list.version} "
                "未向社会公开",
                f"check-item list {item_list.version} of {item_list.line} was not published",
            )
    for k, plan in enumerate(ledger.plans):
        subject = f"plans[{k}]"
        if plan.published is not None:
            yield subject
        else:
            yield finding(
                "R-PUBLIC",
                _V,
                subject,
                f"抽查计划 {plan.code} 未向社会公开",
                f"plan {plan.code} was not published",
            )
    published = ctx.published_subjects
    drawn = published[PublicationKind.DRAW]
    for d, draw in enumerate(ledger.draws):
        subject = f"draws[{d}]"
        if draw.id in drawn:
            yield subject
        else:
            yield finding(
                "R-PUBLIC",
                _V,
                subject,
                f"抽取结果 {draw.id} 未公开",
                f"the draw {draw.id} was not published",
            )
    results = published[PublicationKind.RESULTS]
    under_publicity = ctx.publicities_of
    subjects = ctx.inspection_subjects
    inspections = ledger.inspections
    for i in ctx.finished_random:
        inspection = inspections[i]
        if inspection.id in results or inspection.id in under_publicity:
            yield subjects[i]
        else:
            yield finding(
                "R-PUBLIC",
                _V,
                subjects[i],
                f"随机抽查 {inspection.id} 的检查结果未公开",
                f"the results of random inspection {inspection.id} were not published",
            )
    # The channel is published with the text (a contact person's mobile number is as public
    # there as in the text); a line break keeps the digits of the two apart.
    yield from _leak_findings(
        "publications", [f"{x.text}\n{x.channel}" for x in ledger.publications]
    )
    yield from _leak_findings("publicities", [f"{x.text}\n{x.channel}" for x in ledger.publicities])
    for v, record in enumerate(ledger.violations):
        leak = _leak_finding(f"violations[{v}]", record.channel)
        if not isinstance(leak, str):
            yield leak
    if not (
        ledger.check_item_lists
        or ledger.plans
        or ledger.draws
        or ledger.publications
        or ledger.publicities
        or ctx.finished_random
    ):
        yield not_applicable("R-PUBLIC", "台账中没有需要公开的内容", "nothing to publish")


def _disposition_known(problems: Problems, record: ViolationRecord, profile: Profile) -> None:
    """The decision must be one of the profile's open list; "other" (needs text) says what."""
    chosen = next((d for d in profile.dispositions if d.id == record.disposition), None)
    if chosen is None:
        known = ", ".join(d.id for d in profile.dispositions)
        problems.add(
            _V,
            f"违法违规记录 {record.id} 的处理决定 {record.disposition!r} 不在政策配置的清单中",
            f"violation {record.id}'s decision {record.disposition!r} is not in the profile's "
            f"list ({known})",
        )
    elif chosen.needs_text and not record.disposition_note:
        problems.add(
            _V,
            f"违法违规记录 {record.id} 的处理决定为“{chosen.name.zh}”，但未说明具体决定",
            f"violation {record.id}'s decision is '{chosen.name.en}' but does not say what it is",
        )


def disposition(ctx: Context) -> Iterator[Yield]:
    """R-DISPOSITION: each violation found has a decision, and the outcome is published."""
    violations = ctx.ledger.violations
    if not violations:
        yield not_applicable("R-DISPOSITION", "台账中没有违法违规记录", "no violation found")
        return
    for v, record in enumerate(violations):
        problems = Problems()
        if record.disposition is None:
            problems.add(
                _V,
                f"违法违规记录 {record.id} 未作出处理决定",
                f"no decision on violation {record.id}",
            )
        else:
            _disposition_known(problems, record, ctx.profile)
        if record.published is None:
            problems.add(
                _V,
                f"违法违规记录 {record.id} 的处理结果未在信用信息公示系统公示",
                f"the outcome of violation {record.id} was not published",
            )
        yield problems.result("R-DISPOSITION", f"violations[{v}]")


def _report_subjects(summary: SummaryReport) -> tuple[str, str]:
    if not summary.is_round:
        return (
            f"检查 {summary.inspection} 的总结报告",
            f"the summary report of {summary.inspection}",
        )
    name = summary.round or ", ".join(summary.inspections)
    return f"抽查轮次 {name} 的总结报告", f"the summary report of round {name}"


def report(ctx: Context) -> Iterator[Yield]:
    """R-REPORT: every finished random check is covered by a summary report — its own or its
    round's (Art. 14 "每次随机抽查结束后，形成随机抽查总结报告") — stating conclusion and handling
    opinion."""
    ledger = ctx.ledger
    inspections = ledger.inspections
    index = ctx.inspection_index
    seen = False
    for r, summary in enumerate(ledger.reports):
        if summary.inspection:
            # The report of one inspection, told apart without building lists.
            i = index.get(summary.inspection)
            if i is not None:
                if inspections[i].kind is not _RANDOM:
                    continue
                if summary.conclusion and summary.handling_opinion:
                    seen = True
                    yield f"reports[{r}]"
                    continue
        covered = ctx.covered_by(summary)
        known = [index[c] for c in covered if c in index]
        if known and all(inspections[i].kind is not _RANDOM for i in known):
            continue
        seen = True
        subject = f"reports[{r}]"
        missing_ids = [c for c in covered if c not in index]
        if missing_ids or not covered:
            yield finding(
                "R-REPORT",
                Outcome.UNKNOWN,
                subject,
                f"报告所指检查 {'、'.join(missing_ids) or summary.round} 不在台账中",
                f"the inspection(s) {', '.join(missing_ids) or summary.round} of this report "
                "are not in the ledger",
            )
            continue
        missing = [
            (en, zh)
            for en, zh, value in (
                ("conclusion", "检查结论", summary.conclusion),
                ("handling opinion", "处理意见", summary.handling_opinion),
            )
            if not value
        ]
        if not missing:
            yield subject
            continue
        name_zh, name_en = _report_subjects(summary)
        yield finding(
            "R-REPORT",
            _V,
            subject,
            f"{name_zh}缺少：{'、'.join(zh for _, zh in missing)}",
            f"{name_en} lacks: " + ", ".join(en for en, _ in missing),
        )
    reported = ctx.reported
    subjects = ctx.inspection_subjects
    for i in ctx.finished_random:
        inspection = inspections[i]
        seen = True
        if inspection.id in reported:
            yield subjects[i]
        else:
            yield finding(
                "R-REPORT",
                _V,
                subjects[i],
                f"随机抽查 {inspection.id} 已于 {inspection.finished} 结束，没有总结报告",
                f"random inspection {inspection.id} finished on {inspection.finished} without "
                "a summary report",
            )
    if not seen:
        yield not_applicable("R-REPORT", "台账中没有已结束的随机抽查", "no finished random check")


def _publicity_periods(ctx: Context) -> Iterator[Yield]:
    minimum = ctx.profile.publicity_min_days
    counting = ctx.profile.day_counting.value
    for p, period in enumerate(ctx.ledger.publicities):
        subject = f"publicities[{p}]"
        long_enough = ctx.publicity_long_enough(period.start, period.end)
        if long_enough:
            yield subject
        elif long_enough is None:
            yield finding(
                "R-PUBLICITY",
                Outcome.UNKNOWN,
                subject,
                f"按工作日计算公示期需要覆盖 {period.start} 至 {period.end} 的工作日历",
                f"counting working days needs a working-day calendar covering {period.start} "
                f"to {period.end}",
            )
        else:
            yield finding(
                "R-PUBLICITY",
                _V,
                subject,
                f"公示期 {period.start} 至 {period.end} 不足 {minimum} 天",
                f"publicity from {period.start} to {period.end} is shorter than {minimum} "
                f"{counting} days",
            )


def _feedback_timing(ctx: Context) -> Iterator[Yield]:
    publicities = ctx.ledger.publicities
    publicities_of = ctx.publicities_of
    for f, feedback in enumerate(ctx.ledger.feedback):
        covering = publicities_of.get(feedback.inspection)
        if not covering:
            continue
        subject = f"feedback[{f}]"
        day = feedback.dated
        fine = True
        for p in covering:
            period = publicities[p]
            earliest = ctx.earliest_feedback(period.start)
            if not (day > period.end and earliest is not None and day >= earliest):
                fine = False
                break
        if fine:
            yield subject
            continue
        problems = Problems()
        for p in covering:
            period = publicities[p]
            first = ctx.earliest_feedback(period.start)
            after_end = period.end + _ONE_DAY
            allowed = after_end if first is None else max(first, after_end)
            if day < period.start:
                problems.add(
                    _V,
                    f"反馈日 {day} 早于公示开始日 {period.start}（应当先公示后反馈），"
                    f"{allowed} 之前不得反馈",
                    f"feedback on {day} before the publicity started on {period.start} "
                    f"(publish first, then give feedback); not allowed before {allowed}",
                )
            elif day <= period.end:
                problems.add(
                    _V,
                    f"反馈日 {day} 在公示期内（{period.start} 至 {period.end}），"
                    f"{allowed} 之前不得反馈",
                    f"feedback on {day} while the publicity ran ({period.start} to {period.end}); "
                    f"not allowed before {allowed}",
                )
            else:
                earliest = ctx.earliest_feedback(period.start)
                if earliest is None:
                    problems.add(
                        Outcome.UNKNOWN,
                        "按工作日计算公示期需要工作日历",
                        "counting working days needs a working-day calendar",
                    )
                elif day < earliest:
                    problems.add(
                        _V,
                        f"公示自 {period.start} 开始，{earliest} 之前不得反馈",
                        f"feedback not allowed before {earliest}: publicity started {period.start}",
                    )
        yield problems.result("R-PUBLICITY", subject)


def _objections(ctx: Context) -> Iterator[Yield]:
    ledger = ctx.ledger
    feedback = ledger.feedback
    feedback_of = ctx.feedback_of
    for o, objection in enumerate(ledger.objections):
        subject = f"objections[{o}]"
        finished = objection.review_finished
        if finished is None:
            yield finding(
                "R-PUBLICITY",
                _V,
                subject,
                f"对检查 {objection.inspection} 的异议（{objection.opened} 提出）未经复查复核",
                f"the objection to {objection.inspection} raised on {objection.opened} was "
                "never reviewed",
            )
            continue
        late = [
            feedback[f].dated
            for f in feedback_of.get(objection.inspection, ())
            if objection.opened <= feedback[f].dated < finished
        ]
        if not late:
            yield subject
            continue
        yield finding(
            "R-PUBLICITY",
            _V,
            subject,
            f"异议复核于 {finished} 完成，晚于 {min(late)} 的反馈（应当先复核后反馈）",
            f"the review of the objection finished on {finished}, after the feedback of "
            f"{min(late)} (review before feedback)",
        )


def publicity(ctx: Context) -> Iterator[Yield]:
    """R-PUBLICITY: publicity >= the minimum, feedback after it ends, objections reviewed first."""
    ledger = ctx.ledger
    if not ledger.publicities and not ledger.objections:
        yield not_applicable(
            "R-PUBLICITY", "台账中没有公示和异议", "no publicity period and no objection"
        )
        return
    yield from _publicity_periods(ctx)
    yield from _feedback_timing(ctx)
    yield from _objections(ctx)
