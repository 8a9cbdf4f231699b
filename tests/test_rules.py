"""Tests for randcheck.rules: each predicate by the wording of its rule, its edge days, and the
agreement of the dispatch, the step guard and the audit, which all decide through it."""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any, NamedTuple

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import randcheck.rules
from _builders import full_width, resident_id, spellings, uscc
from randcheck import strategies as rs
from randcheck.dispatch import dispatch, recusal_grounds
from randcheck.dispatch.engine import Round
from randcheck.domain import (
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
    TimeWindow,
)
from randcheck.errors import ValidationError
from randcheck.guards import may_add_to_team
from randcheck.ledger import (
    Inspection,
    InspectionKind,
    Ledger,
    Publication,
    PublicationKind,
    Publicity,
    TargetedGround,
    TeamEntry,
)
from randcheck.profiles import TIANJIN_HRSS
from randcheck.rules import (
    BasisDefect,
    RecusalIndex,
    UnresolvedConflictWarning,
    allowed_outside,
    basis_defect,
    basis_in_force,
    certificate_valid_on,
    describe_unresolved,
    holds_certificate_on,
    list_in_force,
    missing_record_fields,
    plan_rounds,
    published_before_submitted,
    qualification_problem,
    random_visits,
    rounds_without_window,
    str_tuple,
    team_composition,
    visit_key,
    visit_window,
    windows_outside_year,
    windows_overlap,
    windows_without_round,
)
from randcheck.sampling import PlanParameters, random_checks_in_year
from randcheck.validators import Outcome, check_cap, check_recusal, check_team

SRC = Path(__file__).resolve().parents[1] / "src" / "randcheck"
LABOUR = Line.LABOUR_INSPECTION
E1, E2 = uscc("91120101MA05L0T80"), uscc("91120103MA05L0T81")
ID_X = resident_id("12010119850310000")  # ends in X
ID_9 = resident_id("12010119900101123")
DAY = date(2027, 4, 1)
PROFILE_OF_ONE = attrs.evolve(TIANJIN_HRSS, team=attrs.evolve(TIANJIN_HRSS.team, min_size=1))


def _inspector(key: str | None = "TJ-LS-120101-0001", **changes: Any) -> Inspector:
    fields: dict[str, Any] = {
        "name": "王伟",
        "department": "和平区人力资源和社会保障局",
        "post": "科员",
        "certificate_no": key,
        "phone": "13812345678",
        "district": "和平区",
        "lines": frozenset({LABOUR}),
    }
    fields.update(changes)
    return Inspector(**fields)


def _enterprise(code: str = E1, district: str = "和平区") -> Enterprise:
    return Enterprise(uscc=code, name="天津某某有限公司", district=district)


def _conflict(name: str, enterprise: str = E1, ground: ConflictGround | None = None) -> Conflict:
    return Conflict(
        inspector=name, enterprise=enterprise, ground=ground or ConflictGround.RELATIVE, note="说明"
    )


def test_all_is_sorted_and_every_name_has_a_docstring() -> None:
    assert list(randcheck.rules.__all__) == sorted(randcheck.rules.__all__)
    for name in randcheck.rules.__all__:
        assert getattr(randcheck.rules, name).__doc__, name


# --- R-INSPECTOR-RECORD: certificate and record (Art. 7) ---------------------------------------


def test_certificate_is_valid_on_its_first_and_its_last_day() -> None:
    person = _inspector(
        certificate_valid_from=date(2026, 3, 1), certificate_valid_until=date(2027, 2, 28)
    )
    assert not certificate_valid_on(person, date(2026, 2, 28))
    assert certificate_valid_on(person, date(2026, 3, 1))
    assert certificate_valid_on(person, date(2027, 2, 28))
    assert not certificate_valid_on(person, date(2027, 3, 1))


def test_an_end_not_recorded_does_not_limit_validity() -> None:
    assert certificate_valid_on(_inspector(), date(1900, 1, 1))
    assert certificate_valid_on(_inspector(certificate_valid_from=DAY), date(2099, 1, 1))
    assert not certificate_valid_on(_inspector(certificate_valid_until=DAY), DAY + timedelta(1))


