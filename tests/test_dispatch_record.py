"""The dispatch record: canonical JSON, verification by re-running, replacement without erasure,
and the publication view (R-RANDOM, R-RECUSAL, R-PUBLIC)."""

from __future__ import annotations

import json
from datetime import date
from fractions import Fraction
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from randcheck.canonical import canonical_json, digest, unstructure
from randcheck.dispatch import (
    DISPATCH_ALGORITHM_VERSION,
    DispatchRecord,
    Recusal,
    Replacement,
    ReplacementScope,
    Team,
    conflicts_digest,
    directory_digest,
    dispatch,
    replace_member,
    summarize,
    verify,
)
from randcheck.dispatch.summary import format_fraction
from randcheck.domain import Conflict, ConflictGround, CrossDistrictBounds, Inspector
from randcheck.errors import InfeasibleDispatch, InputFileError, ValidationError
from randcheck.privacy import find_unmasked_personal_data, mask_inspector_key
from randcheck.profiles import TIANJIN_HRSS
from randcheck.verification import Difference
from test_dispatch import (
    DAY,
    DISTRICTS,
    Instance,
    StubDraw,
    assert_lawful,
    enterprise,
    inspector,
    instances,
    plan,
    resident_id,
)

HERE, THERE = DISTRICTS[0], DISTRICTS[1]
ENTS = [enterprise(n, HERE if n % 2 else THERE) for n in range(8)]
RID = resident_id(17, HERE)
STAFF = [
    *(inspector(f"TJ-H{n}", HERE, section=f"{n % 3}科") for n in range(5)),
    *(inspector(f"TJ-T{n}", THERE, section=f"{n % 3}科") for n in range(5)),
    inspector(RID, HERE, resident=RID, phone="13912345678"),
]
CONFLICTS = [
    Conflict(inspector="TJ-H0", enterprise=ENTS[1].uscc, ground=ConflictGround.RELATIVE),
    Conflict(inspector=RID, enterprise=ENTS[3].uscc, ground=ConflictGround.SHAREHOLDING),
]
PLAN = plan(high=Fraction(1, 2), distinct=True)
DRAW = StubDraw(e.uscc for e in ENTS)


def make(seed: str = "2027-04-01 福彩3D 123") -> DispatchRecord:
    return dispatch(
        DRAW, ENTS, STAFF, CONFLICTS, PLAN, TIANJIN_HRSS, seed=seed, on=DAY, seed_source="福彩3D"
    )


def check(record: DispatchRecord, **kwargs: Any) -> list[Difference]:
    return list(
        verify(record, DRAW, ENTS, STAFF, CONFLICTS, PLAN, TIANJIN_HRSS, **kwargs).differences
    )


def paths(differences: list[Difference]) -> list[str]:
    return [d.path for d in differences]


def test_the_record_states_its_inputs_and_parameters() -> None:
    record = make()
    assert record.algorithm == DISPATCH_ALGORITHM_VERSION
    assert record.draw_digest == DRAW.digest()
    assert record.inspectors_digest == directory_digest(STAFF)
    assert record.conflicts_digest == conflicts_digest(CONFLICTS)
    assert record.inspection_date == DAY
    assert record.seed_source == "福彩3D"
    assert record.team_size == 2
    assert record.cross_district == CrossDistrictBounds(minimum=0, maximum=Fraction(1, 2))
    assert record.distinct_sections
    assert [t.enterprise for t in record.teams] == sorted(e.uscc for e in ENTS)
    # The entry known only by its identity number is never dispatched (R-TEAM), so its
    # declared conflict excludes nobody from a team.
    assert record.recusals == (
        Recusal(enterprise=ENTS[1].uscc, inspector="TJ-H0", grounds=(ConflictGround.RELATIVE,)),
    )
    assert all(RID not in t.members for t in record.teams)
    assert_lawful(record, ENTS, STAFF, CONFLICTS, PLAN)


def test_canonical_json_round_trip_and_digest() -> None:
    record = make()
    document = record.to_document()
    assert document["kind"] == "dispatch-record"
    text = canonical_json(document)
    again = DispatchRecord.from_document(json.loads(text))
    assert again == record
    assert again.digest() == record.digest()
    assert record.digest().startswith("sha256:")
    assert make().digest() == record.digest()
    assert make("other").digest() != record.digest()
    assert '"cross_district":{"maximum":"1/2","minimum":"0/1"}' in text


