"""Dispatch: lawful teams (R-RECUSAL, R-CROSS-DISTRICT, R-INSPECTOR-RECORD), found exactly when
they exist, random by the documented algorithm, independent of input order.

The helpers at the top build small instances by hand; the other dispatch test modules import
them from here.
"""

from __future__ import annotations

import hashlib
import itertools
import random
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date
from fractions import Fraction

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from randcheck.dispatch import (
    DISPATCH_ALGORITHM_VERSION,
    DispatchRecord,
    LoadCapSource,
    dispatch,
    qualification_problem,
    recusal_grounds,
)
from randcheck.dispatch.engine import (
    ATTEMPTS,
    Round,
    Run,
    Stream,
    _record,
    outside_range,
    team_size,
)
from randcheck.domain import (
    Conflict,
    ConflictGround,
    CrossDistrictBounds,
    Enterprise,
    Inspector,
    Line,
    Plan,
)
from randcheck.errors import InfeasibleDispatch, ValidationError
from randcheck.hashing import HASH_MODULUS, hash_fields
from randcheck.ids import resident_id_check_character, uscc_check_character
from randcheck.profiles import TIANJIN_HRSS, Profile

LINE = Line.LABOUR_INSPECTION
DAY = date(2027, 4, 1)
DISTRICTS = [d.name for d in TIANJIN_HRSS.districts]
_CODES = {d.name: d.code for d in TIANJIN_HRSS.districts}


# --- builders -------------------------------------------------------------------------------


class StubDraw:
    """The two things dispatch needs of a draw record."""

    def __init__(self, ids: Iterable[str]) -> None:
        self._ids = tuple(ids)

    def selected_ids(self) -> tuple[str, ...]:
        return tuple(sorted(self._ids))

    def digest(self) -> str:
        text = "|".join(sorted(self._ids))
        return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def uscc(number: int, district: str = DISTRICTS[0]) -> str:
    """A valid USCC of ``district`` (the number fills the organisation code)."""
    body = "91" + _CODES[district] + f"{number:09d}"
    return body + uscc_check_character(body)


def resident_id(number: int, district: str = DISTRICTS[0]) -> str:
    """A valid resident identity number born on 1 January 1980."""
    body = _CODES[district] + "19800101" + f"{number % 1000:03d}"
    return body + resident_id_check_character(body)


def enterprise(number: int, district: str = DISTRICTS[0]) -> Enterprise:
    """An enterprise of ``district``."""
    return Enterprise(uscc=uscc(number, district), name=f"企业{number}", district=district)


def inspector(
    key: str,
    district: str = DISTRICTS[0],
    *,
    section: str = "",
    lines: Iterable[Line] = (LINE,),
    valid_until: date | None = date(2030, 12, 31),
    phone: str = "13800138000",
    resident: str | None = None,
    **kwargs: object,
) -> Inspector:
    """A complete, qualified inspector record unless told otherwise."""
    return Inspector(
        name=f"执法{key[-4:]}",
        department=f"{district}人力资源和社会保障局",
        post="科员",
        certificate_no=None if resident is not None and key == resident else key,
        resident_id=resident,
        phone=phone,
        district=district,
        section=section,
        lines=frozenset(lines),
        certificate_valid_from=date(2020, 1, 1),
        certificate_valid_until=valid_until,
        **kwargs,  # type: ignore[arg-type]
    )


def plan(
    *,
    size: int = 2,
    low: Fraction | int = 0,
    high: Fraction | int = 1,
    cap: int | None = None,
    distinct: bool = False,
) -> Plan:
    """A plan of the labour-inspection line with the dispatch parameters given."""
    return Plan(
        code="TJ-LS-2027",
        year=2027,
        line=LINE,
        team_size=size,
        cross_district=CrossDistrictBounds(minimum=Fraction(low), maximum=Fraction(high)),
        load_cap=cap,
        distinct_sections=distinct,
    )


def run(
    ents: Sequence[Enterprise],
    staff: Sequence[Inspector],
    conflicts: Sequence[Conflict] = (),
    the_plan: Plan | None = None,
    profile: Profile = TIANJIN_HRSS,
    seed: str = "seed",
) -> DispatchRecord:
    """Dispatch every enterprise of ``ents``."""
    return dispatch(
        StubDraw(e.uscc for e in ents),
        ents,
        staff,
        conflicts,
        the_plan or plan(),
        profile,
        seed=seed,
        on=DAY,
    )


# --- an independent statement of the rules --------------------------------------------------


