"""Counting random checks towards the yearly cap (R-CAP, Art. 10; Art. 11; R-TARGETED).

Art. 10: "在同一年度内对同一企业的抽查次数原则上不超过2次". A check is a *visit*: inspections
of one enterprise on one day sharing a joint-visit id were done in one visit covering several
items (Art. 11 "一次性完成") and count once — the id alone proves nothing: the same id on
another day, or at another enterprise, is another visit; targeted inspections (Art. 9) are
not random checks and never count. The sampling frame excludes enterprises at the cap, the
audit reports the visits beyond it, and the demo plants violations of it — all counting with
:func:`random_visits`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Protocol

__all__ = ["PastInspection", "random_visits", "visit_key"]


class PastInspection(Protocol):
    """What counting reads of an inspection. :class:`randcheck.ledger.Inspection` has these."""

    @property
    def enterprise(self) -> str:
        """USCC of the inspected enterprise."""
        ...  # pragma: no cover

    @property
    def started(self) -> date:
        """The day the inspection started; its calendar year is the year it counts in."""
        ...  # pragma: no cover

    @property
    def is_random(self) -> bool:
        """Whether it was a random inspection; targeted ones do not count (R-TARGETED)."""
        ...  # pragma: no cover

    @property
    def joint_visit(self) -> str | None:
        """The id shared by inspections done in one visit, which count once (Art. 11)."""
        ...  # pragma: no cover


def visit_key(inspection: PastInspection, position: int) -> str:
    """The visit an inspection belongs to: ``"joint:<id>@<USCC>@<day>"``, or ``"#<position>"``
    on its own.

    A joint visit is one enterprise on one day: inspections share a visit only when they share
    the joint-visit id, the enterprise and the start day. ``position`` is the inspection's place
    in its sequence; it keeps inspections without a joint-visit id apart from each other and
    from every joint visit.
    """
    if inspection.joint_visit is not None:
        return (
            f"joint:{inspection.joint_visit}@{inspection.enterprise}"
            f"@{inspection.started.isoformat()}"
        )
    return f"#{position}"


def _id(inspection: PastInspection) -> str:
    found = getattr(inspection, "id", "")
    return found if isinstance(found, str) else ""


def random_visits(
    inspections: Iterable[PastInspection],
    *,
    line: str | None = None,
) -> dict[tuple[str, int], tuple[tuple[int, ...], ...]]:
    """The random visits to each enterprise in each calendar year, in date order.

    Returns ``{(uscc, year): visits}``: each visit is the tuple of positions (in
    ``inspections``) of the random inspections it consists of, in date order (ties by id, where
    the inspections have one, then by position); visits are ordered by their first inspection.
    ``len(visits)`` is the number of random checks of the enterprise that year, and
    ``visits[cap:]`` are those beyond a cap of ``cap``. Targeted inspections appear nowhere.

    ``line``: count only inspections on that line (an inspection's ``lines``), for a profile
    whose cap counts per line (:class:`randcheck.profiles.CapScope`); ``None`` counts them all.
    """
    items = list(inspections)
    # Tuples, not lists: the cyclic collector stops tracking tuples of ints, and a large year
    # would otherwise have it walk the whole ledger again and again.
    groups: dict[tuple[str, int], tuple[int, ...]] = {}
    for position, inspection in enumerate(items):
        if inspection.is_random and (line is None or line in getattr(inspection, "lines", ())):
            key = (inspection.enterprise, inspection.started.year)
            known = groups.get(key)
            groups[key] = (position,) if known is None else (*known, position)
    result: dict[tuple[str, int], tuple[tuple[int, ...], ...]] = {}
    for key, group in groups.items():
        if len(group) == 1:
            result[key] = (group,)
            continue
        # Inspections of one day are taken in the order of their ids, so that which of them
        # is the check too many does not depend on the order the ledger lists them in.
        members = sorted(group, key=lambda k: (items[k].started, _id(items[k]), k))
        if all(items[k].joint_visit is None for k in members):
            result[key] = tuple((k,) for k in members)
            continue
        visits: dict[str, tuple[int, ...]] = {}
        for position in members:
            visit = visit_key(items[position], position)
            visits[visit] = (*visits.get(visit, ()), position)
        result[key] = tuple(visits.values())
    return result