def test_the_inspector_method_is_the_rule_itself() -> None:
    assert Inspector.certificate_valid_on is certificate_valid_on
    assert LegalBasis.in_force_on is basis_in_force


def test_missing_record_fields_in_article_seven_order() -> None:
    assert missing_record_fields(_inspector()) == ()
    assert missing_record_fields(_inspector(phone="", post=" ")) == ("post", "phone")
    assert missing_record_fields(_inspector(name="", department="")) == ("name", "department")


def test_qualification_checks_line_then_certificate_then_record() -> None:
    assert qualification_problem(_inspector(), LABOUR, DAY) is None
    other_line = qualification_problem(_inspector(), Line.SOCIAL_INSURANCE_AUDIT, DAY)
    assert "social-insurance-audit" in str(other_line)
    expired = _inspector(certificate_valid_until=DAY - timedelta(1), phone="")
    assert "2027-04-01" in str(qualification_problem(expired, LABOUR, DAY))
    assert "phone" in str(qualification_problem(_inspector(phone=""), LABOUR, DAY))


def test_an_expired_certificate_is_refused_by_guard_and_audit_alike() -> None:
    person = _inspector(certificate_valid_until=DAY - timedelta(1))
    decision = may_add_to_team(person, _enterprise(), DAY)
    assert (decision.allowed, decision.rule) == (False, "R-TEAM")
    ledger = _ledger([person], [], [(person.key, E1, DAY)])
    assert _outcome(check_team(ledger, PROFILE_OF_ONE), "inspections[0]") is (Outcome.VIOLATION)
    on_last_day = _ledger([person], [], [(person.key, E1, DAY - timedelta(1))])
    assert _outcome(check_team(on_last_day, PROFILE_OF_ONE), "inspections[0]") is (Outcome.PASS)


# --- R-RECUSAL (Art. 10) ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "why"),
    [
        ("TJ-LS-120101-0001", "the key as it is"),
        ("tj-ls-120101-0001", "a lower-case certificate number"),
        ("ＴＪ－ＬＳ－１２０１０１－０００１", "full-width characters and hyphens"),
        ("TJ－LS－120101－0001", "full-width hyphens only"),
        ("TJ—LS—120101—0001", "dashes for hyphens"),
        ("TJLS1201010001", "without hyphens"),
        (ID_X.lower(), "the identity number with a lower-case x"),
        (f"{ID_X[:6]} {ID_X[6:14]} {ID_X[14:]}", "the identity number in groups"),
        (full_width(ID_X), "a full-width identity number"),
        ("１２０１０１－１９８５０３１０－０００ｘ", "full-width digits, hyphens and x"),
    ],
)
def test_a_conflict_names_the_inspector_by_any_identifier_in_any_spelling(
    written: str, why: str
) -> None:
    person = _inspector(resident_id=ID_X)
    index = RecusalIndex.build([person], [_conflict(written)])
    assert index.grounds(person, E1) == (ConflictGround.RELATIVE,), why
    assert index.grounds(person.key, E1) == (ConflictGround.RELATIVE,), why
    assert index.must_recuse(person, E1)
    assert not index.must_recuse(person, E2)
    assert index.unresolved == ()


def test_an_inspector_keyed_by_identity_number_is_named_by_its_spellings() -> None:
    person = _inspector(None, resident_id=ID_9)
    spelled = f"{ID_9[:6]}-{ID_9[6:14]}-{ID_9[14:]}"
    assert RecusalIndex.build([person], [_conflict(spelled)]).must_recuse(person, E1)


def test_own_record_and_declarations_give_every_ground_sorted() -> None:
    person = _inspector(former_employers=(E1,), shareholdings=(E2,))
    rows = [_conflict(person.key, E2, ConflictGround.RELATIVE)]
    index = RecusalIndex.build([person], rows)
    assert index.grounds(person, E1) == (ConflictGround.FORMER_EMPLOYMENT,)
    assert index.grounds(person, E2) == (ConflictGround.RELATIVE, ConflictGround.SHAREHOLDING)
    assert index.among([E1, E2]) == {
        E1: {person.key: (ConflictGround.FORMER_EMPLOYMENT,)},
        E2: {person.key: (ConflictGround.RELATIVE, ConflictGround.SHAREHOLDING)},
    }
    assert index.among([E1], inspectors=[]) == {}


