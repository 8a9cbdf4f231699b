"""A simulated lawful year of 双随机一公开 work in a Tianjin-like district, from one seed.

:func:`simulate` builds the synthetic directories of :mod:`randcheck.demo.synthetic` and runs a
whole year through the library, the way a bureau would, so that ``randcheck demo`` can show
every step and the audit can check every rule against real records:

* the check-item lists of the labour-inspection and social-insurance lines are published two
  weeks before they take effect (and next year's labour list in December); the year's plans
  are submitted on 20 November of the previous year and published on the 25th;
* four draws, each frame committed and published before its seed is fixed: labour
  inspection round 1 (April-June); a social-insurance joint check of one in twenty of round 1's
  targets, done in the same visit (Art. 11); a social-insurance round of its own (July-August);
  labour inspection round 2 (September-November) — the last two with the random checks so far
  as history, so that no enterprise is drawn past the yearly cap (Art. 10);
* a dispatch per draw (recusal, team size, districts, load) and one inspection per team, on a
  day of the window; a few targeted inspections on complaints, with their ground (Art. 9);
* a summary report per inspection; violations found in about one in seventeen, each with a
  disposition published on the credit system (Art. 13); results under publicity in weekly
  batches for seven days, objections raised and reviewed within that period, feedback by the
  inspecting team after it (Art. 14); publication records of the lists, plans, draws and
  results, with inspectors' identity numbers masked (Art. 3).

Every choice — which day, which items, who objects, what is found — is SHA-256 over the tag
``randcheck-simulation-v1``, a purpose, the seed and stable ids (:mod:`randcheck.hashing`):
the same seed gives the same year, byte for byte, on every machine.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, time, timedelta, timezone
from fractions import Fraction
from typing import Final

import attrs

from randcheck.calendars import ExplicitCalendar, WorkingDayCalendar
from randcheck.demo import synthetic
from randcheck.dispatch import (
    DispatchRecord,
    PoolCommitment,
    PoolSalt,
    commit_pool,
    dispatch_from_pool,
    salt_pool,
)
from randcheck.domain import (
    CheckItemList,
    Conflict,
    Enterprise,
    Inspector,
    Line,
    Plan,
    Scope,
    TimeWindow,
)
from randcheck.errors import ValidationError
from randcheck.hashing import encode_fields, hash_fields
from randcheck.ids import mask_inspector_key, mask_personal_data
from randcheck.ledger import (
    CommitmentEntry,
    DispatchEntry,
    Disposition,
    DrawEntry,
    Feedback,
    FeedbackMode,
    Inspection,
    InspectionKind,
    Ledger,
    Objection,
    Publication,
    PublicationKind,
    Publicity,
    SummaryReport,
    TargetedGround,
    ViolationRecord,
)
from randcheck.profiles import TIANJIN_HRSS, Profile, RecusalPairs
from randcheck.rules import RecusalIndex, qualification_problem
from randcheck.sampling import (
    Commitment,
    DrawRecord,
    Frame,
    Seed,
    build_frame,
    commit,
    draw,
    random_checks_in_year,
)

__all__ = [
    "CHINA_STANDARD_TIME",
    "DEMO_SEED",
    "DEMO_YEAR",
    "JOINT",
    "LABOUR_1",
    "LABOUR_2",
    "SEED_SOURCE",
    "SOCIAL",
    "STEPS",
    "DemoDirectory",
    "DrawStep",
    "SimulatedYear",
    "demo_calendar",
    "demo_directory",
    "simulate",
    "simulate_year",
]


def demo_calendar(year: int) -> ExplicitCalendar:
    """The demo's own working-day calendar for ``year - 1`` to ``year + 1``: Monday to Friday,
    less the statutory holidays that fall on fixed dates (全国年节及纪念日放假办法, 2025: 1
    January; 1-2 May; 1-3 October). The lunar holidays and the weekend days worked in exchange
    (调休) are announced year by year and are not in it: the demo is a simulation, and this
    calendar is its stated assumption, not holiday data for a real year.
    """
    fixed = ((1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3))
    years = (year - 1, year, year + 1)
    return ExplicitCalendar(
        years=years, holidays=[date(y, month, day) for y in years for month, day in fixed]
    )


DEMO_SEED: Final = "randcheck-demo"
"""The seed of ``randcheck demo`` when none is given."""

DEMO_YEAR: Final = 2027
"""The year ``randcheck demo`` simulates when none is given."""

SEED_SOURCE: Final = (
    "randcheck demo --seed（演示种子 demo seed; 正式抽取应在承诺公布后取公开随机数，如彩票开奖号码 "
    "/ a real draw takes public random numbers fixed after the commitment, e.g. lottery results）"
)
"""The source recorded with every seed of the simulated year."""

CHINA_STANDARD_TIME: Final = timezone(timedelta(hours=8), "CST")

_TAG: Final = "randcheck-simulation-v1"
_PORTAL: Final = "天津市人力资源和社会保障局门户网站"
_CREDIT: Final = "国家企业信用信息公示系统（天津）"
_BUREAU: Final = "天津市人力资源和社会保障局"

LABOUR_1: Final = "labour-1"
JOINT: Final = "joint"
SOCIAL: Final = "social"
LABOUR_2: Final = "labour-2"
STEPS: Final = (LABOUR_1, JOINT, SOCIAL, LABOUR_2)
"""The keys of the year's draws, in the order they are made."""


