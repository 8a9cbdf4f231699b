"""Plant rule violations into a lawful ledger, one of a kind, to show that the audit finds them.

Each *kind* is a small function that breaks one rule in one record the way a department could
— a target that was not drawn, feedback given during the publicity period, an inspector whose
certificate had expired — and says which finding the audit must then report: the rule and the
record's path (``"inspections[12]"``). The test suite runs every kind over generated lawful
years; ``randcheck demo --with-violations`` plants one kind per rule into its simulated year
(:data:`DEMO_KINDS`) with :func:`plant`, and the audit reports each of them and nothing else.

Which record a kind breaks is chosen by a :class:`Chooser`. :class:`HashChooser` derives its
choices from SHA-256 over a seed (:mod:`randcheck.hashing`), so the same seed plants the same
violations; the tests pass a chooser driven by Hypothesis instead.

>>> KINDS["third-random-check"].rule
'R-CAP'
>>> KINDS["third-random-check"].en
'Retarget one random inspection to an enterprise already checked ``cap`` times that year.'
>>> sorted({KINDS[name].rule for name in DEMO_KINDS}) == sorted(
...     {kind.rule for kind in KINDS.values() if kind.in_records})
True
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from fractions import Fraction
from typing import Any, Final, Protocol, TypeVar

import attrs
from dateutil.relativedelta import relativedelta

from randcheck.demo.simulation import demo_calendar
from randcheck.domain import (
    CheckItem,
    CheckItemList,
    Conflict,
    ConflictGround,
    Enterprise,
    Grade,
    Inspector,
    LegalBasis,
    LegalRank,
    Plan,
    TimeWindow,
)
from randcheck.errors import RandcheckError, ValidationError
from randcheck.hashing import HASH_MODULUS, HashPrefix
from randcheck.ids import resident_id_check_character
from randcheck.ledger import (
    Inspection,
    InspectionKind,
    Ledger,
    Publication,
    PublicationKind,
    Publicity,
    TeamEntry,
    UnitWeight,
)
from randcheck.profiles import Profile
from randcheck.rules import (
    RecusalIndex,
    certificate_valid_on,
    list_in_force,
    missing_record_fields,
    random_visits,
    team_composition,
    visit_window,
    windows_overlap,
)
from randcheck.rules.weight_class import NO_RISK, RiskKey, WeightClassKey, weight_classes
from randcheck.validators import Outcome, Report, audit

__all__ = [
    "DEMO_KINDS",
    "KINDS",
    "UNMASKED_ID",
    "Chooser",
    "HashChooser",
    "Kind",
    "Mutated",
    "Mutation",
    "NotPlantable",
    "Planted",
    "Planting",
    "Skipped",
    "noticed",
    "plant",
    "plant_one",
]

T = TypeVar("T")

_TAG: Final = "randcheck-planting-v1"

Expected = frozenset[tuple[str, str]]
"""(rule id, subject) of each finding a planted violation must produce."""

NOTICED: Final = (Outcome.VIOLATION, Outcome.WARNING)


class NotPlantable(RandcheckError, LookupError):
    """The ledger has no record a kind of violation can be planted in."""


class Chooser(Protocol):
    """Where a kind's choices come from (which record, which field, how many days)."""

    def integer(self, low: int, high: int) -> int:
        """An integer in ``[low, high]``."""
        ...  # pragma: no cover

    def choice(self, options: Sequence[T]) -> T:
        """One of ``options`` (not empty)."""
        ...  # pragma: no cover

    def boolean(self) -> bool:
        """``True`` or ``False``."""
        ...  # pragma: no cover

    def permutation(self, options: Sequence[T]) -> list[T]:
        """``options`` in some order."""
        ...  # pragma: no cover


class HashChooser:
    """Choices from SHA-256 over (tag, purpose, seed, counter): the same seed, the same choices.

    Integers are drawn without modulo bias (a draw at or above the largest multiple of the range
    is drawn again).
    """

    __slots__ = ("_count", "_prefix")

    def __init__(self, seed: str, purpose: str = "plant") -> None:
        if not isinstance(seed, str):
            raise ValidationError(field="seed", expected="a string", got=seed)
        self._prefix = HashPrefix([_TAG, purpose, seed])
        self._count = 0

    def _below(self, n: int) -> int:
        limit = HASH_MODULUS - HASH_MODULUS % n
        while True:
            x = self._prefix.number(str(self._count))
            self._count += 1
            if x < limit:
                return x % n

    def integer(self, low: int, high: int) -> int:
        """An integer in ``[low, high]``."""
        if high < low:
            raise ValidationError(field="high", expected=f"an integer >= {low}", got=high)
        return low + self._below(high - low + 1)

    def choice(self, options: Sequence[T]) -> T:
        """One of ``options``."""
        if not options:
            raise ValidationError(field="options", expected="at least one option", got=options)
        return options[self._below(len(options))]

    def boolean(self) -> bool:
        """``True`` or ``False``."""
        return self._below(2) == 1

    def permutation(self, options: Sequence[T]) -> list[T]:
        """``options`` shuffled (Fisher-Yates)."""
        result = list(options)
        for k in range(len(result) - 1, 0, -1):
            j = self._below(k + 1)
            result[k], result[j] = result[j], result[k]
        return result


def _expected(value: Iterable[tuple[str, str]]) -> Expected:
    return frozenset(value)


@attrs.frozen(kw_only=True)
class Mutated:
    """A ledger and profile with one violation planted, and the findings it must produce."""

    ledger: Ledger
    profile: Profile
    expected: Expected = attrs.field(converter=_expected)


Mutation = Callable[[Ledger, Profile, Chooser], Mutated]
"""A kind's function: ``(lawful ledger, profile, chooser) -> Mutated``; raises
:class:`NotPlantable` when the ledger has no record of the kind."""


@attrs.frozen(kw_only=True)
class Kind:
    """A kind of violation: the rule it breaks and what it does, in Chinese and English.

    ``in_records`` is false for the kinds that change the policy profile rather than a record.
    """

    name: str
    rule: str
    in_records: bool
    zh: str
    en: str
    mutate: Mutation = attrs.field(eq=False, repr=False)


# --- helpers -------------------------------------------------------------------------------


def _one(ledger: Ledger, profile: Profile, rule: str, subject: str) -> Mutated:
    return Mutated(ledger=ledger, profile=profile, expected={(rule, subject)})


def _put(records: tuple[Any, ...], index: int, record: object) -> tuple[Any, ...]:
    return (*records[:index], record, *records[index + 1 :])


def _evolve(record: T, changes: Mapping[str, Any]) -> T:
    """``attrs.evolve`` with fields named at run time."""
    evolve: Callable[..., T] = attrs.evolve
    return evolve(record, **changes)


def _with(ledger: Ledger, section: str, index: int, **changes: object) -> Ledger:
    records = getattr(ledger, section)
    return _evolve(ledger, {section: _put(records, index, _evolve(records[index], changes))})


def _nothing(what: str) -> NotPlantable:
    return NotPlantable(
        f"台账中没有可植入此类违规的记录 / no {what} in the ledger to plant this kind in",
        field=what,
        expected="at least one",
        got=0,
    )


def _pick(chooser: Chooser, options: Sequence[T], what: str = "record") -> T:
    if not options:
        raise _nothing(what)
    return chooser.choice(options)


def _index(chooser: Chooser, records: Sequence[Any], what: str) -> int:
    if not records:
        raise _nothing(what)
    return chooser.integer(0, len(records) - 1)


def _inspections(
    ledger: Ledger, *, kind: InspectionKind | None = InspectionKind.RANDOM
) -> list[tuple[int, Inspection]]:
    return [
        (i, inspection)
        for i, inspection in enumerate(ledger.inspections)
        if kind is None or inspection.kind is kind
    ]


