"""Allocation: how many units each stratum gives, and each unit's inclusion probability.

All arithmetic is exact (integers and :class:`~fractions.Fraction`).

* **Sample size, per stratum** (``allocation = "per-stratum"``, the default).
  ``n_h = ⌊r_h · N_h + 1/2⌋`` (round half up) where ``N_h`` is the number of eligible units of
  stratum ``h`` and ``r_h`` the plan's ratio for it; when the plan asks for at least one unit
  per stratum, a non-empty stratum with ``n_h = 0`` gets ``n_h = 1``.
* **Sample size, proportional to weight** (``allocation = "proportional-to-weight"``): the
  plan's sample ``n = ⌊r · N + 1/2⌋`` is divided among the strata in proportion to the inclusion
  probabilities a single weighted draw over the whole frame would give (the stratum's total
  weight, less what certainty takes): find the smallest ``λ ≥ 0`` with
  ``Σ_h max(L_h, Σ_{i∈h} min(1, λ w_i)) = n`` (``L_h`` is 1 when the plan asks for at least one
  unit per stratum, else 0), give each stratum the quota ``q_h`` of that sum, and round the
  quotas to integers by largest remainder (ties by stratum name). See
  :func:`proportional_sizes` and ``docs/algorithm.md`` § 4.
* **Inclusion probabilities** are proportional to weight: ``π_i = n_h · w_i / Σ w``. A unit whose
  ``π_i`` would reach 1 is taken with certainty, and the rest is recomputed on the others:
  repeat — with ``k`` certainty units so far, mark every other unit with
  ``(n_h − k) · w_i ≥ Σ_{other} w`` as certain — until no unit is marked. Then
  ``π_i = 1`` for certainty units and ``π_i = (n_h − k) · w_i / S`` for the others, ``S`` being
  the sum of their weights (the *residual weight*).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from fractions import Fraction

import attrs

from randcheck.domain import SampleAllocation
from randcheck.errors import ValidationError
from randcheck.sampling._frame import FrameStratum, PlanParameters

__all__ = [
    "Allocation",
    "allocate",
    "allocate_strata",
    "allocation_scale",
    "proportional_sizes",
    "round_half_up",
    "sample_size",
    "stratum_quotas",
]

_HALF = Fraction(1, 2)


def round_half_up(value: Fraction) -> int:
    """``value`` rounded to the nearest integer, halves upwards (``5/2 → 3``), exactly."""
    return math.floor(value + _HALF)


def sample_size(population: int, ratio: Fraction, *, min_one: bool) -> int:
    """``n_h`` for a stratum of ``population`` units at ``ratio`` (see the module docstring)."""
    n = round_half_up(ratio * population)
    if min_one and population > 0 and n == 0:
        n = 1
    return n


@attrs.frozen(kw_only=True)
class Allocation:
    """The allocation of one stratum.

    Attributes:
        stratum: the stratum's name.
        population: ``N_h``, eligible units.
        ratio: the plan's ratio for the stratum.
        sample_size: ``n_h``.
        weight_total: ``Σ w`` over the stratum.
        certainty_weights: the weights whose units are all taken with certainty (a unit's
            certainty depends only on its weight), descending.
        certainty: number of certainty units ``k``.
        residual_weight: ``S``, the weight of the other units.
    """

    stratum: str
    population: int
    ratio: Fraction
    sample_size: int
    weight_total: Fraction
    certainty_weights: tuple[Fraction, ...]
    certainty: int
    residual_weight: Fraction

    @property
    def residual_size(self) -> int:
        """``n_h − k``: how many units the order sampling selects."""
        return self.sample_size - self.certainty

    def is_certain(self, weight: Fraction) -> bool:
        """Whether a unit of ``weight`` in this stratum is taken with certainty."""
        return weight in self.certainty_weights

    def probability(self, weight: Fraction) -> Fraction:
        """The inclusion probability ``π`` of a unit of ``weight`` in this stratum."""
        if self.is_certain(weight):
            return Fraction(1)
        if self.residual_size == 0:
            return Fraction(0)
        return self.residual_size * weight / self.residual_weight


def _smallest_root(
    value: Callable[[Fraction], Fraction], breakpoints: Iterable[Fraction], target: Fraction
) -> Fraction:
    """The smallest ``λ ≥ 0`` with ``value(λ) = target``, for a continuous nondecreasing
    ``value`` that is linear between consecutive ``breakpoints`` and constant after the last,
    with ``value(0) ≤ target ≤ value(last)``: exactly, by finding the first breakpoint where the
    value reaches ``target`` (bisection, the value being monotone) and interpolating linearly
    between it and the breakpoint before."""
    points = [Fraction(0), *sorted({p for p in breakpoints if p > 0})]
    if value(points[0]) >= target:
        return points[0]
    if value(points[-1]) < target:
        raise ValueError(f"no λ reaches {target}: the value stops at {value(points[-1])}")
    low, high = 0, len(points) - 1  # value(points[low]) < target <= value(points[high])
    while high - low > 1:
        middle = (low + high) // 2
        if value(points[middle]) >= target:
            high = middle
        else:
            low = middle
    a, b = points[low], points[high]
    at_a, at_b = value(a), value(b)
    return a + (target - at_a) * (b - a) / (at_b - at_a)


def _expected(stratum: FrameStratum, scale: Fraction) -> Fraction:
    """``Σ_{i∈h} min(1, λ w_i)`` at ``λ = scale``: the stratum's expected number drawn."""
    return sum((c.size * min(Fraction(1), scale * c.weight) for c in stratum.classes), Fraction(0))


