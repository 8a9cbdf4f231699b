"""The ledger indexed once for the audit, and small helpers the rule modules share.

Each index is built on first use and kept, so an audit is one pass to index plus one pass per
rule. Rule functions yield a :class:`~randcheck.validators.Finding` for anything that is not a
pass and just the subject (a ``str``) for a pass, so a lawful year of 100,000 inspections does
not build a million pass findings nobody asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime
from fractions import Fraction
from functools import cached_property
from typing import NamedTuple

from randcheck.calendars import (
    WorkingDayCalendar,
)
from randcheck.domain import (
    CheckItemList,
    Conflict,
    Enterprise,
    Inspector,
    Plan,
)
from randcheck.errors import CalendarDataMissing
from randcheck.ids import compact_identifier
from randcheck.ledger import (
    DispatchEntry,
    DrawEntry,
    Inspection,
    InspectionKind,
    Ledger,
    PublicationKind,
    SummaryReport,
)
from randcheck.profiles import Profile
from randcheck.rules import RecusalIndex, list_in_force, random_visits
from randcheck.rules.weight_class import WeightClassKey, weight_classes
from randcheck.text import Text
from randcheck.validators._findings import Finding, Outcome, worst

__all__ = ["Context", "Problems", "RuleImpl", "WeightGroups", "Yield", "finding"]

Yield = Finding | str
"""What a rule implementation yields: a finding, or the subject of a pass."""

RuleImpl = Callable[["Context"], Iterator[Yield]]

UnitClass = WeightClassKey


class WeightGroups(NamedTuple):
    """The recorded weights of a draw, grouped: sorted distinct weights per class of unit."""

    weights: dict[UnitClass, list[Fraction]]
    unknown: tuple[str, ...]


def finding(
    rule: str,
    outcome: Outcome,
    subject: str,
    message_zh: str,
    message_en: str,
) -> Finding:
    """A finding of ``rule``; the audit sets its article from the profile's citation."""
    return Finding(
        rule=rule,
        outcome=outcome,
        article="",
        subject=subject,
        message=Text(zh=message_zh, en=message_en),
    )


class Problems:
    """Collects what is wrong with one record under one rule, then makes one finding of it."""

    __slots__ = ("en", "outcomes", "zh")

    def __init__(self) -> None:
        self.outcomes: list[Outcome] = []
        self.zh: list[str] = []
        self.en: list[str] = []

    def add(self, outcome: Outcome, zh: str, en: str) -> None:
        """Note one problem."""
        self.outcomes.append(outcome)
        self.zh.append(zh)
        self.en.append(en)

    def __bool__(self) -> bool:
        return bool(self.outcomes)

    def result(self, rule: str, subject: str) -> Yield:
        """The finding (worst outcome, messages joined), or the subject when nothing is wrong."""
        if not self.outcomes:
            return subject
        return finding(
            rule,
            worst(self.outcomes),
            subject,
            "；".join(self.zh),
            "; ".join(self.en),
        )


