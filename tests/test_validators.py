"""Hand-written cases for every rule, from the wording of the articles, edge days included."""

from __future__ import annotations

import doctest
import json
import pickle
from calendar import isleap
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from fractions import Fraction
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import randcheck.validators
from randcheck import canonical
from randcheck.calendars import DayCounting, ExplicitCalendar, validity_window
from randcheck.domain import (
    CheckItem,
    CheckItemList,
    Conflict,
    ConflictGround,
    CrossDistrictBounds,
    Enterprise,
    Grade,
    Inspector,
    LegalBasis,
    LegalRank,
    Line,
    Plan,
    RiskFlags,
    Scope,
    TimeWindow,
)
from randcheck.errors import InputFileError, RandcheckError, ValidationError
from randcheck.guards import may_inspect
from randcheck.ids import (
    find_unmasked_personal_data,
    mask_phone,
    mask_resident_id,
    resident_id_check_character,
)
from randcheck.ledger import (
    CommitmentEntry,
    DispatchEntry,
    Disposition,
    DrawEntry,
    Feedback,
    FeedbackMode,
    GradeRecord,
    Inspection,
    InspectionKind,
    Ledger,
    NotInspected,
    NotInspectedReason,
    Objection,
    Publication,
    PublicationKind,
    Publicity,
    SummaryReport,
    TargetedGround,
    TeamEntry,
    UnitWeight,
    ViolationRecord,
)
from randcheck.profiles import TIANJIN_HRSS, Profile, Severity
from randcheck.rules import allowed_outside, random_visits
from randcheck.text import Text
from randcheck.validators import (
    RULES,
    Finding,
    Outcome,
    Report,
    RuleViolation,
    audit,
    catalogue_markdown,
    check_cap,
    check_completion,
    check_coverage,
    check_cross_district,
    check_disposition,
    check_feedback_by_inspector,
    check_grade_weight,
    check_inspector_record,
    check_item_fields,
    check_legal_basis,
    check_one_visit,
    check_plan_deadline,
    check_plan_fields,
    check_public,
    check_publicity,
    check_random,
    check_recusal,
    check_report,
    check_risk_weight,
    check_rules_valid,
    check_targeted,
    check_team,
    coverage_figures,
    report_json,
)
from randcheck.validators._rules_results import _leak_finding, _leak_findings
from test_ledger_strategies import HOME, OTHER, lawful_ledgers, make_uscc

ROOT = Path(__file__).resolve().parent.parent
TZ = timezone(timedelta(hours=8))
E1, E2, E3, E4 = make_uscc(1), make_uscc(2), make_uscc(3), make_uscc(4)
LABOUR = Line.LABOUR_INSPECTION
V, W, U, P, NA = (
    Outcome.VIOLATION,
    Outcome.WARNING,
    Outcome.UNKNOWN,
    Outcome.PASS,
    Outcome.NOT_APPLICABLE,
)


def _inspector(key: str, district: str = HOME, **changes: object) -> Inspector:
    fields: dict[str, object] = {
        "name": f"检查员{key}",
        "department": "市劳动保障监察总队",
        "post": "科员",
        "certificate_no": key,
        "phone": "13900001111",
        "district": district,
        "lines": frozenset({LABOUR}),
        "certificate_valid_from": date(2025, 1, 1),
        "certificate_valid_until": date(2027, 12, 31),
    }
    fields.update(changes)
    return Inspector(**fields)  # type: ignore[arg-type]


LAW = LegalBasis(
    title="中华人民共和国劳动法",
    article="第八十五条",
    rank=LegalRank.LAW,
    effective=date(1995, 1, 1),
)
_ID_BODY = "12010119900307002"
VALID_ID = _ID_BODY + resident_id_check_character(_ID_BODY)
MASKED_ID = mask_resident_id(VALID_ID)


def _feedback(
    dated: date, issued_by: str = "一组", mode: FeedbackMode = FeedbackMode.WRITTEN
) -> Feedback:
    return Feedback(inspection="I1", dated=dated, mode=mode, issued_by=issued_by)


ITEM = CheckItem(
    code="LI-1",
    line=LABOUR,
    content="劳动合同签订情况",
    inspecting_body="市劳动保障监察总队",
    target_type="用人单位",
    bases=(LAW,),
)
LIST = CheckItemList(
    version="LI-2026.1",
    line=LABOUR,
    effective=date(2025, 1, 1),
    published=date(2024, 12, 20),
    items=(ITEM,),
)
PLAN = Plan(
    code="P-2026",
    year=2026,
    line=LABOUR,
    items=("LI-1",),
    scope=Scope(description="本市用人单位"),
    inspector_requirements="持证，每组2人",
    ratio=Fraction(1, 10),
    rounds=2,
    windows=(
        TimeWindow(start=date(2026, 3, 1), end=date(2026, 3, 31)),
        TimeWindow(start=date(2026, 6, 1), end=date(2026, 6, 30)),
    ),
    procedure="抽取、派员、检查、报告、公示、反馈",
    cross_district=CrossDistrictBounds(minimum=0, maximum=Fraction(1, 2)),
    submitted=date(2025, 11, 20),
    published=date(2025, 12, 10),
)
COMMITTED = datetime(2026, 2, 19, 9, 0, tzinfo=TZ)
SEED_FIXED = datetime(2026, 2, 24, 20, 30, tzinfo=TZ)
DRAW = DrawEntry(
    id="sha256:d1",
    plan="P-2026",
    commitment="sha256:c1",
    commitment_published=COMMITTED,
    seed="2026-02-24 福彩3D 123",
    seed_source="中国福利彩票",
    seed_fixed=SEED_FIXED,
    selected=(E1, E2),
)
DISPATCH = DispatchEntry(
    id="sha256:s1",
    draw="sha256:d1",
    teams=(
        TeamEntry(enterprise=E1, inspectors=("K1", "K2")),
        TeamEntry(enterprise=E2, inspectors=("K1", "K3")),
    ),
)


def _random(
    id: str = "I1", enterprise: str = E1, day: date = date(2026, 3, 10), **changes: object
) -> Inspection:
    fields: dict[str, object] = {
        "id": id,
        "enterprise": enterprise,
        "lines": (LABOUR,),
        "items": ("LI-1",),
        "team": ("K1", "K2"),
        "unit": "一组",
        "started": day,
        "finished": day + timedelta(days=1),
        "draw": "sha256:d1",
        "dispatch": "sha256:s1",
    }
    fields.update(changes)
    return Inspection(**fields)  # type: ignore[arg-type]


def _targeted(id: str = "T1", enterprise: str = E3, **changes: object) -> Inspection:
    fields: dict[str, object] = {
        "id": id,
        "enterprise": enterprise,
        "lines": (LABOUR,),
        "items": ("LI-1",),
        "team": ("K1", "K2"),
        "unit": "投诉组",
        "started": date(2026, 5, 6),
        "finished": date(2026, 5, 6),
        "kind": InspectionKind.TARGETED,
        "ground": TargetedGround.COMPLAINT_REPORT,
        "suspicion": "拖欠工资",
    }
    fields.update(changes)
    return Inspection(**fields)  # type: ignore[arg-type]


def year(**changes: object) -> Ledger:
    """A small lawful 2026: one random inspection of E1 (publicity 12-18 March, feedback on the
    19th) and one targeted inspection of E3."""
    fields: dict[str, object] = {
        "year": 2026,
        "check_item_lists": (LIST,),
        "plans": (PLAN,),
        "commitments": (CommitmentEntry(digest="sha256:c1", plan="P-2026", published=COMMITTED),),
        "draws": (DRAW,),
        "dispatches": (DISPATCH,),
        "inspections": (_random(), _targeted()),
        "reports": (
            SummaryReport(
                inspection="I1",
                conclusion="未发现违法行为",
                handling_opinion="无需处理",
                dated=date(2026, 3, 11),
            ),
        ),
        "publicities": (
            Publicity(
                id="PUB1",
                inspections=("I1",),
                start=date(2026, 3, 12),
                end=date(2026, 3, 19),
                channel="门户网站",
                text="I1 检查结果公示，监督电话 022-2345 6789",
            ),
        ),
        "feedback": (
            Feedback(
                inspection="I1",
                dated=date(2026, 3, 20),
                mode=FeedbackMode.WRITTEN,
                issued_by="一组",
            ),
        ),
        "publications": (
            Publication(
                id="PD1",
                kind=PublicationKind.DRAW,
                subjects=("sha256:d1",),
                published=date(2026, 2, 26),
                text="2026 年第一轮抽取结果",
            ),
        ),
        "enterprises": (
            Enterprise(uscc=E1, name="甲公司", district=HOME, grade=Grade.B),
            Enterprise(uscc=E2, name="乙公司", district=HOME, grade=Grade.A),
            Enterprise(uscc=E3, name="丙公司", district=HOME, grade=Grade.C),
        ),
        "inspectors": (_inspector("K1"), _inspector("K2"), _inspector("K3", OTHER)),
        # E2 was drawn too, and had been struck off before the inspections began.
        "not_inspected": (
            NotInspected(
                draw="sha256:d1",
                enterprise=E2,
                reason=NotInspectedReason.DEREGISTERED,
                recorded=date(2026, 3, 2),
            ),
        ),
    }
    fields.update(changes)
    return Ledger(**fields)  # type: ignore[arg-type]


def outcome(findings: list[Finding], subject: str) -> Outcome:
    """The one outcome reported for ``subject``."""
    matching = [f.outcome for f in findings if f.subject == subject]
    assert len(matching) == 1, (subject, findings)
    return matching[0]


def only(findings: list[Finding], wanted: Outcome) -> list[str]:
    return [f.subject for f in findings if f.outcome is wanted]


# Monday to Friday, no holidays: the roll-over of 民法典 Art. 203 needs a calendar.
CAL = ExplicitCalendar(years=range(2019, 2032))


def test_the_small_year_is_lawful() -> None:
    report = audit(year(), attrs.evolve(TIANJIN_HRSS, issued=date(2026, 1, 1)), calendar=CAL)
    assert report.ok
    assert report.count(outcome=W) == report.count(outcome=U) == 0


# --- R-RANDOM (Art. 2, 10) ----------------------------------------------------------------


def test_random_inspection_of_a_drawn_target_by_the_dispatched_team_passes() -> None:
    findings = check_random(year(), TIANJIN_HRSS)
    assert outcome(findings, "inspections[0]") is P
    assert outcome(findings, "draws[0]") is P
    assert all(f.subject != "inspections[1]" for f in findings)  # targeted: exempt


def test_target_not_in_the_draw_is_hand_picked() -> None:
    ledger = year(inspections=(_random(enterprise=E3),))
    findings = check_random(ledger, TIANJIN_HRSS)
    assert outcome(findings, "inspections[0]") is V
    assert E3 in findings[-1].message_en


def test_team_other_than_dispatched_is_hand_picked() -> None:
    ledger = year(inspections=(_random(team=("K1", "K3")),))
    assert outcome(check_random(ledger, TIANJIN_HRSS), "inspections[0]") is V