def test_a_row_naming_nobody_is_kept_as_unresolved_not_dropped() -> None:
    person = _inspector()
    stranger = _conflict("TJ-LS-999999-9999")
    by_id = _conflict(f"{ID_9[:-1]}0")  # one digit off: nobody's number
    index = RecusalIndex.build([person], [_conflict(person.key), stranger, by_id])
    assert index.unresolved == (stranger, by_id)
    assert not index.must_recuse(person, E2)


def test_a_team_key_outside_the_directory_is_judged_by_the_rows_naming_it() -> None:
    index = RecusalIndex.build([], [_conflict("tj-ls-999999-9999")])
    assert index.grounds("TJ-LS-999999-9999", E1) == (ConflictGround.RELATIVE,)
    assert index.grounds("TJ-LS-999999-9998", E1) == ()


def test_one_person_entered_twice_is_named_twice() -> None:
    first = _inspector("TJ-LS-120101-0001", resident_id=ID_9)
    second = _inspector("TJ-LS-120101-0002", resident_id=ID_9)
    index = RecusalIndex.build([first, second], [_conflict(ID_9)])
    assert index.must_recuse(first, E1)
    assert index.must_recuse(second, E1)


def test_unresolved_rows_are_described_with_identity_numbers_masked() -> None:
    text = describe_unresolved([_conflict(ID_9)])
    assert ID_9 not in str(text)
    assert f"{ID_9[:4]}**********{ID_9[-4:]}" in text.zh
    assert E1 in text.en


def test_guard_audit_and_dispatch_recuse_a_conflict_by_identity_number() -> None:
    # Before the shared index the guard and the audit matched the inspector key only.
    person = _inspector(resident_id=ID_X)
    rows = [_conflict(ID_X.lower())]
    decision = may_add_to_team(person, _enterprise(), DAY, rows)
    assert (decision.allowed, decision.rule) == (False, "R-RECUSAL")
    ledger = _ledger([person], rows, [(person.key, E1, DAY)])
    assert _outcome(check_recusal(ledger, TIANJIN_HRSS), "inspections[0]") is Outcome.VIOLATION
    assert recusal_grounds([person], rows, [E1]) == {E1: {person.key: (ConflictGround.RELATIVE,)}}


def test_dispatch_warns_and_audit_reports_a_conflict_naming_nobody() -> None:
    staff = [_inspector(f"TJ-LS-120101-000{n}") for n in range(1, 4)]
    rows = [_conflict("TJ-LS-999999-9999", E1)]
    plan = Plan(code="P", year=2027, line=LABOUR, team_size=2)
    with pytest.warns(UnresolvedConflictWarning, match="TJ-LS-999999-9999"):
        record = dispatch(
            _Draw([E1]), [_enterprise()], staff, rows, plan, TIANJIN_HRSS, seed="s", on=DAY
        )
    assert record.recusals == ()
    ledger = _ledger(staff, rows, [])
    findings = check_recusal(ledger, TIANJIN_HRSS)
    assert _outcome(findings, "conflicts[0]") is Outcome.WARNING


def test_dispatch_of_known_conflicts_warns_nothing() -> None:
    staff = [_inspector(f"TJ-LS-120101-000{n}") for n in range(1, 4)]
    plan = Plan(code="P", year=2027, line=LABOUR, team_size=2)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnresolvedConflictWarning)
        record = dispatch(
            _Draw([E1]),
            [_enterprise()],
            staff,
            [_conflict("tj-ls-120101-0001")],
            plan,
            TIANJIN_HRSS,
            seed="s",
            on=DAY,
        )
    assert "TJ-LS-120101-0001" not in record.teams[0].members
    assert [r.inspector for r in record.recusals] == ["TJ-LS-120101-0001"]


# --- R-CROSS-DISTRICT (Art. 10) ---------------------------------------------------------------


def test_allowed_outside_rounds_the_bounds_inwards_exactly() -> None:
    bounds = CrossDistrictBounds(minimum=Fraction(1, 3), maximum=Fraction(1, 2))
    assert allowed_outside(3, bounds) == (1, 1)
    assert allowed_outside(2, bounds) == (1, 1)
    assert allowed_outside(4, bounds) == (2, 2)
    assert allowed_outside(1, bounds) == (1, 0)  # no team of one can meet both bounds