def _recorded(ledger: Ledger) -> list[tuple[int, Inspection]]:
    """Random inspections whose draw and dispatch are both in the ledger."""
    draws = {draw.id for draw in ledger.draws}
    dispatches = {dispatch.id for dispatch in ledger.dispatches}
    return [(i, x) for i, x in _inspections(ledger) if x.draw in draws and x.dispatch in dispatches]


def _finished(ledger: Ledger) -> list[tuple[int, Inspection]]:
    return [(i, x) for i, x in _inspections(ledger) if x.finished is not None]


def _at(index: int) -> str:
    return f"inspections[{index}]"


def _draw_index(ledger: Ledger, draw_id: str | None) -> int:
    return next(d for d, draw in enumerate(ledger.draws) if draw.id == draw_id)


def _dispatch_index(ledger: Ledger, dispatch_id: str | None) -> int:
    return next(k for k, dispatch in enumerate(ledger.dispatches) if dispatch.id == dispatch_id)


def _dispatch_team(ledger: Ledger, inspection: Inspection, team: tuple[str, ...]) -> Ledger:
    """Make the dispatch record of ``inspection`` send ``team`` to its enterprise."""
    k = _dispatch_index(ledger, inspection.dispatch)
    teams = tuple(
        TeamEntry(enterprise=t.enterprise, inspectors=team)
        if t.enterprise == inspection.enterprise
        else t
        for t in ledger.dispatches[k].teams
    )
    return _with(ledger, "dispatches", k, teams=teams)


def _set_team(ledger: Ledger, i: int, team: tuple[str, ...]) -> Ledger:
    """Give inspection ``i`` a new team, in its dispatch record too."""
    inspection = ledger.inspections[i]
    ledger = _with(ledger, "inspections", i, team=team)
    if inspection.dispatch is None:
        return ledger
    return _dispatch_team(ledger, inspection, team)


def _plans(ledger: Ledger) -> dict[str, Plan]:
    plans: dict[str, Plan] = {}
    for plan in ledger.plans:
        plans.setdefault(plan.code, plan)
    return plans


def _windows(plan: Plan | None) -> tuple[TimeWindow, ...]:
    return () if plan is None else plan.windows


def _plan_of(ledger: Ledger, inspection: Inspection, plans: Mapping[str, Plan]) -> Plan | None:
    if inspection.draw is None:
        return None
    draw = next((d for d in ledger.draws if d.id == inspection.draw), None)
    return None if draw is None else plans.get(draw.plan)


RiskClass = WeightClassKey
"""(risk key, grade) of a unit (:func:`randcheck.rules.weight_classes`)."""


def _classes(ledger: Ledger) -> dict[str, RiskClass]:
    return weight_classes(ledger.enterprises)


_NO_RISK: Final = NO_RISK


# --- R-RANDOM ------------------------------------------------------------------------------


def target_not_drawn(ledger: Ledger, profile: Profile, chooser: Chooser) -> Mutated:
    """The inspected enterprise is missing from the draw the inspection names."""
    i, inspection = _pick(chooser, _recorded(ledger), "random inspection")
    d = _draw_index(ledger, inspection.draw)
    selected = tuple(u for u in ledger.draws[d].selected if u != inspection.enterprise)
    mutated = _with(ledger, "draws", d, selected=selected)
    return _one(mutated, profile, "R-RANDOM", _at(i))


def team_not_dispatched(ledger: Ledger, profile: Profile, chooser: Chooser) -> Mutated:
    """The dispatch record sent another team than the one that inspected."""
    i, inspection = _pick(chooser, _recorded(ledger), "random inspection")
    keys = [inspector.key for inspector in ledger.inspectors]
    team = set(inspection.team)
    first = _pick(chooser, keys, "inspector")
    second = _pick(chooser, [k for k in keys if k != first and {first, k} != team], "inspector")
    other = tuple(sorted((first, second)))
    mutated = _dispatch_team(ledger, inspection, other)
    return _one(mutated, profile, "R-RANDOM", _at(i))


def hand_picked_target(ledger: Ledger, profile: Profile, chooser: Chooser) -> Mutated:
    """A random inspection names no draw: its target was picked by hand (and is in no draw's
    selection, so no drawn target is left uninspected)."""
    under: dict[tuple[str | None, str], int] = {}
    for x in ledger.inspections:
        under[x.draw, x.enterprise] = under.get((x.draw, x.enterprise), 0) + 1
    options = [
        (i, x)
        for i, x in _inspections(ledger)
        if x.draw is not None
        and under[x.draw, x.enterprise] == 1
        and any(d.id == x.draw for d in ledger.draws)
    ]
    i, inspection = _pick(chooser, options, "random inspection")
    d = _draw_index(ledger, inspection.draw)
    selected = tuple(u for u in ledger.draws[d].selected if u != inspection.enterprise)
    mutated = _with(_with(ledger, "draws", d, selected=selected), "inspections", i, draw=None)
    return _one(mutated, profile, "R-RANDOM", _at(i))


def hand_picked_team(ledger: Ledger, profile: Profile, chooser: Chooser) -> Mutated:
    """A random inspection names no dispatch: its team was picked by hand."""
    i, _ = _pick(chooser, _inspections(ledger), "random inspection")
    mutated = _with(ledger, "inspections", i, dispatch=None)
    return _one(mutated, profile, "R-RANDOM", _at(i))


def _commitment_time(ledger: Ledger, d: int, when: datetime | None) -> Ledger:
    digest = ledger.draws[d].commitment
    ledger = _with(ledger, "draws", d, commitment_published=when)
    commitments = tuple(
        attrs.evolve(c, published=when) if c.digest == digest else c for c in ledger.commitments
    )
    return attrs.evolve(ledger, commitments=commitments)


def committed_after_seed(ledger: Ledger, profile: Profile, chooser: Chooser) -> Mutated:
    """The frame commitment was published only after the seed was known."""
    d = _index(chooser, ledger.draws, "draw")
    fixed = ledger.draws[d].seed_fixed
    if fixed is None:
        raise NotPlantable(
            "抽取记录未记载种子确定时间 / the draw does not record when its seed was fixed",
            field="seed_fixed",
        )
    late = fixed + timedelta(minutes=chooser.integer(0, 600))
    mutated = _commitment_time(ledger, d, late)
    return _one(mutated, profile, "R-RANDOM", f"draws[{d}]")


def commitment_unpublished(ledger: Ledger, profile: Profile, chooser: Chooser) -> Mutated:
    """The frame commitment was never published."""
    d = _index(chooser, ledger.draws, "draw")
    mutated = _commitment_time(ledger, d, None)
    return _one(mutated, profile, "R-RANDOM", f"draws[{d}]")


def draw_without_plan(ledger: Ledger, profile: Profile, chooser: Chooser) -> Mutated:
    """A draw names a plan that is not in the ledger."""
    d = _index(chooser, ledger.draws, "draw")
    mutated = _with(ledger, "draws", d, plan="P-NOWHERE")
    return _one(mutated, profile, "R-RANDOM", f"draws[{d}]")


# --- R-COMPLETION --------------------------------------------------------------------------


def drawn_not_inspected(ledger: Ledger, profile: Profile, chooser: Chooser) -> Mutated:
    """An enterprise of a draw's selection is neither inspected nor has a recorded reason."""
    if len(ledger.draws) < 2:
        raise _nothing("second draw")
    k = _index(chooser, ledger.draws, "draw")
    draw = ledger.draws[k]
    # An enterprise another draw selected: this draw's selection now names it, uninspected.
    spare = sorted({c for d in ledger.draws for c in d.selected} - set(draw.selected))
    if not spare:
        raise _nothing("enterprise of another draw")
    code = chooser.choice(spare)
    selected = tuple(sorted((*draw.selected, code)))
    mutated = _with(ledger, "draws", k, selected=selected)
    return _one(mutated, profile, "R-COMPLETION", f"draws[{k}].selected[{selected.index(code)}]")


# --- R-COVERAGE ----------------------------------------------------------------------------


