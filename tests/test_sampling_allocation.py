"""The allocation proportional to weight (``docs/algorithm.md`` § 4.2): a plan stratified by
grade keeps the grade weights (Art. 9 "可优化随机抽查频次", R-GRADE-WEIGHT)."""

from __future__ import annotations

import json
import warnings
from collections import Counter
from collections.abc import Iterator
from fractions import Fraction

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from randcheck.canonical import unstructure
from randcheck.demo.simulation import demo_directory
from randcheck.demo.synthetic import enterprises as synthetic_enterprises
from randcheck.domain import Enterprise, Grade, Line, Plan, RiskFlags, SampleAllocation
from randcheck.errors import ValidationError
from randcheck.ledger import Ledger
from randcheck.profiles import TIANJIN_HRSS
from randcheck.sampling import (
    DrawOutcome,
    Frame,
    FrameStratum,
    GradePreferenceCancelledWarning,
    PlanParameters,
    Seed,
    build_frame,
    commit,
    draw,
    expected_drawn,
    explain,
    inclusion_probabilities,
    verify,
)
from randcheck.sampling.algorithm import (
    WeightClass,
    allocate,
    allocate_strata,
    allocation_scale,
    proportional_sizes,
    round_half_up,
    stratum_quotas,
)

BY_WEIGHT = SampleAllocation.PROPORTIONAL_TO_WEIGHT
CODES = [e.uscc for e in synthetic_enterprises(700, seed="allocation")]


def _codes() -> Iterator[str]:
    return iter(CODES)


def _plan(**changes: object) -> Plan:
    base = Plan(
        code="TJ-LS-2027",
        year=2027,
        line=Line.LABOUR_INSPECTION,
        ratio=Fraction(3, 10),
        strata=("district", "grade"),
    )
    return attrs.evolve(base, **changes)


def _directory() -> list[Enterprise]:
    """Two districts, each with 40 grade-A, 20 grade-B and 10 grade-C enterprises: every grade
    stratum has total weight 20 (A 1/2, B 1, C 2 in cn-tj-hrss)."""
    codes = _codes()
    return [
        Enterprise(uscc=next(codes), name=f"企业{k}", district=district, grade=grade)
        for district in ("和平区", "河西区")
        for grade, count in ((Grade.A, 40), (Grade.B, 20), (Grade.C, 10))
        for k in range(count)
    ]


def _stratum(name: str, codes: Iterator[str], *classes: tuple[Fraction, int]) -> FrameStratum:
    return FrameStratum(
        name=name,
        classes=[WeightClass.of(w, [next(codes) for _ in range(k)]) for w, k in classes],
    )


# --- per stratum against proportional to weight ---------------------------------------------


def test_per_stratum_ratios_give_every_grade_one_chance_and_the_weight_allocation_keeps_them() -> (
    None
):
    directory = _directory()
    grade = {e.uscc: e.grade for e in directory}
    per_stratum = _plan()
    with pytest.warns(GradePreferenceCancelledWarning):
        frame = build_frame(directory, per_stratum, TIANJIN_HRSS)
    pi = inclusion_probabilities(frame, per_stratum)
    assert set(pi.values()) == {Fraction(3, 10)}  # 12 of 40, 6 of 20, 3 of 10

    by_weight = _plan(allocation=BY_WEIGHT)
    with warnings.catch_warnings():
        warnings.simplefilter("error", GradePreferenceCancelledWarning)
        frame = build_frame(directory, by_weight, TIANJIN_HRSS)
    pi = inclusion_probabilities(frame, by_weight)
    # n = 3/10 · 140 = 42, six strata of equal total weight 20: 7 each.
    by_grade = {g: {p for u, p in pi.items() if grade[u] == g} for g in (Grade.A, Grade.B, Grade.C)}
    assert by_grade == {
        Grade.A: {Fraction(7, 40)},
        Grade.B: {Fraction(7, 20)},
        Grade.C: {Fraction(7, 10)},
    }
    assert sum(pi.values()) == 42
    assert expected_drawn(frame, by_weight, grade) == dict.fromkeys((Grade.A, Grade.B, Grade.C), 14)