def test_team_composition_counts_outside_and_unknown_members() -> None:
    bounds = CrossDistrictBounds(minimum=Fraction(0), maximum=Fraction(1, 2))
    mixed = team_composition(["和平区", "河西区"], "和平区", bounds)
    assert (mixed.outside, mixed.size, mixed.within, mixed.above_maximum) == (1, 2, True, False)
    outside = team_composition(["河西区", "南开区"], "和平区", bounds)
    assert (outside.within, outside.above_maximum) == (False, True)
    unknown = team_composition(["河西区", None, ""], "和平区", bounds)
    assert (unknown.unknown, unknown.within) == ((1, 2), None)
    growing = team_composition(["河西区"], "和平区", bounds, size=2)
    assert (growing.size, growing.above_maximum) == (2, False)


def test_bounds_allow_exactly_what_the_composition_allows() -> None:
    bounds = CrossDistrictBounds(minimum=Fraction(1, 4), maximum=Fraction(1, 2))
    for size in range(1, 7):
        low, high = allowed_outside(size, bounds)
        for outside in range(size + 1):
            assert bounds.allows(outside, size) is (low <= outside <= high)


# --- R-CAP (Art. 10, 11) ----------------------------------------------------------------------


def _check(
    started: date,
    *,
    enterprise: str = E1,
    joint: str | None = None,
    kind: InspectionKind = InspectionKind.RANDOM,
    n: int = 0,
) -> Inspection:
    return Inspection(
        id=f"I{n}-{started}",
        enterprise=enterprise,
        lines=(LABOUR,),
        items=("LS-01",),
        team=("K1", "K2"),
        started=started,
        kind=kind,
        ground=None if kind is InspectionKind.RANDOM else TargetedGround.COMPLAINT_REPORT,
        joint_visit=joint,
    )


def test_a_joint_visit_counts_once_and_a_targeted_inspection_never() -> None:
    history = [
        _check(date(2027, 6, 1), joint="V1"),
        _check(date(2027, 3, 1)),
        _check(date(2027, 6, 1), joint="V1", n=1),
        _check(date(2027, 4, 1), kind=InspectionKind.TARGETED),
        _check(date(2027, 9, 1), enterprise=E2),
        _check(date(2026, 12, 31)),
    ]
    visits = random_visits(history)
    assert visits == {
        (E1, 2027): ((1,), (0, 2)),
        (E2, 2027): ((4,),),
        (E1, 2026): ((5,),),
    }
    assert random_checks_in_year(history, 2027) == {E1: 2, E2: 1}
    assert visit_key(history[0], 0) == visit_key(history[2], 2) == f"joint:V1@{E1}@2027-06-01"
    assert visit_key(history[1], 1) == "#1"


def test_visits_on_one_day_are_in_record_order() -> None:
    history = [_check(DAY, n=0), _check(DAY, n=1), _check(DAY - timedelta(1), n=2)]
    assert random_visits(history) == {(E1, 2027): ((2,), (0,), (1,))}


def test_frame_and_audit_count_the_same_visits() -> None:
    history = [
        _check(date(2027, 3, 1)),
        _check(date(2027, 5, 1), joint="V"),
        _check(date(2027, 5, 1), joint="V", n=1),
        _check(date(2027, 7, 1), kind=InspectionKind.TARGETED),
        _check(date(2027, 9, 1)),
    ]
    ledger = Ledger(year=2027, inspections=history)
    beyond = [f.subject for f in check_cap(ledger, TIANJIN_HRSS) if f.outcome is Outcome.WARNING]
    assert random_checks_in_year(history, 2027) == {E1: 3}
    assert beyond == ["inspections[4]"]


# --- R-ONE-VISIT (Art. 11) --------------------------------------------------------------------


def test_the_visit_window_is_the_plan_window_holding_the_day_ends_included() -> None:
    spring = TimeWindow(start=date(2027, 3, 1), end=date(2027, 5, 31))
    autumn = TimeWindow(start=date(2027, 9, 1), end=date(2027, 11, 30))
    assert visit_window([spring, autumn], date(2027, 3, 1)) == (spring.start, spring.end)
    assert visit_window([spring, autumn], date(2027, 11, 30)) == (autumn.start, autumn.end)
    assert visit_window([spring, autumn], date(2027, 7, 1)) == (date(2027, 7, 1),) * 2
    assert visit_window([], DAY) == (DAY, DAY)


