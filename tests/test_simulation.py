"""The simulated year: lawful for several seeds, deterministic, and shaped as the rules say.

Years are small (600 to 2,000 enterprises) so that each test takes well under a second.
"""

from __future__ import annotations

import ast
import inspect
from datetime import date
from functools import cache

import attrs
import pytest

from randcheck import canonical, dispatch, sampling
from randcheck.demo import planting, simulation
from randcheck.demo.simulation import (
    JOINT,
    LABOUR_1,
    LABOUR_2,
    SOCIAL,
    STEPS,
    SimulatedYear,
    demo_directory,
    simulate,
    simulate_year,
)
from randcheck.errors import ValidationError
from randcheck.ids import find_unmasked_personal_data
from randcheck.ledger import (
    DispatchEntry,
    DrawEntry,
    Inspection,
    InspectionKind,
    Ledger,
    PublicationKind,
    TargetedGround,
)
from randcheck.profiles import TIANJIN_HRSS, Profile
from randcheck.validators import Outcome, audit

pytestmark = pytest.mark.slow


@cache
def year_of(seed: str, enterprises: int = 1_000) -> SimulatedYear:
    return simulate(seed=seed, enterprises=enterprises, inspectors=200)


def lawful_profile(ledger: Ledger) -> Profile:
    """The Tianjin profile with an issue date that makes the whole year valid."""
    return attrs.evolve(TIANJIN_HRSS, issued=date(ledger.year - 1, 1, 1))


def ledger_json(ledger: Ledger) -> str:
    return canonical.canonical_json(ledger.to_document())


@pytest.mark.parametrize("seed", ["randcheck-demo", "津", "2027-03-25 福彩3D 517", "s4"])
def test_the_year_is_lawful(seed: str) -> None:
    year = year_of(seed)
    ledger = year.ledger
    report = audit(ledger, lawful_profile(ledger), calendar=year.calendar)
    assert report.ok
    assert report.count(outcome=Outcome.WARNING) == 0
    assert report.count(outcome=Outcome.UNKNOWN) == 0
    assert report.count(outcome=Outcome.PASS) > len(ledger.inspections)
    # Under the profile as registered (no issue date) only R-RULES-VALID is unknown.
    default = audit(ledger, TIANJIN_HRSS, calendar=year.calendar)
    assert {(f.rule, f.outcome) for f in default.findings} == {("R-RULES-VALID", Outcome.UNKNOWN)}
    # Without holiday data the civil-code counting of Art. 14 cannot be judged: never a guess.
    blind = audit(ledger, lawful_profile(ledger))
    assert blind.count("R-PUBLICITY", Outcome.UNKNOWN) > 0
    assert blind.count("R-PUBLICITY", Outcome.VIOLATION) == 0


def test_every_rule_applies_to_something() -> None:
    year = year_of("randcheck-demo")
    report = audit(year.ledger, TIANJIN_HRSS, calendar=year.calendar)
    not_applicable = {
        rule for rule, per in report.counts.items() if per[Outcome.NOT_APPLICABLE] > 0
    }
    assert not_applicable == set()
    assert all(
        per[Outcome.PASS] > 0 for rule, per in report.counts.items() if rule != "R-RULES-VALID"
    )


def test_same_seed_same_year_byte_for_byte() -> None:
    first = simulate(seed="same", enterprises=600, inspectors=120)
    second = simulate(seed="same", enterprises=600, inspectors=120)
    assert ledger_json(first.ledger) == ledger_json(second.ledger)
    assert [s.record.digest() for s in first.steps] == [s.record.digest() for s in second.steps]


def test_different_seeds_differ() -> None:
    one, other = year_of("one", 600), year_of("other", 600)
    assert ledger_json(one.ledger) != ledger_json(other.ledger)
    assert one.step(LABOUR_1).record.selected_ids() != other.step(LABOUR_1).record.selected_ids()


def test_no_stdlib_randomness_in_the_simulation_or_the_planting() -> None:
    for module in (simulation, planting):
        tree = ast.parse(inspect.getsource(module))
        imported = {
            alias.name.split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.Import | ast.ImportFrom)
            for alias in node.names
        } | {
            (node.module or "").split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom)
        }
        assert not imported & {"random", "secrets", "numpy", "uuid"}


def test_four_draws_each_committed_before_its_seed_and_staffed() -> None:
    year = year_of("randcheck-demo")
    assert tuple(step.key for step in year.steps) == STEPS
    for step in year.steps:
        published, fixed = step.commitment.published, step.record.seed.fixed
        assert published is not None
        assert fixed is not None
        assert published < fixed
        assert fixed.date() < step.window.start
        assert step.record.commitment == step.commitment
        assert step.dispatch.draw_digest == step.record.digest()
        assert {t.enterprise for t in step.dispatch.current_teams()} == set(
            step.record.selected_ids()
        )


def test_records_verify_against_their_inputs() -> None:
    year = year_of("randcheck-demo")
    directory = year.directory
    for step in year.steps:
        result = sampling.verify(step.record, step.population, history=step.history)
        assert result.ok, result.differences
        assert step.dispatch.algorithm == dispatch.POOL_DISPATCH_VERSION
        assert step.pool == dispatch.commit_pool(
            step.record,
            directory.inspectors,
            directory.conflicts,
            step.plan,
            on=step.dispatch.inspection_date,
            published=step.pool.published,
        )
        checked = dispatch.verify_from_pool(
            step.dispatch, step.record, step.population, step.pool, step.plan, TIANJIN_HRSS
        )
        assert checked.ok, checked.differences


