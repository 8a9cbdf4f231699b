"""The check-item list and the legal bases in force on a day (R-LEGAL-BASIS, Art. 6).

Art. 6: "凡是法律法规和规章没有规定的，一律不得擅自开展检查". An inspection checks items of the
check-item list in force on its day (:func:`list_in_force`), and every basis of such an item is a
law, regulation or rule in force that day (:func:`basis_defect`). Which ranks suffice is
jurisdiction data (``Profile.rank_sufficient``); without a profile the national reading applies
(:func:`national_rank_sufficient`). The
step guard ``may_inspect`` and the audit's R-LEGAL-BASIS both decide through these functions.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from randcheck.domain import CheckItemList, LegalBasis

__all__ = [
    "NATIONAL_SUFFICIENT_RANKS",
    "BasisDefect",
    "bases_defects",
    "basis_defect",
    "basis_in_force",
    "list_in_force",
    "national_rank_sufficient",
]

NATIONAL_SUFFICIENT_RANKS = frozenset(
    {"law", "administrative-regulation", "local-regulation", "rule"}
)
"""The ranks of Chinese law that can ground an inspection: "法律法规和规章" (Art. 6)."""


def national_rank_sufficient(rank: str) -> bool:
    """Whether ``rank`` is a law, administrative or local regulation, or rule (not a normative
    document, 规范性文件, nor an unknown rank)."""
    return rank in NATIONAL_SUFFICIENT_RANKS


def list_in_force(lists: Iterable[CheckItemList], line: str, day: date) -> CheckItemList | None:
    """The check-item list of ``line`` in force on ``day`` (Art. 6), or ``None``.

    In force: effective on or before ``day`` and published on or before ``day`` (an unpublished
    list grounds nothing). Of several, the one with the latest effective date wins; on a tie,
    the later publication, then the later one in ``lists``.
    """
    best: CheckItemList | None = None
    best_key: tuple[date, date] | None = None
    for candidate in lists:
        if candidate.line != line or candidate.effective > day:
            continue
        published = candidate.published
        if published is None or published > day:
            continue
        key = (candidate.effective, published)
        if best_key is None or key >= best_key:
            best, best_key = candidate, key
    return best


def basis_in_force(basis: LegalBasis, day: date) -> bool:
    """Whether ``basis`` is in force on ``day``: effective on or before it, and not repealed on
    or before it (a repeal takes effect on its date)."""
    return basis.effective <= day and (basis.repealed is None or day < basis.repealed)


class BasisDefect(enum.Enum):
    """Why a legal basis cannot ground an inspection on a given day (Art. 6)."""

    INSUFFICIENT_RANK = "insufficient-rank"
    """A normative document (规范性文件), not a law, regulation or rule; no date cures it."""
    NOT_YET_IN_FORCE = "not-yet-in-force"
    """It takes effect after the day."""
    REPEALED = "repealed"
    """It was repealed on or before the day."""


def basis_defect(
    basis: LegalBasis,
    day: date,
    *,
    rank_sufficient: Callable[[str], bool] = national_rank_sufficient,
) -> BasisDefect | None:
    """What keeps ``basis`` from grounding an inspection on ``day``, or ``None`` if nothing.

    The rank is judged first, by ``rank_sufficient`` (a profile's
    :meth:`~randcheck.profiles.Profile.rank_sufficient`; by default the national reading): a
    normative document is insufficient whatever its dates.
    """
    if not rank_sufficient(basis.rank):
        return BasisDefect.INSUFFICIENT_RANK
    if basis_in_force(basis, day):
        return None
    return BasisDefect.NOT_YET_IN_FORCE if day < basis.effective else BasisDefect.REPEALED


def bases_defects(
    bases: Iterable[LegalBasis],
    day: date,
    *,
    rank_sufficient: Callable[[str], bool] = national_rank_sufficient,
) -> tuple[bool, list[tuple[LegalBasis, BasisDefect]]]:
    """Whether ``bases`` ground an inspection on ``day``, and the defect of each basis that has one.

    Grounded: at least one basis is of sufficient rank and in force (:func:`basis_defect` is
    ``None``). An item with several bases, one repealed and another in force, is grounded; the
    repealed one is then a reason to update the list (Art. 6 "依据法律法规和规章的立改废释…进行动态
    调整"), not a reason to refuse the inspection. No basis at all grounds nothing.
    """
    defects: list[tuple[LegalBasis, BasisDefect]] = []
    grounded = False
    for basis in bases:
        defect = basis_defect(basis, day, rank_sufficient=rank_sufficient)
        if defect is None:
            grounded = True
        else:
            defects.append((basis, defect))
    return grounded, defects
