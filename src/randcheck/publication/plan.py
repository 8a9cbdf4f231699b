"""The annual random-check plan (随机抽查计划) as a public table (Art. 8, 9)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from randcheck.domain import CheckItemList, Plan
from randcheck.publication._common import Settings
from randcheck.publication._document import Document, Table

__all__ = ["annual_plan"]


def _ratio(plan: Plan, settings: Settings) -> str:
    parts = []
    if plan.ratio is not None:
        percent = plan.ratio * 100
        shown = f"{float(percent):g}%"
        fraction = f"{plan.ratio.numerator}/{plan.ratio.denominator}"
        parts.append(f"{fraction}（{shown}）" if settings.lang == "zh" else f"{fraction} ({shown})")
    for stratum, ratio in plan.stratum_ratios:
        parts.append(f"{stratum}: {ratio.numerator}/{ratio.denominator}")
    return settings.joined(parts)


def annual_plan(
    plan: Plan, settings: Settings, item_lists: Sequence[CheckItemList] = ()
) -> Document:
    """``plan`` as a publication: the five contents Art. 9 requires (target scope, inspector
    requirements, sampling ratio and frequency, time of the checks, procedure) with its code,
    year, line, team size and dates as facts, and its check items as a table (their content
    from ``item_lists`` where given).

    Raises:
        TemplateProblem: a template is missing or broken.
    """
    windows = settings.joined(f"{w.start.isoformat()}–{w.end.isoformat()}" for w in plan.windows)
    facts = [
        (settings.label("plan"), plan.code),
        (settings.label("year"), str(plan.year)),
        (settings.label("line"), settings.line(plan.line)),
        (settings.label("scope"), plan.scope.description),
        (settings.label("requirements"), plan.inspector_requirements),
        (settings.label("ratio"), _ratio(plan, settings)),
        (settings.label("rounds"), "" if plan.rounds is None else str(plan.rounds)),
        (settings.label("windows"), windows),
        (settings.label("procedure"), plan.procedure),
        (settings.label("team_size"), str(plan.team_size)),
        (settings.label("submitted"), settings.day(plan.submitted)),
        (settings.label("published"), settings.day(plan.published)),
    ]
    known = {
        item.code: item
        for item_list in item_lists
        if item_list.line == plan.line
        for item in item_list.items
    }
    rows = []
    for code in plan.items:
        item = known.get(code)
        rows.append((code, item.content if item else "", item.inspecting_body if item else ""))
    table = Table(
        title=settings.label("items"),
        columns=[settings.label("code"), settings.label("content"), settings.label("body")],
        rows=rows,
    )
    month, day = settings.profile.plan_deadline
    deadline = date(plan.year - 1, month, day) if not plan.supplementary_ground else None
    context = {
        "code": plan.code,
        "year": plan.year,
        "line": settings.line(plan.line),
        "submitted": settings.day(plan.submitted),
        "deadline": settings.day(deadline),
        "supplementary": plan.supplementary_ground,
        "article": settings.article("R-PLAN-DEADLINE", "R-PLAN-FIELDS"),
    }
    return settings.document("plan", context, facts=facts, tables=[table])