def test_the_draw_takes_the_allocated_size_from_each_stratum() -> None:
    the_plan = _plan(allocation=BY_WEIGHT)
    frame = build_frame(_directory(), the_plan, TIANJIN_HRSS)
    record = draw(frame, commit(frame), Seed(value="1 2 3", source="dice"))
    assert [s.sample_size for s in record.strata] == [7] * 6
    assert {s.ratio for s in record.strata} == {Fraction(3, 10)}
    assert verify(record, frame).ok
    assert verify(record, _directory(), plan=the_plan).ok


def test_verify_reruns_the_weight_allocation_and_finds_a_changed_share() -> None:
    the_plan = _plan(ratio=Fraction(1, 10), allocation=BY_WEIGHT)
    frame = build_frame(_directory(), the_plan, TIANJIN_HRSS)
    record = draw(frame, commit(frame), Seed(value="5 5 1", source="dice"))
    first = record.strata[0]
    changed = attrs.evolve(
        record,
        strata=(attrs.evolve(first, sample_size=first.sample_size - 1), *record.strata[1:]),
    )
    found = verify(changed, frame)
    assert not found.ok
    assert f"strata[{first.name}].sample_size" in {d.path for d in found.differences}
    # The same units drawn per stratum at one ratio are another draw: the plan's allocation is
    # part of the committed parameters.
    per_stratum = attrs.evolve(the_plan, allocation=SampleAllocation.PER_STRATUM)
    with pytest.warns(GradePreferenceCancelledWarning):
        found = verify(record, _directory(), plan=per_stratum)
    assert "parameters" in {d.path for d in found.differences}


# --- ties, caps, floors ---------------------------------------------------------------------


def test_equal_remainders_go_to_the_stratum_named_first() -> None:
    # n = 1/10 · 140 = 14 over six strata of equal weight: 7/3 each, floors 2, two units left
    # for six equal remainders of 1/3: the first two names in code-point order take them.
    frame = build_frame(
        _directory(), _plan(ratio=Fraction(1, 10), allocation=BY_WEIGHT), TIANJIN_HRSS
    )
    sizes = proportional_sizes(frame.strata, 14, min_one=False)
    assert sizes == {
        "和平区|A": 3,
        "和平区|B": 3,
        "和平区|C": 2,
        "河西区|A": 2,
        "河西区|B": 2,
        "河西区|C": 2,
    }
    # The order the strata are given in does not matter.
    assert proportional_sizes(frame.strata[::-1], 14, min_one=False) == sizes


def test_a_stratum_smaller_than_its_share_gets_its_size_and_the_rest_goes_to_the_others() -> None:
    codes = _codes()
    light = _stratum("a", codes, (Fraction(1), 10))
    heavy = _stratum("b", codes, (Fraction(10), 2))
    # n = 6 of weights 10 and 20: b's share 4 exceeds its 2 units; a gets the 4 left.
    assert allocation_scale([light, heavy], 6, min_one=False) == Fraction(2, 5)
    assert stratum_quotas([light, heavy], 6, min_one=False) == {"a": 4, "b": 2}
    parameters = PlanParameters.from_plan(_plan(ratio=Fraction(1, 2), allocation=BY_WEIGHT))
    a, b = allocate_strata([light, heavy], parameters)
    assert (a.sample_size, b.sample_size) == (4, 2)
    assert a.probability(Fraction(1)) == Fraction(2, 5)
    assert b.certainty == 2
    assert b.probability(Fraction(10)) == 1


def test_a_certainty_unit_counts_once_and_its_stratum_shares_the_rest_by_weight() -> None:
    # The page's example (§ 4.2): λ* = 5/22, quotas 10/11, 20/11, 36/11 and 2, sizes 1, 2, 3, 2.
    codes = _codes()
    strata = [
        _stratum("和平区|A", codes, (Fraction(1, 2), 8)),
        _stratum("和平区|B", codes, (Fraction(1), 8)),
        _stratum("和平区|C", codes, (Fraction(2), 5), (Fraction(8), 1)),
        _stratum("河西区|C", codes, (Fraction(6), 1), (Fraction(8), 1)),
    ]
    assert round_half_up(Fraction(1, 3) * 24) == 8
    assert allocation_scale(strata, 8, min_one=False) == Fraction(5, 22)
    assert stratum_quotas(strata, 8, min_one=False) == {
        "和平区|A": Fraction(10, 11),
        "和平区|B": Fraction(20, 11),
        "和平区|C": Fraction(36, 11),
        "河西区|C": 2,
    }
    parameters = PlanParameters.from_plan(_plan(ratio=Fraction(1, 3), allocation=BY_WEIGHT))
    allocations = allocate_strata(strata, parameters)
    assert [a.sample_size for a in allocations] == [1, 2, 3, 2]
    weighted_c = allocations[2]
    assert weighted_c.certainty_weights == (Fraction(8),)
    # The page's probabilities: A 1/8, B 1/4, C 2/5.
    assert [allocations[i].probability(w) for i, w in ((0, Fraction(1, 2)), (1, 1), (2, 2))] == [
        Fraction(1, 8),
        Fraction(1, 4),
        Fraction(2, 5),
    ]