def conflicted(person: Inspector, target: Enterprise, conflicts: Iterable[Conflict]) -> bool:
    """R-RECUSAL, read directly from the records."""
    names = {person.key} | ({person.resident_id} if person.resident_id else set())
    if any(c.inspector in names and c.enterprise == target.uscc for c in conflicts):
        return True
    return target.uscc in (
        *person.former_employers,
        *person.relatives_employers,
        *person.shareholdings,
    )


def qualified(person: Inspector, line: Line, on: date) -> bool:
    """R-INSPECTOR-RECORD, R-TEAM and authorisation, read directly from the record."""
    complete = all((person.name, person.department, person.post, person.phone))
    certified = person.certificate_no is not None and person.certificate_valid_on(on)
    return line in person.lines and certified and complete


def lawful_team(
    members: Sequence[Inspector],
    target: Enterprise,
    conflicts: Iterable[Conflict],
    the_plan: Plan,
    size: int,
) -> bool:
    """Whether ``members`` may inspect ``target`` as one team (load aside)."""
    if len(members) != size or len({m.key for m in members}) != size:
        return False
    if not all(qualified(m, the_plan.line, DAY) for m in members):
        return False
    if any(conflicted(m, target, conflicts) for m in members):
        return False
    outside = sum(1 for m in members if m.district != target.district)
    if not the_plan.cross_district.allows(outside, size):
        return False
    if the_plan.distinct_sections:
        sections = [(m.department, m.section) for m in members if m.section]
        if len(set(sections)) != len(sections):
            return False
    return True


def assert_lawful(
    record: DispatchRecord,
    ents: Sequence[Enterprise],
    staff: Sequence[Inspector],
    conflicts: Sequence[Conflict],
    the_plan: Plan,
    profile: Profile = TIANJIN_HRSS,
) -> None:
    """Every current team of ``record`` obeys every rule; loads stay within the cap."""
    size = max(the_plan.team_size, profile.min_team_size)
    by_key = {s.key: s for s in staff}
    by_code = {e.uscc: e for e in ents}
    teams = record.current_teams()
    assert sorted(t.enterprise for t in teams) == sorted(by_code)
    loads: Counter[str] = Counter()
    for team in teams:
        members = [by_key[key] for key in team.members]
        assert lawful_team(members, by_code[team.enterprise], conflicts, the_plan, size), team
        assert team.district == by_code[team.enterprise].district
        loads.update(team.members)
    assert max(loads.values(), default=0) <= record.load_cap
    if the_plan.load_cap is not None:
        assert record.load_cap == the_plan.load_cap
    assert record.team_size == size


def brute_force(
    ents: Sequence[Enterprise],
    staff: Sequence[Inspector],
    conflicts: Sequence[Conflict],
    the_plan: Plan,
    cap: int,
    profile: Profile = TIANJIN_HRSS,
) -> bool:
    """Whether any lawful dispatch with load cap ``cap`` exists, by exhaustive search."""
    size = max(the_plan.team_size, profile.min_team_size)
    options = [
        [
            combo
            for combo in itertools.combinations(staff, size)
            if lawful_team(combo, target, conflicts, the_plan, size)
        ]
        for target in ents
    ]
    loads: Counter[str] = Counter()

    def search(n: int) -> bool:
        if n == len(ents):
            return True
        for combo in options[n]:
            if all(loads[m.key] < cap for m in combo):
                loads.update(m.key for m in combo)
                if search(n + 1):
                    return True
                loads.subtract(m.key for m in combo)
        return False

    return search(0)


# --- generated small instances --------------------------------------------------------------

_SHARES = [Fraction(0), Fraction(1, 3), Fraction(1, 2), Fraction(2, 3), Fraction(1)]


@attrs.frozen(kw_only=True)
class Instance:
    ents: tuple[Enterprise, ...]
    staff: tuple[Inspector, ...]
    conflicts: tuple[Conflict, ...]
    plan: Plan
    profile: Profile
    seed: str


