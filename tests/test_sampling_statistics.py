"""Empirical inclusion frequencies match the recorded inclusion probabilities.

Setting: stratum ``S`` holds 600 enterprises in five weight classes (1/2 ×200, 1 ×200,
3/2 ×100, 2 ×60, 3 ×40; Σw = 690); the plan's ratio 1/5 gives n = 120 and target
probabilities π = 120·w/690, from 0.087 to 0.522. Stratum ``T`` holds one enterprise of weight
30, twenty of weight 1 and ten of weight 2 at ratio 4/31 (n = 4): 4·30/70 ≥ 1 makes the first a
certainty unit, and the others get π = 3·w/40 (0.075 and 0.15). The frame is drawn under 2,000
fixed seeds.

Tolerance. For a class of N_c units with target π_c, the observed frequency
f_c = (times a unit of the class was drawn) / (N_c · R) over R draws has variance at most
π_c(1 − π_c) / (N_c · R) — units of one draw are negatively correlated (the sample size is
fixed), which only lowers it. The relative standard error √((1 − π_c) / (π_c N_c R)) is largest
for the lightest class of ``S``: √(0.913 / (0.087 · 200 · 2000)) = 0.51 %. The bound of 2 %
relative error is about four standard errors there. ``T`` is small, so its classes get 7 %,
again about four standard errors (√(0.925 / (0.075 · 20 · 2000)) = 1.8 %). Pareto sampling's
own bias is far smaller (its inclusion probabilities are within O(1/n) relative of the
targets; here well under 0.5 %).

Measured with these seeds: worst relative error in ``S`` 1.01 % (class w = 1/2, about two
standard errors); in ``T`` 0.33 %. The seeds are fixed, so the test is deterministic.
"""

from __future__ import annotations

from collections import Counter
from fractions import Fraction

from randcheck.demo.synthetic import enterprises as synthetic_enterprises
from randcheck.domain import Line, Plan
from randcheck.sampling import (
    Frame,
    FrameStratum,
    PlanParameters,
    Seed,
    commit,
    draw,
)
from randcheck.sampling.algorithm import WeightClass

DRAWS = 2000
CLASSES_S = ((Fraction(1, 2), 200), (Fraction(1), 200), (Fraction(3, 2), 100), (Fraction(2), 60))
CLASSES_S += ((Fraction(3), 40),)
CLASSES_T = ((Fraction(30), 1), (Fraction(1), 20), (Fraction(2), 10))
CODES = iter([e.uscc for e in synthetic_enterprises(631, seed="statistics")])
S = FrameStratum(
    name="S",
    classes=[WeightClass.of(w, [next(CODES) for _ in range(k)]) for w, k in CLASSES_S],
)
T = FrameStratum(
    name="T",
    classes=[
        WeightClass.of(Fraction(30), [next(CODES)]),
        WeightClass.of(Fraction(1), [next(CODES) for _ in range(20)]),
        WeightClass.of(Fraction(2), [next(CODES) for _ in range(10)]),
    ],
)
PARAMETERS = PlanParameters.from_plan(
    Plan(
        code="STAT",
        year=2027,
        line=Line.LABOUR_INSPECTION,
        ratio=Fraction(1, 5),
        stratum_ratios={"T": Fraction(4, 31)},
    )
)
FRAME = Frame(profile="cn-tj-hrss", parameters=PARAMETERS, strata=[S, T])


def test_inclusion_frequencies_match_the_recorded_probabilities() -> None:
    commitment = commit(FRAME)
    counts: Counter[tuple[str, Fraction]] = Counter()
    probabilities: dict[tuple[str, Fraction], Fraction] = {}
    for number in range(DRAWS):
        record = draw(FRAME, commitment, Seed(value=f"stat-{number}", source="test"))
        for unit in record.selected:
            key = (unit.stratum, unit.weight)
            counts[key] += 1
            # The recorded probability is the same for every unit of a class and every seed.
            assert probabilities.setdefault(key, unit.probability) == unit.probability

    expected_s = {w: 120 * w / 690 for w, _ in CLASSES_S}
    errors: dict[tuple[str, Fraction], Fraction] = {}
    for stratum, classes in (("S", CLASSES_S), ("T", CLASSES_T)):
        for weight, size in classes:
            key = (stratum, weight)
            frequency = Fraction(counts[key], size * DRAWS)
            errors[key] = abs(frequency / probabilities[key] - 1)
    for weight, _ in CLASSES_S:
        assert probabilities["S", weight] == expected_s[weight]
    assert probabilities["T", Fraction(30)] == 1
    assert probabilities["T", Fraction(1)] == Fraction(3, 40)
    assert probabilities["T", Fraction(2)] == Fraction(3, 20)

    assert errors["T", Fraction(30)] == 0  # the certainty unit, every time
    assert max(errors["T", Fraction(1)], errors["T", Fraction(2)]) <= Fraction(7, 100)
    worst = max(errors[("S", w)] for w, _ in CLASSES_S)
    assert worst <= Fraction(2, 100), {k: float(v) for k, v in errors.items()}
