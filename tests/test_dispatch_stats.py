"""No position bias: in a symmetric instance every eligible inspector serves a given enterprise
equally often across seeds.

Tolerance: the counts over the seeds are tested with Pearson's chi-square statistic against the
uniform expectation; the bound used is the 0.999 quantile of the chi-square distribution with
the stated degrees of freedom, so a correct implementation fails with probability 1/1000 for a
random set of seeds. The seeds are fixed, so the test is deterministic: it either always passes
or always fails. Each count is also checked to lie within five standard deviations of its
expectation.
"""

from __future__ import annotations

from collections import Counter
from fractions import Fraction

from randcheck.dispatch import dispatch
from randcheck.domain import Plan
from randcheck.profiles import TIANJIN_HRSS
from test_dispatch import DAY, DISTRICTS, StubDraw, enterprise, inspector, plan

SEEDS = 3000
# 0.999 quantiles of the chi-square distribution.
CHI2_999 = {2: 13.816, 8: 26.124, 11: 31.264}

# Four districts of three inspectors each, two enterprises per district: every inspector of a
# district is exchangeable with every other, and the districts with each other.
STAFF = [inspector(f"K{d}{n}", DISTRICTS[d]) for d in range(4) for n in range(3)]
ENTS = [enterprise(10 * d + n, DISTRICTS[d]) for d in range(4) for n in range(2)]
TARGET = ENTS[0]


def _counts(the_plan: Plan) -> Counter[str]:
    draw = StubDraw(e.uscc for e in ENTS)
    counts: Counter[str] = Counter()
    for seed in range(SEEDS):
        record = dispatch(draw, ENTS, STAFF, [], the_plan, TIANJIN_HRSS, seed=f"s{seed}", on=DAY)
        team = record.team_of(TARGET.uscc)
        assert team is not None
        counts.update(team.members)
    return counts


def _chi2(observed: list[int], expected: Fraction) -> Fraction:
    return sum((Fraction(o) - expected) ** 2 / expected for o in observed) or Fraction(0)


def _within_five_sd(observed: list[int], p: Fraction) -> bool:
    mean = SEEDS * p
    variance = SEEDS * p * (1 - p)
    return all((Fraction(o) - mean) ** 2 <= 25 * variance for o in observed)


def test_without_district_bounds_each_group_serves_uniformly_and_one_member_is_local() -> None:
    # Art. 10 "部分从其他区": every team holds a member of the enterprise's own district; within
    # the local and the outside inspectors alike, every one serves equally often.
    counts = _counts(plan())
    local = [counts[s.key] for s in STAFF if s.district == TARGET.district]
    outside = [counts[s.key] for s in STAFF if s.district != TARGET.district]
    assert sum(local) + sum(outside) == 2 * SEEDS
    assert sum(local) >= SEEDS
    assert _chi2(local, Fraction(sum(local), 3)) < CHI2_999[2], local
    assert _chi2(outside, Fraction(sum(outside), 9)) < CHI2_999[8], outside


def test_local_and_outside_inspectors_are_each_uniform_under_exact_bounds() -> None:
    # Exactly one member from the enterprise's district and one from the others.
    counts = _counts(plan(low=Fraction(1, 2), high=Fraction(1, 2)))
    local = [counts[s.key] for s in STAFF if s.district == TARGET.district]
    outside = [counts[s.key] for s in STAFF if s.district != TARGET.district]
    assert sum(local) == SEEDS
    assert sum(outside) == SEEDS
    assert _chi2(local, Fraction(SEEDS, 3)) < CHI2_999[2], local
    assert _chi2(outside, Fraction(SEEDS, 9)) < CHI2_999[8], outside
    assert _within_five_sd(local, Fraction(1, 3)), local
    assert _within_five_sd(outside, Fraction(1, 9)), outside


def test_many_distinct_teams_occur() -> None:
    # A random start followed by consecutive blocks of the list allows only 12 teams for an
    # enterprise; every one of the 30 pairs with a local member ("部分") must be possible here:
    # 66 pairs of 12, less the 36 of the 9 outside inspectors.
    draw = StubDraw(e.uscc for e in ENTS)
    teams = set()
    for seed in range(1200):
        record = dispatch(draw, ENTS, STAFF, [], plan(), TIANJIN_HRSS, seed=f"t{seed}", on=DAY)
        team = record.team_of(TARGET.uscc)
        assert team is not None
        teams.add(frozenset(team.members))
    assert len(teams) == 30