def over_inspected(ledger: Ledger, profile: Profile, chooser: Chooser) -> Mutated:
    """One enterprise is inspected, with targeted checks, more often than the profile's
    threshold of inspections a year (Art. 9 防止过度检查)."""
    limit = profile.cap.total_per_year
    if limit is None:
        raise _nothing("threshold of inspections a year")
    options = [
        (i, x)
        for i, x in _inspections(ledger, kind=InspectionKind.TARGETED)
        if x.started.year == ledger.year
    ]
    _, source = _pick(chooser, options, "targeted inspection")
    seen = sum(1 for x in ledger.inspections if x.enterprise == source.enterprise)
    copies = tuple(attrs.evolve(source, id=f"{source.id}-R{n}") for n in range(1, limit - seen + 2))
    mutated = attrs.evolve(ledger, inspections=(*ledger.inspections, *copies))
    return _one(mutated, profile, "R-COVERAGE", f"enterprises:{source.enterprise}")


# --- R-TARGETED ----------------------------------------------------------------------------


def targeted_without_ground(ledger: Ledger, profile: Profile, chooser: Chooser) -> Mutated:
    """A targeted inspection records no ground (complaint, assignment, legal provision)."""
    options = [
        (i, x)
        for i, x in _inspections(ledger, kind=InspectionKind.TARGETED)
        if x.ground is not None
    ]
    i, _ = _pick(chooser, options, "targeted inspection")
    mutated = _with(ledger, "inspections", i, ground=None)
    return _one(mutated, profile, "R-TARGETED", _at(i))


def targeted_without_suspicion(ledger: Ledger, profile: Profile, chooser: Chooser) -> Mutated:
    """A targeted inspection does not record the suspected violation it pursues."""
    options = [
        (i, x)
        for i, x in _inspections(ledger, kind=InspectionKind.TARGETED)
        if x.suspicion and x.ground is not None
    ]
    i, _ = _pick(chooser, options, "targeted inspection")
    mutated = _with(ledger, "inspections", i, suspicion="")
    return _one(mutated, profile, "R-TARGETED", _at(i))


# --- R-CAP and R-ONE-VISIT -----------------------------------------------------------------


def _members(visits: Iterable[tuple[int, ...]]) -> list[int]:
    """The positions of the inspections of ``visits``, in order."""
    return sorted(i for visit in visits for i in visit)


def _team_fits(
    inspection: Inspection,
    enterprise: Enterprise | None,
    plan: Plan | None,
    recusals: RecusalIndex,
    staff: Mapping[str, Inspector],
) -> bool:
    """Whether ``inspection``'s team could lawfully inspect ``enterprise`` (recusal, districts)."""
    if enterprise is None or plan is None:
        return False
    if any(recusals.must_recuse(key, enterprise.uscc) for key in inspection.team):
        return False
    members = [staff.get(key) for key in inspection.team]
    composition = team_composition(
        (None if member is None else member.district for member in members),
        enterprise.district,
        plan.cross_district,
    )
    return composition.within is True


def third_random_check(ledger: Ledger, profile: Profile, chooser: Chooser) -> Mutated:
    """Retarget one random inspection to an enterprise already checked ``cap`` times that year.

    The inspection comes from a window that overlaps none of the enterprise's other visits
    (so that R-ONE-VISIT has nothing to say) and its team may lawfully inspect the enterprise
    (recusal, districts); the check beyond the cap, in date order, is the one reported.
    """
    cap = profile.cap_per_year
    plans = _plans(ledger)
    draws = {draw.id: draw for draw in ledger.draws}
    selections = {draw.id: frozenset(draw.selected) for draw in ledger.draws}
    enterprises = {e.uscc: e for e in ledger.enterprises}
    staff = {x.key: x for x in ledger.inspectors}
    recusals = RecusalIndex.build(ledger.inspectors, ledger.conflicts)
    dispatched = {
        dispatch.id: frozenset(team.enterprise for team in dispatch.teams)
        for dispatch in ledger.dispatches
    }
    recorded = [(i, x) for i, x in _recorded(ledger) if x.joint_visit is None]
    windows = {
        i: visit_window(_windows(_plan_of(ledger, x, plans)), x.started)
        for i, x in _inspections(ledger)
    }
    visits = random_visits(ledger.inspections)
    # The check beyond the cap must not also make the enterprise over-inspected (R-COVERAGE).
    limit = profile.cap.total_per_year
    totals: dict[tuple[str, int], int] = {}
    for x in ledger.inspections:
        totals[x.enterprise, x.started.year] = totals.get((x.enterprise, x.started.year), 0) + 1
    at_cap = [
        group
        for group, checks in sorted(visits.items())
        if len(checks) == cap and (limit is None or totals.get(group, 0) < limit)
    ]

    def candidates(code: str, year: int) -> list[int]:
        taken = [windows[i] for i in _members(visits[(code, year)])]
        found = []
        for i, x in recorded:
            start, end = windows[i]
            draw_id, dispatch_id = str(x.draw), str(x.dispatch)
            if (
                x.enterprise != code
                and x.started.year == year
                and code not in selections[draw_id]
                and code not in dispatched[dispatch_id]
                and not any(windows_overlap(other, (start, end)) for other in taken)
                and _team_fits(
                    x, enterprises.get(code), plans.get(draws[draw_id].plan), recusals, staff
                )
            ):
                found.append(i)
        return found

    # Enterprises in a random order, the first with a fitting inspection: one search, not all.
    for twice, year in chooser.permutation(at_cap):
        options = candidates(twice, year)
        if options:
            i = chooser.choice(options)
            break
    else:
        raise _nothing("enterprise at the yearly cap")
    inspection = ledger.inspections[i]
    old = inspection.enterprise
    d = _draw_index(ledger, inspection.draw)
    k = _dispatch_index(ledger, inspection.dispatch)
    selected = tuple(sorted(twice if u == old else u for u in ledger.draws[d].selected))
    teams = tuple(
        sorted(
            (
                TeamEntry(enterprise=twice, inspectors=t.inspectors) if t.enterprise == old else t
                for t in ledger.dispatches[k].teams
            ),
            key=lambda t: t.enterprise,
        )
    )
    mutated = _with(ledger, "draws", d, selected=selected)
    mutated = _with(mutated, "dispatches", k, teams=teams)
    mutated = _with(mutated, "inspections", i, enterprise=twice)
    beyond = random_visits(mutated.inspections)[(twice, year)][cap:]
    return Mutated(
        ledger=mutated, profile=profile, expected={("R-CAP", _at(visit[0])) for visit in beyond}
    )


def split_joint_visit(ledger: Ledger, profile: Profile, chooser: Chooser) -> Mutated:
    """One of two inspections done in one joint visit is recorded as a visit of its own."""
    cap = profile.cap_per_year
    groups: dict[str, list[int]] = {}
    for i, x in _inspections(ledger):
        if x.joint_visit is not None:
            groups.setdefault(x.joint_visit, []).append(i)
    visits = random_visits(ledger.inspections)
    inspections = ledger.inspections
    options = []
    for members in groups.values():
        if len(members) != 2:
            continue
        first, later = sorted(members, key=lambda k: (inspections[k].started, k))
        x = inspections[later]
        if x.enterprise != inspections[first].enterprise:
            continue
        if len(visits[(x.enterprise, x.started.year)]) + 1 > cap:
            continue
        options.append(later)
    i = _pick(chooser, options, "joint visit")
    mutated = _with(ledger, "inspections", i, joint_visit=None)
    return _one(mutated, profile, "R-ONE-VISIT", _at(i))


# --- R-RECUSAL, R-CROSS-DISTRICT, R-INSPECTOR-RECORD -----------------------------------------


def _same_pair(ledger: Ledger, key: str, enterprise: str) -> set[tuple[str, str]]:
    return {
        ("R-RECUSAL", _at(j))
        for j, x in enumerate(ledger.inspections)
        if key in x.team and x.enterprise == enterprise
    }