def test_at_least_one_per_stratum_raises_a_small_stratum_to_one() -> None:
    codes = _codes()
    small = _stratum("a", codes, (Fraction(1, 2), 1))
    big = _stratum("b", codes, (Fraction(1), 30))
    assert proportional_sizes([small, big], 3, min_one=False) == {"a": 0, "b": 3}
    assert proportional_sizes([small, big], 3, min_one=True) == {"a": 1, "b": 2}
    # More strata than the sample: every stratum gets its one.
    assert proportional_sizes([small, big], 1, min_one=True) == {"a": 1, "b": 1}


# --- the parameter --------------------------------------------------------------------------


def test_the_weight_allocation_needs_one_overall_ratio() -> None:
    with pytest.raises(ValidationError) as info:
        PlanParameters.from_plan(_plan(ratio=None, allocation=BY_WEIGHT))
    assert info.value.field == "ratio"
    with pytest.raises(ValidationError) as info:
        PlanParameters.from_plan(
            _plan(allocation=BY_WEIGHT, stratum_ratios={"和平区|A": Fraction(1, 20)})
        )
    assert info.value.field == "stratum_ratios"
    with pytest.raises(ValidationError) as info:
        _plan(allocation="by-guess")
    assert info.value.field == "allocation"


def test_a_stratum_alone_cannot_be_allocated_by_weight() -> None:
    stratum = _stratum("a", _codes(), (Fraction(1), 4))
    with pytest.raises(ValidationError) as info:
        allocate(stratum, PlanParameters.from_plan(_plan(allocation=BY_WEIGHT)))
    assert info.value.field == "allocation"


def test_the_default_allocation_is_left_out_of_documents() -> None:
    default = PlanParameters.from_plan(_plan())
    assert "allocation" not in unstructure(default)
    assert "allocation" not in unstructure(_plan())
    chosen = PlanParameters.from_plan(_plan(allocation=BY_WEIGHT))
    assert unstructure(chosen)["allocation"] == "proportional-to-weight"
    assert unstructure(_plan(allocation=BY_WEIGHT))["allocation"] == "proportional-to-weight"
    frame = build_frame(_directory(), _plan(allocation=BY_WEIGHT), TIANJIN_HRSS)
    again = Frame.from_document(json.loads(frame.to_json()))
    assert again.parameters.allocation is BY_WEIGHT
    assert again.digest() == frame.digest()
    ledger = Ledger(year=2027, plans=[_plan(allocation=BY_WEIGHT)])
    assert Ledger.from_document(ledger.to_document()).plans[0].allocation is BY_WEIGHT


# --- explain --------------------------------------------------------------------------------


def test_explain_says_how_the_stratum_got_its_share() -> None:
    the_plan = _plan(ratio=Fraction(1, 10), allocation=BY_WEIGHT)
    directory = _directory()
    frame = build_frame(directory, the_plan, TIANJIN_HRSS)
    record = draw(frame, commit(frame), Seed(value="4 4 2", source="dice"))
    drawn = record.selected[0]
    told = explain(record, drawn.uscc)
    assert told.outcome is DrawOutcome.DRAWN
    assert "in proportion to weight" in told.en
    left = next(e for e in directory if record.unit(e.uscc) is None)
    told = explain(record, left.uscc, enterprise=left)
    assert told.outcome is DrawOutcome.NOT_DRAWN
    assert told.probability == inclusion_probabilities(frame, the_plan)[left.uscc]
    assert "in proportion to weight" in told.en


