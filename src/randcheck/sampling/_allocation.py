"""Allocation: how many units each stratum gives, and each unit's inclusion probability.

All arithmetic is exact (integers and :class:`~fractions.Fraction`).

* **Sample size.** ``n_h = ⌊r_h · N_h + 1/2⌋`` (round half up) where ``N_h`` is the number of
  eligible units of stratum ``h`` and ``r_h`` the plan's ratio for it; when the plan asks for at
  least one unit per stratum, a non-empty stratum with ``n_h = 0`` gets ``n_h = 1``.
* **Inclusion probabilities** are proportional to weight: ``π_i = n_h · w_i / Σ w``. A unit whose
  ``π_i`` would reach 1 is taken with certainty, and the rest is recomputed on the others:
  repeat — with ``k`` certainty units so far, mark every other unit with
  ``(n_h − k) · w_i ≥ Σ_{other} w`` as certain — until no unit is marked. Then
  ``π_i = 1`` for certainty units and ``π_i = (n_h − k) · w_i / S`` for the others, ``S`` being
  the sum of their weights (the *residual weight*).
"""

from __future__ import annotations

import math
from fractions import Fraction

import attrs

from randcheck.errors import ValidationError
from randcheck.sampling._frame import FrameStratum, PlanParameters

__all__ = ["Allocation", "allocate", "round_half_up", "sample_size"]

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


def allocate(stratum: FrameStratum, plan: PlanParameters) -> Allocation:
    """Sample size, certainty units and residual weight of ``stratum`` under ``plan``.

    Raises:
        ValidationError: the plan has no ratio for this stratum.
    """
    ratio = plan.ratio_for(stratum.name)
    if ratio is None:
        raise ValidationError(
            f"抽查计划未规定分层“{stratum.name}”的抽查比例 / the plan sets no sampling ratio "
            f"for stratum {stratum.name!r}",
            field="ratio",
            expected="an overall ratio or one for the stratum",
            got=None,
        )
    population = stratum.population
    n = sample_size(population, ratio, min_one=plan.min_one_per_stratum)
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