def test_verify_accepts_the_record_and_its_published_digest() -> None:
    record = make()
    assert check(record) == []
    assert verify(record, DRAW, ENTS, STAFF, CONFLICTS, PLAN, TIANJIN_HRSS)
    assert check(record, published_digest=record.digest()) == []


def _edits(record: DispatchRecord) -> list[tuple[str, DispatchRecord]]:
    teams = list(record.teams)
    first = teams[0]
    other = next(s.key for s in STAFF if s.key not in first.members)
    swapped = attrs.evolve(first, members=(first.members[1], first.members[0]))
    return [
        ("teams[", attrs.evolve(record, seed="forged")),
        ("draw_digest", attrs.evolve(record, draw_digest="sha256:" + "0" * 64)),
        ("inspectors_digest", attrs.evolve(record, inspectors_digest="sha256:" + "1" * 64)),
        ("conflicts_digest", attrs.evolve(record, conflicts_digest="sha256:" + "2" * 64)),
        ("plan_code", attrs.evolve(record, plan_code="TJ-LS-2026")),
        ("teams", attrs.evolve(record, inspection_date=date(2031, 1, 1))),
        ("team_size", attrs.evolve(record, team_size=3)),
        ("cross_district", attrs.evolve(record, cross_district=CrossDistrictBounds())),
        ("load_cap", attrs.evolve(record, load_cap=record.load_cap + 1)),
        ("distinct_sections", attrs.evolve(record, distinct_sections=False)),
        ("algorithm", attrs.evolve(record, algorithm="randcheck-dispatch-v0")),
        (
            "teams[",
            attrs.evolve(
                record, teams=[attrs.evolve(first, members=(other, first.members[1])), *teams[1:]]
            ),
        ),
        ("teams[", attrs.evolve(record, teams=[swapped, *teams[1:]])),
        ("teams[", attrs.evolve(record, teams=teams[1:])),
        (
            "district",
            attrs.evolve(record, teams=[attrs.evolve(first, district="西青区"), *teams[1:]]),
        ),
        ("recusals", attrs.evolve(record, recusals=record.recusals[1:])),
        ("recusals", attrs.evolve(record, recusals=record.recusals * 2)),
    ]


def test_any_edit_of_a_computed_field_fails_verify_and_is_named() -> None:
    record = make()
    for name, edited in _edits(record):
        differences = check(edited)
        assert differences, name
        assert any(name in d.path for d in differences), (name, paths(differences))
        for difference in differences:
            assert difference.message.zh
            assert difference.message.en


def test_stated_fields_are_pinned_by_the_published_digest() -> None:
    record = make()
    published = record.digest()
    edited = attrs.evolve(record, seed_source="another lottery")
    assert check(edited) == []  # the source of the seed is a statement, not a result
    differences = check(edited, published_digest=published)
    assert paths(differences) == ["digest"]
    assert differences[0].expected == published
    assert differences[0].got == edited.digest()


def test_verify_names_changed_inputs() -> None:
    record = make()
    more = [
        *CONFLICTS,
        Conflict(
            inspector="TJ-T1", enterprise=ENTS[0].uscc, ground=ConflictGround.OTHER, note="同学"
        ),
    ]
    result = verify(record, DRAW, ENTS, STAFF, more, PLAN, TIANJIN_HRSS)
    assert "conflicts_digest" in result.paths()
    result = verify(record, DRAW, ENTS, STAFF[:-1], CONFLICTS, PLAN, TIANJIN_HRSS)
    assert "inspectors_digest" in result.paths()
    result = verify(
        record, StubDraw(e.uscc for e in ENTS[:-1]), ENTS, STAFF, CONFLICTS, PLAN, TIANJIN_HRSS
    )
    assert "draw_digest" in result.paths()
    assert f"teams[{ENTS[-1].uscc}]" in result.paths()
    assert any("not drawn" in d.message.en for d in result.differences)
    impossible = attrs.evolve(PLAN, load_cap=1)
    result = verify(record, DRAW, ENTS, STAFF, CONFLICTS, impossible, TIANJIN_HRSS)
    assert any(d.message.en == "the re-run forms no teams" for d in result.differences)


def test_differences_mask_inspector_identity_numbers() -> None:
    record = make()
    team = next(t for t in record.teams if RID not in t.members)
    forged_team = attrs.evolve(team, members=(RID, *team.members[1:]))
    forged = attrs.evolve(record, teams=[forged_team if t is team else t for t in record.teams])
    differences = check(forged)
    assert f"teams[{team.enterprise}].members" in paths(differences)
    shown = "\n".join(str(d) for d in differences)
    assert mask_inspector_key(RID) in shown
    assert RID not in shown
    assert find_unmasked_personal_data(shown) == []