def test_explain_a_stratum_given_no_share() -> None:
    codes = _codes()
    plan = _plan(ratio=Fraction(1, 20), allocation=BY_WEIGHT)
    directory = [
        Enterprise(uscc=next(codes), name="甲", district="和平区", grade=Grade.A),
        *(
            Enterprise(
                uscc=next(codes),
                name=f"乙{k}",
                district="河西区",
                grade=Grade.C,
                risk=RiskFlags(key_area=True),
            )
            for k in range(40)
        ),
    ]
    frame = build_frame(directory, plan, TIANJIN_HRSS)
    record = draw(frame, commit(frame), Seed(value="9", source="dice"))
    assert record.stratum("和平区|A") is not None
    assert record.stratum("和平区|A").sample_size == 0  # type: ignore[union-attr]
    told = explain(record, directory[0].uscc, enterprise=directory[0])
    assert told.outcome is DrawOutcome.NOT_DRAWN_NO_SAMPLE
    assert "in proportion to their total weights" in told.en


# --- properties -----------------------------------------------------------------------------

WEIGHTS = st.sampled_from([Fraction(1, 2), Fraction(1), Fraction(3, 2), Fraction(2), Fraction(6)])


@st.composite
def stratified(draw: st.DrawFn) -> list[FrameStratum]:
    codes = _codes()
    strata = []
    for index in range(draw(st.integers(1, 6))):
        chosen = draw(st.lists(WEIGHTS, min_size=1, max_size=3, unique=True))
        strata.append(
            _stratum(f"s{index}", codes, *((w, draw(st.integers(1, 15))) for w in chosen))
        )
    return strata


RATIOS = st.fractions(min_value=Fraction(1, 40), max_value=Fraction(1), max_denominator=40)


@settings(max_examples=200, deadline=None)
@given(stratified(), RATIOS)
def test_probabilities_are_proportional_to_weight_across_strata(
    strata: list[FrameStratum], ratio: Fraction
) -> None:
    parameters = PlanParameters.from_plan(_plan(ratio=ratio, allocation=BY_WEIGHT))
    population = sum(s.population for s in strata)
    n = round_half_up(ratio * population)
    allocations = allocate_strata(strata, parameters)
    quotas = stratum_quotas(strata, n, min_one=False)
    scale = allocation_scale(strata, n, min_one=False)
    assert sum(quotas.values()) == n
    total = Fraction(0)
    for stratum, a in zip(strata, allocations, strict=True):
        assert 0 <= a.sample_size <= stratum.population
        assert abs(a.sample_size - quotas[stratum.name]) < 1
        pi = {c.weight: a.probability(c.weight) for c in stratum.classes}
        total += sum((pi[c.weight] * c.size for c in stratum.classes), Fraction(0))
        # Tolerance: after rounding n_h by less than 1, a unit below 1 both ways has
        # |π/w − λ*| < 1/T, T the weight of the stratum's units below 1 both ways (the
        # stratum's expected number moves at a rate of at least T per unit of λ).
        below = [c for c in stratum.classes if pi[c.weight] < 1 and scale * c.weight < 1]
        weight_below = sum((c.weight * c.size for c in below), Fraction(0))
        for c in below:
            assert abs(pi[c.weight] / c.weight - scale) < 1 / weight_below
    assert total == n  # Σ π = n exactly


@settings(max_examples=100, deadline=None)
@given(stratified(), RATIOS)
def test_at_least_one_per_stratum_keeps_every_stratum_and_the_total(
    strata: list[FrameStratum], ratio: Fraction
) -> None:
    n = round_half_up(ratio * sum(s.population for s in strata))
    sizes = proportional_sizes(strata, n, min_one=True)
    assert sum(sizes.values()) == max(n, len(strata))
    assert all(1 <= sizes[s.name] <= s.population for s in strata)


# --- frequencies ----------------------------------------------------------------------------

STATISTICS_DRAWS = 1000