def declared_conflict_ignored(ledger: Ledger, profile: Profile, chooser: Chooser) -> Mutated:
    """A conflict of interest is declared for a member of a team that inspected anyway."""
    _, inspection = _pick(chooser, _inspections(ledger, kind=None), "inspection")
    key = chooser.choice(inspection.team)
    ground = chooser.choice(list(ConflictGround))
    conflict = Conflict(
        inspector=key, enterprise=inspection.enterprise, ground=ground, note="亲属任职"
    )
    mutated = attrs.evolve(ledger, conflicts=(*ledger.conflicts, conflict))
    return Mutated(
        ledger=mutated, profile=profile, expected=_same_pair(ledger, key, inspection.enterprise)
    )


def former_employer_on_team(ledger: Ledger, profile: Profile, chooser: Chooser) -> Mutated:
    """A team member's own record names the inspected enterprise as a former employer."""
    staff = {x.key for x in ledger.inspectors}
    options = [(i, x) for i, x in _inspections(ledger, kind=None) if set(x.team) & staff]
    _, inspection = _pick(chooser, options, "inspection")
    key = chooser.choice([k for k in inspection.team if k in staff])
    j = next(j for j, x in enumerate(ledger.inspectors) if x.key == key)
    employers = (*ledger.inspectors[j].former_employers, inspection.enterprise)
    mutated = _with(ledger, "inspectors", j, former_employers=employers)
    return Mutated(
        ledger=mutated, profile=profile, expected=_same_pair(ledger, key, inspection.enterprise)
    )


def team_from_other_district(ledger: Ledger, profile: Profile, chooser: Chooser) -> Mutated:
    """A whole team comes from other districts, beyond the plan's cross-district share."""
    plans = _plans(ledger)
    enterprises = {e.uscc: e for e in ledger.enterprises}
    options = []
    for i, x in _inspections(ledger):
        plan = _plan_of(ledger, x, plans)
        enterprise = enterprises.get(x.enterprise)
        if (
            plan is not None
            and plan.cross_district.maximum < 1
            and enterprise is not None
            and enterprise.district
            and x.team
        ):
            options.append((i, x))
    i, inspection = _pick(chooser, options, "random inspection")
    district = enterprises[inspection.enterprise].district
    recusals = RecusalIndex.build(ledger.inspectors, ledger.conflicts)
    outsiders = [
        x.key
        for x in ledger.inspectors
        if x.district
        and x.district != district
        and certificate_valid_on(x, inspection.started)
        and not missing_record_fields(x)
        and not recusals.must_recuse(x, inspection.enterprise)
    ]
    size = len(inspection.team)
    if len(outsiders) < size:
        raise _nothing("inspector of another district")
    team = tuple(sorted(chooser.permutation(outsiders)[:size]))
    mutated = _set_team(ledger, i, team)
    return _one(mutated, profile, "R-CROSS-DISTRICT", _at(i))


def inspector_record_incomplete(ledger: Ledger, profile: Profile, chooser: Chooser) -> Mutated:
    """An inspector record lacks its name, department, post or phone (Art. 7)."""
    j = _index(chooser, ledger.inspectors, "inspector")
    field = chooser.choice(["name", "department", "post", "phone"])
    mutated = _with(ledger, "inspectors", j, **{field: ""})
    return _one(mutated, profile, "R-INSPECTOR-RECORD", f"inspectors[{j}]")


STRANGER: Final = "TJ-LS-9999"
"""The key of the inspector who is not in any directory."""


def stranger_on_team(ledger: Ledger, profile: Profile, chooser: Chooser) -> Mutated:
    """Someone who is not in the inspector directory is on a team."""
    if any(x.key == STRANGER for x in ledger.inspectors):
        raise _nothing("inspector key not in the directory")
    options = [(i, x) for i, x in _inspections(ledger, kind=None) if x.team]
    i, inspection = _pick(chooser, options, "inspection")
    team = tuple(sorted((*inspection.team[:-1], STRANGER)))
    mutated = _set_team(ledger, i, team)
    return _one(mutated, profile, "R-TEAM", _at(i))


def identity_number_only_on_team(ledger: Ledger, profile: Profile, chooser: Chooser) -> Mutated:
    """A directory entry known only by a resident identity number is on a team (no certificate)."""
    keys = {x.key for x in ledger.inspectors}
    staff = {x.key: x for x in ledger.inspectors if x.certificate_no is not None}
    options = [(i, x) for i, x in _inspections(ledger, kind=None) if set(x.team) & set(staff)]
    i, inspection = _pick(chooser, options, "inspection")
    key = chooser.choice([k for k in inspection.team if k in staff])
    j = next(j for j, x in enumerate(ledger.inspectors) if x.key == key)
    member = ledger.inspectors[j]
    body = f"120101{inspection.started.year - 40}0101{j % 1000:03d}"
    resident_id = body + resident_id_check_character(body)
    if resident_id in keys:
        raise _nothing("free resident identity number")
    uncertified = attrs.evolve(member, certificate_no=None, resident_id=resident_id)
    inspectors = (*ledger.inspectors, uncertified)
    team = tuple(sorted(resident_id if k == key else k for k in inspection.team))
    mutated = _set_team(attrs.evolve(ledger, inspectors=inspectors), i, team)
    return _one(mutated, profile, "R-TEAM", _at(i))


def _valid_from_by(inspector: Inspector | None, day: date) -> bool:
    """Whether ``inspector``'s certificate could end on ``day`` (it starts on or before it)."""
    if inspector is None:
        return False
    start = inspector.certificate_valid_from
    return start is None or start <= day


def certificate_expired(ledger: Ledger, profile: Profile, chooser: Chooser) -> Mutated:
    """A team member's enforcement certificate expired the day before the inspection."""
    staff = {x.key: x for x in ledger.inspectors}
    one_day = timedelta(days=1)
    options = [
        (i, x)
        for i, x in _inspections(ledger, kind=None)
        if any(_valid_from_by(staff.get(key), x.started - one_day) for key in x.team)
    ]
    _, inspection = _pick(chooser, options, "inspection")
    until = inspection.started - one_day
    key = chooser.choice([k for k in inspection.team if _valid_from_by(staff.get(k), until)])
    j = next(j for j, x in enumerate(ledger.inspectors) if x.key == key)
    mutated = _with(ledger, "inspectors", j, certificate_valid_until=until)
    expected = {
        ("R-TEAM", _at(k))
        for k, x in enumerate(ledger.inspections)
        if key in x.team and x.started > until
    }
    return Mutated(ledger=mutated, profile=profile, expected=expected)


# --- R-ITEM-FIELDS and R-LEGAL-BASIS -------------------------------------------------------


def item_incomplete(ledger: Ledger, profile: Profile, chooser: Chooser) -> Mutated:
    """A check item lacks its content, inspecting body or target type (Art. 5)."""
    lists = [k for k, x in enumerate(ledger.check_item_lists) if x.items]
    k = _pick(chooser, lists, "check item")
    item_list = ledger.check_item_lists[k]
    j = chooser.integer(0, len(item_list.items) - 1)
    field = chooser.choice(["content", "inspecting_body", "target_type"])
    item = _evolve(item_list.items[j], {field: ""})
    mutated = _with(ledger, "check_item_lists", k, items=_put(item_list.items, j, item))
    return _one(mutated, profile, "R-ITEM-FIELDS", f"check_item_lists[{k}].items[{j}]")


UNLISTED_ITEM: Final = "XX-UNLISTED"
NEW_ITEM: Final = "XX-NEW"


def item_not_listed(ledger: Ledger, profile: Profile, chooser: Chooser) -> Mutated:
    """An inspection checks an item that is on no published list (Art. 6)."""
    i, inspection = _pick(chooser, _inspections(ledger, kind=None), "inspection")
    items = (*inspection.items, UNLISTED_ITEM)
    mutated = _with(ledger, "inspections", i, items=items)
    return _one(mutated, profile, "R-LEGAL-BASIS", _at(i))


