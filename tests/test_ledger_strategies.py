"""A Hypothesis strategy for lawful ledgers, and tests that what it builds is well formed.

``lawful_ledgers()`` builds a whole year of random-inspection work that every rule accepts under
the Tianjin profile: two lines (labour inspection in three rounds, social-insurance audit in the
first round, joint with labour inspection), draws with recorded weights, dispatches, random and
targeted inspections, reports, publicity, objections and their reviews, feedback, findings of
violation with their dispositions, and publications. Its layout is fixed so that the mutation
tests (``test_validators_mutations.py``) can break exactly one rule for exactly one record:

* ``enterprises[0]`` is checked in rounds 0 and 1 (two random visits, at the cap);
* ``enterprises[1]`` is grade A, ``enterprises[2]`` grade B, both without risk factors, and
  ``enterprises[3]`` grade B with a complaint count no one else has;
* ``enterprises[4]`` is checked only in round 0, jointly by both lines (one visit);
* ``enterprises[5]`` is checked in round 2;
* all enterprises are in one district; inspectors are in that district or one other, teams
  have two members with at most one from the other district (plans allow up to 1/2);
* the last inspector has interests (a former employer, a declared conflict) and is never on a
  team.
"""

from __future__ import annotations

import copy
import hashlib
import json
import tempfile
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta, timezone
from fractions import Fraction
from pathlib import Path
from typing import Any
from unittest import mock

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import randcheck.ledger as ledger_module
from randcheck import canonical
from randcheck.demo.simulation import demo_calendar
from randcheck.domain import (
    CheckItem,
    CheckItemList,
    Conflict,
    ConflictGround,
    CrossDistrictBounds,
    Enterprise,
    Grade,
    Inspector,
    LegalBasis,
    LegalRank,
    Line,
    Plan,
    RiskFlags,
    Scope,
    TimeWindow,
)
from randcheck.errors import InputFileError
from randcheck.ids import uscc_check_character
from randcheck.ledger import (
    CommitmentEntry,
    DispatchEntry,
    Disposition,
    DrawEntry,
    Feedback,
    FeedbackMode,
    Inspection,
    InspectionKind,
    Ledger,
    Objection,
    Publication,
    PublicationKind,
    Publicity,
    SummaryReport,
    TargetedGround,
    TeamEntry,
    UnitWeight,
    ViolationRecord,
    load_ledger,
    save_ledger,
)
from randcheck.profiles import TIANJIN_HRSS

HOME = "和平区"
OTHER = "河西区"
SHANGHAI = timezone(timedelta(hours=8))
LABOUR = Line.LABOUR_INSPECTION
SOCIAL = Line.SOCIAL_INSURANCE_AUDIT
ROUNDS = 3


def make_uscc(n: int, region: str = "120101") -> str:
    """A valid unified social credit code numbered ``n``."""
    body = f"91{region}{n:09d}"
    return body + uscc_check_character(body)


def fake_digest(*parts: object) -> str:
    """A stand-in ``sha256:`` digest of ``parts``."""
    text = "|".join(str(part) for part in parts)
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def windows(year: int) -> tuple[TimeWindow, ...]:
    """The three round windows of a year: March, June, September."""
    return tuple(
        TimeWindow(start=date(year, month, 1), end=date(year, month, 30)) for month in (3, 6, 9)
    )


def _items(line: Line, prefix: str, count: int) -> tuple[CheckItem, ...]:
    law = "中华人民共和国劳动法" if line is LABOUR else "中华人民共和国社会保险法"
    return tuple(
        CheckItem(
            code=f"{prefix}-{k}",
            line=line,
            content=f"检查内容{k}",
            inspecting_body="市劳动保障监察总队" if line is LABOUR else "市社会保险稽查中心",
            target_type="用人单位",
            bases=(
                LegalBasis(
                    title=law,
                    article=f"第{k + 1}条",
                    rank=LegalRank.LAW,
                    effective=date(1995, 1, 1),
                ),
                LegalBasis(
                    title="劳动保障监察条例",
                    article=f"第{k + 10}条",
                    rank=LegalRank.ADMINISTRATIVE_REGULATION,
                    effective=date(2004, 12, 1),
                ),
            ),
        )
        for k in range(1, count + 1)
    )


