"""Tests for randcheck.guards: each step answered with its reason and earliest lawful date."""

from __future__ import annotations

import doctest
from datetime import date, timedelta
from fractions import Fraction

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import randcheck.guards
from randcheck.calendars import DayCounting, ExplicitCalendar
from randcheck.domain import (
    CheckItem,
    CheckItemList,
    Conflict,
    ConflictGround,
    CrossDistrictBounds,
    Enterprise,
    Inspector,
    LegalBasis,
    LegalRank,
    Line,
    Plan,
)
from randcheck.errors import ValidationError
from randcheck.guards import (
    Decision,
    may_add_to_team,
    may_give_feedback,
    may_inspect,
    may_submit_plan,
)
from randcheck.ledger import Objection, Publicity
from randcheck.profiles import TIANJIN_HRSS
from test_ledger_strategies import HOME, OTHER, make_uscc

LABOUR = Line.LABOUR_INSPECTION
E1 = make_uscc(1)
PERIOD = Publicity(id="P1", inspections=("I1",), start=date(2026, 3, 12), end=date(2026, 3, 18))


def test_module_examples_run() -> None:
    assert doctest.testmod(randcheck.guards).failed == 0


# --- feedback -------------------------------------------------------------------------------


# Monday to Friday, no holidays: the roll-over of 民法典 Art. 203 needs a calendar.
CAL = ExplicitCalendar(years=range(2019, 2032))


def test_feedback_from_the_day_after_the_seventh_counted_day() -> None:
    # Art. 14 "公示期不少于七天", counted per 民法典 Art. 201: posted on 3-12 (not counted),
    # days 3-13 to 3-19, feedback from 3-20.
    seventh = may_give_feedback(PERIOD, date(2026, 3, 19), TIANJIN_HRSS, calendar=CAL)
    assert not seventh
    assert seventh.earliest == date(2026, 3, 20)
    assert seventh.reason_en == (
        "feedback not allowed before 2026-03-20: publicity started 2026-03-12, Art. 14"
    )
    assert seventh.reason_zh.startswith("2026-03-20 之前不得反馈")
    assert "第十四条" in seventh.reason_zh
    assert (seventh.rule, seventh.article) == ("R-PUBLICITY", "Art. 14")
    eighth = may_give_feedback(PERIOD, date(2026, 3, 20), TIANJIN_HRSS, calendar=CAL)
    assert eighth
    assert eighth.earliest is None


def test_a_last_day_on_a_holiday_rolls_over_to_the_day_after_it() -> None:
    # 民法典 Art. 203: posted 2026-09-28, the seventh counted day 10-05 falls in the National
    # Day holiday (10-01 to 10-07), so the last day is 10-08 and feedback comes from 10-09.
    national_day = ExplicitCalendar(years=[2026], holidays=[date(2026, 10, d) for d in range(1, 8)])
    posted = Publicity(id="P", inspections=("I1",), start=date(2026, 9, 28), end=date(2026, 10, 8))
    assert not may_give_feedback(posted, date(2026, 10, 6), TIANJIN_HRSS, calendar=national_day)
    refused = may_give_feedback(posted, date(2026, 10, 8), TIANJIN_HRSS, calendar=national_day)
    assert refused.earliest == date(2026, 10, 9)
    assert may_give_feedback(posted, date(2026, 10, 9), TIANJIN_HRSS, calendar=national_day)
    # Without holiday data the guard cannot count: it says so rather than guess.
    with pytest.raises(ValidationError):
        may_give_feedback(posted, date(2026, 10, 9), TIANJIN_HRSS)


def test_feedback_before_publicity_is_refused_publish_first() -> None:
    decision = may_give_feedback(PERIOD, date(2026, 3, 1), TIANJIN_HRSS, calendar=CAL)
    assert not decision
    assert decision.earliest == date(2026, 3, 20)
    assert "publish first" in decision.reason_en


def test_longer_publicity_must_run_to_its_recorded_end() -> None:
    longer = attrs.evolve(PERIOD, end=date(2026, 3, 25))
    decision = may_give_feedback(longer, date(2026, 3, 20), TIANJIN_HRSS, calendar=CAL)
    assert not decision
    assert decision.earliest == date(2026, 3, 26)
    assert "2026-03-25" in decision.reason_en


def test_short_publicity_still_needs_the_minimum() -> None:
    short = attrs.evolve(PERIOD, end=date(2026, 3, 14))
    decision = may_give_feedback(short, date(2026, 3, 16), TIANJIN_HRSS, calendar=CAL)
    assert not decision
    assert decision.earliest == date(2026, 3, 20)