@st.composite
def instances(draw: st.DrawFn, *, max_inspectors: int = 7, max_enterprises: int = 5) -> Instance:
    """Small instances on 1-3 districts with recusals, unqualified staff, sections, tight caps.

    Mostly feasible, often only just: the load cap and the district bounds bind, so that the
    repair step and every kind of infeasibility occur.
    """
    districts = DISTRICTS[: draw(st.sampled_from([1, 2, 2, 3]))]
    ents = tuple(
        enterprise(n, draw(st.sampled_from(districts)))
        for n in range(draw(st.sampled_from(range(1, max_enterprises + 1))))
    )
    codes = [e.uscc for e in ents]
    rare = st.integers(0, 9).map(lambda n: n == 0)
    staff = []
    for n in range(draw(st.sampled_from(range(3, max_inspectors + 1)))):
        district = draw(st.sampled_from(districts))
        by_id = draw(rare)
        key = resident_id(n, district) if by_id else f"TJ-{n:03d}"
        interests = (
            st.lists(st.sampled_from(codes), max_size=1).filter(lambda x: not x or draw(rare))
            if codes
            else st.just([])
        )
        staff.append(
            inspector(
                key,
                district,
                section=draw(st.sampled_from(["", "监察一科", "监察二科"])),
                lines=[Line.SOCIAL_INSURANCE_AUDIT] if draw(rare) else [LINE],
                valid_until=date(2027, 3, 31) if draw(rare) else None,
                phone="" if draw(rare) else "13800138000",
                resident=key if by_id else None,
                former_employers=draw(interests),
                relatives_employers=draw(interests),
                shareholdings=draw(interests),
            )
        )
    conflicts: list[Conflict] = []
    if codes and staff:
        for person in draw(st.lists(st.sampled_from(staff), max_size=3)):
            ground = draw(st.sampled_from([ConflictGround.RELATIVE, ConflictGround.SAME_PERSON]))
            target = draw(st.sampled_from(codes))
            conflicts.append(Conflict(inspector=person.key, enterprise=target, ground=ground))
    low = draw(st.sampled_from([Fraction(0)] * 3 + _SHARES))
    high = draw(st.sampled_from([s for s in _SHARES if s >= low] + [Fraction(1)] * 2))
    the_plan = plan(
        size=draw(st.sampled_from([1, 2, 2, 2, 3])),
        low=low,
        high=high,
        cap=draw(st.sampled_from([None, None, 1, 2, 3])),
        distinct=draw(st.booleans()),
    )
    profile = draw(
        st.sampled_from(
            [
                TIANJIN_HRSS,
                attrs.evolve(TIANJIN_HRSS, team=attrs.evolve(TIANJIN_HRSS.team, min_size=1)),
            ]
        )
    )
    return Instance(
        ents=ents,
        staff=tuple(staff),
        conflicts=tuple(conflicts),
        plan=the_plan,
        profile=profile,
        seed=draw(st.text(min_size=1, max_size=8)),
    )


@st.composite
def tight_instances(draw: st.DrawFn) -> Instance:
    """Instances where capacity, not qualification, decides: every inspector qualified, few
    recusals, teams of two, and more seats than a loose cap would need."""
    districts = DISTRICTS[: draw(st.sampled_from([1, 2, 3]))]
    ents = tuple(
        enterprise(n, draw(st.sampled_from(districts))) for n in range(draw(st.integers(3, 6)))
    )
    staff = tuple(
        inspector(
            f"TJ-{n:03d}",
            draw(st.sampled_from(districts)),
            section=draw(st.sampled_from(["", "监察一科", "监察二科"])),
        )
        for n in range(draw(st.integers(3, 5)))
    )
    conflicts = tuple(
        Conflict(inspector=person.key, enterprise=target.uscc, ground=ConflictGround.RELATIVE)
        for person, target in draw(
            st.lists(st.tuples(st.sampled_from(staff), st.sampled_from(ents)), max_size=2)
        )
    )
    return Instance(
        ents=ents,
        staff=staff,
        conflicts=conflicts,
        plan=plan(
            high=draw(st.sampled_from([Fraction(1, 2), Fraction(1)])),
            low=draw(st.sampled_from([Fraction(0), Fraction(0), Fraction(1, 2)])),
            distinct=draw(st.booleans()),
        ),
        profile=TIANJIN_HRSS,
        seed="tight",
    )


def _dispatch(instance: Instance) -> DispatchRecord:
    return run(
        instance.ents,
        instance.staff,
        instance.conflicts,
        instance.plan,
        instance.profile,
        seed=instance.seed,
    )


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(instances(), tight_instances()))
def test_feasible_exactly_when_brute_force_finds_a_dispatch(instance: Instance) -> None:
    cap = instance.plan.load_cap
    exists = brute_force(
        instance.ents,
        instance.staff,
        instance.conflicts,
        instance.plan,
        cap if cap is not None else max(1, len(instance.ents)),
        instance.profile,
    )
    if not exists:
        with pytest.raises(InfeasibleDispatch) as caught:
            _dispatch(instance)
        assert caught.value.blocking
        assert " / " in str(caught.value)
        return
    record = _dispatch(instance)
    assert_lawful(
        record, instance.ents, instance.staff, instance.conflicts, instance.plan, instance.profile
    )
    if cap is None:
        # The even-spreading cap is the smallest with which the round can be dispatched.
        assert record.load_cap_source is LoadCapSource.EVEN_SPREADING
        assert record.load_cap == 1 or not brute_force(
            instance.ents,
            instance.staff,
            instance.conflicts,
            instance.plan,
            record.load_cap - 1,
            instance.profile,
        )