@attrs.frozen
class _Round:
    number: int
    line: Line
    plan: str
    draw: str
    dispatch: str
    selected: tuple[int, ...]


@st.composite
def lawful_ledgers(draw: st.DrawFn) -> Ledger:
    """A ledger of a whole lawful year (see the module docstring for its layout)."""
    year = draw(st.integers(2021, 2030))
    n_enterprises = draw(st.integers(6, 10))
    n_home = draw(st.integers(2, 4))
    n_other = draw(st.integers(2, 3))
    with_v2 = draw(st.booleans())
    grades = [Grade.UNRATED, Grade.A, Grade.B, Grade.B, Grade.C] + [
        draw(st.sampled_from(list(Grade))) for _ in range(5, n_enterprises)
    ]
    enterprises = []
    for n in range(n_enterprises):
        risk = RiskFlags()
        if n == 3:
            risk = RiskFlags(complaints_12m=9)
        elif n >= 5:
            risk = RiskFlags(
                complaints_12m=draw(st.integers(0, 2)),
                abnormal_operations=draw(st.booleans()),
                key_area=draw(st.booleans()),
            )
        enterprises.append(
            Enterprise(
                uscc=make_uscc(n + 1),
                name=f"天津测试企业{n + 1}有限公司",
                district=HOME,
                industry="制造业",
                grade=grades[n],
                risk=risk,
            )
        )

    # Inspectors: home ones, then other-district ones, then the one with interests.
    inspectors = []
    for n in range(n_home + n_other + 1):
        reserved = n == n_home + n_other
        inspectors.append(
            Inspector(
                name=f"检查员{n + 1}",
                department="市劳动保障监察总队",
                post="科员",
                certificate_no=f"TJ-LS-{n + 1:04d}",
                phone=f"1390000{n + 1:04d}",
                district=OTHER if n_home <= n < n_home + n_other else HOME,
                lines=frozenset(Line),
                certificate_valid_from=date(year - 1, 1, 1),
                certificate_valid_until=date(year + 1, 12, 31),
                former_employers=(enterprises[0].uscc,) if reserved else (),
            )
        )
    home_keys = [inspector.key for inspector in inspectors[:n_home]]
    other_keys = [inspector.key for inspector in inspectors[n_home : n_home + n_other]]
    conflicts = (
        Conflict(
            inspector=inspectors[-1].key,
            enterprise=enterprises[1].uscc,
            ground=ConflictGround.RELATIVE,
        ),
    )

    def team() -> tuple[str, ...]:
        first = draw(st.sampled_from(home_keys))
        second = draw(st.sampled_from([k for k in home_keys + other_keys if k != first]))
        return tuple(sorted((first, second)))

    # Check-item lists: labour (one or two versions in the year, one for next year), social.
    labour_items = _items(LABOUR, "LI", 3)
    social_items = _items(SOCIAL, "SI", 2)
    lists = [
        CheckItemList(
            version=f"LI-{year}.1",
            line=LABOUR,
            effective=date(year - 1, 1, 1),
            published=date(year - 2, 12, 20),
            items=labour_items,
        )
    ]
    if with_v2:
        lists.append(
            CheckItemList(
                version=f"LI-{year}.2",
                line=LABOUR,
                effective=date(year, 7, 1),
                published=date(year, 6, 20),
                items=labour_items,
            )
        )
    lists.append(
        CheckItemList(
            version=f"LI-{year + 1}.1",
            line=LABOUR,
            effective=date(year + 1, 1, 1),
            published=date(year, 12, 1),
            items=labour_items,
        )
    )
    lists.append(
        CheckItemList(
            version=f"SI-{year}.1",
            line=SOCIAL,
            effective=date(year - 1, 1, 1),
            published=date(year - 2, 12, 20),
            items=social_items,
        )
    )

    wins = windows(year)
    bounds = CrossDistrictBounds(minimum=0, maximum=Fraction(1, 2))

    def plan(code: str, line: Line, items: Iterable[CheckItem], rounds: int) -> Plan:
        return Plan(
            code=code,
            year=year,
            line=line,
            items=tuple(item.code for item in items),
            scope=Scope(description="本市用人单位"),
            inspector_requirements="持有效执法证件，每组2人",
            ratio=Fraction(1, 10),
            rounds=rounds,
            windows=wins[:rounds],
            procedure="抽取、派员、检查、报告、公示、反馈",
            team_size=2,
            cross_district=bounds,
            submitted=date(year - 1, 11, draw(st.integers(1, 30))),
            published=date(year - 1, 12, 10),
        )

    plans = (
        plan(f"P-LI-{year}", LABOUR, labour_items, ROUNDS),
        plan(f"P-SI-{year}", SOCIAL, social_items, 1),
    )

    # Who is drawn in which labour round: at most two rounds each.
    rounds_of: dict[int, frozenset[int]] = {0: frozenset({0, 1}), 4: frozenset({0})}
    rounds_of[5] = draw(st.sampled_from([frozenset({2}), frozenset({0, 2}), frozenset({1, 2})]))
    for n in (1, 2, 3, *range(6, n_enterprises)):
        rounds_of[n] = draw(
            st.sampled_from(
                [frozenset(), frozenset({0}), frozenset({1}), frozenset({2}), frozenset({0, 1})]
            )
        )
    joint = [4] + [
        n
        for n in (1, 2, 3, *range(6, n_enterprises))
        if rounds_of[n] == {0} and draw(st.booleans())
    ]
    rounds = [
        _Round(
            number=r,
            line=LABOUR,
            plan=plans[0].code,
            draw=fake_digest("draw", year, "LI", r),
            dispatch=fake_digest("dispatch", year, "LI", r),
            selected=tuple(n for n in range(n_enterprises) if r in rounds_of[n]),
        )
        for r in range(ROUNDS)
    ]
    rounds.append(
        _Round(
            number=0,
            line=SOCIAL,
            plan=plans[1].code,
            draw=fake_digest("draw", year, "SI", 0),
            dispatch=fake_digest("dispatch", year, "SI", 0),
            selected=tuple(sorted(joint)),
        )
    )

    commitments = []
    draws = []
    dispatches = []
    inspections: list[Inspection] = []
    joint_day: dict[int, tuple[date, date]] = {}
    for rnd in rounds:
        window = wins[rnd.number]
        published = datetime.combine(window.start - timedelta(days=10), time(9), SHANGHAI)
        fixed = datetime.combine(window.start - timedelta(days=5), time(20, 30), SHANGHAI)
        commitment = fake_digest("commitment", rnd.draw)
        commitments.append(CommitmentEntry(digest=commitment, plan=rnd.plan, published=published))
        weights = ()
        if rnd.line is LABOUR and (rnd.number == 0 or draw(st.booleans())):
            weights = tuple(
                UnitWeight(enterprise=e.uscc, weight=TIANJIN_HRSS.weight(e)) for e in enterprises
            )
        draws.append(
            DrawEntry(
                id=rnd.draw,
                plan=rnd.plan,
                commitment=commitment,
                commitment_published=published,
                seed=f"{window.start.year}-{window.start.month:02d} 福彩3D 开奖号码 "
                f"{draw(st.integers(0, 999)):03d}",
                seed_source="中国福利彩票 3D",
                seed_fixed=fixed,
                selected=tuple(sorted(enterprises[n].uscc for n in rnd.selected)),
                weights=weights,
                round=rnd.number,
            )
        )
        teams = {n: team() for n in rnd.selected}
        dispatches.append(
            DispatchEntry(
                id=rnd.dispatch,
                draw=rnd.draw,
                teams=tuple(
                    TeamEntry(enterprise=enterprises[n].uscc, inspectors=teams[n])
                    for n in sorted(rnd.selected, key=lambda n: enterprises[n].uscc)
                ),
            )
        )
        prefix = "LI" if rnd.line is LABOUR else "SI"
        for k, n in enumerate(rnd.selected):
            is_joint = rnd.number == 0 and n in joint
            if rnd.line is SOCIAL:
                started, finished = joint_day[n]
            else:
                started = window.start + timedelta(days=draw(st.integers(0, 20)))
                finished = started + timedelta(days=draw(st.integers(0, 3)))
                joint_day[n] = (started, finished)
            items = labour_items if rnd.line is LABOUR else social_items
            inspections.append(
                Inspection(
                    id=f"{prefix}-{year}-{rnd.number}-{k:03d}",
                    enterprise=enterprises[n].uscc,
                    lines=(rnd.line,),
                    items=tuple(item.code for item in items[: draw(st.integers(1, len(items)))]),
                    team=teams[n],
                    unit=f"{prefix}-{rnd.number + 1}-{k + 1} 检查组",
                    started=started,
                    finished=finished,
                    kind=InspectionKind.RANDOM,
                    draw=rnd.draw,
                    dispatch=rnd.dispatch,
                    joint_visit=f"JV-{year}-{enterprises[n].uscc}" if is_joint else None,
                )
            )

    for k in range(draw(st.integers(1, 2))):
        n = draw(st.integers(0, n_enterprises - 1))
        day = date(year, 5, 10 + k)
        inspections.append(
            Inspection(
                id=f"T-{year}-{k:03d}",
                enterprise=enterprises[n].uscc,
                lines=(LABOUR,),
                items=(labour_items[0].code,),
                team=tuple(home_keys[:2]),
                unit="投诉举报处理组",
                started=day,
                finished=day,
                kind=InspectionKind.TARGETED,
                ground=draw(st.sampled_from(list(TargetedGround))),
                # "Other" is lawful only with its text, which every ground here has.
                ground_reference=f"{year}-举报-{k + 1:03d}",
                suspicion="举报反映未依法缴纳社会保险费",
            )
        )

    reports = []
    publicities = []
    feedback = []
    objections = []
    violations = []
    random_ids = [i for i in inspections if i.kind is InspectionKind.RANDOM]
    objected = draw(st.sampled_from(random_ids)).id
    violating = draw(st.sampled_from(random_ids)).id
    for inspection in random_ids:
        assert inspection.finished is not None
        reports.append(
            SummaryReport(
                inspection=inspection.id,
                conclusion="未发现违法行为" if inspection.id != violating else "发现违法行为",
                handling_opinion="无需处理" if inspection.id != violating else "责令改正",
                dated=inspection.finished,
            )
        )
        start = inspection.finished + timedelta(days=draw(st.integers(1, 3)))
        # Seven days after the posting day, a last day on a holiday rolled over (民法典 Art.
        # 201, 203), under the demo's calendar.
        shortest = TIANJIN_HRSS.publicity_end(start, demo_calendar(year))
        end = shortest + timedelta(days=draw(st.integers(0, 3)))
        publicities.append(
            Publicity(
                id=f"PUB-{inspection.id}",
                inspections=(inspection.id,),
                start=start,
                end=end,
                channel="天津市人力资源和社会保障局门户网站",
                text=f"{inspection.id} 检查结果公示。监督电话 022-2345 6789。"
                "检查人员证件号 TJ-LS-0001，身份证号 1201**********1234。",
            )
        )
        if inspection.id == objected or draw(st.booleans()):
            objections.append(
                Objection(
                    id=f"OBJ-{inspection.id}",
                    inspection=inspection.id,
                    opened=start + timedelta(days=1),
                    review_finished=end,
                    outcome="维持原检查结果",
                )
            )
        feedback.append(
            Feedback(
                inspection=inspection.id,
                dated=end + timedelta(days=1 + draw(st.integers(0, 3))),
                mode=draw(st.sampled_from(list(FeedbackMode))),
                issued_by=inspection.unit,
            )
        )
        if inspection.id == violating or draw(st.integers(0, 9)) == 0:
            violations.append(
                ViolationRecord(
                    id=f"V-{inspection.id}",
                    inspection=inspection.id,
                    description="未按规定签订劳动合同",
                    disposition=(chosen := draw(st.sampled_from(list(Disposition)))),
                    disposition_note="已责令整改并约谈" if chosen == Disposition.OTHER else "",
                    decided=inspection.finished + timedelta(days=2),
                    published=inspection.finished + timedelta(days=5),
                    channel="天津市市场主体信用信息公示系统",
                )
            )

    publications = []
    for r in range(ROUNDS):
        window = wins[r]
        in_round = [rnd for rnd in rounds if rnd.number == r]
        publications.append(
            Publication(
                id=f"PUBL-DRAW-{year}-{r}",
                kind=PublicationKind.DRAW,
                subjects=tuple(rnd.draw for rnd in in_round),
                published=window.start - timedelta(days=3),
                channel="门户网站",
                text=f"{year} 年第 {r + 1} 轮随机抽取结果公告",
            )
        )
        if draw(st.booleans()):
            ids = tuple(i.id for i in random_ids if i.draw in {rnd.draw for rnd in in_round})
            publications.append(
                Publication(
                    id=f"PUBL-RESULTS-{year}-{r}",
                    kind=PublicationKind.RESULTS,
                    subjects=ids,
                    published=window.end + timedelta(days=20),
                    channel="门户网站",
                    text=f"{year} 年第 {r + 1} 轮检查结果：共 {len(ids)} 户。",
                )
            )

    return Ledger(
        year=year,
        title=f"{year} 年度劳动保障监察“双随机一公开”台账",
        check_item_lists=lists,
        plans=plans,
        commitments=commitments,
        draws=draws,
        dispatches=dispatches,
        inspections=inspections,
        reports=reports,
        violations=violations,
        publicities=publicities,
        objections=objections,
        feedback=feedback,
        publications=publications,
        enterprises=enterprises,
        inspectors=inspectors,
        conflicts=conflicts,
    )


