"""Verification of draw records and explanations to one enterprise.

Every single change to a record — its seed, one code, one weight, one key… — makes
:func:`verify` fail and name the field changed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from fractions import Fraction
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from randcheck.demo.synthetic import enterprises as synthetic_enterprises
from randcheck.domain import Grade, Line, Plan, RiskFlags, Scope
from randcheck.errors import CommitmentMismatch, InputFileError, ValidationError
from randcheck.profiles import TIANJIN_HRSS
from randcheck.sampling import (
    Commitment,
    DrawOutcome,
    DrawRecord,
    Seed,
    SelectedUnit,
    build_frame,
    commit,
    draw,
    explain,
    verify,
)
from randcheck.sampling._record import read_draw_record
from randcheck.sampling._selection import _threshold
from randcheck.sampling.algorithm import pareto_key, unit_hash

CST = timezone(timedelta(hours=8))
DIRECTORY = list(synthetic_enterprises(600, seed="test-verify"))
PLAN = Plan(
    code="TJ-LS-2027",
    year=2027,
    line=Line.LABOUR_INSPECTION,
    ratio=Fraction(1, 12),
    strata=("district", "grade"),
)
CAPPED = {DIRECTORY[5].uscc: 2}
FRAME = build_frame(DIRECTORY, PLAN, TIANJIN_HRSS, history=CAPPED)
RECORD = draw(
    FRAME,
    commit(FRAME, published=datetime(2027, 3, 2, 9, tzinfo=CST)),
    Seed(value="07 11 19 23 30 + 04", source="双色球", fixed=datetime(2027, 3, 3, 21, tzinfo=CST)),
)
KEYED = next(u for u in RECORD.selected if not u.certainty)


def _with_unit(record: DrawRecord, unit: SelectedUnit, **changes: object) -> DrawRecord:
    selected = tuple(attrs.evolve(u, **changes) if u is unit else u for u in record.selected)
    return attrs.evolve(record, selected=selected)


def test_an_honest_record_verifies_from_the_directory_and_from_the_frame() -> None:
    result = verify(RECORD, DIRECTORY, plan=PLAN, history=CAPPED)
    assert result.ok, result.differences
    assert result.frame_digest == RECORD.commitment.frame_digest
    assert result.digest == RECORD.digest()
    assert result.kind == "draw-record"
    assert "一致" in str(result.summary())
    assert verify(RECORD, FRAME).ok
    assert verify(RECORD, reversed(DIRECTORY), history=CAPPED).ok  # any order


def test_a_forgotten_history_changes_the_frame() -> None:
    result = verify(RECORD, DIRECTORY)
    assert not result.ok
    assert "commitment.digest" in result.paths()
    assert "commitment.cap_reached" in result.paths()
    assert "不一致" in str(result.summary())


def test_a_regraded_enterprise_shows_first_in_the_strata_it_moved_between() -> None:
    moved = next(e for e in DIRECTORY if e.grade == "A" and e.uscc not in CAPPED)
    regraded = [attrs.evolve(e, grade="C") if e is moved else e for e in DIRECTORY]
    result = verify(RECORD, regraded, history=CAPPED)
    paths = result.paths()
    assert paths[0] == "commitment.digest"
    assert "every cut-off and drawn unit below then differs too" in str(result.differences[0])
    first_cutoff = next(i for i, p in enumerate(paths) if p.endswith(".cutoff"))
    moved_from = f"strata[{moved.district}|A].population"
    moved_to = f"strata[{moved.district}|C].population"
    assert paths.index(moved_from) < first_cutoff
    assert paths.index(moved_to) < first_cutoff
    before = {p for p in paths[:first_cutoff] if p.startswith("strata[")}
    assert {p.split("]")[0] for p in before} == {
        f"strata[{moved.district}|A",
        f"strata[{moved.district}|C",
    }


def _mutations() -> dict[str, tuple[Callable[[DrawRecord], DrawRecord], str]]:
    other = next(e for e in DIRECTORY if e.uscc not in RECORD.selected_ids())
    result = RECORD.strata[0]
    assert KEYED.key is not None
    return {
        "seed": (
            lambda r: attrs.evolve(r, seed=attrs.evolve(r.seed, value=r.seed.value + " ")),
            "seed",
        ),
        "one id": (
            lambda r: _with_unit(r, KEYED, uscc=other.uscc),
            f"selected[{other.uscc}].uscc",
        ),
        "one weight": (
            lambda r: _with_unit(r, KEYED, weight=KEYED.weight * 2),
            f"selected[{KEYED.uscc}].weight",
        ),
        "one probability": (
            lambda r: _with_unit(r, KEYED, probability=KEYED.probability / 2),
            f"selected[{KEYED.uscc}].probability",
        ),
        "one key": (
            lambda r: _with_unit(r, KEYED, key=KEYED.key + Fraction(1, 10**30)),  # type: ignore[operator]
            f"selected[{KEYED.uscc}].key",
        ),
        "one hash": (
            lambda r: _with_unit(r, KEYED, hash="0" * 64),
            f"selected[{KEYED.uscc}].hash",
        ),
        "one unit dropped": (
            lambda r: attrs.evolve(r, selected=tuple(u for u in r.selected if u is not KEYED)),
            "selected",
        ),
        "commitment digest": (
            lambda r: attrs.evolve(
                r, commitment=attrs.evolve(r.commitment, frame_digest="sha256:" + "0" * 64)
            ),
            "commitment.digest",
        ),
        "sample size": (
            lambda r: attrs.evolve(
                r,
                strata=(attrs.evolve(result, sample_size=result.sample_size + 1), *r.strata[1:]),
            ),
            f"strata[{result.name}].sample_size",
        ),
        "cut-off": (
            lambda r: attrs.evolve(
                r, strata=(attrs.evolve(result, cutoff=Fraction(1)), *r.strata[1:])
            ),
            f"strata[{result.name}].cutoff",
        ),
        "profile": (lambda r: attrs.evolve(r, profile="cn-xx"), "profile"),
        "plan ratio": (
            lambda r: attrs.evolve(r, parameters=attrs.evolve(r.parameters, ratio=Fraction(1, 11))),
            "parameters",
        ),
        "seed fixed too early": (
            lambda r: attrs.evolve(
                r, seed=attrs.evolve(r.seed, fixed=datetime(2027, 3, 1, tzinfo=CST))
            ),
            "seed.fixed",
        ),
    }


@pytest.mark.parametrize("name", sorted(_mutations()))
def test_a_single_change_fails_and_is_named(name: str) -> None:
    mutate, field = _mutations()[name]
    changed = mutate(RECORD)
    assert changed != RECORD
    result = verify(changed, DIRECTORY, history=CAPPED, profile=TIANJIN_HRSS)
    assert not result.ok
    assert field in result.paths(), result.paths()
    difference = next(d for d in result.differences if d.path == field)
    assert difference.message.zh
    assert difference.message.en
    assert field in str(difference)


def test_a_seed_change_is_named_first_and_blamed_on_the_seed() -> None:
    mutate, _ = _mutations()["seed"]
    result = verify(mutate(RECORD), FRAME)
    assert result.paths()[0] == "seed"


def test_an_unknown_algorithm_is_reported_without_re_running() -> None:
    result = verify(attrs.evolve(RECORD, version=99), FRAME)
    assert result.paths() == ("algorithm",)


def test_a_plan_other_than_the_recorded_one_is_a_difference() -> None:
    other = attrs.evolve(PLAN, ratio=Fraction(1, 5))
    result = verify(RECORD, DIRECTORY, plan=other, history=CAPPED)
    assert "parameters" in result.paths()
    assert not result.ok


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_any_change_to_a_drawn_unit_fails(data: st.DataObject) -> None:
    unit = data.draw(st.sampled_from(RECORD.selected))
    field = data.draw(st.sampled_from(["uscc", "stratum", "weight", "probability", "key"]))
    if field == "uscc":
        value: object = data.draw(
            st.sampled_from([e.uscc for e in DIRECTORY if e.uscc != unit.uscc])
        )
    elif field == "stratum":
        value = data.draw(
            st.sampled_from([s.name for s in RECORD.strata if s.name != unit.stratum])
        )
    else:
        old = getattr(unit, field)
        value = (old if old is not None else Fraction(1)) * data.draw(
            st.fractions(min_value=Fraction(1, 3), max_value=3).filter(lambda f: f != 1)
        )
    assert not verify(_with_unit(RECORD, unit, **{field: value}), FRAME).ok


# --- explain --------------------------------------------------------------------------------


def test_every_enterprise_learns_its_own_outcome() -> None:
    drawn = set(RECORD.selected_ids())
    for enterprise in DIRECTORY:
        checks = CAPPED.get(enterprise.uscc, 0)
        answer = explain(RECORD, enterprise.uscc, enterprise=enterprise, random_checks=checks)
        if checks:
            assert answer.outcome is DrawOutcome.NOT_IN_FRAME
            assert "上限" in answer.zh
            assert not answer.drawn
        else:
            assert answer.drawn == (enterprise.uscc in drawn), answer.text
            assert answer.outcome is not DrawOutcome.INCONSISTENT


def test_a_drawn_enterprise_sees_its_key_below_the_cutoff() -> None:
    answer = explain(RECORD, KEYED.uscc)
    assert answer.outcome is DrawOutcome.DRAWN
    assert answer.key == KEYED.key
    assert answer.cutoff is not None
    assert answer.key is not None
    assert answer.key < answer.cutoff
    assert answer.text.index("被抽中") < answer.text.index("drawn")  # Chinese first
    assert answer.zh in answer.text


def test_an_enterprise_not_drawn_sees_its_key_above_the_cutoff() -> None:
    enterprise = next(
        e for e in DIRECTORY if e.uscc not in RECORD.selected_ids() and e.uscc not in CAPPED
    )
    answer = explain(RECORD, enterprise.uscc, enterprise=enterprise)
    assert answer.outcome is DrawOutcome.NOT_DRAWN
    assert answer.key is not None
    assert answer.cutoff is not None
    assert answer.key >= answer.cutoff
    assert "未被抽中" in answer.zh
    # The same from its stratum and weight alone, without the enterprise record.
    again = explain(
        RECORD,
        enterprise.uscc,
        stratum=answer.stratum,
        weight=TIANJIN_HRSS.weight(enterprise),
    )
    assert again == answer


def test_the_cutoff_holder_is_the_first_not_drawn() -> None:
    result = RECORD.strata[0]
    assert result.cutoff_unit is not None
    holder = next(e for e in DIRECTORY if e.uscc == result.cutoff_unit)
    answer = explain(RECORD, holder.uscc, enterprise=holder)
    assert answer.outcome is DrawOutcome.NOT_DRAWN
    assert answer.key == result.cutoff


def test_out_of_scope_and_certainty_and_empty_samples() -> None:
    scoped = attrs.evolve(
        PLAN, scope=Scope(grades={Grade.A, Grade.B, Grade.C}), ratio=Fraction(1, 2)
    )
    heavy = attrs.evolve(
        DIRECTORY[0],
        grade=Grade.C,
        risk=RiskFlags(complaints_12m=5, abnormal_operations=True, serious_violation=True),
    )
    light = [
        attrs.evolve(e, district=heavy.district, grade=Grade.C, risk=RiskFlags())
        for e in DIRECTORY[1:4]
    ]
    unrated = attrs.evolve(DIRECTORY[4], grade=Grade.UNRATED)
    directory = [heavy, *light, unrated]
    frame = build_frame(directory, scoped, TIANJIN_HRSS)
    record = draw(frame, commit(frame), Seed(value="x", source="y"))
    certain = explain(record, heavy.uscc)
    assert certain.outcome is DrawOutcome.DRAWN_WITH_CERTAINTY
    assert certain.probability == 1
    outside = explain(record, unrated.uscc, enterprise=unrated)
    assert outside.outcome is DrawOutcome.OUT_OF_SCOPE
    assert not outside.drawn

    tiny = attrs.evolve(PLAN, ratio=Fraction(1, 1000))
    frame = build_frame(DIRECTORY[:10], tiny, TIANJIN_HRSS)
    empty = draw(frame, commit(frame), Seed(value="x", source="y"))
    answer = explain(empty, DIRECTORY[0].uscc, enterprise=DIRECTORY[0])
    assert answer.outcome is DrawOutcome.NOT_DRAWN_NO_SAMPLE


def test_explain_needs_the_enterprise_data_for_one_not_drawn() -> None:
    enterprise = next(e for e in DIRECTORY if e.uscc not in RECORD.selected_ids())
    with pytest.raises(ValidationError) as info:
        explain(RECORD, enterprise.uscc)
    assert f"{enterprise.uscc} was not drawn" in info.value.message
    with pytest.raises(ValidationError) as info:
        explain(RECORD, "not-a-code")
    assert "'not-a-code' is not a valid unified social credit code" in info.value.message
    someone_else = next(e for e in DIRECTORY if e.uscc != enterprise.uscc)
    with pytest.raises(ValidationError) as info:
        explain(RECORD, enterprise.uscc, enterprise=someone_else)
    assert info.value.field == "enterprise"


def test_an_explanation_prints_as_its_text() -> None:
    explanation = explain(RECORD, KEYED.uscc)
    assert str(explanation) == explanation.text == f"{explanation.zh}\n{explanation.en}"
    assert KEYED.uscc in str(explanation)


def test_explain_reports_an_inconsistent_record() -> None:
    assert KEYED.key is not None
    forged = _with_unit(RECORD, KEYED, key=KEYED.key * 2)
    answer = explain(forged, KEYED.uscc)
    assert answer.outcome is DrawOutcome.INCONSISTENT
    assert not answer.drawn
    # A unit whose key lies below the cut-off but is missing from the record.
    missing = attrs.evolve(RECORD, selected=tuple(u for u in RECORD.selected if u is not KEYED))
    enterprise = next(e for e in DIRECTORY if e.uscc == KEYED.uscc)
    assert explain(missing, KEYED.uscc, enterprise=enterprise).outcome is DrawOutcome.NOT_IN_FRAME


def test_threshold_admits_exactly_the_keys_up_to_the_bound() -> None:
    lam = Fraction(3, 17)
    p, q = lam.numerator, lam.denominator
    bound = Fraction(5, 7)
    threshold = _threshold(bound.numerator, bound.denominator, p, q)
    limit = int.from_bytes(threshold, "big")
    assert pareto_key(limit, lam) <= bound < pareto_key(limit + 1, lam)
    assert _threshold(0, 1, p, q) == b""  # no key is <= 0
    h = unit_hash("s", "x", DIRECTORY[0].uscc)
    assert (h.to_bytes(32, "big") <= threshold) == (pareto_key(h, lam) <= bound)


@pytest.mark.parametrize(
    ("path", "text"),
    [
        (("parameters", "ratio"), "0.03"),
        (("parameters", "ratio"), "2/24"),
        (("strata", 0, "weight_total"), "5e-1"),
        (("seed", "fixed"), "2027-03-03T21:00:00.000+08:00"),
        (("seed", "fixed"), "2027-03-03 21:00:00+08:00"),
        (("commitment", "published"), "2027-03-02T01:00:00Z"),
    ],
)
def test_a_record_edited_to_another_spelling_does_not_load(
    path: tuple[str | int, ...], text: str
) -> None:
    document = RECORD.to_document()
    parent = document["data"]
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = text
    with pytest.raises(InputFileError) as info:
        DrawRecord.from_document(document)
    fields = [error.field for error in info.value.errors]
    assert fields == ["$.data." + ".".join(str(p) for p in path).replace(".0.", "[0].")]


def _edited(document: dict[str, Any], where: tuple[str | int, ...], value: object) -> None:
    parent = document["data"]
    for key in where[:-1]:
        parent = parent[key]
    if value is _DELETE:
        del parent[where[-1]]
    else:
        parent[where[-1]] = value


_DELETE = object()
_UNIT = ("selected", 3)


def _described(error: Any) -> tuple[object, ...]:
    return (
        type(error),
        error.message,
        error.field,
        error.expected,
        repr(error.got),
        error.location,
    )


@pytest.mark.parametrize(
    ("where", "value"),
    [
        ((), None),
        ((*_UNIT, "uscc"), 91120101),
        ((*_UNIT, "stratum"), None),
        ((*_UNIT, "certainty"), 0),
        ((*_UNIT, "hash"), 7),
        ((*_UNIT, "weight"), "2/2"),
        ((*_UNIT, "weight"), "1"),
        ((*_UNIT, "probability"), "１/12"),
        ((*_UNIT, "probability"), 0.5),
        ((*_UNIT, "key"), "-0/1"),
        ((*_UNIT, "key"), _DELETE),
        ((*_UNIT, "extra"), 1),
        ((*_UNIT, "certainty"), True),
        (_UNIT, "unit"),
        (("selected",), "none"),
        (("seed", "fixed"), "2027-03-03 21:00:00+08:00"),
        (("strata",), []),
    ],
)
def test_a_record_read_for_verification_is_the_one_from_document_reads_or_its_errors(
    where: tuple[str | int, ...], value: object
) -> None:
    document = RECORD.to_document()
    if where:
        _edited(document, where, value)
    try:
        expected: DrawRecord | InputFileError = DrawRecord.from_document(document)
    except InputFileError as exc:
        expected = exc
    if isinstance(expected, InputFileError):
        with pytest.raises(InputFileError) as info:
            read_draw_record(document)
        assert str(info.value) == str(expected)
        errors = [_described(e) for e in info.value.errors]
        assert errors == [_described(e) for e in expected.errors]
        return
    got, text = read_draw_record(document)
    assert got == expected
    assert "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest() == got.digest()


def test_the_published_digest_pins_what_no_re_run_recomputes() -> None:
    published = RECORD.digest()
    assert verify(RECORD, FRAME, published_digest=published).ok
    for forged in (
        attrs.evolve(RECORD, seed=attrs.evolve(RECORD.seed, source="another lottery")),
        attrs.evolve(RECORD, seed=attrs.evolve(RECORD.seed, fixed=None)),
        attrs.evolve(
            RECORD,
            seed=attrs.evolve(RECORD.seed, fixed=datetime(2027, 12, 3, 21, tzinfo=CST)),
        ),
    ):
        assert verify(forged, FRAME).ok
        result = verify(forged, FRAME, published_digest=published)
        assert result.paths() == ("digest",)
        assert result.digest == forged.digest()
        assert result.differences[0].expected == published


def test_a_second_draw_under_the_same_commitment_and_round_is_refused() -> None:
    other = Seed(value="01 02 03 04 05 + 06", source="双色球")
    with pytest.raises(ValidationError, match="redraw") as info:
        draw(FRAME, RECORD.commitment, other, earlier=[RECORD])
    assert info.value.field == "commitment"
    assert info.value.got == RECORD.digest()
    round_two = build_frame(DIRECTORY, PLAN, TIANJIN_HRSS, history=CAPPED, round=2)
    again = draw(round_two, commit(round_two), other, earlier=[RECORD])
    assert again.round == 2


def test_a_version_1_record_stays_verifiable_and_explainable() -> None:
    old = build_frame(DIRECTORY, PLAN, TIANJIN_HRSS, history=CAPPED, version=1)
    record = draw(old, commit(old), RECORD.seed)
    assert record.version == record.commitment.version == 1
    assert record.selected_ids() != RECORD.selected_ids()
    assert verify(record, DIRECTORY, history=CAPPED).ok
    assert verify(record, old, published_digest=record.digest()).ok
    loaded = DrawRecord.from_document(record.to_document())
    assert verify(loaded, old).ok
    unit = next(u for u in record.selected if not u.certainty)
    assert explain(record, unit.uscc).outcome is DrawOutcome.DRAWN
    forged = attrs.evolve(record, version=2)
    assert not verify(forged, DIRECTORY, history=CAPPED).ok


def test_a_path_given_for_the_directory_is_refused_with_what_to_pass_instead() -> None:
    record = draw(FRAME, commit(FRAME), Seed(value="x", source="test"))
    with pytest.raises(TypeError, match="load_enterprises"):
        verify(record, "enterprises.csv", plan=PLAN, profile=TIANJIN_HRSS)  # type: ignore[arg-type]


# --- every refused value of a record, not only the first ----------------------------------------

_CORRUPTIONS: dict[str, tuple[str, Any]] = {
    "$.data.round": ("round", "x"),
    "$.data.digest": ("digest", "sha256:zz"),
    "$.data.eligible": ("eligible", -5),
    "$.data.strata": ("strata", -1),
    "$.data.out_of_scope": ("out_of_scope", "many"),
    "$.data.published": ("published", "2027-03-01T09:00:00"),
}


@given(st.sets(st.sampled_from(sorted(_CORRUPTIONS)), min_size=1))
def test_every_refused_value_of_a_commitment_is_reported_with_its_path(paths: set[str]) -> None:
    document = RECORD.commitment.to_document()
    for path in paths:
        key, value = _CORRUPTIONS[path]
        document["data"][key] = value
    with pytest.raises(InputFileError) as raised:
        Commitment.from_document(document, source="c.json")
    assert sorted(str(error.field) for error in raised.value.errors) == sorted(paths)


def test_a_renamed_field_is_named_by_its_document_key() -> None:
    document = RECORD.commitment.to_document()
    document["data"]["digest"] = "sha256:" + "A" * 64
    with pytest.raises(InputFileError) as raised:
        Commitment.from_document(document)
    [error] = raised.value.errors
    assert error.message.startswith("digest: expected 'sha256:' and 64 lower-case")


def test_both_empty_texts_of_a_seed_are_reported_beside_a_field_that_cannot_be_read() -> None:
    document = RECORD.to_document()
    document["data"]["seed"].update(value="", source="")
    document["data"]["round"] = "first"
    with pytest.raises(InputFileError) as raised:
        DrawRecord.from_document(document)
    assert [(e.field, e.got) for e in raised.value.errors] == [
        ("$.data.round", "first"),
        ("$.data.seed.value", ""),
        ("$.data.seed.source", ""),
    ]
    assert "value: expected a non-empty string" in raised.value.errors[1].message


def test_explain_places_an_enterprise_where_the_committed_frame_placed_it() -> None:
    other = next(
        e for e in DIRECTORY if e.uscc not in RECORD.selected_ids() and e.uscc not in CAPPED
    )
    from_frame = explain(RECORD, other.uscc, frame=FRAME)
    assert from_frame == explain(RECORD, other.uscc, enterprise=other)
    capped = explain(RECORD, DIRECTORY[5].uscc, frame=FRAME)
    assert capped.outcome is DrawOutcome.NOT_IN_FRAME
    # Another frame (another year's caps) is not the one the record was drawn from.
    with pytest.raises(CommitmentMismatch):
        explain(RECORD, other.uscc, frame=build_frame(DIRECTORY, PLAN, TIANJIN_HRSS))


def test_a_stratum_given_that_the_record_has_not_is_refused_with_the_record_s_strata() -> None:
    with pytest.raises(ValidationError) as raised:
        explain(RECORD, DIRECTORY[0].uscc, stratum="火星", weight=Fraction(1))
    assert raised.value.field == "stratum"
    assert RECORD.strata[0].name in raised.value.message


@pytest.mark.parametrize(
    ("call", "said"),
    [
        (lambda: verify("draw.json", DIRECTORY), "verify(): record must be a DrawRecord, got str"),
        (
            lambda: verify(RECORD, DIRECTORY, profile="cn-tj-hrss"),
            "verify(): profile must be a Profile or None, got str",
        ),
        (
            lambda: verify(RECORD, DIRECTORY, plan="plan.json"),
            "verify(): plan must be a Plan, PlanParameters or None, got str",
        ),
        (
            lambda: explain(RECORD, DIRECTORY[0].uscc, frame="frame.json"),
            "explain(): frame must be a Frame or None, got str",
        ),
        (
            lambda: explain("draw.json", DIRECTORY[0].uscc),
            "explain(): record must be a DrawRecord, got str",
        ),
    ],
)
def test_verify_and_explain_name_an_argument_of_the_wrong_type(
    call: Callable[[], object], said: str
) -> None:
    with pytest.raises(TypeError) as raised:
        call()
    assert str(raised.value).startswith(said)


def test_explain_from_a_frame_refuses_to_read_a_record_that_is_not_its_draw() -> None:
    other = next(
        e for e in DIRECTORY if e.uscc not in RECORD.selected_ids() and e.uscc not in CAPPED
    )
    edited = attrs.evolve(RECORD, seed=attrs.evolve(RECORD.seed, value="07 11 19 23 30 + 05"))
    told = explain(edited, other.uscc, frame=FRAME)
    assert told.outcome is DrawOutcome.INCONSISTENT
    assert "does not match the draw re-run on its frame" in told.en
    assert told.key is None
    # Without the frame, the edited record cannot be checked: the answer rests on it.
    assert explain(edited, other.uscc, enterprise=other).outcome is not DrawOutcome.INCONSISTENT


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        ({"stratum": "和平区|A", "weight": "1/2"}, TypeError),
        ({"stratum": "和平区|A", "weight": 0.5}, TypeError),
        ({"stratum": "和平区|A", "weight": Fraction(0)}, ValueError),
        ({"stratum": "和平区|A", "weight": Fraction(1), "random_checks": -1}, ValueError),
        ({"frame": FRAME, "stratum": "和平区|A", "weight": Fraction(1)}, ValueError),
    ],
)
def test_explain_refuses_arguments_it_cannot_use(arguments: dict[str, Any], error: type) -> None:
    uscc = next(e.uscc for e in DIRECTORY if e.uscc not in RECORD.selected_ids())
    with pytest.raises(error, match=r"^explain\(\): "):
        explain(RECORD, uscc, **arguments)


def test_explain_reads_a_code_written_in_lower_case_as_the_command_line_does() -> None:
    other = next(
        e
        for e in DIRECTORY
        if e.uscc not in RECORD.selected_ids() and e.uscc not in CAPPED and e.uscc.lower() != e.uscc
    )
    assert explain(RECORD, other.uscc.lower(), frame=FRAME) == explain(
        RECORD, other.uscc, frame=FRAME
    )


def test_every_refused_value_of_a_drawn_unit_is_reported_with_its_path() -> None:
    document = RECORD.to_document()
    units = document["data"]["selected"]
    units[0]["uscc"] = "123"
    units[1]["weight"] = "-3/1"
    units[2]["probability"] = "5/1"
    keyed = next(i for i, u in enumerate(units) if u["hash"] is not None and i > 2)
    units[keyed]["hash"] = "XYZ"
    with pytest.raises(InputFileError) as raised:
        DrawRecord.from_document(document)
    assert [(e.field, e.got) for e in raised.value.errors] == [
        ("$.data.selected[0].uscc", "123"),
        ("$.data.selected[1].weight", "-3/1"),
        ("$.data.selected[2].probability", "5/1"),
        (f"$.data.selected[{keyed}].hash", "XYZ"),
    ]
