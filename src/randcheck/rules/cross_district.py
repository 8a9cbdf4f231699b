"""Members from other districts (R-CROSS-DISTRICT, Art. 10).

Art. 10: inspectors are drawn "从本部门的执法检查人员名录库中", or "部分从其他区…名录库中"; the plan
bounds the share of a team drawn from other districts (``Plan.cross_district``, inclusive), and
"部分" (a part) means at least one member always comes from the inspecting department's own
directory, whatever the bounds. A member is *outside* when their district differs from the
inspecting department's — by default the inspected enterprise's district (属地); a city-level
department's own directory is the city's. The dispatch
forms teams within :func:`allowed_outside`, the step guard refuses a member who would push a
team above it, and the audit judges each random inspection's team by :func:`team_composition`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from randcheck.domain import CrossDistrictBounds

__all__ = ["TeamComposition", "allowed_outside", "team_composition"]


def allowed_outside(size: int, bounds: CrossDistrictBounds) -> tuple[int, int]:
    """The allowed numbers of outside members in a team of ``size``, ``(low, high)`` inclusive.

    ``ceil(minimum * size) .. min(floor(maximum * size), size - 1)`` with exact fractions, so
    that ``o`` outside members satisfy the bounds exactly when ``minimum <= o / size <=
    maximum`` and at least one member is the department's own ("部分"). ``low > high`` when no
    team of ``size`` can meet the bounds.
    """
    # Integer arithmetic on numerator and denominator: the audit asks once per inspection,
    # and Fraction multiplication would dominate it.
    low, high = bounds.minimum, bounds.maximum
    top = min(high.numerator * size // high.denominator, max(size - 1, 0))
    return -(-low.numerator * size // low.denominator), top


class TeamComposition(NamedTuple):
    """A team's members from other districts, against the bounds of its plan.

    ``outside`` counts members known to come from another district; ``unknown`` holds the
    positions (in the team as given) of members whose district is not recorded; ``low`` and
    ``high`` are :func:`allowed_outside` for ``size`` seats. A named tuple, as the audit makes
    one per inspection.
    """

    size: int
    outside: int
    unknown: tuple[int, ...]
    low: int
    high: int

    @property
    def within(self) -> bool | None:
        """Whether the share lies within the bounds; ``None`` while a district is unknown."""
        if self.unknown:
            return None
        return self.low <= self.outside <= self.high

    @property
    def above_maximum(self) -> bool:
        """Whether the members known to be outside already exceed the maximum."""
        return self.outside > self.high


def team_composition(
    districts: Iterable[str | None],
    home: str,
    bounds: CrossDistrictBounds,
    *,
    size: int | None = None,
) -> TeamComposition:
    """How many of a team come from outside ``home`` (the inspecting department's district: the
    enterprise's by default), and whether the plan's ``bounds`` allow it.

    Args:
        districts: each member's district, ``None`` or ``""`` when not recorded (or the member
            is not in the directory).
        home: the district whose directory is the inspecting department's own.
        bounds: the plan's cross-district bounds.
        size: the seats the share is taken of (default: the number of members), e.g. the
            plan's team size while a team is still being formed.
    """
    outside = 0
    unknown: tuple[int, ...] = ()
    count = 0
    for district in districts:
        if not district:
            unknown += (count,)
        elif district != home:
            outside += 1
        count += 1
    seats = count if size is None else size
    low, high = allowed_outside(seats, bounds)
    return TeamComposition(seats, outside, unknown, low, high)