def test_ledger_holds_the_records_as_the_audit_reads_them() -> None:
    year = year_of("randcheck-demo")
    ledger = year.ledger
    assert ledger.draws == tuple(DrawEntry.from_record(s.record) for s in year.steps)
    assert ledger.dispatches == tuple(DispatchEntry.from_record(s.dispatch) for s in year.steps)
    drawn = {code for s in year.steps for code in s.record.selected_ids()}
    assert drawn <= {e.uscc for e in ledger.enterprises}
    for inspection in ledger.inspections:
        if inspection.kind is InspectionKind.RANDOM:
            entry = next(d for d in ledger.draws if d.id == inspection.draw)
            assert inspection.enterprise in entry.selected


def test_second_round_respects_the_cap_with_the_history() -> None:
    year = year_of("randcheck-demo", 2_000)
    second = year.step(LABOUR_2)
    before = [
        x
        for x in year.ledger.inspections
        if x.kind is InspectionKind.RANDOM and x.started < second.window.start
    ]
    counts = sampling.random_checks_in_year(before, year.directory.year)
    assert second.history == counts
    at_cap = {code for code, n in counts.items() if n >= TIANJIN_HRSS.cap_per_year}
    assert at_cap, "a year of 2,000 enterprises has enterprises drawn twice before round 2"
    assert {u.uscc for u in second.frame.cap_reached} == at_cap
    assert not at_cap & set(second.record.selected_ids())
    # The social round had the history of round 1 and its joint visits (counted once).
    assert year.step(SOCIAL).history == sampling.random_checks_in_year(
        [x for x in before if x.started < year.step(SOCIAL).window.start], year.directory.year
    )


def test_joint_visits_cover_two_items_of_two_lines_on_one_day() -> None:
    year = year_of("randcheck-demo")
    joint = year.step(JOINT)
    assert set(joint.record.selected_ids()) <= set(year.step(LABOUR_1).record.selected_ids())
    by_visit: dict[str, list[Inspection]] = {}
    for x in year.ledger.inspections:
        if x.joint_visit is not None:
            by_visit.setdefault(x.joint_visit, []).append(x)
    assert len(by_visit) == joint.record.sample_size >= 1
    for members in by_visit.values():
        assert len(members) == 2
        first, second = members
        assert first.enterprise == second.enterprise
        assert first.started == second.started
        assert {line for x in members for line in x.lines} == {
            joint.plan.line,
            year.directory.labour_plan.line,
        }


def test_targeted_inspections_on_complaints_with_their_ground() -> None:
    ledger = year_of("randcheck-demo").ledger
    targeted = [x for x in ledger.inspections if x.kind is InspectionKind.TARGETED]
    assert 1 <= len(targeted) <= 3
    enterprises = {e.uscc: e for e in ledger.enterprises}
    for x in targeted:
        assert x.ground == TargetedGround.COMPLAINT_REPORT
        assert x.ground_reference
        assert x.draw is None
        assert enterprises[x.enterprise].risk.complaints_12m >= 1


def test_publicity_objections_and_feedback_in_order() -> None:
    ledger = year_of("randcheck-demo").ledger
    covering = {x: p for p in ledger.publicities for x in p.inspections}
    feedback = {f.inspection: f for f in ledger.feedback}
    units = {x.id: x.unit for x in ledger.inspections}
    for period in ledger.publicities:
        assert (period.end - period.start).days + 1 >= TIANJIN_HRSS.publicity_min_days
    for inspection, f in feedback.items():
        assert f.issued_by == units[inspection]
        if inspection in covering:
            assert f.dated > covering[inspection].end
    assert ledger.objections
    for objection in ledger.objections:
        period = covering[objection.inspection]
        assert period.start <= objection.opened <= period.end
        assert objection.review_finished is not None
        assert objection.review_finished < feedback[objection.inspection].dated


def test_plans_lists_and_publications() -> None:
    year = year_of("randcheck-demo")
    ledger = year.ledger
    for plan in ledger.plans:
        assert plan.submitted is not None
        assert plan.submitted <= date(plan.year - 1, 11, 30)
        assert plan.published is not None
    kinds = {p.kind for p in ledger.publications}
    assert kinds == set(PublicationKind)
    draws = {s for p in ledger.publications if p.kind is PublicationKind.DRAW for s in p.subjects}
    assert draws == {d.id for d in ledger.draws}
    assert any(x.effective.year > ledger.year for x in ledger.check_item_lists)
    for publication in ledger.publications:
        assert find_unmasked_personal_data(publication.text) == []
    masked = [p for p in ledger.publications if p.kind is PublicationKind.RESULTS]
    ids = [x.resident_id for x in year.directory.inspectors if x.resident_id is not None]
    assert ids
    assert not any(code in p.text for p in masked for code in ids)


def test_a_seed_that_looks_like_a_phone_number_is_masked_when_published() -> None:
    ledger = simulate(seed="13812345678", enterprises=300, inspectors=80).ledger
    report = audit(ledger, TIANJIN_HRSS)
    assert report.ok
    assert all(
        "13812345678" not in p.text for p in ledger.publications if p.kind is PublicationKind.DRAW
    )


def test_progress_is_told_each_stage() -> None:
    seen: list[str] = []
    simulate_year(demo_directory(seed="p", enterprises=300, inspectors=80), progress=seen.append)
    assert seen == [*STEPS, "ledger"]


@pytest.mark.parametrize(
    ("field", "value"),
    [("enterprises", 199), ("inspectors", 59), ("year", 1999), ("seed", ""), ("enterprises", True)],
)
def test_directory_rejects_what_cannot_make_a_year(field: str, value: object) -> None:
    with pytest.raises(ValidationError) as caught:
        demo_directory(**{field: value})  # type: ignore[arg-type]
    assert caught.value.field == field
