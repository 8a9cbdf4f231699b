"""The year's report (随机抽查总结报告) and the oversight office's statistics (Art. 4, 9, 14).

:func:`year_figures` computes the figures from a year's ledger (and, where given, the draw and
dispatch records, the full directory and earlier years' ledgers); :func:`annual_report` makes
them a publication with tables and, with the ``charts`` extra (matplotlib), inline SVG charts.
Every figure is defined in ``docs/publications.md``; in short:

- a **random inspection of the year** is a ledger inspection of kind ``random`` started in the
  ledger's year; a **targeted** one likewise; a joint inspection counts once for each of its
  lines in the table by line, once elsewhere;
- **drawn**: the selections of the ledger's draws (an enterprise drawn in two rounds counts
  twice); **not inspected**: the ledger's ``not_inspected`` records, by reason;
- **with violation**: a random inspection with at least one violation record; the **violation
  rate** of a group is that count over the group's random inspections;
- **days to feedback**: from an inspection's end (its start when no end is recorded) to its
  feedback; **days to publicity**: from its end to the start of the publicity batch naming it;
  **days to publication**: from a violation's decision to the publication of its disposition;
- **cross-district share**: of the seats on random inspections' teams, those held by an
  inspector whose district differs from the inspecting department's district (the
  enterprise's where the inspection records none);
- **coverage**: :func:`randcheck.validators.coverage_figures` (R-COVERAGE), over the full
  directory where it is given.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from fractions import Fraction
from typing import Any

import attrs

from randcheck.dispatch import DispatchRecord
from randcheck.domain import Enterprise
from randcheck.ledger import Inspection, InspectionKind, Ledger
from randcheck.profiles import Profile
from randcheck.publication._common import Settings
from randcheck.publication._document import Chart, Document, Table
from randcheck.sampling import DrawRecord
from randcheck.text import Text
from randcheck.validators import CoverageFigures, coverage_figures

__all__ = ["GroupFigures", "YearFigures", "annual_report", "year_figures"]


@attrs.frozen(kw_only=True)
class GroupFigures:
    """The figures of one group (a line, a district, a quarter or a class).

    ``directory`` is ``None`` where the directory is not split that way (lines, quarters).
    """

    directory: int | None
    drawn: int
    random: int
    enterprises: int
    not_inspected: int
    with_violation: int
    targeted: int

    @property
    def violation_rate(self) -> Fraction | None:
        """``with_violation / random`` (``None`` without random inspections)."""
        return Fraction(self.with_violation, self.random) if self.random else None


@attrs.frozen(kw_only=True)
class YearFigures:
    """Every figure of the year's report; see the module's definitions.

    ``by``: dimension (``"line"``, ``"district"``, ``"quarter"``, ``"class"``) → group →
    :class:`GroupFigures`; ``by_item``: item code → ``(random inspections, with violation)``;
    ``by_month``: month 1–12 → ``(random, targeted)``; ``not_inspected``: reason → count;
    ``dispositions``: disposition id (``""`` undecided) → count; ``objection_outcomes``:
    outcome text (``""`` pending) → count; day lists are per inspection or violation;
    ``recusals`` and ``cap_excluded`` are ``None`` when no dispatch or draw record was given;
    ``coverage_by_year``: year → share of the directory inspected that year.
    """

    year: int
    directory: int
    drawn: int
    random: int
    targeted: int
    violations: int
    by: dict[str, dict[str, GroupFigures]]
    by_item: dict[str, tuple[int, int]]
    by_month: dict[int, tuple[int, int]]
    not_inspected: dict[str, int]
    dispositions: dict[str, int]
    transfers: int
    publicity_batches: int
    objections: int
    reviews_finished: int
    objection_outcomes: dict[str, int]
    feedback: int
    days_to_feedback: tuple[int, ...]
    days_to_publicity: tuple[int, ...]
    days_to_publication: tuple[int, ...]
    recusals: int | None
    cap_excluded: int | None
    seats: int
    cross_district_seats: int
    inspectors: int
    coverage: CoverageFigures
    coverage_by_year: dict[int, Fraction | None]

    @property
    def cross_district_share(self) -> Fraction | None:
        """``cross_district_seats / seats`` (``None`` without seats)."""
        return Fraction(self.cross_district_seats, self.seats) if self.seats else None


_TRANSFERS = ("transfer-to-agency", "transfer-to-judiciary")


def _quarter(month: int) -> str:
    return f"Q{(month - 1) // 3 + 1}"


def year_figures(
    ledger: Ledger,
    profile: Profile,
    *,
    directory: Sequence[Enterprise] | None = None,
    draws: Iterable[DrawRecord] = (),
    dispatches: Iterable[DispatchRecord] = (),
    earlier: Sequence[Ledger] = (),
) -> YearFigures:
    """The figures of ``ledger``'s year.

    ``directory``: the full target directory (default: the ledger's enterprises);
    ``draws`` / ``dispatches``: the year's records, for enterprises excluded by the cap and
    recusals; ``earlier``: earlier years' ledgers, for coverage over years. Linear in the
    size of the inputs.
    """
    year = ledger.year
    people = list(directory) if directory is not None else list(ledger.enterprises)
    firms = {e.uscc: e for e in ledger.enterprises}
    firms.update((e.uscc, e) for e in people)
    scheme = profile.grading
    inspections = [x for x in ledger.inspections if x.started.year == year]
    random = [x for x in inspections if x.kind is InspectionKind.RANDOM]
    targeted = [x for x in inspections if x.kind is InspectionKind.TARGETED]
    violated = {v.inspection for v in ledger.violations}
    plan_line = {p.code: p.line for p in ledger.plans}
    draw_plan = {d.id: d.plan for d in ledger.draws}

    def district(uscc: str) -> str:
        firm = firms.get(uscc)
        return firm.district if firm is not None else "?"

    def grade(uscc: str) -> str:
        firm = firms.get(uscc)
        return profile.class_of(firm, scheme) if firm is not None else "?"

    by: dict[str, dict[str, dict[str, Any]]] = {}

    def bump(dimension: str, group: str, key: str, n: int = 1) -> None:
        cell = by.setdefault(dimension, {}).setdefault(group, Counter())
        cell[key] += n

    def groups_of(x: Inspection) -> list[tuple[str, str]]:
        month = x.started.month
        return [
            *(("line", line) for line in x.lines),
            ("district", district(x.enterprise)),
            ("quarter", _quarter(month)),
            ("class", grade(x.enterprise)),
        ]

    for line_def in profile.lines:
        by.setdefault("line", {}).setdefault(line_def.id, Counter())
    for d in profile.districts:
        by.setdefault("district", {}).setdefault(d.name, Counter())
    for q in range(1, 5):
        by.setdefault("quarter", {}).setdefault(f"Q{q}", Counter())
    for code in scheme.codes:
        by.setdefault("class", {}).setdefault(code, Counter())
    for e in people:
        bump("district", e.district, "directory")
        bump("class", profile.class_of(e, scheme), "directory")
    seen: dict[tuple[str, str], set[str]] = {}
    for x in random:
        for dimension, group in groups_of(x):
            bump(dimension, group, "random")
            seen.setdefault((dimension, group), set()).add(x.enterprise)
            if x.id in violated:
                bump(dimension, group, "with_violation")
    for (dimension, group), firms_seen in seen.items():
        bump(dimension, group, "enterprises", len(firms_seen))
    for x in targeted:
        for dimension, group in groups_of(x):
            bump(dimension, group, "targeted")
    drawn = 0
    for draw in ledger.draws:
        draw_line = plan_line.get(draw.plan, "?")
        when = draw.seed_fixed or draw.commitment_published
        for uscc in draw.selected:
            drawn += 1
            bump("line", draw_line, "drawn")
            bump("district", district(uscc), "drawn")
            bump("class", grade(uscc), "drawn")
            if when is not None:
                bump("quarter", _quarter(when.month), "drawn")
    for miss in ledger.not_inspected:
        bump("line", plan_line.get(draw_plan.get(miss.draw, ""), "?"), "not_inspected")
        bump("district", district(miss.enterprise), "not_inspected")
        bump("class", grade(miss.enterprise), "not_inspected")
        if miss.recorded is not None:
            bump("quarter", _quarter(miss.recorded.month), "not_inspected")

    split = {"district", "class"}
    figures = {
        dimension: {
            group: GroupFigures(
                directory=c["directory"] if dimension in split else None,
                drawn=c["drawn"],
                random=c["random"],
                enterprises=c["enterprises"],
                not_inspected=c["not_inspected"],
                with_violation=c["with_violation"],
                targeted=c["targeted"],
            )
            for group, c in groups.items()
        }
        for dimension, groups in by.items()
    }

    by_item: dict[str, list[int]] = {}
    for x in random:
        for item in x.items:
            cell = by_item.setdefault(item, [0, 0])
            cell[0] += 1
            cell[1] += x.id in violated
    by_month = {m: [0, 0] for m in range(1, 13)}
    for x in inspections:
        by_month[x.started.month][0 if x.kind is InspectionKind.RANDOM else 1] += 1

    ended = {x.id: x.finished or x.started for x in inspections}
    days_to_feedback = tuple(
        (f.dated - ended[f.inspection]).days for f in ledger.feedback if f.inspection in ended
    )
    first_publicity: dict[str, Any] = {}
    for p in ledger.publicities:
        for i in p.inspections:
            if i in ended and (i not in first_publicity or p.start < first_publicity[i]):
                first_publicity[i] = p.start
    days_to_publicity = tuple((start - ended[i]).days for i, start in first_publicity.items())
    days_to_publication = tuple(
        (v.published - v.decided).days
        for v in ledger.violations
        if v.published is not None and v.decided is not None
    )
    dispositions = Counter(v.disposition or "" for v in ledger.violations)
    outcomes = Counter(
        o.outcome if o.review_finished is not None else "" for o in ledger.objections
    )

    draw_list = list(draws)
    dispatch_list = list(dispatches)
    staff_district = {i.key: i.district for i in ledger.inspectors}
    seats = cross = 0
    involved: set[str] = set()
    for x in inspections:
        involved.update(x.team)
    for x in random:
        own = x.department_district or district(x.enterprise)
        for member in x.team:
            seats += 1
            cross += staff_district.get(member, own) != own

    scoped = attrs.evolve(ledger, enterprises=tuple(people)) if directory is not None else ledger
    coverage = coverage_figures(scoped, profile, earlier)
    coverage_by_year: dict[int, Fraction | None] = {}
    listed = {e.uscc for e in people}
    for past in earlier:
        checked = {x.enterprise for x in past.inspections if x.started.year == past.year}
        coverage_by_year[past.year] = (
            Fraction(len(checked & listed), len(listed)) if listed else None
        )
    coverage_by_year[year] = coverage.share

    return YearFigures(
        year=year,
        directory=len(people),
        drawn=drawn,
        random=len(random),
        targeted=len(targeted),
        violations=len(ledger.violations),
        by=figures,
        by_item={k: (v[0], v[1]) for k, v in sorted(by_item.items())},
        by_month={m: (v[0], v[1]) for m, v in by_month.items()},
        not_inspected=dict(Counter(m.reason for m in ledger.not_inspected)),
        dispositions=dict(dispositions),
        transfers=sum(dispositions[d] for d in _TRANSFERS),
        publicity_batches=len(ledger.publicities),
        objections=len(ledger.objections),
        reviews_finished=sum(o.review_finished is not None for o in ledger.objections),
        objection_outcomes=dict(outcomes),
        feedback=len(ledger.feedback),
        days_to_feedback=days_to_feedback,
        days_to_publicity=days_to_publicity,
        days_to_publication=days_to_publication,
        recusals=sum(len(r.recusals) for r in dispatch_list) if dispatch_list else None,
        cap_excluded=sum(r.commitment.cap_reached for r in draw_list) if draw_list else None,
        seats=seats,
        cross_district_seats=cross,
        inspectors=len(involved),
        coverage=coverage,
        coverage_by_year=dict(sorted(coverage_by_year.items())),
    )


# --- the publication ------------------------------------------------------------------------


def _percent(value: Fraction | None) -> str:
    return "—" if value is None else f"{float(value) * 100:.1f}%"


def _days(values: Sequence[int], lang: str) -> str:
    if not values:
        return "—"
    median = statistics.median(values)
    shown = f"{median:g}"
    if lang == "zh":
        return (
            f"中位数 {shown} 天，最短 {min(values)} 天，最长 {max(values)} 天（{len(values)} 项）"
        )
    return f"median {shown} days, min {min(values)}, max {max(values)} ({len(values)})"


_GROUP_LABELS = {
    "line": Text(zh="按条线", en="by line"),
    "district": Text(zh="按区", en="by district"),
    "quarter": Text(zh="按季度", en="by quarter"),
    "class": Text(zh="按守法诚信等级", en="by class"),
}

_COLUMNS = {
    "group": Text(zh="分组", en="group"),
    "directory": Text(zh="名录企业数", en="directory"),
    "drawn": Text(zh="抽中", en="drawn"),
    "random": Text(zh="随机抽查次数", en="random inspections"),
    "enterprises": Text(zh="检查企业数", en="enterprises inspected"),
    "not_inspected": Text(zh="未检查", en="not inspected"),
    "with_violation": Text(zh="发现违法的检查", en="with violation"),
    "rate": Text(zh="违法率", en="violation rate"),
    "targeted": Text(zh="针对性检查", en="targeted"),
    "item": Text(zh="抽查事项", en="check item"),
    "count": Text(zh="数量", en="count"),
    "reason": Text(zh="原因", en="reason"),
    "disposition": Text(zh="处理决定", en="disposition"),
    "outcome": Text(zh="复查复核结果", en="review outcome"),
    "figure": Text(zh="指标", en="figure"),
    "value": Text(zh="数值", en="value"),
    "year": Text(zh="年度", en="year"),
    "share": Text(zh="覆盖率", en="share inspected"),
    "plan": Text(zh="抽查计划", en="plan"),
    "strata": Text(zh="未抽中的层", en="strata never drawn"),
}


def _group_name(dimension: str, group: str, settings: Settings) -> str:
    if dimension == "line":
        return settings.line(group)
    if dimension == "quarter":
        if settings.lang == "zh":
            return {"Q1": "第一季度", "Q2": "第二季度", "Q3": "第三季度", "Q4": "第四季度"}[group]
        return group
    if dimension == "class":
        cls = settings.profile.grading.get(group)
        return f"{group} {settings.t(cls.name)}" if cls is not None else group
    return group


def _reason_name(reason: str, lang: str) -> str:
    from randcheck.ledger import NotInspectedReason

    try:
        value = NotInspectedReason(reason)
    except ValueError:
        return reason
    return value.zh if lang == "zh" else value.value


def _tables(f: YearFigures, settings: Settings) -> list[Table]:
    c: Callable[[str], str] = lambda key: settings.t(_COLUMNS[key])  # noqa: E731
    tables = []
    keys = ("directory", "drawn", "random", "enterprises", "not_inspected", "with_violation")
    for dimension in ("line", "district", "quarter", "class"):
        rows = []
        for group, g in f.by.get(dimension, {}).items():
            rows.append(
                (
                    _group_name(dimension, group, settings),
                    "—" if g.directory is None else str(g.directory),
                    str(g.drawn),
                    str(g.random),
                    str(g.enterprises),
                    str(g.not_inspected),
                    str(g.with_violation),
                    _percent(g.violation_rate),
                    str(g.targeted),
                )
            )
        tables.append(
            Table(
                title=settings.t(_GROUP_LABELS[dimension]),
                columns=[c("group"), *(c(k) for k in keys), c("rate"), c("targeted")],
                rows=rows,
            )
        )
    tables.append(
        Table(
            title=settings.t(Text(zh="各抽查事项违法率", en="violation rate per item")),
            columns=[c("item"), c("random"), c("with_violation"), c("rate")],
            rows=[
                (item, str(n), str(v), _percent(Fraction(v, n) if n else None))
                for item, (n, v) in f.by_item.items()
            ],
        )
    )
    tables.append(
        Table(
            title=settings.t(Text(zh="处理决定", en="dispositions")),
            columns=[c("disposition"), c("count")],
            rows=[
                (settings.disposition(d or None) if d else settings.label("none"), str(n))
                for d, n in sorted(f.dispositions.items())
            ],
        )
    )
    tables.append(
        Table(
            title=settings.t(Text(zh="未检查原因", en="not inspected, by reason")),
            columns=[c("reason"), c("count")],
            rows=[
                (_reason_name(r, settings.lang), str(n)) for r, n in sorted(f.not_inspected.items())
            ],
        )
    )
    pending = settings.t(Text(zh="复查复核中", en="review pending"))
    tables.append(
        Table(
            title=settings.t(Text(zh="异议与复查复核", en="objections and reviews")),
            columns=[c("outcome"), c("count")],
            rows=[(o or pending, str(n)) for o, n in sorted(f.objection_outcomes.items())],
        )
    )
    tables.append(
        Table(
            title=settings.t(Text(zh="覆盖面（逐年）", en="coverage over years")),
            columns=[c("year"), c("share")],
            rows=[(str(y), _percent(s)) for y, s in f.coverage_by_year.items()],
        )
    )
    tables.append(
        Table(
            title=settings.t(Text(zh="从未抽中的层", en="strata never drawn")),
            columns=[c("plan"), c("strata")],
            rows=[(p, settings.joined(s)) for p, s in sorted(f.coverage.unsampled.items())],
        )
    )
    return tables


def _facts(f: YearFigures, settings: Settings) -> list[tuple[str, str]]:
    def t(zh: str, en: str) -> str:
        return settings.t(Text(zh=zh, en=en))

    given = t("未提供", "not given")
    cov = f.coverage
    return [
        (t("年度", "year"), str(f.year)),
        (t("名录企业数", "directory"), str(f.directory)),
        (t("抽中（次）", "drawn (selections)"), str(f.drawn)),
        (t("随机抽查（次）", "random inspections"), str(f.random)),
        (t("针对性检查（次）", "targeted inspections"), str(f.targeted)),
        (t("未检查（户次）", "drawn but not inspected"), str(sum(f.not_inspected.values()))),
        (t("发现违法违规（起）", "violations found"), str(f.violations)),
        (t("移送（起）", "transfers"), str(f.transfers)),
        (t("公示批次", "publicity batches"), str(f.publicity_batches)),
        (t("异议（件）", "objections"), str(f.objections)),
        (t("复查复核完成（件）", "reviews finished"), str(f.reviews_finished)),
        (t("反馈（次）", "feedback given"), str(f.feedback)),
        (
            t("检查结束至反馈天数", "days from inspection to feedback"),
            _days(f.days_to_feedback, settings.lang),
        ),
        (
            t("检查结束至公示天数", "days from inspection to publicity"),
            _days(f.days_to_publicity, settings.lang),
        ),
        (
            t("处理决定至公开天数", "days from decision to publication"),
            _days(f.days_to_publication, settings.lang),
        ),
        (t("回避（人次）", "recusals"), given if f.recusals is None else str(f.recusals)),
        (
            t("因年度上限排除的企业（户次）", "enterprises excluded by the cap"),
            given if f.cap_excluded is None else str(f.cap_excluded),
        ),
        (
            t("跨区执法人员占比", "cross-district share of seats"),
            f"{_percent(f.cross_district_share)} ({f.cross_district_seats}/{f.seats})",
        ),
        (t("参与检查的执法人员（人）", "inspectors involved"), str(f.inspectors)),
        (
            t("当年检查覆盖（户）", "enterprises inspected in the year"),
            f"{cov.checked}/{cov.directory} ({_percent(cov.share)})",
        ),
        (
            t("多年累计覆盖（户）", "inspected over the years given"),
            f"{cov.checked_over_years}/{cov.directory} ({_percent(cov.share_over_years)})",
        ),
        (
            t("检查次数超过阈值的企业（户）", "enterprises over the inspection threshold"),
            str(len(cov.over_threshold)),
        ),
    ]


def annual_report(figures: YearFigures, settings: Settings, *, charts: bool = True) -> Document:
    """The year's report of ``figures``: an overview of facts, the tables by line, district,
    quarter and class, per item, dispositions, reasons not inspected, objections and
    coverage, and (``charts``, with matplotlib installed) charts of inspections by month,
    the violation rate by class and coverage over years. Without matplotlib the report says
    the charts are unavailable.

    Raises:
        TemplateProblem: a template is missing or broken.
    """
    from randcheck.publication import _charts

    made: list[Chart] = []
    note = ""
    if charts:
        made, note = _charts.charts(figures, settings)
    else:
        note = settings.t(Text(zh="未要求生成图表", en="charts not requested"))
    context = {
        "year": figures.year,
        "directory": figures.directory,
        "drawn": figures.drawn,
        "random": figures.random,
        "targeted": figures.targeted,
        "violations": figures.violations,
        "share": _percent(figures.coverage.share),
        "charts": any(chart.svg for chart in made),
        "charts_note": note,
        "article": settings.article("R-REPORT", "R-COVERAGE"),
    }
    document = settings.document(
        "report", context, facts=_facts(figures, settings), tables=_tables(figures, settings)
    )
    return attrs.evolve(document, charts=tuple(made))
