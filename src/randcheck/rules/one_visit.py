"""Several checks of one enterprise in one visit (R-ONE-VISIT, Art. 11).

Art. 11: "对同一市场主体的多个抽查项目，原则上应一次性完成". Two random checks of one enterprise
fall in the same period when their windows overlap — the window of its plan that contains an
inspection's day, or the day itself (:func:`visit_window`) — and then should share a visit.
The audit's R-ONE-VISIT reports such pairs; the demo avoids them when it plants a check beyond
the cap.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from randcheck.domain import TimeWindow

__all__ = ["visit_window", "windows_overlap"]


def visit_window(windows: Iterable[TimeWindow], day: date) -> tuple[date, date]:
    """``(start, end)`` of the first of ``windows`` (a plan's) that contains ``day``, ends
    included, or ``(day, day)`` when none does (or the plan is not known: no windows)."""
    for window in windows:
        if window.start <= day <= window.end:
            return window.start, window.end
    return day, day


def windows_overlap(first: tuple[date, date], second: tuple[date, date]) -> bool:
    """Whether two inclusive ``(start, end)`` windows share a day."""
    return first[0] <= second[1] and second[0] <= first[1]