def test_team_order_does_not_matter() -> None:
    ledger = year(inspections=(_random(team=("K2", "K1")),))
    assert outcome(check_random(ledger, TIANJIN_HRSS), "inspections[0]") is P


@pytest.mark.parametrize(
    "changes",
    [{"draw": None}, {"dispatch": None}, {"draw": "sha256:none"}, {"dispatch": "sha256:none"}],
)
def test_random_inspection_needs_its_draw_and_dispatch_records(changes: dict[str, object]) -> None:
    ledger = year(inspections=(_random(**changes),))
    assert outcome(check_random(ledger, TIANJIN_HRSS), "inspections[0]") is V


def test_dispatch_of_another_draw_does_not_count() -> None:
    other = attrs.evolve(DISPATCH, draw="sha256:d2")
    ledger = year(dispatches=(other,))
    assert outcome(check_random(ledger, TIANJIN_HRSS), "inspections[0]") is V


def test_frame_must_be_committed_strictly_before_the_seed_is_fixed() -> None:
    for published, expected in [
        (SEED_FIXED - timedelta(minutes=1), P),
        (SEED_FIXED, V),
        (SEED_FIXED + timedelta(days=1), V),
    ]:
        draw = attrs.evolve(DRAW, commitment_published=published)
        ledger = year(draws=(draw,), commitments=())
        assert outcome(check_random(ledger, TIANJIN_HRSS), "draws[0]") is expected


def test_unpublished_commitment_is_a_violation_and_unknown_seed_time_unknown() -> None:
    unpublished = year(draws=(attrs.evolve(DRAW, commitment_published=None),), commitments=())
    assert outcome(check_random(unpublished, TIANJIN_HRSS), "draws[0]") is V
    no_time = year(draws=(attrs.evolve(DRAW, seed_fixed=None),))
    assert outcome(check_random(no_time, TIANJIN_HRSS), "draws[0]") is U


def test_commitment_time_may_come_from_the_commitment_record_but_must_agree() -> None:
    from_record = year(draws=(attrs.evolve(DRAW, commitment_published=None),))
    assert outcome(check_random(from_record, TIANJIN_HRSS), "draws[0]") is P
    disagree = year(
        commitments=(
            CommitmentEntry(digest="sha256:c1", plan="P-2026", published=COMMITTED - timedelta(1)),
        )
    )
    assert outcome(check_random(disagree, TIANJIN_HRSS), "draws[0]") is V


def test_draw_under_an_unrecorded_plan_is_a_violation() -> None:
    ledger = year(plans=())
    assert outcome(check_random(ledger, TIANJIN_HRSS), "draws[0]") is V


# --- R-COMPLETION (Art. 2, 10) -----------------------------------------------------------


def test_a_drawn_enterprise_is_inspected_or_its_reason_recorded() -> None:
    # Art. 2 "随机抽取检查对象": a target drawn and silently dropped undoes the draw.
    findings = check_completion(year(), TIANJIN_HRSS)
    assert outcome(findings, "draws[0].selected[0]") is P  # E1, inspected
    assert outcome(findings, "draws[0].selected[1]") is P  # E2, deregistered
    silent = check_completion(year(not_inspected=()), TIANJIN_HRSS)
    assert outcome(silent, "draws[0].selected[1]") is V
    assert any(E2 in f.message_en for f in silent if f.outcome is V)
    vague = NotInspected(draw="sha256:d1", enterprise=E2, reason=NotInspectedReason.OTHER)
    assert (
        outcome(
            check_completion(year(not_inspected=(vague,)), TIANJIN_HRSS), "draws[0].selected[1]"
        )
        is V
    )
    said = attrs.evolve(vague, note="企业正在破产清算")
    assert (
        outcome(check_completion(year(not_inspected=(said,)), TIANJIN_HRSS), "draws[0].selected[1]")
        is P
    )


def test_an_inspection_outside_the_plans_window_does_not_complete_the_draw() -> None:
    window = PLAN.windows[0]
    for day, expected in [(window.start, P), (window.end, P), (window.end + timedelta(1), V)]:
        ledger = year(inspections=(_random(day=day),))
        assert outcome(check_completion(ledger, TIANJIN_HRSS), "draws[0].selected[0]") is expected


@given(st.sets(st.sampled_from(["inspected", "reason"]), max_size=2))
def test_completion_passes_iff_inspected_or_explained(facts: set[str]) -> None:
    inspections = (_random(),) if "inspected" in facts else ()
    reasons = (
        (NotInspected(draw="sha256:d1", enterprise=E1, reason=NotInspectedReason.NOT_FOUND),)
        if "reason" in facts
        else ()
    )
    ledger = year(inspections=inspections, not_inspected=reasons)
    got = outcome(check_completion(ledger, TIANJIN_HRSS), "draws[0].selected[0]")
    assert got is (P if facts else V)


# --- R-COVERAGE (Art. 9) --------------------------------------------------------------------


def test_coverage_figures_share_of_the_directory_in_the_year_and_over_years() -> None:
    figures = coverage_figures(year(), TIANJIN_HRSS)
    assert (figures.directory, figures.checked) == (3, 2)
    assert figures.share == Fraction(2, 3)
    earlier = year(year=2025, inspections=(_random(enterprise=E2, day=date(2025, 5, 5)),))
    over = coverage_figures(year(), TIANJIN_HRSS, [earlier])
    assert over.share_over_years == 1
    assert only(check_coverage(year(), TIANJIN_HRSS), W) == []


def test_more_inspections_than_the_threshold_is_a_warning_never_a_violation() -> None:
    # Art. 9 "又要防止过度检查": cn-tj-hrss warns beyond 4 inspections a year.
    four = tuple(_targeted(f"T{n}", enterprise=E1) for n in range(3))
    ledger = year(inspections=(_random(), *four))
    assert only(check_coverage(ledger, TIANJIN_HRSS), W) == []
    five = year(inspections=(_random(), *four, _targeted("T9", enterprise=E1)))
    findings = check_coverage(five, TIANJIN_HRSS)
    assert only(findings, W) == [f"enterprises:{E1}"]
    assert only(findings, V) == []
    assert "5 times" in findings[0].message_en


def test_a_stratum_never_sampled_is_a_figure() -> None:
    away = Enterprise(uscc=E4, name="丁公司", district=OTHER, grade=Grade.B)
    ledger = year(enterprises=(*year().enterprises, away))
    assert coverage_figures(ledger, TIANJIN_HRSS).unsampled == {"P-2026": (OTHER,)}
    assert coverage_figures(year(), TIANJIN_HRSS).unsampled == {}
    assert only(check_coverage(ledger, TIANJIN_HRSS), V) == []


@pytest.mark.parametrize(
    ("strata", "expected"),
    [
        (("grade",), ("C",)),
        (("district", "grade"), (f"{HOME}|C", f"{OTHER}|B")),
        (("industry", "district"), (f"|{OTHER}",)),
        (("district", "hrss-grade"), (f"{OTHER}|unrated",)),
        ((), ()),
    ],
)
def test_strata_never_sampled_are_named_by_every_stratum_key(
    strata: tuple[str, ...], expected: tuple[str, ...]
) -> None:
    away = Enterprise(uscc=E4, name="丁公司", district=OTHER, grade=Grade.B)
    base = year(enterprises=(*year().enterprises, away))
    ledger = attrs.evolve(base, plans=[attrs.evolve(p, strata=strata) for p in base.plans])
    found = coverage_figures(ledger, TIANJIN_HRSS).unsampled
    assert found == ({"P-2026": expected} if expected else {})


@given(st.integers(0, 8))
def test_over_inspection_warned_exactly_beyond_the_threshold(extra: int) -> None:
    checks = tuple(_targeted(f"T{n}", enterprise=E1) for n in range(extra))
    findings = check_coverage(year(inspections=(_random(), *checks)), TIANJIN_HRSS)
    warned = f"enterprises:{E1}" in only(findings, W)
    assert warned is (1 + extra > 4)
    assert only(findings, V) == []


# --- R-FEEDBACK-BY-INSPECTOR (Art. 3, 14) -------------------------------------------------


def test_feedback_by_the_inspecting_unit_passes_by_another_fails() -> None:
    assert outcome(check_feedback_by_inspector(year(), TIANJIN_HRSS), "feedback[0]") is P
    other = Feedback(
        inspection="I1", dated=date(2026, 3, 19), mode=FeedbackMode.IN_PERSON, issued_by="二组"
    )
    findings = check_feedback_by_inspector(year(feedback=(other,)), TIANJIN_HRSS)
    assert outcome(findings, "feedback[0]") is V
    assert findings[0].article == TIANJIN_HRSS.citation("R-FEEDBACK-BY-INSPECTOR").article.en
    assert findings[0].article == "Art. 3, 14"


def test_feedback_by_the_enforcement_agency_of_the_team_passes() -> None:
    # Art. 3 "由具体实施检查的各综合执法检查小组或者各执法机构反馈": the team, or its agency.
    by_agency = Feedback(
        inspection="I1",
        dated=date(2026, 3, 19),
        mode=FeedbackMode.WRITTEN,
        issued_by="市劳动保障监察总队",
    )
    ledger = year(inspections=(_random(agency="市劳动保障监察总队"),), feedback=(by_agency,))
    assert outcome(check_feedback_by_inspector(ledger, TIANJIN_HRSS), "feedback[0]") is P
    # Another agency is not the one whose team inspected.
    stranger = attrs.evolve(by_agency, issued_by="市社会保险稽查中心")
    findings = check_feedback_by_inspector(attrs.evolve(ledger, feedback=(stranger,)), TIANJIN_HRSS)
    assert outcome(findings, "feedback[0]") is V
    assert "市劳动保障监察总队" in findings[0].message_zh
    # Without a recorded agency only the team itself may give the feedback.
    no_agency = year(feedback=(by_agency,))
    assert outcome(check_feedback_by_inspector(no_agency, TIANJIN_HRSS), "feedback[0]") is V


@given(unit=st.text(min_size=1, max_size=5).filter(str.strip), agency=st.text(max_size=5))
def test_feedback_by_team_or_agency_passes_anyone_else_fails(unit: str, agency: str) -> None:
    inspection = _random(unit=unit, agency=agency)
    for issuer in {inspection.unit, inspection.agency, inspection.unit + "外"} - {""}:
        feedback = Feedback(
            inspection="I1", dated=date(2026, 3, 19), mode=FeedbackMode.WRITTEN, issued_by=issuer
        )
        findings = check_feedback_by_inspector(
            year(inspections=(inspection,), feedback=(feedback,)), TIANJIN_HRSS
        )
        expected = P if issuer in (inspection.unit, inspection.agency) else V
        assert outcome(findings, "feedback[0]") is expected


def test_finished_random_inspection_without_feedback_fails() -> None:
    findings = check_feedback_by_inspector(year(feedback=()), TIANJIN_HRSS)
    assert outcome(findings, "inspections[0]") is V
    unfinished = year(feedback=(), inspections=(_random(finished=None),))
    assert only(check_feedback_by_inspector(unfinished, TIANJIN_HRSS), V) == []


