"""The sampling frame, allocation, selection and draw record (Art. 2, 9, 10, 12).

Selection is checked against a brute-force reference that computes every key as a Fraction
and sorts: the fast path (byte thresholds, pruning, the first bound) must give exactly the
same units, keys and cut-offs.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import subprocess
import sys
import warnings
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import randcheck.sampling._selection as selection_module
from randcheck.canonical import canonical_json
from randcheck.demo.synthetic import enterprises as synthetic_enterprises
from randcheck.domain import Enterprise, Grade, Line, Plan, RiskFlags, Scope
from randcheck.errors import CommitmentMismatch, ValidationError
from randcheck.hashing import hash_fields
from randcheck.profiles import TIANJIN_HRSS
from randcheck.sampling import (
    ALGORITHM,
    CappedUnit,
    DrawRecord,
    ExclusionReason,
    Frame,
    FrameStratum,
    FrameUnit,
    GradePreferenceCancelledWarning,
    PlanParameters,
    Seed,
    build_frame,
    commit,
    draw,
    expected_drawn,
    inclusion_probabilities,
    random_checks_in_year,
)
from randcheck.sampling.algorithm import (
    DRAW_PURPOSE,
    HASH_TAG,
    Allocation,
    WeightClass,
    allocate,
    draw_strata,
    pareto_key,
    round_half_up,
    sample_size,
    select_stratum,
    stratum_name,
    unit_hash,
)

POOL = list(synthetic_enterprises(400, seed="test-sampling"))
CST = timezone(timedelta(hours=8))


def plan(**changes: object) -> Plan:
    base = Plan(
        code="TJ-LS-2027",
        year=2027,
        line=Line.LABOUR_INSPECTION,
        ratio=Fraction(1, 10),
        strata=("district",),
    )
    return attrs.evolve(base, **changes)


def seed(value: str = "03 17 22 28 31 + 09") -> Seed:
    return Seed(value=value, source="双色球 2027-03-03")


def run(directory: list[Enterprise], the_plan: Plan, value: str = "s", **kw: object) -> DrawRecord:
    frame = build_frame(directory, the_plan, TIANJIN_HRSS, **kw)  # type: ignore[arg-type]
    return draw(frame, commit(frame), seed(value))


# --- reference ------------------------------------------------------------------------------


def reference(
    stratum: FrameStratum, allocation: Allocation, seed_value: str
) -> tuple[list[tuple[str, Fraction]], list[tuple[Fraction, str]], tuple[Fraction, str] | None]:
    """Certainty units, drawn (key, code) and cut-off by sorting every exact key."""
    certain = [
        (code, c.weight)
        for c in stratum.classes
        if allocation.is_certain(c.weight)
        for code in c.units
    ]

    def key(code: str, weight: Fraction) -> Fraction:
        return pareto_key(unit_hash(seed_value, stratum.name, code), allocation.probability(weight))

    keys = sorted(
        (key(code, c.weight), code)
        for c in stratum.classes
        if not allocation.is_certain(c.weight) and allocation.residual_size > 0
        for code in c.units
    )
    wanted = allocation.residual_size
    if wanted == 0:
        return certain, [], None
    return certain, keys[:wanted], keys[wanted]


# --- strata, history ------------------------------------------------------------------------


def test_stratum_name_joins_values_in_plan_order() -> None:
    e = attrs.evolve(POOL[0], district="和平区", grade=Grade.A, industry="制造业")
    assert stratum_name(("district", "grade"), e) == "和平区|A"
    assert stratum_name(("grade", "district"), e) == "A|和平区"
    assert stratum_name(("grade",), attrs.evolve(e, grade=Grade.UNRATED)) == "unrated"
    assert stratum_name(("industry",), e) == "制造业"
    assert stratum_name((), e) == ""


def test_a_separator_inside_a_stratum_value_is_refused() -> None:
    e = attrs.evolve(POOL[0], district="和平|区")
    with pytest.raises(ValidationError) as info:
        stratum_name(("district",), e)
    assert info.value.field == "district"


@dataclass(frozen=True)
class Visit:
    enterprise: str
    started: date
    is_random: bool = True
    joint_visit: str | None = None


def test_history_counts_random_visits_of_the_year_only() -> None:
    a, b = POOL[0].uscc, POOL[1].uscc
    history = [
        Visit(a, date(2027, 3, 1)),
        Visit(a, date(2027, 5, 1), joint_visit="J1"),
        Visit(a, date(2027, 5, 1), joint_visit="J1"),  # same joint visit: counts once
        Visit(a, date(2027, 6, 1), is_random=False),  # targeted: R-TARGETED, not counted
        Visit(b, date(2026, 12, 31)),  # last year
        Visit(b, date(2027, 1, 2)),
    ]
    assert random_checks_in_year(history, 2027) == {a: 2, b: 1}
    assert random_checks_in_year({a: 3}, 2027) == {a: 3}
    assert random_checks_in_year(None, 2027) == {}
    with pytest.raises(ValidationError):
        random_checks_in_year({a: -1}, 2027)


# --- frame ----------------------------------------------------------------------------------


def test_frame_places_every_enterprise_once_with_reason() -> None:
    directory = POOL[:200]
    in_scope = sorted({e.district for e in directory})[:3]
    the_plan = plan(scope=Scope(districts=in_scope))
    capped = next(e for e in directory if e.district in in_scope)
    below = next(e for e in directory if e.district in in_scope and e is not capped)
    outside = next(e for e in directory if e.district not in in_scope)
    history = {capped.uscc: 2, below.uscc: 1, outside.uscc: 5}
    frame = build_frame(directory, the_plan, TIANJIN_HRSS, history=history)

    units = {u.uscc: u for u in frame.units()}
    excluded = {x.uscc: x for x in frame.exclusions()}
    assert len(units) + len(excluded) == len(directory)
    assert excluded[capped.uscc].reason is ExclusionReason.CAP_REACHED
    assert excluded[capped.uscc].random_checks == 2
    assert "已达上限" in excluded[capped.uscc].text
    # Out of scope is decided first, whatever the history says.
    assert excluded[outside.uscc].reason is ExclusionReason.OUT_OF_SCOPE
    assert below.uscc in units
    for e in directory:
        if e.uscc in units:
            assert units[e.uscc].weight == TIANJIN_HRSS.weight(e)
            assert units[e.uscc].stratum == e.district
            assert frame.find(e.uscc) == units[e.uscc]
        else:
            assert frame.find(e.uscc) == excluded[e.uscc]
    assert frame.find("91120101MA05L8XH4A") is None
    assert frame.population == len(units)


def test_capped_and_out_of_scope_enterprises_are_never_drawn() -> None:
    directory = POOL[:120]
    the_plan = plan(ratio=Fraction(1), scope=Scope(grades={Grade.A, Grade.B}))
    capped = {e.uscc: 2 for e in directory[:30]}
    record = run(directory, the_plan, history=capped)
    drawn = set(record.selected_ids())
    expected = {e.uscc for e in directory if e.grade in (Grade.A, Grade.B) and e.uscc not in capped}
    # Ratio 1 takes every eligible enterprise, and nothing else.
    assert drawn == expected


def test_duplicate_codes_are_refused() -> None:
    twin = attrs.evolve(POOL[1], uscc=POOL[0].uscc, district="河西区")
    with pytest.raises(ValidationError) as info:
        build_frame([POOL[0], twin], plan(), TIANJIN_HRSS)
    assert POOL[0].uscc in str(info.value)
    with pytest.raises(ValidationError):
        build_frame([POOL[0], POOL[0]], plan(), TIANJIN_HRSS)


def test_frame_document_is_canonical_and_its_sha256_is_the_digest() -> None:
    the_plan = plan(strata=("district", "grade"), scope=Scope(grades={Grade.A, Grade.B, Grade.C}))
    frame = build_frame(POOL[:150], the_plan, TIANJIN_HRSS, history={POOL[0].uscc: 2})
    text = frame.to_json()
    assert canonical_json(json.loads(text)) == text
    assert canonical_json(frame.to_document()) == text
    assert frame.digest() == "sha256:" + hashlib.sha256(text.encode()).hexdigest()
    again = Frame.from_document(json.loads(text))
    assert again == frame
    assert again.digest() == frame.digest()
    data = json.loads(text)["data"]
    assert data["algorithm"] == ALGORITHM
    assert data["counts"]["eligible"] == frame.population


def test_frame_from_document_refuses_bad_documents() -> None:
    frame = build_frame(POOL[:20], plan(), TIANJIN_HRSS)
    document = json.loads(frame.to_json())
    for change, field in (
        (lambda d: d.update(kind="draw-record"), "kind"),
        (lambda d: d.update(schema=99), "schema"),
        (lambda d: d["data"]["counts"].update(eligible=1), "counts"),
        (lambda d: d["data"].update(version=3), "algorithm"),
        (lambda d: d["data"]["strata"][0]["classes"][0]["units"].append("bad"), "uscc"),
        (lambda d: d["data"].pop("profile"), "$.data.profile"),
    ):
        broken = json.loads(json.dumps(document))
        change(broken)
        with pytest.raises(ValidationError) as info:
            Frame.from_document(broken, source="frame.json")
        assert info.value.field == field
        assert info.value.location is not None
        assert info.value.location.file == "frame.json"
    with pytest.raises(ValidationError):
        Frame.from_document("not a document")
    with pytest.raises(ValidationError):
        Frame.from_document([])


def test_weight_class_holds_sorted_unique_codes() -> None:
    codes = [e.uscc for e in POOL[:5]]
    wc = WeightClass.of(Fraction(1, 2), reversed(codes))
    assert wc.units == tuple(sorted(codes))
    assert wc.size == 5
    assert all(wc.contains(c) for c in codes)
    assert not wc.contains(POOL[6].uscc)
    assert not wc.contains("short")
    assert "size=5" in repr(wc)
    with pytest.raises(ValidationError):
        WeightClass.of(Fraction(1), [codes[0], codes[0]])
    with pytest.raises(ValidationError):
        WeightClass.of(Fraction(1), [codes[0][:17]])
    with pytest.raises(ValidationError):
        WeightClass.of(Fraction(1), ["9112010" + "天" * 11])
    with pytest.raises(ValidationError):
        WeightClass.of(Fraction(1), [codes[0] + "\n" + codes[1]])
    with pytest.raises(ValidationError):
        WeightClass.of(Fraction(1), [])
    with pytest.raises(ValidationError):
        WeightClass.of(Fraction(0), codes)
    with pytest.raises(ValidationError):
        WeightClass(weight=Fraction(1), codes=b'","'.join(c.encode() for c in reversed(codes)))
    with pytest.raises(ValidationError):
        FrameStratum(name="x", classes=[wc, WeightClass.of(Fraction(1, 2), [POOL[9].uscc])])


def test_frame_refuses_a_code_in_two_classes() -> None:
    a = WeightClass.of(Fraction(1), [POOL[0].uscc, POOL[1].uscc])
    b = WeightClass.of(Fraction(2), [POOL[1].uscc])
    with pytest.raises(ValidationError):
        Frame(
            profile="cn-tj-hrss",
            parameters=PlanParameters.from_plan(plan()),
            strata=[FrameStratum(name="x", classes=[a, b])],
        )
    with pytest.raises(ValidationError):
        Frame(
            profile="cn-tj-hrss",
            parameters=PlanParameters.from_plan(plan()),
            strata=[FrameStratum(name="x", classes=[a])],
            cap_reached=[CappedUnit(uscc=POOL[0].uscc, random_checks=2)],
        )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.permutations(POOL[:60]))
def test_input_order_changes_nothing(directory: list[Enterprise]) -> None:
    the_plan = plan(strata=("district", "grade"), ratio=Fraction(1, 4))
    expected = run(POOL[:60], the_plan)
    assert run(list(directory), the_plan).to_json() == expected.to_json()


def test_the_directory_may_be_a_one_shot_iterator() -> None:
    the_plan = plan()
    assert run(iter(POOL[:50]), the_plan) == run(POOL[:50], the_plan)  # type: ignore[arg-type]


# --- allocation -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Fraction(5, 2), 3),
        (Fraction(3, 2), 2),
        (Fraction(1, 2), 1),
        (Fraction(49, 100), 0),
        (Fraction(7, 3), 2),
        (Fraction(8, 3), 3),
        (Fraction(0), 0),
    ],
)
def test_round_half_up(value: Fraction, expected: int) -> None:
    assert round_half_up(value) == expected


def test_sample_size_rounds_half_up_and_keeps_one_per_stratum_on_request() -> None:
    assert sample_size(50, Fraction(3, 100), min_one=False) == 2  # 1.5 → 2
    assert sample_size(16, Fraction(3, 100), min_one=False) == 0  # 0.48 → 0
    assert sample_size(16, Fraction(3, 100), min_one=True) == 1
    assert sample_size(0, Fraction(3, 100), min_one=True) == 0
    assert sample_size(7, Fraction(1), min_one=False) == 7


def _stratum(*weights_and_counts: tuple[Fraction, int]) -> FrameStratum:
    codes = iter(e.uscc for e in POOL)
    return FrameStratum(
        name="s",
        classes=[WeightClass.of(w, [next(codes) for _ in range(k)]) for w, k in weights_and_counts],
    )


def test_certainty_units_are_taken_and_the_rest_recomputed() -> None:
    # Weights 10, 3, 3, 1, 1 and n = 3: 3·10/18 ≥ 1, so 10 is certain; then 2·3/8 < 1.
    stratum = _stratum((Fraction(10), 1), (Fraction(3), 2), (Fraction(1), 2))
    params = PlanParameters.from_plan(plan(ratio=Fraction(3, 5)))
    a = allocate(stratum, params)
    assert a.sample_size == 3
    assert a.certainty_weights == (Fraction(10),)
    assert a.certainty == 1
    assert a.residual_weight == 8
    assert a.probability(Fraction(10)) == 1
    assert a.probability(Fraction(3)) == Fraction(3, 4)
    assert a.probability(Fraction(1)) == Fraction(1, 4)


def test_certainty_can_cascade() -> None:
    # n = 3 of weights 6, 3, 1, 1: 3·6/11 ≥ 1 → 6 certain; then 2·3/5 ≥ 1 → 3 certain too.
    stratum = _stratum((Fraction(6), 1), (Fraction(3), 1), (Fraction(1), 2))
    a = allocate(stratum, PlanParameters.from_plan(plan(ratio=Fraction(3, 4))))
    assert a.certainty_weights == (Fraction(6), Fraction(3))
    assert a.probability(Fraction(1)) == Fraction(1, 2)


def test_a_stratum_without_ratio_cannot_be_drawn() -> None:
    stratum = _stratum((Fraction(1), 3))
    with pytest.raises(ValidationError) as info:
        allocate(stratum, PlanParameters.from_plan(plan(ratio=None)))
    assert info.value.field == "ratio"
    own = PlanParameters.from_plan(plan(ratio=None, stratum_ratios={"s": Fraction(1, 3)}))
    assert allocate(stratum, own).sample_size == 1


weights = st.sampled_from([Fraction(1, 2), Fraction(1), Fraction(3, 2), Fraction(2), Fraction(9)])


@st.composite
def strata(draw: st.DrawFn) -> FrameStratum:
    chosen = draw(st.lists(weights, min_size=1, max_size=4, unique=True))
    counts = [draw(st.integers(1, 12)) for _ in chosen]
    return _stratum(*zip(chosen, counts, strict=True))


ratios = st.fractions(min_value=Fraction(1, 50), max_value=Fraction(1), max_denominator=50)


@settings(max_examples=200, deadline=None)
@given(strata(), ratios, st.booleans())
def test_inclusion_probabilities_sum_to_the_sample_size(
    stratum: FrameStratum, ratio: Fraction, min_one: bool
) -> None:
    a = allocate(stratum, PlanParameters.from_plan(plan(ratio=ratio, min_one_per_stratum=min_one)))
    assert a.sample_size == sample_size(stratum.population, ratio, min_one=min_one)
    total = sum((a.probability(c.weight) * c.size for c in stratum.classes), Fraction(0))
    assert total == a.sample_size
    for c in stratum.classes:
        assert 0 <= a.probability(c.weight) <= 1
        # Certainty goes to the heaviest units, never to a lighter one over a heavier one.
        if a.is_certain(c.weight):
            assert all(a.is_certain(d.weight) for d in stratum.classes if d.weight > c.weight)
        elif a.residual_size:
            assert a.probability(c.weight) == a.residual_size * c.weight / a.residual_weight


# --- selection ------------------------------------------------------------------------------


def test_unit_hash_is_sha256_of_the_length_prefixed_fields() -> None:
    code = POOL[0].uscc
    fields = [HASH_TAG, DRAW_PURPOSE, "s e e d", "和平区|A", code]
    data = b"".join(len(f.encode()).to_bytes(4, "big") + f.encode() for f in fields)
    expected = int.from_bytes(hashlib.sha256(data).digest(), "big")
    assert unit_hash("s e e d", "和平区|A", code) == expected == hash_fields(*fields)


def test_pareto_key_formula() -> None:
    h = 2**255  # U = (h + 1/2) / 2^256, just over one half
    lam = Fraction(1, 4)
    u = (h + Fraction(1, 2)) / 2**256
    assert pareto_key(h, lam) == (u / (1 - u)) / (lam / (1 - lam))
    with pytest.raises(ValueError, match="0 < λ < 1"):
        pareto_key(h, Fraction(1))


@settings(max_examples=150, deadline=None)
@given(strata(), ratios, st.text(max_size=8))
def test_selection_equals_sorting_every_exact_key(
    stratum: FrameStratum, ratio: Fraction, seed_value: str
) -> None:
    a = allocate(stratum, PlanParameters.from_plan(plan(ratio=ratio)))
    result = select_stratum(stratum, a, seed_value)
    certain, drawn, cutoff = reference(stratum, a, seed_value)
    assert list(result.certain) == certain
    assert [(d.key, d.uscc) for d in result.drawn] == drawn
    assert (None if result.cutoff is None else (result.cutoff.key, result.cutoff.uscc)) == cutoff
    assert len(result.certain) + len(result.drawn) == a.sample_size
    for d in result.drawn:
        assert d.hash == unit_hash(seed_value, stratum.name, d.uscc)


@pytest.mark.parametrize("bound", [Fraction(1, 10**9), Fraction(10**9)])
def test_the_first_bound_never_changes_the_result(
    bound: Fraction, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A tiny bound forces the second scan; a huge one makes every unit a candidate and
    # exercises pruning. Both must give the brute-force result.
    stratum = _stratum((Fraction(1, 2), 120), (Fraction(1), 100), (Fraction(3), 30))
    a = allocate(stratum, PlanParameters.from_plan(plan(ratio=Fraction(1, 10))))
    monkeypatch.setattr(selection_module, "initial_bound", lambda keep: bound)
    result = select_stratum(stratum, a, "bound")
    _, drawn, cutoff = reference(stratum, a, "bound")
    assert [(d.key, d.uscc) for d in result.drawn] == drawn
    assert result.cutoff is not None
    assert (result.cutoff.key, result.cutoff.uscc) == cutoff


class _ConstantHash:
    """A stand-in SHA-256 state whose digest is always the same: every key in a class ties."""

    def copy(self) -> _ConstantHash:
        return self

    def update(self, data: bytes) -> None:
        pass

    def digest(self) -> bytes:
        return bytes(range(32))


def test_equal_keys_are_ordered_by_code(monkeypatch: pytest.MonkeyPatch) -> None:
    stratum = _stratum((Fraction(1), 10))
    a = allocate(stratum, PlanParameters.from_plan(plan(ratio=Fraction(3, 10))))
    monkeypatch.setattr(selection_module, "_prefix", lambda seed, name: _ConstantHash())
    result = select_stratum(stratum, a, "tie")
    codes = stratum.classes[0].units
    assert [d.uscc for d in result.drawn] == list(codes[:3])
    assert result.cutoff is not None
    assert result.cutoff.uscc == codes[3]
    assert len({d.key for d in result.drawn}) == 1


def test_no_float_in_the_sampling_code() -> None:
    # Exactness by construction: no float literal and no float() call anywhere in the draw.
    package = Path(selection_module.__file__).parent
    for path in package.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            assert not (isinstance(node, ast.Constant) and isinstance(node.value, float)), path
            assert not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "float"
            ), path


# --- the draw and its record ----------------------------------------------------------------


def _setup(n: int = 200, **changes: object) -> tuple[list[Enterprise], Frame]:
    directory = POOL[:n]
    frame = build_frame(directory, plan(strata=("district", "grade"), **changes), TIANJIN_HRSS)
    return directory, frame


def test_per_stratum_sizes_are_exact() -> None:
    _, frame = _setup(300, ratio=Fraction(1, 7), min_one_per_stratum=True)
    record = draw(frame, commit(frame), seed())
    for result in record.strata:
        units = [u for u in record.selected if u.stratum == result.name]
        assert len(units) == result.sample_size
        assert result.sample_size == max(1, round_half_up(Fraction(1, 7) * result.population))
        assert sum(u.certainty for u in units) == result.certainty
    assert len(record.selected_ids()) == len(set(record.selected_ids())) == record.sample_size
    assert list(record.selected_ids()) == sorted(record.selected_ids())


def test_record_keys_probabilities_and_cutoffs_are_consistent() -> None:
    _, frame = _setup()
    record = draw(frame, commit(frame), seed())
    for unit in record.selected:
        result = record.stratum(unit.stratum)
        assert result is not None
        assert unit.weight in {c.weight for c in frame.stratum(unit.stratum).classes}  # type: ignore[union-attr]
        if unit.certainty:
            assert unit.probability == 1
            assert unit.key is None
        else:
            h = unit_hash(
                record.seed.value,
                unit.stratum,
                unit.uscc,
                version=record.version,
                frame_digest=record.commitment.frame_digest,
            )
            assert unit.hash == h.to_bytes(32, "big").hex()
            assert unit.key == pareto_key(h, unit.probability)
            residual = result.sample_size - result.certainty
            assert unit.probability == residual * unit.weight / result.residual_weight
            assert result.cutoff is not None
            assert unit.key < result.cutoff


def test_record_json_round_trip_and_digest() -> None:
    _, frame = _setup()
    published = datetime(2027, 3, 2, 9, 0, tzinfo=CST)
    fixed = datetime(2027, 3, 3, 21, 30, tzinfo=CST)
    record = draw(
        frame,
        commit(frame, published=published),
        Seed(value="1 2 3", source="dice", fixed=fixed),
    )
    text = record.to_json()
    assert canonical_json(json.loads(text)) == text
    assert canonical_json(record.to_document()) == text
    assert DrawRecord.from_document(json.loads(text)) == record
    assert record.digest() == "sha256:" + hashlib.sha256(text.encode()).hexdigest()
    assert record.seed_after_commitment() is True
    assert record.plan == "TJ-LS-2027"
    assert record.commitment.plan == "TJ-LS-2027"
    assert dict(record.weights) == {u.uscc: u.weight for u in record.selected}
    data = json.loads(text)["data"]
    key = next(u["key"] for u in data["selected"] if u["key"] is not None)
    assert isinstance(key, str)
    assert "/" in key


def test_a_different_seed_changes_the_draw() -> None:
    _, frame = _setup()
    c = commit(frame)
    assert draw(frame, c, seed("1")).selected_ids() != draw(frame, c, seed("2")).selected_ids()
    assert draw(frame, c, seed("1")) == draw(frame, c, seed("1"))


def test_draw_refuses_a_frame_that_is_not_the_committed_one() -> None:
    directory, frame = _setup()
    other = build_frame(directory[1:], plan(strata=("district", "grade")), TIANJIN_HRSS)
    with pytest.raises(CommitmentMismatch) as info:
        draw(other, commit(frame), seed())
    assert info.value.field == "digest"
    with pytest.raises(CommitmentMismatch) as info:
        draw(frame, attrs.evolve(commit(frame), round=2), seed())
    assert info.value.field == "round"
    with pytest.raises(CommitmentMismatch) as info:
        draw(frame, attrs.evolve(commit(frame), version=1), seed())
    assert info.value.field == "algorithm"


def test_draw_refuses_a_seed_fixed_before_the_commitment_was_published() -> None:
    _, frame = _setup()
    published = datetime(2027, 3, 2, 9, 0, tzinfo=CST)
    c = commit(frame, published=published)
    early = Seed(value="x", source="dice", fixed=published - timedelta(minutes=1))
    with pytest.raises(ValidationError) as info:
        draw(frame, c, early)
    assert info.value.field == "seed.fixed"
    with pytest.raises(ValidationError):
        commit(frame, published=datetime(2027, 3, 2, 9, 0))  # naive: order not checkable
    with pytest.raises(ValidationError):
        Seed(value="", source="dice")


def test_progress_adds_up_to_the_population() -> None:
    _, frame = _setup(300, ratio=Fraction(1, 3))
    seen: list[int] = []
    draw(frame, commit(frame), seed(), progress=seen.append)
    assert sum(seen) == frame.population


def test_a_whole_stratum_and_an_empty_sample() -> None:
    directory = POOL[:40]
    everything = run(directory, plan(ratio=Fraction(1)))
    assert set(everything.selected_ids()) == {e.uscc for e in directory}
    assert all(s.cutoff is None for s in everything.strata)
    nothing = run(directory, plan(ratio=Fraction(1, 1000)))
    assert nothing.selected_ids() == ()
    assert all(s.sample_size == 0 and s.cutoff is None for s in nothing.strata)


def test_weights_follow_grade_and_risk() -> None:
    # R-GRADE-WEIGHT and R-RISK-WEIGHT arrive in the record through the profile.
    base = POOL[0]
    risky = attrs.evolve(
        POOL[1], district=base.district, grade=Grade.C, risk=RiskFlags(abnormal_operations=True)
    )
    good = attrs.evolve(POOL[2], district=base.district, grade=Grade.A, risk=RiskFlags())
    record = run([risky, good], plan(ratio=Fraction(1)))
    weights = dict(record.weights)
    assert weights[risky.uscc] == 4
    assert weights[good.uscc] == Fraction(1, 2)


def test_draw_strata_is_the_draw_without_the_record() -> None:
    _, frame = _setup()
    record = draw(frame, commit(frame), seed("z"))
    chosen = sorted(
        [d.uscc for s in draw_strata(frame, "z") for d in s.drawn]
        + [code for s in draw_strata(frame, "z") for code, _ in s.certain]
    )
    assert tuple(chosen) == record.selected_ids()


def test_frame_units_iterate_in_canonical_order() -> None:
    _, frame = _setup(50)
    units = list(frame.units())
    assert units == sorted(units, key=lambda u: (u.stratum, u.weight, u.uscc))
    assert all(isinstance(u, FrameUnit) for u in units)
    assert "population=50" in repr(frame)


# --- reproducibility ------------------------------------------------------------------------

_SCRIPT = """
from fractions import Fraction
from randcheck.domain import Line, Plan
from randcheck.profiles import TIANJIN_HRSS
from randcheck.sampling import Seed, build_frame, commit, draw
from randcheck.demo.synthetic import enterprises
plan = Plan(code="P", year=2027, line=Line.LABOUR_INSPECTION, ratio=Fraction(1, 9),
            strata=("district", "grade"))
