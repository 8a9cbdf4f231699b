"""Each unit's inclusion probability and the expected numbers drawn, known before the draw.

R-GRADE-WEIGHT (Art. 9 "对劳动保障守法诚信等级评价较高的监管对象，可优化随机抽查频次") is about the
chance of being drawn, which the weights alone do not fix: a plan that stratifies by grade with
one ratio for every stratum (allocation ``per-stratum``) gives every grade the same chance,
whatever the weights; the allocation ``proportional-to-weight`` keeps the chances proportional
to weight across strata. These functions give the probabilities the plan actually produces
(:mod:`randcheck.sampling`'s allocation, exact fractions), so a department can see them before
it commits the frame.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from fractions import Fraction

from randcheck.domain import Plan, SampleAllocation
from randcheck.sampling._allocation import allocate_strata
from randcheck.sampling._frame import Frame, PlanParameters

__all__ = [
    "GradePreferenceCancelledWarning",
    "expected_drawn",
    "inclusion_probabilities",
    "warn_if_strata_cancel_grades",
]


class GradePreferenceCancelledWarning(UserWarning):
    """The profile's grade weights intend a preference that the plan's strata cancel."""


def _parameters(plan: Plan | PlanParameters) -> PlanParameters:
    return plan if isinstance(plan, PlanParameters) else PlanParameters.from_plan(plan)


def inclusion_probabilities(frame: Frame, plan: Plan | PlanParameters) -> dict[str, Fraction]:
    """USCC → the probability ``π`` that the draw of ``plan`` over ``frame`` selects it.

    Exact: the allocation of each stratum (its size ``n_h`` — per stratum, or the stratum's
    share of the plan's sample under ``proportional-to-weight`` — its certainty units and
    residual weight), then ``π_i`` proportional to the unit's weight within its stratum (1 for
    certainty units). Excluded units (out of scope, cap reached) are absent: their probability
    is 0.

    Raises:
        ValidationError: the plan sets no ratio for a stratum of the frame.
    """
    parameters = _parameters(plan)
    result: dict[str, Fraction] = {}
    allocations = allocate_strata(frame.strata, parameters)
    for stratum, allocation in zip(frame.strata, allocations, strict=True):
        for weight_class in stratum.classes:
            p = allocation.probability(weight_class.weight)
            for uscc in weight_class.units:
                result[uscc] = p
    return result


def expected_drawn(
    frame: Frame,
    plan: Plan | PlanParameters,
    group: Mapping[str, str] | Callable[[str], str],
) -> dict[str, Fraction]:
    """Group → the expected number of its units drawn (the sum of their ``π``).

    ``group`` maps a USCC to its group: a mapping (USCC → grade, risk factor, district, …) or
    a function; units a mapping does not name are counted under ``""``.

    Raises:
        ValidationError: as :func:`inclusion_probabilities`.
    """
    name_of = group if callable(group) else (lambda uscc: group.get(uscc, ""))
    totals: dict[str, Fraction] = {}
    for uscc, p in inclusion_probabilities(frame, plan).items():
        key = name_of(uscc)
        totals[key] = totals.get(key, Fraction(0)) + p
    return totals


def warn_if_strata_cancel_grades(
    parameters: PlanParameters, grading: str, weights: Mapping[str, Fraction]
) -> None:
    """Warn (:class:`GradePreferenceCancelledWarning`) when ``parameters`` stratify by the
    grading scheme ``grading`` with one ratio for every grade, each stratum allocated on its own
    (``per-stratum``), while the grade ``weights`` are not all equal: within a stratum every
    unit has the same grade, so its weight cancels. The allocation ``proportional-to-weight``
    keeps the preference: no warning."""
    if parameters.allocation is SampleAllocation.PROPORTIONAL_TO_WEIGHT:
        return
    if grading not in parameters.strata or len(set(weights.values())) <= 1:
        return
    position = parameters.strata.index(grading)
    by_grade: dict[str, set[Fraction | None]] = {}
    for name, ratio in parameters.stratum_ratios:
        parts = name.split("|")
        if len(parts) == len(parameters.strata):
            by_grade.setdefault(parts[position], set()).add(ratio)
    ratios = {
        grade: frozenset(by_grade.get(grade, set()) | {parameters.ratio}) for grade in weights
    }
    if len(set(ratios.values())) > 1:
        return
    warnings.warn(
        f"计划 {parameters.code} 按 {grading} 分层且各层比例相同，政策配置的等级权重不起作用 / "
        f"plan {parameters.code} stratifies by {grading} with one ratio for every grade: the "
        "profile's grade weights cancel, every grade has the same chance of being drawn "
        "(the allocation proportional-to-weight keeps them)",
        GradePreferenceCancelledWarning,
        stacklevel=3,
    )