def test_feedback_unit_unknown_when_the_inspection_names_none() -> None:
    ledger = year(inspections=(_random(unit=""),))
    assert outcome(check_feedback_by_inspector(ledger, TIANJIN_HRSS), "feedback[0]") is U


# --- R-PUBLIC (Art. 2, 3, 5, 6, 8) --------------------------------------------------------


def test_everything_published_passes() -> None:
    findings = check_public(year(), TIANJIN_HRSS)
    assert only(findings, V) == []
    assert {"check_item_lists[0]", "plans[0]", "draws[0]", "inspections[0]"} <= set(
        only(findings, P)
    )


def test_unpublished_list_plan_draw_and_results_fail() -> None:
    ledger = year(
        check_item_lists=(attrs.evolve(LIST, published=None),),
        plans=(attrs.evolve(PLAN, published=None),),
        publications=(),
        publicities=(),
    )
    assert set(only(check_public(ledger, TIANJIN_HRSS), V)) == {
        "check_item_lists[0]",
        "plans[0]",
        "draws[0]",
        "inspections[0]",
    }


def test_results_publication_record_counts_as_publishing_results() -> None:
    results = Publication(
        id="PR1", kind=PublicationKind.RESULTS, subjects=("I1",), published=date(2026, 4, 1)
    )
    ledger = year(publicities=(), publications=(*year().publications, results))
    assert outcome(check_public(ledger, TIANJIN_HRSS), "inspections[0]") is P


def _publication_outcome(text: str) -> Outcome:
    """What R-PUBLIC says of a year whose only results publication reads ``text``."""
    publication = Publication(
        id="PX",
        kind=PublicationKind.RESULTS,
        subjects=("I1",),
        published=date(2026, 4, 1),
        text=text,
    )
    findings = check_public(year(publications=(publication,)), TIANJIN_HRSS)
    return outcome(findings, "publications[0]")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("检查人员 张三，手机 13812345678", V),
        ("检查人员 张三，手机 +86 138-1234-5678", V),
        (f"检查人员 张三，身份证 {VALID_ID}", V),
        (f"检查人员 张三，手机 138****5678，身份证 {MASKED_ID}", P),
        ("监督电话 022-2345 6789", P),
    ],
)
def test_published_text_must_not_hold_unmasked_personal_data(text: str, expected: Outcome) -> None:
    assert _publication_outcome(text) is expected


def test_leak_message_shows_the_number_masked() -> None:
    publicity = attrs.evolve(year().publicities[0], text="联系人手机 13812345678")
    findings = check_public(year(publicities=(publicity,)), TIANJIN_HRSS)
    leak = next(f for f in findings if f.subject == "publicities[0]")
    assert leak.outcome is V
    assert "13812345678" not in leak.message_zh + leak.message_en
    assert mask_phone("13812345678") in leak.message_en


# --- R-ITEM-FIELDS (Art. 5) ---------------------------------------------------------------


@pytest.mark.parametrize(
    "changes",
    [{"bases": ()}, {"content": ""}, {"inspecting_body": ""}, {"target_type": ""}],
)
def test_item_missing_basis_content_body_or_targets_fails(changes: dict[str, object]) -> None:
    item_list = attrs.evolve(LIST, items=(attrs.evolve(ITEM, **changes),))
    findings = check_item_fields(year(check_item_lists=(item_list,)), TIANJIN_HRSS)
    assert outcome(findings, "check_item_lists[0].items[0]") is V


def test_complete_item_passes() -> None:
    findings = check_item_fields(year(), TIANJIN_HRSS)
    assert outcome(findings, "check_item_lists[0].items[0]") is P


# --- R-LEGAL-BASIS (Art. 6) ---------------------------------------------------------------


def _with_basis(basis: LegalBasis, day: date) -> list[Finding]:
    item_list = attrs.evolve(LIST, items=(attrs.evolve(ITEM, bases=(basis,)),))
    ledger = year(check_item_lists=(item_list,), inspections=(_random(day=day),))
    return check_legal_basis(ledger, TIANJIN_HRSS)


def test_basis_effective_on_the_inspection_day_passes() -> None:
    basis = LegalBasis(title="天津市某规章", rank=LegalRank.RULE, effective=date(2026, 3, 10))
    assert outcome(_with_basis(basis, date(2026, 3, 10)), "inspections[0]") is P
    assert outcome(_with_basis(basis, date(2026, 3, 9)), "inspections[0]") is V


def test_basis_repealed_on_the_inspection_day_fails() -> None:
    basis = LegalBasis(
        title="天津市某规章",
        rank=LegalRank.RULE,
        effective=date(2000, 1, 1),
        repealed=date(2026, 3, 10),
    )
    assert outcome(_with_basis(basis, date(2026, 3, 10)), "inspections[0]") is V
    assert outcome(_with_basis(basis, date(2026, 3, 9)), "inspections[0]") is P


def test_a_normative_document_is_not_enough() -> None:
    basis = LegalBasis(
        title="某通知", rank=LegalRank.NORMATIVE_DOCUMENT, effective=date(2000, 1, 1)
    )
    findings = _with_basis(basis, date(2026, 3, 10))
    assert outcome(findings, "inspections[0]") is V
    assert "规范性文件" in findings[0].message_zh


@pytest.mark.parametrize(
    "rank",
    [
        LegalRank.LAW,
        LegalRank.ADMINISTRATIVE_REGULATION,
        LegalRank.LOCAL_REGULATION,
        LegalRank.RULE,
    ],
)
def test_laws_regulations_and_rules_are_enough(rank: LegalRank) -> None:
    basis = LegalBasis(title="依据", rank=rank, effective=date(2000, 1, 1))
    assert outcome(_with_basis(basis, date(2026, 3, 10)), "inspections[0]") is P


def test_a_normative_document_alone_grounds_nothing_beside_a_law_it_does_no_harm() -> None:
    # Art. 6 "凡是法律法规和规章没有规定的，一律不得擅自开展检查".
    weak = LegalBasis(title="某通知", rank=LegalRank.NORMATIVE_DOCUMENT, effective=date(2000, 1, 1))
    alone = attrs.evolve(LIST, items=(attrs.evolve(ITEM, bases=(weak,)),))
    findings = check_legal_basis(year(check_item_lists=(alone,)), TIANJIN_HRSS)
    assert outcome(findings, "inspections[0]") is V
    beside = attrs.evolve(LIST, items=(attrs.evolve(ITEM, bases=(LAW, weak)),))
    findings = check_legal_basis(year(check_item_lists=(beside,)), TIANJIN_HRSS)
    assert outcome(findings, "inspections[0]") is P


def test_a_repealed_basis_beside_one_in_force_is_lawful_with_a_warning() -> None:
    # Art. 6 "应当依据法律法规和规章的立改废释…进行动态调整": the list is due for an update.
    old = LegalBasis(
        title="旧条例",
        rank=LegalRank.ADMINISTRATIVE_REGULATION,
        effective=date(2000, 1, 1),
        repealed=date(2026, 3, 10),
    )
    both = attrs.evolve(LIST, items=(attrs.evolve(ITEM, bases=(LAW, old)),))
    findings = check_legal_basis(year(check_item_lists=(both,)), TIANJIN_HRSS)
    assert outcome(findings, "inspections[0]") is W
    assert "2026-03-10" in findings[0].message_en
    # The day before the repeal both bases hold.
    early = year(check_item_lists=(both,), inspections=(_random(day=date(2026, 3, 9)),))
    assert outcome(check_legal_basis(early, TIANJIN_HRSS), "inspections[0]") is P
    only_old = attrs.evolve(LIST, items=(attrs.evolve(ITEM, bases=(old,)),))
    findings = check_legal_basis(year(check_item_lists=(only_old,)), TIANJIN_HRSS)
    assert outcome(findings, "inspections[0]") is V
    assert may_inspect("LI-1", date(2026, 3, 10), [both], profile=TIANJIN_HRSS).allowed


def test_a_targeted_inspection_off_the_list_is_judged_on_its_own_cited_basis() -> None:
    # Art. 9 targeted checks need not be random-check items; Art. 6 still asks for a basis.
    off_list = _targeted(items=("WAGE-ARREARS",), bases=(LAW,))
    ledger = year(inspections=(off_list,))
    assert outcome(check_legal_basis(ledger, TIANJIN_HRSS), "inspections[0]") is P
    uncited = year(inspections=(_targeted(items=("WAGE-ARREARS",)),))
    assert outcome(check_legal_basis(uncited, TIANJIN_HRSS), "inspections[0]") is V
    weak = LegalBasis(title="某通知", rank=LegalRank.NORMATIVE_DOCUMENT, effective=date(2000, 1, 1))
    low = year(inspections=(_targeted(items=("WAGE-ARREARS",), bases=(weak,)),))
    assert outcome(check_legal_basis(low, TIANJIN_HRSS), "inspections[0]") is V
    # A random inspection of the same item is still off the list.
    drawn = year(inspections=(_random(items=("WAGE-ARREARS",), bases=(LAW,)),))
    assert outcome(check_legal_basis(drawn, TIANJIN_HRSS), "inspections[0]") is V


@given(
    repealed=st.lists(st.dates(date(2020, 1, 1), date(2030, 1, 1)), max_size=3),
    in_force=st.booleans(),
)
def test_an_item_is_grounded_iff_one_basis_is_in_force(
    repealed: list[date], in_force: bool
) -> None:
    bases = tuple(
        LegalBasis(title=f"条例{k}", rank=LegalRank.LAW, effective=date(2000, 1, 1), repealed=day)
        for k, day in enumerate(repealed)
    ) + ((LAW,) if in_force else ())
    item_list = attrs.evolve(LIST, items=(attrs.evolve(ITEM, bases=bases),))
    got = outcome(
        check_legal_basis(year(check_item_lists=(item_list,)), TIANJIN_HRSS), "inspections[0]"
    )
    holds = in_force or any(day > date(2026, 3, 10) for day in repealed)
    if not holds:
        assert got is V
    elif any(day <= date(2026, 3, 10) for day in repealed):
        assert got is W
    else:
        assert got is P


def test_item_must_be_on_the_list_in_force_on_the_day() -> None:
    ledger = year(inspections=(_random(items=("LI-9",)),))
    assert outcome(check_legal_basis(ledger, TIANJIN_HRSS), "inspections[0]") is V
    no_items = year(inspections=(_random(items=()),))
    assert outcome(check_legal_basis(no_items, TIANJIN_HRSS), "inspections[0]") is V


def test_a_list_published_after_the_inspection_day_grounds_nothing() -> None:
    late = attrs.evolve(LIST, published=date(2026, 3, 11))
    findings = check_legal_basis(year(check_item_lists=(late,)), TIANJIN_HRSS)
    assert outcome(findings, "inspections[0]") is V
    on_the_day = attrs.evolve(LIST, published=date(2026, 3, 10))
    findings = check_legal_basis(year(check_item_lists=(on_the_day,)), TIANJIN_HRSS)
    assert outcome(findings, "inspections[0]") is P