def _number(seed: str, purpose: str, *fields: str) -> int:
    return hash_fields(_TAG, purpose, seed, *fields)


# --- the directory of the year --------------------------------------------------------------


@attrs.frozen(kw_only=True)
class DemoDirectory:
    """The synthetic inputs of a simulated year: directories, conflicts, lists and plans.

    ``labour_plan`` has two rounds (April-June, September-November); ``joint_plan`` samples
    one in twenty of labour round 1's targets for a social-insurance check done in the same
    visit; ``social_plan`` is a social-insurance round of its own in July and August.
    """

    year: int
    seed: str
    enterprises: tuple[Enterprise, ...]
    inspectors: tuple[Inspector, ...]
    conflicts: tuple[Conflict, ...]
    check_item_lists: tuple[CheckItemList, ...]
    labour_plan: Plan
    joint_plan: Plan
    social_plan: Plan

    @property
    def plans(self) -> tuple[Plan, Plan, Plan]:
        """The year's plans: labour, joint, social."""
        return (self.labour_plan, self.joint_plan, self.social_plan)


def _positive(name: str, value: int, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValidationError(field=name, expected=f"an integer >= {minimum}", got=value)


def demo_directory(
    *,
    seed: str = DEMO_SEED,
    year: int = DEMO_YEAR,
    enterprises: int = 20_000,
    inspectors: int = 300,
) -> DemoDirectory:
    """The built-in Tianjin-like directory of a simulated year (:mod:`randcheck.demo.synthetic`).

    Raises:
        ValidationError: a count is too small for a year of work (fewer than 200 enterprises
            or 60 inspectors) or the seed is not a string.
    """
    if not isinstance(seed, str) or not seed:
        raise ValidationError(field="seed", expected="a non-empty string", got=seed)
    _positive("enterprises", enterprises, 200)
    _positive("inspectors", inspectors, 60)
    _positive("year", year, 2000)
    directory = tuple(synthetic.enterprises(enterprises, seed=seed))
    staff = tuple(synthetic.inspectors(inspectors, seed=seed, year=year))
    conflicts = tuple(synthetic.conflicts(staff, directory, seed=seed))
    labour = Line.LABOUR_INSPECTION
    social = Line.SOCIAL_INSURANCE_AUDIT
    labour_list = synthetic.demo_check_item_list(labour, effective=date(year, 1, 1))
    social_list = synthetic.demo_check_item_list(social, effective=date(year, 1, 1))
    next_list = synthetic.demo_check_item_list(labour, effective=date(year + 1, 1, 1))
    labour_plan = synthetic.demo_plan(year, labour, items=labour_list)
    social_base = synthetic.demo_plan(year, social, items=social_list)
    joint_plan = attrs.evolve(
        social_base,
        code=f"{social_base.code}-LH",
        items=("SB-01",),
        scope=Scope(
            description=f"{year}年劳动保障监察第1轮随机抽中的用人单位（联合抽查，与劳动保障监察一次性完成）"
        ),
        ratio=Fraction(1, 20),
        rounds=1,
        windows=(labour_plan.windows[0],),
        strata=(),
        min_one_per_stratum=True,
        procedure=(
            "从劳动保障监察第1轮抽中的对象中随机抽取，随机选派稽核人员，与劳动保障监察同日一次性"
            "完成检查，形成总结报告，结果公示不少于七天后反馈"
        ),
    )
    social_plan = attrs.evolve(
        social_base,
        items=("SB-01", "SB-02"),
        ratio=Fraction(1, 25),
        rounds=1,
        windows=(TimeWindow(start=date(year, 7, 1), end=date(year, 8, 20)),),
    )
    return DemoDirectory(
        year=year,
        seed=seed,
        enterprises=directory,
        inspectors=staff,
        conflicts=conflicts,
        check_item_lists=(labour_list, social_list, next_list),
        labour_plan=labour_plan,
        joint_plan=joint_plan,
        social_plan=social_plan,
    )


# --- draws and dispatches --------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class DrawStep:
    """One draw of the year with its dispatch: what went in and what came out.

    ``population`` is the directory the frame was built from (the whole directory, or labour
    round 1's targets for the joint check); ``history`` the random checks per enterprise
    counted before the frame (only enterprises with at least one).
    """

    key: str
    title_zh: str
    title_en: str
    plan: Plan
    round: int
    window: TimeWindow
    population: tuple[Enterprise, ...] = attrs.field(eq=False, repr=False)
    history: dict[str, int] = attrs.field(eq=False, repr=False)
    frame: Frame = attrs.field(repr=False)
    commitment: Commitment
    record: DrawRecord = attrs.field(repr=False)
    pool: PoolCommitment = attrs.field(repr=False)
    pool_salt: PoolSalt | None = attrs.field(repr=False)
    dispatch: DispatchRecord = attrs.field(repr=False)

    @property
    def public_seed(self) -> Seed:
        """The seed of the draw, with its source and when it was fixed."""
        return self.record.seed


@attrs.frozen
class _Spec:
    key: str
    title_zh: str
    title_en: str
    plan: Plan
    round: int
    commit_days_before: int


def _draw_seed(seed: str, plan: Plan, round_number: int) -> str:
    return f"{seed} / {plan.code} / round {round_number}"


def _demo_master_salt(seed: str, key: str) -> str:
    # A real master salt is 32 random bytes (salt_pool's default); the demo derives it from
    # its seed so that the same command writes the same files.
    return hashlib.sha256(encode_fields(["randcheck-demo-salt", seed, key])).hexdigest()


def _run_draw(
    spec: _Spec,
    population: tuple[Enterprise, ...],
    history: dict[str, int],
    directory: DemoDirectory,
    profile: Profile,
) -> DrawStep:
    window = spec.plan.windows[spec.round - 1]
    frame = build_frame(population, spec.plan, profile, history=history, round=spec.round)
    published = datetime.combine(
        window.start - timedelta(days=spec.commit_days_before), time(9), CHINA_STANDARD_TIME
    )
    commitment = commit(frame, published=published)
    # The seed becomes known the evening after the commitment is published.
    fixed = published + timedelta(days=1, hours=12, minutes=30)
    public = _draw_seed(directory.seed, spec.plan, spec.round)
    record = draw(frame, commitment, Seed(value=public, source=SEED_SOURCE, fixed=fixed))
    # The pool commitment is published the morning after the draw, the dispatch seed fixed
    # that evening (commit before seed).
    pool_published = fixed + timedelta(hours=11, minutes=30)
    pool = commit_pool(
        record,
        directory.inspectors,
        directory.conflicts,
        spec.plan,
        on=window.start,
        published=pool_published,
    )
    pool_salt = None
    if profile.team.recusal_pairs is RecusalPairs.SALTED:
        pool, pool_salt = salt_pool(pool, _demo_master_salt(directory.seed, spec.key))
    teams = dispatch_from_pool(
        record,
        population,
        pool,
        spec.plan,
        profile,
        seed=f"{public} / dispatch",
        seed_source=SEED_SOURCE,
        seed_fixed=pool_published + timedelta(hours=12, minutes=30),
        salt=pool_salt,
    )
    return DrawStep(
        key=spec.key,
        title_zh=spec.title_zh,
        title_en=spec.title_en,
        plan=spec.plan,
        round=spec.round,
        window=window,
        population=population,
        history=history,
        frame=frame,
        commitment=commitment,
        record=record,
        pool=pool,
        pool_salt=pool_salt,
        dispatch=teams,
    )


# --- inspections and what follows them ---------------------------------------------------------

_LABOUR_CORE: Final = ("LS-01", "LS-02", "LS-03")
_LABOUR_EXTRA: Final = ("LS-04", "LS-05", "LS-06")

_FINDINGS: Final = {
    "LS-01": "未依法与劳动者订立书面劳动合同",
    "LS-02": "未按时足额支付劳动者工资",
    "LS-03": "安排劳动者延长工作时间超过法定标准且未支付加班费",
    "LS-04": "招用未满十六周岁的未成年人",
    "LS-05": "安排孕期女职工从事禁忌劳动",
    "LS-06": "未依法为全部职工参加社会保险",
    "SB-01": "少报社会保险缴费基数",
    "SB-02": "未为新招用职工办理社会保险登记",
}

_OPINIONS: Final = {
    Disposition.NONE: "已当场改正，不予处理",
    Disposition.ORDER_TO_RECTIFY: "责令限期改正",
    Disposition.ADMINISTRATIVE_PENALTY: "依法立案查处，给予行政处罚",
    Disposition.TRANSFER_TO_AGENCY: "移送相关行政机关处理",
    Disposition.TRANSFER_TO_JUDICIARY: "涉嫌犯罪，移送司法机关",
}

_DISPOSITION_BY_TWENTIETH: Final = (
    (Disposition.ORDER_TO_RECTIFY,) * 13
    + (Disposition.ADMINISTRATIVE_PENALTY,) * 4
    + (Disposition.TRANSFER_TO_AGENCY, Disposition.TRANSFER_TO_JUDICIARY, Disposition.NONE)
)

_VIOLATION_PER_HUNDRED: Final = 6


Found = tuple[str, Disposition] | None
"""What an inspection found: nothing, or a violation's description and the decision on it."""


def _found(seed: str, inspection: Inspection) -> Found:
    h = _number(seed, "finding", inspection.id)
    if h % 100 >= _VIOLATION_PER_HUNDRED:
        return None
    h //= 100
    item = inspection.items[h % len(inspection.items)]
    h //= len(inspection.items)
    return _FINDINGS[item], _DISPOSITION_BY_TWENTIETH[h % 20]


def _step_inspections(
    step: DrawStep, seed: str, days: Mapping[str, tuple[date, date]] | None
) -> list[Inspection]:
    """One inspection per team of ``step``; ``days`` fixes the days (joint visits)."""
    window = step.window
    span = max(1, (window.end - window.start).days - 14)
    planned = []
    for team in step.dispatch.current_teams():
        if days is not None:
            started, finished = days[team.enterprise]
        else:
            h = _number(seed, "inspection-day", step.key, team.enterprise)
            started = window.start + timedelta(days=h % span)
            finished = started + timedelta(days=(h // span) % 3)
        planned.append((started, team.enterprise, finished, tuple(team.members)))
    planned.sort()
    line = step.plan.line
    draw_id, dispatch_id = step.record.digest(), step.dispatch.digest()
    inspections = []
    for k, (started, enterprise, finished, members) in enumerate(planned, start=1):
        if step.key in (LABOUR_1, LABOUR_2):
            h = _number(seed, "items", step.key, enterprise)
            items: tuple[str, ...] = (*_LABOUR_CORE, _LABOUR_EXTRA[h % len(_LABOUR_EXTRA)])
            unit = f"劳动保障监察第{step.round}轮第{k}检查组"
        elif step.key == JOINT:
            items = ("SB-01",)
            unit = f"社会保险稽核联合检查第{k}组"
        else:
            items = ("SB-01", "SB-02")
            unit = f"社会保险稽核第{k}组"
        inspections.append(
            Inspection(
                id=f"{step.plan.code}-{step.round}-{k:04d}",
                enterprise=enterprise,
                lines=(line,),
                items=items,
                team=members,
                unit=unit,
                started=started,
                finished=finished,
                kind=InspectionKind.RANDOM,
                draw=draw_id,
                dispatch=dispatch_id,
            )
        )
    return inspections


def _joint_visit_id(year: int, enterprise: str) -> str:
    return f"LH-{year}-{enterprise}"


def _targeted(directory: DemoDirectory, seed: str) -> list[Inspection]:
    """A few inspections on complaints (Art. 9: 投诉举报), each by a team of the district."""
    year = directory.year
    recusals = RecusalIndex.build(directory.inspectors, directory.conflicts)
    complained = [e for e in directory.enterprises if e.risk.complaints_12m >= 3] or [
        e for e in directory.enterprises if e.risk.complaints_12m >= 1
    ]
    complained.sort(key=lambda e: (_number(seed, "complaint", e.uscc), e.uscc))
    result = []
    for k, (enterprise, month) in enumerate(zip(complained, (3, 7, 10), strict=False), start=1):
        h = _number(seed, "complaint-day", enterprise.uscc)
        started = date(year, month, 5 + h % 20)
        eligible = [
            x
            for x in directory.inspectors
            if qualification_problem(x, Line.LABOUR_INSPECTION, started) is None
            and not recusals.must_recuse(x, enterprise.uscc)
        ]
        local = [x for x in eligible if x.district == enterprise.district]
        pool = local if len(local) >= 2 else eligible
        pool.sort(key=lambda x: (_number(seed, "complaint-team", enterprise.uscc, x.key), x.key))
        if len(pool) < 2:
            continue
        result.append(
            Inspection(
                id=f"TJ-LS-{year}-T-{k:03d}",
                enterprise=enterprise.uscc,
                lines=(Line.LABOUR_INSPECTION,),
                items=("LS-02",),
                team=tuple(sorted(x.key for x in pool[:2])),
                unit=f"{enterprise.district}劳动保障监察大队",
                started=started,
                finished=started + timedelta(days=1),
                kind=InspectionKind.TARGETED,
                ground=TargetedGround.COMPLAINT_REPORT,
                ground_reference=f"津人社投诉〔{year}〕{k:03d}号",
                suspicion="投诉反映拖欠劳动者工资",
            )
        )
    return result


@attrs.define
class _FollowUp:
    """The records that follow the inspections, built step by step."""

    reports: list[SummaryReport] = attrs.Factory(list)
    violations: list[ViolationRecord] = attrs.Factory(list)
    publicities: list[Publicity] = attrs.Factory(list)
    objections: list[Objection] = attrs.Factory(list)
    feedback: list[Feedback] = attrs.Factory(list)
    publications: list[Publication] = attrs.Factory(list)


_NOTHING_FOUND: Final = "未发现违法违规行为"


def _report(follow: _FollowUp, seed: str, inspection: Inspection, finished: date) -> Found:
    found = _found(seed, inspection)
    if found is None:
        conclusion, opinion = _NOTHING_FOUND, "无需处理，予以归档"
    else:
        description, disposition = found
        conclusion, opinion = f"发现违法违规行为：{description}", _OPINIONS[disposition]
        h = _number(seed, "decision", inspection.id)
        decided = finished + timedelta(days=3 + h % 5)
        follow.violations.append(
            ViolationRecord(
                id=f"WF-{inspection.id}",
                inspection=inspection.id,
                description=description,
                disposition=disposition,
                decided=decided,
                published=decided + timedelta(days=2),
                channel=_CREDIT,
            )
        )
    follow.reports.append(
        SummaryReport(
            inspection=inspection.id,
            conclusion=conclusion,
            handling_opinion=opinion,
            dated=finished,
        )
    )
    return found


def _publicize(
    follow: _FollowUp,
    step: DrawStep,
    inspections: Sequence[Inspection],
    seed: str,
    profile: Profile,
    calendar: WorkingDayCalendar | None,
    names: Mapping[str, str],
    directory: Mapping[str, Enterprise],
) -> None:
    """Reports, findings, weekly publicity batches, objections, feedback and the results."""
    conclusions: dict[str, str] = {}
    batches: dict[date, list[Inspection]] = {}
    for inspection in inspections:
        assert inspection.finished is not None
        found = _report(follow, seed, inspection, inspection.finished)
        conclusions[inspection.id] = (
            _NOTHING_FOUND if found is None else f"{found[0]}，{found[1].zh}"
        )
        monday = inspection.finished - timedelta(days=inspection.finished.weekday())
        batches.setdefault(monday, []).append(inspection)
    count = max(1, len(inspections) // 100) if step.key != JOINT else 0
    objecting = set(
        sorted(inspections, key=lambda x: (_number(seed, "objection", x.id), x.id))[:count]
    )
    line = step.plan.line
    given: list[date] = []
    for n, monday in enumerate(sorted(batches), start=1):
        members = batches[monday]
        start = monday + timedelta(days=7)
        end = profile.publicity_end(start, calendar)
        follow.publicities.append(
            Publicity(
                id=f"GS-{step.plan.code}-{step.round}-{n:02d}",
                inspections=tuple(x.id for x in members),
                start=start,
                end=end,
                channel=_PORTAL,
                text=(
                    f"{Line(line).zh}随机抽查结果公示（{step.plan.code} 第{step.round}轮第{n}批，"
                    f"共{len(members)}户），公示期{start}至{end}；对检查结果有异议的，"
                    f"可在公示期内向{_BUREAU}提出"
                ),
            )
        )
        for inspection in members:
            h = _number(seed, "feedback", inspection.id)
            if inspection in objecting:
                opened = start + timedelta(days=1 + h % 3)
                upheld = "检查结论" if conclusions[inspection.id] == _NOTHING_FOUND else "处理意见"
                follow.objections.append(
                    Objection(
                        id=f"YY-{inspection.id}",
                        inspection=inspection.id,
                        opened=opened,
                        review_finished=min(end, opened + timedelta(days=2)),
                        outcome=f"经复查复核，维持原{upheld}",
                    )
                )
            dated = end + timedelta(days=1 + (h >> 8) % 3)
            given.append(dated)
            follow.feedback.append(
                Feedback(
                    inspection=inspection.id,
                    dated=dated,
                    mode=FeedbackMode.IN_PERSON if (h >> 16) % 3 == 0 else FeedbackMode.WRITTEN,
                    issued_by=inspection.unit,
                )
            )
    lines = [
        f"{Line(line).zh}随机抽查结果（{step.plan.code} 第{step.round}轮，共{len(inspections)}户）"
    ]
    for inspection in inspections:
        enterprise = directory[inspection.enterprise]
        team = "、".join(
            f"{names.get(key, '')}（{mask_inspector_key(key)}）" for key in inspection.team
        )
        lines.append(
            f"{inspection.enterprise} {enterprise.name}：{conclusions[inspection.id]}；"
            f"检查人员 {team}"
        )
    follow.publications.append(
        Publication(
            id=f"GK-JG-{step.plan.code}-{step.round}",
            kind=PublicationKind.RESULTS,
            subjects=tuple(x.id for x in inspections),
            published=max(given, default=step.window.end) + timedelta(days=3),
            channel=_PORTAL,
            text=mask_personal_data("\n".join(lines)),
        )
    )


def _follow_targeted(follow: _FollowUp, seed: str, inspections: Iterable[Inspection]) -> None:
    for inspection in inspections:
        assert inspection.finished is not None
        _report(follow, seed, inspection, inspection.finished)
        follow.feedback.append(
            Feedback(
                inspection=inspection.id,
                dated=inspection.finished + timedelta(days=2),
                mode=FeedbackMode.WRITTEN,
                issued_by=inspection.unit,
            )
        )


def _draw_publication(step: DrawStep) -> Publication:
    record = step.record
    fixed = record.seed.fixed
    assert fixed is not None
    return Publication(
        id=f"GK-CQ-{step.plan.code}-{step.round}",
        kind=PublicationKind.DRAW,
        subjects=(record.digest(),),
        published=fixed.date() + timedelta(days=1),
        channel=_PORTAL,
        text=mask_personal_data(
            f"{Line(step.plan.line).zh}随机抽取结果（{step.plan.code} 第{step.round}轮）：抽查名录"
            f"{step.frame.population}户，抽中{record.sample_size}户；名录承诺值"
            f"{record.commitment.frame_digest}；随机种子“{record.seed.value}”；抽取记录"
            f"{record.digest()}"
        ),
    )


# --- the year -----------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class SimulatedYear:
    """A simulated year: its inputs, its draws with their dispatches, and its ledger."""

    directory: DemoDirectory = attrs.field(repr=False)
    profile: Profile
    steps: tuple[DrawStep, ...]
    ledger: Ledger = attrs.field(repr=False)
    calendar: WorkingDayCalendar | None = attrs.field(default=None, repr=False)

    def step(self, key: str) -> DrawStep:
        """The draw step called ``key`` (``"labour-1"``, ``"joint"``, ``"social"``, ``"labour-2"``).

        Raises:
            KeyError: no such step.
        """
        for step in self.steps:
            if step.key == key:
                return step
        raise KeyError(key)


Progress = Callable[[str], None]


def simulate_year(
    directory: DemoDirectory,
    profile: Profile = TIANJIN_HRSS,
    *,
    calendar: WorkingDayCalendar | None = None,
    progress: Progress | None = None,
) -> SimulatedYear:
    """Run a whole lawful year over ``directory`` under ``profile`` (see the module docstring).

    ``calendar`` is needed only when the profile counts publicity in working days or rolls a
    last day over holidays; without one, :func:`demo_calendar` is used. The year keeps it
    (``SimulatedYear.calendar``) for its audit.
    ``progress``, if given, is called with a short label before each stage.

    Raises:
        InfeasibleDispatch: the inspector directory is too small to staff a draw lawfully.
        CalendarDataMissing: the profile counts working days and ``calendar`` lacks the year.
    """
    seed, year = directory.seed, directory.year
    if calendar is None and profile.publicity_needs_calendar:
        calendar = demo_calendar(year)
    note = progress if progress is not None else (lambda label: None)
    by_code = {e.uscc: e for e in directory.enterprises}

    note("labour-1")
    first = _run_draw(
        _Spec(
            LABOUR_1,
            "劳动保障监察 第1轮",
            "labour inspection, round 1",
            directory.labour_plan,
            1,
            8,
        ),
        directory.enterprises,
        {},
        directory,
        profile,
    )
    labour_1 = _step_inspections(first, seed, None)

    note("joint")
    targets = tuple(by_code[code] for code in first.record.selected_ids())
    joint = _run_draw(
        _Spec(
            JOINT,
            "社会保险稽核 联合抽查",
            "social insurance, joint visits",
            directory.joint_plan,
            1,
            6,
        ),
        targets,
        {},
        directory,
        profile,
    )
    days = {x.enterprise: (x.started, x.finished or x.started) for x in labour_1}
    joint_inspections = _step_inspections(joint, seed, days)
    joined = {x.enterprise for x in joint_inspections}
    labour_1 = [
        attrs.evolve(x, joint_visit=_joint_visit_id(year, x.enterprise))
        if x.enterprise in joined
        else x
        for x in labour_1
    ]
    joint_inspections = [
        attrs.evolve(x, joint_visit=_joint_visit_id(year, x.enterprise)) for x in joint_inspections
    ]

    note("social")
    history = random_checks_in_year([*labour_1, *joint_inspections], year)
    social = _run_draw(
        _Spec(SOCIAL, "社会保险稽核", "social-insurance audit", directory.social_plan, 1, 8),
        directory.enterprises,
        history,
        directory,
        profile,
    )
    social_inspections = _step_inspections(social, seed, None)

    note("labour-2")
    history = random_checks_in_year([*labour_1, *joint_inspections, *social_inspections], year)
    second = _run_draw(
        _Spec(
            LABOUR_2,
            "劳动保障监察 第2轮",
            "labour inspection, round 2",
            directory.labour_plan,
            2,
            8,
        ),
        directory.enterprises,
        history,
        directory,
        profile,
    )
    labour_2 = _step_inspections(second, seed, None)

    note("ledger")
    steps = (first, joint, social, second)
    targeted = _targeted(directory, seed)
    follow = _FollowUp()
    names = {x.key: x.name for x in directory.inspectors}
    for step, inspections in zip(
        steps, (labour_1, joint_inspections, social_inspections, labour_2), strict=True
    ):
        _publicize(follow, step, inspections, seed, profile, calendar, names, by_code)
    _follow_targeted(follow, seed, targeted)
    inspections = sorted(
        [*labour_1, *joint_inspections, *social_inspections, *labour_2, *targeted],
        key=lambda x: (x.started, x.id),
    )
    order = {x.id: n for n, x in enumerate(inspections)}
    concerned = {x.enterprise for x in inspections}
    for step in steps:
        concerned.update(step.record.selected_ids())
    ledger = Ledger(
        year=year,
        title=f"{year}年度天津市人力资源社会保障领域“双随机一公开”台账（模拟 / simulated）",
        check_item_lists=directory.check_item_lists,
        plans=directory.plans,
        commitments=tuple(
            CommitmentEntry(
                digest=step.commitment.frame_digest,
                plan=step.plan.code,
                published=step.commitment.published,
                frame_size=step.commitment.eligible,
            )
            for step in steps
        ),
        draws=tuple(DrawEntry.from_record(step.record) for step in steps),
        dispatches=tuple(DispatchEntry.from_record(step.dispatch) for step in steps),
        inspections=inspections,
        reports=sorted(follow.reports, key=lambda r: order[r.inspection]),
        violations=sorted(follow.violations, key=lambda v: order[v.inspection]),
        publicities=sorted(follow.publicities, key=lambda p: (p.start, p.id)),
        objections=sorted(follow.objections, key=lambda o: order[o.inspection]),
        feedback=sorted(follow.feedback, key=lambda f: order[f.inspection]),
        publications=sorted(
            [
                *_static_publications(directory),
                *map(_draw_publication, steps),
                *follow.publications,
            ],
            key=lambda p: (p.published, p.id),
        ),
        enterprises=tuple(e for e in directory.enterprises if e.uscc in concerned),
        inspectors=directory.inspectors,
        conflicts=directory.conflicts,
    )
    return SimulatedYear(
        directory=directory, profile=profile, steps=steps, ledger=ledger, calendar=calendar
    )


def _static_publications(directory: DemoDirectory) -> list[Publication]:
    publications = []
    for item_list in directory.check_item_lists:
        assert item_list.published is not None
        publications.append(
            Publication(
                id=f"GK-QD-{item_list.version}",
                kind=PublicationKind.ITEM_LIST,
                subjects=(item_list.version,),
                published=item_list.published,
                channel=_PORTAL,
                text=(
                    f"{Line(item_list.line).zh}随机抽查事项清单（{item_list.version}，"
                    f"共{len(item_list.items)}项，自{item_list.effective}起施行）"
                ),
            )
        )
    for plan in directory.plans:
        assert plan.published is not None
        publications.append(
            Publication(
                id=f"GK-JH-{plan.code}",
                kind=PublicationKind.PLAN,
                subjects=(plan.code,),
                published=plan.published,
                channel=_PORTAL,
                text=(
                    f"{plan.year}年度{Line(plan.line).zh}随机抽查计划（{plan.code}）：抽查比例"
                    f"{plan.ratio}，{plan.rounds}轮"
                ),
            )
        )
    return publications


def simulate(
    *,
    seed: str = DEMO_SEED,
    year: int = DEMO_YEAR,
    enterprises: int = 20_000,
    inspectors: int = 300,
    profile: Profile = TIANJIN_HRSS,
    progress: Progress | None = None,
) -> SimulatedYear:
    """:func:`simulate_year` over :func:`demo_directory` with these arguments."""
    directory = demo_directory(seed=seed, year=year, enterprises=enterprises, inspectors=inspectors)
    return simulate_year(directory, profile, progress=progress)