def test_objection_under_review_blocks_feedback() -> None:
    open_objection = Objection(id="O1", inspection="I1", opened=date(2026, 3, 14))
    decision = may_give_feedback(
        PERIOD, date(2026, 3, 20), TIANJIN_HRSS, objections=[open_objection], calendar=CAL
    )
    assert not decision
    assert decision.earliest is None
    assert "O1" in decision.reason_en
    reviewing = attrs.evolve(open_objection, review_finished=date(2026, 3, 22))
    decision = may_give_feedback(
        PERIOD, date(2026, 3, 20), TIANJIN_HRSS, objections=[reviewing], calendar=CAL
    )
    assert not decision
    assert decision.earliest == date(2026, 3, 22)
    assert may_give_feedback(
        PERIOD, date(2026, 3, 22), TIANJIN_HRSS, objections=[reviewing], calendar=CAL
    )


def test_objection_about_another_inspection_does_not_block() -> None:
    other = Objection(id="O2", inspection="I9", opened=date(2026, 3, 14))
    assert may_give_feedback(
        PERIOD, date(2026, 3, 20), TIANJIN_HRSS, objections=[other], calendar=CAL
    )


def test_working_days_need_a_calendar() -> None:
    working = attrs.evolve(
        TIANJIN_HRSS, publicity=attrs.evolve(TIANJIN_HRSS.publicity, counting=DayCounting.WORKING)
    )
    friday = attrs.evolve(PERIOD, start=date(2026, 3, 13), end=date(2026, 3, 13))
    with pytest.raises(ValidationError):
        may_give_feedback(friday, date(2026, 3, 24), working)
    calendar = ExplicitCalendar(years=[2026])
    # Posted Friday (not counted): seven working days 3-16 to 3-24.
    assert not may_give_feedback(friday, date(2026, 3, 24), working, calendar=calendar)
    assert may_give_feedback(friday, date(2026, 3, 25), working, calendar=calendar)


@given(
    start=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    extra=st.integers(0, 10),
    offset=st.integers(-5, 30),
)
def test_feedback_allowed_exactly_from_the_earliest_day(
    start: date, extra: int, offset: int
) -> None:
    period = Publicity(id="P", inspections=("I",), start=start, end=start + timedelta(extra))
    last = start + timedelta(days=7)  # the start day is not counted (民法典 Art. 201)
    while last.weekday() >= 5:  # a last day on a rest day rolls over (Art. 203)
        last += timedelta(days=1)
    first = max(last + timedelta(days=1), period.end + timedelta(days=1))
    day = first + timedelta(days=offset)
    decision = may_give_feedback(period, day, TIANJIN_HRSS, calendar=CAL)
    assert decision.allowed is (day >= first)
    assert decision.earliest == (None if decision.allowed else first)


# --- plans ----------------------------------------------------------------------------------


def test_plan_on_30_november_is_allowed_on_1_december_not() -> None:
    assert may_submit_plan(2027, date(2026, 11, 30), TIANJIN_HRSS)
    late = may_submit_plan(2027, date(2026, 12, 1), TIANJIN_HRSS)
    assert not late
    assert late.earliest is None
    assert "2026-11-30" in late.reason_en
    assert (late.rule, late.article) == ("R-PLAN-DEADLINE", "Art. 8")


# --- items ----------------------------------------------------------------------------------


def _item(*bases: LegalBasis, code: str = "LI-1") -> CheckItem:
    return CheckItem(
        code=code,
        line=LABOUR,
        content="内容",
        inspecting_body="主体",
        target_type="用人单位",
        bases=bases,
    )


LAW = LegalBasis(title="劳动法", rank=LegalRank.LAW, effective=date(1995, 1, 1))


def _lists(*items: CheckItem) -> list[CheckItemList]:
    return [
        CheckItemList(
            version="LI-1",
            line=LABOUR,
            effective=date(2025, 1, 1),
            published=date(2024, 12, 1),
            items=items,
        )
    ]


def test_item_on_the_list_in_force_with_a_law_may_be_inspected() -> None:
    decision = may_inspect("LI-1", date(2026, 3, 10), _lists(_item(LAW)))
    assert decision
    assert decision.rule == "R-LEGAL-BASIS"


def test_item_not_listed_waits_for_a_later_list_version() -> None:
    lists = [
        *_lists(_item(LAW)),
        CheckItemList(
            version="LI-2",
            line=LABOUR,
            effective=date(2026, 7, 1),
            published=date(2026, 6, 20),
            items=(_item(LAW, code="LI-2"),),
        ),
    ]
    decision = may_inspect("LI-2", date(2026, 3, 10), lists, line=LABOUR)
    assert not decision
    assert decision.earliest == date(2026, 7, 1)
    assert may_inspect("LI-2", date(2026, 7, 1), lists)
    never = may_inspect("LI-9", date(2026, 3, 10), lists)
    assert not never
    assert never.earliest is None