def test_a_new_list_version_replaces_the_old_from_its_effective_day() -> None:
    new = CheckItemList(
        version="LI-2026.2",
        line=LABOUR,
        effective=date(2026, 6, 1),
        published=date(2026, 5, 20),
        items=(attrs.evolve(ITEM, code="LI-2"),),
    )
    before = year(check_item_lists=(LIST, new), inspections=(_random(day=date(2026, 5, 31)),))
    after = year(check_item_lists=(LIST, new), inspections=(_random(day=date(2026, 6, 1)),))
    assert outcome(check_legal_basis(before, TIANJIN_HRSS), "inspections[0]") is P
    assert outcome(check_legal_basis(after, TIANJIN_HRSS), "inspections[0]") is V


def test_targeted_inspections_need_a_legal_basis_too() -> None:
    ledger = year(inspections=(_targeted(items=("LI-9",)),))
    assert outcome(check_legal_basis(ledger, TIANJIN_HRSS), "inspections[0]") is V


# --- R-INSPECTOR-RECORD (Art. 7) ----------------------------------------------------------


@pytest.mark.parametrize("field", ["name", "department", "post", "phone"])
def test_inspector_record_needs_all_art_7_contents(field: str) -> None:
    inspector = _inspector("K9", **{field: ""})
    findings = check_inspector_record(year(inspectors=(inspector,), inspections=()), TIANJIN_HRSS)
    assert outcome(findings, "inspectors[0]") is V
    assert findings[0].article == "Art. 7, 10"


def test_identity_number_instead_of_certificate_is_enough() -> None:
    inspector = _inspector("K9", certificate_no=None, resident_id=VALID_ID)
    findings = check_inspector_record(year(inspectors=(inspector,), inspections=()), TIANJIN_HRSS)
    assert outcome(findings, "inspectors[0]") is P


# --- R-TEAM (Art. 7, 10; 行政处罚法 Art. 42) --------------------------------------------------


def test_certificate_valid_through_the_inspection_day_passes_and_expired_fails() -> None:
    for until, expected in [(date(2026, 3, 10), P), (date(2026, 3, 9), V)]:
        inspectors = (_inspector("K1", certificate_valid_until=until), _inspector("K2"))
        findings = check_team(year(inspectors=inspectors), TIANJIN_HRSS)
        assert outcome(findings, "inspections[0]") is expected


def test_team_member_outside_the_directory_or_team_too_small_fails() -> None:
    stranger = year(inspections=(_random(team=("K1", "K8")),))
    assert outcome(check_team(stranger, TIANJIN_HRSS), "inspections[0]") is V
    alone = year(inspections=(_random(team=("K1",)),))
    assert outcome(check_team(alone, TIANJIN_HRSS), "inspections[0]") is V
    solo_profile = attrs.evolve(TIANJIN_HRSS, team=attrs.evolve(TIANJIN_HRSS.team, min_size=1))
    assert outcome(check_team(alone, solo_profile), "inspections[0]") is P


def test_a_member_known_only_by_identity_number_does_not_make_a_team() -> None:
    # "（或居民身份号码）" describes the directory; 行政处罚法 Art. 42 "具有行政执法资格的执法人员"
    # and "执法人员不得少于两人" describe who inspects.
    inspectors = (_inspector("K1"), _inspector(VALID_ID, certificate_no=None, resident_id=VALID_ID))
    ledger = year(inspectors=inspectors, inspections=(_random(team=("K1", VALID_ID)),))
    findings = check_team(ledger, TIANJIN_HRSS)
    assert outcome(findings, "inspections[0]") is V
    assert "没有执法证件" in findings[0].message_zh
    assert "1 certified inspector(s)" in findings[0].message_en
    # The directory entry itself is lawful (Art. 7).
    assert only(check_inspector_record(ledger, TIANJIN_HRSS), V) == []
    assert findings[0].article == "Art. 7, 10"
    # A profile that requires no certificate number accepts the entry.
    lax = attrs.evolve(
        TIANJIN_HRSS, team=attrs.evolve(TIANJIN_HRSS.team, certificate_required=False)
    )
    assert outcome(check_team(ledger, lax), "inspections[0]") is P


@given(
    certified=st.lists(st.booleans(), min_size=1, max_size=4),
    valid_until=st.dates(date(2026, 3, 8), date(2026, 3, 12)),
)
def test_a_team_passes_iff_every_member_is_certified_on_the_day_and_enough(
    certified: list[bool], valid_until: date
) -> None:
    inspectors = []
    for k, has_certificate in enumerate(certified):
        if has_certificate:
            inspectors.append(_inspector(f"K{k}", certificate_valid_until=valid_until))
        else:
            body = f"12010119900307{k:03d}"
            rid = body + resident_id_check_character(body)
            inspectors.append(_inspector(rid, certificate_no=None, resident_id=rid))
    team = tuple(x.key for x in inspectors)
    ledger = year(inspectors=tuple(inspectors), inspections=(_random(team=team),))
    got = outcome(check_team(ledger, TIANJIN_HRSS), "inspections[0]")
    lawful = all(certified) and valid_until >= date(2026, 3, 10) and len(team) >= 2
    assert got is (P if lawful else V)


# --- R-PLAN-DEADLINE (Art. 8) -------------------------------------------------------------


@pytest.mark.parametrize(
    ("submitted", "expected"),
    [(date(2026, 11, 30), P), (date(2026, 12, 1), V), (date(2026, 1, 5), P), (None, U)],
)
def test_plan_for_2027_is_due_by_30_november_2026(
    submitted: date | None, expected: Outcome
) -> None:
    # The plan's own windows and publication are in 2026: only its submission is judged here.
    plan = attrs.evolve(PLAN, year=2027, windows=(), submitted=submitted, published=None)
    assert outcome(check_plan_deadline(year(plans=(plan,)), TIANJIN_HRSS), "plans[0]") is expected


def test_plan_deadline_follows_the_profile() -> None:
    earlier = attrs.evolve(TIANJIN_HRSS, plan_deadline=(10, 31))
    plan = attrs.evolve(PLAN, year=2027, windows=(), submitted=date(2026, 11, 1), published=None)
    assert outcome(check_plan_deadline(year(plans=(plan,)), earlier), "plans[0]") is V


def test_a_plan_submitted_on_the_deadline_day_is_on_time_and_the_next_day_late() -> None:
    # Art. 8 "于每年11月底前": 30 November itself is still in time.
    on_day = attrs.evolve(PLAN, submitted=date(2025, 11, 30), published=date(2025, 12, 10))
    day_after = attrs.evolve(on_day, submitted=date(2025, 12, 1))
    assert outcome(check_plan_deadline(year(plans=(on_day,)), TIANJIN_HRSS), "plans[0]") is P
    late = check_plan_deadline(year(plans=(day_after,)), TIANJIN_HRSS)
    assert outcome(late, "plans[0]") is V
    assert "2025-11-30" in late[0].message.en


@pytest.mark.parametrize(
    ("published", "expected"),
    [(date(2025, 11, 19), W), (date(2025, 11, 20), P), (date(2025, 11, 21), P)],
)
def test_a_plan_published_before_it_was_submitted_is_a_warning(
    published: date, expected: Outcome
) -> None:
    # Art. 8: the plan is submitted (报送), formed, then published (向社会公开). Submitted on
    # 20 November, on time.
    plan = attrs.evolve(PLAN, submitted=date(2025, 11, 20), published=published)
    findings = check_plan_deadline(year(plans=(plan,)), TIANJIN_HRSS)
    assert outcome(findings, "plans[0]") is expected
    if expected is W:
        assert findings[0].article == "Art. 8"
        assert "2025-11-19" in findings[0].message.en
        assert "2025-11-20" in findings[0].message.en


def test_a_late_plan_published_before_submission_is_late_and_says_both() -> None:
    plan = attrs.evolve(PLAN, submitted=date(2026, 5, 1), published=date(2025, 12, 10))
    [finding] = check_plan_deadline(year(plans=(plan,)), TIANJIN_HRSS)
    assert finding.outcome is V
    assert "2025-11-30" in finding.message.en  # the deadline
    assert "before it was submitted" in finding.message.en


def test_a_supplementary_plan_with_its_ground_is_not_late() -> None:
    # Art. 12 "根据国家统一部署、重大事件、敏感时间节点等不同情况分别确定抽查比例和频次":
    # a plan made during the year is not an Art. 8 plan due by 30 November.
    in_year = attrs.evolve(PLAN, submitted=date(2026, 2, 1), published=date(2026, 2, 10))
    assert outcome(check_plan_deadline(year(plans=(in_year,)), TIANJIN_HRSS), "plans[0]") is V
    supplementary = attrs.evolve(in_year, supplementary_ground="国家统一部署：根治欠薪专项行动")
    findings = check_plan_deadline(year(plans=(supplementary,)), TIANJIN_HRSS)
    assert outcome(findings, "plans[0]") is P


@pytest.mark.parametrize(
    ("published", "expected"),
    [(date(2026, 2, 18), P), (date(2026, 2, 19), P), (date(2026, 2, 20), V)],
)
def test_a_plan_is_published_before_its_first_draw(published: date, expected: Outcome) -> None:
    # The first draw's commitment was published on 2026-02-19; Art. 8 "并向社会公开".
    for ground in ("", "重大事件"):
        plan = attrs.evolve(PLAN, published=published, supplementary_ground=ground)
        findings = check_plan_deadline(year(plans=(plan,)), TIANJIN_HRSS)
        assert outcome(findings, "plans[0]") is expected


@given(
    submitted=st.dates(min_value=date(2025, 6, 1), max_value=date(2026, 12, 31)),
    ground=st.text(max_size=4),
)
def test_only_an_ordinary_plan_is_judged_against_the_deadline(submitted: date, ground: str) -> None:
    plan = attrs.evolve(PLAN, submitted=submitted, supplementary_ground=ground)
    got = outcome(check_plan_deadline(year(plans=(plan,)), TIANJIN_HRSS), "plans[0]")
    late = submitted > date(2025, 11, 30) and not plan.supplementary_ground
    # Published on 2025-12-10: a later submission is out of Art. 8's order, a warning.
    out_of_order = submitted > date(2025, 12, 10)
    assert got is (V if late else W if out_of_order else P)


# --- R-PLAN-FIELDS (Art. 9) ---------------------------------------------------------------


@pytest.mark.parametrize(
    "changes",
    [
        {"scope": Scope()},
        {"inspector_requirements": ""},
        {"ratio": None},
        {"rounds": None},
        {"windows": ()},
        {"procedure": ""},
    ],
)
def test_plan_missing_one_of_the_five_contents_fails(changes: dict[str, object]) -> None:
    plan = attrs.evolve(PLAN, **changes)
    assert outcome(check_plan_fields(year(plans=(plan,)), TIANJIN_HRSS), "plans[0]") is V