@settings(max_examples=100, deadline=None)
@given(instances(), st.randoms(use_true_random=False))
def test_input_order_has_no_effect(instance: Instance, rng: random.Random) -> None:
    try:
        first = _dispatch(instance)
    except InfeasibleDispatch:
        return
    ents, staff, conflicts = list(instance.ents), list(instance.staff), list(instance.conflicts)
    rng.shuffle(ents)
    rng.shuffle(staff)
    rng.shuffle(conflicts)
    second = dispatch(
        StubDraw(reversed([e.uscc for e in ents])),
        {e.uscc: e for e in ents},
        staff,
        conflicts * 2,
        instance.plan,
        instance.profile,
        seed=instance.seed,
        on=DAY,
    )
    assert second == first
    assert second.digest() == first.digest()


@settings(max_examples=60, deadline=None)
@given(instances(max_inspectors=10, max_enterprises=8))
def test_no_conflicted_unauthorised_or_expired_inspector_is_ever_dispatched(
    instance: Instance,
) -> None:
    try:
        record = _dispatch(instance)
    except InfeasibleDispatch:
        return
    by_key = {s.key: s for s in instance.staff}
    by_code = {e.uscc: e for e in instance.ents}
    for team in record.teams:
        for key in team.members:
            person = by_key[key]
            assert qualification_problem(person, LINE, DAY) is None
            assert not conflicted(person, by_code[team.enterprise], instance.conflicts)


# --- a third-party implementation of the documented greedy pass ------------------------------


def _uniform(seed: str, code: str, counter: int, n: int) -> tuple[int, int]:
    """An unbiased draw from range(n) at ``counter`` of enterprise ``code``'s stream."""
    while True:
        h = hash_fields(DISPATCH_ALGORITHM_VERSION, "dispatch", seed, code, str(counter))
        counter += 1
        if h < HASH_MODULUS - HASH_MODULUS % n:
            return h % n, counter


def _admissible(
    person: Inspector, team: list[Inspector], target: Enterprise, instance: Instance
) -> bool:
    sections = {(m.department, m.section) for m in team if m.section}
    same_section = bool(person.section) and (person.department, person.section) in sections
    return (
        person not in team
        and not conflicted(person, target, instance.conflicts)
        and not (instance.plan.distinct_sections and same_section)
    )


