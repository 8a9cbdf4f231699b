"""Tests for randcheck.profiles: the registry, the Tianjin numbers, weights, and a conformance
test that every registered profile (present and future) must pass."""

from __future__ import annotations

import pickle
from datetime import date
from fractions import Fraction
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from randcheck import profiles
from randcheck import strategies as rs
from randcheck.calendars import DayCounting, ValidityWindow
from randcheck.domain import Enterprise, Grade, RiskFlags
from randcheck.errors import RandcheckError, UnknownProfile, ValidationError
from randcheck.profiles import (
    TIANJIN_HRSS,
    Profile,
    Severity,
    get_profile,
    profile_names,
    register_profile,
)

USCC = "91120116MA05EFEJ32"


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """Isolate the registry, so profiles registered by a test do not leak into others."""
    monkeypatch.setattr(profiles, "_REGISTRY", dict(profiles._REGISTRY))


def enterprise(grade: Grade = Grade.B, **risk: Any) -> Enterprise:
    return Enterprise(
        uscc=USCC,
        name="天津信诚科技有限公司",
        district="和平区",
        grade=grade,
        risk=RiskFlags(**risk),
    )


def variant(**changes: Any) -> Profile:
    return attrs.evolve(TIANJIN_HRSS, **changes)


# --- registry -------------------------------------------------------------------------------


def test_tianjin_profile_is_registered() -> None:
    assert "cn-tj-hrss" in profile_names()
    assert get_profile("cn-tj-hrss") is TIANJIN_HRSS


def test_unknown_profile_suggests_close_names() -> None:
    with pytest.raises(UnknownProfile) as exc:
        get_profile("cn-tj-hrs")
    assert exc.value.suggestions == ("cn-tj-hrss",)
    assert exc.value.field == "profile"
    assert exc.value.got == "cn-tj-hrs"
    assert "did you mean cn-tj-hrss" in str(exc.value)
    assert "未知的政策配置" in str(exc.value)


def test_unknown_profile_is_a_lookup_error_and_pickles() -> None:
    with pytest.raises(LookupError) as exc:
        get_profile("cn-tj-hrs")
    assert isinstance(exc.value, RandcheckError)
    copy = pickle.loads(pickle.dumps(exc.value))
    assert isinstance(copy, UnknownProfile)
    assert copy.suggestions == ("cn-tj-hrss",)


def test_unknown_profile_without_close_names() -> None:
    with pytest.raises(UnknownProfile) as exc:
        get_profile("zzzzzzzz")
    assert exc.value.suggestions == ()
    assert "did you mean" not in str(exc.value)
    assert "cn-tj-hrss" in str(exc.value)  # the registered names are listed


@pytest.mark.usefixtures("registry")
def test_register_profile() -> None:
    beijing = variant(name="cn-bj-hrss", jurisdiction="Beijing, China")
    register_profile(beijing)
    assert get_profile("cn-bj-hrss") is beijing
    names = profile_names()
    assert "cn-bj-hrss" in names
    assert names == tuple(sorted(names))


@pytest.mark.usefixtures("registry")
def test_register_profile_refuses_a_taken_name_unless_replacing() -> None:
    stricter = variant(cap_severity=Severity.VIOLATION)
    with pytest.raises(ValidationError) as exc:
        register_profile(stricter)
    assert exc.value.field == "name"
    assert exc.value.got == "cn-tj-hrss"
    assert get_profile("cn-tj-hrss") is TIANJIN_HRSS
    register_profile(stricter, replace=True)
    assert get_profile("cn-tj-hrss") is stricter


def test_registry_fixture_isolates() -> None:
    # Runs after the tests above: what they registered is gone.
    assert "cn-bj-hrss" not in profile_names()
    assert get_profile("cn-tj-hrss") is TIANJIN_HRSS


# --- the Tianjin numbers (SPEC.md table) ----------------------------------------------------