@pytest.mark.parametrize(
    ("rounds", "windows", "expected"),
    [
        (2, PLAN.windows, P),
        (1, PLAN.windows[:1], P),
        (2, PLAN.windows[:1], V),  # round 2 has no time of the checks
        (1, PLAN.windows, V),  # the second window belongs to no round
        (3, PLAN.windows, V),
    ],
)
def test_a_plan_gives_each_round_one_window(
    rounds: int, windows: tuple[TimeWindow, ...], expected: Outcome
) -> None:
    plan = attrs.evolve(PLAN, rounds=rounds, windows=windows)
    findings = check_plan_fields(year(plans=(plan,)), TIANJIN_HRSS)
    assert outcome(findings, "plans[0]") is expected
    if expected is V:
        assert findings[0].article == "Art. 9"
        assert f"{rounds} round" in findings[0].message.en


def test_rounds_without_windows_and_a_missing_content_are_one_finding() -> None:
    plan = attrs.evolve(PLAN, rounds=2, windows=PLAN.windows[:1], procedure="")
    [finding] = check_plan_fields(year(plans=(plan,)), TIANJIN_HRSS)
    assert finding.outcome is V
    assert "lacks: procedure" in finding.message.en
    assert "no time of the checks for round 2" in finding.message.en


def test_stratum_ratios_or_a_scope_filter_are_enough() -> None:
    plan = attrs.evolve(
        PLAN, ratio=None, stratum_ratios={HOME: Fraction(1, 5)}, scope=Scope(districts={HOME})
    )
    assert outcome(check_plan_fields(year(plans=(plan,)), TIANJIN_HRSS), "plans[0]") is P


# --- R-GRADE-WEIGHT (Art. 9) and R-RISK-WEIGHT (Art. 12) ----------------------------------


def _profile_weights(a: object, b: object, c: object) -> Profile:
    return TIANJIN_HRSS.with_class_weights({Grade.A: a, Grade.B: b, Grade.C: c, Grade.UNRATED: 1})


@pytest.mark.parametrize(
    ("weights", "expected"),
    # "可优化随机抽查频次" is a permission: equal weights are lawful, an inversion is not.
    [(("1/2", 1, 2), P), ((1, 1, 1), P), (("1/2", 1, 1), P), (("1/2", 2, 1), V), ((2, 1, 3), V)],
)
def test_profile_grade_weights_a_below_b_at_most_c(
    weights: tuple[object, object, object], expected: Outcome
) -> None:
    profile = _profile_weights(*(Fraction(w) for w in weights))  # type: ignore[arg-type]
    assert outcome(check_grade_weight(year(draws=()), profile), "profile") is expected


def _weighted(weights: dict[str, Fraction], enterprises: tuple[Enterprise, ...]) -> Ledger:
    draw = attrs.evolve(
        DRAW, weights=tuple(UnitWeight(enterprise=k, weight=v) for k, v in weights.items())
    )
    return year(draws=(draw,), enterprises=enterprises)


def test_draw_weights_compare_grades_only_under_the_same_risk() -> None:
    a = Enterprise(uscc=E1, name="甲", district=HOME, grade=Grade.A, risk=RiskFlags(key_area=True))
    b = Enterprise(uscc=E2, name="乙", district=HOME, grade=Grade.B)
    # A with a risk factor may weigh more than B without one.
    fine = _weighted({E1: Fraction(3, 4), E2: Fraction(1, 2)}, (a, b))
    assert outcome(check_grade_weight(fine, TIANJIN_HRSS), "draws[0]") is P
    plain_a = attrs.evolve(a, risk=RiskFlags())
    equal = _weighted({E1: Fraction(1), E2: Fraction(1)}, (plain_a, b))
    assert outcome(check_grade_weight(equal, TIANJIN_HRSS), "draws[0]") is P
    wrong = _weighted({E1: Fraction(2), E2: Fraction(1)}, (plain_a, b))
    assert outcome(check_grade_weight(wrong, TIANJIN_HRSS), "draws[0]") is V


def test_a_plan_giving_a_better_grade_stratum_a_higher_ratio_is_an_inversion() -> None:
    # Within a grade stratum the weights cancel: the ratio is the chance of being drawn.
    inverted = attrs.evolve(
        PLAN,
        strata=("district", "grade"),
        stratum_ratios=((f"{HOME}|A", Fraction(1, 5)), (f"{HOME}|C", Fraction(1, 20))),
    )
    findings = check_grade_weight(year(plans=(inverted,)), TIANJIN_HRSS)
    assert outcome(findings, "plans[0]") is V
    assert "better grade" in findings[-1].message_en
    preferred = attrs.evolve(
        inverted, stratum_ratios=((f"{HOME}|A", Fraction(1, 20)), (f"{HOME}|C", Fraction(1, 5)))
    )
    assert outcome(check_grade_weight(year(plans=(preferred,)), TIANJIN_HRSS), "plans[0]") is P


def test_draw_weights_of_units_missing_from_the_directory_are_unknown() -> None:
    ledger = _weighted({E1: Fraction(1)}, ())
    assert outcome(check_grade_weight(ledger, TIANJIN_HRSS), "draws[0]") is U


def test_profile_risk_multipliers_must_raise_the_weight() -> None:
    assert outcome(check_risk_weight(year(), TIANJIN_HRSS), "profile") is P
    neutral = TIANJIN_HRSS.with_risk_tiers(key_area=((1, Fraction(1)),))
    assert outcome(check_risk_weight(year(), neutral), "profile") is W
    lowering = TIANJIN_HRSS.with_risk_tiers(serious_violation=((1, Fraction(1, 2)),))
    assert outcome(check_risk_weight(year(), lowering), "profile") is V
    tiers = TIANJIN_HRSS.with_risk_tiers(complaints_12m=((1, Fraction(2)), (3, Fraction(3, 2))))
    assert outcome(check_risk_weight(year(), tiers), "profile") is V


def test_draw_weight_of_a_risky_enterprise_below_a_risk_free_one_fails() -> None:
    risky = Enterprise(
        uscc=E1, name="甲", district=HOME, grade=Grade.B, risk=RiskFlags(abnormal_operations=True)
    )
    plain = Enterprise(uscc=E2, name="乙", district=HOME, grade=Grade.B)
    good = _weighted({E1: Fraction(2), E2: Fraction(1)}, (risky, plain))
    assert outcome(check_risk_weight(good, TIANJIN_HRSS), "draws[0]") is P
    bad = _weighted({E1: Fraction(1, 2), E2: Fraction(1)}, (risky, plain))
    assert outcome(check_risk_weight(bad, TIANJIN_HRSS), "draws[0]") is V


# --- R-TARGETED (Art. 9) ------------------------------------------------------------------


@pytest.mark.parametrize("ground", [g for g in TargetedGround if g != TargetedGround.OTHER])
def test_targeted_inspection_with_a_ground_passes(ground: TargetedGround) -> None:
    ledger = year(inspections=(_targeted(ground=ground),))
    assert outcome(check_targeted(ledger, TIANJIN_HRSS), "inspections[0]") is P


def test_targeted_ground_list_is_open_but_other_needs_its_text() -> None:
    """Art. 9 "因投诉举报等监管工作需要": 等 leaves the list open; "other" must say what."""
    other = _targeted(ground=TargetedGround.OTHER)
    [found] = check_targeted(year(inspections=(other,)), TIANJIN_HRSS)
    assert found.outcome is V
    assert "未说明具体事由" in found.message_zh
    said = _targeted(ground=TargetedGround.OTHER, ground_reference="数据监测发现欠薪预警")
    assert outcome(check_targeted(year(inspections=(said,)), TIANJIN_HRSS), "inspections[0]") is P


def test_targeted_ground_outside_the_profile_list_is_a_violation() -> None:
    odd = _targeted(ground="hunch")
    [found] = check_targeted(year(inspections=(odd,)), TIANJIN_HRSS)
    assert found.outcome is V
    assert "'hunch'" in found.message_en
    assert "complaint or report" in found.message_en


def test_targeted_inspection_without_ground_fails() -> None:
    ledger = year(inspections=(_targeted(ground=None),))
    assert outcome(check_targeted(ledger, TIANJIN_HRSS), "inspections[0]") is V


def test_targeted_inspection_records_the_suspected_violation() -> None:
    """Art. 9 "需依法对有违法嫌疑的监管对象开展针对性检查": the suspicion is part of the ground."""
    silent = _targeted(suspicion="")
    [found] = check_targeted(year(inspections=(silent,)), TIANJIN_HRSS)
    assert found.outcome is V
    assert "违法嫌疑" in found.message_zh
    assert "suspected violation" in found.message_en


@given(suspicion=st.text(max_size=6), ground=st.sampled_from(list(TargetedGround)))
def test_a_targeted_inspection_passes_iff_it_says_what_it_suspects(
    suspicion: str, ground: TargetedGround
) -> None:
    inspection = _targeted(ground=ground, ground_reference="数据监测预警", suspicion=suspicion)
    got = outcome(check_targeted(year(inspections=(inspection,)), TIANJIN_HRSS), "inspections[0]")
    assert got is (P if inspection.suspicion else V)


def test_no_targeted_inspection_is_not_applicable() -> None:
    findings = check_targeted(year(inspections=(_random(),)), TIANJIN_HRSS)
    assert [(f.subject, f.outcome) for f in findings] == [("ledger", NA)]


# --- R-RECUSAL (Art. 10) ------------------------------------------------------------------


@pytest.mark.parametrize("ground", list(ConflictGround))
def test_declared_conflict_on_the_team_fails(ground: ConflictGround) -> None:
    conflict = Conflict(inspector="K2", enterprise=E1, ground=ground, note="说明")
    findings = check_recusal(year(conflicts=(conflict,)), TIANJIN_HRSS)
    assert outcome(findings, "inspections[0]") is V
    assert outcome(findings, "inspections[1]") is P


@pytest.mark.parametrize("field", ["former_employers", "relatives_employers", "shareholdings"])
def test_interest_in_the_inspectors_own_record_fails(field: str) -> None:
    inspectors = (_inspector("K1", **{field: (E1,)}), _inspector("K2"), _inspector("K3", OTHER))
    findings = check_recusal(year(inspectors=inspectors), TIANJIN_HRSS)
    assert outcome(findings, "inspections[0]") is V


def test_conflict_with_another_enterprise_is_no_reason_to_recuse() -> None:
    conflict = Conflict(inspector="K2", enterprise=E2, ground=ConflictGround.RELATIVE)
    findings = check_recusal(year(conflicts=(conflict,)), TIANJIN_HRSS)
    assert outcome(findings, "inspections[0]") is P


def test_a_tie_recorded_after_the_inspection_is_not_a_retroactive_breach() -> None:
    # The inspection of E1 began on 2026-03-10; Art. 10 "应当依法回避" binds the ties then in force.
    for since, expected in [(date(2026, 3, 10), V), (date(2026, 3, 11), P), (None, V)]:
        tie = Conflict(inspector="K2", enterprise=E1, ground=ConflictGround.RELATIVE, since=since)
        findings = check_recusal(year(conflicts=(tie,)), TIANJIN_HRSS)
        assert outcome(findings, "inspections[0]") is expected
    ended = Conflict(
        inspector="k2", enterprise=E1, ground=ConflictGround.SHAREHOLDING, until=date(2026, 3, 9)
    )
    assert outcome(check_recusal(year(conflicts=(ended,)), TIANJIN_HRSS), "inspections[0]") is P


