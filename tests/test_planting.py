"""Planting violations: each kind is reported by its rule for its record, alone or together.

The kinds are also run over generated lawful years, with Hypothesis making the choices, in
``test_validators_mutations.py``; here they run over the simulated year of the demo, with the
SHA-256 chooser the demo uses.
"""

from __future__ import annotations

from collections import Counter
from functools import cache

import pytest
from hypothesis import given
from hypothesis import strategies as st

from randcheck import canonical
from randcheck.demo.planting import (
    DEMO_KINDS,
    KINDS,
    HashChooser,
    NotPlantable,
    Planting,
    noticed,
    plant,
    plant_one,
)
from randcheck.demo.simulation import SimulatedYear, demo_calendar, simulate
from randcheck.errors import RandcheckError, ValidationError
from randcheck.ledger import Ledger
from randcheck.profiles import TIANJIN_HRSS
from randcheck.validators import RULES, Outcome, audit

RECORD_RULES = set(RULES) - {"R-RULES-VALID"}


@cache
def year() -> SimulatedYear:
    return simulate(seed="planting", enterprises=1_500, inspectors=200)


@cache
def demo_planting() -> Planting:
    return plant(year().ledger, TIANJIN_HRSS, seed="planting")


# --- the catalogue ----------------------------------------------------------------------------


def test_every_rule_has_a_kind_and_records_can_break_all_but_the_validity() -> None:
    assert {kind.rule for kind in KINDS.values()} == set(RULES)
    assert {kind.rule for kind in KINDS.values() if kind.in_records} == RECORD_RULES
    assert {name for name, kind in KINDS.items() if not kind.in_records} == {
        "profile-grade-weights",
        "profile-risk-multiplier",
        "rules-expired",
    }


def test_demo_kinds_are_one_per_rule_records_can_break() -> None:
    rules = [KINDS[name].rule for name in DEMO_KINDS]
    assert Counter(rules).most_common(1)[0][1] == 1
    assert set(rules) == RECORD_RULES
    assert all(KINDS[name].in_records for name in DEMO_KINDS)


def test_kinds_say_what_they_do_in_both_languages() -> None:
    for name, kind in KINDS.items():
        assert kind.name == name
        assert kind.zh
        assert kind.en
        assert kind.en[0].isupper()


# --- the chooser ------------------------------------------------------------------------------


@given(st.text(max_size=20), st.integers(-1000, 1000), st.integers(0, 10**12))
def test_hash_chooser_integers_stay_in_range(seed: str, low: int, span: int) -> None:
    value = HashChooser(seed).integer(low, low + span)
    assert low <= value <= low + span


@given(st.text(max_size=20), st.lists(st.integers(), min_size=1, max_size=30))
def test_hash_chooser_choice_and_permutation(seed: str, options: list[int]) -> None:
    chooser = HashChooser(seed)
    assert chooser.choice(options) in options
    assert sorted(chooser.permutation(options)) == sorted(options)


def test_hash_chooser_is_deterministic_and_depends_on_seed_and_purpose() -> None:
    def stream(seed: str, purpose: str) -> list[int]:
        chooser = HashChooser(seed, purpose)
        return [chooser.integer(0, 10**6) for _ in range(20)]

    assert stream("a", "p") == stream("a", "p")
    assert stream("a", "p") != stream("b", "p")
    assert stream("a", "p") != stream("a", "q")


def test_hash_chooser_spreads_its_choices() -> None:
    # 6,000 choices among 6: each face expects 1,000 (sd 29); 150 is over five sd.
    chooser = HashChooser("faces")
    counts = Counter(chooser.integer(1, 6) for _ in range(6_000))
    assert set(counts) == set(range(1, 7))
    assert all(abs(n - 1_000) < 150 for n in counts.values())
    flips = Counter(chooser.boolean() for _ in range(2_000))
    assert abs(flips[True] - 1_000) < 120


def test_hash_chooser_refuses_what_it_cannot_choose_from() -> None:
    chooser = HashChooser("x")
    with pytest.raises(ValidationError):
        chooser.integer(3, 2)
    with pytest.raises(ValidationError):
        chooser.choice([])
    with pytest.raises(ValidationError):
        HashChooser(3)  # type: ignore[arg-type]


# --- one kind at a time on the simulated year --------------------------------------------------


@pytest.mark.parametrize("name", sorted(KINDS))
def test_each_kind_is_reported_by_its_rule_for_its_record(name: str) -> None:
    kind = KINDS[name]
    ledger = year().ledger
    mutated = plant_one(ledger, TIANJIN_HRSS, name, HashChooser("planting", name))
    assert mutated.expected
    assert {rule for rule, _ in mutated.expected} == {kind.rule}
    assert noticed(mutated.ledger, mutated.profile) == set(mutated.expected)
    if kind.in_records:
        assert mutated.profile == TIANJIN_HRSS
        assert mutated.ledger != ledger
    else:
        assert mutated.ledger == ledger


def test_a_ledger_without_the_records_cannot_be_planted_in() -> None:
    empty = Ledger(year=2027)
    for name, kind in KINDS.items():
        if not kind.in_records and name != "rules-expired":
            continue
        with pytest.raises(NotPlantable) as caught:
            plant_one(empty, TIANJIN_HRSS, name, HashChooser("empty"))
        assert isinstance(caught.value, RandcheckError)
        assert isinstance(caught.value, LookupError)
        assert "no " in str(caught.value)


def test_next_years_list_is_needed_to_plant_an_unpublished_list() -> None:
    ledger = year().ledger
    without = Ledger(
        year=ledger.year,
        check_item_lists=[x for x in ledger.check_item_lists if x.effective.year <= ledger.year],
    )
    with pytest.raises(NotPlantable):
        plant_one(without, TIANJIN_HRSS, "list-unpublished", HashChooser("x"))


# --- all the demo's kinds together ---------------------------------------------------------------


def test_planting_one_per_rule_reports_each_and_nothing_else() -> None:
    planting = demo_planting()
    assert not planting.skipped
    assert [p.kind.name for p in planting.planted] == list(DEMO_KINDS)
    assert planting.rules == RECORD_RULES
    found = {
        (f.rule, f.subject)
        for f in planting.report.findings
        if f.outcome in (Outcome.VIOLATION, Outcome.WARNING)
    }
    assert found == planting.expected
    assert len(planting.expected) == len(DEMO_KINDS)
    # The report is the audit of the planted ledger.
    calendar = demo_calendar(planting.ledger.year)
    assert audit(planting.ledger, planting.profile, calendar=calendar) == planting.report
    assert not planting.report.ok


def test_planting_is_deterministic() -> None:
    again = plant(year().ledger, TIANJIN_HRSS, seed="planting")
    first = demo_planting()
    assert canonical.canonical_json(again.ledger.to_document()) == canonical.canonical_json(
        first.ledger.to_document()
    )
    assert again.expected == first.expected
    other = plant(year().ledger, TIANJIN_HRSS, seed="another")
    assert other.rules == first.rules
    assert other.expected != first.expected


def test_kinds_with_nothing_to_break_are_skipped_with_the_reason() -> None:
    planting = plant(Ledger(year=2027), TIANJIN_HRSS, seed="x")
    assert not planting.planted
    assert {s.kind.name for s in planting.skipped} == set(DEMO_KINDS)
    assert all(s.reason_zh and s.reason_en for s in planting.skipped)
    assert planting.report.ok


def test_unknown_kind_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        plant(year().ledger, TIANJIN_HRSS, seed="x", kinds=["no-such-kind"])
