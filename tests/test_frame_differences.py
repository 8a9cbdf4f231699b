"""Naming the enterprises two frames place differently (``frame_differences``)."""

from __future__ import annotations

from fractions import Fraction

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from randcheck.demo.synthetic import enterprises as synthetic_enterprises
from randcheck.domain import Line, Plan, Scope
from randcheck.profiles import TIANJIN_HRSS
from randcheck.sampling import Frame, build_frame, frame_differences

DIRECTORY = list(synthetic_enterprises(120, seed="frame-differences"))
PLAN = Plan(
    code="TJ-LS-2027",
    year=2027,
    line=Line.LABOUR_INSPECTION,
    ratio=Fraction(1, 10),
    strata=("district", "grade"),
    scope=Scope(districts=frozenset({"和平区", "河西区", "南开区", "河东区", "河北区"})),
)


def _places(frame: Frame) -> dict[str, object]:
    places: dict[str, object] = {}
    for unit in frame.units():
        places[unit.uscc] = (unit.stratum, unit.weight)
    places.update((code, "out of scope") for code in frame.out_of_scope)
    places.update((unit.uscc, ("cap", unit.random_checks)) for unit in frame.cap_reached)
    return places


def test_the_same_frame_has_no_differences() -> None:
    frame = build_frame(DIRECTORY, PLAN, TIANJIN_HRSS)
    assert frame_differences(frame, build_frame(reversed(DIRECTORY), PLAN, TIANJIN_HRSS)) == ()


def test_a_regraded_a_removed_and_an_added_enterprise_are_named_with_their_places() -> None:
    published = build_frame(DIRECTORY[1:], PLAN, TIANJIN_HRSS)
    regraded = next(e for e in DIRECTORY[2:] if e.grade == "A" and PLAN.scope.contains(e))
    changed = [attrs.evolve(e, grade="C") if e is regraded else e for e in DIRECTORY[:-1]]
    rebuilt = build_frame(changed, PLAN, TIANJIN_HRSS)
    found = {d.path: d for d in frame_differences(published, rebuilt)}
    assert set(found) == {
        f"frame[{DIRECTORY[0].uscc}]",
        f"frame[{DIRECTORY[-1].uscc}]",
        f"frame[{regraded.uscc}]",
    }
    moved = found[f"frame[{regraded.uscc}]"]
    assert moved.expected is not None
    assert "|C', weight" in moved.expected
    assert moved.got is not None
    assert "|A', weight" in moved.got
    assert found[f"frame[{DIRECTORY[-1].uscc}]"].expected is None  # only in the published one
    assert found[f"frame[{DIRECTORY[0].uscc}]"].got is None  # only in the files given


@settings(max_examples=60, deadline=None)
@given(
    dropped=st.sets(st.integers(0, len(DIRECTORY) - 1), max_size=6),
    regraded=st.sets(st.integers(0, len(DIRECTORY) - 1), max_size=6),
    capped=st.dictionaries(st.integers(0, len(DIRECTORY) - 1), st.integers(1, 3), max_size=4),
)
def test_exactly_the_enterprises_placed_otherwise_are_named(
    dropped: set[int], regraded: set[int], capped: dict[int, int]
) -> None:
    published = build_frame(DIRECTORY, PLAN, TIANJIN_HRSS)
    changed = [
        attrs.evolve(e, grade="C" if e.grade != "C" else "B") if i in regraded else e
        for i, e in enumerate(DIRECTORY)
        if i not in dropped
    ]
    history = {DIRECTORY[i].uscc: n for i, n in capped.items()}
    rebuilt = build_frame(changed, PLAN, TIANJIN_HRSS, history=history)
    before, after = _places(published), _places(rebuilt)
    expected = sorted(
        code for code in before.keys() | after.keys() if before.get(code) != after.get(code)
    )
    differences = frame_differences(published, rebuilt)
    assert [d.path for d in differences] == [f"frame[{code}]" for code in expected]
    assert all((d.expected is None) == (d.path[6:-1] not in after) for d in differences)
    assert all((d.got is None) == (d.path[6:-1] not in before) for d in differences)