@given(
    since=st.one_of(st.none(), st.dates(date(2026, 3, 1), date(2026, 3, 20))),
    until=st.one_of(st.none(), st.dates(date(2026, 3, 1), date(2026, 3, 20))),
)
def test_recusal_judged_on_the_ties_in_force_on_the_inspection_day(
    since: date | None, until: date | None
) -> None:
    tie = Conflict(
        inspector="K1", enterprise=E1, ground=ConflictGround.RELATIVE, since=since, until=until
    )
    got = outcome(check_recusal(year(conflicts=(tie,)), TIANJIN_HRSS), "inspections[0]")
    assert got is (V if tie.holds_on(date(2026, 3, 10)) else P)


def test_a_grade_is_judged_as_it_stood_on_the_day_of_the_draw() -> None:
    # Drawn as A (weight 1/2) on 2026-02-24, regraded C in June: no inversion at the draw.
    a_then_c = Enterprise(uscc=E1, name="甲", district=HOME, grade=Grade.C)
    b = Enterprise(uscc=E2, name="乙", district=HOME, grade=Grade.B)
    ledger = _weighted({E1: Fraction(1, 2), E2: Fraction(1)}, (a_then_c, b))
    assert outcome(check_grade_weight(ledger, TIANJIN_HRSS), "draws[0]") is V
    history = (
        GradeRecord(enterprise=E1, grade=Grade.A, since=date(2026, 1, 1)),
        GradeRecord(enterprise=E1, grade=Grade.C, since=date(2026, 6, 1)),
    )
    dated = attrs.evolve(ledger, grades=history)
    assert outcome(check_grade_weight(dated, TIANJIN_HRSS), "draws[0]") is P
    # Regraded on the draw's day itself: C is in force, and the weight is inverted.
    same_day = attrs.evolve(ledger, grades=(attrs.evolve(history[1], since=SEED_FIXED.date()),))
    assert outcome(check_grade_weight(same_day, TIANJIN_HRSS), "draws[0]") is V


# --- R-CAP (Art. 10) ----------------------------------------------------------------------

MARCH, JUNE, SEPT = date(2026, 3, 10), date(2026, 6, 10), date(2026, 9, 10)


def test_third_random_check_in_a_year_is_flagged() -> None:
    ledger = year(
        inspections=(_random("I1", day=MARCH), _random("I2", day=JUNE), _random("I3", day=SEPT))
    )
    findings = check_cap(ledger, TIANJIN_HRSS)
    assert [(f.subject, f.outcome) for f in findings] == [
        ("inspections[0]", P),
        ("inspections[1]", P),
        ("inspections[2]", W),
    ]
    strict = attrs.evolve(
        TIANJIN_HRSS, cap=attrs.evolve(TIANJIN_HRSS.cap, severity=Severity.VIOLATION)
    )
    assert outcome(check_cap(ledger, strict), "inspections[2]") is V


def test_cap_counts_in_date_order_not_ledger_order() -> None:
    ledger = year(
        inspections=(_random("I3", day=SEPT), _random("I1", day=MARCH), _random("I2", day=JUNE))
    )
    assert only(check_cap(ledger, TIANJIN_HRSS), W) == ["inspections[0]"]


def test_targeted_inspections_do_not_count() -> None:
    ledger = year(
        inspections=(
            _random("I1", day=MARCH),
            _targeted("T1", enterprise=E1, started=date(2026, 5, 6)),
            _random("I2", day=JUNE),
        )
    )
    assert only(check_cap(ledger, TIANJIN_HRSS), W) == []


def test_a_joint_visit_counts_once() -> None:
    ledger = year(
        inspections=(
            _random("I1", day=MARCH, joint_visit="JV1"),
            _random("I2", day=MARCH, joint_visit="JV1", lines=(Line.SOCIAL_INSURANCE_AUDIT,)),
            _random("I3", day=JUNE),
        )
    )
    assert only(check_cap(ledger, TIANJIN_HRSS), W) == []


def test_a_joint_visit_is_one_enterprise_one_day() -> None:
    # Art. 11 "一次性完成": three checks on three days are three visits, whatever id they share.
    days = (MARCH, JUNE, date(2026, 9, 1))
    ledger = year(
        inspections=tuple(
            _random(f"I{k}", day=day, joint_visit="JV1") for k, day in enumerate(days)
        )
    )
    findings = check_cap(ledger, TIANJIN_HRSS)
    assert only(findings, W) == ["inspections[2]"]


@given(st.lists(st.dates(date(2026, 1, 1), date(2026, 12, 31)), min_size=1, max_size=6))
def test_joint_visits_count_as_the_distinct_days_they_share(days: list[date]) -> None:
    inspections = tuple(_random(f"I{k}", day=day, joint_visit="JV") for k, day in enumerate(days))
    visits = random_visits(inspections)
    assert [len(v) for v in visits.values()] == [len(set(days))]
    for visit in next(iter(visits.values())):
        assert len({inspections[i].started for i in visit}) == 1


def test_cap_is_per_calendar_year() -> None:
    ledger = year(
        inspections=(
            _random("I0", day=date(2025, 12, 30)),
            _random("I1", day=MARCH),
            _random("I2", day=JUNE),
        )
    )
    assert only(check_cap(ledger, TIANJIN_HRSS), W) == []


# --- R-CROSS-DISTRICT (Art. 10) -----------------------------------------------------------


def test_one_of_two_from_another_district_is_within_half() -> None:
    ledger = year(inspections=(_random(team=("K1", "K3")),))
    assert outcome(check_cross_district(ledger, TIANJIN_HRSS), "inspections[0]") is P


def test_whole_team_from_another_district_exceeds_half() -> None:
    inspectors = (*year().inspectors, _inspector("K4", OTHER))
    ledger = year(inspectors=inspectors, inspections=(_random(team=("K3", "K4")),))
    assert outcome(check_cross_district(ledger, TIANJIN_HRSS), "inspections[0]") is V


def test_minimum_share_from_other_districts_is_enforced_too() -> None:
    plan = attrs.evolve(PLAN, cross_district=CrossDistrictBounds(minimum=Fraction(1, 2)))
    ledger = year(plans=(plan,))
    assert outcome(check_cross_district(ledger, TIANJIN_HRSS), "inspections[0]") is V


def test_a_team_wholly_from_other_districts_fails_even_with_the_widest_bounds() -> None:
    # Art. 10 "也可以部分从其他区…名录库中随机抽取": a part, never the whole team.
    widest = attrs.evolve(PLAN, cross_district=CrossDistrictBounds())
    inspectors = (*year().inspectors, _inspector("K4", OTHER))
    ledger = year(plans=(widest,), inspectors=inspectors, inspections=(_random(team=("K3", "K4")),))
    findings = check_cross_district(ledger, TIANJIN_HRSS)
    assert outcome(findings, "inspections[0]") is V
    assert "部分" in findings[0].message_zh
    one_own = year(
        plans=(widest,), inspectors=inspectors, inspections=(_random(team=("K1", "K4")),)
    )
    assert outcome(check_cross_district(one_own, TIANJIN_HRSS), "inspections[0]") is P


def test_own_is_the_inspecting_departments_directory_not_the_enterprises_district() -> None:
    # A city-level agency inspects with the city's own directory; none of them is "other".
    city = "市本级"
    inspectors = (_inspector("K1", city), _inspector("K2", city))
    at_city = _random(team=("K1", "K2"), department_district=city)
    ledger = year(inspectors=inspectors, inspections=(at_city,))
    assert outcome(check_cross_district(ledger, TIANJIN_HRSS), "inspections[0]") is P
    # Without saying so, the enterprise's district is taken as the department's own.
    local = year(inspectors=inspectors, inspections=(_random(team=("K1", "K2")),))
    assert outcome(check_cross_district(local, TIANJIN_HRSS), "inspections[0]") is V