def test_realised_frequencies_per_grade_and_class_match_the_probabilities() -> None:
    """Strata district × grade (和平区 60 A, 40 B, 20 C; 河西区 30 A, 50 B, 10 C; every third
    enterprise in a key supervision area, ×3/2), ratio 1/4 (n = 53), allocation proportional to
    weight, drawn under 1,000 fixed seeds.

    Per grade the number drawn is fixed (each grade is a union of strata of fixed size), so its
    frequency must equal the mean π of the grade exactly. Per class (stratum and weight) the
    observed frequency f over R draws of a class of N units at π has a standard error of at
    most √(π(1 − π)/(N R)) (units of one stratum are negatively correlated, which only lowers
    it); the tolerance is four standard errors relative, √((1 − π)/(π N R)) · 4, between 3.1 %
    and 8.8 % here. Pareto sampling's own bias is well under that for these sizes (strata
    sizes 4 to 13). Measured with these seeds: worst relative error 1.1 % (class B of weight
    3/2 in 和平区, about one standard error).
    """
    codes = _codes()
    sizes = {
        ("和平区", Grade.A): 60,
        ("和平区", Grade.B): 40,
        ("和平区", Grade.C): 20,
        ("河西区", Grade.A): 30,
        ("河西区", Grade.B): 50,
        ("河西区", Grade.C): 10,
    }
    directory = [
        Enterprise(
            uscc=next(codes),
            name=f"企业{k}",
            district=district,
            grade=grade,
            risk=RiskFlags(key_area=k % 3 == 0),
        )
        for (district, grade), count in sizes.items()
        for k in range(count)
    ]
    the_plan = _plan(ratio=Fraction(1, 4), allocation=BY_WEIGHT)
    frame = build_frame(directory, the_plan, TIANJIN_HRSS)
    commitment = commit(frame)
    pi = inclusion_probabilities(frame, the_plan)
    grade = {e.uscc: e.grade for e in directory}
    group = {e.uscc: (e.district, e.grade, TIANJIN_HRSS.weight(e)) for e in directory}
    by_grade: Counter[str] = Counter()
    by_class: Counter[tuple[str, str, Fraction]] = Counter()
    for number in range(STATISTICS_DRAWS):
        record = draw(frame, commitment, Seed(value=f"allocation-{number}", source="test"))
        for unit in record.selected:
            by_grade[grade[unit.uscc]] += 1
            by_class[group[unit.uscc]] += 1
    expected = expected_drawn(frame, the_plan, grade)
    assert {g: Fraction(by_grade[g], STATISTICS_DRAWS) for g in expected} == expected
    members = Counter(group.values())
    for key, count in members.items():
        p = next(pi[u] for u, k in group.items() if k == key)
        observed = Fraction(by_class[key], count * STATISTICS_DRAWS)
        relative_error = abs(observed - p) / p
        # Compare squares: 4 · √((1 − π)/(π N R)) with no float.
        assert relative_error**2 < 16 * (1 - p) / (p * count * STATISTICS_DRAWS), key


# --- the demo's plan ------------------------------------------------------------------------


def test_the_demo_plan_keeps_the_grade_preference_that_per_stratum_ratios_cancel() -> None:
    """The demo's labour plan (district × grade at 3/100 over 20,000 enterprises).

    Among enterprises without risk flags (weights A 1/2, B 1, C 2), the mean chance per grade
    is measured against grade B's. Per-stratum ratios give every grade about 3/100 of its
    strata (measured: A 2.62 %, B 2.58 %, C 2.53 %: no preference); the allocation by weight
    gives A 1.29 %, B 2.55 %, C 5.06 %, i.e. 1/2 : 1 : 2 up to the rounding of 64 strata sizes.
    Tolerance: 5 % of the ratio either way (measured 1.2 % for A and 0.6 % for C).
    """
    directory = demo_directory()
    plan = directory.labour_plan
    assert plan.allocation is BY_WEIGHT

    def mean_chances(the_plan: Plan) -> dict[str, Fraction]:
        frame = build_frame(directory.enterprises, the_plan, TIANJIN_HRSS)
        pi = inclusion_probabilities(frame, the_plan)
        plain = [
            e
            for e in directory.enterprises
            if TIANJIN_HRSS.weight(e) == TIANJIN_HRSS.grade_weight(e.grade)
        ]
        chances = {}
        for grade in (Grade.A, Grade.B, Grade.C):
            members = [pi[e.uscc] for e in plain if e.grade == grade]
            chances[grade] = sum(members, Fraction(0)) / len(members)
        return chances

    with warnings.catch_warnings():
        warnings.simplefilter("error", GradePreferenceCancelledWarning)
        kept = mean_chances(plan)
    with pytest.warns(GradePreferenceCancelledWarning):
        cancelled = mean_chances(attrs.evolve(plan, allocation=SampleAllocation.PER_STRATUM))
    tolerance = Fraction(5, 100)
    for grade, weight in ((Grade.A, Fraction(1, 2)), (Grade.C, Fraction(2))):
        assert abs(kept[grade] / kept[Grade.B] / weight - 1) < tolerance
        assert abs(cancelled[grade] / cancelled[Grade.B] - 1) < tolerance