# --- the strategy's own invariants ------------------------------------------------------------

_SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(lawful_ledgers())
def test_layout_holds(ledger: Ledger) -> None:
    first = ledger.enterprises[0].uscc
    random = [i for i in ledger.inspections if i.kind is InspectionKind.RANDOM]
    assert sum(1 for i in random if i.enterprise == first) == 2
    assert ledger.enterprises[1].grade == Grade.A
    assert ledger.enterprises[3].risk.complaints_12m == 9
    joint = [i for i in random if i.joint_visit is not None]
    assert len(joint) >= 2
    assert len({i.joint_visit for i in joint}) * 2 == len(joint)
    reserved = ledger.inspectors[-1].key
    assert all(reserved not in i.team for i in ledger.inspections)
    assert any(i.kind is InspectionKind.TARGETED for i in ledger.inspections)
    assert ledger.objections
    assert ledger.violations


@_SETTINGS
@given(lawful_ledgers())
def test_every_team_member_is_in_the_directory(ledger: Ledger) -> None:
    keys = {inspector.key for inspector in ledger.inspectors}
    for inspection in ledger.inspections:
        assert set(inspection.team) <= keys
        assert len(set(inspection.team)) == 2


@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
@given(lawful_ledgers())
def test_ledger_survives_json_and_json_lines(ledger: Ledger) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for name in ("year.json", "year.jsonl"):
            path = Path(folder) / name
            save_ledger(ledger, path)
            assert load_ledger(path) == ledger