class Context:
    """A ledger, a profile and an optional working-day calendar, with lazily built indexes."""

    def __init__(
        self, ledger: Ledger, profile: Profile, calendar: WorkingDayCalendar | None = None
    ) -> None:
        self.ledger = ledger
        self.profile = profile
        self.calendar = calendar
        self._lists_cache: dict[tuple[str, date], CheckItemList | None] = {}
        self._long_enough: dict[tuple[date, date], bool | None] = {}
        self._earliest: dict[date, date | None] = {}
        self._weight_groups: dict[int, WeightGroups] = {}

    # --- subjects ------------------------------------------------------------------------

    @cached_property
    def inspection_subjects(self) -> list[str]:
        """``"inspections[i]"`` for every inspection."""
        return [f"inspections[{i}]" for i in range(len(self.ledger.inspections))]

    @cached_property
    def finished_random(self) -> list[int]:
        """Positions of the random inspections that are finished."""
        random = InspectionKind.RANDOM
        return [
            i
            for i, inspection in enumerate(self.ledger.inspections)
            if inspection.kind is random and inspection.finished is not None
        ]

    # --- lookups -------------------------------------------------------------------------

    @cached_property
    def inspection_index(self) -> dict[str, int]:
        """Inspection id → position."""
        return {inspection.id: i for i, inspection in enumerate(self.ledger.inspections)}

    @cached_property
    def draws(self) -> dict[str, DrawEntry]:
        """Draw id → draw."""
        return {draw.id: draw for draw in self.ledger.draws}

    @cached_property
    def selections(self) -> dict[str, frozenset[str]]:
        """Draw id → the USCCs it selected."""
        return {draw.id: frozenset(draw.selected) for draw in self.ledger.draws}

    @cached_property
    def dispatches(self) -> dict[str, DispatchEntry]:
        """Dispatch id → dispatch."""
        return {dispatch.id: dispatch for dispatch in self.ledger.dispatches}

    @cached_property
    def dispatch_teams(self) -> dict[str, dict[str, tuple[str, ...]]]:
        """Dispatch id → enterprise → team."""
        return {
            dispatch.id: {team.enterprise: team.inspectors for team in dispatch.teams}
            for dispatch in self.ledger.dispatches
        }

    @cached_property
    def plans(self) -> dict[str, Plan]:
        """Plan code → plan (the first one recorded under that code)."""
        plans: dict[str, Plan] = {}
        for plan in self.ledger.plans:
            plans.setdefault(plan.code, plan)
        return plans

    @cached_property
    def commitment_published(self) -> dict[str, list[datetime | None]]:
        """Commitment digest → the publication times recorded for it (``None`` included)."""
        times: dict[str, list[datetime | None]] = {}
        for commitment in self.ledger.commitments:
            times.setdefault(commitment.digest, []).append(commitment.published)
        return times

    @cached_property
    def inspectors(self) -> dict[str, Inspector]:
        """Inspector key → inspector."""
        return {inspector.key: inspector for inspector in self.ledger.inspectors}

    @cached_property
    def enterprises(self) -> dict[str, Enterprise]:
        """USCC → enterprise."""
        return {enterprise.uscc: enterprise for enterprise in self.ledger.enterprises}

    @cached_property
    def recusals(self) -> RecusalIndex:
        """Who must recuse from which enterprise (:class:`randcheck.rules.RecusalIndex`), on
        the undated conflict rows; :attr:`dated_conflicts` holds the dated ones."""
        undated = [c for c in self.ledger.conflicts if c.since is None and c.until is None]
        return RecusalIndex.build(self.ledger.inspectors, undated)

    @cached_property
    def unresolved_conflicts(self) -> tuple[Conflict, ...]:
        """The conflict rows, dated or not, that name no inspector of the directory."""
        return RecusalIndex.build(self.ledger.inspectors, self.ledger.conflicts).unresolved

    @cached_property
    def dated_conflicts(self) -> dict[tuple[str, str], tuple[Conflict, ...]]:
        """(compact identifier, USCC) → the dated conflict rows naming them."""
        table: dict[tuple[str, str], tuple[Conflict, ...]] = {}
        for row in self.ledger.conflicts:
            if row.since is not None or row.until is not None:
                key = (compact_identifier(row.inspector), row.enterprise)
                table[key] = (*table.get(key, ()), row)
        return table

    @cached_property
    def grade_history(self) -> dict[str, tuple[tuple[date, str], ...]]:
        """USCC → its dated grades ``(since, grade)``, in date order."""
        table: dict[str, list[tuple[date, str]]] = {}
        for record in self.ledger.grades:
            table.setdefault(record.enterprise, []).append((record.since, record.grade))
        return {code: tuple(sorted(rows)) for code, rows in table.items()}

    def grade_on(self, uscc: str, day: date, current: str) -> str:
        """The grade of ``uscc`` in force on ``day``; ``current`` (the directory's) before any
        dated record."""
        found = current
        for since, grade in self.grade_history.get(uscc, ()):
            if since > day:
                break
            found = grade
        return found

    @cached_property
    def visits(self) -> dict[tuple[str, int], tuple[tuple[int, ...], ...]]:
        """(USCC, year) → the random visits, as positions of inspections, in date order
        (:func:`randcheck.rules.random_visits`)."""
        return random_visits(self.ledger.inspections)

    def plan_of(self, inspection: Inspection) -> Plan | None:
        """The plan of a random inspection's draw, if both are recorded."""
        if inspection.draw is None:
            return None
        draw = self.draws.get(inspection.draw)
        return None if draw is None else self.plans.get(draw.plan)

    def cached_list_in_force(self, line: str, day: date) -> CheckItemList | None:
        """:func:`randcheck.rules.list_in_force`, cached per line and day."""
        key = (line, day)
        try:
            return self._lists_cache[key]
        except KeyError:
            found = list_in_force(self.ledger.check_item_lists, line, day)
            self._lists_cache[key] = found
            return found

    # --- recorded weights ----------------------------------------------------------------------

    @cached_property
    def enterprise_classes(self) -> dict[str, UnitClass]:
        """USCC → (risk key, grade) from the enterprise directory
        (:func:`randcheck.rules.weight_classes`)."""
        # Equal classes as one object: weight_groups groups units by identity.
        shared: dict[UnitClass, UnitClass] = {}
        return {
            uscc: shared.setdefault(key, key)
            for uscc, key in weight_classes(self.ledger.enterprises).items()
        }

    def weight_groups(self, d: int) -> WeightGroups:
        """The distinct weights of draw ``d`` per (risk flags, grade), and the units whose
        enterprise is not in the directory."""
        found = self._weight_groups.get(d)
        if found is not None:
            return found
        classes = self.enterprise_classes
        unknown: list[str] = []
        draw = self.ledger.draws[d]
        moment = draw.seed_fixed or draw.commitment_published
        history = self.grade_history
        # Units are first grouped by the identity of their class and weight objects (the
        # directory's equal classes are one object, and so are a file's equal weights), which
        # hashes no tuple and no Fraction; equal values are merged afterwards.
        by_identity: dict[int, tuple[UnitClass, dict[int, Fraction]]] = {}
        for unit in draw.weights:
            unit_class = classes.get(unit.enterprise)
            if unit_class is None:
                unknown.append(unit.enterprise)
                continue
            if moment is not None and unit.enterprise in history:
                # The grade the draw weighed is the one in force on its day (Art. 9).
                grade = self.grade_on(unit.enterprise, moment.date(), unit_class[1])
                unit_class = (unit_class[0], grade)
            weight = unit.weight
            entry = by_identity.get(id(unit_class))
            if entry is None:
                by_identity[id(unit_class)] = (unit_class, {id(weight): weight})
            else:
                entry[1][id(weight)] = weight
        # Exact (numerator, denominator) pairs: hashing them is much cheaper than hashing
        # Fractions, and a frame holds few distinct weights.
        groups: dict[UnitClass, set[tuple[int, int]]] = {}
        for unit_class, weights in by_identity.values():
            pairs = groups.setdefault(unit_class, set())
            pairs.update((weight.numerator, weight.denominator) for weight in weights.values())
        result = WeightGroups(
            {
                unit_class: sorted(Fraction(n, m) for n, m in pairs)
                for unit_class, pairs in groups.items()
            },
            tuple(unknown),
        )
        self._weight_groups[d] = result
        return result

    # --- follow-up records by inspection ----------------------------------------------------

    @cached_property
    def round_members(self) -> dict[str, tuple[str, ...]]:
        """Draw id → the ids of the random inspections made under it (one round, Art. 14)."""
        members: dict[str, list[str]] = {}
        for inspection in self.ledger.inspections:
            if inspection.is_random and inspection.draw is not None:
                members.setdefault(inspection.draw, []).append(inspection.id)
        return {draw: tuple(ids) for draw, ids in members.items()}

    def covered_by(self, report: SummaryReport) -> tuple[str, ...]:
        """The inspection ids a summary report covers: its inspection, or its round's."""
        if not report.is_round:
            return (report.inspection,)
        return tuple(
            dict.fromkeys((*report.inspections, *self.round_members.get(report.round, ())))
        )

    @cached_property
    def reported(self) -> frozenset[str]:
        """The ids of the inspections that have a summary report, alone or in a round's."""
        return frozenset(
            covered for report in self.ledger.reports for covered in self.covered_by(report)
        )

    @cached_property
    def feedback_of(self) -> dict[str, tuple[int, ...]]:
        """Inspection id → positions of its feedback records."""
        # Tuples rather than lists: tuples of ints drop out of the cyclic collector's sight,
        # so a large year does not make it walk the whole ledger again and again.
        index: dict[str, tuple[int, ...]] = {}
        for i, feedback in enumerate(self.ledger.feedback):
            known = index.get(feedback.inspection)
            index[feedback.inspection] = (i,) if known is None else (*known, i)
        return index

    @cached_property
    def publicities_of(self) -> dict[str, tuple[int, ...]]:
        """Inspection id → positions of the publicity periods covering it."""
        index: dict[str, tuple[int, ...]] = {}
        for i, publicity in enumerate(self.ledger.publicities):
            for inspection in publicity.inspections:
                known = index.get(inspection)
                index[inspection] = (i,) if known is None else (*known, i)
        return index

    @cached_property
    def published_subjects(self) -> dict[PublicationKind, frozenset[str]]:
        """Publication kind → every subject named by a publication record of that kind."""
        subjects: dict[PublicationKind, set[str]] = {kind: set() for kind in PublicationKind}
        for publication in self.ledger.publications:
            subjects[publication.kind].update(publication.subjects)
        return {kind: frozenset(names) for kind, names in subjects.items()}

    # --- periods -----------------------------------------------------------------------------

    def _calendar_usable(self) -> bool:
        return not self.profile.publicity_needs_calendar or self.calendar is not None

    def publicity_long_enough(self, start: date, end: date) -> bool | None:
        """Whether publicity from ``start`` to ``end`` lasts the minimum; ``None``: unknown."""
        key = (start, end)
        if key in self._long_enough:
            return self._long_enough[key]
        result: bool | None = None
        if self._calendar_usable():
            try:
                result = self.profile.publicity_long_enough(start, end, self.calendar)
            except CalendarDataMissing:
                result = None
        self._long_enough[key] = result
        return result

    def earliest_feedback(self, start: date) -> date | None:
        """The first lawful feedback day for publicity from ``start``; ``None``: unknown."""
        if start in self._earliest:
            return self._earliest[start]
        result: date | None = None
        if self._calendar_usable():
            try:
                result = self.profile.earliest_feedback(start, self.calendar)
            except CalendarDataMissing:
                result = None
        self._earliest[start] = result
        return result


def not_applicable(rule: str, zh: str, en: str, subject: str = "ledger") -> Finding:
    """A not-applicable finding (nothing in the ledger the rule applies to)."""
    return finding(rule, Outcome.NOT_APPLICABLE, subject, zh, en)


def outcome_of(severity_value: str) -> Outcome:
    """The outcome for a profile severity value (``"violation"`` or ``"warning"``)."""
    return Outcome(severity_value)