def _grounded(ledger: Ledger) -> list[tuple[int, Inspection]]:
    """Inspections whose first line has a list in force on their day."""
    return [
        (i, x)
        for i, x in _inspections(ledger, kind=None)
        if list_in_force(ledger.check_item_lists, x.lines[0], x.started) is not None
    ]


def _with_new_item(ledger: Ledger, i: int, basis: LegalBasis) -> Ledger:
    inspection = ledger.inspections[i]
    line = inspection.lines[0]
    in_force = list_in_force(ledger.check_item_lists, line, inspection.started)
    assert in_force is not None  # _grounded chose the inspection
    k = ledger.check_item_lists.index(in_force)
    item = CheckItem(
        code=NEW_ITEM,
        line=line,
        content="新增检查内容",
        inspecting_body="市劳动保障监察总队",
        target_type="用人单位",
        bases=(basis,),
    )
    new_list: CheckItemList = attrs.evolve(in_force, items=(*in_force.items, item))
    mutated = attrs.evolve(ledger, check_item_lists=_put(ledger.check_item_lists, k, new_list))
    return _with(mutated, "inspections", i, items=(*inspection.items, NEW_ITEM))


def basis_too_low(ledger: Ledger, profile: Profile, chooser: Chooser) -> Mutated:
    """An item rests only on a normative document, not a law, regulation or rule (Art. 6)."""
    i, _ = _pick(chooser, _grounded(ledger), "inspection")
    basis = LegalBasis(
        title="关于加强劳动用工管理的通知",
        rank=LegalRank.NORMATIVE_DOCUMENT,
        effective=date(2010, 1, 1),
    )
    mutated = _with_new_item(ledger, i, basis)
    return _one(mutated, profile, "R-LEGAL-BASIS", _at(i))


def basis_repealed_that_day(ledger: Ledger, profile: Profile, chooser: Chooser) -> Mutated:
    """An item's basis was repealed on or before the inspection day."""
    i, inspection = _pick(chooser, _grounded(ledger), "inspection")
    repealed = inspection.started - timedelta(days=chooser.integer(0, 30))
    basis = LegalBasis(
        title="天津市劳动用工管理办法",
        rank=LegalRank.RULE,
        effective=date(2000, 1, 1),
        repealed=repealed,
    )
    mutated = _with_new_item(ledger, i, basis)
    return _one(mutated, profile, "R-LEGAL-BASIS", _at(i))


def basis_not_yet_in_force(ledger: Ledger, profile: Profile, chooser: Chooser) -> Mutated:
    """An item's basis takes effect only after the inspection day."""
    i, inspection = _pick(chooser, _grounded(ledger), "inspection")
    effective = inspection.started + timedelta(days=chooser.integer(1, 30))
    basis = LegalBasis(
        title="天津市劳动用工条例", rank=LegalRank.LOCAL_REGULATION, effective=effective
    )
    mutated = _with_new_item(ledger, i, basis)
    return _one(mutated, profile, "R-LEGAL-BASIS", _at(i))


# --- plans and weights ---------------------------------------------------------------------


def plan_late(ledger: Ledger, profile: Profile, chooser: Chooser) -> Mutated:
    """Next year's plan is submitted in December, after the end-of-November deadline."""
    k = _index(chooser, ledger.plans, "plan")
    late = date(ledger.plans[k].year - 1, 12, chooser.integer(1, 31))
    mutated = _with(ledger, "plans", k, submitted=late)
    return _one(mutated, profile, "R-PLAN-DEADLINE", f"plans[{k}]")


def plan_incomplete(ledger: Ledger, profile: Profile, chooser: Chooser) -> Mutated:
    """A plan lacks its procedure, inspector requirements, ratio or frequency (Art. 9)."""
    k = _index(chooser, ledger.plans, "plan")
    changes: list[dict[str, object]] = [
        {"procedure": ""},
        {"inspector_requirements": ""},
        {"ratio": None},
        {"rounds": None},
    ]
    change = chooser.choice(changes)
    if "ratio" in change:
        change = {"ratio": None, "stratum_ratios": ()}
    mutated = _with(ledger, "plans", k, **change)
    return _one(mutated, profile, "R-PLAN-FIELDS", f"plans[{k}]")


def _reweigh(ledger: Ledger, d: int, enterprise: str, weight: Fraction) -> Ledger:
    weights = tuple(
        UnitWeight(enterprise=u.enterprise, weight=weight) if u.enterprise == enterprise else u
        for u in ledger.draws[d].weights
    )
    return _with(ledger, "draws", d, weights=weights)


def _class_weights(
    ledger: Ledger, d: int, classes: Mapping[str, RiskClass]
) -> dict[RiskClass, list[Fraction]]:
    groups: dict[RiskClass, list[Fraction]] = {}
    for unit in ledger.draws[d].weights:
        unit_class = classes.get(unit.enterprise)
        if unit_class is not None:
            groups.setdefault(unit_class, []).append(unit.weight)
    return groups


def grade_b_weighed_below_a(ledger: Ledger, profile: Profile, chooser: Chooser) -> Mutated:
    """A draw weighs a grade-B enterprise below a grade-A one of the same risk: the better
    grade gets the higher chance, an inversion (Art. 9)."""
    classes = _classes(ledger)
    options: list[tuple[int, str, Fraction]] = []
    for d, draw in enumerate(ledger.draws):
        grade_a = _class_weights(ledger, d, classes).get((_NO_RISK, Grade.A))
        if not draw.weights or not grade_a:
            continue
        options.extend(
            (d, unit.enterprise, min(grade_a) / 2)
            for unit in draw.weights
            if classes.get(unit.enterprise) == (_NO_RISK, Grade.B)
        )
    d, grade_b, weight = _pick(chooser, options, "grade-B enterprise in a weighted draw")
    mutated = _reweigh(ledger, d, grade_b, weight)
    return _one(mutated, profile, "R-GRADE-WEIGHT", f"draws[{d}]")


def profile_grade_weights_reversed(ledger: Ledger, profile: Profile, chooser: Chooser) -> Mutated:
    """The profile weighs grade A more than grade B, or B more than C: an inversion."""
    weights: dict[str, Fraction | int] = chooser.choice(
        [
            {Grade.A: 2, Grade.B: 1, Grade.C: 3, Grade.UNRATED: 1},
            {Grade.A: 2, Grade.B: 1, Grade.C: 1, Grade.UNRATED: 1},
            {Grade.A: Fraction(1, 2), Grade.B: 2, Grade.C: 1, Grade.UNRATED: 1},
        ]
    )
    changed = profile.with_class_weights(weights)
    return _one(ledger, changed, "R-GRADE-WEIGHT", "profile")


def _risk_interval(
    low_high: Mapping[RiskClass, tuple[Fraction, Fraction]],
    risk: RiskKey,
    grade: str,
) -> tuple[Fraction, Fraction] | None:
    """Weights strictly between the bounds lower ``grade``'s risky unit below a risk-free one
    of its grade without breaking the grade order within its risk class."""
    baseline = low_high.get((_NO_RISK, grade))
    if baseline is None:
        return None
    low, high = Fraction(0), baseline[1]
    if grade == Grade.A and (risk, Grade.B) in low_high:
        high = min(high, low_high[(risk, Grade.B)][0])
    if grade == Grade.B:
        if (risk, Grade.A) in low_high:
            low = max(low, low_high[(risk, Grade.A)][1])
        if (risk, Grade.C) in low_high:
            high = min(high, low_high[(risk, Grade.C)][0])
    if grade == Grade.C and (risk, Grade.B) in low_high:
        low = max(low, low_high[(risk, Grade.B)][1])
    return (low, high) if low < high else None