def _reaches_one(stratum: FrameStratum) -> Fraction:
    """The ``λ`` at which the stratum's expected number drawn reaches 1."""
    return _smallest_root(
        lambda scale: _expected(stratum, scale),
        (1 / c.weight for c in stratum.classes),
        Fraction(1),
    )


def _floors(strata: Sequence[FrameStratum], min_one: bool) -> dict[str, int]:
    return {s.name: (1 if min_one and s.population > 0 else 0) for s in strata}


def _quotas(
    strata: Sequence[FrameStratum], floors: dict[str, int], scale: Fraction
) -> dict[str, Fraction]:
    return {s.name: max(Fraction(floors[s.name]), _expected(s, scale)) for s in strata}


def allocation_scale(strata: Sequence[FrameStratum], total: int, *, min_one: bool) -> Fraction:
    """``λ*``: the smallest ``λ ≥ 0`` at which the quotas of :func:`stratum_quotas` add up to
    ``total`` (raised to the number of non-empty strata under ``min_one`` when below it).

    A unit of weight ``w`` in a stratum above its floor has the target probability
    ``min(1, λ* w)``. After the stratum sizes are rounded (by less than 1 each), a unit whose
    probability is below 1 both before and after has ``|π/w − λ*| < 1/T_h``, ``T_h`` being the
    weight of its stratum's units below 1 both ways: the stratum's expected number drawn grows
    by at least ``T_h`` per unit of ``λ`` over the interval between the two.

    Raises:
        ValueError: ``total`` exceeds the number of units of ``strata``.
    """
    floors = _floors(strata, min_one)
    wanted = Fraction(max(total, sum(floors.values())))
    # Each stratum's expected number is linear between the λ at which a weight class becomes
    # certain (1/w); a stratum's quota also bends where that number crosses its floor of 1.
    kinks = [1 / c.weight for s in strata for c in s.classes]
    kinks += [_reaches_one(s) for s in strata if floors[s.name]]
    return _smallest_root(
        lambda scale: sum(_quotas(strata, floors, scale).values(), Fraction(0)), kinks, wanted
    )


def stratum_quotas(
    strata: Sequence[FrameStratum], total: int, *, min_one: bool
) -> dict[str, Fraction]:
    """Stratum name → its exact quota ``q_h`` of a sample of ``total`` divided by weight.

    ``q_h = max(L_h, Σ_{i∈h} min(1, λ* w_i))`` with ``L_h = 1`` if ``min_one`` (else 0) and
    ``λ*`` the smallest ``λ ≥ 0`` that makes the quotas add up to ``total``
    (:func:`allocation_scale`). Without ``min_one`` these are the expected numbers drawn per
    stratum by one draw over all the strata with probabilities proportional to weight, units
    whose ``λ* w_i`` reaches 1 taken with certainty: a stratum never gets more than its size,
    and what a full stratum cannot take goes to the others. ``total`` is first raised to
    ``Σ L_h`` when below it.

    Raises:
        ValueError: ``total`` exceeds the number of units of ``strata``.
    """
    scale = allocation_scale(strata, total, min_one=min_one)
    return _quotas(strata, _floors(strata, min_one), scale)