def test_windows_sharing_one_day_overlap() -> None:
    march = (date(2027, 3, 1), date(2027, 3, 31))
    assert windows_overlap(march, (date(2027, 3, 31), date(2027, 4, 30)))
    assert windows_overlap((date(2027, 3, 31), date(2027, 4, 30)), march)
    assert not windows_overlap(march, (date(2027, 4, 1), date(2027, 4, 30)))


# --- R-LEGAL-BASIS (Art. 6) -------------------------------------------------------------------


def _list(version: str, effective: date, published: date | None) -> CheckItemList:
    return CheckItemList(version=version, line=LABOUR, effective=effective, published=published)


def test_list_in_force_is_the_latest_effective_and_published() -> None:
    old = _list("1", date(2025, 1, 1), date(2024, 12, 1))
    new = _list("2", date(2026, 6, 1), date(2026, 5, 20))
    unpublished = _list("3", date(2026, 7, 1), None)
    lists = [new, old, unpublished]
    assert list_in_force(lists, LABOUR, date(2026, 5, 31)) is old
    assert list_in_force(lists, LABOUR, date(2026, 6, 1)) is new
    assert list_in_force(lists, LABOUR, date(2026, 8, 1)) is new
    assert list_in_force(lists, LABOUR, date(2024, 12, 31)) is None
    assert list_in_force(lists, Line.SOCIAL_INSURANCE_AUDIT, date(2026, 8, 1)) is None


def test_list_published_after_it_takes_effect_is_in_force_from_publication() -> None:
    late = _list("1", date(2026, 1, 1), date(2026, 2, 1))
    assert list_in_force([late], LABOUR, date(2026, 1, 31)) is None
    assert list_in_force([late], LABOUR, date(2026, 2, 1)) is late


def test_a_basis_is_in_force_from_its_effective_day_until_the_day_before_repeal() -> None:
    basis = LegalBasis(
        title="劳动保障监察条例",
        rank=LegalRank.ADMINISTRATIVE_REGULATION,
        effective=date(2004, 12, 1),
        repealed=date(2030, 1, 1),
    )
    assert basis_defect(basis, date(2004, 11, 30)) is BasisDefect.NOT_YET_IN_FORCE
    assert basis_defect(basis, date(2004, 12, 1)) is None
    assert basis_defect(basis, date(2029, 12, 31)) is None
    assert basis_defect(basis, date(2030, 1, 1)) is BasisDefect.REPEALED
    document = attrs.evolve(basis, rank=LegalRank.NORMATIVE_DOCUMENT)
    assert basis_defect(document, date(2020, 1, 1)) is BasisDefect.INSUFFICIENT_RANK
    assert basis_defect(document, date(2000, 1, 1)) is BasisDefect.INSUFFICIENT_RANK


# --- a plan's year, rounds and windows (Art. 8, 9) ---------------------------------------------


def _window(start: date, end: date) -> TimeWindow:
    return TimeWindow(start=start, end=end)


def test_windows_from_1_january_to_31_december_lie_in_the_year() -> None:
    whole = _window(date(2027, 1, 1), date(2027, 12, 31))
    assert windows_outside_year(2027, [whole]) == ()


def test_a_window_one_day_over_either_end_of_the_year_is_outside() -> None:
    windows = [
        _window(date(2026, 12, 31), date(2027, 1, 31)),
        _window(date(2027, 4, 1), date(2027, 6, 30)),
        _window(date(2027, 12, 1), date(2028, 1, 1)),
    ]
    assert windows_outside_year(2027, windows) == (0, 2)


class _Rounds(NamedTuple):
    rounds: int | None
    windows: tuple[TimeWindow, ...]


_W = (_window(date(2027, 4, 1), date(2027, 6, 30)), _window(date(2027, 9, 1), date(2027, 11, 30)))


