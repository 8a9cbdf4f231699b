"""A plan's year, rounds and windows, and the order of its dates (Art. 8, 9).

Art. 8 "将下一年度随机抽查计划报送…形成下一年度随机抽查计划…并向社会公开": a plan is the plan of
one year. Its time of the checks (实施抽查时间, Art. 9) therefore lies in that year: a window
outside it is no window of that plan, and the plan is refused when it is built
(:func:`windows_outside_year`; the year itself is one whose deadline, in the year before, and
days can be counted, :data:`PLAN_YEARS`).

Art. 9 "抽查比例和频次、实施抽查时间": the plan states how often it draws (``rounds``) and when the
checks take place (``windows``, round 1 first, one per round). A plan whose two answers
disagree (:func:`rounds_without_window`, :func:`windows_without_round`) does not state one of
them; R-PLAN-FIELDS reports it, as it reports a missing content, so that a plan written in
steps can still be written. :func:`plan_rounds` is the number of draws a plan provides for.

Art. 8 orders the steps: the plan is submitted (报送), formed, reported and then published
(公开). A plan recorded as published before it was submitted (:func:`published_before_submitted`)
can happen — two offices, two acts — but one of the dates is probably wrong; R-PLAN-DEADLINE
warns about it.

The functions read a plan (:class:`randcheck.domain.Plan`) by its attributes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Final, Protocol

if TYPE_CHECKING:
    from randcheck.domain import TimeWindow

__all__ = [
    "PLAN_YEARS",
    "plan_rounds",
    "published_before_submitted",
    "rounds_without_window",
    "windows_outside_year",
    "windows_without_round",
]

PLAN_YEARS: Final = range(2, 9999)
"""The years a plan may be for: its deadline falls in the year before and its days, and the next
year's, must be days Python can count (the ledger's years, from 1 to 9998, less the first)."""


class _Planned(Protocol):
    @property
    def rounds(self) -> int | None: ...

    @property
    def windows(self) -> Sequence[TimeWindow]: ...


def windows_outside_year(year: int, windows: Sequence[TimeWindow]) -> tuple[int, ...]:
    """The indices of ``windows`` with a day outside ``year`` (1 January to 31 December, both
    included), in order; empty when every window lies in the year."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    return tuple(k for k, window in enumerate(windows) if window.start < first or window.end > last)


def plan_rounds(plan: _Planned) -> int | None:
    """The number of draws ``plan`` provides for in its year: its ``rounds``, else (a plan that
    does not state its frequency) one per window, else ``None`` — the plan says nothing of it,
    which R-PLAN-FIELDS reports. Round ``n`` exists when ``1 <= n <= plan_rounds(plan)``."""
    if plan.rounds is not None:
        return plan.rounds
    return len(plan.windows) or None


def rounds_without_window(plan: _Planned) -> tuple[int, ...]:
    """The rounds (numbered from 1) that ``plan`` draws but gives no window: empty when it
    gives none at all (that is a missing content, not a disagreement) or states no rounds."""
    if plan.rounds is None or not plan.windows:
        return ()
    return tuple(range(len(plan.windows) + 1, plan.rounds + 1))


def windows_without_round(plan: _Planned) -> tuple[int, ...]:
    """The indices of ``plan``'s windows beyond its stated ``rounds`` (windows are round 1
    first): windows of rounds the plan does not draw. Empty when ``rounds`` is not stated."""
    if plan.rounds is None:
        return ()
    return tuple(range(plan.rounds, len(plan.windows)))


def published_before_submitted(submitted: date | None, published: date | None) -> bool:
    """Whether a plan is recorded as published on a day before the one it was submitted on
    (the same day is in order: a date orders nothing within a day)."""
    return submitted is not None and published is not None and published < submitted