frame = build_frame(enterprises(3000, seed="hashseed"), plan, TIANJIN_HRSS)
print(draw(frame, commit(frame), Seed(value="v", source="s")).digest())
"""


def _digest_in_subprocess(hash_seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_pythonhashseed_has_no_effect() -> None:
    digests = {_digest_in_subprocess(value) for value in ("0", "1", "4242")}
    assert len(digests) == 1
    here = build_frame(
        synthetic_enterprises(3000, seed="hashseed"),
        Plan(
            code="P",
            year=2027,
            line=Line.LABOUR_INSPECTION,
            ratio=Fraction(1, 9),
            strata=("district", "grade"),
        ),
        TIANJIN_HRSS,
    )
    assert digests == {draw(here, commit(here), Seed(value="v", source="s")).digest()}


# --- R-GRADE-WEIGHT: the chances the plan produces, before the draw ---------------------------


def _graded(n: int) -> list[Enterprise]:
    grades = (Grade.A, Grade.B, Grade.C)
    return [
        Enterprise(uscc=e.uscc, name=e.name, district="和平区", grade=grades[k % 3])
        for k, e in enumerate(synthetic_enterprises(n, seed="pi"))
    ]


def test_inclusion_probabilities_follow_the_grade_weights_within_one_stratum() -> None:
    # Art. 9 "对劳动保障守法诚信等级评价较高的监管对象，可优化随机抽查频次": A 1/2, B 1, C 2.
    directory = _graded(300)
    the_plan = plan(strata=("district",))
    frame = build_frame(directory, the_plan, TIANJIN_HRSS)
    pi = inclusion_probabilities(frame, the_plan)
    grade = {e.uscc: e.grade for e in directory}
    expected = expected_drawn(frame, the_plan, grade)
    assert sum(expected.values()) == 30  # 1/10 of 300
    a, b, c = (pi[next(u for u in pi if grade[u] == g)] for g in (Grade.A, Grade.B, Grade.C))
    assert a * 2 == b
    assert b * 2 == c
    assert expected[Grade.A] < expected[Grade.B] < expected[Grade.C]


def test_strata_by_grade_with_one_ratio_cancel_the_weights_and_say_so() -> None:
    directory = _graded(300)
    the_plan = plan(strata=("district", "grade"))
    with pytest.warns(GradePreferenceCancelledWarning):
        frame = build_frame(directory, the_plan, TIANJIN_HRSS)
    pi = inclusion_probabilities(frame, the_plan)
    assert len(set(pi.values())) == 1  # every grade the same chance
    # Ratios that differ by grade keep a preference: no warning.
    kept = plan(
        strata=("grade",),
        stratum_ratios=(("A", Fraction(1, 20)), ("C", Fraction(1, 5))),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", GradePreferenceCancelledWarning)
        build_frame(directory, kept, TIANJIN_HRSS)


@given(st.integers(min_value=3, max_value=60))
def test_expected_numbers_add_up_to_the_sample_size(n: int) -> None:
    directory = _graded(n)
    the_plan = plan(strata=("district",), ratio=Fraction(1, 3))
    frame = build_frame(directory, the_plan, TIANJIN_HRSS)
    total = sum(expected_drawn(frame, the_plan, lambda uscc: "all").values())
    record = draw(frame, commit(frame), seed())
    assert total == len(record.selected_ids())


# --- arguments of the wrong type ----------------------------------------------------------------


def _wrong_arguments() -> dict[str, tuple[Any, str]]:
    """Each public call with one argument of the wrong type, and what its error must say."""
    from randcheck.demo.synthetic import demo_plan

    directory = list(synthetic_enterprises(40, seed="wrong-types"))
    plan = demo_plan(2027)
    frame = build_frame(directory, plan, TIANJIN_HRSS)
    commitment = commit(frame)
    seed = Seed(value="1 2 3", source="test")
    return {
        "build_frame plan": (
            lambda: build_frame(directory, "plan.json", TIANJIN_HRSS),
            "build_frame(): plan must be a Plan or PlanParameters, got str 'plan.json'",
        ),
        "build_frame profile": (
            lambda: build_frame(directory, plan, "cn-tj-hrss"),
            "build_frame(): profile must be a Profile, got str 'cn-tj-hrss'",
        ),
        "build_frame enterprises path": (
            lambda: build_frame(Path("enterprises.csv"), plan, TIANJIN_HRSS),
            "build_frame(): enterprises must be an iterable of Enterprise, got PosixPath",
        ),
        "build_frame enterprise row": (
            lambda: build_frame([*directory[:2], {"uscc": "x"}], plan, TIANJIN_HRSS),
            "build_frame(): enterprises must be an iterable of Enterprise (every item), got dict",
        ),
        "build_frame history": (
            lambda: build_frame(directory, plan, TIANJIN_HRSS, history="history.json"),
            "build_frame(): history must be a mapping of USCC to random checks",
        ),
        "commit frame": (
            lambda: commit("frame.json"),  # type: ignore[arg-type]
            "commit(): frame must be a Frame, got str 'frame.json'",
        ),
        "draw frame": (
            lambda: draw("frame.json", commitment, seed),  # type: ignore[arg-type]
            "draw(): frame must be a Frame, got str 'frame.json'",
        ),
        "draw commitment": (
            lambda: draw(frame, "commitment.json", seed),  # type: ignore[arg-type]
            "draw(): commitment must be a Commitment, got str 'commitment.json'",
        ),
        "draw seed": (
            lambda: draw(frame, commitment, "1 2 3"),  # type: ignore[arg-type]
            "draw(): seed must be a Seed, got str '1 2 3'",
        ),
    }


@pytest.mark.parametrize("call", sorted(_wrong_arguments()))
def test_a_public_call_given_the_wrong_type_names_the_argument_expected_and_got(
    call: str,
) -> None:
    function, message = _wrong_arguments()[call]
    with pytest.raises(TypeError) as info:
        function()
    assert not isinstance(info.value, AttributeError)
    assert str(info.value).startswith(message), str(info.value)


def test_a_stratum_ratio_naming_a_stratum_no_enterprise_can_be_in_is_refused() -> None:
    plan = Plan(
        code="P",
        year=2027,
        line=Line.LABOUR_INSPECTION,
        ratio=Fraction(3, 100),
        strata=("district",),
        stratum_ratios=(
            ("滨海新", Fraction(1, 2)),
            ("和平区|A", Fraction(1, 2)),
            ("河西区", Fraction(1, 4)),
        ),
    )
    with pytest.raises(ValidationError) as raised:
        build_frame([], plan, TIANJIN_HRSS)
    message = raised.value.message
    assert raised.value.field == "stratum_ratios"
    assert "2 stratum ratio(s)" in message
    assert (
        "'滨海新': district '滨海新' is not one of the profile's (did you mean '滨海新区'?)"
        in message
    )
    assert "'和平区|A': 2 part(s), the plan stratifies by 1 (district)" in message
    assert "河西区" not in message.split("apply: ")[1]