@pytest.mark.parametrize(
    ("rounds", "windows", "expected"),
    [(2, _W, 2), (3, _W[:1], 3), (None, _W, 2), (None, (), None), (1, (), 1)],
)
def test_the_rounds_of_a_plan_are_its_stated_rounds_else_one_per_window(
    rounds: int | None, windows: tuple[TimeWindow, ...], expected: int | None
) -> None:
    assert plan_rounds(_Rounds(rounds, windows)) == expected


@pytest.mark.parametrize(
    ("rounds", "windows", "unwindowed", "extra"),
    [
        (2, _W, (), ()),
        (2, _W[:1], (2,), ()),
        (4, _W[:1], (2, 3, 4), ()),
        (1, _W, (), (1,)),
        # No window at all, or no rounds stated, is a missing content, not a disagreement.
        (2, (), (), ()),
        (None, _W, (), ()),
    ],
)
def test_each_round_has_one_window_round_1_first(
    rounds: int | None,
    windows: tuple[TimeWindow, ...],
    unwindowed: tuple[int, ...],
    extra: tuple[int, ...],
) -> None:
    plan = _Rounds(rounds, windows)
    assert rounds_without_window(plan) == unwindowed
    assert windows_without_round(plan) == extra


@pytest.mark.parametrize(
    ("submitted", "published", "out_of_order"),
    [
        (date(2026, 11, 20), date(2026, 11, 25), False),
        (date(2026, 11, 25), date(2026, 11, 25), False),  # the same day is in order
        (date(2026, 11, 26), date(2026, 11, 25), True),
        (None, date(2026, 11, 25), False),
        (date(2026, 11, 26), None, False),
    ],
)
def test_a_plan_is_out_of_order_only_when_published_a_day_before_it_was_submitted(
    submitted: date | None, published: date | None, out_of_order: bool
) -> None:
    assert published_before_submitted(submitted, published) is out_of_order


# --- str_tuple ----------------------------------------------------------------------------------


def test_str_tuple_keeps_a_sequence_and_refuses_a_string_or_a_mapping() -> None:
    assert str_tuple(["LS-01", "LS-02"]) == ("LS-01", "LS-02")
    assert str_tuple(iter(("a",))) == ("a",)
    assert str_tuple(("a", Line.LABOUR_INSPECTION)) == ("a", Line.LABOUR_INSPECTION)
    for bad in ("LS-01", {"LS-01": 1}, [1, 2], ["a", 2], ("a", None), 7):
        with pytest.raises(ValidationError) as caught:
            str_tuple(bad, field="items")  # type: ignore[arg-type]
        assert caught.value.field == "items"


_VALID: dict[type[Any], Callable[[], object]] = {
    Plan: lambda: Plan(code="P", year=2027, line=LABOUR),
    Inspector: _inspector,
    TeamEntry: lambda: TeamEntry(enterprise=E1, inspectors=("K1",)),
    Inspection: lambda: _check(DAY),
    Publicity: lambda: Publicity(id="P", inspections=("I1",), start=DAY, end=DAY),
    Publication: lambda: Publication(
        id="P", kind=PublicationKind.RESULTS, subjects=("I1",), published=DAY
    ),
    PlanParameters: lambda: PlanParameters.from_plan(Plan(code="P", year=2027, line=LABOUR)),
}


def _str_tuple_fields() -> list[tuple[type[Any], str]]:
    found = []
    for cls in _VALID:
        for field in attrs.fields(cls):
            converter = getattr(field.converter, "func", None)
            if converter is str_tuple:
                found.append((cls, field.name))
    return found


def test_every_string_tuple_field_is_strict() -> None:
    assert {(cls.__name__, name) for cls, name in _str_tuple_fields()} == {
        ("Plan", "items"),
        ("Plan", "strata"),
        ("Inspector", "former_employers"),
        ("Inspector", "relatives_employers"),
        ("Inspector", "shareholdings"),
        ("TeamEntry", "inspectors"),
        ("Inspection", "items"),
        ("Inspection", "lines"),
        ("Inspection", "team"),
        ("Publicity", "inspections"),
        ("Publication", "subjects"),
        ("PlanParameters", "strata"),
    }