# --- the quick reading of JSON Lines records reads what the reference reading reads ----------
# load_ledger builds each record with a function made from its class (ledger._quick_structurer)
# and leaves anything that function is not sure of to canonical.structure. Both readings of the
# same lines, lawful or damaged, must give the same ledger or the same errors.

_ODD_VALUES: tuple[Any, ...] = (
    None,
    True,
    False,
    0,
    1,
    -1,
    2**70,
    1.5,
    "",
    " ",
    " 和平区 ",
    "x",
    "X",
    "2027-02-30",
    "2027-3-1",
    "20270301",
    "2027-03-01",
    "2027-03-01T00:00:00+08:00",
    "2027-03-01T00:00:00",
    "1/2",
    "2/4",
    "0/1",
    "-1/2",
    "random",
    "targeted",
    "written",
    "draw",
    "labour-inspection",
    "１２",
    [],
    ["x"],
    [" x "],
    [1],
    [None],
    "x".join([""] * 3),
    {},
    {"a": 1},
)


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into a JSON value, the value itself first."""
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*path, index))
    return found


def _damage(draw: st.DrawFn, value: Any) -> Any:
    """``value`` (a line's JSON value) with one part replaced, padded, dropped or added to."""
    path = draw(st.sampled_from(_paths(value)))
    if not path:
        return draw(st.sampled_from(_ODD_VALUES))
    parent = value
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    action = draw(st.sampled_from(["replace", "pad", "drop", "add"]))
    if action == "pad" and isinstance(parent[last], str):
        parent[last] = f" {parent[last]}\t"
    elif action == "drop" and isinstance(parent, dict):
        del parent[last]
    elif action == "add" and isinstance(parent[last], dict):
        parent[last][draw(st.sampled_from(["extra", "id", "year", "data"]))] = 1
    else:
        parent[last] = draw(st.sampled_from(_ODD_VALUES))
    return value


@st.composite
def damaged_lines(draw: st.DrawFn) -> list[Any]:
    """The JSON Lines values of a lawful ledger (after the header), a few of them damaged."""
    ledger = draw(lawful_ledgers())
    lines = [json.loads(canonical.canonical_json(line)) for line in ledger.iter_lines()]
    for _ in range(draw(st.integers(0, 4))):
        n = draw(st.integers(0, len(lines) - 1))
        lines[n] = _damage(draw, lines[n])
    return lines


def _read(lines: list[Any]) -> tuple[str, Any]:
    try:
        ledger = Ledger.from_lines(copy.deepcopy(lines), source="year.jsonl")
    except InputFileError as exc:
        errors = [
            (type(e).__name__, e.message, e.field, e.expected, repr(e.got), e.location)
            for e in exc.errors
        ]
        return exc.message, errors
    return canonical.canonical_json(ledger.to_document()), ledger


def _read_by_reference(lines: list[Any]) -> tuple[str, Any]:
    with mock.patch.object(ledger_module, "_quick_structurer", return_value=None):
        return _read(lines)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(damaged_lines())
def test_quick_reading_gives_the_reference_ledger_or_errors(lines: list[Any]) -> None:
    assert _read(lines) == _read_by_reference(lines)


def _agrees_with_reference(cls: type[Any], document: Any) -> None:
    """The quick reading of ``document`` as ``cls``, where it does not leave it to the
    reference reading, is the reference reading's record."""
    quick = ledger_module._quick_structurer(cls)
    assert quick is not None
    try:
        found = quick(copy.deepcopy(document))
    except Exception:  # left to the reference reading
        return
    expected = canonical.structure(copy.deepcopy(document), cls)
    assert found == expected
    assert canonical.unstructure(found) == canonical.unstructure(expected)


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data())
def test_quick_reading_of_directory_records_matches_the_reference(data: st.DataObject) -> None:
    cls = data.draw(st.sampled_from([Enterprise, Inspector, Conflict, CheckItemList, Plan]))
    document = canonical.unstructure(data.draw(st.from_type(cls)))
    if data.draw(st.booleans()):
        document = _damage(data.draw, document)
    _agrees_with_reference(cls, document)


@settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck))
@given(lawful_ledgers())
def test_quick_reading_of_every_damaged_field_matches_the_reference(ledger: Ledger) -> None:
    first: dict[str, Any] = {}
    for line in ledger.iter_lines():
        first.setdefault(line["section"], json.loads(canonical.canonical_json(line["data"])))
    del first["ledger"]
    assert len(first) >= 15
    for section, document in first.items():
        cls = ledger_module._SECTION_TYPES[section]
        _agrees_with_reference(cls, document)
        for path in _paths(document)[1:]:
            for odd in (*_ODD_VALUES, "pad", "drop", "add"):
                damaged = copy.deepcopy(document)
                parent = damaged
                for step in path[:-1]:
                    parent = parent[step]
                last = path[-1]
                if odd == "pad" and isinstance(parent[last], str):
                    parent[last] = f" {parent[last]} "
                elif odd == "drop" and isinstance(parent, dict):
                    del parent[last]
                elif odd == "add" and isinstance(parent[last], dict):
                    parent[last]["extra"] = 1
                else:
                    parent[last] = odd
                _agrees_with_reference(cls, damaged)


def test_every_section_has_a_quick_reading() -> None:
    for name, cls in ledger_module._SECTION_TYPES.items():
        assert ledger_module._quick_structurer(cls) is not None, name


def test_quick_reading_strips_and_checks_like_the_reference() -> None:
    line = {
        "section": "inspections",
        "data": {
            "id": " LI-1 ",
            "enterprise": make_uscc(1),
            "lines": ["labour-inspection"],
            "items": ["LS-01"],
            "team": ["A", "B"],
            "started": "2027-03-02",
            "finished": "2027-03-01",
        },
    }
    head = {"section": "ledger", "data": {"year": 2027, "title": ""}}
    quick, reference = _read([head, line]), _read_by_reference([head, line])
    assert quick == reference
    assert "finished" in quick[1][0][2]
    line["data"]["finished"] = "2027-03-03"
    quick, reference = _read([head, line]), _read_by_reference([head, line])
    assert quick == reference
    assert quick[1].inspections[0].id == "LI-1"
