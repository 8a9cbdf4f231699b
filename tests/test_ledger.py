"""Tests for randcheck.ledger: records, JSON and JSON Lines with every error at once."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from fractions import Fraction
from pathlib import Path
from types import SimpleNamespace

import attrs
import pytest
from hypothesis import HealthCheck, given, settings

from randcheck.canonical import SCHEMA_VERSION
from randcheck.domain import Line
from randcheck.errors import InputFileError, InvalidIdentifier, Location, ValidationError
from randcheck.ledger import (
    LEDGER_KIND,
    DispatchEntry,
    Disposition,
    DrawEntry,
    Feedback,
    FeedbackMode,
    Inspection,
    InspectionKind,
    Ledger,
    Objection,
    PublicationKind,
    Publicity,
    SummaryReport,
    TargetedGround,
    TeamEntry,
    UnitWeight,
    load_ledger,
    save_ledger,
)
from test_ledger_strategies import lawful_ledgers, make_uscc

TZ = timezone(timedelta(hours=8))
E1, E2 = make_uscc(1), make_uscc(2)
LABOUR = Line.LABOUR_INSPECTION


def _inspection(**changes: object) -> Inspection:
    fields: dict[str, object] = {
        "id": "I1",
        "enterprise": E1,
        "lines": (LABOUR,),
        "items": ("LI-1",),
        "team": ("K1", "K2"),
        "started": date(2026, 3, 10),
    }
    fields.update(changes)
    return Inspection(**fields)  # type: ignore[arg-type]


# --- records -------------------------------------------------------------------------------


def test_inspection_defaults_to_random_and_unfinished() -> None:
    inspection = _inspection()
    assert inspection.is_random
    assert inspection.kind is InspectionKind.RANDOM
    assert inspection.finished is None


def test_inspection_refuses_bad_uscc_no_lines_and_finish_before_start() -> None:
    with pytest.raises(InvalidIdentifier):
        _inspection(enterprise="911201010000000000")
    with pytest.raises(ValidationError, match="lines"):
        _inspection(lines=())
    with pytest.raises(ValidationError, match="finished"):
        _inspection(finished=date(2026, 3, 9))
    with pytest.raises(ValidationError):
        _inspection(team="K1")  # a string is not a team


def test_incomplete_content_is_accepted_for_the_audit_to_judge() -> None:
    targeted = _inspection(kind=InspectionKind.TARGETED, ground=None, unit="")
    assert targeted.ground is None
    assert not targeted.is_random


def test_publicity_and_objection_dates_are_ordered() -> None:
    with pytest.raises(ValidationError, match="end"):
        Publicity(id="P", inspections=("I1",), start=date(2026, 3, 12), end=date(2026, 3, 11))
    with pytest.raises(ValidationError, match="inspections"):
        Publicity(id="P", inspections=(), start=date(2026, 3, 12), end=date(2026, 3, 18))
    with pytest.raises(ValidationError, match="review_finished"):
        Objection(
            id="O", inspection="I1", opened=date(2026, 3, 14), review_finished=date(2026, 3, 13)
        )
    same_day = Publicity(
        id="P", inspections=("I1",), start=date(2026, 3, 12), end=date(2026, 3, 12)
    )
    assert same_day.start == same_day.end


def test_draw_entry_requires_aware_timestamps_and_positive_weights() -> None:
    fields: dict[str, object] = {
        "id": "sha256:d",
        "plan": "P",
        "commitment": "sha256:c",
        "seed": "1",
        "selected": (E1,),
    }
    with pytest.raises(ValidationError, match="seed_fixed"):
        DrawEntry(**fields, seed_fixed=datetime(2026, 2, 24, 20, 30))  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="weight"):
        UnitWeight(enterprise=E1, weight=Fraction(0))
    assert UnitWeight(enterprise=E1, weight="3/2").weight == Fraction(3, 2)  # type: ignore[arg-type]


def test_dispatch_entry_has_one_team_per_enterprise() -> None:
    team = TeamEntry(enterprise=E1, inspectors=("K1", "K2"))
    dispatch = DispatchEntry(id="sha256:s", draw="sha256:d", teams=(team,))
    assert dispatch.team_for(E1) == ("K1", "K2")
    assert dispatch.team_for(E2) is None
    with pytest.raises(ValidationError, match="teams"):
        DispatchEntry(id="sha256:s", draw="sha256:d", teams=(team, team))


def test_ledger_ids_are_unique_per_section() -> None:
    with pytest.raises(ValidationError, match="inspections"):
        Ledger(year=2026, inspections=(_inspection(), _inspection()))


def test_enumerations_have_chinese_names() -> None:
    assert Disposition.TRANSFER_TO_JUDICIARY.zh == "移送司法机关"
    assert FeedbackMode.IN_PERSON.zh == "当面反馈"
    assert TargetedGround.SUPERIOR_ASSIGNMENT.zh == "上级机关交办"
    assert PublicationKind.DRAW.zh == "抽取结果"
    assert InspectionKind.TARGETED.zh == "针对性检查"


# --- hooks for the sampling and dispatch records -------------------------------------------


def test_draw_entry_from_a_draw_record() -> None:
    published = datetime(2026, 2, 19, 9, tzinfo=TZ)
    fixed = datetime(2026, 2, 24, 20, 30, tzinfo=TZ)
    record = SimpleNamespace(
        plan="P-2026",
        commitment=SimpleNamespace(frame_digest="sha256:c1", published=published),
        seed=SimpleNamespace(value="123", source="福彩3D", fixed=fixed),
        selected_ids=lambda: (E1, E2),
        digest=lambda: "sha256:d1",
        weights={E1: Fraction(1, 2)},
    )
    entry = DrawEntry.from_record(record)  # type: ignore[arg-type]
    assert entry.id == "sha256:d1"
    assert entry.commitment == "sha256:c1"
    assert entry.commitment_published == published
    assert (entry.seed, entry.seed_source, entry.seed_fixed) == ("123", "福彩3D", fixed)
    assert entry.selected == (E1, E2)
    assert entry.weights == (UnitWeight(enterprise=E1, weight=Fraction(1, 2)),)


def test_dispatch_entry_from_a_dispatch_record() -> None:
    teams = (
        SimpleNamespace(enterprise=E2, members=["K3", "K4"]),
        SimpleNamespace(enterprise=E1, members=("K1", "K2")),
    )
    record = SimpleNamespace(
        draw_digest="sha256:d1", current_teams=lambda: teams, digest=lambda: "sha256:s1"
    )
    entry = DispatchEntry.from_record(record)  # type: ignore[arg-type]
    assert entry.id == "sha256:s1"
    assert entry.draw == "sha256:d1"
    assert [t.enterprise for t in entry.teams] == sorted([E1, E2])
    assert entry.team_for(E2) == ("K3", "K4")


# --- files ---------------------------------------------------------------------------------

_SETTINGS = settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))


@_SETTINGS
@given(lawful_ledgers())
def test_document_round_trip(ledger: Ledger) -> None:
    document = json.loads(json.dumps(ledger.to_document()))
    assert document["kind"] == LEDGER_KIND
    assert Ledger.from_document(document) == ledger


@_SETTINGS
@given(lawful_ledgers())
def test_lines_round_trip(ledger: Ledger) -> None:
    lines = [json.loads(json.dumps(line)) for line in ledger.iter_lines()]
    assert lines[0] == {"section": "ledger", "data": {"year": ledger.year, "title": ledger.title}}
    assert len(lines) == 1 + ledger.record_count()
    assert Ledger.from_lines(lines) == ledger


def test_an_enterprise_code_is_checked_every_time_it_is_given() -> None:
    # Codes already checked are remembered: a spelling to compact, a bad code and a value of
    # another type must still be judged each time as validate_uscc judges them.
    spaced = f"{E1[:6]} {E1[6:12]} {E1[12:]}".lower()
    for _ in range(2):
        assert _inspection(enterprise=spaced).enterprise == E1
        assert _inspection(enterprise=E1).enterprise == E1
        with pytest.raises(InvalidIdentifier):
            _inspection(enterprise=E1[:-1] + ("0" if E1[-1] != "0" else "1"))
        with pytest.raises(InvalidIdentifier):
            _inspection(enterprise=911201010000000000)
    weight = UnitWeight(enterprise=spaced, weight=Fraction(1))
    assert weight.enterprise == E1


def _small() -> Ledger:
    return Ledger(year=2026, title="台账", inspections=(_inspection(),))


def test_save_and_load_by_suffix(tmp_path: Path) -> None:
    ledger = _small()
    save_ledger(ledger, tmp_path / "year.json")
    save_ledger(ledger, tmp_path / "year.jsonl")
    header = (tmp_path / "year.jsonl").read_text(encoding="utf-8").splitlines()[0]
    assert json.loads(header) == {"kind": "ledger", "schema": SCHEMA_VERSION}
    assert json.loads((tmp_path / "year.json").read_text(encoding="utf-8"))["kind"] == "ledger"
    assert load_ledger(tmp_path / "year.json") == ledger
    assert load_ledger(tmp_path / "year.jsonl") == ledger


def test_json_document_reports_every_bad_record(tmp_path: Path) -> None:
    document = _small().to_document()
    document["data"]["inspections"].append(dict(document["data"]["inspections"][0], id="I2"))
    document["data"]["inspections"][0]["started"] = "2026-13-01"
    document["data"]["inspections"][1]["team"] = [1]
    document["data"]["surprise"] = []
    path = tmp_path / "year.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InputFileError) as caught:
        load_ledger(path)
    fields = sorted(str(error.field) for error in caught.value.errors)
    assert fields == ["$.data", "$.data.inspections[0].started", "$.data.inspections[1].team[0]"]


def test_json_lines_report_every_bad_line_with_its_number(tmp_path: Path) -> None:
    path = tmp_path / "year.jsonl"
    save_ledger(_small(), path)
    lines = path.read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[2])
    bad_uscc = dict(record, data=dict(record["data"], id="I2", enterprise="91120101000000000X"))
    lines += [
        json.dumps(bad_uscc),
        "{not json",
        json.dumps({"section": "nonsense", "data": {}}),
        "",
        json.dumps({"section": "inspections", "data": dict(record["data"], id="I3", started=5)}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputFileError) as caught:
        load_ledger(path)
    located = [(error.location.line if error.location else None) for error in caught.value.errors]
    assert located == [4, 5, 6, 8]
    assert "uscc" in str(caught.value)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ({"section": ["inspections"], "data": {}}, "expected a section name"),
        ({"section": {"a": 1}, "data": {}}, "expected a section name"),
        ({"section": "inspections", "data": {}, "extra": 1}, 'exactly "section" and "data"'),
        ({"section": "inspections", "info": {}}, 'exactly "section" and "data"'),
        ({"data": {}, "info": "inspections"}, 'exactly "section" and "data"'),
        ({"section": "nonsense", "data": {}}, "unknown section"),
        (["inspections", {}], 'exactly "section" and "data"'),
    ],
)
def test_a_line_of_another_shape_is_reported_with_its_number(
    tmp_path: Path, line: object, expected: str
) -> None:
    path = tmp_path / "year.jsonl"
    save_ledger(_small(), path)
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines, json.dumps(line)]) + "\n", encoding="utf-8")
    with pytest.raises(InputFileError) as caught:
        load_ledger(path)
    (error,) = caught.value.errors
    assert expected in f"{error.message} / {error.expected}"
    assert error.location == Location(file=str(path), line=len(lines) + 1)


@pytest.mark.parametrize("name", ["year.json", "year.jsonl"])
@pytest.mark.parametrize("enabled", [True, False])
def test_loading_leaves_the_cyclic_collector_as_it_found_it(
    tmp_path: Path, name: str, enabled: bool
) -> None:
    import gc

    path = tmp_path / name
    save_ledger(_small(), path)
    bad = tmp_path / ("bad" + path.suffix)
    bad.write_text("{not json\n", encoding="utf-8")
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        assert load_ledger(path) == _small()
        assert gc.isenabled() is enabled
        with pytest.raises(InputFileError):
            load_ledger(bad)
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()


def test_what_a_pause_made_is_old_yet_its_cycles_are_still_freed() -> None:
    import gc
    import weakref

    from randcheck import _collector

    class Node:
        pass

    was = gc.isenabled()
    try:
        gc.enable()
        with _collector.paused():
            assert not gc.isenabled()
            kept = [[k] for k in range(5_000)]
            cycle = Node()
            cycle.self = cycle  # type: ignore[attr-defined]
            gone = weakref.ref(cycle)
            del cycle
        assert gc.isenabled()
        # Handed to the oldest generation: no young collection walks the 5,000 lists.
        assert gc.get_count()[0] < 100
        assert all(gc.is_tracked(item) for item in kept[:10])
        assert gone() is not None
        gc.collect()
        assert gone() is None
    finally:
        gc.enable() if was else gc.disable()


def test_a_pause_leaves_objects_frozen_by_the_caller_frozen() -> None:
    import gc

    from randcheck import _collector

    gc.collect()
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with _collector.paused():
            made = [[k] for k in range(100)]
        assert gc.get_freeze_count() == frozen
        assert made
    finally:
        gc.unfreeze()


def test_a_ledger_with_thousands_of_bad_lines_lists_a_thousand_and_counts_the_rest(
    tmp_path: Path,
) -> None:
    path = tmp_path / "year.jsonl"
    save_ledger(_small(), path)
    lines = path.read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[2])
    bad = [
        json.dumps({"section": "inspections", "data": dict(record["data"], id=f"I{k}", team=5)})
        for k in range(1_800)
    ]
    path.write_text("\n".join([*lines, *bad, "{not json"]) + "\n", encoding="utf-8")
    with pytest.raises(InputFileError) as caught:
        load_ledger(path)
    errors = caught.value.errors
    assert "1,801 error(s)" in caught.value.message
    assert len(errors) == 1_001
    listed = [error.location.line for error in errors[:-1] if error.location is not None]
    assert listed == list(range(len(lines) + 1, len(lines) + 1_001))
    summary = errors[-1]
    assert summary.got == 801
    assert "$.data.team: 800 ×" in summary.message
    assert "1 ×" in summary.message
    assert summary.location == Location(file=str(path))


@pytest.mark.parametrize("year", [0, -5, 9999, 10**25])
@pytest.mark.parametrize("name", ["year.json", "year.jsonl"])
def test_a_year_no_calendar_has_is_refused_at_its_path(
    tmp_path: Path, name: str, year: int
) -> None:
    path = tmp_path / name
    save_ledger(_small(), path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"year":2026', f'"year":{year}'), encoding="utf-8")
    with pytest.raises(InputFileError) as caught:
        load_ledger(path)
    [error] = caught.value.errors
    assert error.field == "$.data.year"
    assert error.got == year
    with pytest.raises(ValidationError):
        Ledger(year=year)


def test_a_second_report_of_one_inspection_is_refused() -> None:
    report = SummaryReport(inspection="I1", conclusion="未发现违法行为", dated=date(2026, 5, 3))
    other = attrs.evolve(report, conclusion="发现违法违规行为", dated=date(2026, 5, 4))
    rounds = [
        SummaryReport(round="R1", inspections=("I1",), dated=date(2026, 6, 1)),
        SummaryReport(round="R2", inspections=("I1",), dated=date(2026, 6, 2)),
    ]
    assert len(Ledger(year=2026, reports=(report, *rounds)).reports) == 3
    with pytest.raises(ValidationError, match="summary report of inspection 'I1' appears twice"):
        Ledger(year=2026, reports=(report, other))


def test_the_same_feedback_twice_is_refused_but_two_ways_of_giving_it_are_not() -> None:
    written = Feedback(inspection="I1", dated=date(2026, 5, 6), mode=FeedbackMode.WRITTEN)
    in_person = attrs.evolve(written, mode=FeedbackMode.IN_PERSON)
    assert len(Ledger(year=2026, feedback=(written, in_person)).feedback) == 2
    with pytest.raises(ValidationError, match="appears twice"):
        Ledger(year=2026, feedback=(written, written))


def test_json_lines_need_the_header_and_the_ledger_line(tmp_path: Path) -> None:
    path = tmp_path / "year.jsonl"
    path.write_text('{"kind": "plan", "schema": 1}\n', encoding="utf-8")
    with pytest.raises(InputFileError) as caught:
        load_ledger(path)
    messages = " ".join(str(error) for error in caught.value.errors)
    assert "kind" in messages
    assert '"section": "ledger"' in messages


def test_json_lines_duplicate_ids_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "year.jsonl"
    save_ledger(_small(), path)
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines, lines[-1]]) + "\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="appears twice") as caught:
        load_ledger(path)
    (error,) = caught.value.errors
    assert error.location == Location(file=str(path), line=len(lines) + 1)
    assert f"first on line {len(lines)}" in error.message


def test_json_lines_duplicate_ids_are_reported_beside_bad_records(tmp_path: Path) -> None:
    path = tmp_path / "year.jsonl"
    save_ledger(_small(), path)
    header, head, record = path.read_text(encoding="utf-8").splitlines()
    bad = record.replace('"data":{', '"data":{"unexpected":1,', 1)
    path.write_text("\n".join([header, head, bad, record, record]) + "\n", encoding="utf-8")
    with pytest.raises(InputFileError) as caught:
        load_ledger(path)
    first, repeat = caught.value.errors
    assert first.location == Location(file=str(path), line=3)
    assert "unexpected" in first.message
    assert repeat.location == Location(file=str(path), line=5)
    section = json.loads(record)["section"]
    assert f"appears twice in {section} (first on line 4)" in repeat.message


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputFileError):
        load_ledger(tmp_path / "nowhere.jsonl")
    with pytest.raises(InputFileError):
        load_ledger(tmp_path / "nowhere.json")


def test_non_utf8_json_lines_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "year.jsonl"
    path.write_bytes(b'{"kind": "ledger", "schema": 1}\n' + "台账".encode("gb18030"))
    with pytest.raises(InputFileError) as caught:
        load_ledger(path)
    assert caught.value.errors[0].location is not None
    assert caught.value.errors[0].location.line == 2


@pytest.mark.parametrize("name", ["year.json", "year.jsonl"])
def test_a_key_repeated_in_one_object_is_refused_with_file_and_line(
    tmp_path: Path, name: str
) -> None:
    path = tmp_path / name
    save_ledger(_small(), path)
    text = path.read_text(encoding="utf-8")
    assert text.count('"year":2026') == 1
    path.write_text(text.replace('"year":2026', '"year":2027,"year":2031'), encoding="utf-8")
    with pytest.raises(InputFileError) as caught:
        load_ledger(path)
    [error] = [e for e in caught.value.errors if "appears twice" in e.message]
    assert "'year'" in error.message
    line = 1 if name == "year.json" else 2
    assert error.location == Location(file=str(path), line=line)


def test_json_lines_refuse_nan_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "year.jsonl"
    save_ledger(_small(), path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"year":2026', '"year":NaN'), encoding="utf-8")
    with pytest.raises(InputFileError) as caught:
        load_ledger(path)
    [error] = [e for e in caught.value.errors if "NaN is not a JSON number" in e.message]
    assert error.location == Location(file=str(path), line=2)


# --- the real sampling and dispatch records fit the hooks ----------------------------------


def test_entries_from_real_draw_and_dispatch_records_pass_the_random_rule() -> None:
    from randcheck.demo import synthetic
    from randcheck.dispatch import dispatch
    from randcheck.profiles import TIANJIN_HRSS
    from randcheck.sampling import Seed, build_frame, commit, draw
    from randcheck.validators import Outcome, check_cross_district, check_random, check_recusal

    enterprises = list(synthetic.enterprises(400, seed="ledger-test"))
    inspectors = synthetic.inspectors(300, seed="ledger-test", year=2027)
    conflicts = synthetic.conflicts(inspectors, enterprises, seed="ledger-test")
    plan = synthetic.demo_plan(2027)
    frame = build_frame(enterprises, plan, TIANJIN_HRSS)
    published = datetime(2027, 3, 20, 9, tzinfo=TZ)
    commitment = commit(frame, published=published)
    seed = Seed(value="2027-03-25 123", source="福彩3D", fixed=published + timedelta(days=5))
    record = draw(frame, commitment, seed)
    day = plan.windows[0].start
    staffed = dispatch(
        record, enterprises, inspectors, conflicts, plan, TIANJIN_HRSS, seed="42", on=day
    )

    draw_entry = DrawEntry.from_record(record)
    dispatch_entry = DispatchEntry.from_record(staffed)
    assert draw_entry.id == record.digest()
    assert draw_entry.selected == record.selected_ids()
    assert draw_entry.plan == plan.code
    assert dispatch_entry.draw == record.digest()
    inspections = tuple(
        Inspection(
            id=f"I{k}",
            enterprise=team.enterprise,
            lines=(plan.line,),
            items=plan.items[:1],
            team=team.inspectors,
            unit="一组",
            started=day,
            draw=draw_entry.id,
            dispatch=dispatch_entry.id,
        )
        for k, team in enumerate(dispatch_entry.teams)
    )
    assert inspections
    ledger = Ledger(
        year=2027,
        plans=(plan,),
        draws=(draw_entry,),
        dispatches=(dispatch_entry,),
        inspections=inspections,
        enterprises=enterprises,
        inspectors=inspectors,
        conflicts=conflicts,
    )
    for check in (check_random, check_recusal, check_cross_district):
        outcomes = {f.outcome for f in check(ledger, TIANJIN_HRSS)}
        assert outcomes == {Outcome.PASS}, check.__name__


def test_record_count_counts_every_section() -> None:
    from randcheck.demo.simulation import simulate

    ledger = simulate(seed="count", enterprises=300, inspectors=80).ledger
    sections = [f.name for f in attrs.fields(Ledger) if f.name not in {"year", "title"}]
    assert len(sections) == 17
    assert ledger.record_count() == sum(len(getattr(ledger, name)) for name in sections)
    assert Ledger(year=2027).record_count() == 0


@pytest.mark.parametrize("text", ["", "\n\n", "  \r\n"])
def test_an_empty_json_lines_ledger_is_refused_as_an_empty_file(tmp_path: Path, text: str) -> None:
    path = tmp_path / "ledger.jsonl"
    path.write_text(text, encoding="utf-8", newline="")
    with pytest.raises(InputFileError) as raised:
        load_ledger(path)
    assert "the file is empty" in str(raised.value)
    assert "NoneType" not in str(raised.value)