@pytest.mark.parametrize(
    ("cls", "name"), _str_tuple_fields(), ids=lambda v: getattr(v, "__name__", v)
)
@pytest.mark.parametrize("lone", ["LS-01", "district"])
def test_a_lone_string_is_refused_naming_the_field(cls: type[Any], name: str, lone: str) -> None:
    with pytest.raises(ValidationError) as caught:
        attrs.evolve(_VALID[cls](), **{name: lone})
    assert caught.value.field == name
    with pytest.raises(ValidationError) as mapping:
        attrs.evolve(_VALID[cls](), **{name: {lone: 1}})
    assert mapping.value.field == name


def test_plan_items_as_a_lone_string_is_refused() -> None:
    with pytest.raises(ValidationError, match="items"):
        Plan(code="P", year=2027, line=LABOUR, items="LS-01")  # type: ignore[arg-type]


# --- one definition each ----------------------------------------------------------------------

_DEFINED_ONCE = (
    "certificate_valid_on",
    "missing_record_fields",
    "qualification_problem",
    "list_in_force",
    "basis_in_force",
    "basis_defect",
    "allowed_outside",
    "team_composition",
    "random_visits",
    "visit_key",
    "visit_window",
    "windows_overlap",
    "str_tuple",
    "compact_identifier",
    "inspector_identifiers",
    "RecusalIndex",
)
_DEFINED_NEVER = (
    "_str_tuple",
    "interest_index",
    "_aliases",
    "_visit_key",
    "_certified",
    "_complete",
    "_outside_range",
    "_beyond_cap",
    "_random_visits",
    "in_force_on",
)


def _definitions(name: str) -> list[str]:
    pattern = re.compile(rf"^\s*(?:def|class) {re.escape(name)}\b", re.MULTILINE)
    return [
        f"{path.relative_to(SRC)}"
        for path in sorted(SRC.rglob("*.py"))
        for _ in pattern.finditer(path.read_text(encoding="utf-8"))
    ]


@pytest.mark.parametrize("name", _DEFINED_ONCE)
def test_each_rule_is_defined_once(name: str) -> None:
    where = _definitions(name)
    assert len(where) == 1, where
    assert where[0].startswith(("rules/", "ids/")), where


@pytest.mark.parametrize("name", _DEFINED_NEVER)
def test_the_old_copies_are_gone(name: str) -> None:
    assert _definitions(name) == []


# --- agreement: dispatch, guard and audit ------------------------------------------------------


class _Draw:
    def __init__(self, ids: Iterable[str]) -> None:
        self.ids = tuple(sorted(ids))

    def selected_ids(self) -> tuple[str, ...]:
        return self.ids

    def digest(self) -> str:
        return "sha256:" + "0" * 64


def _ledger(
    staff: list[Inspector], rows: list[Conflict], pairs: list[tuple[str, str, date]]
) -> Ledger:
    inspections = [
        Inspection(
            id=f"I{n}",
            enterprise=code,
            lines=(LABOUR,),
            items=("LS-01",),
            team=(key,),
            started=day,
            kind=InspectionKind.TARGETED,
            ground=TargetedGround.COMPLAINT_REPORT,
        )
        for n, (key, code, day) in enumerate(pairs)
    ]
    return Ledger(year=2027, inspectors=staff, conflicts=rows, inspections=inspections)


def _outcome(findings: Iterable[Any], subject: str) -> Outcome:
    matching = [f.outcome for f in findings if f.subject == subject]
    assert len(matching) == 1, (subject, matching)
    return matching[0]


@st.composite
def _directories(draw: st.DrawFn) -> list[Inspector]:
    staff = draw(
        st.lists(
            rs.inspectors(lines=frozenset({LABOUR}), interests=False),
            min_size=1,
            max_size=5,
            unique_by=lambda person: person.key,
        )
    )
    ids: set[str] = {person.resident_id for person in staff if person.resident_id}
    result = []
    for person in staff:
        if person.resident_id is None and draw(st.booleans()):
            number = draw(rs.resident_ids())
            if number not in ids:
                ids.add(number)
                person = attrs.evolve(person, resident_id=number)
        result.append(person)
    return result