# --- replacement ----------------------------------------------------------------------------


def _in_team(record: DispatchRecord, key: str) -> list[str]:
    return [t.enterprise for t in record.current_teams() if key in t.members]


def _replace_in(
    record: DispatchRecord, team: Team, member: str, reason: str, *, on: date = DAY
) -> DispatchRecord:
    """``record`` with ``member`` of ``team`` replaced, against ``STAFF`` and ``CONFLICTS``."""
    return replace_member(
        record,
        member,
        reason,
        on=on,
        inspectors=STAFF,
        conflicts=CONFLICTS,
        enterprise=team.enterprise,
    )


def test_a_replacement_keeps_the_history_and_the_reason() -> None:
    record = make()
    team = record.teams[0]
    leaving = team.members[0]
    declared = [
        Conflict(inspector=leaving, enterprise=team.enterprise, ground=ConflictGround.RELATIVE)
    ]
    new = replace_member(
        record,
        leaving,
        "新申报：配偶在该企业任职",
        on=date(2027, 3, 20),
        inspectors=STAFF,
        conflicts=CONFLICTS,
        declared=declared,
        enterprise=team.enterprise,
    )
    assert new.teams == record.teams  # the original dispatch is kept as it was
    assert record.replacements == ()  # and the old record is untouched
    (entry,) = new.replacements
    assert entry.outgoing == leaving
    assert entry.reason == "新申报：配偶在该企业任职"
    assert entry.scope is ReplacementScope.TEAM
    assert entry.declared == tuple(declared)
    assert entry.recusals == (
        Recusal(enterprise=team.enterprise, inspector=leaving, grounds=(ConflictGround.RELATIVE,)),
    )
    current = {t.enterprise: t for t in new.current_teams()}[team.enterprise]
    assert current.members == (entry.incoming, team.members[1])
    assert entry.incoming not in team.members
    assert_lawful(new, ENTS, STAFF, [*CONFLICTS, *declared], PLAN)
    assert check(new) == []
    assert summarize(new, STAFF).replacements == 1


def test_illness_takes_the_inspector_out_of_every_team_of_the_round() -> None:
    record = make()
    leaving = max(record.loads(), key=lambda key: (record.loads()[key], key))
    count = len(_in_team(record, leaving))
    assert count >= 2
    new = replace_member(
        record, leaving, "病假", on=date(2027, 3, 25), inspectors=STAFF, conflicts=CONFLICTS
    )
    assert len(new.replacements) == count
    assert all(r.scope is ReplacementScope.ROUND for r in new.replacements)
    assert [r.enterprise for r in new.replacements] == sorted(
        r.enterprise for r in new.replacements
    )
    assert _in_team(new, leaving) == []
    assert leaving not in {r.incoming for r in new.replacements}
    assert_lawful(new, ENTS, STAFF, CONFLICTS, PLAN)
    assert check(new) == []
    # A later replacement never draws the ill inspector back.
    later = new
    for team in new.current_teams()[:3]:
        later = _replace_in(later, team, team.members[0], "出差", on=date(2027, 3, 26))
    assert leaving not in {r.incoming for r in later.replacements}
    assert check(later) == []
    assert later.replacements[: len(new.replacements)] == new.replacements


def test_a_replacement_needs_a_reason_and_the_dispatchs_inputs() -> None:
    record = make()
    team = record.teams[0]
    kwargs: dict[str, Any] = {
        "on": DAY,
        "inspectors": STAFF,
        "conflicts": CONFLICTS,
        "enterprise": team.enterprise,
    }
    with pytest.raises(ValidationError, match="needs a reason"):
        replace_member(record, team.members[0], "  ", **kwargs)
    with pytest.raises(ValidationError, match="not the one the dispatch used"):
        replace_member(record, team.members[0], "病假", **{**kwargs, "inspectors": STAFF[:-1]})
    with pytest.raises(ValidationError, match="not the ones the dispatch used"):
        replace_member(record, team.members[0], "病假", **{**kwargs, "conflicts": []})
    outsider = next(s.key for s in STAFF if s.key not in team.members)
    with pytest.raises(ValidationError, match="is not in the team"):
        replace_member(record, outsider, "病假", **kwargs)
    with pytest.raises(ValidationError, match="is in no team"):
        replace_member(record, "NOBODY", "病假", on=DAY, inspectors=STAFF, conflicts=CONFLICTS)


