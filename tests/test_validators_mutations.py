"""Mutation tests: a lawful year stays lawful; one injected violation is reported exactly once.

From a generated lawful ledger (``lawful_ledgers`` in ``test_ledger_strategies.py``), each kind
of :mod:`randcheck.demo.planting` breaks one rule in one record, the way a department could; the
audit must then report that rule for that record (as a violation, or a warning where the rule
says 原则上) and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import TypeVar

import attrs
import pytest
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from randcheck.demo import planting
from randcheck.demo.planting import KINDS, Kind
from randcheck.demo.simulation import demo_calendar
from randcheck.ledger import Ledger
from randcheck.profiles import TIANJIN_HRSS, Profile, Severity
from randcheck.validators import RULES, Outcome, audit
from test_ledger_strategies import lawful_ledgers

T = TypeVar("T")
Expected = set[tuple[str, str]]
Mutation = Callable[[Ledger, st.DataObject], tuple[Ledger, Profile, Expected]]

PROFILE = TIANJIN_HRSS
STRICT = attrs.evolve(TIANJIN_HRSS, cap=attrs.evolve(TIANJIN_HRSS.cap, severity=Severity.VIOLATION))
NOTICED = (Outcome.VIOLATION, Outcome.WARNING)


def lawful_profile(ledger: Ledger) -> Profile:
    """The Tianjin profile with an issue date that makes the whole year valid."""
    return attrs.evolve(TIANJIN_HRSS, issued=date(ledger.year - 1, 1, 1))


def noticed(ledger: Ledger, profile: Profile) -> Expected:
    """(rule, subject) of every violation and warning of the audit."""
    report = audit(ledger, profile, calendar=demo_calendar(ledger.year))
    return {(f.rule, f.subject) for f in report.findings if f.outcome in NOTICED}


# --- the kinds, from randcheck.demo.planting, driven by Hypothesis -------------------------------


class DataChooser:
    """A :class:`randcheck.demo.planting.Chooser` whose choices Hypothesis draws (and shrinks)."""

    def __init__(self, data: st.DataObject) -> None:
        self._data = data

    def integer(self, low: int, high: int) -> int:
        return self._data.draw(st.integers(low, high))

    def choice(self, options: Sequence[T]) -> T:
        return self._data.draw(st.sampled_from(options))

    def boolean(self) -> bool:
        return self._data.draw(st.booleans())

    def permutation(self, options: Sequence[T]) -> list[T]:
        return self._data.draw(st.permutations(options))


def _adapt(kind: Kind) -> Mutation:
    def mutate(ledger: Ledger, data: st.DataObject) -> tuple[Ledger, Profile, Expected]:
        try:
            mutated = kind.mutate(ledger, PROFILE, DataChooser(data))
        except planting.NotPlantable:
            # A generated year may hold no record of the kind this violation needs (e.g. no
            # enterprise drawn by another draw): another year is tried, not a failure.
            reject()
        return mutated.ledger, mutated.profile, set(mutated.expected)

    return mutate


def third_random_check(ledger: Ledger, data: st.DataObject) -> tuple[Ledger, Profile, Expected]:
    """Retarget a random inspection to an enterprise at the cap, under either cap severity."""
    profile = data.draw(st.sampled_from([PROFILE, STRICT]))
    mutated = planting.third_random_check(ledger, profile, DataChooser(data))
    return mutated.ledger, mutated.profile, set(mutated.expected)


MUTATIONS: dict[str, tuple[str, Mutation]] = {
    name: (kind.rule, _adapt(kind)) for name, kind in KINDS.items()
}
MUTATIONS["third-random-check"] = ("R-CAP", third_random_check)

_SETTINGS = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def test_every_rule_has_a_mutation() -> None:
    assert {rule for rule, _ in MUTATIONS.values()} == set(RULES)


@_SETTINGS
@given(lawful_ledgers())
def test_lawful_year_has_no_violation_warning_or_unknown(ledger: Ledger) -> None:
    report = audit(ledger, lawful_profile(ledger), calendar=demo_calendar(ledger.year))
    assert report.ok
    assert report.count(outcome=Outcome.WARNING) == 0
    assert report.count(outcome=Outcome.UNKNOWN) == 0
    assert report.count(outcome=Outcome.PASS) > len(ledger.inspections)
    report.raise_if_violations()


@_SETTINGS
@given(lawful_ledgers())
def test_lawful_year_under_the_default_profile_is_ok(ledger: Ledger) -> None:
    # Without an issue date only R-RULES-VALID is unknown.
    report = audit(ledger, TIANJIN_HRSS, calendar=demo_calendar(ledger.year))
    assert report.ok
    assert {(f.rule, f.outcome) for f in report.findings} == {("R-RULES-VALID", Outcome.UNKNOWN)}


@pytest.mark.parametrize("name", sorted(MUTATIONS))
@_SETTINGS
@given(ledger=lawful_ledgers(), data=st.data())
def test_one_injected_violation_is_reported_for_exactly_its_record(
    name: str, ledger: Ledger, data: st.DataObject
) -> None:
    rule, mutate = MUTATIONS[name]
    mutated, profile, expected = mutate(ledger, data)
    assert expected
    assert {r for r, _ in expected} == {rule}
    assert noticed(mutated, profile) == expected


@_SETTINGS
@given(ledger=lawful_ledgers(), data=st.data())
def test_third_check_is_a_violation_under_a_strict_profile(
    ledger: Ledger, data: st.DataObject
) -> None:
    mutated, _, expected = third_random_check(ledger, data)
    report = audit(mutated, STRICT, calendar=demo_calendar(mutated.year))
    assert {(f.rule, f.subject) for f in report.violations} == expected
    default = audit(mutated, TIANJIN_HRSS, calendar=demo_calendar(mutated.year))
    assert default.ok
    assert {(f.rule, f.subject) for f in default.warnings} == expected