@st.composite
def _years(
    draw: st.DrawFn,
) -> tuple[list[Inspector], list[Enterprise], list[Conflict], list[int], dict[Any, set[Any]]]:
    """A directory, enterprises, conflicts naming inspectors in any spelling (and some naming
    nobody), and what each (inspector, enterprise) must recuse for, known by construction."""
    staff = draw(_directories())
    enterprises = draw(
        st.lists(rs.enterprises(), min_size=1, max_size=3, unique_by=lambda e: e.uscc)
    )
    codes = [e.uscc for e in enterprises]
    expected: dict[Any, set[Any]] = {}
    for n, person in enumerate(staff):
        own = draw(st.lists(st.sampled_from(codes), max_size=2))
        if own:
            staff[n] = person = attrs.evolve(person, former_employers=tuple(own))
        for code in own:
            expected.setdefault((person.key, code), set()).add(ConflictGround.FORMER_EMPLOYMENT)
    rows: list[Conflict] = []
    unknown: list[int] = []
    for _ in range(draw(st.integers(min_value=0, max_value=6))):
        code = draw(st.sampled_from(codes))
        ground = draw(rs.conflict_grounds())
        if draw(st.integers(min_value=0, max_value=4)) == 0:
            unknown.append(len(rows))
            name = f"ZZ-UNKNOWN-{draw(st.integers(min_value=0, max_value=99))}"
            rows.append(_conflict(draw(spellings(name)), code, ground))
            continue
        person = draw(st.sampled_from(staff))
        names = [n for n in (person.certificate_no, person.resident_id) if n]
        rows.append(_conflict(draw(spellings(draw(st.sampled_from(names)))), code, ground))
        expected.setdefault((person.key, code), set()).add(ground)
    return staff, enterprises, rows, unknown, expected


def _days(person: Inspector) -> st.SearchStrategy[date]:
    edges = [
        day + timedelta(days=shift)
        for day in (person.certificate_valid_from, person.certificate_valid_until)
        if day is not None and date(1990, 1, 2) <= day <= date(2040, 12, 30)
        for shift in (-1, 0, 1)
    ]
    return st.sampled_from(edges) if edges else st.just(DAY)


@settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(_years(), st.data())
def test_dispatch_guard_and_audit_agree_on_every_recusal(
    year: tuple[list[Inspector], list[Enterprise], list[Conflict], list[int], dict[Any, Any]],
    data: st.DataObject,
) -> None:
    staff, enterprises, rows, unknown, expected = year
    codes = [e.uscc for e in enterprises]
    day = data.draw(st.one_of(*(_days(person) for person in staff)))
    plan = Plan(code="P", year=day.year, line=LABOUR, team_size=1)
    table = recusal_grounds(staff, rows, codes)
    rnd = Round(
        draw_ids=codes,
        enterprises=enterprises,
        inspectors=staff,
        conflicts=rows,
        plan=plan,
        profile=PROFILE_OF_ONE,
        seed="agreement",
        on=day,
    )
    pairs = [(person.key, code, day) for person in staff for code in codes]
    ledger = _ledger(staff, rows, pairs)
    recusal = check_recusal(ledger, PROFILE_OF_ONE)
    record = check_team(ledger, PROFILE_OF_ONE)
    n = 0
    for person in staff:
        for enterprise in enterprises:
            code = enterprise.uscc
            grounds = expected.get((person.key, code), set())
            by_dispatch = table.get(code, {}).get(person.key, ())
            assert set(by_dispatch) == grounds
            if person.key in rnd.index:
                e = rnd.usccs.index(code)
                assert (rnd.index[person.key] in rnd.conf[e]) is bool(grounds)
            guard = may_add_to_team(person, enterprise, day, rows)
            by_guard = not guard.allowed and guard.rule == "R-RECUSAL"
            by_audit = _outcome(recusal, f"inspections[{n}]") is Outcome.VIOLATION
            assert by_guard is by_audit is bool(grounds)
            # Certificate validity: the dispatch's qualification, the guard and the audit.
            valid = holds_certificate_on(person, day)
            assert (person.key in rnd.index) is valid
            if not grounds:
                assert (guard.rule == "R-TEAM") is (not valid)
            audit_valid = _outcome(record, f"inspections[{n}]") is Outcome.PASS
            assert audit_valid is valid
            n += 1
    warned = {f.subject for f in recusal if f.outcome is Outcome.WARNING}
    assert warned == {f"conflicts[{j}]" for j in unknown}
    assert RecusalIndex.build(staff, rows).unresolved == tuple(rows[j] for j in unknown)
