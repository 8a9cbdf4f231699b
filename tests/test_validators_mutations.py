"""Mutation tests: a lawful year stays lawful; one injected violation is reported exactly once.

From a generated lawful ledger (``lawful_ledgers`` in ``test_ledger_strategies.py``), each
mutation breaks one rule in one record, the way a department could; the audit must then report
that rule for that record (as a violation, or a warning where the rule says 原则上) and nothing
else.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from fractions import Fraction

import attrs
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from randcheck.domain import (
    CheckItem,
    CheckItemList,
    Conflict,
    ConflictGround,
    Grade,
    LegalBasis,
    LegalRank,
    Line,
)
from randcheck.ids import resident_id_check_character
from randcheck.ledger import (
    Inspection,
    InspectionKind,
    Ledger,
    PublicationKind,
    Publicity,
    Team,
    UnitWeight,
    list_in_force,
)
from randcheck.profiles import TIANJIN_HRSS, Profile, Severity
from randcheck.validators import RULES, Outcome, audit
from test_ledger_strategies import OTHER, lawful_ledgers

Expected = set[tuple[str, str]]
Mutation = Callable[[Ledger, st.DataObject], tuple[Ledger, Profile, Expected]]

PROFILE = TIANJIN_HRSS
STRICT = attrs.evolve(TIANJIN_HRSS, cap_severity=Severity.VIOLATION)
NOTICED = (Outcome.VIOLATION, Outcome.WARNING)


def lawful_profile(ledger: Ledger) -> Profile:
    """The Tianjin profile with an issue date that makes the whole year valid."""
    return attrs.evolve(TIANJIN_HRSS, issued=date(ledger.year - 1, 1, 1))


def noticed(ledger: Ledger, profile: Profile) -> Expected:
    """(rule, subject) of every violation and warning of the audit."""
    report = audit(ledger, profile)
    return {(f.rule, f.subject) for f in report.findings if f.outcome in NOTICED}


# --- helpers -------------------------------------------------------------------------------


def _put(records: tuple[object, ...], index: int, record: object) -> tuple[object, ...]:
    return (*records[:index], record, *records[index + 1 :])


def _with(ledger: Ledger, section: str, index: int, **changes: object) -> Ledger:
    records = getattr(ledger, section)
    return attrs.evolve(
        ledger, **{section: _put(records, index, attrs.evolve(records[index], **changes))}
    )


def _pick(data: st.DataObject, options: list[tuple[int, object]]) -> tuple[int, object]:
    assert options
    return data.draw(st.sampled_from(options))


def _inspections(
    ledger: Ledger, *, kind: InspectionKind | None = InspectionKind.RANDOM
) -> list[tuple[int, Inspection]]:
    return [
        (i, inspection)
        for i, inspection in enumerate(ledger.inspections)
        if kind is None or inspection.kind is kind
    ]


def _at(index: int) -> str:
    return f"inspections[{index}]"


def _draw_index(ledger: Ledger, draw_id: str | None) -> int:
    return next(d for d, draw in enumerate(ledger.draws) if draw.id == draw_id)


def _dispatch_index(ledger: Ledger, dispatch_id: str | None) -> int:
    return next(k for k, dispatch in enumerate(ledger.dispatches) if dispatch.id == dispatch_id)


def _set_team(ledger: Ledger, i: int, team: tuple[str, ...]) -> Ledger:
    """Give inspection ``i`` a new team, in its dispatch record too."""
    inspection = ledger.inspections[i]
    ledger = _with(ledger, "inspections", i, team=team)
    if inspection.dispatch is None:
        return ledger
    k = _dispatch_index(ledger, inspection.dispatch)
    teams = tuple(
        Team(enterprise=t.enterprise, inspectors=team)
        if t.enterprise == inspection.enterprise
        else t
        for t in ledger.dispatches[k].teams
    )
    return _with(ledger, "dispatches", k, teams=teams)


def _directory_keys(ledger: Ledger) -> list[str]:
    # The last inspector has interests and is kept off every team.
    return [inspector.key for inspector in ledger.inspectors[:-1]]


# --- R-RANDOM ------------------------------------------------------------------------------


def target_not_drawn(ledger: Ledger, data: st.DataObject) -> tuple[Ledger, Profile, Expected]:
    i, inspection = _pick(data, _inspections(ledger))
    d = _draw_index(ledger, inspection.draw)
    selected = tuple(u for u in ledger.draws[d].selected if u != inspection.enterprise)
    return _with(ledger, "draws", d, selected=selected), PROFILE, {("R-RANDOM", _at(i))}


def team_not_dispatched(ledger: Ledger, data: st.DataObject) -> tuple[Ledger, Profile, Expected]:
    i, inspection = _pick(data, _inspections(ledger))
    keys = _directory_keys(ledger)
    other = data.draw(
        st.sampled_from(
            [(a, b) for a in keys for b in keys if a < b and {a, b} != set(inspection.team)]
        )
    )
    k = _dispatch_index(ledger, inspection.dispatch)
    teams = tuple(
        Team(enterprise=t.enterprise, inspectors=other)
        if t.enterprise == inspection.enterprise
        else t
        for t in ledger.dispatches[k].teams
    )
    return _with(ledger, "dispatches", k, teams=teams), PROFILE, {("R-RANDOM", _at(i))}


def hand_picked_target(ledger: Ledger, data: st.DataObject) -> tuple[Ledger, Profile, Expected]:
    i, _ = _pick(data, _inspections(ledger))
    return _with(ledger, "inspections", i, draw=None), PROFILE, {("R-RANDOM", _at(i))}


def hand_picked_team(ledger: Ledger, data: st.DataObject) -> tuple[Ledger, Profile, Expected]:
    i, _ = _pick(data, _inspections(ledger))
    return _with(ledger, "inspections", i, dispatch=None), PROFILE, {("R-RANDOM", _at(i))}


def _commitment_time(ledger: Ledger, d: int, when: object) -> Ledger:
    digest = ledger.draws[d].commitment
    ledger = _with(ledger, "draws", d, commitment_published=when)
    commitments = tuple(
        attrs.evolve(c, published=when) if c.digest == digest else c for c in ledger.commitments
    )
    return attrs.evolve(ledger, commitments=commitments)


def committed_after_seed(ledger: Ledger, data: st.DataObject) -> tuple[Ledger, Profile, Expected]:
    d = data.draw(st.integers(0, len(ledger.draws) - 1))
    fixed = ledger.draws[d].seed_fixed
    assert fixed is not None
    late = fixed + timedelta(minutes=data.draw(st.integers(0, 600)))
    return _commitment_time(ledger, d, late), PROFILE, {("R-RANDOM", f"draws[{d}]")}


def commitment_unpublished(ledger: Ledger, data: st.DataObject) -> tuple[Ledger, Profile, Expected]:
    d = data.draw(st.integers(0, len(ledger.draws) - 1))
    return _commitment_time(ledger, d, None), PROFILE, {("R-RANDOM", f"draws[{d}]")}


def draw_without_plan(ledger: Ledger, data: st.DataObject) -> tuple[Ledger, Profile, Expected]:
    d = data.draw(st.integers(0, len(ledger.draws) - 1))
    mutated = _with(ledger, "draws", d, plan="P-NOWHERE")
    return mutated, PROFILE, {("R-RANDOM", f"draws[{d}]")}


# --- R-TARGETED ----------------------------------------------------------------------------


def targeted_without_ground(
    ledger: Ledger, data: st.DataObject
) -> tuple[Ledger, Profile, Expected]:
    i, _ = _pick(data, _inspections(ledger, kind=InspectionKind.TARGETED))
    return _with(ledger, "inspections", i, ground=None), PROFILE, {("R-TARGETED", _at(i))}


# --- R-CAP and R-ONE-VISIT -----------------------------------------------------------------


def third_random_check(ledger: Ledger, data: st.DataObject) -> tuple[Ledger, Profile, Expected]:
    """Retarget a round-2 inspection to the enterprise already checked in rounds 0 and 1."""
    twice = ledger.enterprises[0].uscc
    last_round = next(d for d in ledger.draws if d.round == 2)
    i, inspection = _pick(
        data,
        [
            (i, x)
            for i, x in _inspections(ledger)
            if x.draw == last_round.id and x.enterprise != twice
        ],
    )
    old = inspection.enterprise
    d = _draw_index(ledger, inspection.draw)
    k = _dispatch_index(ledger, inspection.dispatch)
    selected = tuple(sorted(twice if u == old else u for u in ledger.draws[d].selected))
    teams = tuple(
        sorted(
            (
                Team(enterprise=twice, inspectors=t.inspectors) if t.enterprise == old else t
                for t in ledger.dispatches[k].teams
            ),
            key=lambda t: t.enterprise,
        )
    )
    mutated = _with(ledger, "draws", d, selected=selected)
    mutated = _with(mutated, "dispatches", k, teams=teams)
    mutated = _with(mutated, "inspections", i, enterprise=twice)
    profile = data.draw(st.sampled_from([PROFILE, STRICT]))
    return mutated, profile, {("R-CAP", _at(i))}


def split_joint_visit(ledger: Ledger, data: st.DataObject) -> tuple[Ledger, Profile, Expected]:
    i, _ = _pick(
        data,
        [
            (i, x)
            for i, x in _inspections(ledger)
            if x.joint_visit is not None and Line.SOCIAL_INSURANCE_AUDIT in x.lines
        ],
    )
    mutated = _with(ledger, "inspections", i, joint_visit=None)
    return mutated, PROFILE, {("R-ONE-VISIT", _at(i))}


# --- R-RECUSAL, R-CROSS-DISTRICT, R-INSPECTOR-RECORD -----------------------------------------


def _same_pair(ledger: Ledger, key: str, enterprise: str) -> Expected:
    return {
        ("R-RECUSAL", _at(j))
        for j, x in enumerate(ledger.inspections)
        if key in x.team and x.enterprise == enterprise
    }


def declared_conflict_ignored(
    ledger: Ledger, data: st.DataObject
) -> tuple[Ledger, Profile, Expected]:
    _, inspection = _pick(data, _inspections(ledger, kind=None))
    key = data.draw(st.sampled_from(inspection.team))
    ground = data.draw(st.sampled_from(list(ConflictGround)))
    conflict = Conflict(
        inspector=key, enterprise=inspection.enterprise, ground=ground, note="亲属任职"
    )
    mutated = attrs.evolve(ledger, conflicts=(*ledger.conflicts, conflict))
    return mutated, PROFILE, _same_pair(ledger, key, inspection.enterprise)


def former_employer_on_team(
    ledger: Ledger, data: st.DataObject
) -> tuple[Ledger, Profile, Expected]:
    _, inspection = _pick(data, _inspections(ledger, kind=None))
    key = data.draw(st.sampled_from(inspection.team))
    j = next(j for j, x in enumerate(ledger.inspectors) if x.key == key)
    employers = (*ledger.inspectors[j].former_employers, inspection.enterprise)
    mutated = _with(ledger, "inspectors", j, former_employers=employers)
    return mutated, PROFILE, _same_pair(ledger, key, inspection.enterprise)


def team_from_other_district(
    ledger: Ledger, data: st.DataObject
) -> tuple[Ledger, Profile, Expected]:
    i, _ = _pick(data, _inspections(ledger))
    outsiders = [x.key for x in ledger.inspectors[:-1] if x.district == OTHER]
    pair = tuple(sorted(data.draw(st.permutations(outsiders))[:2]))
    return _set_team(ledger, i, pair), PROFILE, {("R-CROSS-DISTRICT", _at(i))}


def inspector_record_incomplete(
    ledger: Ledger, data: st.DataObject
) -> tuple[Ledger, Profile, Expected]:
    j = data.draw(st.integers(0, len(ledger.inspectors) - 1))
    field = data.draw(st.sampled_from(["name", "department", "post", "phone"]))
    mutated = _with(ledger, "inspectors", j, **{field: ""})
    return mutated, PROFILE, {("R-INSPECTOR-RECORD", f"inspectors[{j}]")}


def stranger_on_team(ledger: Ledger, data: st.DataObject) -> tuple[Ledger, Profile, Expected]:
    i, inspection = _pick(data, _inspections(ledger, kind=None))
    team = tuple(sorted((inspection.team[0], "TJ-LS-9999")))
    return _set_team(ledger, i, team), PROFILE, {("R-INSPECTOR-RECORD", _at(i))}


def certificate_expired(ledger: Ledger, data: st.DataObject) -> tuple[Ledger, Profile, Expected]:
    _, inspection = _pick(data, _inspections(ledger, kind=None))
    key = data.draw(st.sampled_from(inspection.team))
    until = inspection.started - timedelta(days=1)
    j = next(j for j, x in enumerate(ledger.inspectors) if x.key == key)
    mutated = _with(ledger, "inspectors", j, certificate_valid_until=until)
    expected = {
        ("R-INSPECTOR-RECORD", _at(k))
        for k, x in enumerate(ledger.inspections)
        if key in x.team and x.started > until
    }
    return mutated, PROFILE, expected


# --- R-ITEM-FIELDS and R-LEGAL-BASIS -------------------------------------------------------


def item_incomplete(ledger: Ledger, data: st.DataObject) -> tuple[Ledger, Profile, Expected]:
    k = data.draw(st.integers(0, len(ledger.check_item_lists) - 1))
    item_list = ledger.check_item_lists[k]
    j = data.draw(st.integers(0, len(item_list.items) - 1))
    field = data.draw(st.sampled_from(["content", "inspecting_body", "target_type"]))
    item = attrs.evolve(item_list.items[j], **{field: ""})
    mutated = _with(ledger, "check_item_lists", k, items=_put(item_list.items, j, item))
    return mutated, PROFILE, {("R-ITEM-FIELDS", f"check_item_lists[{k}].items[{j}]")}


def item_not_listed(ledger: Ledger, data: st.DataObject) -> tuple[Ledger, Profile, Expected]:
    i, inspection = _pick(data, _inspections(ledger, kind=None))
    items = (*inspection.items, "XX-UNLISTED")
    return _with(ledger, "inspections", i, items=items), PROFILE, {("R-LEGAL-BASIS", _at(i))}


def _with_new_item(ledger: Ledger, i: int, basis: LegalBasis) -> Ledger:
    inspection = ledger.inspections[i]
    line = inspection.lines[0]
    in_force = list_in_force(ledger.check_item_lists, line, inspection.started)
    assert in_force is not None
    k = ledger.check_item_lists.index(in_force)
    item = CheckItem(
        code="XX-NEW",
        line=line,
        content="新增检查内容",
        inspecting_body="市劳动保障监察总队",
        target_type="用人单位",
        bases=(basis,),
    )
    new_list: CheckItemList = attrs.evolve(in_force, items=(*in_force.items, item))
    mutated = attrs.evolve(ledger, check_item_lists=_put(ledger.check_item_lists, k, new_list))
    return _with(mutated, "inspections", i, items=(*inspection.items, "XX-NEW"))


def basis_too_low(ledger: Ledger, data: st.DataObject) -> tuple[Ledger, Profile, Expected]:
    i, _ = _pick(data, _inspections(ledger, kind=None))
    basis = LegalBasis(
        title="关于加强劳动用工管理的通知",
        rank=LegalRank.NORMATIVE_DOCUMENT,
        effective=date(2010, 1, 1),
    )
    return _with_new_item(ledger, i, basis), PROFILE, {("R-LEGAL-BASIS", _at(i))}


def basis_repealed_that_day(
    ledger: Ledger, data: st.DataObject
) -> tuple[Ledger, Profile, Expected]:
    i, inspection = _pick(data, _inspections(ledger, kind=None))
    repealed = inspection.started - timedelta(days=data.draw(st.integers(0, 30)))
    basis = LegalBasis(
        title="天津市劳动用工管理办法",
        rank=LegalRank.RULE,
        effective=date(2000, 1, 1),
        repealed=repealed,
    )
    return _with_new_item(ledger, i, basis), PROFILE, {("R-LEGAL-BASIS", _at(i))}


def basis_not_yet_in_force(ledger: Ledger, data: st.DataObject) -> tuple[Ledger, Profile, Expected]:
    i, inspection = _pick(data, _inspections(ledger, kind=None))
    effective = inspection.started + timedelta(days=data.draw(st.integers(1, 30)))
    basis = LegalBasis(
        title="天津市劳动用工条例", rank=LegalRank.LOCAL_REGULATION, effective=effective
    )
    return _with_new_item(ledger, i, basis), PROFILE, {("R-LEGAL-BASIS", _at(i))}


# --- plans and weights ---------------------------------------------------------------------


def plan_late(ledger: Ledger, data: st.DataObject) -> tuple[Ledger, Profile, Expected]:
    k = data.draw(st.integers(0, len(ledger.plans) - 1))
    late = date(ledger.plans[k].year - 1, 12, data.draw(st.integers(1, 31)))
    mutated = _with(ledger, "plans", k, submitted=late)
    return mutated, PROFILE, {("R-PLAN-DEADLINE", f"plans[{k}]")}


def plan_incomplete(ledger: Ledger, data: st.DataObject) -> tuple[Ledger, Profile, Expected]:
    k = data.draw(st.integers(0, len(ledger.plans) - 1))
    change = data.draw(
        st.sampled_from(
            [
                {"procedure": ""},
                {"inspector_requirements": ""},
                {"ratio": None},
                {"rounds": None},
            ]
        )
    )
    mutated = _with(ledger, "plans", k, **change)
    return mutated, PROFILE, {("R-PLAN-FIELDS", f"plans[{k}]")}


def _weighted_draw(ledger: Ledger, data: st.DataObject) -> int:
    return data.draw(st.sampled_from([d for d, x in enumerate(ledger.draws) if x.weights]))


def _reweigh(ledger: Ledger, d: int, enterprise: str, weight: Fraction) -> Ledger:
    weights = tuple(
        UnitWeight(enterprise=u.enterprise, weight=weight) if u.enterprise == enterprise else u
        for u in ledger.draws[d].weights
    )
    return _with(ledger, "draws", d, weights=weights)


def grade_a_weighed_like_b(ledger: Ledger, data: st.DataObject) -> tuple[Ledger, Profile, Expected]:
    d = _weighted_draw(ledger, data)
    grade_b = ledger.enterprises[2].uscc
    mutated = _reweigh(ledger, d, grade_b, PROFILE.grade_weight(Grade.A))
    return mutated, PROFILE, {("R-GRADE-WEIGHT", f"draws[{d}]")}


def profile_grade_weights_reversed(
    ledger: Ledger, data: st.DataObject
) -> tuple[Ledger, Profile, Expected]:
    weights = data.draw(
        st.sampled_from(
            [
                {Grade.A: 1, Grade.B: 1, Grade.C: 2, Grade.UNRATED: 1},
                {Grade.A: 2, Grade.B: 1, Grade.C: 1, Grade.UNRATED: 1},
                {Grade.A: Fraction(1, 2), Grade.B: 2, Grade.C: 1, Grade.UNRATED: 1},
            ]
        )
    )
    profile = attrs.evolve(PROFILE, grade_weights=weights)
    return ledger, profile, {("R-GRADE-WEIGHT", "profile")}


def risk_lowers_weight(ledger: Ledger, data: st.DataObject) -> tuple[Ledger, Profile, Expected]:
    d = _weighted_draw(ledger, data)
    risky = ledger.enterprises[3].uscc
    mutated = _reweigh(ledger, d, risky, Fraction(data.draw(st.integers(1, 99)), 100))
    return mutated, PROFILE, {("R-RISK-WEIGHT", f"draws[{d}]")}


def profile_risk_multiplier_too_small(
    ledger: Ledger, data: st.DataObject
) -> tuple[Ledger, Profile, Expected]:
    field = data.draw(
        st.sampled_from(["abnormal_multiplier", "serious_multiplier", "key_area_multiplier"])
    )
    value = data.draw(st.sampled_from([Fraction(1, 2), Fraction(1)]))
    profile = attrs.evolve(PROFILE, **{field: value})
    return ledger, profile, {("R-RISK-WEIGHT", "profile")}


# --- follow-up of inspections --------------------------------------------------------------


def disposition_missing(ledger: Ledger, data: st.DataObject) -> tuple[Ledger, Profile, Expected]:
    v = data.draw(st.integers(0, len(ledger.violations) - 1))
    field = data.draw(st.sampled_from(["disposition", "published"]))
    mutated = _with(ledger, "violations", v, **{field: None})
    return mutated, PROFILE, {("R-DISPOSITION", f"violations[{v}]")}


def report_missing(ledger: Ledger, data: st.DataObject) -> tuple[Ledger, Profile, Expected]:
    i, inspection = _pick(data, _inspections(ledger))
    reports = tuple(r for r in ledger.reports if r.inspection != inspection.id)
    return attrs.evolve(ledger, reports=reports), PROFILE, {("R-REPORT", _at(i))}


def report_incomplete(ledger: Ledger, data: st.DataObject) -> tuple[Ledger, Profile, Expected]:
    r = data.draw(st.integers(0, len(ledger.reports) - 1))
    field = data.draw(st.sampled_from(["conclusion", "handling_opinion"]))
    mutated = _with(ledger, "reports", r, **{field: ""})
    return mutated, PROFILE, {("R-REPORT", f"reports[{r}]")}


def publicity_too_short(ledger: Ledger, data: st.DataObject) -> tuple[Ledger, Profile, Expected]:
    p = data.draw(st.integers(0, len(ledger.publicities) - 1))
    period = ledger.publicities[p]
    end = period.start + timedelta(days=data.draw(st.integers(1, 5)))
    mutated = _with(ledger, "publicities", p, end=end)
    return mutated, PROFILE, {("R-PUBLICITY", f"publicities[{p}]")}


def _feedback_under_publicity(ledger: Ledger, data: st.DataObject) -> tuple[int, Publicity]:
    periods = {x: period for period in ledger.publicities for x in period.inspections}
    f = data.draw(
        st.sampled_from([f for f, x in enumerate(ledger.feedback) if x.inspection in periods])
    )
    return f, periods[ledger.feedback[f].inspection]


def feedback_during_publicity(
    ledger: Ledger, data: st.DataObject
) -> tuple[Ledger, Profile, Expected]:
    f, period = _feedback_under_publicity(ledger, data)
    day = data.draw(st.sampled_from(["start-1", "end"]))
    dated = period.start - timedelta(days=1) if day == "start-1" else period.end
    mutated = _with(ledger, "feedback", f, dated=dated)
    return mutated, PROFILE, {("R-PUBLICITY", f"feedback[{f}]")}


def objection_not_reviewed(ledger: Ledger, data: st.DataObject) -> tuple[Ledger, Profile, Expected]:
    o = data.draw(st.integers(0, len(ledger.objections) - 1))
    mutated = _with(ledger, "objections", o, review_finished=None)
    return mutated, PROFILE, {("R-PUBLICITY", f"objections[{o}]")}


def objection_reviewed_after_feedback(
    ledger: Ledger, data: st.DataObject
) -> tuple[Ledger, Profile, Expected]:
    o = data.draw(st.integers(0, len(ledger.objections) - 1))
    objection = ledger.objections[o]
    given = max(f.dated for f in ledger.feedback if f.inspection == objection.inspection)
    late = given + timedelta(days=data.draw(st.integers(1, 10)))
    mutated = _with(ledger, "objections", o, review_finished=late)
    return mutated, PROFILE, {("R-PUBLICITY", f"objections[{o}]")}


def feedback_by_another_unit(
    ledger: Ledger, data: st.DataObject
) -> tuple[Ledger, Profile, Expected]:
    f = data.draw(st.integers(0, len(ledger.feedback) - 1))
    mutated = _with(ledger, "feedback", f, issued_by="市人力社保局办公室")
    return mutated, PROFILE, {("R-FEEDBACK-BY-INSPECTOR", f"feedback[{f}]")}


def feedback_missing(ledger: Ledger, data: st.DataObject) -> tuple[Ledger, Profile, Expected]:
    i, inspection = _pick(data, _inspections(ledger))
    feedback = tuple(f for f in ledger.feedback if f.inspection != inspection.id)
    mutated = attrs.evolve(ledger, feedback=feedback)
    return mutated, PROFILE, {("R-FEEDBACK-BY-INSPECTOR", _at(i))}


# --- R-PUBLIC ------------------------------------------------------------------------------


def plan_unpublished(ledger: Ledger, data: st.DataObject) -> tuple[Ledger, Profile, Expected]:
    k = data.draw(st.integers(0, len(ledger.plans) - 1))
    return _with(ledger, "plans", k, published=None), PROFILE, {("R-PUBLIC", f"plans[{k}]")}


def list_unpublished(ledger: Ledger, data: st.DataObject) -> tuple[Ledger, Profile, Expected]:
    # Only next year's list: a list in force that is unpublished grounds nothing (R-LEGAL-BASIS).
    k = next(k for k, x in enumerate(ledger.check_item_lists) if x.effective.year > ledger.year)
    mutated = _with(ledger, "check_item_lists", k, published=None)
    return mutated, PROFILE, {("R-PUBLIC", f"check_item_lists[{k}]")}


def draw_unpublished(ledger: Ledger, data: st.DataObject) -> tuple[Ledger, Profile, Expected]:
    d = data.draw(st.integers(0, len(ledger.draws) - 1))
    draw_id = ledger.draws[d].id
    publications = tuple(
        attrs.evolve(p, subjects=tuple(s for s in p.subjects if s != draw_id))
        if p.kind is PublicationKind.DRAW
        else p
        for p in ledger.publications
    )
    mutated = attrs.evolve(ledger, publications=publications)
    return mutated, PROFILE, {("R-PUBLIC", f"draws[{d}]")}


def results_unpublished(ledger: Ledger, data: st.DataObject) -> tuple[Ledger, Profile, Expected]:
    i, inspection = _pick(data, _inspections(ledger))
    publicities = tuple(
        attrs.evolve(p, inspections=tuple(x for x in p.inspections if x != inspection.id))
        for p in ledger.publicities
        if p.inspections != (inspection.id,)
    )
    publications = tuple(
        attrs.evolve(p, subjects=tuple(s for s in p.subjects if s != inspection.id))
        if p.kind is PublicationKind.RESULTS
        else p
        for p in ledger.publications
    )
    mutated = attrs.evolve(ledger, publicities=publicities, publications=publications)
    return mutated, PROFILE, {("R-PUBLIC", _at(i))}


_ID_BODY = "12010119900307002"
UNMASKED_ID = _ID_BODY + resident_id_check_character(_ID_BODY)


def personal_data_published(
    ledger: Ledger, data: st.DataObject
) -> tuple[Ledger, Profile, Expected]:
    leak = data.draw(
        st.sampled_from([f"手机 138{data.draw(st.integers(0, 99999999)):08d}", UNMASKED_ID])
    )
    if data.draw(st.booleans()):
        p = data.draw(st.integers(0, len(ledger.publications) - 1))
        text = ledger.publications[p].text + f"，检查人员联系方式：{leak}"
        return (
            _with(ledger, "publications", p, text=text),
            PROFILE,
            {("R-PUBLIC", f"publications[{p}]")},
        )
    p = data.draw(st.integers(0, len(ledger.publicities) - 1))
    text = ledger.publicities[p].text + f"，检查人员联系方式：{leak}"
    return _with(ledger, "publicities", p, text=text), PROFILE, {("R-PUBLIC", f"publicities[{p}]")}


# --- R-RULES-VALID -------------------------------------------------------------------------


def rules_expired(ledger: Ledger, data: st.DataObject) -> tuple[Ledger, Profile, Expected]:
    """Rules issued two years before the last inspection day expire the day before it."""
    last = max(x.started for x in ledger.inspections)
    profile = attrs.evolve(PROFILE, issued=last - relativedelta(years=2))
    expected = {
        ("R-RULES-VALID", _at(i)) for i, x in enumerate(ledger.inspections) if x.started == last
    }
    return ledger, profile, expected


MUTATIONS: dict[str, tuple[str, Mutation]] = {
    "target-not-drawn": ("R-RANDOM", target_not_drawn),
    "team-not-dispatched": ("R-RANDOM", team_not_dispatched),
    "hand-picked-target": ("R-RANDOM", hand_picked_target),
    "hand-picked-team": ("R-RANDOM", hand_picked_team),
    "committed-after-seed": ("R-RANDOM", committed_after_seed),
    "commitment-unpublished": ("R-RANDOM", commitment_unpublished),
    "draw-without-plan": ("R-RANDOM", draw_without_plan),
    "feedback-by-another-unit": ("R-FEEDBACK-BY-INSPECTOR", feedback_by_another_unit),
    "feedback-missing": ("R-FEEDBACK-BY-INSPECTOR", feedback_missing),
    "plan-unpublished": ("R-PUBLIC", plan_unpublished),
    "list-unpublished": ("R-PUBLIC", list_unpublished),
    "draw-unpublished": ("R-PUBLIC", draw_unpublished),
    "results-unpublished": ("R-PUBLIC", results_unpublished),
    "personal-data-published": ("R-PUBLIC", personal_data_published),
    "item-incomplete": ("R-ITEM-FIELDS", item_incomplete),
    "item-not-listed": ("R-LEGAL-BASIS", item_not_listed),
    "basis-too-low": ("R-LEGAL-BASIS", basis_too_low),
    "basis-repealed": ("R-LEGAL-BASIS", basis_repealed_that_day),
    "basis-not-yet-in-force": ("R-LEGAL-BASIS", basis_not_yet_in_force),
    "inspector-record-incomplete": ("R-INSPECTOR-RECORD", inspector_record_incomplete),
    "stranger-on-team": ("R-INSPECTOR-RECORD", stranger_on_team),
    "certificate-expired": ("R-INSPECTOR-RECORD", certificate_expired),
    "plan-late": ("R-PLAN-DEADLINE", plan_late),
    "plan-incomplete": ("R-PLAN-FIELDS", plan_incomplete),
    "grade-a-weighed-like-b": ("R-GRADE-WEIGHT", grade_a_weighed_like_b),
    "profile-grade-weights": ("R-GRADE-WEIGHT", profile_grade_weights_reversed),
    "targeted-without-ground": ("R-TARGETED", targeted_without_ground),
    "declared-conflict-ignored": ("R-RECUSAL", declared_conflict_ignored),
    "former-employer-on-team": ("R-RECUSAL", former_employer_on_team),
    "third-random-check": ("R-CAP", third_random_check),
    "team-from-other-district": ("R-CROSS-DISTRICT", team_from_other_district),
    "split-joint-visit": ("R-ONE-VISIT", split_joint_visit),
    "risk-lowers-weight": ("R-RISK-WEIGHT", risk_lowers_weight),
    "profile-risk-multiplier": ("R-RISK-WEIGHT", profile_risk_multiplier_too_small),
    "disposition-missing": ("R-DISPOSITION", disposition_missing),
    "report-missing": ("R-REPORT", report_missing),
    "report-incomplete": ("R-REPORT", report_incomplete),
    "publicity-too-short": ("R-PUBLICITY", publicity_too_short),
    "feedback-during-publicity": ("R-PUBLICITY", feedback_during_publicity),
    "objection-not-reviewed": ("R-PUBLICITY", objection_not_reviewed),
    "objection-reviewed-after-feedback": ("R-PUBLICITY", objection_reviewed_after_feedback),
    "rules-expired": ("R-RULES-VALID", rules_expired),
}

_SETTINGS = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def test_every_rule_has_a_mutation() -> None:
    assert {rule for rule, _ in MUTATIONS.values()} == set(RULES)


@_SETTINGS
@given(lawful_ledgers())
def test_lawful_year_has_no_violation_warning_or_unknown(ledger: Ledger) -> None:
    report = audit(ledger, lawful_profile(ledger))
    assert report.ok
    assert report.count(outcome=Outcome.WARNING) == 0
    assert report.count(outcome=Outcome.UNKNOWN) == 0
    assert report.count(outcome=Outcome.PASS) > len(ledger.inspections)
    report.raise_if_violations()


@_SETTINGS
@given(lawful_ledgers())
def test_lawful_year_under_the_default_profile_is_ok(ledger: Ledger) -> None:
    # Without an issue date only R-RULES-VALID is unknown.
    report = audit(ledger, TIANJIN_HRSS)
    assert report.ok
    assert {(f.rule, f.outcome) for f in report.findings} == {("R-RULES-VALID", Outcome.UNKNOWN)}


@pytest.mark.parametrize("name", sorted(MUTATIONS))
@_SETTINGS
@given(ledger=lawful_ledgers(), data=st.data())
def test_one_injected_violation_is_reported_for_exactly_its_record(
    name: str, ledger: Ledger, data: st.DataObject
) -> None:
    rule, mutate = MUTATIONS[name]
    mutated, profile, expected = mutate(ledger, data)
    assert expected
    assert {r for r, _ in expected} == {rule}
    assert noticed(mutated, profile) == expected


@_SETTINGS
@given(ledger=lawful_ledgers(), data=st.data())
def test_third_check_is_a_violation_under_a_strict_profile(
    ledger: Ledger, data: st.DataObject
) -> None:
    mutated, _, expected = third_random_check(ledger, data)
    report = audit(mutated, STRICT)
    assert {(f.rule, f.subject) for f in report.violations} == expected
    default = audit(mutated, TIANJIN_HRSS)
    assert default.ok
    assert {(f.rule, f.subject) for f in default.warnings} == expected
