"""Figures about a dispatch: teams, loads, the cross-district share, recusals."""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction

import attrs

from randcheck.domain import Inspector

from .eligibility import qualification_problem
from .record import DispatchRecord

__all__ = ["DispatchSummary", "format_fraction", "summarize"]


@attrs.frozen(kw_only=True)
class DispatchSummary:
    """Figures of a dispatch's current teams, exact.

    Loads are over every inspector qualified for the round, so an inspector who serves on no
    team counts with load 0.
    """

    teams: int
    seats: int
    qualified: int
    serving: int
    load_min: int
    load_max: int
    load_mean: Fraction
    load_cap: int
    outside_seats: int
    cross_district_share: Fraction
    recusals: int
    replacements: int

    def lines(self) -> list[str]:
        """The summary as printable lines, bilingual."""
        return [
            f"检查组 / teams: {self.teams} (人次 / seats: {self.seats})",
            f"合格执法人员 / qualified inspectors: {self.qualified}, "
            f"参与 / serving: {self.serving}",
            f"每人任务量 / load per inspector: min {self.load_min}, mean "
            f"{format_fraction(self.load_mean)}, max {self.load_max} (上限 / cap {self.load_cap})",
            f"跨区人员占比 / cross-district share: {self.cross_district_share} "
            f"({format_fraction(self.cross_district_share * 100)} %)",
            f"回避 / recusals applied: {self.recusals}",
            f"替换 / replacements: {self.replacements}",
        ]


def format_fraction(value: Fraction, places: int = 2) -> str:
    """``value`` rounded half up to ``places`` decimals, by integer arithmetic (no floats)."""
    scale = 10**places
    sign = "-" if value < 0 else ""
    scaled = abs(value) * scale
    whole = int(scaled + Fraction(1, 2))
    text = f"{whole // scale}.{whole % scale:0{places}d}" if places else str(whole)
    return sign + text


def summarize(record: DispatchRecord, inspectors: Iterable[Inspector]) -> DispatchSummary:
    """The figures of ``record``'s current teams, with districts from ``inspectors``."""
    staff = {i.key: i for i in inspectors}
    qualified = [
        key
        for key, i in staff.items()
        if qualification_problem(i, record.line, record.inspection_date) is None
    ]
    teams = record.current_teams()
    loads = record.loads()
    seats = sum(len(t.members) for t in teams)
    outside = sum(
        1 for t in teams for key in t.members if key in staff and staff[key].district != t.district
    )
    values = [loads.get(key, 0) for key in qualified] or [0]
    return DispatchSummary(
        teams=len(teams),
        seats=seats,
        qualified=len(qualified),
        serving=len(loads),
        load_min=min(values),
        load_max=max(values),
        load_mean=Fraction(sum(values), len(values)),
        load_cap=record.load_cap,
        outside_seats=outside,
        cross_district_share=Fraction(outside, seats) if seats else Fraction(0),
        recusals=len(record.recusals) + sum(len(r.recusals) for r in record.replacements),
        replacements=len(record.replacements),
    )