def reference_greedy(instance: Instance, cap: int) -> dict[str, list[str]] | None:
    """docs/dispatch.md steps 1-3 written from the page alone; ``None`` if a seat stays empty."""
    the_plan, seed = instance.plan, instance.seed
    k = max(the_plan.team_size, instance.profile.min_team_size)
    low, high = the_plan.cross_district.minimum, the_plan.cross_district.maximum
    omin = -(-low.numerator * k // low.denominator)
    # "部分": at least one member is the department's own, whatever the bounds.
    omax = min(high.numerator * k // high.denominator, k - 1)
    need = k - omax
    staff = sorted(
        (s for s in instance.staff if qualified(s, the_plan.line, DAY)),
        key=lambda s: (s.district, s.key),
    )
    districts = sorted({s.district for s in staff})
    load = Counter[str]()
    pending = Counter(e.district for e in instance.ents)
    for d in pending:
        pending[d] *= need
    order = sorted(
        instance.ents,
        key=lambda e: (
            hash_fields(DISPATCH_ALGORITHM_VERSION, "dispatch-order", seed, e.uscc),
            e.uscc,
        ),
    )
    teams: dict[str, list[str]] = {}
    for target in order:
        pending[target.district] -= need
        team: list[Inspector] = []
        counter = 0
        while len(team) < k:
            local = sum(1 for m in team if m.district == target.district)
            outside = len(team) - local
            spare = Counter[str]()
            for s in staff:
                spare[s.district] += cap - load[s.key]
            allowed = {
                d
                for d in districts
                if (local < k - omin if d == target.district else outside < omax)
                and (spare[d] > pending[d] or (d == target.district and local < need))
            }
            pool = [s for s in staff if s.district in allowed and load[s.key] < cap]
            if not pool:
                return None
            chosen = None
            for _ in range(ATTEMPTS):
                x, counter = _uniform(seed, target.uscc, counter, len(pool))
                if _admissible(pool[x], team, target, instance):
                    chosen = pool[x]
                    break
            if chosen is None:
                listed = [s for s in pool if _admissible(s, team, target, instance)]
                if not listed:
                    return None
                x, counter = _uniform(seed, target.uscc, counter, len(listed))
                chosen = listed[x]
            team.append(chosen)
            load[chosen.key] += 1
        teams[target.uscc] = [m.key for m in team]
    return teams


@settings(max_examples=200, deadline=None)
@given(st.one_of(instances(max_inspectors=8, max_enterprises=6), tight_instances()))
def test_the_documented_greedy_pass_is_what_dispatch_does(instance: Instance) -> None:
    try:
        record = _dispatch(instance)
    except InfeasibleDispatch:
        return
    expected = reference_greedy(instance, record.load_cap)
    if expected is None:
        return  # the repair step was needed; covered by the brute-force property
    assert {t.enterprise: list(t.members) for t in record.teams} == expected


def test_stream_numbers_are_hash_fields() -> None:
    stream = Stream([DISPATCH_ALGORITHM_VERSION, "dispatch", "s"]).extend("X")
    for counter in (0, 1, 63, 64, 1000):
        assert stream.number(counter) == hash_fields(
            DISPATCH_ALGORITHM_VERSION, "dispatch", "s", "X", str(counter)
        )
    assert Stream(["a"]).text_number("b") == hash_fields("a", "b")


def test_enterprises_are_processed_in_hash_order_not_input_order() -> None:
    ents = [enterprise(n) for n in range(20)]
    rnd = Round(
        draw_ids=[e.uscc for e in ents],
        enterprises=ents,
        inspectors=[inspector(f"K{n}") for n in range(3)],
        conflicts=[],
        plan=plan(),
        profile=TIANJIN_HRSS,
        seed="order",
        on=DAY,
    )
    expected = sorted(
        (e.uscc for e in ents),
        key=lambda c: (hash_fields(DISPATCH_ALGORITHM_VERSION, "dispatch-order", "order", c), c),
    )
    assert rnd.usccs == expected
    assert rnd.usccs != sorted(rnd.usccs)


# --- hand-written cases from the rules' wording ---------------------------------------------


def test_one_eligible_inspector_after_recusal_blocks_a_team_of_two() -> None:
    target = enterprise(1)
    staff = [inspector("A"), inspector("B")]
    conflicts = [Conflict(inspector="B", enterprise=target.uscc, ground=ConflictGround.RELATIVE)]
    with pytest.raises(InfeasibleDispatch) as caught:
        run([target], staff, conflicts)
    message = str(caught.value)
    assert f"{target.uscc} 回避后仅有 1 名合格执法人员，检查组至少 2 人" in message
    assert "has 1 eligible inspector(s) after recusal, team size is 2" in message
    assert caught.value.blocking == (
        (
            target.uscc,
            "回避后仅有 1 名合格执法人员，检查组至少 2 人 / has 1 eligible inspector(s) after "
            "recusal, team size is 2",
        ),
    )
    assert isinstance(caught.value, ValueError)


def test_team_size_is_raised_to_the_profile_minimum() -> None:
    the_plan = plan(size=1)
    assert team_size(the_plan, TIANJIN_HRSS) == 2
    record = run(
        [enterprise(1)], [inspector("A"), inspector("B"), inspector("C")], the_plan=the_plan
    )
    assert len(record.teams[0].members) == 2
    one = attrs.evolve(TIANJIN_HRSS, team=attrs.evolve(TIANJIN_HRSS.team, min_size=1))
    record = run([enterprise(1)], [inspector("A"), inspector("B")], the_plan=the_plan, profile=one)
    assert len(record.teams[0].members) == 1
    record = run([enterprise(1)], [inspector(k) for k in "ABCD"], the_plan=plan(size=3))
    assert len(record.teams[0].members) == 3


def test_every_ground_of_recusal_keeps_the_inspector_away_and_is_recorded() -> None:
    target = enterprise(7)
    rid = resident_id(5)
    staff = [
        inspector("FORMER", former_employers=[target.uscc]),
        inspector("RELATIVE", relatives_employers=[target.uscc]),
        inspector("SHARES", shareholdings=[target.uscc]),
        inspector("SELF"),
        inspector("BYID", resident=rid),
        inspector("FREE1"),
        inspector("FREE2"),
    ]
    conflicts = [
        Conflict(inspector="SELF", enterprise=target.uscc, ground=ConflictGround.SAME_PERSON),
        Conflict(inspector=rid, enterprise=target.uscc, ground=ConflictGround.OTHER, note="同学"),
        Conflict(inspector="FORMER", enterprise=target.uscc, ground=ConflictGround.RELATIVE),
    ]
    for seed in ("a", "b", "c", "d"):
        record = run([target], staff, conflicts, seed=seed)
        assert sorted(record.teams[0].members) == ["FREE1", "FREE2"]
    recusals = {r.inspector: r.grounds for r in record.recusals}
    assert recusals == {
        "BYID": (ConflictGround.OTHER,),
        "FORMER": (ConflictGround.FORMER_EMPLOYMENT, ConflictGround.RELATIVE),
        "RELATIVE": (ConflictGround.RELATIVE,),
        "SELF": (ConflictGround.SAME_PERSON,),
        "SHARES": (ConflictGround.SHAREHOLDING,),
    }
    assert all(r.enterprise == target.uscc for r in record.recusals)


def test_unqualified_inspectors_are_never_dispatched() -> None:
    staff = [
        inspector("OTHERLINE", lines=[Line.MEDICAL_INSURANCE_SUPERVISION]),
        inspector("EXPIRED", valid_until=date(2027, 3, 31)),
        inspector("NOPHONE", phone=""),
        inspector("OK1"),
        inspector("OK2"),
    ]
    assert qualification_problem(staff[0], LINE, DAY) is not None
    assert "2027-04-01" in str(qualification_problem(staff[1], LINE, DAY))
    assert "phone" in str(qualification_problem(staff[2], LINE, DAY))
    for seed in map(str, range(5)):
        record = run([enterprise(1), enterprise(2)], staff, seed=seed)
        assert {k for t in record.teams for k in t.members} == {"OK1", "OK2"}
    # Recusals are recorded for qualified inspectors only: the others could not serve anyway.
    target = enterprise(1)
    conflicts = [
        Conflict(inspector="EXPIRED", enterprise=target.uscc, ground=ConflictGround.RELATIVE)
    ]
    assert run([target], staff, conflicts).recusals == ()


def test_the_certificate_must_be_valid_on_the_inspection_date() -> None:
    staff = [
        inspector("A", valid_until=date(2027, 4, 1)),
        inspector("B"),
        inspector("C", valid_until=date(2027, 3, 31)),
    ]
    record = run([enterprise(1)], staff)
    assert sorted(record.teams[0].members) == ["A", "B"]


def test_cross_district_bounds_are_exact_fractions() -> None:
    assert outside_range(2, plan(low=Fraction(1, 2), high=Fraction(1, 2))) == (1, 1)
    assert outside_range(3, plan(low=Fraction(1, 3), high=Fraction(1, 2))) == (1, 1)
    assert outside_range(3, plan(low=Fraction(1, 2), high=Fraction(2, 3))) == (2, 2)
    here, there = DISTRICTS[0], DISTRICTS[1]
    staff = [inspector(f"H{n}", here) for n in range(4)] + [
        inspector(f"T{n}", there) for n in range(4)
    ]
    ents = [enterprise(n, here) for n in range(3)] + [enterprise(10 + n, there) for n in range(3)]
    half = plan(low=Fraction(1, 2), high=Fraction(1, 2))
    for seed in map(str, range(10)):
        record = run(ents, staff, the_plan=half, seed=seed)
        assert_lawful(record, ents, staff, [], half)
        for team in record.teams:
            assert (
                sum(1 for key in team.members if key[0] == ("H" if team.district == here else "T"))
                == 1
            )
    local_only = plan(high=0)
    record = run(ents, staff, the_plan=local_only)
    for team in record.teams:
        assert all(key[0] == ("H" if team.district == here else "T") for key in team.members)


def test_a_team_of_two_cannot_have_a_third_from_outside() -> None:
    with pytest.raises(InfeasibleDispatch) as caught:
        run(
            [enterprise(1)],
            [inspector("A"), inspector("B")],
            the_plan=plan(low=Fraction(1, 3), high=Fraction(1, 3)),
        )
    assert "no team of 2 has a cross-district share within 1/3..1/3" in str(caught.value)
    assert caught.value.blocking[0][0] == "TJ-LS-2027"


def test_local_minimum_names_the_district() -> None:
    here, there = DISTRICTS[0], DISTRICTS[1]
    target = enterprise(1, here)
    with pytest.raises(InfeasibleDispatch) as caught:
        run(
            [target],
            [inspector("A", there), inspector("B", there), inspector("C", here)],
            the_plan=plan(high=0),
        )
    assert f"本区（{here}）回避后仅有 1 名合格执法人员" in str(caught.value)
    assert "the team needs at least 2" in str(caught.value)
    with pytest.raises(InfeasibleDispatch) as caught:
        run(
            [target],
            [inspector("A", here), inspector("B", here), inspector("C", there)],
            the_plan=plan(low=1),
        )
    # A team wholly from other districts is never lawful ("部分"): no share of 1 can be met.
    assert "no team of 2 has a cross-district share within 1..1" in str(caught.value)


def test_the_plans_load_cap_is_respected_and_reported_when_too_low() -> None:
    ents = [enterprise(n) for n in range(6)]
    staff = [inspector(f"K{n}") for n in range(4)]
    record = run(ents, staff, the_plan=plan(cap=3))
    assert record.load_cap == 3
    assert record.load_cap_source is LoadCapSource.PLAN
    assert max(record.loads().values()) == 3
    with pytest.raises(InfeasibleDispatch) as caught:
        run(ents, staff, the_plan=plan(cap=2))
    assert (
        "the round needs 12 seats; 4 qualified inspectors at a load cap of 2 give at most 8"
        in str(caught.value)
    )


def test_even_spreading_is_the_ceiling_of_seats_over_inspectors_when_that_suffices() -> None:
    ents = [enterprise(n, DISTRICTS[n % 4]) for n in range(40)]
    staff = [inspector(f"K{n:02d}", DISTRICTS[n % 4]) for n in range(24)]
    record = run(ents, staff)
    assert record.load_cap == 4  # ceil(80 / 24)
    assert record.load_cap_source is LoadCapSource.EVEN_SPREADING
    loads = record.loads()
    assert sum(loads.values()) == 80
    assert max(loads.values()) <= 4


def test_even_spreading_rises_to_the_smallest_cap_the_local_minimum_allows() -> None:
    busy, quiet = DISTRICTS[0], DISTRICTS[1]
    # Six enterprises in a district with two inspectors, each team needing one local member:
    # ceil(12 seats / 6 inspectors) = 2 is not enough; each local inspector must serve 3.
    ents = [enterprise(n, busy) for n in range(6)]
    staff = [inspector("B1", busy), inspector("B2", busy)] + [
        inspector(f"Q{n}", quiet) for n in range(4)
    ]
    half = plan(high=Fraction(1, 2))
    record = run(ents, staff, the_plan=half)
    assert record.load_cap == 3
    assert_lawful(record, ents, staff, [], half)
    assert not brute_force(ents, staff, [], half, 2)
    with pytest.raises(InfeasibleDispatch) as caught:
        run(ents, staff, the_plan=attrs.evolve(half, load_cap=2))
    assert f"the 6 enterprises of {busy} need at least 6 seats from their own district" in str(
        caught.value
    )
    assert len(caught.value.blocking) == 6


def test_repair_finds_the_dispatch_the_greedy_pass_misses() -> None:
    # With a tight cap the last enterprises find only inspectors already in their team; the
    # augmenting paths exchange members with earlier teams.
    for seed in map(str, range(30)):
        ents = [enterprise(n, DISTRICTS[n % 3]) for n in range(9)]
        staff = [inspector(f"K{n}", DISTRICTS[n % 3], section=f"科{n % 2}") for n in range(6)]
        the_plan = plan(high=Fraction(1, 2), distinct=True)
        record = run(ents, staff, the_plan=the_plan, seed=seed)
        assert_lawful(record, ents, staff, [], the_plan)
        assert record.load_cap == 3


def test_distinct_sections() -> None:
    staff = [
        inspector("A", section="一科"),
        inspector("B", section="一科"),
        inspector("C", section="二科"),
    ]
    the_plan = plan(distinct=True)
    for seed in map(str, range(10)):
        team = run([enterprise(1)], staff, the_plan=the_plan, seed=seed).teams[0]
        assert "C" in team.members
    with pytest.raises(InfeasibleDispatch) as caught:
        run([enterprise(1)], staff[:2], the_plan=the_plan)
    assert "come from 1 section(s)" in str(caught.value)
    # Without a section an inspector is bound by no section rule.
    assert run([enterprise(1)], [staff[0], inspector("D")], the_plan=the_plan).teams[0].members


def test_a_section_spanning_districts_is_refused_for_distinct_sections() -> None:
    a = inspector("A", section="一科")
    b = attrs.evolve(inspector("B", DISTRICTS[1], section="一科"), department=a.department)
    with pytest.raises(ValidationError) as caught:
        run([enterprise(1)], [a, b, inspector("C")], the_plan=plan(distinct=True))
    assert caught.value.field == "section"
    assert run([enterprise(1)], [a, b, inspector("C")]).teams


def test_the_seed_changes_the_teams() -> None:
    ents = [enterprise(n) for n in range(10)]
    staff = [inspector(f"K{n}") for n in range(10)]
    records = {run(ents, staff, seed=str(s)).teams for s in range(5)}
    assert len(records) == 5


def test_bad_inputs() -> None:
    with pytest.raises(ValidationError, match="missing from the directory"):
        dispatch(
            StubDraw([uscc(1)]), [], [inspector("A")], [], plan(), TIANJIN_HRSS, seed="s", on=DAY
        )
    with pytest.raises(ValidationError, match="appears twice"):
        run([enterprise(1)], [inspector("A"), inspector("A", DISTRICTS[1])])
    with pytest.raises(ValidationError):
        dispatch(
            StubDraw([uscc(1)] * 2),
            [enterprise(1)],
            [inspector("A")],
            [],
            plan(),
            TIANJIN_HRSS,
            seed="s",
            on=DAY,
        )


def test_no_enterprises_no_teams() -> None:
    record = run([], [inspector("A")])
    assert record.teams == ()
    assert record.load_cap == 1


def test_no_qualified_inspector_blocks_every_enterprise_and_says_so() -> None:
    ents = [enterprise(n) for n in range(8)]
    with pytest.raises(InfeasibleDispatch) as caught:
        run(ents, [inspector("A", lines=[Line.SOCIAL_INSURANCE_AUDIT])])
    assert len(caught.value.blocking) == 8
    assert "另有 3 项 / and 3 more" in str(caught.value)


def test_recusal_grounds_by_key_or_identity_number() -> None:
    rid = resident_id(9)
    person = inspector("CERT", resident=rid)
    target = enterprise(3)
    rows = [
        Conflict(inspector=rid, enterprise=target.uscc, ground=ConflictGround.SAME_PERSON),
        Conflict(inspector="NOBODY", enterprise=target.uscc, ground=ConflictGround.RELATIVE),
        Conflict(inspector="CERT", enterprise=uscc(4), ground=ConflictGround.RELATIVE),
    ]
    assert recusal_grounds([person], rows, [target.uscc]) == {
        target.uscc: {"CERT": (ConflictGround.SAME_PERSON,)}
    }


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(instances(), tight_instances()),
    st.integers(1, 3),
    st.randoms(use_true_random=False),
)
def test_repair_completes_any_partial_dispatch_exactly_when_one_exists(
    instance: Instance, cap: int, rng: random.Random
) -> None:
    """Start the repair from a random maximal partial dispatch (not the greedy pass): it must
    still reach a lawful dispatch whenever one exists, by augmenting paths alone."""
    rnd = Round(
        draw_ids=[e.uscc for e in instance.ents],
        enterprises=instance.ents,
        inspectors=instance.staff,
        conflicts=instance.conflicts,
        plan=instance.plan,
        profile=instance.profile,
        seed=instance.seed,
        on=DAY,
    )
    if rnd.omin > rnd.omax:
        return
    # The tightest cap that works, if one does: that is where partial dispatches get stuck.
    feasible_caps = [
        c
        for c in range(1, 5)
        if brute_force(
            instance.ents, instance.staff, instance.conflicts, instance.plan, c, instance.profile
        )
    ]
    if feasible_caps and rng.random() < 0.8:
        cap = feasible_caps[0]
    partial = Run(rnd, cap)
    for e in rng.sample(range(rnd.n_enterprises), rnd.n_enterprises):
        for i in rng.sample(range(rnd.n_inspectors), rnd.n_inspectors):
            if len(partial.team[e]) == rnd.k:
                break
            counts = partial.counts(e)
            c = rnd.cls(e, i)
            sectioned = rnd.distinct and rnd.sec[i] >= 0
            if (
                partial.load[i] < cap
                and i not in partial.team[e]
                and i not in rnd.conf[e]
                and counts[c] < rnd.caps[c]
                and not (sectioned and rnd.sec[i] in partial.used_sections(e))
            ):
                partial._add(e, i)
    blocked = partial.repair(stop_at_first=False)
    exists = brute_force(
        instance.ents, instance.staff, instance.conflicts, instance.plan, cap, instance.profile
    )
    assert (not blocked) == exists
    if exists:
        record = _record(
            rnd,
            partial,
            LoadCapSource.PLAN,
            seed_source="",
            draw_digest="",
            inspectors_digest="",
            conflicts_digest="",
            on=DAY,
        )
        assert_lawful(
            record,
            instance.ents,
            instance.staff,
            instance.conflicts,
            attrs.evolve(instance.plan, load_cap=cap),
            instance.profile,
        )