def test_basis_effective_on_the_day_passes_before_it_waits() -> None:
    rule = LegalBasis(title="规章", rank=LegalRank.RULE, effective=date(2026, 3, 10))
    lists = _lists(_item(rule))
    assert may_inspect("LI-1", date(2026, 3, 10), lists)
    waiting = may_inspect("LI-1", date(2026, 3, 9), lists)
    assert not waiting
    assert waiting.earliest == date(2026, 3, 10)
    # Beside a law in force, the rule not yet in force bars nothing (Art. 6: one basis grounds).
    assert may_inspect("LI-1", date(2026, 3, 9), _lists(_item(LAW, rule)))


def test_repealed_or_too_low_basis_has_no_earliest_date() -> None:
    repealed = LegalBasis(
        title="规章", rank=LegalRank.RULE, effective=date(2000, 1, 1), repealed=date(2026, 3, 10)
    )
    decision = may_inspect("LI-1", date(2026, 3, 10), _lists(_item(repealed)))
    assert not decision
    assert decision.earliest is None
    assert "repealed" in decision.reason_en
    notice = LegalBasis(title="通知", rank=LegalRank.NORMATIVE_DOCUMENT, effective=date(2000, 1, 1))
    low = may_inspect("LI-1", date(2026, 3, 10), _lists(_item(notice)))
    assert not low
    assert low.earliest is None
    assert "规范性文件" in low.reason_zh
    bare = may_inspect("LI-1", date(2026, 3, 10), _lists(_item()))
    assert not bare


# --- teams ----------------------------------------------------------------------------------


def _inspector(key: str, district: str = HOME, **changes: object) -> Inspector:
    fields: dict[str, object] = {
        "name": key,
        "department": "监察总队",
        "post": "科员",
        "certificate_no": key,
        "phone": "13900001111",
        "district": district,
        "certificate_valid_from": date(2025, 1, 1),
        "certificate_valid_until": date(2027, 12, 31),
    }
    fields.update(changes)
    return Inspector(**fields)  # type: ignore[arg-type]


ENTERPRISE = Enterprise(uscc=E1, name="甲公司", district=HOME)
PLAN = Plan(
    code="P",
    year=2026,
    line=LABOUR,
    team_size=2,
    cross_district=CrossDistrictBounds(minimum=0, maximum=Fraction(1, 2)),
)


def test_inspector_without_interest_may_join() -> None:
    decision = may_add_to_team(_inspector("K1"), ENTERPRISE, date(2026, 3, 10))
    assert decision
    assert isinstance(decision, Decision)


@pytest.mark.parametrize("ground", list(ConflictGround))
def test_declared_conflict_means_recusal(ground: ConflictGround) -> None:
    conflict = Conflict(inspector="K1", enterprise=E1, ground=ground, note="说明")
    decision = may_add_to_team(_inspector("K1"), E1, date(2026, 3, 10), [conflict])
    assert not decision
    assert decision.earliest is None
    assert (decision.rule, decision.article) == ("R-RECUSAL", "Art. 10")


def test_former_employer_means_recusal() -> None:
    inspector = _inspector("K1", former_employers=(E1,))
    assert not may_add_to_team(inspector, ENTERPRISE, date(2026, 3, 10))


def test_certificate_not_yet_valid_gives_its_first_day() -> None:
    inspector = _inspector("K1", certificate_valid_from=date(2026, 4, 1))
    decision = may_add_to_team(inspector, ENTERPRISE, date(2026, 3, 10))
    assert not decision
    assert decision.earliest == date(2026, 4, 1)
    expired = _inspector("K1", certificate_valid_until=date(2026, 3, 9))
    assert may_add_to_team(expired, ENTERPRISE, date(2026, 3, 10)).earliest is None


def test_already_on_the_team() -> None:
    member = _inspector("K1")
    assert not may_add_to_team(member, ENTERPRISE, date(2026, 3, 10), team=[member])


def test_cross_district_share_above_the_plan_maximum_is_refused() -> None:
    outsider, other_outsider = _inspector("K3", OTHER), _inspector("K4", OTHER)
    day = date(2026, 3, 10)
    assert may_add_to_team(outsider, ENTERPRISE, day, team=[_inspector("K1")], plan=PLAN)
    assert may_add_to_team(outsider, ENTERPRISE, day, plan=PLAN)
    refused = may_add_to_team(other_outsider, ENTERPRISE, day, team=[outsider], plan=PLAN)
    assert not refused
    assert refused.rule == "R-CROSS-DISTRICT"


def test_decision_text_is_bilingual() -> None:
    decision = may_submit_plan(2027, date(2026, 12, 1), TIANJIN_HRSS)
    assert str(decision).startswith("[不允许 not allowed]")
    assert str(decision.reason).index("逾期") < str(decision.reason).index("late")