def proportional_sizes(
    strata: Sequence[FrameStratum], total: int, *, min_one: bool
) -> dict[str, int]:
    """Stratum name → ``n_h``: ``total`` divided among ``strata`` in proportion to weight.

    The quotas of :func:`stratum_quotas`, rounded to integers by largest remainder: every
    stratum gets ``⌊q_h⌋``, and the ``n − Σ ⌊q_h⌋`` units left go one each to the strata with
    the largest fractional parts ``q_h − ⌊q_h⌋``; equal fractional parts go to the stratum whose
    name comes first in code-point order. The sizes add up to ``max(total, Σ L_h)`` exactly,
    differ from the quotas by less than 1, and never exceed a stratum's size (a quota with a
    fractional part is below the stratum's size, so rounding it up stays within it).

    Raises:
        ValueError: ``total`` exceeds the number of units of ``strata``.
    """
    quotas = stratum_quotas(strata, total, min_one=min_one)
    sizes = {name: math.floor(q) for name, q in quotas.items()}
    left = int(sum(quotas.values(), Fraction(0))) - sum(sizes.values())
    order = sorted(quotas, key=lambda name: (-(quotas[name] - sizes[name]), name))
    for name in order[:left]:
        sizes[name] += 1
    return sizes


def _missing_ratio(stratum: str) -> ValidationError:
    return ValidationError(
        f"抽查计划未规定分层“{stratum}”的抽查比例 / the plan sets no sampling ratio "
        f"for stratum {stratum!r}",
        field="ratio",
        expected="an overall ratio or one for the stratum",
        got=None,
    )


def allocate_strata(strata: Sequence[FrameStratum], plan: PlanParameters) -> tuple[Allocation, ...]:
    """The allocation of every stratum of a frame (``strata``, in the frame's order).

    Under ``per-stratum`` each stratum is allocated on its own (:func:`allocate`); under
    ``proportional-to-weight`` the plan's sample ``⌊r · N + 1/2⌋`` over all ``N`` units of
    ``strata`` is divided by :func:`proportional_sizes`, and each stratum's certainty units and
    probabilities follow from its size as in :func:`allocate`.

    Raises:
        ValidationError: the plan has no ratio for a stratum.
    """
    if plan.allocation is SampleAllocation.PER_STRATUM:
        return tuple(allocate(stratum, plan) for stratum in strata)
    ratio = plan.ratio
    if ratio is None:  # PlanParameters refuses this; kept for a clear error all the same
        raise _missing_ratio(strata[0].name if strata else "")
    total = round_half_up(ratio * sum(s.population for s in strata))
    sizes = proportional_sizes(strata, total, min_one=plan.min_one_per_stratum)
    return tuple(_allocation(stratum, ratio, sizes[stratum.name]) for stratum in strata)


def allocate(stratum: FrameStratum, plan: PlanParameters, *, size: int | None = None) -> Allocation:
    """Sample size, certainty units and residual weight of ``stratum`` under ``plan``.

    ``size``: the stratum's sample size ``n_h`` when the plan divides its sample among strata
    (``proportional-to-weight``, see :func:`allocate_strata`, which needs every stratum);
    without it the size is the stratum's own, ``⌊r_h · N_h + 1/2⌋``.

    Raises:
        ValidationError: the plan has no ratio for this stratum, or it allocates in proportion
            to weight and ``size`` is not given.
    """
    ratio = plan.ratio_for(stratum.name)
    if ratio is None:
        raise _missing_ratio(stratum.name)
    if size is None:
        if plan.allocation is not SampleAllocation.PER_STRATUM:
            raise ValidationError(
                f"按权重比例分配时，分层“{stratum.name}”的样本量取决于全部分层 / under the "
                f"allocation {plan.allocation.value} the size of stratum {stratum.name!r} "
                "depends on every stratum: use allocate_strata",
                field="allocation",
                expected="per-stratum, or a size from allocate_strata",
                got=plan.allocation.value,
            )
        size = sample_size(stratum.population, ratio, min_one=plan.min_one_per_stratum)
    return _allocation(stratum, ratio, size)


def _allocation(stratum: FrameStratum, ratio: Fraction, n: int) -> Allocation:
    population = stratum.population
    total = stratum.weight_total
    classes = sorted(stratum.classes, key=lambda c: c.weight, reverse=True)
    certain: list[Fraction] = []
    k = 0
    residual = total
    while True:
        marked = [
            c for c in classes[len(certain) :] if residual > 0 and (n - k) * c.weight >= residual
        ]
        if not marked:
            break
        for c in marked:
            certain.append(c.weight)
            k += len(c.units)
            residual -= c.weight * len(c.units)
    return Allocation(
        stratum=stratum.name,
        population=population,
        ratio=ratio,
        sample_size=n,
        weight_total=total,
        certainty_weights=tuple(certain),
        certainty=k,
        residual_weight=residual,
    )