def risk_lowers_weight(ledger: Ledger, profile: Profile, chooser: Chooser) -> Mutated:
    """A draw weighs an enterprise with a risk factor below a risk-free one (Art. 12)."""
    classes = _classes(ledger)
    options = []
    for d, draw in enumerate(ledger.draws):
        if not draw.weights:
            continue
        low_high = {
            unit_class: (min(weights), max(weights))
            for unit_class, weights in _class_weights(ledger, d, classes).items()
        }
        intervals = {
            unit_class: _risk_interval(low_high, *unit_class)
            for unit_class in low_high
            if unit_class[0] != _NO_RISK
        }
        for unit in draw.weights:
            unit_class = classes.get(unit.enterprise)
            interval = None if unit_class is None else intervals.get(unit_class)
            if interval is not None:
                options.append((d, unit.enterprise, interval))
    d, risky, (low, high) = _pick(chooser, options, "risky enterprise in a weighted draw")
    weight = low + (high - low) * Fraction(chooser.integer(1, 99), 100)
    mutated = _reweigh(ledger, d, risky, weight)
    return _one(mutated, profile, "R-RISK-WEIGHT", f"draws[{d}]")


def profile_risk_multiplier_too_small(
    ledger: Ledger, profile: Profile, chooser: Chooser
) -> Mutated:
    """The profile's multiplier for a risk factor does not raise the weight."""
    flags = [f.id for f in profile.risk_factors if len(f.tiers) == 1]
    factor = chooser.choice(flags)
    value = chooser.choice([Fraction(1, 2), Fraction(1)])
    changed = profile.with_risk_tiers(**{factor: ((1, value),)})
    return _one(ledger, changed, "R-RISK-WEIGHT", "profile")


# --- follow-up of inspections --------------------------------------------------------------


def disposition_missing(ledger: Ledger, profile: Profile, chooser: Chooser) -> Mutated:
    """A violation found has no decision, or its outcome was not published (Art. 13)."""
    v = _index(chooser, ledger.violations, "violation found")
    field = chooser.choice(["disposition", "published"])
    mutated = _with(ledger, "violations", v, **{field: None})
    return _one(mutated, profile, "R-DISPOSITION", f"violations[{v}]")


def _strike_records_of(
    ledger: Ledger, chooser: Chooser, section: str, what: str
) -> tuple[int, Ledger]:
    """Drop the ``section`` records of one finished random inspection that has some; return
    its index and the ledger without them."""
    records = getattr(ledger, section)
    covered = {record.inspection for record in records}
    options = [(i, x) for i, x in _finished(ledger) if x.id in covered]
    i, inspection = _pick(chooser, options, what)
    kept = tuple(record for record in records if record.inspection != inspection.id)
    return i, _evolve(ledger, {section: kept})


def report_missing(ledger: Ledger, profile: Profile, chooser: Chooser) -> Mutated:
    """A finished random check has no summary report (Art. 14)."""
    i, mutated = _strike_records_of(ledger, chooser, "reports", "reported random inspection")
    return _one(mutated, profile, "R-REPORT", _at(i))


def report_incomplete(ledger: Ledger, profile: Profile, chooser: Chooser) -> Mutated:
    """A summary report lacks its conclusion or handling opinion (Art. 14)."""
    random = {x.id for _, x in _inspections(ledger)}
    options = [r for r, report in enumerate(ledger.reports) if report.inspection in random]
    r = _pick(chooser, options, "report of a random inspection")
    field = chooser.choice(["conclusion", "handling_opinion"])
    mutated = _with(ledger, "reports", r, **{field: ""})
    return _one(mutated, profile, "R-REPORT", f"reports[{r}]")


def publicity_too_short(ledger: Ledger, profile: Profile, chooser: Chooser) -> Mutated:
    """A publicity period ends after fewer than the minimum days (Art. 14)."""
    p = _index(chooser, ledger.publicities, "publicity period")
    period = ledger.publicities[p]
    days = chooser.integer(1, max(1, profile.publicity_min_days - 2))
    mutated = _with(ledger, "publicities", p, end=period.start + timedelta(days=days))
    return _one(mutated, profile, "R-PUBLICITY", f"publicities[{p}]")


def _reviewed_in_time(ledger: Ledger, inspection: str, day: date) -> bool:
    """Whether feedback on ``day`` leaves every objection to ``inspection`` reviewed first."""
    return not any(
        o.inspection == inspection
        and o.review_finished is not None
        and o.opened <= day < o.review_finished
        for o in ledger.objections
    )


def feedback_during_publicity(ledger: Ledger, profile: Profile, chooser: Chooser) -> Mutated:
    """Feedback is dated before or during the publicity of the results (Art. 14)."""
    periods: dict[str, Publicity] = {}
    for period in ledger.publicities:
        for x in period.inspections:
            periods.setdefault(x, period)
    options = []
    for f, feedback in enumerate(ledger.feedback):
        covering = periods.get(feedback.inspection)
        if covering is None:
            continue
        period = covering
        days = {
            "start-1": period.start - timedelta(days=1),
            "end": period.end,
        }
        lawful = [
            (name, day)
            for name, day in days.items()
            if _reviewed_in_time(ledger, feedback.inspection, day)
        ]
        if lawful:
            options.append((f, lawful))
    f, days_left = _pick(chooser, options, "feedback after publicity")
    _, dated = chooser.choice(days_left)
    mutated = _with(ledger, "feedback", f, dated=dated)
    return _one(mutated, profile, "R-PUBLICITY", f"feedback[{f}]")


def objection_not_reviewed(ledger: Ledger, profile: Profile, chooser: Chooser) -> Mutated:
    """An objection raised during publicity was never reviewed (Art. 14)."""
    o = _index(chooser, ledger.objections, "objection")
    mutated = _with(ledger, "objections", o, review_finished=None)
    return _one(mutated, profile, "R-PUBLICITY", f"objections[{o}]")


def objection_reviewed_after_feedback(
    ledger: Ledger, profile: Profile, chooser: Chooser
) -> Mutated:
    """The review of an objection finished only after feedback was given (Art. 14)."""
    given: dict[str, date] = {}
    for feedback in ledger.feedback:
        known = given.get(feedback.inspection)
        given[feedback.inspection] = feedback.dated if known is None else max(known, feedback.dated)
    options = [
        o
        for o, x in enumerate(ledger.objections)
        if x.inspection in given and x.opened <= given[x.inspection]
    ]
    o = _pick(chooser, options, "objection followed by feedback")
    late = given[ledger.objections[o].inspection] + timedelta(days=chooser.integer(1, 10))
    mutated = _with(ledger, "objections", o, review_finished=late)
    return _one(mutated, profile, "R-PUBLICITY", f"objections[{o}]")


OTHER_UNIT: Final = "市人力社保局办公室"
"""The unit that gives feedback on an inspection it did not carry out."""


def feedback_by_another_unit(ledger: Ledger, profile: Profile, chooser: Chooser) -> Mutated:
    """Feedback is given by a unit other than the one that inspected (Art. 3)."""
    units = {x.id: x.unit for x in ledger.inspections}
    options = [
        f
        for f, feedback in enumerate(ledger.feedback)
        if units.get(feedback.inspection) and units[feedback.inspection] != OTHER_UNIT
    ]
    f = _pick(chooser, options, "feedback")
    mutated = _with(ledger, "feedback", f, issued_by=OTHER_UNIT)
    return _one(mutated, profile, "R-FEEDBACK-BY-INSPECTOR", f"feedback[{f}]")


def feedback_missing(ledger: Ledger, profile: Profile, chooser: Chooser) -> Mutated:
    """A finished random check gets no feedback (Art. 14)."""
    i, mutated = _strike_records_of(ledger, chooser, "feedback", "random inspection with feedback")
    return _one(mutated, profile, "R-FEEDBACK-BY-INSPECTOR", _at(i))


# --- R-PUBLIC ------------------------------------------------------------------------------


def plan_unpublished(ledger: Ledger, profile: Profile, chooser: Chooser) -> Mutated:
    """A plan was never published (Art. 8)."""
    k = _index(chooser, ledger.plans, "plan")
    mutated = _with(ledger, "plans", k, published=None)
    return _one(mutated, profile, "R-PUBLIC", f"plans[{k}]")