def test_no_substitute_is_reported_bilingually() -> None:
    ents = [enterprise(1)]
    staff = [inspector("A"), inspector("B")]
    record = dispatch(
        StubDraw([ents[0].uscc]), ents, staff, [], plan(), TIANJIN_HRSS, seed="s", on=DAY
    )
    with pytest.raises(InfeasibleDispatch) as caught:
        replace_member(record, "A", "病假", on=DAY, inspectors=staff, conflicts=[])
    assert "没有可接替 A 的合格执法人员" in str(caught.value)
    assert "no qualified inspector can take A's place" in str(caught.value)
    assert caught.value.blocking[0][0] == ents[0].uscc


def test_a_replacement_respects_the_load_cap_and_the_district_bounds() -> None:
    for seed in map(str, range(8)):
        record = make(seed)
        for team in record.teams[:4]:
            new = _replace_in(record, team, team.members[0], "回避")
            assert max(new.loads().values()) <= new.load_cap
            assert_lawful(new, ENTS, STAFF, CONFLICTS, PLAN)


def test_edited_replacements_fail_verify() -> None:
    record = make()
    team = record.teams[2]
    new = _replace_in(record, team, team.members[1], "病假")
    entry = new.replacements[0]
    other = next(s.key for s in STAFF if s.key not in (*team.members, entry.incoming))
    forged = attrs.evolve(new, replacements=[attrs.evolve(entry, incoming=other)])
    assert "replacements[0].incoming" in paths(check(forged))
    wrong = attrs.evolve(new, replacements=[attrs.evolve(entry, outgoing=other), entry])
    assert "replacements[0].outgoing" in paths(check(wrong))
    with pytest.raises(ValidationError, match="replacement 0"):
        wrong.current_teams()
    hidden = attrs.evolve(
        new,
        replacements=[
            attrs.evolve(
                entry,
                recusals=(
                    Recusal(
                        enterprise=team.enterprise, inspector=other, grounds=[ConflictGround.OTHER]
                    ),
                ),
            )
        ],
    )
    assert "replacements[0].recusals" in paths(check(hidden))
    with pytest.raises(ValidationError):
        attrs.evolve(entry, reason="")
    published = new.digest()
    assert check(
        attrs.evolve(new, replacements=[attrs.evolve(entry, reason="出差")]),
        published_digest=published,
    )


# --- publication ----------------------------------------------------------------------------


def test_the_publication_view_masks_identity_and_phone_numbers() -> None:
    record = make()
    view = record.publication_view(STAFF)
    text = canonical_json(view)
    assert find_unmasked_personal_data(text) == []
    assert RID not in text
    masked = mask_inspector_key(RID)
    assert masked == RID[:4] + "*" * 10 + RID[-4:]
    assert {"enterprise": ENTS[1].uscc, "inspector": "TJ-H0"} in view["recusals"]
    assert mask_inspector_key("TJ-H1") == "TJ-H1"
    assert view["record_digest"] == record.digest()
    assert "relative" not in text  # recusal grounds stay private
    assert "shareholding" not in text
    assert "13912345678" not in text


def test_the_publication_view_gives_a_reasons_category_not_its_text() -> None:
    record = make()
    team = record.teams[0]
    new = _replace_in(record, team, team.members[0], "病假，联系电话 13912345678")
    view = new.publication_view()
    text = canonical_json(view)
    assert find_unmasked_personal_data(text) == []
    assert "病假" not in text
    assert "5678" not in text
    assert "reason" not in view["replacements"][0]
    assert view["replacements"][0]["category"] == new.replacements[0].category().value
    assert "inspectors" not in view
    published = {t["enterprise"]: t["members"] for t in view["teams"]}
    assert new.replacements[0].incoming in published[team.enterprise]


def test_summary_figures_are_exact() -> None:
    record = make()
    summary = summarize(record, STAFF)
    assert summary.teams == 8
    assert summary.seats == 16
    # The entry known only by an identity number is not qualified to inspect (R-TEAM).
    assert summary.qualified == len(STAFF) - 1
    assert summary.load_max <= record.load_cap
    assert summary.load_mean == Fraction(16, len(STAFF) - 1)
    assert summary.cross_district_share <= Fraction(1, 2)
    assert summary.recusals == 1
    lines = summary.lines()
    assert any("cross-district share" in line for line in lines)
    assert all(isinstance(line, str) for line in lines)