def test_tianjin_numbers() -> None:
    p = TIANJIN_HRSS
    assert p.cap_per_year == 2  # Art. 10
    assert p.cap_severity is Severity.WARNING  # "原则上"
    assert p.publicity_min_days == 7  # Art. 14
    assert p.day_counting is DayCounting.CALENDAR
    assert (p.plan_deadline_month, p.plan_deadline_day) == (11, 30)  # Art. 8
    assert p.min_team_size == 2
    assert p.validity_years == 2  # Art. 16
    assert p.issued is None
    assert p.sources
    assert p.limitations


# --- weights --------------------------------------------------------------------------------


def test_grade_weights() -> None:
    p = TIANJIN_HRSS
    assert p.grade_weight(Grade.A) == Fraction(1, 2)
    assert p.grade_weight(Grade.B) == 1
    assert p.grade_weight(Grade.C) == 2
    assert p.grade_weight(Grade.UNRATED) == 1


@pytest.mark.parametrize(
    ("complaints", "multiplier"),
    [(0, Fraction(1)), (1, Fraction(3, 2)), (2, Fraction(3, 2)), (3, Fraction(2)), (50, 2)],
)
def test_complaint_tiers_use_the_highest_tier_reached(complaints: int, multiplier: Any) -> None:
    assert TIANJIN_HRSS.complaint_multiplier(complaints) == multiplier


def test_weight_is_grade_weight_times_multipliers() -> None:
    p = TIANJIN_HRSS
    assert p.weight(enterprise(Grade.A)) == Fraction(1, 2)
    assert p.weight(enterprise(Grade.B, abnormal_operations=True)) == 2
    assert p.weight(enterprise(Grade.B, serious_violation=True)) == 2
    assert p.weight(enterprise(Grade.B, key_area=True)) == Fraction(3, 2)
    everything = enterprise(
        Grade.C, complaints_12m=3, abnormal_operations=True, serious_violation=True, key_area=True
    )
    assert p.weight(everything) == 2 * 2 * 2 * 2 * Fraction(3, 2)


def test_tiers_and_weights_accept_plain_numbers() -> None:
    p = variant(
        grade_weights={"A": "1/3", "B": 1, "C": 3, "unrated": "1"},
        complaint_tiers=[(5, "5/2"), (1, 1)],
        abnormal_multiplier="3",
    )
    assert p.grade_weight(Grade.A) == Fraction(1, 3)
    assert p.complaint_tiers == ((1, Fraction(1)), (5, Fraction(5, 2)))
    assert p.abnormal_multiplier == 3


# --- profile validation ---------------------------------------------------------------------


def test_profile_needs_a_weight_for_every_grade() -> None:
    with pytest.raises(ValidationError) as exc:
        variant(grade_weights={Grade.A: 1, Grade.B: 1, Grade.C: 2})
    assert exc.value.field == "grade_weights"
    assert exc.value.got == ["A", "B", "C"]


def test_profile_weights_positive() -> None:
    with pytest.raises(ValidationError) as exc:
        variant(grade_weights={Grade.A: 0, Grade.B: 1, Grade.C: 2, Grade.UNRATED: 1})
    assert exc.value.field == "grade_weights[A]"
    assert exc.value.got == "0"


@pytest.mark.parametrize("field", ["cap_per_year", "publicity_min_days", "min_team_size"])
def test_profile_counts_positive(field: str) -> None:
    assert getattr(variant(**{field: 1}), field) == 1
    with pytest.raises(ValidationError) as exc:
        variant(**{field: 0})
    assert exc.value.field == field
    assert exc.value.got == 0


@pytest.mark.parametrize(("month", "day"), [(2, 29), (2, 30), (13, 1), (4, 31)])
def test_profile_deadline_exists_in_every_year(month: int, day: int) -> None:
    with pytest.raises(ValidationError) as exc:
        variant(plan_deadline_month=month, plan_deadline_day=day)
    assert exc.value.field == "plan_deadline_day"
    assert exc.value.got == f"{month}-{day}"


def test_validity_unknown_without_issue_date() -> None:
    assert TIANJIN_HRSS.validity is None
    assert TIANJIN_HRSS.valid_on(date(2027, 1, 1)) is None