@given(size=st.integers(1, 8), num=st.integers(0, 8), den=st.integers(1, 8))
def test_allowed_outside_always_keeps_one_own_member(size: int, num: int, den: int) -> None:
    maximum = Fraction(min(num, den), den)
    low, high = allowed_outside(size, CrossDistrictBounds(maximum=maximum))
    assert high <= size - 1
    assert high == min(maximum.numerator * size // maximum.denominator, size - 1)
    assert low == 0


def test_unrecorded_district_is_unknown() -> None:
    inspectors = (_inspector("K1", district=""), _inspector("K2"))
    ledger = year(inspectors=inspectors)
    assert outcome(check_cross_district(ledger, TIANJIN_HRSS), "inspections[0]") is U


# --- R-ONE-VISIT (Art. 11) ----------------------------------------------------------------


def test_separate_visits_in_the_same_window_are_flagged() -> None:
    ledger = year(
        inspections=(_random("I1", day=date(2026, 3, 5)), _random("I2", day=date(2026, 3, 20)))
    )
    findings = check_one_visit(ledger, TIANJIN_HRSS)
    assert outcome(findings, "inspections[0]") is P
    assert outcome(findings, "inspections[1]") is W


def test_joint_visit_or_another_window_is_fine() -> None:
    joint = year(
        inspections=(
            _random("I1", day=date(2026, 3, 5), joint_visit="JV"),
            _random("I2", day=date(2026, 3, 5), joint_visit="JV"),
        )
    )
    assert only(check_one_visit(joint, TIANJIN_HRSS), W) == []
    apart = year(inspections=(_random("I1", day=MARCH), _random("I2", day=JUNE)))
    assert only(check_one_visit(apart, TIANJIN_HRSS), W) == []


# --- R-DISPOSITION (Art. 13) --------------------------------------------------------------


@pytest.mark.parametrize(
    ("disposition", "published", "expected"),
    [
        (Disposition.ADMINISTRATIVE_PENALTY, date(2026, 4, 1), P),
        (Disposition.NONE, date(2026, 4, 1), P),
        (Disposition.TRANSFER_TO_JUDICIARY, None, V),
        (None, date(2026, 4, 1), V),
    ],
)
def test_violation_found_needs_a_decision_and_a_published_outcome(
    disposition: Disposition | None, published: date | None, expected: Outcome
) -> None:
    record = ViolationRecord(id="V1", inspection="I1", disposition=disposition, published=published)
    findings = check_disposition(year(violations=(record,)), TIANJIN_HRSS)
    assert outcome(findings, "violations[0]") is expected


def test_disposition_list_is_open_but_other_needs_its_text() -> None:
    """Art. 13 "行政处罚、移送其它行政机关、移送司法机关等处理决定": 等 leaves the list open."""
    day = date(2026, 4, 1)
    bare = ViolationRecord(id="V1", inspection="I1", disposition="other", published=day)
    [found] = check_disposition(year(violations=(bare,)), TIANJIN_HRSS)
    assert found.outcome is V
    assert "未说明具体决定" in found.message_zh
    said = attrs.evolve(bare, disposition_note="约谈并责令整改")
    assert outcome(check_disposition(year(violations=(said,)), TIANJIN_HRSS), "violations[0]") is P
    unknown = attrs.evolve(bare, disposition="scolding")
    [found] = check_disposition(year(violations=(unknown,)), TIANJIN_HRSS)
    assert "'scolding'" in found.message_en


# --- R-REPORT (Art. 14) -------------------------------------------------------------------


def test_finished_random_check_needs_a_summary_report() -> None:
    assert outcome(check_report(year(), TIANJIN_HRSS), "inspections[0]") is P
    assert outcome(check_report(year(reports=()), TIANJIN_HRSS), "inspections[0]") is V


@pytest.mark.parametrize("field", ["conclusion", "handling_opinion"])
def test_report_needs_conclusion_and_handling_opinion(field: str) -> None:
    report = attrs.evolve(year().reports[0], **{field: ""})
    findings = check_report(year(reports=(report,)), TIANJIN_HRSS)
    assert outcome(findings, "reports[0]") is V
    assert outcome(findings, "inspections[0]") is P


def test_one_summary_report_per_round_covers_its_inspections() -> None:
    # Art. 14 "应当在每次随机抽查结束后，形成随机抽查总结报告": one report for the round (the draw).
    two = (_random(), _random("I2", enterprise=E2))
    by_round = SummaryReport(
        round="sha256:d1",
        conclusion="两户均未发现违法行为",
        handling_opinion="无需处理",
        dated=date(2026, 3, 20),
    )
    findings = check_report(year(inspections=two, reports=(by_round,)), TIANJIN_HRSS)
    assert only(findings, V) == []
    assert {"reports[0]", "inspections[0]", "inspections[1]"} <= set(only(findings, P))
    listed = SummaryReport(
        inspections=("I1",),
        conclusion="未发现",
        handling_opinion="无需处理",
        dated=date(2026, 3, 20),
    )
    findings = check_report(year(inspections=two, reports=(listed,)), TIANJIN_HRSS)
    assert outcome(findings, "inspections[0]") is P
    assert outcome(findings, "inspections[1]") is V
    incomplete = attrs.evolve(by_round, handling_opinion="")
    findings = check_report(year(inspections=two, reports=(incomplete,)), TIANJIN_HRSS)
    assert outcome(findings, "reports[0]") is V
    assert "round sha256:d1" in findings[0].message_en


def test_a_report_names_one_inspection_or_a_round_never_both_nor_neither() -> None:
    with pytest.raises(ValidationError):
        SummaryReport(inspection="I1", round="sha256:d1", dated=date(2026, 3, 20))
    with pytest.raises(ValidationError):
        SummaryReport(dated=date(2026, 3, 20))


def test_round_reports_round_trip_and_single_reports_keep_their_bytes() -> None:
    single = year().reports[0]
    assert "round" not in canonical.converter.unstructure(single)
    by_round = SummaryReport(
        round="sha256:d1",
        inspections=("I1",),
        conclusion="c",
        handling_opinion="h",
        dated=date(2026, 3, 20),
    )
    data = canonical.converter.unstructure(by_round)
    assert "inspection" not in data
    assert canonical.converter.structure(data, SummaryReport) == by_round


@given(st.lists(st.sampled_from(["I1", "I2", "I3"]), unique=True))
def test_exactly_the_covered_inspections_are_reported(covered: list[str]) -> None:
    three = (_random(), _random("I2", enterprise=E2), _random("I3", enterprise=E3))
    reports = (
        (
            SummaryReport(
                inspections=tuple(covered),
                conclusion="c",
                handling_opinion="h",
                dated=date(2026, 3, 20),
            ),
        )
        if covered
        else ()
    )
    findings = check_report(year(inspections=three, reports=reports), TIANJIN_HRSS)
    for k, key in enumerate(["I1", "I2", "I3"]):
        assert outcome(findings, f"inspections[{k}]") is (P if key in covered else V)


def test_targeted_and_unfinished_inspections_need_no_report_yet() -> None:
    ledger = year(reports=(), inspections=(_random(finished=None), _targeted()))
    assert only(check_report(ledger, TIANJIN_HRSS), V) == []


# --- R-PUBLICITY (Art. 14) ----------------------------------------------------------------


def _publicity(start: date, end: date) -> Publicity:
    return Publicity(id="PUB1", inspections=("I1",), start=start, end=end)


def test_publicity_of_seven_days_after_the_posting_day_passes_six_fails() -> None:
    # Art. 14 "公示期不少于七天"; 民法典 Art. 201: the posting day 3-12 is not counted.
    seven = year(publicities=(_publicity(date(2026, 3, 12), date(2026, 3, 19)),))
    assert outcome(check_publicity(seven, TIANJIN_HRSS, calendar=CAL), "publicities[0]") is P
    six = year(publicities=(_publicity(date(2026, 3, 12), date(2026, 3, 18)),))
    assert outcome(check_publicity(six, TIANJIN_HRSS, calendar=CAL), "publicities[0]") is V


def test_publicity_without_holiday_data_is_unknown_never_a_guess() -> None:
    findings = check_publicity(year(), TIANJIN_HRSS)
    assert outcome(findings, "publicities[0]") is U
    assert outcome(findings, "feedback[0]") is U
    beyond = ExplicitCalendar(years=[2025])
    assert outcome(check_publicity(year(), TIANJIN_HRSS, calendar=beyond), "publicities[0]") is U


def test_a_last_day_on_a_holiday_rolls_over_past_the_holiday() -> None:
    # 民法典 Art. 203: posted 2026-09-28; the seventh counted day, 10-05, is in the National Day
    # holiday, so publicity lasts to 10-08 and feedback is lawful from 10-09.
    national_day = ExplicitCalendar(years=[2026], holidays=[date(2026, 10, d) for d in range(1, 8)])
    for end, expected in [(date(2026, 10, 5), V), (date(2026, 10, 7), V), (date(2026, 10, 8), P)]:
        ledger = year(
            publicities=(_publicity(date(2026, 9, 28), end),),
            feedback=(_feedback(date(2026, 10, 9)),),
        )
        findings = check_publicity(ledger, TIANJIN_HRSS, calendar=national_day)
        assert outcome(findings, "publicities[0]") is expected
    early = year(
        publicities=(_publicity(date(2026, 9, 28), date(2026, 10, 8)),),
        feedback=(_feedback(date(2026, 10, 6)),),
    )
    findings = check_publicity(early, TIANJIN_HRSS, calendar=national_day)
    assert outcome(findings, "feedback[0]") is V
    assert "2026-10-09" in findings[-1].message_en


@pytest.mark.parametrize(
    ("dated", "expected"),
    [
        (date(2026, 3, 20), P),  # the day after the 7th counted day
        (date(2026, 3, 19), V),  # the 7th counted day: publicity still running
        (date(2026, 3, 12), V),
        (date(2026, 3, 11), V),  # before publicity: publish first, then feedback
    ],
)
def test_feedback_only_after_the_publicity_ends(dated: date, expected: Outcome) -> None:
    feedback = _feedback(dated)
    findings = check_publicity(year(feedback=(feedback,)), TIANJIN_HRSS, calendar=CAL)
    assert outcome(findings, "feedback[0]") is expected
    if expected is V:
        assert "2026-03-20" in findings[-1].message_en


def test_feedback_after_a_longer_publicity_must_wait_for_its_end() -> None:
    ledger = year(publicities=(_publicity(date(2026, 3, 12), date(2026, 3, 25)),))
    assert outcome(check_publicity(ledger, TIANJIN_HRSS, calendar=CAL), "feedback[0]") is V


@pytest.mark.parametrize(
    ("finished", "expected"),
    [(date(2026, 3, 19), P), (date(2026, 3, 20), P), (date(2026, 3, 21), V), (None, V)],
)
def test_objection_reviewed_before_feedback(finished: date | None, expected: Outcome) -> None:
    objection = Objection(
        id="O1", inspection="I1", opened=date(2026, 3, 14), review_finished=finished
    )
    findings = check_publicity(year(objections=(objection,)), TIANJIN_HRSS, calendar=CAL)
    assert outcome(findings, "objections[0]") is expected


def test_working_day_counting_needs_a_calendar_and_uses_it() -> None:
    working = attrs.evolve(
        TIANJIN_HRSS, publicity=attrs.evolve(TIANJIN_HRSS.publicity, counting=DayCounting.WORKING)
    )
    # Posted Friday 13 March 2026 (not counted): seven working days end on Tuesday 24 March.
    ledger = year(
        publicities=(_publicity(date(2026, 3, 13), date(2026, 3, 20)),),
        feedback=(
            Feedback(
                inspection="I1",
                dated=date(2026, 3, 21),
                mode=FeedbackMode.WRITTEN,
                issued_by="一组",
            ),
        ),
    )
    assert outcome(check_publicity(ledger, working), "publicities[0]") is U
    calendar = ExplicitCalendar(years=[2026])
    findings = check_publicity(ledger, working, calendar=calendar)
    assert outcome(findings, "publicities[0]") is V
    # Feedback must also wait for the seventh working day to pass, whatever end was recorded.
    assert outcome(findings, "feedback[0]") is V
    assert "2026-03-25" in findings[-1].message_en
    on_time = attrs.evolve(ledger, feedback=(_feedback(date(2026, 3, 25)),))
    assert outcome(check_publicity(on_time, working, calendar=calendar), "feedback[0]") is P


# --- R-RULES-VALID (Art. 16) --------------------------------------------------------------


def test_rules_valid_to_the_same_date_two_years_on() -> None:
    # Art. 16 "有效期两年", counted per 民法典 Art. 201-202: issued 2026-03-01, the last day
    # is 2028-03-01 itself.
    issued = attrs.evolve(TIANJIN_HRSS, issued=date(2026, 3, 1))
    last_day = year(
        inspections=(_random(day=date(2026, 3, 1)), _random("I2", day=date(2028, 3, 1)))
    )
    assert [(f.subject, f.outcome) for f in check_rules_valid(last_day, issued)] == [("profile", P)]
    lapsed = year(inspections=(_random(day=date(2028, 3, 2)),))
    assert outcome(check_rules_valid(lapsed, issued), "profile") is V
    before = year(inspections=(_random(day=date(2026, 2, 28)),))
    assert outcome(check_rules_valid(before, issued), "profile") is V


def test_a_lapsed_profile_is_one_finding_not_one_per_inspection() -> None:
    issued = attrs.evolve(TIANJIN_HRSS, issued=date(2020, 1, 1))
    days = [date(2026, 3, d) for d in range(1, 11)]
    ledger = year(inspections=tuple(_random(f"I{d.day}", day=d) for d in days))
    findings = check_rules_valid(ledger, issued)
    assert [(f.subject, f.outcome) for f in findings] == [("profile", V)]
    assert "10 inspection(s)" in findings[0].message_en
    assert "2022-01-01" in findings[0].message_en


@given(
    issued=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
    years=st.integers(min_value=1, max_value=5),
)
def test_validity_ends_on_the_anniversary_or_the_months_last_day(issued: date, years: int) -> None:
    window = validity_window(issued, years)
    assert window is not None
    assert window.start == issued
    assert window.end.year == issued.year + years
    assert window.end.month == issued.month
    if (issued.month, issued.day) == (2, 29) and not isleap(window.end.year):
        assert window.end.day == 28
    else:
        assert window.end.day == issued.day


def test_rules_validity_unknown_without_issue_date() -> None:
    findings = check_rules_valid(year(), TIANJIN_HRSS)
    assert [(f.subject, f.outcome) for f in findings] == [("profile", U)]


# --- the report -----------------------------------------------------------------------------


def _broken() -> Ledger:
    return year(
        reports=(),
        feedback=(
            Feedback(
                inspection="I1",
                dated=date(2026, 3, 18),
                mode=FeedbackMode.WRITTEN,
                issued_by="一组",
            ),
        ),
    )


def test_report_counts_and_findings() -> None:
    report = audit(_broken(), TIANJIN_HRSS)
    assert not report.ok
    assert {(f.rule, f.subject) for f in report.violations} == {
        ("R-REPORT", "inspections[0]"),
        ("R-PUBLICITY", "feedback[0]"),
    }
    assert report.count("R-REPORT", V) == 1
    assert report.count(outcome=V) == 2
    assert list(report.counts) == list(RULES)
    assert all(f.outcome is not P for f in report.findings)


def test_raise_if_violations_raises_a_group_of_rule_violations() -> None:
    report = audit(_broken(), TIANJIN_HRSS)
    with pytest.raises(ExceptionGroup) as caught:
        report.raise_if_violations()
    errors = caught.value.exceptions
    assert len(errors) == 2
    assert all(isinstance(e, RuleViolation) for e in errors)
    assert all(isinstance(e, RandcheckError) and isinstance(e, ValueError) for e in errors)
    first = errors[0]
    assert isinstance(first, RuleViolation)
    assert first.finding in report.violations
    again = pickle.loads(pickle.dumps(first))
    assert isinstance(again, RuleViolation)
    assert again.finding == first.finding
    audit(year(), TIANJIN_HRSS).raise_if_violations()


def test_rows_text_and_json() -> None:
    report = audit(_broken(), TIANJIN_HRSS)
    rows = report.rows()
    assert rows[0].keys() == {"rule", "outcome", "article", "subject", "message_zh", "message_en"}
    assert {row["rule"] for row in rows if row["outcome"] == "violation"} == {
        "R-REPORT",
        "R-PUBLICITY",
    }
    text = report.to_text()
    assert "R-PUBLICITY" in text
    assert "违规" in text
    assert "violation" in text
    assert text.index("反馈日") < text.index("feedback on")
    data = report.to_document()
    assert data["ok"] is False
    assert data["counts"]["R-REPORT"]["violation"] == 1
    assert json.loads(report_json(report)) == data
    assert report_json(report).startswith('{\n  "profile": ')
    assert Report.from_document(json.loads(report_json(report))) == report


def test_a_report_document_that_contradicts_itself_is_refused() -> None:
    document = audit(_broken(), TIANJIN_HRSS).to_document()
    with pytest.raises(InputFileError) as info:
        Report.from_document({**document, "ok": True}, source="report.json")
    assert info.value.errors[0].field == "$.ok"
    with pytest.raises(InputFileError) as info:
        Report.from_document({**document, "findings": [{"rule": "R-CAP"}]})
    assert any(e.field == "$.findings[0].outcome" for e in info.value.errors)


def test_include_passes_and_rule_subset() -> None:
    full = audit(year(), TIANJIN_HRSS, include_passes=True)
    assert len(full.select(outcome=P)) == full.count(outcome=P)
    some = audit(year(), TIANJIN_HRSS, rules=["R-CAP", "R-REPORT"])
    assert list(some.counts) == ["R-CAP", "R-REPORT"]
    with pytest.raises(KeyError):
        audit(year(), TIANJIN_HRSS, rules=["R-NOPE"])


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lawful_ledgers())
def test_each_check_function_agrees_with_the_audit(ledger: Ledger) -> None:
    report = audit(ledger, TIANJIN_HRSS)
    for rule in RULES.values():
        findings = list(rule.function(ledger, TIANJIN_HRSS))
        assert all(f.rule == rule.id for f in findings)
        counted = Counter(f.outcome for f in findings)
        assert {o: n for o, n in report.counts[rule.id].items() if n} == dict(counted)