def test_entries_known_only_by_identity_numbers_are_never_dispatched() -> None:
    staff: list[Inspector] = [inspector(resident_id(n), resident=resident_id(n)) for n in range(3)]
    ents = [enterprise(1)]
    with pytest.raises(InfeasibleDispatch):
        dispatch(StubDraw([ents[0].uscc]), ents, staff, [], plan(), TIANJIN_HRSS, seed="s", on=DAY)


@settings(max_examples=60, deadline=None)
@given(instances(), st.data())
def test_generated_records_verify_and_any_member_swap_is_caught(
    instance: Instance, data: st.DataObject
) -> None:
    draw = StubDraw(e.uscc for e in instance.ents)
    inputs = (
        draw,
        instance.ents,
        instance.staff,
        instance.conflicts,
        instance.plan,
        instance.profile,
    )
    try:
        record = dispatch(*inputs, seed=instance.seed, on=DAY)
    except InfeasibleDispatch:
        return
    assert verify(record, *inputs).ok
    n = data.draw(st.integers(0, len(record.teams) - 1))
    team = record.teams[n]
    others = [s.key for s in instance.staff if s.key not in team.members]
    if not others:
        return
    forged_team = attrs.evolve(
        team, members=(data.draw(st.sampled_from(others)), *team.members[1:])
    )
    forged = attrs.evolve(record, teams=[*record.teams[:n], forged_team, *record.teams[n + 1 :]])
    differences = verify(forged, *inputs).differences
    assert any(d.path.startswith(f"teams[{team.enterprise}]") for d in differences)


def test_format_fraction_rounds_half_up_without_floats() -> None:
    assert format_fraction(Fraction(2, 3)) == "0.67"
    assert format_fraction(Fraction(1, 8)) == "0.13"
    assert format_fraction(Fraction(-1, 8)) == "-0.13"
    assert format_fraction(Fraction(50)) == "50.00"
    assert format_fraction(Fraction(49437, 1000), 1) == "49.4"


def test_the_digest_covers_the_envelope_except_for_version_1_records() -> None:
    record = make()
    assert record.algorithm == "randcheck-dispatch-v1"
    assert record.digest() == digest(unstructure(record))
    later = attrs.evolve(record, algorithm="randcheck-dispatch-v2")
    assert later.digest() == digest(later.to_document())
    assert later.digest() != digest(unstructure(later))


@pytest.mark.parametrize(
    ("edit", "path"),
    [
        (lambda d: d.pop("recusals"), "$.data.recusals"),
        (lambda d: d.pop("replacements"), "$.data.replacements"),
        (lambda d: d.update(inspection_date="2027-4-1"), "$.data.inspection_date"),
    ],
)
def test_a_record_loads_only_from_its_own_canonical_document(edit: Any, path: str) -> None:
    document = make().to_document()
    edit(document["data"])
    with pytest.raises(InputFileError) as info:
        DispatchRecord.from_document(document)
    assert [error.field for error in info.value.errors] == [path]


def test_a_certificate_column_holding_an_identity_number_is_masked_in_the_publication() -> None:
    staff = [*STAFF[:-1], inspector(RID, HERE)]
    assert staff[-1].certificate_no == RID
    assert staff[-1].resident_id is None
    record = next(
        r
        for r in (
            dispatch(DRAW, ENTS, staff, [], PLAN, TIANJIN_HRSS, seed=str(n), on=DAY)
            for n in range(50)
        )
        if any(RID in t.members for t in r.teams)
    )
    view = record.publication_view(staff)
    text = canonical_json(view)
    assert RID not in text
    assert find_unmasked_personal_data(text) == []
    assert view["inspectors"][mask_inspector_key(RID)]["certificate_no"] == mask_inspector_key(RID)


@pytest.mark.parametrize(
    ("declared", "scope", "category"),
    [(True, "team", "recusal"), (False, "round", "unavailable"), (False, "team", "other")],
)
def test_replacement_categories(declared: bool, scope: str, category: str) -> None:
    record = make()
    team = record.teams[0]
    outgoing = team.members[0]
    conflict = Conflict(
        inspector=outgoing, enterprise=team.enterprise, ground=ConflictGround.RELATIVE
    )
    replacement = Replacement(
        enterprise=team.enterprise,
        outgoing=outgoing,
        incoming="X",
        reason="text",
        on=DAY,
        scope=ReplacementScope(scope),
        declared=(conflict,) if declared else (),
    )
    assert replacement.category().value == category