def test_validity_two_years_from_issue() -> None:
    p = variant(issued=date(2026, 3, 1))
    assert p.validity == ValidityWindow(start=date(2026, 3, 1), end=date(2028, 2, 29))
    assert p.valid_on(date(2026, 2, 28)) is False
    assert p.valid_on(date(2026, 3, 1)) is True
    assert p.valid_on(date(2028, 2, 29)) is True
    assert p.valid_on(date(2028, 3, 1)) is False


# --- conformance: every registered profile --------------------------------------------------


def _multipliers(p: Profile) -> list[Fraction]:
    return [
        *(m for _, m in p.complaint_tiers),
        p.abnormal_multiplier,
        p.serious_multiplier,
        p.key_area_multiplier,
    ]


def check_conformance(p: Profile) -> None:
    """The invariants SPEC.md asks of every profile (R-GRADE-WEIGHT, R-RISK-WEIGHT, ...)."""
    # R-GRADE-WEIGHT: A lower than B, B lower than or equal to C.
    assert p.grade_weight(Grade.A) < p.grade_weight(Grade.B) <= p.grade_weight(Grade.C)
    assert all(p.grade_weight(g) > 0 for g in Grade)
    # R-RISK-WEIGHT: no factor lowers the weight; more complaints never lower it either.
    assert all(m >= 1 for m in _multipliers(p))
    thresholds = [t for t, _ in p.complaint_tiers]
    assert thresholds == sorted(set(thresholds))
    assert all(t >= 1 for t in thresholds)
    tier_values = [m for _, m in p.complaint_tiers]
    assert tier_values == sorted(tier_values)
    # Positive counts, a real deadline, a usable validity window.
    assert p.cap_per_year >= 1
    assert p.publicity_min_days >= 1
    assert p.min_team_size >= 1
    assert p.validity_years >= 1
    assert date(2001, p.plan_deadline_month, p.plan_deadline_day)
    assert p.name
    assert p.title
    assert p.jurisdiction
    window = p.validity
    if p.issued is None:
        assert window is None
        assert p.valid_on(date(2027, 1, 1)) is None
    else:
        assert window is not None
        assert window.start == p.issued
        assert p.valid_on(p.issued) is True
        assert p.valid_on(date(p.issued.year + p.validity_years + 1, 1, 1)) is False


@pytest.mark.parametrize("name", profile_names())
def test_registered_profile_conforms(name: str) -> None:
    check_conformance(get_profile(name))


@given(rs.profiles())
def test_generated_profiles_conform(p: Profile) -> None:
    check_conformance(p)


_FLAGS: tuple[dict[str, Any], ...] = (
    {"abnormal_operations": True},
    {"serious_violation": True},
    {"key_area": True},
)


def _profiles() -> st.SearchStrategy[Profile]:
    return st.sampled_from([get_profile(n) for n in profile_names()]) | rs.profiles()


@given(e=rs.enterprises(), p=_profiles(), more=st.integers(min_value=1, max_value=10))
def test_adding_a_risk_factor_never_lowers_the_weight(e: Enterprise, p: Profile, more: int) -> None:
    """R-RISK-WEIGHT as a property: any risk factor added, the weight does not go down."""
    before = p.weight(e)
    assert before > 0
    complained = attrs.evolve(e.risk, complaints_12m=e.risk.complaints_12m + more)
    assert p.weight(attrs.evolve(e, risk=complained)) >= before
    for flag in _FLAGS:
        assert p.weight(attrs.evolve(e, risk=attrs.evolve(e.risk, **flag))) >= before


@given(e=rs.enterprises(), p=_profiles())
def test_a_better_grade_never_weighs_more(e: Enterprise, p: Profile) -> None:
    """R-GRADE-WEIGHT as a property: same risk, grade A weighs less than B, B no more than C."""
    a, b, c = (p.weight(attrs.evolve(e, grade=g)) for g in (Grade.A, Grade.B, Grade.C))
    assert a < b <= c