def list_unpublished(ledger: Ledger, profile: Profile, chooser: Chooser) -> Mutated:
    """Next year's check-item list was never published (Art. 5, 6)."""
    # Only a list not yet in force: an unpublished list in force grounds nothing (R-LEGAL-BASIS).
    options = [k for k, x in enumerate(ledger.check_item_lists) if x.effective.year > ledger.year]
    k = _pick(chooser, options, "check-item list for next year")
    mutated = _with(ledger, "check_item_lists", k, published=None)
    return _one(mutated, profile, "R-PUBLIC", f"check_item_lists[{k}]")


def _unpublished(ledger: Ledger, kind: PublicationKind, subject: str) -> tuple[Publication, ...]:
    """The ledger's publications with ``subject`` struck from those of ``kind``."""
    return tuple(
        attrs.evolve(p, subjects=tuple(s for s in p.subjects if s != subject))
        if p.kind is kind
        else p
        for p in ledger.publications
    )


def draw_unpublished(ledger: Ledger, profile: Profile, chooser: Chooser) -> Mutated:
    """The result of a draw was never published (Art. 3)."""
    d = _index(chooser, ledger.draws, "draw")
    publications = _unpublished(ledger, PublicationKind.DRAW, ledger.draws[d].id)
    mutated = attrs.evolve(ledger, publications=publications)
    return _one(mutated, profile, "R-PUBLIC", f"draws[{d}]")


def results_unpublished(ledger: Ledger, profile: Profile, chooser: Chooser) -> Mutated:
    """The results of a random check were neither under publicity nor published (Art. 3)."""
    i, inspection = _pick(chooser, _finished(ledger), "finished random inspection")
    publicities = tuple(
        attrs.evolve(p, inspections=tuple(x for x in p.inspections if x != inspection.id))
        for p in ledger.publicities
        if p.inspections != (inspection.id,)
    )
    publications = _unpublished(ledger, PublicationKind.RESULTS, inspection.id)
    mutated = attrs.evolve(ledger, publicities=publicities, publications=publications)
    return _one(mutated, profile, "R-PUBLIC", _at(i))


_ID_BODY: Final = "12010119900307002"
UNMASKED_ID: Final = _ID_BODY + resident_id_check_character(_ID_BODY)
"""A valid, unmasked resident identity number (of no one)."""


def personal_data_published(ledger: Ledger, profile: Profile, chooser: Chooser) -> Mutated:
    """A published text shows an inspector's mobile or identity number unmasked (Art. 3)."""
    phone = f"手机 138{chooser.integer(0, 99999999):08d}"
    leak = chooser.choice([phone, UNMASKED_ID])
    sections = [name for name in ("publications", "publicities") if getattr(ledger, name)]
    if not sections:
        raise _nothing("publication")
    in_publications = (len(sections) == 2 and chooser.boolean()) or sections == ["publications"]
    section = "publications" if in_publications else "publicities"
    records = getattr(ledger, section)
    p = chooser.integer(0, len(records) - 1)
    text = records[p].text + f"，检查人员联系方式：{leak}"
    mutated = _with(ledger, section, p, text=text)
    return _one(mutated, profile, "R-PUBLIC", f"{section}[{p}]")


# --- R-RULES-VALID -------------------------------------------------------------------------


def rules_expired(ledger: Ledger, profile: Profile, chooser: Chooser) -> Mutated:
    """Rules issued two years and a day before the last inspection day lapse the day before it."""
    if not ledger.inspections:
        raise _nothing("inspection")
    last = max(x.started for x in ledger.inspections)
    issued = last - relativedelta(years=profile.validity_years or 2) - timedelta(days=1)
    changed = attrs.evolve(profile, issued=issued)
    # One profile-level finding, however many inspections fall outside the window.
    return Mutated(ledger=ledger, profile=changed, expected={("R-RULES-VALID", "profile")})


# --- the catalogue of kinds -----------------------------------------------------------------


_PROFILE_KINDS: Final = frozenset(
    {"profile-grade-weights", "profile-risk-multiplier", "rules-expired"}
)

_TABLE: Final[tuple[tuple[str, str, Mutation, str], ...]] = (
    ("target-not-drawn", "R-RANDOM", target_not_drawn, "检查对象不在抽取结果中"),
    ("team-not-dispatched", "R-RANDOM", team_not_dispatched, "检查组不是随机选派的检查组"),
    ("hand-picked-target", "R-RANDOM", hand_picked_target, "随机抽查未记录抽取（人为指定对象）"),
    ("hand-picked-team", "R-RANDOM", hand_picked_team, "随机抽查未记录选派（人为指定人员）"),
    ("committed-after-seed", "R-RANDOM", committed_after_seed, "种子确定后才公布抽样框承诺"),
    ("commitment-unpublished", "R-RANDOM", commitment_unpublished, "抽样框承诺未公布"),
    ("draw-without-plan", "R-RANDOM", draw_without_plan, "抽取所依据的计划不在台账中"),
    (
        "feedback-by-another-unit",
        "R-FEEDBACK-BY-INSPECTOR",
        feedback_by_another_unit,
        "反馈由非检查单位作出",
    ),
    ("feedback-missing", "R-FEEDBACK-BY-INSPECTOR", feedback_missing, "随机抽查结束后未反馈"),
    ("plan-unpublished", "R-PUBLIC", plan_unpublished, "抽查计划未公开"),
    ("list-unpublished", "R-PUBLIC", list_unpublished, "抽查事项清单未公开"),
    ("draw-unpublished", "R-PUBLIC", draw_unpublished, "抽取结果未公开"),
    ("results-unpublished", "R-PUBLIC", results_unpublished, "检查结果未公开"),
    (
        "personal-data-published",
        "R-PUBLIC",
        personal_data_published,
        "公开内容含未脱敏的手机号或身份证号",
    ),
    ("item-incomplete", "R-ITEM-FIELDS", item_incomplete, "抽查事项缺少内容、主体或对象"),
    ("item-not-listed", "R-LEGAL-BASIS", item_not_listed, "检查事项不在清单中"),
    ("basis-too-low", "R-LEGAL-BASIS", basis_too_low, "事项仅以规范性文件为依据"),
    ("basis-repealed", "R-LEGAL-BASIS", basis_repealed_that_day, "事项依据已废止"),
    ("basis-not-yet-in-force", "R-LEGAL-BASIS", basis_not_yet_in_force, "事项依据尚未施行"),
    (
        "inspector-record-incomplete",
        "R-INSPECTOR-RECORD",
        inspector_record_incomplete,
        "检查人员名录信息不全",
    ),
    ("stranger-on-team", "R-TEAM", stranger_on_team, "名录外人员参加检查"),
    ("certificate-expired", "R-TEAM", certificate_expired, "检查人员执法证件过期"),
    (
        "identity-number-only-on-team",
        "R-TEAM",
        identity_number_only_on_team,
        "仅有身份号码、无执法证件的人员参加检查",
    ),
    ("plan-late", "R-PLAN-DEADLINE", plan_late, "计划晚于11月底报送"),
    ("plan-incomplete", "R-PLAN-FIELDS", plan_incomplete, "计划内容不全"),
    ("grade-b-weighed-below-a", "R-GRADE-WEIGHT", grade_b_weighed_below_a, "B级企业按A级权重抽取"),
    (
        "profile-grade-weights",
        "R-GRADE-WEIGHT",
        profile_grade_weights_reversed,
        "政策配置的等级权重次序颠倒",
    ),
    ("drawn-not-inspected", "R-COMPLETION", drawn_not_inspected, "抽中的对象未检查且未记录原因"),
    ("over-inspected", "R-COVERAGE", over_inspected, "同一企业年度检查次数过多"),
    ("targeted-without-ground", "R-TARGETED", targeted_without_ground, "针对性检查未记录事由"),
    (
        "targeted-without-suspicion",
        "R-TARGETED",
        targeted_without_suspicion,
        "针对性检查未记录违法嫌疑",
    ),
    (
        "declared-conflict-ignored",
        "R-RECUSAL",
        declared_conflict_ignored,
        "已申报利害关系的人员未回避",
    ),
    ("former-employer-on-team", "R-RECUSAL", former_employer_on_team, "检查人员检查其原工作单位"),
    ("third-random-check", "R-CAP", third_random_check, "同一企业年内第三次随机抽查"),
    (
        "team-from-other-district",
        "R-CROSS-DISTRICT",
        team_from_other_district,
        "检查组全部来自其他区",
    ),
    ("split-joint-visit", "R-ONE-VISIT", split_joint_visit, "联合检查拆成两次上门"),
    ("risk-lowers-weight", "R-RISK-WEIGHT", risk_lowers_weight, "有风险因素的企业权重反而更低"),
    (
        "profile-risk-multiplier",
        "R-RISK-WEIGHT",
        profile_risk_multiplier_too_small,
        "政策配置的风险系数未大于1",
    ),
    ("disposition-missing", "R-DISPOSITION", disposition_missing, "违法行为未作处理决定或未公示"),
    ("report-missing", "R-REPORT", report_missing, "随机抽查没有总结报告"),
    ("report-incomplete", "R-REPORT", report_incomplete, "总结报告缺少结论或处理意见"),
    ("publicity-too-short", "R-PUBLICITY", publicity_too_short, "公示期不足七天"),
    ("feedback-during-publicity", "R-PUBLICITY", feedback_during_publicity, "公示期满前反馈"),
    ("objection-not-reviewed", "R-PUBLICITY", objection_not_reviewed, "异议未复查复核"),
    (
        "objection-reviewed-after-feedback",
        "R-PUBLICITY",
        objection_reviewed_after_feedback,
        "异议复核晚于反馈",
    ),
    ("rules-expired", "R-RULES-VALID", rules_expired, "细则有效期届满后仍在检查"),
)