def test_report_equality_and_repr() -> None:
    assert audit(year(), TIANJIN_HRSS) == audit(year(), TIANJIN_HRSS)
    assert isinstance(audit(year(), TIANJIN_HRSS), Report)


# --- the catalogue ------------------------------------------------------------------------


def test_docs_rules_md_is_the_generated_catalogue() -> None:
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == catalogue_markdown()


def test_every_rule_is_in_the_catalogue_and_has_tests() -> None:
    catalogue = catalogue_markdown()
    tests = "".join(
        path.read_text(encoding="utf-8") for path in sorted(ROOT.glob("tests/test_validators*.py"))
    )
    for rule in RULES.values():
        assert f"## {rule.id}\n" in catalogue
        assert rule.id in tests
        assert f"{rule.function.__name__}(" in tests


def test_quotes_are_verbatim_from_their_articles() -> None:
    text = TIANJIN_HRSS.source_text
    assert text is not None
    numerals = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]
    names = numerals + ["十" + n for n in numerals[:-1]]
    starts = {f"第{name}条": text.index(f"第{name}条") for name in names[:16]}
    ordered = sorted(starts.values())
    for rule in RULES.values():
        for article, quote in rule.citation(TIANJIN_HRSS).quotes:
            start = starts[article.zh]
            end = next((at for at in ordered if at > start), len(text))
            assert quote in text[start:end], (rule.id, article)


def test_the_catalogue_holds_the_rules_of_the_spec() -> None:
    assert set(RULES) == {
        "R-RANDOM",
        "R-COMPLETION",
        "R-FEEDBACK-BY-INSPECTOR",
        "R-PUBLIC",
        "R-ITEM-FIELDS",
        "R-LEGAL-BASIS",
        "R-INSPECTOR-RECORD",
        "R-TEAM",
        "R-PLAN-DEADLINE",
        "R-PLAN-FIELDS",
        "R-GRADE-WEIGHT",
        "R-RISK-WEIGHT",
        "R-TARGETED",
        "R-COVERAGE",
        "R-RECUSAL",
        "R-CAP",
        "R-CROSS-DISTRICT",
        "R-ONE-VISIT",
        "R-DISPOSITION",
        "R-REPORT",
        "R-PUBLICITY",
        "R-RULES-VALID",
    }
    for rule in RULES.values():
        cited = rule.citation(TIANJIN_HRSS)
        assert cited.articles, rule.id
        assert {article for article, _ in cited.quotes} <= set(cited.articles)


_PIECES = st.one_of(
    st.text(alphabet="0123456789０１２３４５６７８９ -+Xx年月日电话号", max_size=14),
    st.integers(13_000_000_000, 19_999_999_999).map(str),
    st.integers(10**16, 10**17 - 1).map(lambda n: str(n) + resident_id_check_character(str(n))),
    st.just(VALID_ID),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=6).map("".join))
def test_published_text_flagged_exactly_when_personal_data_is_found(text: str) -> None:
    leaks = find_unmasked_personal_data(text)
    assert _publication_outcome(text) is (V if leaks else P)


def test_package_example_runs() -> None:
    assert doctest.testmod(randcheck.validators).failed == 0


def test_finding_messages_never_carry_an_unmasked_identity_number() -> None:
    from randcheck.ids import find_unmasked_personal_data
    from randcheck.validators import Finding, Outcome

    finding = Finding(
        rule="R-RECUSAL",
        outcome=Outcome.VIOLATION,
        article="Art. 10",
        subject="inspections[0]",
        message=Text(
            zh="检查人员 11010519491231002X 与检查对象有利害关系，电话 13812345678",
            en="inspector 11010519491231002X has an interest",
        ),
    )
    assert find_unmasked_personal_data(finding.message_zh) == []
    assert find_unmasked_personal_data(finding.message_en) == []
    assert "1101**********002X" in finding.message_en


# --- R-RANDOM (rev. 2): one draw per commitment and round ----------------------------------


def test_a_redraw_under_the_same_commitment_and_round_is_a_violation() -> None:
    redraw = attrs.evolve(DRAW, id="sha256:d2", seed="2026-02-25 福彩3D 456", selected=(E2,))
    # Nothing in the ledger refers to the redraw: it is reported all the same.
    findings = check_random(year(draws=(DRAW, redraw)), TIANJIN_HRSS)
    assert outcome(findings, "draws[0]") is V
    assert outcome(findings, "draws[1]") is V
    messages = [f.message_en for f in findings if f.subject == "draws[1]"]
    assert "redraw" in messages[0]
    assert "draws[0]" in messages[0]


def test_draws_under_other_commitments_or_rounds_are_not_redraws() -> None:
    other_commitment = attrs.evolve(DRAW, id="sha256:d2", commitment="sha256:c2")
    other_round = attrs.evolve(DRAW, id="sha256:d3", round=2)
    ledger = year(
        draws=(attrs.evolve(DRAW, round=1), other_commitment, other_round),
        commitments=(),
    )
    findings = check_random(ledger, TIANJIN_HRSS)
    assert all("redraw" not in f.message_en for f in findings)


# --- published texts scanned in runs ------------------------------------------------------------

_TEXT_PIECES = st.one_of(
    st.text(alphabet="0123456789０１２３456 -.·－Xx+＋()abcAZ公示电话\n", max_size=24),
    st.sampled_from(
        [
            "13812345678",
            "+86 138-1234-5678",
            "１３８１２３４５６７８",
            "110101199003071234",
            "11010119900307123X",
            "110101900307123",
            "91120101MA05T7LF0X",
            "022-2345 6789",
            "\n",
        ]
    ),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_TEXT_PIECES, max_size=5).map("".join), max_size=8))
def test_texts_joined_by_line_breaks_hold_a_number_exactly_when_one_of_them_does(
    texts: list[str],
) -> None:
    joined = find_unmasked_personal_data("\n".join(texts))
    assert sorted(joined) == sorted(x for text in texts for x in find_unmasked_personal_data(text))


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.lists(_TEXT_PIECES, max_size=5).map("".join), max_size=12),
    st.integers(0, 700),
    st.sampled_from(["监督电话 022-2345 6789", "公示", ""]),
)
def test_published_texts_scanned_in_runs_give_the_findings_of_one_by_one(
    some: list[str], clean: int, filler: str
) -> None:
    # Runs of hundreds of texts, the drawn ones (leaks among them) anywhere in them.
    texts = [filler] * clean
    for k, text in enumerate(some):
        texts.insert((k * 257) % (len(texts) + 1), text)
    one_by_one = [_leak_finding(f"publicities[{p}]", text) for p, text in enumerate(texts)]
    assert list(_leak_findings("publicities", texts)) == one_by_one
