"""Tests for randcheck.profiles: the registry, the Tianjin numbers, weights, and a conformance
test that every registered profile (present and future) must pass."""

from __future__ import annotations

import pickle
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

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
from randcheck.profiles import registry as registry_module
from randcheck.testing import assert_conforms
from randcheck.text import Text

USCC = "91120116MA05EFEJ32"


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """Isolate the registry, so profiles registered by a test do not leak into others."""
    monkeypatch.setattr(registry_module, "_REGISTRY", dict(registry_module._REGISTRY))


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
    stricter = variant(cap=attrs.evolve(TIANJIN_HRSS.cap, severity=Severity.VIOLATION))
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
    assert (p.cap_per_year, p.cap_severity) == (2, Severity.WARNING)
    assert (p.publicity_min_days, p.day_counting) == (7, DayCounting.CALENDAR)
    assert (p.plan_deadline_month, p.plan_deadline_day) == (11, 30)
    assert p.min_team_size == 2
    assert [line.id for line in p.lines] == [
        "labour-inspection",
        "social-insurance-audit",
        "medical-insurance-supervision",
    ]
    assert len(p.districts) == 16
    assert p.district("和平区") is not None
    assert p.citation("R-CAP").article == Text(zh="第十条", en="Art. 10")


def test_grade_weights() -> None:
    weights = {g: TIANJIN_HRSS.grade_weight(g) for g in Grade}
    assert weights == {
        Grade.A: Fraction(1, 2),
        Grade.B: Fraction(1),
        Grade.C: Fraction(2),
        Grade.UNRATED: Fraction(1),
    }


@pytest.mark.parametrize(
    ("complaints", "multiplier"),
    [(0, Fraction(1)), (1, Fraction(3, 2)), (2, Fraction(3, 2)), (3, Fraction(2)), (50, 2)],
)
def test_complaint_tiers_use_the_highest_tier_reached(complaints: int, multiplier: Any) -> None:
    assert TIANJIN_HRSS.risk_multiplier(RiskFlags(complaints_12m=complaints)) == multiplier


def test_weight_is_grade_weight_times_multipliers() -> None:
    e = enterprise(Grade.C, complaints_12m=3, key_area=True)
    assert TIANJIN_HRSS.weight(e) == Fraction(2) * 2 * Fraction(3, 2)
    assert TIANJIN_HRSS.weight(enterprise(Grade.A)) == Fraction(1, 2)


def test_unknown_class_is_refused_with_the_known_ones() -> None:
    with pytest.raises(ValidationError) as exc:
        TIANJIN_HRSS.weight(enterprise("D"))
    assert exc.value.got == "D"
    assert "A, B, C, unrated" in str(exc.value.expected)


def test_with_class_weights_and_risk_tiers_make_variants() -> None:
    p = TIANJIN_HRSS.with_class_weights({"A": 1}).with_risk_tiers(key_area=((1, 3),))
    assert p.grade_weight("A") == 1
    assert p.risk_multiplier(RiskFlags(key_area=True)) == 3
    with pytest.raises(ValidationError):
        TIANJIN_HRSS.with_class_weights({"Z": 1})
    with pytest.raises(ValidationError):
        TIANJIN_HRSS.with_risk_tiers(nothing=((1, 2),))


def test_profile_consistency_is_checked() -> None:
    with pytest.raises(ValidationError) as exc:
        variant(plan_deadline=(2, 30))
    assert exc.value.field == "plan_deadline"
    with pytest.raises(ValidationError) as exc:
        variant(strata=("district", "size"))
    assert exc.value.field == "strata"
    with pytest.raises(ValidationError):
        variant(lines=())


def test_validity_unknown_without_issue_date() -> None:
    assert TIANJIN_HRSS.validity is None
    assert TIANJIN_HRSS.valid_on(date(2027, 1, 1)) is None


def test_without_a_validity_period_in_force_from_issue_with_no_end() -> None:
    p = variant(issued=date(2025, 3, 18), validity_years=None)
    assert p.validity == ValidityWindow(start=date(2025, 3, 18), end=date.max)
    assert p.valid_on(date(2025, 3, 17)) is False
    assert p.valid_on(date(2099, 12, 31)) is True
    open_ended = variant(issued=None, validity_years=None)
    assert open_ended.validity is None
    assert open_ended.valid_on(date(2000, 1, 1)) is True


def test_validity_two_years_from_issue() -> None:
    p = variant(issued=date(2026, 3, 1))
    assert p.validity == ValidityWindow(start=date(2026, 3, 1), end=date(2028, 3, 1))
    assert p.valid_on(date(2026, 2, 28)) is False
    assert p.valid_on(date(2026, 3, 1)) is True
    assert p.valid_on(date(2028, 3, 1)) is True
    assert p.valid_on(date(2028, 3, 2)) is False


# --- conformance: every registered profile --------------------------------------------------


def check_conformance(p: Profile) -> None:
    """The library's conformance suite, plus the validity window's shape."""
    assert_conforms(p)
    window = p.validity
    if p.issued is None:
        assert window is None
    elif p.validity_years is None:
        assert window == ValidityWindow(start=p.issued, end=date.max)
        assert p.valid_on(p.issued - timedelta(days=1)) is False
        assert p.valid_on(date.max) is True
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