def _first_line(function: Mutation) -> str:
    return (function.__doc__ or "").strip().splitlines()[0]


KINDS: Final[dict[str, Kind]] = {
    name: Kind(
        name=name,
        rule=rule,
        in_records=name not in _PROFILE_KINDS,
        zh=zh,
        en=_first_line(function),
        mutate=function,
    )
    for name, rule, function, zh in _TABLE
}
"""Every kind of violation, by name."""

DEMO_KINDS: Final = (
    "report-missing",
    "target-not-drawn",
    "drawn-not-inspected",
    "feedback-by-another-unit",
    "personal-data-published",
    "item-incomplete",
    "basis-too-low",
    "inspector-record-incomplete",
    "stranger-on-team",
    "plan-late",
    "plan-incomplete",
    "grade-b-weighed-below-a",
    "targeted-without-ground",
    "over-inspected",
    "declared-conflict-ignored",
    "third-random-check",
    "team-from-other-district",
    "split-joint-visit",
    "risk-lowers-weight",
    "disposition-missing",
    "feedback-during-publicity",
)
"""One kind for every rule that records can break (all but R-RULES-VALID, which concerns the
profile); the kind that removes records comes first, so that no later one shifts the paths
already expected."""


# --- planting -------------------------------------------------------------------------------


def _audit(ledger: Ledger, profile: Profile) -> Report:
    """The audit of a demo ledger, with the demo's calendar where the profile needs one."""
    calendar = demo_calendar(ledger.year) if profile.publicity_needs_calendar else None
    return audit(ledger, profile, calendar=calendar)


def noticed(ledger: Ledger, profile: Profile) -> set[tuple[str, str]]:
    """(rule, subject) of every violation and warning the audit reports (with the demo's
    calendar, :func:`randcheck.demo.simulation.demo_calendar`, where the profile needs one)."""
    return _noticed(_audit(ledger, profile))


def _noticed(report: Report) -> set[tuple[str, str]]:
    return {(f.rule, f.subject) for f in report.findings if f.outcome in NOTICED}


def plant_one(ledger: Ledger, profile: Profile, kind: str | Kind, chooser: Chooser) -> Mutated:
    """Plant one violation of ``kind`` into ``ledger`` (lawful under ``profile``).

    Raises:
        KeyError: ``kind`` is not a kind's name.
        NotPlantable: the ledger has no record of that kind.
    """
    the_kind = KINDS[kind] if isinstance(kind, str) else kind
    return the_kind.mutate(ledger, profile, chooser)


@attrs.frozen(kw_only=True)
class Planted:
    """A kind that was planted and the findings it must produce: ``{(rule, subject)}``."""

    kind: Kind
    expected: Expected = attrs.field(converter=_expected)


@attrs.frozen(kw_only=True)
class Skipped:
    """A kind that could not be planted, and why (Chinese, English)."""

    kind: Kind
    reason_zh: str
    reason_en: str


@attrs.frozen(kw_only=True)
class Planting:
    """The result of :func:`plant`: the ledger and profile with the violations in them, what
    was planted and skipped, and the audit of the result (``report``)."""

    ledger: Ledger
    profile: Profile
    planted: tuple[Planted, ...]
    skipped: tuple[Skipped, ...]
    report: Report

    @property
    def expected(self) -> frozenset[tuple[str, str]]:
        """Every (rule, subject) the planted violations must produce."""
        return frozenset().union(*(p.expected for p in self.planted))

    @property
    def rules(self) -> frozenset[str]:
        """The rules broken by the planted violations."""
        return frozenset(p.kind.rule for p in self.planted)


def plant(
    ledger: Ledger,
    profile: Profile,
    *,
    seed: str,
    kinds: Iterable[str] = DEMO_KINDS,
    attempts: int = 8,
) -> Planting:
    """Plant one violation of each of ``kinds`` into ``ledger``, choices derived from ``seed``.

    Kinds are planted one after the other. After each, the ledger is audited: the violations
    and warnings must be exactly those of the ledger as given plus those every planted kind
    expects, so that each planted violation is reported, by its rule, for its record, and
    nothing else changes. A kind whose choice disturbs an earlier one is chosen again (up to
    ``attempts`` times, each from its own hash stream); a kind that the ledger has no record
    for, or that cannot be placed apart from the others, is skipped and listed with the reason.

    Raises:
        KeyError: a name in ``kinds`` is not a kind.
    """
    chosen = [KINDS[name] for name in kinds]
    report = _audit(ledger, profile)
    found = _noticed(report)
    planted: list[Planted] = []
    skipped: list[Skipped] = []
    for kind in chosen:
        outcome = _try_kind(ledger, profile, kind, found, seed=seed, attempts=attempts)
        if isinstance(outcome, Skipped):
            skipped.append(outcome)
            continue
        mutated, report = outcome
        ledger, profile, found = mutated.ledger, mutated.profile, _noticed(report)
        planted.append(Planted(kind=kind, expected=mutated.expected))
    return Planting(
        ledger=ledger,
        profile=profile,
        planted=tuple(planted),
        skipped=tuple(skipped),
        report=report,
    )


def _try_kind(
    ledger: Ledger,
    profile: Profile,
    kind: Kind,
    found: set[tuple[str, str]],
    *,
    seed: str,
    attempts: int,
) -> tuple[Mutated, Report] | Skipped:
    for attempt in range(attempts):
        chooser = HashChooser(seed, f"plant:{kind.name}:{attempt}")
        try:
            mutated = kind.mutate(ledger, profile, chooser)
        except NotPlantable as exc:
            return Skipped(
                kind=kind,
                reason_zh=f"台账中没有可植入此类违规的记录（{exc.field}）",
                reason_en=f"no record in the ledger to plant it in ({exc.field})",
            )
        expected = mutated.expected
        if not expected or expected & found:
            continue
        report = _audit(mutated.ledger, mutated.profile)
        if _noticed(report) == found | expected:
            return mutated, report
    return Skipped(
        kind=kind,
        reason_zh="无法与已植入的违规互不干扰地植入",
        reason_en="it cannot be planted without disturbing the violations already planted",
    )
